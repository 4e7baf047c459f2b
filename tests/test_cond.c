/* test_cond.c - the condition engine end to end below the table core:
 * Condition blocks built as IR by hand, compiled by condc into the three
 * sections, validated by pdt_cond_validate_secs and evaluated by
 * pdt_cond_eval / pdt_tmpl_expand against hand-made requests.  One suite per
 * operator family plus the §4.2 table (missing keys, IfExists, set
 * operators, Null), variables, duplicate-case keys, sharing and corruption. */
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "condc.h"
#include "condfmt.h"
#include "frontend.h"
#include "lower.h"
#include "pdt.h"
#include "testutil.h"

#define T PDT_TRI_TRUE
#define F PDT_TRI_FALSE
#define I PDT_TRI_INDET
#define CERR (-1)   /* compile error */
#define B(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NOCTX ((const char *const[]){NULL})

enum { V08 = 8, V12 = 12, VNONE = 0 };

struct tbl {               /* one compiled table's condition sections */
    uint8_t *mem[3];       /* 8-aligned copies */
    void *kidx;            /* the key index pdt_open makes (pdt_ctx_kidx_build) */
    struct pdt_cond_secs s;
    uint32_t prog[4];      /* program ids of the blocks */
    uint32_t tmpl;         /* template id of the resource, if any */
    const char *pat;       /* static resource pattern, if any */
    size_t patlen;
    int res_kind;          /* condc_resource's return */
};

struct req {               /* a request context built from "key=value" specs */
    struct pdt_kv kv[64];
    const char *vals[64][8];
    char text[64][256];
    struct pdt_request r;
};

/* Specs: "k=v" one string, "k=[a,b]" a list, "k=[]" an empty list. */
static void mkreq(struct req *q, const char *const *spec)
{
    size_t i;

    memset(q, 0, sizeof *q);
    for (i = 0; spec[i] && i < 64; i++) {
        char *t = q->text[i], *eq;
        snprintf(t, sizeof q->text[i], "%s", spec[i]);
        eq = strchr(t, '=');
        *eq = '\0';
        q->kv[i].key = t;
        q->kv[i].values = q->vals[i];
        if (eq[1] == '[') {
            char *p = eq + 2, *end = strrchr(p, ']');
            *end = '\0';
            q->kv[i].multi = 1;
            while (*p || (p != eq + 2 && p[-1] == ',')) {
                char *c = strchr(p, ',');
                if (c)
                    *c = '\0';
                q->vals[i][q->kv[i].nvalues++] = p;
                if (!c)
                    break;
                p = c + 1;
            }
        } else {
            q->vals[i][0] = eq + 1;
            q->kv[i].nvalues = 1;
        }
    }
    q->r.action = "s3:GetObject";
    q->r.resource = "*";
    q->r.context = q->kv;
    q->r.ncontext = i;
}

/* Builds one statement's Condition from "Op|key|v1|v2..." specs. */
static void mkstmt(struct arena *a, const char *const *block, struct ir_statement *st)
{
    size_t n = 0, i;

    while (block[n])
        n++;
    memset(st, 0, sizeof *st);
    st->conds = arena_calloc(a, n, sizeof *st->conds);
    st->nconds = n;
    for (i = 0; i < n; i++) {
        struct ir_cond *c = &st->conds[i];
        char *spec = arena_strndup(a, block[i], strlen(block[i])), *p, *bar;
        struct ir_cond_key *k = arena_calloc(a, 1, sizeof *k);
        bar = strchr(spec, '|');
        *bar = '\0';
        c->name.s = spec;
        c->name.len = strlen(spec);
        CU_ASSERT_FATAL(ir_op_parse(spec, c->name.len, &c->op, &c->set, &c->if_exists) == 0);
        c->keys = k;
        c->nkeys = 1;
        p = bar + 1;
        bar = strchr(p, '|');
        *bar = '\0';
        k->key.s = p;
        k->key.len = strlen(p);
        k->values.v = arena_calloc(a, 16, sizeof *k->values.v);
        for (p = bar + 1;; p = bar + 1) {
            bar = strchr(p, '|');
            if (bar)
                *bar = '\0';
            k->values.v[k->values.n].s = p;
            k->values.v[k->values.n++].len = strlen(p);
            if (!bar)
                break;
        }
    }
}

static uint8_t *aligned_copy(const struct buf *b)
{
    uint8_t *m = aligned_alloc(8, b->len ? (b->len + 7) / 8 * 8 : 8);
    if (b->len)
        memcpy(m, b->data, b->len);
    return m;
}

/* Compiles up to 4 blocks (NULL-terminated array of blocks) and optionally a
 * resource; returns 0, CERR, or -2 when validation refuses the sections. */
static int build(int ver, const char *const *const *blocks, const char *res, struct tbl *t)
{
    struct arena a;
    struct diag d;
    struct condc *cc;
    struct ir_policy pol;
    struct ir_statement st;
    struct buf b[3];
    int rc = 0, k;

    memset(t, 0, sizeof *t);
    arena_init(&a);
    diag_init(&d, NULL);
    memset(&pol, 0, sizeof pol);
    pol.version = ver == V12 ? IR_VERSION_2012 : ver == V08 ? IR_VERSION_2008 : IR_VERSION_NONE;
    cc = condc_new(&a, &d);
    for (k = 0; blocks && blocks[k] && k < 4; k++) {
        mkstmt(&a, blocks[k], &st);
        if (condc_statement(cc, &pol, &st, &t->prog[k]) < 0)
            rc = CERR;
    }
    if (res) {
        struct ir_str r = {res, strlen(res), {"x", 1, 1}};
        t->res_kind = condc_resource(cc, &pol, &r, &t->pat, &t->patlen, &t->tmpl);
        if (t->res_kind < 0)
            rc = CERR;
        else if (t->res_kind == 0)
            t->pat = strdup(t->pat);
    }
    for (k = 0; k < 3; k++)
        buf_init(&b[k]);
    if (rc == 0 && condc_finish(cc, &b[0], &b[1], &b[2]) < 0)
        rc = CERR;
    for (k = 0; k < 3; k++) {
        size_t len = b[k].len;
        t->mem[k] = aligned_copy(&b[k]);
        buf_free(&b[k]);
        b[k].len = len;
    }
    t->s.keys = t->mem[0];
    t->s.keys_len = b[0].len;
    t->s.progs = t->mem[1];
    t->s.progs_len = b[1].len;
    t->s.tmpls = t->mem[2];
    t->s.tmpls_len = b[2].len;
    if (rc == 0 && pdt_cond_validate_secs(&t->s) != 0)
        rc = -2;
    if (rc == 0) {  /* as pdt_open does: the small-request lookups need it */
        size_t n = pdt_ctx_kidx_size(&t->s);
        t->kidx = aligned_alloc(8, n ? (n + 7) / 8 * 8 : 8);
        pdt_ctx_kidx_build(&t->s, t->kidx);
    }
    arena_free(&a);
    diag_fini(&d);
    return rc;
}

