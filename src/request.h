/* request.h - the request lines of `pdtc eval --requests`, `pdtc test` and
 * `pdtc explain`: JSON Lines records {"id", "action", "resource", "context"}
 * (plus members a caller allows, such as "expect") turned into a struct
 * pdt_request with its context arrays.  Also builds a context from the
 * command line (--context KEY=VALUE, --context-json).  All memory comes from
 * the caller's arena; errors are returned as text, never printed. */
#ifndef PDT_REQUEST_H
#define PDT_REQUEST_H

#include <stddef.h>

#include "arena.h"
#include "json.h"
#include "pdt.h"

/* One parsed request line. */
struct request_line {
    unsigned line;              /* 1-based line number in its input */
    const struct json *root;    /* the line's JSON object; NULL when it did not parse */
    const struct json *id;      /* value of "id" (any JSON); NULL when absent */
    struct pdt_request req;     /* action, resource and context (arena) */
    const char *error;          /* NULL, or why the line is refused (arena) */
};

/* A context being built from command-line options. */
struct request_ctx {
    struct pdt_kv *kv;          /* arena array */
    size_t n;                   /* entries used */
    size_t cap;                 /* entries allocated */
};

/* Longest request line accepted (bytes); longer lines are refused. */
#define REQUEST_LINE_MAX (1u << 20)

/* Splits JSON Lines input: from *pos in buf[0..len), returns the next line in
 * *line and *line_len (without its "\n" or "\r\n") and advances *pos and *lineno
 * (the line's 1-based number).  Returns 0 at the end of input, 1 otherwise. */
int request_next_line(const char *buf, size_t len, size_t *pos, unsigned *lineno,
                      const char **line, size_t *line_len);

/* Nonzero when text[0..len) holds only JSON whitespace (a blank line, skipped). */
int request_blank(const char *text, size_t len);

/* Parses one JSON Lines record text[0..len) found at line `lineno` of `file`.
 * extra: NULL, or a NULL-terminated list of further member names the caller
 * accepts (their values are left in out->root for the caller).  Fills *out;
 * returns 0, or -1 with out->error set (out->id is still set when the line
 * was an object with an "id").  Never prints. */
int request_parse_line(struct arena *a, const char *file, const char *text, size_t len,
                       unsigned lineno, const char *const *extra, struct request_line *out);

/* Turns an already parsed request object into *out (as request_parse_line
 * does after parsing).  Returns 0 or -1 with out->error set. */
int request_from_json(struct arena *a, const struct json *obj, const char *const *extra,
                      struct request_line *out);

/* Adds the members of a JSON context object (string: single value; array of
 * strings, numbers and booleans: a list; number or boolean: its JSON text)
 * to c.  Returns 0, or -1 with *err (arena text) set. */
int request_ctx_add_json(struct arena *a, struct request_ctx *c, const struct json *obj,
                         const char **err);

/* Adds one single-valued key.  Returns 0, or -1 (out of memory) with *err set. */
int request_ctx_add(struct arena *a, struct request_ctx *c, const char *key, const char *value,
                    const char **err);

/* Checks that no two keys of kv[0..n) are equal ignoring ASCII case (the
 * request is refused otherwise).  Returns 0, or -1 with *err set. */
int request_check_keys(struct arena *a, const struct pdt_kv *kv, size_t n, const char **err);

/* Builds the context of a command-line request (eval, explain): the
 * `--context KEY=VALUE` arguments args[0..n) (each holds a '=') and the
 * optional `--context-json` object text json.  Returns CLI_OK with c filled;
 * CLI_USAGE when json is not a JSON object of the accepted shape (reported
 * on stderr, prefixed by cmd, e.g. "pdtc eval"); CLI_REFUSED with *err set
 * when the request must be refused (keys equal ignoring case, out of memory),
 * left to the caller to report in its own format. */
int request_ctx_from_args(struct arena *a, const char *cmd, char *const *args, size_t n,
                          const char *json, struct request_ctx *c, const char **err);

#endif
