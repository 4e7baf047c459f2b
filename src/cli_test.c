/* cli_test.c - `pdtc test TABLE|POLICY.json... EXPECT.jsonl`: policy unit
 * tests.  Each line of EXPECT.jsonl is a request line as `pdtc eval
 * --requests` reads it plus "expect": "Allow"|"ExplicitDeny"|"ImplicitDeny".
 * Every request is decided by pdt_decide on the table (policies are compiled
 * in memory by cli_load.c); this file owns only the options, the expectation
 * member, the failure report and the summary.  Output: one line per failure
 * ("FILE:LINE: expected X, got Y: REQUEST; deciding statement: ...") and the
 * summary "N passed, M failed" on standard output; malformed lines are
 * diagnostics ("FILE:LINE:COL: error: ...") on standard error and count as
 * failures.  Exit status: 0 all expectations hold, 1 one failed (or a line,
 * policy or table was refused), 2 usage, 3 I/O. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_explain.h"
#include "cli_load.h"
#include "json.h"
#include "jsonout.h"
#include "request.h"

struct cli_test_opts {
    const char *color;   /* --color */
    int verbose;         /* -v: also print passing lines */
    char **files;        /* TABLE or POLICY.json..., then EXPECT.jsonl last */
    size_t nfiles;
};

struct cli_test_count {
    unsigned passed, failed, malformed;
};

static void cli_test_help(FILE *f)
{
    fputs("usage: pdtc test [OPTIONS] TABLE|POLICY.json... EXPECT.jsonl\n"
          "\n"
          "Policy unit tests.  Each line of EXPECT.jsonl ('-' = standard input) is a\n"
          "request line as `pdtc eval --requests` reads it, plus the decision it must get:\n"
          "  {\"id\": any, \"action\": A, \"resource\": R, \"context\": {...},\n"
          "   \"expect\": \"Allow\"|\"ExplicitDeny\"|\"ImplicitDeny\"}\n"
          "Every request is decided by the runtime (pdt_decide) on the table, or on the\n"
          "policy files compiled in memory.  Each failure prints\n"
          "  EXPECT.jsonl:LINE: expected X, got Y: REQUEST; deciding statement: FILE:LINE Sid S\n"
          "and a summary line \"N passed, M failed\" ends the output (standard output).\n"
          "A malformed line is reported as EXPECT.jsonl:LINE:COL: error: ... on standard\n"
          "error and counts as failed.  Blank lines are skipped.\n"
          "\n"
          "options:\n"
          "  -v, --verbose        also print a line for each expectation that holds\n"
          "  --color=WHEN         colour policy diagnostics: auto (default), always, never\n"
          "  -h, --help           show this help\n"
          "\n"
          "Exit status: 0 every expectation holds, 1 one failed (or a line, a policy or\n"
          "the table was refused), 2 usage, 3 a file could not be read.\n",
          f);
}

/* Prints the request of line root (its members but "expect") as one JSON object. */
static void cli_test_print_request(FILE *f, const struct json *root)
{
    size_t i;
    int first = 1;
    fputc('{', f);
    for (i = 0; i < root->u.obj.n; i++) {
        const struct json_member *m = &root->u.obj.members[i];
        if (strcmp(m->key, "expect") == 0)
            continue;
        fputs(first ? "" : ", ", f);
        first = 0;
        jsonout_strn(f, m->key, m->key_len);
        fputs(": ", f);
        jsonout_value(f, m->value);
    }
    fputc('}', f);
}

/* Column of a schema error on line r: the value (or, for an unknown member,
 * the key) of the first member the message names in quotes, else the
 * object's own column. */
static unsigned cli_test_error_col(const struct request_line *r)
{
    char q[128];
    size_t i;
    if (!r->root || r->root->type != JSON_OBJECT)
        return r->root ? r->root->loc.col : 1;
    for (i = 0; i < r->root->u.obj.n; i++) {
        const struct json_member *m = &r->root->u.obj.members[i];
        if (m->key_len + 3 > sizeof q)
            continue;
        snprintf(q, sizeof q, "\"%s\"", m->key);
        if (strstr(r->error, q))
            return strstr(r->error, "unknown member") ? m->key_loc.col : m->value->loc.col;
    }
    return r->root->loc.col;
}

/* Reports malformed line r: "NAME:LINE:COL: error: MSG".  JSON syntax errors
 * come from request.c as "LINE:COL: msg" already. */
static void cli_test_report_malformed(const char *name, const struct request_line *r, unsigned col)
{
    const char *e = r->error;
    size_t k = 0;
    fflush(stdout);  /* keep failures and errors in file order on a shared terminal */
    while (isdigit((unsigned char)e[k]))
        k++;
    if (k && e[k] == ':' && isdigit((unsigned char)e[k + 1])) {
        size_t j = k + 1;
        while (isdigit((unsigned char)e[j]))
            j++;
        if (e[j] == ':') {
            fprintf(stderr, "%s:%.*s: error:%s\n", name, (int)j, e, e + j + 1);
            return;
        }
    }
    fprintf(stderr, "%s:%u:%u: error: %s\n", name, r->line, col, e);
}

