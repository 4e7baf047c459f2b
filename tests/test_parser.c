/* test_parser.c - the JSON grammar (grammar/json.y) and tree (src/json.c):
 * tree shape and locations, json_get/json_type_name, every syntax json-*
 * code with its wording and location, the nesting limit, duplicate keys,
 * large arrays and objects, the Image Builder custom policy as printed, and
 * all of JSONTestSuite (../shared/jsontestsuite, read in place). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "testutil.h"

static struct arena g_arena;

static struct json *parse_n(const char *s, size_t len, struct tu_cap *c)
{
    return tu_json_parse(&g_arena, s, len, c, 0);
}

static struct json *parse(const char *s, struct tu_cap *c)
{
    return parse_n(s, strlen(s), c);
}

/* Asserts that s is refused with error `code` first, at line:col. */
#define REFUSED(s, code_, line_, col_) TU_REFUSED(parse, s, code_, line_, col_)

/* Asserts the first diagnostic's message is exactly msg_. */
#define MESSAGE(s, msg_)                                                    \
    do {                                                                    \
        struct tu_cap c_;                                                      \
        CU_ASSERT_PTR_NULL(parse((s), &c_));                                \
        CU_ASSERT_STRING_EQUAL(c_.msg[0], (msg_));                          \
    } while (0)

static void test_tree(void)
{
    struct tu_cap c;
    struct json *j = parse("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\"}, 1, [], {}],"
                           " \"k\\u0000x\": null}", &c);
    const struct json_member *m;
    struct json *st;
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(c.n, 0);
    CU_ASSERT_EQUAL(j->type, JSON_OBJECT);
    CU_ASSERT_EQUAL(j->u.obj.n, 3);
    CU_ASSERT_STRING_EQUAL(j->u.obj.members[0].key, "Version");
    CU_ASSERT_EQUAL(j->u.obj.members[0].key_len, 7);
    CU_ASSERT_STRING_EQUAL(j->u.obj.members[1].key, "Statement");
    CU_ASSERT_EQUAL(j->u.obj.members[2].key_len, 3);
    m = json_get(j, "Version");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(m->value->type, JSON_STRING);
    CU_ASSERT_STRING_EQUAL(m->value->u.str.s, "2012-10-17");
    CU_ASSERT_PTR_NULL(json_get(j, "version"));
    CU_ASSERT_PTR_NULL(json_get(j, "k"));          /* the key is "k\0x": exact match only */
    CU_ASSERT_PTR_NULL(json_get(m->value, "x"));   /* not an object */
    st = json_get(j, "Statement")->value;
    CU_ASSERT_EQUAL(st->type, JSON_ARRAY);
    CU_ASSERT_EQUAL(st->u.arr.n, 4);
    CU_ASSERT_EQUAL(st->u.arr.items[0]->type, JSON_OBJECT);
    CU_ASSERT_STRING_EQUAL(json_get(st->u.arr.items[0], "Effect")->value->u.str.s, "Allow");
    CU_ASSERT_EQUAL(st->u.arr.items[1]->type, JSON_NUMBER);
    CU_ASSERT_EQUAL(st->u.arr.items[2]->type, JSON_ARRAY);
    CU_ASSERT_EQUAL(st->u.arr.items[2]->u.arr.n, 0);
    CU_ASSERT_EQUAL(st->u.arr.items[3]->type, JSON_OBJECT);
    CU_ASSERT_EQUAL(st->u.arr.items[3]->u.obj.n, 0);
    CU_ASSERT_STRING_EQUAL(json_type_name(JSON_NULL), "null");
    CU_ASSERT_STRING_EQUAL(json_type_name(JSON_TRUE), "boolean");
    CU_ASSERT_STRING_EQUAL(json_type_name(JSON_FALSE), "boolean");
    CU_ASSERT_STRING_EQUAL(json_type_name(JSON_NUMBER), "number");
    CU_ASSERT_STRING_EQUAL(json_type_name(JSON_STRING), "string");
    CU_ASSERT_STRING_EQUAL(json_type_name(JSON_ARRAY), "array");
    CU_ASSERT_STRING_EQUAL(json_type_name(JSON_OBJECT), "object");
}

