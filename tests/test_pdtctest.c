/* test_pdtctest.c - `pdtc test TABLE|POLICY.json... EXPECT.jsonl` through the
 * built pdtc: the pass path (exit 0, summary), the fail path (exit 1, each
 * failure as EXPECT:LINE with the request, the expected and actual
 * decisions and the deciding statement FILE:LINE Sid), malformed lines
 * (EXPECT:LINE:COL), usage (2) and I/O (3) errors, table and stripped-table
 * inputs, and the build-step example (examples/build-step) end to end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static char tmpdir[] = "/tmp/pdt-test-pdtctest-XXXXXX";
static char pol[600], deny[600], table[600], stripped[600];

static const char *const POLICY =
    "{\"Version\": \"2012-10-17\", \"Statement\": [\n"
    "  {\"Sid\": \"Read\", \"Effect\": \"Allow\", \"Action\": \"s3:Get*\", \"Resource\": \"*\"},\n"
    "  {\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"arn:aws:iam::1:role/Build\",\n"
    "   \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"ec2.amazonaws.com\"}}}\n"
    "]}\n";

static const char *const DENY =
    "{\"Version\": \"2012-10-17\", \"Statement\": [\n"
    "  {\"Sid\": \"Vault\", \"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::vault/*\"}\n"
    "]}\n";

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Path of name in the temporary directory (static buffer per call site). */
static const char *tmp(const char *name, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s", tmpdir, name);
    return buf;
}

static int suite_init(void)
{
    char cmd[2000];
    if (!mkdtemp(tmpdir))
        return 1;
    tmp("p.json", pol, sizeof pol);
    tmp("deny.json", deny, sizeof deny);
    tmp("t.pdt", table, sizeof table);
    tmp("s.pdt", stripped, sizeof stripped);
    if (write_file(pol, POLICY) || write_file(deny, DENY))
        return 1;
    snprintf(cmd, sizeof cmd, "compile -o '%s' '%s' '%s'", table, pol, deny);
    if (tu_pdtc(cmd, NULL, NULL, NULL) != 0)
        return 1;
    snprintf(cmd, sizeof cmd, "compile --strip -o '%s' '%s' '%s'", stripped, pol, deny);
    return tu_pdtc(cmd, NULL, NULL, NULL) != 0;
}

static int suite_fini(void)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) != 0;
}

/* Writes expectations to the temporary file `name` and runs `pdtc test
 * INPUTS FILE`.  Returns the exit status. */
static int run(const char *inputs, const char *name, const char *expect, char **out, char **err)
{
    char path[700], cmd[4096];
    tmp(name, path, sizeof path);
    if (write_file(path, expect) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "test %s '%s'", inputs, path);
    return tu_pdtc(cmd, NULL, out, err);
}

static const char *const PASSING =
    "{\"id\": 1, \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::docs/a\", \"expect\": \"Allow\"}\n"
    "\n"
    "{\"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::vault/a\", \"expect\": \"ExplicitDeny\"}\n"
    "{\"action\": \"iam:PassRole\", \"resource\": \"arn:aws:iam::1:role/Build\", "
    "\"context\": {\"iam:PassedToService\": \"ec2.amazonaws.com\"}, \"expect\": \"Allow\"}\n"
    "{\"action\": \"iam:PassRole\", \"resource\": \"arn:aws:iam::1:role/Admin\", "
    "\"context\": {\"iam:PassedToService\": \"ec2.amazonaws.com\"}, \"expect\": \"ImplicitDeny\"}\n";

