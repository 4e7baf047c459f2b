/* json.y - the RFC 8259 JSON grammar (pure Bison parser).
 *
 * Owns the syntax of a JSON text and the wording of syntax errors: each one
 * says what was expected and what was found, at the unexpected token, with a
 * stable json-* code.  Actions only call the json_* constructors of
 * src/json.c; tokens, escapes, UTF-8, numbers and the nesting limit are the
 * scanner's (grammar/json.l).  Parsing stops at the first syntax error. */

%define api.pure full
%define api.prefix {json_yy}
%define api.token.prefix {JSON_TOK_}
%define parse.error custom
%locations
%expect 0
%parse-param {void *scanner} {struct json_ctx *ctx}
%lex-param {void *scanner}

%code requires {
#include "json_build.h"

/* Nodes only need where they start: a rule's location is its first symbol's. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
    do {                                                              \
        if (N)                                                        \
            (Cur) = YYRHSLOC(Rhs, 1);                                 \
        else {                                                        \
            (Cur).first_line = (Cur).last_line = YYRHSLOC(Rhs, 0).last_line;     \
            (Cur).first_column = (Cur).last_column = YYRHSLOC(Rhs, 0).last_column; \
        }                                                             \
    } while (0)
}

%code {
#include <stdio.h>
#include <string.h>

int json_yylex(JSON_YYSTYPE *lval, JSON_YYLTYPE *lloc, void *scanner);
static void json_yyerror(JSON_YYLTYPE *lloc, void *scanner, struct json_ctx *ctx, const char *msg);

/* The struct loc of a Bison location. */
#define JLOC(l) ((struct loc){ctx->file, (uint32_t)(l).first_line, (uint32_t)(l).first_column})
}

%union {
    struct json *node;
    struct json_text text;
    size_t mark;
}

%token <text> STRING "string" NUMBER "number"
%token TRUE "true" FALSE "false" NUL "null"
%type <node> value object array
%type <mark> obj_open arr_open

%%

text
    : value                     { ctx->root = $1; }
    ;

value
    : object
    | array
    | STRING                    { if (!($$ = json_scalar_new(ctx, JSON_STRING, JLOC(@1), $1))) YYABORT; }
    | NUMBER                    { if (!($$ = json_scalar_new(ctx, JSON_NUMBER, JLOC(@1), $1))) YYABORT; }
    | TRUE                      { if (!($$ = json_scalar_new(ctx, JSON_TRUE, JLOC(@1), (struct json_text){"true", 4}))) YYABORT; }
    | FALSE                     { if (!($$ = json_scalar_new(ctx, JSON_FALSE, JLOC(@1), (struct json_text){"false", 5}))) YYABORT; }
    | NUL                       { if (!($$ = json_scalar_new(ctx, JSON_NULL, JLOC(@1), (struct json_text){"null", 4}))) YYABORT; }
    ;

object
    : obj_open '}'              { if (!($$ = json_object_close(ctx, $1, JLOC(@1)))) YYABORT; }
    | obj_open members '}'      { if (!($$ = json_object_close(ctx, $1, JLOC(@1)))) YYABORT; }
    ;

obj_open
    : '{'                       { $$ = ctx->nmems; }
    ;

members
    : member
    | members ',' member
    ;

member
    : STRING ':' value          { if (json_member_push(ctx, $1, JLOC(@1), $3)) YYABORT; }
    ;

array
    : arr_open ']'              { if (!($$ = json_array_close(ctx, $1, JLOC(@1)))) YYABORT; }
    | arr_open elements ']'     { if (!($$ = json_array_close(ctx, $1, JLOC(@1)))) YYABORT; }
    ;

arr_open
    : '['                       { $$ = ctx->nvals; }
    ;

elements
    : value                     { if (json_value_push(ctx, $1)) YYABORT; }
    | elements ',' value        { if (json_value_push(ctx, $3)) YYABORT; }
    ;

%%

/* Bison's own failures (its stack cannot overflow under JSON_MAX_DEPTH, so
 * this is only "memory exhausted"). */
static void json_yyerror(JSON_YYLTYPE *lloc, void *scanner, struct json_ctx *ctx, const char *msg)
{
    (void)scanner;
    if (!ctx->lex_failed)
        json_ctx_error(ctx, "json-out-of-memory", JLOC(*lloc), "%s", msg);
}

