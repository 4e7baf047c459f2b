/* lookup.c - pdt_decide: request checks, the statement-applicability rules
 * of iam-semantics.md §2 (three-valued, §0) and the indexed path (action
 * index + resource automata), plus the pieces the linear oracle
 * (pdt_introspect_decide_linear in introspect.c) shares with it.  Both
 * report the lowest-index applicable Deny, else the lowest-index applicable
 * Allow.  Never allocates. */
#include <string.h>

#include "acthash.h"
#include "cond.h"
#include "dfa.h"
#include "glob.h"
#include "hash.h"
#include "lookup.h"
#include "pdt.h"
#include "table.h"

static enum pdt_tri or3(enum pdt_tri a, enum pdt_tri b)
{
    if (a == PDT_TRI_TRUE || b == PDT_TRI_TRUE)
        return PDT_TRI_TRUE;
    return (a == PDT_TRI_INDET || b == PDT_TRI_INDET) ? PDT_TRI_INDET : PDT_TRI_FALSE;
}

static enum pdt_tri not3(enum pdt_tri a)
{
    return a == PDT_TRI_INDET ? a : (a == PDT_TRI_TRUE ? PDT_TRI_FALSE : PDT_TRI_TRUE);
}

/* Lower-cases the eight bytes at a into out (ASCII letters only). */
static inline void swar_lower(const unsigned char *a, char *out)
{
    uint64_t x, m7 = 0x7f7f7f7f7f7f7f7fULL, hi, ge_a, gt_z;
    memcpy(&x, a, 8);
    hi = x & ~m7;                              /* non-ASCII bytes stay as they are */
    ge_a = (x & m7) + 0x3f3f3f3f3f3f3f3fULL;   /* bit 7 set where byte >= 'A' */
    gt_z = (x & m7) + 0x2525252525252525ULL;   /* bit 7 set where byte > 'Z' */
    x |= ((ge_a & ~gt_z & ~hi) & ~m7) >> 2;    /* 0x20 where 'A' <= byte <= 'Z' */
    memcpy(out, &x, 8);
}

/* Request sanity: NULL fields, over-long strings, a context that does not
 * follow pdt_kv's contract.  Fills the lengths.  Returns 0 when usable. */
int pdt_lookup_prepare(const struct pdt_request *req, struct pdt_lookup_req *q)
{
    size_t i, j, n;
    const char *colon;
    const unsigned char *a;
    char *lc;
    if (!req || !req->action || !req->resource)
        return -1;
    /* length (bounded), lower case (a loop the compiler vectorises), ':' */
    n = strnlen(req->action, PDT_MAX_ACTION + 1);
    if (n > PDT_MAX_ACTION)
        return -1;
    a = (const unsigned char *)req->action;
    lc = q->lc;
    if (n >= 8) {
        /* eight bytes at a time; the last block overlaps the previous one
         * (lower-casing twice is harmless) */
        for (i = 0; i < n; i += 8)
            swar_lower(a + (i + 8 <= n ? i : n - 8), lc + (i + 8 <= n ? i : n - 8));
    } else {
        for (i = 0; i < n; i++)
            lc[i] = (char)((unsigned)(a[i] - 'A') < 26u ? a[i] + 32 : a[i]);
    }
    lc[n] = '\0';
    colon = memchr(lc, ':', n);
    if (!colon)
        return -1;
    q->alen = n;
    q->svclen = (size_t)(colon - lc) + 1;
    q->hashed = 0;
    q->rlen = strnlen(req->resource, PDT_MAX_RESOURCE + 1);
    if (q->rlen > PDT_MAX_RESOURCE || q->rlen == 0)
        return -1;
    if (!pdt_glob_utf8_valid(req->action, n) || !pdt_glob_utf8_valid(req->resource, q->rlen))
        return -1;  /* not UTF-8: malformed */
    if (req->ncontext && !req->context)
        return -1;
    for (i = 0; i < req->ncontext; i++) {  /* fields read once (the loads cannot be merged otherwise) */
        const struct pdt_kv *kv = &req->context[i];
        const char *const *v = kv->values;
        size_t nv = kv->nvalues;
        if (nv == 1 && v && v[0] && kv->key)
            continue;  /* one value: fine whether multi or not */
        if (!kv->key || !kv->multi || (nv && !v))
            return -1;
        for (j = 0; j < nv; j++)
            if (!v[j])
                return -1;
    }
    q->req = req;
    return 0;
}

