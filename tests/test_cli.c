/* test_cli.c - pdtc compile, eval and dump through the built binary
 * (tu_pdtc): exit statuses 0/1/2/3, the atomic write (no file on error, an
 * old table left intact), the eval output format, error lines that let the
 * other requests go on, keys equal ignoring case, --context-json lists,
 * standard input.  Also unit tests of request.c and jsonout.c. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "jsonout.h"
#include "request.h"
#include "testutil.h"

static char cli_dir[] = "/tmp/pdt-test-cli-XXXXXX";

/* Path of name inside the test directory (static buffer, 4 rotating). */
static const char *P(const char *name)
{
    static char bufs[4][512];
    static int k;
    char *b = bufs[k++ & 3];
    snprintf(b, 512, "%s/%s", cli_dir, name);
    return b;
}

/* Writes a file in the test directory; returns 0 or -1 (no CUnit assertion:
 * also used by the suite's init). */
static int put(const char *name, const char *text)
{
    FILE *f = fopen(P(name), "wb");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static int exists(const char *name)
{
    struct stat st;
    return stat(P(name), &st) == 0;
}

/* Runs pdtc with a printf-formatted argument string; out/err may be NULL. */
static int run(const char *in, char **out, char **err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int run(const char *in, char **out, char **err, const char *fmt, ...)
{
    char args[8192];
    va_list ap;
    int st;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    st = tu_pdtc(args, in, out, err);
    return st;
}

/* Nonzero when the test directory holds a leftover temporary file. */
static int leftover_tmp(void)
{
    DIR *d = opendir(cli_dir);
    struct dirent *e;
    int found = 0;
    if (!d)
        return 1;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".tmp."))
            found = 1;
    closedir(d);
    return found;
}

#define POL_ALLOW \
    "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"ReadBucket\",\n" \
    "      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n" \
    "      \"Resource\": \"arn:aws:s3:::bucket/*\"\n    },\n" \
    "    {\n      \"Effect\": \"Deny\",\n      \"Action\": \"s3:GetObject\",\n" \
    "      \"Resource\": \"arn:aws:s3:::bucket/secret/*\"\n    }\n  ]\n}\n"

#define POL_COND \
    "{\"Version\": \"2012-10-17\", \"Statement\": [\n" \
    "{\"Sid\": \"Tags\", \"Effect\": \"Allow\", \"Action\": \"ec2:CreateTags\", \"Resource\": \"*\",\n" \
    " \"Condition\": {\"ForAnyValue:StringEquals\": {\"aws:TagKeys\": [\"env\", \"team\"]}}},\n" \
    "{\"Sid\": \"Tls\", \"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"*\",\n" \
    " \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}},\n" \
    "{\"Sid\": \"Num\", \"Effect\": \"Allow\", \"Action\": \"s3:PutObject\", \"Resource\": \"*\",\n" \
    " \"Condition\": {\"NumericLessThan\": {\"s3:max-keys\": \"10\"}}}\n]}\n"

static int suite_init(void)
{
    if (!mkdtemp(cli_dir))
        return 1;
    return put("allow.json", POL_ALLOW) || put("cond.json", POL_COND) ||
           put("bad.json", "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\"}}\n") ||
           put("syntax.json", "{\"Version\": \"2012-10-17\",, }\n");
}

static int suite_clean(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cli_dir);
    return system(cmd) == 0 ? 0 : 1;
}

static void test_compile_ok(void)
{
    char *out = NULL, *err = NULL;
    size_t len = 0;
    char *t;
    CU_ASSERT_EQUAL(run(NULL, &out, &err, "compile -o '%s' '%s'", P("ok.pdt"), P("allow.json")), 0);
    t = tu_read_file(P("ok.pdt"), &len);
    CU_ASSERT_PTR_NOT_NULL(t);
    CU_ASSERT(t && len >= 64 && memcmp(t, "\x89PDT\r\n\x1a\n", 8) == 0);
    CU_ASSERT_FALSE(leftover_tmp());
    CU_ASSERT_STRING_EQUAL(out ? out : "?", "");
    free(t);
    free(out);
    free(err);
}

