/* fuzz_frontend.c - libFuzzer target: any byte string as a policy file,
 * through the front end (json_parse + validate_policy via frontend_parse).
 * Diagnostics are counted, not printed. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "frontend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct diag d;
    struct ir_policy *p = NULL;
    char *text = malloc(size + 1);
    int st;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    arena_init(&a);
    a.limit = 256u << 20;
    diag_init(&d, NULL);
    st = frontend_parse(&a, &d, "fuzz.json", text, size, NULL, &p);
    if ((st == FRONTEND_OK) != (p != NULL))
        abort(); /* the contract: IR exactly when accepted */
    if (st == FRONTEND_OK && d.errors)
        abort();
    diag_fini(&d);
    arena_free(&a);
    free(text);
    return 0;
}
