/* diag.c - renders diagnostics (see diag.h).  Source lines are looked up in
 * registered buffers; the caret sits under the 1-based byte column.  Lines
 * longer than DIAG_LINE_MAX are shown around the column only. */
#include "diag.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DIAG_LINE_MAX 160

struct diag_source {
    struct diag_source *next;
    const char *file;
    const char *buf;
    size_t len;
    uint32_t cache_line;  /* a line whose start is known (0 = none) ... */
    size_t cache_off;     /* ... the offset of that start ... */
    size_t cache_len;     /* ... and its length without the line end */
};

void diag_init(struct diag *d, FILE *out)
{
    memset(d, 0, sizeof *d);
    d->out = out;
    d->max_errors = DIAG_MAX_ERRORS_DEFAULT;
}

void diag_fini(struct diag *d)
{
    struct diag_source *s = d->sources;
    while (s) {
        struct diag_source *n = s->next;
        free(s);
        s = n;
    }
    d->sources = NULL;
}

void diag_add_source(struct diag *d, const char *file, const char *buf, size_t len)
{
    struct diag_source *s;
    for (s = d->sources; s; s = s->next) {
        if (s->file == file || (s->file && file && strcmp(s->file, file) == 0)) {
            s->buf = buf;
            s->len = len;
            s->cache_line = 0;
            return;
        }
    }
    s = malloc(sizeof *s);
    if (!s)
        return; /* caret lines are a courtesy; the message still prints */
    s->file = file;
    s->buf = buf;
    s->len = len;
    s->cache_line = 0;
    s->next = d->sources;
    d->sources = s;
}

int diag_set_color(struct diag *d, const char *mode)
{
    if (strcmp(mode, "always") == 0)
        d->color = 1;
    else if (strcmp(mode, "never") == 0)
        d->color = 0;
    else if (strcmp(mode, "auto") == 0) {
        const char *nc = getenv("NO_COLOR");
        d->color = d->out && !(nc && *nc) && isatty(fileno(d->out));
    } else
        return -1;
    return 0;
}

static struct diag_source *diag_find(const struct diag *d, const char *file)
{
    struct diag_source *s;
    if (!file)
        return NULL;
    for (s = d->sources; s; s = s->next)
        if (s->file == file || (s->file && strcmp(s->file, file) == 0))
            return s;
    return NULL;
}

/* Finds line `line` (1-based) in src and returns its start and length
 * (without "\n" or "\r\n").  The last line found is cached with its length,
 * so diagnostics reported in file order cost linear time overall, however
 * many of them fall on one long line. */
static int diag_line(struct diag_source *src, uint32_t line, const char **start, size_t *len)
{
    const char *p = src->buf, *end = src->buf + src->len, *nl;
    uint32_t l = 1;
    if (src->cache_line == line) {
        *start = src->buf + src->cache_off;
        *len = src->cache_len;
        return 0;
    }
    if (src->cache_line && src->cache_line < line) {
        p = src->buf + src->cache_off;
        l = src->cache_line;
    }
    while (l < line) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return -1;
        p = nl + 1;
        l++;
    }
    nl = memchr(p, '\n', (size_t)(end - p));
    *len = (size_t)((nl ? nl : end) - p);
    if (*len && p[*len - 1] == '\r')
        (*len)--;
    *start = p;
    src->cache_line = line;
    src->cache_off = (size_t)(p - src->buf);
    src->cache_len = *len;
    return 0;
}

/* Length of the valid UTF-8 sequence at p[0..n), or 0 when it is not one
 * (overlong, surrogate, above U+10FFFF or truncated). */
static size_t diag_utf8_len(const unsigned char *p, size_t n)
{
    size_t len, i;
    unsigned cp;
    if (p[0] < 0xc2 || p[0] > 0xf4)
        return 0;
    len = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
    if (len > n)
        return 0;
    cp = p[0] & (0x7f >> len);
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return len;
}

/* Prints the source line and a caret under col.  Control bytes and invalid
 * UTF-8 are shown as '?'; the caret is indented by characters, not bytes, so
 * it lines up under multi-byte text; tabs are kept.  A line longer than
 * DIAG_LINE_MAX is shown as a window around the column.  Each of the two
 * lines is assembled in a buffer and written at once (stderr is unbuffered). */
static void diag_caret(struct diag *d, const struct loc *loc)
{
    struct diag_source *src = diag_find(d, loc->file);
    char text[4 * DIAG_LINE_MAX + 16], mark[DIAG_LINE_MAX + 32];
    const char *line;
    size_t len, from = 0, to, i, col, nt = 0, nm = 0;

    if (!src || loc->line == 0 || diag_line(src, loc->line, &line, &len) < 0)
        return;
    col = loc->col ? loc->col - 1 : 0;
    if (col > len)
        col = len;
    to = len;
    if (len > DIAG_LINE_MAX) {  /* long line: show a window around col */
        from = col > DIAG_LINE_MAX / 2 ? col - DIAG_LINE_MAX / 2 : 0;
        to = from + DIAG_LINE_MAX < len ? from + DIAG_LINE_MAX : len;
    }
    while (from > 0 && ((unsigned char)line[from] & 0xc0) == 0x80)
        from--;  /* do not start inside a character */
    if (from) {
        memcpy(text, "...", 3);
        memcpy(mark, "   ", 3);
        nt = nm = 3;
    }
    for (i = from; i < to;) {
        const unsigned char *c = (const unsigned char *)line + i;
        size_t n = *c >= 0x80 ? diag_utf8_len(c, to - i) : 1;
        if (n > 1) {
            memcpy(text + nt, c, n);
            nt += n;
        } else {
            text[nt++] = (char)(*c == '\t' || (*c >= 0x20 && *c < 0x7f) ? *c : '?');
            n = 1;
        }
        if (i < col)
            mark[nm++] = *c == '\t' ? '\t' : ' ';
        i += n;
    }
    if (to < len) {
        memcpy(text + nt, "...", 3);
        nt += 3;
    }
    text[nt++] = '\n';
    fwrite(text, 1, nt, d->out);
    {
        static const char plain[] = "^\n", colored[] = "\033[1;32m^\033[0m\n";
        const char *m = d->color ? colored : plain;
        size_t mlen = d->color ? sizeof colored - 1 : sizeof plain - 1;
        memcpy(mark + nm, m, mlen);
        nm += mlen;
    }
    fwrite(mark, 1, nm, d->out);
}