/* Rewriting a table replaces the file (a new inode by rename), never
 * rewrites it in place; the mode follows the umask, not mkstemp's 0600. */
static void test_compile_replaces(void)
{
    struct stat before, after;
    mode_t mask = umask(022);
    umask(mask);
    CU_ASSERT_EQUAL_FATAL(stat(P("ok.pdt"), &before), 0);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "compile -o '%s' '%s'", P("ok.pdt"), P("allow.json")), 0);
    CU_ASSERT_EQUAL_FATAL(stat(P("ok.pdt"), &after), 0);
    CU_ASSERT_NOT_EQUAL(before.st_ino, after.st_ino);
    CU_ASSERT_EQUAL(after.st_mode & 0777, 0666 & ~mask);
    CU_ASSERT_FALSE(leftover_tmp());
}

static void test_compile_deterministic(void)
{
    size_t l1 = 0, l2 = 0;
    char *a, *b;
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "compile -o '%s' '%s' '%s'", P("d1.pdt"), P("allow.json"),
                        P("cond.json")), 0);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "compile '%s' --output '%s' '%s'", P("allow.json"), P("d2.pdt"),
                        P("cond.json")), 0);
    a = tu_read_file(P("d1.pdt"), &l1);
    b = tu_read_file(P("d2.pdt"), &l2);
    CU_ASSERT(a && b && l1 == l2 && memcmp(a, b, l1) == 0);
    free(a);
    free(b);
}

/* An invalid policy: exit 1, no new file, an existing table untouched. */
static void test_compile_refused_writes_nothing(void)
{
    char *err = NULL, *t;
    CU_ASSERT_EQUAL(run(NULL, NULL, &err, "compile -o '%s' '%s'", P("none.pdt"), P("bad.json")), 1);
    CU_ASSERT_FALSE(exists("none.pdt"));
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "bad.json:1:"));
    free(err);
    CU_ASSERT_EQUAL(put("old.pdt", "old contents"), 0);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "compile -o '%s' '%s' '%s'", P("old.pdt"), P("allow.json"),
                        P("syntax.json")), 1);
    t = tu_read_file(P("old.pdt"), NULL);
    CU_ASSERT_STRING_EQUAL(t ? t : "", "old contents");
    free(t);
    CU_ASSERT_FALSE(leftover_tmp());
}

static void test_compile_io_and_usage(void)
{
    char *err = NULL;
    CU_ASSERT_EQUAL(run(NULL, NULL, &err, "compile -o '%s' '%s'", P("x.pdt"), P("missing.json")), 3);
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "missing.json"));
    free(err);
    CU_ASSERT_FALSE(exists("x.pdt"));
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "compile -o '%s' '%s'", P("nodir/x.pdt"), P("allow.json")), 3);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "compile '%s'", P("allow.json")), 2);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "compile -o"), 2);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "compile --bogus -o '%s' '%s'", P("x.pdt"), P("allow.json")), 2);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "compile --help"), 0);
    CU_ASSERT_FALSE(exists("x.pdt"));
    CU_ASSERT_FALSE(leftover_tmp());
}

/* No policy is an empty set: everything is implicitly denied. */
static void test_compile_empty_set(void)
{
    char *out = NULL;
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "compile -o '%s'", P("empty.pdt")), 0);
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "eval '%s' --action s3:GetObject --resource '*'", P("empty.pdt")), 0);
    CU_ASSERT_STRING_EQUAL(out ? out : "", "{\"id\": null, \"decision\": \"ImplicitDeny\", \"statement\": null}\n");
    free(out);
}

static void test_compile_stdin(void)
{
    char *out = NULL;
    CU_ASSERT_EQUAL(run(POL_ALLOW, NULL, NULL, "compile -o '%s' -", P("stdin.pdt")), 0);
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "eval '%s' --action s3:GetObject --resource arn:aws:s3:::bucket/a",
                        P("stdin.pdt")), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "\"policy\": \"<stdin>\", \"line\": 4"));
    free(out);
}

