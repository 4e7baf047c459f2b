/* catalog_int.h - private to catalog.c and catalog_match.c: the layout of
 * struct catalog and the shared ASCII case helpers.  Other modules use
 * catalog.h only. */
#ifndef PDT_CATALOG_INT_H
#define PDT_CATALOG_INT_H

#include <stddef.h>

#define CATALOG_MAX_NAME 512  /* longest "prefix:Action" the matcher handles */

#include "catalog.h"

struct catalog {
    char *buf;                         /* the text, NUL-split; owns every name */
    const char *source;                /* V fields */
    const char *version;
    const char *updated;
    struct catalog_service *svc;       /* services, sorted by prefix */
    struct catalog_action *act;        /* actions, grouped by service, sorted */
    struct catalog_rtype *rt;          /* resource types, likewise */
    struct catalog_action_res *res;    /* resource types of actions */
    struct catalog_key *key;           /* condition keys, likewise */
    size_t nsvc, nact, nrt, nres, nkey;      /* element counts */
    size_t csvc, cact, crt, cres, ckey;      /* allocated capacities */
    size_t max_full_len;               /* longest "prefix:Name" */
};

/* ASCII tolower, locale-independent. */
static inline int catalog_lower(int ch)
{
    return (ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch;
}
/* Case-insensitive (ASCII) comparison of a[0..alen) with b[0..blen). */
int catalog_casecmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
