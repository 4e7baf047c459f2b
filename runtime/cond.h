/* cond.h - private contract between the table core (load.c, lookup.c) and the
 * condition engine (cond.c, ctx.c, tmpl.c): request-context preparation,
 * condition programs and policy-variable templates.
 *
 * The table core finds the statements whose action and resource match and
 * asks this engine two questions: does condition program P hold for this
 * request (three-valued), and what does resource template T expand to.  The
 * engine owns the layout of its own sections (ids PDT_SEC_COND_*), which the
 * loader hands to pdt_cond_validate before any lookup can run. */
#ifndef PDT_COND_H
#define PDT_COND_H

#include <stddef.h>
#include <stdint.h>

#include "pdt.h"

struct pdt_table;

/* Three-valued result (iam-semantics.md §0). */
enum pdt_tri { PDT_TRI_FALSE = 0, PDT_TRI_TRUE = 1, PDT_TRI_INDET = 2 };

/* Section ids owned by the condition engine (the table directory treats them
 * like any other section; their layout is defined by cond.c/tmpl.c). */
#define PDT_SEC_COND_KEYS 0x10u   /* interned context keys (lower-cased) + hash */
#define PDT_SEC_COND_PROGS 0x11u  /* condition programs */
#define PDT_SEC_COND_TMPLS 0x12u  /* resource templates with ${...} */

#define PDT_COND_NONE UINT32_MAX  /* statement has no (or an empty) Condition */

/* Per-decide request context, on the caller's stack; never allocates.
 * Fields are private to the condition engine. */
#define PDT_CTX_MAP 64
struct pdt_ctx {
    const struct pdt_table *t;
    const struct pdt_request *req;
    int state;                                 /* 0 unprepared, 1 prepared */
    uint32_t nmap;                             /* used entries of map */
    int overflow;                              /* map too small: fall back to scanning */
    struct { uint32_t key, kv; } map[PDT_CTX_MAP]; /* interned key id -> request kv index */
};

void pdt_ctx_init(struct pdt_ctx *c, const struct pdt_table *t, const struct pdt_request *req);

/* Evaluates condition program `prog` (an id stored in a statement record).
 * PDT_COND_NONE yields PDT_TRI_TRUE. */
enum pdt_tri pdt_cond_eval(struct pdt_ctx *c, uint32_t prog);

/* Expands resource template `tmpl` for the request into buf as an escaped
 * glob pattern (the table's pattern convention: '*' and '?' are wildcards,
 * '\' makes the next byte literal; substituted text is always escaped).
 * Returns the pattern length, -1 when the template matches nothing (a
 * variable without value and without default), or -2 when the result is
 * indeterminate (e.g. it would not fit in cap): fail closed. */
long pdt_tmpl_expand(struct pdt_ctx *c, uint32_t tmpl, char *buf, size_t cap);

/* Validates the engine's sections of a loaded table (all offsets, counts,
 * opcodes, string references).  nstmts: statement count, for range checks
 * the engine may need.  Returns 0 or PDT_E_CORRUPT. */
int pdt_cond_validate(const struct pdt_table *t);
/* Statement records carry program/template ids; the loader asks whether an
 * id is valid. */
int pdt_cond_prog_ok(const struct pdt_table *t, uint32_t prog);
int pdt_cond_tmpl_ok(const struct pdt_table *t, uint32_t tmpl);

#endif
