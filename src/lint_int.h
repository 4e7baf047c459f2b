/* lint_int.h - private to lint.c and lint_util.c: the lint pass state, the
 * rule codes, action-set helpers and the rules that live in lint_util.c. */
#ifndef PDT_LINT_INT_H
#define PDT_LINT_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <strings.h>

#include "catalog.h"
#include "diag.h"
#include "ir.h"

#define LINT_PASS_ROLE_UNSCOPED "pass-role-unscoped"
#define LINT_RESOURCE_WILDCARD_WRITE "resource-wildcard-write"
#define LINT_UNKNOWN_ACTION "unknown-action"
#define LINT_UNKNOWN_SERVICE "unknown-service"
#define LINT_ALLOW_WITH_NOT_ACTION "allow-with-not-action"
#define LINT_EMPTY_CONDITION_VALUE "empty-condition-value"
#define LINT_UNKNOWN_CONDITION_KEY "unknown-condition-key"
#define LINT_CONDITION_KEY_UNSUPPORTED "condition-key-unsupported"
#define LINT_REDUNDANT_ACTION "redundant-action"
#define LINT_RESOURCE_TYPE_MISMATCH "resource-type-mismatch"
#define LINT_REDUNDANT_STATEMENT "redundant-statement"

/* Caps that bound the pairwise rules on hostile input. */
#define LINT_MAX_PAIR_ENTRIES 256   /* redundant-action looks at this many entries */
#define LINT_MAX_PATTERN 2048       /* longer ARNs are assumed to match anything */
#define LINT_WORK_BUDGET 200000000u /* work units per policy for the pairwise rules;
                                       past it they stop (never a false warning) */

struct lint {
    const struct ir_policy *p;
    const struct catalog *c;
    struct diag *d;
    const struct catalog_action *act;      /* catalog_actions() */
    size_t nact;
    const struct catalog_service *svc;     /* catalog_services() */
    size_t nsvc;
    const struct catalog_action *pass_role;  /* iam:PassRole, or NULL */
    size_t words;                          /* words of an action set */
    uint64_t *tmp;                         /* scratch action set */
    uint64_t *esets;                       /* action sets of the statement's first
                                              LINT_MAX_PAIR_ENTRIES entries */
    size_t *ecount;                        /* their sizes */
    size_t ncached;                        /* entries cached for this statement */
    int warnings;                          /* reported so far */
    size_t budget;                         /* work units left (LINT_WORK_BUDGET) */
};

void lint_warn(struct lint *L, const char *code, struct loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* s equals the literal exactly. */
bool lint_str_is(const struct ir_str *s, const char *lit);

/* Action sets: bit i is catalog action i. */
void lint_set_complement(const struct lint *L, uint64_t *set);
size_t lint_set_count(const struct lint *L, const uint64_t *set);
/* First member >= from, or L->nact when none. */
size_t lint_set_next(const struct lint *L, const uint64_t *set, size_t from);

/* Fills the entry-set cache for statement st (lint.c). */
void lint_cache_statement(struct lint *L, const struct ir_statement *st);
/* The action set of entry i of st: cached, or computed into L->tmp (valid
 * until the next call).  *count (if non-NULL) receives its size. */
const uint64_t *lint_entry_set(struct lint *L, const struct ir_statement *st, size_t i,
                               size_t *count);

/* Writes " (did you mean 'svc:Name'?)" into hint when an action of svc is
 * within a small edit distance of name[0..len); leaves hint alone otherwise. */
void lint_suggest(const struct lint *L, const struct catalog_service *svc, const char *name,
                  size_t len, char *hint, size_t hintsz);

/* True if some string matches both glob patterns a and b ('*', '?', and
 * ${...} as '*'), compared case-insensitively. */
bool lint_globs_intersect(const char *a, size_t alen, const char *b, size_t blen);

/* redundant-action and resource-type-mismatch; 0, or -1 when out of memory. */
int lint_check_redundant(struct lint *L, const struct ir_statement *st);
int lint_check_resource_types(struct lint *L, const struct ir_statement *st);
/* redundant-statement over the whole policy; 0, or -1 when out of memory. */
int lint_check_redundant_statements(struct lint *L);

#endif
