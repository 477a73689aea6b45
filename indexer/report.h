/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - printing corpus diagnostics for people and for tools.
 */
#ifndef TEILHABE_REPORT_H
#define TEILHABE_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "kb_diag.h"

/* `path:line: error: message [code]`, the compiler convention editors
 * jump to; warnings only when `warnings` is set. */
void report_text(FILE *out, const kb_diags *d, bool warnings);

/* One JSON document: {"errors": N, "warnings": N, "problems": [...]}. */
void report_json(FILE *out, const kb_diags *d);

/* The closing line "91 articles, 1 error, 2 warnings" (the article
 * count only when `counted`), in correct singular and plural. */
void report_summary(FILE *out, size_t articles, bool counted,
                    const kb_diags *d);

#endif
