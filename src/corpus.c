/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * corpus.c - loading and cross-checking a corpus folder (kb_corpus.h).
 */
#include "kb_corpus.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct walk {
  kb_strv paths;
  kb_diags *diags;
  bool too_many;
} walk;

static bool ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

static kb_status walk_dir(walk *w, const char *dir, unsigned depth) {
  if (depth > KB_CORPUS_MAX_DEPTH) {
    kb_diags_add(w->diags, KB_SEV_WARNING, dir, 0, "depth",
                 "folder is nested more than %d levels deep; skipped",
                 KB_CORPUS_MAX_DEPTH);
    return KB_OK;
  }
  DIR *d = opendir(dir);
  if (d == NULL) {
    kb_diags_add(w->diags, KB_SEV_ERROR, dir, 0, "io", "cannot read folder: %s",
                 strerror(errno));
    return KB_ERR_IO;
  }
  struct dirent *e;
  kb_status st = KB_OK;
  while ((e = readdir(d)) != NULL && st == KB_OK) {
    if (e->d_name[0] == '.')
      continue; /* ., .., .git and other hidden entries */
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (n < 0 || (size_t)n >= sizeof path)
      continue;
    struct stat sb;
    if (lstat(path, &sb) != 0 || S_ISLNK(sb.st_mode))
      continue; /* links could loop or leave the corpus */
    if (S_ISDIR(sb.st_mode)) {
      st = walk_dir(w, path, depth + 1);
    } else if (S_ISREG(sb.st_mode) && ends_with(e->d_name, ".md") &&
               strcmp(e->d_name, "README.md") != 0) {
      if (w->paths.n >= KB_CORPUS_MAX_FILES) {
        w->too_many = true;
        continue;
      }
      st = kb_strv_push(&w->paths, path);
    }
  }
  closedir(d);
  return st == KB_ERR_IO ? KB_OK : st; /* unreadable subfolders: reported */
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void kb_corpus_free(kb_corpus *c) {
  if (c == NULL)
    return;
  for (size_t i = 0; i < c->n; i++)
    kb_article_free(c->articles[i]);
  free(c->articles);
  kb_vocab_free(c->vocab);
  free(c->dir);
  free(c);
}

const kb_article *kb_corpus_find(const kb_corpus *c, const char *id) {
  for (size_t i = 0; i < c->n; i++)
    if (strcmp(c->articles[i]->id, id) == 0)
      return c->articles[i];
  return NULL;
}

/* Sorted (id, index) pairs for id lookups during the cross checks. */
typedef struct id_ix {
  const char *id;
  size_t ix;
} id_ix;

static int cmp_id(const void *a, const void *b) {
  const id_ix *x = a, *y = b;
  int c = strcmp(x->id, y->id);
  return c ? c : (x->ix > y->ix) - (x->ix < y->ix);
}

static const id_ix *lookup(const id_ix *ids, size_t n, const char *id) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(ids[mid].id, id);
    if (c == 0) {
      while (mid > 0 && strcmp(ids[mid - 1].id, id) == 0)
        mid--;
      return &ids[mid];
    }
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

typedef struct link_ctx {
  const kb_article *a;
  const id_ix *ids;
  const char *const *names; /* every id, for "did you mean" */
  kb_article *const *all;   /* the corpus' records, by index */
  size_t n;
  bool *linked_to;
  size_t *out_links;
  kb_diags *diags;
} link_ctx;

static bool check_link(const char *kind, const char *id, unsigned line,
                       void *p) {
  link_ctx *lc = p;
  const id_ix *hit = lookup(lc->ids, lc->n, id);
  if (hit && strcmp(kb_article_kind(lc->all[hit->ix]), kind) != 0) {
    kb_diags_add(lc->diags, KB_SEV_ERROR, lc->a->path, line, "broken-link",
                 "'%s' is a record of kind '%s'; link it as '/%s/%s'", id,
                 kb_article_kind(lc->all[hit->ix]),
                 kb_article_kind(lc->all[hit->ix]), id);
  } else if (hit == NULL) {
    size_t len = strlen(id);
    const char *hint =
        kb_closest(id, lc->names, lc->n, len < 12 ? 2 : (unsigned)len / 5);
    if (hint)
      kb_diags_add(lc->diags, KB_SEV_ERROR, lc->a->path, line, "broken-link",
                   "link to unknown %s '%s' (did you mean '%s'?)", kind, id,
                   hint);
    else
      kb_diags_add(lc->diags, KB_SEV_ERROR, lc->a->path, line, "broken-link",
                   "link to unknown %s '%s'", kind, id);
  } else {
    lc->linked_to[hit->ix] = true;
    (*lc->out_links)++;
  }
  return true;
}

static void cross_check(kb_corpus *c, kb_diags *diags) {
  id_ix *ids = malloc((c->n ? c->n : 1) * sizeof *ids);
  const char **names = malloc((c->n ? c->n : 1) * sizeof *names);
  bool *linked_to = calloc(c->n ? c->n : 1, sizeof *linked_to);
  size_t *links_out = calloc(c->n ? c->n : 1, sizeof *links_out);
  if (ids == NULL || names == NULL || linked_to == NULL || links_out == NULL) {
    kb_diags_add(diags, KB_SEV_ERROR, c->dir, 0, "nomem", "out of memory");
    goto out;
  }
  for (size_t i = 0; i < c->n; i++) {
    ids[i] = (id_ix){.id = c->articles[i]->id, .ix = i};
    names[i] = c->articles[i]->id;
  }
  if (c->n > 1)
    qsort(ids, c->n, sizeof *ids, cmp_id);
  for (size_t i = 1; i < c->n; i++) {
    if (strcmp(ids[i].id, ids[i - 1].id) == 0) {
      const kb_article *first = c->articles[ids[i - 1].ix];
      const kb_article *dup = c->articles[ids[i].ix];
      kb_diags_add(diags, KB_SEV_ERROR, dup->path, dup->line[KB_FIELD_ID],
                   "duplicate-id", "id '%s' is already used by %s:%u", dup->id,
                   first->path, first->line[KB_FIELD_ID]);
    }
  }
  for (size_t i = 0; i < c->n; i++) {
    const kb_article *a = c->articles[i];
    for (size_t r = 0; r < a->related.n; r++) {
      const id_ix *hit = lookup(ids, c->n, a->related.v[r]);
      if (hit == NULL) {
        kb_diags_add(diags, KB_SEV_ERROR, a->path, a->line[KB_FIELD_RELATED],
                     "dangling-related", "related record '%s' does not exist",
                     a->related.v[r]);
      } else if (hit->ix == i) {
        kb_diags_add(diags, KB_SEV_WARNING, a->path, a->line[KB_FIELD_RELATED],
                     "self-related", "record lists itself in 'related'");
      } else {
        linked_to[hit->ix] = true;
        links_out[i]++;
      }
    }
    link_ctx lc = {.a = a,
                   .ids = ids,
                   .names = names,
                   .all = c->articles,
                   .n = c->n,
                   .linked_to = linked_to,
                   .out_links = &links_out[i],
                   .diags = diags};
    kb_article_each_link(a, check_link, &lc);
    /* The file name should say which article it is. */
    const char *base = strrchr(a->path, '/');
    base = base ? base + 1 : a->path;
    size_t bl = strlen(base);
    if (bl < 3 || strncmp(base, a->id, bl - 3) != 0 || strlen(a->id) != bl - 3)
      kb_diags_add(diags, KB_SEV_WARNING, a->path, a->line[KB_FIELD_ID],
                   "file-name", "file name should be '%s.md' to match the id",
                   a->id);
  }
  for (size_t i = 0; i < c->n && c->n > 1; i++)
    if (!linked_to[i] && links_out[i] == 0)
      kb_diags_add(diags, KB_SEV_WARNING, c->articles[i]->path,
                   c->articles[i]->line[KB_FIELD_RELATED], "island",
                   "no record links here and this record links nowhere; "
                   "add 'related' ids");
out:
  free(ids);
  free(names);
  free(linked_to);
  free(links_out);
}

/* Parsing is independent per file: a few threads share the work.  Each
 * writes only its own slots of `out` and its own diagnostics. */
typedef struct parse_job {
  const kb_strv *paths;
  const kb_vocab *vocab;
  kb_article **out; /* one slot per path, NULL where parsing failed */
  size_t from, to;
  bool drop; /* each body once its article was checked */
  kb_diags diags;
  kb_status st;
} parse_job;

static void *parse_range(void *p) {
  parse_job *job = p;
  for (size_t i = job->from; i < job->to && job->st != KB_ERR_NOMEM; i++) {
    kb_status st = kb_article_load(job->paths->v[i], job->vocab, &job->out[i],
                                   &job->diags);
    if (st == KB_ERR_NOMEM)
      job->st = st;
    if (st == KB_OK && job->drop)
      kb_article_drop_body(job->out[i]);
  }
  return NULL;
}

enum { PARSE_MAX_THREADS = 8, PARSE_MIN_PER_THREAD = 64 };

static kb_status parse_all(const kb_strv *paths, const kb_vocab *vocab,
                           bool drop, kb_article **out, kb_diags *diags) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  size_t threads = cpus > 0 ? (size_t)cpus : 1;
  if (threads > PARSE_MAX_THREADS)
    threads = PARSE_MAX_THREADS;
  if (threads > paths->n / PARSE_MIN_PER_THREAD)
    threads = paths->n / PARSE_MIN_PER_THREAD;
  if (threads == 0)
    threads = 1;
  parse_job jobs[PARSE_MAX_THREADS];
  pthread_t tids[PARSE_MAX_THREADS];
  bool started[PARSE_MAX_THREADS] = {false};
  for (size_t t = 0; t < threads; t++) {
    jobs[t] = (parse_job){.paths = paths,
                          .vocab = vocab,
                          .out = out,
                          .drop = drop,
                          .from = paths->n * t / threads,
                          .to = paths->n * (t + 1) / threads};
    kb_diags_init(&jobs[t].diags);
    /* The first range runs on this thread; a failed start does too. */
    started[t] =
        t > 0 && pthread_create(&tids[t], NULL, parse_range, &jobs[t]) == 0;
  }
  for (size_t t = 0; t < threads; t++)
    if (!started[t])
      parse_range(&jobs[t]);
  kb_status st = KB_OK;
  for (size_t t = 0; t < threads; t++) {
    if (started[t])
      pthread_join(tids[t], NULL);
    if (jobs[t].st != KB_OK)
      st = jobs[t].st;
    if (kb_diags_move(diags, &jobs[t].diags) != KB_OK)
      st = KB_ERR_NOMEM;
    kb_diags_release(&jobs[t].diags);
  }
  return st;
}