/* The k-th NotAction statement: 1 when one of its patterns matches. */
int pdt_lookup_action_match(const struct pdt_table *t, uint32_t k, const struct pdt_lookup_req *q)
{
    uint32_t j;
    for (j = t->nafirst[k]; j < t->nafirst[k + 1]; j++) {
        const char *p = pdt_table_str(t, t->actpats[j]);
        if (pdt_glob_action_lz(p, q->lc, q->alen))
            return 1;
    }
    return 0;
}

/* 1 when s[0..n) contains the run r[0..k) (k >= 1): each occurrence of its
 * first byte, found by memchr, compared in place (runs are short). */
static int has_run(const char *s, size_t n, const char *r, size_t k)
{
    const char *x = s, *end = s + n;
    size_t i;

    while ((size_t)(end - x) >= k && (x = memchr(x, r[0], (size_t)(end - x) - k + 1)) != NULL) {
        for (i = 1; i < k && x[i] == r[i]; i++)
            ;
        if (i == k)
            return 1;
        x++;
    }
    return 0;
}

/* Resource test of statement s (after NotResource).  Patterns of kind
 * PDT_RP_DFA are globbed only when dfa_hit is NULL (linear oracle);
 * otherwise *dfa_hit says whether an automaton accepted s. */
enum pdt_tri pdt_lookup_resource(const struct pdt_table *t, uint32_t i, const struct pdt_lookup_req *q,
                                 struct pdt_ctx *ctx, const int *dfa_hit)
{
    char buf[PDT_TMPL_MAX];
    const struct pdt_fmt_stmt *s = &t->stmts[i];
    enum pdt_tri r = PDT_TRI_FALSE;
    uint32_t j, end = pdt_table_res_end(t, i);

    if (s->flags & PDT_STF_RES_ANY)  /* "*" matches everything: no need to look further */
        return (s->flags & PDT_STF_NOT_RESOURCE) ? PDT_TRI_FALSE : PDT_TRI_TRUE;
    if (dfa_hit && *dfa_hit)
        r = PDT_TRI_TRUE;
    for (j = s->res_first; j < end && r != PDT_TRI_TRUE; j++) {
        uint32_t kind = PDT_RP_KIND(t->respats[j]), val = PDT_RP_VAL(t->respats[j]);
        const char *p;
        long n;
        int g;
        switch (kind) {
        case PDT_RP_ANY:
            r = PDT_TRI_TRUE;
            break;
        case PDT_RP_DFA:
            if (dfa_hit)
                break;
            /* fall through */
        case PDT_RP_GLOB:
            p = pdt_table_str(t, val);
            if (t->respats[j] & PDT_RP_LIT)
                g = strcmp(p, q->req->resource) == 0;
            else if (t->rphint && t->rphint[j] && !has_run(q->req->resource, q->rlen, p + (t->rphint[j] >> 16),
                                                            t->rphint[j] & 0xffffu))
                g = 0;  /* it lacks a literal run of the pattern */
            else
                g = pdt_glob_arn_zb(p, q->req->resource, q->rlen, &ctx->work);
            r = or3(r, g == PDT_GLOB_INDET ? PDT_TRI_INDET : g ? PDT_TRI_TRUE : PDT_TRI_FALSE);
            break;
        default: /* PDT_RP_TMPL */
            n = pdt_tmpl_expand(ctx, val, buf, sizeof buf);
            if (n >= 0 && (size_t)n <= sizeof buf) {
                g = pdt_glob_arn_b(buf, (size_t)n, q->req->resource, q->rlen, &ctx->work);
                r = or3(r, g == PDT_GLOB_INDET ? PDT_TRI_INDET : g ? PDT_TRI_TRUE : PDT_TRI_FALSE);
            } else if (n != -1) {
                r = or3(r, PDT_TRI_INDET);
            }
            break;
        }
    }
    return (s->flags & PDT_STF_NOT_RESOURCE) ? not3(r) : r;
}

