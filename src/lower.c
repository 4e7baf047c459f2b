/* lower.c - lowering the policy IR of one principal into a decision table
 * (lower.h): statement order (Deny statements first, then Allow ranked by
 * how cheaply they apply; see stmt_rank), action and resource entries, condition programs
 * and templates (through condc.h), provenance, the statement-list pool, and
 * the final assembly through emit.c.  The action index and the resource
 * automata are built by acthash_build.c and dfa_tables.c (with
 * dfa_build.c). */
#include "lower.h"

#include <stdlib.h>
#include <string.h>

#include "condc.h"
#include "cond.h"
#include "hash.h"
#include "lower_int.h"


static uint32_t pool_get(const struct lower_ctx *c, size_t i)
{
    uint16_t v16;
    uint32_t v32;
    if (c->list16) {
        memcpy(&v16, c->lists->data + i * 2, 2);
        return v16;
    }
    memcpy(&v32, c->lists->data + i * 4, 4);
    return v32;
}

static uint32_t list_hash(const uint32_t *v, size_t n)
{
    return pdt_hash_key(v, n * 4, 7);
}

int lower_list(struct lower_ctx *c, const uint32_t *v, size_t n, uint32_t *ref)
{
    size_t h, i, w = c->list16 ? 2 : 4;
    uint32_t hdr = c->list16 ? PDT_LIST16_HDR : PDT_LIST_ONE, off;
    if (n == 0) {
        *ref = PDT_LIST_EMPTY;
        return 0;
    }
    if (n == 1) {
        *ref = PDT_LIST_ONE | v[0];
        return 0;
    }
    if ((c->lnused + 1) * 2 > c->lnslots) {
        size_t nn = c->lnslots ? c->lnslots * 2 : 1024;
        uint32_t *s = arena_calloc(c->a, nn, sizeof *s);
        if (!s)
            return -1;
        for (i = 0; i < c->lnslots; i++)
            if (c->lslots[i]) {
                h = c->lhashes[c->lslots[i] - 1] & (nn - 1);
                while (s[h])
                    h = (h + 1) & (nn - 1);
                s[h] = c->lslots[i];
            }
        c->lslots = s;
        c->lnslots = nn;
    }
    h = list_hash(v, n) & (c->lnslots - 1);
    while (c->lslots[h]) {
        uint32_t o = c->lrecs[c->lslots[h] - 1];
        if ((pool_get(c, o) & ~hdr) == n) {
            for (i = 0; i < n && pool_get(c, o + 1 + i) == v[i]; i++)
                ;
            if (i == n) {
                *ref = o;
                return 0;
            }
        }
        h = (h + 1) & (c->lnslots - 1);
    }
    if (c->lists->len / w + n + 1 >= (c->list16 ? 0x7FFFFFFFu : PDT_LIST_ONE))
        return -1;
    off = (uint32_t)(c->lists->len / w);
    if (c->list16) {
        buf_u16(c->lists, (uint16_t)(hdr | n));
        for (i = 0; i < n; i++)
            buf_u16(c->lists, (uint16_t)v[i]);
    } else {
        buf_u32(c->lists, hdr | (uint32_t)n);
        for (i = 0; i < n; i++)
            buf_u32(c->lists, v[i]);
    }
    if (c->lists->failed)
        return -1;
    if (c->lnused == c->lcap) {
        size_t nc = c->lcap ? c->lcap * 2 : 1024;
        c->lrecs = arena_grow(c->a, c->lrecs, c->lnused, nc, sizeof *c->lrecs);
        c->lhashes = arena_grow(c->a, c->lhashes, c->lnused, nc, sizeof *c->lhashes);
        if (!c->lrecs || !c->lhashes)
            return -1;
        c->lcap = nc;
    }
    c->lrecs[c->lnused] = off;
    c->lhashes[c->lnused] = list_hash(v, n);
    c->lslots[h] = (uint32_t)++c->lnused;
    *ref = off;
    return 0;
}

