/* expand.h - `pdtc expand`: what the action patterns of policies really
 * grant, according to the IAM action catalog.
 *
 * Owns the expansion report: for each Action entry (and for each NotAction
 * statement as a whole) the catalog actions it covers, grouped by access
 * level with counts, plus the union over all Allow and all Deny statements.
 * Resources and conditions are not considered (that is eval's job). */
#ifndef PDT_EXPAND_H
#define PDT_EXPAND_H

#include <stdio.h>

#include "catalog.h"
#include "ir.h"

enum expand_format { EXPAND_TEXT, EXPAND_JSON };

struct expand_opts {
    enum expand_format format;
    int counts_only;  /* nonzero: counts per level, no action lists */
};

/* Writes the expansion of policies pols[0..n) to out.  Returns 0, or -1 when
 * memory ran out or writing failed. */
int expand_write(struct ir_policy *const *pols, size_t n, const struct catalog *c,
                 const struct expand_opts *o, FILE *out);

#endif
