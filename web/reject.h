/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reject.h - the answers to requests refused before any route sees them:
 * one table of reasons, each with its status, the API's English message
 * and the page's German title and text.  The guard (guard.h) and the
 * route table answer with it, and so, through reject.c, does
 * libmicrohttpd: the responses it builds itself for requests it cannot
 * parse (a bad HTTP version, an over-long line, too many header bytes)
 * are replaced by ours, so every answer carries the security headers, a
 * content type and a German page.
 *
 * Depends on reply.h only.
 */
#ifndef TEILHABE_WEB_REJECT_H
#define TEILHABE_WEB_REJECT_H

#include <microhttpd.h>
#include <stdbool.h>

#include "reply.h"

/* X(name, status, API message, page title, page text) */
#define REJECT_TABLE(X)                                                        \
  X(REJECT_MALFORMED, 400, "malformed request", "Ungültige Anfrage",           \
    "Diese Anfrage kann der Server nicht verstehen.")                          \
  X(REJECT_NO_HOST, 400, "the Host header is missing", "Ungültige Anfrage",    \
    "Der Anfrage fehlt die Angabe, an welche Adresse sie geht (Host).")        \
  X(REJECT_BAD_TARGET, 400,                                                    \
    "the URL contains control characters or invalid %-escapes or UTF-8",       \
    "Ungültige Adresse",                                                       \
    "Die Adresse enthält Zeichen, die in einer Adresse nicht vorkommen "      \
    "dürfen.")                                                                 \
  X(REJECT_TOO_MANY_ARGS, 400, "too many parameters", "Zu viele Angaben",      \
    "Die Adresse enthält zu viele Angaben. Bitte starten Sie eine neue "      \
    "Suche.")                                                                  \
  X(REJECT_METHOD, 405, "only GET is supported", "Methode nicht erlaubt",      \
    "Diese Seite kann nur abgerufen werden.")                                  \
  X(REJECT_BODY, 413, "a request body is not accepted", "Anfrage mit Inhalt",  \
    "Dieser Server nimmt keine Daten entgegen; seine Seiten können nur "      \
    "abgerufen werden.")                                                       \
  X(REJECT_URI_TOO_LONG, 414, "the URL is too long", "Adresse zu lang",        \
    "Die Adresse ist zu lang. Bitte kürzen Sie die Suche.")                    \
  X(REJECT_HEADERS, 431, "the request headers are too large",                  \
    "Anfrage zu groß",                                                         \
    "Die Anfrage enthält zu viele oder zu lange Kopfzeilen.")                  \
  X(REJECT_VERSION, 505, "only HTTP/1.0 and HTTP/1.1 are supported",           \
    "HTTP-Version nicht unterstützt",                                          \
    "Dieser Server versteht HTTP/1.0 und HTTP/1.1.")

typedef enum reject_reason {
  REJECT_NONE = 0, /* not refused */
#define REJECT_ENUM(name, status, api, title, text) name,
  REJECT_TABLE(REJECT_ENUM)
#undef REJECT_ENUM
} reject_reason;

/* The HTTP status of `why` (0 for REJECT_NONE). */
unsigned reject_status(reject_reason why);

/* Makes `rep` the answer for `why`: {"error": …} when `api`, the German
 * error page otherwise; a 405 also says which methods are allowed. */
void reject_reply(reply *rep, reject_reason why, bool api);

/* Queues the answer for `why` on `conn` (headers of a HEAD request only,
 * as libmicrohttpd leaves out the body).  Builds it in its own buffer,
 * so it needs no worker. */
enum MHD_Result reject_send(struct MHD_Connection *conn, reject_reason why,
                            bool api);

#endif
