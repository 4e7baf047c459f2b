/* table.h - private: the loaded-table handle shared by the runtime modules
 * (load.c fills it after validating everything; lookup.c, dfa.c, acthash.c,
 * introspect.c and the condition engine read it).  Pointers point into the
 * caller's buffer or the mapping and are valid until pdt_close. */
#ifndef PDT_TABLE_H
#define PDT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "format.h"

#define PDT_MAX_SECTIONS 64u
#define PDT_SECIDX 0x40u   /* section ids below this have a direct index */

struct pdt_hashview {
    const struct pdt_fmt_hash *h;  /* NULL when the table is empty */
    const uint32_t *slots;
    const void *ents;              /* entry array (type depends on the table) */
};

struct pdt_ctx_kslot;

struct pdt_table {
    const uint8_t *base;           /* the whole table */
    size_t len;
    void *map;                     /* mmap'd region (pdt_open) or NULL */
    size_t map_len;
    const struct pdt_fmt_header *hdr;
    const struct pdt_fmt_section *dir;
    uint32_t nsections;
    uint8_t secidx[PDT_SECIDX];    /* id -> directory index + 1 (0: absent) */

    const char *str;               /* string table */
    uint32_t str_len;
    const struct pdt_fmt_set *sets;
    uint32_t nsets;
    const struct pdt_fmt_stmt *stmts;
    uint32_t nstmts;
    uint32_t ndeny_identity;       /* Deny statements at the start of the identity set */
    const struct pdt_fmt_prov *prov;  /* NULL when stripped */
    const struct pdt_fmt_provrun *provruns;
    uint32_t nprovruns;
    const uint32_t *nafirst;       /* ACTPATS: first[nna + 1] */
    uint32_t nna;
    const uint32_t *actpats;       /* ACTPATS: pats[] */
    uint32_t nactpats;
    const uint32_t *respats;       /* packed PDT_RP_MAKE(kind, value) */
    uint32_t nrespats;
    const struct pdt_fmt_meta *meta;
    const void *lists;             /* u16 or u32 pool (list16) */
    uint32_t nlists;               /* elements in the pool */
    int list16;
    struct pdt_hashview acthash, actsvc, resbkt;
    const uint32_t *actaux;
    uint32_t nactaux;
    const struct pdt_fmt_actwild *actwild;
    uint32_t nactwild;
    struct pdt_hashview nahash, nasvc;   /* the NotAction index (ordinals) */
    const uint32_t *naaux;
    uint32_t nnaaux;
    const struct pdt_fmt_actwild *nawild;
    uint32_t nnawild;
    const struct pdt_fmt_dfa *dfas;
    uint32_t ndfas;
    const uint8_t *dfadata;
    uint32_t dfadata_len;
    const uint32_t *accepts;       /* list refs */
    uint32_t naccepts;
    const struct pdt_ctx_kslot *kidx;  /* the condition keys by signature (cond.h), made at load
                                          in the table's own allocation; NULL: none */
    uint32_t kidxmask;
    const uint32_t *rphint;        /* per RESPATS entry, made at load (load.c): a literal run its
                                      glob pattern needs (offset << 16 | length), or 0; NULL: none */
    const uint32_t *dfastop;       /* per automaton, made at load (load.c): the row
                                      from which every state is a sink (same allocation) */
};

/* Returns the bytes of section `id` and sets *len, or NULL (and *len = 0)
 * when the table has no such section.  Used by the condition engine for its
 * sections 0x10-0x1F.  The bytes are 8-aligned and inside the table. */
const void *pdt_table_section(const struct pdt_table *t, uint32_t id, size_t *len);

/* The string at strtab offset off (validated at load time). */
static inline const char *pdt_table_str(const struct pdt_table *t, uint32_t off)
{
    return t->str + off;
}

/* A statement set resolved from a list ref (format.h).  Use in place: for
 * a single statement v points at `one`. */
struct pdt_listv {
    const uint32_t *v;   /* u32 elements, or NULL when v16 is used */
    const uint16_t *v16;
    uint32_t n;
    uint32_t one;
};

static inline void pdt_table_list(const struct pdt_table *t, uint32_t ref, struct pdt_listv *l)
{
    l->v16 = NULL;
    l->v = &l->one;
    if (ref == PDT_LIST_EMPTY) {
        l->n = 0;
    } else if (ref & PDT_LIST_ONE) {
        l->one = ref & ~PDT_LIST_ONE;
        l->n = 1;
    } else if (t->list16) {
        const uint16_t *p = (const uint16_t *)t->lists + ref;
        l->n = p[0] & ~PDT_LIST16_HDR;
        l->v16 = p + 1;
        l->v = NULL;
    } else {
        const uint32_t *p = (const uint32_t *)t->lists + ref;
        l->n = p[0] & ~PDT_LIST_ONE;
        l->v = p + 1;
    }
}

static inline uint32_t pdt_listv_at(const struct pdt_listv *l, uint32_t k)
{
    return l->v ? l->v[k] : l->v16[k];
}

/* 1 when statement i is in list ref (lists hold increasing statement
 * indices: binary search).  The one membership test of the runtime, the
 * decision's automaton accept sets and the tools' explanations alike. */
static inline int pdt_table_list_has(const struct pdt_table *t, uint32_t ref, uint32_t i)
{
    struct pdt_listv l;
    uint32_t lo = 0, hi;
    pdt_table_list(t, ref, &l);
    hi = l.n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2, v = pdt_listv_at(&l, mid);
        if (v == i)
            return 1;
        if (v < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Policy file of statement i (provenance present): binary search of the runs. */
static inline uint32_t pdt_table_file(const struct pdt_table *t, uint32_t i)
{
    uint32_t lo = 0, hi = t->nprovruns;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t->provruns[mid].first <= i)
            lo = mid;
        else
            hi = mid;
    }
    return t->provruns[lo].file;
}

/* RESPATS range of statement i: [stmts[i].res_first, pdt_table_res_end(t, i)). */
static inline uint32_t pdt_table_res_end(const struct pdt_table *t, uint32_t i)
{
    return i + 1 < t->nstmts ? t->stmts[i + 1].res_first : t->nrespats;
}

#endif
