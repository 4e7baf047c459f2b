/* reqline.c - parses the tab-separated request lines described in
 * reqline.h, in place and without allocation.  Percent-decoding, field and
 * list splitting, and the bounds on keys and values live here; what a
 * request means is left to libpdt. */
#include "reqline.h"

#include <string.h>

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes %XX escapes in s[0..n) in place, NUL-terminates the result and
 * returns 0, or -1 on a malformed or NUL-producing escape. */
static int decode(char *s, size_t n)
{
    size_t i = 0, o = 0;
    while (i < n) {
        if (s[i] != '%') {
            s[o++] = s[i++];
            continue;
        }
        if (n - i < 3) return -1;
        int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return -1;
        s[o++] = (char)(hi * 16 + lo);
        i += 3;
    }
    s[o] = '\0';
    return 0;
}

/* Splits field f (NUL-terminated, raw) into one context entry of r:
 * KEY=VALUE or KEY[]=V1,V2,...  Returns 0, or -1 with *err set. */
static int parse_kv(char *f, struct reqline *r, size_t *nvals, const char **err)
{
    char *eq = strchr(f, '=');
    if (!eq || eq == f) {
        *err = "context field is not KEY=VALUE";
        return -1;
    }
    if (r->req.ncontext >= REQLINE_MAX_KEYS) {
        *err = "too many context keys";
        return -1;
    }
    struct pdt_kv *kv = &r->kv[r->req.ncontext];
    int multi = eq - f >= 2 && eq[-1] == ']' && eq[-2] == '[';
    char *key_end = multi ? eq - 2 : eq;
    if (key_end == f || decode(f, (size_t)(key_end - f)) != 0) {
        *err = "bad context key";
        return -1;
    }
    kv->key = f;
    kv->values = &r->vals[*nvals];
    kv->nvalues = 0;
    kv->multi = multi;
    char *v = eq + 1;
    if (multi && *v == '\0') {  /* KEY[]= : the empty list */
        r->req.ncontext++;
        return 0;
    }
    for (;;) {
        char *end = multi ? strchr(v, ',') : NULL;
        size_t len = end ? (size_t)(end - v) : strlen(v);
        if (*nvals >= REQLINE_MAX_VALUES) {
            *err = "too many context values";
            return -1;
        }
        if (decode(v, len) != 0) {
            *err = "bad %XX escape in a context value";
            return -1;
        }
        r->vals[(*nvals)++] = v;
        kv->nvalues++;
        if (!end) break;
        v = end + 1;
    }
    r->req.ncontext++;
    return 0;
}

int reqline_parse(char *line, struct reqline *r, const char **err)
{
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    if (n == 0 || line[0] == '#') return REQLINE_EMPTY;
    memset(&r->req, 0, sizeof r->req);
    r->req.context = r->kv;
    size_t nvals = 0;
    char *f = line;
    for (int field = 0; f; field++) {
        char *tab = strchr(f, '\t');
        if (tab) *tab = '\0';
        if (field < 2) {
            if (*f == '\0' || decode(f, strlen(f)) != 0) {
                *err = field == 0 ? "bad or empty action" : "bad or empty resource";
                return REQLINE_ERROR;
            }
            if (field == 0) r->req.action = f;
            else r->req.resource = f;
        } else if (parse_kv(f, r, &nvals, err) != 0) {
            return REQLINE_ERROR;
        }
        f = tab ? tab + 1 : NULL;
    }
    if (!r->req.resource) {
        *err = "missing resource field";
        return REQLINE_ERROR;
    }
    return REQLINE_OK;
}
