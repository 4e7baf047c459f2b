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
        s->kidx = t->kidx;
        s->kidxmask = t->kidxmask;
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

/* Typed families: the request value is parsed once per family. */
enum { FAM_TEXT = 0, FAM_NUM, FAM_DATE, FAM_BOOL, FAM_IP, FAM_BIN };

static unsigned op_family(uint32_t op)
{
    static const uint8_t fam[PDT_COP_MAX + 1] = {
        [PDT_COP_NUM_EQ] = FAM_NUM, [PDT_COP_NUM_LT] = FAM_NUM, [PDT_COP_NUM_LE] = FAM_NUM,
        [PDT_COP_NUM_GT] = FAM_NUM, [PDT_COP_NUM_GE] = FAM_NUM, [PDT_COP_DATE_EQ] = FAM_DATE,
        [PDT_COP_DATE_LT] = FAM_DATE, [PDT_COP_DATE_LE] = FAM_DATE, [PDT_COP_DATE_GT] = FAM_DATE,
        [PDT_COP_DATE_GE] = FAM_DATE, [PDT_COP_BOOL] = FAM_BOOL, [PDT_COP_IP] = FAM_IP, [PDT_COP_BIN_EQ] = FAM_BIN,
    };
    return fam[op];  /* op <= PDT_COP_MAX: checked at load (condcheck.c) */
}

/* A program being evaluated: the test at hand, and what is known of the
 * request side.  The key is resolved once per run of tests on it (the
 * compiler puts tests on one key next to each other, src/condc.c); the last
 * request string compared keeps its length and, for the typed family last
 * asked for, its parsed value (so DateGreaterThan and DateLessThan on
 * aws:CurrentTime parse it once). */
struct ev {
    struct pdt_ctx *c;
    const uint8_t *vals;   /* first value record of the test */
    const uint8_t *vbase;  /* the value records: tests index them */
    const uint8_t *tend;   /* end of the tests to evaluate */
    const uint8_t *blob;   /* PROGS blob */
    uint32_t op, flags, nv;
    unsigned tfam;         /* the op's family (op_family) */
    uint32_t key;          /* the key resolved below (PDT_CF_EMPTY: none yet) */
    int st;                /* -1 indeterminate (duplicate-case or malformed), 0 absent, 1 present */
    const struct pdt_kv *kv;
    const char *rs;        /* the request string last compared (NULL: none), */
    size_t rn;             /* its length, */
    unsigned fam;          /* the family its parse below is for (FAM_TEXT: none), */
    int fok;               /* and whether the parse succeeded */
    union { struct pdt_num num; struct pdt_date date; struct pdt_ip ip; int b; } rv;
};

/* Request string r against the pattern p[0..pn) of a String/Arn op: text
 * values as stored, templates (templ) expanded to escaped patterns. */
static enum pdt_tri text_cmp(struct ev *e, const char *p, size_t pn, int templ)
{
    const char *r = e->rs;
    size_t n = e->rn;
    int k;

    switch (e->op) {
    case PDT_COP_STR_EQ:
        if (templ)
            return pdt_value_pat_eq(p, pn, r, n, 0) ? PDT_TRI_TRUE : PDT_TRI_FALSE;
        if (pn != n)
            return PDT_TRI_FALSE;
        if (n >= 8 && n <= 16)  /* two overlapping words, no call */
            return pdt_cf_load8(p) == pdt_cf_load8(r) && pdt_cf_load8(p + n - 8) == pdt_cf_load8(r + n - 8)
                       ? PDT_TRI_TRUE : PDT_TRI_FALSE;
        return memcmp(p, r, n) == 0 ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    case PDT_COP_STR_EQ_IC:
        if (templ)
            return pdt_value_pat_eq(p, pn, r, n, 1) ? PDT_TRI_TRUE : PDT_TRI_FALSE;
        return pdt_value_eq_fold(p, pn, r, n) ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    case PDT_COP_STR_LIKE:
        k = pdt_value_glob_b(p, pn, r, n, &e->c->work);  /* 2: the decision's budget ran out */
        break;
    default:
        k = pdt_value_arn_like_b(p, pn, r, n, &e->c->work);
        break;
    }
    return k == 2 ? PDT_TRI_INDET : k ? PDT_TRI_TRUE : PDT_TRI_FALSE;
}

/* A templated value: expanded into stack scratch (out of line, so the
 * common path does not carry the scratch).  A variable without value makes
 * the value match nothing; an expansion that fails is indeterminate. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static enum pdt_tri match_tmpl(struct ev *e, uint32_t tmpl)
{
    char tb[PDT_COND_TMPL_CAP];
    long r = pdt_tmpl_expand(e->c, tmpl, tb, sizeof tb);

    if (r < 0)
        return r == -1 ? PDT_TRI_FALSE : PDT_TRI_INDET;
    return text_cmp(e, tb, (size_t)r, 1);
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

/* The request value (parsed into e->rv) against value v of a typed op. */
static enum pdt_tri match_typed(const struct ev *e, const uint8_t *v)
{
    const uint8_t *p = e->blob + pdt_cf_rd32(v);
    size_t pn = pdt_cf_rd32(v + 4);

