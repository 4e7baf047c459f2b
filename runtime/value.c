/* value.c - parsing and comparison of typed condition values (see value.h):
 * exact decimals, ISO 8601 / epoch dates, booleans, strict base64 and
 * IPv4/IPv6 CIDR (string comparisons and globs are in value_str.c).  Pure
 * functions, no allocation, no global state; the condition evaluator
 * (cond.c) and the compiler (condc.c, validate.c) decide what a parse
 * failure means. */
#include "value.h"

#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* ------------------------------------------------------------ numbers */

int pdt_value_num_parse(const char *s, size_t n, struct pdt_num *out)
{
    size_t i = 0, a, b;

    if (n == 0 || n > PDT_NUM_MAX)
        return -1;
    out->neg = 0;
    if (s[0] == '+' || s[0] == '-') {
        out->neg = s[0] == '-';
        i = 1;
    }
    a = i;
    while (i < n && is_digit(s[i]))
        i++;
    if (i == a)
        return -1;
    b = i;                                  /* end of integer digits */
    out->fp = s + n;
    out->nf = 0;
    if (i < n) {
        size_t f;
        if (s[i] != '.')
            return -1;
        f = ++i;
        while (i < n && is_digit(s[i]))
            i++;
        if (i == f || i != n)
            return -1;
        while (i > f && s[i - 1] == '0')
            i--;
        out->fp = s + f;
        out->nf = i - f;
    }
    while (a < b && s[a] == '0')
        a++;
    out->ip = s + a;
    out->ni = b - a;
    if (out->ni == 0 && out->nf == 0)
        out->neg = 0;
    return 0;
}

static int num_cmp_mag(const struct pdt_num *a, const struct pdt_num *b)
{
    size_t m;
    int c;

    if (a->ni != b->ni)
        return a->ni < b->ni ? -1 : 1;
    c = a->ni ? memcmp(a->ip, b->ip, a->ni) : 0;
    if (c)
        return c;
    m = a->nf < b->nf ? a->nf : b->nf;
    c = m ? memcmp(a->fp, b->fp, m) : 0;
    if (c)
        return c;
    /* no trailing zeros: the longer fraction is the larger magnitude */
    return a->nf == b->nf ? 0 : (a->nf < b->nf ? -1 : 1);
}

int pdt_value_num_cmp(const struct pdt_num *a, const struct pdt_num *b)
{
    int c;

    if (a->neg != b->neg)
        return a->neg ? -1 : 1;
    c = num_cmp_mag(a, b);
    c = c < 0 ? -1 : c > 0;
    return a->neg ? -c : c;
}

int pdt_value_num_canon(const struct pdt_num *a, char *out, size_t cap)
{
    size_t k = 0, need = (size_t)a->neg + (a->ni ? a->ni : 1) + (a->nf ? a->nf + 1 : 0);

    if (need > cap || need > 0x7fffffff)
        return -1;
    if (a->neg)
        out[k++] = '-';
    if (a->ni) {
        memcpy(out + k, a->ip, a->ni);
        k += a->ni;
    } else {
        out[k++] = '0';
    }
    if (a->nf) {
        out[k++] = '.';
        memcpy(out + k, a->fp, a->nf);
        k += a->nf;
    }
    return (int)k;
}

/* ------------------------------------------------------------ dates */

/* Reads exactly w digits at s[*i]; -1 when they are not all digits. */
static long rd_digits(const char *s, size_t n, size_t *i, size_t w)
{
    long v = 0;
    size_t k;

    if (n - *i < w)
        return -1;
    for (k = 0; k < w; k++) {
        char c = s[*i + k];
        if (!is_digit(c))
            return -1;
        v = v * 10 + (c - '0');
    }
    *i += w;
    return v;
}

/* x / 100 and x / 5 for 0 <= x < 2^32, as multiplications: this file is
 * built with -Os, where GCC would emit a 64-bit divide (tens of cycles)
 * for each division by a constant. */
static inline uint32_t div100(uint32_t x)
{
    return (uint32_t)(((uint64_t)x * 0x51eb851fu) >> 37);
}

static inline uint32_t div5(uint32_t x)
{
    return (uint32_t)(((uint64_t)x * 0xcccccccdu) >> 34);
}

/* Days from 1970-01-01 to y-m-d, 0 <= y <= 9999 (proleptic Gregorian;
 * H. Hinnant's algorithm, shifted by one 400-year era so that every
 * quantity is non-negative). */
