/* cond.h - private contract between the table core (load.c, lookup.c) and the
 * condition engine (cond.c, ctx.c, tmpl.c, condcheck.c; values in value.h):
 * request-context preparation, condition programs and policy-variable
 * templates.
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

#include "condfmt.h"
#include "pdt.h"

struct pdt_table;

/* Three-valued result (iam-semantics.md §0). */
enum pdt_tri { PDT_TRI_FALSE = 0, PDT_TRI_TRUE = 1, PDT_TRI_INDET = 2 };

/* Section ids owned by the condition engine (the table directory treats them
 * like any other section; their layout is defined in condfmt.h and
 * docs/format-conditions.md). */
#define PDT_SEC_COND_KEYS 0x10u   /* interned context keys (lower-cased) + hash */
#define PDT_SEC_COND_PROGS 0x11u  /* condition programs */
#define PDT_SEC_COND_TMPLS 0x12u  /* resource templates with ${...} */

#define PDT_COND_NONE UINT32_MAX  /* statement has no (or an empty) Condition */

/* Views of the engine's three sections (NULL/0 when a section is absent).
 * Filled from the table by pdt_ctx_init's first use, or directly by tests. */
struct pdt_ctx_kslot;
struct pdt_cond_secs {
    const uint8_t *keys, *progs, *tmpls;
    size_t keys_len, progs_len, tmpls_len;
    const struct pdt_ctx_kslot *kidx;   /* the keys by signature, made once per table
                                           (pdt_ctx_kidx_build); NULL: none */
    uint32_t kidxmask;                  /* its slot count - 1 */
};

/* Per-decide request context, on the caller's stack; never allocates.
 * Fields are private to the condition engine (ctx.c): the request's context
 * keys resolved to the table's interned key ids when a condition or
 * template first needs them, into a small table keyed by id (requests of at
 * most PDT_CTX_RQ_MAX keys, found through the table's signature index) or a
 * map that holds one window of PDT_CTX_MAP consecutive key ids, and the
 * decision's work budget. */
#define PDT_CTX_MAP 256            /* key ids per map window (power of two) */
#define PDT_CTX_DUP UINT32_MAX     /* map value: two request keys equal ignoring case */
#define PDT_CTX_WORK ((size_t)1 << 24) /* work units per decision: glob backtracking, map rebuilds */
#define PDT_CTX_RQ_MAX 32          /* requests with at most this many keys use the small table */
#define PDT_CTX_RQ_SLOTS 64        /* its slots (a power of two <= 64, > PDT_CTX_RQ_MAX) */
struct pdt_ctx {
    const struct pdt_table *t;
    const struct pdt_request *req;
    int state;                                 /* 0 unprepared, 1 prepared, -1 unusable (indeterminate) */
    uint32_t base;                             /* the map holds key ids [base, base + PDT_CTX_MAP);
                                                  UINT32_MAX: no window built */
    uint32_t span;                             /* valid ids in the window: [base, base + span) are
                                                  interned key ids; 0 when no window is built */
    size_t work;                               /* units left (PDT_CTX_WORK at init); 0: matchers answer
                                                  indeterminate (glob.h, pdt_value_glob_b, ctx.c) */
    struct pdt_cond_secs s;                    /* section views */
    int small;                                 /* 1: the request's keys are in rq (small requests) */
    uint32_t nkeys;                            /* the number of interned keys (once prepared) */
    uint64_t used[PDT_CTX_MAP / 64];           /* bit per map slot: it holds a request key
                                                  (small: used[0], bit per rq slot) */
    union {
        uint32_t map[PDT_CTX_MAP];             /* slot id - base (when used): request kv index, or DUP */
        struct pdt_ctx_rq {                    /* small: open addressing by key id (pdt_ctx_id_slot) */
            uint32_t id;                       /* interned key id */
            uint32_t kv;                       /* request kv index (| PDT_CTX_RQ_DUP) */
        } rq[PDT_CTX_RQ_SLOTS];
    } u;
};

/* req must be well formed as pdt_lookup_prepare checks it (every caller in
 * the runtime has it checked first): each pdt_kv has a key, one value unless
 * multi, and no NULL among its values.  The engine does not check it again. */
void pdt_ctx_init(struct pdt_ctx *c, const struct pdt_table *t, const struct pdt_request *req);
/* Same, with the sections given directly (unit tests; t stays NULL). */
void pdt_ctx_init_secs(struct pdt_ctx *c, const struct pdt_cond_secs *s, const struct pdt_request *req);