    switch (e->tfam) {
    case FAM_NUM: {
        struct pdt_num pv;
        if (pdt_value_num_parse((const char *)p, pn, &pv) < 0)
            return PDT_TRI_INDET;
        return cmp_result(e->op, PDT_COP_NUM_EQ, pdt_value_num_cmp(&e->rv.num, &pv));
    }
    case FAM_DATE: {
        struct pdt_date pd;
        pd.sec = (int64_t)pdt_cf_rd64(p);
        pd.frac = pdt_cf_rd64(p + 8);
        return cmp_result(e->op, PDT_COP_DATE_EQ, pdt_value_date_cmp(&e->rv.date, &pd));
    }
    case FAM_BOOL:
        return e->rv.b == p[0] ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    case FAM_IP: {
        struct pdt_ip net;
        net.fam = p[0];
        net.plen = p[1];
        memcpy(net.a, p + 2, 16);
        return pdt_value_ip_in(&e->rv.ip, &net) ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    }
    default:  /* BinaryEquals: the request value is base64 text, checked when parsed */
        return pdt_value_b64_equal(e->rs, e->rn, p, pn) == 1 ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    }
}

/* Parses the request string e->rs for family fam into e->rv: 1, or 0 when
 * it is malformed. */
static int parse_typed(struct ev *e, unsigned fam)
{
    const char *r = e->rs;
    size_t n = e->rn;

    switch (fam) {
    case FAM_NUM: return pdt_value_num_parse(r, n, &e->rv.num) == 0;
    case FAM_DATE: return pdt_value_date_parse(r, n, &e->rv.date) == 0;
    case FAM_BOOL: return (e->rv.b = pdt_value_bool_parse(r, n)) >= 0;
    case FAM_IP: return pdt_value_ip_parse(r, n, 0, &e->rv.ip) == 0;
    default: return pdt_value_b64_check(r, n) >= 0;
    }
}

/* OR over the test's policy values of (request element r matches value):
 * the positive operator's result for one request string. */
static enum pdt_tri match_any(struct ev *e, const char *r)
{
    const unsigned fam = e->tfam;
    const uint32_t nv = e->nv;
    const uint8_t *v = e->vals, *end = v + (size_t)nv * PDT_CF_VAL_SZ;
    enum pdt_tri acc = PDT_TRI_FALSE;

    if (r != e->rs) {
        e->rs = r;
        e->rn = strlen(r);
        e->fam = FAM_TEXT;
    }
    if (fam != FAM_TEXT) {
        if (e->fam != fam) {
            e->fam = fam;
            e->fok = parse_typed(e, fam);
        }
        if (!e->fok)
            return PDT_TRI_INDET;  /* malformed typed request value (§6 A11) */
    }
    for (; v < end; v += PDT_CF_VAL_SZ) {
        uint32_t tmpl = pdt_cf_rd32(v + 8);
        enum pdt_tri x;
        if (fam != FAM_TEXT)
            x = match_typed(e, v);
        else if (tmpl != PDT_CF_EMPTY)
            x = match_tmpl(e, tmpl);
        else
            x = text_cmp(e, (const char *)e->blob + pdt_cf_rd32(v), pdt_cf_rd32(v + 4), 0);
        if (x == PDT_TRI_TRUE)
            return x;
        if (x == PDT_TRI_INDET)
            acc = x;
    }
    return acc;
}

/* The key resolved in e is null for Null and the set operators: absent, no
 * values, or one empty string. */
static int nullish(const struct ev *e)
{
    return e->st == 0 || (!e->kv->multi && e->kv->values[0][0] == '\0');
}

/* Null: value 1 ("true") holds when the key is absent, 0 when present. */
static enum pdt_tri eval_null(const struct ev *e)
{
    unsigned want = nullish(e) ? 1 : 0;
    uint32_t i;

    for (i = 0; i < e->nv; i++) {
        const uint8_t *v = e->vals + (size_t)i * PDT_CF_VAL_SZ;
        if (e->blob[pdt_cf_rd32(v)] == want)
            return PDT_TRI_TRUE;
    }
    return PDT_TRI_FALSE;
}

/* Resolves the request key of interned key id `key` into e (once per run
 * of tests on one key). */
static void key_open(struct ev *e, uint32_t key)
{
    const struct pdt_kv *kv = NULL;
    int r = pdt_ctx_lookup_fast(e->c, key, &kv);

    e->key = key;
    e->st = r > 0 && kv->nvalues == 0 ? 0 : r;  /* no values: absent */
    e->kv = kv;
}

/* One (operator, key) test on the key resolved in e: the rows of
 * iam-semantics.md §4.2.  A plain operator compares the key's one value; a
 * set operator (ForAllValues / ForAnyValue) each element of a present,
 * non-null key.  Either way one loop: a plain operator is "any" over a
 * single element, its negation applied per element. */
static enum pdt_tri eval_test(struct ev *e)
{
    const struct pdt_kv *kv = e->kv;
    int all = 0;
    enum pdt_tri acc;
    size_t i, nel = 1;

