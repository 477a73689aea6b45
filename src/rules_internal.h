/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rules_internal.h - what rules.c and rules_refs.c share.
 */
#ifndef KB_RULES_INTERNAL_H
#define KB_RULES_INTERNAL_H

#include <stdbool.h>

/* True when `f` is a rule field name: [a-z0-9_] parts joined by single
 * dots, at most KB_RULE_FIELD_MAX bytes. */
bool kbi_rule_field_valid(const char *f);

#endif
