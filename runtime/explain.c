/* explain.c - per-statement explanation of one request (explain.h): for each
 * statement, which action patterns and resource entries match, what each
 * condition test saw and concluded, and whether the statement counts for the
 * decision.  It owns no matching logic: patterns go through the runtime's glob
 * matchers and template expansion, statement results through lookup.c
 * (pdt_lookup_resource, pdt_lookup_applies) and the condition engine
 * (pdt_cond_eval, pdt_cond_eval_test).  It reads the condition sections'
 * records (condfmt.h) only to describe them.  Never allocates; everything it
 * reads was validated when the table was loaded. */
#include <stdint.h>
#include <string.h>

#include "condfmt.h"
#include "explain.h"
#include "glob.h"
#include "table.h"

/* Index entry k: its pattern and list ref (k < pdt_explain_index_count). */
static const char *index_entry(const struct pdt_table *t, uint32_t k, uint32_t *list)
{
    uint32_t nh = t->acthash.h ? t->acthash.h->nent : 0;
    const struct pdt_fmt_actent *ae = t->acthash.ents;
    if (k == 0) {
        *list = t->meta->star;
        return "*";
    }
    if (k - 1 < nh) {
        *list = ae[k - 1].list;
        return pdt_table_str(t, ae[k - 1].key);
    }
    *list = t->actwild[k - 1 - nh].list;
    return pdt_table_str(t, t->actwild[k - 1 - nh].pat);
}

uint32_t pdt_explain_index_count(const struct pdt_explain *x)
{
    if (!x->t)
        return 0;
    return 1 + (x->t->acthash.h ? x->t->acthash.h->nent : 0) + x->t->nactwild;
}

const char *pdt_explain_index_entry(const struct pdt_explain *x, uint32_t k, uint32_t *n)
{
    struct pdt_listv l;
    uint32_t ref;
    const char *p;
    *n = 0;
    if (k >= pdt_explain_index_count(x))
        return NULL;
    p = index_entry(x->t, k, &ref);
    pdt_table_list(x->t, ref, &l);
    *n = l.n;
    return p;
}

uint32_t pdt_explain_index_stmt(const struct pdt_explain *x, uint32_t k, uint32_t m)
{
    struct pdt_listv l;
    uint32_t ref;
    if (k >= pdt_explain_index_count(x))
        return UINT32_MAX;
    (void)index_entry(x->t, k, &ref);
    pdt_table_list(x->t, ref, &l);
    return m < l.n ? pdt_listv_at(&l, m) : UINT32_MAX;
}

int pdt_explain_action_match(const struct pdt_explain *x, const char *pat)
{
    return x->usable && pat && pdt_glob_action(pat, SIZE_MAX, x->req->action, x->q.alen);
}

int pdt_explain_init(struct pdt_explain *x, const struct pdt_table *t, const struct pdt_request *req)
{
    uint32_t k, n, ref;

    memset(x, 0, sizeof *x);
    x->t = t;
    x->req = req;
    if (!t || pdt_lookup_prepare(req, &x->q) != 0)
        return -1;
    pdt_ctx_init(&x->ctx, t, req);
    x->usable = 1;
    /* the oracle's action test: every index entry whose pattern globs the action */
    n = pdt_explain_index_count(x);
    for (k = 0; k < n; k++) {
        const char *p = index_entry(t, k, &ref);
        if (k == 0 || pdt_glob_action(p, SIZE_MAX, req->action, x->q.alen)) {
            if (x->nmatched == PDT_EXPLAIN_MAX_MATCHED) {
                x->overflow = 1;
                break;
            }
            x->matched[x->nmatched++] = ref;
        }
    }
    return 0;
}

uint32_t pdt_explain_count(const struct pdt_explain *x)
{
    return x->t ? x->t->nstmts : 0;
}

/* Pattern j of statement i given the first (up to 64) patterns in v. */
static const char *action_at(const struct pdt_explain *x, uint32_t i, const char *const *v, uint32_t j)
{
    return j < 64 ? v[j] : pdt_introspect_stmt_action(x->t, i, j);
}

uint32_t pdt_explain_actions(struct pdt_explain *x, uint32_t i, const char **pats, int *match, uint32_t cap)
{
    const char *v[64];
    uint32_t n, j;

    if (!x->t || i >= x->t->nstmts)
        return 0;
    n = pdt_introspect_stmt_actions(x->t, i, v, 64);
    for (j = 0; j < n && j < cap; j++) {
        const char *p = action_at(x, i, v, j);
        pats[j] = p ? p : "?";
        match[j] = pdt_explain_action_match(x, p);
    }
    return n;
}

