/* dfa_build.c - one resource automaton: subset construction over the
 * position NFA of a set of ARN glob patterns (iam-semantics.md §3.2 segment
 * rules, table escapes, '?' = one UTF-8 character as runtime/glob.h defines
 * it), byte classes, a state budget, and a runner for tests.  The table
 * level (buckets, bisection, sections) is dfa_tables.c. */
#include <stdlib.h>
#include <string.h>

#include "dfa.h"
#include "dfa_build.h"
#include "hash.h"
#include "lower_int.h"

/* Position kinds.  A '?' takes four positions: T_ANY1 (its first byte),
 * then three T_CONT (each waits for one continuation byte 80-BF); the
 * element after it is at T_ANY1 + 4.  From T_ANY1 an ASCII byte other than
 * ':' or a byte that never occurs in UTF-8 (C0, C1, F5-FF) goes to +4, a
 * lead byte C2-DF to +3, E0-EF to +2, F0-F4 to +1 (glob.h's rule). */
enum { T_LIT, T_ANY1, T_STAR_IN, T_STAR_F, T_CONT };
#define ANY1_POS 4

/* UTF-8 role of a byte, for '?' transitions and byte classes. */
enum { U_ASCII, U_CONT, U_SINGLE, U_LEAD2, U_LEAD3, U_LEAD4, U_NCAT };
static int u8cat(unsigned c)
{
    if (c < 0x80)
        return U_ASCII;
    if (c < 0xc0)
        return U_CONT;
    if (c < 0xc2 || c >= 0xf5)
        return U_SINGLE;
    return c < 0xe0 ? U_LEAD2 : c < 0xf0 ? U_LEAD3 : U_LEAD4;
}

struct nfa {
    size_t npos;            /* positions over all patterns */
    uint8_t *kind, *byte;   /* per position (the accept position of a pattern has kind T_LIT, accept=1) */
    uint8_t *acc;           /* 1: accept position */
    uint32_t *pat;          /* pattern of a position */
};

static int nfa_build(struct arena *a, const char *const *pats, const size_t *lens, size_t n, size_t skip,
                     struct nfa *f)
{
    size_t i, k, g = 0, total = 0;
    for (i = 0; i < n; i++)
        total += ANY1_POS * lens[i] + 1;  /* a '?' takes ANY1_POS positions */
    f->kind = arena_alloc(a, total);
    f->byte = arena_alloc(a, total);
    f->acc = arena_alloc(a, total);
    f->pat = arena_calloc(a, total, sizeof *f->pat);
    if (!f->kind || !f->byte || !f->acc || !f->pat)
        return -1;
    for (i = 0; i < n; i++) {
        const char *p = pats[i];
        for (k = skip; k < lens[i]; k++, g++) {
            f->pat[g] = (uint32_t)i;
            if (p[k] == '\\' && k + 1 < lens[i]) {
                f->kind[g] = T_LIT;
                f->byte[g] = (uint8_t)p[++k];
            } else if (p[k] == '?') {
                size_t j;
                f->kind[g] = T_ANY1;
                for (j = 1; j < ANY1_POS; j++) {
                    f->pat[++g] = (uint32_t)i;
                    f->kind[g] = T_CONT;
                }
            } else if (p[k] == '*') {
                f->kind[g] = (k + 1 == lens[i] || p[k + 1] == ':') ? T_STAR_F : T_STAR_IN;
            } else {
                f->kind[g] = T_LIT;
                f->byte[g] = (uint8_t)p[k];
            }
        }
        f->pat[g] = (uint32_t)i;
        f->acc[g++] = 1;
    }
    f->npos = g;
    return 0;
}

struct builder {
    struct arena *a;
    struct nfa f;
    uint32_t *mark, stamp;
    uint32_t *tmp;          /* scratch set */
    size_t ntmp;
    uint32_t **sets;        /* per state: sorted positions */
    uint32_t *setlen;
    uint32_t *hslots;       /* state id + 1 */
    size_t nhslots;
    uint32_t nstates, cap;
};

