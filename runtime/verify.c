/* verify.c - validation of every section of a table (verify.h): bounds,
 * record sizes, string references, statement ranges, statement-list pool,
 * hash tables (key hashes, probe distances), automata (class maps,
 * transitions and accept ids in range, data laid out without overlap).
 * Work is linear in the table size; nothing is allocated. */
#include <string.h>

#include "cond.h"
#include "dfa.h"
#include "glob.h"
#include "hash.h"
#include "pdt.h"
#include "table.h"
#include "verify.h"

_Static_assert(sizeof(struct pdt_fmt_header) == PDT_HDR_LEN, "header layout");
_Static_assert(sizeof(struct pdt_fmt_stmt) == 12, "statement layout");

#define BAD PDT_E_CORRUPT

/* Fetches a required section of n records of rec bytes (len % rec == 0):
 * its start, or NULL (section absent or of a bad size). */
static const void *need(const struct pdt_table *t, uint32_t id, size_t rec, uint32_t *n)
{
    size_t len;
    const void *q = pdt_table_section(t, id, &len);
    if (!q || len % rec != 0)
        return NULL;
    *n = (uint32_t)(len / rec);
    return q;
}

static int str_ok(const struct pdt_table *t, uint32_t off)
{
    return off < t->str_len;
}

/* A non-empty string that is a well-formed glob pattern. */
static int pat_ok(const struct pdt_table *t, uint32_t off)
{
    const char *s;
    if (!str_ok(t, off))
        return 0;
    s = pdt_table_str(t, off);
    return s[0] != '\0' && pdt_glob_valid(s, strlen(s));
}

/* A list ref (format.h): empty, a single statement, or the offset of a
 * record header in the pool (whose record check_lists validated). */
static int list_ok(const struct pdt_table *t, uint32_t r)
{
    if (r == PDT_LIST_EMPTY)
        return 1;
    if (r & PDT_LIST_ONE)
        return (r & ~PDT_LIST_ONE) < t->nstmts;
    if (r >= t->nlists)
        return 0;
    return t->list16 ? (((const uint16_t *)t->lists)[r] & PDT_LIST16_HDR) != 0
                     : (((const uint32_t *)t->lists)[r] & PDT_LIST_ONE) != 0;
}

static uint32_t pool_at(const struct pdt_table *t, uint32_t i)
{
    return t->list16 ? ((const uint16_t *)t->lists)[i] : ((const uint32_t *)t->lists)[i];
}

/* META (needed first: it says how wide the list pool is). */
static int check_meta(struct pdt_table *t)
{
    size_t len;
    const struct pdt_fmt_meta *m = pdt_table_section(t, PDT_SEC_META, &len);
    if (!m || len != sizeof *m || (m->flags & ~PDT_MF_KNOWN))
        return BAD;
    t->meta = m;
    t->list16 = (m->flags & PDT_MF_LIST16) != 0;
    if (t->list16 && t->nstmts > 0x7FFF)
        return BAD;
    return 0;
}

/* Walks the pool once: records of H|len (len >= 2) followed by len strictly
 * increasing statement indices, exactly covering the pool. */
static int check_lists(struct pdt_table *t)
{
    uint32_t i = 0, k, n, hdr = t->list16 ? PDT_LIST16_HDR : PDT_LIST_ONE;
    if (!(t->lists = need(t, PDT_SEC_LISTS, t->list16 ? 2 : 4, &t->nlists)))
        return BAD;
    while (i < t->nlists) {
        uint32_t h = pool_at(t, i);
        if (!(h & hdr))
            return BAD;
        n = h & ~hdr;
        if (n < 2 || t->nlists - i - 1 < n)
            return BAD;
        for (k = 1; k <= n; k++) {
            uint32_t v = pool_at(t, i + k);
            if (v >= t->nstmts || (k > 1 && v <= pool_at(t, i + k - 1)))
                return BAD;
        }
        i += n + 1;
    }
    return 0;
}

