/* condfmt.h - on-disk layout of the condition engine's three table sections
 * (PDT_SEC_COND_KEYS/PROGS/TMPLS, see cond.h and docs/format-conditions.md).
 * Single source of truth for the writer (src/condc.c) and the reader
 * (runtime/cond.c, ctx.c, tmpl.c).  Every integer is little-endian; every
 * record is a run of u32 fields (read byte-wise, so no alignment is assumed
 * beyond the section's own).  Each section starts with a 16-byte header of
 * four u32; the arrays follow in the order listed, then a byte blob.
 *
 *   KEYS:  {nkeys, nbuckets, blob_len, 0}
 *          key[nkeys]      {off, len, hash, 0}       lower-cased key text at blob[off], NUL after it
 *          bucket[nbuckets] u32 key id or PDT_CF_EMPTY (open addressing, linear probing,
 *                           start at hash & (nbuckets-1); nbuckets a power of two > nkeys)
 *   PROGS: {nprogs, ntests, nvals, blob_len}
 *          prog[nprogs]    {first_test, ntests}      ntests >= 1; tests are ANDed
 *          test[ntests]    {op | flags << 8, key, first_val, nvals}   values ORed (NOR if NEG)
 *          val[nvals]      {off, len, tmpl}           bytes blob[off..off+len) or template tmpl
 *   TMPLS: {ntmpls, nparts, blob_len, 0}
 *          tmpl[ntmpls]    {first_part, nparts}
 *          part[nparts]    {kind, key, off, len}      TEXT: escaped pattern fragment at blob[off];
 *                                                     VAR: key's value; VAR_DEF: key's value or the
 *                                                     raw default text at blob[off]
 *
 * The hash is pdt_cf_hash below (ASCII A-Z folded to lower case). */
#ifndef PDT_CONDFMT_H
#define PDT_CONDFMT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PDT_CF_EMPTY UINT32_MAX   /* empty bucket; "no template" in val.tmpl */
#define PDT_CF_HDR 16u
#define PDT_CF_KEY_SZ 16u
#define PDT_CF_PROG_SZ 8u
#define PDT_CF_TEST_SZ 16u
#define PDT_CF_VAL_SZ 12u
#define PDT_CF_TMPL_SZ 8u
#define PDT_CF_PART_SZ 16u

/* Test opcodes (low byte of the first test word): the positive base
 * operator; ArnEquals and ArnLike are the same operator. */
enum pdt_cop {
    PDT_COP_STR_EQ = 1,     /* value: raw bytes, or a template (literal pattern) */
    PDT_COP_STR_EQ_IC,      /* same, compared with IgnoreCase folding */
    PDT_COP_STR_LIKE,       /* value: escaped glob pattern or template */
    PDT_COP_NUM_EQ,         /* value: canonical decimal text */
    PDT_COP_NUM_LT, PDT_COP_NUM_LE, PDT_COP_NUM_GT, PDT_COP_NUM_GE,
    PDT_COP_DATE_EQ,        /* value: 16 bytes: i64 seconds, u64 fraction (1e-18 units) */
    PDT_COP_DATE_LT, PDT_COP_DATE_LE, PDT_COP_DATE_GT, PDT_COP_DATE_GE,
    PDT_COP_BOOL,           /* value: 1 byte, 0 or 1 */
    PDT_COP_BIN_EQ,         /* value: decoded bytes */
    PDT_COP_IP,             /* value: 18 bytes: family (4/6), prefix length, 16 address bytes */
    PDT_COP_ARN,            /* value: escaped pattern or template (per-component glob) */
    PDT_COP_NULL,           /* value: 1 byte: 1 = "true" (key absent), 0 = "false" */
    PDT_COP_MAX = PDT_COP_NULL
};

/* Test flags (second byte of the first test word). */
#define PDT_CF_NEG 0x01u        /* negated operator: NOT of the OR over the values */
#define PDT_CF_IFEXISTS 0x02u   /* ...IfExists */
#define PDT_CF_ALL 0x04u        /* ForAllValues: */
#define PDT_CF_ANY 0x08u        /* ForAnyValue: */
#define PDT_CF_MASK 0x0fu

