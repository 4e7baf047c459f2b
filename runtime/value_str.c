/* value_str.c - the string side of condition values (see value.h): UTF-8
 * character length, IgnoreCase folding (ASCII + Latin-1), the whole-string
 * glob of StringLike, literal comparison with escaped patterns (templated
 * StringEquals*), and the per-component ArnLike match.  Iterative, no
 * allocation; the globs charge their backtracking to a work budget (the
 * decision's, struct pdt_ctx.work) and answer 2 (indeterminate) when it
 * runs out. */
#include <string.h>

#include "cond.h"
#include "condfmt.h"
#include "glob.h"
#include "value.h"

size_t pdt_value_u8len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t len, k;

    if (c < 0xc2)
        return 1;                             /* ASCII, continuation or overlong lead */
    len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 1;
    if (len > n)
        return 1;
    for (k = 1; k < len; k++)
        if (((unsigned char)s[k] & 0xc0) != 0x80)
            return 1;
    return len;
}

/* The IgnoreCase folding of byte s[i] (needs the previous byte for the
 * second byte of a two-byte Latin-1 letter: U+00C0-U+00DE except U+00D7). */
static unsigned char fold_at(const char *s, size_t i)
{
    unsigned char c = (unsigned char)s[i];

    if (c >= 'A' && c <= 'Z')
        return (unsigned char)(c + 32);
    if (i > 0 && (unsigned char)s[i - 1] == 0xc3 && c >= 0x80 && c <= 0x9e && c != 0x97)
        return (unsigned char)(c + 0x20);
    return c;
}

int pdt_value_eq_fold(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i;

    if (na != nb)
        return 0;
    for (i = 0; i + 8 <= na; i += 8) {  /* ASCII words: folded 8 bytes at a time */
        uint64_t x = pdt_cf_load8(a + i), y = pdt_cf_load8(b + i);
        if ((x | y) & 0x8080808080808080ULL)
            break;  /* Latin-1 folding looks at byte pairs: bytewise from here */
        if (pdt_cf_fold8(x) != pdt_cf_fold8(y))
            return 0;
    }
    if (i < na && i >= 8 && i + 8 > na) {  /* an ASCII tail: the last 8 bytes, overlapping the words before */
        uint64_t x = pdt_cf_load8(a + na - 8), y = pdt_cf_load8(b + na - 8);
        if (!((x | y) & 0x8080808080808080ULL))
            return pdt_cf_fold8(x) == pdt_cf_fold8(y);
    }
    for (; i < na; i++)
        if (fold_at(a, i) != fold_at(b, i))
            return 0;
    return 1;
}

/* pdt_value_u8len with the ASCII case inline. */
static inline size_t u8adv(const char *s, size_t n)
{
    return (unsigned char)s[0] < 0x80 ? 1 : pdt_value_u8len(s, n);
}


/* pdt_value_glob_b from pattern byte p on, past a literal prefix of p
 * bytes that s shares (out of line: the usual patterns, a literal with or
 * without a final star, never get here).  An attempt runs from a restart
 * (mp, mi; the first from 0) to its mismatch, p and i only growing; each
 * backtrack pays the attempt's steps (+1) and the skip to the next restart
 * from an allowance of 4 * (np + ns), then from *work.  The last attempt is
 * not paid: a call costs at most 5 * (np + ns) + (units charged) steps. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int glob_rest(const char *pat, size_t np, const char *s, size_t ns, size_t *work, size_t p)
{
    size_t i = p, star_p = 0, star_i = 0, mp = 0, mi = 0, allow = 4 * (np + ns), from;
    unsigned char c;
    int star = 0;

    while (i < ns) {
        if (p < np && pat[p] == s[i] && pat[p] != '*' && pat[p] != '?' && pat[p] != '\\') {
            p++;  /* the usual step: a literal byte that matches */
            i++;
            continue;
        }
        if (p < np && pat[p] == '*') {
            star = 1;
            star_p = ++p;
            star_i = i;
            if (p == np)
                return 1;  /* a final star takes the rest, whatever it holds */
            continue;
        }
        if (p < np && pat[p] == '?') {
            p++;
            i += u8adv(s + i, ns - i);
            continue;
        }
        if (p < np) {
            size_t adv = pat[p] == '\\' && p + 1 < np ? 2 : 1;
            if (pat[p + adv - 1] == s[i]) {
                p += adv;
                i++;
                continue;
            }
        }
        if (!star)
            return 0;
        from = star_i += u8adv(s + star_i, ns - star_i);   /* '*' takes one more character */
        c = star_p < np ? (unsigned char)pat[star_p] : 0;
        if (c && c < 0x80 && c != '*' && c != '?' && c != '\\' && star_i < ns) {
            /* an ASCII literal follows the star: skip to its next occurrence
             * (ASCII bytes are never inside a multi-byte character) */
            const char *q = memchr(s + star_i, c, ns - star_i);
            star_i = q ? (size_t)(q - s) : ns;
        }
        if (!pdt_work_charge(work, &allow, (i - mi) + (p - mp) + (star_i - from) + 1))
            return 2;
        i = mi = star_i;
        p = mp = star_p;
    }
    while (p < np && pat[p] == '*')
        p++;
    return p == np;
}

