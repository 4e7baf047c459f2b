/* bench_decide.c - the pdt side of the benchmarks: decision latency and
 * throughput through the public API (pdt_decide), and load time (pdt_open
 * with full validation).  Requests come in the tab-separated form of
 * examples/agent/reqline.h, parsed once before any timing.  Prints one JSON
 * object on standard output; bench/report.js turns those into results.md.
 * Links only libpdt: tables are made beforehand by `pdtc compile`.
 *
 * usage:
 *   pdt_bench decide TABLE REQUESTS.tsv [-t SECONDS] [-b BATCH] [-d DECISIONS_OUT]
 *   pdt_bench load TABLE [-n RUNS]
 *
 * decide: decides every request once in file order (written to -d, one
 * line each, "DECISION<TAB>POLICY:LINE" of the deciding statement, for the
 * cross-check against the simulator), then
 * shuffles them (fixed seed), warms up for a tenth of the time budget, and
 * times consecutive batches of BATCH decisions (default 256) with
 * clock_gettime(CLOCK_THREAD_CPUTIME_ID) (the thread's CPU time: time spent
 * descheduled on a shared machine is not counted; the clock's own cost, the
 * median of 201 empty readings, is subtracted) until SECONDS (default 0.5)
 * of it have passed and every request was decided at least twice.  Each
 * batch gives one sample, its time divided by BATCH: the median and p99 are
 * over those samples (per-call timing of a ~50 ns call would measure the
 * clock, not pdt).  decisions/s is the number of timed decisions over their
 * total CPU time; wall_decisions_per_s the same over wall-clock time.
 * "by" repeats the measurement (a quarter of the budget each) over the
 * requests of each decision and over those that carry a context. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pdt.h"
#include "reqline.h"

struct reqset {
    char *text;                 /* the whole file, parsed in place; owns the strings */
    struct pdt_request *req;    /* n requests in file order */
    struct pdt_kv *kv;          /* every request's context entries, packed */
    const char **vals;          /* every context value, packed */
    size_t n;
};

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The batch clock: this thread's CPU time, so that time spent descheduled
 * on a shared machine is not counted as decision time. */
static double cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "pdt_bench: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory", NULL);
    return p;
}

/* Returns p (an array of *cap elements of size sz), grown to hold need. */
static void *grow(void *p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap) return p;
    while (*cap < need) *cap *= 2;
    void *q = realloc(p, *cap * sz);
    if (!q) die("out of memory", NULL);
    return q;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) die(path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len < 2) buf = grow(buf, &cap, cap + 1, 1);
    }
    if (ferror(f)) die(path, "read error");
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* Reads and parses every request of path into s (packed, pointers fixed
 * up).  Exits on a malformed line: benchmark inputs are generated. */
