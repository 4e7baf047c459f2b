/* cond.c - the condition engine's evaluator and section validator
 * (iam-semantics.md §4).  A program is a list of tests ANDed in three-valued
 * logic (§0); a test compares one context key with its policy values (ORed,
 * NORed for negated operators) under the missing-key, IfExists, set-operator
 * and Null rules of the §4.2 table.  Request values are parsed only when a
 * typed operator needs them; a malformed one is indeterminate.  Request-key
 * resolution lives in ctx.c, template expansion in tmpl.c, value parsing in
 * value.c; the section layouts in condfmt.h.  pdt_cond_validate checks every
 * byte of the three sections once at load, so evaluation can trust offsets
 * and counts (it still never recurses, allocates or loops unboundedly). */
#include <string.h>

#include "cond.h"
#include "condfmt.h"
#include "value.h"

#if defined(__has_include) && !defined(PDT_COND_STANDALONE)  /* standalone: unit tests without the core */
#if __has_include("table.h")
#include "table.h"
#define PDT_COND_HAVE_TABLE 1
#endif
#endif

#define PDT_COND_TMPL_CAP 1024   /* stack scratch for a templated condition value */

#ifdef PDT_COND_HAVE_TABLE
/* pdt_table_section for the engine's ids, inline: this runs once per
 * conditioned decision.  The ids are below PDT_SECIDX, so the directory
 * index (filled when the loader checked the directory) answers directly;
 * 0 means the section is absent. */
_Static_assert(PDT_SEC_COND_TMPLS < PDT_SECIDX, "condition sections have a direct index");
static const uint8_t *sec_view(const struct pdt_table *t, uint32_t id, size_t *len)
{
    uint32_t k = t->secidx[id];

    if (!k) {
        *len = 0;
        return NULL;
    }
    *len = t->dir[k - 1].len;
    return t->base + t->dir[k - 1].off;
}
#endif

void pdt_cond_secs_get(const struct pdt_table *t, struct pdt_cond_secs *s)
{
#ifdef PDT_COND_HAVE_TABLE
    if (t) {
        s->keys = sec_view(t, PDT_SEC_COND_KEYS, &s->keys_len);
        s->progs = sec_view(t, PDT_SEC_COND_PROGS, &s->progs_len);
        s->tmpls = sec_view(t, PDT_SEC_COND_TMPLS, &s->tmpls_len);
        return;
    }
#else
    (void)t;
#endif
    memset(s, 0, sizeof *s);
}

static enum pdt_tri tri_not(enum pdt_tri x)
{
    return x == PDT_TRI_INDET ? x : x == PDT_TRI_TRUE ? PDT_TRI_FALSE : PDT_TRI_TRUE;
}

/* One test being evaluated. */
struct ev {
    struct pdt_ctx *c;
    const uint8_t *vals;   /* first value record of the test */
    const uint8_t *blob;   /* PROGS blob */
    uint32_t op, flags, nv;
};

/* The policy pattern of value v for a String/Arn op: the blob bytes, or the
 * expansion of its template into tb.  Returns 1 with the pattern in p, n; 0 when the
 * template has no value (the value never matches), -1 when indeterminate. */
static int val_pattern(const struct ev *e, const uint8_t *v, char *tb, const char **p, size_t *n)
{
    uint32_t tmpl = pdt_cf_rd32(v + 8);
    long r;

    if (tmpl == PDT_CF_EMPTY) {
        *p = (const char *)e->blob + pdt_cf_rd32(v);
        *n = pdt_cf_rd32(v + 4);
        return 1;
    }
    r = pdt_tmpl_expand(e->c, tmpl, tb, PDT_COND_TMPL_CAP);
    if (r < 0)
        return r == -1 ? 0 : -1;
    *p = tb;
    *n = (size_t)r;
    return 1;
}

