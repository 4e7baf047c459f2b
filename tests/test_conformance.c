/* test_conformance.c - runs EVERY case of ../shared/docs/conformance.jsonl
 * through the built pdtc: the case's policies are written to temporary files
 * and decided with `pdtc eval POLICY.json... --requests FILE` (compiled in
 * memory), and again through `pdtc compile` + `pdtc eval TABLE`; both must
 * give the expected decision.  Failing cases are printed with expected and
 * actual decisions; those whose policies hold a Condition or a ${...}
 * variable are counted separately (they need the condition engine), but
 * every case must pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "json.h"
#include "jsonout.h"
#include "testutil.h"

static char conf_dir[] = "/tmp/pdt-test-conf-XXXXXX";

/* The decision in a pdtc eval output line ("?" when absent). */
static void conf_decision(const char *out, char *dec, size_t cap)
{
    const char *p = out ? strstr(out, "\"decision\": \"") : NULL;
    size_t n = 0;
    if (!p) {
        snprintf(dec, cap, "%s", out && strstr(out, "\"error\"") ? "error" : "?");
        return;
    }
    p += strlen("\"decision\": \"");
    while (p[n] && p[n] != '"' && n + 1 < cap)
        n++;
    memcpy(dec, p, n);
    dec[n] = '\0';
}

/* Writes v as one line of JSON to path.  Returns 0 or -1. */
static int conf_write(const char *path, const struct json *v)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    jsonout_value(f, v);
    fputc('\n', f);
    return fclose(f);
}

/* Runs one case: writes its files, decides it both ways.  Fills the two
 * decisions; *conditioned is set when the policies use conditions or
 * variables.  Returns 0, or -1 when the case line itself is unusable. */
static int conf_case(const struct json *c, const char *id, char *d_mem, char *d_tab, size_t cap,
                     int *conditioned)
{
    const struct json_member *pm = json_get(c, "policies"), *rm = json_get(c, "request");
    char args[16384], path[600], *out = NULL, *text = NULL;
    size_t i, used = 0, tlen = 0;
    FILE *mem;

    if (!pm || pm->value->type != JSON_ARRAY || !rm || rm->value->type != JSON_OBJECT)
        return -1;
    mem = open_memstream(&text, &tlen);
    jsonout_value(mem, pm->value);
    fclose(mem);
    *conditioned = text && (strstr(text, "\"Condition\"") || strstr(text, "${"));
    free(text);
    args[0] = '\0';
    for (i = 0; i < pm->value->u.arr.n; i++) {
        snprintf(path, sizeof path, "%s/%s-%zu.json", conf_dir, id, i);
        if (conf_write(path, pm->value->u.arr.items[i]) < 0)
            return -1;
        used += (size_t)snprintf(args + used, sizeof args - used, " '%s'", path);
        if (used >= sizeof args)
            return -1;
    }
    snprintf(path, sizeof path, "%s/%s.jsonl", conf_dir, id);
    if (conf_write(path, rm->value) < 0)
        return -1;
    /* in memory (an empty policy list cannot be given to eval: table only) */
    if (pm->value->u.arr.n > 0) {
        char cmd[17600];
        snprintf(cmd, sizeof cmd, "eval%s --requests '%s'", args, path);
        tu_pdtc(cmd, NULL, &out, NULL);
        conf_decision(out, d_mem, cap);
        free(out);
        out = NULL;
    }
    /* through a table file */
    {
        char cmd[17600], table[600];
        snprintf(table, sizeof table, "%s/%s.pdt", conf_dir, id);
        snprintf(cmd, sizeof cmd, "compile -o '%s'%s", table, args);
        if (tu_pdtc(cmd, NULL, NULL, NULL) != 0) {
            snprintf(d_tab, cap, "compile-failed");
        } else {
            snprintf(cmd, sizeof cmd, "eval '%s' --requests '%s'", table, path);
            tu_pdtc(cmd, NULL, &out, NULL);
            conf_decision(out, d_tab, cap);
            free(out);
        }
    }
    if (pm->value->u.arr.n == 0)
        snprintf(d_mem, cap, "%s", d_tab);
    return 0;
}

static void test_conformance_all(void)
{
    const char *path = tu_shared("docs/conformance.jsonl"), *line;
    char *buf;
    size_t len, pos = 0;
    unsigned lineno = 0, total = 0, pass = 0, fail_plain = 0, fail_cond = 0;
    char cmd[700];

    if (!path)
        return;
    buf = tu_read_file(path, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(conf_dir));
    for (line = buf; pos < len; line = buf + pos) {
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        struct arena a;
        struct diag d;
        struct json *c;
        const struct json_member *idm, *em;
        char d_mem[64] = "?", d_tab[64] = "?";
        int conditioned = 0;

        pos += n + (nl ? 1 : 0);
        lineno++;
        if (n == 0)
            continue;
        arena_init(&a);
        diag_init(&d, stderr);
        c = json_parse(&a, &d, path, line, n, lineno);
        idm = c ? json_get(c, "id") : NULL;
        em = c ? json_get(c, "expected") : NULL;
        CU_ASSERT_FATAL(c && idm && em && idm->value->type == JSON_STRING && em->value->type == JSON_STRING);
        total++;
        CU_ASSERT_EQUAL_FATAL(conf_case(c, idm->value->u.str.s, d_mem, d_tab, sizeof d_mem, &conditioned), 0);
        if (strcmp(d_mem, em->value->u.str.s) == 0 && strcmp(d_tab, em->value->u.str.s) == 0) {
            pass++;
        } else {
            printf("\n  FAIL %s%s: expected %s, eval of policies %s, eval of table %s", idm->value->u.str.s,
                   conditioned ? " (Condition/${...})" : "", em->value->u.str.s, d_mem, d_tab);
            if (conditioned)
                fail_cond++;
            else
                fail_plain++;
        }
        diag_fini(&d);
        arena_free(&a);
    }
    printf("\n  conformance: %u cases, %u pass, %u fail without Condition/${...}, %u fail with them\n", total,
           pass, fail_plain, fail_cond);
    CU_ASSERT_EQUAL(fail_plain, 0);
    CU_ASSERT_EQUAL(fail_cond, 0);
    CU_ASSERT_EQUAL(pass, total);
    CU_ASSERT(total >= 149);
    free(buf);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", conf_dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

int main(void)
{
    CU_pSuite s;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("conformance", NULL, NULL);
    CU_add_test(s, "every conformance case through pdtc eval", test_conformance_all);
    return tu_run();
}
