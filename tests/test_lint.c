/* test_lint.c - every lint rule on positive and negative examples (literal,
 * wildcard and NotAction forms), each warning checked at its exact
 * line:col, which the tests find by searching the policy text rather than
 * by counting columns by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "catalog.h"
#include "diag.h"
#include "json.h"
#include "lint.h"
#include "sarif.h"
#include "testutil.h"
#include "validate.h"

static struct catalog *cat;

#define MAX_REC 64
struct rec {
    char code[64];
    enum diag_level level;
    unsigned line, col;
    char msg[512];
};
static struct rec recs[MAX_REC];  /* diagnostics of the last lint_text() */
static size_t nrec;
static int last_rc;               /* lint_policy's return value */
static struct sarif_log *tee;     /* when set, records also go there */

static void sink(void *arg, const struct diag_record *r)
{
    (void)arg;
    if (tee)
        sarif_sink(tee, r);
    if (nrec == MAX_REC)
        return;
    struct rec *x = &recs[nrec++];
    snprintf(x->code, sizeof x->code, "%s", r->code ? r->code : "");
    x->level = r->level;
    x->line = r->loc.line;
    x->col = r->loc.col;
    snprintf(x->msg, sizeof x->msg, "%s", r->message);
}

/* Parses, validates and lints text; the diagnostics land in recs[]. */
static void lint_text(const char *text)
{
    struct arena a;
    struct diag d;
    arena_init(&a);
    diag_init(&d, NULL);
    d.sink = sink;
    nrec = 0;
    last_rc = -2;
    struct json *root = json_parse(&a, &d, "p.json", text, strlen(text), 1);
    struct ir_policy *p = root ? validate_policy(&a, &d, "p.json", root) : NULL;
    if (!p)
        printf("\npolicy did not validate: %s\n", nrec ? recs[0].msg : "?");
    CU_ASSERT_PTR_NOT_NULL(p);
    if (p)
        last_rc = lint_policy(p, cat, &d);
    diag_fini(&d);
    arena_free(&a);
}

/* 1-based line and column of the nth (0-based) occurrence of needle. */
static void pos_of(const char *text, const char *needle, int nth, unsigned *line, unsigned *col)
{
    const char *p = strstr(text, needle);
    while (p && nth-- > 0)
        p = strstr(p + 1, needle);
    *line = *col = 0;
    if (!p)
        return;
    *line = 1;
    const char *bol = text;
    for (const char *q = text; q < p; q++)
        if (*q == '\n') {
            (*line)++;
            bol = q + 1;
        }
    *col = (unsigned)(p - bol) + 1;
}

static size_t count_code(const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < nrec; i++)
        n += strcmp(recs[i].code, code) == 0;
    return n;
}

/* Asserts a warning `code` at the nth occurrence of needle in text. */
#define EXPECT_AT(text, code, needle, nth) expect_at(text, code, needle, nth, __LINE__)
static void expect_at(const char *text, const char *code, const char *needle, int nth, int tl)
{
    unsigned line, col;
    pos_of(text, needle, nth, &line, &col);
    for (size_t i = 0; i < nrec; i++)
        if (strcmp(recs[i].code, code) == 0 && recs[i].line == line && recs[i].col == col) {
            CU_ASSERT_EQUAL(recs[i].level, DIAG_WARNING);
            return;
        }
    printf("\ntest_lint.c:%d: no %s at %u:%u; got:", tl, code, line, col);
    for (size_t i = 0; i < nrec; i++)
        printf("\n  %u:%u %s %s", recs[i].line, recs[i].col, recs[i].code, recs[i].msg);
    printf("\n");
    CU_FAIL("expected warning missing");
}

/* A one-statement policy around the statement body `st`. */
static char *policy(const char *st)
{
    static char buf[4096];
    snprintf(buf, sizeof buf,
             "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      %s\n    }\n  ]\n}\n", st);
    return buf;
}

static void test_rules_table(void)
{
    size_t n;
    const struct lint_rule *r = lint_rules(&n);
    CU_ASSERT(n >= 6);
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_PTR_EQUAL(lint_rule_find(r[i].code), &r[i]);
        CU_ASSERT(strlen(r[i].summary) > 0 && strlen(r[i].help) > 0 && strlen(r[i].name) > 0);
    }
    CU_ASSERT_PTR_NULL(lint_rule_find("no-such-rule"));
}

