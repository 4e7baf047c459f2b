/* test_explain.c - `pdtc explain` and the runtime's explanation module
 * (runtime/explain.h).
 *
 * In process: small policies are compiled in memory and opened with
 * pdt_open_mem; the per-statement breakdown must say which statements
 * apply, and the decision it implies (any applicable Deny, else any
 * applicable Allow, else implicit deny) must be pdt_decide's, with the
 * deciding statement among the applicable ones.  The same holds on every
 * case of ../shared/docs/conformance.jsonl, where the statement-level
 * condition result must also be the three-valued AND of its per-test
 * results.  Through the built pdtc: text and JSON output for allow,
 * explicit-deny and implicit-deny requests, stripped tables, usage errors,
 * and `pdtc explain --format json` on every conformance case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "condfmt.h"
#include "diag.h"
#include "explain.h"
#include "frontend.h"
#include "json.h"
#include "jsonout.h"
#include "lower.h"
#include "pdt.h"
#include "request.h"
#include "testutil.h"

/* ---- helpers ----------------------------------------------------------- */

/* Compiles policy texts[0..n) in memory and opens the table (image in *img,
 * malloc'd).  Returns the table or NULL. */
static struct pdt_table *ex_compile(const char *const *texts, size_t n, int strip, void **img)
{
    struct arena a;
    struct diag d;
    struct ir_policy *pols[16];
    struct lower_opts o;
    struct buf b;
    struct pdt_table *t = NULL;
    size_t i;
    char name[32];

    *img = NULL;
    if (n > 16)
        return NULL;
    arena_init(&a);
    diag_init(&d, NULL);  /* quiet: some conformance policies draw warnings */
    for (i = 0; i < n; i++) {
        char *nm;
        snprintf(name, sizeof name, "p%zu.json", i);
        nm = arena_strndup(&a, name, strlen(name));
        if (frontend_parse(&a, &d, nm, texts[i], strlen(texts[i]), NULL, &pols[i]) != FRONTEND_OK)
            goto out;
    }
    memset(&o, 0, sizeof o);
    o.strip = strip;
    buf_init(&b);
    if (lower_compile(&a, &d, pols, n, &o, &b) < 0 || b.failed) {
        buf_free(&b);
        goto out;
    }
    if (pdt_open_mem(b.data, b.len, &t) != PDT_OK) {
        buf_free(&b);
        t = NULL;
        goto out;
    }
    *img = b.data;
out:
    diag_fini(&d);
    arena_free(&a);
    return t;
}

/* The decision the breakdown implies; *dec_stmt_ok is set when why's
 * statement (if any) applies with the effect of the decision.  Also checks
 * (*cond_ok) that the parts add up: each statement's ActionOK is the OR of
 * its patterns' matches (negated for NotAction), its ResourceOK the
 * three-valued OR of its entries' (negated for NotResource), and its
 * condition the three-valued AND of its tests. */
static enum pdt_decision ex_implied(const struct pdt_table *t, const struct pdt_request *req,
                                    const struct pdt_why *why, int *dec_stmt_ok, int *cond_ok)
{
    struct pdt_explain x;
    uint32_t i, j, n;
    int any_deny = 0, any_allow = 0;

    pdt_explain_init(&x, t, req);
    n = pdt_explain_count(&x);
    *dec_stmt_ok = why->statement < 0;
    *cond_ok = 1;
    for (i = 0; i < n; i++) {
        struct pdt_explain_stmt s;
        enum pdt_tri acc = PDT_TRI_TRUE;
        if (pdt_explain_stmt(&x, i, &s) != 0) {
            *cond_ok = 0;
            continue;
        }
        if (s.applies) {
            if (s.info.deny)
                any_deny = 1;
            else
                any_allow = 1;
        }
        if ((int32_t)i == why->statement)
            *dec_stmt_ok = s.applies;
        if (!x.usable)
            continue;
        /* the per-pattern answers add up to the statement's */
        {
            const char *pats[64];
            int match[64], any = 0;
            uint32_t np = pdt_explain_actions(&x, i, pats, match, 64);
            enum pdt_tri r = PDT_TRI_FALSE;
            char tb[PDT_TMPL_MAX];
            for (j = 0; j < np && j < 64; j++)
                any |= match[j];
            if (np <= 64 && (s.info.not_action ? !any : any) != s.action)
                *cond_ok = 0;
            for (j = 0; j < s.info.nresources; j++) {
                struct pdt_explain_res e;
                if (pdt_explain_resource(&x, i, j, &e, tb, sizeof tb) != 0)
                    *cond_ok = 0;
                else if (e.match == PDT_TRI_TRUE || r == PDT_TRI_TRUE)
                    r = PDT_TRI_TRUE;
                else if (e.match == PDT_TRI_INDET)
                    r = PDT_TRI_INDET;
            }
            if (s.info.not_resource && r != PDT_TRI_INDET)
                r = r == PDT_TRI_TRUE ? PDT_TRI_FALSE : PDT_TRI_TRUE;
            if (r != s.resource)
                *cond_ok = 0;
        }
        for (j = 0; j < s.ntests; j++) {
            struct pdt_explain_test te;
            if (pdt_explain_test(&x, i, j, &te) != 0) {
                *cond_ok = 0;
                break;
            }
            if (te.result == PDT_TRI_FALSE)
                acc = PDT_TRI_FALSE;
            else if (te.result == PDT_TRI_INDET && acc == PDT_TRI_TRUE)
                acc = PDT_TRI_INDET;
        }
        if (acc != s.cond)
            *cond_ok = 0;
    }
    if (any_deny)
        return PDT_EXPLICIT_DENY;
    return any_allow ? PDT_ALLOW : PDT_IMPLICIT_DENY;
}

