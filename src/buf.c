/* buf.c - growable byte buffer (see buf.h). */
#include "buf.h"

#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b)
{
    memset(b, 0, sizeof *b);
}

void buf_free(struct buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

static int buf_reserve(struct buf *b, size_t n)
{
    size_t cap;
    uint8_t *p;
    if (b->failed)
        return -1;
    if (n <= b->cap - b->len)
        return 0;
    if (n > SIZE_MAX / 2 - b->len) {
        b->failed = 1;
        return -1;
    }
    cap = b->cap ? b->cap : 256;
    while (cap - b->len < n)
        cap *= 2;
    p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

size_t buf_append(struct buf *b, const void *p, size_t n)
{
    size_t off = b->len;
    if (buf_reserve(b, n) < 0)
        return 0;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    return off;
}

size_t buf_zero(struct buf *b, size_t n)
{
    size_t off = b->len;
    if (buf_reserve(b, n) < 0)
        return 0;
    memset(b->data + b->len, 0, n);
    b->len += n;
    return off;
}

void buf_align(struct buf *b, size_t align)
{
    if (align && b->len % align)
        buf_zero(b, align - b->len % align);
}

size_t buf_u8(struct buf *b, uint8_t v)
{
    return buf_append(b, &v, 1);
}

size_t buf_u16(struct buf *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    return buf_append(b, x, 2);
}

size_t buf_u32(struct buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return buf_append(b, x, 4);
}

size_t buf_u64(struct buf *b, uint64_t v)
{
    size_t off = buf_u32(b, (uint32_t)v);
    buf_u32(b, (uint32_t)(v >> 32));
    return off;
}

void buf_put_u32(struct buf *b, size_t off, uint32_t v)
{
    if (b->failed || off > b->len || b->len - off < 4)
        return;
    b->data[off] = (uint8_t)v;
    b->data[off + 1] = (uint8_t)(v >> 8);
    b->data[off + 2] = (uint8_t)(v >> 16);
    b->data[off + 3] = (uint8_t)(v >> 24);
}
