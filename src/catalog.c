/* catalog.c - parse and query the IAM action catalog (see catalog.h).
 *
 * The catalog text (format: data/catalog/README.md) is copied into one heap
 * buffer; tabs and newlines are overwritten with NULs so every name points
 * into it.  Records go into five growable arrays referenced by index.  The
 * parser checks the structure (record order, field counts, sort order that
 * lookups rely on, resource-type references, the totals of the N line) and
 * fails with a line number instead of building a half catalog.  Policy
 * semantics (what a pattern in a statement means) stay in lint.c/expand.c. */
#include "catalog.h"
#include "catalog_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Defined by the file cmake/Catalog.cmake generates from catalog.txt. */
extern const unsigned char catalog_data[];
extern const size_t catalog_data_len;

#define CATALOG_MAX_FIELDS 6


/* Parser state for one catalog_open_mem() call. */
struct parse {
    struct catalog *c;
    unsigned long line;     /* current 1-based line */
    char *err;              /* caller's error buffer (may be NULL) */
    size_t errsz;
    char *f[CATALOG_MAX_FIELDS];  /* fields of the current record */
    size_t nf;              /* number of fields */
    int section;            /* 0 none, 'R', 'K', 'A': last record kind in service */
    unsigned long n[4];     /* totals announced by the N line */
    bool have_n;
};

int catalog_casecmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    for (size_t i = 0; i < n; i++) {
        int d = catalog_lower((unsigned char)a[i]) - catalog_lower((unsigned char)b[i]);
        if (d)
            return d;
    }
    return alen < blen ? -1 : alen > blen;
}

static bool perr(struct parse *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static bool perr(struct parse *ps, const char *fmt, ...)
{
    if (ps->err && ps->errsz) {
        int k = snprintf(ps->err, ps->errsz, "catalog line %lu: ", ps->line);
        if (k >= 0 && (size_t)k < ps->errsz) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(ps->err + k, ps->errsz - (size_t)k, fmt, ap);
            va_end(ap);
        }
    }
    return false;
}

/* Ensures room for one more element of size sz in *arr (capacity *cap, used n). */
static bool grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 64;
    if (ncap > SIZE_MAX / sz)
        return false;
    void *p = realloc(*arr, ncap * sz);
    if (!p)
        return false;
    *arr = p;
    *cap = ncap;
    return true;
}

#define GROW(ps, arr, cnt, cap) \
    (grow((void **)&(ps)->c->arr, &(ps)->c->cap, (ps)->c->cnt, sizeof *(ps)->c->arr) \
         ? true : perr((ps), "out of memory"))

static struct catalog_service *cur_svc(struct parse *ps)
{
    return ps->c->nsvc ? &ps->c->svc[ps->c->nsvc - 1] : NULL;
}

/* Checks that name sorts strictly after prev (case-insensitively). */
static bool check_order(struct parse *ps, const char *prev, const char *name, const char *what)
{
    if (prev && catalog_casecmp(prev, strlen(prev), name, strlen(name)) >= 0)
        return perr(ps, "%s \"%s\" out of order or duplicated", what, name);
    return true;
}

/* Moves the record to section kind ('R' < 'K' < 'A'), refusing a step back. */
static bool enter_section(struct parse *ps, int kind)
{
    static const char order[] = "RKA";
    if (!cur_svc(ps))
        return perr(ps, "%c record before the first S record", kind);
    if (ps->section && strchr(order, ps->section) > strchr(order, kind))
        return perr(ps, "%c record after %c record", kind, ps->section);
    ps->section = kind;
    return true;
}

static bool rec_service(struct parse *ps)
{
    struct catalog *c = ps->c;
    if (ps->nf != 3 || !*ps->f[1])
        return perr(ps, "S record needs prefix and name");
    if (!check_order(ps, c->nsvc ? c->svc[c->nsvc - 1].prefix : NULL, ps->f[1], "service"))
        return false;
    if (!GROW(ps, svc, nsvc, csvc))
        return false;
    struct catalog_service *s = &c->svc[c->nsvc++];
    memset(s, 0, sizeof *s);
    s->prefix = ps->f[1];
    s->name = ps->f[2];
    s->action_first = (uint32_t)c->nact;
    s->rtype_first = (uint32_t)c->nrt;
    s->key_first = (uint32_t)c->nkey;
    ps->section = 0;
    return true;
}

