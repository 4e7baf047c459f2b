/* cond.c - condition engine.  STUB until issue 4 lands: every condition
 * program and every template is indeterminate, which makes an Allow with a
 * Condition or a ${...} never apply and a Deny always apply (fail closed). */
#include "cond.h"

void pdt_ctx_init(struct pdt_ctx *c, const struct pdt_table *t, const struct pdt_request *req)
{
    c->t = t;
    c->req = req;
    c->state = 0;
    c->nmap = 0;
    c->overflow = 0;
}

enum pdt_tri pdt_cond_eval(struct pdt_ctx *c, uint32_t prog)
{
    (void)c;
    return prog == PDT_COND_NONE ? PDT_TRI_TRUE : PDT_TRI_INDET;
}

long pdt_tmpl_expand(struct pdt_ctx *c, uint32_t tmpl, char *buf, size_t cap)
{
    (void)c;
    (void)tmpl;
    (void)buf;
    (void)cap;
    return -2;
}

int pdt_cond_validate(const struct pdt_table *t)
{
    (void)t;
    return 0;
}

int pdt_cond_prog_ok(const struct pdt_table *t, uint32_t prog)
{
    (void)t;
    return prog == PDT_COND_NONE || prog == 0;
}

int pdt_cond_tmpl_ok(const struct pdt_table *t, uint32_t tmpl)
{
    (void)t;
    return tmpl == 0;
}
