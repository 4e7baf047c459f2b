/* validate.c - policy validation, document and statement level (see
 * validate.h): element names and JSON types, Version, Id, Statement, Sid,
 * Effect, Action/NotAction, Resource/NotResource (ARN syntax) and Principal,
 * building the IR as it goes.  String-level rules (variables, character set,
 * size) are validate_text.c, the Condition block validate_cond.c. */
#include "validate_int.h"

#include <string.h>

static const char *const validate_top_names[] = {"Version", "Id", "Statement"};
static const char *const validate_stmt_names[] = {"Sid", "Effect", "Action", "NotAction", "Resource",
                                                  "NotResource", "Condition", "Principal", "NotPrincipal"};

const char *validate_type_name(enum json_type t)
{
    switch (t) {
    case JSON_NULL: return "null";
    case JSON_FALSE:
    case JSON_TRUE: return "a boolean";
    case JSON_NUMBER: return "a number";
    case JSON_STRING: return "a string";
    case JSON_ARRAY: return "an array";
    case JSON_OBJECT: return "an object";
    }
    return "a value";
}

static int validate_key_is(const struct json_member *m, const char *name)
{
    size_t n = strlen(name);
    return m->key_len == n && memcmp(m->key, name, n) == 0;
}

/* Reports unknown-element for member m (at its key), suggesting the known
 * name it most likely meant: same letters in another case, or a plural. */
static void validate_unknown(struct validate_ctx *v, const struct json_member *m,
                             const char *const *names, size_t n, const char *where)
{
    char shown[VALIDATE_SHOW];
    const char *hint = NULL;
    size_t i;

    for (i = 0; i < n && !hint; i++) {
        size_t len = strlen(names[i]);
        if (validate_casecmp(m->key, m->key_len, names[i], len) == 0 ||
            (m->key_len == len + 1 && (m->key[len] == 's' || m->key[len] == 'S') &&
             validate_casecmp(m->key, len, names[i], len) == 0))
            hint = names[i];
    }
    validate_show(shown, sizeof shown, m->key, m->key_len);
    if (hint)
        VAL_ERR(v, "unknown-element", m->key_loc,
                "unknown %s element '%s'; did you mean '%s'? (element names are case-sensitive)", where,
                shown, hint);
    else
        VAL_ERR(v, "unknown-element", m->key_loc, "unknown %s element '%s'", where, shown);
}

static void validate_wrong_type(struct validate_ctx *v, const struct json *j, const char *what,
                                const char *expected)
{
    VAL_ERR(v, "invalid-type", j->loc, "%s must be %s, not %s", what, expected,
            validate_type_name(j->type));
}

/* ---- Action ----------------------------------------------------------- */

/* Checks one Action/NotAction entry: "*" or "service:name" with exactly one
 * ':', a non-empty service without wildcards and a non-empty name. */
static void validate_action(struct validate_ctx *v, const struct ir_str *a, const char *elem)
{
    char shown[VALIDATE_SHOW];
    const char *colon, *fmt = NULL, *code = "invalid-action";
    size_t svc;

    if (a->len == 1 && a->s[0] == '*')
        return;
    if (validate_vars_forbidden(v, a, elem))
        return;
    colon = memchr(a->s, ':', a->len);
    svc = colon ? (size_t)(colon - a->s) : 0;
    if (!colon)
        fmt = "'%s' is not an action: write \"*\" or service:ActionName (e.g. s3:GetObject)";
    else if (memchr(colon + 1, ':', a->len - svc - 1))
        fmt = "'%s' is not an action: it has more than one ':' (write service:ActionName)";
    else if (svc == 0)
        fmt = "action '%s' has an empty service prefix";
    else if (memchr(a->s, '*', svc) || memchr(a->s, '?', svc)) {
        code = "action-service-wildcard";
        fmt = "wildcards are not allowed in the service prefix of action '%s'; list the services one by one";
    } else if (svc + 1 == a->len)
        fmt = "action '%s' has no action name after ':' (write service:* for every action of a service)";
    if (fmt)
        VAL_ERR(v, code, a->loc, fmt, validate_show(shown, sizeof shown, a->s, a->len));
}

