/* condc.c - the condition compiler: turns IR Condition blocks into programs
 * and Resource entries with policy variables into templates, stored in the
 * condition engine's three sections (layouts in runtime/condfmt.h, meaning in
 * runtime/cond.c).  Typed policy values are parsed and checked here (numbers
 * to canonical decimals, dates to epoch + fraction, CIDRs to prefixes,
 * base64 to bytes, Bool/Null to 0/1) and a value that does not parse is a
 * compile error at its location.  Context keys are interned lower-cased;
 * identical blocks and identical templates are stored once.  Variable syntax
 * comes from var.c; where variables are allowed is validate.c's business
 * (this module still refuses what it cannot compile).  All memory comes from
 * the arena given to condc_new. */
#include "condc.h"

#include <stdlib.h>
#include <string.h>

#include "condfmt.h"
#include "value.h"
#include "var.h"

#define CONDC_HB 512  /* hash buckets of the key, program and template dedupe tables */

struct condc_vec {            /* arena-backed growable byte vector */
    uint8_t *p;
    size_t len, cap;
};

struct condc_key {            /* an interned context key */
    char *s;                  /* lower-cased, NUL-terminated */
    size_t len;
    uint32_t hash;            /* pdt_cf_hash */
    uint32_t id;
    struct condc_key *next;   /* hash chain */
};

struct condc_sig {            /* a stored program or template, for sharing */
    const uint8_t *b;         /* its serialised form */
    size_t len;
    uint32_t id;
    struct condc_sig *next;
};

struct condc {
    struct arena *a;
    struct diag *d;
    struct condc_key *kh[CONDC_HB];
    struct condc_key **keys;  /* by id */
    uint32_t nkeys, capkeys;
    struct condc_sig *ph[CONDC_HB], *th[CONDC_HB];
    struct condc_vec progs, tests, vals, pblob;  /* PROGS arrays and blob */
    uint32_t nprogs, ntests, nvals;
    struct condc_vec tmpls, parts, tblob;        /* TMPLS arrays and blob */
    uint32_t ntmpls, nparts;
    int nomem;                /* an allocation failed */
};

struct condc_val {            /* one compiled policy value */
    uint32_t tmpl;            /* PDT_CF_EMPTY or a template id */
    const uint8_t *b;
    size_t len;
};

struct condc_test {           /* one compiled (operator, key) test */
    uint32_t w, key, nv;
    struct condc_val *v;
};

static int vec_put(struct condc *c, struct condc_vec *v, const void *src, size_t n)
{
    if (n > v->cap - v->len) {
        size_t cap = v->cap ? v->cap : 256;
        uint8_t *p;
        while (cap - v->len < n) {
            if (cap > SIZE_MAX / 4) {
                c->nomem = 1;
                return -1;
            }
            cap *= 2;
        }
        p = arena_grow(c->a, v->p, v->len, cap, 1);
        if (!p) {
            c->nomem = 1;
            return -1;
        }
        v->p = p;
        v->cap = cap;
    }
    if (n)
        memcpy(v->p + v->len, src, n);
    v->len += n;
    return 0;
}

static int vec_u32(struct condc *c, struct condc_vec *v, uint32_t x)
{
    uint8_t b[4] = {(uint8_t)x, (uint8_t)(x >> 8), (uint8_t)(x >> 16), (uint8_t)(x >> 24)};
    return vec_put(c, v, b, 4);
}

