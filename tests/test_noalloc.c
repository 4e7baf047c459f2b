/* test_noalloc.c - pdt_decide never allocates: malloc, calloc, realloc and
 * free are interposed (counting only while decisions run) and many requests
 * are decided on a table with every kind of statement (Deny/Allow, NotAction,
 * NotResource, wildcards, automata, conditions, policy variables) and on the
 * managed corpus.  Under AddressSanitizer the allocator cannot be interposed
 * and the test says "skipped". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend.h"
#include "lower.h"
#include "pdt.h"
#include "testutil.h"

#if defined(__SANITIZE_ADDRESS__)
#define NOALLOC_SKIP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NOALLOC_SKIP 1
#endif
#endif

#ifndef NOALLOC_SKIP
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

static volatile int counting;
static volatile long nalloc;

void *malloc(size_t n)
{
    if (counting)
        nalloc++;
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
    if (counting)
        nalloc++;
    return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
    if (counting)
        nalloc++;
    return __libc_realloc(p, n);
}

void free(void *p)
{
    if (counting && p)
        nalloc++;
    __libc_free(p);
}
#endif

static const char *POL =
    "{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:*Object*\",\"ec2:Describe?pcs\"],"
    "\"Resource\":[\"arn:aws:s3:::b/*\",\"arn:aws:s3:::c/*\",\"arn:aws:s3:::d?/x\",\"arn:*:s3:::e/*\"]},"
    "{\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\",\"sts:Get*\"],\"NotResource\":\"arn:aws:ec2:*:*:instance/*\","
    "\"Condition\":{\"StringEquals\":{\"aws:username\":\"mallory\"}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"sqs:*\",\"Resource\":\"arn:aws:sqs:*:*:${aws:username}-*\"},"
    "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
    "\"Condition\":{\"ForAnyValue:StringLike\":{\"aws:TagKeys\":[\"team-*\"]},\"Bool\":{\"aws:SecureTransport\":\"true\"}}}"
    "]}";

static struct pdt_table *compile(const char *const *paths, const char *text, struct buf *img)
{
    struct arena a;
    struct diag d;
    struct ir_policy *pols[2048];
    struct lower_opts o = {0, 0};
    struct pdt_table *t = NULL;
    size_t n = 0;
    arena_init(&a);
    diag_init(&d, stderr);
    d.suppress_warnings = 1;
    buf_init(img);
    if (text) {
        if (frontend_parse(&a, &d, "p.json", text, strlen(text), NULL, &pols[n]) == FRONTEND_OK)
            n++;
    }
    for (; paths && *paths && n < 2048; paths++)
        if (frontend_load(&a, &d, *paths, NULL, &pols[n], NULL, NULL) == FRONTEND_OK)
            n++;
    if (n && lower_compile(&a, &d, pols, n, &o, img) == 0 && pdt_open_mem(img->data, img->len, &t) != 0)
        t = NULL;
    diag_fini(&d);
    arena_free(&a);
    return t;
}

static long decide_many(struct pdt_table *t, int *allowed)
{
    static const char *const actions[] = {"s3:GetObject", "S3:PutObjectAcl", "ec2:DescribeVpcs", "iam:PassRole",
                                          "sts:GetCallerIdentity", "sqs:SendMessage", "kms:Decrypt", "nocolon"};
    static const char *const resources[] = {"arn:aws:s3:::b/k", "arn:aws:s3:::d1/x", "arn:aws-cn:s3:::e/z",
                                            "arn:aws:ec2:us-east-1:1:instance/i-1", "arn:aws:sqs:us-east-1:1:bob-q",
                                            "*", ""};
    static const char *const user[] = {"bob"}, *const mallory[] = {"mallory"};
    static const char *const tags[] = {"x", "team-a"}, *const yes[] = {"true"};
    struct pdt_kv ctx[3] = {{"aws:username", user, 1, 0}, {"aws:TagKeys", tags, 2, 1}, {"aws:SecureTransport", yes, 1, 0}};
    struct pdt_kv ctx2[1] = {{"aws:username", mallory, 1, 0}};
    size_t i, j, k;
    long before;
    struct pdt_why w;
#ifndef NOALLOC_SKIP
    before = nalloc;
    counting = 1;
#else
    before = 0;
#endif
    for (k = 0; k < 3; k++)
        for (i = 0; i < sizeof actions / sizeof actions[0]; i++)
            for (j = 0; j < sizeof resources / sizeof resources[0]; j++) {
                struct pdt_request r = {actions[i], resources[j], k == 0 ? NULL : k == 1 ? ctx : ctx2,
                                        k == 0 ? 0 : k == 1 ? 3 : 1};
                *allowed += pdt_decide(t, &r, &w) == PDT_ALLOW;
            }
    (void)pdt_decide(t, NULL, &w);
#ifndef NOALLOC_SKIP
    counting = 0;
    return nalloc - before;
#else
    (void)before;
    return 0;
#endif
}

static void test_noalloc(void)
{
    struct buf img;
    struct pdt_table *t;
    int allowed = 0;
#ifdef NOALLOC_SKIP
    printf("skipped: allocator interposition under AddressSanitizer\n");
    return;
#endif
#ifndef NOALLOC_SKIP
    {
        /* the interposer sees allocations */
        long n0 = nalloc;
        void *p;
        counting = 1;
        p = malloc(16);
        free(p);
        counting = 0;
        CU_ASSERT_EQUAL(nalloc - n0, 2);
    }
#endif
    t = compile(NULL, POL, &img);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(decide_many(t, &allowed), 0);
    CU_ASSERT(allowed > 0);
    pdt_close(t);
    buf_free(&img);
}

static void test_noalloc_corpus(void)
{
    static const char *const names[] = {"AmazonS3FullAccess.json", "AWSImageBuilderFullAccess.json",
                                        "AdministratorAccess.json", "ReadOnlyAccess.json", "PowerUserAccess.json"};
    char paths[5][4096];
    const char *pp[6];
    struct buf img;
    struct pdt_table *t;
    size_t i;
    int allowed = 0;
#ifdef NOALLOC_SKIP
    return;
#endif
    for (i = 0; i < 5; i++) {
        const char *p = tu_shared("corpus/aws-managed");
        if (!p)
            return;
        snprintf(paths[i], sizeof paths[i], "%s/%s", p, names[i]);
        pp[i] = paths[i];
    }
    pp[5] = NULL;
    t = compile(pp, POL, &img);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(decide_many(t, &allowed), 0);
    CU_ASSERT(allowed > 0);
    pdt_close(t);
    buf_free(&img);
}

int main(void)
{
    CU_pSuite s;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("noalloc", NULL, NULL);
    CU_add_test(s, "pdt_decide does not allocate (all statement kinds)", test_noalloc);
    CU_add_test(s, "pdt_decide does not allocate (corpus policies)", test_noalloc_corpus);
    return tu_run();
}
