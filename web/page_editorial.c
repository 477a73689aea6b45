/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_editorial.c - /redaktion, the read-only editorial report.
 *
 * Served only with --editorial.  The same numbers as `teilhabe stats`,
 * as tables and an inline SVG bar chart (no script, no external asset);
 * the chart repeats what the table says, so nothing is told by graphics
 * or colour alone.
 *
 * Counting reads every record (seconds at 50,000), so the report is kept
 * in the shared cache (cache.h) under the index version, the day and the
 * zero-result log's size and time: built once, by one thread at a time,
 * until one of them changes.  Its lists are cut at LIST_MAX entries, so
 * the page fits a reply at any size of the corpus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cache.h"
#include "html.h"
#include "kb_escape.h"
#include "kb_stats.h"
#include "kb_text.h"
#include "pages.h"

/* Most records listed per list; `teilhabe stats` lists all. */
#define LIST_MAX 200

/* A horizontal bar chart of one vocabulary's counts. */
static void bar_chart(kb_buf *b, const kb_stats_count *v, size_t n,
                      const char *title, int id) {
  size_t max = 1;
  for (size_t i = 0; i < n; i++)
    if (v[i].count > max)
      max = v[i].count;
  const int row = 26, label_w = 300, bar_w = 320;
  kb_buf_addf(b,
              "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart%d\" "
              "viewBox=\"0 0 %d %zu\" width=\"100%%\" "
              "preserveAspectRatio=\"xMinYMin meet\">\n<title "
              "id=\"chart%d\">",
              id, label_w + bar_w + 60, n * (size_t)row + 4, id);
  html_text(b, title);
  kb_buf_adds(b, " (Balkendiagramm, Zahlen in der Tabelle)</title>\n");
  for (size_t i = 0; i < n; i++) {
    size_t y = i * (size_t)row;
    size_t w = v[i].count * (size_t)bar_w / max;
    kb_buf_addf(b,
                "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\" "
                "font-size=\"14\" fill=\"#1b1b1b\">",
                label_w - 8, y + 18);
    html_text(b, v[i].label);
    kb_buf_addf(b,
                "</text><rect x=\"%d\" y=\"%zu\" width=\"%zu\" height=\"18\" "
                "fill=\"#0b4f8a\"/><text x=\"%zu\" y=\"%zu\" font-size=\"14\" "
                "fill=\"#1b1b1b\">%zu</text>\n",
                label_w, y + 4, w, label_w + w + 6, y + 18, v[i].count);
  }
  kb_buf_adds(b, "</svg>\n");
}

static void count_table(kb_buf *b, const kb_stats_count *v, size_t n,
                        const char *caption, const char *facet) {
  kb_buf_adds(b, "<table>\n<caption>");
  html_text(b, caption);
  kb_buf_adds(b, "</caption>\n<thead><tr><th scope=\"col\">Wert</th><th "
                 "scope=\"col\">Einträge</th></tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < n; i++) {
    kb_buf_addf(b, "<tr><th scope=\"row\"><a href=\"/suche?%s=", facet);
    kb_url_encodes(b, v[i].key);
    kb_buf_adds(b, "\">");
    html_text(b, v[i].label);
    kb_buf_addf(b, "</a></th><td>%zu%s</td></tr>\n", v[i].count,
                v[i].count ? "" : " (ohne Eintrag)");
  }
  kb_buf_adds(b, "</tbody>\n</table>\n");
}

static void article_list(kb_buf *b, const kb_stats_article *v, size_t n,
                         const char *empty) {
  if (n == 0) {
    kb_buf_adds(b, "<p>");
    html_text(b, empty);
    kb_buf_adds(b, "</p>\n");
    return;
  }
  kb_buf_adds(b, "<ul>\n");
  for (size_t i = 0; i < n && i < LIST_MAX; i++) {
    kb_buf_adds(b, "<li><a href=\"/");
    kb_url_encodes(b, v[i].kind);
    kb_buf_addc(b, '/');
    kb_url_encodes(b, v[i].id);
    kb_buf_adds(b, "\">");
    html_text(b, v[i].title);
    kb_buf_adds(b, "</a> – Stand ");
    html_date(b, v[i].updated);
    kb_buf_adds(b, "</li>\n");
  }
  kb_buf_adds(b, "</ul>\n");
  if (n > LIST_MAX)
    kb_buf_addf(b,
                "<p>… und %zu weitere; <code>teilhabe stats</code> nennt "
                "alle.</p>\n",
                n - LIST_MAX);
}

/* One section per facet with a fixed list of values (the kinds first):
 * chart and table of its counts. */
static void facet_sections(kb_buf *b, const kb_stats *s) {
  kb_buf head = KB_BUF_INIT(256);
  for (size_t f = 0; f < s->nfacets; f++) {
    if (s->per[f] == NULL)
      continue;
    kb_buf_reset(&head);
    kb_buf_addf(&head, "Einträge nach %s", s->facet_labels[f]);
    html_f(b,
           "<section aria-labelledby=\"h-s%zu\">\n<h2 id=\"h-s%zu\">%s"
           "</h2>\n",
           f, f, kb_buf_str(&head));
    bar_chart(b, s->per[f], s->nper[f], kb_buf_str(&head), (int)f);
    count_table(b, s->per[f], s->nper[f], kb_buf_str(&head), s->facet_names[f]);
    kb_buf_adds(b, "</section>\n");
  }
  kb_buf_release(&head);
}

