/* json.h - the located JSON tree produced by the grammar (grammar/json.l,
 * grammar/json.y) for policy files and JSON Lines requests.
 *
 * Every node carries the line/column where its value starts; object members
 * also carry the location of their key.  All nodes and strings live in the
 * caller's arena.  Strings are decoded UTF-8, NUL-terminated, with an explicit
 * length (a decoded "\u0000" makes strlen() unreliable: use len).  Numbers
 * keep their literal text, already checked against the RFC 8259 grammar.
 * This module builds trees; it knows nothing about IAM. */
#ifndef PDT_JSON_H
#define PDT_JSON_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"

#define JSON_MAX_DEPTH 64  /* deepest nesting of arrays/objects accepted */

enum json_type { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json;

struct json_member {
    const char *key;       /* decoded key */
    size_t key_len;
    struct loc key_loc;    /* location of the key's opening quote */
    struct json *value;
};

struct json {
    enum json_type type;
    struct loc loc;        /* location of the value's first character */
    union {
        struct { const char *s; size_t len; } str;            /* JSON_STRING, JSON_NUMBER (literal text) */
        struct { struct json **items; size_t n; } arr;         /* JSON_ARRAY */
        struct { struct json_member *members; size_t n; } obj; /* JSON_OBJECT, in source order */
    } u;
};

/* Parses one JSON text buf[0..len) (RFC 8259, strict) into a tree.  file names
 * the input in diagnostics; first_line is the line number of buf's first line
 * (1 for a file; the line number within the file for a JSON Lines record).
 * Reports every problem through d with a json-* code (or duplicate-key) and
 * returns NULL on any error; the tree is only returned for valid input. */
struct json *json_parse(struct arena *a, struct diag *d, const char *file,
                        const char *buf, size_t len, unsigned first_line);

/* Looks up a member by exact key; NULL when absent. */
const struct json_member *json_get(const struct json *obj, const char *key);

const char *json_type_name(enum json_type t);

#endif
