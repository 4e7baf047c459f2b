/* ctxmap.c - the condition engine's windowed map of request keys (the form
 * ctx.c prepares for requests of more than PDT_CTX_RQ_MAX keys, or for a
 * table without a signature index of its keys), and the search of a key
 * among the interned ones.  The map is direct-indexed by key id over one
 * window of PDT_CTX_MAP consecutive ids (so it never fills up), with a bit
 * per slot saying whether it holds a key (only 32 bytes to clear).  Building
 * a window is one pass over the request, linear in its key bytes, each key
 * hashed and found among the interned keys (open-addressing hash, see
 * condfmt.h).  The rare path: built for size (runtime/CMakeLists.txt). */
#include <string.h>

#include "cond.h"
#include "condfmt.h"

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
int pdt_ctx_map_build(struct pdt_ctx *c, uint32_t id, int charged)
{
    uint32_t base = id & ~(uint32_t)(PDT_CTX_MAP - 1), nk = pdt_cf_count(c->s.keys, c->s.keys_len);
    uint32_t span = nk - base < PDT_CTX_MAP ? nk - base : PDT_CTX_MAP;
    size_t i;

    c->base = UINT32_MAX;
    c->span = 0;
    memset(c->used, 0, sizeof c->used);  /* every slot absent (slots are valid only when used) */
    for (i = 0; i < c->req->ncontext; i++) {
        const char *k = c->req->context[i].key;
        size_t n;
        uint32_t kid, slot;
        uint64_t bit;
        n = strlen(k);
        if (charged && !charge(c, 8 + n / 4))  /* about 1 ns a unit, as the globs */
            return -1;
        kid = pdt_ctx_key_find(&c->s, k, n, pdt_cf_hash(k, n));
        if (kid == PDT_CF_EMPTY || kid - base >= span)
            continue;
        slot = kid - base;
        bit = (uint64_t)1 << (slot % 64);
        if (c->used[slot / 64] & bit) {
            c->u.map[slot] = PDT_CTX_DUP;
        } else {
            c->used[slot / 64] |= bit;
            c->u.map[slot] = (uint32_t)i;
        }
    }
    c->base = base;
    c->span = span;
    return 0;
}