static void tbl_free(struct tbl *t)
{
    int k;
    for (k = 0; k < 3; k++)
        free(t->mem[k]);
    free(t->kidx);
    if (t->res_kind == 0)
        free((void *)t->pat);
}

/* Compiles one block and evaluates it against the request: T/F/I, or CERR. */
static int ev(int ver, const char *const *block, const char *const *ctx)
{
    const char *const *blocks[2] = {block, NULL};
    struct tbl t;
    struct req q;
    struct pdt_ctx c;
    int rc = build(ver, blocks, NULL, &t);

    if (rc == 0) {
        mkreq(&q, ctx);
        pdt_ctx_init_secs(&c, &t.s, &q.r);
        rc = (int)pdt_cond_eval(&c, t.prog[0]);
    }
    tbl_free(&t);
    return rc;
}

/* Expands resource res for the request into out: the length, -1, -2, or
 * -3 for a static pattern (copied to out), CERR on a compile error. */
static long rs(int ver, const char *res, const char *const *ctx, char *out, size_t cap)
{
    struct tbl t;
    struct req q;
    struct pdt_ctx c;
    long n = build(ver, NULL, res, &t);

    if (n == 0 && t.res_kind == 0) {
        snprintf(out, cap, "%s", t.pat);
        n = -3;
    } else if (n == 0) {
        mkreq(&q, ctx);
        pdt_ctx_init_secs(&c, &t.s, &q.r);
        n = pdt_tmpl_expand(&c, t.tmpl, out, cap - 1);
        if (n >= 0)
            out[n] = '\0';
    }
    tbl_free(&t);
    return n;
}

/* StringEquals at every length from 1 to 24 (one or two words, compared
 * without a call up to 16 bytes): equal, one byte changed at each place,
 * one byte shorter and longer. */
static void t_string_lengths(void)
{
    static const char text[] = "abcdefghijklmnopqrstuvwxyz";
    char blk[64], rq[64];
    size_t n, k;
    int good = 0, total = 0;

    for (n = 1; n <= 24; n++) {
        snprintf(blk, sizeof blk, "StringEquals|k|%.*s", (int)n, text);
        snprintf(rq, sizeof rq, "k=%.*s", (int)n, text);
        good += ev(V12, B(blk), B(rq)) == T;
        for (k = 0; k < n; k++) {
            rq[2 + k] = 'A';
            good += ev(V12, B(blk), B(rq)) == F;
            rq[2 + k] = text[k];
        }
        snprintf(rq, sizeof rq, "k=%.*s", (int)n - 1, text);
        good += ev(V12, B(blk), B(rq)) == F;
        snprintf(rq, sizeof rq, "k=%.*s", (int)n + 1, text);
        good += ev(V12, B(blk), B(rq)) == F;
        total += (int)n + 3;
    }
    CU_ASSERT_EQUAL(good, total);
}

static void t_string(void)
{
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|aws:RequestedRegion|us-east-1"), B("aws:requestedregion=us-east-1")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|aws:RequestedRegion|us-east-1"), B("aws:RequestedRegion=US-east-1")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|k|a|b"), B("k=b")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|s3:prefix|home/*"), B("s3:prefix=home/alice")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|s3:prefix|home/*"), B("s3:prefix=home/*")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|s3:prefix||home/"), B("s3:prefix=")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringNotEquals|k|us-east-1|eu-west-1"), B("k=eu-west-1")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringNotEquals|k|us-east-1|eu-west-1"), B("k=ap-south-1")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringNotEqualsIgnoreCase|env|Prod"), B("env=prod")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringEqualsIgnoreCase|n|\xc3\x89LAN"), B("n=\xc3\xa9lan")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEqualsIgnoreCase|n|\xce\x91"), B("n=\xce\xb1")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringLike|aws:userid|AIDA?BC*"), B("aws:userid=AIDAXBCDEF")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringLike|t|t2.*"), B("t=t3.micro")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringLike|t|a\\b*"), B("t=a\\bc")), T);     /* '\' literal */
    CU_ASSERT_EQUAL(ev(V12, B("StringLike|t|a\\*"), B("t=a\\xyz")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringNotLike|t|t2.*"), B("t=t3.micro")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringLike|t|?"), B("t=\xc3\xa9")), T);
}

static void t_numeric(void)
{
    CU_ASSERT_EQUAL(ev(V12, B("NumericEquals|n|5.0"), B("n=5")), T);
    CU_ASSERT_EQUAL(ev(V12, B("NumericEquals|n|5"), B("n=5.000")), T);
    CU_ASSERT_EQUAL(ev(V12, B("NumericEquals|n|10"), B("n=10.0")), T);
    CU_ASSERT_EQUAL(ev(V12, B("NumericLessThanEquals|n|10"), B("n=10")), T);
    CU_ASSERT_EQUAL(ev(V12, B("NumericLessThanEquals|n|10"), B("n=11")), F);
    CU_ASSERT_EQUAL(ev(V12, B("NumericLessThan|n|10"), B("n=10")), F);
    CU_ASSERT_EQUAL(ev(V12, B("NumericLessThan|n|10"), B("n=-10.5")), T);
    CU_ASSERT_EQUAL(ev(V12, B("NumericGreaterThan|n|10"), B("n=9")), F);
    CU_ASSERT_EQUAL(ev(V12, B("NumericGreaterThanEquals|n|0.1"), B("n=0.10")), T);
    CU_ASSERT_EQUAL(ev(V12, B("NumericLessThan|n|10"), B("n=abc")), I);
    CU_ASSERT_EQUAL(ev(V12, B("NumericLessThan|n|10"), B("n=1e1")), I);
    CU_ASSERT_EQUAL(ev(V12, B("NumericNotEquals|n|5"), B("n=abc")), I);
    CU_ASSERT_EQUAL(ev(V12, B("NumericNotEquals|n|5"), NOCTX), T);
    CU_ASSERT_EQUAL(ev(V12, B("NumericNotEquals|n|5|6"), B("n=6.0")), F);
    CU_ASSERT_EQUAL(ev(V12, B("NumericEquals|n|abc"), NOCTX), CERR);
    CU_ASSERT_EQUAL(ev(V12, B("NumericEquals|n|1e3"), NOCTX), CERR);
    CU_ASSERT_EQUAL(ev(V12, B("NumericEquals|n|${x}"), NOCTX), CERR);
}

