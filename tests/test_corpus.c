/* test_corpus.c - the whole AWS managed-policy corpus (../shared/corpus/
 * aws-managed, ~1,600 policies) compiles into one table that loads, and the
 * indexed pdt_decide agrees with the linear oracle (decision and deciding
 * statement) on requests derived from the corpus's own patterns (fixed seed). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frontend.h"
#include "introspect.h"
#include "lower.h"
#include "pdt.h"
#include "testutil.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

/* Turns a stored pattern into a concrete string: wildcards become random
 * text (sometimes with ':' or '/'), escapes are resolved. */
static void concretize(const char *p, char *out, size_t cap, int upper)
{
    static const char alpha[] = "abcXYZ019-/:_.";
    size_t n = 0;
    for (; *p && n + 8 < cap; p++) {
        if (*p == '\\' && p[1]) {
            out[n++] = *++p;
        } else if (*p == '*') {
            int k = (int)(rnd() % 4);
            while (k-- > 0)
                out[n++] = alpha[rnd() % (sizeof alpha - 1)];
        } else if (*p == '?') {
            out[n++] = alpha[rnd() % (sizeof alpha - 1)];
        } else {
            out[n++] = (upper && *p >= 'a' && *p <= 'z' && rnd() % 3 == 0) ? (char)(*p - 32) : *p;
        }
    }
    if (rnd() % 8 == 0 && n + 2 < cap)
        out[n++] = 'q';
    out[n] = '\0';
}

/* Decides 5000 requests built from random statements' own patterns with
 * pdt_decide and the linear oracle; returns how many were allowed. */
static int cross_check(struct pdt_table *t, const char *what)
{
    struct pdt_info info;
    int k, allow = 0, deny = 0;
    pdt_introspect_info(t, &info);
    for (k = 0; k < 5000; k++) {
        uint32_t si = rnd() % info.nstmts, sj = rnd() % info.nstmts;
        struct pdt_stmt_info s1, s2;
        char act[512], res[2048];
        const char *ap, *rp;
        enum pdt_res_kind kind;
        uint32_t tmpl;
        struct pdt_request r;
        struct pdt_why w1, w2;
        enum pdt_decision d1, d2;
        pdt_introspect_stmt(t, si, &s1);
        pdt_introspect_stmt(t, rnd() % 4 ? si : sj, &s2);
        ap = pdt_introspect_stmt_action(t, si, rnd() % s1.nactions);
        concretize(ap ? ap : "s3:getobject", act, sizeof act, 1);
        if (!strchr(act, ':'))
            snprintf(act, sizeof act, "s3:GetObject");
        pdt_introspect_stmt_resource(t, rnd() % 4 ? si : sj, 0, &kind, &rp, &tmpl);
        if (kind == PDT_RES_TMPL || kind == PDT_RES_ANY)
            snprintf(res, sizeof res, "arn:aws:s3:::bucket/key");
        else
            concretize(rp, res, sizeof res, 0);
        r.action = act;
        r.resource = res;
        r.context = NULL;
        r.ncontext = 0;
        d1 = pdt_decide(t, &r, &w1);
        d2 = pdt_introspect_decide_linear(t, &r, &w2);
        if (d1 != d2 || w1.statement != w2.statement)
            fprintf(stderr, "mismatch %s %s: %d/%d vs %d/%d\n", act, res, d1, w1.statement, d2, w2.statement);
        CU_ASSERT_EQUAL(d1, d2);
        CU_ASSERT_EQUAL(w1.statement, w2.statement);
        allow += d1 == PDT_ALLOW;
        deny += d1 == PDT_EXPLICIT_DENY;
    }
    printf("%s cross-check: 5000 requests, %d allowed, %d explicitly denied\n", what, allow, deny);
    return allow;
}

