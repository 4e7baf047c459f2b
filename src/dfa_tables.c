/* dfa_tables.c - the resource side of a table (dfa_build_all, lower_int.h):
 * unique static patterns, bucketing by literal "arn:partition:service:"
 * prefix (or the generic bucket), candidate automata per bucket (chunks,
 * bisected when over the state budget or the bytes-per-pattern cap), the
 * table-wide selection of candidates by entries replaced per byte, the
 * RESBKT hash, the DFAS/DFADATA/ACCEPTS sections, and marking the compiled
 * patterns PDT_RP_DFA.  Bounds (docs/format.md): at most PDT_DFA_MAX_RUN
 * automata per bucket and in the generic bucket, at most the state budget
 * per automaton, DFA_TOTAL_STATES states and a byte budget proportional to
 * the candidate patterns' bytes per table, patterns of at most
 * DFA_MAX_PATTERN bytes; everything else stays with the glob matcher. */
#include <stdlib.h>
#include <string.h>

#include "dfa.h"
#include "dfa_build.h"
#include "hash.h"
#include "lower_int.h"

#define DFA_CHUNK 16              /* patterns per first attempt */
#define DFA_LONE_MIN_REFS 2u      /* a lone pattern's automaton must serve this many entries */
#define DFA_PAT_BYTES 512u        /* automaton bytes per covered pattern, beyond DFA_FIXED_BYTES */
#define DFA_BUDGET_DIV 3u         /* automata bytes per table: candidate pattern bytes / this ... */
#define DFA_BUDGET_MIN 4096u      /* ... but at least this */
#define DFA_TOTAL_STATES 1024u    /* states over all automata of a table (docs/limits.md) */

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

struct cand {                /* one automaton that fits its own caps */
    struct upat *u;          /* its patterns u[0..m), sorted */
    size_t m, skip;
    struct dfa_out d;
    uint64_t cost, refs;     /* table bytes (dfa_cost); GLOB entries it replaces */
    int sel;
};

