/* condc.h - compiles Condition blocks and resource entries with policy
 * variables into the condition engine's table sections (layouts in
 * runtime/condfmt.h, evaluation in runtime/cond.c).  The policy-variable
 * syntax itself is var.h's; typed value parsing is runtime/value.h's.
 * Memory: the arena given to condc_new. */
#ifndef PDT_CONDC_H
#define PDT_CONDC_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "ir.h"

struct condc;

struct condc *condc_new(struct arena *a, struct diag *d);

/* Compiles st's Condition block into a program id (shared between identical
 * blocks); *prog = PDT_COND_NONE (UINT32_MAX) when there is no condition or
 * it is {}.  Returns 0, or -1 after reporting diagnostics. */
int condc_statement(struct condc *c, const struct ir_policy *p,
                    const struct ir_statement *st, uint32_t *prog);

/* Lowers one Resource/NotResource entry.  Returns 0 with *pat (arena,
 * NUL-terminated) and *pat_len set to the static escaped glob pattern (table
 * convention: '*' '?' wildcards, '\' escapes; "${*}" etc. become escaped
 * literals), or 1 with *tmpl set when the entry holds variables and must be
 * expanded at decide time (Version 2012-10-17 only), or -1 on error. */
int condc_resource(struct condc *c, const struct ir_policy *p, const struct ir_str *res,
                   const char **pat, size_t *pat_len, uint32_t *tmpl);

/* Serialises the engine's sections (empty buffers are omitted by emit). */
int condc_finish(struct condc *c, struct buf *keys, struct buf *progs, struct buf *tmpls);

#endif