/* Template part kinds. */
#define PDT_CF_PART_TEXT 0u
#define PDT_CF_PART_VAR 1u
#define PDT_CF_PART_VAR_DEF 2u

static inline uint32_t pdt_cf_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The first header word of section p[0..len) (its count of records: keys,
 * programs or templates), or 0 when the section is absent or too short. */
static inline uint32_t pdt_cf_count(const uint8_t *p, size_t len)
{
    return p && len >= PDT_CF_HDR ? pdt_cf_rd32(p) : 0;
}

static inline uint64_t pdt_cf_rd64(const uint8_t *p)
{
    return (uint64_t)pdt_cf_rd32(p) | (uint64_t)pdt_cf_rd32(p + 4) << 32;
}

/* Lower-cases the ASCII letters among the 8 bytes of x (SWAR; bytes >= 0x80
 * are left alone). */
static inline uint64_t pdt_cf_fold8(uint64_t x)
{
    uint64_t h7 = x & 0x7f7f7f7f7f7f7f7fULL;
    uint64_t ge_a = h7 + 0x3f3f3f3f3f3f3f3fULL;  /* bit 7 set where byte >= 'A' */
    uint64_t gt_z = h7 + 0x2525252525252525ULL;  /* bit 7 set where byte > 'Z' */
    return x | ((ge_a & ~gt_z & ~x & 0x8080808080808080ULL) >> 2);
}

static inline uint64_t pdt_cf_load8(const char *s)
{
    unsigned char b[8];
    memcpy(b, s, 8);
    return (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 | (uint64_t)b[3] << 24 |
           (uint64_t)b[4] << 32 | (uint64_t)b[5] << 40 | (uint64_t)b[6] << 48 | (uint64_t)b[7] << 56;
}

/* Bytes s[0..k) (k <= 8) as a little-endian word, zero-padded.  When
 * back >= 8 - k, the 8 - k bytes before s are readable too (they belong to
 * the same string) and one overlapping load replaces the byte loop. */
static inline uint64_t pdt_cf_word(const char *s, size_t k, size_t back)
{
    uint64_t w = 0;
    size_t j;

    if (k == 8)
        return pdt_cf_load8(s);
    if (k && back >= 8 - k)
        return pdt_cf_load8(s - (8 - k)) >> (8 * (8 - k));
    for (j = 0; j < k; j++)
        w |= (uint64_t)(unsigned char)s[j] << (8 * j);
    return w;
}

/* Hash of key s[0..n) with ASCII upper case folded to lower case: the
 * little-endian 8-byte words (zero-padded tail) are each multiplied by an odd
 * constant chosen by position and summed (independent multiplies, so they
 * pipeline), then mixed with the length by a xorshift-multiply finaliser and
 * truncated to 32 bits.  Identical on every host. */
static inline uint32_t pdt_cf_hash(const char *s, size_t n)
{
    static const uint64_t k[4] = {0x9e3779b97f4a7c15ULL, 0xc2b2ae3d27d4eb4fULL,
                                  0x165667b19e3779f9ULL, 0xff51afd7ed558ccdULL};
    uint64_t h = (uint64_t)n * 0x27d4eb2f165667c5ULL, w;
    size_t i;

    for (i = 0; i < n; i += 8) {
        w = pdt_cf_fold8(pdt_cf_word(s + i, n - i < 8 ? n - i : 8, i));
        h += (w ^ (w >> 29)) * k[(i >> 3) & 3] + (i >> 5);
    }
    h ^= h >> 32;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 29;
    return (uint32_t)h;
}

/* 1 when the op has a negated form (StringNotEquals, NotIpAddress, ...). */
static inline int pdt_cf_op_negatable(unsigned op)
{
    return op == PDT_COP_STR_EQ || op == PDT_COP_STR_EQ_IC || op == PDT_COP_STR_LIKE ||
           op == PDT_COP_NUM_EQ || op == PDT_COP_DATE_EQ || op == PDT_COP_IP || op == PDT_COP_ARN;
}

/* 1 when values of the op may be templates (String* and Arn*). */
static inline int pdt_cf_op_templated(unsigned op)
{
    return op == PDT_COP_STR_EQ || op == PDT_COP_STR_EQ_IC || op == PDT_COP_STR_LIKE || op == PDT_COP_ARN;
}

#endif