static const char *const P_MAIN =
    "{\"Version\": \"2012-10-17\", \"Statement\": [\n"
    "  {\"Sid\": \"ReadAll\", \"Effect\": \"Allow\", \"Action\": [\"s3:Get*\", \"s3:List*\"], \"Resource\": \"*\"},\n"
    "  {\"Sid\": \"NoSecrets\", \"Effect\": \"Deny\", \"Action\": \"s3:GetObject\",\n"
    "   \"Resource\": \"arn:aws:s3:::vault/*\"},\n"
    "  {\"Sid\": \"PassBuildRole\", \"Effect\": \"Allow\", \"Action\": \"iam:PassRole\",\n"
    "   \"Resource\": \"arn:aws:iam::123456789012:role/Build\",\n"
    "   \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"ec2.amazonaws.com\"},\n"
    "                 \"Bool\": {\"aws:SecureTransport\": \"true\"}}},\n"
    "  {\"Sid\": \"OwnFolder\", \"Effect\": \"Allow\", \"Action\": \"s3:PutObject\",\n"
    "   \"Resource\": \"arn:aws:s3:::home/${aws:username}/*\"}\n"
    "]}\n";

static struct pdt_table *main_table;
static void *main_img;

/* Index of the statement with Sid sid in main_table (statements are stored
 * Deny first, so table order is not source order), or UINT32_MAX. */
static uint32_t sid_index(const char *sid)
{
    struct pdt_stmt_info info;
    uint32_t i;
    for (i = 0; pdt_introspect_stmt(main_table, i, &info) == 0; i++)
        if (info.sid && strcmp(info.sid, sid) == 0)
            return i;
    return UINT32_MAX;
}

#define READ_ALL sid_index("ReadAll")
#define NO_SECRETS sid_index("NoSecrets")
#define PASS_BUILD sid_index("PassBuildRole")
#define OWN_FOLDER sid_index("OwnFolder")

static int ex_suite_init(void)
{
    main_table = ex_compile(&P_MAIN, 1, 0, &main_img);
    return main_table ? 0 : 1;
}

static int ex_suite_fini(void)
{
    pdt_close(main_table);
    free(main_img);
    return 0;
}

/* ---- in-process breakdown ------------------------------------------------- */

static void test_allow_breakdown(void)
{
    struct pdt_request req = {"s3:GetObject", "arn:aws:s3:::public/a.txt", NULL, 0};
    struct pdt_explain x;
    struct pdt_explain_stmt s;
    struct pdt_why why;
    const char *pats[8];
    int match[8];
    uint32_t n;

    CU_ASSERT_EQUAL(pdt_decide(main_table, &req, &why), PDT_ALLOW);
    CU_ASSERT_EQUAL(why.statement, (int32_t)READ_ALL);
    CU_ASSERT_EQUAL(NO_SECRETS, 0);  /* Deny statements come first */
    CU_ASSERT_EQUAL(pdt_explain_init(&x, main_table, &req), 0);
    CU_ASSERT_EQUAL(pdt_explain_count(&x), 4);
    CU_ASSERT_EQUAL(pdt_explain_stmt(&x, READ_ALL, &s), 0);
    CU_ASSERT(s.applies && s.action && s.resource == PDT_TRI_TRUE && s.cond == PDT_TRI_TRUE);
    CU_ASSERT_STRING_EQUAL(s.info.sid, "ReadAll");
    CU_ASSERT_EQUAL(s.info.line, 2);
    n = pdt_explain_actions(&x, READ_ALL, pats, match, 8);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT(strcmp(pats[0], "s3:get*") == 0 ? match[0] && !match[1] : match[1] && !match[0]);
    /* the Deny's resource does not match */
    CU_ASSERT_EQUAL(pdt_explain_stmt(&x, NO_SECRETS, &s), 0);
    CU_ASSERT(!s.applies && s.action && s.resource == PDT_TRI_FALSE && s.info.deny);
    /* PassRole: action does not match */
    CU_ASSERT_EQUAL(pdt_explain_stmt(&x, PASS_BUILD, &s), 0);
    CU_ASSERT(!s.applies && !s.action && s.ntests == 2);
    CU_ASSERT_EQUAL(pdt_explain_stmt(&x, 4, &s), -1);
}

