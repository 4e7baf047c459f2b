/* validate_cond.c - validation of a statement's Condition block
 * (iam-semantics.md §1.1, §4, §5): operator names with their set prefix and
 * IfExists suffix, condition keys (case-insensitively unique per operator,
 * no variables), values (strings, numbers, booleans normalised to text; no
 * null, objects, nested or empty arrays) and typed values, which must parse
 * with the condition engine's parsers (runtime/value.h), so what validates
 * is exactly what condc can compile.  Fills the statement's ir_cond array. */
#include "validate_int.h"

#include <stdio.h>
#include <string.h>

#include "value.h"

/* Suggests the operator that name[0..len) probably meant: same spelling in
 * another case (after the set prefix), or NULL. */
static const char *validate_op_hint(const char *name, size_t len)
{
    static const char *const prefixes[] = {"ForAllValues:", "ForAnyValue:"};
    size_t i, p;

    for (p = 0; p < VALIDATE_NELEM(prefixes); p++) {
        size_t pl = strlen(prefixes[p]);
        if (len > pl && validate_casecmp(name, pl, prefixes[p], pl) == 0) {
            name += pl;
            len -= pl;
            break;
        }
    }
    if (len > 8 && validate_casecmp(name + len - 8, 8, "IfExists", 8) == 0)
        len -= 8;
    for (i = 0; i < IR_OP_COUNT; i++) {
        const char *op = ir_op_name((enum ir_op)i);
        if (validate_casecmp(name, len, op, strlen(op)) == 0)
            return op;
    }
    return NULL;
}

/* Parses operator member m into c; reports unknown-operator, null-if-exists
 * and null-with-set-operator.  Returns 0 when the operator is known. */
static int validate_operator(struct validate_ctx *v, const struct json_member *m, struct ir_cond *c)
{
    char shown[VALIDATE_SHOW];
    const char *hint;

    c->name.s = m->key;
    c->name.len = m->key_len;
    c->name.loc = m->key_loc;
    if (ir_op_parse(m->key, m->key_len, &c->op, &c->set, &c->if_exists) != 0) {
        validate_show(shown, sizeof shown, m->key, m->key_len);
        hint = validate_op_hint(m->key, m->key_len);
        if (hint)
            VAL_ERR(v, "unknown-operator", m->key_loc,
                    "unknown condition operator '%s'; did you mean '%s'? (operator names are case-sensitive)",
                    shown, hint);
        else
            VAL_ERR(v, "unknown-operator", m->key_loc,
                    "unknown condition operator '%s' (expected e.g. StringEquals, StringLike, ArnLike, "
                    "NumericLessThan, DateGreaterThan, Bool, IpAddress, Null, optionally with ForAllValues: "
                    "or ForAnyValue: and IfExists)", shown);
        return -1;
    }
    if (c->op == IR_OP_NULL)
        validate_show(shown, sizeof shown, m->key, m->key_len);
    if (c->op == IR_OP_NULL && c->if_exists)
        VAL_ERR(v, "null-if-exists", m->key_loc, "the Null operator cannot take IfExists ('%s')", shown);
    if (c->op == IR_OP_NULL && c->set != IR_SET_NONE)
        VAL_ERR(v, "null-with-set-operator", m->key_loc,
                "the Null operator cannot take ForAllValues: or ForAnyValue: ('%s'); its result would be constant",
                shown);
    return 0;
}

/* Parses s[0..n) as a policy value of type vt with the runtime's parsers.
 * Returns 0 when valid, else -1 with *code and *why set. */
