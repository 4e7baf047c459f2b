/* tmpl.c - expansion of policy-variable templates (TMPLS section, see
 * condfmt.h) into escaped glob patterns, for Resource/NotResource entries
 * (called by the table core) and for String/Arn condition values (called by
 * cond.c).  Substituted text is always escaped, so a '*' in a tag value is
 * literal; a variable whose key is missing, multivalued or "" uses its
 * default or leaves the template without value.  Output goes to a caller's
 * bounded buffer; nothing is allocated. */
#include <string.h>

#include "cond.h"
#include "condfmt.h"

/* Appends s[0..n) to buf at *k, escaping '*', '?' and '\' when esc. */
static int put(char *buf, size_t cap, size_t *k, const char *s, size_t n, int esc)
{
    size_t i;

    if (!esc) {
        if (n > cap - *k)
            return -1;
        memcpy(buf + *k, s, n);
        *k += n;
        return 0;
    }
    for (i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '*' || ch == '?' || ch == '\\') {
            if (cap - *k < 2)
                return -1;
            buf[(*k)++] = '\\';
        } else if (cap == *k) {
            return -1;
        }
        buf[(*k)++] = ch;
    }
    return 0;
}

/* The value a variable takes from kv: its single non-empty string, or NULL
 * (no value: multivalued, empty or malformed). */
static const char *var_value(const struct pdt_kv *kv)
{
    if (kv->multi || kv->nvalues != 1 || !kv->values || !kv->values[0] || !kv->values[0][0])
        return NULL;
    return kv->values[0];
}

long pdt_tmpl_expand(struct pdt_ctx *c, uint32_t tmpl, char *buf, size_t cap)
{
    const uint8_t *sec, *parts, *blob;
    uint32_t ntmpls, nparts, first, cnt, j;
    size_t k = 0;
    int novalue = 0, indet = 0;

    if (!buf || pdt_ctx_prepare(c) < 0 || c->s.tmpls_len < PDT_CF_HDR)
        return -2;
    sec = c->s.tmpls;
    ntmpls = pdt_cf_rd32(sec);
    nparts = pdt_cf_rd32(sec + 4);
    if (tmpl >= ntmpls)
        return -2;
    parts = sec + PDT_CF_HDR + (size_t)ntmpls * PDT_CF_TMPL_SZ;
    blob = parts + (size_t)nparts * PDT_CF_PART_SZ;
    first = pdt_cf_rd32(sec + PDT_CF_HDR + (size_t)tmpl * PDT_CF_TMPL_SZ);
    cnt = pdt_cf_rd32(sec + PDT_CF_HDR + (size_t)tmpl * PDT_CF_TMPL_SZ + 4);
    for (j = 0; j < cnt; j++) {
        const uint8_t *p = parts + (size_t)(first + j) * PDT_CF_PART_SZ;
        uint32_t kind = pdt_cf_rd32(p), off = pdt_cf_rd32(p + 8), len = pdt_cf_rd32(p + 12);
        const struct pdt_kv *kv = NULL;
        const char *v = NULL;
        int r;

        if (kind == PDT_CF_PART_TEXT) {
            if (put(buf, cap, &k, (const char *)blob + off, len, 0) < 0)
                return -2;
            continue;
        }
        r = pdt_ctx_lookup(c, pdt_cf_rd32(p + 4), &kv);
        if (r < 0) {
            indet = 1;
            continue;
        }
        if (r > 0)
            v = var_value(kv);
        if (v)
            r = put(buf, cap, &k, v, strlen(v), 1);
        else if (kind == PDT_CF_PART_VAR_DEF)
            r = put(buf, cap, &k, (const char *)blob + off, len, 1);
        else
            novalue = 1;
        if (r < 0)
            return -2;
    }
    if (indet)
        return -2;
    if (novalue)
        return -1;
    if (k > (size_t)0x7fffffff)
        return -2;
    return (long)k;
}
