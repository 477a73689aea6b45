/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_status.h - the one status type every fallible teilhabe call returns.
 *
 * The codes, their names and their messages come from a single X-macro
 * table, so the enum and kb_status_str() can never drift apart.  Library
 * code returns a status and, where useful, a detailed message through an
 * optional last `char **reterr_msg` argument; that message is set only on
 * failure, is owned by the caller and is released with free().
 */
#ifndef KB_STATUS_H
#define KB_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, message): message is for people, lowercase, no final period. */
#define KB_STATUS_TABLE(X)                                                     \
  X(OK, "success")                                                             \
  X(ERR_NOMEM, "out of memory")                                                \
  X(ERR_INVALID, "invalid argument")                                           \
  X(ERR_LIMIT, "input exceeds a size limit")                                   \
  X(ERR_IO, "input/output error")                                              \
  X(ERR_PARSE, "malformed input")                                              \
  X(ERR_NOT_FOUND, "not found")                                                \
  X(ERR_EXISTS, "already exists")                                              \
  X(ERR_DB_OPENING, "cannot open the index")                                   \
  X(ERR_DB_LOCKED, "the index is locked by another writer")                    \
  X(ERR_DB_MODIFIED, "the index changed underneath; reopen it")                \
  X(ERR_DB_CORRUPT, "the index is corrupt")                                    \
  X(ERR_DB_VERSION, "the index format is not supported")                       \
  X(ERR_QUERY, "the query cannot be run")                                      \
  X(ERR_BACKEND, "search backend error")                                       \
  X(ERR_INTERNAL, "internal error")

typedef enum kb_status {
#define KB_STATUS_ENUM(name, msg) KB_##name,
  KB_STATUS_TABLE(KB_STATUS_ENUM)
#undef KB_STATUS_ENUM
      KB_STATUS_COUNT
} kb_status;

/* Returns a static, human-readable message for `status` (never NULL). */
const char *kb_status_str(kb_status status);

/* Returns the static enum name without the KB_ prefix, e.g. "ERR_DB_LOCKED". */
const char *kb_status_name(kb_status status);

/*
 * Helper for library code: if `reterr_msg` is non-NULL, stores a newly
 * allocated printf-formatted message there (replacing nothing: the caller
 * passes a pointer to NULL).  Returns `status` so callers can write
 * `return kb_fail(KB_ERR_PARSE, err, "bad date '%s'", s);`.
 */
kb_status kb_fail(kb_status status, char **reterr_msg, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#ifdef __cplusplus
}
#endif
#endif