/* Every lint code has its own section, with an example, in docs/diagnostics.md. */
static void test_rules_documented(void)
{
    size_t n, i;
    const struct lint_rule *r = lint_rules(&n);
    char *doc = tu_read_file(tu_source("docs/diagnostics.md"), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    for (i = 0; i < n; i++) {
        char head[128];
        snprintf(head, sizeof head, "### `%s`", r[i].code);
        if (!strstr(doc, head))
            printf("undocumented lint code: %s\n", r[i].code);
        CU_ASSERT_PTR_NOT_NULL(strstr(doc, head));
    }
    free(doc);
}

static void test_pass_role(void)
{
    const char *t;
    /* literal, on "*" and without a condition: warned at the action */
    t = policy("\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"*\"");
    lint_text(t);
    EXPECT_AT(t, "pass-role-unscoped", "\"iam:PassRole\"", 0);
    CU_ASSERT_EQUAL(last_rc, (int)count_code("pass-role-unscoped") + (int)count_code("resource-wildcard-write"));
    /* wildcard forms */
    const char *forms[] = {"iam:Pass*", "iam:*", "*", "IAM:passrole", "iam:P?ssRole"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char st[512], needle[64];
        snprintf(st, sizeof st,
                 "\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"%s\"], "
                 "\"Resource\": \"arn:aws:iam::123456789012:role/app-*\"",
                 forms[i]);
        t = policy(st);
        lint_text(t);
        snprintf(needle, sizeof needle, "\"%s\"", forms[i]);
        EXPECT_AT(t, "pass-role-unscoped", needle, 0);
    }
    /* NotAction that leaves it in: warned at the NotAction key */
    t = policy("\"Effect\": \"Allow\", \"NotAction\": \"s3:*\", \"Resource\": \"*\"");
    lint_text(t);
    EXPECT_AT(t, "pass-role-unscoped", "\"NotAction\"", 0);
    /* negative: NotAction that excludes it */
    t = policy("\"Effect\": \"Allow\", \"NotAction\": [\"iam:*\"], \"Resource\": \"*\"");
    lint_text(t);
    CU_ASSERT_EQUAL(count_code("pass-role-unscoped"), 0);
    /* negative: scoped resource and condition */
    t = policy("\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", "
               "\"Resource\": \"arn:aws:iam::123456789012:role/ImageBuilder*\", "
               "\"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"ec2.amazonaws.com\"}}");
    lint_text(t);
    CU_ASSERT_EQUAL(count_code("pass-role-unscoped"), 0);
    CU_ASSERT_EQUAL(last_rc, 0);
    /* condition present but Resource "*": still warned */
    t = policy("\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"*\", "
               "\"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"ec2.amazonaws.com\"}}");
    lint_text(t);
    EXPECT_AT(t, "pass-role-unscoped", "\"iam:PassRole\"", 0);
    /* negated condition does not scope */
    t = policy("\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", "
               "\"Resource\": \"arn:aws:iam::123456789012:role/x\", "
               "\"Condition\": {\"StringNotEquals\": {\"iam:PassedToService\": \"ec2.amazonaws.com\"}}");
    lint_text(t);
    EXPECT_AT(t, "pass-role-unscoped", "\"iam:PassRole\"", 0);
    /* Deny is never reported; an action that does not grant PassRole neither */
    t = policy("\"Effect\": \"Deny\", \"Action\": \"iam:PassRole\", \"Resource\": \"*\"");
    lint_text(t);
    CU_ASSERT_EQUAL(nrec, 0);
    t = policy("\"Effect\": \"Allow\", \"Action\": \"iam:Get*\", \"Resource\": \"*\"");
    lint_text(t);
    CU_ASSERT_EQUAL(count_code("pass-role-unscoped"), 0);
}

static void test_wildcard_write(void)
{
    const char *t;
    t = policy("\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:PutObject\", \"s3:Delete*\"], "
               "\"Resource\": [\"arn:aws:s3:::b/*\", \"*\"]");
    lint_text(t);
    EXPECT_AT(t, "resource-wildcard-write", "\"s3:PutObject\"", 0);
    EXPECT_AT(t, "resource-wildcard-write", "\"s3:Delete*\"", 0);
    CU_ASSERT_EQUAL(count_code("resource-wildcard-write"), 2);  /* not the Read action */
    /* the note points at the "*" resource */
    unsigned line, col;
    pos_of(t, "\"*\"", 0, &line, &col);
    bool note = false;
    for (size_t i = 0; i < nrec; i++)
        note |= recs[i].level == DIAG_NOTE && recs[i].line == line && recs[i].col == col;
    CU_ASSERT_TRUE(note);
    /* Permissions management */
    t = policy("\"Effect\": \"Allow\", \"Action\": \"iam:PutRolePolicy\", \"Resource\": \"*\"");
    lint_text(t);
    EXPECT_AT(t, "resource-wildcard-write", "\"iam:PutRolePolicy\"", 0);
    /* NotAction form: reported at the key */
    t = policy("\"Effect\": \"Allow\", \"NotAction\": \"iam:*\", \"Resource\": \"*\"");
    lint_text(t);
    EXPECT_AT(t, "resource-wildcard-write", "\"NotAction\"", 0);
    /* negative: Write actions that support no resource types (ec2:CreateKeyPair? use the
     * catalog to pick one) are fine on "*" */
    size_t nact;
    const struct catalog_action *act = catalog_actions(cat, &nact);
    size_t nsvc;
    const struct catalog_service *svc = catalog_services(cat, &nsvc);
    const struct catalog_action *untyped = NULL;
    for (size_t i = 0; i < nact && !untyped; i++)
        if (act[i].level == CATALOG_WRITE && act[i].res_count == 0 &&
            strcmp(svc[act[i].service].prefix, "iam") != 0)
            untyped = &act[i];
    CU_ASSERT_PTR_NOT_NULL_FATAL(untyped);
    char st[512];
    snprintf(st, sizeof st, "\"Effect\": \"Allow\", \"Action\": \"%s:%s\", \"Resource\": \"*\"",
             svc[untyped->service].prefix, untyped->name);
    lint_text(policy(st));
    CU_ASSERT_EQUAL(count_code("resource-wildcard-write"), 0);
    /* negative: Read and List on "*", Write on ARNs, Deny on "*" */
    lint_text(policy("\"Effect\": \"Allow\", \"Action\": [\"ec2:Describe*\", \"s3:List*\"], \"Resource\": \"*\""));
    CU_ASSERT_EQUAL(count_code("resource-wildcard-write"), 0);
    lint_text(policy("\"Effect\": \"Allow\", \"Action\": \"s3:PutObject\", \"Resource\": \"arn:aws:s3:::b/*\""));
    CU_ASSERT_EQUAL(count_code("resource-wildcard-write"), 0);
    lint_text(policy("\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\""));
    CU_ASSERT_EQUAL(count_code("resource-wildcard-write"), 0);
}

static void test_unknown_action_service(void)
{
    const char *t;
    t = policy("\"Effect\": \"Allow\", \"Action\": [\"imagebuilder:GetImages\", \"imagebuilder:GetImage\", "
               "\"imagebuilder:Frob*\", \"nosuchsvc:Get*\", \"s3:*\"], "
               "\"Resource\": \"*\"");
    lint_text(t);
    EXPECT_AT(t, "unknown-action", "\"imagebuilder:GetImages\"", 0);
    EXPECT_AT(t, "unknown-action", "\"imagebuilder:Frob*\"", 0);
    EXPECT_AT(t, "unknown-service", "\"nosuchsvc:Get*\"", 0);
    CU_ASSERT_EQUAL(count_code("unknown-action"), 2);
    CU_ASSERT_EQUAL(count_code("unknown-service"), 1);
    bool hint = false;
    for (size_t i = 0; i < nrec; i++)
        hint |= strstr(recs[i].msg, "did you mean 'imagebuilder:GetImage'") != NULL;
    CU_ASSERT_TRUE(hint);
    /* NotAction entries are checked too */
    t = policy("\"Effect\": \"Deny\", \"NotAction\": [\"s3:GetObjects\"], \"Resource\": \"*\"");
    lint_text(t);
    EXPECT_AT(t, "unknown-action", "\"s3:GetObjects\"", 0);
    /* negative: case-insensitive known actions, "*" */
    lint_text(policy("\"Effect\": \"Deny\", \"Action\": [\"S3:getobject\", \"*\", \"ec2:describe*\"], \"Resource\": \"*\""));
    CU_ASSERT_EQUAL(count_code("unknown-action") + count_code("unknown-service"), 0);
}

static void test_not_elements(void)
{
    const char *t;
    t = policy("\"Effect\": \"Allow\", \"NotAction\": \"s3:DeleteBucket\", \"NotResource\": \"arn:aws:s3:::x\"");
    lint_text(t);
    EXPECT_AT(t, "allow-with-not-action", "\"NotAction\"", 0);
    EXPECT_AT(t, "allow-with-not-action", "\"NotResource\"", 0);
    CU_ASSERT_EQUAL(count_code("allow-with-not-action"), 2);
    /* negative: Deny with NotAction is the recommended guard-rail form */
    lint_text(policy("\"Effect\": \"Deny\", \"NotAction\": \"s3:*\", \"NotResource\": \"arn:aws:s3:::x\""));
    CU_ASSERT_EQUAL(count_code("allow-with-not-action"), 0);
    lint_text(policy("\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::x/*\""));
    CU_ASSERT_EQUAL(nrec, 0);
    CU_ASSERT_EQUAL(last_rc, 0);
}

static void test_conditions(void)
{
    const char *t;
    t = policy("\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\", "
               "\"Condition\": {\"StringLike\": {\"s3:prefix\": [\"home/\", \"\"], \"s3:prefx\": \"a\"}, "
               "\"StringEquals\": {\"ec2:ImageType\": \"machine\"}}");
    lint_text(t);
    EXPECT_AT(t, "empty-condition-value", "\"\"", 0);
    EXPECT_AT(t, "unknown-condition-key", "\"s3:prefx\"", 0);
    EXPECT_AT(t, "condition-key-unsupported", "\"ec2:ImageType\"", 0);
    CU_ASSERT_EQUAL(count_code("empty-condition-value"), 1);
    CU_ASSERT_EQUAL(count_code("unknown-condition-key"), 1);
    CU_ASSERT_EQUAL(count_code("condition-key-unsupported"), 1);
    /* negative: supported keys, including through a wildcard and resource-type keys */
    t = policy("\"Effect\": \"Allow\", \"Action\": [\"ec2:Run*\", \"s3:Get*\"], \"Resource\": \"*\", "
               "\"Condition\": {\"StringEquals\": {\"ec2:ImageType\": \"machine\", "
               "\"aws:ResourceTag/team\": \"a\", \"aws:SourceIp\": \"10.0.0.0/8\", \"saml:aud\": \"x\"}}");
    lint_text(t);
    CU_ASSERT_EQUAL(count_code("condition-key-unsupported") + count_code("unknown-condition-key") +
                    count_code("empty-condition-value"), 0);
}

static void test_redundant(void)
{
    const char *t;
    t = policy("\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:Get*\", \"s3:get*\", \"s3:ListBucket\"], "
               "\"Resource\": \"arn:aws:s3:::b/*\"");
    lint_text(t);
    EXPECT_AT(t, "redundant-action", "\"s3:GetObject\"", 0);
    EXPECT_AT(t, "redundant-action", "\"s3:get*\"", 0);
    CU_ASSERT_EQUAL(count_code("redundant-action"), 2);
    t = policy("\"Effect\": \"Deny\", \"NotAction\": [\"iam:*\", \"iam:PassRole\"], \"Resource\": \"*\"");
    lint_text(t);
    EXPECT_AT(t, "redundant-action", "\"iam:PassRole\"", 0);
    lint_text(policy("\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:PutObject\"], \"Resource\": \"arn:aws:s3:::b/*\""));
    CU_ASSERT_EQUAL(count_code("redundant-action"), 0);
}

/* A policy of several statements (bodies separated by "},{"). */
static char *policy_n(const char *sts)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {%s}\n  ]\n}\n", sts);
    return buf;
}

