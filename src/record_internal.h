/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record_internal.h - the API form of a record, for the library's other
 * JSON writers (json.c); not public.
 */
#ifndef KB_RECORD_INTERNAL_H
#define KB_RECORD_INTERNAL_H

#include "kb_buf.h"
#include "kb_record.h"

/* The members of the object kb_record_api_json prints, without its
 * braces, appended to `b` (check kb_buf_status). */
void kbi_record_json_members(kb_buf *b, const kb_record *r, const kb_vocab *v,
                             bool body);

#endif
