/* test_threads.c - concurrency of the runtime: 8 threads decide on ONE
 * shared table at the same time (pdt.h promises an immutable handle that
 * any number of threads may query), and every answer (decision and deciding
 * statement) must equal the single-threaded answer computed first.  The
 * table mixes everything pdt_decide touches: the action hash, prefixes,
 * wildcard lists, NotAction, NotResource, resource automata and the glob
 * fallback, resource templates, condition programs and the request-context
 * map (including its overflow path and duplicate-case keys).
 *
 * Meant to run under ThreadSanitizer (PDT_TSAN=ON, scripts/ci-layers), but
 * it runs and checks answers in every build.  The amount of work is an
 * iteration count, never a duration: PDT_THREADS_PASSES (default 16) passes
 * over the request set per thread, per table.  Worker threads never call
 * CUnit (it is not thread-safe): they count mismatches, main asserts. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend.h"
#include "introspect.h"
#include "lower.h"
#include "pdt.h"
#include "testutil.h"

#define NTHREADS 8
#define NGEN 60  /* generated statements: one interned condition key each (> PDT_CTX_MAP_FILL) */

/* ---- the policies -------------------------------------------------------- */

static const char *POL_MAIN =
    "{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Sid\":\"S3Read\",\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:List*\"],"
    "\"Resource\":[\"arn:aws:s3:::data-*/*\",\"arn:aws:s3:::data-*\"]},"
    "{\"Sid\":\"S3Home\",\"Effect\":\"Allow\",\"Action\":\"s3:*Object\","
    "\"Resource\":\"arn:aws:s3:::home/${aws:username}/*\"},"
    "{\"Sid\":\"DenySecret\",\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::*/secret*\"},"
    "{\"Sid\":\"Ec2Team\",\"Effect\":\"Allow\",\"Action\":\"ec2:*Instances\","
    "\"Resource\":\"arn:aws:ec2:*:123456789012:instance/*\","
    "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/team\":\"${aws:PrincipalTag/team}\"}}},"
    "{\"Sid\":\"DenyInsecure\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
    "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}},"
    "{\"Sid\":\"Ddb\",\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\","
    "\"Resource\":\"arn:aws:dynamodb:us-east-1:123456789012:table/t?\","
    "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"192.168.1.0/24\"]},"
    "\"NumericLessThan\":{\"s3:max-keys\":\"100\"}}},"
    "{\"Sid\":\"NotIam\",\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\",\"organizations:*\"],"
    "\"Resource\":\"arn:aws:sqs:*:*:queue-*\"},"
    "{\"Sid\":\"DenyRegion\",\"Effect\":\"Deny\",\"Action\":\"ec2:*\","
    "\"NotResource\":[\"arn:aws:ec2:us-east-1:*:*\",\"arn:aws:ec2:eu-west-1:*:*\"]},"
    "{\"Sid\":\"DenyDelete\",\"Effect\":\"Deny\",\"Action\":\"s3:DeleteObject\",\"Resource\":["
    "\"arn:aws:s3:::logs-*/private/*\",\"arn:aws:s3:::backup-?/*\",\"arn:aws:s3:::archive/*/keys/*\","
    "\"arn:aws:s3:::tmp-*\",\"arn:aws:s3:::*/root\",\"arn:aws:s3:::data-2\",\"arn:aws:s3:::home/*/locked/*\","
    "\"arn:aws:s3:::data-1/x\"]},"
    "{\"Sid\":\"Lambda\",\"Effect\":\"Allow\",\"Action\":\"lambda:Invoke?unction\","
    "\"Resource\":\"arn:aws:lambda:*:*:function:*\","
    "\"Condition\":{\"ForAnyValue:StringLike\":{\"aws:TagKeys\":[\"env-*\",\"team\"]},"
    "\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"}}}"
    "]}";

/* NGEN statements "Allow s3:PutObject on bucket-i objects when PrincipalTag/ki is vi",
 * and a Deny every 7th one; malloc'd. */
