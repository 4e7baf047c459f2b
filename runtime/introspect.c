/* introspect.c - read-only views of a loaded table for dump, benchmarks and
 * tests (introspect.h), and the linear oracle pdt_introspect_decide_linear.
 * Everything here reads validated data only.  Built into pdt_tools, not
 * libpdt. */
#include <string.h>

#include "cond.h"
#include "introspect.h"
#include "glob.h"
#include "lookup.h"
#include "table.h"

static void hash_info(const struct pdt_hashview *v, uint32_t *slots, uint32_t *ents, uint32_t *maxp)
{
    *slots = v->h ? v->h->nslots : 0;
    *ents = v->h ? v->h->nent : 0;
    *maxp = v->h ? v->h->maxprobe : 0;
}

void pdt_introspect_info(const struct pdt_table *t, struct pdt_info *o)
{
    uint32_t i;
    memset(o, 0, sizeof *o);
    if (!t)
        return;
    o->major = t->hdr->major;
    o->minor = t->hdr->minor;
    o->total_len = t->hdr->total_len;
    o->checksum = t->hdr->checksum;
    o->stripped = t->prov == NULL;
    o->nsections = t->nsections;
    o->nsets = t->nsets;
    o->nstmts = t->nstmts;
    o->ndeny = t->ndeny_identity;
    o->nactpats = t->nactpats;
    o->nrespats = t->nrespats;
    o->nlist_elems = t->nlists;
    hash_info(&t->acthash, &o->act_slots, &o->act_entries, &o->act_maxprobe);
    hash_info(&t->actsvc, &o->svc_slots, &o->svc_entries, &o->svc_maxprobe);
    o->nactwild = t->nactwild;
    o->bkt_entries = t->resbkt.h ? t->resbkt.h->nent : 0;
    o->ndfas = t->ndfas;
    o->naccepts = t->naccepts;
    for (i = 0; i < t->ndfas; i++) {
        const struct pdt_fmt_dfa *d = &t->dfas[i];
        o->dfa_states += d->nstates;
        o->dfa_bytes += 256 + (uint64_t)d->nstates * d->nclasses * 2 + (uint64_t)d->nstates * 4;
    }
    for (i = 0; i < t->nrespats; i++) {
        switch (PDT_RP_KIND(t->respats[i])) {
        case PDT_RP_GLOB: o->npat_glob++; break;
        case PDT_RP_DFA: o->npat_dfa++; break;
        case PDT_RP_TMPL: o->npat_tmpl++; break;
        default: o->npat_any++; break;
        }
    }
    o->state_budget = t->meta ? t->meta->state_budget : 0;
    o->nnotaction = t->nna;
    o->na_entries = t->nahash.h ? t->nahash.h->nent : 0;
    o->list16 = t->list16;
}

int pdt_introspect_section(const struct pdt_table *t, uint32_t i, uint32_t *id, uint32_t *flags,
                           uint32_t *off, uint32_t *len)
{
    if (!t || i >= t->nsections)
        return -1;
    *id = t->dir[i].id;
    *flags = t->dir[i].flags;
    *off = t->dir[i].off;
    *len = t->dir[i].len;
    return 0;
}

const char *pdt_introspect_section_name(uint32_t id)
{
    static const char *const names[] = {
        "?", "strtab", "sets", "stmts", "prov", "actpats", "respats", "meta", "lists",
        "acthash", "actsvc", "actaux", "actwild", "resbkt", "dfas", "dfadata",
    };
    if (id < sizeof names / sizeof names[0] && id != 0)
        return names[id];
    switch (id) {
    case PDT_SEC_ACCEPTS: return "accepts";
    case PDT_SEC_NAHASH: return "nahash";
    case PDT_SEC_NASVC: return "nasvc";
    case PDT_SEC_NAAUX: return "naaux";
    case PDT_SEC_NAWILD: return "nawild";
    case PDT_SEC_COND_KEYS: return "cond-keys";
    case PDT_SEC_COND_PROGS: return "cond-progs";
    case PDT_SEC_COND_TMPLS: return "cond-tmpls";
    default: return "unknown";
    }
}

