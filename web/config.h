/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.h - what `teilhabe serve` was asked to do, and the bounds every
 * room of the web layer shares.
 *
 * Filled once by the command line (cmd_serve.c) before the daemon starts,
 * read-only afterwards: worker threads read it without a lock.  Depends on
 * nothing but the C library and site.h (the operator's details).
 */
#ifndef TEILHABE_WEB_CONFIG_H
#define TEILHABE_WEB_CONFIG_H

#include <stdbool.h>

#include "site.h"

/* Bounds on a request beyond what kb_search checks itself; the guard
 * (guard.h) refuses a request past them before any handler runs. */
#define WEB_MAX_URL 2048          /* the raw target: path and query */
#define WEB_MAX_ARGS 64           /* query parameters */
#define WEB_MAX_HEADERS 64        /* header fields */
#define WEB_MAX_HEADER_BYTES 8192 /* their names and values together */
/* libmicrohttpd's memory per connection.  It holds the read buffer
 * (half of it at first, so a request line or header block of up to
 * 16 KiB reaches our own checks and their answers) and ~56 bytes per
 * parameter and header field it splits: the largest request we accept
 * (2 KiB target, 64 parameters, 8 KiB in 64 headers) needs under 20 KiB.
 * What does not fit gets libmicrohttpd's own 414 or 431, dressed as
 * ours by reject.c. */
#define WEB_CONNECTION_MEMORY (32u * 1024)
#define WEB_MAX_CONNECTIONS 1000u
/* Defaults of serve --max-connections-per-ip and --request-timeout. */
#define WEB_PER_IP_DEFAULT 64u
#define WEB_REQUEST_TIMEOUT_DEFAULT 10u
/* Idle time of a connection while its answer is being sent. */
#define WEB_IDLE_TIMEOUT 30u
/* How long SIGTERM waits for requests in flight before it stops. */
#define WEB_SHUTDOWN_WAIT_MS 10000u
#define WEB_MAX_BODY (4u << 20) /* largest page or JSON we produce */
/* Longest --base-url, without trailing slashes. */
#define WEB_BASE_URL_MAX 200

typedef struct server_config {
  const char *db;
  const char *bind;
  unsigned port;
  unsigned threads;
  unsigned max_per_ip;      /* connections per client address; 0: no limit */
  unsigned request_timeout; /* seconds to receive a whole request */
  bool editorial;           /* serve /redaktion (read-only editorial report) */
  int zero_log_fd;          /* --log-zero-results file (O_APPEND), or -1 */
  const char *zero_log_path;
  const char *corpus; /* preview: the corpus folder being watched, or NULL */
  /* --base-url for absolute links (request_base_url), or "" */
  char base_url[WEB_BASE_URL_MAX + 1];
  site_info site; /* --site / [site]: who runs the site, for the legal pages */
} server_config;

#endif
