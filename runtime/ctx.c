/* ctx.c - request-context preparation for the condition engine: maps the
 * request's context keys, case-insensitively, to the key ids interned in the
 * table's KEYS section (open-addressing hash, see condfmt.h), lazily, when a
 * condition or template is first evaluated.  Two request keys equal
 * ignoring case make that key indeterminate.  No allocation: the map lives
 * in the caller's struct pdt_ctx and is direct-indexed by key id over one
 * window of PDT_CTX_MAP consecutive ids (so it never fills up), with a bit
 * per slot saying whether it holds a key (only 32 bytes to clear).  Building a
 * window is one pass over the request, linear in its key bytes: the first
 * (ids 0..255, the whole table when it has at most 256 keys) is the
 * preparation; a lookup outside the window rebuilds the map for its own
 * window and charges the pass to the decision's work budget
 * (struct pdt_ctx.work).  When the budget cannot pay, the lookup is
 * indeterminate. */
#include <string.h>

#include "cond.h"
#include "condfmt.h"

#define PDT_CTX_KEY_FOLD 136  /* stack copy of a request key: keys up to 128 bytes */

void pdt_ctx_init(struct pdt_ctx *c, const struct pdt_table *t, const struct pdt_request *req)
{
    c->t = t;
    c->req = req;
    c->state = 0;
    c->base = UINT32_MAX;
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

/* Equality of table key k (lower case) with request key q ignoring ASCII
 * case, 8 bytes at a time, from byte `from` on (the bytes before it are
 * known equal and readable). */
static int key_eq(const uint8_t *k, const char *q, size_t n, size_t from)
{
    size_t i;

    for (i = from; i < n; i += 8) {
        size_t w = n - i < 8 ? n - i : 8;
        if (pdt_cf_fold8(pdt_cf_word(q + i, w, i)) != pdt_cf_word((const char *)k + i, w, i))
            return 0;
    }
    return 1;
}

uint32_t pdt_ctx_key_find(const struct pdt_cond_secs *s, const char *q, size_t n, uint32_t h)
{
    uint32_t nkeys = pdt_cf_rd32(s->keys), nb = pdt_cf_rd32(s->keys + 4), mask = nb - 1, b, probe;
    const uint8_t *recs = s->keys + PDT_CF_HDR, *bk = recs + (size_t)nkeys * PDT_CF_KEY_SZ;
    const uint8_t *blob = bk + (size_t)nb * 4;

    for (b = h & mask, probe = 0; probe < nb; probe++, b = (b + 1) & mask) {
        uint32_t id = pdt_cf_rd32(bk + (size_t)b * 4);
        const uint8_t *r;
        if (id == PDT_CF_EMPTY)
            return PDT_CF_EMPTY;
        r = recs + (size_t)id * PDT_CF_KEY_SZ;
        if (pdt_cf_rd32(r + 8) == h && pdt_cf_rd32(r + 4) == n && memcmp(blob + pdt_cf_rd32(r), q, n) == 0)
            return id;
    }
    return PDT_CF_EMPTY;
}

/* Finds a long request key (any case) by scanning its hash chain with the
 * case-folding comparison (keys too long for the stack copy). */
static uint32_t keys_find_long(const struct pdt_cond_secs *s, const char *q, size_t n)
{
    uint32_t h = pdt_cf_hash(q, n), nkeys = pdt_cf_rd32(s->keys), nb = pdt_cf_rd32(s->keys + 4), b, probe;
    const uint8_t *recs = s->keys + PDT_CF_HDR, *bk = recs + (size_t)nkeys * PDT_CF_KEY_SZ;
    const uint8_t *blob = bk + (size_t)nb * 4;

    for (b = h & (nb - 1), probe = 0; probe < nb; probe++, b = (b + 1) & (nb - 1)) {
        uint32_t id = pdt_cf_rd32(bk + (size_t)b * 4);
        const uint8_t *r;
        if (id == PDT_CF_EMPTY)
            return PDT_CF_EMPTY;
        r = recs + (size_t)id * PDT_CF_KEY_SZ;
        if (pdt_cf_rd32(r + 8) == h && pdt_cf_rd32(r + 4) == n && key_eq(blob + pdt_cf_rd32(r), q, n, 0))
            return id;
    }
    return PDT_CF_EMPTY;
}

/* Charges cost units to the decision's budget; 0 (budget emptied) when it
 * cannot pay. */
static int charge(struct pdt_ctx *c, size_t cost)
{
    if (cost > c->work) {
        c->work = 0;
        return 0;
    }
    c->work -= cost;
    return 1;
}

/* Builds the map window that holds key id: one pass over the request, each
 * key hashed once and found among the interned keys; keys whose id lies in
 * the window are recorded (slot id - base, its used bit set), and a second
 * occurrence marks the id PDT_CTX_DUP.  charged: the pass costs 8 + len/4
 * units per key.
 * Returns 0, or -1 when the budget ran out (no window is left then). */
static int build_window(struct pdt_ctx *c, uint32_t id, int charged)
{
    uint32_t base = id & ~(uint32_t)(PDT_CTX_MAP - 1), nk = keys_count(&c->s);
    uint32_t span = nk - base < PDT_CTX_MAP ? nk - base : PDT_CTX_MAP;
    size_t i;

    c->base = UINT32_MAX;
    memset(c->used, 0, sizeof c->used);  /* every slot absent (slots are valid only when used) */
    for (i = 0; i < c->req->ncontext; i++) {
        const char *k = c->req->context[i].key;
        uint8_t low[PDT_CTX_KEY_FOLD];   /* the key lower-cased (short keys) */
        size_t n;
        uint32_t kid, slot;
        uint64_t bit;
        if (!k)
            continue;
        n = strlen(k);
        if (charged && !charge(c, 8 + n / 4))  /* about 1 ns a unit, as the globs */
            return -1;
        if (n <= sizeof low - 8)
            kid = pdt_ctx_key_find(&c->s, (const char *)low, n, pdt_cf_hash_fold(k, n, low));
        else
            kid = keys_find_long(&c->s, k, n);
        if (kid == PDT_CF_EMPTY || kid - base >= span)
            continue;
        slot = kid - base;
        bit = (uint64_t)1 << (slot % 64);
        if (c->used[slot / 64] & bit) {
            c->map[slot] = PDT_CTX_DUP;
        } else {
            c->used[slot / 64] |= bit;
            c->map[slot] = (uint32_t)i;
        }
    }
    c->base = base;
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
    if (keys_count(&c->s))
        build_window(c, 0, 0);  /* the preparation: free, linear in the request */
    c->state = 1;
    return 0;
}

int pdt_ctx_lookup(struct pdt_ctx *c, uint32_t id, const struct pdt_kv **kv)
{
    uint32_t slot;

    if (pdt_ctx_prepare(c) < 0 || id >= keys_count(&c->s))
        return -1;
    if ((c->base == UINT32_MAX || id - c->base >= PDT_CTX_MAP) && build_window(c, id, 1) < 0)
        return -1;  /* the budget cannot pay for another pass: indeterminate */
    slot = id - c->base;
    if (!(c->used[slot / 64] & ((uint64_t)1 << (slot % 64))))
        return 0;
    if (c->map[slot] == PDT_CTX_DUP)
        return -1;
    *kv = &c->req->context[c->map[slot]];
    return 1;
}
