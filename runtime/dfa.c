/* dfa.c - running resource automata in place (dfa.h): one table lookup per
 * input byte through the byte-class map; the dead state 0 and the sinks
 * (states that go to themselves on every byte, put last by the compiler)
 * stop early. */
#include <string.h>

#include "dfa.h"
#include "hash.h"
#include "table.h"

uint32_t pdt_dfa_run(const struct pdt_table *t, uint32_t i, const char *s, size_t n)
{
    const struct pdt_fmt_dfa *d = &t->dfas[i];
    const uint8_t *cls = t->dfadata + d->classes;
    const uint16_t *tr = (const uint16_t *)(const void *)(t->dfadata + d->trans);
    const uint32_t *acc = (const uint32_t *)(const void *)(t->dfadata + d->accept);
    uint32_t row = d->nclasses, stop = t->dfastop[i] - 1;  /* state 1; stop >= 2 rows - 1 */
    size_t k;

    if (n < d->prefix_len || memcmp(s, pdt_table_str(t, d->prefix), d->prefix_len) != 0)
        return UINT32_MAX;
    for (k = d->prefix_len; k < n; k++) {
        row = tr[row + cls[(unsigned char)s[k]]];
        if (row - 1 >= stop)
            break;  /* the dead state (row 0), or a sink: the answer is settled */
    }
    return acc[row / d->nclasses];  /* the dead state's is UINT32_MAX (checked at load) */
}

void pdt_dfa_bucket(const struct pdt_table *t, const char *s, size_t n, uint32_t *first, uint32_t *count)
{
    const struct pdt_hashview *v = &t->resbkt;
    const struct pdt_fmt_bktent *ents = v->ents;
    size_t k, colons = 0;
    uint32_t h, p, slot;

    *first = 0;
    *count = 0;
    for (k = 0; k < n && colons < 3; k++)
        if (s[k] == ':')
            colons++;
    if (colons < 3 || v->h->nent == 0)
        return;
    h = pdt_hash_key(s, k, PDT_SEED_BUCKET);
    slot = (uint32_t)(((uint64_t)h * v->h->nslots) >> 32);
    for (p = 0; p < v->h->maxprobe; p++, slot = slot + 1 == v->h->nslots ? 0 : slot + 1) {
        uint32_t sl = v->slots[slot];
        const struct pdt_fmt_bktent *e;
        const char *key;
        if (sl == 0)
            return;
        if (PDT_SLOT_TAG(sl) != (h & 0xFFu))
            continue;
        e = &ents[PDT_SLOT_ENTRY(sl)];
        key = pdt_table_str(t, e->key);
        if (strncmp(key, s, k) == 0 && key[k] == '\0') {
            *first = e->dfa_first;
            *count = e->dfa_count;
            return;
        }
    }
}