static void test_corpus(void)
{
    const char *dirp = tu_shared("corpus/aws-managed");
    char dir[4096], path[8192];
    DIR *dh;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0, i, nfail = 0, json_bytes = 0;
    struct arena a;
    struct diag d;
    struct ir_policy **pols;
    struct buf img;
    struct lower_opts o = {0, 0};
    struct pdt_table *t = NULL;
    struct pdt_info info;
    clock_t c0, c1;
    int rc;

    if (!dirp)
        return;
    snprintf(dir, sizeof dir, "%s", dirp);
    dh = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dh);
    while ((de = readdir(dh)) != NULL) {
        if (!strstr(de->d_name, ".json"))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            names = realloc(names, cap * sizeof *names);
        }
        names[n++] = strdup(de->d_name);
    }
    closedir(dh);
    qsort(names, n, sizeof *names, cmp_str);
    arena_init(&a);
    diag_init(&d, stderr);
    d.suppress_warnings = 1;
    pols = calloc(n + 1, sizeof *pols);
    c0 = clock();
    for (i = 0; i < n; i++) {
        size_t tl;
        const char *text;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (frontend_load(&a, &d, arena_strndup(&a, path, strlen(path)), NULL, &pols[i - nfail], &text,
                          &tl) != FRONTEND_OK) {
            nfail++;
            continue;
        }
        json_bytes += tl;
    }
    (void)json_bytes;
    buf_init(&img);
    rc = lower_compile(&a, &d, pols, n - nfail, &o, &img);
    c1 = clock();
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT(nfail < 10);
    printf("corpus: %zu policies (%zu refused by the front end), table %zu bytes, parse+compile %.3f s\n", n,
           nfail, img.len, (double)(c1 - c0) / CLOCKS_PER_SEC);
    CU_ASSERT_EQUAL_FATAL(pdt_open_mem(img.data, img.len, &t), 0);
    {
        /* deterministic: the same policies give the same bytes */
        struct buf again;
        buf_init(&again);
        CU_ASSERT_EQUAL(lower_compile(&a, &d, pols, n - nfail, &o, &again), 0);
        CU_ASSERT(again.len == img.len && memcmp(again.data, img.data, img.len) == 0);
        buf_free(&again);
    }
    pdt_introspect_info(t, &info);
    printf("corpus: %u statements, %u action entries, hash %u/%u (maxprobe %u), %u services, %u wild, "
           "%u automata (%llu states, %llu bytes), resource patterns: %u dfa %u glob %u tmpl %u any\n",
           info.nstmts, info.act_entries, info.act_entries, info.act_slots, info.act_maxprobe, info.svc_entries,
           info.nactwild, info.ndfas, (unsigned long long)info.dfa_states, (unsigned long long)info.dfa_bytes,
           info.npat_dfa, info.npat_glob, info.npat_tmpl, info.npat_any);
    CU_ASSERT(info.nstmts > 8000);
    for (i = 0; i < info.nsections; i++) {
        uint32_t id, fl, off, len;
        pdt_introspect_section(t, (uint32_t)i, &id, &fl, &off, &len);
        printf("  section %-10s %8u bytes\n", pdt_introspect_section_name(id), len);
    }
    if (getenv("PDT_CORPUS_VERBOSE"))
        for (i = 0; i < info.ndfas; i++) {
            struct pdt_dfa_info di;
            pdt_introspect_dfa(t, (uint32_t)i, &di);
            printf("  dfa %zu: %u states %u classes %u patterns prefix %s\n", i, di.nstates, di.nclasses,
                   di.npatterns, di.prefix);
        }
    cross_check(t, "full corpus");
    {
        /* the same policies without their Deny, NotAction and Action "*"
         * statements, so that specific Allows decide and the comparison of
         * deciding statements means something */
        struct ir_policy **ap = calloc(n + 1, sizeof *ap);
        struct buf img2;
        struct pdt_table *t2 = NULL;
        for (i = 0; i < n - nfail; i++) {
            size_t j, k = 0;
            ap[i] = arena_alloc(&a, sizeof *ap[i]);
            *ap[i] = *pols[i];
            ap[i]->stmts = arena_calloc(&a, pols[i]->nstmts + 1, sizeof *ap[i]->stmts);
            for (j = 0; j < pols[i]->nstmts; j++) {
                const struct ir_statement *st = &pols[i]->stmts[j];
                size_t m, star = 0;
                for (m = 0; m < st->actions.n; m++)
                    star |= strcmp(st->actions.v[m].s, "*") == 0;
                if (st->effect == IR_ALLOW && !st->not_action && !star)
                    ap[i]->stmts[k++] = *st;
            }
            ap[i]->nstmts = k;
        }
        buf_init(&img2);
        CU_ASSERT_EQUAL_FATAL(lower_compile(&a, &d, ap, n - nfail, &o, &img2), 0);
        CU_ASSERT_EQUAL_FATAL(pdt_open_mem(img2.data, img2.len, &t2), 0);
        CU_ASSERT(cross_check(t2, "allow-only corpus") > 500);
        pdt_close(t2);
        buf_free(&img2);
        free(ap);
    }
    pdt_close(t);
    buf_free(&img);
    free(pols);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    diag_fini(&d);
    arena_free(&a);
}

int main(void)
{
    CU_pSuite s;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("corpus", NULL, NULL);
    CU_add_test(s, "managed corpus compiles, loads, index agrees with oracle", test_corpus);
    return tu_run();
}