static void add_closure(struct builder *b, uint32_t g)
{
    for (;;) {
        if (b->mark[g] == b->stamp)
            return;
        b->mark[g] = b->stamp;
        b->tmp[b->ntmp++] = g;
        if (b->f.acc[g] || (b->f.kind[g] != T_STAR_IN && b->f.kind[g] != T_STAR_F))
            return;
        g++;
    }
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* Interns b->tmp[0..ntmp) (sorted) as a state; returns its id, or -1/-2
 * (allocation failure / budget exceeded). */
static long intern(struct builder *b, uint32_t budget)
{
    uint32_t h, id;
    size_t i;
    if (b->ntmp == 0)
        return 0;
    if (b->ntmp * 16 >= b->f.npos) {
        /* a large set: its members are exactly the positions marked with
         * the current stamp (add_closure), so a scan sorts it */
        size_t k = 0, g;
        for (g = 0; g < b->f.npos && k < b->ntmp; g++)
            if (b->mark[g] == b->stamp)
                b->tmp[k++] = (uint32_t)g;
    } else {
        qsort(b->tmp, b->ntmp, sizeof *b->tmp, cmp_u32);
    }
    h = pdt_hash_key(b->tmp, b->ntmp * 4, 0);
    for (i = h & (b->nhslots - 1); b->hslots[i]; i = (i + 1) & (b->nhslots - 1)) {
        id = b->hslots[i] - 1;
        if (b->setlen[id] == b->ntmp && memcmp(b->sets[id], b->tmp, b->ntmp * 4) == 0)
            return id;
    }
    if (b->nstates >= budget)
        return -2;
    if (b->nstates == b->cap) {
        uint32_t nc = b->cap * 2;
        b->sets = arena_grow(b->a, b->sets, b->cap, nc, sizeof *b->sets);
        b->setlen = arena_grow(b->a, b->setlen, b->cap, nc, sizeof *b->setlen);
        if (!b->sets || !b->setlen)
            return -1;
        b->cap = nc;
    }
    id = b->nstates++;
    b->sets[id] = arena_calloc(b->a, b->ntmp, 4);
    if (!b->sets[id])
        return -1;
    memcpy(b->sets[id], b->tmp, b->ntmp * 4);
    b->setlen[id] = (uint32_t)b->ntmp;
    b->hslots[i] = id + 1;
    return id;
}

int dfa_build(struct arena *a, const char *const *pats, const size_t *lens, size_t n, size_t skip,
              uint32_t budget, struct dfa_out *out)
{
    struct builder b;
    uint8_t used[256], rep[256];
    size_t i, g;
    uint32_t s, c, tcap;
    int cls_other[U_NCAT], any1 = 0;

    memset(&b, 0, sizeof b);
    memset(out, 0, sizeof *out);
    b.a = a;
    if (budget < 2)
        return 1;
    if (budget > 65535)
        budget = 65535;
    if (nfa_build(a, pats, lens, n, skip, &b.f) < 0)
        return -1;
    /* byte classes: each literal byte and ':' alone; every other byte
     * shared, or, when a '?' occurs, shared by the bytes of one UTF-8 role */
    memset(used, 0, sizeof used);
    used[':'] = 1;
    for (g = 0; g < b.f.npos; g++) {
        if (!b.f.acc[g] && b.f.kind[g] == T_LIT)
            used[b.f.byte[g]] = 1;
        any1 |= !b.f.acc[g] && b.f.kind[g] == T_ANY1;
    }
    for (i = 0; i < U_NCAT; i++)
        cls_other[i] = -1;
    for (i = 0; i < 256; i++) {
        if (used[i]) {
            rep[out->nclasses] = (uint8_t)i;
            out->classes[i] = (uint8_t)out->nclasses++;
        } else {
            int k = any1 ? u8cat((unsigned)i) : 0;
            if (cls_other[k] < 0) {
                cls_other[k] = (int)out->nclasses;
                rep[out->nclasses++] = (uint8_t)i;
            }
            out->classes[i] = (uint8_t)cls_other[k];
        }
    }
    b.mark = arena_calloc(a, b.f.npos + 1, sizeof *b.mark);
    b.tmp = arena_calloc(a, b.f.npos + 1, sizeof *b.tmp);
    b.nhslots = 1;
    while (b.nhslots < 2 * (size_t)budget)
        b.nhslots *= 2;
    b.hslots = arena_calloc(a, b.nhslots, sizeof *b.hslots);
    b.cap = 64;
    b.sets = arena_calloc(a, b.cap, sizeof *b.sets);
    b.setlen = arena_calloc(a, b.cap, sizeof *b.setlen);
    tcap = 64;
    out->trans = arena_calloc(a, (size_t)tcap * out->nclasses, sizeof *out->trans);
    if (!b.mark || !b.tmp || !b.hslots || !b.sets || !b.setlen || !out->trans)
        return -1;
    /* state 0: the empty set (dead); state 1: closure of every pattern start */
    b.sets[0] = NULL;
    b.setlen[0] = 0;
    b.nstates = 1;
    b.stamp = 1;
    for (i = 0, g = 0; i < n; i++) {
        add_closure(&b, (uint32_t)g);
        while (!b.f.acc[g])
            g++;
        g++;
    }
    if (intern(&b, budget) != 1)
        return b.nstates > budget ? 1 : -1;
    for (s = 1; s < b.nstates; s++) {
        if (b.nstates > tcap) {
            uint32_t nt = tcap * 2;
            while (nt < b.nstates)
                nt *= 2;
            out->trans = arena_grow(a, out->trans, (size_t)tcap * out->nclasses, (size_t)nt * out->nclasses,
                                    sizeof *out->trans);
            if (!out->trans)
                return -1;
            tcap = nt;
        }
        for (c = 0; c < out->nclasses; c++) {
            uint8_t ch = rep[c];
            long id;
            b.stamp++;
            b.ntmp = 0;
            for (i = 0; i < b.setlen[s]; i++) {
                uint32_t p = b.sets[s][i];
                if (b.f.acc[p])
                    continue;
                switch (b.f.kind[p]) {
                case T_LIT:
                    if (b.f.byte[p] == ch)
                        add_closure(&b, p + 1);
                    break;
                case T_ANY1:
                    switch (u8cat(ch)) {
                    case U_ASCII:
                        if (ch != ':')
                            add_closure(&b, p + ANY1_POS);
                        break;
                    case U_SINGLE:
                        add_closure(&b, p + ANY1_POS);
                        break;
                    case U_LEAD2:
                        add_closure(&b, p + 3);
                        break;
                    case U_LEAD3:
                        add_closure(&b, p + 2);
                        break;
                    case U_LEAD4:
                        add_closure(&b, p + 1);
                        break;
                    default: /* a continuation byte cannot start a character */
                        break;
                    }
                    break;
                case T_CONT:
                    if (u8cat(ch) == U_CONT)
                        add_closure(&b, p + 1);
                    break;
                case T_STAR_IN:
                    if (ch != ':')
                        add_closure(&b, p);
                    break;
                default:
                    add_closure(&b, p);
                    break;
                }
            }
            id = intern(&b, budget);
            if (id == -2)
                return 1;
            if (id < 0)
                return -1;
            out->trans[(size_t)s * out->nclasses + c] = (uint16_t)id;
        }
    }
    if (b.nstates > tcap) {
        out->trans = arena_grow(a, out->trans, (size_t)tcap * out->nclasses, (size_t)b.nstates * out->nclasses,
                                sizeof *out->trans);
        if (!out->trans)
            return -1;
    }
    out->nstates = b.nstates;
    out->acc_off = arena_calloc(a, b.nstates, 4);
    out->acc_len = arena_calloc(a, b.nstates, 4);
    out->acc_pool = arena_calloc(a, (size_t)b.nstates * 1 + n + 1, 4);
    if (!out->acc_off || !out->acc_len || !out->acc_pool)
        return -1;
    {
        size_t used_pool = 0, pcap = (size_t)b.nstates + n + 1;
        for (s = 1; s < b.nstates; s++) {
            out->acc_off[s] = (uint32_t)used_pool;
            for (i = 0; i < b.setlen[s]; i++) {
                uint32_t p = b.sets[s][i];
                if (!b.f.acc[p])
                    continue;
                if (used_pool == pcap) {
                    out->acc_pool = arena_grow(a, out->acc_pool, pcap, pcap * 2, 4);
                    if (!out->acc_pool)
                        return -1;
                    pcap *= 2;
                }
                out->acc_pool[used_pool++] = b.f.pat[p];
                out->acc_len[s]++;
            }
        }
    }
    return 0;
}

uint32_t dfa_build_run(const struct dfa_out *d, const char *s, size_t n)
{
    uint32_t st = 1;
    size_t k;
    for (k = 0; k < n && st; k++)
        st = d->trans[(size_t)st * d->nclasses + d->classes[(unsigned char)s[k]]];
    return st;
}
