/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reject.c - the answers to refused requests (see reject.h), and the
 * one place where libmicrohttpd's own refusals become ours.
 *
 * libmicrohttpd 0.9.75 answers some requests itself - an HTTP version
 * it does not speak (505), a request line it cannot parse (400), a line
 * or header block larger than the connection's memory (414, 431), a
 * broken chunked body - with a bare HTML snippet: no Content-Type, no
 * CSP, no nosniff.  It offers no hook for these answers, but it queues
 * them through its own exported MHD_queue_response(), called through
 * the PLT.  So this file defines MHD_queue_response(): the program's
 * definition is found first, every response passes through it, and one
 * that has no Content-Type (ours always have one) is replaced by our
 * own answer for its status before the real function, looked up with
 * dlsym(RTLD_NEXT), queues it.  tests/e2e/e2e_hostile.py checks
 * libmicrohttpd's 505 and 414 for our headers, so a libmicrohttpd that
 * stopped calling through the PLT would fail the tests, not go unseen.
 */
#include "reject.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include "kb_buf.h"

/* Our error pages are under 8 KiB; the cap only guards the buffer. */
#define REJECT_BODY_MAX (64u * 1024)

typedef struct reject_info {
  unsigned status;
  const char *api, *title, *text;
} reject_info;

/* Row REJECT_NONE stays all zero. */
#define REJECT_INFO(name, status, api, title, text)                            \
  [name] = {status, api, title, text},
static const reject_info infos[] = {REJECT_TABLE(REJECT_INFO)};
#undef REJECT_INFO

unsigned reject_status(reject_reason why) { return infos[why].status; }

void reject_reply(reply *rep, reject_reason why, bool api) {
  const reject_info *in = &infos[why == REJECT_NONE ? REJECT_MALFORMED : why];
  if (api)
    api_error(rep, in->status, in->api);
  else
    page_error(rep, in->status, in->title, in->text);
  if (in->status == MHD_HTTP_METHOD_NOT_ALLOWED)
    rep->allow = "GET, HEAD";
}

/* Sends the answer for `why` with `status` (libmicrohttpd's status may
 * have no row of its own). */
static enum MHD_Result send_as(struct MHD_Connection *conn, unsigned status,
                               reject_reason why, bool api) {
  kb_buf body = KB_BUF_INIT(REJECT_BODY_MAX);
  reply rep;
  reply_init(&rep, &body);
  reject_reply(&rep, why, api);
  rep.status = status;
  /* The body is left out for HEAD by libmicrohttpd itself. */
  enum MHD_Result ret = reply_send(conn, &rep, false);
  kb_buf_release(&body);
  return ret;
}

enum MHD_Result reject_send(struct MHD_Connection *conn, reject_reason why,
                            bool api) {
  if (why == REJECT_NONE)
    why = REJECT_MALFORMED;
  return send_as(conn, infos[why].status, why, api);
}

/* The row for a status libmicrohttpd chose: the first with it, else the
 * generic 400's text (the status itself is kept). */
static reject_reason reason_for(unsigned status) {
  for (size_t i = 1; i < sizeof infos / sizeof *infos; i++)
    if (infos[i].status == status)
      return (reject_reason)i;
  return REJECT_MALFORMED;
}

typedef enum MHD_Result queue_fn(struct MHD_Connection *, unsigned int,
                                 struct MHD_Response *);
static queue_fn *real_queue;
static pthread_once_t real_queue_once = PTHREAD_ONCE_INIT;

static void find_real_queue(void) {
  void *sym = dlsym(RTLD_NEXT, "MHD_queue_response");
  /* POSIX guarantees that a data pointer from dlsym converts to a
   * function pointer; ISO C does not, so copy the bits. */
  memcpy(&real_queue, &sym, sizeof real_queue);
}

__attribute__((visibility("default"))) enum MHD_Result
MHD_queue_response(struct MHD_Connection *conn, unsigned int status,
                   struct MHD_Response *response) {
  pthread_once(&real_queue_once, find_real_queue);
  if (real_queue == NULL)
    return MHD_NO;
  if (status < 400 || response == NULL ||
      MHD_get_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE))
    return real_queue(conn, status, response);
  /* libmicrohttpd's own refusal: ours instead.  Its response is
   * destroyed by its caller as usual. */
  return send_as(conn, status, reason_for(status), false);
}
