/* lower_int.h - private state shared by the lowering modules: lower.c
 * (statements, provenance, list pool, orchestration), acthash_build.c
 * (action hash, service records, wildcard lists) and dfa_tables.c (resource
 * buckets and automata).  All memory is the compilation's arena, except the
 * section buffers owned by struct emit. */
#ifndef PDT_LOWER_INT_H
#define PDT_LOWER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "emit.h"
#include "format.h"
#include "ir.h"
#include "lower.h"

#define LOWER_DEFAULT_BUDGET 512u  /* states per automaton */

struct lower_res {
    uint32_t kind;           /* PDT_RP_* */
    const char *pat;         /* escaped glob (GLOB/DFA), NUL-terminated */
    size_t len;
    uint32_t val;            /* strtab offset or template id */
};

struct lower_stmt {
    const struct ir_policy *p;
    const struct ir_statement *st;
    int deny, not_action, not_resource;
    uint32_t cond;
    const char **acts;       /* lower-cased, escaped action patterns */
    size_t *act_lens;
    size_t nacts;
    struct lower_res *res;
    size_t nres;
};

struct lower_ctx {
    struct arena *a;
    struct diag *d;
    const struct lower_opts *o;
    struct emit e;
    struct lower_stmt *stmts;
    size_t nstmts;
    /* statement-list pool (PDT_SEC_LISTS): dedup by content */
    struct buf *lists;
    int list16;              /* pool of u16 (nstmts <= 0x7FFF) */
    uint32_t *lslots;        /* dedupe hash: record number + 1 */
    size_t lnslots, lnused, lcap;
    uint32_t *lrecs;         /* per record: pool offset (elements) */
    uint32_t *lhashes;       /* per record: content hash */
    /* results for META and dump */
    struct pdt_fmt_meta meta;
};

/* Turns the strictly increasing list v[0..n) into a list ref (format.h):
 * empty, a single statement, or a pool record shared with an identical
 * earlier list.  Returns 0/-1. */
int lower_list(struct lower_ctx *c, const uint32_t *v, size_t n, uint32_t *ref);

/* Writes a hash-table section (struct pdt_fmt_hash, tagged slots, entries)
 * for n entries of esz bytes with key hashes hashes[0..n).  Load <= 3/4. */
int lower_hashtab(struct buf *b, const void *ents, const uint32_t *hashes, size_t n, size_t esz);

/* acthash_build.c: ACTHASH, ACTSVC, ACTAUX, ACTWILD and meta.star/notaction. */
int acthash_build(struct lower_ctx *c);
/* dfa_tables.c: RESBKT, DFAS, DFADATA, ACCEPTS; turns PDT_RP_GLOB entries
 * into PDT_RP_DFA when they were compiled into an automaton. */
int dfa_build_all(struct lower_ctx *c);

#endif