static char *gen_policy(void)
{
    size_t cap = 256 + NGEN * 256, n;
    char *s = malloc(cap);
    int i;
    if (!s)
        return NULL;
    n = (size_t)snprintf(s, cap, "{\"Version\":\"2012-10-17\",\"Statement\":[");
    for (i = 0; i < NGEN; i++)
        n += (size_t)snprintf(s + n, cap - n,
                              "%s{\"Effect\":\"%s\",\"Action\":\"s3:PutObject\","
                              "\"Resource\":\"arn:aws:s3:::bucket-%d/*\","
                              "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/k%d\":\"v%d\"}}}",
                              i ? "," : "", i % 7 == 3 ? "Deny" : "Allow", i, i, i);
    snprintf(s + n, cap - n, "]}");
    return s;
}

/* Compiles the two policies; returns the image (8-aligned, malloc'd) or NULL. */
static uint8_t *compile_all(size_t *len)
{
    struct arena a;
    struct diag d;
    struct ir_policy *pols[2];
    struct lower_opts o = {0, 0};
    struct buf b;
    uint8_t *img = NULL;
    char *gen = gen_policy();
    arena_init(&a);
    diag_init(&d, stderr);
    buf_init(&b);
    if (gen && frontend_parse(&a, &d, "main.json", POL_MAIN, strlen(POL_MAIN), NULL, &pols[0]) == FRONTEND_OK &&
        frontend_parse(&a, &d, "gen.json", gen, strlen(gen), NULL, &pols[1]) == FRONTEND_OK &&
        lower_compile(&a, &d, pols, 2, &o, &b) == 0 && !b.failed) {
        img = aligned_alloc(8, (b.len + 7) & ~(size_t)7);
        if (img) {
            memcpy(img, b.data, b.len);
            *len = b.len;
        }
    }
    buf_free(&b);
    diag_fini(&d);
    arena_free(&a);
    free(gen);
    return img;
}

/* ---- the requests -------------------------------------------------------- */

static const char *ACTIONS[] = {
    "s3:GetObject", "s3:ListBucket", "s3:PutObject", "s3:DeleteObject", "S3:GETOBJECT",
    "ec2:StartInstances", "ec2:DescribeInstances", "dynamodb:GetItem", "sqs:SendMessage",
    "iam:PassRole", "lambda:InvokeFunction", "organizations:ListAccounts", "nocolon",
};
static const char *RESOURCES[] = {
    "arn:aws:s3:::data-1/x", "arn:aws:s3:::data-2", "arn:aws:s3:::home/alice/f", "arn:aws:s3:::home/bob/f",
    "arn:aws:s3:::data-1/secret.txt", "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
    "arn:aws:ec2:us-west-2:123456789012:instance/i-2", "arn:aws:dynamodb:us-east-1:123456789012:table/t1",
    "arn:aws:sqs:us-east-1:1:queue-a", "arn:aws:lambda:us-east-1:1:function:f", "arn:aws:s3:::bucket-17/k",
    "arn:aws:s3:::bucket-18/k", "arn:aws:s3:::bucket-3/k", "arn:aws:s3:::bucket-999/k", "*",
};

static const char *V_ALICE[] = {"alice"}, *V_BOB[] = {"bob"}, *V_TRUE[] = {"true"}, *V_FALSE[] = {"false"},
                  *V_RED[] = {"red"}, *V_BLUE[] = {"blue"}, *V_IP[] = {"10.1.2.3"}, *V_IP2[] = {"8.8.8.8"},
                  *V_50[] = {"50"}, *V_BADNUM[] = {"fifty"}, *V_TAGS[] = {"x", "env-prod"},
                  *V_TIME[] = {"2026-11-29T10:00:00Z"}, *V_V17[] = {"v17"}, *V_V3[] = {"v3"};

static const struct pdt_kv C_ALICE[] = {{"aws:username", V_ALICE, 1, 0}, {"aws:SecureTransport", V_TRUE, 1, 0}};
static const struct pdt_kv C_BOB_INSECURE[] = {{"aws:username", V_BOB, 1, 0},
                                               {"aws:securetransport", V_FALSE, 1, 0}};
