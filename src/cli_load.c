/* cli_load.c - the inputs of the deciding commands (see cli_load.h): reading
 * policy files through the front end, compiling them in memory with
 * lower_compile, or reading a compiled table, and opening the result with
 * pdt_open_mem.  It does not parse requests (request.c) or print decisions. */
#include "cli_load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "frontend.h"
#include "lower.h"

int cli_load_is_table(const void *buf, size_t len)
{
    return len >= PDT_MAGIC_LEN && memcmp(buf, PDT_MAGIC, PDT_MAGIC_LEN) == 0;
}

/* Reads path ("-" = standard input) into the arena (NUL-terminated).
 * Returns CLI_OK or CLI_IO after reporting. */
static int cli_load_read(struct arena *a, struct diag *d, const char *path, char **out, size_t *len)
{
    char *buf, *copy;
    if (cli_read_file(path, &buf, len) < 0) {
        diag_plain(d, DIAG_ERROR, "%s: %s", cli_display_name(path), strerror(errno));
        return CLI_IO;
    }
    copy = arena_alloc(a, *len + 1);
    if (copy)
        memcpy(copy, buf, *len + 1);
    free(buf);
    if (!copy) {
        diag_plain(d, DIAG_ERROR, "%s: out of memory", cli_display_name(path));
        return CLI_IO;
    }
    *out = copy;
    return CLI_OK;
}

/* Runs the front end on texts already read: bufs[i][0..lens[i]) of paths[i]. */
static int cli_load_texts(struct arena *a, struct diag *d, char *const *paths, char **bufs,
                          const size_t *lens, size_t n, struct ir_policy ***pols)
{
    struct ir_policy **v = arena_calloc(a, n ? n : 1, sizeof *v);
    size_t i;

    if (!v) {
        diag_plain(d, DIAG_ERROR, "out of memory");
        return CLI_IO;
    }
    for (i = 0; i < n; i++) {
        const char *name = cli_display_name(paths[i]);
        if (frontend_parse(a, d, name, bufs[i], lens[i], NULL, &v[i]) != FRONTEND_OK)
            v[i] = NULL;
    }
    *pols = v;
    for (i = 0; i < n; i++)
        if (!v[i])
            return CLI_REFUSED;
    return d->errors ? CLI_REFUSED : CLI_OK;
}

/* Reads every input once (standard input at most once). */
static int cli_load_read_all(struct arena *a, struct diag *d, char *const *paths, size_t n,
                             char ***bufs, size_t **lens)
{
    size_t i, nstdin = 0;
    *bufs = arena_calloc(a, n ? n : 1, sizeof **bufs);
    *lens = arena_calloc(a, n ? n : 1, sizeof **lens);
    if (!*bufs || !*lens) {
        diag_plain(d, DIAG_ERROR, "out of memory");
        return CLI_IO;
    }
    for (i = 0; i < n; i++)
        nstdin += strcmp(paths[i], "-") == 0;
    if (nstdin > 1) {
        diag_plain(d, DIAG_ERROR, "'-' (standard input) may be given only once");
        return CLI_USAGE;
    }
    for (i = 0; i < n; i++) {
        int st = cli_load_read(a, d, paths[i], &(*bufs)[i], &(*lens)[i]);
        if (st != CLI_OK)
            return st;
    }
    return CLI_OK;
}

int cli_load_policies(struct arena *a, struct diag *d, char *const *paths, size_t n,
                      struct ir_policy ***pols)
{
    char **bufs;
    size_t *lens;
    int st = cli_load_read_all(a, d, paths, n, &bufs, &lens);
    return st != CLI_OK ? st : cli_load_texts(a, d, paths, bufs, lens, n, pols);
}