/* ---- Resource --------------------------------------------------------- */

static void validate_not_arn(struct validate_ctx *v, const struct ir_str *r)
{
    char shown[VALIDATE_SHOW];
    validate_show(shown, sizeof shown, r->s, r->len);
    if (r->len >= 4 && validate_casecmp(r->s, 4, "arn:", 4) == 0)
        VAL_ERR(v, "resource-not-arn", r->loc, "'%s' is not an ARN: the prefix must be lower-case 'arn:'",
                shown);
    else if (memchr(r->s, ' ', r->len) || r->len == 0)
        VAL_ERR(v, "resource-not-arn", r->loc,
                "'%s' is not an ARN; it looks like a placeholder: replace it with the resource's ARN "
                "(arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, e.g. arn:aws:sns:us-east-1:123456789012:my-topic) "
                "or \"*\"", shown);
    else
        VAL_ERR(v, "resource-not-arn", r->loc,
                "'%s' is not an ARN: a resource must be \"*\" or arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE",
                shown);
}

static int validate_has_wild(const char *s, size_t len)
{
    return memchr(s, '*', len) || memchr(s, '?', len);
}

/* Checks the service segment s[0..len) of ARN r. */
static void validate_arn_service(struct validate_ctx *v, const struct ir_str *r, const char *s, size_t len)
{
    char shown[VALIDATE_SHOW];
    const char *code = "invalid-arn", *fmt = NULL;
    struct ir_str seg = {s, len, r->loc};
    size_t i;

    if (len == 0) {
        fmt = "ARN '%s' has an empty service segment";
    } else if (validate_vars_forbidden(v, &seg, "the service segment of an ARN")) {
        return;
    } else if (validate_has_wild(s, len)) {
        code = "arn-service-wildcard";
        fmt = "wildcards are not allowed in the service segment of ARN '%s'";
    }
    for (i = 0; i < len && !fmt; i++) {
        if (s[i] >= 'A' && s[i] <= 'Z') {
            code = "arn-service-case";
            fmt = "the service segment of ARN '%s' must be lower case (ARN matching is case-sensitive)";
        } else if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '.')) {
            fmt = "the service segment of ARN '%s' has an invalid character";
        }
    }
    if (fmt)
        VAL_ERR(v, code, r->loc, fmt, validate_show(shown, sizeof shown, r->s, r->len));
}

/* Checks one Resource/NotResource entry: "*" or an ARN with at least five
 * ':' (a ${...} is one unit under 2012-10-17), a non-empty partition, a
 * lower-case service without wildcards, and variables only in the region,
 * account and resource segments.  (An empty resource part is accepted: AWS's
 * own AmazonDevOpsGuruOrganizationsAccess has "arn:aws:organizations::*:".) */
static void validate_resource(struct validate_ctx *v, const struct ir_str *r)
{
    char shown[VALIDATE_SHOW];
    size_t start[5], end[5], nseg = 0, i = 0, segstart = 0;
    const char *s = r->s;

    if (r->len == 1 && s[0] == '*')
        return;
    if (r->len < 4 || memcmp(s, "arn:", 4) != 0) {
        validate_not_arn(v, r);
        return;
    }
    while (i < r->len && nseg < 5) {
        if (v->version == IR_VERSION_2012 && s[i] == '$' && i + 1 < r->len && s[i + 1] == '{') {
            i = validate_var_end(s, r->len, i);
            continue;
        }
        if (s[i] == ':') {
            start[nseg] = segstart;
            end[nseg++] = i;
            segstart = i + 1;
        }
        i++;
    }
    if (nseg < 5) {
        validate_show(shown, sizeof shown, s, r->len);
        VAL_ERR(v, "arn-too-short", r->loc,
                "'%s' is not a complete ARN: it has %zu of the 5 ':' of arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE",
                shown, nseg);
        return;
    }
    if (end[1] == start[1]) {
        VAL_ERR(v, "invalid-arn", r->loc, "ARN '%s' has an empty partition (e.g. aws)",
                validate_show(shown, sizeof shown, s, r->len));
    } else {
        struct ir_str seg = {s + start[1], end[1] - start[1], r->loc};
        validate_vars_forbidden(v, &seg, "the partition segment of an ARN");
    }
    validate_arn_service(v, r, s + start[2], end[2] - start[2]);
    if (v->version == IR_VERSION_2012)
        validate_vars_syntax(v, r, start[3]);
    else
        validate_vars_literal(v, r);
}