static void test_deny_breakdown(void)
{
    struct pdt_request req = {"S3:getobject", "arn:aws:s3:::vault/key", NULL, 0};
    struct pdt_explain x;
    struct pdt_explain_stmt s;
    struct pdt_explain_res r;
    struct pdt_why why;
    char tb[PDT_TMPL_MAX];

    CU_ASSERT_EQUAL(pdt_decide(main_table, &req, &why), PDT_EXPLICIT_DENY);
    CU_ASSERT_EQUAL(why.statement, (int32_t)NO_SECRETS);
    CU_ASSERT_STRING_EQUAL(why.sid, "NoSecrets");
    pdt_explain_init(&x, main_table, &req);
    CU_ASSERT_EQUAL(pdt_explain_stmt(&x, READ_ALL, &s), 0);
    CU_ASSERT(s.applies);  /* the Allow applies too, but the Deny wins */
    CU_ASSERT_EQUAL(pdt_explain_stmt(&x, NO_SECRETS, &s), 0);
    CU_ASSERT(s.applies && s.info.deny);
    CU_ASSERT_EQUAL(pdt_explain_resource(&x, NO_SECRETS, 0, &r, tb, sizeof tb), 0);
    CU_ASSERT_EQUAL(r.match, PDT_TRI_TRUE);
    CU_ASSERT_STRING_EQUAL(r.pattern, "arn:aws:s3:::vault/*");
    CU_ASSERT_EQUAL(pdt_explain_resource(&x, NO_SECRETS, 1, &r, tb, sizeof tb), -1);
}

static void test_condition_breakdown(void)
{
    const char *v1[] = {"lambda.amazonaws.com"}, *v2[] = {"true"};
    struct pdt_kv ctx[2] = {{"IAM:PassedToService", v1, 1, 0}, {"aws:SecureTransport", v2, 1, 0}};
    struct pdt_request req = {"iam:PassRole", "arn:aws:iam::123456789012:role/Build", ctx, 2};
    struct pdt_explain x;
    struct pdt_explain_stmt s;
    struct pdt_explain_test t[2];
    struct pdt_explain_val v;
    struct pdt_why why;
    char tb[256];
    int k, eq = -1;

    CU_ASSERT_EQUAL(pdt_decide(main_table, &req, &why), PDT_IMPLICIT_DENY);
    pdt_explain_init(&x, main_table, &req);
    CU_ASSERT_EQUAL(pdt_explain_stmt(&x, PASS_BUILD, &s), 0);
    CU_ASSERT(s.action && s.resource == PDT_TRI_TRUE && s.cond == PDT_TRI_FALSE && !s.applies);
    CU_ASSERT_EQUAL_FATAL(s.ntests, 2);
    for (k = 0; k < 2; k++) {
        CU_ASSERT_EQUAL_FATAL(pdt_explain_test(&x, PASS_BUILD, (uint32_t)k, &t[k]), 0);
        if (strcmp(t[k].key, "iam:passedtoservice") == 0)
            eq = k;
    }
    CU_ASSERT_FATAL(eq >= 0);
    CU_ASSERT_EQUAL(t[eq].op, PDT_COP_STR_EQ);
    CU_ASSERT_EQUAL(t[eq].seen, 1);
    CU_ASSERT_PTR_EQUAL(t[eq].kv, &ctx[0]);
    CU_ASSERT_EQUAL(t[eq].result, PDT_TRI_FALSE);
    CU_ASSERT_EQUAL(t[1 - eq].op, PDT_COP_BOOL);
    CU_ASSERT_EQUAL(t[1 - eq].result, PDT_TRI_TRUE);
    CU_ASSERT_EQUAL(pdt_explain_value(&x, PASS_BUILD, (uint32_t)eq, 0, &v, tb, sizeof tb), 0);
    CU_ASSERT(v.len == strlen("ec2.amazonaws.com") && memcmp(v.bytes, "ec2.amazonaws.com", v.len) == 0);
    CU_ASSERT_EQUAL(pdt_explain_value(&x, PASS_BUILD, (uint32_t)eq, 1, &v, tb, sizeof tb), -1);
    /* without the key: absent, and the test is false */
    req.context = ctx + 1;
    req.ncontext = 1;
    pdt_explain_init(&x, main_table, &req);
    CU_ASSERT_EQUAL(pdt_explain_test(&x, PASS_BUILD, (uint32_t)eq, &t[0]), 0);
    CU_ASSERT_EQUAL(t[0].seen, 0);
    CU_ASSERT_EQUAL(t[0].result, PDT_TRI_FALSE);
}