/* Evaluates condition program `prog` (an id stored in a statement record).
 * PDT_COND_NONE yields PDT_TRI_TRUE. */
enum pdt_tri pdt_cond_eval(struct pdt_ctx *c, uint32_t prog);
/* Test j (0-based) of program prog alone, as pdt_cond_eval evaluates it
 * (pdt_cond_eval is the three-valued AND over the program's tests).  For
 * explanations (runtime/explain.c); out-of-range ids are indeterminate. */
enum pdt_tri pdt_cond_eval_test(struct pdt_ctx *c, uint32_t prog, uint32_t j);

/* Expands resource template `tmpl` for the request into buf as an escaped
 * glob pattern (the table's pattern convention: '*' and '?' are wildcards,
 * '\' makes the next byte literal; substituted text is always escaped).
 * Returns the pattern length, -1 when the template matches nothing (a
 * variable without value and without default), or -2 when the result is
 * indeterminate (e.g. it would not fit in cap): fail closed. */
long pdt_tmpl_expand(struct pdt_ctx *c, uint32_t tmpl, char *buf, size_t cap);

/* Validates the engine's sections of a loaded table (all offsets, counts,
 * opcodes, string references).  Cheap enough to run once per load.
 * Returns 0 or PDT_E_CORRUPT. */
int pdt_cond_validate(const struct pdt_table *t);
/* The same checks on explicit section views. */
int pdt_cond_validate_secs(const struct pdt_cond_secs *s);
/* Statement records carry program/template ids; the loader asks whether an
 * id is valid. */
int pdt_cond_prog_ok(const struct pdt_table *t, uint32_t prog);
int pdt_cond_tmpl_ok(const struct pdt_table *t, uint32_t tmpl);

/* ---- engine-internal (cond.c, ctx.c, tmpl.c) ---- */
/* Resolves the request key of interned key id `key`: returns 1 with *kv set
 * when present, 0 when the request lacks it, -1 when indeterminate (two
 * request keys equal ignoring case, or an unusable context). */
int pdt_ctx_lookup(struct pdt_ctx *c, uint32_t key, const struct pdt_kv **kv);
/* ---- the small-request table (ctx.c builds it, lookups run inline) ----
 * A key of n bytes whose last min(n, 8) bytes, lower-cased, are the
 * little-endian word w has the signature pdt_ctx_sig(w, n): keys equal
 * ignoring case have equal signatures, and for a fixed n the signature is
 * injective in w (xorshift and an odd multiply are bijections), so equal
 * signatures and lengths leave only the words before the last to compare. */
#define PDT_CTX_RQ_DUP 0x80000000u  /* rq kv flag: two request keys equal ignoring case */

static inline uint64_t pdt_ctx_sig(uint64_t w, size_t n)
{
    return (w ^ (w >> 31) ^ ((uint64_t)n << 56)) * 0x9e3779b97f4a7c15ULL + n;
}

/* The last min(n, 8) bytes of s[0..n) as a little-endian word. */
static inline uint64_t pdt_ctx_last_word(const char *s, size_t n)
{
    return n >= 8 ? pdt_cf_load8(s + n - 8) : pdt_cf_word(s, n, 0);
}

/* The signature of key k[0..n), any case (the same for an interned key and
 * a request key equal to it ignoring case). */
static inline uint64_t pdt_ctx_key_sig(const char *k, size_t n)
{
    return pdt_ctx_sig(pdt_cf_fold8(pdt_ctx_last_word(k, n)), n);
}

/* What preparing a small request needs of the interned keys, made once per
 * table (at load) by pdt_ctx_kidx_build: an open-addressing index of the
 * keys by signature (at most half full, no key more than
 * PDT_CTX_KIDX_PROBES slots past its home), each slot with the key's text
 * and, for each 8-byte word before its last, the mask of the bits a request
 * key must match exactly (every bit but 0x20 of the letters), so that a
 * request key is compared with one XOR and one AND per word. */
struct pdt_ctx_kslot {
    uint64_t sig;          /* the key's signature (pdt_ctx_sig, folded) */
    uint32_t id;           /* its id; PDT_CF_EMPTY: an empty slot */
    uint32_t len;          /* its length */
    const char *key;       /* its text (lower case) */
    const uint64_t *mask;  /* its masks, one per word before the last */
};
#define PDT_CTX_KIDX_PROBES 32u

/* Bytes needed for the index of the KEYS section of s (0 when it has no
 * keys), and its build into buf (8-aligned, at least that size), which sets
 * s->kidx unless a key would sit more than PDT_CTX_KIDX_PROBES slots past
 * its home (a table made to collide: the windowed map serves it then).
 * The KEYS section must have passed validation. */