/* ---- statements ------------------------------------------------------- */

/* Fills out from a string-or-array element (Action, Resource, ...): each
 * entry must be a string and an array must not be empty.  Returns the number
 * of entries stored. */
static size_t validate_list(struct validate_ctx *v, const struct json_member *m, struct ir_list *out)
{
    const struct json *j = m->value;
    size_t i, n = 0;

    if (j->type == JSON_STRING) {
        out->v = validate_alloc(v, 1, sizeof *out->v);
        if (out->v)
            validate_str(&out->v[n++], j);
    } else if (j->type == JSON_ARRAY) {
        if (j->u.arr.n == 0)
            VAL_ERR(v, "empty-array", j->loc, "\"%.*s\" must not be an empty array", (int)m->key_len, m->key);
        out->v = validate_alloc(v, j->u.arr.n, sizeof *out->v);
        for (i = 0; i < j->u.arr.n && out->v; i++) {
            const struct json *e = j->u.arr.items[i];
            if (e->type == JSON_STRING)
                validate_str(&out->v[n++], e);
            else
                VAL_ERR(v, "invalid-type", e->loc, "entries of \"%.*s\" must be strings, not %s",
                        (int)m->key_len, m->key, validate_type_name(e->type));
        }
    } else {
        VAL_ERR(v, "invalid-type", j->loc, "\"%.*s\" must be a string or an array of strings, not %s",
                (int)m->key_len, m->key, validate_type_name(j->type));
    }
    out->n = n;
    return n;
}

static void validate_sid(struct validate_ctx *v, const struct json *j, struct ir_statement *st)
{
    char shown[VALIDATE_SHOW];
    size_t i;

    if (j->type != JSON_STRING) {
        validate_wrong_type(v, j, "\"Sid\"", "a string");
        return;
    }
    validate_str(&st->sid, j);
    for (i = 0; i < j->u.str.len; i++) {
        char c = j->u.str.s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            VAL_ERR(v, "invalid-sid", j->loc, "Sid '%s' may contain only the letters A-Z, a-z and digits 0-9",
                    validate_show(shown, sizeof shown, j->u.str.s, j->u.str.len));
            return;
        }
    }
}

static void validate_effect(struct validate_ctx *v, const struct json *j, struct ir_statement *st)
{
    char shown[VALIDATE_SHOW];
    const char *s;
    size_t len;

    st->effect_loc = j->loc;
    if (j->type != JSON_STRING) {
        validate_wrong_type(v, j, "\"Effect\"", "the string \"Allow\" or \"Deny\"");
        return;
    }
    s = j->u.str.s;
    len = j->u.str.len;
    if (len == 5 && memcmp(s, "Allow", 5) == 0)
        st->effect = IR_ALLOW;
    else if (len == 4 && memcmp(s, "Deny", 4) == 0)
        st->effect = IR_DENY;
    else if (validate_casecmp(s, len, "Allow", 5) == 0 || validate_casecmp(s, len, "Deny", 4) == 0)
        VAL_ERR(v, "invalid-effect", j->loc, "Effect '%s' must be written exactly \"Allow\" or \"Deny\" "
                "(the value is case-sensitive)", validate_show(shown, sizeof shown, s, len));
    else
        VAL_ERR(v, "invalid-effect", j->loc, "Effect must be \"Allow\" or \"Deny\", not '%s'",
                validate_show(shown, sizeof shown, s, len));
}

/* Handles one member of the pair (Action, NotAction) or (Resource,
 * NotResource): `first` remembers the member seen first; a second one is an
 * error.  The first one's entries go to list; every entry is checked. */
