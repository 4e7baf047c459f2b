/* validate_text.c - the string-level part of policy validation (see
 * validate.h): policy-variable syntax and placement, the character set, the
 * size quota, duplicate-name detection and the helpers every validator file
 * uses (allocation, message rendering).  Document and statement structure is
 * validate.c, the Condition block validate_cond.c.  The variable grammar
 * itself is var.c's (shared with condc). */
#include "validate_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "var.h"


/* ---- small helpers ---------------------------------------------------- */

void *validate_alloc(struct validate_ctx *v, size_t count, size_t size)
{
    void *p = arena_calloc(v->a, count ? count : 1, size);
    if (!p && !v->oom) {
        struct loc none = {v->file, 0, 0};
        v->oom = 1;
        VAL_ERR(v, "out-of-memory", none, "out of memory while validating the policy");
    }
    return p;
}

void validate_str(struct ir_str *out, const struct json *j)
{
    out->s = j->u.str.s;
    out->len = j->u.str.len;
    out->loc = j->loc;
}

int validate_casecmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i, n = alen < blen ? alen : blen;
    for (i = 0; i < n; i++) {
        int ca = (unsigned char)a[i], cb = (unsigned char)b[i];
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb)
            return ca - cb;
    }
    return alen < blen ? -1 : alen > blen;
}

const char *validate_show(char *buf, size_t cap, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, o = 0;
    if (cap < 8)
        return "";
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (o + 8 > cap || o >= 64) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (c >= 0x20 && c < 0x7f) {
            buf[o++] = (char)c;
        } else {
            buf[o++] = '\\';
            buf[o++] = 'x';
            buf[o++] = hex[c >> 4];
            buf[o++] = hex[c & 15];
        }
    }
    buf[o] = '\0';
    return buf;
}

/* ---- duplicate detection ---------------------------------------------- */

static int validate_cmp_exact(const void *x, const void *y)
{
    const struct validate_key *a = *(const struct validate_key *const *)x;
    const struct validate_key *b = *(const struct validate_key *const *)y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, n);
    if (c == 0)
        c = a->len < b->len ? -1 : a->len > b->len;
    return c ? c : (a < b ? -1 : a > b);
}

static int validate_cmp_nocase(const void *x, const void *y)
{
    const struct validate_key *a = *(const struct validate_key *const *)x;
    const struct validate_key *b = *(const struct validate_key *const *)y;
    int c = validate_casecmp(a->s, a->len, b->s, b->len);
    return c ? c : (a < b ? -1 : a > b);
}

void validate_dups(struct validate_ctx *v, const struct validate_key *k, size_t n, int nocase,
                   validate_dup_fn *fn)
{
    const struct validate_key **sorted;
    size_t *first, i, run = 0;

    if (n < 2)
        return;
    sorted = validate_alloc(v, n, sizeof *sorted);
    first = validate_alloc(v, n, sizeof *first);
    if (!sorted || !first)
        return;
    for (i = 0; i < n; i++) {
        sorted[i] = &k[i];
        first[i] = SIZE_MAX;
    }
    qsort(sorted, n, sizeof *sorted, nocase ? validate_cmp_nocase : validate_cmp_exact);
    for (i = 1; i < n; i++) {
        const struct validate_key *a = sorted[run], *b = sorted[i];
        int same = nocase ? validate_casecmp(a->s, a->len, b->s, b->len) == 0
                          : (a->len == b->len && memcmp(a->s, b->s, a->len) == 0);
        if (same)
            first[b - k] = (size_t)(a - k);
        else
            run = i;
    }
    for (i = 0; i < n; i++)
        if (first[i] != SIZE_MAX)
            fn(v, &k[i], &k[first[i]]);
}

/* ---- policy variables (iam-semantics.md §5) --------------------------- */

enum validate_var_err { VAR_OK, VAR_UNTERMINATED, VAR_EMPTY, VAR_SPACE, VAR_UNQUOTED, VAR_SYNTAX };

static size_t validate_var_resync(const char *s, size_t len, size_t from)
{
    const char *q = from < len ? memchr(s + from, '}', len - from) : NULL;
    return q ? (size_t)(q - s) + 1 : len;
}

/* Parses the variable at s[i] (which starts "${").  Sets *end just past it
 * (on error: past the next '}', or len).  Grammar: ${*} ${?} ${$} ${name}
 * ${name, 'default'} where name has no space, ',', '{', '}', '$' or quote. */
static enum validate_var_err validate_var_parse(const char *s, size_t len, size_t i, size_t *end)
{
    size_t j = i + 2, k;
    const char *q;