static void test_eval_one(void)
{
    char *out = NULL;
    /* from policy files (compiled in memory) and from the table: same answer */
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "eval '%s' --action S3:getobject --resource arn:aws:s3:::bucket/a.txt",
                        P("allow.json")), 0);
    {
        char want[1024];
        snprintf(want, sizeof want,
                 "{\"id\": null, \"decision\": \"Allow\", \"statement\": {\"policy\": \"%s\", \"line\": 4, "
                 "\"sid\": \"ReadBucket\"}}\n", P("allow.json"));
        CU_ASSERT_STRING_EQUAL(out ? out : "", want);
    }
    free(out);
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "eval '%s' --action s3:GetObject --resource arn:aws:s3:::bucket/secret/k",
                        P("ok.pdt")), 0);
    {
        char want[1024];
        snprintf(want, sizeof want,
                 "{\"id\": null, \"decision\": \"ExplicitDeny\", \"statement\": {\"policy\": \"%s\", \"line\": 10, "
                 "\"sid\": null}}\n", P("allow.json"));
        CU_ASSERT_STRING_EQUAL(out ? out : "", want);
    }
    free(out);
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "eval '%s' --action s3:PutObject --resource arn:aws:s3:::bucket/a",
                        P("ok.pdt")), 0);
    CU_ASSERT_STRING_EQUAL(out ? out : "", "{\"id\": null, \"decision\": \"ImplicitDeny\", \"statement\": null}\n");
    free(out);
}

static void test_eval_stripped(void)
{
    char *out = NULL;
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "compile --strip -o '%s' '%s'", P("strip.pdt"), P("allow.json")), 0);
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "eval '%s' --action s3:GetObject --resource arn:aws:s3:::bucket/a",
                        P("strip.pdt")), 0);
    CU_ASSERT_STRING_EQUAL(out ? out : "", "{\"id\": null, \"decision\": \"Allow\", \"statement\": "
                                           "{\"policy\": null, \"line\": null, \"sid\": null}}\n");
    free(out);
}

/* A file name that needs escaping in the JSON output. */
static void test_eval_escaped_name(void)
{
    char *out = NULL;
    CU_ASSERT_EQUAL(put("q\"uote\\d.json", POL_ALLOW), 0);
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "eval '%s' --action s3:GetObject --resource arn:aws:s3:::bucket/a",
                        P("q\"uote\\d.json")), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "q\\\"uote\\\\d.json\", \"line\": 4"));
    free(out);
}

#define REQS \
    "{\"id\": 1, \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::bucket/a\"}\n" \
    "\n" \
    "{\"id\": \"two\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::bucket/secret/b\", \"context\": {}}\n" \
    "{\"id\": [1, {\"k\": null}], \"action\": \"s3:GetObject\"}\n" \
    "not json at all\n" \
    "{\"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::other/x\"}\r\n" \
    "{\"id\": 6, \"action\": \"s3:GetObject\", \"resource\": \"*\", \"context\": {\"a\": {\"x\": 1}}}\n" \
    "{\"id\": 7, \"action\": \"s3:GetObject\", \"resource\": \"*\", \"context\": {\"aws:UserName\": \"a\", \"AWS:username\": \"b\"}}\n" \
    "{\"id\": 8, \"action\": \"s3:GetObject\", \"resource\": \"*\", \"extra\": 1}\n" \
    "{\"id\": 9, \"action\": \"s3:GetObject\", \"resource\": \"*\", \"context\": {\"n\": 5, \"b\": [true, 1.5, \"s\"]}}\n" \
    "{\"id\": 10, \"action\": \"s3:GetObject\", \"resource\": \"*\", \"context\": {\"l\": [[\"nested\"]]}}\n" \
    "{\"id\": 11, \"action\": \"s3:GetObject\", \"resource\": \"*\", \"context\": {\"l\": null}}\n" \
    "{\"id\": 12, \"action\": \"s3:Get\\u0000Object\", \"resource\": \"*\"}\n" \
    "{\"id\": 13, \"action\": \"s3:GetObject\", \"resource\": \"*\", \"id\": 14}\n" \
    "{\"id\": 15, \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::bucket/z\"}"

