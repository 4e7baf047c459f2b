/* glob.h - private: the linear glob matchers of the runtime (glob.c).
 *
 * Patterns follow the table convention: '*' and '?' are wildcards and '\'
 * makes the next byte literal.  Both matchers compare the whole string, run
 * in O(len(pattern) * len(string)) time and O(1) space, never recurse and
 * backtrack only to the most recent star (plus, for ARNs, the most recent
 * segment-final star).  A pattern ends at plen or at its first NUL byte, so
 * a NUL-terminated pattern may be passed with plen = SIZE_MAX. */
#ifndef PDT_GLOB_H
#define PDT_GLOB_H

#include <stddef.h>

/* ARN resource glob (iam-semantics.md §3.2), case-sensitive: every unescaped
 * ':' of the pattern separates segments; '?' matches one byte other than
 * ':'; a '*' followed by an unescaped ':' or by the end of the pattern
 * ("segment-final") matches any run of bytes, ':' included; any other '*'
 * matches a run of bytes without ':'.  Returns 1 on a match, else 0. */
int pdt_glob_arn(const char *pat, size_t plen, const char *s, size_t slen);
/* The same for a NUL-terminated pattern and a string with s[slen] == '\0'
 * (faster: no bounds checks on runs of literal bytes). */
int pdt_glob_arn_z(const char *pat, const char *s, size_t slen);

/* Action glob (§3.1): plain glob ('*' any run, '?' any one byte), with the
 * string's ASCII letters folded to lower case (the compiler stores patterns
 * lower-cased).  Returns 1 on a match, else 0. */
int pdt_glob_action(const char *pat, size_t plen, const char *s, size_t slen);

/* The same for a NUL-terminated pattern and an already lower-cased string
 * with lc[n] == '\0' (faster). */
int pdt_glob_action_lz(const char *pat, const char *lc, size_t n);

/* 1 when pat is well-formed (no trailing lone '\'), else 0. */
int pdt_glob_valid(const char *pat, size_t plen);

/* 1 when pat holds an unescaped '*' or '?'. */
int pdt_glob_has_wild(const char *pat, size_t plen);

static inline unsigned char pdt_glob_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

#endif
