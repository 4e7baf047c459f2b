/* dfa_tables.c - the resource side of a table (dfa_build_all, lower_int.h):
 * unique static patterns, bucketing by literal "arn:partition:service:"
 * prefix (or the generic bucket), bisection of buckets that exceed the state
 * budget, the RESBKT hash, the DFAS/DFADATA/ACCEPTS sections, and marking
 * the compiled patterns PDT_RP_DFA.  Bounds (docs/format.md): at most
 * PDT_DFA_MAX_RUN automata per bucket and in the generic bucket, at most
 * the state budget per automaton, patterns of at most DFA_MAX_PATTERN bytes;
 * everything else stays with the glob matcher. */
#include <stdlib.h>
#include <string.h>

#include "dfa.h"
#include "dfa_build.h"
#include "hash.h"
#include "lower_int.h"

#define DFA_CHUNK 16              /* patterns per first attempt */
#define DFA_MIN_STMT_PATTERNS 4   /* automata only for statements with this many static patterns */
#define DFA_TOTAL_STATES 1024u    /* states over all automata of a table */

struct upat {
    const char *pat;
    size_t len;
    size_t keylen;           /* bucket key length; 0 = generic bucket */
    uint32_t *stmts;         /* statements using it, increasing */
    size_t nstmts;
    size_t rfirst, rcount;   /* its entries in the sorted rref array */
    int in_dfa;
};

