/* test_corrupt.c - the loader against corrupt tables.  A small table (at
 * most 16 KB) that holds every section type of runtime/format.h (and the
 * condition engine's sections) is compiled in process; then every
 * truncation, and every single-byte mutation (each bit flip, and the values
 * 0x00, 0xff, 0x80, +1, -1), must be refused by pdt_open_mem or decided
 * without any crash or sanitizer report.  The mutation pass is run twice:
 * as is, and with the header checksum recomputed (pdt_hash_sum over
 * [hdr_len, total_len), exactly as src/emit.c writes it) so that mutations
 * get past the checksum to the structural checks. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "cond.h"
#include "diag.h"
#include "format.h"
#include "hash.h"
#include "json.h"
#include "lower.h"
#include "pdt.h"
#include "testutil.h"
#include "validate.h"

/* Two policies that together use every part of the format: exact, prefix,
 * service-wide and inner-wildcard actions, "*" and NotAction; resource
 * patterns for automata (per service and generic), ones past a small state
 * budget (glob fallback), "*", NotResource and ${...} templates; conditions;
 * Sids (provenance). */
static const char *const corrupt_pols[] = {
    "{\"Version\": \"2012-10-17\", \"Statement\": [\n"
    "{\"Sid\": \"Read\", \"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:List*\", \"s3:*Object*\"],\n"
    " \"Resource\": [\"arn:aws:s3:::bucket/*\", \"arn:aws:s3:::b?cket/x/*.txt\", \"arn:aws:s3:::logs-*\",\n"
    "              \"arn:aws:s3:::data/*/raw\", \"arn:*:s3:::any-*\"]},\n"
    "{\"Sid\": \"Tags\", \"Effect\": \"Allow\", \"Action\": \"ec2:Describe?pcs\",\n"
    " \"Resource\": \"arn:aws:ec2:*:123456789012:vpc/*\",\n"
    " \"Condition\": {\"ForAnyValue:StringLike\": {\"aws:TagKeys\": [\"env*\", \"team\"]},\n"
    "               \"Bool\": {\"aws:SecureTransport\": \"true\"}}},\n"
    "{\"Sid\": \"Self\", \"Effect\": \"Allow\", \"Action\": \"iam:*AccessKey*\",\n"
    " \"Resource\": \"arn:aws:iam::123456789012:user/${aws:username}\"},\n"
    "{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"arn:*:sqs:*:*:q-*a*b*c*d*e*f*g*h*\"}\n"
    "]}\n",
    "{\"Version\": \"2012-10-17\", \"Statement\": [\n"
    "{\"Sid\": \"NoIam\", \"Effect\": \"Deny\", \"NotAction\": [\"iam:*\", \"sts:Get*\"],\n"
    " \"NotResource\": [\"arn:aws:ec2:us-east-1:*:instance/i-*\", \"*\"],\n"
    " \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}},\n"
    "{\"Effect\": \"Deny\", \"Action\": \"sqs:*\", \"Resource\": \"*\"},\n"
    "{\"Effect\": \"Allow\", \"Action\": [\"dynamodb:GetItem\", \"s3:GetObject\", \"s3:List*\"],\n"
    " \"Resource\": [\"arn:aws:dynamodb:*:*:table/t-*-*-*-*-*-*-*-*-*-*-*-*-x\", \"arn:aws:dynamodb:*:*:table/u\",\n"
    "              \"arn:aws:dynamodb:*:*:table/v*\", \"arn:aws:dynamodb:*:*:table/w?\"]}\n"
    "]}\n",
};

static uint8_t *corrupt_table;   /* the pristine table (8-aligned) */
static size_t corrupt_len;

/* Compiles corrupt_pols with a small state budget. */
static int corrupt_build(void)
{
    struct arena a;
    struct diag d;
    struct ir_policy *pols[2];
    struct lower_opts o;
    struct buf b;
    size_t i;
    int rc = -1;

    arena_init(&a);
    diag_init(&d, stderr);
    buf_init(&b);
    for (i = 0; i < 2; i++) {
        const char *name = i ? "b.json" : "a.json";
        struct json *j = json_parse(&a, &d, name, corrupt_pols[i], strlen(corrupt_pols[i]), 1);
        pols[i] = j ? validate_policy(&a, &d, name, j) : NULL;
        if (!pols[i])
            goto out;
    }
    memset(&o, 0, sizeof o);
    o.dfa_state_budget = 24;
    if (lower_compile(&a, &d, pols, 2, &o, &b) < 0 || b.failed)
        goto out;
    corrupt_table = aligned_alloc(8, (b.len + 7) / 8 * 8);
    if (!corrupt_table)
        goto out;
    memcpy(corrupt_table, b.data, b.len);
    corrupt_len = b.len;
    rc = 0;
    if (getenv("PDT_CORRUPT_SAVE")) { /* for reproducing a failure by hand */
        FILE *f = fopen(getenv("PDT_CORRUPT_SAVE"), "wb");
        if (f) {
            fwrite(b.data, 1, b.len, f);
            fclose(f);
        }
    }
out:
    buf_free(&b);
    diag_fini(&d);
    arena_free(&a);
    return rc;
}

