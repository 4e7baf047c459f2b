/* glob.c - the runtime's linear glob matchers (see glob.h): ARN resource
 * patterns with segment semantics and case-insensitive action patterns.
 * They are the fallback for patterns the automata do not cover and the
 * oracle the automata are tested against. */
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

/* Two backtrack points: the last segment-final star (fp/fi), which may
 * absorb any byte, and the last inner star after it (ip/ii), which may absorb
 * only non-':' bytes.  A later segment-final star makes every earlier star
 * useless (it can absorb whatever they could), and inside one ':'-free
 * region the latest inner star subsumes the earlier ones, so no other
 * backtracking is ever needed. */
/* Pattern bytes that are not plain literals (NUL ends a pattern). */
static const unsigned char special[256] = {[0] = 1, ['*'] = 1, ['?'] = 1, ['\\'] = 1};

/* zterm: pat is NUL-terminated (plen unused) and s[slen] is NUL, so the
 * literal fast path needs no bounds checks (a NUL never equals a literal). */
static inline int glob_arn(const char *pat, size_t plen, const char *s, size_t slen, int zterm)
{
    size_t p = 0, i = 0, fp = NONE, fi = 0, ip = NONE, ii = 0, adv;
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
                    if (s[i] != ':') {
                        p++;
                        i++;
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
        if (ip != NONE && ii < slen && s[ii] != ':') {
            ii++;
            if (!PEND(ip) && pat[ip] != '*' && pat[ip] != '?') {
                /* the rest starts with a literal: skip to its next occurrence,
                 * stopping at ':' which the inner star cannot absorb */
                c = lit_at(pat, plen, ip, &adv);
                while (ii < slen && (unsigned char)s[ii] != c && s[ii] != ':')
                    ii++;
            }
            p = ip;
            i = ii;
        } else if (fp != NONE && fi < slen) {
            ip = NONE;
            fi++;
            if (!PEND(fp) && pat[fp] != '*' && pat[fp] != '?') {
                const char *q;
                c = lit_at(pat, plen, fp, &adv);
                q = memchr(s + fi, c, slen - fi);
                fi = q ? (size_t)(q - s) : slen;
            }
            p = fp;
            i = fi;
        } else {
            return 0;
        }
    }
}

int pdt_glob_arn(const char *pat, size_t plen, const char *s, size_t slen)
{
    return glob_arn(pat, plen, s, slen, 0);
}

int pdt_glob_arn_z(const char *pat, const char *s, size_t slen)
{
    return glob_arn(pat, SIZE_MAX, s, slen, 1);
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
                if (c == '?' || sc == lit_at(pat, plen, p, &adv)) {
                    p += c == '?' ? 1 : adv;
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
