/* ctx.c - request-context preparation for the condition engine: maps the
 * request's context keys, case-insensitively, to the key ids interned in the
 * table's KEYS section (open-addressing hash, see condfmt.h), once per
 * decision and only when a condition or template is first evaluated.  Two
 * request keys equal ignoring case make that key indeterminate.  No
 * allocation: the map lives in the caller's struct pdt_ctx; when a request
 * matches more interned keys than the map holds, lookups fall back to a
 * linear scan of the request (still bounded, still correct). */
#include <string.h>

#include "cond.h"
#include "condfmt.h"

#define PDT_CTX_KEY_FOLD 136  /* stack copy of a request key: keys up to 128 bytes */

void pdt_ctx_init(struct pdt_ctx *c, const struct pdt_table *t, const struct pdt_request *req)
{
    c->t = t;
    c->req = req;
    c->state = 0;
    c->nmap = 0;
    c->overflow = 0;
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

/* Records request kv index i for key id; returns -1 when the map is full. */
static int map_put(struct pdt_ctx *c, uint32_t id, uint32_t i)
{
    uint32_t slot = id & (PDT_CTX_MAP - 1), probe;

    for (probe = 0; probe < PDT_CTX_MAP; probe++, slot = (slot + 1) & (PDT_CTX_MAP - 1)) {
        if (c->map[slot].key == id) {
            c->map[slot].kv = PDT_CTX_DUP;
            return 0;
        }
        if (c->map[slot].key == PDT_CF_EMPTY) {
            if (c->nmap >= PDT_CTX_MAP_FILL)
                return -1;
            c->map[slot].key = id;
            c->map[slot].kv = i;
            c->nmap++;
            return 0;
        }
    }
    return -1;
}

int pdt_ctx_prepare(struct pdt_ctx *c)
{
    size_t i;

    if (c->state)
        return c->state < 0 ? -1 : 0;
    if (c->t)
        pdt_cond_secs_get(c->t, &c->s);
    c->state = -1;
    if (!c->req || (c->req->ncontext && !c->req->context))
        return -1;
    memset(c->map, 0xff, sizeof c->map);  /* every key PDT_CF_EMPTY */
    c->nmap = 0;
    c->overflow = 0;
    if (keys_count(&c->s)) {
        for (i = 0; i < c->req->ncontext && i < UINT32_MAX; i++) {
            const char *k = c->req->context[i].key;
            uint8_t low[PDT_CTX_KEY_FOLD];   /* the key lower-cased (short keys) */
            size_t n;
            uint32_t id;
            if (!k)
                continue;
            n = strlen(k);
            if (n <= sizeof low - 8) {
                id = pdt_ctx_key_find(&c->s, (const char *)low, n, pdt_cf_hash_fold(k, n, low));
            } else {
                id = keys_find_long(&c->s, k, n);
            }
            if (id != PDT_CF_EMPTY && map_put(c, id, (uint32_t)i) < 0) {
                c->overflow = 1;
                break;
            }
        }
    }
    c->state = 1;
    return 0;
}

/* Overflow path: scans the whole request for key id. */
#ifdef __GNUC__
__attribute__((noinline))  /* keeps the map path of pdt_ctx_lookup lean */
#endif
static int scan_lookup(struct pdt_ctx *c, uint32_t id, const struct pdt_kv **kv)
{
    const uint8_t *recs = c->s.keys + PDT_CF_HDR, *r = recs + (size_t)id * PDT_CF_KEY_SZ;
    uint32_t nkeys = pdt_cf_rd32(c->s.keys), nb = pdt_cf_rd32(c->s.keys + 4);
    const uint8_t *blob = recs + (size_t)nkeys * PDT_CF_KEY_SZ + (size_t)nb * 4;
    const uint8_t *ks = blob + pdt_cf_rd32(r);
    size_t i, n = pdt_cf_rd32(r + 4), found = 0;

    for (i = 0; i < c->req->ncontext; i++) {
        const char *k = c->req->context[i].key;
        if (k && strlen(k) == n && key_eq(ks, k, n, 0)) {
            if (found++)
                return -1;
            *kv = &c->req->context[i];
        }
    }
    return found ? 1 : 0;
}

int pdt_ctx_lookup(struct pdt_ctx *c, uint32_t id, const struct pdt_kv **kv)
{
    uint32_t slot, probe;

    if (pdt_ctx_prepare(c) < 0 || id >= keys_count(&c->s))
        return -1;
    if (c->overflow)
        return scan_lookup(c, id, kv);
    for (slot = id & (PDT_CTX_MAP - 1), probe = 0; probe < PDT_CTX_MAP;
         probe++, slot = (slot + 1) & (PDT_CTX_MAP - 1)) {
        if (c->map[slot].key == PDT_CF_EMPTY)
            return 0;
        if (c->map[slot].key == id) {
            if (c->map[slot].kv == PDT_CTX_DUP)
                return -1;
            *kv = &c->req->context[c->map[slot].kv];
            return 1;
        }
    }
    return 0;
}