size_t pdt_ctx_kidx_size(const struct pdt_cond_secs *s);
void pdt_ctx_kidx_build(struct pdt_cond_secs *s, void *buf);

/* Home slot of key id in the small-request table. */
static inline uint32_t pdt_ctx_id_slot(uint32_t id)
{
    return (id * 0x9e3779b1u) >> 26;
}

/* The slot of the small-request table rq that holds key id, or the empty
 * slot where it would go (used: a bit per filled slot).  At most
 * PDT_CTX_RQ_MAX entries in PDT_CTX_RQ_SLOTS slots, so the probe ends. */
static inline uint32_t pdt_ctx_rq_slot(const struct pdt_ctx_rq *rq, uint64_t used, uint32_t id)
{
    uint32_t b = pdt_ctx_id_slot(id);

    while ((used & ((uint64_t)1 << b)) && rq[b].id != id)
        b = (b + 1) & (PDT_CTX_RQ_SLOTS - 1);
    return b;
}

/* pdt_ctx_lookup on a small request: the entry that preparing the request
 * filed for interned key id (flagged PDT_CTX_RQ_DUP when two request keys
 * equal it ignoring case). */
static inline int pdt_ctx_rq_lookup(const struct pdt_ctx *c, uint32_t id, const struct pdt_kv **kv)
{
    uint32_t b = pdt_ctx_rq_slot(c->u.rq, c->used[0], id);

    if (!(c->used[0] & ((uint64_t)1 << b)))
        return 0;
    if (c->u.rq[b].kv & PDT_CTX_RQ_DUP)
        return -1;
    *kv = &c->req->context[c->u.rq[b].kv];
    return 1;
}

/* pdt_ctx_lookup with its common cases inline (a prepared context: a small
 * request, or a window that holds key): same results, same budget charges. */
static inline int pdt_ctx_lookup_fast(struct pdt_ctx *c, uint32_t key, const struct pdt_kv **kv)
{
    uint32_t slot = key - c->base;

    if (c->small)  /* set only by a preparation that succeeded */
        return key < c->nkeys ? pdt_ctx_rq_lookup(c, key, kv) : -1;
    if (slot < c->span) {  /* span is 0 without a window (and before the preparation) */
        if (!(c->used[slot / 64] & ((uint64_t)1 << (slot % 64))))
            return 0;
        if (c->u.map[slot] == PDT_CTX_DUP)
            return -1;
        *kv = &c->req->context[c->u.map[slot]];
        return 1;
    }
    return pdt_ctx_lookup(c, key, kv);
}
/* Makes sure c is prepared; returns 0, or -1 when the sections are unusable. */
int pdt_ctx_prepare(struct pdt_ctx *c);
/* Builds the map window of c that holds key id (ctxmap.c): one pass over
 * the request, each key found among the interned keys; a second key equal
 * ignoring case marks the id PDT_CTX_DUP.  charged: the pass is paid from
 * c->work (8 + len/4 units per key).  Returns 0, or -1 when the budget ran
 * out (no window is left then). */
int pdt_ctx_map_build(struct pdt_ctx *c, uint32_t id, int charged);
/* Finds key q[0..n) (any case; hash h = pdt_cf_hash) among the interned
 * keys, comparing ignoring ASCII case; returns its id or UINT32_MAX.  The KEYS section must have
 * passed validation up to its bucket array (bounded by nbuckets probes). */
uint32_t pdt_ctx_key_find(const struct pdt_cond_secs *s, const char *q, size_t n, uint32_t h);
/* Reads the section views of a table (absent sections are NULL/0). */
void pdt_cond_secs_get(const struct pdt_table *t, struct pdt_cond_secs *s);
/* Budgeted string globs (runtime/value_str.c; the unbudgeted forms are in
 * value.h).  StringLike: pdt_value_glob with its backtracking charged to
 * *work (NULL: unbounded; see runtime/glob.h), at most 5 * (np + ns) +
 * (units charged) steps; returns 1, 0, or 2 (indeterminate) when *work cannot pay,
 * which empties *work.  ArnLike: pdt_value_arn_like with the component
 * globs charged the same way; 2 also when the budget runs out, unless a
 * component does not match.  pdt_value_arn_like itself uses a budget of
 * PDT_CTX_WORK units per call. */
int pdt_value_glob_b(const char *pat, size_t np, const char *s, size_t ns, size_t *work);
int pdt_value_arn_like_b(const char *pat, size_t np, const char *s, size_t ns, size_t *work);

#endif