int pdt_introspect_stmt(const struct pdt_table *t, uint32_t i, struct pdt_stmt_info *o)
{
    const struct pdt_fmt_stmt *s;
    if (!t || i >= t->nstmts)
        return -1;
    s = &t->stmts[i];
    memset(o, 0, sizeof *o);
    o->deny = s->effect == PDT_EFFECT_DENY;
    o->not_action = (s->flags & PDT_STF_NOT_ACTION) != 0;
    o->not_resource = (s->flags & PDT_STF_NOT_RESOURCE) != 0;
    o->cond = s->cond;
    o->nactions = s->nacts;
    o->nresources = pdt_table_res_end(t, i) - s->res_first;
    if (t->prov) {
        o->policy = pdt_table_str(t, pdt_table_file(t, i));
        o->line = t->prov[i].line;
        o->sid = t->prov[i].sid ? pdt_table_str(t, t->prov[i].sid) : NULL;
    }
    return 0;
}

/* Ordinal of NotAction statement i among the NotAction statements. */
static uint32_t na_index(const struct pdt_table *t, uint32_t i)
{
    struct pdt_listv l;
    uint32_t k;
    pdt_table_list(t, t->meta->notaction, &l);
    for (k = 0; k < l.n && pdt_listv_at(&l, k) != i; k++)
        ;
    return k;
}

uint32_t pdt_introspect_stmt_actions(const struct pdt_table *t, uint32_t i, const char **out, uint32_t cap)
{
    const struct pdt_fmt_stmt *s;
    const struct pdt_fmt_actent *ae;
    uint32_t n = 0, k;
    if (!t || i >= t->nstmts)
        return 0;
    s = &t->stmts[i];
    if (s->flags & PDT_STF_NOT_ACTION) {
        uint32_t a = na_index(t, i);
        for (k = t->nafirst[a]; k < t->nafirst[a + 1]; k++, n++)
            if (n < cap)
                out[n] = pdt_table_str(t, t->actpats[k]);
        return n;
    }
    if (pdt_table_list_has(t, t->meta->star, i)) {
        if (n < cap)
            out[n] = "*";
        n++;
    }
    ae = t->acthash.ents;
    for (k = 0; k < t->acthash.h->nent; k++)
        if (pdt_table_list_has(t, ae[k].list, i)) {
            if (n < cap)
                out[n] = pdt_table_str(t, ae[k].key);
            n++;
        }
    for (k = 0; k < t->nactwild; k++)
        if (pdt_table_list_has(t, t->actwild[k].list, i)) {
            if (n < cap)
                out[n] = pdt_table_str(t, t->actwild[k].pat);
            n++;
        }
    return n;
}

const char *pdt_introspect_stmt_action(const struct pdt_table *t, uint32_t i, uint32_t j)
{
    const struct pdt_fmt_actent *ae;
    uint32_t k, c = 0;
    if (!t || i >= t->nstmts || j >= t->stmts[i].nacts)
        return NULL;
    if (t->stmts[i].flags & PDT_STF_NOT_ACTION)
        return pdt_table_str(t, t->actpats[t->nafirst[na_index(t, i)] + j]);
    /* the j-th pattern naming i, in pdt_introspect_stmt_actions' order; the
     * walk stops as soon as it is found */
    if (pdt_table_list_has(t, t->meta->star, i) && c++ == j)
        return "*";
    ae = t->acthash.ents;
    for (k = 0; k < t->acthash.h->nent; k++)
        if (pdt_table_list_has(t, ae[k].list, i) && c++ == j)
            return pdt_table_str(t, ae[k].key);
    for (k = 0; k < t->nactwild; k++)
        if (pdt_table_list_has(t, t->actwild[k].list, i) && c++ == j)
            return pdt_table_str(t, t->actwild[k].pat);
    return NULL;
}

