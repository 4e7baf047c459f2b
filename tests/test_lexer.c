/* test_lexer.c - the JSON scanner (grammar/json.l) through json_parse:
 * every lexical json-* code, escapes and surrogate pairs, UTF-8 validation,
 * the RFC 8259 number grammar, literals, whitespace, byte columns and line
 * numbers, NUL bytes, the BOM, very long strings, allocation failure. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "testutil.h"

static struct arena g_arena;

/* Parses s[0..len) as file "t.json"; diagnostics go to c only. */
static struct json *parse_n(const char *s, size_t len, struct tu_cap *c)
{
    return tu_json_parse(&g_arena, s, len, c, -1);
}

static struct json *parse(const char *s, struct tu_cap *c)
{
    return parse_n(s, strlen(s), c);
}

/* Asserts that s is refused with error `code` first, at line:col. */
#define REFUSED(s, code_, line_, col_) TU_REFUSED(parse, s, code_, line_, col_)

/* Parses a one-string document and returns the decoded string (or NULL). */
static const struct json *string_of(const char *doc, struct tu_cap *c)
{
    struct json *j = parse(doc, c);
    if (!j || j->type != JSON_STRING)
        return NULL;
    return j;
}

#define DECODES(doc, bytes)                                                 \
    do {                                                                    \
        struct tu_cap c_;                                                      \
        const struct json *s_ = string_of((doc), &c_);                      \
        CU_ASSERT_PTR_NOT_NULL(s_);                                         \
        CU_ASSERT_EQUAL(c_.n, 0);                                           \
        if (s_) {                                                           \
            CU_ASSERT_EQUAL(s_->u.str.len, sizeof(bytes) - 1);              \
            CU_ASSERT_EQUAL(memcmp(s_->u.str.s, (bytes), sizeof(bytes) - 1), 0); \
            CU_ASSERT_EQUAL(s_->u.str.s[s_->u.str.len], '\0');              \
        }                                                                   \
    } while (0)

static void test_escapes(void)
{
    DECODES("\"plain\"", "plain");
    DECODES("\"\"", "");
    DECODES("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t");
    DECODES("\"a\\u0041b\"", "aAb");
    DECODES("\"\\u00e9\\u00E9\"", "\xC3\xA9\xC3\xA9");
    DECODES("\"\\u20AC\"", "\xE2\x82\xAC");
    DECODES("\"\\uFFFF\"", "\xEF\xBF\xBF");
    DECODES("\"\\u0000x\"", "\0x");
    DECODES("\"\\uD83D\\uDE00\"", "\xF0\x9F\x98\x80");
    DECODES("\"\\ud834\\udd1e!\"", "\xF0\x9D\x84\x9E!");
    DECODES("\"\\uDBFF\\uDFFF\"", "\xF4\x8F\xBF\xBF");
    DECODES("\"x\\uD800\\uDC00y\"", "x\xF0\x90\x80\x80y");
}

static void test_bad_escapes(void)
{
    REFUSED("\"a\\x\"", "json-invalid-escape", 1, 3);
    REFUSED("\"\\a\"", "json-invalid-escape", 1, 2);
    REFUSED("\"\\'\"", "json-invalid-escape", 1, 2);
    REFUSED("\"\\U0041\"", "json-invalid-escape", 1, 2);
    REFUSED("\"\\u12\"", "json-invalid-escape", 1, 2);
    REFUSED("\"ab\\u12G4\"", "json-invalid-escape", 1, 4);
    REFUSED("\"\\\xC3\xA9\"", "json-invalid-escape", 1, 2);
    REFUSED("\"\\\n\"", "json-invalid-escape", 1, 2);
    REFUSED("[\"\\uD800\"]", "json-lone-surrogate", 1, 3);
    REFUSED("\"\\uDBFF\"", "json-lone-surrogate", 1, 2);
    REFUSED("\"\\uDC00\"", "json-lone-surrogate", 1, 2);
    REFUSED("\"xx\\uDFFF\\uD800\"", "json-lone-surrogate", 1, 4);
    REFUSED("\"\\uD800\\u0041\"", "json-lone-surrogate", 1, 2);
    REFUSED("\"\\uD800\\uD800\"", "json-lone-surrogate", 1, 2);
    REFUSED("\"\\uD800\\n\"", "json-lone-surrogate", 1, 2);
    REFUSED("\"\\uD800\\\"", "json-lone-surrogate", 1, 2);
}

