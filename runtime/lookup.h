/* lookup.h - private: the pieces of pdt_decide shared by the indexed path
 * and the linear oracle (lookup.c, index.c). */
#ifndef PDT_LOOKUP_H
#define PDT_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

#include "cond.h"
#include "format.h"
#include "pdt.h"

#define PDT_TMPL_MAX 2048  /* bytes of an expanded resource template; longer is indeterminate */

struct pdt_lookup_req {
    const struct pdt_request *req;
    size_t alen;    /* strlen(action) <= PDT_MAX_ACTION */
    size_t rlen;    /* strlen(resource) <= PDT_MAX_RESOURCE */
    size_t svclen;  /* bytes of "svc:" at the start of the action */
    char lc[PDT_MAX_ACTION + 1];  /* the action, lower-cased, NUL-terminated */
    uint32_t hexact, hsvc;        /* key hashes of lc and of its "svc:" */
    int hashed;                   /* bit 0: hexact computed, bit 1: hsvc computed */
};

int pdt_lookup_prepare(const struct pdt_request *req, struct pdt_lookup_req *q);
int pdt_lookup_action_match(const struct pdt_table *t, uint32_t k, const struct pdt_lookup_req *q);
enum pdt_tri pdt_lookup_resource(const struct pdt_table *t, uint32_t i, const struct pdt_lookup_req *q,
                                 struct pdt_ctx *ctx, const int *dfa_hit);
int pdt_lookup_applies(const struct pdt_table *t, uint32_t i, const struct pdt_lookup_req *q,
                       struct pdt_ctx *ctx, const int *dfa_hit);
/* Fills why for statement stmt (-1: implicit deny) and returns the decision. */
enum pdt_decision pdt_lookup_finish(const struct pdt_table *t, int64_t stmt, struct pdt_why *why);

#endif