static kb_status load(const char *dir, bool drop, kb_corpus **ret_corpus,
                      kb_diags *diags) {
  struct stat sb;
  if (stat(dir, &sb) != 0) {
    kb_diags_add(diags, KB_SEV_ERROR, dir, 0, "io",
                 "corpus folder cannot be read: %s", strerror(errno));
    return KB_ERR_IO;
  }
  if (!S_ISDIR(sb.st_mode)) {
    kb_diags_add(diags, KB_SEV_ERROR, dir, 0, "io",
                 "'%s' is not a folder; give the corpus folder", dir);
    return KB_ERR_IO;
  }
  size_t errors_before = diags->errors;
  kb_corpus *c = calloc(1, sizeof *c);
  if (c == NULL || (c->dir = strdup(dir)) == NULL) {
    free(c);
    return KB_ERR_NOMEM;
  }
  kb_status st = kb_vocab_load(dir, &c->vocab, diags);
  if (st == KB_ERR_NOMEM)
    goto fail;

  walk w = {.diags = diags};
  st = walk_dir(&w, dir, 0);
  if (st == KB_ERR_NOMEM) {
    kb_strv_release(&w.paths);
    goto fail;
  }
  if (w.too_many)
    kb_diags_add(diags, KB_SEV_ERROR, dir, 0, "limit",
                 "more than %d articles; the rest were not read",
                 KB_CORPUS_MAX_FILES);
  if (w.paths.n > 1)
    qsort(w.paths.v, w.paths.n, sizeof *w.paths.v, cmp_str);
  c->articles = calloc(w.paths.n ? w.paths.n : 1, sizeof *c->articles);
  if (c->articles == NULL) {
    kb_strv_release(&w.paths);
    st = KB_ERR_NOMEM;
    goto fail;
  }
  /* Without a vocabulary, articles are still checked for everything
   * else, so one run shows every problem. */
  st = parse_all(&w.paths, c->vocab, drop, c->articles, diags);
  for (size_t i = 0; i < w.paths.n; i++)
    if (c->articles[i])
      c->articles[c->n++] = c->articles[i];
  if (st == KB_ERR_NOMEM) {
    kb_strv_release(&w.paths);
    goto fail;
  }
  kb_strv_release(&w.paths);
  if (c->n == 0 && diags->errors == errors_before)
    kb_diags_add(diags, KB_SEV_ERROR, dir, 0, "empty",
                 "no articles (*.md files) found");
  cross_check(c, diags);
  if (diags->errors > errors_before) {
    kb_corpus_free(c);
    return KB_ERR_PARSE;
  }
  *ret_corpus = c;
  return KB_OK;
fail:
  kb_corpus_free(c);
  return st;
}

kb_status kb_corpus_load(const char *dir, kb_corpus **ret_corpus,
                         kb_diags *diags) {
  return load(dir, false, ret_corpus, diags);
}

kb_status kb_corpus_load_fields(const char *dir, kb_corpus **ret_corpus,
                                kb_diags *diags) {
  return load(dir, true, ret_corpus, diags);
}
