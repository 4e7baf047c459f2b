/* request.c - JSON Lines request records and command-line contexts (see
 * request.h).  Owns the request-line schema and its error texts; the JSON
 * syntax itself is json.c's, and deciding is the runtime's. */
#include "request.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* printf into the arena; never NULL (falls back to a static text). */
static const char *request_fmt(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static const char *request_fmt(struct arena *a, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    const char *s;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    s = arena_strndup(a, tmp, strlen(tmp));
    return s ? s : "out of memory";
}

int request_next_line(const char *buf, size_t len, size_t *pos, unsigned *lineno,
                      const char **line, size_t *line_len)
{
    const char *p, *nl;
    size_t n;
    if (*pos >= len)
        return 0;
    p = buf + *pos;
    nl = memchr(p, '\n', len - *pos);
    n = nl ? (size_t)(nl - p) : len - *pos;
    *pos += n + (nl ? 1 : 0);
    (*lineno)++;
    if (n > 0 && p[n - 1] == '\r')
        n--;
    *line = p;
    *line_len = n;
    return 1;
}

int request_blank(const char *text, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r' && text[i] != '\n')
            return 0;
    return 1;
}

/* Diagnostic sink that keeps the first error as "LINE:COL: message [code]". */
struct request_sink {
    struct arena *a;
    const char *first;  /* first error text, arena */
};

static void request_sink_fn(void *arg, const struct diag_record *r)
{
    struct request_sink *s = arg;
    if (s->first || r->level != DIAG_ERROR)
        return;
    s->first = request_fmt(s->a, "%u:%u: %s%s%s%s", (unsigned)r->loc.line, (unsigned)r->loc.col,
                           r->message, r->code ? " [" : "", r->code ? r->code : "",
                           r->code ? "]" : "");
}

int request_parse_line(struct arena *a, const char *file, const char *text, size_t len,
                       unsigned lineno, const char *const *extra, struct request_line *out)
{
    struct diag d;
    struct request_sink sink = {a, NULL};
    struct json *root;

    memset(out, 0, sizeof *out);
    out->line = lineno;
    if (len > REQUEST_LINE_MAX) {
        out->error = request_fmt(a, "line longer than %u bytes", REQUEST_LINE_MAX);
        return -1;
    }
    diag_init(&d, NULL);
    d.sink = request_sink_fn;
    d.sink_arg = &sink;
    d.max_errors = 1;
    root = json_parse(a, &d, file, text, len, lineno);
    diag_fini(&d);
    if (!root) {
        out->error = sink.first ? sink.first : "malformed JSON";
        return -1;
    }
    return request_from_json(a, root, extra, out);
}

/* Nonzero when name is one of the NULL-terminated list. */
static int request_in(const char *const *list, const char *name)
{
    for (; list && *list; list++)
        if (strcmp(*list, name) == 0)
            return 1;
    return 0;
}

/* A JSON string as a C string: refused when it holds a NUL byte. */
static int request_cstr(const struct json *v, const char **s)
{
    if (!v || v->type != JSON_STRING || strlen(v->u.str.s) != v->u.str.len)
        return -1;
    *s = v->u.str.s;
    return 0;
}

int request_from_json(struct arena *a, const struct json *obj, const char *const *extra,
                      struct request_line *out)
{
    static const char *const known[] = {"id", "action", "resource", "context", NULL};
    const struct json_member *m;
    struct request_ctx c = {NULL, 0, 0};
    size_t i;

    out->root = obj;
    out->error = NULL;
    if (!obj || obj->type != JSON_OBJECT) {
        out->error = "a request must be a JSON object";
        return -1;
    }
    if ((m = json_get(obj, "id")))
        out->id = m->value;
    for (i = 0; i < obj->u.obj.n; i++) {
        const char *k = obj->u.obj.members[i].key;
        if (strlen(k) != obj->u.obj.members[i].key_len || (!request_in(known, k) && !request_in(extra, k))) {
            out->error = request_fmt(a, "unknown member \"%.100s\" in request", k);
            return -1;
        }
    }
    m = json_get(obj, "action");
    if (!m || request_cstr(m->value, &out->req.action) < 0) {
        out->error = m ? "\"action\" must be a string without NUL bytes" : "missing \"action\"";
        return -1;
    }
    m = json_get(obj, "resource");
    if (!m || request_cstr(m->value, &out->req.resource) < 0) {
        out->error = m ? "\"resource\" must be a string without NUL bytes" : "missing \"resource\"";
        return -1;
    }
    m = json_get(obj, "context");
    if (m && request_ctx_add_json(a, &c, m->value, &out->error) < 0)
        return -1;
    if (request_check_keys(a, c.kv, c.n, &out->error) < 0)
        return -1;
    out->req.context = c.kv;
    out->req.ncontext = c.n;
    return 0;
}

/* Makes room for one more entry in c. */
static int request_ctx_reserve(struct arena *a, struct request_ctx *c)
{
    struct pdt_kv *kv;
    size_t ncap;
    if (c->n < c->cap)
        return 0;
    ncap = c->cap ? c->cap * 2 : 8;
    kv = arena_grow(a, c->kv, c->n, ncap, sizeof *kv);
    if (!kv)
        return -1;
    c->kv = kv;
    c->cap = ncap;
    return 0;
}

/* The text of one context value: string (no NUL), number or boolean. */
static const char *request_value_text(const struct json *v)
{
    switch (v->type) {
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NUMBER: return v->u.str.s;
    case JSON_STRING: return strlen(v->u.str.s) == v->u.str.len ? v->u.str.s : NULL;
    default: return NULL;
    }
}

/* Adds key -> v (a scalar or an array of scalars) to c. */
static int request_ctx_add_member(struct arena *a, struct request_ctx *c, const struct json_member *m,
                                  const char **err)
{
    const struct json *v = m->value;
    const char **vals;
    size_t i, n = v->type == JSON_ARRAY ? v->u.arr.n : 1;

    if (strlen(m->key) != m->key_len) {
        *err = "a context key must not hold a NUL byte";
        return -1;
    }
    if (request_ctx_reserve(a, c) < 0 || !(vals = arena_calloc(a, n ? n : 1, sizeof *vals))) {
        *err = "out of memory";
        return -1;
    }
    for (i = 0; i < n; i++) {
        const struct json *e = v->type == JSON_ARRAY ? v->u.arr.items[i] : v;
        if (!(vals[i] = request_value_text(e))) {
            *err = request_fmt(a, "context key \"%.100s\": %s %s", m->key,
                               v->type == JSON_ARRAY ? "a list element must be a string, number or boolean, not"
                                                     : "a value must be a string, number, boolean or list, not",
                               e->type == JSON_STRING ? "a string with a NUL byte" : json_type_name(e->type));
            return -1;
        }
    }
    c->kv[c->n].key = m->key;
    c->kv[c->n].values = vals;
    c->kv[c->n].nvalues = n;
    c->kv[c->n].multi = v->type == JSON_ARRAY;
    c->n++;
    return 0;
}

int request_ctx_add_json(struct arena *a, struct request_ctx *c, const struct json *obj,
                         const char **err)
{
    size_t i;
    if (!obj || obj->type != JSON_OBJECT) {
        *err = "\"context\" must be a JSON object";
        return -1;
    }
    for (i = 0; i < obj->u.obj.n; i++)
        if (request_ctx_add_member(a, c, &obj->u.obj.members[i], err) < 0)
            return -1;
    return 0;
}

int request_ctx_add(struct arena *a, struct request_ctx *c, const char *key, const char *value,
                    const char **err)
{
    const char **vals;
    if (request_ctx_reserve(a, c) < 0 || !(vals = arena_alloc(a, sizeof *vals))) {
        *err = "out of memory";
        return -1;
    }
    vals[0] = value;
    c->kv[c->n].key = key;
    c->kv[c->n].values = vals;
    c->kv[c->n].nvalues = 1;
    c->kv[c->n].multi = 0;
    c->n++;
    return 0;
}

static int request_keycmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int request_check_keys(struct arena *a, const struct pdt_kv *kv, size_t n, const char **err)
{
    char **low;
    size_t i, j;

    if (n < 2)
        return 0;
    if (!(low = arena_calloc(a, n, sizeof *low))) {
        *err = "out of memory";
        return -1;
    }
    for (i = 0; i < n; i++) {
        size_t len = strlen(kv[i].key);
        if (!(low[i] = arena_strndup(a, kv[i].key, len))) {
            *err = "out of memory";
            return -1;
        }
        for (j = 0; j < len; j++)
            if (low[i][j] >= 'A' && low[i][j] <= 'Z')
                low[i][j] = (char)(low[i][j] - 'A' + 'a');
    }
    qsort(low, n, sizeof *low, request_keycmp);
    for (i = 1; i < n; i++) {
        if (strcmp(low[i - 1], low[i]) == 0) {
            *err = request_fmt(a, "context keys equal ignoring case: \"%.100s\" appears twice", low[i]);
            return -1;
        }
    }
    return 0;
}

int request_ctx_from_args(struct arena *a, const char *cmd, char *const *args, size_t n,
                          const char *json, struct request_ctx *c, const char **err)
{
    size_t i;
    *err = NULL;
    for (i = 0; i < n && !*err; i++) {
        const char *eq = strchr(args[i], '=');
        char *key = eq ? arena_strndup(a, args[i], (size_t)(eq - args[i])) : NULL;
        if (!key)
            *err = "out of memory";
        else
            request_ctx_add(a, c, key, eq + 1, err);
    }
    if (!*err && json) {
        struct diag d;
        struct json *j;
        diag_init(&d, stderr);
        diag_add_source(&d, "--context-json", json, strlen(json));
        j = json_parse(a, &d, "--context-json", json, strlen(json), 1);
        diag_fini(&d);
        if (!j)
            return CLI_USAGE;
        if (request_ctx_add_json(a, c, j, err) < 0) {
            fprintf(stderr, "%s: error: --context-json: %s\n", cmd, *err);
            return CLI_USAGE;
        }
    }
    if (!*err)
        request_check_keys(a, c->kv, c->n, err);
    return *err ? CLI_REFUSED : CLI_OK;
}