/* ActionOK of statement i: some pattern matches (Action), none (NotAction). */
static int action_ok(struct pdt_explain *x, uint32_t i, int not_action)
{
    const char *v[64];
    uint32_t n, j;
    int any = 0;

    if (!not_action && !x->overflow) {
        for (j = 0; j < x->nmatched && !any; j++)
            any = pdt_table_list_has(x->t, x->matched[j], i);
        return any;
    }
    n = pdt_introspect_stmt_actions(x->t, i, v, 64);
    for (j = 0; j < n && !any; j++) {
        const char *p = action_at(x, i, v, j);
        any = pdt_explain_action_match(x, p);
    }
    return not_action ? !any : any;
}

/* Section views of the condition engine (absent: NULL/0). */
static void secs(const struct pdt_explain *x, struct pdt_cond_secs *s)
{
    pdt_cond_secs_get(x->t, s);
}

/* Record of test j of program prog, or NULL; *cnt gets the program's test
 * count (0 when prog is out of range). */
static const uint8_t *test_rec(const struct pdt_cond_secs *s, uint32_t prog, uint32_t j, uint32_t *cnt)
{
    uint32_t np, nt, first;
    const uint8_t *p = s->progs;

    *cnt = 0;
    if (prog == PDT_COND_NONE || !p || s->progs_len < PDT_CF_HDR)
        return NULL;
    np = pdt_cf_rd32(p);
    nt = pdt_cf_rd32(p + 4);
    if (prog >= np)
        return NULL;
    first = pdt_cf_rd32(p + PDT_CF_HDR + (size_t)prog * PDT_CF_PROG_SZ);
    *cnt = pdt_cf_rd32(p + PDT_CF_HDR + (size_t)prog * PDT_CF_PROG_SZ + 4);
    if (j >= *cnt || first + j >= nt)
        return NULL;
    return p + PDT_CF_HDR + (size_t)np * PDT_CF_PROG_SZ + (size_t)(first + j) * PDT_CF_TEST_SZ;
}

int pdt_explain_stmt(struct pdt_explain *x, uint32_t i, struct pdt_explain_stmt *out)
{
    struct pdt_cond_secs s;

    memset(out, 0, sizeof *out);
    if (!x->t || pdt_introspect_stmt(x->t, i, &out->info) < 0)
        return -1;
    secs(x, &s);
    (void)test_rec(&s, out->info.cond, 0, &out->ntests);
    if (!x->usable) {
        out->resource = PDT_TRI_FALSE;
        out->cond = PDT_TRI_FALSE;
        return 0;
    }
    out->action = action_ok(x, i, out->info.not_action);
    out->resource = pdt_lookup_resource(x->t, i, &x->q, &x->ctx, NULL);
    out->cond = pdt_cond_eval(&x->ctx, out->info.cond);
    out->applies = out->action && pdt_lookup_applies(x->t, i, &x->q, &x->ctx, NULL);
    return 0;
}

/* A budgeted glob result as a three-valued one. */
static enum pdt_tri glob_tri(int g)
{
    return g == PDT_GLOB_INDET ? PDT_TRI_INDET : g ? PDT_TRI_TRUE : PDT_TRI_FALSE;
}

int pdt_explain_resource(struct pdt_explain *x, uint32_t i, uint32_t j, struct pdt_explain_res *out,
                         char *buf, size_t cap)
{
    const char *pat;
    long n;

    memset(out, 0, sizeof *out);
    out->match = PDT_TRI_FALSE;
    if (!x->t || cap < PDT_TMPL_MAX || pdt_introspect_stmt_resource(x->t, i, j, &out->kind, &pat, &out->tmpl) < 0)
        return -1;
    if (out->kind != PDT_RES_TMPL) {
        out->pattern = pat;
        out->len = strlen(pat);
        if (x->usable)  /* the budgeted matcher pdt_decide uses: out of budget is indeterminate */
            out->match = out->kind == PDT_RES_ANY ? PDT_TRI_TRUE
                                                  : glob_tri(pdt_glob_arn_b(pat, out->len, x->req->resource, x->q.rlen,
                                                                            &x->ctx.work));
        return 0;
    }
    if (!x->usable) {
        out->tmpl_status = -2;
        return 0;
    }
    /* as pdt_lookup_resource: the same buffer size and the same outcomes */
    n = pdt_tmpl_expand(&x->ctx, out->tmpl, buf, PDT_TMPL_MAX);
    out->tmpl_status = n;
    if (n >= 0 && (size_t)n <= PDT_TMPL_MAX) {
        out->pattern = buf;
        out->len = (size_t)n;
        out->match = glob_tri(pdt_glob_arn_b(buf, out->len, x->req->resource, x->q.rlen, &x->ctx.work));
    } else if (n != -1) {
        out->tmpl_status = -2;
        out->match = PDT_TRI_INDET;
    }
    return 0;
}

