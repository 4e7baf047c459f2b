/* var.c - scanner for the policy-variable syntax (see var.h). */
#include "var.h"

#include <string.h>

void var_scan_init(struct var_scan *v, const char *s, size_t n)
{
    v->s = s;
    v->n = n;
    v->pos = 0;
    v->err = NULL;
    v->err_off = 0;
}

int var_present(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i + 1 < n; i++)
        if (s[i] == '$' && s[i + 1] == '{')
            return 1;
    return 0;
}

static int var_fail(struct var_scan *v, size_t off, const char *msg)
{
    v->err = msg;
    v->err_off = off;
    v->pos = v->n;
    return -1;
}

static int key_byte_ok(char c)
{
    return c != ' ' && c != '\t' && c != '{' && c != '}' && c != '$' && c != '\'' && c != ',' &&
           (unsigned char)c >= 0x20;
}

/* Scans the variable starting at v->s[st] == '$', v->s[st+1] == '{'. */
static int var_scan_var(struct var_scan *v, size_t st, struct var_tok *t)
{
    const char *s = v->s;
    size_t n = v->n, i = st + 2, k;

    memset(t, 0, sizeof *t);
    t->off = st;
    if (n - i >= 2 && s[i + 1] == '}' && (s[i] == '*' || s[i] == '?' || s[i] == '$')) {
        t->kind = VAR_LIT;
        t->lit = s[i];
        t->end = v->pos = i + 2;
        return 1;
    }
    k = i;
    while (i < n && key_byte_ok(s[i]))
        i++;
    if (i == n)
        return var_fail(v, st, "'${' without a closing '}'");
    if (i == k)
        return var_fail(v, st, s[i] == '}' ? "empty variable name '${}'" : "invalid character in a variable name");
    t->kind = VAR_KEY;
    t->s = s + k;
    t->len = i - k;
    if (s[i] == ',') {
        size_t d;
        if (n - i < 3 || s[i + 1] != ' ' || s[i + 2] != '\'')
            return var_fail(v, st, "a variable default must be written \", 'text'\"");
        d = i + 3;
        for (i = d; i < n && s[i] != '\''; i++)
            ;
        if (i == n)
            return var_fail(v, st, "unterminated quoted default in a variable");
        t->has_def = 1;
        t->def = s + d;
        t->def_len = i - d;
        i++;
        if (i == n)
            return var_fail(v, st, "'${' without a closing '}'");
    }
    if (s[i] != '}')
        return var_fail(v, st, s[i] == ' ' ? "space in a variable name" : "invalid character in a variable name");
    t->end = v->pos = i + 1;
    return 1;
}

int var_next(struct var_scan *v, struct var_tok *t)
{
    size_t st = v->pos, i;

    if (st >= v->n)
        return 0;
    if (v->n - st >= 2 && v->s[st] == '$' && v->s[st + 1] == '{')
        return var_scan_var(v, st, t);
    for (i = st; i < v->n; i++)
        if (v->s[i] == '$' && i + 1 < v->n && v->s[i + 1] == '{')
            break;
    memset(t, 0, sizeof *t);
    t->kind = VAR_TEXT;
    t->s = v->s + st;
    t->len = i - st;
    t->off = st;
    t->end = v->pos = i;
    return 1;
}

int var_check(const char *s, size_t n, const char **msg, size_t *off)
{
    struct var_scan v;
    struct var_tok t;
    int r, count = 0;

    var_scan_init(&v, s, n);
    while ((r = var_next(&v, &t)) > 0)
        if (t.kind == VAR_KEY)
            count++;
    if (r < 0) {
        *msg = v.err;
        *off = v.err_off;
        return -1;
    }
    return count;
}
