/* hash.c - checksum and hash-table key hashing for the runtime (hash.h).
 * xxHash is used header-only.  To keep libpdt small, only XXH3's short-input
 * paths (the ones that give XXH3_64bits_withSeed its value for inputs of at
 * most 128 bytes) and XXH64 are compiled in: XXH3's long-input machinery is
 * several KB of code that table keys do not need. */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "hash.h"

uint64_t pdt_hash_sum(const void *p, size_t n)
{
    return (uint64_t)XXH64(p, n, 0);
}

uint32_t pdt_hash_key(const void *p, size_t n, uint32_t seed)
{
    const xxh_u8 *in = (const xxh_u8 *)p;
    if (n <= 16)
        return (uint32_t)XXH3_len_0to16_64b(in, n, XXH3_kSecret, seed);
    if (n <= 128)
        return (uint32_t)XXH3_len_17to128_64b(in, n, XXH3_kSecret, sizeof XXH3_kSecret, seed);
    return (uint32_t)XXH64(p, n, seed);  /* longer keys: rare (actions are short) */
}
