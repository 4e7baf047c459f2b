/* cli_explain_json.c - `pdtc explain --format json`: the explanation of one
 * request as one JSON document on standard output (docs/cli.md lists its
 * members).  The values come from pdt_decide (decision, deciding statement)
 * and runtime/explain.h (everything per statement), formatted by
 * cli_explain_fmt.c. */
#include <stdio.h>

#include "cli_explain.h"
#include "cli_explain_int.h"
#include "jsonout.h"

/* Writes statement i as one member of the "statements" array (first: no
 * leading comma). */
static void ex_json_stmt(FILE *f, struct cli_explain_run *r, uint32_t i, int first)
{
    static char tb[PDT_TMPL_MAX];
    struct pdt_explain_stmt s;
    uint32_t j, k, n;

    if (pdt_explain_stmt(&r->x, i, &s) < 0)
        return;
    fprintf(f, "%s{\"index\": %u, \"effect\": \"%s\", \"policy\": ", first ? "\n  " : ",\n  ", (unsigned)i,
            s.info.deny ? "Deny" : "Allow");
    jsonout_str(f, s.info.policy);
    if (s.info.line)
        fprintf(f, ", \"line\": %u", (unsigned)s.info.line);
    else
        fputs(", \"line\": null", f);
    fputs(", \"sid\": ", f);
    jsonout_str(f, s.info.policy ? s.info.sid : NULL);
    fprintf(f, ", \"applies\": %s, \"deciding\": %s, \"reason\": ", s.applies ? "true" : "false",
            r->why.statement == (int32_t)i ? "true" : "false");
    jsonout_str(f, cli_explain_reason(&r->x, &s, r->dec));
    n = cli_explain_actions(r, i, s.info.not_action);
    fprintf(f, ",\n   \"action\": {\"not\": %s, \"result\": %s, \"patterns\": [", s.info.not_action ? "true" : "false",
            s.action ? "true" : "false");
    for (j = 0; j < n; j++) {
        fputs(j ? ", " : "", f);
        fputs("{\"pattern\": ", f);
        jsonout_str(f, r->pats[j]);
        fprintf(f, ", \"match\": %s}", r->match[j] ? "true" : "false");
    }
    fprintf(f, "]},\n   \"resource\": {\"not\": %s, \"result\": \"%s\", \"patterns\": [",
            s.info.not_resource ? "true" : "false", cli_explain_tri(s.resource));
    for (j = 0; j < s.info.nresources; j++) {
        static const char *const kinds[] = {"glob", "automaton", "template", "any"};
        struct pdt_explain_res e;
        if (pdt_explain_resource(&r->x, i, j, &e, tb, sizeof tb) < 0)
            continue;
        fputs(j ? ", " : "", f);
        fputs("{\"pattern\": ", f);
        if (e.pattern)
            jsonout_strn(f, e.pattern, e.len);
        else
            fputs("null", f);
        fprintf(f, ", \"kind\": \"%s\", \"match\": \"%s\"}", kinds[e.kind & 3], cli_explain_tri(e.match));
    }
    fputs("]},\n   \"condition\": ", f);
    if (s.info.cond == PDT_COND_NONE) {
        fputs("null}", f);
        return;
    }
    fprintf(f, "{\"result\": \"%s\", \"tests\": [", cli_explain_tri(s.cond));
    for (j = 0; j < s.ntests; j++) {
        struct pdt_explain_test t;
        if (pdt_explain_test(&r->x, i, j, &t) < 0)
            continue;
        fputs(j ? ", " : "", f);
        fputs("{\"operator\": \"", f);
        cli_explain_op_name(f, t.op, t.flags);
        fputs("\", \"key\": ", f);
        jsonout_str(f, t.key);
        fputs(", \"values\": [", f);
        for (k = 0; k < t.nvals; k++) {
            fputs(k ? ", " : "", f);
            cli_explain_value(f, &r->x, i, j, k, t.op);
        }
        fprintf(f, "], \"seen\": \"%s\", \"request\": ",
                t.seen == 1 ? "present" : t.seen == 0 ? "absent" : "indeterminate");
        cli_explain_seen(f, &t);
        fprintf(f, ", \"result\": \"%s\"}", cli_explain_tri(t.result));
    }
    fputs("]}}", f);
}

void cli_explain_json(FILE *f, struct cli_explain_run *r)
{
    uint32_t i, n = pdt_explain_count(&r->x);
    int first = 1;
    fputs("{\"request\": {\"action\": ", f);
    jsonout_str(f, r->req->action);
    fputs(", \"resource\": ", f);
    jsonout_str(f, r->req->resource);
    fputs(", \"context\": ", f);
    cli_explain_print_context(f, r->req);
    fprintf(f, "},\n \"decision\": \"%s\", \"statement\": ", cli_explain_decision_name(r->dec));
    if (r->why.statement < 0) {
        fputs("null", f);
    } else {
        fprintf(f, "{\"index\": %d, \"policy\": ", (int)r->why.statement);
        jsonout_str(f, r->why.policy);
        if (r->why.line)
            fprintf(f, ", \"line\": %u", (unsigned)r->why.line);
        else
            fputs(", \"line\": null", f);
        fputs(", \"sid\": ", f);
        jsonout_str(f, r->why.sid);
        fputc('}', f);
    }
    fprintf(f, ",\n \"stripped\": %s, \"malformed_request\": %s, \"nstatements\": %u, \"matching_only\": %s,\n"
            " \"statements\": [", r->stripped ? "true" : "false", r->x.usable ? "false" : "true", (unsigned)n,
            r->matching ? "true" : "false");
    for (i = 0; i < n; i++)
        if (cli_explain_shown(r, i)) {
            ex_json_stmt(f, r, i, first);
            first = 0;
        }
    fputs("]}\n", f);
}

