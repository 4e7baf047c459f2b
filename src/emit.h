/* emit.h - assembling a decision-table image (runtime/format.h): the
 * interned string table, the section buffers, the sorted directory with
 * 8-byte aligned sections, the header and the XXH3 checksum.  Knows nothing
 * about policies; lower.c fills the sections.  Memory: section buffers are
 * heap (struct buf) and released by emit_fini; everything else is arena. */
#ifndef PDT_EMIT_H
#define PDT_EMIT_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"

#define EMIT_MAX_SECTIONS 32
#define EMIT_NOSTR UINT32_MAX

struct emit_section {
    uint32_t id, flags;
    struct buf b;
};

struct emit {
    struct arena *a;
    struct buf strtab;           /* starts with the empty string at 0 */
    uint32_t *slots;             /* interning hash: strtab offset + 1, 0 = empty */
    size_t nslots, nused;
    struct emit_section sec[EMIT_MAX_SECTIONS];
    size_t nsec;
    int failed;                  /* sticky: allocation failure or too large */
};

void emit_init(struct emit *e, struct arena *a);
void emit_fini(struct emit *e);
/* Interns s[0..n) (must not contain NUL) and returns its strtab offset
 * (0 for ""), or EMIT_NOSTR with e->failed set. */
uint32_t emit_str(struct emit *e, const char *s, size_t n);
/* A new section buffer with the given id and PDT_SF_* flags (ids unique). */
struct buf *emit_section(struct emit *e, uint32_t id, uint32_t flags);
/* Writes the whole image into out (appended; out starts empty): header,
 * directory sorted by id, sections at 8-aligned offsets in id order, then
 * the checksum.  Returns 0, or -1 on failure (too large, out of memory). */
int emit_finish(struct emit *e, uint32_t hdr_flags, uint32_t nstmts, struct buf *out);

#endif