static void test_redundant_statement(void)
{
    const char *t;
    t = policy_n("\"Sid\": \"All\", \"Effect\": \"Allow\", \"Action\": [\"s3:Get*\", \"s3:List*\"], \"Resource\": \"arn:aws:s3:::b*\"},\n"
                 "    {\"Sid\": \"One\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/k/*\", "
                 "\"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}},\n"
                 "    {\"Sid\": \"Other\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::c/*\"},\n"
                 "    {\"Sid\": \"D\", \"Effect\": \"Deny\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/k/*\"");
    lint_text(t);
    EXPECT_AT(t, "redundant-statement", "{\"Sid\": \"One\"", 0);
    CU_ASSERT_EQUAL(count_code("redundant-statement"), 1);
    /* identical statements: only the later one */
    t = policy_n("\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"},\n"
                 "    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"");
    lint_text(t);
    EXPECT_AT(t, "redundant-statement", "{\"Effect\"", 1);
    CU_ASSERT_EQUAL(count_code("redundant-statement"), 1);
    /* negative: the wider statement has a condition; NotAction; unknown action */
    lint_text(policy_n("\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", "
                       "\"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}},\n"
                       "    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\""));
    CU_ASSERT_EQUAL(count_code("redundant-statement"), 0);
    lint_text(policy_n("\"Effect\": \"Deny\", \"NotAction\": \"s3:*\", \"Resource\": \"*\"},\n"
                       "    {\"Effect\": \"Deny\", \"Action\": \"ec2:RunInstances\", \"Resource\": \"*\""));
    CU_ASSERT_EQUAL(count_code("redundant-statement"), 0);
    lint_text(policy_n("\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"},\n"
                       "    {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:NoSuchThing\"], \"Resource\": \"*\""));
    CU_ASSERT_EQUAL(count_code("redundant-statement"), 0);
}