static bool rec_rtype(struct parse *ps)
{
    struct catalog *c = ps->c;
    if (!enter_section(ps, 'R'))
        return false;
    struct catalog_service *s = cur_svc(ps);
    if (ps->nf != 4 || !*ps->f[1])
        return perr(ps, "R record needs name, ARN and keys");
    if (!check_order(ps, s->rtype_count ? c->rt[c->nrt - 1].name : NULL, ps->f[1], "resource type"))
        return false;
    if (!GROW(ps, rt, nrt, crt))
        return false;
    struct catalog_rtype *r = &c->rt[c->nrt++];
    r->name = ps->f[1];
    r->arn = ps->f[2];
    r->keys = ps->f[3];
    r->service = (uint32_t)(c->nsvc - 1);
    s->rtype_count++;
    return true;
}

/* Parses "String", "ArrayOfARN", ... into k; false if unknown. */
static bool parse_key_type(const char *t, struct catalog_key *k)
{
    static const char *const names[] = {
        [CATALOG_KEY_STRING] = "String", [CATALOG_KEY_ARN] = "ARN",
        [CATALOG_KEY_BOOL] = "Bool", [CATALOG_KEY_NUMERIC] = "Numeric",
        [CATALOG_KEY_DATE] = "Date", [CATALOG_KEY_IPADDRESS] = "IPAddress",
        [CATALOG_KEY_BINARY] = "Binary",
    };
    k->array = strncmp(t, "ArrayOf", 7) == 0;
    if (k->array)
        t += 7;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(t, names[i]) == 0) {
            k->type = (enum catalog_key_type)i;
            return true;
        }
    }
    return false;
}

static bool rec_key(struct parse *ps)
{
    struct catalog *c = ps->c;
    if (!enter_section(ps, 'K'))
        return false;
    struct catalog_service *s = cur_svc(ps);
    if (ps->nf != 3 || !*ps->f[1])
        return perr(ps, "K record needs key and type");
    if (!check_order(ps, s->key_count ? c->key[c->nkey - 1].name : NULL, ps->f[1], "condition key"))
        return false;
    if (!GROW(ps, key, nkey, ckey))
        return false;
    struct catalog_key *k = &c->key[c->nkey];
    k->name = ps->f[1];
    k->service = (uint32_t)(c->nsvc - 1);
    if (!parse_key_type(ps->f[2], k))
        return perr(ps, "unknown condition key type \"%s\"", ps->f[2]);
    c->nkey++;
    s->key_count++;
    return true;
}

