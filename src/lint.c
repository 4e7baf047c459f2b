/* lint.c - the lint rules (see lint.h) and their driver.
 *
 * Statement by statement, each rule looks at the IR element it is about and
 * reports at that element's location.  Catalog questions are answered with
 * action sets (one bit per catalog action, catalog_match_set), so Action,
 * wildcards and NotAction are all handled the same way.  Pattern-level
 * helpers (ARN intersection, spelling suggestions) live in lint_util.c. */
#include "lint.h"
#include "lint_int.h"

#include <stdlib.h>
#include <string.h>

#include "sarif.h"

static const struct lint_rule lint_rule_table[] = {
    {LINT_PASS_ROLE_UNSCOPED, "PassRoleUnscoped",
     "iam:PassRole is allowed on Resource \"*\" or without an iam:PassedToService condition",
     "Whoever may pass any role to any service can escalate privileges. List the role ARNs "
     "in Resource and restrict the receiving service with an iam:PassedToService condition."},
    {LINT_RESOURCE_WILDCARD_WRITE, "ResourceWildcardWrite",
     "Write or Permissions-management actions are allowed on Resource \"*\"",
     "These actions support resource-level permissions: name the resources (ARNs) they "
     "may change instead of \"*\". Actions without resource types are not reported."},
    {LINT_UNKNOWN_ACTION, "UnknownAction",
     "an action or action wildcard matches no action of its service in the catalog",
     "The statement grants nothing through this entry: fix the spelling (IAM action "
     "names are listed in the Service Authorization Reference) or remove it."},
    {LINT_UNKNOWN_SERVICE, "UnknownService",
     "an action's service prefix is not in the catalog",
     "No AWS service has this prefix: fix the prefix (e.g. \"s3\", \"ec2\", \"iam\")."},
    {LINT_ALLOW_WITH_NOT_ACTION, "AllowWithNotAction",
     "Allow with NotAction or NotResource",
     "Allow with NotAction grants every action not listed, including actions AWS adds "
     "later; Allow with NotResource grants every other resource. List what is allowed."},
    {LINT_EMPTY_CONDITION_VALUE, "EmptyConditionValue",
     "a condition value is the empty string",
     "An empty value rarely means what was meant: for a missing key use the Null operator, "
     "otherwise give the value."},
    {LINT_UNKNOWN_CONDITION_KEY, "UnknownConditionKey",
     "a service condition key is not defined by its service",
     "The key is never present in a request, so the condition never holds (or, with "
     "IfExists, always holds). Fix the spelling."},
    {LINT_CONDITION_KEY_UNSUPPORTED, "ConditionKeyUnsupported",
     "no action of the statement supports the condition key",
     "The key is absent from the requests of every action the statement grants, so the "
     "condition does not restrict what was meant. Use a key these actions support."},
    {LINT_REDUNDANT_ACTION, "RedundantAction",
     "an action entry is covered by another entry of the same statement",
     "Remove the duplicate or the narrower entry; keeping both hides what is granted."},
    {LINT_REDUNDANT_STATEMENT, "RedundantStatement",
     "a statement is covered by another unconditional statement with the same effect",
     "Another statement of the policy already allows (or denies) every action of this one "
     "on every resource of this one, without conditions: this statement has no effect."},
    {LINT_RESOURCE_TYPE_MISMATCH, "ResourceTypeMismatch",
     "an action's resource types cannot match any Resource of its statement",
     "The action applies to none of the listed ARNs, so the statement does not grant (or "
     "deny) it. Use the ARN format of the action's resource types."},
};

#define NRULES (sizeof lint_rule_table / sizeof lint_rule_table[0])

const struct lint_rule *lint_rules(size_t *n)
{
    *n = NRULES;
    return lint_rule_table;
}

const struct lint_rule *lint_rule_find(const char *code)
{
    for (size_t i = 0; i < NRULES; i++)
        if (strcmp(lint_rule_table[i].code, code) == 0)
            return &lint_rule_table[i];
    return NULL;
}