static void test_utf8_valid(void)
{
    DECODES("\"\xC2\x80\xDF\xBF\"", "\xC2\x80\xDF\xBF");
    DECODES("\"\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF\"", "\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF");
    DECODES("\"\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"", "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF");
    DECODES("\"\xEF\xBB\xBF\"", "\xEF\xBB\xBF"); /* U+FEFF inside a string is fine */
    DECODES("\"\x7F\"", "\x7F");                 /* DEL is not a control character in JSON */
    DECODES("\"\\u00e9\xC3\xA9\\n\"", "\xC3\xA9\xC3\xA9\n");
}

static void test_utf8_invalid(void)
{
    REFUSED("\"\x80\"", "json-invalid-utf8", 1, 2);                 /* lone continuation */
    REFUSED("\"ab\xBF\"", "json-invalid-utf8", 1, 4);
    REFUSED("\"\xC0\xAF\"", "json-invalid-utf8", 1, 2);             /* overlong '/' */
    REFUSED("\"\xC1\xBF\"", "json-invalid-utf8", 1, 2);
    REFUSED("\"\xE0\x80\xAF\"", "json-invalid-utf8", 1, 2);         /* overlong 3-byte */
    REFUSED("\"\xE0\x9F\xBF\"", "json-invalid-utf8", 1, 2);
    REFUSED("\"\xF0\x80\x80\xAF\"", "json-invalid-utf8", 1, 2);     /* overlong 4-byte */
    REFUSED("\"\xF0\x8F\xBF\xBF\"", "json-invalid-utf8", 1, 2);
    REFUSED("\"\xED\xA0\x80\"", "json-invalid-utf8", 1, 2);         /* U+D800 encoded */
    REFUSED("\"\xED\xBF\xBF\"", "json-invalid-utf8", 1, 2);         /* U+DFFF encoded */
    REFUSED("\"\xF4\x90\x80\x80\"", "json-invalid-utf8", 1, 2);     /* U+110000 */
    REFUSED("\"\xF5\x80\x80\x80\"", "json-invalid-utf8", 1, 2);
    REFUSED("\"\xF8\x88\x80\x80\x80\"", "json-invalid-utf8", 1, 2);
    REFUSED("\"\xFC\x84\x80\x80\x80\x80\"", "json-invalid-utf8", 1, 2);
    REFUSED("\"\xFE\"", "json-invalid-utf8", 1, 2);
    REFUSED("\"\xFF\"", "json-invalid-utf8", 1, 2);
    REFUSED("\"\xE2\x82\"", "json-invalid-utf8", 1, 2);             /* truncated */
    REFUSED("\"\xE2\x28\xA1\"", "json-invalid-utf8", 1, 2);
    REFUSED("\"\xF0\x9F\x98\"", "json-invalid-utf8", 1, 2);
    REFUSED("\"\xE9t\xE9\"", "json-invalid-utf8", 1, 2);            /* Latin-1 */
    REFUSED("\"ok\\n\xC3\"", "json-invalid-utf8", 1, 6);
    REFUSED("[\xC3\xA9]", "json-invalid-char", 1, 2);               /* valid UTF-8, outside a string */
    REFUSED("[\xE9]", "json-invalid-utf8", 1, 2);
    {   /* the message says what is wrong */
        struct tu_cap c;
        CU_ASSERT_PTR_NULL(parse("\"\xED\xA0\x80\"", &c));
        CU_ASSERT_PTR_NOT_NULL(strstr(c.msg[0], "surrogate"));
        CU_ASSERT_PTR_NULL(parse("\"\xC0\xAF\"", &c));
        CU_ASSERT_PTR_NOT_NULL(strstr(c.msg[0], "overlong"));
        CU_ASSERT_PTR_NULL(parse("\"\xF4\x90\x80\x80\"", &c));
        CU_ASSERT_PTR_NOT_NULL(strstr(c.msg[0], "U+10FFFF"));
    }
}

static void test_control_chars(void)
{
    REFUSED("\"a\tb\"", "json-control-char", 1, 3);
    REFUSED("\"a\nb\"", "json-control-char", 1, 3);
    REFUSED("\"\x01\"", "json-control-char", 1, 2);
    REFUSED("\"\x1F\"", "json-control-char", 1, 2);
    REFUSED("\"\r\"", "json-control-char", 1, 2);
    REFUSED("[\"ab\", \"c\x1b\"]", "json-control-char", 1, 10);
}

static void test_nul_byte(void)
{
    {
        struct tu_cap c;
        CU_ASSERT_PTR_NULL(parse_n("[1,\0]", 5, &c));
        CU_ASSERT_STRING_EQUAL(c.code[0], "json-nul-byte");
        CU_ASSERT_EQUAL(c.loc[0].col, 4);
        CU_ASSERT_PTR_NULL(parse_n("\"a\0\"", 4, &c));
        CU_ASSERT_STRING_EQUAL(c.code[0], "json-nul-byte");
        CU_ASSERT_EQUAL(c.loc[0].col, 3);
        CU_ASSERT_PTR_NULL(parse_n("\"a\\\0\"", 5, &c));
        CU_ASSERT_STRING_EQUAL(c.code[0], "json-nul-byte");
        CU_ASSERT_EQUAL(c.loc[0].col, 4);
        CU_ASSERT_PTR_NULL(parse_n("{}\0", 3, &c));
        CU_ASSERT_STRING_EQUAL(c.code[0], "json-nul-byte");
        CU_ASSERT_EQUAL(c.loc[0].col, 3);
        CU_ASSERT_PTR_NULL(parse_n("\0", 1, &c));
        CU_ASSERT_STRING_EQUAL(c.code[0], "json-nul-byte");
        CU_ASSERT_EQUAL(c.n, 1);
    }
}

static void test_bom(void)
{
    struct tu_cap c;
    CU_ASSERT_PTR_NULL(parse("\xEF\xBB\xBF{}", &c));
    CU_ASSERT_EQUAL(c.n, 1);
    CU_ASSERT_STRING_EQUAL(c.code[0], "json-bom");
    CU_ASSERT_EQUAL(c.loc[0].line, 1);
    CU_ASSERT_EQUAL(c.loc[0].col, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(c.msg[0], "byte order mark"));
    CU_ASSERT_PTR_NULL(parse("\xEF\xBB\xBF", &c));
    CU_ASSERT_STRING_EQUAL(c.code[0], "json-bom");
    /* a BOM elsewhere, outside a string, is a stray character */
    REFUSED("[\xEF\xBB\xBF]", "json-invalid-char", 1, 2);
}

static void test_numbers_valid(void)
{
    static const char *const ok[] = {
        "0", "-0", "1", "-1", "10", "1234567890", "0.5", "-0.0", "1.25", "1e5", "1E5", "1e+5", "1e-5",
        "1.5E-10", "0e0", "-0e-0", "123456789012345678901234567890", "1.0e-400", "1e999999",
    };
    size_t i;
    for (i = 0; i < sizeof ok / sizeof *ok; i++) {
        struct tu_cap c;
        struct json *j = parse(ok[i], &c);
        CU_ASSERT_PTR_NOT_NULL(j);
        if (!j) {
            printf("\n  number %s refused: %s\n", ok[i], c.msg[0]);
            continue;
        }
        CU_ASSERT_EQUAL(j->type, JSON_NUMBER);
        CU_ASSERT_EQUAL(j->u.str.len, strlen(ok[i]));
        CU_ASSERT_STRING_EQUAL(j->u.str.s, ok[i]);
    }
    {   /* inside containers, followed by punctuation */
        struct tu_cap c;
        struct json *j = parse("[-1.5e+3,0,{\"a\":2}]", &c);
        CU_ASSERT_PTR_NOT_NULL_FATAL(j);
        CU_ASSERT_STRING_EQUAL(j->u.arr.items[0]->u.str.s, "-1.5e+3");
        CU_ASSERT_STRING_EQUAL(j->u.arr.items[1]->u.str.s, "0");
    }
}

static void test_numbers_invalid(void)
{
    REFUSED("[01]", "json-number", 1, 2);
    REFUSED("-01", "json-number", 1, 1);
    REFUSED("00", "json-number", 1, 1);
    REFUSED("[+1]", "json-number", 1, 2);
    REFUSED("[.5]", "json-number", 1, 2);
    REFUSED("[5.]", "json-number", 1, 2);
    REFUSED("[5.e3]", "json-number", 1, 2);
    REFUSED("[1e]", "json-number", 1, 2);
    REFUSED("[1e+]", "json-number", 1, 2);
    REFUSED("[1E-]", "json-number", 1, 2);
    REFUSED("[--1]", "json-number", 1, 2);
    REFUSED("[-]", "json-number", 1, 2);
    REFUSED("[- 1]", "json-number", 1, 2);
    REFUSED("[1.2.3]", "json-number", 1, 2);
    REFUSED("[0x1F]", "json-number", 1, 2);
    REFUSED("[1_000]", "json-number", 1, 2);
    REFUSED("[NaN]", "json-number", 1, 2);
    REFUSED("[Infinity]", "json-number", 1, 2);
    REFUSED("[-Infinity]", "json-number", 1, 2);
    REFUSED("{\"a\": 1.}", "json-number", 1, 7);
    {
        struct tu_cap c;
        CU_ASSERT_PTR_NULL(parse("[012]", &c));
        CU_ASSERT_PTR_NOT_NULL(strstr(c.msg[0], "leading zero"));
        CU_ASSERT_PTR_NULL(parse("[+1]", &c));
        CU_ASSERT_PTR_NOT_NULL(strstr(c.msg[0], "'+'"));
    }
}

static void test_literals(void)
{
    struct tu_cap c;
    struct json *j = parse("[true,false,null]", &c);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(j->u.arr.items[0]->type, JSON_TRUE);
    CU_ASSERT_EQUAL(j->u.arr.items[1]->type, JSON_FALSE);
    CU_ASSERT_EQUAL(j->u.arr.items[2]->type, JSON_NULL);
    REFUSED("[True]", "json-invalid-literal", 1, 2);
    REFUSED("[NULL]", "json-invalid-literal", 1, 2);
    REFUSED("[nul]", "json-invalid-literal", 1, 2);
    REFUSED("[truex]", "json-invalid-literal", 1, 2);
    REFUSED("[undefined]", "json-invalid-literal", 1, 2);
    REFUSED("{a:1}", "json-invalid-literal", 1, 2);
    REFUSED("['a']", "json-invalid-char", 1, 2);
    REFUSED("[#]", "json-invalid-char", 1, 2);
    REFUSED("[1]\x01", "json-trailing-data", 1, 4);
    CU_ASSERT_PTR_NULL(parse("[False]", &c));
    CU_ASSERT_PTR_NOT_NULL(strstr(c.msg[0], "'false'"));
}

static void test_comments_and_whitespace(void)
{
    struct tu_cap c;
    REFUSED("[1 /* one */]", "json-comment", 1, 4);
    REFUSED("// x\n[]", "json-comment", 1, 1);
    REFUSED("[1]\n# x", "json-trailing-data", 2, 1);
    REFUSED("[\f1]", "json-invalid-char", 1, 2);
    REFUSED("[\v1]", "json-invalid-char", 1, 2);
    REFUSED("[\xC2\xA0" "1]", "json-invalid-char", 1, 2); /* U+00A0 */
    CU_ASSERT_PTR_NOT_NULL(parse(" \t\r\n[ \t\r\n1 \t\r\n] \t\r\n", &c));
    CU_ASSERT_EQUAL(c.n, 0);
}

static void test_unterminated(void)
{
    REFUSED("\"abc", "json-unterminated-string", 1, 1);
    REFUSED("[1, \"abc\\\"]", "json-unterminated-string", 1, 5);
    REFUSED("\"abc\\", "json-unterminated-string", 1, 1);
    REFUSED("{\"k\": \"v\\u00e9", "json-unterminated-string", 1, 7);
}

/* Lines count '\n' only; columns count bytes (tab = 1, UTF-8 = its bytes). */
static void test_locations(void)
{
    static const char doc[] =
        "{\r\n"
        "\t\"a\": [1,\n"
        "   \"\xC3\xA9\\u00e9\", true],\n"
        "  \"b\":null}";
    struct tu_cap c;
    struct json *j = parse(doc, &c);
    struct json *arr;
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(j->loc.line, 1);
    CU_ASSERT_EQUAL(j->loc.col, 1);
    CU_ASSERT_EQUAL(j->u.obj.members[0].key_loc.line, 2);
    CU_ASSERT_EQUAL(j->u.obj.members[0].key_loc.col, 2);
    arr = j->u.obj.members[0].value;
    CU_ASSERT_EQUAL(arr->loc.line, 2);
    CU_ASSERT_EQUAL(arr->loc.col, 7);
    CU_ASSERT_EQUAL(arr->u.arr.items[0]->loc.col, 8);
    CU_ASSERT_EQUAL(arr->u.arr.items[1]->loc.line, 3);
    CU_ASSERT_EQUAL(arr->u.arr.items[1]->loc.col, 4);
    CU_ASSERT_EQUAL(arr->u.arr.items[2]->loc.line, 3);
    CU_ASSERT_EQUAL(arr->u.arr.items[2]->loc.col, 16);   /* after 2 UTF-8 bytes and a 6-byte escape */
    CU_ASSERT_EQUAL(j->u.obj.members[1].key_loc.line, 4);
    CU_ASSERT_EQUAL(j->u.obj.members[1].key_loc.col, 3);
    CU_ASSERT_EQUAL(j->u.obj.members[1].value->loc.col, 7);
    CU_ASSERT_STRING_EQUAL(j->u.obj.members[0].value->u.arr.items[1]->loc.file, "t.json");
    /* an error after a multi-line stretch */
    REFUSED("[\n\n  1,\n\t2 x]", "json-invalid-literal", 4, 4);
    REFUSED("{\"a\":\r\n\"b\t\"}", "json-control-char", 2, 3);
}

/* Strings of many megabytes, with and without escapes. */
static void test_long_strings(void)
{
    size_t n = 24u << 20, i, escapes = 0;
    char *doc = malloc(n + 16);
    struct tu_cap c;
    struct json *j;
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    doc[0] = '"';
    memset(doc + 1, 'x', n);
    doc[n + 1] = '"';
    j = parse_n(doc, n + 2, &c);
    CU_ASSERT_PTR_NOT_NULL(j);
    if (j) {
        CU_ASSERT_EQUAL(j->u.str.len, n);
        CU_ASSERT_EQUAL(j->u.str.s[n - 1], 'x');
    }
    for (i = 1; i + 1 <= n; i += 1000) { /* an escape every 1000 bytes */
        doc[i] = '\\';
        doc[i + 1] = 'n';
        escapes++;
    }
    j = parse_n(doc, n + 2, &c);
    CU_ASSERT_PTR_NOT_NULL(j);
    if (j) {
        CU_ASSERT_EQUAL(j->u.str.len, n - escapes);
        CU_ASSERT_EQUAL(j->u.str.s[0], '\n');
        CU_ASSERT_EQUAL(j->u.str.s[1], 'x');
    }
    /* an error at the far end is located by byte column */
    doc[n] = '\x01';
    CU_ASSERT_PTR_NULL(parse_n(doc, n + 2, &c));
    CU_ASSERT_STRING_EQUAL(c.code[0], "json-control-char");
    CU_ASSERT_EQUAL(c.loc[0].col, n + 1);
    free(doc);
}

/* first_line numbers the lines of a JSON Lines record. */
static void test_first_line(void)
{
    struct arena a;
    struct diag d;
    struct tu_cap c;
    struct json *j;
    arena_init(&a);
    memset(&c, 0, sizeof c);
    diag_init(&d, NULL);
    d.sink = tu_cap_sink;
    d.sink_arg = &c;
    j = json_parse(&a, &d, "r.jsonl", "{\"x\": 1}", 8, 42);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(j->loc.line, 42);
    CU_ASSERT_EQUAL(j->u.obj.members[0].value->loc.line, 42);
    CU_ASSERT_PTR_NULL(json_parse(&a, &d, "r.jsonl", "{\"x\": 1,\n]", 10, 7));
    CU_ASSERT_EQUAL(c.loc[0].line, 7);
    CU_ASSERT_EQUAL(c.loc[0].col, 8);
    CU_ASSERT_STRING_EQUAL(c.loc[0].file, "r.jsonl");
    diag_fini(&d);
    arena_free(&a);
}

/* The parser's own limits: input size, memory. */
static void test_limits(void)
{
    struct arena a;
    struct diag d;
    struct tu_cap c;
    char *doc;
    size_t n = 100000, i;
    /* only the length is looked at, so a small buffer stands for a huge one */
    memset(&c, 0, sizeof c);
    diag_init(&d, NULL);
    d.sink = tu_cap_sink;
    d.sink_arg = &c;
    arena_init(&a);
    CU_ASSERT_PTR_NULL(json_parse(&a, &d, "big.json", "[1]", (size_t)1 << 31, 1));
    CU_ASSERT_STRING_EQUAL(c.code[0], "json-too-large");
    /* an arena too small for the tree: a clean json-out-of-memory */
    doc = malloc(n * 2 + 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    doc[0] = '[';
    for (i = 0; i < n; i++) {
        doc[1 + 2 * i] = '1';
        doc[2 + 2 * i] = i + 1 < n ? ',' : ']';
    }
    a.limit = 200000;
    c.n = 0;
    CU_ASSERT_PTR_NULL(json_parse(&a, &d, "oom.json", doc, n * 2 + 1, 1));
    CU_ASSERT_EQUAL(c.n, 1);
    CU_ASSERT_STRING_EQUAL(c.code[0], "json-out-of-memory");
    /* long strings also fail cleanly */
    memset(doc, 'y', n * 2 + 1);
    doc[0] = '"';
    doc[n * 2] = '"';
    c.n = 0;
    CU_ASSERT_PTR_NULL(json_parse(&a, &d, "oom.json", doc, n * 2 + 1, 1));
    CU_ASSERT_STRING_EQUAL(c.code[0], "json-out-of-memory");
    doc[5] = '\\';
    doc[6] = 't';
    c.n = 0;
    CU_ASSERT_PTR_NULL(json_parse(&a, &d, "oom.json", doc, n * 2 + 1, 1));
    CU_ASSERT_STRING_EQUAL(c.code[0], "json-out-of-memory");
    free(doc);
    arena_free(&a);
    diag_fini(&d);
}

int main(void)
{
    CU_pSuite s;
    int rc;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    arena_init(&g_arena);
    s = CU_add_suite("lexer", NULL, NULL);
    CU_add_test(s, "escapes", test_escapes);
    CU_add_test(s, "bad escapes and surrogates", test_bad_escapes);
    CU_add_test(s, "valid UTF-8", test_utf8_valid);
    CU_add_test(s, "invalid UTF-8", test_utf8_invalid);
    CU_add_test(s, "control characters", test_control_chars);
    CU_add_test(s, "NUL bytes", test_nul_byte);
    CU_add_test(s, "byte order mark", test_bom);
    CU_add_test(s, "valid numbers", test_numbers_valid);
    CU_add_test(s, "invalid numbers", test_numbers_invalid);
    CU_add_test(s, "literals and stray characters", test_literals);
    CU_add_test(s, "comments and whitespace", test_comments_and_whitespace);
    CU_add_test(s, "unterminated strings", test_unterminated);
    CU_add_test(s, "locations", test_locations);
    CU_add_test(s, "long strings", test_long_strings);
    CU_add_test(s, "first_line", test_first_line);
    CU_add_test(s, "limits", test_limits);
    rc = tu_run();
    arena_free(&g_arena);
    return rc;
}