static void test_pass(void)
{
    char inputs[1400], *out = NULL, *err = NULL;
    snprintf(inputs, sizeof inputs, "'%s' '%s'", pol, deny);
    CU_ASSERT_EQUAL(run(inputs, "pass.jsonl", PASSING, &out, &err), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_STRING_EQUAL(out, "4 passed, 0 failed\n");
    CU_ASSERT(err && err[0] == '\0');
    free(out);
    free(err);
    /* the same against the compiled table, and -v lists every line */
    snprintf(inputs, sizeof inputs, "-v '%s'", table);
    CU_ASSERT_EQUAL(run(inputs, "pass.jsonl", PASSING, &out, &err), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "/pass.jsonl:1: ok: Allow: {\"id\": 1, \"action\": \"s3:GetObject\", "
                                       "\"resource\": \"arn:aws:s3:::docs/a\"}\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "/pass.jsonl:5: ok: ImplicitDeny: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "4 passed, 0 failed\n"));
    free(out);
    free(err);
    /* expectations on standard input */
    {
        char cmd[1400];
        snprintf(cmd, sizeof cmd, "test '%s' -", table);
        CU_ASSERT_EQUAL(tu_pdtc(cmd, PASSING, &out, NULL), 0);
        CU_ASSERT(out && strcmp(out, "4 passed, 0 failed\n") == 0);
        free(out);
    }
    /* an empty file holds nothing that fails */
    CU_ASSERT_EQUAL(run(inputs, "empty.jsonl", "", &out, NULL), 0);
    CU_ASSERT(out && strstr(out, "0 passed, 0 failed\n"));
    free(out);
}

static void test_fail(void)
{
    char inputs[1400], want[2000], *out = NULL, *err = NULL;
    const char *expect =
        "{\"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::docs/a\", \"expect\": \"Allow\"}\n"
        "{\"id\": \"vault\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::vault/a\", "
        "\"expect\": \"Allow\"}\n"
        "{\"action\": \"iam:PassRole\", \"resource\": \"arn:aws:iam::1:role/Build\", \"expect\": \"Allow\"}\n"
        "{\"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::docs/b\", \"expect\": \"ImplicitDeny\"}\n";

    snprintf(inputs, sizeof inputs, "'%s' '%s'", pol, deny);
    CU_ASSERT_EQUAL(run(inputs, "fail.jsonl", expect, &out, &err), 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    snprintf(want, sizeof want,
             "%s/fail.jsonl:2: expected Allow, got ExplicitDeny: {\"id\": \"vault\", \"action\": \"s3:GetObject\", "
             "\"resource\": \"arn:aws:s3:::vault/a\"}; deciding statement: %s:2 Sid Vault\n",
             tmpdir, deny);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
    snprintf(want, sizeof want,
             "%s/fail.jsonl:3: expected Allow, got ImplicitDeny: {\"action\": \"iam:PassRole\", "
             "\"resource\": \"arn:aws:iam::1:role/Build\"}; deciding statement: none (no statement applies)\n",
             tmpdir);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
    snprintf(want, sizeof want, "%s/fail.jsonl:4: expected ImplicitDeny, got Allow: ", tmpdir);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
    snprintf(want, sizeof want, "; deciding statement: %s:2 Sid Read\n", pol);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
    CU_ASSERT_PTR_NULL(strstr(out, "fail.jsonl:1:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "1 passed, 3 failed\n"));
    free(out);
    free(err);
    /* a statement without Sid, and a stripped table */
    snprintf(inputs, sizeof inputs, "'%s'", stripped);
    CU_ASSERT_EQUAL(run(inputs, "fail.jsonl", expect, &out, &err), 1);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "; deciding statement: statement #0 (table compiled with --strip: "
                                              "no provenance)\n"));
    free(out);
    free(err);
    snprintf(inputs, sizeof inputs, "'%s'", pol);
    CU_ASSERT_EQUAL(run(inputs, "nosid.jsonl",
                        "{\"action\": \"iam:PassRole\", \"resource\": \"arn:aws:iam::1:role/Build\", "
                        "\"context\": {\"iam:PassedToService\": \"ec2.amazonaws.com\"}, \"expect\": \"ImplicitDeny\"}\n",
                        &out, &err),
                    1);
    snprintf(want, sizeof want, "; deciding statement: %s:3 (no Sid)\n", pol);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, want));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "0 passed, 1 failed\n"));
    free(out);
    free(err);
}