static void validate_pair(struct validate_ctx *v, const struct json_member *m, const struct json_member **first,
                          int is_action, struct ir_list *list, int *is_not, struct loc *loc)
{
    size_t i, n;
    struct ir_list tmp = {NULL, 0};
    int not = m->key[0] == 'N';

    if (*first) {
        VAL_ERR(v, is_action ? "action-and-not-action" : "resource-and-not-resource", m->key_loc, "a statement must have exactly one of \"%s\" and \"%s\"",
                not ? m->key + 3 : m->key, not ? m->key : (*first)->key);
        diag_note(v->d, (*first)->key_loc, "\"%.*s\" is here", (int)(*first)->key_len, (*first)->key);
    }
    n = validate_list(v, m, *first ? &tmp : list);
    if (!*first) {
        *first = m;
        *is_not = not;
        *loc = m->key_loc;
    }
    for (i = 0; i < n; i++) {
        const struct ir_str *e = *first == m ? &list->v[i] : &tmp.v[i];
        if (is_action)
            validate_action(v, e, not ? "NotAction" : "Action");
        else
            validate_resource(v, e);
    }
}

/* Validates statement object j (the index-th of the policy) into st. */
static void validate_statement(struct validate_ctx *v, const struct json *j, size_t index, struct ir_statement *st)
{
    const struct json_member *action = NULL, *resource = NULL, *effect = NULL;
    size_t i;

    st->loc = j->loc;
    st->index = index;
    for (i = 0; i < j->u.obj.n; i++) {
        const struct json_member *m = &j->u.obj.members[i];
        if (validate_key_is(m, "Sid")) {
            validate_sid(v, m->value, st);
        } else if (validate_key_is(m, "Effect")) {
            effect = m;
            validate_effect(v, m->value, st);
        } else if (validate_key_is(m, "Action") || validate_key_is(m, "NotAction")) {
            validate_pair(v, m, &action, 1, &st->actions, &st->not_action, &st->action_loc);
        } else if (validate_key_is(m, "Resource") || validate_key_is(m, "NotResource")) {
            validate_pair(v, m, &resource, 0, &st->resources, &st->not_resource,
                          &st->resource_loc);
        } else if (validate_key_is(m, "Condition")) {
            st->has_condition = 1;
            st->condition_loc = m->key_loc;
            validate_condition(v, m->value, st);
        } else if (validate_key_is(m, "Principal") || validate_key_is(m, "NotPrincipal")) {
            VAL_ERR(v, "principal-not-allowed", m->key_loc,
                    "\"%s\" is not allowed in an identity-based policy (it belongs in resource-based policies)",
                    m->key);
        } else {
            validate_unknown(v, m, validate_stmt_names, VALIDATE_NELEM(validate_stmt_names), "statement");
        }
    }
    if (!effect)
        VAL_ERR(v, "missing-effect", j->loc, "the statement has no \"Effect\" (\"Allow\" or \"Deny\")");
    if (!action)
        VAL_ERR(v, "missing-action", j->loc, "the statement has no \"Action\" or \"NotAction\"");
    if (!resource)
        VAL_ERR(v, "missing-resource", j->loc, "the statement has no \"Resource\" or \"NotResource\"");
}

static void validate_dup_sid(struct validate_ctx *v, const struct validate_key *dup, const struct validate_key *first)
{
    char shown[VALIDATE_SHOW];
    VAL_ERR(v, "duplicate-sid", dup->loc, "Sid '%s' is used by more than one statement; Sids must be unique",
            validate_show(shown, sizeof shown, dup->s, dup->len));
    diag_note(v->d, first->loc, "first used here");
}

/* Validates the Statement element (object or non-empty array of objects)
 * into p->stmts, then checks that non-empty Sids are unique. */