static void test_template_breakdown(void)
{
    const char *u[] = {"alice"};
    struct pdt_kv ctx[1] = {{"aws:username", u, 1, 0}};
    struct pdt_request req = {"s3:PutObject", "arn:aws:s3:::home/alice/notes.txt", ctx, 1};
    struct pdt_explain x;
    struct pdt_explain_res r;
    struct pdt_explain_stmt s;
    struct pdt_why why;
    char tb[PDT_TMPL_MAX];

    CU_ASSERT_EQUAL(pdt_decide(main_table, &req, &why), PDT_ALLOW);
    CU_ASSERT_EQUAL(why.statement, (int32_t)OWN_FOLDER);
    pdt_explain_init(&x, main_table, &req);
    CU_ASSERT_EQUAL(pdt_explain_resource(&x, OWN_FOLDER, 0, &r, tb, sizeof tb), 0);
    CU_ASSERT_EQUAL(r.kind, PDT_RES_TMPL);
    CU_ASSERT_EQUAL(r.match, PDT_TRI_TRUE);
    CU_ASSERT(r.pattern && r.len == strlen("arn:aws:s3:::home/alice/*") &&
              memcmp(r.pattern, "arn:aws:s3:::home/alice/*", r.len) == 0);
    /* no username: the template has no value and matches nothing */
    req.ncontext = 0;
    pdt_explain_init(&x, main_table, &req);
    CU_ASSERT_EQUAL(pdt_explain_resource(&x, OWN_FOLDER, 0, &r, tb, sizeof tb), 0);
    CU_ASSERT_EQUAL(r.tmpl_status, -1);
    CU_ASSERT_EQUAL(r.match, PDT_TRI_FALSE);
    CU_ASSERT_EQUAL(pdt_explain_stmt(&x, OWN_FOLDER, &s), 0);
    CU_ASSERT(!s.applies);
}

static void test_malformed_request(void)
{
    struct pdt_request req = {"no-colon", "*", NULL, 0};
    struct pdt_explain x;
    struct pdt_explain_stmt s;
    uint32_t i;

    CU_ASSERT_EQUAL(pdt_decide(main_table, &req, NULL), PDT_IMPLICIT_DENY);
    CU_ASSERT_EQUAL(pdt_explain_init(&x, main_table, &req), -1);
    for (i = 0; i < pdt_explain_count(&x); i++) {
        CU_ASSERT_EQUAL(pdt_explain_stmt(&x, i, &s), 0);
        CU_ASSERT(!s.applies);
    }
    CU_ASSERT_EQUAL(pdt_explain_init(&x, main_table, NULL), -1);
}

static void test_stripped(void)
{
    void *img;
    struct pdt_table *t = ex_compile(&P_MAIN, 1, 1, &img);
    struct pdt_request req = {"s3:GetObject", "arn:aws:s3:::vault/k", NULL, 0};
    struct pdt_explain x;
    struct pdt_explain_stmt s;
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    pdt_explain_init(&x, t, &req);
    CU_ASSERT_EQUAL(pdt_explain_stmt(&x, 0, &s), 0);  /* the Deny */
    CU_ASSERT(s.applies && s.info.policy == NULL && s.info.line == 0 && s.info.sid == NULL);
    pdt_close(t);
    free(img);
}

/* ---- every conformance case, in process ------------------------------------ */