static void t_date(void)
{
    CU_ASSERT_EQUAL(ev(V12, B("DateGreaterThan|aws:TokenIssueTime|2020-01-01T00:00:01Z"),
                       B("aws:TokenIssueTime=2021-06-01T12:00:00Z")), T);
    CU_ASSERT_EQUAL(ev(V12, B("DateLessThan|aws:CurrentTime|2020-07-01T00:00:00Z"), B("aws:CurrentTime=1593561600")), F);
    CU_ASSERT_EQUAL(ev(V12, B("DateLessThanEquals|aws:CurrentTime|2020-07-01T00:00:00Z"), B("aws:CurrentTime=1593561600")), T);
    CU_ASSERT_EQUAL(ev(V12, B("DateEquals|t|2020-01-01T00:00:00Z"), B("t=2020-01-01T01:00:00+01:00")), T);
    CU_ASSERT_EQUAL(ev(V12, B("DateEquals|t|2020-01-01"), B("t=2020-01-01T00:00:00.000Z")), T);
    CU_ASSERT_EQUAL(ev(V12, B("DateGreaterThan|t|2020-01-01T00:00:00.25Z"), B("t=2020-01-01T00:00:00.2500001Z")), T);
    CU_ASSERT_EQUAL(ev(V12, B("DateGreaterThan|t|2020-01-01T00:00:00.25Z"), B("t=2020-01-01T00:00:00.25Z")), F);
    CU_ASSERT_EQUAL(ev(V12, B("DateGreaterThanEquals|t|1577836800"), B("t=2020-01-01T00:00:00Z")), T);
    CU_ASSERT_EQUAL(ev(V12, B("DateGreaterThan|t|2020-01-01"), NOCTX), F);
    CU_ASSERT_EQUAL(ev(V12, B("DateGreaterThan|t|2020-01-01"), B("t=yesterday")), I);
    CU_ASSERT_EQUAL(ev(V12, B("DateNotEquals|t|2020-01-01"), B("t=2020-01-02")), T);
    CU_ASSERT_EQUAL(ev(V12, B("DateEquals|t|2020-02-30"), NOCTX), CERR);
    CU_ASSERT_EQUAL(ev(V12, B("DateEquals|t|2020"), B("t=1970-01-01T00:33:40Z")), T);  /* epoch 2020 */
}

static void t_bool_bin_ip(void)
{
    CU_ASSERT_EQUAL(ev(V12, B("Bool|aws:SecureTransport|false"), B("aws:SecureTransport=false")), T);
    CU_ASSERT_EQUAL(ev(V12, B("Bool|aws:SecureTransport|false"), B("aws:SecureTransport=TRUE")), F);
    CU_ASSERT_EQUAL(ev(V12, B("Bool|aws:SecureTransport|False"), B("aws:SecureTransport=FALSE")), T);
    CU_ASSERT_EQUAL(ev(V12, B("Bool|aws:SecureTransport|false"), B("aws:SecureTransport=no")), I);
    CU_ASSERT_EQUAL(ev(V12, B("Bool|aws:SecureTransport|false"), NOCTX), F);
    CU_ASSERT_EQUAL(ev(V12, B("BoolIfExists|aws:MultiFactorAuthPresent|false"), NOCTX), T);
    CU_ASSERT_EQUAL(ev(V12, B("Bool|k|yes"), NOCTX), CERR);
    CU_ASSERT_EQUAL(ev(V12, B("Bool|k|${aws:x}"), NOCTX), CERR);
    CU_ASSERT_EQUAL(ev(V12, B("BinaryEquals|b|QmluYXJ5VmFsdWVJbkJhc2U2NA=="), B("b=QmluYXJ5VmFsdWVJbkJhc2U2NA==")), T);
    CU_ASSERT_EQUAL(ev(V12, B("BinaryEquals|b|QmluYXJ5VmFsdWVJbkJhc2U2NA=="), B("b=T3RoZXI=")), F);
    CU_ASSERT_EQUAL(ev(V12, B("BinaryEquals|b|QmluYXJ5VmFsdWVJbkJhc2U2NA=="), B("b=T3RoZXI")), I);
    CU_ASSERT_EQUAL(ev(V12, B("BinaryEquals|b|not base64"), NOCTX), CERR);
    CU_ASSERT_EQUAL(ev(V12, B("IpAddress|aws:SourceIp|203.0.113.0/24"), B("aws:SourceIp=203.0.113.77")), T);
    CU_ASSERT_EQUAL(ev(V12, B("IpAddress|aws:SourceIp|203.0.113.0/24"), B("aws:SourceIp=203.0.114.1")), F);
    CU_ASSERT_EQUAL(ev(V12, B("IpAddress|aws:SourceIp|2001:DB8:1234:5678::/64"),
                       B("aws:SourceIp=2001:db8:1234:5678:abcd::1")), T);
    CU_ASSERT_EQUAL(ev(V12, B("IpAddress|aws:SourceIp|2001:db8::/32"), B("aws:SourceIp=203.0.113.7")), F);
    CU_ASSERT_EQUAL(ev(V12, B("IpAddress|aws:SourceIp|2001:db8::1"), B("aws:SourceIp=2001:db8::1")), T);
    CU_ASSERT_EQUAL(ev(V12, B("IpAddress|aws:SourceIp|2001:db8::1"), B("aws:SourceIp=2001:db8::2")), F);
    CU_ASSERT_EQUAL(ev(V12, B("IpAddress|aws:SourceIp|203.0.113.0/24"), B("aws:SourceIp=bogus")), I);
    CU_ASSERT_EQUAL(ev(V12, B("NotIpAddress|aws:SourceIp|192.0.2.0/24|198.51.100.0/24"), B("aws:SourceIp=198.51.100.9")), F);
    CU_ASSERT_EQUAL(ev(V12, B("NotIpAddress|aws:SourceIp|192.0.2.0/24|198.51.100.0/24"), B("aws:SourceIp=10.0.0.1")), T);
    CU_ASSERT_EQUAL(ev(V12, B("NotIpAddress|aws:SourceIp|192.0.2.0/24"), NOCTX), T);
    CU_ASSERT_EQUAL(ev(V12, B("IpAddress|aws:SourceIp|203.0.113.0/33"), NOCTX), CERR);
}

