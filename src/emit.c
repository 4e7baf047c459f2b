/* emit.c - table image assembly (see emit.h). */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "hash.h"

void emit_init(struct emit *e, struct arena *a)
{
    memset(e, 0, sizeof *e);
    e->a = a;
    buf_init(&e->strtab);
    buf_u8(&e->strtab, 0);
}

void emit_fini(struct emit *e)
{
    size_t i;
    buf_free(&e->strtab);
    for (i = 0; i < e->nsec; i++)
        buf_free(&e->sec[i].b);
    e->nsec = 0;
}

static int emit_rehash(struct emit *e)
{
    size_t n = e->nslots ? e->nslots * 2 : 1024, i;
    uint32_t *s = arena_calloc(e->a, n, sizeof *s);
    if (!s)
        return -1;
    for (i = 0; i < e->nslots; i++) {
        uint32_t v = e->slots[i];
        if (v) {
            const char *str = (const char *)e->strtab.data + v - 1;
            size_t h = pdt_hash_key(str, strlen(str), 0) & (n - 1);
            while (s[h])
                h = (h + 1) & (n - 1);
            s[h] = v;
        }
    }
    e->slots = s;
    e->nslots = n;
    return 0;
}

uint32_t emit_str(struct emit *e, const char *s, size_t n)
{
    size_t h, off;
    if (e->failed)
        return EMIT_NOSTR;
    if (n == 0)
        return 0;
    if ((e->nused + 1) * 2 > e->nslots && emit_rehash(e) < 0)
        goto fail;
    h = pdt_hash_key(s, n, 0) & (e->nslots - 1);
    while (e->slots[h]) {
        const char *c = (const char *)e->strtab.data + e->slots[h] - 1;
        if (strncmp(c, s, n) == 0 && c[n] == '\0')
            return e->slots[h] - 1;
        h = (h + 1) & (e->nslots - 1);
    }
    off = e->strtab.len;
    if (off >= UINT32_MAX - n - 2)
        goto fail;
    buf_append(&e->strtab, s, n);
    buf_u8(&e->strtab, 0);
    if (e->strtab.failed)
        goto fail;
    e->slots[h] = (uint32_t)off + 1;
    e->nused++;
    return (uint32_t)off;
fail:
    e->failed = 1;
    return EMIT_NOSTR;
}

struct buf *emit_section(struct emit *e, uint32_t id, uint32_t flags)
{
    struct emit_section *s;
    if (e->nsec >= EMIT_MAX_SECTIONS) {
        e->failed = 1;
        return NULL;
    }
    s = &e->sec[e->nsec++];
    s->id = id;
    s->flags = flags;
    buf_init(&s->b);
    return &s->b;
}

static int cmp_sec(const void *a, const void *b)
{
    const struct emit_section *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

int emit_finish(struct emit *e, uint32_t hdr_flags, uint32_t nstmts, struct buf *out)
{
    struct emit_section all[EMIT_MAX_SECTIONS + 1];
    struct pdt_fmt_header h;
    size_t n = 0, i, off;
    uint64_t sum;

    if (e->failed || e->strtab.failed)
        return -1;
    all[n].id = PDT_SEC_STRTAB;
    all[n].flags = PDT_SF_REQUIRED;
    all[n++].b = e->strtab;
    for (i = 0; i < e->nsec; i++) {
        if (e->sec[i].b.failed)
            return -1;
        all[n++] = e->sec[i];
    }
    qsort(all, n, sizeof all[0], cmp_sec);
    for (i = 1; i < n; i++)
        if (all[i].id == all[i - 1].id)
            return -1;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, PDT_MAGIC, PDT_MAGIC_LEN);
    h.major = PDT_FORMAT_MAJOR;
    h.minor = PDT_FORMAT_MINOR;
    h.hdr_len = PDT_HDR_LEN;
    h.nsections = (uint32_t)n;
    h.flags = hdr_flags;
    h.nstmts = nstmts;
    buf_append(out, &h, sizeof h);
    off = PDT_HDR_LEN + n * sizeof(struct pdt_fmt_section);
    for (i = 0; i < n; i++) {
        struct pdt_fmt_section s;
        off = (off + 7) & ~(size_t)7;
        if (off > UINT32_MAX || all[i].b.len > UINT32_MAX - off)
            return -1;
        s.id = all[i].id;
        s.flags = all[i].flags;
        s.off = (uint32_t)off;
        s.len = (uint32_t)all[i].b.len;
        buf_append(out, &s, sizeof s);
        off += all[i].b.len;
    }
    for (i = 0; i < n; i++) {
        buf_align(out, 8);
        buf_append(out, all[i].b.data, all[i].b.len);
    }
    buf_align(out, 8);
    if (out->failed || out->len > UINT32_MAX)
        return -1;
    h.total_len = out->len;
    sum = pdt_hash_sum(out->data + PDT_HDR_LEN, out->len - PDT_HDR_LEN);
    h.checksum = sum;
    memcpy(out->data, &h, sizeof h);
    /* the checksum covers only bytes after the header, so it is unaffected */
    return 0;
}
