/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hits.c - the hit store (kb_hits.h): written from a generation's
 * database, read by document id.
 *
 * Depends on kb_status, kb_xapian, kb_layout and kb_index (the stub's
 * name) only.
 */
#include "kb_hits.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kb_index.h"
#include "kb_layout.h"

enum { HEADER = 32, VERSION = 1, WRITE_BUF = 1 << 20 };
static const char MAGIC[8] = "TLHHITS";

struct kb_hits {
  int fd;
  uint64_t n;       /* entries of start: last docid + 2 */
  uint64_t *start;  /* document d's value: [start[d], start[d + 1]) */
  uint64_t data_at; /* where the values begin in the file */
};

static void put64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--)
    v = v << 8 | p[i];
  return v;
}

static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

/* Writes (`writing`) or reads all `len` bytes of `p` at `off`; false at
 * an error (errno set) or, reading, at the end of the file. */
static bool move_all(int fd, void *p, size_t len, uint64_t off, bool writing) {
  char *c = p;
  while (len > 0) {
    ssize_t k = writing ? pwrite(fd, c, len, (off_t)off)
                        : pread(fd, c, len, (off_t)off);
    if (k < 0 && errno == EINTR)
      continue;
    if (k == 0)
      errno = writing ? EIO : 0;
    if (k <= 0)
      return false;
    c += k;
    len -= (size_t)k;
    off += (uint64_t)k;
  }
  return true;
}

static bool write_all(int fd, const void *p, size_t len, uint64_t off) {
  return move_all(fd, (void *)p, len, off, true);
}

static bool read_all(int fd, void *p, size_t len, uint64_t off) {
  return move_all(fd, p, len, off, false);
}

/* ---- writing ----------------------------------------------------------- */

typedef struct writer {
  int fd;
  uint64_t *start, n;
  uint64_t data_at, at; /* `at`: bytes of values so far */
  kbx_docid prev;       /* the last docid written */
  char *buf;
  size_t used;
  bool failed; /* a write failed (errno kept in err) */
  int err;
} writer;

static bool flush(writer *w) {
  if (w->used &&
      !write_all(w->fd, w->buf, w->used, w->data_at + w->at - w->used)) {
    w->failed = true;
    w->err = errno;
    return false;
  }
  w->used = 0;
  return true;
}

static bool add_value(kbx_docid docid, const char *value, size_t len,
                      void *ctx) {
  writer *w = ctx;
  if (docid <= w->prev || docid + 1 >= w->n) { /* cannot happen: fail */
    w->failed = true;
    w->err = EINVAL;
    return false;
  }
  for (kbx_docid d = w->prev + 1; d <= docid; d++)
    w->start[d] = w->at;
  w->prev = docid;
  while (len > 0) {
    size_t room = WRITE_BUF - w->used, k = len < room ? len : room;
    memcpy(w->buf + w->used, value, k);
    w->used += k;
    w->at += k;
    value += k;
    len -= k;
    if (w->used == WRITE_BUF && !flush(w))
      return false;
  }
  return true;
}

/* Writes the store of `db` (at revision `rev`, last docid `last`) to the
 * open file `fd`. */
static kb_status write_store(int fd, kbx_db *db, uint64_t rev, kbx_docid last,
                             const char *path, char **reterr_msg) {
  writer w = {.fd = fd, .n = (uint64_t)last + 2};
  w.data_at = HEADER + 8 * w.n;
  w.start = calloc(w.n, sizeof *w.start);
  w.buf = malloc(WRITE_BUF);
  unsigned char *head = malloc(HEADER + 8 * w.n);
  kb_status st = KB_ERR_NOMEM;
  if (w.start == NULL || w.buf == NULL || head == NULL)
    goto out;
  st = kbx_db_values(db, KB_SLOT_HIT, add_value, &w, reterr_msg);
  if (st == KB_OK && !w.failed && !flush(&w)) /* the last values */
    w.failed = true;
  if (st == KB_OK && !w.failed) {
    for (uint64_t d = (uint64_t)w.prev + 1; d < w.n; d++)
      w.start[d] = w.at;
    memcpy(head, MAGIC, 8);
    put32(head + 8, VERSION);
    put32(head + 12, 0);
    put64(head + 16, rev);
    put64(head + 24, w.n);
    for (uint64_t d = 0; d < w.n; d++)
      put64(head + HEADER + 8 * d, w.start[d]);
    if (!write_all(fd, head, HEADER + 8 * w.n, 0) || fsync(fd) != 0) {
      w.failed = true;
      w.err = errno;
    }
  }
  if (st == KB_OK && w.failed)
    st = kb_fail(KB_ERR_IO, reterr_msg, "cannot write '%s': %s", path,
                 strerror(w.err));
out:
  free(w.start);
  free(w.buf);
  free(head);
  return st;
}

