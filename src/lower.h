/* lower.h - lowers validated policies (IR) into the bytes of a decision
 * table (runtime/format.h).  Owns the compile pipeline: statement records,
 * provenance, the action hash table and automata, the resource DFAs and
 * fallback patterns, and (through condc.h) condition programs and templates.
 * Output is deterministic: the same policies in the same order give the same
 * bytes. */
#ifndef PDT_LOWER_H
#define PDT_LOWER_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "ir.h"

struct lower_opts {
    int strip;                 /* nonzero: no provenance (file names, lines, Sids) */
    unsigned dfa_state_budget; /* 0 = default; per-automaton state budget */
};

/* Compiles pols[0..n) (the identity policies of one principal; n may be 0)
 * into a complete table image in out (out is initialised by the caller).
 * Returns 0, or -1 after reporting diagnostics through d. */
int lower_compile(struct arena *a, struct diag *d, struct ir_policy *const *pols, size_t n,
                  const struct lower_opts *o, struct buf *out);

#endif
