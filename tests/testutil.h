/* testutil.h - helpers shared by the CUnit test programs: running the
 * registered suites with a proper exit status, finding ../shared (and saying
 * "skipped" when it is absent), reading files, running pdtc. */
#ifndef PDT_TESTUTIL_H
#define PDT_TESTUTIL_H

#include <stddef.h>

#include <CUnit/CUnit.h>

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

#endif
