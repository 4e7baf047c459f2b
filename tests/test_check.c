/* test_check.c - `pdtc check` end to end (through the built pdtc binary):
 * the diagnostic format with its source line and caret, colours, exit
 * statuses 0/1/2/3, standard input, options, the Image Builder examples and
 * the custom policy as printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static char *out, *err;
static char tmpdir[] = "/tmp/pdt-check-XXXXXX";

static int pdtc(const char *args, const char *in)
{
    free(out);
    free(err);
    out = err = NULL;
    return tu_pdtc(args, in, &out, &err);
}

/* Writes text to tmpdir/name and returns the path (static buffer). */
static const char *put(const char *name, const char *text)
{
    static char path[512];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

#define VALID "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}"
#define INVALID "{\"Version\": \"2012-10-17\",\n \"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}\n"

static void test_examples(void)
{
    char args[1024];
    snprintf(args, sizeof args, "check '%s' '%s' '%s'", tu_source("examples/imagebuilder/read-only-access.json"),
             tu_source("examples/imagebuilder/full-access.json"),
             tu_source("examples/imagebuilder/custom-policy.json"));
    CU_ASSERT_EQUAL(pdtc(args, NULL), 0);
    CU_ASSERT_PTR_NOT_NULL(err);
    CU_ASSERT_PTR_NULL(strstr(err ? err : "", "error"));
}

static void test_custom_as_printed(void)
{
    char args[1024];
    const char *p = tu_source("tests/fixtures/imagebuilder-custom-as-printed.json");
    char want[1100];
    snprintf(args, sizeof args, "check --color=never '%s'", p);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 1);
    snprintf(want, sizeof want, "%s:22:7: error: expected ',' or '}' after object member, found string \"Condition\" [json-", p);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
    /* the source line and a caret under column 7 */
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "\n      \"Condition\": {\n      ^\n"));
    if (!strstr(err, want))
        printf("\n%s\n", err);
}

static void test_format_and_status(void)
{
    const char *bad = put("bad.json", INVALID), *good;
    char args[1024], want[2048];

    snprintf(args, sizeof args, "check --color=never '%s'", bad);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 1);
    snprintf(want, sizeof want,
             "%s:2:26: error: Effect 'allow' must be written exactly \"Allow\" or \"Deny\" (the value is case-sensitive) "
             "[invalid-effect]\n \"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}\n"
             "                         ^\n", bad);
    CU_ASSERT_STRING_EQUAL(err, want);
    CU_ASSERT_STRING_EQUAL(out, "");
    good = put("good.json", VALID);
    snprintf(args, sizeof args, "check '%s'", good);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 0);
    CU_ASSERT_STRING_EQUAL(err, "");
    CU_ASSERT_STRING_EQUAL(out, "");
    /* one bad file makes the run fail, the good ones are still checked */
    snprintf(args, sizeof args, "check '%s/good.json' '%s/bad.json' '%s/good.json'", tmpdir, tmpdir, tmpdir);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 1);
    /* an unreadable file: 3, also when another is refused */
    snprintf(args, sizeof args, "check '%s/bad.json' '%s/missing.json'", tmpdir, tmpdir);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "missing.json: error: cannot read"));
    /* -v says ok */
    snprintf(args, sizeof args, "check -v '%s/good.json'", tmpdir);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "good.json: ok (1 statement)"));
}

static void test_stdin(void)
{
    CU_ASSERT_EQUAL(pdtc("check -", VALID), 0);
    CU_ASSERT_EQUAL(pdtc("check --color=never -", INVALID), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "<stdin>:2:26: error: "));
    CU_ASSERT_EQUAL(pdtc("check - -", VALID), 2);
    CU_ASSERT_EQUAL(pdtc("check -", ""), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "[json-"));
}

