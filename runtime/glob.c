/* glob.c - the runtime's glob matchers (see glob.h): ARN resource patterns
 * with segment semantics and case-insensitive action patterns, '?' matching
 * one UTF-8 character, the backtracking work counted against a caller's
 * budget (PDT_GLOB_INDET when it runs out), and the UTF-8 check of request
 * strings.  They are the fallback for patterns the automata do not cover
 * and the oracle the automata are tested against. */
#include "glob.h"

#include <stdint.h>
#include <string.h>

#define NONE SIZE_MAX
/* The pattern ends at plen or at a NUL byte, whichever comes first (table
 * strings are NUL-terminated, so callers may pass SIZE_MAX). */
#define PEND(p) ((p) >= plen || pat[p] == '\0')

/* Reads the literal at pat[*p] (handling '\'); returns the byte and sets *adv. */
static unsigned char lit_at(const char *pat, size_t plen, size_t p, size_t *adv)
{
    if (pat[p] == '\\' && !PEND(p + 1)) {
        *adv = 2;
        return (unsigned char)pat[p + 1];
    }
    *adv = 1;
    return (unsigned char)pat[p];
}

/* Bytes that '?' matches at s[0..n), n > 0 (glob.h): a whole UTF-8
 * sequence (lead byte and its continuation bytes), or one byte that never
 * occurs in UTF-8 (C0, C1, F5-FF); 0 at a continuation byte, a truncated
 * sequence, and (colon) at ':'.  Never starting at a continuation byte keeps
 * every match on character boundaries although stars absorb bytes. */
static inline size_t any1(const char *s, size_t n, int colon)
{
    unsigned char c = (unsigned char)s[0];
    size_t len, k;

    if (c < 0x80)
        return !(colon && c == ':');
    if (c < 0xc2)
        return c >= 0xc0;
    len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 1;
    if (len > n)
        return 0;
    for (k = 1; k < len; k++)
        if (((unsigned char)s[k] & 0xc0) != 0x80)
            return 0;
    return len;
}


/* Two backtrack points: the last segment-final star (fp/fi), which may
 * absorb any byte, and the last inner star after it (ip/ii), which may absorb
 * only non-':' bytes.  A later segment-final star makes every earlier star
 * useless (it can absorb whatever they could), and inside one ':'-free
 * region the latest inner star subsumes the earlier ones, so no other
 * backtracking is ever needed. */
/* Pattern bytes that are not plain literals (NUL ends a pattern). */
static const unsigned char special[256] = {[0] = 1, ['*'] = 1, ['?'] = 1, ['\\'] = 1};

/* zterm: pat is NUL-terminated (plen unused) and s[slen] is NUL, so the
 * literal fast path needs no bounds checks (a NUL never equals a literal).
 * work: see pdt_glob_arn_b.  An attempt runs from a restart point (mp, mi)
 * to the next mismatch; its steps (i and p only grow within it) and the
 * skip that chooses the next restart are paid at each backtrack, from a
 * free allowance of 4 * (slen + pattern bytes reached), then from *work.
 * The last attempt is not paid: at most plen + slen steps. */
static inline int glob_arn(const char *pat, size_t plen, const char *s, size_t slen, int zterm, size_t *work)
{
    size_t p = 0, i = 0, fp = NONE, fi = 0, ip = NONE, ii = 0, adv, k, mp = 0, mi = 0, from;
    size_t allow = 4 * slen, pmax = 0;
    unsigned char c;

    for (;;) {
        /* fast path: runs of plain literal bytes */
        if (zterm) {
            while (!special[c = (unsigned char)pat[p]] && c == (unsigned char)s[i]) {
                if (c == ':')
                    ip = NONE;
                p++;
                i++;
            }
        } else {
            while (p < plen && i < slen && !special[(unsigned char)pat[p]] && pat[p] == s[i]) {
                if (pat[p] == ':')
                    ip = NONE;  /* the inner star's segment is closed */
                p++;
                i++;
            }
        }
        if (!PEND(p)) {
            c = (unsigned char)pat[p];
            if (c == '*') {
                if (PEND(p + 1))
                    return 1;  /* a final '*' absorbs whatever is left */
                if (pat[p + 1] == ':') {
                    fp = p + 1;
                    fi = i;
                    ip = NONE;
                } else {
                    ip = p + 1;
                    ii = i;
                }
                p++;
                continue;
            }
            if (i < slen) {
                if (c == '?') {
                    if ((k = any1(s + i, slen - i, 1)) != 0) {
                        p++;
                        i += k;
                        continue;
                    }
                } else if ((unsigned char)s[i] == lit_at(pat, plen, p, &adv)) {
                    if (c == ':')
                        ip = NONE;  /* the inner star's segment is closed */
                    p += adv;
                    i++;
                    continue;
                }
            }
        } else if (i == slen) {
            return 1;
        }
        if (p > pmax) {  /* pattern bytes reached for the first time widen the allowance */
            allow += 4 * (p - pmax);
            pmax = p;
        }
        if (ip != NONE && ii < slen && s[ii] != ':') {
            ii++;
            from = ii;
            if (!PEND(ip) && pat[ip] != '*' && pat[ip] != '?') {
                /* the rest starts with a literal: skip to its next occurrence,
                 * stopping at ':' which the inner star cannot absorb */
                c = lit_at(pat, plen, ip, &adv);
                while (ii < slen && (unsigned char)s[ii] != c && s[ii] != ':')
                    ii++;
            }
            if (!pdt_work_charge(work, &allow, (i - mi) + (p - mp) + (ii - from) + 1))
                return PDT_GLOB_INDET;
            p = mp = ip;
            i = mi = ii;
        } else if (fp != NONE && fi < slen) {
            ip = NONE;
            fi++;
            from = fi;
            if (!PEND(fp) && pat[fp] != '*' && pat[fp] != '?') {
                const char *q;
                c = lit_at(pat, plen, fp, &adv);
                q = memchr(s + fi, c, slen - fi);
                fi = q ? (size_t)(q - s) : slen;
            }
            if (!pdt_work_charge(work, &allow, (i - mi) + (p - mp) + (fi - from) + 1))
                return PDT_GLOB_INDET;
            p = mp = fp;
            i = mi = fi;
        } else {
            return 0;
        }
    }
}