/* Pattern bytes that are not plain literals. */
static const unsigned char glob_special[256] = {['*'] = 1, ['?'] = 1, ['\\'] = 1};

int pdt_value_glob_b(const char *pat, size_t np, const char *s, size_t ns, size_t *work)
{
    size_t p = 0, lim = np < ns ? np : ns;

    /* literal prefix: no backtracking point yet, a mismatch is final */
    while (p < lim && !glob_special[(unsigned char)pat[p]]) {
        if (pat[p] != s[p])
            return 0;
        p++;
    }
    if (p == np)
        return p == ns;  /* a literal pattern */
    if (pat[p] == '*' && p + 1 == np)
        return 1;  /* literal, then a final star */
    return glob_rest(pat, np, s, ns, work, p);
}

int pdt_value_glob(const char *pat, size_t np, const char *s, size_t ns)
{
    return pdt_value_glob_b(pat, np, s, ns, NULL);
}

int pdt_value_pat_eq(const char *pat, size_t np, const char *s, size_t ns, int fold)
{
    size_t p = 0, i = 0;

    while (p < np && i < ns) {
        size_t q = pat[p] == '\\' && p + 1 < np ? p + 1 : p;
        unsigned char pc = fold ? fold_at(pat, q) : (unsigned char)pat[q];
        unsigned char sc = fold ? fold_at(s, i) : (unsigned char)s[i];
        /* fold_at on the pattern looks at pat[q-1]: for an escaped byte that
         * is the '\', which is never 0xc3, so escapes of Latin-1 continuation
         * bytes (never produced by the compiler) are simply not folded. */
        if (pc != sc)
            return 0;
        p = q + 1;
        i++;
    }
    return p == np && i == ns;
}

/* Offsets of the first five separators of an ARN (escaped ':' skipped when
 * esc).  Returns how many were found (at most 5). */
static int arn_split(const char *s, size_t n, int esc, size_t sep[5])
{
    size_t i;
    int k = 0;

    for (i = 0; i < n && k < 5; i++) {
        if (esc && s[i] == '\\') {
            i++;
            continue;
        }
        if (s[i] == ':')
            sep[k++] = i;
    }
    return k;
}

int pdt_value_arn_like_b(const char *pat, size_t np, const char *s, size_t ns, size_t *work)
{
    size_t ps[5], vs[5], pb = 0, vb = 0, i;
    int k = 0, indet = 0;

    /* The usual pattern spells its first five components out
     * ("arn:aws:iam::123456789012:role/x*"): then the string matches them
     * exactly when it starts with that text, five separators included, and
     * only the sixth component is left to glob. */
    for (i = 0; i < np && !glob_special[(unsigned char)pat[i]]; i++) {
        if (pat[i] == ':' && ++k == 5) {
            if (ns <= i || memcmp(pat, s, i + 1) != 0)
                return 0;
            return pdt_value_glob_b(pat + i + 1, np - i - 1, s + i + 1, ns - i - 1, work);
        }
    }

    if (arn_split(s, ns, 0, vs) < 5)
        return 0;
    if (arn_split(pat, np, 1, ps) < 5)
        return 2;
    for (k = 0; k <= 5; k++) {
        size_t pe = k < 5 ? ps[k] : np, ve = k < 5 ? vs[k] : ns;
        int r = pdt_value_glob_b(pat + pb, pe - pb, s + vb, ve - vb, work);
        if (r == 0)
            return 0;   /* one component that does not match decides */
        indet |= r == 2;
        pb = pe + 1;
        vb = ve + 1;
    }
    return indet ? 2 : 1;
}

int pdt_value_arn_like(const char *pat, size_t np, const char *s, size_t ns)
{
    size_t work = PDT_CTX_WORK;  /* a budget of its own per call */
    return pdt_value_arn_like_b(pat, np, s, ns, &work);
}
