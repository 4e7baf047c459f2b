/* reqline.h - the request line format of the example agent and of the
 * benchmarks: one request per line, tab-separated, parsed in place into a
 * struct pdt_request with no allocation.  Owns only parsing and decoding;
 * deciding is libpdt's job.
 *
 *   ACTION <TAB> RESOURCE [<TAB> KEY=VALUE | <TAB> KEY[]=V1,V2,...]...
 *
 * KEY=VALUE is a single-valued context key; KEY[]=... is a list (KEY[]= is
 * the empty list, KEY[]=a the one-element list).  In every field the bytes
 * TAB, LF, CR, '%', ',' and '=' may be written %09 %0A %0D %25 %2C %3D (any
 * %XX is decoded); a bare ',' separates list values and the first bare '='
 * ends the key.  Empty lines and lines starting with '#' carry no request. */
#ifndef REQLINE_H
#define REQLINE_H

#include "pdt.h"

#define REQLINE_MAX_KEYS 64     /* context keys per request */
#define REQLINE_MAX_VALUES 256  /* context values per request, all keys together */

struct reqline {
    struct pdt_request req;                    /* points into the line and into kv/vals */
    struct pdt_kv kv[REQLINE_MAX_KEYS];        /* the context keys, in line order */
    const char *vals[REQLINE_MAX_VALUES];      /* every key's values, packed */
};

enum reqline_status {
    REQLINE_OK = 0,      /* r->req holds a request */
    REQLINE_EMPTY = 1,   /* blank or comment line: no request */
    REQLINE_ERROR = -1   /* malformed: *err says why */
};

/* Parses one line (NUL-terminated, without or with its trailing newline) in
 * place: fields are split and percent-decoded inside line, so line must
 * outlive r.  On REQLINE_ERROR *err points to a static message. */
int reqline_parse(char *line, struct reqline *r, const char **err);

#endif
