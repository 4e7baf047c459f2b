/* condcheck.c - load-time work of the condition engine: validation of its
 * sections (layouts in condfmt.h) and the key lookup info derived from them.
 * The table is untrusted even with a good checksum, so every count, offset,
 * length, opcode, flag, key id, template id and typed value is checked here
 * once; cond.c, ctx.c and tmpl.c then read the sections without further
 * checks.  Also answers the loader's "is this program/template id valid"
 * questions, and makes the index of the interned keys by signature, with
 * their case masks, once per table (pdt_ctx_kidx_build), for ctx.c. */
#include <string.h>

#include "cond.h"
#include "condfmt.h"
#include "value.h"

/* off + len <= lim without overflow. */
static int in_range(uint64_t off, uint64_t len, uint64_t lim)
{
    return off <= lim && len <= lim - off;
}

/* Checks the KEYS section; sets *nkeys. */
static int check_keys(const struct pdt_cond_secs *s, uint32_t *nkeys)
{
    const uint8_t *k = s->keys, *recs, *bk, *blob;
    uint32_t n, nb, bl, i, used = 0;

    *nkeys = 0;
    if (s->keys_len == 0)
        return 0;
    if (!k || s->keys_len < PDT_CF_HDR)
        return -1;
    n = pdt_cf_rd32(k);
    nb = pdt_cf_rd32(k + 4);
    bl = pdt_cf_rd32(k + 8);
    if (pdt_cf_rd32(k + 12) || nb == 0 || (nb & (nb - 1)) || nb <= n ||
        PDT_CF_HDR + (uint64_t)n * PDT_CF_KEY_SZ + (uint64_t)nb * 4 + bl > s->keys_len)
        return -1;
    recs = k + PDT_CF_HDR;
    bk = recs + (size_t)n * PDT_CF_KEY_SZ;
    blob = bk + (size_t)nb * 4;
    for (i = 0; i < n; i++) {
        const uint8_t *r = recs + (size_t)i * PDT_CF_KEY_SZ;
        uint32_t off = pdt_cf_rd32(r), len = pdt_cf_rd32(r + 4), j;
        if (!in_range(off, (uint64_t)len + 1, bl) || blob[off + len] || pdt_cf_rd32(r + 12) ||
            pdt_cf_rd32(r + 8) != pdt_cf_hash((const char *)blob + off, len))
            return -1;
        for (j = 0; j < len; j++)
            if (blob[off + j] == 0 || (blob[off + j] >= 'A' && blob[off + j] <= 'Z'))
                return -1;
    }
    for (i = 0; i < nb; i++) {
        uint32_t id = pdt_cf_rd32(bk + (size_t)i * 4);
        if (id != PDT_CF_EMPTY && (id >= n || ++used > n))
            return -1;
    }
    if (used != n)
        return -1;
    for (i = 0; i < n; i++) {  /* every key is found, and found as itself */
        const uint8_t *r = recs + (size_t)i * PDT_CF_KEY_SZ;
        if (pdt_ctx_key_find(s, (const char *)blob + pdt_cf_rd32(r), pdt_cf_rd32(r + 4), pdt_cf_rd32(r + 8)) != i)
            return -1;
    }
    *nkeys = n;
    return 0;
}

/* Checks the TMPLS section; sets *ntmpls. */
static int check_tmpls(const struct pdt_cond_secs *s, uint32_t nkeys, uint32_t *ntmpls)
{
    const uint8_t *t = s->tmpls, *parts;
    uint32_t nt, np, bl, i;

    *ntmpls = 0;
    if (s->tmpls_len == 0)
        return 0;
    if (!t || s->tmpls_len < PDT_CF_HDR)
        return -1;
    nt = pdt_cf_rd32(t);
    np = pdt_cf_rd32(t + 4);
    bl = pdt_cf_rd32(t + 8);
    if (pdt_cf_rd32(t + 12) ||
        PDT_CF_HDR + (uint64_t)nt * PDT_CF_TMPL_SZ + (uint64_t)np * PDT_CF_PART_SZ + bl > s->tmpls_len)
        return -1;
    for (i = 0; i < nt; i++) {
        const uint8_t *r = t + PDT_CF_HDR + (size_t)i * PDT_CF_TMPL_SZ;
        uint32_t cnt = pdt_cf_rd32(r + 4);
        if (cnt == 0 || !in_range(pdt_cf_rd32(r), cnt, np))
            return -1;
    }
    parts = t + PDT_CF_HDR + (size_t)nt * PDT_CF_TMPL_SZ;
    for (i = 0; i < np; i++) {
        const uint8_t *p = parts + (size_t)i * PDT_CF_PART_SZ;
        uint32_t kind = pdt_cf_rd32(p), key = pdt_cf_rd32(p + 4), off = pdt_cf_rd32(p + 8), len = pdt_cf_rd32(p + 12);
        if (kind > PDT_CF_PART_VAR_DEF || !in_range(off, len, bl))
            return -1;
        if (kind == PDT_CF_PART_TEXT ? key != 0 : key >= nkeys)
            return -1;
        if (kind == PDT_CF_PART_VAR && (off || len))
            return -1;
    }
    *ntmpls = nt;
    return 0;
}