static void reqset_load(const char *path, struct reqset *s)
{
    s->text = read_all(path);
    size_t lines = 1;
    for (const char *p = s->text; *p; p++) lines += *p == '\n';
    s->req = xmalloc(lines * sizeof *s->req);
    size_t kcap = 1024, vcap = 1024, nk = 0, nv = 0;
    s->kv = xmalloc(kcap * sizeof *s->kv);
    s->vals = xmalloc(vcap * sizeof *s->vals);
    size_t *kofs = xmalloc(lines * sizeof *kofs);
    struct reqline *r = xmalloc(sizeof *r);
    s->n = 0;
    for (char *line = s->text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        const char *err = NULL;
        int st = reqline_parse(line, r, &err);
        if (st == REQLINE_ERROR) die("malformed request line", err);
        if (st == REQLINE_OK) {
            s->kv = grow(s->kv, &kcap, nk + r->req.ncontext, sizeof *s->kv);
            for (size_t i = 0; i < r->req.ncontext; i++) {
                s->vals = grow((void *)s->vals, &vcap, nv + r->kv[i].nvalues, sizeof *s->vals);
                s->kv[nk + i] = r->kv[i];
                s->kv[nk + i].values = (const char *const *)(uintptr_t)nv;  /* an index until fix-up */
                memcpy(&s->vals[nv], r->kv[i].values, r->kv[i].nvalues * sizeof *s->vals);
                nv += r->kv[i].nvalues;
            }
            s->req[s->n] = r->req;
            kofs[s->n++] = nk;
            nk += r->req.ncontext;
        }
        line = nl ? nl + 1 : NULL;
    }
    for (size_t i = 0; i < nk; i++) s->kv[i].values = &s->vals[(uintptr_t)s->kv[i].values];
    for (size_t i = 0; i < s->n; i++) s->req[i].context = s->req[i].ncontext ? &s->kv[kofs[i]] : NULL;
    free(kofs);
    free(r);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static const char *decision_name(enum pdt_decision d)
{
    return d == PDT_ALLOW ? "Allow" : d == PDT_EXPLICIT_DENY ? "ExplicitDeny" : "ImplicitDeny";
}

/* Decides every request once in file order; counts[] per decision, cls[i]
 * the decision of request i; writes "DECISION<TAB>POLICY:LINE" lines to
 * path when not NULL. */
static void decide_once(const struct pdt_table *t, const struct reqset *s, const char *path, size_t counts[3],
                        unsigned char *cls)
{
    FILE *out = path ? fopen(path, "w") : NULL;
    if (path && !out) die(path, strerror(errno));
    for (size_t i = 0; i < s->n; i++) {
        struct pdt_why why;
        enum pdt_decision d = pdt_decide(t, &s->req[i], &why);
        cls[i] = (unsigned char)(d <= PDT_EXPLICIT_DENY ? d : 0);
        counts[cls[i]]++;
        if (out)
            fprintf(out, "%s\t%s:%lu\n", decision_name(d), why.statement >= 0 && why.policy ? why.policy : "-",
                    why.statement >= 0 ? (unsigned long)why.line : 0UL);
    }
    if (out && fclose(out) != 0) die(path, "write error");
}

struct timing {
    size_t n, batches, decisions;           /* requests, batch samples, timed decisions */
    double min, median, p99, mean, dps;     /* ns per decision over the batch means; decisions per CPU second */
    double wall_dps;                        /* decisions per wall-clock second */
};

/* The clock's own cost: the median of 201 empty CPU-clock readings. */
static double clock_cost(void)
{
    double c[201];
    for (int i = 0; i < 201; i++) {
        double c0 = cpu_ns();
        c[i] = cpu_ns() - c0;
    }
    qsort(c, 201, sizeof *c, cmp_double);
    return c[100];
}

/* Times pdt_decide over reqs[0..n) (shuffled here, fixed seed): a warm-up of
 * a tenth of the budget, then batches of `batch` decisions in thread CPU
 * time (minus clock_ns) until `seconds` were timed and every request was
 * decided at least twice.  Fills *out. */
static void time_set(const struct pdt_table *t, const struct pdt_request *reqs, size_t n, double seconds,
                     size_t batch, double clock_ns, struct timing *out)
{
    struct pdt_request *sh = xmalloc(n * sizeof *sh);  /* shuffled: consecutive requests do not share a statement */
    memcpy(sh, reqs, n * sizeof *sh);
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)(rng_next(&seed) % (i + 1));
        struct pdt_request tmp = sh[i];
        sh[i] = sh[j];
        sh[j] = tmp;
    }
    struct pdt_why why;
    volatile unsigned long sink = 0;
    size_t pos = 0, cap = 4096, ns = 0, total = 0;
    double wstart = now_ns();
    while (now_ns() - wstart < seconds * 1e8) {
        for (size_t k = 0; k < batch; k++, pos = pos + 1 == n ? 0 : pos + 1) sink += pdt_decide(t, &sh[pos], &why);
    }
    double *samples = xmalloc(cap * sizeof *samples), spent = 0, wall0 = now_ns();
    while (spent < seconds * 1e9 || total < 2 * n) {
        double b0 = cpu_ns();
        for (size_t k = 0; k < batch; k++, pos = pos + 1 == n ? 0 : pos + 1) sink += pdt_decide(t, &sh[pos], &why);
        double el = cpu_ns() - b0 - clock_ns;
        samples = grow(samples, &cap, ns + 1, sizeof *samples);
        samples[ns++] = el / (double)batch;
        spent += el;
        total += batch;
    }
    double wall = now_ns() - wall0;
    qsort(samples, ns, sizeof *samples, cmp_double);
    *out = (struct timing){n, ns, total, samples[0], samples[ns / 2], samples[(size_t)((double)(ns - 1) * 0.99)],
                           spent / (double)total, (double)total / (spent / 1e9), (double)total / (wall / 1e9)};
    free(samples);
    free(sh);
}

static void print_timing(const char *name, const struct timing *m)
{
    printf("\"%s\": {\"requests\": %zu, \"batches\": %zu, \"decisions\": %zu, \"min_ns\": %.2f, \"median_ns\": %.2f, "
           "\"p99_ns\": %.2f, \"mean_ns\": %.2f, \"decisions_per_s\": %.0f, \"wall_decisions_per_s\": %.0f}",
           name, m->n, m->batches, m->decisions, m->min, m->median, m->p99, m->mean, m->dps, m->wall_dps);
}