static void test_top_level_scalars(void)
{
    static const char *const docs[] = {"1", "\"s\"", "true", "false", "null", " [] ", "{}\n"};
    static const enum json_type types[] = {JSON_NUMBER, JSON_STRING, JSON_TRUE, JSON_FALSE, JSON_NULL, JSON_ARRAY, JSON_OBJECT};
    size_t i;
    for (i = 0; i < sizeof docs / sizeof *docs; i++) {
        struct tu_cap c;
        struct json *j = parse(docs[i], &c);
        CU_ASSERT_PTR_NOT_NULL(j);
        if (j)
            CU_ASSERT_EQUAL(j->type, types[i]);
    }
}

static void test_node_locations(void)
{
    struct tu_cap c;
    struct json *j = parse("[\n  {\"a\" :\n    [ 1 ,\"x\" ] },\n  null\n]", &c);
    struct json *o, *inner;
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    o = j->u.arr.items[0];
    CU_ASSERT_EQUAL(o->loc.line, 2);
    CU_ASSERT_EQUAL(o->loc.col, 3);
    CU_ASSERT_EQUAL(o->u.obj.members[0].key_loc.line, 2);
    CU_ASSERT_EQUAL(o->u.obj.members[0].key_loc.col, 4);
    inner = o->u.obj.members[0].value;
    CU_ASSERT_EQUAL(inner->loc.line, 3);
    CU_ASSERT_EQUAL(inner->loc.col, 5);
    CU_ASSERT_EQUAL(inner->u.arr.items[0]->loc.col, 7);
    CU_ASSERT_EQUAL(inner->u.arr.items[1]->loc.col, 10);
    CU_ASSERT_EQUAL(j->u.arr.items[1]->loc.line, 4);
    CU_ASSERT_EQUAL(j->u.arr.items[1]->loc.col, 3);
}

static void test_syntax_errors(void)
{
    REFUSED("", "json-empty-input", 1, 1);
    REFUSED(" \n\t ", "json-empty-input", 1, 1);
    REFUSED("{\"a\" 1}", "json-unexpected-token", 1, 6);
    REFUSED("{\"a\":1 \"b\":2}", "json-unexpected-token", 1, 8);
    REFUSED("[1 2]", "json-unexpected-token", 1, 4);
    REFUSED("{1:2}", "json-unexpected-token", 1, 2);
    REFUSED("{\"a\":1,2}", "json-unexpected-token", 1, 8);
    REFUSED("[,1]", "json-unexpected-token", 1, 2);
    REFUSED("{\"a\"::1}", "json-unexpected-token", 1, 6);
    REFUSED("{\"a\":}", "json-unexpected-token", 1, 6);
    REFUSED("[:]", "json-unexpected-token", 1, 2);
    REFUSED("]", "json-unexpected-token", 1, 1);
    REFUSED("[1}", "json-unexpected-token", 1, 3);
    REFUSED("{\"a\":1]", "json-unexpected-token", 1, 7);
    REFUSED("[1,]", "json-trailing-comma", 1, 3);
    REFUSED("{\"a\":1 ,\n}", "json-trailing-comma", 1, 8);
    REFUSED("[1,,2]", "json-unexpected-token", 1, 4);
    REFUSED("[1", "json-unexpected-end", 1, 3);
    REFUSED("[1,\n", "json-unexpected-end", 1, 4);
    REFUSED("{\"a\":", "json-unexpected-end", 1, 6);
    REFUSED("{\"a\"", "json-unexpected-end", 1, 5);
    REFUSED("{", "json-unexpected-end", 1, 2);
    REFUSED("1 2", "json-trailing-data", 1, 3);
    REFUSED("{} {}", "json-trailing-data", 1, 4);
    REFUSED("[1]]", "json-trailing-data", 1, 4);
    REFUSED("\"a\": 1", "json-trailing-data", 1, 4);
    REFUSED("[]\n\nx", "json-trailing-data", 3, 1);
    REFUSED("nullnull", "json-invalid-literal", 1, 1);
}