/* How old the articles' Stand is, in four bands. */
static void age_section(kb_buf *b, const kb_stats *s) {
  kb_buf_addf(b,
              "<section aria-labelledby=\"h-age\">\n<h2 id=\"h-age\">Alter "
              "des Stands</h2>\n<table>\n<caption>Artikel nach Alter des "
              "Stands</caption>\n<tbody>\n"
              "<tr><th scope=\"row\">unter 6 Monaten</th><td>%zu</td></tr>\n"
              "<tr><th scope=\"row\">6 bis 12 Monate</th><td>%zu</td></tr>\n"
              "<tr><th scope=\"row\">12 bis 24 Monate</th><td>%zu</td></tr>\n"
              "<tr><th scope=\"row\">älter</th><td>%zu</td></tr>\n"
              "</tbody>\n</table>\n</section>\n",
              s->age[KB_AGE_6M], s->age[KB_AGE_12M], s->age[KB_AGE_24M],
              s->age[KB_AGE_OLDER]);
}

/* What the editors should look at: stale and unlinked articles. */
static void todo_sections(kb_buf *b, const kb_stats *s) {
  kb_buf_adds(b, "<section aria-labelledby=\"h-stale\">\n<h2 id=\"h-stale\">"
                 "Zu prüfen: Stand älter als die Frist ihrer Art</h2>\n"
                 "<p>Die Fristen stehen je Art in <code>schema.yaml</code> "
                 "(<code>stale</code>).</p>\n");
  article_list(b, s->stale, s->nstale, "Keine – alle sind aktuell.");
  kb_buf_adds(b, "</section>\n<section aria-labelledby=\"h-isl\">\n<h2 "
                 "id=\"h-isl\">Einträge ohne Verknüpfung</h2>\n");
  article_list(b, s->islands, s->nislands, "Keine.");
  kb_buf_adds(b, "</section>\n");
}

/* The counted queries as list items; closes the list and its section. */
static void query_items(kb_buf *b, const kb_stats_query *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    html_f(b, "<li>%s (%zu)</li>\n", v[i].query, v[i].count);
  kb_buf_adds(b, "</ol>\n</section>\n");
}

/* The queries that found nothing or little (only with --log-zero-results). */
static void zero_section(kb_buf *b, const kb_stats *s) {
  kb_buf_addf(b,
              "<section aria-labelledby=\"h-zero\">\n<h2 id=\"h-zero\">"
              "Suchen ohne Treffer</h2>\n<p>%zu Suchen ohne Treffer "
              "wurden gezählt (nur Suchtext und Tag, keine Angaben zu "
              "Personen).</p>\n<ol>\n",
              s->zero_total);
  query_items(b, s->zero, s->nzero);
  if (s->low_total == 0)
    return;
  html_f(b,
         "<section aria-labelledby=\"h-low\">\n<h2 id=\"h-low\">Suchen mit "
         "nur ein oder zwei Treffern</h2>\n<p>%zu solche Suchen: Hier fehlen "
         "oft ein Artikel oder ein Alltagswort in <code>laien.yaml</code>."
         "</p>\n<ol>\n",
         s->low_total);
  query_items(b, s->low, s->nlow);
}

/* Builds the report into rep->body; false after an error page. */
static bool build_report(const server_config *cfg, reply *rep) {
  kb_stats *s = NULL;
  char *err = NULL;
  if (kb_stats_from_index(cfg->db, NULL, &s, &err) != KB_OK) {
    free(err);
    page_error(rep, MHD_HTTP_SERVICE_UNAVAILABLE, "Redaktionsbericht",
               "Der Bericht kann gerade nicht erstellt werden.");
    return false;
  }
  if (cfg->zero_log_path)
    kb_stats_read_zero_log(s, cfg->zero_log_path, 25, NULL);
  kb_buf *b = rep->body;
  html_begin(b, "Redaktionsbericht", "", false);
  kb_buf_adds(b, "<h1>Redaktionsbericht</h1>\n<p class=\"lead\">Stand der "
                 "Sammlung am ");
  html_date(b, s->today);
  kb_buf_addf(b, ": %zu Artikel.</p>\n", s->total);
  facet_sections(b, s);
  age_section(b, s);
  todo_sections(b, s);
  if (cfg->zero_log_path)
    zero_section(b, s);
  html_end(b);
  kb_stats_free(s);
  return true;
}

/* What the report depends on, as a cache key; false if the index
 * version cannot be read (then nothing is cached). */
static bool report_key(kb_searcher *s, const server_config *cfg, char *key,
                       size_t cap) {
  char ver[CACHE_KEY_MAX / 2], today[11];
  if (!kb_searcher_version(s, ver, sizeof ver))
    return false;
  kb_date_today(today);
  struct stat st = {0};
  if (cfg->zero_log_path)
    stat(cfg->zero_log_path, &st);
  snprintf(key, cap, "redaktion|%s|%s|%lld.%09ld|%lld", ver, today,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
           (long long)st.st_size);
  return true;
}

void page_editorial(struct MHD_Connection *conn, worker *w,
                    const server_config *cfg, const char *rest, reply *rep) {
  (void)conn, (void)rest;
  rep->cache = "no-store";
  kb_searcher *s = page_searcher(w, cfg, rep);
  char key[CACHE_KEY_MAX];
  if (s == NULL)
    return;
  bool keyed = report_key(s, cfg, key, sizeof key);
  if (keyed && cache_get(key, rep->body))
    return;
  if (!cache_build_lock()) {
    page_error(rep, MHD_HTTP_SERVICE_UNAVAILABLE, "Redaktionsbericht",
               "Der Bericht wird gerade erstellt. Bitte laden Sie die Seite "
               "in einigen Sekunden neu.");
    rep->retry_after = "10";
    return;
  }
  /* Another thread may have built it while this one waited. */
  if (!(keyed && cache_get(key, rep->body)) && build_report(cfg, rep) &&
      keyed && kb_buf_status(rep->body) == KB_OK)
    cache_put(key, kb_buf_str(rep->body), rep->body->len);
  cache_build_unlock();
}
