/* acthash_build.c - the action index of a table: the open-addressing hash of
 * exact actions and trailing-'*' prefixes (keyed by xxHash of the lower-cased
 * literal), the per-service records (which prefix lengths exist, which
 * wildcard patterns the service has, the service filter), the per-service
 * linear list of other wildcard patterns, and the "*" and NotAction lists
 * (META); built twice: for Action statements and, with NotAction ordinals,
 * for the NotAction statements (the NotAction index). */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "lower_int.h"

enum act_kind { AK_EXACT, AK_PREFIX, AK_WILD };

struct act_tuple {
    const char *pat;      /* lower-cased escaped pattern */
    size_t len;
    size_t svclen;        /* bytes of "svc:" */
    enum act_kind kind;
    uint32_t stmt;
};

static int cmp_tuple(const void *a, const void *b)
{
    const struct act_tuple *x = a, *y = b;
    int r;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    /* strings sharing a prefix are contiguous in strcmp order, so the
     * wildcards of one service ("svc:...") end up grouped */
    r = strcmp(x->pat, y->pat);
    if (r)
        return r;
    return x->stmt < y->stmt ? -1 : x->stmt > y->stmt;
}

/* Classifies an action pattern; returns -1 when it is not indexable (no
 * ':' or a wildcard/escape in the service part; validation refuses these). */
static int classify(const char *p, size_t n, size_t *svclen, enum act_kind *k)
{
    const char *colon = memchr(p, ':', n);
    size_t i, stars = 0, other = 0;
    if (!colon)
        return -1;
    *svclen = (size_t)(colon - p) + 1;
    for (i = 0; i < *svclen; i++)
        if (p[i] == '*' || p[i] == '?' || p[i] == '\\')
            return -1;
    for (i = *svclen; i < n; i++) {
        if (p[i] == '*')
            stars++;
        else if (p[i] == '?' || p[i] == '\\')
            other++;
    }
    if (stars == 0 && other == 0)
        *k = AK_EXACT;
    else if (stars == 1 && other == 0 && p[n - 1] == '*')
        *k = AK_PREFIX;
    else
        *k = AK_WILD;
    return 0;
}

struct svc_acc {
    const char *name;
    size_t len;
    uint32_t *plens;         /* PDT_PLEN_MAKE values, increasing */
    size_t nplens, cap;
    uint32_t wild_off, wild_cnt;
};

static struct svc_acc *svc_get(struct lower_ctx *c, struct svc_acc **v, size_t *n, size_t *cap,
                               const char *name, size_t len)
{
    size_t i;
    for (i = *n; i > 0; i--)  /* the tuples arrive grouped; recent first */
        if ((*v)[i - 1].len == len && memcmp((*v)[i - 1].name, name, len) == 0)
            return &(*v)[i - 1];
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        struct svc_acc *nv = arena_grow(c->a, *v, *n, nc, sizeof **v);
        if (!nv)
            return NULL;
        *v = nv;
        *cap = nc;
    }
    memset(&(*v)[*n], 0, sizeof **v);
    (*v)[*n].name = name;
    (*v)[*n].len = len;
    return &(*v)[(*n)++];
}

static int cmp_svc(const void *a, const void *b)
{
    const struct svc_acc *x = a, *y = b;
    size_t m = x->len < y->len ? x->len : y->len;
    int r = memcmp(x->name, y->name, m);
    return r ? r : (x->len < y->len ? -1 : x->len > y->len);
}

static int add_plen(struct lower_ctx *c, struct svc_acc *s, const char *key, size_t plen)
{
    size_t i, j;
    uint32_t b1 = plen > s->len ? (unsigned char)key[s->len] : 0;
    uint32_t b2 = plen > s->len + 1 ? (unsigned char)key[s->len + 1] : 0;
    uint32_t v = PDT_PLEN_MAKE(plen, b1, b2);
    if (s->nplens == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 8;
        uint32_t *np = arena_grow(c->a, s->plens, s->nplens, nc, sizeof *np);
        if (!np)
            return -1;
        s->plens = np;
        s->cap = nc;
    }
    plen = v;
    for (i = 0; i < s->nplens && s->plens[i] < plen; i++)
        ;
    if (i < s->nplens && s->plens[i] == plen)
        return 0;
    for (j = s->nplens; j > i; j--)
        s->plens[j] = s->plens[j - 1];
    s->plens[i] = (uint32_t)plen;
    s->nplens++;
    return 0;
}