    if (j + 1 < len && (s[j] == '*' || s[j] == '?' || s[j] == '$') && s[j + 1] == '}') {
        *end = j + 2;
        return VAR_OK;
    }
    for (k = j; k < len; k++) {
        char c = s[k];
        if (c == '}' || c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\'' ||
            c == '{' || c == '$')
            break;
    }
    if (k == len) {
        *end = len;
        return VAR_UNTERMINATED;
    }
    if (s[k] == '}') {
        *end = k + 1;
        return k == j ? VAR_EMPTY : VAR_OK;
    }
    if (s[k] != ',') {
        *end = validate_var_resync(s, len, k);
        if (*end == len && s[len - 1] != '}')
            return VAR_UNTERMINATED;
        return (s[k] == '\'' || s[k] == '{' || s[k] == '$') ? VAR_SYNTAX : VAR_SPACE;
    }
    if (k == j) {
        *end = validate_var_resync(s, len, k);
        return VAR_EMPTY;
    }
    if (k + 2 < len && s[k + 1] == ' ' && s[k + 2] == '\'') {
        q = memchr(s + k + 3, '\'', len - (k + 3));
        if (!q) {
            *end = len;
            return VAR_UNTERMINATED;
        }
        if ((size_t)(q - s) + 1 == len) {
            *end = len;
            return VAR_UNTERMINATED;
        }
        if (q[1] == '}') {
            *end = (size_t)(q - s) + 2;
            return VAR_OK;
        }
        *end = validate_var_resync(s, len, (size_t)(q - s) + 1);
        return VAR_SYNTAX;
    }
    *end = validate_var_resync(s, len, k);
    if (*end == len && s[len - 1] != '}')
        return VAR_UNTERMINATED;
    return (k + 1 < len && s[k + 1] == '\'') ? VAR_SYNTAX : VAR_UNQUOTED;
}

size_t validate_var_end(const char *s, size_t len, size_t i)
{
    struct var_scan sc;
    struct var_tok t;

    var_scan_init(&sc, s, len);
    sc.pos = i;
    return var_next(&sc, &t) > 0 ? t.end : len;
}

/* Reports the syntax error var.h found at s[off] under the code that fits
 * it best (the classification is validate_var_parse's; the verdict and the
 * text are var.h's, so validation and condc agree on what is valid). */
static void validate_var_error(struct validate_ctx *v, const struct ir_str *str, size_t off, const char *msg)
{
    static const char *const codes[] = {"variable-syntax", "variable-unterminated", "variable-empty",
                                        "variable-space-in-name", "variable-default-unquoted",
                                        "variable-syntax"};
    char shown[VALIDATE_SHOW];
    size_t end;
    enum validate_var_err e = validate_var_parse(str->s, str->len, off, &end);

    validate_show(shown, sizeof shown, str->s + off, end - off);
    VAL_ERR(v, codes[e], str->loc, "malformed policy variable '%s': %s (expected ${key} or ${key, 'default'}; "
            "${$} is a literal '$')", shown, msg);
}

int validate_vars_syntax(struct validate_ctx *v, const struct ir_str *str, size_t from)
{
    const char *msg = NULL;
    size_t off = 0;

    if (v->version != IR_VERSION_2012 || !v->maybe_vars || from >= str->len ||
        !memchr(str->s + from, '$', str->len - from))
        return 0;
    if (var_check(str->s + from, str->len - from, &msg, &off) >= 0)
        return 0;
    validate_var_error(v, str, from + off, msg ? msg : "invalid syntax");
    return 1;
}

int validate_vars_forbidden(struct validate_ctx *v, const struct ir_str *s, const char *where)
{
    char shown[VALIDATE_SHOW];
    if (v->version != IR_VERSION_2012 || !v->maybe_vars || !memchr(s->s, '$', s->len) ||
        !var_present(s->s, s->len))
        return 0;
    VAL_ERR(v, "variable-not-allowed", s->loc,
            "policy variables are not allowed in %s ('%s'); they may stand only in the region, account and "
            "resource parts of Resource/NotResource and in String and Arn condition values",
            where, validate_show(shown, sizeof shown, s->s, s->len));
    return 1;
}

void validate_vars_literal(struct validate_ctx *v, const struct ir_str *s)
{
    char shown[VALIDATE_SHOW];
    if (v->version != IR_VERSION_NONE || v->warned_no_version || !v->maybe_vars || !memchr(s->s, '$', s->len) ||
        !var_present(s->s, s->len))
        return;
    v->warned_no_version = 1;
    diag_warning(v->d, "variable-without-version", s->loc,
                 "'%s' is literal text because the policy has no \"Version\"; policy variables need "
                 "\"Version\": \"2012-10-17\"", validate_show(shown, sizeof shown, s->s, s->len));
}

/* ---- character set and size (§1.3) ------------------------------------ */

