/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * index_gen.c - the generation folders of an index path P (see
 * kb_index.h): naming, the writers' lock P.gen/.lock, removing what
 * killed runs left behind, copying a generation for an update, checking
 * and stamping a generation and publishing it by renaming the link P.
 *
 * A published generation is never written again.  Its stamp (the file
 * teilhabe.stamp: each file's size and content hash, written after
 * Xapian's check passed) lets a reader prove that what it opens is what
 * was checked, and its in-process stamp (inode, size, mtime) lets it
 * notice cheaply, per request, that a file was changed or removed since.
 *
 * Depends on libc and kb_xapian.h; what goes into a generation is
 * index.c's job.
 */
#include "kb_index.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index_internal.h"
#include "kb_hits.h"
#include "kb_xapian.h"

#define STAMP_FILE "teilhabe.stamp"
#define STAMP_MAGIC "teilhabe-stamp 1"
#define LOCK_FILE ".lock"
#define DAMAGED                                                                \
  "index '%s' does not match what was checked when it was published (%s); "    \
  "run 'teilhabe index' again"

/* How often a waiting writer tries the lock again. */
#define LOCK_POLL_MS 100

struct kb_index_lock {
  int fd;
};

/* ---- paths and folders ----------------------------------------------- */

/* dir/name in `buf`; false (and `buf` cut) if it does not fit.  Callers
 * have checked their folder's length, so names of a directory fit. */
static bool join(char *buf, size_t cap, const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  if (a + 1 + b >= cap) {
    snprintf(buf, cap, "%.*s", (int)(cap - 1), dir);
    return false;
  }
  memcpy(buf, dir, a);
  buf[a] = '/';
  memcpy(buf + a + 1, name, b + 1);
  return true;
}

bool kbi_trim_path(const char *path, char *buf, size_t cap) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/')
    n--;
  if (n == 0 || n >= cap)
    return false;
  memcpy(buf, path, n);
  buf[n] = '\0';
  return true;
}

kb_status kbi_index_path(const char *dbpath, char *buf, size_t cap,
                         char **reterr_msg) {
  if (kbi_trim_path(dbpath, buf, cap))
    return KB_OK;
  return kb_fail(KB_ERR_INVALID, reterr_msg,
                 "index path '%s' is empty or too long; give a folder "
                 "such as data/index",
                 dbpath);
}

kb_status kbi_check_link(const char *dbpath, char **reterr_msg) {
  struct stat sb;
  if (lstat(dbpath, &sb) == 0 && !S_ISLNK(sb.st_mode))
    return kb_fail(KB_ERR_EXISTS, reterr_msg,
                   "'%s' exists and is not an index link made by teilhabe; "
                   "move it away or choose another --db",
                   dbpath);
  return KB_OK;
}

kb_status kbi_mkdir_p(const char *path, char **reterr_msg) {
  char tmp[PATH_MAX];
  size_t n = strlen(path);
  if (n >= sizeof tmp)
    return kb_fail(KB_ERR_INVALID, reterr_msg, "path too long: '%s'", path);
  memcpy(tmp, path, n + 1);
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
      return kb_fail(KB_ERR_IO, reterr_msg, "cannot create '%s': %s", tmp,
                     strerror(errno));
    *p = '/';
  }
  if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
    return kb_fail(KB_ERR_IO, reterr_msg, "cannot create '%s': %s", tmp,
                   strerror(errno));
  return KB_OK;
}

/* Removes the files of `dir` and `dir` itself; with `depth` > 0 also
 * its folders, that many levels down. */
static void remove_tree(const char *dir, int depth) {
  DIR *d = opendir(dir);
  if (d == NULL)
    return;
  struct dirent *e;
  char path[PATH_MAX];
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    struct stat sb;
    if (!join(path, sizeof path, dir, e->d_name))
      continue;
    if (depth > 0 && lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
      remove_tree(path, depth - 1);
    else
      unlink(path);
  }
  closedir(d);
  rmdir(dir);
}

void kbi_gen_remove(const char *dir) {
  /* Flat, or a sharded generation: database folders one level down. */
  remove_tree(dir, 1);
}

