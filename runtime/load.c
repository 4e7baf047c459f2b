/* load.c - opening a decision table: pdt_open (mmap), pdt_open_mem,
 * pdt_close, pdt_strerror, pdt_abi_version, and the header/directory checks.
 * Every section is then checked by verify.c before a handle is returned;
 * nothing is trusted, a table whose checksum was recomputed included. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cond.h"
#include "hash.h"
#include "verify.h"
#include "pdt.h"
#include "table.h"

int pdt_abi_version(void)
{
    return PDT_ABI_VERSION;
}

const char *pdt_strerror(int err)
{
    switch (err) {
    case PDT_OK: return "success";
    case PDT_E_IO: return "cannot open, read or map the table file";
    case PDT_E_NOMEM: return "out of memory";
    case PDT_E_ALIGN: return "table buffer is not 8-byte aligned";
    case PDT_E_MAGIC: return "not a pdt decision table (bad magic)";
    case PDT_E_VERSION: return "unsupported table format version or feature";
    case PDT_E_CHECKSUM: return "table checksum mismatch (corrupt table)";
    case PDT_E_CORRUPT: return "structurally invalid (corrupt) table";
    case PDT_E_INVAL: return "invalid argument";
    default: return "unknown error";
    }
}

const void *pdt_table_section(const struct pdt_table *t, uint32_t id, size_t *len)
{
    uint32_t i;
    if (len)
        *len = 0;
    if (!t)
        return NULL;
    if (id < PDT_SECIDX) {  /* secidx is filled while the directory is checked, before any lookup */
        if (!t->secidx[id])
            return NULL;  /* absent: no directory walk (the condition engine asks per decision) */
        i = t->secidx[id] - 1u;
        if (len)
            *len = t->dir[i].len;
        return t->base + t->dir[i].off;
    }
    for (i = 0; i < t->nsections; i++) {
        if (t->dir[i].id == id) {
            if (len)
                *len = t->dir[i].len;
            return t->base + t->dir[i].off;
        }
    }
    return NULL;
}

/* 1 when the runtime knows section id (the condition engine's ids too). */
static int known_section(uint32_t id)
{
    return (id >= PDT_SEC_STRTAB && id <= PDT_SEC_DFADATA) || (id >= PDT_SEC_ACCEPTS && id <= PDT_SEC_NAWILD) ||
           id == PDT_SEC_COND_KEYS || id == PDT_SEC_COND_PROGS || id == PDT_SEC_COND_TMPLS;
}

/* Header, checksum and directory.  Fills t->hdr, t->dir, t->nsections. */
static int check_header(struct pdt_table *t)
{
    const struct pdt_fmt_header *h;
    uint64_t dir_end;
    uint32_t i, j;
    size_t k;

    if (t->len < PDT_MAGIC_LEN || memcmp(t->base, PDT_MAGIC, PDT_MAGIC_LEN) != 0)
        return PDT_E_MAGIC;
    if (t->len < PDT_HDR_LEN)
        return PDT_E_CORRUPT;
    h = (const struct pdt_fmt_header *)(const void *)t->base;
    if (h->major != PDT_FORMAT_MAJOR)
        return PDT_E_VERSION;
    if (h->hdr_len < PDT_HDR_LEN || h->hdr_len % 8 != 0 || h->hdr_len > t->len)
        return PDT_E_CORRUPT;
    for (k = offsetof(struct pdt_fmt_header, reserved); k < h->hdr_len; k++)
        if (t->base[k] != 0)
            return PDT_E_CORRUPT;
    if (h->total_len != (uint64_t)t->len)
        return PDT_E_CORRUPT;
    if (pdt_hash_sum(t->base + h->hdr_len, t->len - h->hdr_len) != h->checksum)
        return PDT_E_CHECKSUM;
    if (h->flags & ~PDT_HF_KNOWN)
        return PDT_E_VERSION;
    if (h->nsections > PDT_MAX_SECTIONS || h->nstmts > (uint32_t)INT32_MAX)
        return PDT_E_CORRUPT;
    dir_end = (uint64_t)h->hdr_len + (uint64_t)h->nsections * sizeof(struct pdt_fmt_section);
    if (dir_end > t->len)
        return PDT_E_CORRUPT;
    t->hdr = h;
    t->dir = (const struct pdt_fmt_section *)(const void *)(t->base + h->hdr_len);
    t->nsections = h->nsections;
    for (i = 0; i < t->nsections; i++) {
        const struct pdt_fmt_section *s = &t->dir[i];
        if (i > 0 && s->id <= t->dir[i - 1].id)
            return PDT_E_CORRUPT;
        if (s->flags & ~PDT_SF_KNOWN)
            return PDT_E_CORRUPT;
        if (s->off % 8 != 0 || s->off < dir_end || s->off > t->len || t->len - s->off < s->len)
            return PDT_E_CORRUPT;
        if (!known_section(s->id) && (s->flags & PDT_SF_REQUIRED))
            return PDT_E_VERSION;
        if (s->id < PDT_SECIDX)
            t->secidx[s->id] = (uint8_t)(i + 1);
        for (j = 0; j < i; j++) {
            const struct pdt_fmt_section *o = &t->dir[j];
            /* [s->off, s->off+len) and [o->off, o->off+len) must be disjoint */
            if ((uint64_t)s->off < (uint64_t)o->off + o->len &&
                (uint64_t)o->off < (uint64_t)s->off + s->len)
                return PDT_E_CORRUPT;
        }
    }
    return 0;
}

/* Validates buf[0..len) completely and fills *t (no allocation). */
static int load_image(struct pdt_table *t)
{
    int rc = check_header(t);
    if (rc)
        return rc;
    return pdt_verify_table(t);
}

