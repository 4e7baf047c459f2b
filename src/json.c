/* json.c - the JSON tree (see json.h): node constructors called by the
 * grammar actions, packing of arrays and objects, duplicate-key detection,
 * lookup, and json_parse, which drives the scanner (grammar/json.l) and the
 * parser (grammar/json.y) over one JSON text.  Tokens, escapes and syntax
 * errors belong to the grammar files; IAM meaning belongs to src/validate. */
#include "json_build.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_INPUT ((size_t)INT_MAX - 16)  /* flex counts in int */
#define JSON_DUP_LINEAR 8                      /* objects up to this size: pairwise key check */

void json_ctx_error(struct json_ctx *ctx, const char *code, struct loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vreport(ctx->d, DIAG_ERROR, code, loc, fmt, ap);
    va_end(ap);
    ctx->errors++;
}

void json_ctx_oom(struct json_ctx *ctx, struct loc loc)
{
    json_ctx_error(ctx, "json-out-of-memory", loc, "out of memory while parsing");
}

struct json *json_scalar_new(struct json_ctx *ctx, enum json_type t, struct loc loc, struct json_text text)
{
    struct json *j = arena_alloc(ctx->a, sizeof *j);
    if (!j) {
        json_ctx_oom(ctx, loc);
        return NULL;
    }
    j->type = t;
    j->loc = loc;
    j->u.str.s = text.s;
    j->u.str.len = text.len;
    return j;
}

/* Grows a heap stack to hold one more element of size sz; -1 on failure. */
static int json_stack_reserve(void **items, size_t n, size_t *cap, size_t sz)
{
    size_t ncap;
    void *p;
    if (n < *cap)
        return 0;
    ncap = *cap ? *cap * 2 : 64;
    if (ncap > SIZE_MAX / sz)
        return -1;
    p = realloc(*items, ncap * sz);
    if (!p)
        return -1;
    *items = p;
    *cap = ncap;
    return 0;
}

int json_value_push(struct json_ctx *ctx, struct json *v)
{
    if (json_stack_reserve((void **)&ctx->vals, ctx->nvals, &ctx->cap_vals, sizeof *ctx->vals)) {
        json_ctx_oom(ctx, v->loc);
        return -1;
    }
    ctx->vals[ctx->nvals++] = v;
    return 0;
}

int json_member_push(struct json_ctx *ctx, struct json_text key, struct loc key_loc, struct json *v)
{
    struct json_member *m;
    if (json_stack_reserve((void **)&ctx->mems, ctx->nmems, &ctx->cap_mems, sizeof *ctx->mems)) {
        json_ctx_oom(ctx, key_loc);
        return -1;
    }
    m = &ctx->mems[ctx->nmems++];
    m->key = key.s;
    m->key_len = key.len;
    m->key_loc = key_loc;
    m->value = v;
    return 0;
}

struct json *json_array_close(struct json_ctx *ctx, size_t mark, struct loc loc)
{
    size_t n = ctx->nvals - mark;
    struct json *j = json_scalar_new(ctx, JSON_ARRAY, loc, (struct json_text){NULL, 0});
    if (!j)
        return NULL;
    if (n) {
        j->u.arr.items = arena_calloc(ctx->a, n, sizeof *j->u.arr.items);
        if (!j->u.arr.items) {
            json_ctx_oom(ctx, loc);
            return NULL;
        }
        memcpy(j->u.arr.items, ctx->vals + mark, n * sizeof *j->u.arr.items);
    }
    j->u.arr.n = n;
    ctx->nvals = mark;
    return j;
}

static void json_dup_report(struct json_ctx *ctx, const struct json_member *first, const struct json_member *again)
{
    json_ctx_error(ctx, "duplicate-key", again->key_loc,
                   "duplicate key \"%.*s%s\" in object (which value would count is ambiguous)",
                   again->key_len > 60 ? 60 : (int)again->key_len, again->key, again->key_len > 60 ? "..." : "");
    diag_note(ctx->d, first->key_loc, "\"%.*s%s\" first appears here",
              first->key_len > 60 ? 60 : (int)first->key_len, first->key, first->key_len > 60 ? "..." : "");
}

static int json_key_eq(const struct json_member *a, const struct json_member *b)
{
    return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}

/* FNV-1a over a decoded key. */
static size_t json_key_hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return (size_t)(h ^ (h >> 32));
}

/* Reports each key of m[0..n) that repeats an earlier one (error at the
 * repeat, note at the first).  Small objects compare pairwise; larger ones
 * use an open-addressing table from the arena, so the check is linear.
 * Returns -1 only when the table cannot be allocated (reported). */