/* Decides a fixed set of requests on t; everything must simply not crash. */
static unsigned corrupt_decide_all(const struct pdt_table *t)
{
    static const char *const one[] = {"alice"};
    static const char *const tags[] = {"env-x", "owner"};
    static const char *const tls[] = {"true"};
    static const char *const ip[] = {"10.1.2.3"};
    static const struct pdt_kv ctx[] = {
        {"aws:username", one, 1, 0}, {"aws:TagKeys", tags, 2, 1},
        {"aws:SecureTransport", tls, 1, 0}, {"aws:SourceIp", ip, 1, 0},
    };
    static const struct {
        const char *action, *resource;
    } reqs[] = {
        {"s3:GetObject", "arn:aws:s3:::bucket/a"},
        {"s3:ListBucket", "arn:aws:s3:::logs-1"},
        {"s3:PutObjectAcl", "arn:aws:s3:::bocket/x/y.txt"},
        {"ec2:DescribeVpcs", "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1"},
        {"iam:CreateAccessKey", "arn:aws:iam::123456789012:user/alice"},
        {"sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q-abcdefgh"},
        {"dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/t-1-2-3-4-5-6-7-8-9-10-11-12-x"},
        {"sts:GetCallerIdentity", "*"},
        {"ec2:RunInstances", "arn:aws:ec2:us-east-1:1:instance/i-1"},
        {"", ""},
    };
    unsigned sum = 0;
    size_t i;
    for (i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
        struct pdt_request r = {reqs[i].action, reqs[i].resource, ctx, i % 2 ? 4 : 0};
        struct pdt_why w;
        sum += (unsigned)pdt_decide(t, &r, &w);
        if (w.policy)
            sum += (unsigned)strlen(w.policy);
        if (w.sid)
            sum += (unsigned)strlen(w.sid);
    }
    return sum;
}

/* Opens buf[0..len) and, when it loads, decides the fixed requests.  Returns
 * 1 when it loaded. */
static int corrupt_try(const uint8_t *buf, size_t len)
{
    struct pdt_table *t = NULL;
    if (pdt_open_mem(buf, len, &t) != PDT_OK) {
        return t == NULL ? 0 : -1; /* no handle on failure */
    }
    corrupt_decide_all(t);
    pdt_close(t);
    return 1;
}

/* Recomputes the checksum of a (mutated) table when its header allows. */
static void corrupt_fix_checksum(uint8_t *buf, size_t len)
{
    struct pdt_fmt_header h;
    uint64_t sum;
    if (len < PDT_HDR_LEN)
        return;
    memcpy(&h, buf, sizeof h);
    if (h.hdr_len > len || h.total_len > len || h.hdr_len > h.total_len)
        return;
    sum = pdt_hash_sum(buf + h.hdr_len, (size_t)(h.total_len - h.hdr_len));
    memcpy(buf + offsetof(struct pdt_fmt_header, checksum), &sum, sizeof sum);
}

static void test_corrupt_table_shape(void)
{
    static const uint32_t ids[] = {
        PDT_SEC_STRTAB, PDT_SEC_SETS, PDT_SEC_STMTS, PDT_SEC_PROV, PDT_SEC_ACTPATS, PDT_SEC_RESPATS,
        PDT_SEC_META, PDT_SEC_LISTS, PDT_SEC_ACTHASH, PDT_SEC_ACTSVC, PDT_SEC_ACTAUX, PDT_SEC_ACTWILD,
        PDT_SEC_RESBKT, PDT_SEC_DFAS, PDT_SEC_DFADATA, PDT_SEC_ACCEPTS, PDT_SEC_COND_KEYS,
        PDT_SEC_COND_PROGS, PDT_SEC_COND_TMPLS,
    };
    struct pdt_fmt_header h;
    const struct pdt_fmt_section *dir;
    const struct pdt_fmt_meta *meta = NULL;
    size_t i, j;

    CU_ASSERT_PTR_NOT_NULL_FATAL(corrupt_table);
    printf("\n  table: %zu bytes\n", corrupt_len);
    CU_ASSERT(corrupt_len <= 16384);
    memcpy(&h, corrupt_table, sizeof h);
    dir = (const struct pdt_fmt_section *)(const void *)(corrupt_table + h.hdr_len);
    CU_ASSERT_FATAL(h.hdr_len + (size_t)h.nsections * sizeof *dir <= corrupt_len);
    for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        int found = 0;
        for (j = 0; j < h.nsections; j++) {
            if (dir[j].id == ids[i] && dir[j].len > 0)
                found = 1;
            if (dir[j].id == PDT_SEC_META && dir[j].off + (size_t)dir[j].len <= corrupt_len)
                meta = (const struct pdt_fmt_meta *)(const void *)(corrupt_table + dir[j].off);
        }
        if (!found)
            printf("  section 0x%02x missing or empty\n", (unsigned)ids[i]);
        CU_ASSERT(found);
    }
    /* both kinds of static resource patterns, so both matchers are exercised */
    CU_ASSERT_PTR_NOT_NULL_FATAL(meta);
    printf("  patterns: %u in automata, %u glob fallback\n", (unsigned)meta->npatterns_dfa,
           (unsigned)meta->npatterns_glob);
    CU_ASSERT(meta->npatterns_dfa > 0);
    CU_ASSERT(meta->npatterns_glob > 0);
    CU_ASSERT_EQUAL(corrupt_try(corrupt_table, corrupt_len), 1);
    /* the recomputation reproduces the compiler's checksum (else the second
     * mutation pass would only test the checksum) */
    {
        uint8_t *copy = aligned_alloc(8, (corrupt_len + 7) / 8 * 8);
        CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
        memcpy(copy, corrupt_table, corrupt_len);
        memset(copy + offsetof(struct pdt_fmt_header, checksum), 0, 8);
        corrupt_fix_checksum(copy, corrupt_len);
        CU_ASSERT_EQUAL(memcmp(copy, corrupt_table, corrupt_len), 0);
        free(copy);
    }
}