/* One action index (format.h): the Action statements' patterns (elements
 * are statement indices) or, with na, the NotAction statements' patterns
 * (elements are NotAction ordinals).  ids: hash, service, aux, wild
 * section ids; *star receives the "*" list. */
static int build_index(struct lower_ctx *c, int na_index, const uint32_t ids[4], uint32_t *star_ref)
{
    struct buf *bh = emit_section(&c->e, ids[0], PDT_SF_REQUIRED);
    struct buf *bs = emit_section(&c->e, ids[1], PDT_SF_REQUIRED);
    struct buf *ba = emit_section(&c->e, ids[2], PDT_SF_REQUIRED);
    struct buf *bw = emit_section(&c->e, ids[3], PDT_SF_REQUIRED);
    struct act_tuple *tv = NULL;
    struct pdt_fmt_actent *ents = NULL;
    struct pdt_fmt_svcent *sents;
    uint32_t *hashes, *shashes;
    struct svc_acc *svcs = NULL;
    uint32_t *star, *na, *tmp;
    size_t nt = 0, cap = 0, nstar = 0, nna = 0, i, j, k, nents = 0, nsvc = 0, svccap = 0, nwild = 0;

    if (!bh || !bs || !ba || !bw)
        return -1;
    star = arena_calloc(c->a, c->nstmts + 1, sizeof *star);
    na = arena_calloc(c->a, c->nstmts + 1, sizeof *na);
    tmp = arena_calloc(c->a, c->nstmts + 1, sizeof *tmp);
    if (!star || !na || !tmp)
        return -1;
    for (i = 0; i < c->nstmts; i++) {
        struct lower_stmt *ls = &c->stmts[i];
        int is_star = 0;
        uint32_t elem = na_index ? (uint32_t)nna : (uint32_t)i;
        if (ls->not_action)
            na[nna++] = (uint32_t)i;
        if (!ls->not_action != !na_index)
            continue;
        for (j = 0; j < ls->nacts; j++) {
            struct act_tuple t;
            if (ls->act_lens[j] == 1 && ls->acts[j][0] == '*') {
                is_star = 1;
                continue;
            }
            memset(&t, 0, sizeof t);
            t.pat = ls->acts[j];
            t.len = ls->act_lens[j];
            t.stmt = elem;
            if (classify(t.pat, t.len, &t.svclen, &t.kind) < 0 || t.len > PDT_MAX_ACTION) {
                diag_error(c->d, "lower-action", ls->st->action_loc,
                           "action pattern \"%s\" cannot be indexed (needs \"service:name\", "
                           "no wildcard in the service, at most %u bytes)", t.pat, PDT_MAX_ACTION);
                return -1;
            }
            if (nt == cap) {
                size_t nc = cap ? cap * 2 : 1024;
                struct act_tuple *nv = arena_grow(c->a, tv, nt, nc, sizeof *tv);
                if (!nv)
                    return -1;
                tv = nv;
                cap = nc;
            }
            tv[nt++] = t;
        }
        if (is_star)
            star[nstar++] = elem;
    }
    if (lower_list(c, star, nstar, star_ref) < 0)
        return -1;
    if (!na_index && lower_list(c, na, nna, &c->meta.notaction) < 0)
        return -1;
    if (nt)
        qsort(tv, nt, sizeof *tv, cmp_tuple);
    ents = arena_calloc(c->a, nt + 1, sizeof *ents);
    hashes = arena_calloc(c->a, nt + 1, sizeof *hashes);
    if (!ents || !hashes)
        return -1;
    for (i = 0; i < nt; i = j) {
        size_t n = 0;
        struct svc_acc *s = NULL;
        for (j = i; j < nt && tv[j].kind == tv[i].kind && strcmp(tv[j].pat, tv[i].pat) == 0; j++)
            if (n == 0 || tmp[n - 1] != tv[j].stmt)
                tmp[n++] = tv[j].stmt;
        if (tv[i].kind != AK_EXACT) {
            s = svc_get(c, &svcs, &nsvc, &svccap, tv[i].pat, tv[i].svclen);
            if (!s)
                return -1;
        }
        if (tv[i].kind == AK_WILD) {
            struct pdt_fmt_actwild w;
            if (s->wild_cnt == 0)
                s->wild_off = (uint32_t)nwild;
            else if (s->wild_off + s->wild_cnt != nwild)
                return -1;  /* not grouped: cannot happen (sorted) */
            s->wild_cnt++;
            w.pat = emit_str(&c->e, tv[i].pat, tv[i].len);
            if (lower_list(c, tmp, n, &w.list) < 0)
                return -1;
            buf_append(bw, &w, sizeof w);
            nwild++;
            continue;
        }
        ents[nents].key = emit_str(&c->e, tv[i].pat, tv[i].len);
        if (tv[i].kind == AK_PREFIX) {
            hashes[nents] = pdt_hash_key(tv[i].pat, tv[i].len - 1, PDT_SEED_PREFIX);
            if (add_plen(c, s, tv[i].pat, tv[i].len - 1) < 0)
                return -1;
        } else {
            hashes[nents] = pdt_hash_key(tv[i].pat, tv[i].len, PDT_SEED_EXACT);
        }
        if (lower_list(c, tmp, n, &ents[nents].list) < 0)
            return -1;
        nents++;
    }
    if (lower_hashtab(bh, ents, hashes, nents, sizeof *ents) < 0)
        return -1;
    if (nsvc)
        qsort(svcs, nsvc, sizeof *svcs, cmp_svc);
    sents = arena_calloc(c->a, nsvc + 1, sizeof *sents);
    shashes = arena_calloc(c->a, nsvc + 1, sizeof *shashes);
    if (!sents || !shashes)
        return -1;
    for (i = 0, k = 0; i < nsvc; i++) {
        struct svc_acc *s = &svcs[i];
        shashes[i] = pdt_hash_key(s->name, s->len, PDT_SEED_SVC);
        {
            unsigned bit = PDT_SVC_BIT(s->name, s->len);
            if (na_index)
                c->meta.na_svc_filter |= 1u << (bit % 32);
            else
                c->meta.svc_filter[bit / 32] |= 1u << (bit % 32);
        }
        sents[i].name = emit_str(&c->e, s->name, s->len);
        sents[i].plen_off = (uint32_t)k;
        sents[i].plen_cnt = (uint32_t)s->nplens;
        sents[i].wild_off = s->wild_off;
        sents[i].wild_cnt = s->wild_cnt;
        for (j = 0; j < s->nplens; j++, k++)
            buf_u32(ba, s->plens[j]);
    }
    if (lower_hashtab(bs, sents, shashes, nsvc, sizeof *sents) < 0)
        return -1;
    return c->e.failed || ba->failed || bw->failed ? -1 : 0;
}

int acthash_build(struct lower_ctx *c)
{
    static const uint32_t main_ids[4] = {PDT_SEC_ACTHASH, PDT_SEC_ACTSVC, PDT_SEC_ACTAUX, PDT_SEC_ACTWILD};
    static const uint32_t na_ids[4] = {PDT_SEC_NAHASH, PDT_SEC_NASVC, PDT_SEC_NAAUX, PDT_SEC_NAWILD};
    if (build_index(c, 0, main_ids, &c->meta.star) < 0)
        return -1;
    return build_index(c, 1, na_ids, &c->meta.na_star);
}