static void test_messages(void)
{
    struct tu_cap c;
    MESSAGE("{\"a\":1 \"Condition\":2}", "expected ',' or '}' after object member, found string \"Condition\"");
    MESSAGE("[1 true]", "expected ',' or ']' after array element, found 'true'");
    MESSAGE("{\"a\" 1}", "expected ':' after object key, found number 1");
    MESSAGE("{[]:1}", "expected a string key or '}' after '{', found '['");
    MESSAGE("{\"a\":1,}", "trailing comma before '}': expected another object member");
    MESSAGE("[1,]", "trailing comma before ']': expected another array element");
    MESSAGE("[}", "expected a value or ']' after '[', found '}'");
    MESSAGE("{\"a\":1,:", "expected a string key after ',', found ':'");
    MESSAGE("{\"a\":,", "expected a value after ':', found ','");
    MESSAGE("[1,:", "expected a value after ',', found ':'");
    MESSAGE("[1", "unexpected end of input: expected ',' or ']' after array element");
    MESSAGE("{\"a\":1", "unexpected end of input: expected ',' or '}' after object member");
    MESSAGE("{} 1", "expected end of input after the top-level value, found number 1");
    MESSAGE("", "empty input: expected a JSON value");
    /* long and odd strings are shortened and escaped in "found" */
    MESSAGE("[1 \"0123456789012345678901234567890123456789_tail\"]",
            "expected ',' or ']' after array element, found string \"0123456789012345678901234567890123456789...\"");
    MESSAGE("[1 \"a\\nb\"]", "expected ',' or ']' after array element, found string \"a\\x0Ab\"");
    /* unclosed brackets get a note at the bracket */
    CU_ASSERT_PTR_NULL(parse("{\"a\": [1,\n  {\"b\": 2}", &c));
    CU_ASSERT_EQUAL(c.n, 2);
    CU_ASSERT_STRING_EQUAL(c.code[0], "json-unexpected-end");
    CU_ASSERT_EQUAL(c.level[1], DIAG_NOTE);
    CU_ASSERT_EQUAL(c.loc[1].line, 1);
    CU_ASSERT_EQUAL(c.loc[1].col, 7);
    CU_ASSERT_STRING_EQUAL(c.msg[1], "to match this '['");
    CU_ASSERT_PTR_NULL(parse("[{\"a\":1]", &c));
    CU_ASSERT_EQUAL(c.level[1], DIAG_NOTE);
    CU_ASSERT_EQUAL(c.loc[1].col, 2);
    CU_ASSERT_STRING_EQUAL(c.msg[1], "to match this '{'");
}

/* The rendered text: clang style, with the source line and a caret. */
static void test_rendered(void)
{
    static const char src[] = "{\n  \"a\": 1\n  \"b\": 2\n}\n";
    static const char want[] =
        "p.json:3:3: error: expected ',' or '}' after object member, found string \"b\" [json-unexpected-token]\n"
        "  \"b\": 2\n"
        "  ^\n";
    struct arena a;
    struct diag d;
    FILE *f = tmpfile();
    char out[1024];
    size_t n;
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    arena_init(&a);
    diag_init(&d, f);
    diag_add_source(&d, "p.json", src, sizeof src - 1);
    CU_ASSERT_PTR_NULL(json_parse(&a, &d, "p.json", src, sizeof src - 1, 1));
    CU_ASSERT_EQUAL(d.errors, 1);
    fflush(f);
    rewind(f);
    n = fread(out, 1, sizeof out - 1, f);
    out[n] = '\0';
    CU_ASSERT_STRING_EQUAL(out, want);
    fclose(f);
    diag_fini(&d);
    arena_free(&a);
}

/* Checks one copy of the Image Builder custom policy as printed: one error,
 * at the "Condition" key (line and byte column computed from the file). */