/* Interned text of key id (NUL-terminated in the KEYS blob), or "?". */
static const char *key_text(const struct pdt_cond_secs *s, uint32_t id)
{
    uint32_t nkeys, nb;
    if (!s->keys || s->keys_len < PDT_CF_HDR)
        return "?";
    nkeys = pdt_cf_rd32(s->keys);
    nb = pdt_cf_rd32(s->keys + 4);
    if (id >= nkeys)
        return "?";
    return (const char *)s->keys + PDT_CF_HDR + (size_t)nkeys * PDT_CF_KEY_SZ + (size_t)nb * 4 +
           pdt_cf_rd32(s->keys + PDT_CF_HDR + (size_t)id * PDT_CF_KEY_SZ);
}

int pdt_explain_test(struct pdt_explain *x, uint32_t i, uint32_t j, struct pdt_explain_test *out)
{
    struct pdt_stmt_info info;
    struct pdt_cond_secs s;
    const uint8_t *t;
    uint32_t cnt, w, key;

    memset(out, 0, sizeof *out);
    out->result = PDT_TRI_INDET;
    if (!x->t || pdt_introspect_stmt(x->t, i, &info) < 0)
        return -1;
    secs(x, &s);
    if (!(t = test_rec(&s, info.cond, j, &cnt)))
        return -1;
    w = pdt_cf_rd32(t);
    key = pdt_cf_rd32(t + 4);
    out->op = w & 0xff;
    out->flags = (w >> 8) & 0xff;
    out->key = key_text(&s, key);
    out->nvals = pdt_cf_rd32(t + 12);
    if (!x->usable) {
        out->seen = -1;
        return 0;
    }
    /* the engine's own key resolution and evaluation */
    out->seen = pdt_ctx_lookup(&x->ctx, key, &out->kv);
    if (out->seen != 1)
        out->kv = NULL;
    out->result = pdt_cond_eval_test(&x->ctx, info.cond, j);
    return 0;
}

int pdt_explain_value(struct pdt_explain *x, uint32_t i, uint32_t j, uint32_t k, struct pdt_explain_val *out,
                      char *buf, size_t cap)
{
    struct pdt_stmt_info info;
    struct pdt_cond_secs s;
    const uint8_t *t, *vals, *v;
    uint32_t cnt, np, nt, nv;

    memset(out, 0, sizeof *out);
    out->tmpl = UINT32_MAX;
    if (!x->t || pdt_introspect_stmt(x->t, i, &info) < 0)
        return -1;
    secs(x, &s);
    if (!(t = test_rec(&s, info.cond, j, &cnt)) || k >= pdt_cf_rd32(t + 12))
        return -1;
    np = pdt_cf_rd32(s.progs);
    nt = pdt_cf_rd32(s.progs + 4);
    nv = pdt_cf_rd32(s.progs + 8);
    vals = s.progs + PDT_CF_HDR + (size_t)np * PDT_CF_PROG_SZ + (size_t)nt * PDT_CF_TEST_SZ;
    v = vals + (size_t)(pdt_cf_rd32(t + 8) + k) * PDT_CF_VAL_SZ;
    if (pdt_cf_rd32(v + 8) == PDT_CF_EMPTY) {
        out->bytes = vals + (size_t)nv * PDT_CF_VAL_SZ + pdt_cf_rd32(v);
        out->len = pdt_cf_rd32(v + 4);
        return 0;
    }
    out->tmpl = pdt_cf_rd32(v + 8);
    out->tmpl_status = x->usable && buf ? pdt_tmpl_expand(&x->ctx, out->tmpl, buf, cap) : -2;
    if (out->tmpl_status >= 0) {
        out->bytes = (const uint8_t *)buf;
        out->len = (size_t)out->tmpl_status;
    }
    return 0;
}