static void test_corrupt_truncate(void)
{
    uint8_t *buf = aligned_alloc(8, (corrupt_len + 7) / 8 * 8 + 8);
    size_t k;
    unsigned loaded = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    memcpy(buf, corrupt_table, corrupt_len);
    for (k = 0; k < corrupt_len; k++) {
        int r = corrupt_try(buf, k);
        CU_ASSERT(r >= 0);
        loaded += r == 1;
    }
    CU_ASSERT_EQUAL(loaded, 0); /* total_len must match */
    /* a longer buffer than total_len is refused too */
    buf[corrupt_len] = 0;
    CU_ASSERT_EQUAL(corrupt_try(buf, corrupt_len + 1), 0);
    free(buf);
}

/* Runs every single-byte mutation; fix: recompute the checksum first. */
static void corrupt_mutate_all(int fix)
{
    uint8_t *buf = aligned_alloc(8, (corrupt_len + 7) / 8 * 8);
    size_t k, m, csum_at = offsetof(struct pdt_fmt_header, checksum);
    unsigned loaded = 0, tried = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    memcpy(buf, corrupt_table, corrupt_len);
    for (k = 0; k < corrupt_len; k++) {
        uint8_t orig = buf[k];
        for (m = 0; m < 13; m++) {
            uint8_t v = m < 8 ? (uint8_t)(orig ^ (1u << m)) : m == 8 ? 0x00 : m == 9 ? 0xff : m == 10 ? 0x80
                        : m == 11 ? (uint8_t)(orig + 1) : (uint8_t)(orig - 1);
            int r;
            if (v == orig && m >= 8)
                continue;
            buf[k] = v;
            if (fix && (k < csum_at || k >= csum_at + 8))
                corrupt_fix_checksum(buf, corrupt_len);
            r = corrupt_try(buf, corrupt_len);
            CU_ASSERT(r >= 0);
            loaded += r == 1;
            tried++;
            buf[k] = orig;
            if (fix)
                memcpy(buf + csum_at, corrupt_table + csum_at, 8);
        }
    }
    printf("\n  %u mutations%s: %u loaded (and were decided), %u refused\n", tried,
           fix ? " with recomputed checksum" : "", loaded, tried - loaded);
    if (!fix)
        CU_ASSERT(loaded < tried / 50); /* the checksum catches nearly all */
    free(buf);
}

static void test_corrupt_mutate(void)
{
    corrupt_mutate_all(0);
}

static void test_corrupt_mutate_fixed_checksum(void)
{
    corrupt_mutate_all(1);
}

/* Also: NULL and misaligned arguments. */
static void test_corrupt_args(void)
{
    struct pdt_table *t = (struct pdt_table *)(uintptr_t)1;
    uint8_t *buf = aligned_alloc(8, (corrupt_len + 15) / 8 * 8);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    CU_ASSERT_EQUAL(pdt_open_mem(NULL, 10, &t), PDT_E_INVAL);
    memcpy(buf + 1, corrupt_table, corrupt_len);
    CU_ASSERT_EQUAL(pdt_open_mem(buf + 1, corrupt_len, &t), PDT_E_ALIGN);
    CU_ASSERT_EQUAL(pdt_decide(NULL, NULL, NULL), PDT_IMPLICIT_DENY);
    free(buf);
}

int main(void)
{
    CU_pSuite s;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("corrupt", NULL, NULL);
    CU_add_test(s, "table has every section", test_corrupt_table_shape);
    if (corrupt_build() < 0) {
        fputs("test_corrupt: the policies did not compile\n", stderr);
        return tu_run(); /* the shape test fails */
    }
    CU_add_test(s, "truncation at every offset", test_corrupt_truncate);
    CU_add_test(s, "every byte mutated", test_corrupt_mutate);
    CU_add_test(s, "every byte mutated, checksum recomputed", test_corrupt_mutate_fixed_checksum);
    CU_add_test(s, "bad arguments", test_corrupt_args);
    return tu_run();
}
