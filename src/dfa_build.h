/* dfa_build.h - subset construction of one resource automaton from a set of
 * ARN glob patterns (table convention, iam-semantics.md §3.2 segment rules),
 * with byte classes and a state budget (dfa_build.c).  The table-level
 * bucketing and splitting live in dfa_tables.c (dfa_build_all). */
#ifndef PDT_DFA_BUILD_H
#define PDT_DFA_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

#define DFA_MAX_PATTERN 1024  /* longer patterns stay with the glob matcher */

struct dfa_out {
    uint32_t nstates;        /* state 0 dead, 1 start */
    uint32_t nclasses;
    uint8_t classes[256];    /* byte -> class */
    uint16_t *trans;         /* nstates * nclasses */
    uint32_t *acc_off;       /* per state: first index in acc_pool */
    uint32_t *acc_len;       /* per state: accepted patterns (0 = not accepting) */
    uint32_t *acc_pool;      /* pattern indices, increasing per state */
};

/* Builds the DFA matching exactly the strings s such that prefix+s matches
 * pats[i] for some i, where pats[i][0..skip) is that common literal prefix
 * (skip may be 0).  Returns 0, 1 when the budget (max states, dead and start
 * included) would be exceeded, or -1 on allocation failure. */
int dfa_build(struct arena *a, const char *const *pats, const size_t *lens, size_t n, size_t skip,
              uint32_t budget, struct dfa_out *out);

/* Runs a built DFA over s[0..n); returns the final state (0 = dead). */
uint32_t dfa_build_run(const struct dfa_out *d, const char *s, size_t n);

#endif
