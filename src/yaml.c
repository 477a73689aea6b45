/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * yaml.c - libyaml events to a bounded node tree (see kb_yaml.h).
 */
#include "kb_yaml.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct parser_state {
  yaml_parser_t parser;
  const kb_ylimits *lim;
  size_t nodes;
  unsigned first_line;
  unsigned err_line;
  char **reterr_msg;
} parser_state;

void kb_ynode_free(kb_ynode *node) {
  if (node == NULL)
    return;
  for (size_t i = 0; i < node->n; i++)
    kb_ynode_free(node->items[i]);
  free(node->items);
  free(node->value);
  free(node);
}

static kb_ynode *node_new(parser_state *ps, kb_ytype type, unsigned line) {
  if (++ps->nodes > ps->lim->max_nodes)
    return NULL;
  kb_ynode *n = calloc(1, sizeof *n);
  if (n) {
    n->type = type;
    n->line = line;
  }
  return n;
}

static kb_status push(kb_ynode *parent, kb_ynode *child) {
  /* Grow by doubling; n is small in practice, capped by max_nodes. */
  size_t n = parent->n;
  if ((n & (n - 1)) == 0) {
    size_t cap = n ? n * 2 : 4;
    kb_ynode **p = realloc(parent->items, cap * sizeof *p);
    if (p == NULL)
      return KB_ERR_NOMEM;
    parent->items = p;
  }
  parent->items[parent->n++] = child;
  return KB_OK;
}

static unsigned line_of(parser_state *ps, const yaml_event_t *ev) {
  return (unsigned)ev->start_mark.line + ps->first_line;
}

static kb_status fail_at(parser_state *ps, unsigned line, kb_status st,
                         const char *what) {
  ps->err_line = line;
  return kb_fail(st, ps->reterr_msg, "%s", what);
}

static kb_status parse_node(parser_state *ps, yaml_event_t *ev, unsigned depth,
                            kb_ynode **ret);

/* KB_ERR_LIMIT at `line`, naming the limit and its value. */
static kb_status limit_at(parser_state *ps, unsigned line, const char *what,
                          const char *name, size_t max, const char *unit) {
  ps->err_line = line;
  return kb_fail(KB_ERR_LIMIT, ps->reterr_msg,
                 "%s: at most %zu %s are allowed (limit '%s')", what, max, unit,
                 name);
}

/* libyaml's problems in words a librarian understands: what is wrong
 * in the file and how to write it.  Unknown ones pass through. */
static const struct {
  const char *problem; /* libyaml's text, a prefix */
  const char *say;
} plain_words[] = {
    {"mapping values are not allowed",
     "a value containing ': ' must be quoted, like title: \"BEM: ein "
     "\xC3\x9C"
     "berblick\""},
    {"found character that cannot start any token",
     "a value starts with a character YAML reserves (such as `, @, %, a tab "
     "or a second '-'); put the value in quotes and indent with spaces"},
    {"found unknown escape character",
     "a backslash inside \"double quotes\" starts an escape; write \\\\ or "
     "use 'single quotes'"},
    {"did not find expected ',' or ']'",
     "a list like [a, b] is not closed with ']', or an entry containing ',' "
     "or ':' needs quotes"},
    {"did not find expected key",
     "this line is indented differently from the fields above it, or a quote "
     "opened earlier is not closed"},
    {"could not find expected ':'",
     "a field name has no ':' after it, or a quoted value runs over several "
     "lines; close the quote on the same line"},
    {"found unexpected end of stream",
     "the front matter ends inside a value: a quote (\" or ') is not closed"},
    {"block sequence entries are not allowed",
     "a list entry '- x' stands where a value was expected; put the entries "
     "on their own lines below the field"},
    {"found a tab character",
     "a tab is used for indentation; indent with spaces"},
};

static const char *plain(const char *problem) {
  for (size_t i = 0; i < sizeof plain_words / sizeof *plain_words; i++)
    if (strncmp(problem, plain_words[i].problem,
                strlen(plain_words[i].problem)) == 0)
      return plain_words[i].say;
  return problem;
}

/* libyaml's complaint in plain words, with where the unfinished construct
 * began when that is another line. */
static kb_status syntax_error(parser_state *ps) {
  const yaml_parser_t *p = &ps->parser;
  unsigned line = (unsigned)p->problem_mark.line + ps->first_line;
  ps->err_line = line;
  const char *problem = plain(p->problem ? p->problem : "invalid YAML");
  if (p->context) {
    unsigned from = (unsigned)p->context_mark.line + ps->first_line;
    if (from != line)
      return kb_fail(KB_ERR_PARSE, ps->reterr_msg,
                     "%s (the value began on line %u)", problem, from);
  }
  return kb_fail(KB_ERR_PARSE, ps->reterr_msg, "%s", problem);
}