void lint_warn(struct lint *L, const char *code, struct loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vreport(L->d, DIAG_WARNING, code, loc, fmt, ap);
    va_end(ap);
    L->warnings++;
}

bool lint_str_is(const struct ir_str *s, const char *lit)
{
    return s->len == strlen(lit) && memcmp(s->s, lit, s->len) == 0;
}

/* Nonzero if the statement's Resource list (not NotResource) holds "*". */
static const struct ir_str *resource_star(const struct ir_statement *st)
{
    if (st->not_resource)
        return NULL;
    for (size_t i = 0; i < st->resources.n; i++)
        if (lint_str_is(&st->resources.v[i], "*"))
            return &st->resources.v[i];
    return NULL;
}

void lint_cache_statement(struct lint *L, const struct ir_statement *st)
{
    L->ncached = st->actions.n < LINT_MAX_PAIR_ENTRIES ? st->actions.n : LINT_MAX_PAIR_ENTRIES;
    memset(L->esets, 0, L->ncached * L->words * sizeof *L->esets);
    for (size_t i = 0; i < L->ncached; i++)
        L->ecount[i] = catalog_match_set(L->c, st->actions.v[i].s, st->actions.v[i].len,
                                         L->esets + i * L->words);
}

const uint64_t *lint_entry_set(struct lint *L, const struct ir_statement *st, size_t i,
                               size_t *count)
{
    if (i < L->ncached) {
        if (count)
            *count = L->ecount[i];
        return L->esets + i * L->words;
    }
    memset(L->tmp, 0, L->words * sizeof *L->tmp);
    size_t n = catalog_match_set(L->c, st->actions.v[i].s, st->actions.v[i].len, L->tmp);
    if (count)
        *count = n;
    return L->tmp;
}

/* The set of catalog actions the statement's Action/NotAction grants. */
static void stmt_set(struct lint *L, const struct ir_statement *st, uint64_t *set)
{
    memset(set, 0, L->words * sizeof *set);
    for (size_t i = 0; i < st->actions.n; i++) {
        const uint64_t *e = lint_entry_set(L, st, i, NULL);
        for (size_t w = 0; w < L->words; w++)
            set[w] |= e[w];
    }
    if (st->not_action)
        lint_set_complement(L, set);
}

/* unknown-service, unknown-action: entries that match nothing. */
static void check_actions(struct lint *L, const struct ir_statement *st)
{
    for (size_t i = 0; i < st->actions.n; i++) {
        const struct ir_str *a = &st->actions.v[i];
        const char *colon = memchr(a->s, ':', a->len);
        if (!colon)
            continue;  /* "*" or a syntax error the validator reported */
        size_t plen = (size_t)(colon - a->s);
        bool wild_svc = memchr(a->s, '*', plen) || memchr(a->s, '?', plen);
        const struct catalog_service *svc = wild_svc ? NULL : catalog_service_find(L->c, a->s, plen);
        if (!wild_svc && !svc) {
            lint_warn(L, LINT_UNKNOWN_SERVICE, a->loc,
                      "service prefix '%.*s' of '%.*s' is not in the IAM catalog", (int)plen,
                      a->s, (int)a->len, a->s);
            continue;
        }
        if (catalog_match(L->c, a->s, a->len, NULL, NULL))
            continue;
        char hint[256] = "";
        if (svc)
            lint_suggest(L, svc, colon + 1, a->len - plen - 1, hint, sizeof hint);
        lint_warn(L, LINT_UNKNOWN_ACTION, a->loc, "'%.*s' matches no action of %s%s%s",
                  (int)a->len, a->s, svc ? "service " : "the catalog", svc ? svc->prefix : "",
                  hint);
    }
}

