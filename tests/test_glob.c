/* test_glob.c - the runtime's glob matchers (runtime/glob.c): the worked
 * examples of iam-semantics.md §3.1/§3.2, escapes, '?' as one UTF-8
 * character, the UTF-8 check of request strings, the work budget
 * (PDT_GLOB_INDET, counted steps), and a randomized cross-check (fixed
 * seed, multi-byte and invalid bytes in the alphabet) of pdt_glob_arn
 * against a direct recursive transcription of the §3.2 rules. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "glob.h"
#include "testutil.h"
#include "value.h"

/* Bytes one '?' takes at s (glob.h's rule, written independently): a whole
 * UTF-8 sequence or a byte that never occurs in UTF-8; 0 otherwise. */
static size_t ref_char(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t len, k;
    if (s[0] >= 0x80 && s[0] <= 0xbf)
        return 0;
    if (s[0] < 0x80 || s[0] == 0xc0 || s[0] == 0xc1 || s[0] >= 0xf5)
        return 1;
    len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
    for (k = 1; k < len; k++)
        if (s[k] < 0x80 || s[k] > 0xbf)
            return 0;
    return len;
}

/* Reference: exponential, straight from the spec (small inputs only). */
static int ref_arn(const char *p, const char *s)
{
    size_t k;
    if (!*p)
        return !*s;
    if (*p == '*') {
        int final = p[1] == '\0' || p[1] == ':';
        for (k = 0;; k++) {
            if (ref_arn(p + 1, s + k))
                return 1;
            if (!s[k] || (!final && s[k] == ':'))
                return 0;
        }
    }
    if (!*s)
        return 0;
    if (*p == '?')
        return *s != ':' && ref_char(s) && ref_arn(p + 1, s + ref_char(s));
    if (*p == '\\' && p[1])
        return *s == p[1] && ref_arn(p + 2, s + 1);
    return *s == *p && ref_arn(p + 1, s + 1);
}

static int arn(const char *p, const char *s)
{
    return pdt_glob_arn(p, strlen(p), s, strlen(s));
}

static int act(const char *p, const char *s)
{
    return pdt_glob_action(p, strlen(p), s, strlen(s));
}

static void test_worked_examples(void)
{
    const char *p = "arn:aws:s3::*:*imagebuilder*";
    CU_ASSERT(arn(p, "arn:aws:s3:::my-imagebuilder-logs"));
    CU_ASSERT(arn(p, "arn:aws:s3:::logs/imagebuilder/run1.log"));
    CU_ASSERT(!arn(p, "arn:aws:s3:us-east-1:123456789012:accesspoint/imagebuilder"));
    p = "arn:aws:iam::*:role/aws-service-role/*";
    CU_ASSERT(arn(p, "arn:aws:iam::123456789012:role/aws-service-role/elasticbeanstalk.amazonaws.com/X"));
    CU_ASSERT(!arn(p, "arn:aws:iam::123456789012:role/aws-service-role"));
    CU_ASSERT(!arn(p, "arn:aws:iam::123456789012:role/AWS-Service-Role/x"));
    CU_ASSERT(arn(p, "arn:aws:iam::123456789012:evil:role/aws-service-role/x"));
    CU_ASSERT(!arn("arn:aws:iam::*9012:role/x", "arn:aws:iam::1:9012:role/x"));
    CU_ASSERT(arn("arn:aws:iam::*9012:role/x", "arn:aws:iam::19012:role/x"));
    p = "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*";
    CU_ASSERT(arn(p, "arn:aws:s3:::DOC-EXAMPLE-BUCKET/1///test///object.jpg"));
    CU_ASSERT(arn(p, "arn:aws:s3:::DOC-EXAMPLE-BUCKET//test/object.jpg"));
    CU_ASSERT(!arn(p, "arn:aws:s3:::DOC-EXAMPLE-BUCKET/test/object.jpg"));
    CU_ASSERT(arn("arn:aws:logs:us-east-1:123456789012:log-group:*",
                  "arn:aws:logs:us-east-1:123456789012:log-group:app:log-stream:s1"));
    CU_ASSERT(!arn("arn:aws:s3:::*", "*"));
    CU_ASSERT(arn("*", "*"));
    CU_ASSERT(arn("*", "arn:aws:s3:::x:y"));
    CU_ASSERT(arn("arn:aws:s3:::b", "arn:aws:s3:::b"));
    CU_ASSERT(!arn("arn:aws:s3:::b", "arn:aws:s3:::B"));
    CU_ASSERT(!arn("arn:aws:s3:::b?", "arn:aws:s3:::b:"));
    CU_ASSERT(arn("arn:aws:s3:::b?", "arn:aws:s3:::bx"));
}

