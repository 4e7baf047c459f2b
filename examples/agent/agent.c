/* agent.c - a minimal program embedding libpdt: maps one decision table with
 * pdt_open and answers requests read from standard input, one per line in
 * the tab-separated form of reqline.h, with one line per request:
 *
 *   DECISION <TAB> POLICY <TAB> LINE <TAB> SID
 *
 * DECISION is Allow, ExplicitDeny or ImplicitDeny; POLICY, LINE and SID name
 * the deciding statement ("-", 0, "-" when there is none, the table was
 * stripped or the statement has no Sid).  A malformed line gets
 * "error <TAB> MESSAGE" and the agent goes on; the exit status is then 1.
 * It links only libpdt (and libc): no compiler code.
 *
 * usage: agent [-q] TABLE.pdt < REQUESTS
 *   -q  print nothing per request, only a summary line on stderr */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdt.h"
#include "reqline.h"

static const char *decision_name(enum pdt_decision d)
{
    switch (d) {
    case PDT_ALLOW: return "Allow";
    case PDT_EXPLICIT_DENY: return "ExplicitDeny";
    default: return "ImplicitDeny";
    }
}

/* Answers every line of in on out; counts[] gets the number of each
 * decision and counts[3] the number of malformed lines. */
static void serve(const struct pdt_table *t, FILE *in, FILE *out, int quiet, unsigned long counts[4])
{
    char *line = NULL;
    size_t cap = 0;
    struct reqline *r = malloc(sizeof *r);  /* ~4 KB: keep it off the stack */
    if (!r) {
        fprintf(stderr, "agent: out of memory\n");
        exit(3);
    }
    while (getline(&line, &cap, in) >= 0) {
        const char *err = NULL;
        int st = reqline_parse(line, r, &err);
        if (st == REQLINE_EMPTY) continue;
        if (st != REQLINE_OK) {
            counts[3]++;
            if (!quiet) fprintf(out, "error\t%s\n", err);
            continue;
        }
        struct pdt_why why;
        enum pdt_decision d = pdt_decide(t, &r->req, &why);
        counts[d <= PDT_EXPLICIT_DENY ? d : 0]++;
        if (quiet) continue;
        fprintf(out, "%s\t%s\t%lu\t%s\n", decision_name(d), why.statement >= 0 && why.policy ? why.policy : "-",
                why.statement >= 0 ? (unsigned long)why.line : 0UL, why.statement >= 0 && why.sid ? why.sid : "-");
    }
    free(r);
    free(line);
}

int main(int argc, char **argv)
{
    int quiet = 0, argi = 1;
    if (argi < argc && strcmp(argv[argi], "-q") == 0) {
        quiet = 1;
        argi++;
    }
    if (argc - argi != 1) {
        fprintf(stderr, "usage: agent [-q] TABLE.pdt < REQUESTS\n");
        return 2;
    }
    struct pdt_table *t = NULL;
    int rc = pdt_open(argv[argi], &t);
    if (rc != 0) {
        fprintf(stderr, "agent: %s: %s\n", argv[argi], pdt_strerror(rc));
        return 3;
    }
    unsigned long counts[4] = {0, 0, 0, 0};
    serve(t, stdin, stdout, quiet, counts);
    pdt_close(t);
    if (fflush(stdout) != 0) return 3;
    if (quiet)
        fprintf(stderr, "agent: %lu allow, %lu explicit deny, %lu implicit deny, %lu malformed\n", counts[PDT_ALLOW],
                counts[PDT_EXPLICIT_DENY], counts[PDT_IMPLICIT_DENY], counts[3]);
    return counts[3] ? 1 : 0;
}