/* Checks the output of REQS line by line. */
static void check_reqs_output(const char *out, const char *policy)
{
    char want[1024];
    const char *p = out ? out : "";
    const char *lines[16];
    size_t n = 0;
    char *copy = strdup(p), *s, *save = NULL;
    for (s = strtok_r(copy, "\n", &save); s && n < 16; s = strtok_r(NULL, "\n", &save))
        lines[n++] = s;
    CU_ASSERT_EQUAL_FATAL(n, 14);
    snprintf(want, sizeof want, "{\"id\": 1, \"decision\": \"Allow\", \"statement\": {\"policy\": \"%s\", "
             "\"line\": 4, \"sid\": \"ReadBucket\"}}", policy);
    CU_ASSERT_STRING_EQUAL(lines[0], want);
    CU_ASSERT_PTR_NOT_NULL(strstr(lines[1], "{\"id\": \"two\", \"decision\": \"ExplicitDeny\""));
    CU_ASSERT_STRING_EQUAL(lines[2], "{\"id\": [1, {\"k\": null}], \"error\": \"missing \\\"resource\\\"\"}");
    CU_ASSERT_PTR_NOT_NULL(strstr(lines[3], "{\"id\": null, \"error\": \"5:"));
    CU_ASSERT_STRING_EQUAL(lines[4], "{\"id\": null, \"decision\": \"ImplicitDeny\", \"statement\": null}");
    CU_ASSERT_PTR_NOT_NULL(strstr(lines[5], "{\"id\": 6, \"error\": \"context key \\\"a\\\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(lines[6], "{\"id\": 7, \"error\": \"context keys equal ignoring case"));
    CU_ASSERT_PTR_NOT_NULL(strstr(lines[7], "{\"id\": 8, \"error\": \"unknown member \\\"extra\\\""));
    CU_ASSERT_STRING_EQUAL(lines[8], "{\"id\": 9, \"decision\": \"ImplicitDeny\", \"statement\": null}");
    CU_ASSERT_PTR_NOT_NULL(strstr(lines[9], "{\"id\": 10, \"error\": \"context key \\\"l\\\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(lines[10], "{\"id\": 11, \"error\": \"context key \\\"l\\\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(lines[11], "{\"id\": 12, \"error\": \"\\\"action\\\" must be a string"));
    CU_ASSERT_PTR_NOT_NULL(strstr(lines[12], "{\"id\": null, \"error\": \"14:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(lines[12], "duplicate-key"));
    CU_ASSERT_PTR_NOT_NULL(strstr(lines[13], "{\"id\": 15, \"decision\": \"Allow\""));
    free(copy);
}

static void test_eval_requests_file(void)
{
    char *out = NULL, *err = NULL;
    CU_ASSERT_EQUAL(put("reqs.jsonl", REQS), 0);
    CU_ASSERT_EQUAL(run(NULL, &out, &err, "eval '%s' --requests '%s'", P("allow.json"), P("reqs.jsonl")), 1);
    check_reqs_output(out, P("allow.json"));
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "reqs.jsonl:5: error:"));
    free(out);
    free(err);
}

static void test_eval_requests_stdin(void)
{
    char *out = NULL;
    CU_ASSERT_EQUAL(run(REQS, &out, NULL, "eval '%s' --requests -", P("ok.pdt")), 1);
    check_reqs_output(out, P("allow.json"));
    free(out);
    /* all lines good: exit 0 */
    CU_ASSERT_EQUAL(run("{\"action\": \"a:b\", \"resource\": \"*\"}\n", &out, NULL, "eval '%s' --requests -",
                        P("ok.pdt")), 0);
    CU_ASSERT_STRING_EQUAL(out ? out : "", "{\"id\": null, \"decision\": \"ImplicitDeny\", \"statement\": null}\n");
    free(out);
    /* empty input: no output, exit 0 */
    CU_ASSERT_EQUAL(run("", &out, NULL, "eval '%s' --requests -", P("ok.pdt")), 0);
    CU_ASSERT_STRING_EQUAL(out ? out : "?", "");
    free(out);
}

/* A line longer than REQUEST_LINE_MAX is refused without being parsed; the
 * lines around it are decided. */
static void test_eval_long_line(void)
{
    size_t n = REQUEST_LINE_MAX + 100, k = 0;
    char *in = malloc(n + 300), *out = NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    k += (size_t)sprintf(in + k, "{\"id\": 1, \"action\": \"a:b\", \"resource\": \"*\"}\n{\"id\": \"");
    memset(in + k, 'x', n);
    k += n;
    sprintf(in + k, "\"}\n{\"id\": 3, \"action\": \"a:b\", \"resource\": \"*\"}\n");
    CU_ASSERT_EQUAL(run(in, &out, NULL, "eval '%s' --requests -", P("ok.pdt")), 1);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "{\"id\": 1, \"decision\": \"ImplicitDeny\""));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "{\"id\": null, \"error\": \"line longer than"));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "{\"id\": 3, \"decision\": \"ImplicitDeny\""));
    free(out);
    free(in);
}

