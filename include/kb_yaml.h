/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_yaml.h - a small, bounded YAML document tree with line numbers.
 *
 * libyaml's event stream turned into nodes (scalar, sequence, mapping)
 * that remember the line they start on, so every later check can say
 * `file:line: ...`.  Hostile input is bounded: nesting depth, node count
 * and scalar length have caps, and aliases are refused (no "billion
 * laughs").  All scalars stay strings: the article format decides what a
 * value means, not YAML 1.1's guesses about booleans and dates.
 *
 * Depends on kb_status.h and libyaml.
 */
#ifndef KB_YAML_H
#define KB_YAML_H

#include <stddef.h>

#include "kb_status.h"

typedef enum kb_ytype { KB_Y_SCALAR, KB_Y_SEQ, KB_Y_MAP } kb_ytype;

typedef struct kb_ynode kb_ynode;
struct kb_ynode {
  kb_ytype type;
  unsigned line;    /* 1-based line of the node's start */
  char *value;      /* SCALAR: the text (NUL-terminated, owned) */
  size_t len;       /* SCALAR: its length */
  kb_ynode **items; /* SEQ: elements; MAP: key, value, key, value ... */
  size_t n;         /* number of entries in items */
};

typedef struct kb_ylimits {
  unsigned max_depth; /* e.g. 3 */
  size_t max_nodes;   /* e.g. 10000 */
  size_t max_scalar;  /* bytes, e.g. 64 KiB */
} kb_ylimits;

/* Parses one YAML document from `text` (`len` bytes).  `first_line` is
 * added to every line number (for front matter that starts below line 1).
 * On success *ret_root is owned (kb_ynode_free); an empty document gives
 * *ret_root = NULL and KB_OK.  On failure returns KB_ERR_PARSE or
 * KB_ERR_LIMIT, stores the offending line in *ret_line (when non-NULL)
 * and a message in *reterr_msg. */
kb_status kb_yaml_parse(const char *text, size_t len, unsigned first_line,
                        const kb_ylimits *limits, kb_ynode **ret_root,
                        unsigned *ret_line, char **reterr_msg);

void kb_ynode_free(kb_ynode *node);

/* For a MAP: the value for `key`, or NULL. */
const kb_ynode *kb_ymap_get(const kb_ynode *map, const char *key);

#endif