static void test_color(void)
{
    const char *bad = put("bad.json", INVALID);
    char args[1024];
    snprintf(args, sizeof args, "check --color=always '%s'", bad);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "\033["));
    snprintf(args, sizeof args, "check --color never '%s'", bad);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 1);
    CU_ASSERT_PTR_NULL(strstr(err, "\033["));
    /* auto: standard error is a file here, and NO_COLOR is honoured */
    snprintf(args, sizeof args, "check '%s'", bad);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 1);
    CU_ASSERT_PTR_NULL(strstr(err, "\033["));
    CU_ASSERT_EQUAL(setenv("NO_COLOR", "1", 1), 0);
    snprintf(args, sizeof args, "check --color=auto '%s'", bad);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 1);
    CU_ASSERT_PTR_NULL(strstr(err, "\033["));
    unsetenv("NO_COLOR");
}

static void test_usage(void)
{
    CU_ASSERT_EQUAL(pdtc("check", NULL), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "no policy file"));
    CU_ASSERT_EQUAL(pdtc("check --bogus x.json", NULL), 2);
    CU_ASSERT_EQUAL(pdtc("check --color=sometimes x.json", NULL), 2);
    CU_ASSERT_EQUAL(pdtc("check --max-errors x.json", NULL), 2);
    CU_ASSERT_EQUAL(pdtc("check --max-errors", NULL), 2);
    CU_ASSERT_EQUAL(pdtc("check --max-errors=-1 x.json", NULL), 2);
    CU_ASSERT_EQUAL(pdtc("check --max-policy-size=big x.json", NULL), 2);
    CU_ASSERT_EQUAL(pdtc("check --help", NULL), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "usage: pdtc check"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "--max-errors"));
}

static void test_max_errors(void)
{
    const char *many = put("many.json",
                           "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"x\"}, {\"Effect\": \"y\"}]}");
    char args[1024];
    /* 2 x (invalid-effect, missing-action, missing-resource) = 6 errors */
    snprintf(args, sizeof args, "check --color=never '%s'", many);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "[missing-resource]\n{\"Version\""));
    CU_ASSERT_PTR_NULL(strstr(err, "too many errors"));
    snprintf(args, sizeof args, "check --color=never --max-errors 2 '%s'", many);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "[missing-action]"));
    CU_ASSERT_PTR_NULL(strstr(err, "[missing-resource]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "too many errors"));
    snprintf(args, sizeof args, "check --color=never --max-errors=0 '%s'", many);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 1);
    CU_ASSERT_PTR_NULL(strstr(err, "too many errors"));
}

static void test_warnings(void)
{
    const char *id = put("id.json", "{\"Version\": \"2012-10-17\", \"Id\": \"x\", \"Statement\": "
                                    "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}");
    char args[1024];
    snprintf(args, sizeof args, "check --color=never '%s'", id);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, ":1:27: warning: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "[id-ignored]"));
    snprintf(args, sizeof args, "check --color=never --warnings-as-errors '%s'", id);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, ":1:27: error: "));
    /* size quota: off by default, on when asked */
    put("good.json", VALID);
    snprintf(args, sizeof args, "check '%s/good.json'", tmpdir);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 0);
    CU_ASSERT_PTR_NULL(strstr(err, "policy-too-large"));
    snprintf(args, sizeof args, "check --max-policy-size 20 '%s/good.json'", tmpdir);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "[policy-too-large]"));
    snprintf(args, sizeof args, "check --max-policy-size=managed '%s/good.json'", tmpdir);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 0);
    CU_ASSERT_PTR_NULL(strstr(err, "policy-too-large"));
    snprintf(args, sizeof args, "check --warnings-as-errors --max-policy-size 20 '%s/good.json'", tmpdir);
    CU_ASSERT_EQUAL(pdtc(args, NULL), 1);
}

int main(void)
{
    CU_pSuite s;
    int rc;
    if (!mkdtemp(tmpdir))
        return 1;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("pdtc check", NULL, NULL);
    CU_add_test(s, "Image Builder examples are green", test_examples);
    CU_add_test(s, "custom policy as printed", test_custom_as_printed);
    CU_add_test(s, "format, caret and exit status", test_format_and_status);
    CU_add_test(s, "standard input", test_stdin);
    CU_add_test(s, "colour", test_color);
    CU_add_test(s, "usage errors", test_usage);
    CU_add_test(s, "--max-errors", test_max_errors);
    CU_add_test(s, "warnings", test_warnings);
    rc = tu_run();
    free(out);
    free(err);
    {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            rc = rc ? rc : 0;
    }
    return rc;
}
