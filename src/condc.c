/* condc.c - condition/template compiler.  STUB until issue 4 lands: every
 * non-empty Condition becomes program 0 and every resource with a variable
 * template 0; the runtime stub treats both as indeterminate (fail closed). */
#include "condc.h"

#include <string.h>

struct condc {
    struct arena *a;
    struct diag *d;
};

struct condc *condc_new(struct arena *a, struct diag *d)
{
    struct condc *c = arena_alloc(a, sizeof *c);
    if (c) {
        c->a = a;
        c->d = d;
    }
    return c;
}

int condc_statement(struct condc *c, const struct ir_policy *p,
                    const struct ir_statement *st, uint32_t *prog)
{
    (void)c;
    (void)p;
    *prog = st->nconds ? 0 : UINT32_MAX;
    return 0;
}

int condc_resource(struct condc *c, const struct ir_policy *p, const struct ir_str *res,
                   const char **pat, size_t *pat_len, uint32_t *tmpl)
{
    char *out;
    size_t i, n = 0;

    if (p->version == IR_VERSION_2012 && memmem(res->s, res->len, "${", 2)) {
        *tmpl = 0;
        return 1;
    }
    out = arena_alloc(c->a, 2 * res->len + 1);
    if (!out)
        return -1;
    for (i = 0; i < res->len; i++) {
        if (res->s[i] == '\\')
            out[n++] = '\\';
        out[n++] = res->s[i];
    }
    out[n] = '\0';
    *pat = out;
    *pat_len = n;
    return 0;
}

int condc_finish(struct condc *c, struct buf *keys, struct buf *progs, struct buf *tmpls)
{
    (void)c;
    (void)keys;
    (void)progs;
    (void)tmpls;
    return 0;
}