static uint32_t bytes_hash(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

struct condc *condc_new(struct arena *a, struct diag *d)
{
    struct condc *c = arena_alloc(a, sizeof *c);  /* zeroed */
    if (c) {
        c->a = a;
        c->d = d;
    }
    return c;
}

/* Interns key s[0..n) lower-cased; returns its id or UINT32_MAX on no memory. */
static uint32_t condc_key(struct condc *c, const char *s, size_t n)
{
    uint32_t h = pdt_cf_hash(s, n);
    struct condc_key *k;
    size_t i;

    for (k = c->kh[h % CONDC_HB]; k; k = k->next) {
        for (i = 0; k->hash == h && k->len == n && i < n; i++) {
            char ch = s[i];
            if (ch >= 'A' && ch <= 'Z')
                ch = (char)(ch + 32);
            if (ch != k->s[i])
                break;
        }
        if (k->hash == h && k->len == n && i == n)
            return k->id;
    }
    if (c->nkeys == c->capkeys) {
        uint32_t cap = c->capkeys ? c->capkeys * 2 : 32;
        struct condc_key **nk = arena_grow(c->a, c->keys, c->nkeys, cap, sizeof *nk);
        if (!nk || c->nkeys >= UINT32_MAX / 4)
            goto nomem;
        c->keys = nk;
        c->capkeys = cap;
    }
    k = arena_alloc(c->a, sizeof *k);
    if (!k || !(k->s = arena_strndup(c->a, s, n)))
        goto nomem;
    for (i = 0; i < n; i++)
        if (k->s[i] >= 'A' && k->s[i] <= 'Z')
            k->s[i] = (char)(k->s[i] + 32);
    k->len = n;
    k->hash = h;
    k->id = c->nkeys;
    k->next = c->kh[h % CONDC_HB];
    c->kh[h % CONDC_HB] = k;
    c->keys[c->nkeys++] = k;
    return k->id;
nomem:
    c->nomem = 1;
    return UINT32_MAX;
}

/* Appends text t[0..n) to v as a pattern fragment: '\' always escaped,
 * '*' and '?' too unless glob (they are then wildcards). */
static int put_text(struct condc *c, struct condc_vec *v, const char *t, size_t n, int glob)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if ((t[i] == '\\' || (!glob && (t[i] == '*' || t[i] == '?'))) && vec_put(c, v, "\\", 1) < 0)
            return -1;
        if (vec_put(c, v, t + i, 1) < 0)
            return -1;
    }
    return 0;
}

/* Stores template parts (serialised in sig: records {kind,key,len} + bytes)
 * once; returns the template id. */
static uint32_t tmpl_store(struct condc *c, const struct condc_vec *sig, uint32_t nparts)
{
    uint32_t h = bytes_hash(sig->p, sig->len), id;
    struct condc_sig *s;
    size_t i = 0;

    for (s = c->th[h % CONDC_HB]; s; s = s->next)
        if (s->len == sig->len && memcmp(s->b, sig->p, sig->len) == 0)
            return s->id;
    id = c->ntmpls;
    vec_u32(c, &c->tmpls, c->nparts);
    vec_u32(c, &c->tmpls, nparts);
    while (i < sig->len) {
        uint32_t kind = pdt_cf_rd32(sig->p + i), key = pdt_cf_rd32(sig->p + i + 4), len = pdt_cf_rd32(sig->p + i + 8);
        vec_u32(c, &c->parts, kind);
        vec_u32(c, &c->parts, key);
        vec_u32(c, &c->parts, kind == PDT_CF_PART_VAR ? 0 : (uint32_t)c->tblob.len);
        vec_u32(c, &c->parts, len);
        vec_put(c, &c->tblob, sig->p + i + 12, len);
        i += 12 + (size_t)len;
    }
    c->nparts += nparts;
    c->ntmpls++;
    s = arena_alloc(c->a, sizeof *s);
    if (!s) {
        c->nomem = 1;
        return id;
    }
    s->b = sig->p;
    s->len = sig->len;
    s->id = id;
    s->next = c->th[h % CONDC_HB];
    c->th[h % CONDC_HB] = s;
    return id;
}

/* Appends one template part record to sig. */
static void sig_part(struct condc *c, struct condc_vec *sig, uint32_t kind, uint32_t key, const struct condc_vec *txt)
{
    vec_u32(c, sig, kind);
    vec_u32(c, sig, key);
    vec_u32(c, sig, txt ? (uint32_t)txt->len : 0);
    if (txt)
        vec_put(c, sig, txt->p, txt->len);
}

/* Compiles src (Version 2012-10-17 text that may hold variables) into a
 * static pattern (returns 0, with pat and plen set, in the arena) or a template (returns
 * 1, *tmpl).  glob: '*'/'?' written in the text are wildcards.  min_seg: a
 * variable preceded by fewer ':' than this is an error (resources: 3, the
 * arn, partition and service segments).  Returns -1 after a diagnostic. */