/* True for names kbi_gen_name() makes: 20261206T052058.074557162-905. */
static bool is_gen_name(const char *s) {
  for (int i = 0; i < 25; i++) {
    bool digit = s[i] >= '0' && s[i] <= '9';
    if (i == 8 ? s[i] != 'T' : i == 15 ? s[i] != '.' : !digit)
      return false;
  }
  if (s[25] != '-' || s[26] == '\0')
    return false;
  for (const char *p = s + 26; *p; p++)
    if (*p < '0' || *p > '9')
      return false;
  return true;
}

kb_status kbi_gen_name(const char *dbpath, char *gen_dir, size_t gdcap,
                       char *name, size_t ncap, char *gen, size_t gcap,
                       char **reterr_msg) {
  /* P.gen/<UTC time>-<pid>: unique and sortable. */
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
  snprintf(name, ncap, "%s.%09ld-%ld", stamp, ts.tv_nsec, (long)getpid());
  if ((size_t)snprintf(gen_dir, gdcap, "%s.gen", dbpath) >= gdcap ||
      (size_t)snprintf(gen, gcap, "%s/%s", gen_dir, name) >= gcap)
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "index path '%s' is too long for its generation "
                   "folders; choose a shorter --db",
                   dbpath);
  return kbi_mkdir_p(gen_dir, reterr_msg);
}

/* ---- stamps ---------------------------------------------------------- */

/* The files of a generation that make up the database: all but the
 * writers' lock and the stamp itself. */
static bool stamped(const char *name) {
  return name[0] != '.' && strcmp(name, "flintlock") != 0 &&
         strcmp(name, STAMP_FILE) != 0;
}

static int cmp_file(const void *a, const void *b) {
  return strcmp(((const kb_index_stamp_file *)a)->name,
                ((const kb_index_stamp_file *)b)->name);
}

/* each_file() for the folder gen/sub ("" for gen itself), naming files
 * relative to gen; one level of sub-folders. */
