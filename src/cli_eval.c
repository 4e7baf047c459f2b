/* cli_eval.c - `pdtc eval TABLE|POLICY.json... (--action A --resource R
 * [--context K=V]... [--context-json JSON] | --requests FILE|-)`: decides
 * requests and prints one JSON line per request.  Every decision comes from
 * pdt_open_mem + pdt_decide (policies are compiled in memory first); this
 * file owns only the options, the loop over request lines and the output
 * format.  Request parsing is request.c's, table loading cli_load.c's. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_load.h"
#include "json.h"
#include "jsonout.h"
#include "request.h"

struct cli_eval_opts {
    const char *action;         /* --action */
    const char *resource;       /* --resource */
    char **ctx;                 /* --context KEY=VALUE arguments */
    size_t nctx;
    const char *ctx_json;       /* --context-json */
    const char *requests;       /* --requests FILE|- */
    const char *color;          /* --color */
    char **files;               /* TABLE or POLICY.json... */
    size_t nfiles;
};

static void cli_eval_help(FILE *f)
{
    fputs("usage: pdtc eval TABLE|POLICY.json... --action A --resource R\n"
          "                 [--context KEY=VALUE]... [--context-json JSON]\n"
          "       pdtc eval TABLE|POLICY.json... --requests FILE|-\n"
          "\n"
          "Decides requests against one compiled table or policy files (compiled in\n"
          "memory) and prints one JSON line per request:\n"
          "  {\"id\": ..., \"decision\": \"Allow\"|\"ExplicitDeny\"|\"ImplicitDeny\",\n"
          "   \"statement\": {\"policy\": FILE, \"line\": N, \"sid\": SID|null} | null}\n"
          "\n"
          "  --action A           the request action (service:Name)\n"
          "  --resource R         the request resource (an ARN or *)\n"
          "  --context KEY=VALUE  a single-valued context key (repeatable)\n"
          "  --context-json JSON  context keys as a JSON object; an array is a list\n"
          "  --requests FILE|-    JSON Lines: {\"id\": any, \"action\": A, \"resource\": R,\n"
          "                       \"context\": {\"k\": \"v\", \"k2\": [\"a\", \"b\"]}}; a malformed\n"
          "                       line prints {\"id\": ..., \"error\": ...} and the rest go on\n"
          "  --color=WHEN         colour diagnostics: auto (default), always, never\n"
          "\n"
          "Exit status: 0 every request decided (whatever the decisions), 1 a policy,\n"
          "the table or a request line was refused, 2 usage, 3 I/O error.\n",
          f);
}

static const char *cli_eval_decision_name(enum pdt_decision dec)
{
    switch (dec) {
    case PDT_ALLOW: return "Allow";
    case PDT_EXPLICIT_DENY: return "ExplicitDeny";
    default: return "ImplicitDeny";
    }
}

/* Prints {"id": id, "decision": ..., "statement": ...} and a newline. */
static void cli_eval_print(FILE *f, const struct json *id, enum pdt_decision dec, const struct pdt_why *why)
{
    fputs("{\"id\": ", f);
    jsonout_value(f, id);
    fprintf(f, ", \"decision\": \"%s\", \"statement\": ", cli_eval_decision_name(dec));
    if (why->statement < 0) {
        fputs("null}\n", f);
        return;
    }
    fputs("{\"policy\": ", f);
    jsonout_str(f, why->policy);
    if (why->line)
        fprintf(f, ", \"line\": %u, \"sid\": ", (unsigned)why->line);
    else
        fputs(", \"line\": null, \"sid\": ", f);
    jsonout_str(f, why->sid);
    fputs("}}\n", f);
}

/* Prints {"id": id, "error": msg} and a newline. */
static void cli_eval_print_error(FILE *f, const struct json *id, const char *msg)
{
    fputs("{\"id\": ", f);
    jsonout_value(f, id);
    fputs(", \"error\": ", f);
    jsonout_str(f, msg);
    fputs("}\n", f);
}

/* Decides req and prints its line. */
static void cli_eval_decide(const struct pdt_table *t, const struct json *id, const struct pdt_request *req)
{
    struct pdt_why why;
    enum pdt_decision dec = pdt_decide(t, req, &why);
    cli_eval_print(stdout, id, dec, &why);
}