static int tmpl_build(struct condc *c, const struct ir_str *src, int glob, int min_seg,
                      const char **pat, size_t *plen, uint32_t *tmpl)
{
    struct condc_vec txt = {0}, sig = {0};
    struct var_scan vs;
    struct var_tok t;
    uint32_t nparts = 0;
    int r, nvars = 0, seg = 0;

    var_scan_init(&vs, src->s, src->len);
    while ((r = var_next(&vs, &t)) > 0) {
        if (t.kind == VAR_TEXT) {
            size_t i;
            for (i = 0; i < t.len; i++)
                seg += t.s[i] == ':';
            put_text(c, &txt, t.s, t.len, glob);
        } else if (t.kind == VAR_LIT) {
            put_text(c, &txt, &t.lit, 1, 0);
        } else {
            uint32_t key;
            struct condc_vec def = {0};
            if (seg < min_seg) {
                diag_error(c->d, "variable-not-allowed", src->loc,
                           "a policy variable is not allowed in the arn, partition or service segment");
                return -1;
            }
            key = condc_key(c, t.s, t.len);
            if (txt.len) {
                sig_part(c, &sig, PDT_CF_PART_TEXT, 0, &txt);
                nparts++;
                txt.len = 0;
            }
            if (t.has_def)
                vec_put(c, &def, t.def, t.def_len);
            sig_part(c, &sig, t.has_def ? PDT_CF_PART_VAR_DEF : PDT_CF_PART_VAR, key, t.has_def ? &def : NULL);
            nparts++;
            nvars++;
        }
    }
    if (r < 0) {
        diag_error(c->d, "invalid-variable", src->loc, "%s", vs.err);
        return -1;
    }
    if (c->nomem)
        return -1;
    if (!nvars) {
        vec_put(c, &txt, "", 1);
        *pat = (const char *)txt.p;
        *plen = txt.len - 1;
        return c->nomem ? -1 : 0;
    }
    if (txt.len) {
        sig_part(c, &sig, PDT_CF_PART_TEXT, 0, &txt);
        nparts++;
    }
    *tmpl = tmpl_store(c, &sig, nparts);
    return c->nomem ? -1 : 1;
}

int condc_resource(struct condc *c, const struct ir_policy *p, const struct ir_str *res,
                   const char **pat, size_t *pat_len, uint32_t *tmpl)
{
    struct condc_vec v = {0};
    int r;

    if (p->version == IR_VERSION_2012 && var_present(res->s, res->len)) {
        r = tmpl_build(c, res, 1, 3, pat, pat_len, tmpl);
        return r;
    }
    if (put_text(c, &v, res->s, res->len, 1) < 0 || vec_put(c, &v, "", 1) < 0)
        return -1;
    *pat = (const char *)v.p;
    *pat_len = v.len - 1;
    return 0;
}

/* Maps an IR operator to its table opcode and NEG flag. */
static uint32_t condc_op(enum ir_op op)
{
    static const uint8_t map[IR_OP_COUNT] = {
        [IR_OP_STRING_EQUALS] = PDT_COP_STR_EQ,
        [IR_OP_STRING_EQUALS_IGNORE_CASE] = PDT_COP_STR_EQ_IC,
        [IR_OP_STRING_LIKE] = PDT_COP_STR_LIKE,
        [IR_OP_NUMERIC_EQUALS] = PDT_COP_NUM_EQ,
        [IR_OP_NUMERIC_LESS_THAN] = PDT_COP_NUM_LT,
        [IR_OP_NUMERIC_LESS_THAN_EQUALS] = PDT_COP_NUM_LE,
        [IR_OP_NUMERIC_GREATER_THAN] = PDT_COP_NUM_GT,
        [IR_OP_NUMERIC_GREATER_THAN_EQUALS] = PDT_COP_NUM_GE,
        [IR_OP_DATE_EQUALS] = PDT_COP_DATE_EQ,
        [IR_OP_DATE_LESS_THAN] = PDT_COP_DATE_LT,
        [IR_OP_DATE_LESS_THAN_EQUALS] = PDT_COP_DATE_LE,
        [IR_OP_DATE_GREATER_THAN] = PDT_COP_DATE_GT,
        [IR_OP_DATE_GREATER_THAN_EQUALS] = PDT_COP_DATE_GE,
        [IR_OP_BOOL] = PDT_COP_BOOL,
        [IR_OP_BINARY_EQUALS] = PDT_COP_BIN_EQ,
        [IR_OP_IP_ADDRESS] = PDT_COP_IP,
        [IR_OP_ARN_EQUALS] = PDT_COP_ARN,
        [IR_OP_ARN_LIKE] = PDT_COP_ARN,
        [IR_OP_NULL] = PDT_COP_NULL,
    };
    return op < IR_OP_COUNT ? map[ir_op_positive(op)] : 0;
}