/* allow-with-not-action: Allow with NotAction / NotResource. */
static void check_not_elements(struct lint *L, const struct ir_statement *st, const uint64_t *set)
{
    if (st->effect != IR_ALLOW)
        return;
    if (st->not_action)
        lint_warn(L, LINT_ALLOW_WITH_NOT_ACTION, st->action_loc,
                  "Allow with NotAction grants every action not listed: %zu of the %zu actions "
                  "in the catalog, and any action AWS adds later",
                  lint_set_count(L, set), L->nact);
    if (st->not_resource)
        lint_warn(L, LINT_ALLOW_WITH_NOT_ACTION, st->resource_loc,
                  "Allow with NotResource grants the actions on every resource not listed");
}

/* True if the statement has a positive condition on iam:PassedToService. */
static bool has_passed_to_service(const struct ir_statement *st)
{
    for (size_t i = 0; i < st->nconds; i++) {
        const struct ir_cond *c = &st->conds[i];
        if (ir_op_negated(c->op) || c->op == IR_OP_NULL)
            continue;
        for (size_t k = 0; k < c->nkeys; k++)
            if (c->keys[k].key.len == 19 &&
                strncasecmp(c->keys[k].key.s, "iam:PassedToService", 19) == 0)
                return true;
    }
    return false;
}

/* pass-role-unscoped: iam:PassRole allowed broadly, however it is granted. */
static void check_pass_role(struct lint *L, const struct ir_statement *st)
{
    static const char pr[] = "iam:PassRole";
    if (st->effect != IR_ALLOW)
        return;
    struct loc at = st->action_loc;
    const struct ir_str *by = NULL;
    for (size_t i = 0; i < st->actions.n && !by; i++)
        if (catalog_glob(st->actions.v[i].s, st->actions.v[i].len, pr, sizeof pr - 1, true))
            by = &st->actions.v[i];
    if (st->not_action ? by != NULL : by == NULL)
        return;  /* PassRole is not granted */
    if (by)
        at = by->loc;
    const struct ir_str *star = resource_star(st);
    bool any_res = star || st->not_resource;
    bool scoped_svc = has_passed_to_service(st);
    if (!any_res && scoped_svc)
        return;
    char how[128];
    if (by)
        snprintf(how, sizeof how, "'%.*s'", (int)(by->len > 80 ? 80 : by->len), by->s);
    else
        snprintf(how, sizeof how, "NotAction");
    lint_warn(L, LINT_PASS_ROLE_UNSCOPED, at, "iam:PassRole is allowed (through %s) %s%s%s", how,
              any_res ? (star ? "on Resource \"*\"" : "on every resource not listed in NotResource")
                      : "",
              any_res && !scoped_svc ? " and " : "",
              scoped_svc ? "" : "without an iam:PassedToService condition");
    if (star)
        diag_note(L->d, star->loc, "Resource \"*\" is here: list the roles that may be passed");
}

/* resource-wildcard-write: Write/Permissions actions with resource types on "*". */
static void check_wildcard_write(struct lint *L, const struct ir_statement *st,
                                 const uint64_t *granted)
{
    const struct ir_str *star = resource_star(st);
    if (st->effect != IR_ALLOW || !star)
        return;
    size_t n = st->not_action ? 1 : st->actions.n;
    for (size_t i = 0; i < n; i++) {
        const uint64_t *set = granted;
        if (!st->not_action)
            set = lint_entry_set(L, st, i, NULL);
        size_t write = 0, perm = 0;
        const struct catalog_action *example = NULL;
        for (size_t k = lint_set_next(L, set, 0); k < L->nact; k = lint_set_next(L, set, k + 1)) {
            const struct catalog_action *a = &L->act[k];
            if (a->res_count == 0 || (a->level != CATALOG_WRITE && a->level != CATALOG_PERMISSIONS))
                continue;
            if (a == L->pass_role)
                continue;  /* pass-role-unscoped's business */
            if (a->level == CATALOG_WRITE)
                write++;
            else
                perm++;
            if (!example || (example->level != CATALOG_PERMISSIONS && a->level == CATALOG_PERMISSIONS))
                example = a;
        }
        if (!example)
            continue;
        const struct ir_str *what = st->not_action ? NULL : &st->actions.v[i];
        char count[96];
        if (write && perm)
            snprintf(count, sizeof count, "%zu Write and %zu Permissions-management actions", write, perm);
        else
            snprintf(count, sizeof count, "%zu %s action%s", write + perm,
                     write ? "Write" : "Permissions-management", write + perm == 1 ? "" : "s");
        lint_warn(L, LINT_RESOURCE_WILDCARD_WRITE, what ? what->loc : st->action_loc,
                  "%s%.*s%s allows %s on Resource \"*\" although %s resource-level "
                  "permissions (e.g. %s:%s)",
                  what ? "'" : "", what ? (int)what->len : 9, what ? what->s : "NotAction",
                  what ? "'" : "", count, write + perm == 1 ? "it supports" : "they support",
                  L->svc[example->service].prefix, example->name);
        diag_note(L->d, star->loc, "Resource \"*\" is here");
    }
}