static void t_arn(void)
{
    const char *doc = "aws:SourceArn=arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
    CU_ASSERT_EQUAL(ev(V12, B("ArnLike|aws:SourceArn|arn:aws:someservice:*:111122223333:finance/*"), B(doc)), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringLike|aws:SourceArn|arn:aws:someservice:*:111122223333:finance/*"), B(doc)), T);
    CU_ASSERT_EQUAL(ev(V12, B("ArnEquals|aws:SourceArn|arn:aws:sns:*:123456789012:topic-*"),
                       B("aws:SourceArn=arn:aws:sns:us-east-1:123456789012:topic-a")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ArnNotLike|aws:PrincipalArn|arn:aws:iam::*:role/Admin"), NOCTX), T);
    CU_ASSERT_EQUAL(ev(V12, B("ArnLike|aws:SourceArn|*"), B("aws:SourceArn=not-an-arn")), F);
    CU_ASSERT_EQUAL(ev(V12, B("ArnNotLike|aws:SourceArn|*"), B("aws:SourceArn=not-an-arn")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ArnLike|aws:SourceArn|*"), B("aws:SourceArn=arn:aws:s3:::b")), I);
    CU_ASSERT_EQUAL(ev(V12, B("ArnLike|aws:PrincipalArn|arn:aws:iam::123456789012:role/*"),
                       B("aws:PrincipalArn=arn:aws:iam::123456789012:role/team/dev")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ArnNotEquals|a|arn:aws:iam::1:role/x"), B("a=arn:aws:iam::1:role/x")), F);
}

/* iam-semantics.md §4.2, row by row. */
static void t_table42(void)
{
    /* positive Op */
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|k|a"), NOCTX), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|k|a"), B("k=[]")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|k|a"), B("k=[a]")), I);     /* one-element list, plain op */
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|k|a"), B("k=[a,b]")), I);
    /* negated */
    CU_ASSERT_EQUAL(ev(V12, B("StringNotEquals|k|a"), NOCTX), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringNotEquals|k|a"), B("k=[]")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringNotEquals|k|a"), B("k=[env,x]")), I);
    CU_ASSERT_EQUAL(ev(V12, B("StringNotLike|k|t2.*"), NOCTX), T);
    /* IfExists */
    CU_ASSERT_EQUAL(ev(V12, B("StringLikeIfExists|k|t2.*"), NOCTX), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringLikeIfExists|k|t2.*"), B("k=m5.large")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringNotEqualsIfExists|k|dev"), NOCTX), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringNotEqualsIfExists|k|dev"), B("k=dev")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringEqualsIfExists|k|dev"), B("k=[dev]")), I);
    CU_ASSERT_EQUAL(ev(V12, B("StringEqualsIfExists|k|"), B("k=")), T);
    /* ForAllValues */
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:StringEquals|k|Message|Tags|ID"), B("k=[Message,Tags]")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:StringEquals|k|Message|Tags"), B("k=[Message,UserName]")), F);
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:StringEquals|k|Message"), NOCTX), T);
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:StringEquals|k|Message"), B("k=[]")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:StringEquals|k|Message"), B("k=")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:StringEquals|k|Message"), B("k=Message")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:StringEquals|k|Message"), B("k=Other")), F);
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:StringLike|k|team-*"), B("k=[team-a,admin]")), F);
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:NumericLessThan|k|5"), B("k=[1,x]")), I);
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:NumericLessThan|k|5"), B("k=[9,x]")), F);
    /* ForAnyValue */
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:StringEquals|k|ID|PostDateTime"), B("k=[UserName,Message,PostDateTime]")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:StringEquals|k|ID"), NOCTX), F);
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:StringEquals|k|ID"), B("k=[]")), F);
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:StringEquals|k|env"), B("k=")), F);
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:StringEquals|k|env"), B("k=env")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:NumericLessThan|k|5"), B("k=[1,x]")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:NumericLessThan|k|5"), B("k=[9,x]")), I);
    /* ForAnyValue:...IfExists */
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:StringEqualsIfExists|k|ID"), NOCTX), T);
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:StringEqualsIfExists|k|ID"), B("k=[x]")), F);
    /* set operators x negated operators */
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:StringNotEquals|k|secret"), B("k=[env,owner]")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:StringNotEquals|k|secret"), B("k=[env,secret]")), F);
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:StringNotEquals|k|secret"), NOCTX), T);
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:StringNotEquals|k|env|owner"), B("k=[env,costcenter]")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:StringNotEquals|k|env|owner"), B("k=[env,owner]")), F);
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:StringNotEquals|k|env"), NOCTX), F);
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:NotIpAddress|k|10.0.0.0/8"), B("k=[10.1.1.1,192.0.2.1]")), T);
    /* Null */
    CU_ASSERT_EQUAL(ev(V12, B("Null|k|true"), NOCTX), T);
    CU_ASSERT_EQUAL(ev(V12, B("Null|k|true"), B("k=v")), F);
    CU_ASSERT_EQUAL(ev(V12, B("Null|k|true"), B("k=[a,b]")), F);
    CU_ASSERT_EQUAL(ev(V12, B("Null|k|true"), B("k=[]")), T);
    CU_ASSERT_EQUAL(ev(V12, B("Null|k|true"), B("k=")), T);
    CU_ASSERT_EQUAL(ev(V12, B("Null|k|false"), NOCTX), F);
    CU_ASSERT_EQUAL(ev(V12, B("Null|k|false"), B("k=v")), T);
    CU_ASSERT_EQUAL(ev(V12, B("Null|k|false"), B("k=[a]")), T);
    CU_ASSERT_EQUAL(ev(V12, B("Null|k|false"), B("k=[]")), F);
    CU_ASSERT_EQUAL(ev(V12, B("Null|k|false"), B("k=")), F);
    CU_ASSERT_EQUAL(ev(V12, B("Null|k|maybe"), NOCTX), CERR);
    CU_ASSERT_EQUAL(ev(V12, B("NullIfExists|k|true"), NOCTX), CERR);
    CU_ASSERT_EQUAL(ev(V12, B("ForAnyValue:Null|k|true"), NOCTX), CERR);
    /* AND across keys/operators */
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:StringEquals|k|a", "Null|k|false"), NOCTX), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|a|1", "StringEquals|b|2"), B("a=1", "b=2")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|a|1", "StringEquals|b|2"), B("a=1", "b=3")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|a|1", "StringEquals|b|2"), B("a=[1]", "b=3")), F);  /* I AND F */
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|a|1", "StringEquals|b|2"), B("a=[1]", "b=2")), I);  /* I AND T */
}

