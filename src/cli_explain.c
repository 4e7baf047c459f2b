/* cli_explain.c - `pdtc explain TABLE|POLICY.json... --action A --resource R
 * [--context K=V]... [--context-json J] [--format text|json]`: the decision of
 * one request, its deciding statement (FILE:LINE Sid) and, for every
 * statement, why it did or did not apply: each action pattern, each resource
 * entry, each condition test with the request value it saw.
 *
 * The decision and the deciding statement come from pdt_decide; the
 * per-statement breakdown from runtime/explain.h, which runs the runtime's
 * own matchers and condition engine.  This file owns the options, the
 * request context and the text output; the JSON output is
 * cli_explain_json.c's, the shared formatting cli_explain_fmt.c's. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_explain.h"
#include "cli_explain_int.h"
#include "cli_load.h"
#include "condfmt.h"
#include "explain.h"
#include "json.h"
#include "jsonout.h"
#include "request.h"

/* ---- options ----------------------------------------------------------- */

struct ex_opts {
    const char *action, *resource, *ctx_json, *format, *color;
    char **ctx;           /* --context KEY=VALUE */
    size_t nctx;
    char **files;
    size_t nfiles;
    int json;
    int matching;         /* --matching: only statements whose action matches */
};

static void ex_help(FILE *f)
{
    fputs("usage: pdtc explain TABLE|POLICY.json... --action A --resource R\n"
          "                    [--context KEY=VALUE]... [--context-json JSON] [--format text|json]\n"
          "\n"
          "Decides one request (with pdt_decide, on a table or on policy files compiled\n"
          "in memory) and explains it: the decision, the deciding statement as FILE:LINE\n"
          "with its Sid, and for every statement why it did or did not apply: which\n"
          "action patterns and resource entries match the request, and each condition\n"
          "test with the request value it saw and its result (true, false or\n"
          "indeterminate).  A table compiled with --strip has no FILE:LINE or Sid: its\n"
          "statements are shown by index, and the output says so.\n"
          "\n"
          "  --action A           the request action (service:Name)\n"
          "  --resource R         the request resource (an ARN or *)\n"
          "  --context KEY=VALUE  a single-valued context key (repeatable)\n"
          "  --context-json JSON  context keys as a JSON object; an array is a list\n"
          "  --format text|json   text (default) or one JSON document, on standard output\n"
          "  --matching           list only the statements whose Action/NotAction admits\n"
          "                       the action (the others cannot apply); for large tables\n"
          "  --color=WHEN         colour policy diagnostics: auto (default), always, never\n"
          "\n"
          "Exit status: 0 explained (whatever the decision), 1 a policy, the table or the\n"
          "context was refused, 2 usage, 3 a file could not be read.\n",
          f);
}

