/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * zerolog.c - the zero-result log, privacy first.
 *
 * Off by default.  With --log-zero-results FILE, a query that found
 * nothing is appended as one line "YYYY-MM-DD<TAB>normalised query", one
 * that found one or two records as "YYYY-MM-DD<TAB>N<TAB>query": the
 * words lower-cased and folded as the index sees them, no IP address, no
 * user agent, no cookie, no time of day.  One write() of a short line to
 * an O_APPEND file is atomic, so worker threads need no lock.
 */
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zerolog.h"

#include "kb_analysis.h"
#include "kb_text.h"

enum { ZERO_LOG_MAX_QUERY = 200 };

int zerolog_open(const char *path) {
  return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

bool zerolog_reopen(const server_config *cfg) {
  if (cfg->zero_log_fd < 0 || cfg->zero_log_path == NULL)
    return false;
  int fd = zerolog_open(cfg->zero_log_path);
  if (fd < 0)
    return false;
  /* dup3 replaces the descriptor atomically: a worker's write() goes
   * wholly to the old file or wholly to the new. */
  bool ok = dup3(fd, cfg->zero_log_fd, O_CLOEXEC) >= 0;
  close(fd);
  return ok;
}

void zerolog_record(const server_config *cfg, kb_searcher *s,
                    const kb_search_result *r) {
  const char *query = r->query;
  uint64_t total = r->total;
  if (cfg->zero_log_fd < 0 || query == NULL || *query == '\0' ||
      total > ZEROLOG_FEW || r->short_wildcard_only)
    return;
  /* The searcher's own analyzer: the words folded exactly as the search
   * folded them, and no second analyzer per thread. */
  kb_analyzer *an = kb_searcher_analyzer(s);
  if (an == NULL)
    return;
  kb_buf key = KB_BUF_INIT(4096);
  if (kb_phrase_key(an, query, strlen(query), &key, NULL) == KB_OK &&
      key.len > 0) {
    char line[ZERO_LOG_MAX_QUERY + 16], *at = line + 11;
    char day[11];
    kb_date_today(day);
    size_t n = key.len < ZERO_LOG_MAX_QUERY ? key.len : ZERO_LOG_MAX_QUERY;
    /* Do not cut a UTF-8 character in half. */
    while (n > 0 && n < key.len && ((unsigned char)key.data[n] & 0xC0) == 0x80)
      n--;
    memcpy(line, day, 10);
    line[10] = '\t';
    if (total > 0) { /* "1<TAB>" or "2<TAB>" */
      *at++ = (char)('0' + total);
      *at++ = '\t';
    }
    memcpy(at, key.data, n);
    at[n] = '\n';
    ssize_t ignored =
        write(cfg->zero_log_fd, line, (size_t)(at - line) + n + 1);
    (void)ignored;
  }
  kb_buf_release(&key);
}
