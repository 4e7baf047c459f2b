/* bench_frontend.c - throughput of the compiler front end (json_parse +
 * validate_policy, i.e. frontend_parse) over a directory of policy files,
 * by default the AWS managed corpus.  One thread, files preloaded into
 * memory, one warm-up pass, then ROUNDS timed passes; each file gets a fresh
 * arena and diag, as in `pdtc check`.  Prints MB/s of policy text for the
 * parser alone and for the whole front end, by process CPU time (robust on a
 * busy machine) and by wall-clock time.  A benchmark, not a test.
 *
 *   pdt_bench_frontend [DIR] [ROUNDS]     (DIR default ../shared/corpus/aws-managed) */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "diag.h"
#include "frontend.h"
#include "json.h"

struct file {
    char name[256];
    char *text;
    size_t len;
};

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int load(const char *dir, struct file **out, size_t *n, size_t *bytes)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    size_t cap = 0;
    *out = NULL;
    *n = *bytes = 0;
    if (!dp)
        return -1;
    while ((e = readdir(dp)) != NULL) {
        size_t l = strlen(e->d_name);
        char path[4096];
        FILE *f;
        long sz;
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        if (*n == cap) {
            struct file *nf = realloc(*out, (cap = cap ? cap * 2 : 1024) * sizeof **out);
            if (!nf)
                return -1;
            *out = nf;
        }
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (!(f = fopen(path, "rb")) || fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0)
            return -1;
        rewind(f);
        (*out)[*n].text = malloc((size_t)sz + 1);
        if (!(*out)[*n].text || fread((*out)[*n].text, 1, (size_t)sz, f) != (size_t)sz)
            return -1;
        fclose(f);
        (*out)[*n].text[sz] = '\0';
        (*out)[*n].len = (size_t)sz;
        snprintf((*out)[*n].name, sizeof (*out)[*n].name, "%s", e->d_name);
        *bytes += (size_t)sz;
        (*n)++;
    }
    closedir(dp);
    return 0;
}

/* One pass over all files; full = front end, else parser only.  Returns the
 * number of files refused. */
static size_t pass(const struct file *fs, size_t n, int full)
{
    size_t i, refused = 0;
    for (i = 0; i < n; i++) {
        struct arena a;
        struct diag d;
        arena_init(&a);
        diag_init(&d, NULL);
        if (full) {
            struct ir_policy *p;
            refused += frontend_parse(&a, &d, fs[i].name, fs[i].text, fs[i].len, NULL, &p) != FRONTEND_OK;
        } else {
            refused += json_parse(&a, &d, fs[i].name, fs[i].text, fs[i].len, 1) == NULL;
        }
        diag_fini(&d);
        arena_free(&a);
    }
    return refused;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "../shared/corpus/aws-managed";
    int rounds = argc > 2 ? atoi(argv[2]) : 20, r, full;
    struct file *fs;
    size_t n, bytes, i;

    if (rounds < 1)
        rounds = 1;
    if (load(dir, &fs, &n, &bytes) != 0 || n == 0) {
        fprintf(stderr, "bench_frontend: cannot read policy files from %s\n", dir);
        return 1;
    }
    printf("%zu files, %.2f MB, %d rounds, one thread\n", n, (double)bytes / 1e6, rounds);
    for (full = 0; full <= 1; full++) {
        double best = 1e30, wall = 0, cpu = 0;
        size_t refused = pass(fs, n, full); /* warm-up */
        if (refused) {
            fprintf(stderr, "bench_frontend: %zu files refused\n", refused);
            return 1;
        }
        for (r = 0; r < rounds; r++) {
            double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), dt;
            pass(fs, n, full);
            cpu += clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
            dt = clock_s(CLOCK_MONOTONIC) - w0;
            wall += dt;
            if (dt < best)
                best = dt;
        }
        printf("%-28s %7.1f MB/s (CPU time), %7.1f MB/s (wall, mean), %7.1f MB/s (wall, best pass: %.1f ms)\n",
               full ? "parse + validate (frontend)" : "parse only (json_parse)", (double)bytes * rounds / cpu / 1e6,
               (double)bytes * rounds / wall / 1e6, (double)bytes / best / 1e6, best * 1e3);
    }
    for (i = 0; i < n; i++)
        free(fs[i].text);
    free(fs);
    return 0;
}