static void le64(uint8_t *b, uint64_t x)
{
    int i;
    for (i = 0; i < 8; i++)
        b[i] = (uint8_t)(x >> (8 * i));
}

/* Compiles policy value v of opcode op into *out (bytes in the arena, or a
 * template).  Returns 0, or -1 after a diagnostic at v's location. */
static int condc_value(struct condc *c, const struct ir_policy *p, uint32_t op, const char *opname,
                       const struct ir_str *v, struct condc_val *out)
{
    const char *s = v->s, *pat;
    size_t n = v->len, plen;
    uint8_t *b;
    long bl;
    int r;

    out->tmpl = PDT_CF_EMPTY;
    if (pdt_cf_op_templated(op)) {
        int glob = op == PDT_COP_STR_LIKE || op == PDT_COP_ARN;
        if (p->version == IR_VERSION_2012 && var_present(s, n)) {
            r = tmpl_build(c, v, glob, 0, &pat, &plen, &out->tmpl);
            if (r < 0)
                return -1;
            if (r == 0) {  /* only ${*} ${?} ${$}: a static pattern */
                if (!glob)  /* StringEquals* need the literal text: store as a pattern template-free */
                    goto literal_pattern;
                out->b = (const uint8_t *)pat;
                out->len = plen;
            }
            return 0;
        }
        if (!glob) {
            out->b = (const uint8_t *)s;
            out->len = n;
            return 0;
        }
        {
            struct condc_vec t = {0};
            if (put_text(c, &t, s, n, 1) < 0)
                return -1;
            out->b = t.p;
            out->len = t.len;
        }
        return 0;
    literal_pattern:
        /* unescape: the pattern holds only escaped literals */
        b = arena_alloc(c->a, plen + 1);
        if (!b)
            return -1;
        out->len = 0;
        for (size_t i = 0; i < plen; i++) {
            if (pat[i] == '\\' && i + 1 < plen)
                i++;
            b[out->len++] = (uint8_t)pat[i];
        }
        out->b = b;
        return 0;
    }
    if (op >= PDT_COP_NUM_EQ && op <= PDT_COP_NUM_GE) {
        struct pdt_num num;
        char *canon = arena_alloc(c->a, PDT_NUM_MAX + 2);
        if (pdt_value_num_parse(s, n, &num) < 0 || !canon || memchr(s, 0, n)) {
            diag_error(c->d, "invalid-number", v->loc,
                       "'%s' needs a decimal number ([+-]digits[.digits]), not \"%.*s\"", opname, (int)(n > 64 ? 64 : n), s);
            return -1;
        }
        r = pdt_value_num_canon(&num, canon, PDT_NUM_MAX + 2);
        out->b = (const uint8_t *)canon;
        out->len = (size_t)r;
        return 0;
    }
    if (op >= PDT_COP_DATE_EQ && op <= PDT_COP_DATE_GE) {
        struct pdt_date dt;
        if (pdt_value_date_parse(s, n, &dt) < 0 || !(b = arena_alloc(c->a, 16))) {
            diag_error(c->d, "invalid-date", v->loc,
                       "'%s' needs an ISO 8601 date (YYYY-MM-DD[Thh:mm[:ss[.s]]TZD]) or epoch seconds, not \"%.*s\"",
                       opname, (int)(n > 64 ? 64 : n), s);
            return -1;
        }
        le64(b, (uint64_t)dt.sec);
        le64(b + 8, dt.frac);
        out->b = b;
        out->len = 16;
        return 0;
    }
    if (op == PDT_COP_BOOL || op == PDT_COP_NULL) {
        r = pdt_value_bool_parse(s, n);
        if (r < 0 || !(b = arena_alloc(c->a, 1))) {
            diag_error(c->d, op == PDT_COP_BOOL ? "invalid-bool" : "invalid-null-value", v->loc,
                       "'%s' needs true or false, not \"%.*s\"", opname, (int)(n > 64 ? 64 : n), s);
            return -1;
        }
        b[0] = (uint8_t)r;
        out->b = b;
        out->len = 1;
        return 0;
    }
    if (op == PDT_COP_BIN_EQ) {
        bl = pdt_value_b64_check(s, n);
        if (bl < 0 || !(b = arena_alloc(c->a, (size_t)bl + 1))) {
            diag_error(c->d, "invalid-base64", v->loc, "'%s' needs strict base64, not \"%.*s\"",
                       opname, (int)(n > 64 ? 64 : n), s);
            return -1;
        }
        out->len = (size_t)pdt_value_b64_decode(s, n, b, (size_t)bl);
        out->b = b;
        return 0;
    }
    /* IP */
    {
        struct pdt_ip ip;
        if (pdt_value_ip_parse(s, n, 1, &ip) < 0 || !(b = arena_alloc(c->a, 18))) {
            diag_error(c->d, "invalid-ip", v->loc,
                       "'%s' needs an IPv4/IPv6 address or CIDR block, not \"%.*s\"", opname, (int)(n > 64 ? 64 : n), s);
            return -1;
        }
        b[0] = ip.fam;
        b[1] = ip.plen;
        memcpy(b + 2, ip.a, 16);
        out->b = b;
        out->len = 18;
        return 0;
    }
}