static const struct pdt_kv C_TEAM[] = {
    {"aws:PrincipalTag/team", V_RED, 1, 0}, {"aws:ResourceTag/team", V_RED, 1, 0}, {"aws:SourceIp", V_IP, 1, 0},
    {"s3:max-keys", V_50, 1, 0},           {"aws:TagKeys", V_TAGS, 2, 1},      {"aws:CurrentTime", V_TIME, 1, 0},
    {"aws:PrincipalTag/k17", V_V17, 1, 0}, {"aws:PrincipalTag/k3", V_V3, 1, 0}};
static const struct pdt_kv C_OTHER[] = {
    {"aws:PrincipalTag/team", V_RED, 1, 0}, {"aws:ResourceTag/team", V_BLUE, 1, 0}, {"aws:SourceIp", V_IP2, 1, 0},
    {"s3:max-keys", V_BADNUM, 1, 0},       {"aws:TagKeys", NULL, 0, 1}};
static const struct pdt_kv C_DUP[] = {{"aws:username", V_ALICE, 1, 0}, {"AWS:UserName", V_BOB, 1, 0},
                                      {"aws:PrincipalTag/k17", V_V17, 1, 0}};

/* C_MANY: every generated key k0..k59 (more than the context map holds,
 * so lookups take the scanning path) plus the first 6 C_TEAM keys. */
static struct pdt_kv C_MANY[NGEN + 6];
static char many_keys[NGEN][32], many_vals[NGEN][16];
static const char *many_vp[NGEN];

struct ctxv {
    const struct pdt_kv *kv;
    size_t n;
};
static struct ctxv CONTEXTS[] = {
    {NULL, 0},
    {C_ALICE, sizeof C_ALICE / sizeof C_ALICE[0]},
    {C_BOB_INSECURE, sizeof C_BOB_INSECURE / sizeof C_BOB_INSECURE[0]},
    {C_TEAM, sizeof C_TEAM / sizeof C_TEAM[0]},
    {C_OTHER, sizeof C_OTHER / sizeof C_OTHER[0]},
    {C_DUP, sizeof C_DUP / sizeof C_DUP[0]},
    {C_MANY, sizeof C_MANY / sizeof C_MANY[0]},
};

#define NA (sizeof ACTIONS / sizeof ACTIONS[0])
#define NR (sizeof RESOURCES / sizeof RESOURCES[0])
#define NC (sizeof CONTEXTS / sizeof CONTEXTS[0])
#define NREQ (NA * NR * NC)

static struct pdt_request reqs[NREQ];
static enum pdt_decision want[NREQ];
static int32_t want_stmt[NREQ];

static void make_requests(void)
{
    size_t i, a, r, c;
    for (i = 0; i < NGEN; i++) {
        snprintf(many_keys[i], sizeof many_keys[i], "aws:PrincipalTag/K%zu", i);  /* other case */
        snprintf(many_vals[i], sizeof many_vals[i], "v%zu", i % 5 == 0 ? i + 1 : i);
        many_vp[i] = many_vals[i];
        C_MANY[i].key = many_keys[i];
        C_MANY[i].values = &many_vp[i];
        C_MANY[i].nvalues = 1;
        C_MANY[i].multi = 0;
    }
    for (i = 0; i < 6; i++)
        C_MANY[NGEN + i] = C_TEAM[i];
    i = 0;
    for (a = 0; a < NA; a++)
        for (r = 0; r < NR; r++)
            for (c = 0; c < NC; c++, i++) {
                reqs[i].action = ACTIONS[a];
                reqs[i].resource = RESOURCES[r];
                reqs[i].context = CONTEXTS[c].kv;
                reqs[i].ncontext = CONTEXTS[c].n;
            }
}

/* ---- the workers ----------------------------------------------------------- */