static enum pdt_tri cmp_result(uint32_t op, uint32_t base, int c)
{
    switch (op - base) {
    case 0: return c == 0 ? PDT_TRI_TRUE : PDT_TRI_FALSE;  /* Equals */
    case 1: return c < 0 ? PDT_TRI_TRUE : PDT_TRI_FALSE;   /* LessThan */
    case 2: return c <= 0 ? PDT_TRI_TRUE : PDT_TRI_FALSE;  /* LessThanEquals */
    case 3: return c > 0 ? PDT_TRI_TRUE : PDT_TRI_FALSE;   /* GreaterThan */
    default: return c >= 0 ? PDT_TRI_TRUE : PDT_TRI_FALSE; /* GreaterThanEquals */
    }
}

/* Compares request string r (n bytes) with value v of a String/Arn op. */
static enum pdt_tri match_text(const struct ev *e, const uint8_t *v, const char *r, size_t n)
{
    char tb[PDT_COND_TMPL_CAP];
    const char *p;
    size_t pn;
    int k = val_pattern(e, v, tb, &p, &pn);
    int templ = pdt_cf_rd32(v + 8) != PDT_CF_EMPTY;

    if (k <= 0)
        return k == 0 ? PDT_TRI_FALSE : PDT_TRI_INDET;
    switch (e->op) {
    case PDT_COP_STR_EQ:
        if (templ)
            return pdt_value_pat_eq(p, pn, r, n, 0) ? PDT_TRI_TRUE : PDT_TRI_FALSE;
        return pn == n && memcmp(p, r, n) == 0 ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    case PDT_COP_STR_EQ_IC:
        if (templ)
            return pdt_value_pat_eq(p, pn, r, n, 1) ? PDT_TRI_TRUE : PDT_TRI_FALSE;
        return pdt_value_eq_fold(p, pn, r, n) ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    case PDT_COP_STR_LIKE:
        k = pdt_value_glob_b(p, pn, r, n, &e->c->work);  /* 2: the decision's budget ran out */
        return k == 2 ? PDT_TRI_INDET : k ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    default:
        k = pdt_value_arn_like_b(p, pn, r, n, &e->c->work);
        return k == 2 ? PDT_TRI_INDET : k ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    }
}

/* Compares request string r with value v of a typed op whose request value
 * was parsed into rv (the parse succeeded). */
static enum pdt_tri match_typed(const struct ev *e, const uint8_t *v, const void *rv, const char *r, size_t n)
{
    const uint8_t *p = e->blob + pdt_cf_rd32(v);
    size_t pn = pdt_cf_rd32(v + 4);

    if (e->op >= PDT_COP_NUM_EQ && e->op <= PDT_COP_NUM_GE) {
        struct pdt_num pv;
        if (pdt_value_num_parse((const char *)p, pn, &pv) < 0)
            return PDT_TRI_INDET;
        return cmp_result(e->op, PDT_COP_NUM_EQ, pdt_value_num_cmp(rv, &pv));
    }
    if (e->op >= PDT_COP_DATE_EQ && e->op <= PDT_COP_DATE_GE) {
        struct pdt_date pd;
        pd.sec = (int64_t)pdt_cf_rd64(p);
        pd.frac = pdt_cf_rd64(p + 8);
        return cmp_result(e->op, PDT_COP_DATE_EQ, pdt_value_date_cmp(rv, &pd));
    }
    if (e->op == PDT_COP_BOOL)
        return *(const int *)rv == p[0] ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    if (e->op == PDT_COP_IP) {
        struct pdt_ip net;
        net.fam = p[0];
        net.plen = p[1];
        memcpy(net.a, p + 2, 16);
        return pdt_value_ip_in(rv, &net) ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    }
    /* BinaryEquals: the request value is base64 text, checked by the caller */
    return pdt_value_b64_equal(r, n, p, pn) == 1 ? PDT_TRI_TRUE : PDT_TRI_FALSE;
}

/* OR over the test's policy values of (request element r matches value):
 * the positive operator's result for one request string. */
static enum pdt_tri match_any(const struct ev *e, const char *r)
{
    union { struct pdt_num num; struct pdt_date date; struct pdt_ip ip; int b; } rv;
    size_t n = strlen(r);
    enum pdt_tri acc = PDT_TRI_FALSE;
    uint32_t i;
    int typed = 1;

