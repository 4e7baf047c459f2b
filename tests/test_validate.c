/* test_validate.c - the policy validator (src/validate*.c) and the front end
 * (src/frontend.c): one test per diagnostic code and per rule of
 * iam-semantics.md §1, the IR it builds, every invalid policy of
 * conformance-invalid.jsonl, every policy of conformance.jsonl and of the
 * AWS managed corpus (valid), and the Image Builder examples. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "frontend.h"
#include "ir.h"
#include "json.h"
#include "testutil.h"
#include "validate.h"

/* ---- capturing diagnostics -------------------------------------------- */

#define MAXREC 256
struct rec {
    enum diag_level level;
    char code[64];
    unsigned line, col;
    char msg[512];
};
static struct rec recs[MAXREC];
static size_t nrecs;

static void sink(void *arg, const struct diag_record *r)
{
    (void)arg;
    if (nrecs >= MAXREC)
        return;
    recs[nrecs].level = r->level;
    snprintf(recs[nrecs].code, sizeof recs[nrecs].code, "%s", r->code ? r->code : "");
    recs[nrecs].line = r->loc.line;
    recs[nrecs].col = r->loc.col;
    snprintf(recs[nrecs].msg, sizeof recs[nrecs].msg, "%s", r->message);
    nrecs++;
}

static struct arena A;
static struct diag D;
static char textbuf[8192];

static void reset(void)
{
    diag_fini(&D);
    diag_init(&D, NULL);
    D.sink = sink;
    D.max_errors = 0;
    nrecs = 0;
    arena_free(&A);
    arena_init(&A);
}

/* Policy text from a template in which ` stands for ". */
static const char *q(const char *t)
{
    size_t i;
    snprintf(textbuf, sizeof textbuf, "%s", t);
    for (i = 0; textbuf[i]; i++)
        if (textbuf[i] == '`')
            textbuf[i] = '"';
    return textbuf;
}

/* Runs the front end on text; returns the IR or NULL. */
static struct ir_policy *run(const char *text)
{
    struct ir_policy *p = NULL;
    reset();
    frontend_parse(&A, &D, "t.json", text, strlen(text), NULL, &p);
    return p;
}

static const struct rec *find(const char *code)
{
    size_t i;
    for (i = 0; i < nrecs; i++)
        if (strcmp(recs[i].code, code) == 0)
            return &recs[i];
    return NULL;
}

static size_t count_level(enum diag_level l)
{
    size_t i, n = 0;
    for (i = 0; i < nrecs; i++)
        n += recs[i].level == l;
    return n;
}

static void dump(void)
{
    size_t i;
    for (i = 0; i < nrecs; i++)
        printf("  [%u:%u %s] %s\n", recs[i].line, recs[i].col, recs[i].code, recs[i].msg);
}

/* Line and column (1-based) of the first occurrence of `at` in text. */
static void where(const char *text, const char *at, unsigned *line, unsigned *col)
{
    const char *p = strstr(text, at), *s;
    *line = 1;
    *col = 0;
    if (!p)
        return;
    for (s = text; s < p; s++)
        if (*s == '\n')
            (*line)++;
    for (s = p; s > text && s[-1] != '\n'; s--)
        ;
    *col = (unsigned)(p - s) + 1;
}

/* ---- the table of invalid policies: one or more per code ---------------- */

#define V12 "{`Version`:`2012-10-17`,`Statement`:"
#define ST(body) V12 "{" body "}}"
#define OK3 "`Effect`:`Allow`,`Action`:`s3:GetObject`,`Resource`:`*`"
#define COND(c) ST(OK3 ",`Condition`:{" c "}")

struct bad {
    const char *code;   /* expected diagnostic code */
    const char *text;   /* policy with ` for " */
    const char *at;     /* the text the diagnostic must point at (first occurrence) */
};

