/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_buf.h - a growable byte buffer with a hard cap, and a bump arena.
 *
 * kb_buf is curl's dynbuf idea: every buffer has a maximum size, and an
 * append past it fails instead of growing without bound.  Errors are
 * sticky, so a run of appends can be checked once at the end:
 *
 *     kb_buf b;
 *     kb_buf_init(&b, 1 << 20);
 *     kb_buf_adds(&b, "<p>");
 *     kb_html_escape(&b, text, len);
 *     if (kb_buf_status(&b) != KB_OK) ...
 *     kb_buf_release(&b);
 *
 * The data is always NUL-terminated when len > 0 or after any append.
 *
 * kb_arena hands out memory from large chunks that are freed together;
 * a search result lives in one arena, so building it costs a few mallocs
 * instead of one per string, and freeing it is O(chunks).
 *
 * Depends only on kb_status.h and libc.
 */
#ifndef KB_BUF_H
#define KB_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "kb_status.h"

typedef struct kb_buf {
  char *data;       /* owned; NULL until the first append */
  size_t len;       /* bytes in use, excluding the NUL */
  size_t cap;       /* bytes allocated */
  size_t max;       /* hard cap on len */
  kb_status status; /* first error seen, KB_OK if none */
} kb_buf;

#define KB_BUF_INIT(maxbytes)                                                  \
  { NULL, 0, 0, (maxbytes), KB_OK }

void kb_buf_init(kb_buf *b, size_t max);
/* Frees the data; the buffer can be reused after kb_buf_init. */
void kb_buf_release(kb_buf *b);
/* Empties the buffer and clears a sticky error, keeping the allocation. */
void kb_buf_reset(kb_buf *b);
/* Appends; on failure sets the sticky status and appends nothing. */
kb_status kb_buf_add(kb_buf *b, const void *p, size_t n);
kb_status kb_buf_adds(kb_buf *b, const char *s);
kb_status kb_buf_addc(kb_buf *b, char c);
kb_status kb_buf_addf(kb_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
kb_status kb_buf_vaddf(kb_buf *b, const char *fmt, va_list ap);
/* Appends `n` uninitialised bytes and returns where they start (for
 * callers that write in place, e.g. a converter), or NULL on failure. */
char *kb_buf_extend(kb_buf *b, size_t n);
/* The buffer's contents as a string ("" when empty; borrowed). */
const char *kb_buf_str(const kb_buf *b);
kb_status kb_buf_status(const kb_buf *b);
/* Hands the data to the caller (free() it) and empties the buffer;
 * returns NULL on a sticky error (the data is then freed). */
char *kb_buf_detach(kb_buf *b, size_t *ret_len);

typedef struct kb_arena_chunk kb_arena_chunk;
typedef struct kb_arena {
  kb_arena_chunk *head;
  size_t used;  /* bytes handed out, for limits */
  size_t limit; /* 0 = no limit */
} kb_arena;

void kb_arena_init(kb_arena *a, size_t limit);
/* Frees every chunk. */
void kb_arena_release(kb_arena *a);
/* Keeps the first chunk for reuse, frees the rest (per-request reuse). */
void kb_arena_reset(kb_arena *a);
/* Returns zeroed, max-aligned memory valid until release/reset, or NULL. */
void *kb_arena_alloc(kb_arena *a, size_t n);
char *kb_arena_strndup(kb_arena *a, const char *s, size_t n);
char *kb_arena_strdup(kb_arena *a, const char *s);

#endif
