/* test_load.c - the loader's structural checks (runtime/load.c, verify.c):
 * argument errors, alignment, magic, version, checksum, truncation, and,
 * with the checksum recomputed, corrupted directory/records/automata, an
 * unknown optional section (skipped) and an unknown required one (refused),
 * and a flip of every byte of a small table (refused, or loaded and then
 * decided without sanitizer reports). */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "frontend.h"
#include "hash.h"
#include "lower.h"
#include "pdt.h"
#include "testutil.h"

static const char *POL =
    "{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:*Object*\",\"ec2:Describe?pcs\",\"*\"],"
    "\"Resource\":[\"arn:aws:s3:::b/*\",\"arn:*:s3:::c/*\",\"arn:aws:s3:::d?\",\"arn:aws:sqs:*:*:q\"]},"
    "{\"Effect\":\"Deny\",\"NotAction\":\"iam:*\",\"NotResource\":\"arn:aws:ec2:*:*:instance/*\","
    "\"Condition\":{\"StringEquals\":{\"aws:username\":\"bob\"}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"sqs:*\",\"Resource\":\"arn:aws:sqs:*:*:${aws:username}\"}]}";

static uint8_t *img;
static size_t img_len;

static int suite_init(void)
{
    struct arena a;
    struct diag d;
    struct ir_policy *p;
    struct buf b;
    struct lower_opts o = {0, 0};
    int rc = -1;
    arena_init(&a);
    diag_init(&d, stderr);
    buf_init(&b);
    if (frontend_parse(&a, &d, "t.json", POL, strlen(POL), NULL, &p) == FRONTEND_OK &&
        lower_compile(&a, &d, &p, 1, &o, &b) == 0) {
        img_len = b.len;
        img = aligned_alloc(8, (img_len + 7) & ~(size_t)7);
        memcpy(img, b.data, img_len);
        rc = 0;
    }
    buf_free(&b);
    diag_fini(&d);
    arena_free(&a);
    return rc;
}

static int suite_clean(void)
{
    free(img);
    return 0;
}

static uint8_t *copy(void)
{
    uint8_t *c = aligned_alloc(8, (img_len + 7) & ~(size_t)7);
    memcpy(c, img, img_len);
    return c;
}

static void reseal(uint8_t *c, size_t len)
{
    struct pdt_fmt_header *h = (struct pdt_fmt_header *)(void *)c;
    h->checksum = pdt_hash_sum(c + PDT_HDR_LEN, len - PDT_HDR_LEN);
}

static int open_it(uint8_t *c, size_t len)
{
    struct pdt_table *t = NULL;
    int rc = pdt_open_mem(c, len, &t);
    if (rc == 0) {
        struct pdt_request r = {"s3:GetObject", "arn:aws:s3:::b/x", NULL, 0};
        struct pdt_request r2 = {"ec2:DescribeVpcs", "arn:aws:s3:::c/x", NULL, 0};
        struct pdt_why w;
        (void)pdt_decide(t, &r, &w);
        (void)pdt_decide(t, &r2, &w);
        pdt_close(t);
    } else {
        CU_ASSERT_PTR_NULL(t);
    }
    return rc;
}

static struct pdt_fmt_section *find_sec(uint8_t *c, uint32_t id)
{
    struct pdt_fmt_header *h = (struct pdt_fmt_header *)(void *)c;
    struct pdt_fmt_section *s = (struct pdt_fmt_section *)(void *)(c + h->hdr_len);
    uint32_t i;
    for (i = 0; i < h->nsections; i++)
        if (s[i].id == id)
            return &s[i];
    return NULL;
}

static void test_basic(void)
{
    uint8_t *c = copy();
    struct pdt_table *t;
    CU_ASSERT_EQUAL(open_it(c, img_len), 0);
    CU_ASSERT_EQUAL(pdt_open_mem(c, img_len, NULL), PDT_E_INVAL);
    CU_ASSERT_EQUAL(pdt_open_mem(NULL, img_len, &t), PDT_E_INVAL);
    CU_ASSERT_EQUAL(pdt_open_mem(c + 1, img_len - 1, &t), PDT_E_ALIGN);
    CU_ASSERT_EQUAL(open_it(c, 0), PDT_E_MAGIC);
    CU_ASSERT_EQUAL(open_it(c, 40), PDT_E_CORRUPT);
    CU_ASSERT_EQUAL(open_it(c, img_len - 8), PDT_E_CORRUPT);
    c[0] ^= 1;
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_MAGIC);
    c[0] ^= 1;
    c[8] = 2; /* major */
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_VERSION);
    c[8] = 1;
    c[img_len - 1] ^= 0x40;
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_CHECKSUM);
    c[img_len - 1] ^= 0x40;
    CU_ASSERT_EQUAL(open_it(c, img_len), 0);
    CU_ASSERT_STRING_EQUAL(pdt_strerror(PDT_E_CORRUPT), "structurally invalid (corrupt) table");
    CU_ASSERT_EQUAL(pdt_abi_version(), PDT_ABI_VERSION);
    CU_ASSERT_EQUAL(pdt_open("/nonexistent/x.pdt", &t), PDT_E_IO);
    free(c);
}