struct dfactx {
    struct lower_ctx *c;
    struct buf *dfas, *data, *acc;
    uint32_t ndfas, naccepts;
    uint32_t *amap;          /* accept dedupe: slot -> accept index + 1, keyed by list ref */
    uint32_t *alist;
    size_t namap;
    uint32_t *tmp;           /* statement union scratch (2 * nstmts + 2) */
    size_t ntmp;             /* capacity of tmp */
    uint64_t bytes_left;     /* table-wide automaton byte budget still available */
    uint64_t states_left;    /* table-wide state budget still available */
    struct cand *cands;      /* automata built, before the table-wide selection */
    size_t ncands, capcands;
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

/* 1 when state s of d goes to itself on every byte (its answer is then
 * settled, whatever follows). */
static int is_sink(const struct dfa_out *d, uint32_t s)
{
    uint32_t c;
    for (c = 0; c < d->nclasses; c++)
        if (d->trans[(size_t)s * d->nclasses + c] != s)
            return 0;
    return 1;
}

/* Emits automaton d for patterns u[0..n) with literal prefix length skip.
 * States are renumbered so that the sinks (other than the dead state 0 and
 * the start state 1) come last: the runtime stops reading the resource at
 * the first of them (docs/format.md, runtime/dfa.c). */
static int emit_dfa(struct dfactx *x, struct upat *u, size_t n, size_t skip, const struct dfa_out *d)
{
    struct pdt_fmt_dfa f;
    uint32_t s, *accv, *perm, *old, lo = 0, hi = d->nstates;
    size_t i, j, k;
    perm = arena_calloc(x->c->a, d->nstates, 4);   /* old state -> new */
    old = arena_calloc(x->c->a, d->nstates, 4);    /* new state -> old */
    if (!perm || !old)
        return -1;
    for (s = 0; s < d->nstates; s++)  /* the other states from the front, the sinks from the back */
        old[s >= 2 && is_sink(d, s) ? --hi : lo++] = s;
    for (s = 0; s < d->nstates; s++)
        perm[old[s]] = s;
    memset(&f, 0, sizeof f);
    f.prefix = emit_str(&x->c->e, u[0].pat, skip);
    f.prefix_len = (uint32_t)skip;
    f.nstates = d->nstates;
    f.nclasses = d->nclasses;
    f.npatterns = (uint32_t)n;
    f.classes = (uint32_t)x->data->len;
    buf_append(x->data, d->classes, 256);
    f.trans = (uint32_t)x->data->len;
    for (s = 0; s < d->nstates; s++)  /* target rows (format.h), in the new order */
        for (i = 0; i < d->nclasses; i++)
            buf_u16(x->data, (uint16_t)(perm[d->trans[(size_t)old[s] * d->nclasses + i]] * d->nclasses));
    buf_align(x->data, 4);
    f.accept = (uint32_t)x->data->len;
    accv = arena_calloc(x->c->a, d->nstates, 4);
    if (!accv)
        return -1;
    accv[0] = UINT32_MAX;
    for (s = 1; s < d->nstates; s++) {
        size_t m = 0;
        uint32_t r, o = old[s];
        long id;
        accv[s] = UINT32_MAX;
        if (d->acc_len[o] == 0)
            continue;
        for (i = 0; i < d->acc_len[o]; i++) {
            const struct upat *p = &u[d->acc_pool[d->acc_off[o] + i]];
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

#define DFA_FIXED_BYTES (sizeof(struct pdt_fmt_dfa) + 256u)  /* header and class map */

/* Table bytes of automaton d: header, class map, transitions, accept ids
 * (with alignment padding). */
static uint64_t dfa_cost(const struct dfa_out *d)
{
    uint64_t tr = ((uint64_t)d->nstates * d->nclasses * 2 + 3) & ~(uint64_t)3;
    return DFA_FIXED_BYTES + tr + (((uint64_t)d->nstates * 4 + 7) & ~(uint64_t)7);
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

/* 1 when the escaped glob p[0..n) has an unescaped '*' or '?'. */
static int has_wildcard(const char *p, size_t n)
{
    size_t k;
    for (k = 0; k < n; k++) {
        if (p[k] == '*' || p[k] == '?')
            return 1;
        if (p[k] == '\\')
            k++;
    }
    return 0;
}

/* The byte classes dfa_build gives pats[0..m) after skip bytes, or fewer:
 * ':' and each literal byte alone, and one class for the other bytes
 * ('?' may split that one further). */
static uint32_t min_classes(const char *const *pats, const size_t *lens, size_t m, size_t skip)
{
    uint8_t used[256];
    uint32_t n = 1;
    size_t i, k;
    memset(used, 0, sizeof used);
    used[':'] = 1;
    for (i = 0; i < m; i++)
        for (k = skip; k < lens[i]; k++) {
            unsigned char ch = (unsigned char)pats[i][k];
            if (ch == '*' || ch == '?')
                continue;
            if (ch == '\\' && k + 1 < lens[i])
                ch = (unsigned char)pats[i][++k];
            if (!used[ch]) {
                used[ch] = 1;
                n++;
            }
        }
    return n < 256 ? n + 1 : n;
}

/* Candidate automata for one bucket u[0..n) (sorted), appended to x->cands
 * in pattern order: try chunks of DFA_CHUNK patterns, bisect a range whose
 * automaton exceeds the state budget or DFA_PAT_BYTES per pattern; single
 * patterns over a cap, lone patterns that would not pay off and ranges past
 * the per-bucket limit stay with the glob matcher. */
static int do_bucket(struct dfactx *x, struct upat *u, size_t n, uint32_t budget)
{
    size_t lo_st[80], hi_st[80], sp = 0, i, lo0, count = 0;
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
        uint64_t cap;
        const char **pats;
        size_t *lens;
        struct dfa_out d;
        int rc;
        if (count >= PDT_DFA_MAX_RUN)
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
        /* states the byte caps could pay for: a state costs at least
         * 2 * nclasses + 4 bytes (dfa_cost), so a larger automaton would be
         * refused after building it anyway */
        cap = (uint64_t)DFA_PAT_BYTES * m + DFA_FIXED_BYTES;
        if (cap > x->bytes_left)
            cap = x->bytes_left;
        cap = cap > DFA_FIXED_BYTES ? (cap - DFA_FIXED_BYTES) / (2u * min_classes(pats, lens, m, skip) + 4u) : 0;
        if (cap > x->states_left)
            cap = x->states_left;
        if (cap > budget)
            cap = budget;
        if (m == 1 && (u[lo].rcount < DFA_LONE_MIN_REFS || !has_wildcard(u[lo].pat, u[lo].len)))
            continue;  /* a lone pattern: globbing (strcmp for a literal) is as fast */
        /* cap < 2: nothing affordable, try the halves (fewer classes) */
        rc = cap < 2 ? 1 : dfa_build(x->c->a, pats, lens, m, skip, (uint32_t)cap, &d);
        if (rc < 0)
            return -1;
        if (rc == 0 && (size_t)d.nstates * d.nclasses > 65536)
            rc = 1;  /* rows would not fit the u16 transitions */
        if (rc == 0 && dfa_cost(&d) > (uint64_t)DFA_PAT_BYTES * m + DFA_FIXED_BYTES)
            rc = 1;
        if (rc == 0) {
            struct cand *k;
            if (x->ncands == x->capcands) {
                size_t nc = x->capcands ? 2 * x->capcands : 64;
                struct cand *g = arena_grow(x->c->a, x->cands, x->capcands, nc, sizeof *g);
                if (!g)
                    return -1;
                x->cands = g;
                x->capcands = nc;
            }
            k = &x->cands[x->ncands++];
            memset(k, 0, sizeof *k);
            k->u = u + lo;
            k->m = m;
            k->skip = skip;
            k->d = d;
            k->cost = dfa_cost(&d);
            for (i = 0; i < m; i++)
                k->refs += u[lo + i].rcount;
            count++;
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

struct rank {                /* sort key of a candidate */
    uint64_t refs, cost;
    uint32_t i;
};

/* Candidate order for the selection: more replaced entries per byte first,
 * then table order (deterministic). */
static int cmp_rank(const void *p, const void *q)
{
    const struct rank *a = p, *b = q;
    uint64_t l = a->refs * b->cost, r = b->refs * a->cost;
    if (l != r)
        return l > r ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Selects candidates, the most entries per byte first, within the table's
 * byte and state budgets. */
static int select_cands(struct dfactx *x)
{
    struct rank *ord = arena_calloc(x->c->a, x->ncands + 1, sizeof *ord);
    size_t i;
    if (!ord)
        return -1;
    for (i = 0; i < x->ncands; i++) {
        ord[i].refs = x->cands[i].refs;
        ord[i].cost = x->cands[i].cost;
        ord[i].i = (uint32_t)i;
    }
    if (x->ncands > 1)
        qsort(ord, x->ncands, sizeof *ord, cmp_rank);
    for (i = 0; i < x->ncands; i++) {
        struct cand *k = &x->cands[ord[i].i];
        if (k->cost <= x->bytes_left && k->d.nstates <= x->states_left) {
            k->sel = 1;
            x->bytes_left -= k->cost;
            x->states_left -= k->d.nstates;
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
    size_t *cfirst = arena_calloc(c->a, nu + 1, sizeof *cfirst);
    size_t i, j, k, nb = 0;
    if (!bk || !ents || !hashes || !cfirst)
        return -1;
    for (i = 0; i < nu; i = j) {  /* candidates of every bucket */
        for (j = i + 1; j < nu && u[j].keylen == u[i].keylen &&
                        memcmp(u[j].pat, u[i].pat, u[i].keylen) == 0; j++)
            ;
        cfirst[i] = x->ncands;
        if (do_bucket(x, u + i, j - i, budget) < 0)
            return -1;
    }
    if (select_cands(x) < 0)
        return -1;
    for (i = 0; i < nu; i = j) {
        uint32_t first = x->ndfas, count = 0;
        size_t cend;
        for (j = i + 1; j < nu && u[j].keylen == u[i].keylen &&
                        memcmp(u[j].pat, u[i].pat, u[i].keylen) == 0; j++)
            ;
        cend = j < nu ? cfirst[j] : x->ncands;
        for (k = cfirst[i]; k < cend; k++)
            if (x->cands[k].sel) {
                if (emit_dfa(x, x->cands[k].u, x->cands[k].m, x->cands[k].skip, &x->cands[k].d) < 0)
                    return -1;
                count++;
            }
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
    size_t nr = 0, nu = 0, nel = 0, i, j, k;

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
    /* every static pattern is a candidate: the byte budget and cost rules decide */
    for (i = 0; i < c->nstmts; i++)
        for (j = 0; j < c->stmts[i].nres; j++)
            nr += c->stmts[i].res[j].kind == PDT_RP_GLOB;
    rr = arena_calloc(c->a, nr + 1, sizeof *rr);
    u = arena_calloc(c->a, nr + 1, sizeof *u);
    if (!rr || !u)
        return -1;
    for (i = 0, k = 0; i < c->nstmts; i++)
        for (j = 0; j < c->stmts[i].nres; j++)
            if (c->stmts[i].res[j].kind == PDT_RP_GLOB) {
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
    for (i = 0; i < nu; i++)
        x.bytes_left += u[i].len;
    x.bytes_left /= DFA_BUDGET_DIV;
    if (x.bytes_left < DFA_BUDGET_MIN)
        x.bytes_left = DFA_BUDGET_MIN;
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
    c->meta.npatterns_glob = (uint32_t)(nr - nel);
    return x.dfas->failed || x.data->failed || x.acc->failed ? -1 : 0;
}
