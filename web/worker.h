/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * worker.h - the per-thread worker context.
 *
 * Every worker thread of the pool (pool.h) owns one worker: one reader of the
 * index (the kb_searcher, which also serves completions and normalises logged
 * queries through its database handle and analyzer) and the output and
 * scratch buffers, reused from request to request.  So requests never
 * contend for a lock and steady-state requests allocate little.
 *
 * Depends on config.h and the library (kb_search, kb_buf); nothing else
 * of web/.
 */
#ifndef TEILHABE_WEB_WORKER_H
#define TEILHABE_WEB_WORKER_H

#include <stdbool.h>

#include "config.h"
#include "kb_buf.h"
#include "kb_search.h"

typedef struct worker {
  kb_searcher *searcher; /* NULL until the first request that needs it */
  kb_status index_st;    /* the index as the last worker_searcher saw it */
  bool followed;         /* the searcher followed a re-index this request */
  kb_buf out;            /* the reply body */
  kb_buf scratch;        /* URLs and other small strings */
} worker;

/* Creates the thread key and reads the environment's TEILHABE_MAX_REPLY
 * (a lower cap of the reply buffer, for tests); call once before any
 * thread asks for its worker.  False if the key cannot be created. */
bool worker_setup(void);

/* This thread's worker, created on first use with empty buffers (freed
 * when the thread ends); NULL when out of memory.  Borrowed. */
worker *worker_for_thread(void);

/* Empties the buffers for the next request (keeps their memory) and
 * lets the next worker_searcher() follow a re-index again. */
void worker_reset(worker *w);

/* The thread's searcher, opened on first use or refreshed to follow a
 * re-index - once per request, so that a request reads one generation
 * and what it borrowed from the searcher (the schema, the vocabulary)
 * stays valid until worker_reset().  Borrowed.  NULL with an owned
 * message in *err (may be NULL) when the index cannot be used: it cannot
 * be opened, or the generation open was changed after it was published.
 * When the index was removed, the generation still open is returned (it
 * is intact), but w->index_st says KB_ERR_DB_OPENING. */
kb_searcher *worker_searcher(worker *w, const server_config *cfg, char **err);

/* After a request failed: compares the generation open now with its
 * stamp again, so a failure because it was damaged while the request
 * read it is told from others; an index given as a stub file is asked
 * whether its databases (remote shards) are still there.  True if it is
 * damaged, lost a database (or cannot be opened at all).  Call it only when the
 * request is done with what it borrowed from the searcher. */
bool worker_index_damaged(worker *w, const server_config *cfg);

#endif