    if (e->op >= PDT_COP_NUM_EQ && e->op <= PDT_COP_NUM_GE)
        typed = pdt_value_num_parse(r, n, &rv.num) == 0 ? 1 : -1;
    else if (e->op >= PDT_COP_DATE_EQ && e->op <= PDT_COP_DATE_GE)
        typed = pdt_value_date_parse(r, n, &rv.date) == 0 ? 1 : -1;
    else if (e->op == PDT_COP_BOOL)
        typed = (rv.b = pdt_value_bool_parse(r, n)) >= 0 ? 1 : -1;
    else if (e->op == PDT_COP_IP)
        typed = pdt_value_ip_parse(r, n, 0, &rv.ip) == 0 ? 1 : -1;
    else if (e->op == PDT_COP_BIN_EQ)
        typed = pdt_value_b64_check(r, n) >= 0 ? 1 : -1;
    else
        typed = 0;
    if (typed < 0)
        return PDT_TRI_INDET;  /* malformed typed request value (§6 A11) */
    for (i = 0; i < e->nv; i++) {
        const uint8_t *v = e->vals + (size_t)i * PDT_CF_VAL_SZ;
        enum pdt_tri x = typed ? match_typed(e, v, &rv, r, n) : match_text(e, v, r, n);
        if (x == PDT_TRI_TRUE)
            return x;
        if (x == PDT_TRI_INDET)
            acc = x;
    }
    return acc;
}

/* Null: value 1 ("true") holds when the key is absent, 0 when present. */
static enum pdt_tri eval_null(const struct ev *e, int nullish)
{
    uint32_t i;

    for (i = 0; i < e->nv; i++) {
        const uint8_t *v = e->vals + (size_t)i * PDT_CF_VAL_SZ;
        if (e->blob[pdt_cf_rd32(v)] == (nullish ? 1 : 0))
            return PDT_TRI_TRUE;
    }
    return PDT_TRI_FALSE;
}

/* ForAllValues / ForAnyValue over the elements of a present, non-null kv. */
static enum pdt_tri eval_set(const struct ev *e, const struct pdt_kv *kv)
{
    int all = (e->flags & PDT_CF_ALL) != 0;
    enum pdt_tri acc = all ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    size_t i;

    for (i = 0; i < kv->nvalues; i++) {
        enum pdt_tri x = kv->values[i] ? match_any(e, kv->values[i]) : PDT_TRI_INDET;
        if (e->flags & PDT_CF_NEG)
            x = tri_not(x);
        if (x == (all ? PDT_TRI_FALSE : PDT_TRI_TRUE))
            return x;
        if (x == PDT_TRI_INDET)
            acc = x;
    }
    return acc;
}

/* One (operator, key) test: the rows of iam-semantics.md §4.2. */
static enum pdt_tri eval_test(const struct ev *e, uint32_t key)
{
    const struct pdt_kv *kv = NULL;
    int r = e->c->req->ncontext ? pdt_ctx_lookup_fast(e->c, key, &kv) : 0, absent, nullish;  /* see ctx_open */

    if (r < 0)
        return PDT_TRI_INDET;  /* duplicate-case request keys */
    if (r > 0 && ((kv->nvalues && !kv->values) || (!kv->multi && kv->nvalues != 1)))
        return PDT_TRI_INDET;  /* malformed pdt_kv */
    absent = r == 0 || kv->nvalues == 0;
    nullish = absent || (!kv->multi && kv->values[0] && kv->values[0][0] == '\0');
    if (e->op == PDT_COP_NULL)
        return eval_null(e, nullish);
    if (e->flags & (PDT_CF_ALL | PDT_CF_ANY)) {
        if (nullish)
            return (e->flags & (PDT_CF_IFEXISTS | PDT_CF_ALL)) ? PDT_TRI_TRUE : PDT_TRI_FALSE;
        return eval_set(e, kv);
    }
    if (absent)
        return (e->flags & (PDT_CF_IFEXISTS | PDT_CF_NEG)) ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    if (kv->multi || !kv->values[0])
        return PDT_TRI_INDET;  /* plain operator on a multivalued key (§6 A10) */
    r = match_any(e, kv->values[0]);
    return (e->flags & PDT_CF_NEG) ? tri_not((enum pdt_tri)r) : (enum pdt_tri)r;
}