static void check_missing_comma(const char *path, int required)
{
    size_t len;
    char *doc = tu_read_file(path, &len);
    const char *key, *p, *bol;
    uint32_t line = 1;
    struct tu_cap c;
    if (!doc && !required) {
        printf("\n  skipped: %s (absent)\n", path);
        return;
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    key = strstr(doc, "\"Condition\"");
    CU_ASSERT_PTR_NOT_NULL_FATAL(key);
    for (p = bol = doc; p < key; p++)
        if (*p == '\n') {
            line++;
            bol = p + 1;
        }
    CU_ASSERT_PTR_NULL(parse_n(doc, len, &c));
    CU_ASSERT_EQUAL(c.n, 1);
    CU_ASSERT_STRING_EQUAL(c.code[0], "json-unexpected-token");
    CU_ASSERT_EQUAL(c.loc[0].line, line);
    CU_ASSERT_EQUAL(c.loc[0].col, (uint32_t)(key - bol) + 1);
    CU_ASSERT_STRING_EQUAL(c.msg[0], "expected ',' or '}' after object member, found string \"Condition\"");
    free(doc);
}

/* The custom policy of the Image Builder examples page, as printed: no comma
 * before "Condition".  The error is at that key, saying what was expected.
 * tests/fixtures/json/ holds the single line the page prints;
 * tests/fixtures/ (when present) a pretty-printed copy. */
static void test_imagebuilder_custom_as_printed(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", tu_source("tests/fixtures/json/imagebuilder-custom-as-printed.json"));
    check_missing_comma(path, 1);
    snprintf(path, sizeof path, "%s", tu_source("tests/fixtures/imagebuilder-custom-as-printed.json"));
    check_missing_comma(path, 0);
}

static char *nested(size_t depth, const char *open, const char *close)
{
    size_t lo = strlen(open), lc = strlen(close), i;
    char *s = malloc(depth * (lo + lc) + 1);
    if (!s)
        return NULL;
    for (i = 0; i < depth; i++)
        memcpy(s + i * lo, open, lo);
    for (i = 0; i < depth; i++)
        memcpy(s + depth * lo + i * lc, close, lc);
    s[depth * (lo + lc)] = '\0';
    return s;
}

static void test_depth(void)
{
    struct tu_cap c;
    char *s;
    size_t n = 100000;
    struct json *j;

    s = nested(JSON_MAX_DEPTH, "[", "]");
    CU_ASSERT_PTR_NOT_NULL(parse(s, &c));
    free(s);
    s = nested(JSON_MAX_DEPTH / 2, "{\"k\":[", "]}");
    j = parse(s, &c);
    CU_ASSERT_PTR_NOT_NULL(j);
    free(s);
    s = nested(JSON_MAX_DEPTH + 1, "[", "]");
    CU_ASSERT_PTR_NULL(parse(s, &c));
    CU_ASSERT_STRING_EQUAL(c.code[0], "json-depth");
    CU_ASSERT_EQUAL(c.loc[0].col, JSON_MAX_DEPTH + 1);
    free(s);
    s = nested(JSON_MAX_DEPTH / 2 + 1, "{\"k\":[", "]}");
    CU_ASSERT_PTR_NULL(parse(s, &c));
    CU_ASSERT_STRING_EQUAL(c.code[0], "json-depth");
    free(s);
    /* 100,000 '[' with nothing else: one clean error, no recursion */
    s = malloc(n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    memset(s, '[', n);
    CU_ASSERT_PTR_NULL(parse_n(s, n, &c));
    CU_ASSERT_EQUAL(c.json_errors, 1);
    CU_ASSERT_STRING_EQUAL(c.code[0], "json-depth");
    CU_ASSERT_EQUAL(c.loc[0].line, 1);
    CU_ASSERT_EQUAL(c.loc[0].col, JSON_MAX_DEPTH + 1);
    CU_ASSERT_EQUAL(c.level[1], DIAG_NOTE);
    memset(s, '{', n);
    CU_ASSERT_PTR_NULL(parse_n(s, n, &c));
    CU_ASSERT_STRING_EQUAL(c.code[0], "json-unexpected-token"); /* '{' needs a key first */
    free(s);
}

static void test_duplicate_keys(void)
{
    struct tu_cap c;
    CU_ASSERT_PTR_NULL(parse("{\n  \"Effect\": \"Allow\",\n  \"Effect\": \"Deny\"\n}", &c));
    CU_ASSERT_EQUAL(c.n, 2);
    CU_ASSERT_STRING_EQUAL(c.code[0], "duplicate-key");
    CU_ASSERT_EQUAL(c.loc[0].line, 3);
    CU_ASSERT_EQUAL(c.loc[0].col, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(c.msg[0], "\"Effect\""));
    CU_ASSERT_EQUAL(c.level[1], DIAG_NOTE);
    CU_ASSERT_EQUAL(c.loc[1].line, 2);
    CU_ASSERT_EQUAL(c.loc[1].col, 3);
    /* three times: two errors, each noting the first */
    CU_ASSERT_PTR_NULL(parse("{\"a\":1,\"b\":2,\"a\":3,\"a\":4}", &c));
    CU_ASSERT_EQUAL(c.other_errors, 2);
    CU_ASSERT_EQUAL(c.loc[2].col, 20);
    CU_ASSERT_EQUAL(c.loc[3].col, 2);
    /* decoded keys compare byte-exactly */
    CU_ASSERT_PTR_NULL(parse("{\"\\u0041\":1,\"A\":2}", &c));
    CU_ASSERT_STRING_EQUAL(c.code[0], "duplicate-key");
    CU_ASSERT_PTR_NOT_NULL(parse("{\"a\":1,\"A\":2,\"a \":3,\"a\\u0000\":4,\"\":5}", &c));
    CU_ASSERT_PTR_NOT_NULL(parse("{\"a\\u0000b\":1,\"a\\u0000c\":2}", &c));
    /* same key in different objects is fine; nested objects are checked too */
    CU_ASSERT_PTR_NOT_NULL(parse("[{\"a\":1},{\"a\":2,\"b\":{\"a\":3}}]", &c));
    CU_ASSERT_PTR_NULL(parse("[{\"a\":{\"x\":1,\"x\":2}}]", &c));
    CU_ASSERT_STRING_EQUAL(c.code[0], "duplicate-key");
    CU_ASSERT_EQUAL(c.loc[0].col, 14);
    /* a duplicate does not stop the parse: a later syntax error is reported too */
    CU_ASSERT_PTR_NULL(parse("[{\"a\":1,\"a\":2}, x]", &c));
    CU_ASSERT_EQUAL(c.other_errors, 1);
    CU_ASSERT_EQUAL(c.json_errors, 1);
}

/* Objects and arrays with many entries: hashed duplicate check, packing. */
static void test_large(void)
{
    size_t n = 20000, i, len = 0;
    char *s = malloc(n * 32 + 64);
    struct tu_cap c;
    struct json *j;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    s[len++] = '{';
    for (i = 0; i < n; i++)
        len += (size_t)sprintf(s + len, "%s\"key%zu\":%zu", i ? "," : "", i, i);
    s[len++] = '}';
    j = parse_n(s, len, &c);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(j->u.obj.n, n);
    CU_ASSERT_STRING_EQUAL(j->u.obj.members[n - 1].key, "key19999");
    CU_ASSERT_STRING_EQUAL(json_get(j, "key12345")->value->u.str.s, "12345");
    len--;
    len += (size_t)sprintf(s + len, ",\"key777\":0}");
    CU_ASSERT_PTR_NULL(parse_n(s, len, &c));
    CU_ASSERT_EQUAL(c.n, 2);
    CU_ASSERT_STRING_EQUAL(c.code[0], "duplicate-key");
    CU_ASSERT_EQUAL(c.loc[0].col, len - 10);
    CU_ASSERT_EQUAL(c.loc[1].col, (uint32_t)(strstr(s, "\"key777\"") - s) + 1);
    /* a big array */
    len = 0;
    s[len++] = '[';
    for (i = 0; i < n; i++)
        len += (size_t)sprintf(s + len, "%s[%zu]", i ? "," : "", i);
    s[len++] = ']';
    j = parse_n(s, len, &c);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(j->u.arr.n, n);
    CU_ASSERT_STRING_EQUAL(j->u.arr.items[n - 1]->u.arr.items[0]->u.str.s, "19999");
    free(s);
}

/* The managed-policy corpus is valid JSON throughout. */
static void test_corpus(void)
{
    const char *dir = tu_shared("corpus/aws-managed");
    DIR *dp;
    struct dirent *e;
    unsigned files = 0, bad = 0;
    if (!dir)
        return;
    dp = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dp);
    while ((e = readdir(dp)) != NULL) {
        char path[4096];
        size_t len;
        char *buf;
        struct arena a;
        struct diag d;
        if (!strstr(e->d_name, ".json"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        buf = tu_read_file(path, &len);
        CU_ASSERT_PTR_NOT_NULL(buf);
        if (!buf)
            continue;
        arena_init(&a);
        diag_init(&d, stdout);
        diag_add_source(&d, path, buf, len);
        if (!json_parse(&a, &d, path, buf, len, 1))
            bad++;
        diag_fini(&d);
        arena_free(&a);
        free(buf);
        files++;
    }
    closedir(dp);
    printf("\n  corpus: %u files, %u refused\n", files, bad);
    CU_ASSERT_TRUE(files > 1000);
    CU_ASSERT_EQUAL(bad, 0);
}

/* Parses one JSONTestSuite file; returns 1 if it parsed. */
static int jts_parse(const char *path, struct tu_cap *c)
{
    size_t len;
    char *buf = tu_read_file(path, &len);
    struct arena a;
    struct diag d;
    struct json *j;
    memset(c, 0, sizeof *c);
    if (!buf)
        return -1;
    arena_init(&a);
    diag_init(&d, NULL);
    d.sink = tu_cap_sink;
    d.sink_arg = c;
    j = json_parse(&a, &d, path, buf, len, 1);
    diag_fini(&d);
    arena_free(&a);
    free(buf);
    return j != NULL;
}

/* JSONTestSuite: n_ files get a json-* error, y_ files never do (only
 * duplicate-key, which is not a JSON error), i_ files do not crash. */
static int jts_filter(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 5 && strcmp(e->d_name + n - 5, ".json") == 0;
}

static void test_jsontestsuite(void)
{
    const char *dir = tu_shared("jsontestsuite");
    char dirbuf[4096];
    struct dirent **list;
    int count, k;
    unsigned y = 0, n = 0, i_ok = 0, i_no = 0;
    if (!dir)
        return;
    snprintf(dirbuf, sizeof dirbuf, "%s", dir);
    count = scandir(dirbuf, &list, jts_filter, alphasort);
    CU_ASSERT_FATAL(count >= 0);
    printf("\n");
    for (k = 0; k < count; k++) {
        const char *name = list[k]->d_name;
        char path[4600];
        struct tu_cap c;
        int ok;
        snprintf(path, sizeof path, "%s/%s", dirbuf, name);
        ok = jts_parse(path, &c);
        CU_ASSERT_NOT_EQUAL(ok, -1);
        if (name[0] == 'y') {
            y++;
            CU_ASSERT_EQUAL(c.json_errors, 0);
            CU_ASSERT_TRUE(ok == 1 || (c.other_errors > 0 && strcmp(c.code[0], "duplicate-key") == 0));
            if (c.json_errors)
                printf("  FAIL %s: %s [%s]\n", name, c.msg[0], c.code[0]);
        } else if (name[0] == 'n') {
            n++;
            CU_ASSERT_EQUAL(ok, 0);
            CU_ASSERT_TRUE(c.json_errors >= 1);
            CU_ASSERT_EQUAL(c.other_errors, 0);
            if (ok || c.json_errors == 0)
                printf("  FAIL %s accepted\n", name);
        } else {
            (ok ? i_ok++ : i_no++);
            printf("  %s: %s%s%s%s\n", name, ok ? "accepted" : "refused: ", ok ? "" : c.msg[0],
                   ok ? "" : " ", ok ? "" : c.code[0]);
        }
        free(list[k]);
    }
    free(list);
    printf("  jsontestsuite: %d files (%u y_, %u n_, i_: %u accepted, %u refused)\n", count, y, n, i_ok, i_no);
    CU_ASSERT_EQUAL(count, 318);
}

int main(void)
{
    CU_pSuite s;
    int rc;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    arena_init(&g_arena);
    s = CU_add_suite("parser", NULL, NULL);
    CU_add_test(s, "tree", test_tree);
    CU_add_test(s, "top-level scalars", test_top_level_scalars);
    CU_add_test(s, "node locations", test_node_locations);
    CU_add_test(s, "syntax errors", test_syntax_errors);
    CU_add_test(s, "messages", test_messages);
    CU_add_test(s, "rendered diagnostic", test_rendered);
    CU_add_test(s, "Image Builder custom policy as printed", test_imagebuilder_custom_as_printed);
    CU_add_test(s, "depth limit", test_depth);
    CU_add_test(s, "duplicate keys", test_duplicate_keys);
    CU_add_test(s, "large objects and arrays", test_large);
    s = CU_add_suite("shared", NULL, NULL);
    CU_add_test(s, "managed corpus", test_corpus);
    CU_add_test(s, "JSONTestSuite", test_jsontestsuite);
    rc = tu_run();
    arena_free(&g_arena);
    return rc;
}
