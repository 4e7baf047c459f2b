/* diag.h - compiler diagnostics: "FILE:LINE:COL: error: MESSAGE [code]".
 *
 * Owns source locations, the error/warning counters, the rendering of a
 * diagnostic with its source line and caret (clang style, optional colour),
 * and an optional sink that receives every record (for --format json|sarif).
 * It does not decide what is an error: callers pass a stable kebab-case code. */
#ifndef PDT_DIAG_H
#define PDT_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct loc {
    const char *file;  /* file name as given on the command line ("<stdin>" for -) */
    uint32_t line;     /* 1-based; 0 = no position (file-level) */
    uint32_t col;      /* 1-based byte column */
};

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag_record {
    enum diag_level level;
    const char *code;     /* stable kebab-case code; NULL for notes */
    struct loc loc;
    const char *message;  /* formatted text, valid only during the sink call */
    uint32_t col_utf16;   /* loc.col counted in UTF-16 code units (SARIF); loc.col when the source is unknown */
};

typedef void diag_sink_fn(void *arg, const struct diag_record *r);

struct diag_source;

struct diag {
    FILE *out;                 /* text output (stderr); NULL = no text */
    int color;                 /* nonzero: ANSI colours */
    unsigned errors;           /* errors reported so far (suppressed ones included) */
    unsigned warnings;         /* warnings reported so far */
    unsigned max_errors;       /* per file, for errors and for warnings; past it they are counted, not shown (0 = no cap) */
    unsigned file_errors;      /* errors seen for the current file (saturates past the cap) */
    unsigned file_warnings;    /* warnings seen for the current file (saturates past the cap) */
    int last_shown;            /* the last error/warning was shown (its notes follow it) */
    const char *cur_file;      /* file of the last record, to reset file_errors */
    int warnings_as_errors;    /* nonzero: warnings are reported as errors */
    int suppress_warnings;     /* nonzero: warnings are dropped */
    diag_sink_fn *sink;        /* optional: receives every shown record */
    void *sink_arg;
    struct diag_source *sources;  /* registered file contents for caret lines */
};

#define DIAG_MAX_ERRORS_DEFAULT 50

void diag_init(struct diag *d, FILE *out);
void diag_fini(struct diag *d);
/* Registers the bytes of a file so diagnostics can print its lines.  The
 * buffer must outlive the diag (or be re-registered). */
void diag_add_source(struct diag *d, const char *file, const char *buf, size_t len);
/* Parses --color=auto|always|never semantics: mode is "auto", "always" or
 * "never"; auto honours NO_COLOR and isatty(out).  Returns -1 on a bad mode. */
int diag_set_color(struct diag *d, const char *mode);

void diag_report(struct diag *d, enum diag_level level, const char *code,
                 struct loc loc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_vreport(struct diag *d, enum diag_level level, const char *code,
                  struct loc loc, const char *fmt, va_list ap);

#define diag_error(d, code, loc, ...) diag_report((d), DIAG_ERROR, (code), (loc), __VA_ARGS__)
#define diag_warning(d, code, loc, ...) diag_report((d), DIAG_WARNING, (code), (loc), __VA_ARGS__)
#define diag_note(d, loc, ...) diag_report((d), DIAG_NOTE, NULL, (loc), __VA_ARGS__)

/* A plain message without location: "pdtc: error: ..." (I/O, usage). */
void diag_plain(struct diag *d, enum diag_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
