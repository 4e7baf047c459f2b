/* explain.h - private: why each statement of a table did or did not apply to
 * one request, for `pdtc explain` and its tests (explain.c).  Not part of the
 * public ABI (hidden in the shared library; link pdt_static).
 *
 * There is no second evaluator here: every answer comes from the code
 * pdt_decide runs.  Action patterns are matched with pdt_glob_action (as the
 * linear oracle matches the action index), resource entries with
 * pdt_glob_arn and pdt_tmpl_expand, the statement's resource result with
 * pdt_lookup_resource, its applicability with pdt_lookup_applies, condition
 * programs with pdt_cond_eval and each of their tests with
 * pdt_cond_eval_test.  The decision itself is pdt_decide's: callers print
 * that, and use this module for the per-statement breakdown.
 *
 * Nothing allocates; all state lives in struct pdt_explain on the caller's
 * stack.  Strings point into the table (valid until pdt_close), into the
 * request, or into a caller's buffer. */
#ifndef PDT_EXPLAIN_H
#define PDT_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "cond.h"
#include "introspect.h"
#include "lookup.h"
#include "pdt.h"

#define PDT_EXPLAIN_MAX_MATCHED 512  /* action index entries matching one action (as the oracle) */

/* One request being explained.  Fields are private to explain.c. */
struct pdt_explain {
    const struct pdt_table *t;
    const struct pdt_request *req;
    int usable;                 /* 0: malformed request (pdt_decide denies it implicitly) */
    int overflow;               /* more matching index entries than fit in matched[] */
    struct pdt_lookup_req q;
    struct pdt_ctx ctx;
    uint32_t nmatched;          /* statement lists of the index entries whose pattern */
    uint32_t matched[PDT_EXPLAIN_MAX_MATCHED];  /* globs the action ("*" first) */
};

/* Prepares x for request req on table t.  Returns 0, or -1 when the request
 * is malformed (NULL fields, over-long strings, no ':' in the action, a bad
 * context): then pdt_decide answers PDT_IMPLICIT_DENY and no statement
 * applies; the other functions still describe the statements. */
int pdt_explain_init(struct pdt_explain *x, const struct pdt_table *t, const struct pdt_request *req);

/* Number of statements of the table. */
uint32_t pdt_explain_count(const struct pdt_explain *x);

struct pdt_explain_stmt {
    struct pdt_stmt_info info;  /* effect, Not-flags, counts, provenance (NULL/0 when stripped) */
    int action;                 /* ActionOK: some pattern matched (Action), none matched (NotAction) */
    enum pdt_tri resource;      /* ResourceOK after NotResource (pdt_lookup_resource) */
    enum pdt_tri cond;          /* ConditionsOK (pdt_cond_eval; TRUE without a Condition) */
    uint32_t ntests;            /* tests of the condition program (0 without a Condition) */
    int applies;                /* counts for the decision (pdt_lookup_applies and ActionOK):
                                 * a Deny when TRUE or indeterminate, an Allow when TRUE */
};

/* Statement i (< pdt_explain_count): 0 with *out filled, or -1. */
int pdt_explain_stmt(struct pdt_explain *x, uint32_t i, struct pdt_explain_stmt *out);

/* Action pattern j of statement i (j < the count returned by a call with
 * cap 0 or more): stores the lower-cased escaped pattern in pats[k] and
 * whether it matches the request action in match[k] (k < cap), for every
 * pattern; returns how many patterns the statement has (may exceed cap).
 * NotAction statements list their NotAction patterns. */
uint32_t pdt_explain_actions(struct pdt_explain *x, uint32_t i, const char **pats, int *match, uint32_t cap);

/* 1 when the lower-cased escaped action pattern pat matches the request
 * action (pdt_glob_action, as pdt_decide's index and oracle match it). */
int pdt_explain_action_match(const struct pdt_explain *x, const char *pat);

/* The action index of the table, for listing every statement's patterns in
 * one pass (pdt_explain_actions searches the index once per statement):
 * entries k < pdt_explain_index_count: "*", then the hashed exact and prefix
 * patterns, then the other wildcard patterns.  pdt_explain_index_entry
 * returns entry k's pattern and sets *n to its number of statements;
 * pdt_explain_index_stmt returns the m-th (m < n) in increasing order.
 * NotAction statements are not in the index (use pdt_explain_actions). */
uint32_t pdt_explain_index_count(const struct pdt_explain *x);
const char *pdt_explain_index_entry(const struct pdt_explain *x, uint32_t k, uint32_t *n);
uint32_t pdt_explain_index_stmt(const struct pdt_explain *x, uint32_t k, uint32_t m);

/* One resource entry. */
struct pdt_explain_res {
    enum pdt_res_kind kind;     /* glob, automaton, template or "*" */
    const char *pattern;        /* escaped glob (the template's expansion for this request when
                                 * tmpl_status >= 0); NULL when the template has no expansion */
    size_t len;                 /* bytes of pattern */
    uint32_t tmpl;              /* template id (PDT_RES_TMPL) */
    long tmpl_status;           /* PDT_RES_TMPL: length, -1 a variable has no value (matches
                                 * nothing), -2 indeterminate; 0 otherwise */
    enum pdt_tri match;         /* does the request resource match (before NotResource) */
};

/* Resource entry j of statement i.  buf (cap >= PDT_TMPL_MAX) receives a
 * template's expansion.  Returns 0, or -1 when j is out of range. */
int pdt_explain_resource(struct pdt_explain *x, uint32_t i, uint32_t j, struct pdt_explain_res *out,
                         char *buf, size_t cap);

/* One condition test (an (operator, key) pair). */
struct pdt_explain_test {
    unsigned op;                /* enum pdt_cop: the positive base operator */
    unsigned flags;             /* PDT_CF_NEG, _IFEXISTS, _ALL, _ANY */
    const char *key;            /* the context key as interned (lower-cased), NUL-terminated */
    uint32_t nvals;             /* policy values */
    int seen;                   /* 1 the request has the key (kv set), 0 it does not,
                                 * -1 indeterminate (two request keys equal ignoring case) */
    const struct pdt_kv *kv;    /* the request's value(s) for the key when seen == 1 */
    enum pdt_tri result;        /* the test's result (pdt_cond_eval_test) */
};

/* Test j (< ntests) of statement i's condition.  Returns 0 or -1. */
int pdt_explain_test(struct pdt_explain *x, uint32_t i, uint32_t j, struct pdt_explain_test *out);

/* One policy value of a test, as stored (condfmt.h): the bytes, by op:
 * text/escaped pattern (String*, Arn*), canonical decimal (Numeric*), 16
 * bytes i64 seconds + u64 fraction (Date*), 1 byte (Bool, Null), decoded
 * bytes (BinaryEquals), 18 bytes family/prefix/address (IpAddress). */
struct pdt_explain_val {
    const uint8_t *bytes;       /* NULL when a template has no expansion */
    size_t len;
    uint32_t tmpl;              /* template id or UINT32_MAX */
    long tmpl_status;           /* template: length, -1 no value, -2 indeterminate; else 0 */
};

/* Value k (< nvals) of test j of statement i; a template is expanded for
 * this request into buf[0..cap).  Returns 0 or -1. */
int pdt_explain_value(struct pdt_explain *x, uint32_t i, uint32_t j, uint32_t k, struct pdt_explain_val *out,
                      char *buf, size_t cap);

#endif