    if (e->st < 0)
        return PDT_TRI_INDET;  /* duplicate-case request keys, or a malformed kv */
    if (e->op == PDT_COP_NULL)
        return eval_null(e);
    if (e->flags & (PDT_CF_ALL | PDT_CF_ANY)) {
        if (nullish(e))
            return (e->flags & (PDT_CF_IFEXISTS | PDT_CF_ALL)) ? PDT_TRI_TRUE : PDT_TRI_FALSE;
        all = (e->flags & PDT_CF_ALL) != 0;
        nel = kv->nvalues;
    } else if (e->st == 0) {
        return (e->flags & (PDT_CF_IFEXISTS | PDT_CF_NEG)) ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    } else if (kv->multi) {
        return PDT_TRI_INDET;  /* plain operator on a multivalued key (§6 A10) */
    }
    acc = all ? PDT_TRI_TRUE : PDT_TRI_FALSE;
    for (i = 0; i < nel; i++) {
        enum pdt_tri x = match_any(e, kv->values[i]);
        if (e->flags & PDT_CF_NEG)
            x = tri_not(x);
        if (x == (all ? PDT_TRI_FALSE : PDT_TRI_TRUE))
            return x;
        if (x == PDT_TRI_INDET)
            acc = x;
    }
    return acc;
}

/* Locates program prog: sets the shared fields of e and the program's test
 * range [*first, *first + *cnt).  Returns -1 when it is unusable (sections
 * absent or the id out of range): indeterminate. */
static int prog_open(struct pdt_ctx *c, uint32_t prog, struct ev *e, const uint8_t **tests, uint32_t *cnt)
{
    const uint8_t *sec, *rec;
    uint32_t np;

    if (pdt_ctx_prepare(c) < 0 || c->s.progs_len < PDT_CF_HDR)
        return -1;
    sec = c->s.progs;
    np = pdt_cf_rd32(sec);
    if (prog >= np)
        return -1;
    rec = sec + PDT_CF_HDR + (size_t)prog * PDT_CF_PROG_SZ;
    *tests = sec + PDT_CF_HDR + (size_t)np * PDT_CF_PROG_SZ;
    e->c = c;
    e->key = PDT_CF_EMPTY;
    e->st = -1;
    e->rs = NULL;
    e->vals = *tests + (size_t)pdt_cf_rd32(sec + 4) * PDT_CF_TEST_SZ;       /* value records */
    e->blob = e->vals + (size_t)pdt_cf_rd32(sec + 8) * PDT_CF_VAL_SZ;
    *tests += (size_t)pdt_cf_rd32(rec) * PDT_CF_TEST_SZ;                     /* first test */
    *cnt = pdt_cf_rd32(rec + 4);
    return 0;
}

/* The three-valued AND of tests [from, to) of program prog (to is capped
 * at the program's test count; from beyond it is indeterminate). */
static enum pdt_tri eval_tests(struct pdt_ctx *c, uint32_t prog, uint32_t from, uint32_t to)
{
    const uint8_t *tests, *t;
    uint32_t cnt;
    enum pdt_tri acc = PDT_TRI_TRUE;
    struct ev e;

    if (prog_open(c, prog, &e, &tests, &cnt) < 0 || from >= cnt)
        return PDT_TRI_INDET;
    e.vbase = e.vals;  /* in e, with the end: fewer registers to keep across the matchers' calls */
    e.tend = tests + (size_t)(to < cnt ? to : cnt) * PDT_CF_TEST_SZ;
    for (t = tests + (size_t)from * PDT_CF_TEST_SZ; t < e.tend; t += PDT_CF_TEST_SZ) {
        uint32_t w = pdt_cf_rd32(t);
        enum pdt_tri x;
        e.op = w & 0xff;
        e.flags = (w >> 8) & 0xff;
        e.tfam = op_family(e.op);
        e.vals = e.vbase + (size_t)pdt_cf_rd32(t + 8) * PDT_CF_VAL_SZ;
        e.nv = pdt_cf_rd32(t + 12);
        if (pdt_cf_rd32(t + 4) != e.key)
            key_open(&e, pdt_cf_rd32(t + 4));
        x = eval_test(&e);
        if (x == PDT_TRI_FALSE)
            return x;
        if (x == PDT_TRI_INDET)
            acc = x;
    }
    return acc;
}

enum pdt_tri pdt_cond_eval(struct pdt_ctx *c, uint32_t prog)
{
    return prog == PDT_COND_NONE ? PDT_TRI_TRUE : eval_tests(c, prog, 0, UINT32_MAX);
}

/* Added for explanations (runtime/explain.c, `pdtc explain`): test j alone
 * of program prog, evaluated by the same loop as pdt_cond_eval (whose
 * result is the AND of these over j < the program's test count).  An id out
 * of range, or unusable sections, is indeterminate. */
enum pdt_tri pdt_cond_eval_test(struct pdt_ctx *c, uint32_t prog, uint32_t j)
{
    if (prog == PDT_COND_NONE || j == UINT32_MAX)
        return PDT_TRI_INDET;
    return eval_tests(c, prog, j, j + 1);
}