/* Checks one stored value of opcode op. */
static int check_value(uint32_t op, const uint8_t *p, uint32_t len)
{
    if (op >= PDT_COP_NUM_EQ && op <= PDT_COP_NUM_GE) {
        struct pdt_num v;
        char canon[PDT_NUM_MAX + 2];
        int cn;
        if (pdt_value_num_parse((const char *)p, len, &v) < 0)
            return -1;
        cn = pdt_value_num_canon(&v, canon, sizeof canon);
        return cn == (int)len && memcmp(canon, p, len) == 0 ? 0 : -1;
    }
    if (op >= PDT_COP_DATE_EQ && op <= PDT_COP_DATE_GE)
        return len == 16 && pdt_cf_rd64(p + 8) < PDT_DATE_FRAC_ONE ? 0 : -1;
    if (op == PDT_COP_BOOL || op == PDT_COP_NULL)
        return len == 1 && p[0] <= 1 ? 0 : -1;
    if (op == PDT_COP_IP) {
        struct pdt_ip ip;
        unsigned maxp, k;
        if (len != 18 || (p[0] != 4 && p[0] != 6))
            return -1;
        maxp = p[0] == 4 ? 32 : 128;
        if (p[1] > maxp)
            return -1;
        ip.fam = p[0];
        ip.plen = p[1];
        memcpy(ip.a, p + 2, 16);
        for (k = 0; k < 16; k++) {  /* host bits (and bytes past an IPv4 address) are zero */
            int keep = (int)ip.plen - (int)k * 8;
            uint8_t mask = keep <= 0 ? 0 : keep >= 8 ? 0xff : (uint8_t)(0xff << (8 - keep));
            if (ip.a[k] & (uint8_t)~mask)
                return -1;
        }
        return 0;
    }
    return 0;  /* strings, patterns, binary bytes: any bytes */
}

