/* value.h - typed condition values: parsing and comparison of the text forms
 * used by IAM condition operators (iam-semantics.md §4.3).  Shared by the
 * runtime (request values, parsed lazily at decide time) and the compiler
 * (policy values, parsed once and stored in binary form; validate.c uses the
 * *_parse functions as checks).  Nothing here allocates; every function is
 * bounded by its input lengths.  Strings are (pointer, length) pairs and may
 * hold any bytes; none needs a NUL terminator.
 *
 * Choices (docs/semantics.md): numbers are exact decimals; dates are instants
 * with fractional seconds kept to 18 digits; '?' in a glob matches one UTF-8
 * character; IgnoreCase folds ASCII A-Z and Latin-1 U+00C0-U+00DE (not
 * U+00D7) to lower case; the glob convention of the table (docs/format.md):
 * '*' any run, '?' one character, '\' makes the next byte literal. */
#ifndef PDT_VALUE_H
#define PDT_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- numbers: [+-]?digits[.digits], at most PDT_NUM_MAX bytes ---- */
#define PDT_NUM_MAX 128
struct pdt_num {
    int neg;          /* 1 for a negative non-zero value */
    const char *ip;   /* integer digits without leading zeros (points into the text) */
    size_t ni;        /* their count (0 for an integer part of zero) */
    const char *fp;   /* fraction digits without trailing zeros */
    size_t nf;        /* their count */
};
/* Parses s[0..n); returns 0, or -1 when it is not a decimal number (exponents,
 * hex, "5.", ".5", empty, longer than PDT_NUM_MAX).  out points into s. */
int pdt_value_num_parse(const char *s, size_t n, struct pdt_num *out);
/* Exact comparison: <0, 0, >0 (5.0 == 5, -0 == 0). */
int pdt_value_num_cmp(const struct pdt_num *a, const struct pdt_num *b);
/* Writes the canonical text of a ("-12.5", "0") into out (cap >= n of the
 * parsed text + 2 is enough); returns its length, or -1 if cap is too small. */
int pdt_value_num_canon(const struct pdt_num *a, char *out, size_t cap);

/* ---- dates: W3C ISO 8601 profile or epoch seconds ---- */
#define PDT_DATE_FRAC_DIGITS 18            /* fraction kept in units of 1e-18 s */
#define PDT_DATE_FRAC_ONE 1000000000000000000ULL
struct pdt_date {
    int64_t sec;      /* seconds since 1970-01-01T00:00:00Z (may be negative) */
    uint64_t frac;    /* fractional second, 0 <= frac < PDT_DATE_FRAC_ONE */
};
/* Accepts YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mmTZD, YYYY-MM-DDThh:mm:ssTZD,
 * YYYY-MM-DDThh:mm:ss.s+TZD (TZD = Z or +hh:mm / -hh:mm; 'T' and 'Z' upper
 * case only; seconds 00-59) and all-digit epoch seconds (1 to 18 digits).  A
 * date without time is 00:00:00Z.  Fractions longer than 18 digits are
 * accepted only when the extra digits are zeros.  Returns 0 or -1. */
int pdt_value_date_parse(const char *s, size_t n, struct pdt_date *out);
int pdt_value_date_cmp(const struct pdt_date *a, const struct pdt_date *b);

/* ---- Bool: "true"/"false", case-insensitive.  Returns 1, 0, or -1. ---- *
 * OR-ing 0x20 into each byte maps exactly A-Z to a-z and leaves a-z alone,
 * and no other byte becomes a letter, so one word compare does it (inline:
 * a request Bool is parsed on the decision path). */
static inline int pdt_value_bool_parse(const char *s, size_t n)
{
    uint32_t w, t, f;

    if (n != 4 && n != 5)
        return -1;
    memcpy(&w, s, 4);
    memcpy(&t, "true", 4);
    memcpy(&f, "fals", 4);
    w |= 0x20202020u;
    if (n == 4)
        return w == t ? 1 : -1;
    return w == f && (s[4] | 0x20) == 'e' ? 0 : -1;
}

/* ---- base64 (RFC 4648 standard alphabet, '=' padding required, canonical
 * zero pad bits, no whitespace) ---- */
/* Returns the decoded length, or -1 when s is not strict base64. */
long pdt_value_b64_check(const char *s, size_t n);
/* Decodes into out (cap >= decoded length); returns the length or -1. */
long pdt_value_b64_decode(const char *s, size_t n, uint8_t *out, size_t cap);
/* Compares the decoding of s with bytes: 1 equal, 0 different, -1 invalid s. */
int pdt_value_b64_equal(const char *s, size_t n, const uint8_t *bytes, size_t blen);

/* ---- IP addresses and CIDR blocks ---- */
struct pdt_ip {
    uint8_t fam;      /* 4 or 6 */
    uint8_t plen;     /* prefix length: 0..32 or 0..128 */
    uint8_t a[16];    /* address (first 4 bytes for IPv4), host bits zero for a block */
};
/* Parses a dotted-quad IPv4 address (decimal 0-255, no leading zeros) or an
 * RFC 4291 IPv6 address (hex groups, "::" compression, a trailing embedded
 * IPv4 form; no zone id), optionally followed by "/prefix" when allow_prefix.
 * A bare address gets /32 or /128; host bits are masked.  Returns 0 or -1. */
int pdt_value_ip_parse(const char *s, size_t n, int allow_prefix, struct pdt_ip *out);
/* 1 when address a lies inside block net (same family), else 0. */
int pdt_value_ip_in(const struct pdt_ip *a, const struct pdt_ip *net);

/* ---- strings ---- */
/* Byte equality after the IgnoreCase folding (ASCII + Latin-1 in UTF-8). */
int pdt_value_eq_fold(const char *a, size_t na, const char *b, size_t nb);
/* Whole-string glob of pattern pat (table convention, escapes honoured)
 * against s; '?' consumes one UTF-8 character (a byte when s is not valid
 * UTF-8 there).  Iterative, O(len(pat) * len(s)) worst case.  1 or 0. */
int pdt_value_glob(const char *pat, size_t np, const char *s, size_t ns);
/* Equality of s with the literal text of an escaped pattern that holds no
 * unescaped wildcard ('*'/'?' unescaped compare as themselves); fold selects
 * IgnoreCase folding.  1 or 0. */
int pdt_value_pat_eq(const char *pat, size_t np, const char *s, size_t ns, int fold);
/* ArnLike/ArnEquals (§3.3): both split at their first five ':' (escaped ':'
 * in the pattern does not split) into six components, each globbed
 * separately.  Returns 1 match, 0 no match (also when s has fewer than five
 * ':', i.e. is not an ARN), 2 when the pattern itself has fewer than five
 * ':' (indeterminate: undocumented).  */
int pdt_value_arn_like(const char *pat, size_t np, const char *s, size_t ns);

/* Length of the UTF-8 character at s[0] (1..4; 1 for an invalid byte); n > 0. */
size_t pdt_value_u8len(const char *s, size_t n);

#endif