static void validate_statements(struct validate_ctx *v, const struct json *j, struct ir_policy *p)
{
    const struct json *const *items = &j;
    struct validate_key *sids;
    size_t n = 1, i, nsids = 0;

    if (j->type == JSON_ARRAY) {
        items = (const struct json *const *)j->u.arr.items;
        n = j->u.arr.n;
        if (n == 0) {
            VAL_ERR(v, "empty-array", j->loc, "\"Statement\" must not be an empty array");
            return;
        }
    } else if (j->type != JSON_OBJECT) {
        validate_wrong_type(v, j, "\"Statement\"", "an object or an array of objects");
        return;
    }
    p->stmts = validate_alloc(v, n, sizeof *p->stmts);
    sids = validate_alloc(v, n, sizeof *sids);
    if (!p->stmts || !sids)
        return;
    for (i = 0; i < n; i++) {
        struct ir_statement *st = &p->stmts[p->nstmts];
        if (items[i]->type != JSON_OBJECT) {
            validate_wrong_type(v, items[i], "a statement", "an object");
            continue;
        }
        validate_statement(v, items[i], i, st);
        p->nstmts++;
        if (st->sid.s && st->sid.len) {
            sids[nsids].s = st->sid.s;
            sids[nsids].len = st->sid.len;
            sids[nsids++].loc = st->sid.loc;
        }
    }
    validate_dups(v, sids, nsids, 0, validate_dup_sid);
}

static void validate_version(struct validate_ctx *v, const struct json *j, struct ir_policy *p)
{
    char shown[VALIDATE_SHOW];

    v->warned_no_version = 1; /* a Version was written: no A21 warning */
    if (j->type != JSON_STRING) {
        validate_wrong_type(v, j, "\"Version\"", "the string \"2012-10-17\" or \"2008-10-17\"");
        return;
    }
    if (j->u.str.len == 10 && memcmp(j->u.str.s, "2012-10-17", 10) == 0)
        p->version = IR_VERSION_2012;
    else if (j->u.str.len == 10 && memcmp(j->u.str.s, "2008-10-17", 10) == 0)
        p->version = IR_VERSION_2008;
    else
        VAL_ERR(v, "invalid-version", j->loc, "Version must be \"2012-10-17\" or \"2008-10-17\", not '%s'",
                validate_show(shown, sizeof shown, j->u.str.s, j->u.str.len));
}

/* The body of validate_policy*: v is set up, text may be NULL. */
static struct ir_policy *validate_run(struct validate_ctx *v, const struct json *root, const char *text, size_t len)
{
    const struct json_member *statement = NULL;
    unsigned errors0 = v->d->errors;
    struct ir_policy *p;
    size_t i;

    p = validate_alloc(v, 1, sizeof *p);
    if (!p || !root)
        return NULL;
    p->file = v->file;
    if (!text || validate_text_scan(text, len, &v->maybe_vars))
        validate_charset_tree(v, root);
    if (root->type != JSON_OBJECT) {
        validate_wrong_type(v, root, "a policy document", "a JSON object");
        return NULL;
    }
    for (i = 0; i < root->u.obj.n; i++) {
        const struct json_member *m = &root->u.obj.members[i];
        if (validate_key_is(m, "Version"))
            validate_version(v, m->value, p);
        else if (validate_key_is(m, "Statement"))
            statement = m;
        else if (!validate_key_is(m, "Id"))
            validate_unknown(v, m, validate_top_names, VALIDATE_NELEM(validate_top_names), "top-level");
        else if (m->value->type != JSON_STRING)
            validate_wrong_type(v, m->value, "\"Id\"", "a string");
        else {
            validate_str(&p->id, m->value);
            diag_warning(v->d, "id-ignored", m->key_loc,
                         "\"Id\" has no effect in an identity-based policy and is ignored");
        }
    }
    v->version = p->version;
    if (!statement)
        VAL_ERR(v, "missing-statement", root->loc, "the policy has no \"Statement\" element");
    else
        validate_statements(v, statement->value, p);
    return v->d->errors == errors0 && !v->oom ? p : NULL;
}

struct ir_policy *validate_policy(struct arena *a, struct diag *d, const char *file, const struct json *root)
{
    struct validate_ctx v = {a, d, file, IR_VERSION_NONE, 0, 0, 1};
    return validate_run(&v, root, NULL, 0);
}

struct ir_policy *validate_policy_text(struct arena *a, struct diag *d, const char *file,
                                       const struct json *root, const char *text, size_t len)
{
    struct validate_ctx v = {a, d, file, IR_VERSION_NONE, 0, 0, 1};
    return validate_run(&v, root, text, len);
}
