/* catalog_match.c - queries over a parsed catalog that go beyond lookup:
 * IAM action-pattern matching (glob with '*' and '?'), condition-key
 * matching with ${...}/<...> placeholders, level and type names, and the
 * comma-list iterator.  Parsing and exact lookups live in catalog.c. */
#include "catalog.h"
#include "catalog_int.h"

#include <stdio.h>
#include <string.h>

bool catalog_glob(const char *p, size_t plen, const char *s, size_t slen, bool nocase)
{
    size_t pi = 0, si = 0;
    size_t star = SIZE_MAX;  /* pattern index just after the last '*' seen */
    size_t mark = 0;         /* text index that '*' is currently extended to */
    while (si < slen) {
        if (pi < plen && p[pi] == '*') {
            star = ++pi;
            mark = si;
        } else if (pi < plen && (p[pi] == '?' || p[pi] == s[si] ||
                                 (nocase && catalog_lower((unsigned char)p[pi]) ==
                                                catalog_lower((unsigned char)s[si])))) {
            pi++;
            si++;
        } else if (star != SIZE_MAX) {
            pi = star;
            si = ++mark;
        } else {
            return false;
        }
    }
    while (pi < plen && p[pi] == '*')
        pi++;
    return pi == plen;
}

/* Sets bits [lo, hi) of set. */
static void set_range(uint64_t *set, size_t lo, size_t hi)
{
    while (lo < hi) {
        if (lo % 64 == 0 && hi - lo >= 64) {
            set[lo / 64] = ~(uint64_t)0;
            lo += 64;
        } else {
            set[lo / 64] |= (uint64_t)1 << (lo % 64);
            lo++;
        }
    }
}

/* Reports actions [lo, hi) of c as matches: through set (a bit each) and/or fn. */
static void report_range(const struct catalog *c, size_t lo, size_t hi, catalog_match_fn *fn,
                         void *arg, uint64_t *set)
{
    if (set)
        set_range(set, lo, hi);
    for (size_t i = lo; fn && i < hi; i++)
        fn(arg, &c->act[i]);
}

/* Copies p[0..len) into buf with runs of '*' collapsed (same language).
 * Returns the new length, or SIZE_MAX when the pattern has more literal
 * characters than the longest "prefix:Name" (so it matches nothing). */
static size_t normalize(const struct catalog *c, const char *p, size_t len, char *buf, size_t bufsz)
{
    size_t n = 0, lit = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '*' && n && buf[n - 1] == '*')
            continue;
        if (n == bufsz || (p[i] != '*' && ++lit > c->max_full_len))
            return SIZE_MAX;
        buf[n++] = p[i];
    }
    return n;
}

/* catalog_match and catalog_match_set: matches go to fn and/or set.  Whole
 * services and "*" are reported as ranges, without a glob per action. */
static size_t match(const struct catalog *c, const char *p0, size_t len0, catalog_match_fn *fn,
                    void *arg, uint64_t *set)
{
    char p[2 * CATALOG_MAX_NAME];  /* the normalised pattern */
    size_t len = normalize(c, p0, len0, p, sizeof p), count = 0;
    if (len == SIZE_MAX || len == 0)
        return 0;
    if (len == 1 && p[0] == '*') {
        report_range(c, 0, c->nact, fn, arg, set);
        return c->nact;
    }
    const char *colon = memchr(p, ':', len);
    size_t plen = colon ? (size_t)(colon - p) : 0;
    if (colon && !memchr(p, '*', plen) && !memchr(p, '?', plen)) {
        /* Literal service prefix: match only the action part, in that service. */
        const struct catalog_service *svc = catalog_service_find(c, p, plen);
        if (!svc)
            return 0;
        if (len - plen == 2 && colon[1] == '*') {
            report_range(c, svc->action_first, svc->action_first + svc->action_count, fn, arg, set);
            return svc->action_count;
        }
        for (uint32_t i = svc->action_first; i < svc->action_first + svc->action_count; i++) {
            if (catalog_glob(colon + 1, len - plen - 1, c->act[i].name, strlen(c->act[i].name), true)) {
                count++;
                report_range(c, i, i + 1, fn, arg, set);
            }
        }
        return count;
    }
    char full[CATALOG_MAX_NAME];  /* "prefix:Name" */
    for (size_t i = 0; i < c->nact; i++) {
        const char *pre = c->svc[c->act[i].service].prefix, *name = c->act[i].name;
        size_t a = strlen(pre), b = strlen(name);
        if (a + 1 + b > sizeof full)
            continue;
        memcpy(full, pre, a);
        full[a] = ':';
        memcpy(full + a + 1, name, b);
        if (catalog_glob(p, len, full, a + 1 + b, true)) {
            count++;
            report_range(c, i, i + 1, fn, arg, set);
        }
    }
    return count;
}