kb_status kb_hits_write(const char *gen, char **reterr_msg) {
  char path[PATH_MAX], tmp[PATH_MAX];
  struct stat sb;
  if ((size_t)snprintf(path, sizeof path, "%s/%s", gen, KB_SHARD_STUB) >=
      sizeof path)
    return kb_fail(KB_ERR_INVALID, reterr_msg, "path too long: '%s'", gen);
  if (stat(path, &sb) == 0)
    return KB_OK; /* sharded: results are read through Xapian */
  snprintf(path, sizeof path, "%s/%s", gen, KB_HITS_FILE);
  if ((size_t)snprintf(tmp, sizeof tmp, "%s/.%s.tmp", gen, KB_HITS_FILE) >=
      sizeof tmp)
    return kb_fail(KB_ERR_INVALID, reterr_msg, "path too long: '%s'", gen);
  kbx_db *db = NULL;
  uint64_t rev = 0;
  kbx_docid last = 0;
  kb_status st = kbx_db_open(gen, &db, reterr_msg);
  if (st == KB_OK)
    st = kbx_db_revision(db, &rev, reterr_msg);
  if (st == KB_OK)
    st = kbx_db_lastdocid(db, &last, reterr_msg);
  if (st == KB_OK && last == UINT32_MAX)
    st = kb_fail(KB_ERR_LIMIT, reterr_msg, "'%s' has too many documents", gen);
  int fd = -1;
  if (st == KB_OK) {
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
      st = kb_fail(KB_ERR_IO, reterr_msg, "cannot create '%s': %s", tmp,
                   strerror(errno));
  }
  if (st == KB_OK)
    st = write_store(fd, db, rev, last, tmp, reterr_msg);
  if (fd >= 0 && close(fd) != 0 && st == KB_OK)
    st = kb_fail(KB_ERR_IO, reterr_msg, "cannot write '%s': %s", tmp,
                 strerror(errno));
  if (st == KB_OK && rename(tmp, path) != 0)
    st = kb_fail(KB_ERR_IO, reterr_msg, "cannot rename '%s': %s", tmp,
                 strerror(errno));
  if (st != KB_OK)
    unlink(tmp);
  kbx_db_close(db);
  return st;
}

/* ---- reading ----------------------------------------------------------- */

static kb_status broken(const char *path, const char *why, char **reterr_msg) {
  return kb_fail(KB_ERR_DB_CORRUPT, reterr_msg,
                 "hit store '%s' %s; run 'teilhabe index' to publish a new "
                 "index",
                 path, why);
}

/* Reads and checks the header and the starts of the open store `h`. */
static kb_status read_index(kb_hits *h, kbx_db *db, const char *path,
                            char **reterr_msg) {
  struct stat sb;
  unsigned char head[HEADER];
  if (fstat(h->fd, &sb) != 0 || !read_all(h->fd, head, HEADER, 0))
    return broken(path, "cannot be read", reterr_msg);
  if (memcmp(head, MAGIC, 8) != 0 || get32(head + 8) != VERSION)
    return broken(path, "is not one this program writes", reterr_msg);
  uint64_t rev = 0;
  kbx_docid last = 0;
  kb_status st = kbx_db_revision(db, &rev, reterr_msg);
  if (st == KB_OK)
    st = kbx_db_lastdocid(db, &last, reterr_msg);
  if (st != KB_OK)
    return st;
  h->n = get64(head + 24);
  uint64_t size = (uint64_t)sb.st_size;
  if (get64(head + 16) != rev || h->n != (uint64_t)last + 2)
    return KB_ERR_NOT_FOUND; /* stale: kb_hits_open reads it as none */
  if (h->n > (size - HEADER) / 8)
    return broken(path, "is shorter than it says", reterr_msg);
  h->data_at = HEADER + 8 * h->n;
  unsigned char *raw = malloc(8 * h->n);
  h->start = malloc(8 * h->n);
  if (raw == NULL || h->start == NULL) {
    free(raw);
    return KB_ERR_NOMEM;
  }
  bool ok = read_all(h->fd, raw, 8 * h->n, HEADER);
  for (uint64_t d = 0; ok && d < h->n; d++) {
    h->start[d] = get64(raw + 8 * d);
    ok = d == 0 ? h->start[0] == 0 : h->start[d] >= h->start[d - 1];
  }
  free(raw);
  if (!ok || h->start[h->n - 1] != size - h->data_at)
    return broken(path, "is not whole", reterr_msg);
  return KB_OK;
}

kb_status kb_hits_open(const char *gen, kbx_db *db, kb_hits **ret_hits,
                       char **reterr_msg) {
  *ret_hits = NULL;
  char path[PATH_MAX];
  if ((size_t)snprintf(path, sizeof path, "%s/%s", gen, KB_HITS_FILE) >=
      sizeof path)
    return kb_fail(KB_ERR_INVALID, reterr_msg, "path too long: '%s'", gen);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
    return KB_OK;
  if (fd < 0)
    return kb_fail(KB_ERR_DB_OPENING, reterr_msg, "cannot open '%s': %s", path,
                   strerror(errno));
  kb_hits *h = calloc(1, sizeof *h);
  if (h == NULL) {
    close(fd);
    return KB_ERR_NOMEM;
  }
  h->fd = fd;
  kb_status st = read_index(h, db, path, reterr_msg);
  if (st != KB_OK) {
    kb_hits_close(h);
    return st == KB_ERR_NOT_FOUND ? KB_OK : st;
  }
  *ret_hits = h;
  return KB_OK;
}

void kb_hits_close(kb_hits *hits) {
  if (hits == NULL)
    return;
  close(hits->fd);
  free(hits->start);
  free(hits);
}

kb_status kb_hits_read(const kb_hits *hits, uint32_t docid, char **ret_value,
                       size_t *ret_len, char **reterr_msg) {
  if ((uint64_t)docid + 1 >= hits->n)
    return kb_fail(KB_ERR_NOT_FOUND, reterr_msg, "no document %u in the store",
                   (unsigned)docid);
  uint64_t from = hits->start[docid], len = hits->start[docid + 1] - from;
  char *v = len < SIZE_MAX ? malloc((size_t)len + 1) : NULL;
  if (v == NULL)
    return KB_ERR_NOMEM;
  errno = 0;
  if (!read_all(hits->fd, v, (size_t)len, hits->data_at + from)) {
    int err = errno;
    free(v);
    return kb_fail(KB_ERR_IO, reterr_msg,
                   "cannot read document %u of the hit store: %s",
                   (unsigned)docid, err ? strerror(err) : "file too short");
  }
  v[len] = '\0';
  *ret_value = v;
  if (ret_len)
    *ret_len = (size_t)len;
  return KB_OK;
}