/* Reads the next line of f (without its "\n" or "\r\n") into *buf (grown
 * as needed, up to REQUEST_LINE_MAX + 1 bytes; the rest of a longer line is
 * skipped, and *len then exceeds REQUEST_LINE_MAX).  Returns 1, 0 at the end
 * of input, or -1 on a read error or when out of memory. */
static int cli_eval_getline(FILE *f, char **buf, size_t *cap, size_t *len)
{
    size_t n = 0;
    int c, any = 0;
    while ((c = getc(f)) != EOF) {
        any = 1;
        if (c == '\n')
            break;
        if (n + 1 >= *cap && n <= REQUEST_LINE_MAX) {
            size_t ncap = *cap ? *cap * 2 : 4096;
            char *nb = realloc(*buf, ncap);
            if (!nb)
                return -1;
            *buf = nb;
            *cap = ncap;
        }
        if (n <= REQUEST_LINE_MAX)
            (*buf)[n] = (char)c;
        n++;
    }
    if (ferror(f))
        return -1;
    if (!any)
        return 0;
    if (n <= REQUEST_LINE_MAX && n > 0 && (*buf)[n - 1] == '\r')
        n--;
    if (*buf && n <= REQUEST_LINE_MAX)
        (*buf)[n] = '\0';
    *len = n;
    return 1;
}

/* Decides (or refuses) one request line and prints its output line.
 * Returns 0, or -1 when the line was refused. */
static int cli_eval_line(const struct pdt_table *t, const char *name, const char *line, size_t len,
                         unsigned lineno)
{
    struct arena a;
    struct request_line r;
    int rc = 0;
    arena_init(&a);
    if (request_parse_line(&a, name, line, len, lineno, NULL, &r) < 0) {
        cli_eval_print_error(stdout, r.id, r.error);
        fprintf(stderr, "%s:%u: error: %s\n", name, lineno, r.error);
        rc = -1;
    } else
        cli_eval_decide(t, r.id, &r.req);
    arena_free(&a);
    return rc;
}

/* The --requests loop: reads JSON Lines as they come (so pdtc eval can serve
 * as a co-process: when the input is not a regular file, each answer is
 * flushed at once).  Returns CLI_OK, CLI_REFUSED (a line was refused) or
 * CLI_IO. */
static int cli_eval_requests(const struct pdt_table *t, const char *path)
{
    const char *name = cli_display_name(path);
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, len = 0;
    unsigned lineno = 0;
    int st = CLI_OK, rc, interactive;
    struct stat sb;

    if (!f) {
        fprintf(stderr, "pdtc: error: %s: %s\n", name, strerror(errno));
        return CLI_IO;
    }
    interactive = fstat(fileno(f), &sb) == 0 && !S_ISREG(sb.st_mode);
    while ((rc = cli_eval_getline(f, &buf, &cap, &len)) > 0) {
        lineno++;
        if (len <= REQUEST_LINE_MAX && request_blank(buf, len))
            continue;
        if (cli_eval_line(t, name, len <= REQUEST_LINE_MAX ? buf : "", len, lineno) < 0)
            st = CLI_REFUSED;
        if (interactive)
            fflush(stdout);
    }
    if (rc < 0) {
        fprintf(stderr, "pdtc: error: %s: %s\n", name, ferror(f) ? strerror(errno) : "out of memory");
        st = CLI_IO;
    }
    free(buf);
    if (f != stdin)
        fclose(f);
    return st;
}

/* One request from the command line.  Returns a cli_status. */
static int cli_eval_one(const struct pdt_table *t, const struct cli_eval_opts *o)
{
    struct arena a;
    struct request_ctx c = {NULL, 0, 0};
    struct pdt_request req;
    const char *err;
    int st;

    arena_init(&a);
    st = request_ctx_from_args(&a, "pdtc eval", o->ctx, o->nctx, o->ctx_json, &c, &err);
    if (st == CLI_REFUSED) {
        cli_eval_print_error(stdout, NULL, err);
        fprintf(stderr, "pdtc eval: error: %s\n", err);
    } else if (st == CLI_OK) {
        req.action = o->action;
        req.resource = o->resource;
        req.context = c.kv;
        req.ncontext = c.n;
        cli_eval_decide(t, NULL, &req);
    }
    arena_free(&a);
    return st;
}

