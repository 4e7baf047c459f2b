/* lint.h - least-privilege lint of validated policies against the IAM
 * action catalog (`pdtc check`).
 *
 * Owns the lint rules: each has a stable kebab-case code, and each warning
 * points at the exact line:col of the offending value (an action pattern, a
 * resource, a condition key or value) through diag.  The rules follow AWS's
 * own best-practice advice and what IAM Access Analyzer's policy checks
 * report.  It does not validate syntax (validate.c already did) and does not
 * decide how warnings end the run (diag's warnings_as_errors, the CLI). */
#ifndef PDT_LINT_H
#define PDT_LINT_H

#include <stddef.h>
#include <stdio.h>

#include "catalog.h"
#include "diag.h"
#include "ir.h"

/* One lint rule, for --help, docs and SARIF's rules array. */
struct lint_rule {
    const char *code;      /* stable kebab-case code, e.g. "pass-role-unscoped" */
    const char *name;      /* PascalCase name for SARIF, e.g. "PassRoleUnscoped" */
    const char *summary;   /* one line: what is reported */
    const char *help;      /* why it matters and how to fix it */
};

/* The rule table, in a fixed order; *n receives its length. */
const struct lint_rule *lint_rules(size_t *n);
/* The rule with this code; NULL if code is not a lint code. */
const struct lint_rule *lint_rule_find(const char *code);

/* Lints one validated policy p against catalog c, reporting each finding as
 * a warning (with notes) through d.  p must be a policy that validate_policy
 * returned (well-formed IR).  Allocates only temporary memory (released
 * before returning).  Returns the number of warnings reported, or -1 when
 * memory ran out (after reporting an error through d). */
int lint_policy(const struct ir_policy *p, const struct catalog *c, struct diag *d);

/* Output formats of `pdtc check`. */
enum lint_format { LINT_FORMAT_TEXT, LINT_FORMAT_JSON, LINT_FORMAT_SARIF };

/* Parses "text", "json" or "sarif"; returns 0, or -1 for anything else. */
int lint_format_parse(const char *s, enum lint_format *f);

struct sarif_log;

/* One `pdtc check` run: the catalog, and for json/sarif the collected log. */
struct lint_session {
    struct catalog *cat;       /* opened by lint_session_start */
    enum lint_format format;
    struct sarif_log *log;     /* json/sarif: every diagnostic of the run */
};

/* Starts a run on an initialised diag d: opens the catalog and, for
 * json/sarif, installs the collecting sink and silences the text output
 * (d->out = NULL).  Returns 0, or -1 after reporting an error through d. */
int lint_session_start(struct lint_session *s, struct diag *d, enum lint_format f);
/* Lints one validated policy (see lint_policy); no-op when the session has
 * no catalog. */
void lint_session_policy(struct lint_session *s, struct diag *d, const struct ir_policy *p);
/* Ends the run: for json/sarif writes the log to out (tool_version goes into
 * SARIF's driver); frees everything.  Returns 0, or -1 on a write error. */
int lint_session_finish(struct lint_session *s, FILE *out, const char *tool_version);

/* For `pdtc check`: opens the embedded catalog and lints every non-NULL
 * policy of pols[0..n) (NULL entries are files that did not validate).
 * Returns the number of warnings, or -1 after reporting an error through d
 * (catalog failure, out of memory). */
int lint_policies(struct ir_policy *const *pols, size_t n, struct diag *d);

#endif