static void t_keys(void)
{
    /* key names compare case-insensitively, including the tag part */
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|aws:PrincipalTag/Team|blue"), B("AWS:principaltag/team=blue")), T);
    /* two request keys equal ignoring case: every test of that key is indeterminate */
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|k|a"), B("k=a", "K=b")), I);
    CU_ASSERT_EQUAL(ev(V12, B("Null|k|true"), B("k=a", "K=b")), I);
    CU_ASSERT_EQUAL(ev(V12, B("ForAllValues:StringEquals|k|a"), B("k=a", "K=a")), I);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|other|x"), B("k=a", "K=b", "other=x")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|other|x", "StringEquals|k|a"), B("k=a", "K=b", "other=y")), F);
    {   /* keys longer than the stack copy take the folding comparison */
        char blk[200], req[200], req2[200];
        const char *lk = "aws:PrincipalTag/AVeryLongTagNameThatGoesOnAndOnAndOnBeyondOneHundredAndTwentyEightBytes"
                         "SoThatTheLongPathIsTakenXXXXXXXXXXXXXXXXXXXXX";
        snprintf(blk, sizeof blk, "StringEquals|%s|v", lk);
        snprintf(req, sizeof req, "%s=v", lk);
        for (size_t i = 0; req[i]; i++)
            req2[i] = (char)(req[i] >= 'a' && req[i] <= 'z' ? req[i] - 32 : req[i]), req2[i + 1] = 0;
        CU_ASSERT(strlen(lk) > 128);
        CU_ASSERT_EQUAL(ev(V12, B(blk), B(req)), T);
        req2[strlen(lk) + 1] = 'v';
        CU_ASSERT_EQUAL(ev(V12, B(blk), B(req2)), T);
        CU_ASSERT_EQUAL(ev(V12, B(blk), B(req, req2)), I);
    }
}

/* More interned keys matched than the context map holds: the scan fallback. */
static void t_many_keys(void)
{
    static char specs[60][32], blk[60][40];
    const char *ctx[62], *block[62];
    int i;

    for (i = 0; i < 60; i++) {
        snprintf(specs[i], sizeof specs[i], "key%d=v%d", i, i);
        snprintf(blk[i], sizeof blk[i], "StringEquals|KEY%d|v%d", i, i);
        ctx[i] = specs[i];
        block[i] = blk[i];
    }
    ctx[60] = NULL;
    block[60] = NULL;
    CU_ASSERT_EQUAL(ev(V12, block, ctx), T);
    ctx[59] = "Key0=dup";
    ctx[60] = NULL;
    block[59] = NULL;
    CU_ASSERT_EQUAL(ev(V12, block, ctx), I);
    /* 40 request keys (hashed, not the small-request scan), 3 of them tested */
    for (i = 0; i < 40; i++)
        ctx[i] = specs[i];
    ctx[40] = NULL;
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|KEY3|v3", "StringEquals|key39|v39", "Null|key40|true"), ctx), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|KEY3|v3", "StringEquals|key39|v38"), ctx), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringNotEquals|key40|x"), ctx), T);
    ctx[39] = "KEY3=v3";
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|KEY3|v3"), ctx), I);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|KEY2|v2"), ctx), T);
    /* a key repeated in several tests; keys equal in their first 8 bytes */
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|a|1", "StringLike|A|1*", "Null|a|false", "StringEquals|b|2"),
                       B("a=1", "b=2")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|abcdefghij|1", "StringEquals|abcdefghik|2"),
                       B("ABCDEFGHIJ=1", "abcdefghik=2")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|abcdefghij|1"), B("abcdefghik=1")), F);
}

/* Requests of at most PDT_CTX_RQ_MAX keys (ctx.c finds each through the
 * table's index of its keys by length and last 8 bytes): keys that share
 * those but differ before them, case variants at every length around the
 * word size, duplicates (two and three copies: one entry marked duplicate),
 * three distinct keys of one signature and length, and the size boundary. */
static void t_small_keys(void)
{
    static const char *const lens[] = {"k", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmnop",
                                       "abcdefghijklmnopq", "aws:PrincipalTag/team"};
    static char specs[40][32], blk[40][48], up[48], rq[64];
    const char *ctx[42];
    size_t i, j;

    for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        snprintf(blk[0], sizeof blk[0], "StringEquals|%s|v", lens[i]);
        for (j = 0; lens[i][j]; j++)
            up[j] = (char)(j % 2 && lens[i][j] >= 'a' && lens[i][j] <= 'z' ? lens[i][j] - 32 : lens[i][j]);
        up[j] = '\0';
        snprintf(rq, sizeof rq, "%s=v", up);
        CU_ASSERT_EQUAL(ev(V12, B(blk[0]), B("other=x", rq)), T);
        CU_ASSERT_EQUAL(ev(V12, B(blk[0]), B(rq, "zz=1", rq)), I);               /* two copies */
        CU_ASSERT_EQUAL(ev(V12, B(blk[0]), B(rq, rq, "zz=1", rq)), I);           /* three copies */
        CU_ASSERT_EQUAL(ev(V12, B(blk[0], "StringEquals|zz|1"), B(rq, rq, rq, "zz=1")), I);
        CU_ASSERT_EQUAL(ev(V12, B("StringEquals|zz|1"), B(rq, rq, rq, "zz=1")), T);
        up[0] = up[0] == 'q' ? 'r' : 'q';  /* same length and last bytes, another key */
        snprintf(rq, sizeof rq, "%s=v", up);
        CU_ASSERT_EQUAL(ev(V12, B(blk[0]), B(rq)), F);
        CU_ASSERT_EQUAL(ev(V12, B(blk[0]), B(rq, rq, rq)), F);
    }
    /* same length and last 8 bytes, differing in the first or middle word */
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|x:aaaaaaaa-tail1234|1", "StringEquals|y:aaaaaaaa-tail1234|2",
                              "StringEquals|y:aaaabaaa-tail1234|3"),
                       B("Y:AAAABAAA-TAIL1234=3", "X:aaaaaaaa-tail1234=1", "y:aaaaaaaa-TAIL1234=2")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|x:aaaaaaaa-tail1234|1"), B("x:aaaaaaab-tail1234=1")), F);
    /* before the last word, only letters may differ in bit 0x20: ':' and
     * 0x1a, '-' and 0x0d, '@' and '`', '[' and '{', '1' and 0x11 do not */
    CU_ASSERT_EQUAL(ev(V12, B("Null|x:aaaaaaaa-tail1234|true"), B("x\x1a" "aaaaaaaa-tail1234=1")), T);
    CU_ASSERT_EQUAL(ev(V12, B("Null|x:aaaaaaaa-tail1234|true"), B("x:aaaaaaaa\x0dtail1234=1")), T);
    CU_ASSERT_EQUAL(ev(V12, B("Null|a@[1bcdefghijk|true"), B("a`[1bcdefghijk=1")), T);
    CU_ASSERT_EQUAL(ev(V12, B("Null|a@[1bcdefghijk|true"), B("a@{1bcdefghijk=1")), T);
    CU_ASSERT_EQUAL(ev(V12, B("Null|a@[1bcdefghijk|true"), B("a@[\x11" "bcdefghijk=1")), T);
    CU_ASSERT_EQUAL(ev(V12, B("Null|a@[1bcdefghijk|true"), B("A@[1BCDEFGHIJK=1")), F);
    CU_ASSERT_EQUAL(ev(V12, B("Null|a@[1bcdefghijk|false"), B("a@[1bCdEfghijk=1")), T);
    CU_ASSERT_EQUAL(ev(V12, B("Null|x:aaaaaaaa-tail1234|true"),
                       B("y:aaaaaaaa-tail1234=1", "z:aaaaaaaa-tail1234=1", "w:aaaaaaaa-tail1234=1")), T);
    /* 32 keys (small) and 33 (windowed map), the last one tested and duplicated */
    for (i = 0; i < 33; i++) {
        snprintf(specs[i], sizeof specs[i], "Key%zu=v%zu", i, i);
        ctx[i] = specs[i];
    }
    ctx[32] = NULL;
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|key31|v31", "StringEquals|KEY0|v0", "Null|key32|true"), ctx), T);
    ctx[32] = specs[32];
    ctx[33] = NULL;
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|key31|v31", "StringEquals|KEY0|v0", "Null|key32|false"), ctx), T);
    snprintf(specs[33], sizeof specs[33], "KEY31=v31");
    ctx[31] = specs[33];
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|key31|v31"), ctx), T);
    ctx[0] = specs[33];
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|key31|v31"), ctx), I);
    ctx[32] = NULL;
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|key31|v31"), ctx), I);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|key1|v1"), ctx), T);
}

