/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-yaml.c - kb_yaml_parse on arbitrary bytes, with the limits
 * article.c uses for front matter.
 *
 * Checked promises (kb_yaml.h): the status is KB_OK, KB_ERR_PARSE,
 * KB_ERR_LIMIT or KB_ERR_NOMEM; a failure comes with a message and
 * leaves *ret_root alone; a tree honours every limit (depth, node count,
 * scalar length), scalars are NUL-terminated strings of their stated
 * length without inner NULs, mappings hold key/value pairs with unique
 * text keys, and line numbers start at `first_line`.
 *
 * Depends on kb_yaml.
 */
#include <string.h>

#include "fuzz.h"
#include "kb_yaml.h"

/* Keep in step with front_limits in src/article.c. */
static const kb_ylimits limits = {
    .max_depth = 3, .max_nodes = 2000, .max_scalar = 4096};
enum { FIRST_LINE = 2 };

/* Checks `node` at `depth` (root = 1); returns the number of nodes. */
static size_t check_node(const kb_ynode *node, unsigned depth) {
  FUZZ_CHECK(node != NULL);
  FUZZ_CHECK(depth <= limits.max_depth);
  FUZZ_CHECK(node->line >= FIRST_LINE);
  size_t count = 1;
  switch (node->type) {
  case KB_Y_SCALAR:
    FUZZ_CHECK(node->value != NULL);
    FUZZ_CHECK(node->len <= limits.max_scalar);
    FUZZ_CHECK(strlen(node->value) == node->len);
    FUZZ_CHECK(node->n == 0);
    break;
  case KB_Y_MAP:
    FUZZ_CHECK(node->n % 2 == 0);
    for (size_t i = 0; i < node->n; i += 2) {
      const kb_ynode *key = node->items[i];
      FUZZ_CHECK(key != NULL && key->type == KB_Y_SCALAR);
      for (size_t k = 0; k < i; k += 2)
        FUZZ_CHECK(strcmp(node->items[k]->value, key->value) != 0);
      /* The lookup finds each key's own value. */
      FUZZ_CHECK(kb_ymap_get(node, key->value) == node->items[i + 1]);
    }
    break;
  case KB_Y_SEQ:
    break;
  default:
    FUZZ_CHECK(!"unknown node type");
  }
  if (node->type != KB_Y_SCALAR) {
    FUZZ_CHECK(node->value == NULL);
    FUZZ_CHECK(node->n == 0 || node->items != NULL);
    for (size_t i = 0; i < node->n; i++)
      count += check_node(node->items[i], depth + 1);
  }
  return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* Tells "left alone" from "set to NULL" on failure. */
  static kb_ynode untouched;
  kb_ynode *const sentinel = &untouched;
  kb_ynode *root = sentinel;
  unsigned line = 0;
  char *msg = NULL;
  kb_status st = kb_yaml_parse((const char *)data, size, FIRST_LINE, &limits,
                               &root, &line, &msg);
  switch (st) {
  case KB_OK:
    FUZZ_CHECK(msg == NULL);
    FUZZ_CHECK(root != sentinel);
    if (root) {
      FUZZ_CHECK(check_node(root, 1) <= limits.max_nodes);
      /* Lookups of absent keys and on non-maps are NULL, not a crash. */
      FUZZ_CHECK(kb_ymap_get(root, "\x01 no such key") == NULL);
      if (root->type != KB_Y_MAP)
        FUZZ_CHECK(kb_ymap_get(root, "id") == NULL);
    }
    kb_ynode_free(root);
    break;
  case KB_ERR_PARSE:
  case KB_ERR_LIMIT:
    FUZZ_CHECK(root == sentinel);
    FUZZ_CHECK(msg != NULL && *msg != '\0');
    FUZZ_CHECK(line >= FIRST_LINE);
    break;
  case KB_ERR_NOMEM:
    FUZZ_CHECK(root == sentinel);
    break;
  default:
    FUZZ_CHECK(!"unexpected status");
  }
  free(msg);
  /* NULL is accepted wherever a tree is. */
  kb_ynode_free(NULL);
  FUZZ_CHECK(kb_ymap_get(NULL, "id") == NULL);
  return 0;
}