static const struct bad bads[] = {
    /* document (§1.1) */
    {"invalid-type", "[]", "["},
    {"invalid-type", "{`Version`:`2012-10-17`,`Statement`:`x`}", "`x`"},
    {"invalid-type", "{`Version`:`2012-10-17`,`Statement`:[1]}", "1]"},
    {"invalid-type", "{`Version`:2012,`Statement`:{" OK3 "}}", "2012"},
    {"invalid-type", "{`Id`:5,`Version`:`2012-10-17`,`Statement`:{" OK3 "}}", "5"},
    {"invalid-type", ST("`Sid`:1," OK3), "1,"},
    {"invalid-type", ST("`Effect`:true,`Action`:`s3:x`,`Resource`:`*`"), "true"},
    {"invalid-type", ST("`Effect`:`Allow`,`Action`:{},`Resource`:`*`"), "{}"},
    {"invalid-type", ST("`Effect`:`Allow`,`Action`:[`s3:x`,7],`Resource`:`*`"), "7]"},
    {"invalid-type", ST(OK3 ",`Condition`:[]"), "[]"},
    {"invalid-type", COND("`StringEquals`:`x`"), "`x`"},
    {"unknown-element", "{`Version`:`2012-10-17`,`Statements`:[{" OK3 "}]}", "`Statements`"},
    {"unknown-element", ST(OK3 ",`Resources`:`*`"), "`Resources`"},
    {"unknown-element", ST(OK3 ",`effect`:`Allow`"), "`effect`"},
    {"unknown-element", ST(OK3 ",`Conditions`:{}"), "`Conditions`"},
    {"missing-statement", "{`Version`:`2012-10-17`}", "{"},
    {"invalid-version", "{`Version`:`2012-10-18`,`Statement`:{" OK3 "}}", "`2012-10-18`"},
    {"empty-array", "{`Version`:`2012-10-17`,`Statement`:[]}", "[]"},
    {"invalid-sid", ST("`Sid`:`allow-read`," OK3), "`allow-read`"},
    {"invalid-sid", ST("`Sid`:`a b`," OK3), "`a b`"},
    {"duplicate-sid", V12 "[{`Sid`:`A`," OK3 "},{`Sid`:`A`," OK3 "}]}", "`A`," OK3 "}]"},
    {"missing-effect", ST("`Action`:`s3:x`,`Resource`:`*`"), "{`Action`"},
    {"invalid-effect", ST("`Effect`:`allow`,`Action`:`s3:x`,`Resource`:`*`"), "`allow`"},
    {"invalid-effect", ST("`Effect`:`Permit`,`Action`:`s3:x`,`Resource`:`*`"), "`Permit`"},
    {"action-and-not-action", ST(OK3 ",`NotAction`:`s3:PutObject`"), "`NotAction`"},
    {"resource-and-not-resource", ST("`NotResource`:`*`," OK3), "`Resource`"},
    {"missing-action", ST("`Effect`:`Allow`,`Resource`:`*`"), "{`Effect`"},
    {"missing-resource", ST("`Effect`:`Allow`,`Action`:`s3:x`"), "{`Effect`"},
    {"principal-not-allowed", ST(OK3 ",`Principal`:`*`"), "`Principal`"},
    {"principal-not-allowed", ST(OK3 ",`NotPrincipal`:{`AWS`:`*`}"), "`NotPrincipal`"},
    {"empty-array", ST("`Effect`:`Allow`,`Action`:[],`Resource`:`*`"), "[]"},
    {"empty-array", ST("`Effect`:`Allow`,`NotAction`:[],`Resource`:`*`"), "[]"},
    {"empty-array", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:[]"), "[]"},
    {"empty-array", ST("`Effect`:`Allow`,`Action`:`s3:x`,`NotResource`:[]"), "[]"},
    {"empty-array", COND("`StringEquals`:{`aws:username`:[]}"), "[]"},
    /* actions (§1.1, §3.1) */
    {"invalid-action", ST("`Effect`:`Allow`,`Action`:`GetObject`,`Resource`:`*`"), "`GetObject`"},
    {"invalid-action", ST("`Effect`:`Allow`,`Action`:`s3:Get:Object`,`Resource`:`*`"), "`s3:Get"},
    {"invalid-action", ST("`Effect`:`Allow`,`Action`:`:GetObject`,`Resource`:`*`"), "`:GetObject`"},
    {"invalid-action", ST("`Effect`:`Allow`,`Action`:`s3:`,`Resource`:`*`"), "`s3:`"},
    {"invalid-action", ST("`Effect`:`Allow`,`Action`:``,`Resource`:`*`"), "``"},
    {"action-service-wildcard", ST("`Effect`:`Allow`,`Action`:`s*:GetObject`,`Resource`:`*`"), "`s*:"},
    {"action-service-wildcard", ST("`Effect`:`Allow`,`Action`:`*:Get*`,`Resource`:`*`"), "`*:"},
    {"action-service-wildcard", ST("`Effect`:`Allow`,`Action`:`s?:Get`,`Resource`:`*`"), "`s?:"},
    /* resources (§1.1, §3.2) */
    {"resource-not-arn", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`example-bucket/*`"), "`example-bucket"},
    {"resource-not-arn", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`sns topic arn`"), "`sns topic arn`"},
    {"resource-not-arn", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`ARN:aws:s3:::b`"), "`ARN:"},
    {"resource-not-arn", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:``"), "``"},
    {"arn-too-short", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:s3:*`"), "`arn:aws:s3:*`"},
    {"arn-too-short", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:s3::b`"), "`arn:"},
    {"arn-service-wildcard", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:s*:::b/*`"), "`arn:"},
    {"arn-service-wildcard", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:*code*:::b`"), "`arn:"},
    {"arn-service-case", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:S3:::b/*`"), "`arn:"},
    {"invalid-arn", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn::s3:::b`"), "`arn:"},
    {"invalid-arn", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws::::b`"), "`arn:"},
    {"invalid-arn", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:s 3:::b`"), "`arn:"},
    /* variables (§5) */
    {"variable-not-allowed", ST("`Effect`:`Allow`,`Action`:`s3:${aws:username}`,`Resource`:`*`"), "`s3:$"},
    {"variable-not-allowed", ST("`Effect`:`Allow`,`NotAction`:`s3:${*}`,`Resource`:`*`"), "`s3:$"},
    {"variable-not-allowed", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:${aws:PrincipalTag/svc}:::b`"), "`arn"},
    {"variable-not-allowed", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:${aws:p}:s3:::b`"), "`arn"},
    {"variable-not-allowed", COND("`NumericLessThan`:{`s3:max-keys`:`${aws:PrincipalTag/max}`}"), "`${"},
    {"variable-not-allowed", COND("`DateLessThan`:{`aws:CurrentTime`:`${aws:x}`}"), "`${"},
    {"variable-not-allowed", COND("`Bool`:{`aws:SecureTransport`:`${aws:x}`}"), "`${"},
    {"variable-not-allowed", COND("`BinaryEquals`:{`k:b`:`${aws:x}`}"), "`${"},
    {"variable-not-allowed", COND("`IpAddress`:{`aws:SourceIp`:`${aws:x}`}"), "`${"},
    {"variable-not-allowed", COND("`Null`:{`aws:x`:`${aws:y}`}"), "`${"},
    {"variable-not-allowed", COND("`StringEquals`:{`aws:PrincipalTag/${aws:username}`:`x`}"), "`aws:Pr"},
    {"variable-unterminated", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:s3:::b/${aws:username`"), "`arn"},
    {"variable-unterminated", COND("`StringEquals`:{`k:k`:`a${aws:x, 'd`}"), "`a${"},
    {"variable-empty", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:s3:::b/${}`"), "`arn"},
    {"variable-space-in-name", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:s3:::b/${aws: username}`"), "`arn"},
    {"variable-default-unquoted", COND("`StringLike`:{`k:k`:`${aws:x, dflt}`}"), "`${"},
    {"variable-syntax", COND("`StringLike`:{`k:k`:`${aws:x,'d'}`}"), "`${"},
    {"variable-syntax", COND("`ArnLike`:{`k:k`:`arn:aws:s3:::${a{b}`}"), "`arn"},
    /* conditions (§1.1, §4) */
    {"unknown-operator", COND("`StringEqual`:{`aws:username`:`a`}"), "`StringEqual`"},
    {"unknown-operator", COND("`stringequals`:{`aws:username`:`a`}"), "`stringequals`"},
    {"unknown-operator", COND("`ForAnyValues:StringEquals`:{`aws:username`:`a`}"), "`ForAnyValues"},
    {"null-if-exists", COND("`NullIfExists`:{`aws:TokenIssueTime`:`true`}"), "`NullIfExists`"},
    {"null-with-set-operator", COND("`ForAnyValue:Null`:{`aws:TagKeys`:`true`}"), "`ForAnyValue:Null`"},
    {"null-with-set-operator", COND("`ForAllValues:Null`:{`aws:TagKeys`:`true`}"), "`ForAllValues:Null`"},
    {"duplicate-condition-key", COND("`StringEquals`:{`aws:username`:`a`,`AWS:UserName`:`b`}"), "`AWS:UserName`"},
    {"invalid-condition-key", COND("`StringEquals`:{``:`a`}"), "``"},
    {"invalid-condition-value", COND("`StringEquals`:{`aws:username`:null}"), "null"},
    {"invalid-condition-value", COND("`StringEquals`:{`aws:username`:{}}"), "{}}"},
    {"invalid-condition-value", COND("`StringEquals`:{`aws:username`:[[`a`]]}"), "[`a`]"},
    {"invalid-condition-value", COND("`StringEquals`:{`aws:username`:[`a`,null]}"), "null"},
    {"invalid-number", COND("`NumericLessThan`:{`s3:max-keys`:`ten`}"), "`ten`"},
    {"invalid-number", COND("`NumericLessThan`:{`s3:max-keys`:1e3}"), "1e3"},
    {"invalid-number", COND("`NumericEquals`:{`s3:max-keys`:`5.`}"), "`5.`"},
    {"invalid-date", COND("`DateLessThan`:{`aws:CurrentTime`:`31/12/2020`}"), "`31/"},
    {"invalid-date", COND("`DateLessThan`:{`aws:CurrentTime`:`2020-13-01`}"), "`2020"},
    {"invalid-date", COND("`DateGreaterThan`:{`aws:CurrentTime`:`2020-01-01T25:00:00Z`}"), "`2020"},
    {"invalid-bool", COND("`Bool`:{`aws:SecureTransport`:`yes`}"), "`yes`"},
    {"invalid-bool", COND("`BoolIfExists`:{`aws:SecureTransport`:1}"), "1}"},
    {"invalid-null-value", COND("`Null`:{`aws:TokenIssueTime`:`maybe`}"), "`maybe`"},
    {"invalid-base64", COND("`BinaryEquals`:{`k:b`:`not base64!`}"), "`not"},
    {"invalid-base64", COND("`BinaryEquals`:{`k:b`:`QQ`}"), "`QQ`"},
    {"invalid-ip", COND("`IpAddress`:{`aws:SourceIp`:`300.1.1.0/24`}"), "`300"},
    {"invalid-ip", COND("`NotIpAddress`:{`aws:SourceIp`:`10.0.0.0/33`}"), "`10."},
    {"invalid-ip", COND("`IpAddress`:{`aws:SourceIp`:`2001:db8::g/64`}"), "`2001"},
    /* character set (§1.3) */
    {"invalid-character", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:s3:::b/\\u0100`"), "`arn"},
    {"invalid-character", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:s3:::b/\\u0001`"), "`arn"},
    {"invalid-character", ST("`Sid`:`\\u2013`," OK3), "`\\u2013`"},
    {"invalid-character", ST("`Sid`:`a\xc4\x80`," OK3), "`a\xc4"},           /* raw UTF-8 U+0100 */
    {"invalid-character", ST("`Sid`:`\xe2\x80\x93`," OK3), "`\xe2"},        /* raw U+2013 */
    {"invalid-character", ST(OK3 ",`Condition`:{`StringEquals`:{`k:k`:`a\\bc`}}"), "`a\\b"}, /* U+0008 */
    {"variable-unterminated", ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:s3:::b/\\u0024{aws:x`"), "`arn"},
    {"invalid-character", ST(OK3 ",`Condition`:{`StringEquals`:{`k\\u20ack`:`x`}}"), "`k\\u20ac"},
};

static void test_codes(void)
{
    size_t i;
    for (i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        const char *text = q(bads[i].text);
        char at[256];
        unsigned line, col;
        const struct rec *r;
        struct ir_policy *p;

        snprintf(at, sizeof at, "%s", bads[i].at);
        for (char *c = at; *c; c++)
            if (*c == '`')
                *c = '"';
        where(text, at, &line, &col);
        p = run(text);
        r = find(bads[i].code);
        CU_ASSERT_PTR_NULL(p);
        CU_ASSERT_PTR_NOT_NULL(r);
        CU_ASSERT(col > 0);
        if (r) {
            CU_ASSERT_EQUAL(r->level, DIAG_ERROR);
            CU_ASSERT_EQUAL(r->line, line);
            CU_ASSERT_EQUAL(r->col, col);
        }
        if (p || !r || r->line != line || r->col != col) {
            printf("\ncase %zu (%s): %s\n  want %u:%u\n", i, bads[i].code, text, line, col);
            dump();
        }
    }
}

/* Every code in the table is documented in docs/diagnostics.md. */
static void test_codes_documented(void)
{
    char *doc = tu_read_file(tu_source("docs/diagnostics.md"), NULL);
    static const char *const extra[] = {"id-ignored", "variable-without-version", "policy-too-large",
                                        "empty-condition-operator", "out-of-memory"};
    size_t i;
    char pat[80];
    if (!doc) {
        printf("skipped: docs/diagnostics.md not found\n");
        return;
    }
    for (i = 0; i < sizeof bads / sizeof bads[0] + sizeof extra / sizeof extra[0]; i++) {
        const char *code = i < sizeof bads / sizeof bads[0] ? bads[i].code : extra[i - sizeof bads / sizeof bads[0]];
        snprintf(pat, sizeof pat, "`%s`", code);
        CU_ASSERT_PTR_NOT_NULL(strstr(doc, pat));
        if (!strstr(doc, pat))
            printf("\nundocumented code %s\n", code);
    }
    free(doc);
}

/* ---- rules that accept (each a §1 rule's positive side) ---------------- */

static const char *const goods[] = {
    /* Version absent or 2008; Statement as an object; element order free */
    "{`Statement`:{" OK3 "}}",
    "{`Statement`:[{`Resource`:`*`,`Action`:`s3:x`,`Effect`:`Deny`}],`Version`:`2008-10-17`}",
    /* empty Sid accepted; Sids only need to be unique when non-empty */
    V12 "[{`Sid`:``," OK3 "},{`Sid`:``," OK3 "},{`Sid`:`Abc123`," OK3 "}]}",
    /* NotAction / NotResource; arrays; case-insensitive actions */
    ST("`Effect`:`Allow`,`NotAction`:[`iam:*`,`S3:getobject`],`NotResource`:[`arn:aws:s3:::b`,`arn:aws:s3:::b/*`]"),
    ST("`Effect`:`Allow`,`Action`:`*`,`Resource`:`arn:*:ssm:*:*:opsitem/*`"),
    /* ARNs: empty region/account, empty resource part, extra ':' in the resource */
    ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:[`arn:aws:s3::*:*imagebuilder*`,`arn:aws:organizations::*:`,"
       "`arn:aws:logs:us-east-1:123456789012:log-group:*`,`arn:aws:iam::*:role/a?c`]"),
    /* variables under 2012 in region, account, resource; escapes; defaults */
    ST("`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:[`arn:aws:secretsmanager:${aws:RequestedRegion}:${aws:PrincipalAccount}:secret:x`,"
       "`arn:aws:s3:::b/${aws:username}/${*}${?}${$}`,`arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}`]"),
    /* variables in String and Arn values */
    COND("`StringEquals`:{`s3:ExistingObjectTag/owner`:`${aws:PrincipalTag/owner}`},"
         "`ArnLike`:{`aws:SourceArn`:`arn:aws:sns:*:*:${aws:PrincipalTag/project}-*`},"
         "`StringNotLikeIfExists`:{`s3:prefix`:[`home/${aws:username}/*`,``]}"),
    /* under 2008 ${...} is plain text, wherever it stands */
    "{`Version`:`2008-10-17`,`Statement`:{`Effect`:`Allow`,`Action`:`s3:${x}`,`Resource`:`arn:aws:s3:::b/${aws:username`}}",
    /* empty Condition; every operator family with a valid typed value */
    ST(OK3 ",`Condition`:{}"),
    COND("`NumericLessThanEquals`:{`s3:max-keys`:[10,`-2.5`,`+3`]},`DateGreaterThan`:{`aws:TokenIssueTime`:[`2020-01-01T00:00:01Z`,1577836800,`2020-01`,`2020-01-01T01:00+01:00`]},"
         "`Bool`:{`aws:SecureTransport`:[true,`False`]},`BinaryEquals`:{`k:b`:`QmluYXJ5VmFsdWVJbkJhc2U2NA==`},"
         "`IpAddress`:{`aws:SourceIp`:[`203.0.113.0/24`,`203.0.113.6`,`2001:db8:1234:5678::/64`]},`Null`:{`aws:TokenIssueTime`:false},"
         "`ForAllValues:StringLike`:{`aws:TagKeys`:`team-*`},`ForAnyValue:StringEqualsIfExists`:{`aws:TagKeys`:`env`},"
         "`ArnNotEqualsIfExists`:{`aws:SourceArn`:`arn:aws:s3:::b`},`StringEqualsIgnoreCase`:{`aws:username`:`A`}"),
    /* keys differing in case under different operators are fine */
    COND("`StringEquals`:{`aws:username`:`a`},`StringLike`:{`AWS:UserName`:`b*`}"),
    /* the character set's upper end: Latin-1 */
    ST("`Sid`:`abc`,`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:s3:::caf\\u00e9\\u00ff\\t`"),
    ST("`Sid`:`abc`,`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:s3:::caf\xc3\xa9-\xc3\xbf-\xc2\x80-long-enough-for-8`"),
};

static void test_goods(void)
{
    size_t i;
    for (i = 0; i < sizeof goods / sizeof goods[0]; i++) {
        struct ir_policy *p = run(q(goods[i]));
        CU_ASSERT_PTR_NOT_NULL(p);
        CU_ASSERT_EQUAL(count_level(DIAG_ERROR), 0);
        if (!p) {
            printf("\ngood %zu refused: %s\n", i, q(goods[i]));
            dump();
        }
    }
}

/* ---- the IR ------------------------------------------------------------ */

static void test_ir(void)
{
    const char *text = q("{`Version`:`2012-10-17`,`Statement`:[\n"
                         "{`Sid`:`S1`,`Effect`:`Deny`,`NotAction`:`iam:*`,`Resource`:[`*`,`arn:aws:s3:::b`],\n"
                         " `Condition`:{`ForAnyValue:StringLikeIfExists`:{`aws:TagKeys`:[`a`,1.5,true]},`Null`:{`k:x`:false}}},\n"
                         "{`Effect`:`Allow`,`Action`:[`s3:GetObject`,`s3:PutObject`],`NotResource`:`arn:aws:s3:::b/*`}]}");
    struct ir_policy *p = run(text);
    const struct ir_statement *s0, *s1;
    const struct ir_cond *c;

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->version, IR_VERSION_2012);
    CU_ASSERT_PTR_NULL(p->id.s);
    CU_ASSERT_STRING_EQUAL(p->file, "t.json");
    CU_ASSERT_EQUAL_FATAL(p->nstmts, 2);
    s0 = &p->stmts[0];
    s1 = &p->stmts[1];
    CU_ASSERT_EQUAL(s0->index, 0);
    CU_ASSERT_EQUAL(s1->index, 1);
    CU_ASSERT_STRING_EQUAL(s0->sid.s, "S1");
    CU_ASSERT_PTR_NULL(s1->sid.s);
    CU_ASSERT_EQUAL(s0->effect, IR_DENY);
    CU_ASSERT_EQUAL(s1->effect, IR_ALLOW);
    CU_ASSERT(s0->not_action && !s0->not_resource && !s1->not_action && s1->not_resource);
    CU_ASSERT_EQUAL(s0->actions.n, 1);
    CU_ASSERT_STRING_EQUAL(s0->actions.v[0].s, "iam:*");
    CU_ASSERT_EQUAL(s0->resources.n, 2);
    CU_ASSERT_STRING_EQUAL(s0->resources.v[1].s, "arn:aws:s3:::b");
    CU_ASSERT_EQUAL(s1->actions.n, 2);
    CU_ASSERT_STRING_EQUAL(s1->actions.v[1].s, "s3:PutObject");
    CU_ASSERT_EQUAL(s1->resources.n, 1);
    /* locations: statement '{', Effect value, element keys */
    CU_ASSERT_EQUAL(s0->loc.line, 2);
    CU_ASSERT_EQUAL(s0->loc.col, 1);
    CU_ASSERT_EQUAL(s0->effect_loc.line, 2);
    CU_ASSERT_EQUAL(s0->effect_loc.col, 22);
    CU_ASSERT_EQUAL(s0->action_loc.col, 29);
    CU_ASSERT_EQUAL(s0->resources.v[1].loc.col, 65);
    CU_ASSERT_EQUAL(s0->condition_loc.line, 3);
    CU_ASSERT_EQUAL(s0->condition_loc.col, 2);
    CU_ASSERT(s0->has_condition && !s1->has_condition);
    CU_ASSERT_EQUAL_FATAL(s0->nconds, 2);
    c = &s0->conds[0];
    CU_ASSERT_STRING_EQUAL(c->name.s, "ForAnyValue:StringLikeIfExists");
    CU_ASSERT_EQUAL(c->op, IR_OP_STRING_LIKE);
    CU_ASSERT_EQUAL(c->set, IR_SET_FOR_ANY_VALUE);
    CU_ASSERT_EQUAL(c->if_exists, 1);
    CU_ASSERT_EQUAL_FATAL(c->nkeys, 1);
    CU_ASSERT_STRING_EQUAL(c->keys[0].key.s, "aws:TagKeys");
    CU_ASSERT_EQUAL_FATAL(c->keys[0].values.n, 3);
    CU_ASSERT_STRING_EQUAL(c->keys[0].values.v[0].s, "a");
    CU_ASSERT_STRING_EQUAL(c->keys[0].values.v[1].s, "1.5");   /* numbers keep their text */
    CU_ASSERT_STRING_EQUAL(c->keys[0].values.v[2].s, "true");  /* booleans become text */
    CU_ASSERT_EQUAL(c->keys[0].values.v[2].len, 4);
    c = &s0->conds[1];
    CU_ASSERT_EQUAL(c->op, IR_OP_NULL);
    CU_ASSERT_EQUAL(c->set, IR_SET_NONE);
    CU_ASSERT_STRING_EQUAL(c->keys[0].values.v[0].s, "false");

    p = run(q("{`Id`:`x`,`Statement`:{" OK3 ",`Condition`:{}}}"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->version, IR_VERSION_NONE);
    CU_ASSERT_STRING_EQUAL(p->id.s, "x");
    CU_ASSERT(p->stmts[0].has_condition);
    CU_ASSERT_EQUAL(p->stmts[0].nconds, 0);
    p = run(q("{`Version`:`2008-10-17`,`Statement`:{" OK3 "}}"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->version, IR_VERSION_2008);
}

/* ---- warnings ----------------------------------------------------------- */

static void test_warnings(void)
{
    const struct rec *r;
    struct ir_policy *p;
    const char *text;

    /* A1: Id is accepted with a warning at its key */
    p = run(q("{`Version`:`2012-10-17`,`Id`:`x`,`Statement`:{" OK3 "}}"));
    CU_ASSERT_PTR_NOT_NULL(p);
    r = find("id-ignored");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(r->level, DIAG_WARNING);
    CU_ASSERT_EQUAL(r->col, 25);
    /* A21: no Version but ${...}: literal, warned once */
    text = q("{`Statement`:{`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:[`arn:aws:s3:::b/${aws:username}`,`arn:aws:s3:::c/${x}`]}}");
    p = run(text);
    CU_ASSERT_PTR_NOT_NULL(p);
    CU_ASSERT_EQUAL(count_level(DIAG_WARNING), 1);
    r = find("variable-without-version");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(r->col, strstr(text, "\"arn:aws:s3:::b") - text + 1);
    /* ... not under 2008 (explicit choice) nor without ${ */
    p = run(q("{`Version`:`2008-10-17`,`Statement`:{`Effect`:`Allow`,`Action`:`s3:x`,`Resource`:`arn:aws:s3:::b/${x}`}}"));
    CU_ASSERT_PTR_NOT_NULL(p);
    CU_ASSERT_EQUAL(nrecs, 0);
    /* an operator with no keys tests nothing: warned */
    p = run(q(COND("`StringEquals`:{},`Bool`:{`aws:SecureTransport`:true}")));
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    r = find("empty-condition-operator");
    CU_ASSERT_PTR_NOT_NULL(r);
    CU_ASSERT_EQUAL_FATAL(p->stmts[0].nconds, 1); /* left out of the IR */
    CU_ASSERT_EQUAL(p->stmts[0].conds[0].op, IR_OP_BOOL);
    /* warnings as errors refuse the policy */
    reset();
    D.warnings_as_errors = 1;
    text = q("{`Version`:`2012-10-17`,`Id`:`x`,`Statement`:{" OK3 "}}");
    CU_ASSERT_EQUAL(frontend_parse(&A, &D, "t.json", text, strlen(text), NULL, &p), FRONTEND_REFUSED);
    CU_ASSERT_PTR_NULL(p);
}

static void test_size(void)
{
    struct frontend_opts o = {10};
    struct ir_policy *p;
    const char *text = q("{`Statement`: {" OK3 "}}");
    size_t max = 99;

    CU_ASSERT_EQUAL(validate_policy_size("", 0), 0);
    CU_ASSERT_EQUAL(validate_policy_size(" a\tb\r\nc ", 8), 3);
    CU_ASSERT_EQUAL(validate_policy_size("\xc3\xa9x", 3), 2); /* characters, not bytes */
    CU_ASSERT_EQUAL(validate_parse_size_limit("managed", &max), 0);
    CU_ASSERT_EQUAL(max, 6144);
    CU_ASSERT_EQUAL(validate_parse_size_limit("user", &max), 0);
    CU_ASSERT_EQUAL(max, 2048);
    CU_ASSERT_EQUAL(validate_parse_size_limit("group", &max), 0);
    CU_ASSERT_EQUAL(max, 5120);
    CU_ASSERT_EQUAL(validate_parse_size_limit("role", &max), 0);
    CU_ASSERT_EQUAL(max, 10240);
    CU_ASSERT_EQUAL(validate_parse_size_limit("123", &max), 0);
    CU_ASSERT_EQUAL(max, 123);
    CU_ASSERT_EQUAL(validate_parse_size_limit("off", &max), 0);
    CU_ASSERT_EQUAL(max, 0);
    CU_ASSERT_EQUAL(validate_parse_size_limit("", &max), -1);
    CU_ASSERT_EQUAL(validate_parse_size_limit("12k", &max), -1);
    CU_ASSERT_EQUAL(validate_parse_size_limit("99999999999999999999999999", &max), -1);

    reset();
    CU_ASSERT_EQUAL(frontend_parse(&A, &D, "t.json", text, strlen(text), &o, &p), FRONTEND_OK);
    CU_ASSERT_PTR_NOT_NULL(find("policy-too-large"));
    CU_ASSERT_EQUAL(count_level(DIAG_WARNING), 1);
    o.max_policy_size = validate_policy_size(text, strlen(text));
    reset();
    CU_ASSERT_EQUAL(frontend_parse(&A, &D, "t.json", text, strlen(text), &o, &p), FRONTEND_OK);
    CU_ASSERT_EQUAL(nrecs, 0);
}

/* ---- going on after errors, caps, JSON errors, allocation failure ------- */

static void test_all_errors(void)
{
    const char *text = q(V12 "[{`Effect`:`allow`,`Action`:`x`,`Resource`:`y`},{`Sid`:`-`},{`Bad`:1}]}");
    CU_ASSERT_PTR_NULL(run(text));
    /* invalid-effect, invalid-action, resource-not-arn; invalid-sid, 3 missing; unknown, 3 missing */
    CU_ASSERT_EQUAL(count_level(DIAG_ERROR), 11);
    /* diag's cap: errors are still counted, only 2 are shown */
    reset();
    D.max_errors = 2;
    {
        struct ir_policy *p;
        CU_ASSERT_EQUAL(frontend_parse(&A, &D, "t.json", text, strlen(text), NULL, &p), FRONTEND_REFUSED);
    }
    CU_ASSERT_EQUAL(nrecs, 2);
    CU_ASSERT_EQUAL(D.errors, 11);
}

static void test_json_error_stops(void)
{
    /* a syntax error: only the parser speaks, no policy validation */
    CU_ASSERT_PTR_NULL(run("{\"Statement\": {\"Effect\": \"allow\",}}"));
    CU_ASSERT_EQUAL(count_level(DIAG_ERROR), 1);
    CU_ASSERT_EQUAL(strncmp(recs[0].code, "json-", 5), 0);
    CU_ASSERT_PTR_NULL(find("invalid-effect"));
    CU_ASSERT_PTR_NULL(find("missing-action"));
    /* duplicate keys come from the parser */
    CU_ASSERT_PTR_NULL(run(q(ST("`Effect`:`Allow`,`Effect`:`Deny`,`Action`:`s3:x`,`Resource`:`*`"))));
    CU_ASSERT_PTR_NOT_NULL(find("duplicate-key"));
    CU_ASSERT_PTR_NULL(find("invalid-effect"));
}

static void test_oom(void)
{
    /* a policy with many statements, validated in an arena that cannot grow */
    static char big[200000];
    size_t n = 0, i;
    struct json *root;
    n += (size_t)snprintf(big + n, sizeof big - n, "{\"Version\":\"2012-10-17\",\"Statement\":[");
    for (i = 0; i < 2000; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "%s{\"Effect\":\"Allow\",\"Action\":[\"s3:a\",\"s3:b\"],\"Resource\":\"*\"}",
                              i ? "," : "");
    n += (size_t)snprintf(big + n, sizeof big - n, "]}");
    reset();
    root = json_parse(&A, &D, "big.json", big, n, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    A.limit = A.total;
    CU_ASSERT_PTR_NULL(validate_policy(&A, &D, "big.json", root));
    CU_ASSERT_PTR_NOT_NULL(find("out-of-memory"));
    A.limit = 0;
    reset();
    root = json_parse(&A, &D, "big.json", big, n, 1);
    CU_ASSERT_PTR_NOT_NULL(validate_policy(&A, &D, "big.json", root));
}

/* ---- shared material ---------------------------------------------------- */

/* Validates every "policy" (or each of "policies") of a JSON Lines file;
 * returns the number of policies seen, and counts the refused ones. */
static size_t jsonl_policies(const char *rel, size_t *refused, const char *const *want_codes, size_t nwant)
{
    const char *path = tu_shared(rel);
    char *text, *line, *next;
    size_t len, seen = 0;
    unsigned lineno = 0;

    *refused = 0;
    if (!path)
        return 0;
    text = tu_read_file(path, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    for (line = text; line && *line; line = next) {
        struct json *root;
        const struct json_member *m;
        size_t k;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        if (!*line)
            continue;
        reset();
        root = json_parse(&A, &D, rel, line, strlen(line), lineno);
        CU_ASSERT_PTR_NOT_NULL_FATAL(root);
        if ((m = json_get(root, "policy")) != NULL) {
            struct ir_policy *p = validate_policy(&A, &D, rel, m->value);
            seen++;
            *refused += p == NULL;
            if (want_codes && seen <= nwant) {
                CU_ASSERT_PTR_NOT_NULL(find(want_codes[seen - 1]));
                if (!find(want_codes[seen - 1])) {
                    printf("\nline %u: want %s\n", lineno, want_codes[seen - 1]);
                    dump();
                }
            }
        } else if ((m = json_get(root, "policies")) != NULL && m->value->type == JSON_ARRAY) {
            for (k = 0; k < m->value->u.arr.n; k++) {
                struct ir_policy *p = validate_policy(&A, &D, rel, m->value->u.arr.items[k]);
                seen++;
                *refused += p == NULL;
                if (!p) {
                    printf("\nline %u refused\n", lineno);
                    dump();
                }
            }
        }
    }
    free(text);
    return seen;
}

static void test_conformance_invalid(void)
{
    /* IV01..IV31 in file order: the code each one must get */
    static const char *const want[] = {
        "action-and-not-action", "missing-effect", "invalid-effect", "unknown-element", "principal-not-allowed",
        "invalid-sid", "duplicate-sid", "invalid-version", "empty-array", "missing-resource", "null-if-exists",
        "variable-not-allowed", "variable-not-allowed", "empty-array", "duplicate-condition-key", "invalid-bool",
        "unknown-operator", "variable-not-allowed", "missing-statement", "invalid-ip", "variable-unterminated",
        "unknown-element", "resource-not-arn", "null-with-set-operator", "variable-space-in-name", "empty-array",
        "invalid-date", "invalid-action", "action-service-wildcard", "arn-service-wildcard", "arn-service-case"};
    size_t refused, seen = jsonl_policies("docs/conformance-invalid.jsonl", &refused, want, sizeof want / sizeof want[0]);
    if (!seen)
        return;
    CU_ASSERT_EQUAL(seen, 31);
    CU_ASSERT_EQUAL(refused, seen); /* each must be refused */
}

static void test_conformance_valid(void)
{
    size_t refused, seen = jsonl_policies("docs/conformance.jsonl", &refused, NULL, 0);
    if (!seen)
        return;
    CU_ASSERT(seen >= 149);
    CU_ASSERT_EQUAL(refused, 0);
}

static void test_managed_corpus(void)
{
    const char *path = tu_shared("corpus/aws-managed");
    char dir[4096], file[4600];
    struct dirent *e;
    size_t files = 0, bad = 0;
    DIR *dp;

    if (!path)
        return;
    snprintf(dir, sizeof dir, "%s", path);
    dp = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dp);
    while ((e = readdir(dp)) != NULL) {
        size_t n = strlen(e->d_name);
        char *text;
        size_t len;
        struct ir_policy *p;
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        snprintf(file, sizeof file, "%s/%s", dir, e->d_name);
        text = tu_read_file(file, &len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        reset();
        files++;
        if (frontend_parse(&A, &D, e->d_name, text, len, NULL, &p) != FRONTEND_OK || nrecs) {
            bad++;
            printf("\n%s:\n", e->d_name);
            dump();
        }
        free(text);
    }
    closedir(dp);
    printf("(%zu managed policies) ", files);
    CU_ASSERT(files >= 1594);
    CU_ASSERT_EQUAL(bad, 0); /* no error and no warning */
}

/* ---- files: the Image Builder examples and the as-printed fixture -------- */

static void test_examples(void)
{
    static const char *const names[] = {"examples/imagebuilder/read-only-access.json",
                                        "examples/imagebuilder/full-access.json",
                                        "examples/imagebuilder/custom-policy.json"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct ir_policy *p;
        reset();
        CU_ASSERT_EQUAL(frontend_load(&A, &D, tu_source(names[i]), NULL, &p, NULL, NULL), FRONTEND_OK);
        CU_ASSERT_PTR_NOT_NULL(p);
        CU_ASSERT_EQUAL(nrecs, 0);
    }
}

static void test_custom_as_printed(void)
{
    struct ir_policy *p;
    const char *text;
    size_t len;
    unsigned line, col;

    reset();
    CU_ASSERT_EQUAL(frontend_load(&A, &D, tu_source("tests/fixtures/imagebuilder-custom-as-printed.json"), NULL, &p,
                                  &text, &len), FRONTEND_REFUSED);
    CU_ASSERT_PTR_NULL(p);
    CU_ASSERT_EQUAL_FATAL(count_level(DIAG_ERROR), 1);
    where(text, "\"Condition\"", &line, &col);
    CU_ASSERT_EQUAL(line, 22);
    CU_ASSERT_EQUAL(col, 7);
    CU_ASSERT_EQUAL(recs[0].line, line);
    CU_ASSERT_EQUAL(recs[0].col, col);
    CU_ASSERT_EQUAL(strncmp(recs[0].code, "json-", 5), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(recs[0].msg, "expected ','")); /* says what was expected */
    /* with the comma added, the placeholders are what is wrong */
    {
        char *fixed = malloc(len + 2);
        const char *at = strstr(text, "arn\"\n      \"Condition\"");
        size_t off;
        CU_ASSERT_PTR_NOT_NULL_FATAL(at);
        off = (size_t)(at - text) + 4;
        memcpy(fixed, text, off);
        fixed[off] = ',';
        memcpy(fixed + off + 1, text + off, len - off + 1);
        CU_ASSERT_PTR_NULL(run(fixed));
        CU_ASSERT_EQUAL(count_level(DIAG_ERROR), 4);
        CU_ASSERT_PTR_NOT_NULL(find("resource-not-arn"));
        CU_ASSERT_PTR_NOT_NULL(strstr(find("resource-not-arn")->msg, "placeholder"));
        free(fixed);
    }
}

static void test_io_error(void)
{
    struct ir_policy *p;
    reset();
    CU_ASSERT_EQUAL(frontend_load(&A, &D, "/nonexistent/policy.json", NULL, &p, NULL, NULL), FRONTEND_IO);
    CU_ASSERT_PTR_NULL(p);
    CU_ASSERT_EQUAL(D.errors, 1);
}

int main(void)
{
    CU_pSuite s;
    arena_init(&A);
    diag_init(&D, NULL);
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("validate", NULL, NULL);
    CU_add_test(s, "every error code at its location", test_codes);
    CU_add_test(s, "codes are documented", test_codes_documented);
    CU_add_test(s, "valid forms of every rule", test_goods);
    CU_add_test(s, "the IR", test_ir);
    CU_add_test(s, "warnings", test_warnings);
    CU_add_test(s, "size quota", test_size);
    CU_add_test(s, "all errors reported, capped display", test_all_errors);
    CU_add_test(s, "JSON errors stop validation", test_json_error_stops);
    CU_add_test(s, "allocation failure", test_oom);
    CU_add_test(s, "conformance-invalid.jsonl refused", test_conformance_invalid);
    CU_add_test(s, "conformance.jsonl policies valid", test_conformance_valid);
    CU_add_test(s, "AWS managed corpus valid", test_managed_corpus);
    CU_add_test(s, "Image Builder examples", test_examples);
    CU_add_test(s, "custom policy as printed", test_custom_as_printed);
    CU_add_test(s, "unreadable file", test_io_error);
    {
        int rc = tu_run();
        arena_free(&A);
        diag_fini(&D);
        return rc;
    }
}
