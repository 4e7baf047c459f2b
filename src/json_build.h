/* json_build.h - private interface of the json module: the parse context
 * shared by the scanner (grammar/json.l), the parser (grammar/json.y) and
 * the tree constructors and driver in src/json.c.  Nothing outside those
 * three files includes it; the public API is json.h. */
#ifndef PDT_JSON_BUILD_H
#define PDT_JSON_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"

/* A token's text: a decoded string or a number literal, in the arena. */
struct json_text {
    const char *s;
    size_t len;
};

/* One parse of one JSON text.  Lives on json_parse's stack. */
struct json_ctx {
    struct arena *a;
    struct diag *d;
    const char *file;            /* name for diagnostics */
    const char *buf;             /* the input, for looking around a bad byte */
    size_t len;
    char *scan_copy;             /* the scanner's copy of buf plus two NULs (heap) */
    unsigned errors;             /* errors this parse reported */
    int lex_failed;              /* the scanner reported an error: parser stays quiet */
    struct json *root;           /* the top-level value once parsed */

    /* scanner position */
    uint32_t first_line;         /* line number of buf's first line */
    uint32_t line, col;          /* position of the next byte */
    uint32_t end_line, end_col;  /* just after the last token returned */
    size_t off;                  /* offset of the next byte */
    uint32_t tok_line, tok_col;  /* start of the current flex match */
    size_t tok_off;
    struct loc str_loc;          /* opening quote of the string being scanned */
    char *sb;                    /* decode buffer for strings with escapes (heap) */
    size_t sb_len, sb_cap;

    /* nesting, tracked by the scanner */
    unsigned depth;                    /* open brackets */
    struct loc open[JSON_MAX_DEPTH];   /* where each open bracket is */
    char open_kind[JSON_MAX_DEPTH];    /* '{' or '[' */
    int value_done;                    /* a complete top-level value was scanned */

    /* the last two tokens returned, for syntax-error messages */
    int cur_kind, prev_kind;     /* token kinds; 0 = none yet / end of input */
    struct loc cur_loc, prev_loc;
    struct json_text cur_text;   /* text of cur (strings, numbers) */
    int any_token;               /* a token other than end of input was returned */

    /* element stacks: items of open arrays/objects, packed when they close */
    struct json **vals;          /* heap */
    size_t nvals, cap_vals;
    struct json_member *mems;    /* heap */
    size_t nmems, cap_mems;
};

/* Reports an error with a json-* code (or duplicate-key) and counts it. */
void json_ctx_error(struct json_ctx *ctx, const char *code, struct loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Reports running out of memory (json-out-of-memory) at loc. */
void json_ctx_oom(struct json_ctx *ctx, struct loc loc);

/* Tree constructors used by grammar actions.  Each returns NULL / -1 after
 * reporting json-out-of-memory. */
struct json *json_scalar_new(struct json_ctx *ctx, enum json_type t, struct loc loc, struct json_text text);
int json_value_push(struct json_ctx *ctx, struct json *v);
int json_member_push(struct json_ctx *ctx, struct json_text key, struct loc key_loc, struct json *v);
/* Packs the items pushed since mark into a new array/object node at loc and
 * pops them.  json_object_close also reports duplicate keys. */
struct json *json_array_close(struct json_ctx *ctx, size_t mark, struct loc loc);
struct json *json_object_close(struct json_ctx *ctx, size_t mark, struct loc loc);

/* Scanner lifecycle (grammar/json.l): scans ctx->buf[0..ctx->len). */
int json_lex_open(struct json_ctx *ctx, void **scanner);
void json_lex_close(struct json_ctx *ctx, void *scanner);
/* The generated parser (grammar/json.y). */
int json_yyparse(void *scanner, struct json_ctx *ctx);

#endif