/* '?' is one character, not one byte (iam-semantics.md §0, §3.2): the
 * differential harness found caf? vs café denied. */
static void test_utf8_any1(void)
{
    CU_ASSERT(arn("arn:aws:s3:::b/caf?", "arn:aws:s3:::b/caf\xc3\xa9"));
    CU_ASSERT(pdt_glob_arn_z("arn:aws:s3:::b/caf?", "arn:aws:s3:::b/caf\xc3\xa9", 20));
    CU_ASSERT(!arn("arn:aws:s3:::b/caf??", "arn:aws:s3:::b/caf\xc3\xa9"));
    CU_ASSERT(arn("arn:aws:s3:::b/?", "arn:aws:s3:::b/\xe2\x82\xac"));          /* euro sign */
    CU_ASSERT(arn("arn:aws:s3:::b/?x", "arn:aws:s3:::b/\xf0\x9f\x98\x80x"));   /* 4-byte emoji */
    CU_ASSERT(!arn("arn:aws:s3:::b/??", "arn:aws:s3:::b/\xe2\x82\xac"));
    /* stars absorb bytes, yet a match never splits a character */
    CU_ASSERT(!arn("arn:aws:s3:::b/*??", "arn:aws:s3:::b/\xe2\x82\xac"));
    CU_ASSERT(arn("arn:aws:s3:::b/*?", "arn:aws:s3:::b/\xe2\x82\xac"));
    CU_ASSERT(!arn("arn:aws:s3:::*??", "arn:aws:s3:::\xe2\x82\xac"));
    CU_ASSERT(arn("arn:aws:s3:::*?:x", "arn:aws:s3:::a\xc3\xa9:x"));
    CU_ASSERT(!arn("arn:aws:s3:::*??:x", "arn:aws:s3:::\xc3\xa9:x"));
    /* no character to match: truncated or stray bytes */
    CU_ASSERT(!arn("arn:aws:s3:::?", "arn:aws:s3:::\xc3"));
    CU_ASSERT(!arn("arn:aws:s3:::?", "arn:aws:s3:::\xa9"));
    CU_ASSERT(!arn("arn:aws:s3:::??", "arn:aws:s3:::\xc3\xa9"));
    /* actions: '?' is one character there too */
    CU_ASSERT(act("s3:get?bject", "s3:Get\xc3\x96" "bject"));
    CU_ASSERT(!act("s3:get??bject", "s3:Get\xc3\x96" "bject"));
    CU_ASSERT(pdt_glob_action_lz("s3:get?bject", "s3:get\xc3\x96" "bject", 13));
    CU_ASSERT(!pdt_glob_action_lz("s3:*??bject", "s3:\xc3\x96" "bject", 10));
    CU_ASSERT(pdt_glob_action_lz("s3:*??bject", "s3:x\xc3\x96" "bject", 11));
}