static int64_t days_from_civil(long y, long m, long d)
{
    uint32_t yy = (uint32_t)(y + 400 - (m <= 2)), era = div100(yy) >> 2, yoe = yy - era * 400;
    uint32_t doy = div5(153 * (uint32_t)(m + (m > 2 ? -3 : 9)) + 2) + (uint32_t)d - 1;
    uint32_t doe = yoe * 365 + yoe / 4 - div100(yoe) + doy;
    return (int64_t)era * 146097 + doe - 719468 - 146097;
}

static int month_days(long y, long m)
{
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint32_t c = div100((uint32_t)y);
    int leap = (y & 3) == 0 && ((uint32_t)y != c * 100 || (c & 3) == 0);
    return m == 2 && leap ? 29 : md[m - 1];
}

/* Parses ".s+" at s[*i] into frac (1e-18 units); -1 on a malformed fraction. */
static int rd_frac(const char *s, size_t n, size_t *i, uint64_t *frac)
{
    size_t k = 0;
    uint64_t v = 0;

    (*i)++;                                   /* the '.' */
    while (*i < n && is_digit(s[*i])) {
        if (k < PDT_DATE_FRAC_DIGITS)
            v = v * 10 + (uint64_t)(s[*i] - '0');
        else if (s[*i] != '0')
            return -1;                        /* precision beyond 1e-18 */
        k++;
        (*i)++;
    }
    if (k == 0)
        return -1;
    for (; k < PDT_DATE_FRAC_DIGITS; k++)
        v *= 10;
    *frac = v;
    return 0;
}

/* Parses "Thh:mm[:ss[.s]]TZD" at s[*i]; adds the time of day in seconds
 * (minus the zone offset) to *sec. */
static int rd_time(const char *s, size_t n, size_t i, int64_t *sec, uint64_t *frac)
{
    long hh, mi, ss = 0, oh = 0, om = 0;
    int sign = 0;

    if (i >= n || s[i] != 'T')
        return -1;
    i++;
    hh = rd_digits(s, n, &i, 2);
    if (hh < 0 || hh > 23 || i >= n || s[i++] != ':')
        return -1;
    mi = rd_digits(s, n, &i, 2);
    if (mi < 0 || mi > 59)
        return -1;
    if (i < n && s[i] == ':') {
        i++;
        ss = rd_digits(s, n, &i, 2);
        if (ss < 0 || ss > 59)
            return -1;
        if (i < n && s[i] == '.' && rd_frac(s, n, &i, frac) < 0)
            return -1;
    }
    if (i >= n)
        return -1;                            /* a time needs a TZD */
    if (s[i] == 'Z') {
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        sign = s[i++] == '-' ? -1 : 1;
        oh = rd_digits(s, n, &i, 2);
        if (oh < 0 || oh > 23 || i >= n || s[i++] != ':')
            return -1;
        om = rd_digits(s, n, &i, 2);
        if (om < 0 || om > 59)
            return -1;
    } else {
        return -1;
    }
    if (i != n)
        return -1;
    *sec += hh * 3600 + mi * 60 + ss - sign * (oh * 3600 + om * 60);
    return 0;
}

/* Two decimal digits at s into *v; nonzero when they are not both digits. */
#ifdef __GNUC__
__attribute__((always_inline))  /* hot (request dates); -Os would call it */
#endif
static inline unsigned digits2(const char *s, uint32_t *v)
{
    uint32_t a = (uint32_t)(unsigned char)s[0] - '0', b = (uint32_t)(unsigned char)s[1] - '0';

    *v = a * 10 + b;
    return (a > 9) | (b > 9);
}

/* The usual request form, YYYY-MM-DDThh:mm:ssZ (aws:CurrentTime,
 * aws:TokenIssueTime), read at fixed offsets: 1 with *sec set, 0 when s is
 * not in that form (the general parser then decides), -1 when it is but
 * names no valid instant. */