static kb_status each_file_in(const char *gen, const char *sub,
                              kb_status (*fn)(const char *path,
                                              const char *name, void *ctx,
                                              char **reterr_msg),
                              void *ctx, char **reterr_msg) {
  char dir[PATH_MAX];
  if (*sub == '\0')
    snprintf(dir, sizeof dir, "%s", gen);
  else if (!join(dir, sizeof dir, gen, sub))
    return kb_fail(KB_ERR_INVALID, reterr_msg, "path too long: '%s'", gen);
  DIR *d = opendir(dir);
  if (d == NULL)
    return kb_fail(KB_ERR_DB_OPENING, reterr_msg, "cannot open '%s': %s", dir,
                   strerror(errno));
  struct dirent *e;
  kb_status st = KB_OK;
  while (st == KB_OK && (e = readdir(d)) != NULL) {
    if (!stamped(e->d_name))
      continue;
    char path[PATH_MAX], name[PATH_MAX];
    if (*sub == '\0')
      snprintf(name, sizeof name, "%s", e->d_name);
    else
      join(name, sizeof name, sub, e->d_name);
    struct stat sb;
    if (!join(path, sizeof path, dir, e->d_name))
      st = kb_fail(KB_ERR_INVALID, reterr_msg, "path too long: '%s'", dir);
    else if (*sub == '\0' && lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
      st = each_file_in(gen, e->d_name, fn, ctx, reterr_msg);
    else
      st = fn(path, name, ctx, reterr_msg);
  }
  closedir(d);
  return st;
}

/* Calls `fn` with the path and name of each database file of `gen`
 * (stamped()) until it fails; the files of a sharded generation's
 * database folders (shard-K, aux) are named "folder/file". */
static kb_status each_file(const char *gen,
                           kb_status (*fn)(const char *path, const char *name,
                                           void *ctx, char **reterr_msg),
                           void *ctx, char **reterr_msg) {
  struct stat sb;
  if (stat(gen, &sb) == 0 && S_ISREG(sb.st_mode))
    return fn(gen, "", ctx, reterr_msg); /* a stub file given as --db */
  return each_file_in(gen, "", fn, ctx, reterr_msg);
}

static kb_status stamp_one(const char *path, const char *name, void *ctx,
                           char **reterr_msg) {
  kb_index_stamp *s = ctx;
  struct stat sb;
  if (s->n == KB_INDEX_STAMP_FILES || strlen(name) >= sizeof s->f[0].name)
    return kb_fail(KB_ERR_DB_CORRUPT, reterr_msg,
                   "'%s' is not a file of an index", path);
  if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
    return kb_fail(KB_ERR_DB_OPENING, reterr_msg, "cannot read '%s'", path);
  kb_index_stamp_file *f = &s->f[s->n++];
  *f = (kb_index_stamp_file){.ino = (unsigned long long)sb.st_ino,
                             .size = (unsigned long long)sb.st_size,
                             .mtime_sec = (long long)sb.st_mtim.tv_sec,
                             .mtime_nsec = (long)sb.st_mtim.tv_nsec};
  memcpy(f->name, name, strlen(name) + 1);
  return KB_OK;
}

kb_status kb_index_stamp_take(const char *gen, kb_index_stamp *ret_stamp,
                              char **reterr_msg) {
  kb_index_stamp s = {0};
  kb_status st = each_file(gen, stamp_one, &s, reterr_msg);
  if (st != KB_OK)
    return st;
  qsort(s.f, s.n, sizeof *s.f, cmp_file);
  *ret_stamp = s;
  return KB_OK;
}

kb_status kb_index_stamp_check(const char *gen, const kb_index_stamp *stamp,
                               char **reterr_msg) {
  for (size_t i = 0; i < stamp->n; i++) {
    const kb_index_stamp_file *f = &stamp->f[i];
    char path[PATH_MAX];
    struct stat sb;
    if (f->name[0] == '\0')
      snprintf(path, sizeof path, "%s", gen);
    else
      join(path, sizeof path, gen, f->name);
    if (stat(path, &sb) != 0 || (unsigned long long)sb.st_ino != f->ino)
      return kb_fail(KB_ERR_DB_OPENING, reterr_msg,
                     "index file '%s' was removed or replaced", path);
    if ((unsigned long long)sb.st_size != f->size ||
        (long long)sb.st_mtim.tv_sec != f->mtime_sec ||
        (long)sb.st_mtim.tv_nsec != f->mtime_nsec)
      return kb_fail(KB_ERR_DB_CORRUPT, reterr_msg,
                     "index file '%s' was changed after it was published; "
                     "run 'teilhabe index' to publish a new index",
                     path);
  }
  return KB_OK;
}

/* A 64-bit hash of the whole file, eight bytes at a step (it finds
 * damage, it does not resist an attacker); false if it cannot be read. */
static bool hash_file(const char *path, uint64_t *ret) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  uint64_t h = 14695981039346656037ull;
  uint64_t buf[8192];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    size_t words = (size_t)n / 8, rest = (size_t)n % 8;
    for (size_t i = 0; i < words; i++) {
      h = (h ^ buf[i]) * 0x9e3779b97f4a7c15ull;
      h ^= h >> 29;
    }
    const unsigned char *tail = (const unsigned char *)(buf + words);
    for (size_t i = 0; i < rest; i++)
      h = (h ^ tail[i]) * 1099511628211ull;
  }
  close(fd);
  *ret = h;
  return n == 0;
}

/* Writes `data` to `path` durably (a new file, fsync'd). */
static kb_status write_synced(const char *path, const char *data, size_t len,
                              char **reterr_msg) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool ok = fd >= 0 && write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
  int err = errno;
  if (fd >= 0)
    close(fd);
  if (!ok)
    return kb_fail(KB_ERR_IO, reterr_msg, "cannot write '%s': %s", path,
                   strerror(err));
  return KB_OK;
}

/* Writes the stamp of the finished generation `gen`: each file's size
 * and content hash. */
static kb_status stamp_write(const char *gen, char **reterr_msg) {
  kb_index_stamp s;
  kb_status st = kb_index_stamp_take(gen, &s, reterr_msg);
  if (st != KB_OK)
    return st;
  char text[64 * (KB_INDEX_STAMP_FILES + 1)];
  size_t len = (size_t)snprintf(text, sizeof text, "%s\n", STAMP_MAGIC);
  for (size_t i = 0; i < s.n; i++) {
    char path[PATH_MAX];
    uint64_t h;
    join(path, sizeof path, gen, s.f[i].name);
    if (!hash_file(path, &h))
      return kb_fail(KB_ERR_IO, reterr_msg, "cannot read '%s'", path);
    len += (size_t)snprintf(text + len, sizeof text - len, "%s %llu %016llx\n",
                            s.f[i].name, s.f[i].size, (unsigned long long)h);
  }
  char path[PATH_MAX];
  join(path, sizeof path, gen, STAMP_FILE);
  return write_synced(path, text, len, reterr_msg);
}

