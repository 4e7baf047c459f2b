/* fuzz_load.c - libFuzzer target: any byte string as a table.  The header
 * checksum is recomputed first (pdt_hash_sum over [hdr_len, total_len),
 * exactly as src/emit.c writes it) so mutations reach the structural checks;
 * a table that loads is then decided with fixed requests. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "fuzz_common.h"
#include "hash.h"
#include "pdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = aligned_alloc(8, (size + 8) / 8 * 8);
    struct pdt_table *t = NULL;
    struct pdt_fmt_header h;

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    if (size >= sizeof h) {
        memcpy(&h, buf, sizeof h);
        if (h.hdr_len <= h.total_len && h.total_len <= size) {
            uint64_t sum = pdt_hash_sum(buf + h.hdr_len, (size_t)(h.total_len - h.hdr_len));
            memcpy(buf + offsetof(struct pdt_fmt_header, checksum), &sum, sizeof sum);
        }
    }
    if (pdt_open_mem(buf, size, &t) == PDT_OK) {
        fuzz_decide_all(t);
        pdt_close(t);
    } else if (t != NULL) {
        abort(); /* a failed open must not hand out a handle */
    }
    free(buf);
    return 0;
}
