/* acthash.c - action hash lookups (acthash.h): linear probing bounded by the
 * table's validated maxprobe; a hit is confirmed against the key string. */
#include <string.h>

#include "acthash.h"
#include "hash.h"
#include "table.h"

/* Returns the index of the entry whose key (first u32 of the entry: a
 * strtab offset) is k[0..n) (followed by '*' when prefix), or -1. */
static long probe(const struct pdt_hashview *v, size_t esz, uint32_t h, const struct pdt_table *t,
                  const char *k, size_t n, int prefix)
{
    uint32_t ns = v->h->nslots, i, slot = (uint32_t)(((uint64_t)h * ns) >> 32);
    for (i = 0; i < v->h->maxprobe; i++, slot = slot + 1 == ns ? 0 : slot + 1) {
        uint32_t sl = v->slots[slot], e;
        const char *key;
        if (sl == 0)
            return -1;
        if (PDT_SLOT_TAG(sl) != (h & 0xFFu))
            continue;
        e = PDT_SLOT_ENTRY(sl);
        key = pdt_table_str(t, *(const uint32_t *)(const void *)((const uint8_t *)v->ents + (size_t)e * esz));
        if (strncmp(key, k, n) == 0 && key[n] == (prefix ? '*' : '\0') && (!prefix || key[n + 1] == '\0'))
            return (long)e;
    }
    return -1;
}

const uint32_t *pdt_acthash_exact(const struct pdt_table *t, const struct pdt_hashview *h, const char *lc, size_t n,
                                  uint32_t hash)
{
    const struct pdt_fmt_actent *ents = h->ents;
    long i = h->h->nent ? probe(h, sizeof *ents, hash, t, lc, n, 0) : -1;
    return i < 0 ? NULL : &ents[i].list;
}

const uint32_t *pdt_acthash_prefix(const struct pdt_table *t, const struct pdt_hashview *h, const char *lc,
                                   size_t plen)
{
    const struct pdt_fmt_actent *ents = h->ents;
    long i = probe(h, sizeof *ents, pdt_hash_key(lc, plen, PDT_SEED_PREFIX), t, lc, plen, 1);
    return i < 0 ? NULL : &ents[i].list;
}

const struct pdt_fmt_svcent *pdt_acthash_service(const struct pdt_table *t, const struct pdt_hashview *h,
                                                 const char *lc, size_t svclen, uint32_t hash)
{
    const struct pdt_fmt_svcent *ents = h->ents;
    long i = h->h->nent ? probe(h, sizeof *ents, hash, t, lc, svclen, 0) : -1;
    return i < 0 ? NULL : &ents[i];
}