/* Makes c usable for evaluating programs: pdt_ctx_prepare, except for a
 * request without context keys, where every key is absent: then only the
 * section views are read, and the request's keys are never mapped (eval_test
 * answers "absent" without pdt_ctx_lookup).  Returns 0 or -1 (unusable). */
static int ctx_open(struct pdt_ctx *c)
{
    if (c->state == 0 && c->req && c->req->ncontext == 0) {
        if (c->t && !c->s.progs)
            pdt_cond_secs_get(c->t, &c->s);
        return 0;
    }
    return pdt_ctx_prepare(c);
}

/* Locates program prog: sets the shared fields of e and the program's test
 * range [*first, *first + *cnt).  Returns -1 when it is unusable (sections
 * absent or the id out of range): indeterminate. */
static int prog_open(struct pdt_ctx *c, uint32_t prog, struct ev *e, const uint8_t **tests, uint32_t *cnt)
{
    const uint8_t *sec, *rec;
    uint32_t np;

    if (ctx_open(c) < 0 || c->s.progs_len < PDT_CF_HDR)
        return -1;
    sec = c->s.progs;
    np = pdt_cf_rd32(sec);
    if (prog >= np)
        return -1;
    rec = sec + PDT_CF_HDR + (size_t)prog * PDT_CF_PROG_SZ;
    *tests = sec + PDT_CF_HDR + (size_t)np * PDT_CF_PROG_SZ;
    e->c = c;
    e->vals = *tests + (size_t)pdt_cf_rd32(sec + 4) * PDT_CF_TEST_SZ;       /* value records */
    e->blob = e->vals + (size_t)pdt_cf_rd32(sec + 8) * PDT_CF_VAL_SZ;
    *tests += (size_t)pdt_cf_rd32(rec) * PDT_CF_TEST_SZ;                     /* first test */
    *cnt = pdt_cf_rd32(rec + 4);
    return 0;
}

/* Test record t of an opened program (e from prog_open). */
static enum pdt_tri run_test(struct ev *e, const uint8_t *vals, const uint8_t *t)
{
    uint32_t w = pdt_cf_rd32(t);

    e->op = w & 0xff;
    e->flags = (w >> 8) & 0xff;
    e->vals = vals + (size_t)pdt_cf_rd32(t + 8) * PDT_CF_VAL_SZ;
    e->nv = pdt_cf_rd32(t + 12);
    return eval_test(e, pdt_cf_rd32(t + 4));
}

enum pdt_tri pdt_cond_eval(struct pdt_ctx *c, uint32_t prog)
{
    const uint8_t *tests, *vals;
    uint32_t cnt, j;
    enum pdt_tri acc = PDT_TRI_TRUE;
    struct ev e;

    if (prog == PDT_COND_NONE)
        return PDT_TRI_TRUE;
    if (prog_open(c, prog, &e, &tests, &cnt) < 0)
        return PDT_TRI_INDET;
    vals = e.vals;
    for (j = 0; j < cnt; j++) {
        enum pdt_tri x = run_test(&e, vals, tests + (size_t)j * PDT_CF_TEST_SZ);
        if (x == PDT_TRI_FALSE)
            return x;
        if (x == PDT_TRI_INDET)
            acc = x;
    }
    return acc;
}

/* Added for explanations (runtime/explain.c, `pdtc explain`): test j alone
 * of program prog, evaluated by the same eval_test as pdt_cond_eval (whose
 * result is the AND of these over j < the program's test count).  An id out
 * of range, or unusable sections, is indeterminate. */
enum pdt_tri pdt_cond_eval_test(struct pdt_ctx *c, uint32_t prog, uint32_t j)
{
    const uint8_t *tests;
    uint32_t cnt;
    struct ev e;

    if (prog == PDT_COND_NONE || prog_open(c, prog, &e, &tests, &cnt) < 0 || j >= cnt)
        return PDT_TRI_INDET;
    return run_test(&e, e.vals, tests + (size_t)j * PDT_CF_TEST_SZ);
}
