/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * replay.c - runs a fuzz target over saved inputs, without libFuzzer.
 *
 *   replay-<target> DIR|FILE...
 *
 * Every regular file in each directory (in name order, hidden files
 * skipped) and every file named directly is read and handed to
 * LLVMFuzzerTestOneInput once, in a buffer of exactly its size so a
 * sanitizer build sees reads past the end; the empty input runs first,
 * as under libFuzzer.  This is how `meson test --suite fuzz` keeps every
 * seed and every input that once crashed a target passing on every run,
 * on any compiler.  A crash in the target is a crash here; a path that
 * cannot be read, or no input at all, fails the run.
 *
 * Depends only on libc and POSIX (dirent, stat).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Bigger inputs are no seeds; refusing them keeps a stray file from
 * turning the test into a memory test. */
enum { REPLAY_MAX_BYTES = 4 * 1024 * 1024 };

static const char *prog = "replay";

/* Reads `path` whole into an exact-size buffer (owned, free()); the
 * buffer is non-NULL even for an empty file.  Returns false with a
 * message on stderr when it cannot. */
static bool read_file(const char *path, uint8_t **ret_data, size_t *ret_size) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "%s: cannot open '%s': %s\n", prog, path, strerror(errno));
    return false;
  }
  struct stat sb;
  if (fstat(fileno(f), &sb) != 0 || sb.st_size < 0 ||
      sb.st_size > REPLAY_MAX_BYTES) {
    fprintf(stderr, "%s: '%s' is unreadable or larger than %d bytes\n", prog,
            path, REPLAY_MAX_BYTES);
    fclose(f);
    return false;
  }
  size_t size = (size_t)sb.st_size;
  uint8_t *data = malloc(size ? size : 1);
  if (data == NULL) {
    fclose(f);
    fprintf(stderr, "%s: out of memory reading '%s'\n", prog, path);
    return false;
  }
  size_t got = fread(data, 1, size, f);
  bool ok = got == size && !ferror(f);
  fclose(f);
  if (!ok) {
    fprintf(stderr, "%s: read error on '%s'\n", prog, path);
    free(data);
    return false;
  }
  *ret_data = data;
  *ret_size = size;
  return true;
}

static bool run_file(const char *path, size_t *count) {
  uint8_t *data = NULL;
  size_t size = 0;
  if (!read_file(path, &data, &size))
    return false;
  LLVMFuzzerTestOneInput(data, size);
  free(data);
  (*count)++;
  return true;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular, non-hidden file directly in `dir`, sorted by name
 * so a failing run is reproducible. */
static bool run_dir(const char *dir, size_t *count) {
  DIR *d = opendir(dir);
  if (d == NULL) {
    fprintf(stderr, "%s: cannot open '%s': %s\n", prog, dir, strerror(errno));
    return false;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  bool ok = true;
  struct dirent *e;
  while (ok && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (n == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      char **p = realloc(names, ncap * sizeof *p);
      if (p == NULL) {
        ok = false;
        break;
      }
      names = p;
      cap = ncap;
    }
    names[n] = strdup(e->d_name);
    if (names[n] == NULL)
      ok = false;
    else
      n++;
  }
  closedir(d);
  if (!ok)
    fprintf(stderr, "%s: out of memory listing '%s'\n", prog, dir);
  if (n > 1)
    qsort(names, n, sizeof *names, cmp_names);
  for (size_t i = 0; i < n && ok; i++) {
    size_t len = strlen(dir) + strlen(names[i]) + 2;
    char *path = malloc(len);
    if (path == NULL) {
      ok = false;
      break;
    }
    snprintf(path, len, "%s/%s", dir, names[i]);
    struct stat sb;
    if (stat(path, &sb) != 0) {
      fprintf(stderr, "%s: cannot stat '%s': %s\n", prog, path,
              strerror(errno));
      ok = false;
    } else if (S_ISREG(sb.st_mode)) {
      ok = run_file(path, count);
    }
    free(path);
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return ok;
}

int main(int argc, char **argv) {
  if (argc > 0 && argv[0] && *argv[0]) {
    const char *slash = strrchr(argv[0], '/');
    prog = slash ? slash + 1 : argv[0];
  }
  if (argc < 2) {
    fprintf(stderr, "usage: %s DIR|FILE...\n", prog);
    return 2;
  }
  /* libFuzzer always starts with the empty input; so do we. */
  static const uint8_t empty[1] = {0};
  LLVMFuzzerTestOneInput(empty, 0);

  size_t count = 0;
  bool ok = true;
  for (int i = 1; i < argc && ok; i++) {
    struct stat sb;
    if (stat(argv[i], &sb) != 0) {
      fprintf(stderr, "%s: cannot stat '%s': %s\n", prog, argv[i],
              strerror(errno));
      ok = false;
    } else if (S_ISDIR(sb.st_mode)) {
      ok = run_dir(argv[i], &count);
    } else {
      ok = run_file(argv[i], &count);
    }
  }
  if (ok && count == 0) {
    fprintf(stderr, "%s: no inputs found in the given paths\n", prog);
    ok = false;
  }
  printf("%s: %zu inputs ran%s\n", prog, count, ok ? "" : " (FAILED)");
  return ok ? 0 : 1;
}
