/* test_diag.c - arena, buf and diagnostics rendering. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "testutil.h"

static void test_arena_basic(void)
{
    struct arena a;
    char *s, *big;
    arena_init(&a);
    s = arena_strndup(&a, "hello", 5);
    CU_ASSERT_STRING_EQUAL(s, "hello");
    CU_ASSERT_EQUAL((uintptr_t)s % 16, 0);
    big = arena_alloc(&a, 1 << 20);
    CU_ASSERT_PTR_NOT_NULL(big);
    CU_ASSERT_EQUAL(big[12345], 0);
    CU_ASSERT_PTR_NULL(arena_calloc(&a, SIZE_MAX / 2, 4));
    CU_ASSERT_PTR_NULL(arena_alloc(&a, SIZE_MAX));
    arena_free(&a);
}

static void test_arena_limit(void)
{
    struct arena a;
    arena_init(&a);
    a.limit = 100000;
    CU_ASSERT_PTR_NOT_NULL(arena_alloc(&a, 1000));
    CU_ASSERT_PTR_NULL(arena_alloc(&a, 200000));
    arena_free(&a);
}

static void test_buf(void)
{
    struct buf b;
    buf_init(&b);
    CU_ASSERT_EQUAL(buf_u32(&b, 0x11223344u), 0);
    CU_ASSERT_EQUAL(b.data[0], 0x44);
    CU_ASSERT_EQUAL(b.data[3], 0x11);
    buf_u8(&b, 1);
    buf_align(&b, 8);
    CU_ASSERT_EQUAL(b.len, 8);
    buf_put_u32(&b, 4, 0xdeadbeefu);
    CU_ASSERT_EQUAL(b.data[4], 0xef);
    CU_ASSERT_EQUAL(buf_u64(&b, 1ull << 40), 8);
    CU_ASSERT_EQUAL(b.data[13], 1);
    CU_ASSERT_FALSE(b.failed);
    buf_free(&b);
}

static char *diag_capture(struct diag *d, FILE *f)
{
    long n;
    char *s;
    fflush(f);
    n = ftell(f);
    s = calloc(1, (size_t)n + 1);
    rewind(f);
    if (fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        return NULL;
    }
    (void)d;
    return s;
}

static void test_diag_format(void)
{
    static const char src[] = "{\n  \"Effect\": \"allow\"\n}\n";
    struct diag d;
    FILE *f = tmpfile();
    struct loc l = {"p.json", 2, 13};
    char *out;
    diag_init(&d, f);
    diag_add_source(&d, "p.json", src, sizeof src - 1);
    diag_error(&d, "bad-effect", l, "Effect must be \"Allow\" or \"Deny\"");
    diag_note(&d, l, "first here");
    out = diag_capture(&d, f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "p.json:2:13: error: Effect must be \"Allow\" or \"Deny\" [bad-effect]\n"
                                       "  \"Effect\": \"allow\"\n            ^\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "p.json:2:13: note: first here\n"));
    CU_ASSERT_EQUAL(d.errors, 1);
    free(out);
    diag_fini(&d);
    fclose(f);
}

static void test_diag_utf8_caret(void)
{
    /* "é" is two bytes: the caret under byte column 10 ('x') must be indented
     * by 8 characters; the invalid byte 0xff is shown as '?'. */
    static const char src[] = "\"caf\xc3\xa9\xff\" x\n";
    struct diag d;
    FILE *f = tmpfile();
    struct loc l = {"u.json", 1, 10};
    char *out;
    diag_init(&d, f);
    diag_add_source(&d, "u.json", src, sizeof src - 1);
    diag_error(&d, "e", l, "m");
    out = diag_capture(&d, f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"caf\xc3\xa9?\" x\n        ^\n"));
    free(out);
    diag_fini(&d);
    fclose(f);
}

static void test_diag_cap(void)
{
    struct diag d;
    FILE *f = tmpfile();
    struct loc l = {"x.json", 1, 1};
    unsigned i;
    char *out;
    diag_init(&d, f);
    d.max_errors = 3;
    for (i = 0; i < 10; i++)
        diag_error(&d, "e", l, "error %u", i);
    out = diag_capture(&d, f);
    CU_ASSERT_EQUAL(d.errors, 10);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "error 2 [e]"));
    CU_ASSERT_PTR_NULL(strstr(out, "error 3 [e]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "too many errors"));
    free(out);
    diag_fini(&d);
    fclose(f);
}

static void test_diag_warning_cap_and_notes(void)
{
    struct diag d;
    FILE *f = tmpfile();
    struct loc l = {"w.json", 1, 1};
    unsigned i;
    char *out;
    diag_init(&d, f);
    d.max_errors = 2;
    for (i = 0; i < 5; i++) {
        diag_warning(&d, "w", l, "warning %u", i);
        diag_note(&d, l, "note of %u", i);
    }
    diag_error(&d, "e", l, "an error still shows");
    out = diag_capture(&d, f);
    CU_ASSERT_EQUAL(d.warnings, 5);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "note of 1"));
    CU_ASSERT_PTR_NULL(strstr(out, "warning 2"));
    CU_ASSERT_PTR_NULL(strstr(out, "note of 2"));  /* notes follow their warning */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "too many warnings"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "an error still shows"));
    free(out);
    diag_fini(&d);
    fclose(f);
}

static void test_diag_warnings_as_errors(void)
{
    struct diag d;
    struct loc l = {"x.json", 1, 1};
    diag_init(&d, NULL);
    diag_warning(&d, "w", l, "w");
    CU_ASSERT_EQUAL(d.warnings, 1);
    CU_ASSERT_EQUAL(d.errors, 0);
    d.warnings_as_errors = 1;
    diag_warning(&d, "w", l, "w");
    CU_ASSERT_EQUAL(d.errors, 1);
    diag_fini(&d);
}

int main(void)
{
    CU_pSuite s;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("diag", NULL, NULL);
    CU_add_test(s, "arena basic", test_arena_basic);
    CU_add_test(s, "arena limit", test_arena_limit);
    CU_add_test(s, "buf", test_buf);
    CU_add_test(s, "diag format", test_diag_format);
    CU_add_test(s, "diag cap", test_diag_cap);
    CU_add_test(s, "diag utf8 caret", test_diag_utf8_caret);
    CU_add_test(s, "diag warning cap and notes", test_diag_warning_cap_and_notes);
    CU_add_test(s, "diag warnings as errors", test_diag_warnings_as_errors);
    return tu_run();
}
