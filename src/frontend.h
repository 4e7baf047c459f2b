/* frontend.h - the compiler front end for one policy file: read it, register
 * it with diag (for caret lines), parse it (json.h), validate it (validate.h)
 * and hand back the policy IR.  Shared by check, compile, eval, test and
 * explain.  It prints nothing itself except through diag; what to do with
 * the IR (lint, lowering) is the caller's business. */
#ifndef PDT_FRONTEND_H
#define PDT_FRONTEND_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "ir.h"

/* Results, numerically equal to the pdtc exit statuses (cli.h). */
enum frontend_status {
    FRONTEND_OK = 0,       /* valid policy (warnings allowed) */
    FRONTEND_REFUSED = 1,  /* JSON or policy errors were reported */
    FRONTEND_IO = 3        /* the file could not be read (reported) */
};

struct frontend_opts {
    size_t max_policy_size;  /* warn above this many non-whitespace characters; 0 = never */
};

/* Parses and validates the policy text buf[0..len) called `file` (the name
 * used in diagnostics; it must outlive d).  buf is registered with d and must
 * stay alive as long as d may print diagnostics about it.  opts may be NULL.
 * Returns FRONTEND_OK with *out set to the IR (in arena a), or
 * FRONTEND_REFUSED with *out = NULL after diagnostics (a file with a JSON
 * error gets no policy validation). */
int frontend_parse(struct arena *a, struct diag *d, const char *file, const char *buf, size_t len,
                   const struct frontend_opts *opts, struct ir_policy **out);

/* Reads path ("-" = standard input, shown as "<stdin>") into arena a and runs
 * frontend_parse on it.  On a read failure reports "FILE: error: ..." through
 * d and returns FRONTEND_IO.  If text is non-NULL it receives the file's
 * bytes (arena, NUL-terminated) and text_len their count, also on refusal. */
int frontend_load(struct arena *a, struct diag *d, const char *path, const struct frontend_opts *opts,
                  struct ir_policy **out, const char **text, size_t *text_len);

#endif
