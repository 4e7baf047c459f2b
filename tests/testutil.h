/* testutil.h - helpers shared by the CUnit test programs: running the
 * registered suites with a proper exit status, finding ../shared (and saying
 * "skipped" when it is absent), reading files, running pdtc, and parsing
 * JSON with its diagnostics captured. */
#ifndef PDT_TESTUTIL_H
#define PDT_TESTUTIL_H

#include <stddef.h>

#include <CUnit/CUnit.h>

#include "arena.h"
#include "diag.h"
#include "json.h"

/* Runs all registered suites (basic mode); returns the process exit status:
 * 0 when every assertion passed, 1 otherwise. */
int tu_run(void);

/* Path of a file under the shared material directory ($PDT_SHARED), or NULL
 * after printing "skipped: <what> (no ../shared)" when it is absent.
 * Returns a static buffer overwritten by the next call. */
const char *tu_shared(const char *rel);
/* Path of a file in the source tree ($PDT_SOURCE_DIR). Static buffer. */
const char *tu_source(const char *rel);

/* Reads a whole file (malloc'd, NUL-terminated); NULL on failure. */
char *tu_read_file(const char *path, size_t *len);

/* Runs the pdtc binary ($PDTC) with the given shell-quoted argument string,
 * feeding stdin_text (may be NULL) and capturing stdout/stderr into malloc'd
 * strings (may pass NULL to discard).  Returns the exit status, or -1. */
int tu_pdtc(const char *args, const char *stdin_text, char **out, char **err);

/* Diagnostics captured from one parse: all are counted, the first
 * TU_CAP_MAX kept. */
#define TU_CAP_MAX 8
struct tu_cap {
    int n;                       /* records seen */
    int json_errors;             /* errors with a json-* code */
    int other_errors;            /* errors with any other code */
    enum diag_level level[TU_CAP_MAX];
    char code[TU_CAP_MAX][48];
    struct loc loc[TU_CAP_MAX];
    char msg[TU_CAP_MAX][512];
};

/* A diag sink (struct diag.sink) filling the struct tu_cap at arg. */
void tu_cap_sink(void *arg, const struct diag_record *r);

/* json_parse of s[0..len) as file "t.json" into arena a, its diagnostics
 * captured into *c only (cleared first); max_errors as struct diag's, or
 * -1 for the default. */
struct json *tu_json_parse(struct arena *a, const char *s, size_t len, struct tu_cap *c, int max_errors);

/* Asserts that parse(s, &cap) refuses s with error code_ first, at
 * line_:col_ (parse: the test's own parse function). */
#define TU_REFUSED(parse, s, code_, line_, col_)                            \
    do {                                                                    \
        struct tu_cap c_;                                                   \
        CU_ASSERT_PTR_NULL(parse((s), &c_));                                \
        CU_ASSERT_TRUE(c_.n >= 1);                                          \
        CU_ASSERT_STRING_EQUAL(c_.code[0], (code_));                        \
        CU_ASSERT_EQUAL(c_.level[0], DIAG_ERROR);                           \
        CU_ASSERT_EQUAL(c_.loc[0].line, (line_));                           \
        CU_ASSERT_EQUAL(c_.loc[0].col, (col_));                             \
        if (strcmp(c_.code[0], (code_)) != 0 || c_.loc[0].col != (col_))    \
            printf("\n  %s -> %u:%u %s [%s]\n", (s), c_.loc[0].line,        \
                   c_.loc[0].col, c_.msg[0], c_.code[0]);                   \
    } while (0)

#endif