struct worker {
    const struct pdt_table *t;   /* shared table, or NULL: open own handles of path */
    const char *path;
    unsigned id, passes;
    unsigned long decided, mismatches, open_errors;
    pthread_t th;
};

static unsigned long check_one(const struct pdt_table *t, size_t k)
{
    struct pdt_why w;
    enum pdt_decision d = pdt_decide(t, &reqs[k], &w);
    return d != want[k] || w.statement != want_stmt[k];
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    unsigned p;
    size_t k, n = NREQ;
    for (p = 0; p < w->passes; p++) {
        struct pdt_table *own = NULL;
        const struct pdt_table *t = w->t;
        if (!t) {
            if (pdt_open(w->path, &own) != 0) {
                w->open_errors++;
                continue;
            }
            t = own;
        }
        /* every thread visits every request once per pass, from its own
         * start; odd threads walk backwards */
        for (k = 0; k < n; k++) {
            size_t idx = (w->id * 131u + (w->id & 1 ? n - 1 - k : k)) % n;
            w->mismatches += check_one(t, idx);
            w->decided++;
        }
        if (own)
            pdt_close(own);
    }
    return NULL;
}

static unsigned passes(void)
{
    const char *e = getenv("PDT_THREADS_PASSES");
    long v = e && *e ? strtol(e, NULL, 10) : 16;
    return v > 0 && v < 100000 ? (unsigned)v : 16;
}

/* Runs NTHREADS workers; returns the total mismatches (and checks counts). */
static unsigned long run_workers(const struct pdt_table *t, const char *path, unsigned own_handles)
{
    struct worker w[NTHREADS];
    unsigned i, np = passes();
    unsigned long mism = 0, decided = 0, openerr = 0;
    for (i = 0; i < NTHREADS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].t = i < own_handles ? NULL : t;
        w[i].path = path;
        w[i].id = i;
        w[i].passes = np;
        CU_ASSERT_EQUAL_FATAL(pthread_create(&w[i].th, NULL, worker_main, &w[i]), 0);
    }
    for (i = 0; i < NTHREADS; i++) {
        CU_ASSERT_EQUAL(pthread_join(w[i].th, NULL), 0);
        mism += w[i].mismatches;
        decided += w[i].decided;
        openerr += w[i].open_errors;
    }
    printf("threads: %u threads x %u passes x %zu requests: %lu decisions, %lu mismatches\n", NTHREADS, np,
           (size_t)NREQ, decided, mism);
    CU_ASSERT_EQUAL(openerr, 0);
    CU_ASSERT_EQUAL(decided, (unsigned long)NTHREADS * np * NREQ);
    return mism;
}

/* ---- tests ------------------------------------------------------------------ */

static uint8_t *img;
static size_t img_len;
static char tmp_path[64];

