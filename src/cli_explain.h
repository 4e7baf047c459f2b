/* cli_explain.h - what `pdtc explain` (cli_explain.c) shares with
 * `pdtc test` (cli_test.c): the names of decisions and the one-line
 * description of a deciding statement ("FILE:LINE Sid NAME").  Both print
 * decisions made by pdt_decide only. */
#ifndef PDT_CLI_EXPLAIN_H
#define PDT_CLI_EXPLAIN_H

#include <stdio.h>

#include "pdt.h"

/* "Allow", "ExplicitDeny" or "ImplicitDeny". */
const char *cli_explain_decision_name(enum pdt_decision d);

/* Parses one of the three names (exact case).  Returns 0, or -1. */
int cli_explain_decision_parse(const char *s, enum pdt_decision *d);

/* Writes the deciding statement of why: "FILE:LINE Sid NAME" (or
 * "FILE:LINE (no Sid)"), "statement #N (table compiled with --strip: no
 * provenance)" when the table has none, or "none (no statement applies)"
 * for an implicit deny.  No newline. */
void cli_explain_print_why(FILE *f, const struct pdt_why *why);

#endif
