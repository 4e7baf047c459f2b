/* fuzz_compile.c - libFuzzer target: any byte string as a policy file; when
 * the front end accepts it, lower_compile must succeed and its output must
 * load with pdt_open_mem (the compiler's output always loads) and decide the
 * fixed requests, both with and without provenance. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "frontend.h"
#include "fuzz_common.h"
#include "lower.h"
#include "pdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Compiles p (strip or not) and checks the result loads. */
static void fuzz_compile_one(struct arena *a, struct diag *d, struct ir_policy *p, int strip)
{
    struct lower_opts o;
    struct buf b;
    struct pdt_table *t = NULL;
    int err;

    memset(&o, 0, sizeof o);
    o.strip = strip;
    buf_init(&b);
    if (lower_compile(a, d, &p, 1, &o, &b) < 0 || b.failed) {
        buf_free(&b);
        return; /* refused with a diagnostic (e.g. a limit): allowed */
    }
    err = pdt_open_mem(b.data, b.len, &t);
    if (err != PDT_OK)
        abort(); /* the compiler wrote a table the runtime refuses */
    fuzz_decide_all(t);
    pdt_close(t);
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct diag d;
    struct ir_policy *p = NULL;
    char *text = malloc(size + 1);

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    arena_init(&a);
    a.limit = 256u << 20;
    diag_init(&d, NULL);
    if (frontend_parse(&a, &d, "fuzz.json", text, size, NULL, &p) == FRONTEND_OK && p) {
        fuzz_compile_one(&a, &d, p, 0);
        fuzz_compile_one(&a, &d, p, 1);
    }
    diag_fini(&d);
    arena_free(&a);
    free(text);
    return 0;
}