static void test_resource_types(void)
{
    const char *t;
    /* object actions on a bucket ARN, bucket action on an object ARN */
    t = policy("\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:ListBucket\", \"ec2:StartInstances\"], "
               "\"Resource\": \"arn:aws:s3:::bucket\"");
    lint_text(t);
    EXPECT_AT(t, "resource-type-mismatch", "\"s3:GetObject\"", 0);
    EXPECT_AT(t, "resource-type-mismatch", "\"ec2:StartInstances\"", 0);
    CU_ASSERT_EQUAL(count_code("resource-type-mismatch"), 2);
    /* wildcard entry: reported only when none of its actions fits */
    t = policy("\"Effect\": \"Deny\", \"Action\": [\"s3:*Object\", \"ec2:*\"], \"Resource\": \"arn:aws:s3:::b/*\"");
    lint_text(t);
    EXPECT_AT(t, "resource-type-mismatch", "\"ec2:*\"", 0);
    CU_ASSERT_EQUAL(count_code("resource-type-mismatch"), 1);
    /* negative: variables and wildcards in ARNs, "*" */
    lint_text(policy("\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:ListBucket\"], "
                     "\"Resource\": [\"arn:aws:s3:::b\", \"arn:aws:s3:::b/${aws:username}/*\"]"));
    CU_ASSERT_EQUAL(count_code("resource-type-mismatch"), 0);
    lint_text(policy("\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", "
                     "\"Resource\": \"arn:aws:iam::*:role/x\", \"Condition\": {\"StringEquals\": "
                     "{\"iam:PassedToService\": \"ec2.amazonaws.com\"}}"));
    CU_ASSERT_EQUAL(nrec, 0);
}