static void test_malformed(void)
{
    char inputs[1400], want[1400], *out = NULL, *err = NULL;
    const char *expect =
        "{\"action\": \"s3:GetObject\", \"resource\": \"*\", \"expect\": \"Allow\"}\n"
        "{\"action\": \"s3:GetObject\", \"resource\": \"*\" \"expect\": \"Allow\"}\n"
        "{\"action\": \"s3:GetObject\", \"resource\": \"*\", \"expect\": \"Deny\"}\n"
        "{\"action\": \"s3:GetObject\", \"resource\": \"*\"}\n"
        "{\"action\": \"s3:GetObject\", \"resource\": 7, \"expect\": \"Allow\"}\n"
        "{\"action\": \"s3:GetObject\", \"resource\": \"*\", \"extra\": 1, \"expect\": \"Allow\"}\n"
        "  [1, 2]\n";

    snprintf(inputs, sizeof inputs, "'%s'", pol);
    CU_ASSERT_EQUAL(run(inputs, "bad.jsonl", expect, &out, &err), 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    /* JSON syntax: the column of the unexpected token */
    snprintf(want, sizeof want, "%s/bad.jsonl:2:44: error: ", tmpdir);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
    /* a bad expect value: its column */
    snprintf(want, sizeof want, "%s/bad.jsonl:3:55: error: \"expect\" must be", tmpdir);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
    snprintf(want, sizeof want, "%s/bad.jsonl:4:1: error: missing \"expect\"", tmpdir);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
    snprintf(want, sizeof want, "%s/bad.jsonl:5:40: error: \"resource\" must be a string", tmpdir);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
    snprintf(want, sizeof want, "%s/bad.jsonl:6:45: error: unknown member \"extra\"", tmpdir);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
    snprintf(want, sizeof want, "%s/bad.jsonl:7:3: error: a request must be a JSON object", tmpdir);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "1 passed, 6 failed (6 malformed lines)\n"));
    free(out);
    free(err);
}

static void test_usage_and_io(void)
{
    char cmd[2000], *err = NULL;
    CU_ASSERT_EQUAL(tu_pdtc("test", NULL, NULL, NULL), 2);
    snprintf(cmd, sizeof cmd, "test '%s'", pol);
    CU_ASSERT_EQUAL(tu_pdtc(cmd, NULL, NULL, &err), 2);
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "give a table or policy files, then EXPECT.jsonl"));
    free(err);
    snprintf(cmd, sizeof cmd, "test --bogus '%s' x.jsonl", pol);
    CU_ASSERT_EQUAL(tu_pdtc(cmd, NULL, NULL, NULL), 2);
    CU_ASSERT_EQUAL(tu_pdtc("test - -", NULL, NULL, NULL), 2);
    snprintf(cmd, sizeof cmd, "test '%s' '%s' x.jsonl", table, pol);  /* a table mixed with a policy file */
    CU_ASSERT_EQUAL(tu_pdtc(cmd, NULL, NULL, NULL), 2);
    snprintf(cmd, sizeof cmd, "test '%s' /nonexistent/e.jsonl", pol);
    CU_ASSERT_EQUAL(tu_pdtc(cmd, NULL, NULL, &err), 3);
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "/nonexistent/e.jsonl"));
    free(err);
    snprintf(cmd, sizeof cmd, "test /nonexistent/p.json '%s'", pol);
    CU_ASSERT_EQUAL(tu_pdtc(cmd, NULL, NULL, NULL), 3);
    CU_ASSERT_EQUAL(tu_pdtc("test --help", NULL, NULL, NULL), 0);
}

