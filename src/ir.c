/* ir.c - the condition-operator table of the IR (see ir.h): names, value
 * types, negation.  The IR structures themselves are plain data. */
#include "ir.h"

#include <string.h>

static const struct {
    const char *name;
    enum ir_vtype vt;
    int negated;
    enum ir_op positive;
} ir_ops[IR_OP_COUNT] = {
    [IR_OP_STRING_EQUALS] = {"StringEquals", IR_VT_STRING, 0, IR_OP_STRING_EQUALS},
    [IR_OP_STRING_NOT_EQUALS] = {"StringNotEquals", IR_VT_STRING, 1, IR_OP_STRING_EQUALS},
    [IR_OP_STRING_EQUALS_IGNORE_CASE] = {"StringEqualsIgnoreCase", IR_VT_STRING, 0, IR_OP_STRING_EQUALS_IGNORE_CASE},
    [IR_OP_STRING_NOT_EQUALS_IGNORE_CASE] = {"StringNotEqualsIgnoreCase", IR_VT_STRING, 1, IR_OP_STRING_EQUALS_IGNORE_CASE},
    [IR_OP_STRING_LIKE] = {"StringLike", IR_VT_STRING, 0, IR_OP_STRING_LIKE},
    [IR_OP_STRING_NOT_LIKE] = {"StringNotLike", IR_VT_STRING, 1, IR_OP_STRING_LIKE},
    [IR_OP_NUMERIC_EQUALS] = {"NumericEquals", IR_VT_NUMBER, 0, IR_OP_NUMERIC_EQUALS},
    [IR_OP_NUMERIC_NOT_EQUALS] = {"NumericNotEquals", IR_VT_NUMBER, 1, IR_OP_NUMERIC_EQUALS},
    [IR_OP_NUMERIC_LESS_THAN] = {"NumericLessThan", IR_VT_NUMBER, 0, IR_OP_NUMERIC_LESS_THAN},
    [IR_OP_NUMERIC_LESS_THAN_EQUALS] = {"NumericLessThanEquals", IR_VT_NUMBER, 0, IR_OP_NUMERIC_LESS_THAN_EQUALS},
    [IR_OP_NUMERIC_GREATER_THAN] = {"NumericGreaterThan", IR_VT_NUMBER, 0, IR_OP_NUMERIC_GREATER_THAN},
    [IR_OP_NUMERIC_GREATER_THAN_EQUALS] = {"NumericGreaterThanEquals", IR_VT_NUMBER, 0, IR_OP_NUMERIC_GREATER_THAN_EQUALS},
    [IR_OP_DATE_EQUALS] = {"DateEquals", IR_VT_DATE, 0, IR_OP_DATE_EQUALS},
    [IR_OP_DATE_NOT_EQUALS] = {"DateNotEquals", IR_VT_DATE, 1, IR_OP_DATE_EQUALS},
    [IR_OP_DATE_LESS_THAN] = {"DateLessThan", IR_VT_DATE, 0, IR_OP_DATE_LESS_THAN},
    [IR_OP_DATE_LESS_THAN_EQUALS] = {"DateLessThanEquals", IR_VT_DATE, 0, IR_OP_DATE_LESS_THAN_EQUALS},
    [IR_OP_DATE_GREATER_THAN] = {"DateGreaterThan", IR_VT_DATE, 0, IR_OP_DATE_GREATER_THAN},
    [IR_OP_DATE_GREATER_THAN_EQUALS] = {"DateGreaterThanEquals", IR_VT_DATE, 0, IR_OP_DATE_GREATER_THAN_EQUALS},
    [IR_OP_BOOL] = {"Bool", IR_VT_BOOL, 0, IR_OP_BOOL},
    [IR_OP_BINARY_EQUALS] = {"BinaryEquals", IR_VT_BINARY, 0, IR_OP_BINARY_EQUALS},
    [IR_OP_IP_ADDRESS] = {"IpAddress", IR_VT_IP, 0, IR_OP_IP_ADDRESS},
    [IR_OP_NOT_IP_ADDRESS] = {"NotIpAddress", IR_VT_IP, 1, IR_OP_IP_ADDRESS},
    [IR_OP_ARN_EQUALS] = {"ArnEquals", IR_VT_ARN, 0, IR_OP_ARN_EQUALS},
    [IR_OP_ARN_LIKE] = {"ArnLike", IR_VT_ARN, 0, IR_OP_ARN_LIKE},
    [IR_OP_ARN_NOT_EQUALS] = {"ArnNotEquals", IR_VT_ARN, 1, IR_OP_ARN_EQUALS},
    [IR_OP_ARN_NOT_LIKE] = {"ArnNotLike", IR_VT_ARN, 1, IR_OP_ARN_LIKE},
    [IR_OP_NULL] = {"Null", IR_VT_NULL, 0, IR_OP_NULL},
};

const char *ir_op_name(enum ir_op op) { return op < IR_OP_COUNT ? ir_ops[op].name : "?"; }
enum ir_vtype ir_op_vtype(enum ir_op op) { return ir_ops[op].vt; }
int ir_op_negated(enum ir_op op) { return ir_ops[op].negated; }
enum ir_op ir_op_positive(enum ir_op op) { return ir_ops[op].positive; }

int ir_op_takes_variables(enum ir_op op)
{
    return ir_ops[op].vt == IR_VT_STRING || ir_ops[op].vt == IR_VT_ARN;
}

int ir_op_parse(const char *name, size_t len, enum ir_op *op, enum ir_set *set, int *if_exists)
{
    static const char all[] = "ForAllValues:", any[] = "ForAnyValue:", ife[] = "IfExists";
    size_t i;

    *set = IR_SET_NONE;
    *if_exists = 0;
    if (len >= sizeof all - 1 && memcmp(name, all, sizeof all - 1) == 0) {
        *set = IR_SET_FOR_ALL_VALUES;
        name += sizeof all - 1;
        len -= sizeof all - 1;
    } else if (len >= sizeof any - 1 && memcmp(name, any, sizeof any - 1) == 0) {
        *set = IR_SET_FOR_ANY_VALUE;
        name += sizeof any - 1;
        len -= sizeof any - 1;
    }
    if (len > sizeof ife - 1 && memcmp(name + len - (sizeof ife - 1), ife, sizeof ife - 1) == 0) {
        *if_exists = 1;
        len -= sizeof ife - 1;
    }
    for (i = 0; i < IR_OP_COUNT; i++) {
        if (strlen(ir_ops[i].name) == len && memcmp(ir_ops[i].name, name, len) == 0) {
            *op = (enum ir_op)i;
            return 0;
        }
    }
    return -1;
}