/* Serialises compiled tests into sig (for sharing identical blocks). */
static void block_sig(struct condc *c, struct condc_vec *sig, const struct condc_test *t, size_t nt)
{
    size_t i, j;
    for (i = 0; i < nt; i++) {
        vec_u32(c, sig, t[i].w);
        vec_u32(c, sig, t[i].key);
        vec_u32(c, sig, t[i].nv);
        for (j = 0; j < t[i].nv; j++) {
            vec_u32(c, sig, t[i].v[j].tmpl);
            vec_u32(c, sig, (uint32_t)t[i].v[j].len);
            vec_put(c, sig, t[i].v[j].b, t[i].v[j].len);
        }
    }
}

/* Stores a compiled block once; returns its program id. */
static uint32_t prog_store(struct condc *c, const struct condc_test *t, size_t nt)
{
    struct condc_vec sig = {0};
    struct condc_sig *s;
    uint32_t h, id;
    size_t i, j;

    block_sig(c, &sig, t, nt);
    h = bytes_hash(sig.p, sig.len);
    for (s = c->ph[h % CONDC_HB]; s; s = s->next)
        if (s->len == sig.len && memcmp(s->b, sig.p, sig.len) == 0)
            return s->id;
    id = c->nprogs++;
    vec_u32(c, &c->progs, c->ntests);
    vec_u32(c, &c->progs, (uint32_t)nt);
    for (i = 0; i < nt; i++) {
        vec_u32(c, &c->tests, t[i].w);
        vec_u32(c, &c->tests, t[i].key);
        vec_u32(c, &c->tests, c->nvals);
        vec_u32(c, &c->tests, t[i].nv);
        for (j = 0; j < t[i].nv; j++) {
            const struct condc_val *v = &t[i].v[j];
            vec_u32(c, &c->vals, v->tmpl == PDT_CF_EMPTY ? (uint32_t)c->pblob.len : 0);
            vec_u32(c, &c->vals, v->tmpl == PDT_CF_EMPTY ? (uint32_t)v->len : 0);
            vec_u32(c, &c->vals, v->tmpl);
            if (v->tmpl == PDT_CF_EMPTY)
                vec_put(c, &c->pblob, v->b, v->len);
        }
        c->nvals += t[i].nv;
    }
    c->ntests += (uint32_t)nt;
    s = arena_alloc(c->a, sizeof *s);
    if (!s) {
        c->nomem = 1;
        return id;
    }
    s->b = sig.p;
    s->len = sig.len;
    s->id = id;
    s->next = c->ph[h % CONDC_HB];
    c->ph[h % CONDC_HB] = s;
    return id;
}

/* Compiles the keys of one operator into tests[*nt...]. */
static int condc_cond(struct condc *c, const struct ir_policy *p, const struct ir_cond *cd,
                      struct condc_test *tests, size_t *nt)
{
    uint32_t op = condc_op(cd->op), fl = 0;
    const char *name = ir_op_name(cd->op);
    size_t k, j;
    int bad = 0;