/* empty-condition-value, unknown-condition-key, condition-key-unsupported. */
static void check_conditions(struct lint *L, const struct ir_statement *st, const uint64_t *set)
{
    size_t granted = lint_set_count(L, set);
    for (size_t i = 0; i < st->nconds; i++) {
        const struct ir_cond *cd = &st->conds[i];
        for (size_t k = 0; k < cd->nkeys; k++) {
            const struct ir_cond_key *ck = &cd->keys[k];
            for (size_t v = 0; v < ck->values.n; v++)
                if (ck->values.v[v].len == 0)
                    lint_warn(L, LINT_EMPTY_CONDITION_VALUE, ck->values.v[v].loc,
                              "empty value for condition key '%.*s' under %.*s", (int)ck->key.len,
                              ck->key.s, (int)cd->name.len, cd->name.s);
            const char *colon = memchr(ck->key.s, ':', ck->key.len);
            if (!colon || (colon - ck->key.s == 3 && strncasecmp(ck->key.s, "aws", 3) == 0))
                continue;  /* global keys are not in the catalog */
            const struct catalog_service *svc =
                catalog_service_find(L->c, ck->key.s, (size_t)(colon - ck->key.s));
            if (!svc)
                continue;  /* e.g. "saml:aud", "accounts.google.com:sub" */
            if (!catalog_key_find(L->c, ck->key.s, ck->key.len)) {
                lint_warn(L, LINT_UNKNOWN_CONDITION_KEY, ck->key.loc,
                          "condition key '%.*s' is not defined by service %s", (int)ck->key.len,
                          ck->key.s, svc->prefix);
                continue;
            }
            if (st->not_action || granted == 0)
                continue;
            bool supported = false;
            for (size_t a = lint_set_next(L, set, 0); a < L->nact && !supported;
                 a = lint_set_next(L, set, a + 1))
                supported = catalog_action_has_key(L->c, &L->act[a], ck->key.s, ck->key.len);
            if (!supported)
                lint_warn(L, LINT_CONDITION_KEY_UNSUPPORTED, ck->key.loc,
                          "condition key '%.*s' is supported by none of the %zu action%s this "
                          "statement grants", (int)ck->key.len, ck->key.s, granted,
                          granted == 1 ? "" : "s");
        }
    }
}