/* Two keys equal ignoring case on the command line: refused with an error line. */
static void test_eval_duplicate_case_keys(void)
{
    char *out = NULL;
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "eval '%s' --action s3:GetObject --resource '*' "
                        "--context aws:username=a --context AWS:UserName=b", P("ok.pdt")), 1);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "{\"id\": null, \"error\": \"context keys equal ignoring case"));
    free(out);
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "eval '%s' --action s3:GetObject --resource '*' "
                        "--context aws:username=a --context-json '{\"Aws:UserName\": [\"b\"]}'", P("ok.pdt")), 1);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "\"error\": \"context keys equal ignoring case"));
    free(out);
}

/* Lists through --context-json and in request lines, numbers and booleans as
 * their JSON text (decided by the condition engine). */
static void test_eval_context_values(void)
{
    char *out = NULL;
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "eval '%s' --action ec2:CreateTags --resource '*' "
                        "--context-json '{\"aws:TagKeys\": [\"owner\", \"team\"]}'", P("cond.json")), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "\"decision\": \"Allow\""));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "\"sid\": \"Tags\""));
    free(out);
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "eval '%s' --action ec2:CreateTags --resource '*' "
                        "--context-json '{\"aws:TagKeys\": [\"owner\"]}'", P("cond.json")), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "\"decision\": \"ImplicitDeny\""));
    free(out);
    CU_ASSERT_EQUAL(run("{\"id\": 1, \"action\": \"s3:ListBucket\", \"resource\": \"*\", \"context\": "
                        "{\"aws:SecureTransport\": true}}\n"
                        "{\"id\": 2, \"action\": \"s3:ListBucket\", \"resource\": \"*\", \"context\": "
                        "{\"aws:SecureTransport\": false}}\n"
                        "{\"id\": 3, \"action\": \"s3:PutObject\", \"resource\": \"*\", \"context\": "
                        "{\"s3:max-keys\": 9.5}}\n"
                        "{\"id\": 4, \"action\": \"s3:PutObject\", \"resource\": \"*\", \"context\": "
                        "{\"s3:max-keys\": 10}}\n",
                        &out, NULL, "eval '%s' --requests -", P("cond.json")), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "{\"id\": 1, \"decision\": \"Allow\""));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "{\"id\": 2, \"decision\": \"ImplicitDeny\""));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "{\"id\": 3, \"decision\": \"Allow\""));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "{\"id\": 4, \"decision\": \"ImplicitDeny\""));
    free(out);
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "eval '%s' --action s3:ListBucket --resource '*' "
                        "--context aws:SecureTransport=true", P("cond.json")), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "\"decision\": \"Allow\""));
    free(out);
}

static void test_eval_usage(void)
{
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "eval '%s' --resource '*'", P("ok.pdt")), 2);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "eval --action a:b --resource '*'"), 2);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "eval '%s' --action a:b --resource '*' --requests -", P("ok.pdt")), 2);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "eval '%s' --action a:b --resource '*' --context novalue", P("ok.pdt")), 2);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "eval '%s' --action a:b --resource '*' --context-json '{'", P("ok.pdt")), 2);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "eval '%s' --action a:b --resource '*' --context-json '[]'", P("ok.pdt")), 2);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "eval - --requests -"), 2);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "eval '%s' '%s' --requests -", P("ok.pdt"), P("allow.json")), 2);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "eval '%s' --action a:b --resource '*' --frobnicate", P("ok.pdt")), 2);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "eval --help"), 0);
}