/* The value of option `name` at argv[*i], given as "--name=V" or "--name V"
 * (then *i advances).  Returns NULL when argv[*i] is another option; sets
 * *missing when it is this one without a value. */
static const char *cli_eval_optval(int argc, char **argv, int *i, const char *name, int *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0 || (a[n] != '=' && a[n] != '\0'))
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

/* Parses the options into o (arrays point into argv).  Returns CLI_OK, or
 * CLI_USAGE after a message; *help is set for --help. */
static int cli_eval_args(int argc, char **argv, struct cli_eval_opts *o, int *help)
{
    static const char *const names[] = {"--action", "--resource", "--context-json", "--requests", "--color"};
    int i;
    for (i = 1; i < argc; i++) {
        const char **slots[] = {&o->action, &o->resource, &o->ctx_json, &o->requests, &o->color};
        const char *s = argv[i], *v = NULL;
        int missing = 0;
        size_t k;
        if (strcmp(s, "--") == 0) {
            while (++i < argc)
                o->files[o->nfiles++] = argv[i];
            break;
        }
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            *help = 1;
            return CLI_OK;
        }
        if ((v = cli_eval_optval(argc, argv, &i, "--context", &missing))) {
            if (!strchr(v, '=')) {
                fputs("pdtc eval: error: --context needs KEY=VALUE\n", stderr);
                return CLI_USAGE;
            }
            o->ctx[o->nctx++] = (char *)v;
            continue;
        }
        for (k = 0; k < sizeof names / sizeof names[0] && !v && !missing; k++) {
            v = cli_eval_optval(argc, argv, &i, names[k], &missing);
            if (!v)
                continue;
            if (*slots[k] && slots[k] != &o->color) {
                fprintf(stderr, "pdtc eval: error: %s given twice\n", names[k]);
                return CLI_USAGE;
            }
            *slots[k] = v;
        }
        if (missing) {
            fprintf(stderr, "pdtc eval: error: %s needs a value\n", s);
            return CLI_USAGE;
        }
        if (v)
            continue;
        if (s[0] == '-' && s[1] != '\0') {
            fprintf(stderr, "pdtc eval: error: unknown option '%s'\n", s);
            return CLI_USAGE;
        }
        o->files[o->nfiles++] = argv[i];
    }
    return CLI_OK;
}

/* Checks the combination of options.  Returns CLI_OK or CLI_USAGE. */
static int cli_eval_check(const struct cli_eval_opts *o)
{
    size_t i;
    const char *why = NULL;
    if (o->nfiles == 0)
        why = "give a table or policy files";
    else if (o->requests && (o->action || o->resource || o->nctx || o->ctx_json))
        why = "--requests cannot be combined with --action, --resource or --context";
    else if (!o->requests && (!o->action || !o->resource))
        why = "give --action and --resource, or --requests";
    for (i = 0; !why && o->requests && i < o->nfiles; i++)
        if (strcmp(o->requests, "-") == 0 && strcmp(o->files[i], "-") == 0)
            why = "standard input cannot hold both requests and a policy";
    if (!why)
        return CLI_OK;
    fprintf(stderr, "pdtc eval: error: %s\n", why);
    return CLI_USAGE;
}

int cli_eval(int argc, char **argv)
{
    struct cli_eval_opts o;
    struct cli_table tab;
    int help = 0, st;

    memset(&o, 0, sizeof o);
    o.color = "auto";
    o.ctx = calloc((size_t)argc + 1, sizeof *o.ctx);
    o.files = calloc((size_t)argc + 1, sizeof *o.files);
    if (!o.ctx || !o.files) {
        st = CLI_IO;
        goto out;
    }
    st = cli_eval_args(argc, argv, &o, &help);
    if (st == CLI_OK && help) {
        cli_eval_help(stdout);
        goto out;
    }
    if (st == CLI_OK)
        st = cli_eval_check(&o);
    st = cli_table_start("eval", st, o.color, o.files, o.nfiles, &tab);
    if (st != CLI_OK)
        goto out;
    st = o.requests ? cli_eval_requests(tab.t, o.requests) : cli_eval_one(tab.t, &o);
    cli_table_close(&tab);
    st = cli_stdout_done("eval", st);
out:
    free(o.ctx);
    free(o.files);
    return st;
}
