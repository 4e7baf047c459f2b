/* buf.h - growable byte buffer for building table sections in the compiler.
 * Heap-backed (sections can be large and are copied once into the output);
 * a failed growth sets the sticky `failed` flag, checked once at the end. */
#ifndef PDT_BUF_H
#define PDT_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    int failed;  /* sticky: an append ran out of memory */
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
/* Appends n bytes; returns the offset they start at (or 0 with failed set). */
size_t buf_append(struct buf *b, const void *p, size_t n);
size_t buf_zero(struct buf *b, size_t n);         /* appends n zero bytes */
void buf_align(struct buf *b, size_t align);       /* pads with zeros to a multiple of align */
size_t buf_u8(struct buf *b, uint8_t v);
size_t buf_u16(struct buf *b, uint16_t v);         /* little-endian */
size_t buf_u32(struct buf *b, uint32_t v);         /* little-endian */
size_t buf_u64(struct buf *b, uint64_t v);         /* little-endian */
void buf_put_u32(struct buf *b, size_t off, uint32_t v);  /* overwrite in place (off+4 <= len) */

#endif
