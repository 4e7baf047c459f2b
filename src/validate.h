/* validate.h - turns a parsed JSON policy document (json.h) into the checked
 * policy IR (ir.h).
 *
 * Owns every rule of iam-semantics.md §1 (document shape, element names and
 * types, Sid, Effect, Action/Resource syntax, Condition structure and typed
 * values, the character set, size quotas as warnings) and the placement and
 * syntax of policy variables (§5).  Every problem is reported through diag
 * with a stable kebab-case code at the offending value (or key, when the key
 * is the problem); validation goes on after an error so one run reports all
 * of them.  It does not parse JSON (grammar/), read files (frontend.c) or
 * judge taste (lint): the only warnings here are the ones §6 assigns to the
 * validator (A1 Id, A21 variables without Version) and the size quota. */
#ifndef PDT_VALIDATE_H
#define PDT_VALIDATE_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "ir.h"
#include "json.h"

/* Size quotas of iam-semantics.md §1.3, in characters without whitespace. */
#define VALIDATE_SIZE_MANAGED 6144u
#define VALIDATE_SIZE_USER_INLINE 2048u
#define VALIDATE_SIZE_GROUP_INLINE 5120u
#define VALIDATE_SIZE_ROLE_INLINE 10240u

/* Validates the policy document `root` (parsed from `file`) and builds its
 * IR in arena a.  Reports every violation through d.  Returns the IR when no
 * error was reported (warnings allowed; under warnings-as-errors a warning
 * counts as an error), NULL otherwise (the partial IR is left in the arena).
 * root may be any JSON value; a non-object is an error. */
struct ir_policy *validate_policy(struct arena *a, struct diag *d, const char *file,
                                  const struct json *root);

/* validate_policy for a tree parsed from text[0..len): the same checks, but
 * the source text lets it skip work that cannot find anything (the
 * character-set walk when the text is plain ASCII/Latin-1 without escapes,
 * the variable checks when it has no '$').  This is what the front end
 * uses. */
struct ir_policy *validate_policy_text(struct arena *a, struct diag *d, const char *file,
                                       const struct json *root, const char *text, size_t len);

/* Policy size as IAM counts it: characters (UTF-8 code points) of text[0..len)
 * that are not whitespace. */
size_t validate_policy_size(const char *text, size_t len);

/* Reports warning policy-too-large at `at` when the size of text[0..len)
 * exceeds max (0 = no limit).  Returns 1 when it warned, 0 otherwise. */
int validate_check_size(struct diag *d, struct loc at, const char *text, size_t len, size_t max);

/* Parses a --max-policy-size argument: a number of characters, or one of
 * "managed", "user", "group", "role" (the quotas above), or "off" (0).
 * Returns 0 and sets *max, or -1. */
int validate_parse_size_limit(const char *arg, size_t *max);

#endif
