/* ctx.c - request-context preparation for the condition engine: maps the
 * request's context keys, case-insensitively, to the key ids interned in the
 * table's KEYS section, lazily, when a condition or template is first
 * evaluated.  Two request keys equal ignoring case make that key
 * indeterminate.  No allocation: everything lives in the caller's struct
 * pdt_ctx.  Two forms, chosen by the preparation:
 *  - small requests (at most PDT_CTX_RQ_MAX keys): each request key's length
 *    and a signature of its last 8 bytes (folded) go into a 64-slot
 *    open-addressing table; a lookup by key id computes the interned key's
 *    signature and compares it with the (at most two) request keys of that
 *    signature; keys equal ignoring case are merged into one entry marked
 *    duplicate while the table is built.  No request key is hashed in full
 *    or looked up in KEYS, and a lookup is O(1) for any number of interned
 *    keys (inline: cond.h).  A request with three distinct keys of one
 *    signature and length (an adversarial one) takes the windowed map
 *    instead;
 *  - the windowed map (built by ctxmap.c): direct-indexed by key id over
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

static uint32_t keys_count(const struct pdt_cond_secs *s)
{
    return s->keys_len >= PDT_CF_HDR ? pdt_cf_rd32(s->keys) : 0;
}

/* 1 when request keys a and b, both n bytes with equal signatures, are
 * equal ignoring case: the signature settles their last min(n, 8) bytes. */
static int rq_same(const char *a, const char *b, size_t n)
{
    size_t i;

    for (i = 0; i + 8 < n; i += 8)
        if (pdt_cf_fold8(pdt_cf_load8(a + i)) != pdt_cf_fold8(pdt_cf_load8(b + i)))
            return 0;
    return 1;
}

/* The preparation of a small request (at most PDT_CTX_RQ_MAX keys): each
 * key's length and signature (pdt_ctx_sig) go into the open-addressing
 * table c->u.rq (PDT_CTX_RQ_SLOTS slots, linear probing, used[0] marks the
 * filled slots).  No key is hashed or looked up in KEYS: a lookup compares
 * the interned key with the request keys of its signature
 * (pdt_ctx_rq_lookup).  A key equal ignoring case to one already in the
 * table is not added again: that entry is flagged PDT_CTX_RQ_DUP.  A third
 * distinct key with the signature and length of two entries does not go in:
 * then the request is not small (returns -1) and the windowed map is used,
 * so building and looking up never compare more than two keys byte by
 * byte. */
static int rq_build(struct pdt_ctx *c)
{
    size_t i;

    c->used[0] = 0;
    for (i = 0; i < c->req->ncontext; i++) {
        const char *k = c->req->context[i].key;
        uint64_t sig;
        uint32_t b, same = 0;
        size_t n;
        n = strlen(k);
        if (n >= PDT_CTX_RQ_DUP)
            return -1;
        sig = pdt_ctx_sig(pdt_cf_fold8(pdt_ctx_last_word(k, n)), n);
        for (b = pdt_ctx_sig_slot(sig); c->used[0] & ((uint64_t)1 << b); b = (b + 1) & (PDT_CTX_RQ_SLOTS - 1)) {
            struct pdt_ctx_rq *e = &c->u.rq[b];
            if (e->sig != sig || (e->len & ~PDT_CTX_RQ_DUP) != n)
                continue;
            if (rq_same(c->req->context[e->kv].key, k, n)) {
                e->len |= PDT_CTX_RQ_DUP;
                break;
            }
            if (++same >= 2)
                return -1;
        }
        if (c->used[0] & ((uint64_t)1 << b))
            continue;  /* merged into an equal key */
        c->used[0] |= (uint64_t)1 << b;
        c->u.rq[b].sig = sig;
        c->u.rq[b].kv = (uint32_t)i;
        c->u.rq[b].len = (uint32_t)n;
    }
    return 0;
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
    if (keys_count(&c->s)) {
        if (c->req->ncontext <= PDT_CTX_RQ_MAX && c->s.kinfo && rq_build(c) == 0) {
            uint32_t nb = pdt_cf_rd32(c->s.keys + 4);
            c->small = 1;  /* the preparation: free, linear in the request */
            c->nkeys = keys_count(&c->s);
            c->krecs = c->s.keys + PDT_CF_HDR;
            c->kblob = c->krecs + (size_t)c->nkeys * PDT_CF_KEY_SZ + (size_t)nb * 4;
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
        if (pdt_ctx_prepare(c) < 0 || id >= keys_count(&c->s))
            return -1;
    }
    if (c->small)  /* (nkeys is the KEYS count then) */
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
