/* testutil.c - shared test helpers (see testutil.h). */
#include "testutil.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int tu_run(void)
{
    unsigned failed;
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}

static const char *tu_join(const char *env, const char *fallback, const char *rel)
{
    static char path[4096];
    const char *base = getenv(env);
    snprintf(path, sizeof path, "%s/%s", base && *base ? base : fallback, rel);
    return path;
}

const char *tu_shared(const char *rel)
{
    struct stat st;
    const char *p = tu_join("PDT_SHARED", "../shared", rel);
    if (stat(p, &st) != 0) {
        printf("skipped: %s (no ../shared at %s)\n", rel, p);
        return NULL;
    }
    return p;
}

const char *tu_source(const char *rel)
{
    return tu_join("PDT_SOURCE_DIR", ".", rel);
}

char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f)
        return NULL;
    for (;;) {
        size_t r;
        if (cap - n < 65536) {
            char *nb = realloc(buf, cap ? cap * 2 : 65536 + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
            cap = cap ? cap * 2 : 65536 + 1;
        }
        r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int tu_pdtc(const char *args, const char *stdin_text, char **out, char **err)
{
    char tmpl_in[] = "/tmp/pdt-tu-inXXXXXX", tmpl_out[] = "/tmp/pdt-tu-outXXXXXX",
         tmpl_err[] = "/tmp/pdt-tu-errXXXXXX";
    char cmd[16384];
    const char *pdtc = getenv("PDTC");
    int fi = mkstemp(tmpl_in), fo = mkstemp(tmpl_out), fe = mkstemp(tmpl_err), st;
    if (fi < 0 || fo < 0 || fe < 0)
        return -1;
    if (stdin_text && write(fi, stdin_text, strlen(stdin_text)) < 0)
        return -1;
    close(fi);
    close(fo);
    close(fe);
    snprintf(cmd, sizeof cmd, "'%s' %s <%s >%s 2>%s", pdtc && *pdtc ? pdtc : "pdtc", args, tmpl_in,
             tmpl_out, tmpl_err);
    st = system(cmd);
    if (out)
        *out = tu_read_file(tmpl_out, NULL);
    if (err)
        *err = tu_read_file(tmpl_err, NULL);
    unlink(tmpl_in);
    unlink(tmpl_out);
    unlink(tmpl_err);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

void tu_cap_sink(void *arg, const struct diag_record *r)
{
    struct tu_cap *c = arg;
    if (r->level == DIAG_ERROR) {
        if (r->code && strncmp(r->code, "json-", 5) == 0)
            c->json_errors++;
        else
            c->other_errors++;
    }
    if (c->n < TU_CAP_MAX) {
        c->level[c->n] = r->level;
        snprintf(c->code[c->n], sizeof c->code[0], "%s", r->code ? r->code : "");
        c->loc[c->n] = r->loc;
        snprintf(c->msg[c->n], sizeof c->msg[0], "%s", r->message);
    }
    c->n++;
}

struct json *tu_json_parse(struct arena *a, const char *s, size_t len, struct tu_cap *c, int max_errors)
{
    struct diag d;
    struct json *j;
    memset(c, 0, sizeof *c);
    diag_init(&d, NULL);
    d.sink = tu_cap_sink;
    d.sink_arg = c;
    if (max_errors >= 0)
        d.max_errors = (unsigned)max_errors;
    j = json_parse(a, &d, "t.json", s, len, 1);
    diag_fini(&d);
    return j;
}