static int check_strtab_sets(struct pdt_table *t)
{
    size_t len;
    const struct pdt_fmt_sets *sh;
    const uint8_t *p = pdt_table_section(t, PDT_SEC_STRTAB, &len);
    if (!p || len == 0 || len > UINT32_MAX || p[0] != 0 || p[len - 1] != 0)
        return BAD;
    t->str = (const char *)p;
    t->str_len = (uint32_t)len;
    sh = pdt_table_section(t, PDT_SEC_SETS, &len);
    if (!sh || len < sizeof *sh || sh->reserved != 0 || sh->nsets == 0 ||
        (len - sizeof *sh) / sizeof(struct pdt_fmt_set) != sh->nsets ||
        (len - sizeof *sh) % sizeof(struct pdt_fmt_set) != 0)
        return BAD;
    t->sets = (const struct pdt_fmt_set *)(sh + 1);
    t->nsets = sh->nsets;
    /* format 1.0 runtime: exactly one identity set covering every statement */
    if (t->nsets != 1 || t->sets[0].kind != PDT_SET_IDENTITY)
        return PDT_E_VERSION;
    if (t->sets[0].flags != 0 || t->sets[0].first != 0 || t->sets[0].count != t->hdr->nstmts)
        return BAD;
    return 0;
}

static int check_prov(struct pdt_table *t)
{
    size_t len, need_len;
    uint32_t i, n = t->nstmts;
    const struct pdt_fmt_provhdr *h = pdt_table_section(t, PDT_SEC_PROV, &len);
    if ((h != NULL) == ((t->hdr->flags & PDT_HF_STRIPPED) != 0))
        return BAD;
    if (!h)
        return 0;
    if (len < sizeof *h || h->reserved != 0 || h->nruns > n || (n > 0 && h->nruns == 0))
        return BAD;
    need_len = sizeof *h + (size_t)h->nruns * sizeof(struct pdt_fmt_provrun) + (size_t)n * sizeof(struct pdt_fmt_prov);
    if (len != need_len)
        return BAD;
    t->provruns = (const struct pdt_fmt_provrun *)(h + 1);
    t->nprovruns = h->nruns;
    t->prov = (const struct pdt_fmt_prov *)(t->provruns + h->nruns);
    for (i = 0; i < h->nruns; i++) {
        const struct pdt_fmt_provrun *r = &t->provruns[i];
        if (r->file == 0 || !str_ok(t, r->file) || r->first >= n ||
            (i == 0 ? r->first != 0 : r->first <= t->provruns[i - 1].first))
            return BAD;
    }
    for (i = 0; i < n; i++)
        if (t->prov[i].line == 0 || !str_ok(t, t->prov[i].sid))
            return BAD;
    return 0;
}

static int check_stmts(struct pdt_table *t)
{
    uint32_t i, j, n;
    int seen_allow = 0;

    if (!(t->stmts = need(t, PDT_SEC_STMTS, sizeof(struct pdt_fmt_stmt), &n)) || n != t->hdr->nstmts)
        return BAD;
    t->nstmts = n;
    if (!(t->nafirst = need(t, PDT_SEC_ACTPATS, 4, &t->nactpats)) ||
        !(t->respats = need(t, PDT_SEC_RESPATS, 4, &t->nrespats)))
        return BAD;
    /* ACTPATS: nna, first[nna + 1], pats[first[nna]] */
    if (t->nactpats < 2 || t->nafirst[0] > n || t->nactpats - 2 < t->nafirst[0])
        return BAD;
    t->nna = t->nafirst[0];
    t->nafirst++;
    t->actpats = t->nafirst + t->nna + 1;
    if (t->nafirst[0] != 0 || t->nafirst[t->nna] != t->nactpats - 2 - t->nna)
        return BAD;
    t->nactpats = t->nafirst[t->nna];
    for (i = 0; i < t->nna; i++)
        if (t->nafirst[i + 1] <= t->nafirst[i])
            return BAD;
    for (i = 0, j = 0; i < n; i++)
        if (t->stmts[i].flags & PDT_STF_NOT_ACTION) {
            if (j >= t->nna || t->nafirst[j + 1] - t->nafirst[j] != t->stmts[i].nacts)
                return BAD;
            j++;
        }
    if (j != t->nna)
        return BAD;
    for (i = 0; i < t->nactpats; i++)
        if (!pat_ok(t, t->actpats[i]))
            return BAD;
    for (i = 0; i < t->nrespats; i++) {
        uint32_t k = PDT_RP_KIND(t->respats[i]), v = PDT_RP_VAL(t->respats[i]);
        int lit = (t->respats[i] & PDT_RP_LIT) != 0;
        if (k == PDT_RP_GLOB || k == PDT_RP_DFA) {
            if (!pat_ok(t, v))
                return BAD;
            if (lit && strpbrk(pdt_table_str(t, v), "*?\\"))
                return BAD;  /* a literal pattern has no wildcard or escape */
        } else if (lit) {
            return BAD;
        } else if (k == PDT_RP_TMPL) {
            if (!pdt_cond_tmpl_ok(t, v))
                return BAD;
        } else if (v != 0) {
            return BAD;
        }
    }
    if (n > 0 && (t->stmts[0].res_first != 0 || t->nrespats <= t->stmts[n - 1].res_first))
        return BAD;
    for (i = 1; i < n; i++)  /* strictly increasing, so every range is inside RESPATS */
        if (t->stmts[i].res_first <= t->stmts[i - 1].res_first)
            return BAD;
    for (i = 0; i < n; i++) {
        const struct pdt_fmt_stmt *s = &t->stmts[i];
        uint32_t want = 0, end;
        if (s->effect > PDT_EFFECT_DENY || (s->flags & ~PDT_STF_KNOWN) || s->nacts == 0)
            return BAD;
        if (s->effect == PDT_EFFECT_ALLOW)
            seen_allow = 1;
        else if (seen_allow)
            return BAD;  /* Deny statements first */
        else
            t->ndeny_identity++;
        if (!pdt_cond_prog_ok(t, s->cond))
            return BAD;
        end = pdt_table_res_end(t, i);
        for (j = s->res_first; j < end; j++) {
            uint32_t k = PDT_RP_KIND(t->respats[j]);
            if (k == PDT_RP_ANY)
                want |= PDT_STF_RES_ANY;
            else if (k == PDT_RP_DFA)
                want |= PDT_STF_RES_DFA;
        }
        if ((s->flags & (PDT_STF_RES_ANY | PDT_STF_RES_DFA)) != want)
            return BAD;
    }
    return check_prov(t);
}

