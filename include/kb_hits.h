/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_hits.h - the hit store: every document's KB_SLOT_HIT value (what a
 * result shows of its record: the header and the text, kb_record.h) in
 * one file of a generation, read by document id with one pread.
 *
 * Read through Xapian, a hit's value costs a walk down the B-tree of the
 * postlist table, about 2.8 block reads of 8 KB at 10,000 articles, and
 * that was a tenth of a served search.  The store is made from the
 * database itself when a generation is published (kb_hits_write, beside
 * Xapian's check), so it says what the database says and is stamped and
 * verified with the other files.  A searcher that finds none - a sharded
 * index, an index from before - reads the values from Xapian.
 *
 * File format (little-endian):
 *   0  "TLHHITS" NUL              8 bytes
 *   8  version (1)                4
 *  12  0                          4
 *  16  the database's revision    8
 *  24  n = last docid + 2         8
 *  32  start[0 .. n)              8 each: document d's value is
 *      data[start[d] .. start[d + 1]), empty for a document without one
 *  32 + 8 n  data
 *
 * Depends on kb_status and kb_xapian.
 */
#ifndef KB_HITS_H
#define KB_HITS_H

#include <stddef.h>
#include <stdint.h>

#include "kb_status.h"
#include "kb_xapian.h"

/* The store's name in a generation folder. */
#define KB_HITS_FILE "teilhabe.hits"

typedef struct kb_hits kb_hits;

/* Writes KB_HITS_FILE into the folder `gen` from the single database
 * there (through a temporary file, so a store is whole or absent).  Does
 * nothing for a sharded generation (one with KB_SHARD_STUB). */
kb_status kb_hits_write(const char *gen, char **reterr_msg);

/* Opens the store of the folder `gen` for `db`, the database opened from
 * it.  *ret_hits is NULL (KB_OK) when there is no store or one made of
 * another revision (a generation an older program copied and updated):
 * the hits are then read through Xapian.  A store that is not whole or
 * not one this program writes is KB_ERR_DB_CORRUPT. */
kb_status kb_hits_open(const char *gen, kbx_db *db, kb_hits **ret_hits,
                       char **reterr_msg);
void kb_hits_close(kb_hits *hits);

/* Document `docid`'s value: *ret_value malloc'd and NUL-terminated,
 * *ret_len without the NUL.  KB_ERR_NOT_FOUND for a docid past the
 * store, KB_ERR_IO when it cannot be read. */
kb_status kb_hits_read(const kb_hits *hits, uint32_t docid, char **ret_value,
                       size_t *ret_len, char **reterr_msg);

#endif