int lint_policy(const struct ir_policy *p, const struct catalog *c, struct diag *d)
{
    struct lint L = {.p = p, .c = c, .d = d};
    L.act = catalog_actions(c, &L.nact);
    L.svc = catalog_services(c, &L.nsvc);
    L.words = catalog_set_words(c);
    L.pass_role = catalog_action_find(c, "iam:PassRole", 12);
    L.budget = LINT_WORK_BUDGET;
    uint64_t *set = calloc(L.words ? L.words : 1, sizeof *set);
    L.tmp = calloc(L.words ? L.words : 1, sizeof *L.tmp);
    L.esets = calloc(LINT_MAX_PAIR_ENTRIES * (L.words ? L.words : 1), sizeof *L.esets);
    L.ecount = calloc(LINT_MAX_PAIR_ENTRIES, sizeof *L.ecount);
    if (!set || !L.tmp || !L.esets || !L.ecount) {
        free(set);
        free(L.tmp);
        free(L.esets);
        free(L.ecount);
        diag_plain(d, DIAG_ERROR, "out of memory while linting %s", p->file ? p->file : "policy");
        return -1;
    }
    for (size_t i = 0; i < p->nstmts; i++) {
        const struct ir_statement *st = &p->stmts[i];
        lint_cache_statement(&L, st);
        stmt_set(&L, st, set);
        check_actions(&L, st);
        check_not_elements(&L, st, set);
        check_pass_role(&L, st);
        check_wildcard_write(&L, st, set);
        check_conditions(&L, st, set);
        if (lint_check_redundant(&L, st) < 0 || lint_check_resource_types(&L, st) < 0) {
            diag_plain(d, DIAG_ERROR, "out of memory while linting %s", p->file ? p->file : "policy");
            L.warnings = -1;
            break;
        }
    }
    if (L.warnings >= 0 && lint_check_redundant_statements(&L) < 0) {
        diag_plain(d, DIAG_ERROR, "out of memory while linting %s", p->file ? p->file : "policy");
        L.warnings = -1;
    }
    free(set);
    free(L.tmp);
    free(L.esets);
    free(L.ecount);
    return L.warnings;
}

int lint_policies(struct ir_policy *const *pols, size_t n, struct diag *d)
{
    char err[256];
    struct catalog *c = catalog_open(err, sizeof err);
    if (!c) {
        diag_plain(d, DIAG_ERROR, "cannot load the IAM action catalog: %s", err);
        return -1;
    }
    int total = 0;
    for (size_t i = 0; i < n && total >= 0; i++) {
        if (!pols[i])
            continue;
        int w = lint_policy(pols[i], c, d);
        total = w < 0 ? -1 : total + w;
    }
    catalog_free(c);
    return total;
}

int lint_format_parse(const char *s, enum lint_format *f)
{
    if (strcmp(s, "text") == 0)
        *f = LINT_FORMAT_TEXT;
    else if (strcmp(s, "json") == 0)
        *f = LINT_FORMAT_JSON;
    else if (strcmp(s, "sarif") == 0)
        *f = LINT_FORMAT_SARIF;
    else
        return -1;
    return 0;
}

int lint_session_start(struct lint_session *s, struct diag *d, enum lint_format f)
{
    char err[256];
    memset(s, 0, sizeof *s);
    s->format = f;
    if (f != LINT_FORMAT_TEXT) {
        s->log = malloc(sizeof *s->log);
        if (!s->log) {
            diag_plain(d, DIAG_ERROR, "out of memory");
            return -1;
        }
        sarif_init(s->log);
        d->sink = sarif_sink;
        d->sink_arg = s->log;
        d->out = NULL;
    }
    s->cat = catalog_open(err, sizeof err);
    if (!s->cat) {
        diag_plain(d, DIAG_ERROR, "cannot load the IAM action catalog: %s", err);
        return -1;
    }
    return 0;
}

void lint_session_policy(struct lint_session *s, struct diag *d, const struct ir_policy *p)
{
    if (s->cat && p)
        lint_policy(p, s->cat, d);
}

int lint_session_finish(struct lint_session *s, FILE *out, const char *tool_version)
{
    int rc = 0;
    if (s->log) {
        char cv[256];
        struct sarif_tool t = {tool_version, cv};
        snprintf(cv, sizeof cv, "%s %s (%s)", s->cat ? catalog_source(s->cat) : "?",
                 s->cat ? catalog_version(s->cat) : "?", s->cat ? catalog_updated(s->cat) : "?");
        if (s->format == LINT_FORMAT_SARIF)
            rc = sarif_write(s->log, &t, out);
        else
            rc = sarif_write_json(s->log, out);
        if (fflush(out) != 0)
            rc = -1;
        sarif_fini(s->log);
        free(s->log);
    }
    catalog_free(s->cat);
    memset(s, 0, sizeof *s);
    return rc;
}
