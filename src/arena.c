/* arena.c - bump allocator (see arena.h).  Large requests get a block of
 * their own so a few huge strings do not waste a standard block. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 65536u
#define ARENA_ALIGN 16u

struct arena_block {
    struct arena_block *next;  /* older block */
    size_t size;               /* usable bytes in data[] */
    size_t used;               /* bytes handed out */
    _Alignas(16) unsigned char data[];
};

void arena_init(struct arena *a)
{
    a->head = NULL;
    a->total = 0;
    a->limit = 0;
}

void arena_free(struct arena *a)
{
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}

static struct arena_block *arena_block_new(struct arena *a, size_t size)
{
    struct arena_block *b;
    if (size > SIZE_MAX - sizeof *b)
        return NULL;
    if (a->limit && (a->total > a->limit || size + sizeof *b > a->limit - a->total))
        return NULL;
    b = malloc(sizeof *b + size);
    if (!b)
        return NULL;
    b->size = size;
    b->used = 0;
    a->total += sizeof *b + size;
    return b;
}

void *arena_alloc(struct arena *a, size_t n)
{
    struct arena_block *b = a->head;
    size_t need;
    void *p;

    if (n > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need == 0)
        need = ARENA_ALIGN;
    if (!b || b->size - b->used < need) {
        if (need > ARENA_BLOCK / 4) {
            /* big request: private block, linked behind the current head */
            struct arena_block *big = arena_block_new(a, need);
            if (!big)
                return NULL;
            big->used = need;
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                big->next = NULL;
                a->head = big;
            }
            memset(big->data, 0, need);
            return big->data;
        }
        b = arena_block_new(a, ARENA_BLOCK);
        if (!b)
            return NULL;
        b->next = a->head;
        a->head = b;
    }
    p = b->data + b->used;
    b->used += need;
    memset(p, 0, need);
    return p;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return arena_alloc(a, count * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p;
    if (n == SIZE_MAX)
        return NULL;
    p = arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void *arena_grow(struct arena *a, void *old, size_t n, size_t new_n, size_t size)
{
    void *p = arena_calloc(a, new_n, size);
    if (p && old && n)
        memcpy(p, old, (n < new_n ? n : new_n) * size);
    return p;
}