static int validate_typed(enum ir_vtype vt, const char *s, size_t n, const char **code, const char **why)
{
    struct pdt_num num;
    struct pdt_date date;
    struct pdt_ip ip;

    switch (vt) {
    case IR_VT_NUMBER:
        *code = "invalid-number";
        *why = "expected a decimal number such as 10, -3 or 2.5 (no exponent)";
        return pdt_value_num_parse(s, n, &num) == 0 ? 0 : -1;
    case IR_VT_DATE:
        *code = "invalid-date";
        *why = "expected an ISO 8601 date (2020-01-31, 2020-01-31T12:00:00Z, ...) or epoch seconds";
        return pdt_value_date_parse(s, n, &date) == 0 ? 0 : -1;
    case IR_VT_BOOL:
        *code = "invalid-bool";
        *why = "expected true or false";
        return pdt_value_bool_parse(s, n) >= 0 ? 0 : -1;
    case IR_VT_NULL:
        *code = "invalid-null-value";
        *why = "expected true (the key is absent) or false (the key is present)";
        return pdt_value_bool_parse(s, n) >= 0 ? 0 : -1;
    case IR_VT_BINARY:
        *code = "invalid-base64";
        *why = "expected base-64 text (RFC 4648, with '=' padding)";
        return pdt_value_b64_check(s, n) >= 0 ? 0 : -1;
    case IR_VT_IP:
        *code = "invalid-ip";
        *why = "expected an IPv4 or IPv6 address or CIDR block such as 203.0.113.0/24 or 2001:db8::/32";
        return pdt_value_ip_parse(s, n, 1, &ip) == 0 ? 0 : -1;
    default:
        return 0;
    }
}

/* Checks one value (already normalised to text) against the operator's
 * value type and the variable rules. */
static void validate_cond_value(struct validate_ctx *v, const struct ir_cond *c, const struct ir_str *val)
{
    char shown[VALIDATE_SHOW], where[96];
    enum ir_vtype vt = ir_op_vtype(c->op);
    const char *why = NULL, *code = NULL;

    if (vt == IR_VT_STRING || vt == IR_VT_ARN) {
        if (v->version == IR_VERSION_2012)
            validate_vars_syntax(v, val, 0);
        else
            validate_vars_literal(v, val);
        return;
    }
    snprintf(where, sizeof where, "the values of %s", ir_op_name(c->op));
    if (validate_vars_forbidden(v, val, where))
        return;
    if (validate_typed(vt, val->s, val->len, &code, &why) == 0)
        return;
    if (code)
        VAL_ERR(v, code, val->loc, "'%s' is not a valid value for %s: %s",
                validate_show(shown, sizeof shown, val->s, val->len), c->name.s, why);
}

/* Stores scalar j as text in out; reports invalid-condition-value for null,
 * objects and arrays.  Returns 1 when stored. */
static int validate_scalar(struct validate_ctx *v, const struct json *j, const struct json_member *key,
                           struct ir_str *out)
{
    char shown[VALIDATE_SHOW];
    switch (j->type) {
    case JSON_STRING:
    case JSON_NUMBER:
        validate_str(out, j);
        return 1;
    case JSON_TRUE:
    case JSON_FALSE:
        out->s = j->type == JSON_TRUE ? "true" : "false";
        out->len = j->type == JSON_TRUE ? 4 : 5;
        out->loc = j->loc;
        return 1;
    default:
        VAL_ERR(v, "invalid-condition-value", j->loc,
                "a value of condition key '%s' must be a string, number or boolean, not %s",
                validate_show(shown, sizeof shown, key->key, key->key_len), validate_type_name(j->type));
        return 0;
    }
}

/* Validates key member m of operator c into k. */
static void validate_cond_key(struct validate_ctx *v, struct ir_cond *c, const struct json_member *m,
                              struct ir_cond_key *k)
{
    const struct json *j = m->value;
    size_t i, n = 0;