/* Applicability of statement i given its action result (three-valued):
 * resource AND condition.  Deny applies when TRUE or INDET, Allow when TRUE. */
int pdt_lookup_applies(const struct pdt_table *t, uint32_t i, const struct pdt_lookup_req *q,
                       struct pdt_ctx *ctx, const int *dfa_hit)
{
    const struct pdt_fmt_stmt *s = &t->stmts[i];
    enum pdt_tri r = pdt_lookup_resource(t, i, q, ctx, dfa_hit);
    if (r == PDT_TRI_FALSE)
        return 0;
    if (s->cond != PDT_COND_NONE) {
        enum pdt_tri c = pdt_cond_eval(ctx, s->cond);
        r = (c == PDT_TRI_FALSE) ? PDT_TRI_FALSE : (c == PDT_TRI_INDET ? PDT_TRI_INDET : r);
    }
    if (s->effect == PDT_EFFECT_DENY)
        return r != PDT_TRI_FALSE;
    return r == PDT_TRI_TRUE;
}

/* Policy file of statement i (provenance present; the loader checked that
 * the runs start at statement 0 and increase): the same answer as
 * pdt_table_file, by a branch-free binary search (conditional moves), since
 * the branches of a search over a thousand policies' runs are unpredictable
 * from one request to the next. */
static uint32_t prov_file(const struct pdt_table *t, uint32_t i)
{
    const struct pdt_fmt_provrun *r = t->provruns;
    uint32_t n = t->nprovruns;

    while (n > 1) {
        uint32_t half = n / 2;
        r = r[half].first <= i ? r + half : r;
        n -= half;
    }
    return r->file;
}

enum pdt_decision pdt_lookup_finish(const struct pdt_table *t, int64_t stmt, struct pdt_why *why)
{
    enum pdt_decision d = PDT_IMPLICIT_DENY;
    if (stmt >= 0)
        d = t->stmts[stmt].effect == PDT_EFFECT_DENY ? PDT_EXPLICIT_DENY : PDT_ALLOW;
    if (why) {
        why->statement = stmt >= 0 ? (int32_t)stmt : -1;
        why->policy = NULL;
        why->line = 0;
        why->sid = NULL;
        if (stmt >= 0 && t->prov) {
            const struct pdt_fmt_prov *p = &t->prov[stmt];
            why->policy = pdt_table_str(t, prov_file(t, (uint32_t)stmt));
            why->line = p->line;
            why->sid = p->sid ? pdt_table_str(t, p->sid) : NULL;
        }
    }
    return d;
}

/* ---- indexed path ------------------------------------------------------ */

struct scan {
    const struct pdt_table *t;
    struct pdt_lookup_req *q;
    struct pdt_ctx *ctx;
    int64_t best_deny, best_allow;
    int dfa_ready;
    uint32_t nacc;
    uint32_t acc[2 * PDT_DFA_MAX_RUN];  /* list refs accepted by the automata */
};

static void run_dfas(struct scan *s, uint32_t first, uint32_t count)
{
    uint32_t i;
    for (i = 0; i < count && s->nacc < 2 * PDT_DFA_MAX_RUN; i++) {
        uint32_t a = pdt_dfa_run(s->t, first + i, s->q->req->resource, s->q->rlen);
        if (a != UINT32_MAX)
            s->acc[s->nacc++] = s->t->accepts[a];
    }
}