/* A table whose keys all share one length and last 8 bytes, more of them
 * than the signature index lets sit past their home slot: it gets no index
 * (pdt_ctx_kidx_build), and every request goes through the windowed map,
 * with the same answers. */
static void t_colliding_keys(void)
{
    static char spec[40][48], rq[40][48];
    const char *blk[42], *ctx[42];
    struct tbl t;
    struct req q;
    struct pdt_ctx c;
    size_t i;

    for (i = 0; i < 40; i++) {
        snprintf(spec[i], sizeof spec[i], "StringEquals|k%02zu:same-tail|v%zu", i, i);
        snprintf(rq[i], sizeof rq[i], "K%02zu:SAME-tail=v%zu", 39 - i, 39 - i);
        blk[i] = spec[i];
        ctx[i] = i < 30 ? rq[i] : NULL;
    }
    blk[40] = NULL;
    ctx[30] = NULL;
    {
        const char *const *blocks[2] = {blk, NULL};
        CU_ASSERT_EQUAL_FATAL(build(V12, blocks, NULL, &t), 0);
    }
    CU_ASSERT_PTR_NULL(t.s.kidx);
    mkreq(&q, ctx);
    pdt_ctx_init_secs(&c, &t.s, &q.r);
    CU_ASSERT_EQUAL(pdt_cond_eval(&c, t.prog[0]), F);  /* k00..k09 are absent */
    CU_ASSERT_EQUAL(c.small, 0);
    CU_ASSERT_EQUAL(pdt_cond_eval_test(&c, t.prog[0], 39), T);  /* the test of k39 */
    tbl_free(&t);
    for (i = 0; i < 40; i++)
        ctx[i] = rq[i];
    ctx[40] = NULL;
    CU_ASSERT_EQUAL(ev(V12, blk, ctx), T);
    snprintf(rq[5], sizeof rq[5], "k34:same-tail=other");
    CU_ASSERT_EQUAL(ev(V12, blk, ctx), F);
    snprintf(rq[5], sizeof rq[5], "K34:SAME-tail=v34");
    CU_ASSERT_EQUAL(ev(V12, blk, ctx), T);
    ctx[40] = "k34:same-taiL=v34";  /* k34 twice: indeterminate */
    ctx[41] = NULL;
    CU_ASSERT_EQUAL(ev(V12, blk, ctx), I);
}

static void t_variables(void)
{
    const char *own = "StringEquals|s3:ExistingObjectTag/owner|${aws:PrincipalTag/owner}";
    CU_ASSERT_EQUAL(ev(V12, B(own), B("s3:ExistingObjectTag/owner=alice", "aws:PrincipalTag/owner=alice")), T);
    CU_ASSERT_EQUAL(ev(V12, B(own), B("s3:ExistingObjectTag/owner=alice", "aws:PrincipalTag/owner=bob")), F);
    CU_ASSERT_EQUAL(ev(V12, B(own), B("s3:ExistingObjectTag/owner=alice")), F);       /* unresolved: never matches */
    CU_ASSERT_EQUAL(ev(V08, B(own), B("s3:ExistingObjectTag/owner=${aws:PrincipalTag/owner}")), T);  /* literal text */
    CU_ASSERT_EQUAL(ev(VNONE, B(own), B("s3:ExistingObjectTag/owner=alice", "aws:PrincipalTag/owner=alice")), F);
    /* negated operator with an unresolved variable: not-equal */
    CU_ASSERT_EQUAL(ev(V12, B("StringNotEquals|s3:ExistingObjectTag/Team|${aws:PrincipalTag/Team}"),
                       B("s3:ExistingObjectTag/Team=blue")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringNotEquals|t|${aws:PrincipalTag/Team}"), B("t=blue", "aws:principaltag/team=blue")), F);
    /* defaults, empty values, multivalued keys */
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|t|${x, 'dflt'}"), B("t=dflt")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|t|${x, 'dflt'}"), B("t=dflt", "x=other")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|t|${x, 'dflt'}"), B("t=dflt", "x=")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|t|${x, 'dflt'}"), B("t=dflt", "x=[other]")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|t|${x}"), B("t=", "x=")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|t|${x}"), B("t=a", "x=a", "X=a")), I);      /* duplicate-case variable key */
    /* substituted text is literal */
    CU_ASSERT_EQUAL(ev(V12, B("StringLike|p|home/${aws:username}/*"), B("p=home/alice/docs/", "aws:username=alice")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringLike|p|home/${aws:username}/*"), B("p=home/bob/docs/", "aws:username=*")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringLike|p|home/${aws:username}/*"), B("p=home/*/docs/", "aws:username=*")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|p|a*${x}"), B("p=a*b", "x=b")), T);           /* '*' literal in StringEquals */
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|p|a*${x}"), B("p=azb", "x=b")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringEqualsIgnoreCase|p|${x}"), B("p=ALICE", "x=alice")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringLike|p|${*}"), B("p=*")), T);
    CU_ASSERT_EQUAL(ev(V12, B("StringLike|p|${*}"), B("p=x")), F);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|p|${?}${$}"), B("p=?$")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ArnLike|aws:SourceArn|arn:aws:sns:*:*:${aws:PrincipalTag/project}-*"),
                       B("aws:PrincipalTag/project=apollo", "aws:SourceArn=arn:aws:sns:us-east-1:123456789012:apollo-alerts")), T);
    CU_ASSERT_EQUAL(ev(V12, B("ArnLike|aws:SourceArn|arn:aws:sns:*:*:${aws:PrincipalTag/project}-*"),
                       B("aws:SourceArn=arn:aws:sns:us-east-1:123456789012:apollo-alerts")), F);
    /* syntax errors */
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|p|${aws:username"), NOCTX), CERR);
    CU_ASSERT_EQUAL(ev(V12, B("StringEquals|p|${}"), NOCTX), CERR);
    CU_ASSERT_EQUAL(ev(V08, B("StringEquals|p|${}"), B("p=${}")), T);
}