    if (!op)
        return -1;
    if (op == PDT_COP_NULL && (cd->if_exists || cd->set != IR_SET_NONE)) {
        diag_error(c->d, "invalid-operator", cd->name.loc, "'Null' takes neither IfExists nor a set prefix");
        return -1;
    }
    fl |= ir_op_negated(cd->op) ? PDT_CF_NEG : 0;
    fl |= cd->if_exists ? PDT_CF_IFEXISTS : 0;
    fl |= cd->set == IR_SET_FOR_ALL_VALUES ? PDT_CF_ALL : cd->set == IR_SET_FOR_ANY_VALUE ? PDT_CF_ANY : 0;
    for (k = 0; k < cd->nkeys; k++) {
        const struct ir_cond_key *ck = &cd->keys[k];
        struct condc_test *t = &tests[(*nt)++];
        if (ck->values.n == 0 || memchr(ck->key.s, 0, ck->key.len)) {
            diag_error(c->d, "invalid-condition-value", ck->key.loc,
                       ck->values.n ? "condition key contains a NUL character" : "empty condition value list");
            bad = 1;
            continue;
        }
        t->w = op | fl << 8;
        t->key = condc_key(c, ck->key.s, ck->key.len);
        t->nv = (uint32_t)ck->values.n;
        t->v = arena_calloc(c->a, ck->values.n, sizeof *t->v);
        if (!t->v || t->key == UINT32_MAX)
            return -1;
        for (j = 0; j < ck->values.n; j++)
            if (condc_value(c, p, op, name, &ck->values.v[j], &t->v[j]) < 0)
                bad = 1;
    }
    return bad ? -1 : 0;
}

/* Evaluation cost rank of a test: cheap tests first, so that a false one
 * ends the AND early (three-valued AND does not depend on the order).
 * Tests of one rank are then grouped by key (tests_order), so that the
 * runtime resolves a key, and parses a typed request value, once for a run
 * of tests on it (runtime/cond.c). */
static unsigned test_rank(const struct condc_test *t)
{
    static const uint8_t rank[PDT_COP_MAX + 1] = {
        [PDT_COP_NULL] = 0, [PDT_COP_BOOL] = 1, [PDT_COP_STR_EQ] = 2, [PDT_COP_STR_EQ_IC] = 3,
        [PDT_COP_NUM_EQ] = 4, [PDT_COP_NUM_LT] = 4, [PDT_COP_NUM_LE] = 4, [PDT_COP_NUM_GT] = 4,
        [PDT_COP_NUM_GE] = 4, [PDT_COP_BIN_EQ] = 5, [PDT_COP_DATE_EQ] = 6, [PDT_COP_DATE_LT] = 6,
        [PDT_COP_DATE_LE] = 6, [PDT_COP_DATE_GT] = 6, [PDT_COP_DATE_GE] = 6, [PDT_COP_IP] = 7,
        [PDT_COP_STR_LIKE] = 8, [PDT_COP_ARN] = 9,
    };
    unsigned r = rank[t->w & 0xff] * 4u, j;

    if (t->w & ((PDT_CF_ALL | PDT_CF_ANY) << 8))
        r += 2;
    for (j = 0; j < t->nv; j++)
        if (t->v[j].tmpl != PDT_CF_EMPTY)
            r += 40;   /* a template expansion per comparison */
    return r;
}

struct condc_order {   /* sort key of one test */
    unsigned rank;
    uint32_t key;
    size_t idx;            /* original position: keeps the sort stable */
};

