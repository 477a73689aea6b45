/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * server.h - the HTTP daemon: libmicrohttpd with an internal thread
 * pool, one worker per pool thread, and the wait for a stop signal.
 *
 * Depends on routes.h, worker.h and reply.h; its user is cmd_serve.c.
 */
#ifndef TEILHABE_WEB_SERVER_H
#define TEILHABE_WEB_SERVER_H

#include <stdint.h>

#include "config.h"

/* Listens on cfg->bind and cfg->port (0: a free port, printed) with
 * cfg->threads threads until SIGINT or SIGTERM, then stops.  `docs` is
 * only for the start-up line.  Returns an exit code (cli.h): EXIT_OK,
 * EXIT_USAGE for an unusable --bind, EXIT_RUNTIME when it cannot
 * listen.  `cfg` is borrowed for the server's life. */
int server_run(const server_config *cfg, uint64_t docs);

#endif