static int cmp_u32_tables(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* Sorts v[0..n) and removes duplicates; returns the new length. */
static size_t dedupe_u32(uint32_t *v, size_t n)
{
    size_t i, k = 0;
    qsort(v, n, sizeof *v, cmp_u32_tables);
    for (i = 0; i < n; i++)
        if (k == 0 || v[k - 1] != v[i])
            v[k++] = v[i];
    return k;
}

struct rref {                /* one GLOB resource entry */
    struct lower_res *r;
    uint32_t stmt;
};

static int cmp_rref(const void *x, const void *y)
{
    const struct rref *a = x, *b = y;
    int c = strcmp(a->r->pat, b->r->pat);
    return c ? c : (a->stmt < b->stmt ? -1 : a->stmt > b->stmt);
}

/* Length of the bucket key ("arn:aws:s3:") or 0 when a wildcard or escape
 * comes before the third ':'. */
static size_t bucket_key(const char *p, size_t n)
{
    size_t i, colons = 0;
    for (i = 0; i < n; i++) {
        if (p[i] == '*' || p[i] == '?' || p[i] == '\\')
            return 0;
        if (p[i] == ':' && ++colons == 3)
            return i + 1;
    }
    return 0;
}

static int cmp_upat(const void *x, const void *y)
{
    const struct upat *a = x, *b = y;
    int c;
    if ((a->keylen == 0) != (b->keylen == 0))
        return a->keylen == 0 ? 1 : -1;  /* generic bucket last */
    if (a->keylen && b->keylen) {
        size_t m = a->keylen < b->keylen ? a->keylen : b->keylen;
        c = memcmp(a->pat, b->pat, m);
        if (c || a->keylen != b->keylen)
            return c ? c : (a->keylen < b->keylen ? -1 : 1);
    }
    return strcmp(a->pat, b->pat);
}

struct dfactx {
    struct lower_ctx *c;
    struct buf *dfas, *data, *acc;
    uint32_t ndfas, naccepts;
    uint32_t *amap;          /* accept dedupe: slot -> accept index + 1, keyed by list ref */
    uint32_t *alist;
    size_t namap;
    uint32_t *tmp;           /* statement union scratch (2 * nstmts + 2) */
    size_t ntmp;             /* capacity of tmp */
    uint64_t states_left;    /* table-wide state budget still available */
};

static long accept_id(struct dfactx *x, uint32_t r)
{
    size_t h = (r * 2654435761u) & (x->namap - 1);
    while (x->amap[h]) {
        if (x->alist[x->amap[h] - 1] == r)
            return x->amap[h] - 1;
        h = (h + 1) & (x->namap - 1);
    }
    if ((x->naccepts + 1) * 2 > x->namap) {
        size_t nn = x->namap * 2, i;
        uint32_t *m = arena_calloc(x->c->a, nn, sizeof *m);
        uint32_t *l = arena_grow(x->c->a, x->alist, x->naccepts, nn / 2, sizeof *l);
        if (!m || !l)
            return -1;
        for (i = 0; i < x->naccepts; i++) {
            size_t k = (l[i] * 2654435761u) & (nn - 1);
            while (m[k])
                k = (k + 1) & (nn - 1);
            m[k] = (uint32_t)i + 1;
        }
        x->amap = m;
        x->alist = l;
        x->namap = nn;
        h = (r * 2654435761u) & (nn - 1);
        while (x->amap[h])
            h = (h + 1) & (nn - 1);
    }
    x->alist[x->naccepts] = r;
    x->amap[h] = ++x->naccepts;
    buf_u32(x->acc, r);
    return x->naccepts - 1;
}

/* Emits automaton d for patterns u[0..n) with literal prefix length skip. */
static int emit_dfa(struct dfactx *x, struct upat *u, size_t n, size_t skip, const struct dfa_out *d)
{
    struct pdt_fmt_dfa f;
    uint32_t s, *accv;
    size_t i, j, k;
    memset(&f, 0, sizeof f);
    f.prefix = emit_str(&x->c->e, u[0].pat, skip);
    f.prefix_len = (uint32_t)skip;
    f.nstates = d->nstates;
    f.nclasses = d->nclasses;
    f.npatterns = (uint32_t)n;
    f.classes = (uint32_t)x->data->len;
    buf_append(x->data, d->classes, 256);
    f.trans = (uint32_t)x->data->len;
    for (i = 0; i < (size_t)d->nstates * d->nclasses; i++)  /* target rows (format.h) */
        buf_u16(x->data, (uint16_t)(d->trans[i] * d->nclasses));
    buf_align(x->data, 4);
    f.accept = (uint32_t)x->data->len;
    accv = arena_calloc(x->c->a, d->nstates, 4);
    if (!accv)
        return -1;
    accv[0] = UINT32_MAX;
    for (s = 1; s < d->nstates; s++) {
        size_t m = 0;
        uint32_t r;
        long id;
        accv[s] = UINT32_MAX;
        if (d->acc_len[s] == 0)
            continue;
        for (i = 0; i < d->acc_len[s]; i++) {
            const struct upat *p = &u[d->acc_pool[d->acc_off[s] + i]];
            if (m + p->nstmts > x->ntmp)
                m = dedupe_u32(x->tmp, m);  /* <= nstmts, so p's list fits in 2*nstmts */
            for (j = 0; j < p->nstmts; j++)
                x->tmp[m++] = p->stmts[j];
        }
        k = dedupe_u32(x->tmp, m);
        if (lower_list(x->c, x->tmp, k, &r) < 0 || (id = accept_id(x, r)) < 0)
            return -1;
        accv[s] = (uint32_t)id;
    }
    buf_append(x->data, accv, (size_t)d->nstates * 4);
    buf_align(x->data, 8);
    buf_append(x->dfas, &f, sizeof f);
    for (i = 0; i < n; i++)
        u[i].in_dfa = 1;
    x->ndfas++;
    return x->data->failed || x->c->e.failed ? -1 : 0;
}

/* Longest literal prefix shared by the sorted patterns u[0..n). */
static size_t literal_lcp(const struct upat *u, size_t n)
{
    const char *a = u[0].pat, *b = u[n - 1].pat;
    size_t i;
    for (i = 0; a[i] && a[i] == b[i]; i++)
        if (a[i] == '*' || a[i] == '?' || a[i] == '\\')
            break;
    return i;
}

/* Automata for one bucket u[0..n) (sorted): try the whole range, bisect a
 * range whose automaton exceeds the budget; single patterns over budget and
 * ranges past the per-bucket limit stay with the glob matcher. */
static int do_bucket(struct dfactx *x, struct upat *u, size_t n, uint32_t budget, uint32_t *count)
{
    size_t lo_st[80], hi_st[80], sp = 0, i, lo0;
    /* initial ranges of at most DFA_CHUNK patterns, pushed last-first */
    for (lo0 = 0; lo0 < n; lo0 += DFA_CHUNK)
        ;
    while (lo0 > 0 && sp < 40) {
        size_t hi0 = lo0 < n ? lo0 : n;
        lo0 -= DFA_CHUNK;
        lo_st[sp] = lo0;
        hi_st[sp++] = hi0;
    }
    while (sp > 0) {
        size_t lo = lo_st[--sp], hi = hi_st[sp], skip, m = hi - lo;
        const char **pats;
        size_t *lens;
        struct dfa_out d;
        int rc;
        if (*count >= PDT_DFA_MAX_RUN)
            continue;
        pats = arena_calloc(x->c->a, m, sizeof *pats);
        lens = arena_calloc(x->c->a, m, sizeof *lens);
        if (!pats || !lens)
            return -1;
        for (i = 0; i < m; i++) {
            pats[i] = u[lo + i].pat;
            lens[i] = u[lo + i].len;
        }
        skip = literal_lcp(u + lo, m);
        rc = dfa_build(x->c->a, pats, lens, m, skip,
                       (uint32_t)(x->states_left < budget ? x->states_left : budget), &d);
        if (rc < 0)
            return -1;
        if (rc == 0 && (size_t)d.nstates * d.nclasses > 65536)
            rc = 1;  /* rows would not fit the u16 transitions */
        if (rc == 0) {
            x->states_left -= d.nstates;
            if (emit_dfa(x, u + lo, m, skip, &d) < 0)
                return -1;
            (*count)++;
        } else if (m > 1 && sp + 2 <= sizeof lo_st / sizeof lo_st[0]) {
            size_t mid = lo + m / 2;
            lo_st[sp] = mid;
            hi_st[sp++] = hi;
            lo_st[sp] = lo;
            hi_st[sp++] = mid;
        }
    }
    return 0;
}

static int emit_buckets(struct dfactx *x, struct upat *u, size_t nu, uint32_t budget)
{
    struct lower_ctx *c = x->c;
    struct buf *bk = emit_section(&c->e, PDT_SEC_RESBKT, PDT_SF_REQUIRED);
    struct pdt_fmt_bktent *ents = arena_calloc(c->a, nu + 1, sizeof *ents);
    uint32_t *hashes = arena_calloc(c->a, nu + 1, sizeof *hashes);
    size_t i, j, nb = 0;
    if (!bk || !ents || !hashes)
        return -1;
    for (i = 0; i < nu; i = j) {
        uint32_t first = x->ndfas, count = 0;
        for (j = i + 1; j < nu && u[j].keylen == u[i].keylen &&
                        memcmp(u[j].pat, u[i].pat, u[i].keylen) == 0; j++)
            ;
        if (do_bucket(x, u + i, j - i, budget, &count) < 0)
            return -1;
        if (count == 0)
            continue;
        if (u[i].keylen == 0) {
            c->meta.generic_dfa_first = first;
            c->meta.generic_dfa_count = count;
        } else {
            hashes[nb] = pdt_hash_key(u[i].pat, u[i].keylen, PDT_SEED_BUCKET);
            ents[nb].key = emit_str(&c->e, u[i].pat, u[i].keylen);
            ents[nb].dfa_first = first;
            ents[nb].dfa_count = count;
            nb++;
        }
    }
    return lower_hashtab(bk, ents, hashes, nb, sizeof *ents);
}

int dfa_build_all(struct lower_ctx *c)
{
    struct dfactx x;
    struct rref *rr;
    struct upat *u;
    size_t nr = 0, nu = 0, nel = 0, nglob = 0, i, j, k;

    memset(&x, 0, sizeof x);
    x.c = c;
    x.dfas = emit_section(&c->e, PDT_SEC_DFAS, PDT_SF_REQUIRED);
    x.data = emit_section(&c->e, PDT_SEC_DFADATA, PDT_SF_REQUIRED);
    x.acc = emit_section(&c->e, PDT_SEC_ACCEPTS, PDT_SF_REQUIRED);
    x.namap = 1024;
    x.states_left = DFA_TOTAL_STATES;
    x.amap = arena_calloc(c->a, x.namap, sizeof *x.amap);
    x.alist = arena_calloc(c->a, x.namap / 2, sizeof *x.alist);
    x.ntmp = 2 * c->nstmts + 2;
    x.tmp = arena_calloc(c->a, x.ntmp, sizeof *x.tmp);
    if (!x.dfas || !x.data || !x.acc || !x.amap || !x.alist || !x.tmp)
        return -1;
    for (i = 0; i < c->nstmts; i++) {
        size_t ns = 0;
        for (j = 0; j < c->stmts[i].nres; j++)
            ns += c->stmts[i].res[j].kind == PDT_RP_GLOB;
        c->stmts[i].dfa_eligible = ns >= DFA_MIN_STMT_PATTERNS;
        if (c->stmts[i].dfa_eligible)
            nr += ns;
        else
            nglob += ns;
    }
    rr = arena_calloc(c->a, nr + 1, sizeof *rr);
    u = arena_calloc(c->a, nr + 1, sizeof *u);
    if (!rr || !u)
        return -1;
    for (i = 0, k = 0; i < c->nstmts; i++)
        for (j = 0; j < c->stmts[i].nres; j++)
            if (c->stmts[i].dfa_eligible && c->stmts[i].res[j].kind == PDT_RP_GLOB) {
                rr[k].r = &c->stmts[i].res[j];
                rr[k++].stmt = (uint32_t)i;
            }
    if (nr)
        qsort(rr, nr, sizeof *rr, cmp_rref);
    for (i = 0; i < nr; i = j) {
        struct upat *p;
        for (j = i + 1; j < nr && strcmp(rr[j].r->pat, rr[i].r->pat) == 0; j++)
            ;
        if (rr[i].r->len > DFA_MAX_PATTERN)
            continue;
        p = &u[nu++];
        p->pat = rr[i].r->pat;
        p->len = rr[i].r->len;
        p->keylen = bucket_key(p->pat, p->len);
        p->rfirst = i;
        p->rcount = j - i;
        p->stmts = arena_calloc(c->a, j - i, sizeof *p->stmts);
        if (!p->stmts)
            return -1;
        for (k = i; k < j; k++)
            if (p->nstmts == 0 || p->stmts[p->nstmts - 1] != rr[k].stmt)
                p->stmts[p->nstmts++] = rr[k].stmt;
    }
    if (nu)
        qsort(u, nu, sizeof *u, cmp_upat);
    if (emit_buckets(&x, u, nu, c->meta.state_budget) < 0)
        return -1;
    for (i = 0; i < nu; i++)
        if (u[i].in_dfa)
            for (k = u[i].rfirst; k < u[i].rfirst + u[i].rcount; k++) {
                rr[k].r->kind = PDT_RP_DFA;
                nel++;
            }
    c->meta.npatterns_dfa = (uint32_t)nel;
    c->meta.npatterns_glob = (uint32_t)(nr - nel + nglob);
    return x.dfas->failed || x.data->failed || x.acc->failed ? -1 : 0;
}