/* Index of the resource type name[0..len) of service s, or -1. */
static long find_rtype(const struct catalog *c, const struct catalog_service *s,
                       const char *name, size_t len)
{
    size_t lo = 0, hi = s->rtype_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *n = c->rt[s->rtype_first + mid].name;
        int d = catalog_casecmp(n, strlen(n), name, len);
        if (d == 0)
            return (long)(s->rtype_first + mid);
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Appends the resource types of list "a,b*,c" to the current action. */
static bool action_rtypes(struct parse *ps, struct catalog_action *a, const char *list)
{
    struct catalog *c = ps->c;
    const char *item;
    size_t len;
    a->res_first = (uint32_t)c->nres;
    while (catalog_list_next(&list, &item, &len)) {
        bool req = len > 0 && item[len - 1] == '*';
        long idx = find_rtype(c, cur_svc(ps), item, len - req);
        if (idx < 0)
            return perr(ps, "action %s: unknown resource type \"%.*s\"", a->name,
                        (int)(len - req), item);
        if (!GROW(ps, res, nres, cres))
            return false;
        struct catalog_action_res *r = &c->res[c->nres++];
        r->rtype = (uint32_t)idx;
        r->required = req;
        r->keys = "";
        a->res_count++;
    }
    return true;
}

static bool rec_action(struct parse *ps)
{
    static const char levels[] = "LRWTP";  /* in enum catalog_level order */
    struct catalog *c = ps->c;
    if (!enter_section(ps, 'A'))
        return false;
    struct catalog_service *s = cur_svc(ps);
    if (ps->nf != 5 || !*ps->f[1])
        return perr(ps, "A record needs name, level, resource types and keys");
    if (!check_order(ps, s->action_count ? c->act[c->nact - 1].name : NULL, ps->f[1], "action"))
        return false;
    const char *lv = ps->f[2][0] ? strchr(levels, ps->f[2][0]) : NULL;
    if (!lv || ps->f[2][1])
        return perr(ps, "action %s: bad access level \"%s\"", ps->f[1], ps->f[2]);
    if (!GROW(ps, act, nact, cact))
        return false;
    struct catalog_action *a = &c->act[c->nact];
    memset(a, 0, sizeof *a);
    a->name = ps->f[1];
    a->service = (uint32_t)(c->nsvc - 1);
    a->level = (enum catalog_level)(lv - levels);
    a->keys = ps->f[4];
    if (!action_rtypes(ps, a, ps->f[3]))
        return false;
    c->nact++;
    s->action_count++;
    return true;
}

/* "a" record: condition keys of one resource type of the preceding action. */
static bool rec_action_res(struct parse *ps)
{
    struct catalog *c = ps->c;
    if (ps->section != 'A' || !cur_svc(ps)->action_count)
        return perr(ps, "a record not after an A record");
    if (ps->nf != 3)
        return perr(ps, "a record needs resource type and keys");
    const struct catalog_action *a = &c->act[c->nact - 1];
    for (uint32_t i = 0; i < a->res_count; i++) {
        struct catalog_action_res *r = &c->res[a->res_first + i];
        if (strcmp(c->rt[r->rtype].name, ps->f[1]) == 0) {
            r->keys = ps->f[2];
            return true;
        }
    }
    return perr(ps, "action %s does not take resource type \"%s\"", a->name, ps->f[1]);
}

static bool rec_header(struct parse *ps)
{
    if (ps->c->nsvc)
        return perr(ps, "%s record after the first S record", ps->f[0]);
    if (ps->f[0][0] == 'V') {
        if (ps->nf != 4 || ps->c->source)
            return perr(ps, "bad or repeated V record");
        ps->c->source = ps->f[1];
        ps->c->version = ps->f[2];
        ps->c->updated = ps->f[3];
        return true;
    }
    if (ps->nf != 5 || ps->have_n)
        return perr(ps, "bad or repeated N record");
    for (int i = 0; i < 4; i++) {
        char *end;
        ps->n[i] = strtoul(ps->f[i + 1], &end, 10);
        if (*end || end == ps->f[i + 1])
            return perr(ps, "bad number \"%s\" in N record", ps->f[i + 1]);
    }
    ps->have_n = true;
    return true;
}

/* Splits the NUL-terminated line at tabs into ps->f; then dispatches. */
static bool parse_line(struct parse *ps, char *line)
{
    if (line[0] == '#' || line[0] == '\0')
        return true;
    ps->nf = 0;
    for (char *p = line;;) {
        if (ps->nf == CATALOG_MAX_FIELDS)
            return perr(ps, "too many fields");
        ps->f[ps->nf++] = p;
        p = strchr(p, '\t');
        if (!p)
            break;
        *p++ = '\0';
    }
    if (ps->f[0][0] == '\0' || ps->f[0][1] != '\0')
        return perr(ps, "bad record kind \"%s\"", ps->f[0]);
    switch (ps->f[0][0]) {
    case 'V': case 'N': return rec_header(ps);
    case 'S': return rec_service(ps);
    case 'R': return rec_rtype(ps);
    case 'K': return rec_key(ps);
    case 'A': return rec_action(ps);
    case 'a': return rec_action_res(ps);
    default: return perr(ps, "unknown record kind \"%s\"", ps->f[0]);
    }
}

static bool check_totals(struct parse *ps)
{
    struct catalog *c = ps->c;
    if (!c->source || !ps->have_n)
        return perr(ps, "missing V or N record");
    if (ps->n[0] != c->nsvc || ps->n[1] != c->nact || ps->n[2] != c->nrt || ps->n[3] != c->nkey)
        return perr(ps, "totals %zu/%zu/%zu/%zu differ from the N record %lu/%lu/%lu/%lu",
                    c->nsvc, c->nact, c->nrt, c->nkey, ps->n[0], ps->n[1], ps->n[2], ps->n[3]);
    return true;
}

struct catalog *catalog_open_mem(const char *data, size_t len, char *err, size_t errsz)
{
    struct parse ps = { .err = err, .errsz = errsz };
    if (err && errsz)
        err[0] = '\0';
    if (len == SIZE_MAX || memchr(data, '\0', len) || memchr(data, '\r', len)) {
        perr(&ps, "NUL or CR byte in catalog data");
        return NULL;
    }
    ps.c = calloc(1, sizeof *ps.c);
    if (!ps.c || !(ps.c->buf = malloc(len + 1))) {
        perr(&ps, "out of memory");
        goto out_free;
    }
    memcpy(ps.c->buf, data, len);
    ps.c->buf[len] = '\0';
    for (char *line = ps.c->buf; *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        ps.line++;
        if (!parse_line(&ps, line))
            goto out_free;
        if (!nl)
            break;
        line = nl + 1;
    }
    if (!check_totals(&ps))
        goto out_free;
    for (size_t i = 0; i < ps.c->nact; i++) {
        size_t n = strlen(ps.c->svc[ps.c->act[i].service].prefix) + 1 + strlen(ps.c->act[i].name);
        if (n > ps.c->max_full_len)
            ps.c->max_full_len = n;
    }
    return ps.c;
out_free:
    catalog_free(ps.c);
    return NULL;
}

struct catalog *catalog_open(char *err, size_t errsz)
{
    return catalog_open_mem((const char *)catalog_data, catalog_data_len, err, errsz);
}

void catalog_free(struct catalog *c)
{
    if (!c)
        return;
    free(c->svc);
    free(c->act);
    free(c->rt);
    free(c->res);
    free(c->key);
    free(c->buf);
    free(c);
}

/* ---- queries ---------------------------------------------------------- */

const char *catalog_source(const struct catalog *c) { return c->source; }
const char *catalog_version(const struct catalog *c) { return c->version; }
const char *catalog_updated(const struct catalog *c) { return c->updated; }

const struct catalog_service *catalog_services(const struct catalog *c, size_t *n)
{
    *n = c->nsvc;
    return c->svc;
}

const struct catalog_action *catalog_actions(const struct catalog *c, size_t *n)
{
    *n = c->nact;
    return c->act;
}

const struct catalog_rtype *catalog_rtypes(const struct catalog *c, size_t *n)
{
    *n = c->nrt;
    return c->rt;
}

const struct catalog_action_res *catalog_action_res(const struct catalog *c, size_t *n)
{
    *n = c->nres;
    return c->res;
}

const struct catalog_key *catalog_keys(const struct catalog *c, size_t *n)
{
    *n = c->nkey;
    return c->key;
}

const struct catalog_service *catalog_service_find(const struct catalog *c,
                                                   const char *s, size_t len)
{
    size_t lo = 0, hi = c->nsvc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *p = c->svc[mid].prefix;
        int d = catalog_casecmp(p, strlen(p), s, len);
        if (d == 0)
            return &c->svc[mid];
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct catalog_action *catalog_service_action_find(const struct catalog *c,
                                                         const struct catalog_service *svc,
                                                         const char *name, size_t len)
{
    size_t lo = 0, hi = svc->action_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct catalog_action *a = &c->act[svc->action_first + mid];
        int d = catalog_casecmp(a->name, strlen(a->name), name, len);
        if (d == 0)
            return a;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct catalog_action *catalog_action_find(const struct catalog *c,
                                                 const char *s, size_t len)
{
    const char *colon = memchr(s, ':', len);
    if (!colon)
        return NULL;
    const struct catalog_service *svc = catalog_service_find(c, s, (size_t)(colon - s));
    if (!svc)
        return NULL;
    return catalog_service_action_find(c, svc, colon + 1, len - (size_t)(colon - s) - 1);
}

int catalog_embedded_version(char *buf, size_t n)
{
    const char *d = (const char *)catalog_data, *end = d + catalog_data_len;
    for (const char *p = d; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len > 2 && p[0] == 'V' && p[1] == '\t') {
            const char *f[3], *q = p + 2, *le = p + len;
            int k = 0;
            for (; k < 3 && q <= le; k++) {
                f[k] = q;
                const char *t = memchr(q, '\t', (size_t)(le - q));
                q = (t ? t : le) + 1;
            }
            if (k == 3 && f[2] < le) {
                snprintf(buf, n, "%.*s %.*s (%.*s)", (int)(f[1] - f[0] - 1), f[0],
                         (int)(f[2] - f[1] - 1), f[1], (int)(le - f[2]), f[2]);
                return 0;
            }
            break;
        }
        p += len + 1;
    }
    snprintf(buf, n, "unknown");
    return -1;
}