kb_status kb_index_stamp_verify(const char *gen, char **reterr_msg) {
  char path[PATH_MAX], text[64 * (KB_INDEX_STAMP_FILES + 1)];
  join(path, sizeof path, gen, STAMP_FILE);
  FILE *f = fopen(path, "re");
  if (f == NULL)
    return KB_OK; /* an index from before stamps, or not one of ours */
  size_t len = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[len] = '\0';
  if (strncmp(text, STAMP_MAGIC "\n", strlen(STAMP_MAGIC) + 1) != 0)
    return kb_fail(KB_ERR_DB_CORRUPT, reterr_msg, DAMAGED, gen,
                   "its stamp is unreadable");
  size_t files = 0;
  for (char *line = text + strlen(STAMP_MAGIC) + 1; *line;) {
    char *nl = strchr(line, '\n');
    char name[32], file[PATH_MAX];
    unsigned long long size, hash;
    uint64_t have;
    struct stat sb;
    if (nl == NULL || sscanf(line, "%31s %llu %llx", name, &size, &hash) != 3)
      return kb_fail(KB_ERR_DB_CORRUPT, reterr_msg, DAMAGED, gen,
                     "its stamp is unreadable");
    join(file, sizeof file, gen, name);
    if (stat(file, &sb) != 0 || (unsigned long long)sb.st_size != size)
      return kb_fail(KB_ERR_DB_CORRUPT, reterr_msg, DAMAGED, gen,
                     "a file is missing or has another size");
    if (!hash_file(file, &have) || have != hash)
      return kb_fail(KB_ERR_DB_CORRUPT, reterr_msg, DAMAGED, gen,
                     "a file's content changed");
    files++;
    line = nl + 1;
  }
  kb_index_stamp now;
  kb_status st = kb_index_stamp_take(gen, &now, reterr_msg);
  if (st == KB_OK && now.n != files)
    st = kb_fail(KB_ERR_DB_CORRUPT, reterr_msg, DAMAGED, gen,
                 "it holds other files");
  return st;
}

/* ---- copying, publishing --------------------------------------------- */

static kb_status copy_file(const char *from, const char *to,
                           char **reterr_msg) {
  int in = open(from, O_RDONLY | O_CLOEXEC);
  int out =
      in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  bool ok = out >= 0;
  char buf[65536];
  ssize_t n = 0;
  while (ok && (n = read(in, buf, sizeof buf)) > 0)
    ok = write(out, buf, (size_t)n) == n;
  ok = ok && n == 0 && fsync(out) == 0;
  int err = errno;
  if (in >= 0)
    close(in);
  if (out >= 0)
    close(out);
  if (!ok)
    return kb_fail(KB_ERR_IO, reterr_msg, "cannot copy '%s' to '%s': %s", from,
                   to, strerror(err));
  return KB_OK;
}

static kb_status copy_one(const char *path, const char *name, void *ctx,
                          char **reterr_msg) {
  char to[PATH_MAX];
  if (strcmp(name, KB_HITS_FILE) == 0)
    return KB_OK; /* made again from the copy when it is published */
  if (!join(to, sizeof to, ctx, name))
    return kb_fail(KB_ERR_INVALID, reterr_msg, "path too long: '%s'",
                   (const char *)ctx);
  /* A file of a database folder (shard-K/...): make the folder first. */
  char *slash = strrchr(to, '/');
  if (strchr(name, '/') != NULL && slash != NULL) {
    *slash = '\0';
    int made = mkdir(to, 0755);
    int err = errno;
    *slash = '/';
    if (made != 0 && err != EEXIST)
      return kb_fail(KB_ERR_IO, reterr_msg,
                     "cannot create a folder for '%s': %s", to, strerror(err));
  }
  return copy_file(path, to, reterr_msg);
}

kb_status kbi_gen_copy(const char *from, const char *to, char **reterr_msg) {
  if (mkdir(to, 0755) != 0)
    return kb_fail(KB_ERR_IO, reterr_msg, "cannot create '%s': %s", to,
                   strerror(errno));
  return each_file(from, copy_one, (void *)to, reterr_msg);
}