static int suite_init(void)
{
    int fd;
    make_requests();
    img = compile_all(&img_len);
    if (!img)
        return -1;
    strcpy(tmp_path, "/tmp/pdt-threads-XXXXXX");
    fd = mkstemp(tmp_path);
    if (fd < 0)
        return -1;
    if (write(fd, img, img_len) != (ssize_t)img_len) {
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

static int suite_clean(void)
{
    free(img);
    if (tmp_path[0])
        unlink(tmp_path);
    return 0;
}

/* The single-threaded answers, and a sanity check that they are not all the
 * same: every decision kind, templates, conditions and the overflow path
 * each decide something. */
static void test_reference_answers(void)
{
    struct pdt_table *t = NULL;
    size_t k, n[3] = {0, 0, 0};
    struct pdt_why w;
    struct pdt_info info;
    CU_ASSERT_EQUAL_FATAL(pdt_open_mem(img, img_len, &t), 0);
    pdt_introspect_info(t, &info);  /* the table has every kind of thing pdt_decide runs */
    CU_ASSERT(info.ndfas >= 1);
    CU_ASSERT(info.npat_tmpl >= 1);
    CU_ASSERT(info.nactwild >= 1);
    CU_ASSERT(info.nstmts == NGEN + 10);
    for (k = 0; k < NREQ; k++) {
        want[k] = pdt_decide(t, &reqs[k], &w);
        want_stmt[k] = w.statement;
        n[want[k]]++;
    }
    printf("reference: %zu requests: %zu allow, %zu explicit deny, %zu implicit deny\n", (size_t)NREQ,
           n[PDT_ALLOW], n[PDT_EXPLICIT_DENY], n[PDT_IMPLICIT_DENY]);
    CU_ASSERT(n[PDT_ALLOW] >= NREQ / 20);
    CU_ASSERT(n[PDT_EXPLICIT_DENY] >= NREQ / 20);
    CU_ASSERT(n[PDT_IMPLICIT_DENY] >= NREQ / 20);
    /* a few answers that exercise the condition engine, templates, the
     * context-map overflow path and duplicate-case keys */
    {
        struct pdt_request r = {"s3:GetObject", "arn:aws:s3:::home/alice/f", C_ALICE, 2};
        CU_ASSERT_EQUAL(pdt_decide(t, &r, NULL), PDT_ALLOW);
        r.resource = "arn:aws:s3:::home/bob/f";
        CU_ASSERT_EQUAL(pdt_decide(t, &r, NULL), PDT_IMPLICIT_DENY);
        r.context = C_BOB_INSECURE;
        CU_ASSERT_EQUAL(pdt_decide(t, &r, NULL), PDT_EXPLICIT_DENY);
        r.action = "s3:PutObject";
        r.resource = "arn:aws:s3:::bucket-17/k";
        r.context = C_MANY;
        r.ncontext = sizeof C_MANY / sizeof C_MANY[0];
        CU_ASSERT_EQUAL(pdt_decide(t, &r, NULL), PDT_EXPLICIT_DENY);  /* 17 % 7 == 3: a Deny */
        r.resource = "arn:aws:s3:::bucket-18/k";
        CU_ASSERT_EQUAL(pdt_decide(t, &r, NULL), PDT_ALLOW);
        r.resource = "arn:aws:s3:::bucket-20/k";  /* k20 has v21 in C_MANY */
        CU_ASSERT_EQUAL(pdt_decide(t, &r, NULL), PDT_IMPLICIT_DENY);
        r.resource = "arn:aws:s3:::bucket-3/k";   /* a Deny statement */
        CU_ASSERT_EQUAL(pdt_decide(t, &r, NULL), PDT_EXPLICIT_DENY);
        r.context = C_DUP;
        r.ncontext = 3;
        r.resource = "arn:aws:s3:::home/alice/f";
        r.action = "s3:GetObject";
        CU_ASSERT_EQUAL(pdt_decide(t, &r, NULL), PDT_IMPLICIT_DENY);  /* indeterminate template */
    }
    pdt_close(t);
}

/* 8 threads on one table opened from memory. */
static void test_shared_mem(void)
{
    struct pdt_table *t = NULL;
    CU_ASSERT_EQUAL_FATAL(pdt_open_mem(img, img_len, &t), 0);
    CU_ASSERT_EQUAL(run_workers(t, tmp_path, 0), 0);
    pdt_close(t);
}

/* 8 threads on one mapped table (pdt_open), while 2 of them instead open,
 * use and close their own handles of the same file on every pass. */
static void test_shared_mapped(void)
{
    struct pdt_table *t = NULL;
    CU_ASSERT_EQUAL_FATAL(pdt_open(tmp_path, &t), 0);
    CU_ASSERT_EQUAL(run_workers(t, tmp_path, 2), 0);
    pdt_close(t);
}

int main(void)
{
    CU_pSuite s;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("threads", suite_init, suite_clean);
    CU_add_test(s, "single-threaded reference answers", test_reference_answers);
    CU_add_test(s, "8 threads, one table (pdt_open_mem)", test_shared_mem);
    CU_add_test(s, "8 threads, one table (pdt_open) + own handles", test_shared_mapped);
    return tu_run();
}