static int date_fixed(const char *s, size_t n, int64_t *sec)
{
    uint32_t y1, y2, mo, d, hh, mi, ss;
    unsigned bad;

    if (n != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        return 0;
    bad = digits2(s, &y1) | digits2(s + 2, &y2) | digits2(s + 5, &mo) | digits2(s + 8, &d) | digits2(s + 11, &hh) |
          digits2(s + 14, &mi) | digits2(s + 17, &ss);
    if (bad)
        return 0;
    y1 = y1 * 100 + y2;
    if (mo < 1 || mo > 12 || d < 1 || (int)d > month_days(y1, mo) || hh > 23 || mi > 59 || ss > 59)
        return -1;
    *sec = days_from_civil(y1, mo, d) * 86400 + hh * 3600 + mi * 60 + ss;
    return 1;
}

int pdt_value_date_parse(const char *s, size_t n, struct pdt_date *out)
{
    size_t i = 0;
    long y, m, d = 1;
    int r;

    out->sec = 0;
    out->frac = 0;
    if ((r = date_fixed(s, n, &out->sec)) != 0)
        return r > 0 ? 0 : -1;
    if (n == 0)
        return -1;
    while (i < n && is_digit(s[i]))
        i++;
    if (i == n) {                             /* epoch seconds */
        if (n > 18)
            return -1;
        for (i = 0; i < n; i++)
            out->sec = out->sec * 10 + (s[i] - '0');
        return 0;
    }
    i = 0;
    y = rd_digits(s, n, &i, 4);
    if (y < 0 || i >= n || s[i++] != '-')
        return -1;
    m = rd_digits(s, n, &i, 2);
    if (m < 1 || m > 12)
        return -1;
    if (i < n) {
        if (s[i++] != '-')
            return -1;
        d = rd_digits(s, n, &i, 2);
        if (d < 1 || d > month_days(y, m))
            return -1;
    }
    out->sec = days_from_civil(y, m, d) * 86400;
    if (i == n)
        return 0;
    if (n - i < 1 || i != 10)
        return -1;                            /* a time only after a full date */
    return rd_time(s, n, i, &out->sec, &out->frac);
}

int pdt_value_date_cmp(const struct pdt_date *a, const struct pdt_date *b)
{
    if (a->sec != b->sec)
        return a->sec < b->sec ? -1 : 1;
    if (a->frac != b->frac)
        return a->frac < b->frac ? -1 : 1;
    return 0;
}

/* ------------------------------------------------------------ base64 */

static int b64v(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decodes quantum q (4 chars at s) into o[0..2]; returns the byte count
 * (1..3) or -1.  last: this is the final quantum (padding allowed). */
static int b64_quantum(const char *s, int last, uint8_t o[3])
{
    int v[4], k, pad = 0;
    uint32_t w;

    for (k = 0; k < 4; k++) {
        if (s[k] == '=' && last && k >= 2) {
            pad++;
            v[k] = 0;
            continue;
        }
        if (pad)
            return -1;                       /* data after '=' */
        v[k] = b64v((unsigned char)s[k]);
        if (v[k] < 0)
            return -1;
    }
    w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
    if ((pad == 2 && (w & 0xffff)) || (pad == 1 && (w & 0xff)))
        return -1;                           /* non-canonical pad bits */
    o[0] = (uint8_t)(w >> 16);
    o[1] = (uint8_t)(w >> 8);
    o[2] = (uint8_t)w;
    return 3 - pad;
}

long pdt_value_b64_check(const char *s, size_t n)
{
    size_t i;
    long len = 0;
    uint8_t o[3];

    if (n % 4 || n > 0x3ffffffcUL)
        return -1;
    for (i = 0; i < n; i += 4) {
        int k = b64_quantum(s + i, i + 4 == n, o);
        if (k < 0)
            return -1;
        len += k;
    }
    return len;
}

long pdt_value_b64_decode(const char *s, size_t n, uint8_t *out, size_t cap)
{
    long len = pdt_value_b64_check(s, n);
    size_t i, j = 0;
    uint8_t o[3];

    if (len < 0 || (size_t)len > cap)
        return -1;
    for (i = 0; i < n; i += 4) {
        int k = b64_quantum(s + i, i + 4 == n, o);
        memcpy(out + j, o, (size_t)k);
        j += (size_t)k;
    }
    return len;
}

int pdt_value_b64_equal(const char *s, size_t n, const uint8_t *bytes, size_t blen)
{
    long len = pdt_value_b64_check(s, n);
    size_t i, j = 0;
    uint8_t o[3];

    if (len < 0)
        return -1;
    if ((size_t)len != blen)
        return 0;
    for (i = 0; i < n; i += 4) {
        int k = b64_quantum(s + i, i + 4 == n, o);
        if (memcmp(o, bytes + j, (size_t)k))
            return 0;
        j += (size_t)k;
    }
    return 1;
}

/* ------------------------------------------------------------ IP */

/* Parses a dotted quad s[0..n) into o[0..3]. */
static int ip4_parse(const char *s, size_t n, uint8_t o[4])
{
    size_t i = 0;
    int part;

    for (part = 0; part < 4; part++) {
        unsigned v, d;
        if (part && (i >= n || s[i++] != '.'))
            return -1;
        if (i >= n || (v = (unsigned)(unsigned char)s[i] - '0') > 9)
            return -1;
        i++;
        if (i < n && (d = (unsigned)(unsigned char)s[i] - '0') <= 9) {  /* a second digit, */
            if (v == 0)
                return -1;                                            /* no leading zero */
            v = v * 10 + d;
            i++;
            if (i < n && (d = (unsigned)(unsigned char)s[i] - '0') <= 9) {  /* a third */
                v = v * 10 + d;
                i++;
            }
        }
        if (v > 255)
            return -1;
        o[part] = (uint8_t)v;
    }
    return i == n ? 0 : -1;
}

static int hexv(char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses an IPv6 address s[0..n) into o[0..15]. */
static int ip6_parse(const char *s, size_t n, uint8_t o[16])
{
    uint8_t w[16];
    size_t i = 0, nb = 0, gap = 16;          /* gap: byte index of "::", 16 = none */

    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (n && s[0] == ':') {
        return -1;
    }
    while (i < n) {
        size_t st = i;
        unsigned v = 0;
        int h;
        while (i < n && i - st < 4 && (h = hexv(s[i])) >= 0) {
            v = v * 16 + (unsigned)h;
            i++;
        }
        if (i < n && s[i] == '.') {           /* embedded IPv4 ends the address */
            if (nb > 12 || ip4_parse(s + st, n - st, w + nb) < 0)
                return -1;
            nb += 4;
            i = n;
            break;
        }
        if (i == st || nb > 14)
            return -1;
        w[nb++] = (uint8_t)(v >> 8);
        w[nb++] = (uint8_t)v;
        if (i == n)
            break;
        if (s[i] != ':')
            return -1;
        i++;
        if (i < n && s[i] == ':') {
            if (gap != 16)
                return -1;                    /* a second "::" */
            gap = nb;
            i++;
        } else if (i == n) {
            return -1;                        /* trailing single ':' */
        }
    }
    if (gap == 16) {
        if (nb != 16)
            return -1;
        memcpy(o, w, 16);
        return 0;
    }
    if (nb > 14)
        return -1;                            /* "::" must stand for at least one group */
    memset(o, 0, 16);
    memcpy(o, w, gap);
    memcpy(o + 16 - (nb - gap), w + gap, nb - gap);
    return 0;
}

int pdt_value_ip_parse(const char *s, size_t n, int allow_prefix, struct pdt_ip *out)
{
    size_t an = n, k;
    int plen = -1, maxp;
    uint64_t zero = 0;

    /* no memset: at -Os it becomes "rep stos", tens of cycles for 18 bytes */
    out->fam = 0;
    out->plen = 0;
    memcpy(out->a, &zero, 8);
    memcpy(out->a + 8, &zero, 8);
    if (allow_prefix) {
        for (k = 0; k < n && s[k] != '/'; k++)
            ;
        if (k < n) {
            size_t st = k + 1, i = st;
            an = k;
            plen = 0;
            while (i < n && is_digit(s[i]) && i - st < 3)
                plen = plen * 10 + (s[i++] - '0');
            if (i == st || i != n || (i - st > 1 && s[st] == '0'))
                return -1;
        }
    }
    /* the family: an IPv6 address always holds a ':' and an IPv4 one never
     * does, so IPv4 tried first decides, with no scan (a '/' in a bare
     * address, a request value, fails both) */
    if (ip4_parse(s, an, out->a) == 0) {
        out->fam = 4;
        maxp = 32;
    } else if (ip6_parse(s, an, out->a) == 0) {
        out->fam = 6;
        maxp = 128;
    } else {
        return -1;
    }
    if (plen > maxp)
        return -1;
    out->plen = (uint8_t)(plen < 0 ? maxp : plen);
    if (out->plen == maxp)
        return 0;                             /* no host bits (the tail bytes are already zero) */
    for (k = 0; k < 16; k++) {                /* mask host bits */
        int keep = (int)out->plen - (int)k * 8;
        if (keep <= 0)
            out->a[k] = 0;
        else if (keep < 8)
            out->a[k] &= (uint8_t)(0xff << (8 - keep));
    }
    return 0;
}

int pdt_value_ip_in(const struct pdt_ip *a, const struct pdt_ip *net)
{
    unsigned full = net->plen / 8u, rest = net->plen % 8u, k;

    if (a->fam != net->fam || net->plen > (net->fam == 4 ? 32 : 128))
        return 0;
    for (k = 0; k < full; k++)  /* at most 16 bytes: no call */
        if (a->a[k] != net->a[k])
            return 0;
    if (rest && ((a->a[full] ^ net->a[full]) & (uint8_t)(0xff << (8 - rest))))
        return 0;
    return 1;
}