static void t_resources(void)
{
    char out[256];
    const char *home = "arn:aws:s3:::b/home/${aws:username}/*";

    CU_ASSERT_EQUAL(rs(V12, home, B("aws:UserName=alice"), out, sizeof out), 27);
    CU_ASSERT_STRING_EQUAL(out, "arn:aws:s3:::b/home/alice/*");
    CU_ASSERT_EQUAL(rs(V12, home, B("aws:username=a*b?c\\d"), out, sizeof out), 32);
    CU_ASSERT_STRING_EQUAL(out, "arn:aws:s3:::b/home/a\\*b\\?c\\\\d/*");
    CU_ASSERT_EQUAL(rs(V12, home, NOCTX, out, sizeof out), -1);                     /* no value */
    CU_ASSERT_EQUAL(rs(V12, home, B("aws:username="), out, sizeof out), -1);        /* "" = no value */
    CU_ASSERT_EQUAL(rs(V12, home, B("aws:username=[alice]"), out, sizeof out), -1); /* multivalued */
    CU_ASSERT_EQUAL(rs(V12, home, B("aws:username=a", "AWS:USERNAME=a"), out, sizeof out), -2);
    CU_ASSERT_EQUAL(rs(V12, home, B("aws:username=alice"), out, 20), -2);          /* does not fit */
    CU_ASSERT_EQUAL(rs(V12, "arn:aws:s3:::b-${aws:PrincipalTag/team, 'company-wide'}", NOCTX, out, sizeof out), 27);
    CU_ASSERT_STRING_EQUAL(out, "arn:aws:s3:::b-company-wide");
    CU_ASSERT_EQUAL(rs(V12, "arn:aws:secretsmanager:${aws:RequestedRegion}:${aws:PrincipalAccount}:secret:x-*",
                       B("aws:RequestedRegion=us-east-1", "aws:PrincipalAccount=123456789012"), out, sizeof out), 56);
    CU_ASSERT_STRING_EQUAL(out, "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-*");
    /* static patterns: no variables, or Version without variables */
    CU_ASSERT_EQUAL(rs(V12, "arn:aws:s3:::b/${*}", NOCTX, out, sizeof out), -3);
    CU_ASSERT_STRING_EQUAL(out, "arn:aws:s3:::b/\\*");
    CU_ASSERT_EQUAL(rs(V12, "arn:aws:s3:::b/${?}${$}x\\y*", NOCTX, out, sizeof out), -3);
    CU_ASSERT_STRING_EQUAL(out, "arn:aws:s3:::b/\\?$x\\\\y*");
    CU_ASSERT_EQUAL(rs(V08, home, B("aws:username=alice"), out, sizeof out), -3);
    CU_ASSERT_STRING_EQUAL(out, home);
    CU_ASSERT_EQUAL(rs(VNONE, "arn:aws:s3:::b/${*}", NOCTX, out, sizeof out), -3);
    CU_ASSERT_STRING_EQUAL(out, "arn:aws:s3:::b/${*}");
    /* variables in the arn/partition/service segments, syntax errors */
    CU_ASSERT_EQUAL(rs(V12, "arn:aws:${x}:::b", NOCTX, out, sizeof out), CERR);
    CU_ASSERT_EQUAL(rs(V12, "arn:${x}:s3:::b", NOCTX, out, sizeof out), CERR);
    CU_ASSERT_EQUAL(rs(V12, "arn:aws:s3:::${x", NOCTX, out, sizeof out), CERR);
}

/* Identical blocks share one program; different blocks do not. */
static void t_sharing(void)
{
    const char *const *blocks[4] = {B("StringEquals|k|a", "Bool|b|true"), B("StringEquals|K|a", "Bool|b|TRUE"),
                                    B("StringEquals|k|b"), NULL};
    struct tbl t;

    CU_ASSERT_EQUAL_FATAL(build(V12, blocks, NULL, &t), 0);
    CU_ASSERT_EQUAL(t.prog[0], t.prog[1]);
    CU_ASSERT_NOT_EQUAL(t.prog[0], t.prog[2]);
    CU_ASSERT_EQUAL(pdt_cf_rd32(t.s.progs), 2);       /* two programs stored */
    CU_ASSERT_EQUAL(pdt_cf_rd32(t.s.keys), 2);        /* keys k and b, interned once */
    tbl_free(&t);
}

/* Flipping any byte of any section: validation refuses it, or evaluation
 * stays in bounds (ASan/UBSan watch) and yields a three-valued result. */
static void t_corrupt(void)
{
    const char *const *blocks[3] = {B("StringLike|p|home/${aws:username, 'x'}/*", "NumericLessThan|n|10.5",
                                      "IpAddress|ip|2001:db8::/32", "DateLessThan|d|2020-01-01T00:00:00.5Z"),
                                    B("ForAnyValue:BinaryEqualsIfExists|b|QQ==", "Null|z|true", "ArnLike|a|arn:*:*:*:*:*"),
                                    NULL};
    const char *const ctx[] = {"aws:username=bob", "p=home/bob/x", "n=3", "ip=2001:db8::1", "d=2019-01-01", "b=[QQ==]", NULL};
    struct tbl t;
    struct req q;
    size_t sec, i;
    unsigned ok = 0, refused = 0;

    CU_ASSERT_EQUAL_FATAL(build(V12, blocks, "arn:aws:s3:::b/${aws:username}", &t), 0);
    mkreq(&q, ctx);
    for (sec = 0; sec < 3; sec++) {
        uint8_t *m = t.mem[sec];
        size_t len = sec == 0 ? t.s.keys_len : sec == 1 ? t.s.progs_len : t.s.tmpls_len;
        for (i = 0; i < len; i++) {
            static const uint8_t flips[] = {0x01, 0x80, 0xff, 0x10};
            size_t f;
            for (f = 0; f < sizeof flips; f++) {
                struct pdt_ctx c;
                char out[512];
                m[i] ^= flips[f];
                if (pdt_cond_validate_secs(&t.s) == 0) {
                    enum pdt_tri r0, r1;
                    pdt_ctx_init_secs(&c, &t.s, &q.r);
                    r0 = pdt_cond_eval(&c, 0);
                    r1 = pdt_cond_eval(&c, 1);
                    CU_ASSERT(r0 <= PDT_TRI_INDET && r1 <= PDT_TRI_INDET);
                    CU_ASSERT(pdt_tmpl_expand(&c, 0, out, sizeof out) < (long)sizeof out);
                    ok++;
                } else {
                    refused++;
                }
                m[i] ^= flips[f];
            }
        }
    }
    CU_ASSERT(refused > ok);   /* nearly every flip is caught */
    CU_ASSERT_EQUAL(pdt_cond_validate_secs(&t.s), 0);
    /* truncations */
    for (sec = 0; sec < 3; sec++) {
        struct pdt_cond_secs s = t.s;
        size_t *len = sec == 0 ? &s.keys_len : sec == 1 ? &s.progs_len : &s.tmpls_len;
        const uint8_t *h = t.mem[sec];
        size_t used = sec == 0 ? 16 + pdt_cf_rd32(h) * 16 + pdt_cf_rd32(h + 4) * 4 + pdt_cf_rd32(h + 8)
                      : sec == 1 ? 16 + pdt_cf_rd32(h) * 8 + pdt_cf_rd32(h + 4) * 16 + pdt_cf_rd32(h + 8) * 12 +
                                       pdt_cf_rd32(h + 12)
                                 : 16 + pdt_cf_rd32(h) * 8 + pdt_cf_rd32(h + 4) * 16 + pdt_cf_rd32(h + 8);
        CU_ASSERT(used <= *len && *len - used < 8);   /* only alignment padding after the data */
        for (i = 1; i < used; i++) {
            *len = i;
            CU_ASSERT_EQUAL(pdt_cond_validate_secs(&s), PDT_E_CORRUPT);
        }
    }
    tbl_free(&t);
}

