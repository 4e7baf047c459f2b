/* jsonout.h - writes JSON text: strings escaped per RFC 8259 and whole
 * parsed values (struct json) re-serialised, for the machine-readable output
 * of eval, test and lint.  It only writes; parsing is json.h's business. */
#ifndef PDT_JSONOUT_H
#define PDT_JSONOUT_H

#include <stddef.h>
#include <stdio.h>

struct json;

/* Writes s[0..len) as a JSON string literal with its quotes.  Control
 * characters, '"' and '\\' are escaped; so are bytes that are not valid UTF-8
 * (each as \u00XX of the byte value, so the output is always valid JSON);
 * valid UTF-8 is copied as is. */
void jsonout_strn(FILE *f, const char *s, size_t len);

/* jsonout_strn(f, s, strlen(s)), or `null` when s is NULL. */
void jsonout_str(FILE *f, const char *s);

/* Writes a parsed JSON value in one line ("key": value, with a space after
 * each ':' and ','), or `null` when v is NULL.  Iterative: the depth is
 * bounded by JSON_MAX_DEPTH (deeper input cannot come from json_parse; if
 * it does, the excess is written as null). */
void jsonout_value(FILE *f, const struct json *v);

#endif