/* The 1-based column of loc in UTF-16 code units (what SARIF counts): each
 * valid UTF-8 sequence is one unit, two above U+FFFF; an invalid byte counts
 * as one.  Falls back to the byte column when the source is not registered. */
static uint32_t diag_col_utf16(struct diag *d, const struct loc *loc)
{
    struct diag_source *src = diag_find(d, loc->file);
    const char *line;
    size_t len, i, col, units = 0;
    if (!src || loc->line == 0 || loc->col == 0 || diag_line(src, loc->line, &line, &len) < 0)
        return loc->col;
    col = loc->col - 1 < len ? loc->col - 1 : len;
    for (i = 0; i < col;) {
        const unsigned char *c = (const unsigned char *)line + i;
        size_t n = *c >= 0x80 ? diag_utf8_len(c, len - i) : 1;
        units += n == 4 ? 2 : 1;
        i += n ? n : 1;
    }
    return (uint32_t)(units + 1 + (loc->col - 1 - col));
}

/* Decides whether a record is shown under the per-file cap (max_errors
 * applies to errors and to warnings, each counted separately); notes follow
 * the fate of the record they belong to.  Prints one "too many" line when a
 * cap is first exceeded. */
static int diag_shown(struct diag *d, enum diag_level level, const struct loc *loc)
{
    unsigned *n;
    if (loc->file != d->cur_file) {
        d->cur_file = loc->file;
        d->file_errors = d->file_warnings = 0;
    }
    if (level == DIAG_NOTE)
        return d->last_shown;
    n = level == DIAG_ERROR ? &d->file_errors : &d->file_warnings;
    d->last_shown = !d->max_errors || *n < d->max_errors;
    if (!d->last_shown && *n == d->max_errors && d->out)
        fprintf(d->out, "%s: fatal: too many %s (%u); further %s are not shown\n",
                loc->file ? loc->file : "pdtc", level == DIAG_ERROR ? "errors" : "warnings",
                d->max_errors, level == DIAG_ERROR ? "errors" : "warnings");
    if (*n <= d->max_errors || !d->max_errors)
        (*n)++;
    return d->last_shown;
}

void diag_vreport(struct diag *d, enum diag_level level, const char *code,
                  struct loc loc, const char *fmt, va_list ap)
{
    static const char *const names[] = {"error", "warning", "note"};
    static const char *const colors[] = {"\033[1;31m", "\033[1;35m", "\033[1;36m"};
    char msg[1024];
    struct diag_record r;

    if (level == DIAG_WARNING) {
        if (d->suppress_warnings)
            return;
        if (d->warnings_as_errors)
            level = DIAG_ERROR;
        else
            d->warnings++;
    }
    if (level == DIAG_ERROR)
        d->errors++;
    if (!diag_shown(d, level, &loc))
        return;
    vsnprintf(msg, sizeof msg, fmt, ap);
    r.level = level;
    r.code = code;
    r.loc = loc;
    r.message = msg;
    r.col_utf16 = d->sink ? diag_col_utf16(d, &loc) : loc.col;
    if (d->sink)
        d->sink(d->sink_arg, &r);
    if (!d->out)
        return;
    if (d->color)
        fputs("\033[1m", d->out);
    if (loc.file && loc.line)
        fprintf(d->out, "%s:%u:%u: ", loc.file, (unsigned)loc.line, (unsigned)loc.col);
    else if (loc.file)
        fprintf(d->out, "%s: ", loc.file);
    else
        fputs("pdtc: ", d->out);
    if (d->color)
        fprintf(d->out, "%s%s:\033[0m\033[1m %s", colors[level], names[level], msg);
    else
        fprintf(d->out, "%s: %s", names[level], msg);
    if (code)
        fprintf(d->out, " [%s]", code);
    fputs(d->color ? "\033[0m\n" : "\n", d->out);
    diag_caret(d, &loc);
}

void diag_report(struct diag *d, enum diag_level level, const char *code,
                 struct loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vreport(d, level, code, loc, fmt, ap);
    va_end(ap);
}

void diag_plain(struct diag *d, enum diag_level level, const char *fmt, ...)
{
    struct loc none = {NULL, 0, 0};
    va_list ap;
    va_start(ap, fmt);
    diag_vreport(d, level, NULL, none, fmt, ap);
    va_end(ap);
}