static int cmd_decide(const char *table, const char *reqpath, double seconds, size_t batch, const char *decpath)
{
    struct pdt_table *t = NULL;
    double t0 = now_ns();
    int rc = pdt_open(table, &t);
    double open_ns = now_ns() - t0;
    if (rc != 0) die(table, pdt_strerror(rc));
    struct reqset s;
    reqset_load(reqpath, &s);
    if (s.n == 0) die(reqpath, "no requests");
    size_t counts[3] = {0, 0, 0};
    unsigned char *cls = xmalloc(s.n);
    decide_once(t, &s, decpath, counts, cls);
    double clock_ns = clock_cost();
    struct timing all;
    time_set(t, s.req, s.n, seconds, batch, clock_ns, &all);
    printf("{\"requests\": %zu, \"allow\": %zu, \"explicit_deny\": %zu, \"implicit_deny\": %zu, \"batch\": %zu, "
           "\"batches\": %zu, \"decisions\": %zu, \"min_ns\": %.2f, \"median_ns\": %.2f, \"p99_ns\": %.2f, "
           "\"mean_ns\": %.2f, \"decisions_per_s\": %.0f, \"wall_decisions_per_s\": %.0f, \"clock_ns\": %.0f, "
           "\"first_open_ns\": %.0f, \"by\": {",
           s.n, counts[PDT_ALLOW], counts[PDT_EXPLICIT_DENY], counts[PDT_IMPLICIT_DENY], batch, all.batches,
           all.decisions, all.min, all.median, all.p99, all.mean, all.dps, all.wall_dps, clock_ns, open_ns);
    /* the same over each decision's requests and over the requests with a context (a quarter of the budget each) */
    static const char *const names[] = {"implicit_deny", "allow", "explicit_deny", "with_context"};
    struct pdt_request *sub = xmalloc(s.n * sizeof *sub);
    const char *sep = "";
    for (int c = 0; c < 4; c++) {
        size_t m = 0;
        for (size_t i = 0; i < s.n; i++)
            if (c < 3 ? cls[i] == c : s.req[i].ncontext > 0) sub[m++] = s.req[i];
        if (m < 100) continue;  /* too few to say anything */
        struct timing tm;
        time_set(t, sub, m, seconds / 4, batch, clock_ns, &tm);
        printf("%s", sep);
        print_timing(names[c], &tm);
        sep = ", ";
    }
    printf("}}\n");
    free(sub);
    free(cls);
    free(s.req);
    free(s.kv);
    free((void *)s.vals);
    free(s.text);
    pdt_close(t);
    return 0;
}

/* Opens (validating everything) and closes table runs times. */
static int cmd_load(const char *table, int runs)
{
    double *ms = xmalloc((size_t)runs * sizeof *ms);
    for (int i = 0; i < runs; i++) {
        struct pdt_table *t = NULL;
        double t0 = now_ns();
        int rc = pdt_open(table, &t);
        double el = now_ns() - t0;
        if (rc != 0) die(table, pdt_strerror(rc));
        pdt_close(t);
        ms[i] = el / 1e6;
    }
    double first = ms[0];
    qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
    printf("{\"runs\": %d, \"first_ms\": %.3f, \"min_ms\": %.3f, \"median_ms\": %.3f, \"max_ms\": %.3f}\n", runs,
           first, ms[0], ms[runs / 2], ms[runs - 1]);
    free(ms);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: pdt_bench decide TABLE REQUESTS.tsv [-t SECONDS] [-b BATCH] [-d DECISIONS_OUT]\n"
                    "       pdt_bench load TABLE [-n RUNS]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 3) usage();
    double seconds = 0.5;
    long batch = 256, runs = 50;
    const char *decpath = NULL;
    int npos = strcmp(argv[1], "decide") == 0 ? 2 : 1;
    if (argc < 2 + npos) usage();
    for (int i = 2 + npos; i < argc; i++) {
        if (i + 1 >= argc) usage();
        if (strcmp(argv[i], "-t") == 0) seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "-b") == 0) batch = atol(argv[++i]);
        else if (strcmp(argv[i], "-n") == 0) runs = atol(argv[++i]);
        else if (strcmp(argv[i], "-d") == 0) decpath = argv[++i];
        else usage();
    }
    if (seconds <= 0 || batch < 1 || runs < 1 || runs > 100000) usage();
    if (npos == 2) return cmd_decide(argv[2], argv[3], seconds, (size_t)batch, decpath);
    if (strcmp(argv[1], "load") == 0) return cmd_load(argv[2], (int)runs);
    usage();
    return 2;
}