static int json_check_dups(struct json_ctx *ctx, const struct json_member *m, size_t n)
{
    size_t i, k, cap, mask;
    const struct json_member **tab;

    if (n <= JSON_DUP_LINEAR) {
        for (i = 1; i < n; i++)
            for (k = 0; k < i; k++)
                if (json_key_eq(&m[k], &m[i])) {
                    json_dup_report(ctx, &m[k], &m[i]);
                    break;
                }
        return 0;
    }
    for (cap = 16; cap < n * 2; cap *= 2)
        ;
    mask = cap - 1;
    tab = arena_calloc(ctx->a, cap, sizeof *tab);
    if (!tab) {
        json_ctx_oom(ctx, m[0].key_loc);
        return -1;
    }
    for (i = 0; i < n; i++) {
        for (k = json_key_hash(m[i].key, m[i].key_len) & mask; tab[k]; k = (k + 1) & mask)
            if (json_key_eq(tab[k], &m[i]))
                break;
        if (tab[k])
            json_dup_report(ctx, tab[k], &m[i]);
        else
            tab[k] = &m[i];
    }
    return 0;
}

struct json *json_object_close(struct json_ctx *ctx, size_t mark, struct loc loc)
{
    size_t n = ctx->nmems - mark;
    struct json *j = json_scalar_new(ctx, JSON_OBJECT, loc, (struct json_text){NULL, 0});
    if (!j)
        return NULL;
    if (n) {
        j->u.obj.members = arena_calloc(ctx->a, n, sizeof *j->u.obj.members);
        if (!j->u.obj.members) {
            json_ctx_oom(ctx, loc);
            return NULL;
        }
        memcpy(j->u.obj.members, ctx->mems + mark, n * sizeof *j->u.obj.members);
        if (json_check_dups(ctx, j->u.obj.members, n))
            return NULL;
    }
    j->u.obj.n = n;
    ctx->nmems = mark;
    return j;
}

const struct json_member *json_get(const struct json *obj, const char *key)
{
    size_t i, n;
    if (!obj || obj->type != JSON_OBJECT || !key)
        return NULL;
    n = strlen(key);
    for (i = 0; i < obj->u.obj.n; i++) {
        const struct json_member *m = &obj->u.obj.members[i];
        if (m->key_len == n && memcmp(m->key, key, n) == 0)
            return m;
    }
    return NULL;
}

const char *json_type_name(enum json_type t)
{
    switch (t) {
    case JSON_NULL: return "null";
    case JSON_FALSE: case JSON_TRUE: return "boolean";
    case JSON_NUMBER: return "number";
    case JSON_STRING: return "string";
    case JSON_ARRAY: return "array";
    case JSON_OBJECT: return "object";
    }
    return "unknown";
}

/* Refuses what is wrong before any token: a byte order mark, oversize input. */
static int json_precheck(struct json_ctx *ctx)
{
    struct loc at = {ctx->file, ctx->line, 1};
    if (ctx->len >= 3 && memcmp(ctx->buf, "\xEF\xBB\xBF", 3) == 0) {
        json_ctx_error(ctx, "json-bom", at,
                       "the input starts with a UTF-8 byte order mark (EF BB BF); "
                       "JSON texts must not begin with one (RFC 8259 section 8.1): remove it");
        return -1;
    }
    if (ctx->len > JSON_MAX_INPUT) {
        json_ctx_error(ctx, "json-too-large", at, "input of %zu bytes exceeds the parser's limit of %zu bytes",
                       ctx->len, JSON_MAX_INPUT);
        return -1;
    }
    return 0;
}

struct json *json_parse(struct arena *a, struct diag *d, const char *file,
                        const char *buf, size_t len, unsigned first_line)
{
    struct json_ctx ctx;
    void *scanner = NULL;
    int rc = 1;

    memset(&ctx, 0, sizeof ctx);
    ctx.a = a;
    ctx.d = d;
    ctx.file = file;
    ctx.buf = buf ? buf : "";
    ctx.len = buf ? len : 0;
    ctx.first_line = ctx.line = first_line ? first_line : 1;
    ctx.col = 1;
    if (json_precheck(&ctx) == 0 && json_lex_open(&ctx, &scanner) == 0) {
        rc = json_yyparse(scanner, &ctx);
        json_lex_close(&ctx, scanner);
    }
    free(ctx.sb);
    free(ctx.vals);
    free(ctx.mems);
    if (rc != 0 && ctx.errors == 0) /* cannot happen: every failure path reports */
        json_ctx_error(&ctx, "json-syntax", (struct loc){file, ctx.line, ctx.col}, "invalid JSON");
    return rc == 0 && ctx.errors == 0 ? ctx.root : NULL;
}
