/* cli_explain_int.h - private to `pdtc explain` (cli_explain.c,
 * cli_explain_fmt.c, cli_explain_json.c): the state of one explained request
 * and the formatting helpers its text and JSON outputs share. */
#ifndef PDT_CLI_EXPLAIN_INT_H
#define PDT_CLI_EXPLAIN_INT_H

#include <stdint.h>
#include <stdio.h>

#include "explain.h"
#include "pdt.h"

/* One request being explained (cli_explain.c fills it). */
struct cli_explain_run {
    struct pdt_explain x;
    const struct pdt_request *req;
    enum pdt_decision dec;
    struct pdt_why why;
    int stripped;
    int matching;        /* --matching */
    const char **pats;   /* scratch for action patterns */
    int *match;
    uint32_t cap;
    uint32_t *aoff;      /* Action statements' patterns: apat[aoff[i] .. aoff[i + 1]) */
    const char **apat;
};

/* "FILE:LINE Sid NAME", "FILE:LINE (no Sid)", or "statement #N (...)" when stripped. */
void cli_explain_print_stmt_name(FILE *f, int32_t index, const char *policy, uint32_t line, const char *sid);
/* "true", "false" or "indeterminate". */
const char *cli_explain_tri(enum pdt_tri t);
/* Operator name of a test as the policy spells it (ForAnyValue:...IfExists). */
void cli_explain_op_name(FILE *f, unsigned op, unsigned flags);
/* Value k of test j of statement i as a JSON string (null: a variable without value). */
void cli_explain_value(FILE *f, struct pdt_explain *x, uint32_t i, uint32_t j, uint32_t k, unsigned op);
/* The request value(s) a test saw: a JSON string, a list, or null. */
void cli_explain_seen(FILE *f, const struct pdt_explain_test *t);
/* Why statement s counts or not, in words. */
const char *cli_explain_reason(const struct pdt_explain *x, const struct pdt_explain_stmt *s,
                               enum pdt_decision dec);
/* The request context as a JSON object. */
void cli_explain_print_context(FILE *f, const struct pdt_request *req);
/* Makes room for n action patterns in r->pats/r->match.  Returns 0 or -1. */
int cli_explain_reserve(struct cli_explain_run *r, uint32_t n);
/* Lists every Action statement's patterns in one pass over the action index. */
void cli_explain_build_actions(struct cli_explain_run *r);
/* Action patterns of statement i into r->pats/r->match; returns their count. */
uint32_t cli_explain_actions(struct cli_explain_run *r, uint32_t i, int not_action);
/* 1 when statement i is listed (always, or under --matching when its action matches). */
int cli_explain_shown(struct cli_explain_run *r, uint32_t i);
uint32_t cli_explain_nshown(struct cli_explain_run *r);
/* The JSON document (cli_explain_json.c). */
void cli_explain_json(FILE *f, struct cli_explain_run *r);

#endif