/* Lowers validated policies into out (initialised by the caller). */
static int cli_load_lower(struct arena *a, struct diag *d, struct ir_policy **pols, size_t n, int strip,
                          struct buf *out)
{
    struct lower_opts o;
    memset(&o, 0, sizeof o);
    o.strip = strip;
    if (lower_compile(a, d, pols, n, &o, out) == 0 && !out->failed)
        return CLI_OK;
    if (d->errors)
        return CLI_REFUSED;
    diag_plain(d, DIAG_ERROR, "out of memory while compiling");
    return CLI_IO;
}

int cli_load_compile(struct arena *a, struct diag *d, char *const *paths, size_t n, int strip,
                     struct buf *out)
{
    struct ir_policy **pols;
    int st = cli_load_policies(a, d, paths, n, &pols);
    return st != CLI_OK ? st : cli_load_lower(a, d, pols, n, strip, out);
}

/* Opens image[0..len) (malloc'd; ownership passes to out on success). */
static int cli_table_open(struct diag *d, const char *name, void *image, size_t len,
                          struct cli_table *out)
{
    int err = pdt_open_mem(image, len, &out->t);
    if (err != PDT_OK) {
        diag_plain(d, DIAG_ERROR, "%s: not a valid decision table: %s", name, pdt_strerror(err));
        free(image);
        return err == PDT_E_NOMEM ? CLI_IO : CLI_REFUSED;
    }
    out->image = image;
    out->len = len;
    return CLI_OK;
}

/* Compiles policies already read and opens the result. */
static int cli_table_compile(struct arena *a, struct diag *d, char *const *paths, char **bufs,
                             const size_t *lens, size_t n, struct cli_table *out)
{
    struct ir_policy **pols;
    struct buf b;
    int st = cli_load_texts(a, d, paths, bufs, lens, n, &pols);

    if (st != CLI_OK)
        return st;
    buf_init(&b);
    if ((st = cli_load_lower(a, d, pols, n, 0, &b)) != CLI_OK) {
        buf_free(&b);
        return st;
    }
    out->compiled = 1;
    return cli_table_open(d, "compiled policies", b.data, b.len, out);
}

int cli_table_load(struct diag *d, char *const *paths, size_t n, struct cli_table *out)
{
    struct arena a;
    char **bufs;
    size_t *lens, i;
    int st;

    memset(out, 0, sizeof *out);
    arena_init(&a);
    st = cli_load_read_all(&a, d, paths, n, &bufs, &lens);
    for (i = 0; st == CLI_OK && i < n; i++) {
        if (!cli_load_is_table(bufs[i], lens[i]))
            continue;
        if (n != 1) {
            diag_plain(d, DIAG_ERROR, "%s is a compiled table: give either one table or policy files",
                       cli_display_name(paths[i]));
            st = CLI_USAGE;
        } else {
            /* the table needs 8-byte alignment and must outlive the arena */
            void *img = malloc(lens[0] ? lens[0] : 1);
            if (!img) {
                diag_plain(d, DIAG_ERROR, "out of memory");
                st = CLI_IO;
            } else {
                memcpy(img, bufs[0], lens[0]);
                st = cli_table_open(d, cli_display_name(paths[0]), img, lens[0], out);
            }
            arena_free(&a);
            return st;
        }
    }
    if (st == CLI_OK)
        st = cli_table_compile(&a, d, paths, bufs, lens, n, out);
    arena_free(&a);
    return st;
}

int cli_table_start(const char *cmd, int st, const char *color, char *const *paths, size_t n,
                    struct cli_table *out)
{
    struct diag d;

    diag_init(&d, stderr);
    if (st == CLI_OK && diag_set_color(&d, color) < 0) {
        fprintf(stderr, "pdtc %s: error: bad --color '%s'\n", cmd, color);
        st = CLI_USAGE;
    }
    if (st == CLI_USAGE)
        fprintf(stderr, "(see pdtc %s --help)\n", cmd);
    if (st == CLI_OK)
        st = cli_table_load(&d, paths, n, out);
    diag_fini(&d);
    return st;
}

void cli_table_close(struct cli_table *t)
{
    if (t->t)
        pdt_close(t->t);
    free(t->image);
    memset(t, 0, sizeof *t);
}
