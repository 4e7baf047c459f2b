/* introspect.h - private, read-only introspection of a loaded table for
 * `pdtc dump`, the benchmarks and the tests (introspect.c).  Not part of the
 * public ABI (the symbols are hidden in the shared library; link pdt_static).
 * Strings returned point into the table and live until pdt_close. */
#ifndef PDT_INTROSPECT_H
#define PDT_INTROSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "pdt.h"

struct pdt_info {
    unsigned major, minor;       /* format version */
    uint64_t total_len;          /* bytes */
    uint64_t checksum;
    int stripped;                /* no provenance */
    uint32_t nsections;
    uint32_t nsets;
    uint32_t nstmts, ndeny;      /* statements; Deny statements */
    uint32_t nactpats;           /* action pattern entries (all statements) */
    uint32_t nrespats;           /* resource pattern entries */
    uint32_t nlist_elems;        /* u32 elements in the statement-list pool */
    uint32_t act_slots, act_entries, act_maxprobe;  /* action hash */
    uint32_t svc_slots, svc_entries, svc_maxprobe;  /* per-service records */
    uint32_t nactwild;           /* wildcard action patterns on the linear per-service list */
    uint32_t bkt_entries;        /* resource buckets ("arn:partition:service:") */
    uint32_t ndfas;              /* resource automata */
    uint64_t dfa_states;         /* total states (dead states included) */
    uint64_t dfa_bytes;          /* class maps + transitions + accept ids */
    uint32_t naccepts;           /* distinct accepting statement sets */
    uint32_t npat_dfa;           /* static resource patterns compiled into automata */
    uint32_t npat_glob;          /* static resource patterns left to the glob matcher */
    uint32_t npat_tmpl;          /* resource templates (policy variables) */
    uint32_t npat_any;           /* "*" resource entries */
    uint32_t state_budget;       /* per-automaton state budget used by the compiler */
    uint32_t nnotaction;         /* NotAction statements */
    uint32_t na_entries;         /* entries of the NotAction index's hash */
    int list16;                  /* statement lists stored as u16 */
};

void pdt_introspect_info(const struct pdt_table *t, struct pdt_info *out);

/* Section i of the directory (i < nsections): returns 0 and fills the out
 * parameters, or -1 when i is out of range. */
int pdt_introspect_section(const struct pdt_table *t, uint32_t i, uint32_t *id, uint32_t *flags,
                           uint32_t *off, uint32_t *len);
/* Name of a section id ("strtab", "stmts", ...; "cond-keys" etc. for the
 * condition engine's; "unknown" otherwise). */
const char *pdt_introspect_section_name(uint32_t id);

struct pdt_stmt_info {
    int deny;                    /* 1 Deny, 0 Allow */
    int not_action, not_resource;
    uint32_t cond;               /* condition program id or UINT32_MAX */
    uint32_t nactions;           /* action patterns */
    uint32_t nresources;         /* resource entries */
    const char *policy;          /* NULL when stripped */
    uint32_t line;               /* 0 when stripped */
    const char *sid;             /* NULL when none or stripped */
};

/* Statement i (< nstmts): 0 and *out filled, or -1. */
int pdt_introspect_stmt(const struct pdt_table *t, uint32_t i, struct pdt_stmt_info *out);
/* j-th action pattern of statement i (lower-cased, escaped glob), or NULL.
 * Only NotAction statements keep their patterns per statement; for the
 * others the action index is searched (O(index size) per call), and the
 * patterns come back in index order, deduplicated: a listing of a large
 * table should use pdt_introspect_stmt_actions (one search per statement). */
const char *pdt_introspect_stmt_action(const struct pdt_table *t, uint32_t i, uint32_t j);
/* All action patterns of statement i: stores up to cap pointers in out and
 * returns how many there are (may exceed cap). */
uint32_t pdt_introspect_stmt_actions(const struct pdt_table *t, uint32_t i, const char **out, uint32_t cap);

enum pdt_res_kind { PDT_RES_GLOB = 0, PDT_RES_DFA = 1, PDT_RES_TMPL = 2, PDT_RES_ANY = 3 };
/* j-th resource entry of statement i: 0 with *kind and either *pattern (an
 * escaped glob; "*" for PDT_RES_ANY) or *tmpl (template id), or -1. */
int pdt_introspect_stmt_resource(const struct pdt_table *t, uint32_t i, uint32_t j,
                                 enum pdt_res_kind *kind, const char **pattern, uint32_t *tmpl);

struct pdt_dfa_info {
    const char *prefix;          /* literal the resource must start with */
    uint32_t nstates, nclasses, npatterns;
    uint32_t bytes;              /* class map + transitions + accept ids */
};
/* Automaton i (< ndfas): 0 or -1. */
int pdt_introspect_dfa(const struct pdt_table *t, uint32_t i, struct pdt_dfa_info *out);

/* The oracle: decides by scanning every statement with the glob matchers,
 * without the action hash or the automata.  Same contract and result as
 * pdt_decide (which must agree with it). */
enum pdt_decision pdt_introspect_decide_linear(const struct pdt_table *t, const struct pdt_request *req,
                                               struct pdt_why *why);

#endif
