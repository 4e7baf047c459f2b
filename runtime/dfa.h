/* dfa.h - private: running the table's resource automata (dfa.c). */
#ifndef PDT_DFA_H
#define PDT_DFA_H

#include <stddef.h>
#include <stdint.h>

struct pdt_table;

/* automata per bucket, and generic automata (loader-enforced) */
#define PDT_DFA_MAX_RUN 32u

/* Runs automaton i over the whole resource s[0..n) (after checking its
 * literal prefix).  Returns the ACCEPTS index of the final state, or
 * UINT32_MAX when it does not accept.  At most n steps: it stops at the dead
 * state, and at the row t->dfastop[i] from which every state is a sink
 * (goes to itself on every byte; the compiler puts sinks last, the loader
 * finds where they start). */
uint32_t pdt_dfa_run(const struct pdt_table *t, uint32_t i, const char *s, size_t n);

/* The automata of the resource's bucket (the text up to and including its
 * third ':'): sets *first and *count (both 0 when none). */
void pdt_dfa_bucket(const struct pdt_table *t, const char *s, size_t n, uint32_t *first, uint32_t *count);

#endif
