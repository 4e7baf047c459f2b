/* acthash.h - private: probing the table's action hash and service records
 * (acthash.c).  Keys are lower-cased action text (see format.h). */
#ifndef PDT_ACTHASH_H
#define PDT_ACTHASH_H

#include <stddef.h>

#include "format.h"

struct pdt_table;

struct pdt_hashview;

/* In action hash h: the list ref of the statements naming exactly the action
 * lc[0..n) (lower-cased), whose key hash (PDT_SEED_EXACT) is hash; NULL if
 * none. */
const uint32_t *pdt_acthash_exact(const struct pdt_table *t, const struct pdt_hashview *h, const char *lc, size_t n,
                                  uint32_t hash);
/* The list ref for the prefix pattern "lc[0..plen)*"; NULL if none. */
const uint32_t *pdt_acthash_prefix(const struct pdt_table *t, const struct pdt_hashview *h, const char *lc,
                                   size_t plen);
/* In service hash h: the record of service lc[0..svclen) ("svc:"), whose
 * key hash (PDT_SEED_SVC) is hash; NULL if it has no prefix or wildcard
 * patterns. */
const struct pdt_fmt_svcent *pdt_acthash_service(const struct pdt_table *t, const struct pdt_hashview *h,
                                                 const char *lc, size_t svclen, uint32_t hash);

#endif