int lower_hashtab(struct buf *b, const void *ents, const uint32_t *hashes, size_t n, size_t esz)
{
    size_t nslots = n + n / 3 + 1, i, maxprobe = 1, base;
    uint32_t *slots;
    if (n > PDT_HASH_MAX_ENT)
        return -1;
    base = b->len;
    buf_u32(b, (uint32_t)nslots);
    buf_u32(b, (uint32_t)n);
    buf_u32(b, 0);  /* maxprobe, patched below */
    buf_u32(b, 0);
    buf_zero(b, nslots * 4);
    buf_align(b, 8);
    if (b->failed)
        return -1;
    slots = (uint32_t *)(void *)(b->data + base + sizeof(struct pdt_fmt_hash));
    for (i = 0; i < n; i++) {
        size_t h = (size_t)(((uint64_t)hashes[i] * nslots) >> 32), probe = 1;
        while (slots[h]) {
            h = h + 1 == nslots ? 0 : h + 1;
            probe++;
        }
        slots[h] = PDT_SLOT_MAKE(i, hashes[i]);
        if (probe > maxprobe)
            maxprobe = probe;
    }
    buf_put_u32(b, base + 8, (uint32_t)maxprobe);
    buf_append(b, ents, n * esz);
    return b->failed ? -1 : 0;
}