/* Checks one test record. */
static int check_test(const uint8_t *t, uint32_t nkeys, uint32_t ntmpls, uint32_t nvals,
                      const uint8_t *vals, const uint8_t *blob, uint32_t bl)
{
    uint32_t w = pdt_cf_rd32(t), op = w & 0xff, fl = (w >> 8) & 0xff;
    uint32_t fv = pdt_cf_rd32(t + 8), nv = pdt_cf_rd32(t + 12), i;

    if ((w >> 16) || op < 1 || op > PDT_COP_MAX || (fl & ~PDT_CF_MASK) ||
        (fl & PDT_CF_ALL && fl & PDT_CF_ANY) || (fl & PDT_CF_NEG && !pdt_cf_op_negatable(op)) ||
        (op == PDT_COP_NULL && fl) || pdt_cf_rd32(t + 4) >= nkeys || nv == 0 || !in_range(fv, nv, nvals))
        return -1;
    for (i = 0; i < nv; i++) {
        const uint8_t *v = vals + (size_t)(fv + i) * PDT_CF_VAL_SZ;
        uint32_t off = pdt_cf_rd32(v), len = pdt_cf_rd32(v + 4), tm = pdt_cf_rd32(v + 8);
        if (tm != PDT_CF_EMPTY) {
            if (!pdt_cf_op_templated(op) || tm >= ntmpls || off || len)
                return -1;
        } else if (!in_range(off, len, bl) || check_value(op, blob + off, len) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Checks the PROGS section. */
static int check_progs(const struct pdt_cond_secs *s, uint32_t nkeys, uint32_t ntmpls)
{
    const uint8_t *p = s->progs, *tests, *vals;
    uint32_t np, nt, nv, bl, i;

    if (s->progs_len == 0)
        return 0;
    if (!p || s->progs_len < PDT_CF_HDR)
        return -1;
    np = pdt_cf_rd32(p);
    nt = pdt_cf_rd32(p + 4);
    nv = pdt_cf_rd32(p + 8);
    bl = pdt_cf_rd32(p + 12);
    if (PDT_CF_HDR + (uint64_t)np * PDT_CF_PROG_SZ + (uint64_t)nt * PDT_CF_TEST_SZ +
            (uint64_t)nv * PDT_CF_VAL_SZ + bl > s->progs_len)
        return -1;
    for (i = 0; i < np; i++) {
        const uint8_t *r = p + PDT_CF_HDR + (size_t)i * PDT_CF_PROG_SZ;
        uint32_t cnt = pdt_cf_rd32(r + 4);
        if (cnt == 0 || !in_range(pdt_cf_rd32(r), cnt, nt))
            return -1;
    }
    tests = p + PDT_CF_HDR + (size_t)np * PDT_CF_PROG_SZ;
    vals = tests + (size_t)nt * PDT_CF_TEST_SZ;
    for (i = 0; i < nt; i++)
        if (check_test(tests + (size_t)i * PDT_CF_TEST_SZ, nkeys, ntmpls, nv, vals,
                       vals + (size_t)nv * PDT_CF_VAL_SZ, bl) < 0)
            return -1;
    return 0;
}

int pdt_cond_validate_secs(const struct pdt_cond_secs *s)
{
    uint32_t nkeys, ntmpls;

    if (check_keys(s, &nkeys) < 0 || check_tmpls(s, nkeys, &ntmpls) < 0 || check_progs(s, nkeys, ntmpls) < 0)
        return PDT_E_CORRUPT;
    return 0;
}

int pdt_cond_validate(const struct pdt_table *t)
{
    struct pdt_cond_secs s;

    pdt_cond_secs_get(t, &s);
    return pdt_cond_validate_secs(&s);
}

/* Count in the first header word of a section (0 when absent). */
int pdt_cond_prog_ok(const struct pdt_table *t, uint32_t prog)
{
    struct pdt_cond_secs s;

    if (prog == PDT_COND_NONE)
        return 1;
    pdt_cond_secs_get(t, &s);
    return prog < pdt_cf_count(s.progs, s.progs_len);
}

int pdt_cond_tmpl_ok(const struct pdt_table *t, uint32_t tmpl)
{
    struct pdt_cond_secs s;

    pdt_cond_secs_get(t, &s);
    return tmpl < pdt_cf_count(s.tmpls, s.tmpls_len);
}

/* Words before the last of a key of n bytes: the ones a lookup compares. */
static size_t prefix_words(size_t n)
{
    return n ? (n - 1) / 8 : 0;
}

/* Slots of the signature index for nk keys: at most half full. */
static size_t kidx_slots(uint32_t nk)
{
    size_t ns = 2;

    while (ns < 2 * (size_t)nk)
        ns *= 2;
    return ns;
}

size_t pdt_ctx_kidx_size(const struct pdt_cond_secs *s)
{
    uint32_t nk = pdt_cf_count(s->keys, s->keys_len), id;
    size_t words = 0;

    if (!nk)
        return 0;
    for (id = 0; id < nk; id++)
        words += prefix_words(pdt_cf_rd32(s->keys + PDT_CF_HDR + (size_t)id * PDT_CF_KEY_SZ + 4));
    return kidx_slots(nk) * sizeof(struct pdt_ctx_kslot) + words * 8;
}

void pdt_ctx_kidx_build(struct pdt_cond_secs *s, void *buf)
{
    uint32_t nk = pdt_cf_count(s->keys, s->keys_len), nb, id;
    const uint8_t *recs, *blob;
    struct pdt_ctx_kslot *slot = buf;
    size_t ns = kidx_slots(nk), i;
    uint64_t *m = (uint64_t *)(slot + ns);

    if (!nk)
        return;
    nb = pdt_cf_rd32(s->keys + 4);
    recs = s->keys + PDT_CF_HDR;
    blob = recs + (size_t)nk * PDT_CF_KEY_SZ + (size_t)nb * 4;
    for (i = 0; i < ns; i++)
        slot[i].id = PDT_CF_EMPTY;
    for (id = 0; id < nk; id++) {
        const uint8_t *r = recs + (size_t)id * PDT_CF_KEY_SZ;
        const char *k = (const char *)blob + pdt_cf_rd32(r);
        uint32_t n = pdt_cf_rd32(r + 4), d = 0, w;
        uint64_t sig = pdt_ctx_key_sig(k, n);
        for (i = (size_t)(sig >> 32) & (ns - 1); slot[i].id != PDT_CF_EMPTY; i = (i + 1) & (ns - 1))
            if (++d > PDT_CTX_KIDX_PROBES)
                return;  /* made to collide: no index (s->kidx stays NULL) */
        slot[i].sig = sig;
        slot[i].id = id;
        slot[i].len = n;
        slot[i].key = k;
        slot[i].mask = m;
        for (w = 0; w + 8 < n; w += 8) {
            uint64_t x = pdt_cf_load8(k + w) & ~0x2020202020202020ULL;
            /* free: bit 0x20 of the letters (with that bit cleared, they
             * are the bytes fold8 changes, and it changes only that bit) */
            *m++ = ~(pdt_cf_fold8(x) ^ x);
        }
    }
    s->kidx = slot;
    s->kidxmask = (uint32_t)(ns - 1);
}