/* The row of automaton i from which every state is a sink (goes to itself
 * on every byte): its number of rows when the last state is not one, and
 * never below the row after the start state's (dfa.h).  The compiler puts
 * sinks last (src/dfa_tables.c); in an older table the tail may be empty. */
static uint32_t dfa_stop_row(const struct pdt_table *t, uint32_t i)
{
    const struct pdt_fmt_dfa *d = &t->dfas[i];
    const uint16_t *tr = (const uint16_t *)(const void *)(t->dfadata + d->trans);
    uint32_t s = d->nstates, c;

    for (; s > 2; s--) {
        const uint16_t *r = tr + (size_t)(s - 1) * d->nclasses;
        for (c = 0; c < d->nclasses; c++)
            if (r[c] != (s - 1) * d->nclasses)
                return s * d->nclasses;
    }
    return s * d->nclasses;
}

/* The hint for glob pattern p (a resource pattern kept for the linear
 * matcher): the longest run of at least 3 plain literal bytes after its
 * first wildcard, as offset << 16 | length (the last of equal runs), or 0.
 * A string the pattern matches contains every such run, so one that lacks
 * it needs no glob (lookup.c).  The literal head before the first wildcard
 * is left out: the glob compares it first anyway. */
static uint32_t glob_hint(const char *p)
{
    size_t i = strcspn(p, "*?\\"), run, best = 0, boff = 0;  /* the literal head is left out */

    while (p[i]) {
        i += p[i] == '\\' && p[i + 1] ? 2 : 1;  /* a wildcard, or an escaped byte: both end a run */
        run = strcspn(p + i, "*?\\");
        if (run >= 3 && run >= best && i + run < 65536) {
            best = run;
            boff = i;
        }
        i += run;
    }
    return best ? (uint32_t)(boff << 16 | best) : 0;
}

/* The table's own allocation: *tmp, and after it what lookups of condition
 * keys need (cond.h, pdt_ctx_kidx_build), where each automaton's sinks
 * start (dfa.h, dfa_stop_row) and a literal each glob pattern needs
 * (glob_hint), made here once so that no decision recomputes them.  NULL
 * when out of memory. */
static struct pdt_table *table_new(const struct pdt_table *tmp)
{
    size_t head = (sizeof *tmp + 15) & ~(size_t)15, kidx, stops = (size_t)tmp->ndfas * 4;
    size_t hints = (size_t)tmp->nrespats * 4;
    struct pdt_cond_secs s;
    struct pdt_table *t;
    uint32_t *stop, *hint, i;

    pdt_cond_secs_get(tmp, &s);
    kidx = pdt_ctx_kidx_size(&s);  /* a multiple of 8 */
    if (kidx > SIZE_MAX - head - stops - hints)
        return NULL;
    t = malloc(head + kidx + stops + hints);
    if (!t)
        return NULL;
    *t = *tmp;
    pdt_ctx_kidx_build(&s, (char *)t + head);
    t->kidx = s.kidx;
    t->kidxmask = s.kidxmask;
    stop = (uint32_t *)(void *)((char *)t + head + kidx);
    for (i = 0; i < t->ndfas; i++)
        stop[i] = dfa_stop_row(t, i);
    t->dfastop = stop;
    hint = stop + t->ndfas;
    for (i = 0; i < t->nrespats; i++) {
        uint32_t v = t->respats[i];
        hint[i] = PDT_RP_KIND(v) == PDT_RP_GLOB && !(v & PDT_RP_LIT) ? glob_hint(pdt_table_str(t, PDT_RP_VAL(v))) : 0;
    }
    t->rphint = hint;
    return t;
}

int pdt_open_mem(const void *buf, size_t len, struct pdt_table **out)
{
    struct pdt_table tmp, *t;
    int rc;

    if (!out)
        return PDT_E_INVAL;
    *out = NULL;
    if (!buf)
        return PDT_E_INVAL;
    if ((uintptr_t)buf % 8 != 0)
        return PDT_E_ALIGN;
    memset(&tmp, 0, sizeof tmp);
    tmp.base = buf;
    tmp.len = len;
    rc = load_image(&tmp);
    if (rc)
        return rc;
    t = table_new(&tmp);
    if (!t)
        return PDT_E_NOMEM;
    *out = t;
    return 0;
}

int pdt_open(const char *path, struct pdt_table **out)
{
    struct pdt_table tmp, *t;
    struct stat st;
    void *map;
    int fd, rc;

    if (!out)
        return PDT_E_INVAL;
    *out = NULL;
    if (!path)
        return PDT_E_INVAL;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return PDT_E_IO;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return PDT_E_IO;
    }
    if ((uint64_t)st.st_size < PDT_HDR_LEN || (uint64_t)st.st_size > (uint64_t)SIZE_MAX ||
        (uint64_t)st.st_size > UINT32_MAX) {
        close(fd);
        return st.st_size < PDT_MAGIC_LEN ? PDT_E_MAGIC : PDT_E_CORRUPT;
    }
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return PDT_E_IO;
    memset(&tmp, 0, sizeof tmp);
    tmp.base = map;
    tmp.len = (size_t)st.st_size;
    rc = load_image(&tmp);
    if (rc)
        goto out_unmap;
    t = table_new(&tmp);
    if (!t) {
        rc = PDT_E_NOMEM;
        goto out_unmap;
    }
    t->map = map;
    t->map_len = (size_t)st.st_size;
    *out = t;
    return 0;
out_unmap:
    munmap(map, (size_t)st.st_size);
    return rc;
}

void pdt_close(struct pdt_table *t)
{
    if (!t)
        return;
    if (t->map)
        munmap(t->map, t->map_len);
    free(t);
}