/* Parses argv into o.  Returns CLI_OK or CLI_USAGE (after a message). */
static int ex_args(int argc, char **argv, struct ex_opts *o, int *help)
{
    int i;
    for (i = 1; i < argc; i++) {
        const char *s = argv[i], **slot = NULL;
        if (strcmp(s, "--") == 0) {
            while (++i < argc)
                o->files[o->nfiles++] = argv[i];
            break;
        }
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            *help = 1;
            return CLI_OK;
        }
        if (strncmp(s, "--color=", 8) == 0) {
            o->color = s + 8;
            continue;
        }
        if (strcmp(s, "--matching") == 0) {
            o->matching = 1;
            continue;
        }
        if (strncmp(s, "--format=", 9) == 0) {
            o->format = s + 9;
            continue;
        }
        if (strcmp(s, "--action") == 0)
            slot = &o->action;
        else if (strcmp(s, "--resource") == 0)
            slot = &o->resource;
        else if (strcmp(s, "--context-json") == 0)
            slot = &o->ctx_json;
        else if (strcmp(s, "--format") == 0)
            slot = &o->format;
        else if (strcmp(s, "--context") == 0) {
            if (++i >= argc || !strchr(argv[i], '=')) {
                fputs("pdtc explain: error: --context needs KEY=VALUE\n", stderr);
                return CLI_USAGE;
            }
            o->ctx[o->nctx++] = argv[i];
            continue;
        } else if (s[0] == '-' && s[1] != '\0') {
            fprintf(stderr, "pdtc explain: error: unknown option '%s'\n", s);
            return CLI_USAGE;
        } else {
            o->files[o->nfiles++] = argv[i];
            continue;
        }
        if (++i >= argc) {
            fprintf(stderr, "pdtc explain: error: %s needs a value\n", s);
            return CLI_USAGE;
        }
        if (*slot && slot != &o->format) {
            fprintf(stderr, "pdtc explain: error: %s given twice\n", s);
            return CLI_USAGE;
        }
        *slot = argv[i];
    }
    if (o->format && strcmp(o->format, "json") != 0 && strcmp(o->format, "text") != 0) {
        fprintf(stderr, "pdtc explain: error: --format must be text or json, not '%s'\n", o->format);
        return CLI_USAGE;
    }
    o->json = o->format && strcmp(o->format, "json") == 0;
    if (o->nfiles == 0 || !o->action || !o->resource) {
        fputs(o->nfiles == 0 ? "pdtc explain: error: give a table or policy files\n"
                             : "pdtc explain: error: give --action and --resource\n",
              stderr);
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* Builds the request context from --context and --context-json.  Returns
 * CLI_OK, CLI_USAGE (a malformed argument) or CLI_REFUSED (keys refused). */
static int ex_context(struct arena *a, const struct ex_opts *o, struct request_ctx *c)
{
    const char *err;
    int st = request_ctx_from_args(a, "pdtc explain", o->ctx, o->nctx, o->ctx_json, c, &err);
    if (st == CLI_REFUSED)
        fprintf(stderr, "pdtc explain: error: %s\n", err);
    return st;
}

/* ---- text output ------------------------------------------------------- */

/* Writes statement i: its name, whether it applies and why, then its action
 * patterns (matching first), resource entries and condition tests. */
static void ex_text_stmt(FILE *f, struct cli_explain_run *r, uint32_t i)
{
    static char tb[PDT_TMPL_MAX];
    struct pdt_explain_stmt s;
    uint32_t j, k, n;

    if (pdt_explain_stmt(&r->x, i, &s) < 0)
        return;
    fprintf(f, "\n#%u", (unsigned)i);
    if (s.info.policy) {
        fputc(' ', f);
        cli_explain_print_stmt_name(f, (int32_t)i, s.info.policy, s.info.line, s.info.sid);
    }
    fprintf(f, " %s: %s%s\n", s.info.deny ? "Deny" : "Allow", cli_explain_reason(&r->x, &s, r->dec),
            r->why.statement == (int32_t)i ? " (the deciding statement)" : "");
    /* action */
    n = cli_explain_actions(r, i, s.info.not_action);
    fprintf(f, "  %s: %s\n", s.info.not_action ? "NotAction" : "Action",
            !r->x.usable ? "not evaluated"
            : s.info.not_action ? (s.action ? "no pattern matches, so the action is in" : "a pattern matches, so the action is out")
                                : (s.action ? "matches" : "no pattern matches"));
    for (k = 0; k < 2; k++)  /* the matching patterns first */
        for (j = 0; j < n; j++)
            if ((r->match[j] != 0) == (k == 0))
                fprintf(f, "    %-5s %s\n", r->match[j] ? "yes" : "no", r->pats[j]);
    /* resource */
    fprintf(f, "  %s: %s\n", s.info.not_resource ? "NotResource" : "Resource",
            !r->x.usable ? "not evaluated"
            : s.info.not_resource ? (s.resource == PDT_TRI_TRUE    ? "no pattern matches, so the resource is in"
                                     : s.resource == PDT_TRI_FALSE ? "a pattern matches, so the resource is out"
                                                                   : "indeterminate")
                                  : (s.resource == PDT_TRI_TRUE    ? "matches"
                                     : s.resource == PDT_TRI_FALSE ? "no pattern matches"
                                                                   : "indeterminate"));
    for (j = 0; j < s.info.nresources; j++) {
        struct pdt_explain_res e;
        if (pdt_explain_resource(&r->x, i, j, &e, tb, sizeof tb) < 0)
            continue;
        fprintf(f, "    %-5s ", e.match == PDT_TRI_TRUE ? "yes" : e.match == PDT_TRI_FALSE ? "no" : "indet");
        if (e.kind == PDT_RES_TMPL) {
            if (e.pattern)
                fprintf(f, "%.*s (policy variables, expanded for this request)\n", (int)e.len, e.pattern);
            else
                fputs(e.tmpl_status == -1 ? "(policy variables: a variable has no value, matches nothing)\n"
                                          : "(policy variables: expansion indeterminate)\n",
                      f);
        } else {
            fprintf(f, "%s\n", e.pattern);
        }
    }
    /* condition */
    if (s.info.cond == PDT_COND_NONE) {
        fputs("  Condition: none\n", f);
        return;
    }
    fprintf(f, "  Condition: %s\n", r->x.usable ? cli_explain_tri(s.cond) : "not evaluated");
    for (j = 0; j < s.ntests; j++) {
        struct pdt_explain_test t;
        if (pdt_explain_test(&r->x, i, j, &t) < 0)
            continue;
        fprintf(f, "    %-5s ", !r->x.usable ? "-" : t.result == PDT_TRI_INDET ? "indet" : cli_explain_tri(t.result));
        cli_explain_op_name(f, t.op, t.flags);
        fprintf(f, " %s [", t.key);
        for (k = 0; k < t.nvals; k++) {
            fputs(k ? ", " : "", f);
            cli_explain_value(f, &r->x, i, j, k, t.op);
        }
        fputs("]; request value: ", f);
        if (t.seen == 1)
            cli_explain_seen(f, &t);
        else
            fputs(t.seen == 0 ? "absent" : "indeterminate (two context keys equal ignoring case)", f);
        fputc('\n', f);
    }
}

/* Writes the whole text explanation: request, decision, notes, statements. */
static void ex_text(FILE *f, struct cli_explain_run *r)
{
    uint32_t i, n = pdt_explain_count(&r->x);
    fputs("request: action ", f);
    jsonout_str(f, r->req->action);
    fputs(", resource ", f);
    jsonout_str(f, r->req->resource);
    if (r->req->ncontext) {
        fputs(", context ", f);
        cli_explain_print_context(f, r->req);
    }
    fprintf(f, "\ndecision: %s\ndeciding statement: ", cli_explain_decision_name(r->dec));
    cli_explain_print_why(f, &r->why);
    fputc('\n', f);
    if (!r->x.usable)
        fputs("the request is malformed (an action without ':', an empty or over-long string, ...):\n"
              "pdt_decide denies it implicitly and no statement is evaluated\n",
              f);
    if (r->stripped)
        fputs("note: the table was compiled with --strip: it keeps no provenance (policy file, line,\n"
              "Sid), so statements are shown by index only\n",
              f);
    if (r->matching)
        fprintf(f, "statements: %u (%u shown: those whose Action/NotAction admits the action)\n", (unsigned)n,
                (unsigned)cli_explain_nshown(r));
    else
        fprintf(f, "statements: %u\n", (unsigned)n);
    for (i = 0; i < n; i++)
        if (cli_explain_shown(r, i))
            ex_text_stmt(f, r, i);
}

/* Decides and explains the request of o on table t.  Returns a cli_status. */
static int ex_run(const struct pdt_table *t, const struct ex_opts *o)
{
    struct arena a;
    struct request_ctx c = {NULL, 0, 0};
    struct pdt_request req;
    struct pdt_info info;
    struct cli_explain_run r;
    int st;

    arena_init(&a);
    st = ex_context(&a, o, &c);
    if (st == CLI_OK) {
        memset(&r, 0, sizeof r);
        req.action = o->action;
        req.resource = o->resource;
        req.context = c.kv;
        req.ncontext = c.n;
        r.req = &req;
        r.dec = pdt_decide(t, &req, &r.why);  /* the decision: pdt_decide's, nothing else */
        pdt_explain_init(&r.x, t, &req);
        pdt_introspect_info(t, &info);
        r.stripped = info.stripped;
        r.matching = o->matching;
        cli_explain_build_actions(&r);
        if (o->json)
            cli_explain_json(stdout, &r);
        else
            ex_text(stdout, &r);
        free(r.pats);
        free(r.match);
        free(r.aoff);
        free(r.apat);
    }
    arena_free(&a);
    return st;
}

int cli_explain(int argc, char **argv)
{
    struct ex_opts o;
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
    st = ex_args(argc, argv, &o, &help);
    if (st == CLI_OK && help) {
        ex_help(stdout);
        goto out;
    }
    st = cli_table_start("explain", st, o.color, o.files, o.nfiles, &tab);
    if (st != CLI_OK)
        goto out;
    st = ex_run(tab.t, &o);
    cli_table_close(&tab);
    st = cli_stdout_done("explain", st);
out:
    free(o.ctx);
    free(o.files);
    return st;
}

