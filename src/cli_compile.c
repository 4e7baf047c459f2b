/* cli_compile.c - `pdtc compile -o OUT.pdt [--strip] POLICY.json...`: compiles
 * the identity policies of one principal (none is an empty set) into a table
 * file.  Owns the atomic write: the bytes go to a temporary file in OUT's
 * directory, are fsync'd and renamed over OUT, so a reader never maps a
 * half-written table; on any error nothing is written and the temporary file
 * is removed.  Parsing and lowering belong to the front end and lower.c. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_load.h"

static void cli_compile_help(FILE *f)
{
    fputs("usage: pdtc compile -o OUT.pdt [--strip] [--color=auto|always|never] POLICY.json...\n"
          "\n"
          "Compiles the identity policies of one principal into a decision table.\n"
          "No policy at all is an empty set (every request is implicitly denied).\n"
          "'-' reads a policy from standard input.\n"
          "\n"
          "  -o, --output FILE  the table to write (atomically: temporary file + rename)\n"
          "  --strip            leave out provenance (file names, lines, Sids)\n"
          "  --color=WHEN       colour diagnostics: auto (default), always, never\n"
          "\n"
          "Exit status: 0 written, 1 a policy was refused, 2 usage, 3 I/O error.\n",
          f);
}

/* Writes all of p[0..n) to fd.  Returns 0 or -1 with errno set. */
static int cli_compile_write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* fsyncs the directory holding path (so the rename is durable); errors are
 * ignored where the filesystem does not support it. */
static void cli_compile_sync_dir(const char *path)
{
    char *dir = strdup(path), *slash;
    int fd;
    if (!dir)
        return;
    slash = strrchr(dir, '/');
    if (!slash)
        strcpy(dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

/* Writes data[0..len) to out atomically.  Returns CLI_OK or CLI_IO (reported
 * through d); on failure out is untouched and no temporary file remains. */
static int cli_compile_write(struct diag *d, const char *out, const uint8_t *data, size_t len)
{
    size_t n = strlen(out);
    char *tmp = malloc(n + sizeof ".tmp.XXXXXX");
    mode_t mask;
    int fd, saved;

    if (!tmp) {
        diag_plain(d, DIAG_ERROR, "%s: out of memory", out);
        return CLI_IO;
    }
    memcpy(tmp, out, n);
    memcpy(tmp + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    fd = mkstemp(tmp);
    if (fd < 0) {
        diag_plain(d, DIAG_ERROR, "%s: cannot create a temporary file: %s", out, strerror(errno));
        free(tmp);
        return CLI_IO;
    }
    mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) < 0 || cli_compile_write_all(fd, data, len) < 0 || fsync(fd) < 0)
        goto fail_close;
    if (close(fd) < 0) {
        fd = -1;
        goto fail_close;
    }
    if (rename(tmp, out) < 0) {
        fd = -1;
        goto fail_close;
    }
    cli_compile_sync_dir(out);
    free(tmp);
    return CLI_OK;
fail_close:
    saved = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    diag_plain(d, DIAG_ERROR, "%s: cannot write: %s", out, strerror(saved));
    free(tmp);
    return CLI_IO;
}

int cli_compile(int argc, char **argv)
{
    const char *out = NULL, *color = "auto";
    int strip = 0, i, nfiles = 0, st;
    char **files = calloc((size_t)argc + 1, sizeof *files);
    struct diag d;
    struct arena a;
    struct buf b;

    if (!files)
        return CLI_IO;
    for (i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "--") == 0) {
            while (++i < argc)
                files[nfiles++] = argv[i];
            break;
        } else if (strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) {
            if (++i >= argc)
                goto usage;
            out = argv[i];
        } else if (strncmp(s, "--output=", 9) == 0)
            out = s + 9;
        else if (strcmp(s, "--strip") == 0)
            strip = 1;
        else if (strncmp(s, "--color=", 8) == 0)
            color = s + 8;
        else if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            cli_compile_help(stdout);
            free(files);
            return CLI_OK;
        } else if (s[0] == '-' && s[1] != '\0') {
            fprintf(stderr, "pdtc compile: error: unknown option '%s'\n", s);
            goto usage;
        } else
            files[nfiles++] = argv[i];
    }
    if (!out || !*out) {
        fputs("pdtc compile: error: -o OUT.pdt is required\n", stderr);
        goto usage;
    }
    diag_init(&d, stderr);
    if (diag_set_color(&d, color) < 0) {
        diag_fini(&d);
        fprintf(stderr, "pdtc compile: error: bad --color '%s'\n", color);
        goto usage;
    }
    arena_init(&a);
    buf_init(&b);
    st = cli_load_compile(&a, &d, files, (size_t)nfiles, strip, &b);
    if (st == CLI_OK)
        st = cli_compile_write(&d, out, b.data, b.len);
    buf_free(&b);
    arena_free(&a);
    diag_fini(&d);
    free(files);
    return st;
usage:
    fputs("(see pdtc compile --help)\n", stderr);
    free(files);
    return CLI_USAGE;
}
