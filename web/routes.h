/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * routes.h - which handler answers which URL: the route table (routes.c)
 * and the answers for a wrong method, an overlong URL and an unknown
 * address, as a page or, under /api/, as JSON.
 *
 * Depends on the handlers' rooms (pages.h, feeds.h, api.h, plain.h),
 * worker.h and reply.h; the server (server.c) is its only user.
 */
#ifndef TEILHABE_WEB_ROUTES_H
#define TEILHABE_WEB_ROUTES_H

#include <microhttpd.h>

#include "config.h"
#include "reply.h"
#include "worker.h"

/* Answers `method` `url` into `rep` (whose body is w->out, emptied). */
void routes_dispatch(struct MHD_Connection *conn, worker *w,
                     const server_config *cfg, const char *method,
                     const char *url, reply *rep);

#endif