/* Policy text -> frontend -> lower -> pdt_open_mem -> pdt_decide. */
static int decide(const char *policy, const char *action, const char *resource, const char *const *ctx)
{
    struct arena a;
    struct diag d;
    struct ir_policy *pol = NULL;
    struct lower_opts o;
    struct buf out;
    struct pdt_table *t = NULL;
    struct req q;
    uint8_t *mem = NULL;
    int rc = -1;

    arena_init(&a);
    diag_init(&d, NULL);
    buf_init(&out);
    memset(&o, 0, sizeof o);
    if (frontend_parse(&a, &d, "p.json", policy, strlen(policy), NULL, &pol) != FRONTEND_OK ||
        lower_compile(&a, &d, (struct ir_policy *const *)&pol, 1, &o, &out) != 0)
        goto done;
    mem = aligned_copy(&out);
    if (pdt_open_mem(mem, out.len, &t) != 0)
        goto done;
    mkreq(&q, ctx);
    q.r.action = action;
    q.r.resource = resource;
    rc = (int)pdt_decide(t, &q.r, NULL);
    pdt_close(t);
done:
    free(mem);
    buf_free(&out);
    diag_fini(&d);
    arena_free(&a);
    return rc;
}

#define POL(stmts) "{\"Version\":\"2012-10-17\",\"Statement\":[" stmts "]}"

/* The engine inside real tables: sharing across statements, duplicate-case
 * keys making a Deny apply, resource templates through the core. */
static void t_tables(void)
{
    const char *deny_dup = POL("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                               "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                               "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"red\"}}}");
    const char *allow_c = POL("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
                              "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}},"
                              "{\"Effect\":\"Allow\",\"Action\":\"ec2:*\",\"Resource\":\"*\","
                              "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":true}}}");
    const char *home = POL("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                           "\"Resource\":\"arn:aws:s3:::b/home/${aws:username}/*\"}");

    CU_ASSERT_EQUAL(decide(deny_dup, "s3:GetObject", "*", B("aws:PrincipalTag/team=blue")), PDT_ALLOW);
    CU_ASSERT_EQUAL(decide(deny_dup, "s3:GetObject", "*", B("aws:PrincipalTag/team=red")), PDT_EXPLICIT_DENY);
    CU_ASSERT_EQUAL(decide(deny_dup, "s3:GetObject", "*", B("aws:PrincipalTag/team=blue", "AWS:PRINCIPALTAG/TEAM=blue")),
                    PDT_EXPLICIT_DENY);   /* duplicate-case keys: indeterminate, the Deny applies */
    CU_ASSERT_EQUAL(decide(allow_c, "s3:GetObject", "*", B("aws:securetransport=TRUE")), PDT_ALLOW);
    CU_ASSERT_EQUAL(decide(allow_c, "ec2:RunInstances", "*", B("aws:SecureTransport=true")), PDT_ALLOW);
    CU_ASSERT_EQUAL(decide(allow_c, "ec2:RunInstances", "*", B("aws:SecureTransport=false")), PDT_IMPLICIT_DENY);
    CU_ASSERT_EQUAL(decide(allow_c, "ec2:RunInstances", "*", B("aws:SecureTransport=[true]")), PDT_IMPLICIT_DENY);
    CU_ASSERT_EQUAL(decide(home, "s3:GetObject", "arn:aws:s3:::b/home/alice/x", B("aws:username=alice")), PDT_ALLOW);
    CU_ASSERT_EQUAL(decide(home, "s3:GetObject", "arn:aws:s3:::b/home/bob/x", B("aws:username=alice")), PDT_IMPLICIT_DENY);
    CU_ASSERT_EQUAL(decide(home, "s3:GetObject", "arn:aws:s3:::b/home/*/x", B("aws:username=*")), PDT_ALLOW);
    CU_ASSERT_EQUAL(decide(home, "s3:GetObject", "arn:aws:s3:::b/home/bob/x", B("aws:username=*")), PDT_IMPLICIT_DENY);
    CU_ASSERT_EQUAL(decide(home, "s3:GetObject", "arn:aws:s3:::b/home/alice/x", NOCTX), PDT_IMPLICIT_DENY);
}

int main(void)
{
    CU_pSuite s;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("cond", NULL, NULL);
    CU_add_test(s, "StringEquals at every length to 24", t_string_lengths);
    CU_add_test(s, "String*", t_string);
    CU_add_test(s, "Numeric*", t_numeric);
    CU_add_test(s, "Date*", t_date);
    CU_add_test(s, "Bool, BinaryEquals, IpAddress", t_bool_bin_ip);
    CU_add_test(s, "Arn*", t_arn);
    CU_add_test(s, "missing keys, IfExists, set operators, Null (4.2)", t_table42);
    CU_add_test(s, "key case and duplicate-case request keys", t_keys);
    CU_add_test(s, "many context keys", t_many_keys);
    CU_add_test(s, "small requests", t_small_keys);
    CU_add_test(s, "keys that all collide in the signature index", t_colliding_keys);
    CU_add_test(s, "policy variables in conditions", t_variables);
    CU_add_test(s, "resource templates", t_resources);
    CU_add_test(s, "sharing", t_sharing);
    CU_add_test(s, "corrupt sections", t_corrupt);
    CU_add_test(s, "inside real tables", t_tables);
    return tu_run();
}