static void test_eval_refused_and_io(void)
{
    char *out = NULL, *err = NULL;
    /* invalid policy: diagnostics as in check, exit 1, no decision */
    CU_ASSERT_EQUAL(run(NULL, &out, &err, "eval '%s' --action a:b --resource '*'", P("bad.json")), 1);
    CU_ASSERT_STRING_EQUAL(out ? out : "?", "");
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "bad.json:1:") && strstr(err, "error:"));
    free(out);
    free(err);
    /* corrupt table: a clear message, exit 1 */
    {
        size_t len = 0;
        char *t = tu_read_file(P("ok.pdt"), &len);
        FILE *f = fopen(P("corrupt.pdt"), "wb");
        CU_ASSERT_FATAL(t && f && len > 100);
        t[len - 3] ^= 0x55;
        fwrite(t, 1, len, f);
        fclose(f);
        free(t);
    }
    CU_ASSERT_EQUAL(run(NULL, &out, &err, "eval '%s' --action a:b --resource '*'", P("corrupt.pdt")), 1);
    CU_ASSERT_STRING_EQUAL(out ? out : "?", "");
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "corrupt.pdt: not a valid decision table"));
    free(out);
    free(err);
    CU_ASSERT_EQUAL(run(NULL, NULL, &err, "eval '%s' --action a:b --resource '*'", P("nothere.pdt")), 3);
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "nothere.pdt"));
    free(err);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "eval '%s' --requests '%s'", P("ok.pdt"), P("nothere.jsonl")), 3);
}

static void test_dump(void)
{
    char *out = NULL;
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "dump '%s'", P("d1.pdt")), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "statements: 5 (1 Deny, 4 Allow)"));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "sid=ReadBucket"));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "coverage: "));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "acthash"));
    free(out);
    CU_ASSERT_EQUAL(run(NULL, &out, NULL, "dump '%s'", P("strip.pdt")), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "stripped"));
    free(out);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "dump '%s'", P("corrupt.pdt")), 1);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "dump '%s'", P("allow.json")), 1);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "dump '%s'", P("nothere.pdt")), 3);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "dump"), 2);
    CU_ASSERT_EQUAL(run(NULL, NULL, NULL, "dump a b"), 2);
}

/* ---- unit tests of request.c and jsonout.c ---- */

static char *capture_value(const struct json *v, const char *s, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (v)
        jsonout_value(f, v);
    else
        jsonout_strn(f, s, n);
    fclose(f);
    return buf;
}

static void test_jsonout_escapes(void)
{
    char *s = capture_value(NULL, "a\"b\\c\n\t\x01\x7f\xc3\xa9\xff\xed\xa0\x80z", 16);
    CU_ASSERT_STRING_EQUAL(s, "\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\xc3\xa9\\u00ff\\u00ed\\u00a0\\u0080z\"");
    free(s);
    s = capture_value(NULL, "nul\0byte", 8);
    CU_ASSERT_STRING_EQUAL(s, "\"nul\\u0000byte\"");
    free(s);
}