/* Hash of an entry's key as the table stores it; 0 with *ok = 0 when the
 * key is not a valid string of its kind.  With hash == 0 only the shape is
 * checked (*ok) and nothing is hashed. */
typedef uint32_t keyhash_fn(const struct pdt_table *t, uint32_t key, int *ok, int hash);

static uint32_t keyhash_action(const struct pdt_table *t, uint32_t key, int *ok, int hash)
{
    const char *s;
    size_t n, i;
    uint32_t seed = PDT_SEED_EXACT;
    *ok = 0;
    if (!str_ok(t, key))
        return 0;
    s = pdt_table_str(t, key);
    n = strlen(s);
    for (i = 0; i < n; i++)
        if (s[i] == '\\' || s[i] == '?' || (s[i] == '*' && i + 1 != n))
            return 0;
    if (n > 0 && s[n - 1] == '*') {
        seed = PDT_SEED_PREFIX;
        n--;
    }
    *ok = 1;
    return hash ? pdt_hash_key(s, n, seed) : 0;
}

static uint32_t keyhash_plain(const struct pdt_table *t, uint32_t key, uint32_t seed, int *ok, int hash)
{
    *ok = str_ok(t, key);
    return *ok && hash ? pdt_hash_key(pdt_table_str(t, key), strlen(pdt_table_str(t, key)), seed) : 0;
}

static uint32_t keyhash_svc(const struct pdt_table *t, uint32_t key, int *ok, int hash)
{
    return keyhash_plain(t, key, PDT_SEED_SVC, ok, hash);
}

static uint32_t keyhash_bucket(const struct pdt_table *t, uint32_t key, int *ok, int hash)
{
    return keyhash_plain(t, key, PDT_SEED_BUCKET, ok, hash);
}

/* A hash table section: header, slots, then entries of esz bytes (first u32:
 * key).  Checks the geometry, every slot (entry in range, tag and probe
 * distance agree with the key's hash), and that every entry has a slot. */
