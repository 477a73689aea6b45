/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.c - printing diagnostics (see report.h).
 */
#include "report.h"

#include <jansson.h>
#include <stdlib.h>

void report_text(FILE *out, const kb_diags *d, bool warnings) {
  for (size_t i = 0; i < d->n; i++) {
    const kb_diag *g = &d->items[i];
    if (g->severity == KB_SEV_WARNING && !warnings)
      continue;
    const char *sev = g->severity == KB_SEV_ERROR ? "error" : "warning";
    if (g->line)
      fprintf(out, "%s:%u: %s: %s [%s]\n", g->path, g->line, sev, g->message,
              g->code);
    else
      fprintf(out, "%s: %s: %s [%s]\n", g->path, sev, g->message, g->code);
  }
  size_t shown = d->n, counted = d->errors + d->warnings;
  if (counted > shown)
    fprintf(out, "(%zu more problems not shown)\n", counted - shown);
}

void report_json(FILE *out, const kb_diags *d) {
  json_t *arr = json_array();
  for (size_t i = 0; i < d->n; i++) {
    const kb_diag *g = &d->items[i];
    json_array_append_new(
        arr, json_pack("{s:s, s:i, s:s, s:s, s:s}", "path", g->path, "line",
                       (int)g->line, "severity",
                       g->severity == KB_SEV_ERROR ? "error" : "warning",
                       "code", g->code, "message", g->message));
  }
  json_t *root =
      json_pack("{s:I, s:I, s:o}", "errors", (json_int_t)d->errors, "warnings",
                (json_int_t)d->warnings, "problems", arr);
  char *s = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
  if (s)
    fprintf(out, "%s\n", s);
  free(s);
  json_decref(root);
}

/* "1 error", "2 errors". */
static void count(FILE *out, size_t n, const char *one, const char *many) {
  fprintf(out, "%zu %s", n, n == 1 ? one : many);
}

void report_summary(FILE *out, size_t articles, bool counted,
                    const kb_diags *d) {
  if (counted) {
    count(out, articles, "record", "records");
    fputs(", ", out);
  }
  count(out, d->errors, "error", "errors");
  fputs(", ", out);
  count(out, d->warnings, "warning", "warnings");
  fputc('\n', out);
}
