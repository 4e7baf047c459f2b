/* cli_file.c - file input shared by the pdtc subcommands (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_read_file(const char *path, char **out, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int saved;

    if (!f)
        return -1;
    for (;;) {
        size_t r;
        if (cap - n < 2) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *nb;
            if (ncap < cap) {
                errno = ENOMEM;
                goto fail;
            }
            nb = realloc(buf, ncap);
            if (!nb)
                goto fail;
            buf = nb;
            cap = ncap;
        }
        r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0) {
            if (ferror(f))
                goto fail;
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
fail:
    saved = errno ? errno : EIO;
    free(buf);
    if (f != stdin)
        fclose(f);
    errno = saved;
    return -1;
}

const char *cli_display_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}