static void test_globs_intersect_via_lint(void)
{
    /* bucket vs object ARN templates, checked through the rule on a Deny */
    lint_text(policy("\"Effect\": \"Deny\", \"Action\": \"s3:PutObject\", \"Resource\": \"arn:aws:s3:::b?/k\""));
    CU_ASSERT_EQUAL(count_code("resource-type-mismatch"), 0);
    lint_text(policy("\"Effect\": \"Deny\", \"Action\": \"s3:PutObject\", \"Resource\": \"arn:aws:s3:::b\""));
    CU_ASSERT_EQUAL(count_code("resource-type-mismatch"), 1);
}

/* The Image Builder example policies from the shared docs lint without crashing
 * and report nothing about unknown actions (they are real actions). */
static void test_imagebuilder_examples(void)
{
    const char *path = tu_shared("corpus/aws-managed-index.tsv");
    if (!path)
        return;
    /* The managed-policy corpus is large; lint a bounded sample of files. */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    CU_ASSERT_PTR_NOT_NULL_FATAL(slash);
    const char *names[] = {"AWSImageBuilderReadOnlyAccess.json", "AWSImageBuilderFullAccess.json",
                           "AdministratorAccess.json", "ReadOnlyAccess.json", "EC2ImageBuilderExecutionPolicy.json"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(slash, sizeof dir - (size_t)(slash - dir), "/aws-managed/%s", names[i]);
        char *text = tu_read_file(dir, NULL);
        if (!text)
            continue;  /* not every corpus has every file */
        lint_text(text);
        CU_ASSERT(last_rc >= 0);
        free(text);
    }
}

/* ---- SARIF and JSON output ---------------------------------------------- */

