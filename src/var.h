/* var.h - the policy-variable syntax of iam-semantics.md §5: `${key}`,
 * `${key, 'default'}` and the fixed escapes `${*}`, `${?}`, `${$}`.  A pure
 * scanner over one string (no allocation): validate.c uses it to reject bad
 * syntax and misplaced variables, condc.c to compile values and resources
 * into templates.  It does not know where variables are allowed (that is the
 * caller's business) nor the Version rule (under 2008-10-17 or no Version the
 * caller must not scan at all: `${...}` is plain text there). */
#ifndef PDT_VAR_H
#define PDT_VAR_H

#include <stddef.h>

enum var_kind {
    VAR_TEXT,        /* literal text s[0..len) (may contain '*', '?', '\') */
    VAR_KEY,         /* a variable: key name s[0..len), optional default */
    VAR_LIT          /* a fixed escape: lit is '*', '?' or '$' (a literal character) */
};

struct var_tok {
    enum var_kind kind;
    const char *s;     /* TEXT: the text; KEY: the key name as written */
    size_t len;
    int has_def;       /* KEY: a default was given */
    const char *def;   /* KEY: default text (without quotes) */
    size_t def_len;
    char lit;          /* LIT: the literal character */
    size_t off;        /* byte offset of the token in the scanned string */
    size_t end;        /* byte offset just past the token */
};

struct var_scan {
    const char *s;     /* string being scanned (not owned) */
    size_t n;
    size_t pos;        /* next byte to scan */
    const char *err;   /* after -1: what is wrong (static text) */
    size_t err_off;    /* after -1: offset of the offending "${" */
};

void var_scan_init(struct var_scan *v, const char *s, size_t n);
/* Returns 1 and fills *t with the next token, 0 at the end, or -1 on a
 * syntax error (v->err, v->err_off): "${" without "}", "${}", a space or
 * other forbidden character in the key name ("{", "$", "'", ","), a default
 * that is not `, 'text'` (comma, one space, single-quoted). */
int var_next(struct var_scan *v, struct var_tok *t);

/* Nonzero when s[0..n) contains "${" (it may hold variables). */
int var_present(const char *s, size_t n);

/* Checks the whole string: returns the number of VAR_KEY tokens (escapes not
 * counted), or -1 with *msg and *off set on a syntax error. */
int var_check(const char *s, size_t n, const char **msg, size_t *off);

#endif