size_t catalog_match(const struct catalog *c, const char *p, size_t len,
                     catalog_match_fn *fn, void *arg)
{
    return match(c, p, len, fn, arg, NULL);
}

const char *catalog_level_name(enum catalog_level level)
{
    static const char *const names[CATALOG_LEVEL_COUNT] = {
        "List", "Read", "Write", "Tagging", "Permissions management",
    };
    return (unsigned)level < CATALOG_LEVEL_COUNT ? names[level] : "?";
}

const char *catalog_key_type_name(const struct catalog_key *k)
{
    static const char *const names[][2] = {
        [CATALOG_KEY_STRING] = { "String", "ArrayOfString" },
        [CATALOG_KEY_ARN] = { "ARN", "ArrayOfARN" },
        [CATALOG_KEY_BOOL] = { "Bool", "ArrayOfBool" },
        [CATALOG_KEY_NUMERIC] = { "Numeric", "ArrayOfNumeric" },
        [CATALOG_KEY_DATE] = { "Date", "ArrayOfDate" },
        [CATALOG_KEY_IPADDRESS] = { "IPAddress", "ArrayOfIPAddress" },
        [CATALOG_KEY_BINARY] = { "Binary", "ArrayOfBinary" },
    };
    if ((unsigned)k->type >= sizeof names / sizeof names[0])
        return "?";
    return names[k->type][k->array];
}

/* If p[i] starts a placeholder "${...}", "<...>" or a final "/tag-key",
 * returns the index just past it; otherwise returns i. */
static size_t placeholder_end(const char *p, size_t i, size_t plen)
{
    char close;
    size_t j;
    if (p[i] == '$' && i + 1 < plen && p[i + 1] == '{') {
        close = '}';
        j = i + 2;
    } else if (p[i] == '<') {
        close = '>';
        j = i + 1;
    } else if (i > 0 && p[i - 1] == '/' && plen - i == 7 && memcmp(p + i, "tag-key", 7) == 0) {
        return plen;  /* "secretsmanager:ResourceTag/tag-key" spells its placeholder so */
    } else {
        return i;
    }
    for (; j < plen; j++)
        if (p[j] == close)
            return j + 1;
    return i;
}

/* Case-insensitive match of key s[0..slen) against catalog key pattern
 * p[0..plen), where each placeholder matches one or more characters. */
static bool key_match(const char *p, size_t plen, const char *s, size_t slen)
{
    size_t pi = 0, si = 0;
    size_t star = SIZE_MAX, mark = 0;  /* as in catalog_glob */
    while (pi < plen || si < slen) {
        size_t end = pi < plen ? placeholder_end(p, pi, plen) : pi;
        if (end != pi && si < slen) {
            star = pi = end;
            mark = ++si;  /* a placeholder eats at least one character */
            continue;
        }
        if (end == pi && pi < plen && si < slen &&
            catalog_lower((unsigned char)p[pi]) == catalog_lower((unsigned char)s[si])) {
            pi++;
            si++;
            continue;
        }
        if (star == SIZE_MAX || mark >= slen)
            return false;
        pi = star;
        si = ++mark;
    }
    return true;
}

/* True if some item of the comma-joined list matches key name[0..len). */
static bool list_has_key(const char *list, const char *name, size_t len)
{
    const char *item;
    size_t n;
    while (catalog_list_next(&list, &item, &n))
        if (key_match(item, n, name, len))
            return true;
    return false;
}

const struct catalog_key *catalog_key_find(const struct catalog *c, const char *name, size_t len)
{
    const char *colon = memchr(name, ':', len);
    if (!colon)
        return NULL;
    const struct catalog_service *svc = catalog_service_find(c, name, (size_t)(colon - name));
    if (!svc)
        return NULL;
    for (uint32_t i = 0; i < svc->key_count; i++) {
        const struct catalog_key *k = &c->key[svc->key_first + i];
        if (key_match(k->name, strlen(k->name), name, len))
            return k;
    }
    return NULL;
}

bool catalog_action_has_key(const struct catalog *c, const struct catalog_action *a,
                            const char *name, size_t len)
{
    if (list_has_key(a->keys, name, len))
        return true;
    for (uint32_t i = 0; i < a->res_count; i++) {
        const struct catalog_action_res *r = &c->res[a->res_first + i];
        if (list_has_key(r->keys, name, len) || list_has_key(c->rt[r->rtype].keys, name, len))
            return true;
    }
    return false;
}

bool catalog_list_next(const char **list, const char **item, size_t *item_len)
{
    const char *p = *list;
    if (!p || !*p)
        return false;
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    *item = p;
    *item_len = n;
    *list = comma ? comma + 1 : p + n;
    return true;
}

size_t catalog_set_words(const struct catalog *c)
{
    return (c->nact + 63) / 64;
}

size_t catalog_match_set(const struct catalog *c, const char *p, size_t len, uint64_t *bits)
{
    return match(c, p, len, NULL, NULL, bits);
}