static const struct json *get(const struct json *o, const char *key)
{
    return o && o->type == JSON_OBJECT ? json_get(o, key) ? json_get(o, key)->value : NULL : NULL;
}

static bool str_eq(const struct json *v, const char *s)
{
    return v && v->type == JSON_STRING && v->u.str.len == strlen(s) && memcmp(v->u.str.s, s, v->u.str.len) == 0;
}

static long num(const struct json *v)
{
    return v && v->type == JSON_NUMBER ? strtol(v->u.str.s, NULL, 10) : -1;
}

static const struct json *item(const struct json *a, size_t i)
{
    return a && a->type == JSON_ARRAY && i < a->u.arr.n ? a->u.arr.items[i] : NULL;
}

/* Lints text as file `name`, then renders the collected log with writer. */
static char *render(const char *text, int sarif, bool plain_error)
{
    struct sarif_log log;
    char *out = NULL;
    size_t outlen = 0;
    sarif_init(&log);
    tee = &log;
    lint_text(text);
    if (plain_error) {
        struct diag d;
        diag_init(&d, NULL);
        d.sink = sink;
        diag_plain(&d, DIAG_ERROR, "cannot read \"x\"");
        diag_fini(&d);
    }
    tee = NULL;
    FILE *f = open_memstream(&out, &outlen);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    struct sarif_tool t = {"9.9.9", "cat 1.0"};
    CU_ASSERT_EQUAL(sarif ? sarif_write(&log, &t, f) : sarif_write_json(&log, f), 0);
    fclose(f);
    CU_ASSERT_FALSE(log.oom);
    sarif_fini(&log);
    return out;
}

