/* hash.h - private: the one place the runtime hashes (hash.c, xxHash used
 * header-only): table checksums and the keys of the table's hash tables. */
#ifndef PDT_HASH_H
#define PDT_HASH_H

#include <stddef.h>
#include <stdint.h>

/* XXH64 of p[0..n) (seed 0): the table checksum. */
uint64_t pdt_hash_sum(const void *p, size_t n);
/* Hash-table keys (PDT_SEED_* in format.h): the low 32 bits of
 * XXH3_64bits_withSeed(p, n, seed) for n <= 128, of XXH64(p, n, seed) above. */
uint32_t pdt_hash_key(const void *p, size_t n, uint32_t seed);

#endif
