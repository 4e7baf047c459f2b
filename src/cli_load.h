/* cli_load.h - gets a decision table for the commands that decide (eval,
 * test, explain): either one compiled table file, or policy files compiled
 * in memory through the front end and lower_compile.  Either way the result
 * is opened with pdt_open_mem, so every decision comes from pdt_decide. */
#ifndef PDT_CLI_LOAD_H
#define PDT_CLI_LOAD_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "ir.h"
#include "pdt.h"

struct cli_table {
    struct pdt_table *t;     /* the open table */
    void *image;             /* malloc'd bytes the table lives in (8-byte aligned) */
    size_t len;              /* bytes in image */
    int compiled;            /* nonzero: compiled from policy files in memory */
};

/* Nonzero when buf[0..len) starts with the table magic (a compiled table). */
int cli_load_is_table(const void *buf, size_t len);

/* Reads and validates the policy files paths[0..n) ("-" = standard input)
 * into pols (an arena array of n policies).  The file contents stay in the
 * arena (diagnostics point into them).  Returns CLI_OK, CLI_REFUSED after
 * diagnostics through d, or CLI_IO after reporting the failed read. */
int cli_load_policies(struct arena *a, struct diag *d, char *const *paths, size_t n,
                      struct ir_policy ***pols);

/* Compiles policy files paths[0..n) into a table image in out (initialised
 * by the caller).  strip: no provenance.  Returns a cli_status. */
int cli_load_compile(struct arena *a, struct diag *d, char *const *paths, size_t n, int strip,
                     struct buf *out);

/* Loads the inputs of eval/test/explain: one table file, or policy files
 * (n >= 1) compiled in memory.  Mixing a table with other files is a usage
 * error.  On success *out owns the table and its image (cli_table_close).
 * Reports problems through d.  Returns a cli_status. */
int cli_table_load(struct diag *d, char *const *paths, size_t n, struct cli_table *out);

/* The common start of eval, test and explain once their options are parsed
 * with status st: applies the --color choice, prints the usage hint when st
 * (or the colour) is a usage error, and loads the table from paths[0..n)
 * (cli_table_load) with diagnostics on standard error.  Returns a
 * cli_status; on CLI_OK *out owns the table. */
int cli_table_start(const char *cmd, int st, const char *color, char *const *paths, size_t n,
                    struct cli_table *out);

void cli_table_close(struct cli_table *t);

#endif