static void test_sarif(void)
{
    const char *t = policy("\"Effect\": \"Allow\", \"Action\": [\"iam:PassRole\", \"s3:GetObjects\"], "
                           "\"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"aws:SourceVpc\": \"\"}}");
    char *out = render(t, 1, true);
    struct arena a;
    struct diag d;
    arena_init(&a);
    diag_init(&d, stderr);
    struct json *root = json_parse(&a, &d, "sarif", out, strlen(out), 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    CU_ASSERT_TRUE(str_eq(get(root, "version"), "2.1.0"));
    CU_ASSERT_PTR_NOT_NULL(get(root, "$schema"));
    const struct json *runs = get(root, "runs");
    CU_ASSERT_TRUE_FATAL(runs && runs->type == JSON_ARRAY && runs->u.arr.n == 1);
    const struct json *run = item(runs, 0);
    const struct json *driver = get(get(run, "tool"), "driver");
    CU_ASSERT_TRUE(str_eq(get(driver, "name"), "pdtc"));
    CU_ASSERT_TRUE(str_eq(get(driver, "version"), "9.9.9"));
    const struct json *rules = get(driver, "rules");
    CU_ASSERT_TRUE_FATAL(rules && rules->type == JSON_ARRAY);
    /* one rule per code: unique ids, every lint rule present, with descriptions */
    size_t nl;
    const struct lint_rule *lr = lint_rules(&nl);
    CU_ASSERT(rules->u.arr.n >= nl);
    for (size_t i = 0; i < rules->u.arr.n; i++) {
        const struct json *r = item(rules, i);
        CU_ASSERT_PTR_NOT_NULL(get(get(r, "shortDescription"), "text"));
        CU_ASSERT_TRUE(str_eq(get(get(r, "defaultConfiguration"), "level"), "warning") ||
                       str_eq(get(get(r, "defaultConfiguration"), "level"), "error"));
        for (size_t k = 0; k < i; k++)
            CU_ASSERT_FALSE(str_eq(get(item(rules, k), "id"), get(r, "id")->u.str.s));
        if (i < nl)
            CU_ASSERT_TRUE(str_eq(get(r, "id"), lr[i].code));
    }
    /* results: one per coded record, with rule index, level and exact region */
    const struct json *results = get(run, "results");
    CU_ASSERT_TRUE_FATAL(results && results->type == JSON_ARRAY);
    size_t coded = 0, k = 0;
    for (size_t i = 0; i < nrec; i++)
        coded += recs[i].code[0] != '\0';
    CU_ASSERT_EQUAL(results->u.arr.n, coded);
    CU_ASSERT(coded >= 3);  /* pass-role, unknown-action, empty value (+ wildcard write) */
    for (size_t i = 0; i < nrec && k < results->u.arr.n; i++) {
        if (!recs[i].code[0])
            continue;
        const struct json *res = item(results, k++);
        CU_ASSERT_TRUE(str_eq(get(res, "ruleId"), recs[i].code));
        long ri = num(get(res, "ruleIndex"));
        CU_ASSERT_TRUE(ri >= 0 && str_eq(get(item(rules, (size_t)ri), "id"), recs[i].code));
        CU_ASSERT_TRUE(str_eq(get(res, "level"), "warning"));
        CU_ASSERT_TRUE(str_eq(get(get(res, "message"), "text"), recs[i].msg));
        const struct json *pl = get(item(get(res, "locations"), 0), "physicalLocation");
        CU_ASSERT_TRUE(str_eq(get(get(pl, "artifactLocation"), "uri"), "p.json"));
        CU_ASSERT_EQUAL(num(get(get(pl, "region"), "startLine")), (long)recs[i].line);
        CU_ASSERT_EQUAL(num(get(get(pl, "region"), "startColumn")), (long)recs[i].col);
        bool has_note = i + 1 < nrec && recs[i + 1].level == DIAG_NOTE;
        CU_ASSERT_EQUAL(get(res, "relatedLocations") != NULL, has_note);
    }
    /* the plain error is a notification and makes the run unsuccessful */
    const struct json *inv = item(get(run, "invocations"), 0);
    CU_ASSERT_EQUAL(get(inv, "executionSuccessful") ? get(inv, "executionSuccessful")->type : JSON_NULL,
                    JSON_FALSE);
    CU_ASSERT_TRUE(str_eq(get(get(item(get(inv, "toolExecutionNotifications"), 0), "message"), "text"),
                          "cannot read \"x\""));
    diag_fini(&d);
    arena_free(&a);
    free(out);
}

static void test_json_output(void)
{
    const char *t = policy("\"Effect\": \"Allow\", \"Action\": \"s3:PutObject\", \"Resource\": \"*\"");
    char *out = render(t, 0, false);
    struct arena a;
    struct diag d;
    arena_init(&a);
    diag_init(&d, stderr);
    struct json *root = json_parse(&a, &d, "json", out, strlen(out), 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    const struct json *diags = get(root, "diagnostics");
    CU_ASSERT_TRUE_FATAL(diags && diags->type == JSON_ARRAY && diags->u.arr.n == 1);
    const struct json *w = item(diags, 0);
    unsigned line, col;
    pos_of(t, "\"s3:PutObject\"", 0, &line, &col);
    CU_ASSERT_TRUE(str_eq(get(w, "code"), "resource-wildcard-write"));
    CU_ASSERT_TRUE(str_eq(get(w, "severity"), "warning"));
    CU_ASSERT_TRUE(str_eq(get(w, "file"), "p.json"));
    CU_ASSERT_EQUAL(num(get(w, "line")), (long)line);
    CU_ASSERT_EQUAL(num(get(w, "col")), (long)col);
    CU_ASSERT_EQUAL(get(w, "notes")->u.arr.n, 1);
    CU_ASSERT_EQUAL(num(get(root, "warnings")), 1);
    CU_ASSERT_EQUAL(num(get(root, "errors")), 0);
    diag_fini(&d);
    arena_free(&a);
    free(out);
}

/* SARIF columns count UTF-16 code units, as the log declares: a two-byte
 * "é" before the flagged value makes the byte column one larger. */
static void test_sarif_utf16_column(void)
{
    static const char pol[] = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                              "\"Resource\": \"arn:aws:s3:::caf\xc3\xa9/*\", \"Action\": \"s3:GetObjekt\"}]}\n";
    char path[] = "/tmp/pdt-lint-utf16-XXXXXX", args[256], *out = NULL, *err = NULL;
    const char *at = strstr(pol, "\"s3:GetObjekt\"");
    unsigned bytecol = (unsigned)(at - pol) + 1;
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL_FATAL(write(fd, pol, sizeof pol - 1), (ssize_t)(sizeof pol - 1));
    close(fd);
    snprintf(args, sizeof args, "check --format sarif '%s'", path);
    CU_ASSERT_EQUAL(tu_pdtc(args, NULL, &out, &err), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    snprintf(args, sizeof args, "\"startLine\": 1, \"startColumn\": %u}", bytecol - 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, args));
    free(out);
    free(err);
    snprintf(args, sizeof args, "check '%s'", path);
    tu_pdtc(args, NULL, NULL, &err);
    snprintf(args, sizeof args, ":1:%u: warning:", bytecol);  /* text diagnostics keep byte columns */
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, args));
    free(err);
    unlink(path);
}