/* Lower-cases and escapes one action pattern ('\' -> '\\'). */
static int lower_action(struct lower_ctx *c, const struct ir_str *s, const char **out, size_t *olen)
{
    char *p = arena_alloc(c->a, 2 * s->len + 1);
    size_t i, n = 0;
    if (!p)
        return -1;
    for (i = 0; i < s->len; i++) {
        unsigned char ch = (unsigned char)s->s[i];
        if (ch == '\\')
            p[n++] = '\\';
        p[n++] = (char)((ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
    }
    p[n] = '\0';
    *out = p;
    *olen = n;
    return 0;
}

static int lower_one(struct lower_ctx *c, struct condc *cc, struct lower_stmt *ls)
{
    const struct ir_statement *st = ls->st;
    size_t i;
    ls->deny = st->effect == IR_DENY;
    ls->not_action = st->not_action;
    ls->not_resource = st->not_resource;
    if (st->actions.n == 0 || st->resources.n == 0) {
        diag_error(c->d, "lower-empty", st->loc, "statement has no action or resource entries");
        return -1;
    }
    if (condc_statement(cc, ls->p, st, &ls->cond) < 0)
        return -1;
    ls->nacts = st->actions.n;
    ls->acts = arena_calloc(c->a, ls->nacts, sizeof *ls->acts);
    ls->act_lens = arena_calloc(c->a, ls->nacts, sizeof *ls->act_lens);
    ls->nres = st->resources.n;
    ls->res = arena_calloc(c->a, ls->nres, sizeof *ls->res);
    if (!ls->acts || !ls->act_lens || !ls->res)
        return -1;
    for (i = 0; i < ls->nacts; i++)
        if (lower_action(c, &st->actions.v[i], &ls->acts[i], &ls->act_lens[i]) < 0)
            return -1;
    for (i = 0; i < ls->nres; i++) {
        const struct ir_str *r = &st->resources.v[i];
        struct lower_res *lr = &ls->res[i];
        int k;
        if (r->len == 1 && r->s[0] == '*') {
            lr->kind = PDT_RP_ANY;
            continue;
        }
        k = condc_resource(cc, ls->p, r, &lr->pat, &lr->len, &lr->val);
        if (k < 0)
            return -1;
        if (k == 1) {
            lr->kind = PDT_RP_TMPL;
        } else if (lr->len == 0 || memchr(lr->pat, '\0', lr->len)) {
            diag_error(c->d, "lower-resource", r->loc, "resource entry cannot be stored");
            return -1;
        } else {
            lr->kind = PDT_RP_GLOB;
        }
    }
    return 0;
}

static int cmp_strp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Distinct (lower-cased) action patterns of an Action statement: what the
 * action index reports for it (a repeated pattern is indexed once). */
static size_t distinct_actions(struct lower_ctx *c, const struct lower_stmt *ls)
{
    const char **v = arena_calloc(c->a, ls->nacts, sizeof *v);
    size_t i, n = 0;
    if (!v)
        return ls->nacts;
    memcpy(v, ls->acts, ls->nacts * sizeof *v);
    qsort(v, ls->nacts, sizeof *v, cmp_strp);
    for (i = 0; i < ls->nacts; i++)
        n += i == 0 || strcmp(v[i - 1], v[i]) != 0;
    return n;
}

/* SETS, STMTS, PROV, ACTPATS (NotAction statements), RESPATS, META. */
static int lower_write_stmts(struct lower_ctx *c)
{
    struct buf *sets = emit_section(&c->e, PDT_SEC_SETS, PDT_SF_REQUIRED);
    struct buf *stmts = emit_section(&c->e, PDT_SEC_STMTS, PDT_SF_REQUIRED);
    struct buf *prov = c->o->strip ? NULL : emit_section(&c->e, PDT_SEC_PROV, 0);
    struct buf lines, nafirst, napats;
    uint32_t nruns = 0, last_file = 0, nna = 0;
    struct buf *acts = emit_section(&c->e, PDT_SEC_ACTPATS, PDT_SF_REQUIRED);
    struct buf *res = emit_section(&c->e, PDT_SEC_RESPATS, PDT_SF_REQUIRED);
    struct buf *meta = emit_section(&c->e, PDT_SEC_META, PDT_SF_REQUIRED);
    size_t i, j, nact = 0, nres = 0;

    if (!sets || !stmts || (!c->o->strip && !prov) || !acts || !res || !meta)
        return -1;
    buf_init(&lines);
    buf_init(&nafirst);
    buf_init(&napats);
    buf_u32(&nafirst, 0);
    if (prov) {
        buf_u32(prov, 0);  /* nruns, patched below */
        buf_u32(prov, 0);
    }
    buf_u32(sets, 1);
    buf_u32(sets, 0);
    buf_u32(sets, PDT_SET_IDENTITY);
    buf_u32(sets, 0);
    buf_u32(sets, 0);
    buf_u32(sets, (uint32_t)c->nstmts);
    for (i = 0; i < c->nstmts; i++) {
        struct lower_stmt *ls = &c->stmts[i];
        struct pdt_fmt_stmt s;
        if (ls->nacts > 0xFFFF || nres >= PDT_RP_MAXVAL) {
            diag_error(c->d, "lower-too-large", ls->st->loc, "statement has too many entries");
            return -1;
        }
        memset(&s, 0, sizeof s);
        s.effect = ls->deny ? PDT_EFFECT_DENY : PDT_EFFECT_ALLOW;
        s.flags = (uint8_t)((ls->not_action ? PDT_STF_NOT_ACTION : 0) | (ls->not_resource ? PDT_STF_NOT_RESOURCE : 0));
        s.nacts = (uint16_t)(ls->not_action ? ls->nacts : distinct_actions(c, ls));
        s.cond = ls->cond;
        s.res_first = (uint32_t)nres;
        if (ls->not_action) {
            for (j = 0; j < ls->nacts; j++) {
                buf_u32(&napats, emit_str(&c->e, ls->acts[j], ls->act_lens[j]));
                nact++;
            }
            buf_u32(&nafirst, (uint32_t)nact);
            nna++;
        }
        for (j = 0; j < ls->nres; j++) {
            struct lower_res *lr = &ls->res[j];
            uint32_t v = lr->val;
            if (lr->kind == PDT_RP_GLOB || lr->kind == PDT_RP_DFA)
                v = emit_str(&c->e, lr->pat, lr->len);
            else if (lr->kind == PDT_RP_ANY)
                v = 0;
            if (v > PDT_RP_MAXVAL) {
                diag_error(c->d, "lower-too-large", ls->st->loc, "table too large");
                return -1;
            }
            if (lr->kind == PDT_RP_ANY)
                s.flags |= PDT_STF_RES_ANY;
            if (lr->kind == PDT_RP_DFA)
                s.flags |= PDT_STF_RES_DFA;
            if ((lr->kind == PDT_RP_GLOB || lr->kind == PDT_RP_DFA) && !strpbrk(lr->pat, "*?\\"))
                v |= PDT_RP_LIT;  /* no wildcard: compared as a string */
            buf_u32(res, PDT_RP_MAKE(lr->kind, v) | (v & PDT_RP_LIT));
            nres++;
        }
        buf_append(stmts, &s, sizeof s);
        if (prov) {
            const char *f = ls->p->file && ls->p->file[0] ? ls->p->file : "<policy>";
            uint32_t fs = emit_str(&c->e, f, strlen(f));
            if (nruns == 0 || fs != last_file) {
                buf_u32(prov, (uint32_t)i);
                buf_u32(prov, fs);
                nruns++;
                last_file = fs;
            }
            buf_u32(&lines, ls->st->loc.line ? ls->st->loc.line : 1);
            buf_u32(&lines, ls->st->sid.s ? emit_str(&c->e, ls->st->sid.s, ls->st->sid.len) : 0);
        }
    }
    if (prov) {
        buf_put_u32(prov, 0, nruns);
        buf_append(prov, lines.data, lines.len);
    }
    buf_u32(acts, nna);
    buf_append(acts, nafirst.data, nafirst.len);
    buf_append(acts, napats.data, napats.len);
    i = lines.failed || nafirst.failed || napats.failed;
    buf_free(&lines);
    buf_free(&nafirst);
    buf_free(&napats);
    buf_append(meta, &c->meta, sizeof c->meta);
    return c->e.failed || i ? -1 : 0;
}

static int lower_cond_sections(struct lower_ctx *c, struct condc *cc)
{
    static const uint32_t ids[3] = {PDT_SEC_COND_KEYS, PDT_SEC_COND_PROGS, PDT_SEC_COND_TMPLS};
    struct buf b[3];
    int i, rc = 0;
    for (i = 0; i < 3; i++)
        buf_init(&b[i]);
    if (condc_finish(cc, &b[0], &b[1], &b[2]) < 0)
        rc = -1;
    for (i = 0; i < 3 && rc == 0; i++) {
        struct buf *s;
        if (b[i].failed) {
            rc = -1;
        } else if (b[i].len) {
            s = emit_section(&c->e, ids[i], PDT_SF_REQUIRED);
            if (!s)
                rc = -1;
            else
                buf_append(s, b[i].data, b[i].len);
        }
    }
    for (i = 0; i < 3; i++)
        buf_free(&b[i]);
    return rc;
}

/* Rank of a statement in the table order: Deny statements first, then
 * Allow statements that apply to every resource without a condition, then
 * those with "*" and a condition, then the rest (each group in policy and
 * statement order).  pdt_decide reports the lowest-index applicable
 * statement, so cheap, always-applicable Allows are found first and cut the
 * scan short. */
static int stmt_rank(const struct ir_statement *st)
{
    size_t i;
    int any = 0;
    if (st->effect == IR_DENY)
        return 0;
    for (i = 0; i < st->resources.n; i++)
        any |= st->resources.v[i].len == 1 && st->resources.v[i].s[0] == '*';
    if (!any || st->not_resource || st->not_action)
        return 3;
    return st->nconds ? 2 : 1;
}

/* Orders statements (stmt_rank) and lowers each. */
static int lower_collect(struct lower_ctx *c, struct condc *cc, struct ir_policy *const *pols, size_t n)
{
    size_t i, j, total = 0, k = 0;
    int pass;
    for (i = 0; i < n; i++)
        total += pols[i]->nstmts;
    if (total > (size_t)INT32_MAX / 2)
        return -1;
    c->nstmts = total;
    c->stmts = arena_calloc(c->a, total ? total : 1, sizeof *c->stmts);
    if (!c->stmts)
        return -1;
    for (pass = 0; pass < 4; pass++)
        for (i = 0; i < n; i++)
            for (j = 0; j < pols[i]->nstmts; j++) {
                const struct ir_statement *st = &pols[i]->stmts[j];
                if (stmt_rank(st) != pass)
                    continue;
                c->stmts[k].p = pols[i];
                c->stmts[k].st = st;
                if (lower_one(c, cc, &c->stmts[k]) < 0)
                    return -1;
                k++;
            }
    return 0;
}

int lower_compile(struct arena *a, struct diag *d, struct ir_policy *const *pols, size_t n,
                  const struct lower_opts *o, struct buf *out)
{
    static const struct lower_opts defaults = {0, 0};
    struct lower_ctx c;
    struct condc *cc;
    int rc = -1;
    unsigned errs = d->errors;

    memset(&c, 0, sizeof c);
    c.a = a;
    c.d = d;
    c.o = o ? o : &defaults;
    emit_init(&c.e, a);
    cc = condc_new(a, d);
    c.lists = emit_section(&c.e, PDT_SEC_LISTS, PDT_SF_REQUIRED);
    if (!cc || !c.lists || out->len != 0)
        goto out;
    if (lower_collect(&c, cc, pols, n) < 0)
        goto out;
    c.meta.state_budget = c.o->dfa_state_budget ? c.o->dfa_state_budget : LOWER_DEFAULT_BUDGET;
    c.list16 = c.nstmts <= 0x7FFF;
    if (c.list16)
        c.meta.flags |= PDT_MF_LIST16;
    if (acthash_build(&c) < 0 || dfa_build_all(&c) < 0)
        goto out;
    if (lower_write_stmts(&c) < 0 || lower_cond_sections(&c, cc) < 0)
        goto out;
    if (emit_finish(&c.e, c.o->strip ? PDT_HF_STRIPPED : 0, (uint32_t)c.nstmts, out) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0 && d->errors == errs)
        diag_plain(d, DIAG_ERROR, "cannot build the decision table (out of memory or too large)");
    emit_fini(&c.e);
    return rc;
}