static int order_cmp(const void *a, const void *b)
{
    const struct condc_order *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Orders the n tests by rank (stable); returns the ordered copy, or NULL on
 * no memory. */
static struct condc_test *tests_order(struct condc *c, const struct condc_test *t, size_t n)
{
    struct condc_order *o = arena_calloc(c->a, n, sizeof *o);
    struct condc_test *r = arena_calloc(c->a, n, sizeof *r);
    size_t i;

    if (!o || !r)
        return NULL;
    for (i = 0; i < n; i++) {
        o[i].rank = test_rank(&t[i]);
        o[i].key = t[i].key;
        o[i].idx = i;
    }
    qsort(o, n, sizeof *o, order_cmp);
    for (i = 0; i < n; i++)
        r[i] = t[o[i].idx];
    return r;
}

int condc_statement(struct condc *c, const struct ir_policy *p,
                    const struct ir_statement *st, uint32_t *prog)
{
    struct condc_test *tests;
    size_t i, n = 0, nt = 0;
    int bad = 0;

    *prog = UINT32_MAX;  /* PDT_COND_NONE */
    for (i = 0; i < st->nconds; i++)
        n += st->conds[i].nkeys;
    if (n == 0)
        return 0;
    tests = arena_calloc(c->a, n, sizeof *tests);
    if (!tests)
        goto nomem;
    for (i = 0; i < st->nconds; i++)
        if (condc_cond(c, p, &st->conds[i], tests, &nt) < 0)
            bad = 1;
    if (c->nomem)
        goto nomem;
    if (bad)
        return -1;
    tests = tests_order(c, tests, nt);
    if (!tests)
        goto nomem;
    *prog = prog_store(c, tests, nt);
    if (c->nomem)
        goto nomem;
    return 0;
nomem:
    diag_error(c->d, "out-of-memory", st->loc, "out of memory compiling the Condition block");
    return -1;
}

static void put_hdr(struct buf *b, uint32_t a, uint32_t b2, uint32_t c, uint32_t d)
{
    buf_u32(b, a);
    buf_u32(b, b2);
    buf_u32(b, c);
    buf_u32(b, d);
}

/* Writes the KEYS section: records, the bucket array, the text blob. */
static void finish_keys(struct condc *c, struct buf *out)
{
    uint32_t nb = 2, i, off = 0;
    uint32_t *bk;

    while (nb < 2 * c->nkeys)
        nb *= 2;
    bk = arena_calloc(c->a, nb, sizeof *bk);
    if (!bk) {
        c->nomem = 1;
        return;
    }
    memset(bk, 0xff, (size_t)nb * sizeof *bk);
    for (i = 0; i < c->nkeys; i++) {
        uint32_t b = c->keys[i]->hash & (nb - 1);
        while (bk[b] != PDT_CF_EMPTY)
            b = (b + 1) & (nb - 1);
        bk[b] = i;
    }
    for (i = 0; i < c->nkeys; i++)
        off += (uint32_t)c->keys[i]->len + 1;
    put_hdr(out, c->nkeys, nb, off, 0);
    for (i = 0, off = 0; i < c->nkeys; i++) {
        put_hdr(out, off, (uint32_t)c->keys[i]->len, c->keys[i]->hash, 0);
        off += (uint32_t)c->keys[i]->len + 1;
    }
    for (i = 0; i < nb; i++)
        buf_u32(out, bk[i]);
    for (i = 0; i < c->nkeys; i++)
        buf_append(out, c->keys[i]->s, c->keys[i]->len + 1);
    buf_align(out, 8);
}

int condc_finish(struct condc *c, struct buf *keys, struct buf *progs, struct buf *tmpls)
{
    if (c->nomem || c->pblob.len > UINT32_MAX / 2 || c->tblob.len > UINT32_MAX / 2 ||
        c->nvals > UINT32_MAX / 16 || c->nparts > UINT32_MAX / 16)
        goto fail;
    if (c->nkeys)
        finish_keys(c, keys);
    if (c->nprogs) {
        put_hdr(progs, c->nprogs, c->ntests, c->nvals, (uint32_t)c->pblob.len);
        buf_append(progs, c->progs.p, c->progs.len);
        buf_append(progs, c->tests.p, c->tests.len);
        buf_append(progs, c->vals.p, c->vals.len);
        buf_append(progs, c->pblob.p, c->pblob.len);
        buf_align(progs, 8);
    }
    if (c->ntmpls) {
        put_hdr(tmpls, c->ntmpls, c->nparts, (uint32_t)c->tblob.len, 0);
        buf_append(tmpls, c->tmpls.p, c->tmpls.len);
        buf_append(tmpls, c->parts.p, c->parts.len);
        buf_append(tmpls, c->tblob.p, c->tblob.len);
        buf_align(tmpls, 8);
    }
    if (c->nomem || keys->failed || progs->failed || tmpls->failed)
        goto fail;
    return 0;
fail:
    diag_plain(c->d, DIAG_ERROR, "out of memory writing the condition sections");
    return -1;
}
