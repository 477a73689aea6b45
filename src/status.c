/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * status.c - names and messages for kb_status, generated from the table
 * in kb_status.h, plus kb_fail(), the one way library code reports detail.
 */
#include "kb_status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const messages[] = {
#define KB_STATUS_MSG(name, msg) [KB_##name] = msg,
    KB_STATUS_TABLE(KB_STATUS_MSG)
#undef KB_STATUS_MSG
};

static const char *const names[] = {
#define KB_STATUS_NAME(name, msg) [KB_##name] = #name,
    KB_STATUS_TABLE(KB_STATUS_NAME)
#undef KB_STATUS_NAME
};

const char *kb_status_str(kb_status status) {
  if ((unsigned)status >= KB_STATUS_COUNT)
    return "unknown status";
  return messages[status];
}

const char *kb_status_name(kb_status status) {
  if ((unsigned)status >= KB_STATUS_COUNT)
    return "UNKNOWN";
  return names[status];
}

kb_status kb_fail(kb_status status, char **reterr_msg, const char *fmt, ...) {
  if (reterr_msg == NULL)
    return status;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return status;
  char *msg = malloc((size_t)n + 1);
  if (msg == NULL)
    return status; /* the status still says what failed */
  va_start(ap, fmt);
  vsnprintf(msg, (size_t)n + 1, fmt, ap);
  va_end(ap);
  free(*reterr_msg); /* a caller reusing its variable must not leak */
  *reterr_msg = msg;
  return status;
}
