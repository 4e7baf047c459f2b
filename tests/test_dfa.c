/* test_dfa.c - resource automata (src/dfa_build.c, src/dfa_tables.c,
 * runtime/dfa.c): byte classes and budgets on fixed patterns, a randomized
 * cross-check (fixed seed) of automata built from random pattern sets
 * against the linear glob matcher, and tables whose resource patterns go
 * through automata (default budget) or all fall back (budget 1), decided by
 * pdt_decide and compared with the linear oracle; sink states come last and
 * the runner stops at them. */
#include <stdio.h>
#include <string.h>

#include "dfa_build.h"
#include "format.h"
#include "frontend.h"
#include "glob.h"
#include "introspect.h"
#include "lower.h"
#include "pdt.h"
#include "table.h"
#include "testutil.h"

static unsigned long long seed = 7;
static unsigned rnd(unsigned n)
{
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((seed >> 33) % n);
}

static void test_fixed(void)
{
    struct arena a;
    struct dfa_out d;
    const char *p[2] = {"arn:aws:s3:::b/*", "arn:aws:s3:::*/x"};
    size_t l[2] = {16, 16};
    uint32_t st;
    arena_init(&a);
    CU_ASSERT_EQUAL_FATAL(dfa_build(&a, p, l, 2, 13, 1000, &d), 0);
    CU_ASSERT(d.nclasses <= 6);  /* b / x : other (+ nothing else) */
    st = dfa_build_run(&d, "b/x", 3);
    CU_ASSERT_EQUAL(d.acc_len[st], 2);
    st = dfa_build_run(&d, "c/x", 3);
    CU_ASSERT_EQUAL(d.acc_len[st], 1);
    CU_ASSERT_EQUAL(d.acc_pool[d.acc_off[st]], 1);
    CU_ASSERT_EQUAL(dfa_build_run(&d, "c/y", 3) == 0 || d.acc_len[dfa_build_run(&d, "c/y", 3)] == 0, 1);
    /* '?' is one UTF-8 character: caf? accepts café (2 bytes) and caf€ (3), not caf + 2 characters */
    {
        const char *q[1] = {"arn:aws:s3:::b/caf?"};
        size_t ql[1] = {19};
        CU_ASSERT_EQUAL_FATAL(dfa_build(&a, q, ql, 1, 0, 1000, &d), 0);
        st = dfa_build_run(&d, "arn:aws:s3:::b/caf\xc3\xa9", 20);
        CU_ASSERT(st && d.acc_len[st] == 1);
        st = dfa_build_run(&d, "arn:aws:s3:::b/caf\xe2\x82\xac", 21);
        CU_ASSERT(st && d.acc_len[st] == 1);
        st = dfa_build_run(&d, "arn:aws:s3:::b/caf\xc3\xa9x", 21);
        CU_ASSERT(!st || d.acc_len[st] == 0);
        st = dfa_build_run(&d, "arn:aws:s3:::b/caf\xa9", 19);  /* a stray continuation byte is no character */
        CU_ASSERT(!st || d.acc_len[st] == 0);
    }
    /* budget refusal */
    CU_ASSERT_EQUAL(dfa_build(&a, p, l, 2, 13, 3, &d), 1);
    CU_ASSERT_EQUAL(dfa_build(&a, p, l, 2, 13, 1, &d), 1);
    arena_free(&a);
}

/* Appends one random token to b at *n: a byte of the ASCII alphabet, or
 * (one time in rare) a multi-byte character (é, €, an emoji), or, when
 * stray, a byte that is not a character start (lone continuation,
 * truncated lead, C0). */