static int check_hash(struct pdt_table *t, uint32_t id, size_t esz, keyhash_fn *kh, struct pdt_hashview *v)
{
    size_t len, eoff;
    uint32_t i, used = 0;
    const struct pdt_fmt_hash *h = pdt_table_section(t, id, &len);
    if (!h || len < sizeof *h)
        return BAD;
    if (h->nslots == 0 || h->nslots > (1u << 28) || h->nent >= h->nslots || h->nent > PDT_HASH_MAX_ENT ||
        h->maxprobe == 0 || h->maxprobe > h->nslots || h->reserved != 0)
        return BAD;
    eoff = (sizeof *h + (size_t)h->nslots * 4 + 7) & ~(size_t)7;
    if (len < eoff || (len - eoff) != (size_t)h->nent * esz)
        return BAD;
    v->h = h;
    v->slots = (const uint32_t *)(h + 1);
    v->ents = (const uint8_t *)h + eoff;
    for (i = 0; i < h->nslots; i++) {
        uint32_t sl = v->slots[i], e, key, hv, home;
        int ok;
        if (sl == 0)
            continue;
        e = PDT_SLOT_ENTRY(sl);
        if ((sl >> 8) == 0 || e >= h->nent)
            return BAD;
        used++;
        memcpy(&key, (const uint8_t *)v->ents + (size_t)e * esz, 4);
        hv = kh(t, key, &ok, 1);
        if (!ok || PDT_SLOT_TAG(sl) != (hv & 0xFFu))
            return BAD;
        home = (uint32_t)(((uint64_t)hv * h->nslots) >> 32);
        if ((i >= home ? i - home : i + h->nslots - home) >= h->maxprobe)
            return BAD;
    }
    if (used != h->nent)
        return BAD;
    for (i = 0; i < h->nent; i++) {  /* every entry's key, reachable or not (dump and the oracle read them all) */
        uint32_t key;
        int ok;
        memcpy(&key, (const uint8_t *)v->ents + (size_t)i * esz, 4);
        (void)kh(t, key, &ok, 0);
        if (!ok)
            return BAD;
    }
    return 0;
}

/* One action index: hash + service records + prefix keys + wildcards. */
static int check_index(struct pdt_table *t, const uint32_t ids[4], struct pdt_hashview *hv, struct pdt_hashview *sv,
                       const uint32_t **aux, uint32_t *naux, const struct pdt_fmt_actwild **wild, uint32_t *nwild)
{
    uint32_t i, j;
    int rc;
    if ((rc = check_hash(t, ids[0], sizeof(struct pdt_fmt_actent), keyhash_action, hv)) ||
        (rc = check_hash(t, ids[1], sizeof(struct pdt_fmt_svcent), keyhash_svc, sv)))
        return rc;
    if (!(*aux = need(t, ids[2], 4, naux)) || !(*wild = need(t, ids[3], sizeof(struct pdt_fmt_actwild), nwild)))
        return BAD;
    for (i = 0; i < hv->h->nent; i++)
        if (!list_ok(t, ((const struct pdt_fmt_actent *)hv->ents)[i].list))
            return BAD;
    for (i = 0; i < *nwild; i++)
        if (!pat_ok(t, (*wild)[i].pat) || !list_ok(t, (*wild)[i].list))
            return BAD;
    for (i = 0; i < sv->h->nent; i++) {
        const struct pdt_fmt_svcent *e = (const struct pdt_fmt_svcent *)sv->ents + i;
        size_t sl = strlen(pdt_table_str(t, e->name));  /* key checked by check_hash */
        if (e->plen_off > *naux || *naux - e->plen_off < e->plen_cnt)
            return BAD;
        for (j = 0; j < e->plen_cnt; j++) {
            uint32_t v = (*aux)[e->plen_off + j], l = PDT_PLEN_LEN(v);
            if (l > PDT_MAX_ACTION || l < sl || (j > 0 && v <= (*aux)[e->plen_off + j - 1]) ||
                (l <= sl && PDT_PLEN_B1(v) != 0) || (l <= sl + 1 && PDT_PLEN_B2(v) != 0))
                return BAD;
        }
        if (e->wild_off > *nwild || *nwild - e->wild_off < e->wild_cnt)
            return BAD;
    }
    return 0;
}

static int check_actions(struct pdt_table *t)
{
    static const uint32_t main_ids[4] = {PDT_SEC_ACTHASH, PDT_SEC_ACTSVC, PDT_SEC_ACTAUX, PDT_SEC_ACTWILD};
    static const uint32_t na_ids[4] = {PDT_SEC_NAHASH, PDT_SEC_NASVC, PDT_SEC_NAAUX, PDT_SEC_NAWILD};
    int rc = check_index(t, main_ids, &t->acthash, &t->actsvc, &t->actaux, &t->nactaux, &t->actwild, &t->nactwild);
    if (rc)
        return rc;
    rc = check_index(t, na_ids, &t->nahash, &t->nasvc, &t->naaux, &t->nnaaux, &t->nawild, &t->nnawild);
    if (rc)
        return rc;
    return list_ok(t, t->meta->na_star) ? 0 : BAD;
}

/* Automata: each one's class map, transitions and accept ids lie in
 * DFADATA after the previous automaton's data (no sharing, so the work is
 * linear), every class < nclasses, transition < nstates, accept id <
 * naccepts or none; state 0 is dead. */