/* Reads events until the end of the current sequence or mapping. */
static kb_status parse_children(parser_state *ps, kb_ynode *parent,
                                yaml_event_type_t end, unsigned depth) {
  for (;;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&ps->parser, &ev))
      return syntax_error(ps);
    if (ev.type == end) {
      yaml_event_delete(&ev);
      return KB_OK;
    }
    kb_ynode *child = NULL;
    kb_status st = parse_node(ps, &ev, depth + 1, &child);
    yaml_event_delete(&ev);
    if (st != KB_OK)
      return st;
    if (parent->type == KB_Y_MAP && parent->n % 2 == 0) {
      /* A key: must be a scalar and unique within the mapping. */
      if (child->type != KB_Y_SCALAR) {
        unsigned line = child->line;
        kb_ynode_free(child);
        return fail_at(ps, line, KB_ERR_PARSE, "a mapping key must be text");
      }
      for (size_t i = 0; i < parent->n; i += 2) {
        if (strcmp(parent->items[i]->value, child->value) == 0) {
          unsigned line = child->line;
          char msg[160];
          snprintf(msg, sizeof msg, "duplicate key '%.100s'", child->value);
          kb_ynode_free(child);
          return fail_at(ps, line, KB_ERR_PARSE, msg);
        }
      }
    }
    if (push(parent, child) != KB_OK) {
      kb_ynode_free(child);
      return KB_ERR_NOMEM;
    }
  }
}

static kb_status parse_node(parser_state *ps, yaml_event_t *ev, unsigned depth,
                            kb_ynode **ret) {
  unsigned line = line_of(ps, ev);
  if (depth > ps->lim->max_depth)
    return limit_at(ps, line, "nested too deeply", "depth", ps->lim->max_depth,
                    "levels");
  kb_ynode *node;
  switch (ev->type) {
  case YAML_ALIAS_EVENT:
    return fail_at(ps, line, KB_ERR_PARSE,
                   "aliases (*name) are not allowed here");
  case YAML_SCALAR_EVENT: {
    size_t len = ev->data.scalar.length;
    if (len > ps->lim->max_scalar)
      return limit_at(ps, line, "value is too long", "value length",
                      ps->lim->max_scalar, "bytes");
    node = node_new(ps, KB_Y_SCALAR, line);
    if (node == NULL)
      return ps->nodes > ps->lim->max_nodes
                 ? limit_at(ps, line, "too many values", "values",
                            ps->lim->max_nodes, "values")
                 : KB_ERR_NOMEM;
    node->value = malloc(len + 1);
    if (node->value == NULL) {
      kb_ynode_free(node);
      return KB_ERR_NOMEM;
    }
    memcpy(node->value, ev->data.scalar.value, len);
    node->value[len] = '\0';
    node->len = len;
    if (memchr(node->value, '\0', len) != NULL) {
      kb_ynode_free(node);
      return fail_at(ps, line, KB_ERR_PARSE, "value contains a NUL byte");
    }
    *ret = node;
    return KB_OK;
  }
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT: {
    bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
    node = node_new(ps, seq ? KB_Y_SEQ : KB_Y_MAP, line);
    if (node == NULL)
      return ps->nodes > ps->lim->max_nodes
                 ? limit_at(ps, line, "too many values", "values",
                            ps->lim->max_nodes, "values")
                 : KB_ERR_NOMEM;
    kb_status st = parse_children(
        ps, node, seq ? YAML_SEQUENCE_END_EVENT : YAML_MAPPING_END_EVENT,
        depth);
    if (st != KB_OK) {
      kb_ynode_free(node);
      return st;
    }
    *ret = node;
    return KB_OK;
  }
  default:
    return fail_at(ps, line, KB_ERR_PARSE, "unexpected YAML structure");
  }
}

kb_status kb_yaml_parse(const char *text, size_t len, unsigned first_line,
                        const kb_ylimits *limits, kb_ynode **ret_root,
                        unsigned *ret_line, char **reterr_msg) {
  parser_state ps = {.lim = limits,
                     .first_line = first_line ? first_line : 1,
                     .reterr_msg = reterr_msg};
  if (!yaml_parser_initialize(&ps.parser))
    return KB_ERR_NOMEM;
  yaml_parser_set_input_string(&ps.parser, (const unsigned char *)text, len);
  yaml_parser_set_encoding(&ps.parser, YAML_UTF8_ENCODING);

  kb_ynode *root = NULL;
  kb_status st = KB_OK;
  bool in_doc = false, done = false;
  while (!done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&ps.parser, &ev)) {
      st = syntax_error(&ps);
      break;
    }
    switch (ev.type) {
    case YAML_STREAM_START_EVENT:
      break;
    case YAML_DOCUMENT_START_EVENT:
      if (in_doc || root) {
        st = fail_at(&ps, line_of(&ps, &ev), KB_ERR_PARSE,
                     "only one YAML document is allowed");
        done = true;
      }
      in_doc = true;
      break;
    case YAML_DOCUMENT_END_EVENT:
      in_doc = false;
      break;
    case YAML_STREAM_END_EVENT:
      done = true;
      break;
    default:
      st = parse_node(&ps, &ev, 1, &root);
      if (st != KB_OK)
        done = true;
      break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&ps.parser);
  if (st != KB_OK) {
    kb_ynode_free(root);
    if (ret_line)
      *ret_line = ps.err_line;
    return st;
  }
  *ret_root = root;
  return KB_OK;
}

const kb_ynode *kb_ymap_get(const kb_ynode *map, const char *key) {
  if (map == NULL || map->type != KB_Y_MAP)
    return NULL;
  for (size_t i = 0; i + 1 < map->n; i += 2)
    if (strcmp(map->items[i]->value, key) == 0)
      return map->items[i + 1];
  return NULL;
}