int pdt_glob_arn(const char *pat, size_t plen, const char *s, size_t slen)
{
    return glob_arn(pat, plen, s, slen, 0, NULL);
}

int pdt_glob_arn_z(const char *pat, const char *s, size_t slen)
{
    return glob_arn(pat, SIZE_MAX, s, slen, 1, NULL);
}

int pdt_glob_arn_b(const char *pat, size_t plen, const char *s, size_t slen, size_t *work)
{
    return glob_arn(pat, plen, s, slen, 0, work);
}

int pdt_glob_arn_zb(const char *pat, const char *s, size_t slen, size_t *work)
{
    return glob_arn(pat, SIZE_MAX, s, slen, 1, work);
}

/* fold: lower-case s's bytes while comparing; zterm: pat NUL-terminated
 * and s[slen] == '\0' (fast literal runs without bounds checks). */
static inline int glob_action(const char *pat, size_t plen, const char *s, size_t slen, int fold, int zterm)
{
    size_t p = 0, i = 0, sp = NONE, si = 0, adv;
    unsigned char c;

    for (;;) {
        if (zterm && !fold) {
            while (!special[c = (unsigned char)pat[p]] && c == (unsigned char)s[i]) {
                p++;
                i++;
            }
        }
        if (!PEND(p)) {
            c = (unsigned char)pat[p];
            if (c == '*') {
                if (PEND(p + 1))
                    return 1;  /* a final '*' absorbs whatever is left */
                sp = ++p;
                si = i;
                continue;
            }
            if (i < slen) {
                unsigned char sc = fold ? pdt_glob_lower((unsigned char)s[i]) : (unsigned char)s[i];
                if (c == '?') {
                    /* one character (folding touches ASCII only) */
                    size_t k = sc < 0x80 ? 1 : any1(s + i, slen - i, 0);
                    if (k) {
                        p++;
                        i += k;
                        continue;
                    }
                } else if (sc == lit_at(pat, plen, p, &adv)) {
                    p += adv;
                    i++;
                    continue;
                }
            }
        } else if (i == slen) {
            return 1;
        }
        if (sp == NONE || si >= slen)
            return 0;
        si++;
        if (!PEND(sp) && pat[sp] != '*' && pat[sp] != '?') {
            c = lit_at(pat, plen, sp, &adv);
            while (si < slen && (fold ? pdt_glob_lower((unsigned char)s[si]) : (unsigned char)s[si]) != c)
                si++;
        }
        p = sp;
        i = si;
    }
}

int pdt_glob_action(const char *pat, size_t plen, const char *s, size_t slen)
{
    return glob_action(pat, plen, s, slen, 1, 0);
}

int pdt_glob_action_lz(const char *pat, const char *lc, size_t n)
{
    return glob_action(pat, SIZE_MAX, lc, n, 0, 1);
}

int pdt_glob_valid(const char *pat, size_t plen)
{
    size_t p;
    for (p = 0; p < plen; p++) {
        if (pat[p] == '\\') {
            if (p + 1 == plen)
                return 0;
            p++;
        }
    }
    return 1;
}

int pdt_glob_has_wild(const char *pat, size_t plen)
{
    size_t p;
    for (p = 0; p < plen; p++) {
        if (pat[p] == '\\')
            p++;
        else if (pat[p] == '*' || pat[p] == '?')
            return 1;
    }
    return 0;
}

/* The full check of pdt_glob_utf8_valid, for strings with a non-ASCII byte. */
static int utf8_check(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
        } else if (c >= 0xc2 && c <= 0xdf) {
            if (i + 1 >= n || (s[i + 1] & 0xc0) != 0x80)
                return 0;
            i += 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            unsigned lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
            if (i + 2 >= n || s[i + 1] < lo || s[i + 1] > hi || (s[i + 2] & 0xc0) != 0x80)
                return 0;
            i += 3;
        } else if (c >= 0xf0 && c <= 0xf4) {
            unsigned lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
            if (i + 3 >= n || s[i + 1] < lo || s[i + 1] > hi || (s[i + 2] & 0xc0) != 0x80 ||
                (s[i + 3] & 0xc0) != 0x80)
                return 0;
            i += 4;
        } else {
            return 0;
        }
    }
    return 1;
}

/* UTF-8 well-formedness (RFC 3629): no overlong forms, no surrogates, no
 * code point above U+10FFFF, no truncated sequence.  An all-ASCII string
 * (the usual request) costs one branch-free pass of 8-byte words. */
int pdt_glob_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    uint64_t acc = 0, w, v;
    size_t i;

    if (n >= 8) {
        for (i = 0; i + 16 <= n; i += 16) {
            memcpy(&w, s + i, 8);
            memcpy(&v, s + i + 8, 8);
            acc |= w | v;
        }
        if (i + 8 <= n) {
            memcpy(&w, s + i, 8);
            acc |= w;
        }
        memcpy(&w, s + n - 8, 8);  /* the last 8 bytes (overlapping is harmless) */
        acc |= w;
    } else {
        for (i = 0; i < n; i++)
            acc |= s[i];
    }
    return (acc & 0x8080808080808080ULL) ? utf8_check(s, n) : 1;
}
