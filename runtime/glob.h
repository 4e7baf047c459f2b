/* glob.h - private: the glob matchers of the runtime (glob.c).
 *
 * Patterns follow the table convention: '*' and '?' are wildcards and '\'
 * makes the next byte literal.  Both matchers compare the whole string, use
 * O(1) space, never recurse and backtrack only to the most recent star
 * (plus, for ARNs, the most recent segment-final star).  A pattern ends at
 * plen or at its first NUL byte, so a NUL-terminated pattern may be passed
 * with plen = SIZE_MAX.
 *
 * '?' matches one character (iam-semantics.md §0): a whole UTF-8 sequence
 * (a lead byte C2-F4 and its 1-3 continuation bytes), or a single byte that
 * never occurs in UTF-8 (C0, C1, F5-FF).  It never matches at a
 * continuation byte or a truncated sequence, so on valid UTF-8 every match
 * lies on character boundaries even though stars absorb bytes.  The
 * resource automata (src/dfa_build.c) implement the same byte-level rule.
 *
 * Work: backtracking (the steps an attempt throws away and the skip to the
 * next restart, one unit per byte of pattern or string) is paid first from
 * a free allowance of 4 * (slen + pattern bytes reached), then from a
 * caller's budget.  One call therefore costs at most 5 * (plen + slen) +
 * (units charged) steps, and a call whose
 * backtracking fits the allowance charges nothing.  When the budget cannot
 * pay, the matcher returns PDT_GLOB_INDET (and empties the budget): the
 * caller must fail closed (a Deny applies, an Allow does not). */
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

#define PDT_GLOB_INDET 2  /* the work budget ran out: indeterminate, fail closed */

/* Pays cost units of matcher work: first from *allow (the call's free
 * allowance), the rest from *work (the decision's budget; NULL: unbounded).
 * Returns 0 when *work cannot pay; *work is then emptied, so the later
 * matchers of the decision stop too.  Shared by every budgeted matcher
 * (resource globs here, StringLike/ArnLike in value_str.c). */
static inline int pdt_work_charge(size_t *work, size_t *allow, size_t cost)
{
    if (cost <= *allow) {
        *allow -= cost;
        return 1;
    }
    cost -= *allow;
    *allow = 0;
    if (!work)
        return 1;
    if (cost > *work) {
        *work = 0;
        return 0;
    }
    *work -= cost;
    return 1;
}

/* pdt_glob_arn / pdt_glob_arn_z with the backtracking beyond the call's
 * allowance charged to *work (remaining units, decremented; NULL:
 * unbounded).  Returns 1 on a match, 0 on none, PDT_GLOB_INDET when *work
 * cannot pay (then *work == 0).  At most 5 * (plen + slen) + (units
 * charged) steps. */
int pdt_glob_arn_b(const char *pat, size_t plen, const char *s, size_t slen, size_t *work);
int pdt_glob_arn_zb(const char *pat, const char *s, size_t slen, size_t *work);

/* Action glob (§3.1): plain glob ('*' any run, '?' one character as above,
 * ':' included), with the string's ASCII letters folded to lower case (the
 * compiler stores patterns lower-cased).  Returns 1 on a match, else 0.
 * Actions are at most PDT_MAX_ACTION bytes, so a call is O(plen * 256). */
int pdt_glob_action(const char *pat, size_t plen, const char *s, size_t slen);

/* The same for a NUL-terminated pattern and an already lower-cased string
 * with lc[n] == '\0' (faster). */
int pdt_glob_action_lz(const char *pat, const char *lc, size_t n);

/* 1 when pat is well-formed (no trailing lone '\'), else 0. */
int pdt_glob_valid(const char *pat, size_t plen);

/* 1 when s[0..n) is well-formed UTF-8 (RFC 3629: no overlong form, no
 * surrogate, nothing above U+10FFFF, no truncated sequence), else 0.
 * Linear.  A request whose action or resource fails it is malformed. */
int pdt_glob_utf8_valid(const char *s, size_t n);

/* 1 when pat holds an unescaped '*' or '?'. */
int pdt_glob_has_wild(const char *pat, size_t plen);

static inline unsigned char pdt_glob_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

#endif