static void test_resealed_structure(void)
{
    uint8_t *c;
    struct pdt_fmt_section *s;
    struct pdt_fmt_stmt *st;
    /* section past the end */
    c = copy();
    s = find_sec(c, PDT_SEC_STMTS);
    s->len = (uint32_t)img_len;
    reseal(c, img_len);
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_CORRUPT);
    free(c);
    /* misaligned section */
    c = copy();
    s = find_sec(c, PDT_SEC_STMTS);
    s->off += 4;
    reseal(c, img_len);
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_CORRUPT);
    free(c);
    /* overlapping sections */
    c = copy();
    find_sec(c, PDT_SEC_STMTS)->off = find_sec(c, PDT_SEC_SETS)->off;
    reseal(c, img_len);
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_CORRUPT);
    free(c);
    /* statement pattern range out of bounds */
    c = copy();
    st = (struct pdt_fmt_stmt *)(void *)(c + find_sec(c, PDT_SEC_STMTS)->off);
    st[1].res_first = 1000;
    reseal(c, img_len);
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_CORRUPT);
    free(c);
    /* string offset outside the string table */
    c = copy();
    *(uint32_t *)(void *)(c + find_sec(c, PDT_SEC_ACTPATS)->off) = 0x7fffffff;
    reseal(c, img_len);
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_CORRUPT);
    free(c);
    /* "literal" flag on a pattern with wildcards */
    c = copy();
    *(uint32_t *)(void *)(c + find_sec(c, PDT_SEC_RESPATS)->off) |= PDT_RP_LIT;
    reseal(c, img_len);
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_CORRUPT);
    free(c);
    /* string table not NUL-terminated */
    c = copy();
    s = find_sec(c, PDT_SEC_STRTAB);
    c[s->off + s->len - 1] = 'x';
    reseal(c, img_len);
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_CORRUPT);
    free(c);
    /* list element >= nstmts */
    c = copy();
    *(uint32_t *)(void *)(c + find_sec(c, PDT_SEC_LISTS)->off) = 77;
    reseal(c, img_len);
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_CORRUPT);
    free(c);
    /* automaton transition out of range */
    c = copy();
    s = find_sec(c, PDT_SEC_DFAS);
    CU_ASSERT_FATAL(s && s->len >= sizeof(struct pdt_fmt_dfa));
    {
        struct pdt_fmt_dfa *d = (struct pdt_fmt_dfa *)(void *)(c + s->off);
        uint16_t *tr = (uint16_t *)(void *)(c + find_sec(c, PDT_SEC_DFADATA)->off + d->trans);
        tr[d->nclasses] = (uint16_t)(d->nstates * d->nclasses);
    }
    reseal(c, img_len);
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_CORRUPT);
    free(c);
    /* hash probe bound too small for an entry */
    c = copy();
    ((struct pdt_fmt_hash *)(void *)(c + find_sec(c, PDT_SEC_ACTHASH)->off))->maxprobe = 0;
    reseal(c, img_len);
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_CORRUPT);
    free(c);
}

/* Renames the provenance section to an unknown id (moved to the end of the
 * sorted directory): optional -> skipped; required -> refused. */
static void test_unknown_sections(void)
{
    uint8_t *c = copy();
    struct pdt_fmt_header *h = (struct pdt_fmt_header *)(void *)c;
    struct pdt_fmt_section *dir = (struct pdt_fmt_section *)(void *)(c + h->hdr_len), tmp;
    uint32_t i, n = h->nsections;
    for (i = 0; i < n && dir[i].id != PDT_SEC_PROV; i++)
        ;
    CU_ASSERT_FATAL(i < n);
    tmp = dir[i];
    memmove(&dir[i], &dir[i + 1], (n - i - 1) * sizeof tmp);
    tmp.id = 0x7777;
    tmp.flags = 0;
    dir[n - 1] = tmp;
    h->flags |= PDT_HF_STRIPPED;
    reseal(c, img_len);
    CU_ASSERT_EQUAL(open_it(c, img_len), 0);
    dir[n - 1].flags = PDT_SF_REQUIRED;
    reseal(c, img_len);
    CU_ASSERT_EQUAL(open_it(c, img_len), PDT_E_VERSION);
    free(c);
}

static void test_every_byte(void)
{
    size_t i;
    int ok = 0, refused = 0;
    uint8_t *c = copy();
    CU_ASSERT(img_len <= 16384);
    for (i = 0; i < img_len; i++) {
        uint8_t save = c[i];
        c[i] ^= (uint8_t)(1u << (i % 8));
        if (i >= 32 || i < 24)
            reseal(c, img_len);
        if (open_it(c, img_len) == 0)
            ok++;
        else
            refused++;
        c[i] = save;
        reseal(c, img_len);
    }
    for (i = 0; i < img_len; i += 8)
        if (open_it(c, i) == 0)
            ok++;
    CU_ASSERT(refused > 0);
    free(c);
}

int main(void)
{
    CU_pSuite s;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("load", suite_init, suite_clean);
    CU_add_test(s, "header, alignment, checksum, truncation", test_basic);
    CU_add_test(s, "resealed structural corruption", test_resealed_structure);
    CU_add_test(s, "unknown optional/required sections", test_unknown_sections);
    CU_add_test(s, "every byte flipped (checksum recomputed)", test_every_byte);
    return tu_run();
}