    k->key.s = m->key;
    k->key.len = m->key_len;
    k->key.loc = m->key_loc;
    if (m->key_len == 0)
        VAL_ERR(v, "invalid-condition-key", m->key_loc, "empty condition key");
    else
        validate_vars_forbidden(v, &k->key, "a condition key");
    if (j->type == JSON_ARRAY) {
        if (j->u.arr.n == 0)
            VAL_ERR(v, "empty-array", j->loc, "the value list of condition key '%.*s' must not be empty",
                    (int)(m->key_len > 64 ? 64 : m->key_len), m->key);
        k->values.v = validate_alloc(v, j->u.arr.n, sizeof *k->values.v);
        for (i = 0; i < j->u.arr.n && k->values.v; i++)
            n += validate_scalar(v, j->u.arr.items[i], m, &k->values.v[n]);
    } else {
        k->values.v = validate_alloc(v, 1, sizeof *k->values.v);
        if (k->values.v)
            n += validate_scalar(v, j, m, &k->values.v[n]);
    }
    k->values.n = n;
    if (c->name.s) /* operator known: check the values' type */
        for (i = 0; i < n; i++)
            validate_cond_value(v, c, &k->values.v[i]);
}

static void validate_dup_key(struct validate_ctx *v, const struct validate_key *dup, const struct validate_key *first)
{
    char a[VALIDATE_SHOW], b[VALIDATE_SHOW];
    VAL_ERR(v, "duplicate-condition-key", dup->loc,
            "condition key '%s' repeats '%s' under the same operator (condition keys are case-insensitive)",
            validate_show(a, sizeof a, dup->s, dup->len), validate_show(b, sizeof b, first->s, first->len));
    diag_note(v->d, first->loc, "first written here");
}

/* Validates the keys object of operator c (member m). */
static void validate_cond_keys(struct validate_ctx *v, const struct json_member *m, struct ir_cond *c)
{
    const struct json *j = m->value;
    struct validate_key *names;
    size_t i;

    if (j->type != JSON_OBJECT) {
        VAL_ERR(v, "invalid-type", j->loc,
                "the value of condition operator '%.*s' must be an object of condition keys, not %s",
                (int)(m->key_len > 64 ? 64 : m->key_len), m->key, validate_type_name(j->type));
        return;
    }
    if (j->u.obj.n == 0) {
        diag_warning(v->d, "empty-condition-operator", j->loc,
                     "condition operator '%.*s' has no keys and tests nothing",
                     (int)(m->key_len > 64 ? 64 : m->key_len), m->key);
        return;
    }
    c->keys = validate_alloc(v, j->u.obj.n, sizeof *c->keys);
    names = validate_alloc(v, j->u.obj.n, sizeof *names);
    if (!c->keys || !names)
        return;
    for (i = 0; i < j->u.obj.n; i++) {
        const struct json_member *km = &j->u.obj.members[i];
        validate_cond_key(v, c, km, &c->keys[i]);
        names[i].s = km->key;
        names[i].len = km->key_len;
        names[i].loc = km->key_loc;
    }
    c->nkeys = j->u.obj.n;
    validate_dups(v, names, j->u.obj.n, 1, validate_dup_key);
}

void validate_condition(struct validate_ctx *v, const struct json *cond, struct ir_statement *st)
{
    size_t i;

    if (cond->type != JSON_OBJECT) {
        VAL_ERR(v, "invalid-type", cond->loc,
                "\"Condition\" must be an object mapping operators to {key: values}, not %s",
                validate_type_name(cond->type));
        return;
    }
    st->conds = validate_alloc(v, cond->u.obj.n, sizeof *st->conds);
    if (!st->conds)
        return;
    for (i = 0; i < cond->u.obj.n; i++) {
        const struct json_member *m = &cond->u.obj.members[i];
        struct ir_cond *c = &st->conds[st->nconds];
        if (validate_operator(v, m, c) != 0) {
            c->name.s = NULL; /* unknown: keys are checked for structure only */
            validate_cond_keys(v, m, c);
            memset(c, 0, sizeof *c);
            continue;
        }
        validate_cond_keys(v, m, c);
        if (c->nkeys)
            st->nconds++; /* an operator without keys tests nothing: left out of the IR */
        else
            memset(c, 0, sizeof *c);
    }
}