/* Reports invalid-character when s holds a character outside tab, LF, CR and
 * U+0020-U+00FF (s is valid UTF-8, as the parser guarantees). */
static void validate_charset(struct validate_ctx *v, const char *s, size_t len, struct loc loc)
{
    size_t i = 0;

    /* fast path: 8 bytes at a time while all are printable ASCII (0x20-0x7f) */
    while (i + 8 <= len) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if ((x & 0x8080808080808080ull) || ((x - 0x2020202020202020ull) & ~x & 0x8080808080808080ull))
            break;
        i += 8;
    }
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned long cp;
        if (c >= 0x20 && c < 0xc4)
            continue;
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        cp = c;
        if (c >= 0xc4) {
            int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1, k;
            cp = c & (0x3f >> more);
            for (k = 1; k <= more && i + (size_t)k < len; k++)
                cp = (cp << 6) | ((unsigned char)s[i + (size_t)k] & 0x3f);
        }
        VAL_ERR(v, "invalid-character", loc,
                "character U+%04lX is not allowed in a policy (only tab, LF, CR and U+0020-U+00FF)", cp);
        return;
    }
}

/* Checks the character set of every string and member name in the tree,
 * iteratively (depth is bounded by the parser; deeper levels are skipped). */
void validate_charset_tree(struct validate_ctx *v, const struct json *root)
{
    struct { const struct json *j; size_t i; } st[2 * JSON_MAX_DEPTH + 4];
    size_t top = 0;

    if (root->type == JSON_STRING)
        validate_charset(v, root->u.str.s, root->u.str.len, root->loc);
    if (root->type != JSON_ARRAY && root->type != JSON_OBJECT)
        return;
    st[0].j = root;
    st[0].i = 0;
    for (;;) {
        const struct json *j = st[top].j, *child;
        if (j->type == JSON_ARRAY && st[top].i < j->u.arr.n) {
            child = j->u.arr.items[st[top].i++];
        } else if (j->type == JSON_OBJECT && st[top].i < j->u.obj.n) {
            const struct json_member *m = &j->u.obj.members[st[top].i++];
            validate_charset(v, m->key, m->key_len, m->key_loc);
            child = m->value;
        } else {
            if (top == 0)
                return;
            top--;
            continue;
        }
        if (child->type == JSON_STRING)
            validate_charset(v, child->u.str.s, child->u.str.len, child->loc);
        else if ((child->type == JSON_ARRAY || child->type == JSON_OBJECT) &&
                 top + 1 < VALIDATE_NELEM(st)) {
            st[++top].j = child;
            st[top].i = 0;
        }
    }
}

int validate_text_scan(const char *text, size_t len, int *dollar)
{
    size_t i = 0, k;
    int backslash = memchr(text, '\\', len) != NULL;

    *dollar = backslash || memchr(text, '$', len) != NULL;
    if (backslash)
        return 1;
    while (i + 8 <= len) {
        uint64_t x;
        memcpy(&x, text + i, 8);
        if (x & 0x8080808080808080ull)
            for (k = 0; k < 8; k++)
                if ((unsigned char)text[i + k] >= 0xc4)
                    return 1;
        i += 8;
    }
    for (; i < len; i++)
        if ((unsigned char)text[i] >= 0xc4)
            return 1;
    return 0;
}

size_t validate_policy_size(const char *text, size_t len)
{
    size_t i, n = 0;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        n += !(c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c & 0xc0) == 0x80);
    }
    return n;
}

int validate_check_size(struct diag *d, struct loc at, const char *text, size_t len, size_t max)
{
    size_t n;
    if (!max)
        return 0;
    n = validate_policy_size(text, len);
    if (n <= max)
        return 0;
    diag_warning(d, "policy-too-large", at,
                 "the policy has %zu characters without whitespace, more than the quota of %zu", n, max);
    return 1;
}

int validate_parse_size_limit(const char *arg, size_t *max)
{
    static const struct { const char *name; size_t n; } named[] = {
        {"managed", VALIDATE_SIZE_MANAGED}, {"user", VALIDATE_SIZE_USER_INLINE},
        {"group", VALIDATE_SIZE_GROUP_INLINE}, {"role", VALIDATE_SIZE_ROLE_INLINE}, {"off", 0}};
    size_t i, n = 0;
    for (i = 0; i < VALIDATE_NELEM(named); i++) {
        if (strcmp(arg, named[i].name) == 0) {
            *max = named[i].n;
            return 0;
        }
    }
    if (!*arg)
        return -1;
    for (i = 0; arg[i]; i++) {
        if (arg[i] < '0' || arg[i] > '9' || n > (SIZE_MAX - 9) / 10)
            return -1;
        n = n * 10 + (size_t)(arg[i] - '0');
    }
    *max = n;
    return 0;
}