static void put_tok(char *b, size_t *n, const char *ascii, size_t na, unsigned rare, int stray)
{
    static const char *const mb[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xa9", "\xc3", "\xc0"};
    if (rnd(rare) == 0) {
        const char *m = mb[rnd(stray ? 6 : 3)];
        memcpy(b + *n, m, strlen(m));
        *n += strlen(m);
    } else {
        b[(*n)++] = ascii[rnd((unsigned)na)];
    }
}

static void test_random_sets(void)
{
    static const char pa[] = "ab:/*?*", sa[] = "ab:/";
    struct arena a;
    int iter, checks = 0, bad = 0, built = 0, mbhits = 0;
    arena_init(&a);
    for (iter = 0; iter < 3000; iter++) {
        char pb[6][40], s[48];
        const char *pats[6];
        size_t lens[6], n = 1 + rnd(5), i, k;
        struct dfa_out d;
        int rc, stray = iter % 10 == 0;
        for (i = 0; i < n; i++) {
            size_t pl = 1 + rnd(8), m = 0;
            for (k = 0; k < pl; k++)
                put_tok(pb[i], &m, pa, sizeof pa - 1, 6, stray);
            pb[i][m] = '\0';
            pats[i] = pb[i];
            lens[i] = m;
        }
        rc = dfa_build(&a, pats, lens, n, 0, 4000, &d);
        CU_ASSERT(rc == 0 || rc == 1);
        if (rc != 0)
            continue;
        built++;
        for (k = 0; k < 40; k++) {
            size_t sl = 0, nt = rnd(10), j;
            uint32_t st;
            for (j = 0; j < nt; j++)
                put_tok(s, &sl, sa, sizeof sa - 1, 4, stray);
            s[sl] = '\0';
            st = dfa_build_run(&d, s, sl);
            for (i = 0; i < n; i++) {
                int want = pdt_glob_arn(pats[i], lens[i], s, sl), got = 0;
                for (j = 0; st && j < d.acc_len[st]; j++)
                    got |= d.acc_pool[d.acc_off[st] + j] == i;
                checks++;
                mbhits += want && sl > nt;  /* a match on a string with a multi-byte token */
                if (want != got) {
                    if (bad++ < 5)
                        fprintf(stderr, "dfa mismatch: pattern %s string %s want %d\n", pats[i], s, want);
                }
            }
        }
        if (iter % 200 == 0) {
            arena_free(&a);
            arena_init(&a);
        }
    }
    arena_free(&a);
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT(built > 2500);
    CU_ASSERT(checks > 100000);
    CU_ASSERT(mbhits > 1000);
}

/* The compiler puts each automaton's sinks (states other than 0 and 1 that
 * go to themselves on every byte) last, and the loader's stop row
 * (t->dfastop, where pdt_dfa_run stops reading) is exactly where they
 * start.  Returns how many automata have such a tail; *ok is cleared when
 * a sink lies before the stop row or a state at or after it is no sink. */
static uint32_t sink_tails(const struct pdt_table *t, int *ok)
{
    uint32_t j, tails = 0;

    for (j = 0; j < t->ndfas; j++) {
        const struct pdt_fmt_dfa *f = &t->dfas[j];
        const uint16_t *tr = (const uint16_t *)(const void *)(t->dfadata + f->trans);
        uint32_t stop = t->dfastop[j] / f->nclasses, st, c;
        *ok &= t->dfastop[j] % f->nclasses == 0 && stop >= 2 && stop <= f->nstates;
        tails += stop < f->nstates;
        for (st = 2; st < f->nstates; st++) {
            int sink = 1;
            for (c = 0; c < f->nclasses; c++)
                sink &= tr[st * f->nclasses + c] == st * f->nclasses;
            *ok &= sink == (st >= stop);
        }
    }
    return tails;
}

/* A policy with many random ARN patterns, compiled with the default budget
 * and with budget 1 (every pattern falls back): pdt_decide must agree with
 * the oracle and between both tables.  The automata stop at their sinks. */
static void test_tables(void)
{
    static const char seg[] = "ab/-*?";
    char policy[65536], pats[60][64];
    size_t n = 0, i, k;
    struct arena a;
    struct diag d;
    struct ir_policy *p;
    struct buf img1, img2;
    struct pdt_table *t1 = NULL, *t2 = NULL;
    struct lower_opts o1 = {0, 0}, o2 = {0, 1};
    struct pdt_info info;
    int allow = 0, iter;

    seed = 7;  /* independent of the tests before */
    n += (size_t)snprintf(policy + n, sizeof policy - n, "{\"Version\":\"2012-10-17\",\"Statement\":[");
    for (i = 0; i < 60; i++) {
        char tail[24];
        size_t tl = 1 + rnd(10);
        static const char *const heads[] = {"arn:aws:s3:::", "arn:aws:ec2:*:*:", "arn:aws:iam::*:",
                                            "arn:*:s3:::", "arn:aws:logs:us-east-1:1:"};
        for (k = 0; k < tl; k++)
            tail[k] = seg[rnd(sizeof seg - 1)];
        tail[tl] = '\0';
        snprintf(pats[i], sizeof pats[i], "%s%s", heads[rnd(5)], tail);
        n += (size_t)snprintf(policy + n, sizeof policy - n,
                              "%s{\"Effect\":\"%s\",\"Action\":\"s3:Get*\",\"%s\":[\"%s\",\"%s\"%s]}",
                              i ? "," : "", i % 7 == 3 ? "Deny" : "Allow", i % 11 == 5 ? "NotResource" : "Resource",
                              pats[i], pats[(i * 7) % (i + 1)],
                              i % 3 ? ",\"arn:aws:sqs:us-east-1:1:q1\",\"arn:aws:sqs:us-east-1:1:q2*\",\"arn:aws:sns:*:*:t\"" : "");
    }
    snprintf(policy + n, sizeof policy - n, "]}");
    arena_init(&a);
    diag_init(&d, stderr);
    d.suppress_warnings = 1;
    CU_ASSERT_EQUAL_FATAL(frontend_parse(&a, &d, "rand.json", policy, strlen(policy), NULL, &p), FRONTEND_OK);
    buf_init(&img1);
    buf_init(&img2);
    CU_ASSERT_EQUAL_FATAL(lower_compile(&a, &d, &p, 1, &o1, &img1), 0);
    CU_ASSERT_EQUAL_FATAL(lower_compile(&a, &d, &p, 1, &o2, &img2), 0);
    CU_ASSERT_EQUAL_FATAL(pdt_open_mem(img1.data, img1.len, &t1), 0);
    CU_ASSERT_EQUAL_FATAL(pdt_open_mem(img2.data, img2.len, &t2), 0);
    pdt_introspect_info(t1, &info);
    CU_ASSERT(info.ndfas > 0);
    CU_ASSERT(info.npat_dfa > 0);
    {
        int ok = 1;
        CU_ASSERT(sink_tails(t1, &ok) > 0);
        CU_ASSERT(ok);
    }
    pdt_introspect_info(t2, &info);
    CU_ASSERT_EQUAL(info.ndfas, 0);
    CU_ASSERT_EQUAL(info.npat_dfa, 0);
    {   /* some globbed patterns have a literal run the loader found */
        uint32_t j, hinted = 0;
        for (j = 0; j < t2->nrespats; j++)
            hinted += t2->rphint[j] != 0;
        CU_ASSERT(hinted > 10);
    }
    for (iter = 0; iter < 20000; iter++) {
        char res[96];
        const char *src = pats[rnd(60)];
        struct pdt_request r = {"s3:GetObject", res, NULL, 0};
        struct pdt_why w1, w2, w3;
        enum pdt_decision d1, d2, d3;
        size_t m = 0;
        for (k = 0; src[k] && m < 80; k++) {
            if (src[k] == '*') {
                size_t c = rnd(4);
                while (c--)
                    res[m++] = "ab:/"[rnd(4)];
            } else if (src[k] == '?') {
                put_tok(res, &m, "ab:/", 4, 5, 0);  /* sometimes a multi-byte character */
            } else {
                res[m++] = src[k];
            }
        }
        res[m] = '\0';
        d1 = pdt_decide(t1, &r, &w1);
        d2 = pdt_introspect_decide_linear(t1, &r, &w2);
        d3 = pdt_decide(t2, &r, &w3);
        CU_ASSERT_EQUAL(d1, d2);
        CU_ASSERT_EQUAL(d1, d3);
        {   /* the same table without its load-time glob hints (load.c) */
            const uint32_t *hints = t2->rphint;
            struct pdt_why w4;
            t2->rphint = NULL;
            CU_ASSERT_EQUAL(pdt_decide(t2, &r, &w4), d3);
            CU_ASSERT_EQUAL(w4.statement, w3.statement);
            t2->rphint = hints;
        }
        CU_ASSERT_EQUAL(w1.statement, w2.statement);
        CU_ASSERT_EQUAL(w1.statement, w3.statement);
        allow += d1 == PDT_ALLOW;
    }
    CU_ASSERT(allow > 100);
    pdt_close(t1);
    pdt_close(t2);
    buf_free(&img1);
    buf_free(&img2);
    diag_fini(&d);
    arena_free(&a);
}

/* A policy compiled with the default budget and its table, opened. */
struct opened {
    struct arena a;
    struct diag d;
    struct buf img;
    struct pdt_table *t;
};

/* One request and the decision it must get. */
struct dcase {
    const char *action, *resource;
    enum pdt_decision want;
};

static void open_policy(struct opened *o, const char *name, const char *policy)
{
    struct ir_policy *p;
    struct lower_opts lo = {0, 0};

    arena_init(&o->a);
    diag_init(&o->d, stderr);
    o->d.suppress_warnings = 1;
    buf_init(&o->img);
    o->t = NULL;
    CU_ASSERT_EQUAL_FATAL(frontend_parse(&o->a, &o->d, name, policy, strlen(policy), NULL, &p), FRONTEND_OK);
    CU_ASSERT_EQUAL_FATAL(lower_compile(&o->a, &o->d, &p, 1, &lo, &o->img), 0);
    CU_ASSERT_EQUAL_FATAL(pdt_open_mem(o->img.data, o->img.len, &o->t), 0);
}

/* Decides each case with pdt_decide and with the linear oracle: both give
 * the expected decision and the same deciding statement.  Then closes o. */
static void decide_cases(struct opened *o, const struct dcase *c, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        struct pdt_request r = {c[i].action, c[i].resource, NULL, 0};
        struct pdt_why w1, w2;
        enum pdt_decision d1 = pdt_decide(o->t, &r, &w1), d2 = pdt_introspect_decide_linear(o->t, &r, &w2);
        CU_ASSERT_EQUAL(d1, c[i].want);
        CU_ASSERT_EQUAL(d1, d2);
        CU_ASSERT_EQUAL(w1.statement, w2.statement);
    }
    pdt_close(o->t);
    buf_free(&o->img);
    diag_fini(&o->d);
    arena_free(&o->a);
}