static void test_refused_inputs(void)
{
    char path[700], cmd[2000], *err = NULL;
    /* an invalid policy: check's diagnostics, exit 1 */
    tmp("invalid.json", path, sizeof path);
    CU_ASSERT_EQUAL_FATAL(write_file(path, "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3\", "
                                           "\"Resource\": \"*\"}}\n"),
                          0);
    snprintf(cmd, sizeof cmd, "test '%s' -", path);
    CU_ASSERT_EQUAL(tu_pdtc(cmd, PASSING, NULL, &err), 1);
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "invalid.json:1:"));
    free(err);
    /* a corrupt table: refused, exit 1 */
    tmp("corrupt.pdt", path, sizeof path);
    {
        char *img;
        size_t len;
        FILE *f;
        img = tu_read_file(table, &len);
        CU_ASSERT_FATAL(img && len > 100);
        img[len - 3] ^= 0x55;
        f = fopen(path, "wb");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        fwrite(img, 1, len, f);
        fclose(f);
        free(img);
    }
    snprintf(cmd, sizeof cmd, "test '%s' -", path);
    CU_ASSERT_EQUAL(tu_pdtc(cmd, PASSING, NULL, &err), 1);
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "not a valid decision table"));
    free(err);
}

/* examples/build-step: lint, compile, test, as CI runs it; then a broken
 * expectation must fail the step with its location. */
static void test_build_step_example(void)
{
    char cmd[4000], out[700];
    const char *pdtc = getenv("PDTC");
    const char *dir = tu_source("examples/build-step");
    char exdir[1000];
    int st;

    snprintf(exdir, sizeof exdir, "%s", dir);
    if (access(exdir, R_OK) != 0 || system("command -v make >/dev/null 2>&1") != 0) {
        printf("skipped: examples/build-step or make not available\n");
        return;
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(pdtc);
    tmp("build-step", out, sizeof out);
    snprintf(cmd, sizeof cmd, "make -s -C '%s' PDTC='%s' OUT='%s' >'%s.log' 2>&1", exdir, pdtc, out, out);
    st = system(cmd);
    CU_ASSERT_EQUAL(st, 0);
    if (st != 0) {
        char *log;
        snprintf(cmd, sizeof cmd, "%s.log", out);
        log = tu_read_file(cmd, NULL);
        printf("\n%s\n", log ? log : "(no log)");
        free(log);
    }
    snprintf(cmd, sizeof cmd, "%s/console.pdt", out);
    CU_ASSERT_EQUAL(access(cmd, R_OK), 0);
    snprintf(cmd, sizeof cmd, "%s/builder.pdt", out);
    CU_ASSERT_EQUAL(access(cmd, R_OK), 0);
    /* the console expectations against the builder table: full access is not read-only */
    {
        char *o = NULL;
        snprintf(cmd, sizeof cmd, "test '%s/builder.pdt' '%s/expect/console.jsonl'", out, exdir);
        CU_ASSERT_EQUAL(tu_pdtc(cmd, NULL, &o, NULL), 1);
        CU_ASSERT_PTR_NOT_NULL(o && strstr(o, "/expect/console.jsonl:13: expected ImplicitDeny, got Allow: "));
        CU_ASSERT_PTR_NOT_NULL(o && strstr(o, "full-access.json:4 (no Sid)\n"));
        free(o);
    }
}

int main(void)
{
    CU_pSuite s;
    /* a sanitizer report in pdtc must not pass for the expected exit status 1 */
    setenv("ASAN_OPTIONS", "exitcode=86", 0);
    setenv("UBSAN_OPTIONS", "exitcode=86:print_stacktrace=1", 0);
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("pdtc test", suite_init, suite_fini);
    CU_add_test(s, "all expectations hold: exit 0", test_pass);
    CU_add_test(s, "failures: FILE:LINE, request, decisions, deciding statement", test_fail);
    CU_add_test(s, "malformed lines: FILE:LINE:COL", test_malformed);
    CU_add_test(s, "usage (2) and I/O (3) errors", test_usage_and_io);
    CU_add_test(s, "invalid policy and corrupt table: exit 1", test_refused_inputs);
    CU_add_test(s, "examples/build-step end to end", test_build_step_example);
    return tu_run();
}