static void test_conformance_agree(void)
{
    const char *path = tu_shared("docs/conformance.jsonl"), *line;
    char *buf;
    size_t len, pos = 0, llen;
    unsigned lineno = 0, total = 0, agree = 0;

    if (!path)
        return;
    buf = tu_read_file(path, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    while (request_next_line(buf, len, &pos, &lineno, &line, &llen)) {
        struct arena a;
        struct diag d;
        struct json *c;
        const struct json_member *pm, *rm, *em, *im;
        struct request_line r;
        const char *texts[16];
        struct pdt_table *t;
        struct pdt_why why;
        enum pdt_decision dec, impl, want;
        void *img;
        int stmt_ok, cond_ok;
        size_t i;

        if (request_blank(line, llen))
            continue;
        arena_init(&a);
        diag_init(&d, stderr);
        c = json_parse(&a, &d, path, line, llen, lineno);
        pm = c ? json_get(c, "policies") : NULL;
        rm = c ? json_get(c, "request") : NULL;
        em = c ? json_get(c, "expected") : NULL;
        im = c ? json_get(c, "id") : NULL;
        CU_ASSERT_FATAL(pm && rm && em && im && pm->value->type == JSON_ARRAY && pm->value->u.arr.n <= 16);
        for (i = 0; i < pm->value->u.arr.n; i++) {
            char *text = NULL;
            size_t tl = 0;
            FILE *mem = open_memstream(&text, &tl);
            jsonout_value(mem, pm->value->u.arr.items[i]);
            fclose(mem);
            texts[i] = arena_strndup(&a, text, tl);
            free(text);
        }
        memset(&r, 0, sizeof r);
        CU_ASSERT_EQUAL_FATAL(request_from_json(&a, rm->value, NULL, &r), 0);
        t = ex_compile(texts, pm->value->u.arr.n, 0, &img);
        CU_ASSERT_PTR_NOT_NULL_FATAL(t);
        total++;
        dec = pdt_decide(t, &r.req, &why);
        impl = ex_implied(t, &r.req, &why, &stmt_ok, &cond_ok);
        want = strcmp(em->value->u.str.s, "Allow") == 0          ? PDT_ALLOW
               : strcmp(em->value->u.str.s, "ExplicitDeny") == 0 ? PDT_EXPLICIT_DENY
                                                                  : PDT_IMPLICIT_DENY;
        if (dec == impl && stmt_ok && cond_ok && dec == want)
            agree++;
        else
            printf("\n  %s: expected %d, pdt_decide %d, explain implies %d, deciding statement %s, parts %s",
                   im->value->u.str.s, (int)want, (int)dec, (int)impl, stmt_ok ? "ok" : "NOT applicable",
                   cond_ok ? "ok" : "DISAGREE");
        pdt_close(t);
        free(img);
        diag_fini(&d);
        arena_free(&a);
    }
    free(buf);
    printf("\n  explain vs pdt_decide: %u of %u conformance cases agree\n", agree, total);
    CU_ASSERT(total >= 149);
    CU_ASSERT_EQUAL(agree, total);
}

/* ---- through pdtc ------------------------------------------------------- */

static char tmpdir[] = "/tmp/pdt-test-explain-XXXXXX";
static char pol_path[600], tab_path[600], strip_path[600];

static int cli_suite_init(void)
{
    FILE *f;
    char cmd[2000];
    if (!mkdtemp(tmpdir))
        return 1;
    snprintf(pol_path, sizeof pol_path, "%s/main.json", tmpdir);
    snprintf(tab_path, sizeof tab_path, "%s/main.pdt", tmpdir);
    snprintf(strip_path, sizeof strip_path, "%s/strip.pdt", tmpdir);
    if (!(f = fopen(pol_path, "w")))
        return 1;
    fputs(P_MAIN, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "compile -o '%s' '%s'", tab_path, pol_path);
    if (tu_pdtc(cmd, NULL, NULL, NULL) != 0)
        return 1;
    snprintf(cmd, sizeof cmd, "compile --strip -o '%s' '%s'", strip_path, pol_path);
    return tu_pdtc(cmd, NULL, NULL, NULL) != 0;
}

static int cli_suite_fini(void)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) != 0;
}

/* Runs `pdtc explain FILE ARGS`; returns the status, output in *out. */
static int ex_run(const char *file, const char *args, char **out, char **err)
{
    char cmd[4000];
    snprintf(cmd, sizeof cmd, "explain '%s' %s", file, args);
    return tu_pdtc(cmd, NULL, out, err);
}

static void test_cli_allow(void)
{
    char *out = NULL, *err = NULL, want[700];
    CU_ASSERT_EQUAL(ex_run(pol_path, "--action s3:ListBucket --resource arn:aws:s3:::public", &out, &err), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "decision: Allow\n"));
    snprintf(want, sizeof want, "deciding statement: %s:2 Sid ReadAll\n", pol_path);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Allow: applies (the deciding statement)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "    yes   s3:list*\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "    no    s3:get*\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Sid NoSecrets Deny: does not apply: no action pattern matches"));
    CU_ASSERT_PTR_NULL(strstr(out, "--strip"));
    free(out);
    free(err);
}

static void test_cli_deny(void)
{
    char *out = NULL, *err = NULL, want[700];
    CU_ASSERT_EQUAL(ex_run(tab_path, "--action s3:GetObject --resource arn:aws:s3:::vault/k", &out, &err), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "decision: ExplicitDeny\n"));
    snprintf(want, sizeof want, "deciding statement: %s:3 Sid NoSecrets\n", pol_path);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Sid ReadAll Allow: applies, but an explicit deny wins"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Sid NoSecrets Deny: applies (the deciding statement)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "    yes   arn:aws:s3:::vault/*\n"));
    free(out);
    free(err);
}

static void test_cli_implicit_deny(void)
{
    char *out = NULL, *err = NULL;
    CU_ASSERT_EQUAL(ex_run(pol_path,
                           "--action iam:PassRole --resource arn:aws:iam::123456789012:role/Build"
                           " --context iam:PassedToService=lambda.amazonaws.com"
                           " --context-json '{\"aws:SecureTransport\": true}'",
                           &out, &err),
                    0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "decision: ImplicitDeny\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "deciding statement: none (no statement applies)\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Sid PassBuildRole Allow: does not apply: the condition is false"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "  Condition: false\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "    false StringEquals iam:passedtoservice [\"ec2.amazonaws.com\"]; "
                                       "request value: \"lambda.amazonaws.com\"\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "    true  Bool aws:securetransport [\"true\"]; request value: \"true\"\n"));
    free(out);
    free(err);
    /* the key absent */
    CU_ASSERT_EQUAL(ex_run(pol_path, "--action iam:PassRole --resource arn:aws:iam::123456789012:role/Build", &out,
                           &err),
                    0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "[\"ec2.amazonaws.com\"]; request value: absent\n"));
    free(out);
    free(err);
}