/* Keeps `keep1` and `keep2` (names inside gen_dir), removes the rest. */
static void prune(const char *gen_dir, const char *keep1, const char *keep2) {
  DIR *d = opendir(gen_dir);
  if (d == NULL)
    return;
  struct dirent *e;
  char path[PATH_MAX];
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || (keep1 && strcmp(e->d_name, keep1) == 0) ||
        (keep2 && strcmp(e->d_name, keep2) == 0))
      continue;
    join(path, sizeof path, gen_dir, e->d_name);
    kbi_gen_remove(path);
  }
  closedir(d);
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static void sync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

/* Xapian's check of the generation `gen`: the database it is, or for a
 * sharded one (KB_SHARD_STUB inside) each database folder in it. */
static kb_status check_generation(const char *gen, char **reterr_msg) {
  char path[PATH_MAX];
  struct stat sb;
  if (!join(path, sizeof path, gen, KB_SHARD_STUB) || stat(path, &sb) != 0)
    return kbx_db_check(gen, reterr_msg);
  DIR *d = opendir(gen);
  if (d == NULL)
    return kb_fail(KB_ERR_IO, reterr_msg, "cannot open '%s': %s", gen,
                   strerror(errno));
  kb_status st = KB_OK;
  struct dirent *e;
  while (st == KB_OK && (e = readdir(d)) != NULL)
    if (e->d_name[0] != '.' && join(path, sizeof path, gen, e->d_name) &&
        lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
      st = kbx_db_check(path, reterr_msg);
  closedir(d);
  return st;
}

/* Writing the hit store (kb_hits_write) on a thread of its own. */
typedef struct hits_job {
  const char *gen;
  pthread_t thread;
  kb_status st;
  char *err;
} hits_job;

static void *write_hits(void *arg) {
  hits_job *job = arg;
  job->st = kb_hits_write(job->gen, &job->err);
  return NULL;
}

kb_status kbi_gen_publish(const char *dbpath, const char *gen_dir,
                          const char *name, const char *old,
                          char **reterr_msg) {
  char gen[PATH_MAX], target[PATH_MAX], link_tmp[PATH_MAX];
  if ((size_t)snprintf(gen, sizeof gen, "%s/%s", gen_dir, name) >= sizeof gen ||
      (size_t)snprintf(target, sizeof target, "%s.gen/%s", base_name(dbpath),
                       name) >= sizeof target ||
      (size_t)snprintf(link_tmp, sizeof link_tmp, "%s.tmp-%ld", dbpath,
                       (long)getpid()) >= sizeof link_tmp)
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "index path '%s' is too long for its generation "
                   "folders; choose a shorter --db",
                   dbpath);
  /* Nothing that fails Xapian's own check is ever published.  The hit
   * store is made from the database meanwhile, on another thread. */
  hits_job job = {.gen = gen};
  bool apart = pthread_create(&job.thread, NULL, write_hits, &job) == 0;
  if (!apart)
    write_hits(&job);
  kb_status st = check_generation(gen, reterr_msg);
  if (apart)
    pthread_join(job.thread, NULL);
  if (st == KB_OK && job.st != KB_OK && reterr_msg) {
    *reterr_msg = job.err;
    job.err = NULL;
  }
  if (st == KB_OK)
    st = job.st;
  free(job.err);
  if (st == KB_OK)
    st = stamp_write(gen, reterr_msg);
  if (st != KB_OK)
    return st;
  sync_dir(gen);
  unlink(link_tmp);
  if (symlink(target, link_tmp) != 0)
    return kb_fail(KB_ERR_IO, reterr_msg, "cannot create link '%s': %s",
                   link_tmp, strerror(errno));
  if (rename(link_tmp, dbpath) != 0) {
    int err = errno;
    unlink(link_tmp);
    return kb_fail(KB_ERR_IO, reterr_msg, "cannot publish index '%s': %s",
                   dbpath, strerror(err));
  }
  prune(gen_dir, name, old ? base_name(old) : NULL);
  return KB_OK;
}

/* ---- the writers' lock ----------------------------------------------- */

/* Removes what killed runs left: every generation but the published one
 * and the newest before it (a server may still read that one), and the
 * link's temporary names.  Generation names sort by creation time, so
 * one newer than the published one was never published.  Only runs
 * holding the lock create generations, so none of them is being built.
 * Returns how many generations were removed. */