int pdt_introspect_stmt_resource(const struct pdt_table *t, uint32_t i, uint32_t j,
                                 enum pdt_res_kind *kind, const char **pattern, uint32_t *tmpl)
{
    uint32_t r, k;
    if (!t || i >= t->nstmts || j >= pdt_table_res_end(t, i) - t->stmts[i].res_first)
        return -1;
    r = t->respats[t->stmts[i].res_first + j];
    k = PDT_RP_KIND(r);
    *kind = (enum pdt_res_kind)k;
    *pattern = NULL;
    *tmpl = 0;
    if (k == PDT_RP_TMPL)
        *tmpl = PDT_RP_VAL(r);
    else if (k == PDT_RP_ANY)
        *pattern = "*";
    else
        *pattern = pdt_table_str(t, PDT_RP_VAL(r));
    return 0;
}

int pdt_introspect_dfa(const struct pdt_table *t, uint32_t i, struct pdt_dfa_info *o)
{
    const struct pdt_fmt_dfa *d;
    if (!t || i >= t->ndfas)
        return -1;
    d = &t->dfas[i];
    o->prefix = pdt_table_str(t, d->prefix);
    o->nstates = d->nstates;
    o->nclasses = d->nclasses;
    o->npatterns = d->npatterns;
    o->bytes = 256 + d->nstates * d->nclasses * 2 + d->nstates * 4;
    return 0;
}

/* The oracle's action test for an Action statement: some index entry whose
 * key pattern globs the request action names it.  m[0..nm) are the entries
 * (list refs) whose pattern matched, found by globbing every key. */
static int oracle_named(const struct pdt_table *t, const uint32_t *m, uint32_t nm, uint32_t i)
{
    uint32_t k, j;
    for (k = 0; k < nm; k++) {
        struct pdt_listv l;
        pdt_table_list(t, m[k], &l);
        for (j = 0; j < l.n; j++)
            if (pdt_listv_at(&l, j) == i)
                return 1;
    }
    return 0;
}

#define ORACLE_MAX 512  /* matching index entries; more decide implicit deny (never in practice) */

enum pdt_decision pdt_introspect_decide_linear(const struct pdt_table *t, const struct pdt_request *req,
                                               struct pdt_why *why)
{
    struct pdt_lookup_req q;
    struct pdt_ctx ctx;
    uint32_t i, nm = 0, m[ORACLE_MAX], k = 0;
    const struct pdt_fmt_actent *ae;

    if (!t || pdt_lookup_prepare(req, &q) != 0)
        return pdt_lookup_finish(t, -1, why);
    /* every action key and wildcard pattern, globbed (no hashing) */
    ae = t->acthash.ents;
    m[nm++] = t->meta->star;
    for (i = 0; i < t->acthash.h->nent && nm < ORACLE_MAX; i++) {
        const char *p = pdt_table_str(t, ae[i].key);
        if (pdt_glob_action(p, SIZE_MAX, req->action, q.alen))
            m[nm++] = ae[i].list;
    }
    for (i = 0; i < t->nactwild && nm < ORACLE_MAX; i++) {
        const char *p = pdt_table_str(t, t->actwild[i].pat);
        if (pdt_glob_action(p, SIZE_MAX, req->action, q.alen))
            m[nm++] = t->actwild[i].list;
    }
    if (nm >= ORACLE_MAX)
        return pdt_lookup_finish(t, -1, why);  /* cannot happen with sane tables */
    pdt_ctx_init(&ctx, t, req);
    for (i = 0; i < t->nstmts; i++) {
        const struct pdt_fmt_stmt *s = &t->stmts[i];
        int a = (s->flags & PDT_STF_NOT_ACTION) ? !pdt_lookup_action_match(t, k++, &q) : oracle_named(t, m, nm, i);
        if (!a)
            continue;
        if (pdt_lookup_applies(t, i, &q, &ctx, NULL))
            return pdt_lookup_finish(t, i, why);
    }
    return pdt_lookup_finish(t, -1, why);
}