/* File names become relative URIs; odd bytes are percent-encoded. */
static void test_sarif_uri(void)
{
    struct sarif_log log;
    struct diag_record r = {DIAG_WARNING, "unknown-action", {"dir/my policy#1.json", 2, 3}, "m", 3};
    sarif_init(&log);
    sarif_sink(&log, &r);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(sarif_write(&log, NULL, f), 0);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"uri\": \"dir/my%20policy%231.json\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"startLine\": 2, \"startColumn\": 3"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"uriBaseId\": \"%SRCROOT%\""));
    free(out);
    struct diag_record abs = {DIAG_WARNING, "unknown-action", {"/abs/p.json", 1, 1}, "m", 1};
    sarif_fini(&log);
    sarif_sink(&log, &abs);
    f = open_memstream(&out, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(sarif_write(&log, NULL, f), 0);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"uri\": \"file:///abs/p.json\"}"));
    free(out);
    sarif_fini(&log);
}

/* `pdtc check` end to end: exit statuses, text on stderr, json/sarif on stdout. */
static void test_cli_check(void)
{
    char path[] = "/tmp/pdt-lint-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(policy("\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"*\""), f);
    fclose(f);
    char args[256], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "check '%s'", path);
    int st = tu_pdtc(args, NULL, &out, &err);
    if (st < 0 || st == 127) {
        printf("skipped: pdtc not runnable\n");
        unlink(path);
        return;
    }
    CU_ASSERT_EQUAL(st, 0);  /* warnings alone do not fail */
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "[pass-role-unscoped]"));
    CU_ASSERT_TRUE(out && out[0] == '\0');
    free(out);
    free(err);
    snprintf(args, sizeof args, "check --warnings-as-errors '%s'", path);
    CU_ASSERT_EQUAL(tu_pdtc(args, NULL, NULL, NULL), 1);
    snprintf(args, sizeof args, "check --format sarif '%s'", path);
    out = err = NULL;
    CU_ASSERT_EQUAL(tu_pdtc(args, NULL, &out, &err), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "\"ruleId\": \"pass-role-unscoped\""));
    CU_ASSERT_TRUE(err && err[0] == '\0');
    free(out);
    free(err);
    snprintf(args, sizeof args, "check --format=json --warnings-as-errors '%s'", path);
    out = NULL;
    CU_ASSERT_EQUAL(tu_pdtc(args, NULL, &out, NULL), 1);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "\"severity\": \"error\", \"code\": \"pass-role-unscoped\""));
    free(out);
    snprintf(args, sizeof args, "check --format yaml '%s'", path);
    CU_ASSERT_EQUAL(tu_pdtc(args, NULL, NULL, NULL), 2);
    unlink(path);
}

int main(void)
{
    char err[256];
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    cat = catalog_open(err, sizeof err);
    if (!cat) {
        fprintf(stderr, "catalog_open: %s\n", err);
        return 1;
    }
    CU_pSuite s = CU_add_suite("lint", NULL, NULL);
    CU_add_test(s, "rules table", test_rules_table);
    CU_add_test(s, "rules documented", test_rules_documented);
    CU_add_test(s, "pass-role-unscoped", test_pass_role);
    CU_add_test(s, "resource-wildcard-write", test_wildcard_write);
    CU_add_test(s, "unknown-action/unknown-service", test_unknown_action_service);
    CU_add_test(s, "allow-with-not-action", test_not_elements);
    CU_add_test(s, "condition rules", test_conditions);
    CU_add_test(s, "redundant-action", test_redundant);
    CU_add_test(s, "resource-type-mismatch", test_resource_types);
    CU_add_test(s, "redundant-statement", test_redundant_statement);
    CU_add_test(s, "ARN intersection", test_globs_intersect_via_lint);
    CU_add_test(s, "managed policy sample", test_imagebuilder_examples);
    CU_add_test(s, "SARIF structure", test_sarif);
    CU_add_test(s, "JSON output", test_json_output);
    CU_add_test(s, "SARIF URIs", test_sarif_uri);
    CU_add_test(s, "SARIF UTF-16 columns", test_sarif_utf16_column);
    CU_add_test(s, "pdtc check", test_cli_check);
    int rc = tu_run();
    catalog_free(cat);
    return rc;
}