static void test_jsonout_value_roundtrip(void)
{
    struct arena a;
    struct diag d;
    const char *text = "{\"a\":[1,-2.5e3,true,false,null,{}],\"b\":{\"c\":[[]]},\"\\u00e9\":\"x\\ny\"}";
    struct json *j;
    char *s;
    arena_init(&a);
    diag_init(&d, NULL);
    j = json_parse(&a, &d, "t", text, strlen(text), 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    s = capture_value(j, NULL, 0);
    CU_ASSERT_STRING_EQUAL(s, "{\"a\": [1, -2.5e3, true, false, null, {}], \"b\": {\"c\": [[]]}, \"\xc3\xa9\": \"x\\ny\"}");
    free(s);
    diag_fini(&d);
    arena_free(&a);
}

static void test_request_parse(void)
{
    struct arena a;
    struct request_line r;
    const char *ok = "{\"id\":\"x\",\"action\":\"s3:GetObject\",\"resource\":\"*\","
                     "\"context\":{\"k\":\"v\",\"l\":[\"a\",2,false],\"n\":-0.5,\"e\":[]}}";
    static const char *const extra[] = {"expect", NULL};
    arena_init(&a);
    CU_ASSERT_EQUAL_FATAL(request_parse_line(&a, "f", ok, strlen(ok), 3, NULL, &r), 0);
    CU_ASSERT_EQUAL(r.line, 3);
    CU_ASSERT_STRING_EQUAL(r.req.action, "s3:GetObject");
    CU_ASSERT_EQUAL_FATAL(r.req.ncontext, 4);
    CU_ASSERT_STRING_EQUAL(r.req.context[0].key, "k");
    CU_ASSERT_EQUAL(r.req.context[0].multi, 0);
    CU_ASSERT_EQUAL(r.req.context[0].nvalues, 1);
    CU_ASSERT_EQUAL(r.req.context[1].multi, 1);
    CU_ASSERT_EQUAL_FATAL(r.req.context[1].nvalues, 3);
    CU_ASSERT_STRING_EQUAL(r.req.context[1].values[1], "2");
    CU_ASSERT_STRING_EQUAL(r.req.context[1].values[2], "false");
    CU_ASSERT_STRING_EQUAL(r.req.context[2].values[0], "-0.5");
    CU_ASSERT_EQUAL(r.req.context[3].multi, 1);
    CU_ASSERT_EQUAL(r.req.context[3].nvalues, 0);
    CU_ASSERT_EQUAL(r.id->type, JSON_STRING);
    /* extra members only when allowed */
    {
        const char *t = "{\"action\":\"a:b\",\"resource\":\"*\",\"expect\":\"Allow\"}";
        CU_ASSERT_EQUAL(request_parse_line(&a, "f", t, strlen(t), 1, NULL, &r), -1);
        CU_ASSERT_EQUAL(request_parse_line(&a, "f", t, strlen(t), 1, extra, &r), 0);
        CU_ASSERT_PTR_NULL(r.id);
    }
    {
        const char *t = "[1]";
        CU_ASSERT_EQUAL(request_parse_line(&a, "f", t, strlen(t), 1, NULL, &r), -1);
        CU_ASSERT_STRING_EQUAL(r.error, "a request must be a JSON object");
    }
    arena_free(&a);
}

static void test_request_lines(void)
{
    const char *buf = "a\r\n\nbb\nccc", *line;
    size_t pos = 0, len;
    unsigned no = 0;
    CU_ASSERT_EQUAL(request_next_line(buf, strlen(buf), &pos, &no, &line, &len), 1);
    CU_ASSERT(no == 1 && len == 1 && line[0] == 'a');
    CU_ASSERT_EQUAL(request_next_line(buf, strlen(buf), &pos, &no, &line, &len), 1);
    CU_ASSERT(no == 2 && len == 0 && request_blank(line, len));
    CU_ASSERT_EQUAL(request_next_line(buf, strlen(buf), &pos, &no, &line, &len), 1);
    CU_ASSERT(no == 3 && len == 2);
    CU_ASSERT_EQUAL(request_next_line(buf, strlen(buf), &pos, &no, &line, &len), 1);
    CU_ASSERT(no == 4 && len == 3 && !request_blank(line, len));
    CU_ASSERT_EQUAL(request_next_line(buf, strlen(buf), &pos, &no, &line, &len), 0);
}

static void test_request_keys(void)
{
    struct arena a;
    const char *v[] = {"x"};
    struct pdt_kv kv[3] = {{"aws:A", v, 1, 0}, {"b", v, 1, 0}, {"AWS:a", v, 1, 0}};
    const char *err = NULL;
    arena_init(&a);
    CU_ASSERT_EQUAL(request_check_keys(&a, kv, 2, &err), 0);
    CU_ASSERT_EQUAL(request_check_keys(&a, kv, 3, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "aws:a"));
    arena_free(&a);
}

/* Runs "pdtc ARGS >/dev/full" through the shell; returns the exit status. */
static int cli_to_full(const char *args)
{
    char cmd[1024];
    const char *pdtc = getenv("PDTC");
    int st;
    snprintf(cmd, sizeof cmd, "'%s' %s >/dev/full 2>/dev/null", pdtc ? pdtc : "pdtc", args);
    st = system(cmd);
    return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* A result that cannot be written is an I/O failure (3), never success. */
static void test_stdout_write_error(void)
{
    char args[512];
    if (access("/dev/full", W_OK) != 0) {
        printf("skipped: no /dev/full\n");
        return;
    }
    CU_ASSERT_EQUAL(cli_to_full("--version"), 3);
    CU_ASSERT_EQUAL(cli_to_full("--help"), 3);
    snprintf(args, sizeof args, "check -v '%s'", tu_source("examples/imagebuilder/read-only-access.json"));
    CU_ASSERT_EQUAL(cli_to_full(args), 3);
    snprintf(args, sizeof args, "eval '%s' --action s3:GetObject --resource '*'",
             tu_source("examples/imagebuilder/read-only-access.json"));
    CU_ASSERT_EQUAL(cli_to_full(args), 3);
    CU_ASSERT_EQUAL(tu_pdtc("--version extra", NULL, NULL, NULL), 2);
}

/* Commands that read policy JSON say so plainly when given a table. */
static void test_table_given_as_policy(void)
{
    char args[1024], *err = NULL;
    const char *pol = tu_source("examples/imagebuilder/read-only-access.json");
    char table[] = "/tmp/pdt-cli-tableXXXXXX";
    int fd = mkstemp(table);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    snprintf(args, sizeof args, "compile -o '%s' '%s'", table, pol);
    CU_ASSERT_EQUAL_FATAL(tu_pdtc(args, NULL, NULL, NULL), 0);
    snprintf(args, sizeof args, "check '%s'", table);
    CU_ASSERT_EQUAL(tu_pdtc(args, NULL, NULL, &err), 1);
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "compiled decision table, not a policy file"));
    free(err);
    snprintf(args, sizeof args, "expand '%s'", table);
    CU_ASSERT_EQUAL(tu_pdtc(args, NULL, NULL, &err), 1);
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "compiled decision table, not a policy file"));
    free(err);
    unlink(table);
}

