/* frontend.c - one policy file through the front end (see frontend.h):
 * reading into the arena, diag registration, json_parse, size quota,
 * validate_policy. */
#include "frontend.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_load.h"
#include "json.h"
#include "validate.h"

int frontend_parse(struct arena *a, struct diag *d, const char *file, const char *buf, size_t len,
                   const struct frontend_opts *opts, struct ir_policy **out)
{
    struct json *root;
    unsigned errors0 = d->errors;

    *out = NULL;
    if (cli_load_is_table(buf, len)) {
        struct loc at = {file, 0, 0};
        diag_error(d, NULL, at, "this is a compiled decision table, not a policy file "
                   "(eval, test and explain take tables; check, compile and expand take policy JSON)");
        return FRONTEND_REFUSED;
    }
    diag_add_source(d, file, buf, len);
    root = json_parse(a, d, file, buf, len, 1);
    if (!root)
        return FRONTEND_REFUSED;
    if (opts && opts->max_policy_size)
        validate_check_size(d, root->loc, buf, len, opts->max_policy_size);
    *out = validate_policy_text(a, d, file, root, buf, len);
    if (!*out || d->errors != errors0) {
        *out = NULL;
        return FRONTEND_REFUSED;
    }
    return FRONTEND_OK;
}

int frontend_load(struct arena *a, struct diag *d, const char *path, const struct frontend_opts *opts,
                  struct ir_policy **out, const char **text, size_t *text_len)
{
    const char *file = cli_display_name(path);
    char *buf, *copy;
    size_t len;

    *out = NULL;
    if (cli_read_file(path, &buf, &len) < 0) {
        struct loc at = {file, 0, 0};
        diag_error(d, NULL, at, "cannot read: %s", strerror(errno));
        return FRONTEND_IO;
    }
    copy = arena_alloc(a, len + 1);
    if (copy)
        memcpy(copy, buf, len + 1);
    free(buf);
    if (!copy) {
        struct loc at = {file, 0, 0};
        diag_error(d, NULL, at, "out of memory reading the file");
        return FRONTEND_IO;
    }
    if (text)
        *text = copy;
    if (text_len)
        *text_len = len;
    return frontend_parse(a, d, file, copy, len, opts, out);
}
