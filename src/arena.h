/* arena.h - bump allocator that owns all compiler memory of one compilation.
 *
 * Every IR node, JSON tree node and string of one run comes from one arena and
 * is released by one arena_free().  Allocation failure is reported by a NULL
 * return; callers turn it into a diagnostic.  The arena never shrinks. */
#ifndef PDT_ARENA_H
#define PDT_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head;  /* newest block; older blocks chained behind it */
    size_t total;              /* bytes obtained from malloc so far */
    size_t limit;              /* 0 = unlimited; otherwise arena_alloc fails past it */
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
/* Returns n bytes aligned to 16, zeroed; NULL on overflow, limit or malloc failure. */
void *arena_alloc(struct arena *a, size_t n);
/* arena_alloc(count * size) with overflow check. */
void *arena_calloc(struct arena *a, size_t count, size_t size);
/* Copies s[0..n) and appends a NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Grows an arena array: returns a new array of new_n elements holding the old
 * n elements (the old storage is abandoned to the arena). */
void *arena_grow(struct arena *a, void *old, size_t n, size_t new_n, size_t size);

#endif