/* Describes a token for "found ...": string "Condition", number 12, '}'. */
static void json_describe(const struct json_ctx *ctx, int kind, char *out, size_t cap)
{
    const struct json_text *t = &ctx->cur_text;
    size_t i, n = 0;

    switch (kind) {
    case JSON_TOK_YYEOF: snprintf(out, cap, "end of input"); return;
    case JSON_TOK_TRUE: snprintf(out, cap, "'true'"); return;
    case JSON_TOK_FALSE: snprintf(out, cap, "'false'"); return;
    case JSON_TOK_NUL: snprintf(out, cap, "'null'"); return;
    case JSON_TOK_NUMBER:
        snprintf(out, cap, "number %.*s%s", t->len > 40 ? 40 : (int)t->len, t->s, t->len > 40 ? "..." : "");
        return;
    case JSON_TOK_STRING:
        n = (size_t)snprintf(out, cap, "string \"");
        for (i = 0; i < t->len && i < 40 && n + 8 < cap; i++) {
            unsigned char c = (unsigned char)t->s[i];
            if (c < 0x20 || c == 0x7f)
                n += (size_t)snprintf(out + n, cap - n, "\\x%02X", c);
            else
                out[n++] = (char)c;
        }
        snprintf(out + n, cap - n, "%s\"", i < t->len ? "..." : "");
        return;
    default:
        snprintf(out, cap, "'%c'", kind);
    }
}

/* Bits of the expected-token set that matter to the wording. */
enum { EX_END = 1, EX_STRING = 2, EX_VALUE = 4, EX_COLON = 8, EX_COMMA = 16, EX_RBRACE = 32, EX_RBRACK = 64 };

static unsigned json_expected_mask(const yypcontext_t *yyctx)
{
    yysymbol_kind_t ex[16];
    int i, n = yypcontext_expected_tokens(yyctx, ex, 16);
    unsigned m = 0;
    for (i = 0; i < n; i++) {
        const char *name = yysymbol_name(ex[i]);
        switch (ex[i]) {
        case YYSYMBOL_YYEOF: m |= EX_END; break;
        case YYSYMBOL_STRING: m |= EX_STRING; break;
        case YYSYMBOL_NUMBER: case YYSYMBOL_TRUE: case YYSYMBOL_FALSE: case YYSYMBOL_NUL: m |= EX_VALUE; break;
        default:
            if (name[0] != '\'')
                break;
            m |= name[1] == '{' || name[1] == '[' ? EX_VALUE : name[1] == ':' ? EX_COLON
               : name[1] == ',' ? EX_COMMA : name[1] == '}' ? EX_RBRACE : name[1] == ']' ? EX_RBRACK : 0;
        }
    }
    return m;
}

/* What the parser wanted, as a phrase after "expected ". */
static const char *json_expected_phrase(const struct json_ctx *ctx, unsigned m)
{
    if (m == (EX_COMMA | EX_RBRACE))
        return "',' or '}' after object member";
    if (m == (EX_COMMA | EX_RBRACK))
        return "',' or ']' after array element";
    if (m == (EX_STRING | EX_RBRACE))
        return "a string key or '}' after '{'";
    if (m == EX_STRING)
        return "a string key after ','";
    if (m == EX_COLON)
        return "':' after object key";
    if (m == (EX_STRING | EX_VALUE | EX_RBRACK))
        return "a value or ']' after '['";
    if (m == (EX_STRING | EX_VALUE))
        return ctx->prev_kind == ':' ? "a value after ':'"
             : ctx->prev_kind == ',' ? "a value after ','" : "a JSON value";
    if (m == EX_END)
        return "end of input after the top-level value";
    return "something else";
}

/* Reports the first syntax error (the parser stops there).  The error sits
 * at the unexpected token, except a trailing comma, which is shown itself. */
static int yyreport_syntax_error(const yypcontext_t *yyctx, void *scanner, struct json_ctx *ctx)
{
    int kind = ctx->cur_kind;
    unsigned m = json_expected_mask(yyctx);
    const char *want = json_expected_phrase(ctx, m);
    struct loc at = JLOC(*yypcontext_location(yyctx));
    char found[256];

    (void)scanner;
    if (ctx->lex_failed)
        return 0;
    json_describe(ctx, kind, found, sizeof found);
    if (m == EX_END) {
        json_ctx_error(ctx, "json-trailing-data", at,
                       "expected end of input after the top-level value, found %s", found);
    } else if (kind == JSON_TOK_YYEOF && !ctx->any_token) {
        json_ctx_error(ctx, "json-empty-input", at, "empty input: expected a JSON value");
    } else if (kind == JSON_TOK_YYEOF) {
        json_ctx_error(ctx, "json-unexpected-end", at, "unexpected end of input: expected %s", want);
    } else if (ctx->prev_kind == ',' && (kind == '}' || kind == ']')) {
        json_ctx_error(ctx, "json-trailing-comma", ctx->prev_loc,
                       "trailing comma before '%c': expected %s", kind,
                       kind == '}' ? "another object member" : "another array element");
    } else {
        json_ctx_error(ctx, "json-unexpected-token", at, "expected %s, found %s", want, found);
    }
    if ((kind == JSON_TOK_YYEOF || kind == '}' || kind == ']') && ctx->depth > 0)
        diag_note(ctx->d, ctx->open[ctx->depth - 1], "to match this '%c'", ctx->open_kind[ctx->depth - 1]);
    return 0;
}