/* 1 when an automaton accepted the resource for statement e. */
static int dfa_member(struct scan *s, uint32_t e)
{
    uint32_t i, first, count;
    if (!s->dfa_ready) {
        s->dfa_ready = 1;
        pdt_dfa_bucket(s->t, s->q->req->resource, s->q->rlen, &first, &count);
        run_dfas(s, first, count);
        run_dfas(s, s->t->meta->generic_dfa_first, s->t->meta->generic_dfa_count);
    }
    for (i = 0; i < s->nacc; i++)
        if (pdt_table_list_has(s->t, s->acc[i], e))
            return 1;
    return 0;
}

static int scan_applies(struct scan *s, uint32_t e)
{
    int hit = 0;
    if (s->t->stmts[e].flags & PDT_STF_RES_DFA)
        hit = dfa_member(s, e);
    return pdt_lookup_applies(s->t, e, s->q, s->ctx, &hit);
}

/* Considers candidate e: keeps the lowest applicable Deny and, while no
 * Deny is known, the lowest applicable Allow.  Returns 1 when the rest of an
 * increasing list cannot improve the result. */
static int consider(struct scan *s, uint32_t e)
{
    if (e < s->t->ndeny_identity) {
        if (s->best_deny >= 0 && e >= s->best_deny)
            return 1;
        if (scan_applies(s, e)) {
            s->best_deny = e;
            return 1;
        }
        return 0;
    }
    if (s->best_deny >= 0 || (s->best_allow >= 0 && e >= s->best_allow))
        return 1;
    if (scan_applies(s, e)) {
        s->best_allow = e;
        return 1;
    }
    return 0;
}

/* Walks one sorted candidate list (notaction: the NotAction list, whose
 * k-th statement is a candidate only if none of its patterns matches). */
static void scan_list(struct scan *s, uint32_t ref, int notaction)
{
    struct pdt_listv l;
    uint32_t k;
    pdt_table_list(s->t, ref, &l);
    for (k = 0; k < l.n; k++) {
        if (notaction && pdt_lookup_action_match(s->t, k, s->q))
            continue;
        if (consider(s, pdt_listv_at(&l, k)))
            return;
    }
}

/* One action index (the Action index or the NotAction one). */
struct actindex {
    const struct pdt_hashview *hash, *svc;
    const uint32_t *aux;
    const struct pdt_fmt_actwild *wild;
    uint32_t star;
    const uint32_t *filter;  /* service filter (format.h) */
    uint32_t fmask;          /* 63: two words; 31: one word */
};

/* Calls fn(arg, ref) for the list ref of every pattern of index x that
 * matches the request action: "*", the exact action, each prefix key (only
 * the lengths whose first two bytes after "svc:" agree), each wildcard
 * pattern of the service.  Bounded by the table's counts. */
#if defined(__GNUC__)
__attribute__((always_inline))  /* -O2 would call it, and fn through a pointer */
#endif
static inline void walk_index(const struct pdt_table *t, const struct actindex *x, struct pdt_lookup_req *q,
                       void (*fn)(void *, uint32_t), void *arg)
{
    const char *lc = q->lc;
    const uint32_t *r;
    const struct pdt_fmt_svcent *svc;
    uint32_t i;

    if (x->star != PDT_LIST_EMPTY)
        fn(arg, x->star);
    if (x->hash->h->nent == 0 && x->svc->h->nent == 0)
        return;
    if (!(q->hashed & 1)) {  /* the same keys for both indexes: hash them once */
        q->hexact = pdt_hash_key(lc, q->alen, PDT_SEED_EXACT);
        q->hashed |= 1;
    }
    if ((r = pdt_acthash_exact(t, x->hash, lc, q->alen, q->hexact)) != NULL)
        fn(arg, *r);
    {
        unsigned bit = PDT_SVC_BIT(lc, q->svclen) & x->fmask;
        if (!(x->filter[bit / 32] & (1u << (bit % 32))))
            return;  /* no record for this service */
    }
    if (!(q->hashed & 2)) {
        q->hsvc = pdt_hash_key(lc, q->svclen, PDT_SEED_SVC);
        q->hashed |= 2;
    }
    if ((svc = pdt_acthash_service(t, x->svc, lc, q->svclen, q->hsvc)) != NULL) {
        uint32_t c1 = q->alen > q->svclen ? (unsigned char)lc[q->svclen] : 0;
        uint32_t c2 = q->alen > q->svclen + 1 ? (unsigned char)lc[q->svclen + 1] : 0;
        for (i = 0; i < svc->plen_cnt; i++) {
            uint32_t v = x->aux[svc->plen_off + i], plen = PDT_PLEN_LEN(v);
            if (plen > q->alen)
                break;
            if ((plen > q->svclen && PDT_PLEN_B1(v) != c1) || (plen > q->svclen + 1 && PDT_PLEN_B2(v) != c2))
                continue;
            if ((r = pdt_acthash_prefix(t, x->hash, lc, plen)) != NULL)
                fn(arg, *r);
        }
        for (i = 0; i < svc->wild_cnt; i++) {
            const struct pdt_fmt_actwild *w = &x->wild[svc->wild_off + i];
            if (pdt_glob_action_lz(pdt_table_str(t, w->pat), lc, q->alen))
                fn(arg, w->list);
        }
    }
}