static void test_utf8_valid(void)
{
    static const char *const good[] = {"", "arn:aws:s3:::b/caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                       "\xed\x9f\xbf", "\xf4\x8f\xbf\xbf", "0123456789abcdef\xc2\x80xyz"};
    static const char *const bad[] = {"\xc3", "caf\xc3", "\xa9", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf",
                                      "\xed\xa0\x80", "\xf0\x80\x80\xaf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
                                      "\xff", "0123456789abcdef\xe2\x82", "\xe2\x28\xa1"};
    size_t i;
    for (i = 0; i < sizeof good / sizeof *good; i++)
        CU_ASSERT(pdt_glob_utf8_valid(good[i], strlen(good[i])));
    for (i = 0; i < sizeof bad / sizeof *bad; i++)
        CU_ASSERT(!pdt_glob_utf8_valid(bad[i], strlen(bad[i])));
    /* every length and position around the 8- and 16-byte word paths */
    {
        char buf[48];
        size_t n, pos;
        int ok = 1;
        for (n = 0; n <= 40; n++) {
            memset(buf, 'a', n);
            ok &= pdt_glob_utf8_valid(buf, n);
            for (pos = 0; pos < n; pos++) {
                buf[pos] = (char)0x80;  /* a lone continuation byte */
                ok &= !pdt_glob_utf8_valid(buf, n);
                buf[pos] = (char)0xc3;  /* a lead byte: valid only when followed by a continuation */
                ok &= pdt_glob_utf8_valid(buf, n) == 0;
                if (pos + 1 < n) {
                    buf[pos + 1] = (char)0xa9;
                    ok &= pdt_glob_utf8_valid(buf, n);
                    buf[pos + 1] = 'a';
                }
                buf[pos] = 'a';
            }
        }
        CU_ASSERT(ok);
    }
    /* an embedded NUL is a valid (ASCII) byte; the length decides */
    CU_ASSERT(pdt_glob_utf8_valid("a\0b", 3));
    CU_ASSERT(!pdt_glob_utf8_valid("\xe2\x82\xac", 2));
}

/* The budget: a call that never backtracks charges nothing; pathological
 * backtracking is charged and cut off with PDT_GLOB_INDET, after at most
 * 5 x (plen + slen) + budget steps; the unbounded variants still answer. */
static void test_budget(void)
{
    size_t n = 200000, plen = 2000, w, i;
    char *s = malloc(n + 1), *p = malloc(plen + 1);
    CU_ASSERT_FATAL(s && p);
    memcpy(s, "arn:aws:s3:::", 13);
    memset(s + 13, 'a', n - 13);
    s[n] = '\0';
    memcpy(p, "arn:aws:s3:::*", 14);
    memset(p + 14, 'a', plen - 15);
    p[plen - 1] = 'b';
    p[plen] = '\0';
    w = 1000;  /* linear inputs: no backtracking, nothing charged */
    CU_ASSERT_EQUAL(pdt_glob_arn_b(s, n, s, n, &w), 1);
    CU_ASSERT_EQUAL(pdt_glob_arn_zb("arn:aws:s3:::*", s, n, &w), 1);
    CU_ASSERT_EQUAL(pdt_glob_arn_zb("arn:aws:s3:::b*", s, n, &w), 0);
    CU_ASSERT_EQUAL(w, 1000);
    /* *aaa...b (1986 a) against 200,000 a: about 200,000 x 1986 steps
     * unbounded; the budget stops it */
    w = 1u << 20;
    CU_ASSERT_EQUAL(pdt_glob_arn_b(p, plen, s, n, &w), PDT_GLOB_INDET);
    CU_ASSERT_EQUAL(w, 0);
    CU_ASSERT_EQUAL(pdt_glob_arn_zb(p, s, n, &w), PDT_GLOB_INDET);  /* an empty budget stays empty */
    w = 1u << 20;
    CU_ASSERT_EQUAL(pdt_glob_arn_zb(p, s, n, &w), PDT_GLOB_INDET);
    /* backtracking within the call's allowance (slen + pattern bytes) is free */
    w = 0;
    CU_ASSERT_EQUAL(pdt_glob_arn_zb("arn:aws:s3:::*ab", "arn:aws:s3:::aaaaab", 19, &w), 1);
    CU_ASSERT_EQUAL(pdt_glob_arn_zb("arn:aws:s3:::*:x", "arn:aws:s3:::a:b:c:d:x", 22, &w), 1);
    CU_ASSERT_EQUAL(pdt_glob_arn_zb("arn:aws:s3:::*-9", "arn:aws:s3:::aaaa-1aaaa-2aaaa-9", 31, &w), 1);
    /* a little beyond it is charged and still exact */
    w = 1u << 20;
    CU_ASSERT_EQUAL(pdt_glob_arn_zb("arn:aws:s3:::*aaaaaaaaaaaab",
                                    "arn:aws:s3:::aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 54, &w), 1);
    CU_ASSERT(w < (1u << 20) && w > (1u << 20) - 1000);
    /* a generous budget reaches the exact answer on a smaller case, and the
     * charge is the discarded work (each restart: about 2 x 1986 steps) */
    s[13 + 5000] = '\0';
    w = SIZE_MAX;
    CU_ASSERT_EQUAL(pdt_glob_arn_b(p, plen, s, 13 + 5000, &w), 0);
    CU_ASSERT(SIZE_MAX - w >= (size_t)(5000 - plen) * (plen - 15) - 4 * (13 + 5000 + plen));  /* less the allowance */
    CU_ASSERT(SIZE_MAX - w <= (size_t)5000 * 2 * (plen + 2));  /* Δi + Δp per restart */
    CU_ASSERT_EQUAL(pdt_glob_arn(p, plen, s, 13 + 5000), 0);
    /* a '?' pattern with a budget agrees with the unbounded matcher */
    for (i = 0; i < 4; i++) {
        w = 100;
        CU_ASSERT_EQUAL(pdt_glob_arn_zb("arn:aws:s3:::*?b", "arn:aws:s3:::a\xc3\xa9" "b", 17, &w), 1);
    }
    free(s);
    free(p);
}

static void test_escapes(void)
{
    CU_ASSERT(arn("arn:aws:s3:::a\\*b", "arn:aws:s3:::a*b"));
    CU_ASSERT(!arn("arn:aws:s3:::a\\*b", "arn:aws:s3:::axb"));
    CU_ASSERT(arn("arn:aws:s3:::a\\?", "arn:aws:s3:::a?"));
    CU_ASSERT(!arn("arn:aws:s3:::a\\?", "arn:aws:s3:::ab"));
    CU_ASSERT(arn("arn:aws:s3:::a\\\\", "arn:aws:s3:::a\\"));
    CU_ASSERT(pdt_glob_valid("a\\\\", 3));
    CU_ASSERT(!pdt_glob_valid("a\\", 2));
    CU_ASSERT(pdt_glob_has_wild("a*", 2));
    CU_ASSERT(!pdt_glob_has_wild("a\\*", 3));
    CU_ASSERT(act("s3:get\\*", "s3:GET*"));
    CU_ASSERT(!act("s3:get\\*", "s3:getx"));
}

static void test_action(void)
{
    CU_ASSERT(act("iam:listaccesskeys", "IAM:ListAccessKeys"));
    CU_ASSERT(act("*", "anything:at-all"));
    CU_ASSERT(act("iam:*", "iam:X"));
    CU_ASSERT(!act("iam:*", "iamx:X"));
    CU_ASSERT(act("iam:*accesskey*", "iam:CreateAccessKey"));
    CU_ASSERT(act("iam:*accesskey*", "iam:ListAccessKeys"));
    CU_ASSERT(!act("s3:get?bject", "s3:GetObjectAcl"));
    CU_ASSERT(act("s3:get?bject", "s3:Get0bject"));
    CU_ASSERT(act("ec2:describe?pcs", "ec2:DescribeVpcs"));
    CU_ASSERT(!act("ec2:describe?pcs", "ec2:DescribeVpc"));
}

static void test_action_lz(void)
{
    static const char pa[] = "ab:*?\\", sa[] = "ab:";
    char p[16], s[16];
    int i, agree = 0;
    CU_ASSERT(pdt_glob_action_lz("s3:get*", "s3:getobject", 12));
    CU_ASSERT(!pdt_glob_action_lz("s3:get*", "s3:putobject", 12));
    CU_ASSERT(pdt_glob_action_lz("iam:*accesskey*", "iam:listaccesskeys", 18));
    CU_ASSERT(pdt_glob_arn_z("arn:aws:s3:::b/*", "arn:aws:s3:::b/x:y", 18));
    CU_ASSERT(!pdt_glob_arn_z("arn:aws:s3:::b/*", "arn:aws:s3:::c/x", 16));
    for (i = 0; i < 100000; i++) {
        int pl = i % 9, sl = (i / 9) % 11, k;
        unsigned long long x = (unsigned long long)i * 2654435761u;
        for (k = 0; k < pl; k++, x /= 7)
            p[k] = pa[x % (sizeof pa - 1)];
        if (pl && p[pl - 1] == '\\')
            p[pl - 1] = 'a';
        p[pl] = '\0';
        for (k = 0; k < sl; k++, x /= 3)
            s[k] = sa[x % (sizeof sa - 1)];
        s[sl] = '\0';
        agree += pdt_glob_action_lz(p, s, (size_t)sl) == pdt_glob_action(p, strlen(p), s, (size_t)sl) &&
                 pdt_glob_arn_z(p, s, (size_t)sl) == pdt_glob_arn(p, strlen(p), s, (size_t)sl);
    }
    CU_ASSERT_EQUAL(agree, 100000);
}

static unsigned long long seed = 42;
static unsigned rnd(unsigned n)
{
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((seed >> 33) % n);
}

/* Random patterns and strings over ASCII, multi-byte characters (é, €,
 * an emoji), and (rarely) stray bytes: a lone continuation byte, a
 * truncated lead, C0.  The budgeted matcher with a large budget agrees. */
static void test_random_vs_reference(void)
{
    static const char pa[] = "ab:/*?\\", sa[] = "ab:/";
    static const char *const mb[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xa9", "\xc3", "\xc0"};
    char p[64], s[64];
    int i, agree = 0, matches = 0, mbmatch = 0;
    for (i = 0; i < 200000; i++) {
        int pl = (int)rnd(9), sl = (int)rnd(11), k, pn = 0, sn = 0, has_mb = 0;
        unsigned nmb = i % 8 == 0 ? 6 : 3;  /* stray bytes in one case of 8 */
        for (k = 0; k < pl; k++) {
            if (rnd(5) == 0) {
                const char *m = mb[rnd(nmb)];
                memcpy(p + pn, m, strlen(m));
                pn += (int)strlen(m);
            } else {
                p[pn++] = pa[rnd(sizeof pa - 1)];
            }
        }
        if (pn && p[pn - 1] == '\\')
            p[pn - 1] = 'a';
        p[pn] = '\0';
        for (k = 0; k < sl; k++) {
            if (rnd(4) == 0) {
                const char *m = mb[rnd(nmb)];
                memcpy(s + sn, m, strlen(m));
                sn += (int)strlen(m);
                has_mb = 1;
            } else {
                s[sn++] = sa[rnd(sizeof sa - 1)];
            }
        }
        s[sn] = '\0';
        {
            int want = ref_arn(p, s);
            size_t w = 1u << 20;
            if (arn(p, s) == want && pdt_glob_arn_zb(p, s, (size_t)sn, &w) == want)
                agree++;
            else if (agree - i > -5)
                fprintf(stderr, "glob disagrees with the reference: %s vs %s (want %d)\n", p, s, want);
            matches += want;
            mbmatch += want && has_mb;
        }
    }
    CU_ASSERT_EQUAL(agree, 200000);
    CU_ASSERT(matches > 1000);
    CU_ASSERT(mbmatch > 200);
}

/* Reference for the condition engine's StringLike glob (runtime/value_str.c):
 * '*' any run of characters, '?' one character (pdt_value_u8len: a byte
 * where the text is not UTF-8), '\' escapes; exponential, small inputs. */
static int ref_like(const char *p, size_t np, const char *s, size_t ns)
{
    size_t k;
    if (!np)
        return !ns;
    if (*p == '*') {
        for (k = 0;; k += pdt_value_u8len(s + k, ns - k)) {
            if (ref_like(p + 1, np - 1, s + k, ns - k))
                return 1;
            if (k >= ns)
                return 0;
        }
    }
    if (!ns)
        return 0;
    if (*p == '?')
        return ref_like(p + 1, np - 1, s + pdt_value_u8len(s, ns), ns - pdt_value_u8len(s, ns));
    if (*p == '\\' && np > 1)
        return *s == p[1] && ref_like(p + 2, np - 2, s + 1, ns - 1);
    return *s == *p && ref_like(p + 1, np - 1, s + 1, ns - 1);
}

/* pdt_value_glob / pdt_value_glob_b (with its skip to the literal after a
 * star) against the reference, on ASCII and multi-byte text. */
static void test_like_vs_reference(void)
{
    static const char pa[] = "ab/*?*\\", sa[] = "ab/";
    static const char *const mb[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xa9", "\xc3"};
    char p[64], s[64];
    int i, agree = 0, matches = 0;
    for (i = 0; i < 100000; i++) {
        int pl = (int)rnd(8), sl = (int)rnd(10), k, pn = 0, sn = 0;
        unsigned nmb = i % 8 == 0 ? 5 : 3;
        size_t w = 1u << 20;
        for (k = 0; k < pl; k++) {
            if (rnd(5) == 0) {
                const char *m = mb[rnd(nmb)];
                memcpy(p + pn, m, strlen(m));
                pn += (int)strlen(m);
            } else {
                p[pn++] = pa[rnd(sizeof pa - 1)];
            }
        }
        if (pn && p[pn - 1] == '\\')
            p[pn - 1] = 'a';
        for (k = 0; k < sl; k++) {
            if (rnd(4) == 0) {
                const char *m = mb[rnd(nmb)];
                memcpy(s + sn, m, strlen(m));
                sn += (int)strlen(m);
            } else {
                s[sn++] = sa[rnd(sizeof sa - 1)];
            }
        }
        {
            int want = ref_like(p, (size_t)pn, s, (size_t)sn);
            if (pdt_value_glob(p, (size_t)pn, s, (size_t)sn) == want &&
                pdt_value_glob_b(p, (size_t)pn, s, (size_t)sn, &w) == want)
                agree++;
            else if (agree - i > -5)
                fprintf(stderr, "StringLike disagrees with the reference: %.*s vs %.*s (want %d)\n", pn, p, sn, s,
                        want);
            matches += want;
        }
    }
    CU_ASSERT_EQUAL(agree, 100000);
    CU_ASSERT(matches > 1000);
}

/* Reference for ArnLike (iam-semantics.md §4.3): both sides split at the
 * first five separators (unescaped ':' in the pattern), components compared
 * with ref_like; a string without five separators does not match, a
 * pattern without them is indeterminate. */
static int ref_arn_like(const char *p, size_t np, const char *s, size_t ns)
{
    size_t pb = 0, sb = 0, pe, se;
    int k;
    for (k = 0, se = 0; se < ns; se++)
        k += s[se] == ':';
    if (k < 5)
        return 0;
    for (k = 0, pe = 0; pe < np; pe++) {
        if (p[pe] == '\\') {
            pe++;
            continue;
        }
        k += p[pe] == ':';
    }
    if (k < 5)
        return 2;
    for (k = 0; k <= 5; k++) {
        for (pe = pb; k < 5 && !(p[pe] == ':'); pe += p[pe] == '\\' ? 2 : 1)
            ;
        if (k == 5)
            pe = np;
        for (se = sb; k < 5 && s[se] != ':'; se++)
            ;
        if (k == 5)
            se = ns;
        if (!ref_like(p + pb, pe - pb, s + sb, se - sb))
            return 0;
        pb = pe + 1;
        sb = se + 1;
    }
    return 1;
}

/* pdt_value_arn_like (its literal-prefix fast path and the general
 * per-component match) against the reference: patterns of six components,
 * literal or not, sometimes a separator short or escaped. */
static void test_arn_like_vs_reference(void)
{
    static const char pa[] = "ab*?:\\", sa[] = "ab:";
    char p[96], s[96];
    int i, agree = 0, matches = 0, fast = 0;
    for (i = 0; i < 100000; i++) {
        int pn = 0, sn = 0, k, j, lit = 1;
        for (k = 0; k < 6; k++) {
            int cl = (int)rnd(4);
            for (j = 0; j < cl; j++) {
                char c = rnd(3) ? "ab"[rnd(2)] : pa[rnd(sizeof pa - 1)];
                if (c == '\\' || c == '*' || c == '?')
                    lit &= k == 5;
                if (c == '\\')
                    p[pn++] = c, c = "a:*"[rnd(3)];
                p[pn++] = c;
            }
            if (k < 5 && rnd(40))
                p[pn++] = ':';
        }
        for (k = 0; k < 6; k++) {
            int cl = (int)rnd(4);
            if (rnd(3) == 0 && k < pn)  /* often the pattern's own text */
                cl = 0;
            for (j = 0; j < cl; j++)
                s[sn++] = sa[rnd(sizeof sa - 1)];
            if (k < 5 && rnd(40))
                s[sn++] = ':';
        }
        if (rnd(2)) {  /* the pattern with its wildcards made literal */
            for (sn = 0, k = 0; k < pn; k++)
                if (p[k] != '\\')
                    s[sn++] = p[k] == '*' || p[k] == '?' ? 'a' : p[k];
        }
        fast += lit;
        {
            int want = ref_arn_like(p, (size_t)pn, s, (size_t)sn);
            if (pdt_value_arn_like(p, (size_t)pn, s, (size_t)sn) == want)
                agree++;
            else if (agree - i > -5)
                fprintf(stderr, "ArnLike disagrees with the reference: %.*s vs %.*s (want %d)\n", pn, p, sn, s, want);
            matches += want == 1;
        }
    }
    CU_ASSERT_EQUAL(agree, 100000);
    CU_ASSERT(matches > 5000);
    CU_ASSERT(fast > 10000);
}

int main(void)
{
    CU_pSuite s;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("glob", NULL, NULL);
    CU_add_test(s, "iam-semantics 3.2 worked examples", test_worked_examples);
    CU_add_test(s, "escapes", test_escapes);
    CU_add_test(s, "'?' is one UTF-8 character", test_utf8_any1);
    CU_add_test(s, "UTF-8 validation of request strings", test_utf8_valid);
    CU_add_test(s, "work budget: counted, indeterminate when exhausted", test_budget);
    CU_add_test(s, "actions", test_action);
    CU_add_test(s, "random cross-check against the reference", test_random_vs_reference);
    CU_add_test(s, "StringLike glob against its reference", test_like_vs_reference);
    CU_add_test(s, "ArnLike against its reference", test_arn_like_vs_reference);
    CU_add_test(s, "fast variants agree with the general matchers", test_action_lz);
    return tu_run();
}