static void test_cli_json(void)
{
    char *out = NULL, *err = NULL;
    struct arena a;
    struct diag d;
    struct json *j;
    const struct json_member *m;
    CU_ASSERT_EQUAL(ex_run(pol_path,
                           "--format json --action s3:PutObject --resource arn:aws:s3:::home/bob/x"
                           " --context aws:username=bob",
                           &out, &err),
                    0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    arena_init(&a);
    diag_init(&d, stderr);
    j = json_parse(&a, &d, "explain output", out, strlen(out), 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    m = json_get(j, "decision");
    CU_ASSERT(m && m->value->type == JSON_STRING && strcmp(m->value->u.str.s, "Allow") == 0);
    m = json_get(j, "statement");
    CU_ASSERT_FATAL(m && m->value->type == JSON_OBJECT);
    CU_ASSERT(json_get(m->value, "sid") && strcmp(json_get(m->value, "sid")->value->u.str.s, "OwnFolder") == 0);
    m = json_get(j, "statements");
    CU_ASSERT(m && m->value->type == JSON_ARRAY && m->value->u.arr.n == 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "{\"pattern\": \"arn:aws:s3:::home/bob/*\", \"kind\": \"template\", "
                                       "\"match\": \"true\"}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"stripped\": false"));
    diag_fini(&d);
    arena_free(&a);
    free(out);
    free(err);
}

static void test_cli_stripped(void)
{
    char *out = NULL, *err = NULL;
    CU_ASSERT_EQUAL(ex_run(strip_path, "--action s3:GetObject --resource arn:aws:s3:::vault/k", &out, &err), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "deciding statement: statement #0 (table compiled with --strip: no provenance)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "note: the table was compiled with --strip"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n#0 Deny: applies (the deciding statement)\n"));
    free(out);
    free(err);
    CU_ASSERT_EQUAL(ex_run(strip_path, "--format json --action s3:GetObject --resource arn:aws:s3:::vault/k", &out,
                           &err),
                    0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "\"stripped\": true"));
    free(out);
    free(err);
}

static void test_cli_errors(void)
{
    char *out = NULL, *err = NULL, cmd[1000];
    CU_ASSERT_EQUAL(ex_run(pol_path, "--action s3:GetObject", NULL, NULL), 2);
    CU_ASSERT_EQUAL(ex_run(pol_path, "--action s3:GetObject --resource '*' --format xml", NULL, NULL), 2);
    CU_ASSERT_EQUAL(ex_run(pol_path, "--action s3:GetObject --resource '*' --bogus", NULL, NULL), 2);
    CU_ASSERT_EQUAL(ex_run(pol_path, "--action s3:GetObject --resource '*' --context novalue", NULL, NULL), 2);
    CU_ASSERT_EQUAL(ex_run(pol_path, "--action s3:GetObject --resource '*' --context-json '[1]'", NULL, NULL), 2);
    CU_ASSERT_EQUAL(ex_run(pol_path, "--action s3:GetObject --resource '*' --context a=1 --context A=2", NULL, NULL),
                    1);
    CU_ASSERT_EQUAL(ex_run("/nonexistent/p.json", "--action s3:GetObject --resource '*'", NULL, NULL), 3);
    CU_ASSERT_EQUAL(tu_pdtc("explain --help", NULL, &out, NULL), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "usage: pdtc explain"));
    free(out);
    /* a malformed request is explained, not refused: pdt_decide denies it */
    CU_ASSERT_EQUAL(ex_run(pol_path, "--action nocolon --resource '*'", &out, &err), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "decision: ImplicitDeny"));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "the request is malformed"));
    free(out);
    free(err);
    /* an invalid policy: check's diagnostics, exit 1 */
    snprintf(cmd, sizeof cmd, "%s/bad.json", tmpdir);
    {
        FILE *f = fopen(cmd, "w");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        fputs("{\"Statement\": [{\"Effect\": \"allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}\n", f);
        fclose(f);
    }
    CU_ASSERT_EQUAL(ex_run(cmd, "--action s3:GetObject --resource '*'", &out, &err), 1);
    CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "bad.json:1:"));
    free(out);
    free(err);
}