static void scan_cb(void *arg, uint32_t ref)
{
    scan_list(arg, ref, 0);
}

/* NotAction statements whose patterns match, as a bitmap of ordinals. */
#define NA_BITS 4096u
struct nabits {
    const struct pdt_table *t;
    uint64_t w[NA_BITS / 64];
};

static void na_cb(void *arg, uint32_t ref)
{
    struct nabits *b = arg;
    struct pdt_listv l;
    uint32_t k;
    pdt_table_list(b->t, ref, &l);
    for (k = 0; k < l.n; k++) {
        uint32_t o = pdt_listv_at(&l, k);
        if (o < NA_BITS)
            b->w[o / 64] |= (uint64_t)1 << (o % 64);
    }
}

/* The NotAction statements whose patterns all miss the action: through the
 * NotAction index when there are at most NA_BITS of them, else linearly. */
static void scan_notaction(struct scan *s)
{
    struct actindex x = {&s->t->nahash, &s->t->nasvc, s->t->naaux, s->t->nawild, s->t->meta->na_star,
                         &s->t->meta->na_svc_filter, 31};
    struct nabits b;
    struct pdt_listv l;
    uint32_t k;

    if (s->t->nna == 0)
        return;
    if (s->t->nna > NA_BITS) {
        scan_list(s, s->t->meta->notaction, 1);
        return;
    }
    b.t = s->t;
    memset(b.w, 0, ((s->t->nna + 63) / 64) * 8);
    walk_index(s->t, &x, s->q, na_cb, &b);
    pdt_table_list(s->t, s->t->meta->notaction, &l);
    for (k = 0; k < l.n; k++) {
        if (b.w[k / 64] & ((uint64_t)1 << (k % 64)))
            continue;  /* a NotAction pattern names the action */
        if (consider(s, pdt_listv_at(&l, k)))
            return;
    }
}

enum pdt_decision pdt_decide(const struct pdt_table *t, const struct pdt_request *req, struct pdt_why *why)
{
    struct pdt_lookup_req q;
    struct pdt_ctx ctx;
    struct scan s;
    struct actindex x;

    if (!t || pdt_lookup_prepare(req, &q) != 0)
        return pdt_lookup_finish(t, -1, why);
    pdt_ctx_init(&ctx, t, req);
    s.dfa_ready = 0;
    s.nacc = 0;
    s.t = t;
    s.q = &q;
    s.ctx = &ctx;
    s.best_deny = s.best_allow = -1;
    x.hash = &t->acthash;
    x.svc = &t->actsvc;
    x.aux = t->actaux;
    x.wild = t->actwild;
    x.star = t->meta->star;
    x.filter = t->meta->svc_filter;
    x.fmask = 63;
    walk_index(t, &x, &q, scan_cb, &s);
    scan_notaction(&s);
    return pdt_lookup_finish(t, s.best_deny >= 0 ? s.best_deny : s.best_allow, why);
}
