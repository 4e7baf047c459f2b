/* ir.h - the policy IR: what validate.c builds from a JSON tree and what the
 * lowering (lower.c, condc.c) and lint consume.
 *
 * The IR is a faithful, checked image of one policy document: string-or-array
 * elements are normalised to lists, condition values to their text (numbers
 * and booleans as their JSON text), operators to (base op, set prefix,
 * IfExists).  Every element keeps its source location.  All memory belongs to
 * the arena the validator was given.  Nothing here evaluates anything. */
#ifndef PDT_IR_H
#define PDT_IR_H

#include <stddef.h>

#include "diag.h"

enum ir_version { IR_VERSION_NONE, IR_VERSION_2008, IR_VERSION_2012 };
enum ir_effect { IR_ALLOW, IR_DENY };

struct ir_str {
    const char *s;    /* decoded UTF-8, NUL-terminated */
    size_t len;
    struct loc loc;   /* location of the JSON value (its opening quote) */
};

struct ir_list {
    struct ir_str *v;
    size_t n;
};

/* Base condition operators (no set prefix, no IfExists). */
enum ir_op {
    IR_OP_STRING_EQUALS, IR_OP_STRING_NOT_EQUALS,
    IR_OP_STRING_EQUALS_IGNORE_CASE, IR_OP_STRING_NOT_EQUALS_IGNORE_CASE,
    IR_OP_STRING_LIKE, IR_OP_STRING_NOT_LIKE,
    IR_OP_NUMERIC_EQUALS, IR_OP_NUMERIC_NOT_EQUALS,
    IR_OP_NUMERIC_LESS_THAN, IR_OP_NUMERIC_LESS_THAN_EQUALS,
    IR_OP_NUMERIC_GREATER_THAN, IR_OP_NUMERIC_GREATER_THAN_EQUALS,
    IR_OP_DATE_EQUALS, IR_OP_DATE_NOT_EQUALS,
    IR_OP_DATE_LESS_THAN, IR_OP_DATE_LESS_THAN_EQUALS,
    IR_OP_DATE_GREATER_THAN, IR_OP_DATE_GREATER_THAN_EQUALS,
    IR_OP_BOOL, IR_OP_BINARY_EQUALS,
    IR_OP_IP_ADDRESS, IR_OP_NOT_IP_ADDRESS,
    IR_OP_ARN_EQUALS, IR_OP_ARN_LIKE, IR_OP_ARN_NOT_EQUALS, IR_OP_ARN_NOT_LIKE,
    IR_OP_NULL,
    IR_OP_COUNT
};

/* Value type an operator compares as. */
enum ir_vtype { IR_VT_STRING, IR_VT_NUMBER, IR_VT_DATE, IR_VT_BOOL, IR_VT_BINARY, IR_VT_IP, IR_VT_ARN, IR_VT_NULL };

enum ir_set { IR_SET_NONE, IR_SET_FOR_ALL_VALUES, IR_SET_FOR_ANY_VALUE };

struct ir_cond_key {
    struct ir_str key;       /* condition key as written (compare case-insensitively) */
    struct ir_list values;   /* at least one value; text form */
};

struct ir_cond {
    struct ir_str name;      /* operator as written, e.g. "ForAnyValue:StringLikeIfExists" */
    enum ir_op op;
    enum ir_set set;
    int if_exists;
    struct ir_cond_key *keys;
    size_t nkeys;
};

struct ir_statement {
    struct loc loc;          /* the statement object's '{' */
    size_t index;            /* 0-based position in the policy */
    struct ir_str sid;       /* s == NULL when absent */
    enum ir_effect effect;
    struct loc effect_loc;
    int not_action;          /* list below is NotAction */
    struct ir_list actions;
    struct loc action_loc;   /* key location of Action/NotAction */
    int not_resource;        /* list below is NotResource */
    struct ir_list resources;
    struct loc resource_loc; /* key location of Resource/NotResource */
    int has_condition;       /* a Condition element was present (maybe {}) */
    struct loc condition_loc;
    struct ir_cond *conds;
    size_t nconds;
};

struct ir_policy {
    const char *file;
    enum ir_version version;
    struct ir_str id;        /* s == NULL when absent */
    struct ir_statement *stmts;
    size_t nstmts;
};

/* Operator table (ir.c). */
const char *ir_op_name(enum ir_op op);
enum ir_vtype ir_op_vtype(enum ir_op op);
int ir_op_negated(enum ir_op op);           /* 1 for the NOR operators (StringNotEquals, NotIpAddress, ...) */
enum ir_op ir_op_positive(enum ir_op op);   /* positive counterpart of a negated operator; op itself otherwise */
int ir_op_takes_variables(enum ir_op op);   /* String* and Arn* values may hold ${...} */
/* Parses an operator name as written ("ForAllValues:StringLikeIfExists").
 * Returns 0 and fills op/set/if_exists, or -1 when the base name is unknown.
 * Exact case.  Does not judge combinations (Null with IfExists is the
 * validator's business). */
int ir_op_parse(const char *name, size_t len, enum ir_op *op, enum ir_set *set, int *if_exists);

#endif