/* Statements with one pattern each: a lone pattern becomes an automaton
 * only when it is shared (two entries) and has a wildcard; the others stay
 * globbed (strcmp for a literal), and every decision agrees with the linear
 * oracle. */
static void test_lone_patterns(void)
{
    static const char policy[] =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
        "{\"Effect\":\"Allow\",\"Action\":\"sns:Publish\",\"Resource\":\"arn:aws:sns:*:*:t*\"},"
        "{\"Effect\":\"Deny\",\"Action\":\"sns:Publish\",\"Resource\":\"arn:aws:sns:*:*:t*\"},"
        "{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:1:q\"},"
        "{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"arn:aws:kms:*:*:key/*\"}]}";
    static const struct dcase cases[] = {
        {"sns:Publish", "arn:aws:sns:us-east-1:1:topic", PDT_EXPLICIT_DENY},
        {"sns:Publish", "arn:aws:sns:us-east-1:1:x:topic", PDT_EXPLICIT_DENY},
        {"sns:Publish", "arn:aws:sns:us-east-1:1:other", PDT_IMPLICIT_DENY},
        {"sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q", PDT_ALLOW},
        {"sqs:SendMessage", "arn:aws:sqs:us-east-1:1:qq", PDT_IMPLICIT_DENY},
        {"kms:Decrypt", "arn:aws:kms:eu-west-1:2:key/k1", PDT_ALLOW},
        {"kms:Decrypt", "arn:aws:kms:eu-west-1:2:alias/k1", PDT_IMPLICIT_DENY},
    };
    struct opened o;
    struct pdt_info info;

    open_policy(&o, "lone.json", policy);
    pdt_introspect_info(o.t, &info);
    CU_ASSERT_EQUAL(info.ndfas, 1);
    CU_ASSERT_EQUAL(info.npat_dfa, 2);
    CU_ASSERT_EQUAL(info.npat_glob, 2);
    decide_cases(&o, cases, sizeof cases / sizeof cases[0]);
}

/* Resources that run on past a sink state (b/ then anything, b/p/ then
 * anything): the answer is the sink's, as the linear oracle says, whatever
 * the tail holds, and the automata do have sink tails. */
static void test_sinks(void)
{
    static const char policy[] =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
        "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":[\"arn:aws:s3:::b/*\",\"arn:aws:s3:::c/x*\"]},"
        "{\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":[\"arn:aws:s3:::b/p/*\",\"arn:aws:s3:::c/x*\"]},"
        "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":[\"arn:aws:s3:::b/*\",\"arn:aws:s3:::b/p/*\"]}]}";
    static const struct dcase cases[] = {
        {"s3:GetObject", "arn:aws:s3:::b/", PDT_ALLOW},
        {"s3:GetObject", "arn:aws:s3:::b/a/very/long/key/with:colons/and\xc3\xa9/and/more/text.txt", PDT_ALLOW},
        {"s3:GetObject", "arn:aws:s3:::b/p", PDT_ALLOW},
        {"s3:GetObject", "arn:aws:s3:::b/p/", PDT_EXPLICIT_DENY},
        {"s3:GetObject", "arn:aws:s3:::b/p/a/very/long/key/b/p/x", PDT_EXPLICIT_DENY},
        {"s3:GetObject", "arn:aws:s3:::b/q/p/x", PDT_ALLOW},
        {"s3:GetObject", "arn:aws:s3:::c/x/any/thing", PDT_EXPLICIT_DENY},
        {"s3:GetObject", "arn:aws:s3:::c/y/any/thing", PDT_IMPLICIT_DENY},
        {"s3:GetObject", "arn:aws:s3:::b", PDT_IMPLICIT_DENY},
        {"s3:PutObject", "arn:aws:s3:::b/p/long/tail/after/the/sink", PDT_ALLOW},
    };
    struct opened o;
    struct pdt_info info;
    int ok = 1;

    open_policy(&o, "sinks.json", policy);
    pdt_introspect_info(o.t, &info);
    CU_ASSERT_EQUAL(info.npat_glob, 0);
    CU_ASSERT(sink_tails(o.t, &ok) > 0);
    CU_ASSERT(ok);
    decide_cases(&o, cases, sizeof cases / sizeof cases[0]);
}

/* Glob patterns with an escaped wildcard (${*} in a 2012-10-17 policy is a
 * literal '*'), so the loader's literal run starts after it: each case
 * decided with the table's glob hints and without them, and as expected. */
static void test_glob_hints(void)
{
    static const char policy[] =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
        "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/${*}cdef*\"},"
        "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*x?yzw*\"}]}";
    static const struct dcase cases[] = {
        {"s3:GetObject", "arn:aws:s3:::b/*cdef", PDT_ALLOW},
        {"s3:GetObject", "arn:aws:s3:::b/*cdefgh", PDT_ALLOW},
        {"s3:GetObject", "arn:aws:s3:::b/xcdef", PDT_IMPLICIT_DENY},
        {"s3:GetObject", "arn:aws:s3:::b/*cde", PDT_IMPLICIT_DENY},
        {"s3:GetObject", "arn:aws:s3:::b/cdef", PDT_IMPLICIT_DENY},
        {"s3:PutObject", "arn:aws:s3:::b/1x2yzw3", PDT_ALLOW},
        {"s3:PutObject", "arn:aws:s3:::b/x\xc3\xa9yzw", PDT_ALLOW},
        {"s3:PutObject", "arn:aws:s3:::b/xyzw", PDT_IMPLICIT_DENY},
        {"s3:PutObject", "arn:aws:s3:::b/x2yz", PDT_IMPLICIT_DENY},
    };
    struct opened o;
    const uint32_t *hints;
    uint32_t j, hinted = 0;
    size_t i;

    open_policy(&o, "hints.json", policy);
    for (j = 0; j < o.t->nrespats; j++)
        hinted += o.t->rphint[j] != 0;
    CU_ASSERT_EQUAL(hinted, 2);
    hints = o.t->rphint;
    o.t->rphint = NULL;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pdt_request r = {cases[i].action, cases[i].resource, NULL, 0};
        CU_ASSERT_EQUAL(pdt_decide(o.t, &r, NULL), cases[i].want);
    }
    o.t->rphint = hints;
    decide_cases(&o, cases, sizeof cases / sizeof cases[0]);
}

int main(void)
{
    CU_pSuite s;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("dfa", NULL, NULL);
    CU_add_test(s, "fixed patterns, classes, budget", test_fixed);
    CU_add_test(s, "random pattern sets vs glob matcher", test_random_sets);
    CU_add_test(s, "tables with and without automata vs oracle", test_tables);
    CU_add_test(s, "lone patterns: shared wildcard ones only", test_lone_patterns);
    CU_add_test(s, "automata stop at their sinks", test_sinks);
    CU_add_test(s, "glob hints: escaped wildcards, '?'", test_glob_hints);
    return tu_run();
}
