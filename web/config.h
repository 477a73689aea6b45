/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.h - what `teilhabe serve` was asked to do, and the bounds every
 * room of the web layer shares.
 *
 * Filled once by the command line (cmd_serve.c) before the daemon starts,
 * read-only afterwards: worker threads read it without a lock.  Depends on
 * nothing but the C library.
 */
#ifndef TEILHABE_WEB_CONFIG_H
#define TEILHABE_WEB_CONFIG_H

#include <stdbool.h>

/* Bounds on a request beyond what kb_search checks itself. */
#define WEB_MAX_URL 2048
#define WEB_MAX_ARGS 64
#define WEB_MAX_BODY (4u << 20) /* largest page or JSON we produce */
/* Longest --base-url, without trailing slashes. */
#define WEB_BASE_URL_MAX 200

typedef struct server_config {
  const char *db;
  const char *bind;
  unsigned port;
  unsigned threads;
  bool editorial;  /* serve /redaktion (read-only editorial report) */
  int zero_log_fd; /* --log-zero-results file (O_APPEND), or -1 */
  const char *zero_log_path;
  const char *corpus; /* preview: the corpus folder being watched, or NULL */
  /* --base-url for absolute links (request_base_url), or "" */
  char base_url[WEB_BASE_URL_MAX + 1];
} server_config;

#endif