/* Checks one line: parses it, decides, compares.  Updates c. */
static void cli_test_line(const struct pdt_table *t, const char *name, const char *text, size_t len,
                          unsigned lineno, int verbose, struct cli_test_count *c)
{
    static const char *const extra[] = {"expect", NULL};
    struct arena a;
    struct request_line r;
    const struct json_member *m;
    enum pdt_decision want, got;
    struct pdt_why why;

    arena_init(&a);
    if (request_parse_line(&a, name, text, len, lineno, extra, &r) < 0) {
        cli_test_report_malformed(name, &r, cli_test_error_col(&r));
        goto bad;
    }
    m = json_get(r.root, "expect");
    if (!m) {
        r.error = "missing \"expect\" (\"Allow\", \"ExplicitDeny\" or \"ImplicitDeny\")";
        cli_test_report_malformed(name, &r, r.root->loc.col);
        goto bad;
    }
    if (m->value->type != JSON_STRING || strlen(m->value->u.str.s) != m->value->u.str.len ||
        cli_explain_decision_parse(m->value->u.str.s, &want) < 0) {
        r.error = "\"expect\" must be \"Allow\", \"ExplicitDeny\" or \"ImplicitDeny\"";
        cli_test_report_malformed(name, &r, m->value->loc.col);
        goto bad;
    }
    got = pdt_decide(t, &r.req, &why);
    if (got == want) {
        c->passed++;
        if (verbose) {
            printf("%s:%u: ok: %s: ", name, lineno, cli_explain_decision_name(got));
            cli_test_print_request(stdout, r.root);
            putchar('\n');
        }
    } else {
        c->failed++;
        printf("%s:%u: expected %s, got %s: ", name, lineno, cli_explain_decision_name(want),
               cli_explain_decision_name(got));
        cli_test_print_request(stdout, r.root);
        fputs("; deciding statement: ", stdout);
        cli_explain_print_why(stdout, &why);
        putchar('\n');
    }
    arena_free(&a);
    return;
bad:
    c->failed++;
    c->malformed++;
    arena_free(&a);
}

/* Runs every line of the expectation file.  Returns a cli_status. */
static int cli_test_run(const struct pdt_table *t, const char *path, int verbose)
{
    const char *name = cli_display_name(path);
    struct cli_test_count c = {0, 0, 0};
    char *buf;
    size_t len, pos = 0, llen;
    unsigned lineno = 0;
    const char *line;

    if (cli_read_file(path, &buf, &len) < 0) {
        fprintf(stderr, "pdtc: error: %s: %s\n", name, strerror(errno));
        return CLI_IO;
    }
    while (request_next_line(buf, len, &pos, &lineno, &line, &llen)) {
        if (request_blank(line, llen))
            continue;
        cli_test_line(t, name, line, llen, lineno, verbose, &c);
    }
    free(buf);
    printf("%u passed, %u failed", c.passed, c.failed);
    if (c.malformed)
        printf(" (%u malformed line%s)", c.malformed, c.malformed == 1 ? "" : "s");
    putchar('\n');
    return c.failed ? CLI_REFUSED : CLI_OK;
}

/* Parses the options.  Returns CLI_OK or CLI_USAGE (after a message). */
static int cli_test_args(int argc, char **argv, struct cli_test_opts *o, int *help)
{
    int i;
    for (i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "--") == 0) {
            while (++i < argc)
                o->files[o->nfiles++] = argv[i];
            break;
        }
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            *help = 1;
            return CLI_OK;
        }
        if (strcmp(s, "-v") == 0 || strcmp(s, "--verbose") == 0)
            o->verbose = 1;
        else if (strncmp(s, "--color=", 8) == 0)
            o->color = s + 8;
        else if (s[0] == '-' && s[1] != '\0') {
            fprintf(stderr, "pdtc test: error: unknown option '%s'\n", s);
            return CLI_USAGE;
        } else
            o->files[o->nfiles++] = argv[i];
    }
    if (o->nfiles < 2) {
        fputs("pdtc test: error: give a table or policy files, then EXPECT.jsonl\n", stderr);
        return CLI_USAGE;
    }
    for (i = 0; (size_t)i + 1 < o->nfiles; i++)
        if (strcmp(o->files[i], "-") == 0 && strcmp(o->files[o->nfiles - 1], "-") == 0) {
            fputs("pdtc test: error: standard input cannot hold both expectations and a policy\n", stderr);
            return CLI_USAGE;
        }
    return CLI_OK;
}

int cli_test(int argc, char **argv)
{
    struct cli_test_opts o;
    struct cli_table tab;
    int help = 0, st;

    memset(&o, 0, sizeof o);
    o.color = "auto";
    o.files = calloc((size_t)argc + 1, sizeof *o.files);
    if (!o.files) {
        fputs("pdtc test: error: out of memory\n", stderr);
        return CLI_IO;
    }
    st = cli_test_args(argc, argv, &o, &help);
    if (st == CLI_OK && help) {
        cli_test_help(stdout);
        free(o.files);
        return CLI_OK;
    }
    st = cli_table_start("test", st, o.color, o.files, o.nfiles - 1, &tab);
    if (st == CLI_OK) {
        st = cli_test_run(tab.t, o.files[o.nfiles - 1], o.verbose);
        cli_table_close(&tab);
        st = cli_stdout_done("test", st);
    }
    free(o.files);
    return st;
}
