/* validate_int.h - private to the validator (validate.c, validate_text.c,
 * validate_cond.c): the state of one validation run and the helpers the
 * files share.  Nothing outside the validator includes it. */
#ifndef PDT_VALIDATE_INT_H
#define PDT_VALIDATE_INT_H

#include <stddef.h>

#include "validate.h"

#define VALIDATE_NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct validate_ctx {
    struct arena *a;           /* IR memory */
    struct diag *d;            /* where problems go */
    const char *file;          /* file name for locations without a node */
    enum ir_version version;   /* the policy's Version (variables only under 2012) */
    int oom;                   /* an allocation failed (reported once) */
    int warned_no_version;     /* A21 warning already given for this policy */
    int maybe_vars;            /* 0: the source text has no '$' (nor escapes), skip variable checks */
};

/* Reports an error at loc (printf-style message). */
#define VAL_ERR(v, code, loc, ...) diag_error((v)->d, (code), (loc), __VA_ARGS__)

/* Allocates count*size zeroed bytes from the run's arena; on failure reports
 * out-of-memory once and returns NULL. */
void *validate_alloc(struct validate_ctx *v, size_t count, size_t size);

/* Fills an IR string from a JSON string node. */
void validate_str(struct ir_str *out, const struct json *j);

/* Checks the policy-variable syntax (var.h) of s from byte `from` on, under
 * Version 2012-10-17 only, and reports the first malformed variable
 * (variable-unterminated, variable-empty, variable-space-in-name,
 * variable-default-unquoted, variable-syntax).  Returns 1 when it reported. */
int validate_vars_syntax(struct validate_ctx *v, const struct ir_str *s, size_t from);

/* Reports variable-not-allowed when s contains "${" under Version 2012-10-17
 * (where: the element named in the message).  Returns 1 when it reported. */
int validate_vars_forbidden(struct validate_ctx *v, const struct ir_str *s, const char *where);

/* Under an absent Version, warns once per policy (A21) when s contains "${". */
void validate_vars_literal(struct validate_ctx *v, const struct ir_str *s);

/* Index just past the ${...} unit starting at s[i] ("${"); len when it is
 * unterminated. */
size_t validate_var_end(const char *s, size_t len, size_t i);

/* Checks the character set (§1.3) of every string and member name in the
 * tree, reporting invalid-character once per string. */
void validate_charset_tree(struct validate_ctx *v, const struct json *root);

/* Quick look at the source text of the tree: returns 1 when text[0..len)
 * may hold a character outside the policy character set (a byte that starts
 * a code point >= U+0100, or a backslash escape), so the tree must be walked;
 * *dollar is set when the text contains '$' or a backslash. */
int validate_text_scan(const char *text, size_t len, int *dollar);

/* "a string", "an object", ... for messages. */
const char *validate_type_name(enum json_type t);

/* Condition block of one statement (validate_cond.c): checks `cond` (the
 * value of the Condition member) and fills st->conds / st->nconds. */
void validate_condition(struct validate_ctx *v, const struct json *cond, struct ir_statement *st);

/* Renders s[0..len) for a message into buf[0..cap): at most about 64 bytes,
 * control and non-ASCII bytes as \xNN, "..." when cut.  Returns buf. */
#define VALIDATE_SHOW 96
const char *validate_show(char *buf, size_t cap, const char *s, size_t len);

/* Finding repeated names (Sids, condition keys) without quadratic time. */
struct validate_key {
    const char *s;      /* the name */
    size_t len;
    struct loc loc;     /* where it is written */
};
typedef void validate_dup_fn(struct validate_ctx *v, const struct validate_key *dup,
                             const struct validate_key *first);
/* Calls fn, in source order, for every k[i] equal (ASCII case-insensitively
 * when nocase) to an earlier k[j], passing that first occurrence. */
void validate_dups(struct validate_ctx *v, const struct validate_key *k, size_t n, int nocase,
                   validate_dup_fn *fn);

/* ASCII case-insensitive comparison of a[0..alen) and b[0..blen), like memcmp. */
int validate_casecmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
