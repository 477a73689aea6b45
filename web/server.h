/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * server.h - the HTTP daemon: libmicrohttpd's one thread for the
 * sockets, the worker threads of pool.h (one worker each) for the work,
 * the connection guard, and the signals: stop, reopen, ignore.
 *
 * Depends on guard.h, pool.h, reject.h, routes.h, worker.h, reply.h and
 * zerolog.h; its user is cmd_serve.c.
 */
#ifndef TEILHABE_WEB_SERVER_H
#define TEILHABE_WEB_SERVER_H

#include <stdint.h>

#include "config.h"

/* Blocks the signals the server waits for (SIGINT, SIGTERM, SIGHUP,
 * SIGUSR1, SIGUSR2, SIGALRM) in the calling thread and ignores SIGPIPE.
 * Call it before starting any thread (threads inherit the mask), so that
 * none of them is killed by a signal meant for the server. */
void server_block_signals(void);

/* Listens on cfg->bind and cfg->port (0: a free port, printed) with
 * cfg->threads threads until SIGINT or SIGTERM, then stops gracefully:
 * no new connections, requests in flight are answered first.  SIGHUP
 * reopens the zero-result log; SIGUSR1, SIGUSR2, SIGALRM are logged and
 * ignored.  `docs` is only for the start-up line.  Returns an exit code
 * (cli.h): EXIT_OK, EXIT_USAGE for an unusable --bind, EXIT_RUNTIME when it
 * cannot listen.  `cfg` is borrowed for the server's life. */
int server_run(const server_config *cfg, uint64_t docs);

#endif
