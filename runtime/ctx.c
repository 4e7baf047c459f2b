/* ctx.c - request-context preparation for the condition engine: maps the
 * request's context keys, case-insensitively, to the key ids interned in the
 * table's KEYS section, lazily, when a condition or template is first
 * evaluated.  Two request keys equal ignoring case make that key
 * indeterminate.  No allocation: everything lives in the caller's struct
 * pdt_ctx.  Two forms, chosen by the preparation:
 *  - small requests (at most PDT_CTX_RQ_MAX keys, a table with a signature
 *    index): each request key is found once among the interned keys through
 *    the index of their signatures (length and last 8 bytes, folded) made at
 *    load (condcheck.c), the words before the last compared with the key's
 *    case masks, and the ids found go into a 64-slot table keyed by id
 *    (keys equal ignoring case: one entry marked duplicate).  No request key
 *    is hashed in full or looked up in KEYS; preparing costs O(1) per key
 *    and a lookup (inline: cond.h) O(1), for any number of interned keys;
 *  - the windowed map (built by ctxmap.c; larger requests, and tables
 *    whose keys collide too much to be indexed): direct-indexed by key id over
 *    one window of PDT_CTX_MAP consecutive ids: the first window (ids
 *    0..255, the whole table when it has at most 256 keys) is the
 *    preparation; a lookup outside the window rebuilds the map for its own
 *    window, charged to the decision's work budget (struct pdt_ctx.work).
 *    When the budget cannot pay, the lookup is indeterminate. */
#include <string.h>

#include "cond.h"
#include "condfmt.h"

void pdt_ctx_init(struct pdt_ctx *c, const struct pdt_table *t, const struct pdt_request *req)
{
    c->t = t;
    c->req = req;
    c->state = 0;
    c->base = UINT32_MAX;
    c->span = 0;
    c->small = 0;
    c->work = PDT_CTX_WORK;
    memset(&c->s, 0, sizeof c->s);
}

void pdt_ctx_init_secs(struct pdt_ctx *c, const struct pdt_cond_secs *s, const struct pdt_request *req)
{
    pdt_ctx_init(c, NULL, req);
    c->s = *s;
}

/* The interned key equal to request key q[0..n) ignoring case, whose
 * signature is sig, found through the signature index: its id, or
 * PDT_CF_EMPTY.  The signature settles the last min(n, 8) bytes; each word
 * before them is compared with the key's mask (the interned key is lower
 * case: a request byte may differ from it only in bit 0x20 of a letter).
 * No key sits more than PDT_CTX_KIDX_PROBES slots past its home, so no more
 * are looked at. */
static uint32_t kidx_find(const struct pdt_ctx *c, const char *q, size_t n, uint64_t sig)
{
    const struct pdt_ctx_kslot *e;
    uint32_t b, d;

    for (b = (uint32_t)(sig >> 32) & c->s.kidxmask, d = 0; d <= PDT_CTX_KIDX_PROBES; b = (b + 1) & c->s.kidxmask, d++) {
        const uint64_t *m;
        const char *k;
        size_t i;
        e = &c->s.kidx[b];
        if (e->id == PDT_CF_EMPTY)
            break;
        if (e->sig != sig || e->len != n)
            continue;
        m = e->mask;
        k = e->key;
        for (i = 0; i + 8 < n; i += 8)
            if ((pdt_cf_load8(q + i) ^ pdt_cf_load8(k + i)) & m[i / 8])
                break;
        if (i + 8 >= n)
            return e->id;
    }
    return PDT_CF_EMPTY;
}

/* The preparation of a small request (at most PDT_CTX_RQ_MAX keys, a table
 * with a signature index): each request key is found among the interned
 * keys through the index (no request key is hashed in full), and the ids
 * found go into c->u.rq, open addressing by id (PDT_CTX_RQ_SLOTS slots,
 * linear probing; used[0] marks the filled slots), with the index of their
 * kv.  A key whose id is there already (equal ignoring case to an earlier
 * one) flags that entry PDT_CTX_RQ_DUP.  Request keys that are not
 * interned are left out: no condition can ask for them. */
static void rq_build(struct pdt_ctx *c)
{
    uint64_t used = 0;
    size_t i;

    for (i = 0; i < c->req->ncontext; i++) {
        const char *k = c->req->context[i].key;
        size_t n = strlen(k);
        uint32_t id = kidx_find(c, k, n, pdt_ctx_key_sig(k, n)), b;
        if (id == PDT_CF_EMPTY)
            continue;
        b = pdt_ctx_rq_slot(c->u.rq, used, id);
        if (used & ((uint64_t)1 << b)) {
            c->u.rq[b].kv |= PDT_CTX_RQ_DUP;
            continue;
        }
        used |= (uint64_t)1 << b;
        c->u.rq[b].id = id;
        c->u.rq[b].kv = (uint32_t)i;
    }
    c->used[0] = used;
}

int pdt_ctx_prepare(struct pdt_ctx *c)
{
    if (c->state)
        return c->state < 0 ? -1 : 0;
    if (c->t)
        pdt_cond_secs_get(c->t, &c->s);
    c->state = -1;
    /* kv indices are stored as u32 below PDT_CTX_DUP */
    if (!c->req || (c->req->ncontext && !c->req->context) || c->req->ncontext >= UINT32_MAX)
        return -1;
    c->base = UINT32_MAX;
    c->span = 0;
    c->small = 0;
    c->nkeys = pdt_cf_count(c->s.keys, c->s.keys_len);
    if (c->nkeys) {
        if (c->req->ncontext <= PDT_CTX_RQ_MAX && c->s.kidx) {
            c->small = 1;  /* the preparation: free, linear in the request */
            rq_build(c);
        } else {
            pdt_ctx_map_build(c, 0, 0);  /* the same */
        }
    }
    c->state = 1;
    return 0;
}

int pdt_ctx_lookup(struct pdt_ctx *c, uint32_t id, const struct pdt_kv **kv)
{
    uint32_t slot;

    if (c->state != 1 || !c->small) {
        if (pdt_ctx_prepare(c) < 0 || id >= pdt_cf_count(c->s.keys, c->s.keys_len))
            return -1;
    }
    if (c->small)
        return id < c->nkeys ? pdt_ctx_rq_lookup(c, id, kv) : -1;
    if ((c->base == UINT32_MAX || id - c->base >= PDT_CTX_MAP) && pdt_ctx_map_build(c, id, 1) < 0)
        return -1;  /* the budget cannot pay for another pass: indeterminate */
    slot = id - c->base;
    if (!(c->used[slot / 64] & ((uint64_t)1 << (slot % 64))))
        return 0;
    if (c->u.map[slot] == PDT_CTX_DUP)
        return -1;
    *kv = &c->req->context[c->u.map[slot]];
    return 1;
}
