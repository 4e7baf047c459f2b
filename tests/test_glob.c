/* test_glob.c - the runtime's linear glob matchers (runtime/glob.c): the
 * worked examples of iam-semantics.md §3.1/§3.2, escapes, and a randomized
 * cross-check (fixed seed) of pdt_glob_arn against a direct recursive
 * transcription of the §3.2 rules. */
#include <string.h>

#include "glob.h"
#include "testutil.h"

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
        return *s != ':' && ref_arn(p + 1, s + 1);
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

static void test_random_vs_reference(void)
{
    static const char pa[] = "ab:/*?\\", sa[] = "ab:/";
    char p[16], s[16];
    int i, agree = 0, matches = 0;
    for (i = 0; i < 200000; i++) {
        int pl = (int)rnd(9), sl = (int)rnd(11), k;
        for (k = 0; k < pl; k++)
            p[k] = pa[rnd(sizeof pa - 1)];
        if (pl && p[pl - 1] == '\\')
            p[pl - 1] = 'a';
        p[pl] = '\0';
        for (k = 0; k < sl; k++)
            s[k] = sa[rnd(sizeof sa - 1)];
        s[sl] = '\0';
        if (arn(p, s) == ref_arn(p, s))
            agree++;
        else
            CU_FAIL("glob disagrees with the reference");
        matches += ref_arn(p, s);
    }
    CU_ASSERT_EQUAL(agree, 200000);
    CU_ASSERT(matches > 1000);
}

int main(void)
{
    CU_pSuite s;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("glob", NULL, NULL);
    CU_add_test(s, "iam-semantics 3.2 worked examples", test_worked_examples);
    CU_add_test(s, "escapes", test_escapes);
    CU_add_test(s, "actions", test_action);
    CU_add_test(s, "random cross-check against the reference", test_random_vs_reference);
    CU_add_test(s, "fast variants agree with the general matchers", test_action_lz);
    return tu_run();
}