/* Typed condition values are shown in their policy form. */
static void test_cli_typed_values(void)
{
    static const char *const pol =
        "{\"Version\": \"2012-10-17\", \"Statement\": [\n"
        " {\"Sid\": \"Typed\", \"Effect\": \"Allow\", \"Action\": \"ec2:RunInstances\", \"Resource\": \"*\",\n"
        "  \"Condition\": {\"DateGreaterThan\": {\"aws:CurrentTime\": \"2024-02-29T12:30:00.25Z\"},\n"
        "   \"IpAddress\": {\"aws:SourceIp\": [\"10.0.0.0/8\", \"2001:db8::/32\"]},\n"
        "   \"BinaryEquals\": {\"aws:Blob\": \"QmluYXJ5\"},\n"
        "   \"Null\": {\"aws:MultiFactorAuthAge\": \"false\"},\n"
        "   \"ForAnyValue:StringLikeIfExists\": {\"aws:TagKeys\": [\"env*\", \"team\"]},\n"
        "   \"NumericLessThanEquals\": {\"ec2:VolumeSize\": \"100.50\"},\n"
        "   \"StringNotEqualsIgnoreCase\": {\"aws:RequestedRegion\": \"us-EAST-1\"}}}]}\n";
    char path[700], *out = NULL, *err = NULL;
    FILE *f;
    snprintf(path, sizeof path, "%s/typed.json", tmpdir);
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(pol, f);
    fclose(f);
    CU_ASSERT_EQUAL(ex_run(path,
                           "--action ec2:RunInstances --resource '*' --context aws:CurrentTime=2025-01-01T00:00:00Z"
                           " --context aws:SourceIp=10.1.2.3 --context aws:Blob=QmluYXJ5"
                           " --context aws:MultiFactorAuthAge=30"
                           " --context-json '{\"aws:TagKeys\": [\"envx\", \"y\"], \"ec2:VolumeSize\": 100}'",
                           &out, &err),
                    0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "decision: Allow\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "    true  DateGreaterThan aws:currenttime [\"2024-02-29T12:30:00.25Z\"]; "
                                       "request value: \"2025-01-01T00:00:00Z\"\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "    true  IpAddress aws:sourceip [\"10.0.0.0/8\", \"2001:db8::/32\"]; "
                                       "request value: \"10.1.2.3\"\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "    true  BinaryEquals aws:blob [\"QmluYXJ5\"]; request value: \"QmluYXJ5\"\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "    true  Null aws:multifactorauthage [\"false\"]; request value: \"30\"\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "    true  ForAnyValue:StringLikeIfExists aws:tagkeys [\"env*\", \"team\"]; "
                                       "request value: [\"envx\", \"y\"]\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "    true  NumericLessThanEquals ec2:volumesize [\"100.5\"]; request value: \"100\"\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "    true  StringNotEqualsIgnoreCase aws:requestedregion [\"us-EAST-1\"]; "
                                       "request value: absent\n"));
    free(out);
    free(err);
    /* a list given to a plain operator: indeterminate, and the Allow does not count */
    CU_ASSERT_EQUAL(ex_run(path,
                           "--action ec2:RunInstances --resource '*' --context aws:CurrentTime=2025-01-01T00:00:00Z"
                           " --context aws:Blob=QmluYXJ5 --context aws:MultiFactorAuthAge=30"
                           " --context-json '{\"aws:SourceIp\": [\"10.1.2.3\"], \"ec2:VolumeSize\": 7}'",
                           &out, &err),
                    0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "    indet IpAddress aws:sourceip"));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "Allow: does not apply: indeterminate, and an Allow needs a definite "
                                              "true\n"));
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "  Condition: indeterminate\n"));
    free(out);
    free(err);
}

/* Appends s single-quoted for the shell to b (cap bytes).  Returns 0 or -1. */
static int sh_quote(char *b, size_t cap, const char *s)
{
    size_t k = strlen(b);
    if (k + 1 >= cap)
        return -1;
    b[k++] = '\'';
    for (; *s; s++) {
        if (*s == '\'') {
            if (k + 5 >= cap)
                return -1;
            memcpy(b + k, "'\\''", 4);
            k += 4;
        } else {
            if (k + 2 >= cap)
                return -1;
            b[k++] = *s;
        }
    }
    b[k++] = '\'';
    b[k] = '\0';
    return 0;
}

/* `pdtc explain --format json` on every conformance case: its decision is
 * the expected one (the same pdt_decide the conformance suite checks). */
static void test_cli_conformance(void)
{
    const char *path = tu_shared("docs/conformance.jsonl"), *line;
    char *buf;
    size_t len, pos = 0, llen;
    unsigned lineno = 0, total = 0, agree = 0;

    if (!path)
        return;
    buf = tu_read_file(path, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    while (request_next_line(buf, len, &pos, &lineno, &line, &llen)) {
        struct arena a;
        struct diag d;
        struct json *c;
        const struct json_member *pm, *rm, *em, *im, *m;
        char cmd[32768], p[700], want[80], *out = NULL, *text = NULL;
        size_t i, tl = 0;
        FILE *mem;

        if (request_blank(line, llen))
            continue;
        arena_init(&a);
        diag_init(&d, stderr);
        c = json_parse(&a, &d, path, line, llen, lineno);
        pm = c ? json_get(c, "policies") : NULL;
        rm = c ? json_get(c, "request") : NULL;
        em = c ? json_get(c, "expected") : NULL;
        im = c ? json_get(c, "id") : NULL;
        CU_ASSERT_FATAL(pm && rm && em && im);
        total++;
        if (pm->value->u.arr.n == 0) {  /* explain needs at least one file: an empty set denies */
            agree += strcmp(em->value->u.str.s, "ImplicitDeny") == 0;
            goto next;
        }
        strcpy(cmd, "explain --format json");
        for (i = 0; i < pm->value->u.arr.n; i++) {
            FILE *f;
            snprintf(p, sizeof p, "%s/%s-%zu.json", tmpdir, im->value->u.str.s, i);
            f = fopen(p, "w");
            CU_ASSERT_PTR_NOT_NULL_FATAL(f);
            jsonout_value(f, pm->value->u.arr.items[i]);
            fclose(f);
            strcat(cmd, " ");
            CU_ASSERT_FATAL(sh_quote(cmd, sizeof cmd, p) == 0);
        }
        m = json_get(rm->value, "action");
        strcat(cmd, " --action ");
        CU_ASSERT_FATAL(m && sh_quote(cmd, sizeof cmd, m->value->u.str.s) == 0);
        m = json_get(rm->value, "resource");
        strcat(cmd, " --resource ");
        CU_ASSERT_FATAL(m && sh_quote(cmd, sizeof cmd, m->value->u.str.s) == 0);
        if ((m = json_get(rm->value, "context"))) {
            mem = open_memstream(&text, &tl);
            jsonout_value(mem, m->value);
            fclose(mem);
            strcat(cmd, " --context-json ");
            CU_ASSERT_FATAL(sh_quote(cmd, sizeof cmd, text) == 0);
            free(text);
        }
        snprintf(want, sizeof want, "\"decision\": \"%s\"", em->value->u.str.s);
        if (tu_pdtc(cmd, NULL, &out, NULL) == 0 && out && strstr(out, want))
            agree++;
        else
            printf("\n  %s: expected %s; pdtc explain said: %.200s", im->value->u.str.s, em->value->u.str.s,
                   out ? out : "(nothing)");
        free(out);
    next:
        diag_fini(&d);
        arena_free(&a);
    }
    free(buf);
    printf("\n  pdtc explain: %u of %u conformance cases decided as expected\n", agree, total);
    CU_ASSERT(total >= 149);
    CU_ASSERT_EQUAL(agree, total);
}

int main(void)
{
    CU_pSuite s;
    /* a sanitizer report in pdtc must not pass for the expected exit status 1 */
    setenv("ASAN_OPTIONS", "exitcode=86", 0);
    setenv("UBSAN_OPTIONS", "exitcode=86:print_stacktrace=1", 0);
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("explain module", ex_suite_init, ex_suite_fini);
    CU_add_test(s, "allow: statements and action patterns", test_allow_breakdown);
    CU_add_test(s, "explicit deny: the Deny wins, resource entries", test_deny_breakdown);
    CU_add_test(s, "conditions: each test with the value it saw", test_condition_breakdown);
    CU_add_test(s, "policy variables: the expanded resource pattern", test_template_breakdown);
    CU_add_test(s, "a malformed request applies nowhere", test_malformed_request);
    CU_add_test(s, "stripped table: no provenance", test_stripped);
    CU_add_test(s, "explain agrees with pdt_decide on every conformance case", test_conformance_agree);
    s = CU_add_suite("pdtc explain", cli_suite_init, cli_suite_fini);
    CU_add_test(s, "allow", test_cli_allow);
    CU_add_test(s, "explicit deny (table input)", test_cli_deny);
    CU_add_test(s, "implicit deny with conditions", test_cli_implicit_deny);
    CU_add_test(s, "--format json", test_cli_json);
    CU_add_test(s, "stripped table", test_cli_stripped);
    CU_add_test(s, "typed condition values, indeterminate tests", test_cli_typed_values);
    CU_add_test(s, "usage, I/O and policy errors", test_cli_errors);
    CU_add_test(s, "every conformance case", test_cli_conformance);
    return tu_run();
}