static int check_dfas(struct pdt_table *t)
{
    size_t len;
    uint64_t floor = 0;
    uint32_t i, k;
    if (!(t->dfas = need(t, PDT_SEC_DFAS, sizeof(struct pdt_fmt_dfa), &t->ndfas)) ||
        !(t->accepts = need(t, PDT_SEC_ACCEPTS, 4, &t->naccepts)))
        return BAD;
    t->dfadata = pdt_table_section(t, PDT_SEC_DFADATA, &len);
    if (!t->dfadata)
        return BAD;
    t->dfadata_len = (uint32_t)len;
    for (i = 0; i < t->naccepts; i++)
        if (!list_ok(t, t->accepts[i]) || t->accepts[i] == PDT_LIST_EMPTY)
            return BAD;
    for (i = 0; i < t->ndfas; i++) {
        const struct pdt_fmt_dfa *d = &t->dfas[i];
        const uint8_t *cls;
        const uint16_t *tr;
        const uint32_t *acc;
        uint64_t ntr = (uint64_t)d->nstates * d->nclasses;
        if (!str_ok(t, d->prefix) || strlen(pdt_table_str(t, d->prefix)) != d->prefix_len)
            return BAD;
        if (d->nstates < 2 || d->nstates > 65535 || d->nclasses == 0 || d->nclasses > 256 || ntr > 65536)
            return BAD;
        if (d->classes < floor || (uint64_t)d->classes + 256 > d->trans || d->trans % 2 != 0 ||
            (uint64_t)d->trans + ntr * 2 > d->accept || d->accept % 4 != 0 ||
            (uint64_t)d->accept + (uint64_t)d->nstates * 4 > len)
            return BAD;
        floor = (uint64_t)d->accept + (uint64_t)d->nstates * 4;
        cls = t->dfadata + d->classes;
        tr = (const uint16_t *)(const void *)(t->dfadata + d->trans);
        acc = (const uint32_t *)(const void *)(t->dfadata + d->accept);
        for (k = 0; k < 256; k++)
            if (cls[k] >= d->nclasses)
                return BAD;
        for (k = 0; k < ntr; k++)
            if (tr[k] % d->nclasses != 0 || tr[k] >= ntr || (k < d->nclasses && tr[k] != 0))
                return BAD;
        for (k = 0; k < d->nstates; k++)
            if (acc[k] != UINT32_MAX && (acc[k] >= t->naccepts || k == 0))
                return BAD;
    }
    return 0;
}

static int dfa_range_ok(const struct pdt_table *t, uint32_t first, uint32_t count)
{
    return first <= t->ndfas && t->ndfas - first >= count;
}

static int check_resources(struct pdt_table *t)
{
    uint32_t i;
    int rc;
    const struct pdt_fmt_meta *m = t->meta;
    struct pdt_listv l;
    if (!list_ok(t, m->star) || !list_ok(t, m->notaction) ||
        !dfa_range_ok(t, m->generic_dfa_first, m->generic_dfa_count) || m->generic_dfa_count > PDT_DFA_MAX_RUN)
        return BAD;
    /* the NotAction list is exactly the NotAction statements (ACTPATS order) */
    pdt_table_list(t, m->notaction, &l);
    if (l.n != t->nna)
        return BAD;
    for (i = 0; i < l.n; i++)
        if (!(t->stmts[pdt_listv_at(&l, i)].flags & PDT_STF_NOT_ACTION))
            return BAD;
    if ((rc = check_hash(t, PDT_SEC_RESBKT, sizeof(struct pdt_fmt_bktent), keyhash_bucket, &t->resbkt)))
        return rc;
    for (i = 0; i < t->resbkt.h->nent; i++) {
        const struct pdt_fmt_bktent *e = (const struct pdt_fmt_bktent *)t->resbkt.ents + i;
        if (!dfa_range_ok(t, e->dfa_first, e->dfa_count) || e->dfa_count > PDT_DFA_MAX_RUN)
            return BAD;
    }
    return 0;
}

int pdt_verify_table(struct pdt_table *t)
{
    int rc;
    if ((rc = check_strtab_sets(t)))
        return rc;
    t->nstmts = t->hdr->nstmts;  /* the condition engine may range-check against it */
    if (pdt_cond_validate(t) != 0)
        return BAD;
    if ((rc = check_stmts(t)) || (rc = check_meta(t)) || (rc = check_lists(t)) ||
        (rc = check_actions(t)) || (rc = check_dfas(t)) || (rc = check_resources(t)))
        return rc;
    return 0;
}