static size_t clean_leftovers(const char *dbpath, const char *gen_dir) {
  char *cur = NULL;
  const char *published = NULL;
  if (kb_index_current(dbpath, &cur, NULL) == KB_OK)
    published = base_name(cur);
  char previous[NAME_MAX + 1] = "";
  size_t removed = 0;
  DIR *d = opendir(gen_dir);
  struct dirent *e;
  while (d && published && (e = readdir(d)) != NULL)
    if (is_gen_name(e->d_name) && strcmp(e->d_name, published) < 0 &&
        strcmp(e->d_name, previous) > 0)
      snprintf(previous, sizeof previous, "%s", e->d_name);
  if (d)
    rewinddir(d);
  while (d && (e = readdir(d)) != NULL) {
    if (!is_gen_name(e->d_name) ||
        (published && strcmp(e->d_name, published) == 0) ||
        strcmp(e->d_name, previous) == 0)
      continue;
    char path[PATH_MAX];
    join(path, sizeof path, gen_dir, e->d_name);
    kbi_gen_remove(path);
    removed++;
  }
  if (d)
    closedir(d);
  /* P.tmp-<pid>: a link made but not yet renamed over P. */
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s", dbpath);
  char *slash = strrchr(dir, '/');
  const char *stem = slash ? slash + 1 : dbpath;
  if (slash)
    *slash = '\0';
  else
    snprintf(dir, sizeof dir, ".");
  char prefix[PATH_MAX];
  if ((size_t)snprintf(prefix, sizeof prefix, "%s.tmp-", stem) >= sizeof prefix)
    prefix[0] = '\0';
  d = prefix[0] ? opendir(dir) : NULL;
  while (d && (e = readdir(d)) != NULL)
    if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
      char path[PATH_MAX];
      join(path, sizeof path, dir, e->d_name);
      unlink(path);
    }
  if (d)
    closedir(d);
  free(cur);
  return removed;
}

kb_status kb_index_lock_take(const char *dbpath_in, unsigned wait_ms,
                             kb_index_lock **ret_lock, size_t *ret_removed,
                             char **reterr_msg) {
  char dbpath[PATH_MAX], gen_dir[PATH_MAX], path[PATH_MAX];
  kb_status st = kbi_index_path(dbpath_in, dbpath, sizeof dbpath, reterr_msg);
  if (st != KB_OK)
    return st;
  if ((size_t)snprintf(gen_dir, sizeof gen_dir, "%s.gen", dbpath) >=
          sizeof gen_dir ||
      !join(path, sizeof path, gen_dir, LOCK_FILE))
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "index path '%s' is too long for its generation "
                   "folders; choose a shorter --db",
                   dbpath);
  st = kbi_mkdir_p(gen_dir, reterr_msg);
  if (st != KB_OK)
    return st;
  kb_index_lock *lock = malloc(sizeof *lock);
  if (lock == NULL)
    return KB_ERR_NOMEM;
  lock->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock->fd < 0) {
    st = kb_fail(KB_ERR_IO, reterr_msg, "cannot open lock file '%s': %s", path,
                 strerror(errno));
    free(lock);
    return st;
  }
  for (unsigned waited = 0;; waited += LOCK_POLL_MS) {
    if (flock(lock->fd, LOCK_EX | LOCK_NB) == 0)
      break;
    if (errno != EWOULDBLOCK || waited >= wait_ms) {
      st = errno == EWOULDBLOCK
               ? kb_fail(KB_ERR_DB_LOCKED, reterr_msg,
                         "another 'teilhabe index' is writing '%s'; try "
                         "again when it is done",
                         dbpath)
               : kb_fail(KB_ERR_IO, reterr_msg, "cannot lock '%s': %s", path,
                         strerror(errno));
      kb_index_lock_release(lock);
      return st;
    }
    nanosleep(&(struct timespec){.tv_nsec = LOCK_POLL_MS * 1000000L}, NULL);
  }
  size_t removed = clean_leftovers(dbpath, gen_dir);
  if (ret_removed)
    *ret_removed = removed;
  *ret_lock = lock;
  return KB_OK;
}

void kb_index_lock_release(kb_index_lock *lock) {
  if (lock == NULL)
    return;
  if (lock->fd >= 0)
    close(lock->fd); /* closing drops the flock */
  free(lock);
}