int main(void)
{
    CU_pSuite s, u;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    u = CU_add_suite("request+jsonout", NULL, NULL);
    CU_add_test(u, "jsonout escapes", test_jsonout_escapes);
    CU_add_test(u, "jsonout value", test_jsonout_value_roundtrip);
    CU_add_test(u, "request parse", test_request_parse);
    CU_add_test(u, "request lines", test_request_lines);
    CU_add_test(u, "request keys", test_request_keys);
    s = CU_add_suite("cli", suite_init, suite_clean);
    CU_add_test(s, "compile ok", test_compile_ok);
    CU_add_test(s, "stdout write error", test_stdout_write_error);
    CU_add_test(s, "table given as policy", test_table_given_as_policy);
    CU_add_test(s, "compile replaces", test_compile_replaces);
    CU_add_test(s, "compile deterministic", test_compile_deterministic);
    CU_add_test(s, "compile refused writes nothing", test_compile_refused_writes_nothing);
    CU_add_test(s, "compile io and usage", test_compile_io_and_usage);
    CU_add_test(s, "compile empty set", test_compile_empty_set);
    CU_add_test(s, "compile stdin", test_compile_stdin);
    CU_add_test(s, "eval one", test_eval_one);
    CU_add_test(s, "eval stripped", test_eval_stripped);
    CU_add_test(s, "eval escaped name", test_eval_escaped_name);
    CU_add_test(s, "eval requests file", test_eval_requests_file);
    CU_add_test(s, "eval requests stdin", test_eval_requests_stdin);
    CU_add_test(s, "eval long line", test_eval_long_line);
    CU_add_test(s, "eval duplicate-case keys", test_eval_duplicate_case_keys);
    CU_add_test(s, "eval context values", test_eval_context_values);
    CU_add_test(s, "eval usage", test_eval_usage);
    CU_add_test(s, "eval refused and io", test_eval_refused_and_io);
    CU_add_test(s, "dump", test_dump);
    return tu_run();
}
