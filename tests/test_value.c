/* test_value.c - typed condition values (runtime/value.c): decimals, dates,
 * booleans, base64, IPv4/IPv6 CIDR, IgnoreCase folding, globs and ArnLike;
 * and the policy-variable scanner (src/var.c). */
#include <string.h>

#include "testutil.h"
#include "value.h"
#include "var.h"

#define S(x) x, strlen(x)

static int ncmp(const char *a, const char *b)
{
    struct pdt_num x, y;
    if (pdt_value_num_parse(S(a), &x) || pdt_value_num_parse(S(b), &y))
        return 99;
    return pdt_value_num_cmp(&x, &y);
}

static void t_numbers(void)
{
    struct pdt_num n;
    char buf[64];
    CU_ASSERT_EQUAL(ncmp("5.0", "5"), 0);
    CU_ASSERT_EQUAL(ncmp("005", "5.000"), 0);
    CU_ASSERT_EQUAL(ncmp("-0", "0.0"), 0);
    CU_ASSERT_EQUAL(ncmp("+7", "7"), 0);
    CU_ASSERT_EQUAL(ncmp("10", "9.999"), 1);
    CU_ASSERT_EQUAL(ncmp("-10", "-9"), -1);
    CU_ASSERT_EQUAL(ncmp("0.1", "0.10000000000000000001"), -1);
    CU_ASSERT_EQUAL(ncmp("123456789012345678901234567890", "123456789012345678901234567891"), -1);
    CU_ASSERT_EQUAL(ncmp("-1.5", "1.5"), -1);
    CU_ASSERT_EQUAL(ncmp("1.25", "1.3"), -1);
    CU_ASSERT_EQUAL(pdt_value_num_parse(S("1e3"), &n), -1);
    CU_ASSERT_EQUAL(pdt_value_num_parse(S("5."), &n), -1);
    CU_ASSERT_EQUAL(pdt_value_num_parse(S(".5"), &n), -1);
    CU_ASSERT_EQUAL(pdt_value_num_parse(S(""), &n), -1);
    CU_ASSERT_EQUAL(pdt_value_num_parse(S("-"), &n), -1);
    CU_ASSERT_EQUAL(pdt_value_num_parse(S("0x10"), &n), -1);
    CU_ASSERT_EQUAL(pdt_value_num_parse(S(" 5"), &n), -1);
    CU_ASSERT_EQUAL(pdt_value_num_parse(S("abc"), &n), -1);
    memset(buf, '1', sizeof buf);
    CU_ASSERT_EQUAL(pdt_value_num_parse(buf, PDT_NUM_MAX + 1, &n), -1);
    CU_ASSERT_EQUAL(pdt_value_num_parse(S("-0012.3400"), &n), 0);
    CU_ASSERT_EQUAL(pdt_value_num_canon(&n, buf, sizeof buf), 6);
    CU_ASSERT_NSTRING_EQUAL(buf, "-12.34", 6);
    CU_ASSERT_EQUAL(pdt_value_num_parse(S("-0.000"), &n), 0);
    CU_ASSERT_EQUAL(pdt_value_num_canon(&n, buf, sizeof buf), 1);
    CU_ASSERT_EQUAL(buf[0], '0');
}

static int dcmp(const char *a, const char *b)
{
    struct pdt_date x, y;
    if (pdt_value_date_parse(S(a), &x) || pdt_value_date_parse(S(b), &y))
        return 99;
    return pdt_value_date_cmp(&x, &y);
}

static void t_dates(void)
{
    struct pdt_date d;
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("1970-01-01"), &d), 0);
    CU_ASSERT_EQUAL(d.sec, 0);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2020-07-01T00:00:00Z"), &d), 0);
    CU_ASSERT_EQUAL(d.sec, 1593561600);
    CU_ASSERT_EQUAL(dcmp("2020-01-01T01:00:00+01:00", "2020-01-01T00:00:00Z"), 0);
    CU_ASSERT_EQUAL(dcmp("2019-12-31T19:00-05:00", "2020-01-01"), 0);
    CU_ASSERT_EQUAL(dcmp("2020-01", "2020-01-01T00:00:00Z"), 0);
    CU_ASSERT_EQUAL(dcmp("1577836800", "2020-01-01T00:00:00Z"), 0);
    CU_ASSERT_EQUAL(dcmp("2020-01-01T00:00:00.5Z", "2020-01-01T00:00:00.50Z"), 0);
    CU_ASSERT_EQUAL(dcmp("2020-01-01T00:00:00.000000001Z", "2020-01-01T00:00:00Z"), 1);
    CU_ASSERT_EQUAL(dcmp("2020-01-01T00:00:00.123456789012345678Z", "2020-01-01T00:00:00.123456789012345679Z"), -1);
    CU_ASSERT_EQUAL(dcmp("2020-01-01T00:00:00.1000000000000000000000Z", "2020-01-01T00:00:00.1Z"), 0);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2020-01-01T00:00:00.1234567890123456789Z"), &d), -1);
    CU_ASSERT_EQUAL(dcmp("2024-02-29", "2024-03-01"), -1);
    CU_ASSERT_EQUAL(dcmp("1969-12-31T23:59:59Z", "0"), -1);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2023-02-29"), &d), -1);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2020-13-01"), &d), -1);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2020-01-01T24:00:00Z"), &d), -1);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2020-01-01T00:00:60Z"), &d), -1);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2020-01-01T00:00:00"), &d), -1);   /* no TZD */
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2020-01-01T00:00:00.Z"), &d), -1);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2020-01-01 00:00:00Z"), &d), -1);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2020-01-01T00:00:00+0100"), &d), -1);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2020-1-01"), &d), -1);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2020-01T00:00Z"), &d), -1);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("-5"), &d), -1);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("1234567890123456789"), &d), -1);  /* > 18 digits */
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2020"), &d), 0);                 /* epoch seconds */
    CU_ASSERT_EQUAL(d.sec, 2020);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S(""), &d), -1);
    /* the fixed-offset form YYYY-MM-DDThh:mm:ssZ: each field out of range,
     * and a non-digit in each field, which leaves the string to the general
     * parser (that refuses it too) */
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("2026-11-29T10:00:00Z"), &d), 0);
    CU_ASSERT_EQUAL(d.sec, 1795946400);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("0000-01-01T00:00:00Z"), &d), 0);
    CU_ASSERT_EQUAL(d.sec, -62167219200);
    CU_ASSERT_EQUAL(pdt_value_date_parse(S("9999-12-31T23:59:59Z"), &d), 0);
    CU_ASSERT_EQUAL(d.sec, 253402300799);
    {
        static const char *const bad[] = {"2020-00-10T00:00:00Z", "2020-13-10T00:00:00Z", "2020-04-31T00:00:00Z",
                                          "2020-04-00T00:00:00Z", "2021-02-29T00:00:00Z", "2020-01-01T25:00:00Z",
                                          "2020-01-01T00:60:00Z", "2020-01-01T00:00:99Z", "2/20-01-01T00:00:00Z",
                                          "20:0-01-01T00:00:00Z", "2020-0/-01T00:00:00Z", "2020-01-:1T00:00:00Z",
                                          "2020-01-01T/0:00:00Z", "2020-01-01T00:0:00Z0", "2020-01-01T00:00:/0Z",
                                          "2020-01-01T00:00:0:Z", "2020-01-01t00:00:00Z", "2020-01-01T00:00:00z",
                                          "2020/01-01T00:00:00Z", "2020-01-01T00-00:00Z"};
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
            CU_ASSERT_EQUAL(pdt_value_date_parse(bad[i], 20, &d), -1);
    }
}

/* Bool: every byte value at every place of "true" and "false" against a
 * reference (ASCII letters in either case, nothing else). */
static void t_bool_bytes(void)
{
    static const char *const words[] = {"true", "false"};
    int w, k, b, good = 0, total = 0;

    for (w = 0; w < 2; w++) {
        size_t n = strlen(words[w]);
        for (k = 0; k < (int)n; k++) {
            for (b = 0; b < 256; b++) {
                char t[8];
                int same = b == words[w][k] || b == words[w][k] - 32;
                memcpy(t, words[w], n);
                t[k] = (char)b;
                good += pdt_value_bool_parse(t, n) == (same ? 1 - w : -1);
                total++;
            }
        }
    }
    CU_ASSERT_EQUAL(good, total);
    CU_ASSERT_EQUAL(pdt_value_bool_parse(S("tru")), -1);
    CU_ASSERT_EQUAL(pdt_value_bool_parse(S("falsee")), -1);
    CU_ASSERT_EQUAL(pdt_value_bool_parse(S("FaLsE")), 0);
    CU_ASSERT_EQUAL(pdt_value_bool_parse(S("tRuE")), 1);
    CU_ASSERT_EQUAL(pdt_value_bool_parse("true\0", 5), -1);
    CU_ASSERT_EQUAL(pdt_value_bool_parse(S("")), -1);
}

static void t_bool_b64(void)
{
    uint8_t out[16];
    CU_ASSERT_EQUAL(pdt_value_bool_parse(S("TRUE")), 1);
    CU_ASSERT_EQUAL(pdt_value_bool_parse(S("False")), 0);
    CU_ASSERT_EQUAL(pdt_value_bool_parse(S("yes")), -1);
    CU_ASSERT_EQUAL(pdt_value_bool_parse(S("true ")), -1);
    CU_ASSERT_EQUAL(pdt_value_b64_check(S("")), 0);
    CU_ASSERT_EQUAL(pdt_value_b64_check(S("T3RoZXI=")), 5);
    CU_ASSERT_EQUAL(pdt_value_b64_check(S("QQ==")), 1);
    CU_ASSERT_EQUAL(pdt_value_b64_check(S("QR==")), -1);      /* non-zero pad bits */
    CU_ASSERT_EQUAL(pdt_value_b64_check(S("QQ")), -1);        /* padding required */
    CU_ASSERT_EQUAL(pdt_value_b64_check(S("Q===")), -1);
    CU_ASSERT_EQUAL(pdt_value_b64_check(S("QQ=A")), -1);
    CU_ASSERT_EQUAL(pdt_value_b64_check(S("QQ==QQ==")), -1);
    CU_ASSERT_EQUAL(pdt_value_b64_check(S("a-b_")), -1);      /* url alphabet refused */
    CU_ASSERT_EQUAL(pdt_value_b64_decode(S("T3RoZXI="), out, sizeof out), 5);
    CU_ASSERT_NSTRING_EQUAL(out, "Other", 5);
    CU_ASSERT_EQUAL(pdt_value_b64_decode(S("T3RoZXI="), out, 4), -1);
    CU_ASSERT_EQUAL(pdt_value_b64_equal(S("T3RoZXI="), (const uint8_t *)"Other", 5), 1);
    CU_ASSERT_EQUAL(pdt_value_b64_equal(S("T3RoZXI="), (const uint8_t *)"Othe!", 5), 0);
    CU_ASSERT_EQUAL(pdt_value_b64_equal(S("T3RoZXI="), (const uint8_t *)"Othe", 4), 0);
    CU_ASSERT_EQUAL(pdt_value_b64_equal(S("T3RoZXI"), (const uint8_t *)"Other", 5), -1);
}

static int ipin(const char *a, const char *net)
{
    struct pdt_ip x, y;
    if (pdt_value_ip_parse(S(a), 0, &x) || pdt_value_ip_parse(S(net), 1, &y))
        return -1;
    return pdt_value_ip_in(&x, &y);
}

static void t_ip(void)
{
    struct pdt_ip ip;
    CU_ASSERT_EQUAL(ipin("203.0.113.77", "203.0.113.0/24"), 1);
    CU_ASSERT_EQUAL(ipin("203.0.114.1", "203.0.113.0/24"), 0);
    CU_ASSERT_EQUAL(ipin("203.0.113.6", "203.0.113.5"), 0);
    CU_ASSERT_EQUAL(ipin("203.0.113.5", "203.0.113.5"), 1);
    CU_ASSERT_EQUAL(ipin("203.0.113.200", "203.0.113.5/24"), 1);     /* host bits masked */
    CU_ASSERT_EQUAL(ipin("1.2.3.4", "0.0.0.0/0"), 1);
    CU_ASSERT_EQUAL(ipin("10.0.0.1", "10.0.0.0/31"), 1);
    CU_ASSERT_EQUAL(ipin("10.0.0.2", "10.0.0.0/31"), 0);
    CU_ASSERT_EQUAL(ipin("2001:db8:1234:5678:abcd::1", "2001:DB8:1234:5678::/64"), 1);
    CU_ASSERT_EQUAL(ipin("2001:db8:1234:5679::1", "2001:db8:1234:5678::/64"), 0);
    CU_ASSERT_EQUAL(ipin("2001:db8::8001", "2001:db8::8000/113"), 1);
    CU_ASSERT_EQUAL(ipin("2001:db8::7fff", "2001:db8::8000/113"), 0);
    CU_ASSERT_EQUAL(ipin("::1", "::1"), 1);
    CU_ASSERT_EQUAL(ipin("::2", "::1"), 0);
    CU_ASSERT_EQUAL(ipin("203.0.113.7", "::/0"), 0);                 /* no cross-family match */
    CU_ASSERT_EQUAL(ipin("::ffff:203.0.113.7", "203.0.113.0/24"), 0);
    CU_ASSERT_EQUAL(ipin("::ffff:203.0.113.7", "::ffff:203.0.113.0/120"), 1);
    CU_ASSERT_EQUAL(ipin("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8/128"), 1);
    CU_ASSERT_EQUAL(ipin("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:9/127"), 1);
    CU_ASSERT_EQUAL(ipin("1:2:3:4:5:6:7:a", "1:2:3:4:5:6:7:9/127"), 0);
    CU_ASSERT_EQUAL(ipin("1::", "1:0:0:0:0:0:0:0"), 1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("203.0.113.0/24"), 0, &ip), -1);  /* request: no prefix */
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("256.1.1.1"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("01.1.1.1"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("1.1.1"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("1.1.1.1/33"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("1.1.1.1/"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("1.1.1.1/08"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("::/129"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("1::2::3"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("1:2:3:4:5:6:7:8:9"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("1:2:3:4:5:6:7"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("1:2:3:4:5:6:7::8"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("12345::"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S(":1::"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("1:"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("fe80::1%eth0"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("::1.2.3.4.5"), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S(""), 1, &ip), -1);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("::"), 1, &ip), 0);
    CU_ASSERT_EQUAL(ip.plen, 128);
    CU_ASSERT_EQUAL(pdt_value_ip_parse(S("1:2:3:4:5:6:1.2.3.4"), 1, &ip), 0);
    CU_ASSERT_EQUAL(ip.a[12], 1);
    CU_ASSERT_EQUAL(ip.a[15], 4);
    {
        /* every octet text of 1 to 4 digits, in each of the four places:
         * valid exactly when it is 0, or 1-255 without a leading zero */
        static const char *const bad4[] = {"1..2.3", "1.2.3.4.", ".1.2.3.4", "1.2.3.4a", "1.2.3.a", "1.2.3. 4",
                                           "1.2.3.4 ", "1.2.3", "1.2.3.4.5", "1.2.3.-4", "1.2.3.+4"};
        char oct[16], txt[64];
        int len, v, place, good = 0, total = 0;
        size_t i;
        for (len = 1; len <= 4; len++) {
            int lim = len == 1 ? 10 : len == 2 ? 100 : len == 3 ? 1000 : 10000;
            for (v = 0; v < lim; v++) {
                int valid;
                snprintf(oct, sizeof oct, "%0*d", len, v);
                valid = (len == 1 || oct[0] != '0') && len <= 3 && v <= 255;
                for (place = 0; place < 4; place++) {
                    int r;
                    snprintf(txt, sizeof txt, "%s.%s.%s.%s", place == 0 ? oct : "7", place == 1 ? oct : "8",
                             place == 2 ? oct : "9", place == 3 ? oct : "10");
                    r = pdt_value_ip_parse(txt, strlen(txt), 0, &ip);
                    total++;
                    good += valid ? r == 0 && ip.fam == 4 && ip.plen == 32 && ip.a[place] == v &&
                                        ip.a[(place + 1) % 4] == (uint8_t)(7 + (place + 1) % 4)
                                  : r == -1;
                }
            }
        }
        CU_ASSERT_EQUAL(good, total);
        CU_ASSERT_EQUAL(total, 4 * 11110);
        for (i = 0; i < sizeof bad4 / sizeof bad4[0]; i++)
            CU_ASSERT_EQUAL(pdt_value_ip_parse(bad4[i], strlen(bad4[i]), 0, &ip), -1);
    }
}

static void t_strings(void)
{
    /* IgnoreCase: ASCII and Latin-1 letters in UTF-8; not beyond */
    CU_ASSERT_TRUE(pdt_value_eq_fold(S("Prod"), S("pROD")));
    CU_ASSERT_TRUE(pdt_value_eq_fold(S("\xc3\x89t\xc3\xa9"), S("\xc3\xa9T\xc3\x89")));  /* Été / éTÉ */
    CU_ASSERT_FALSE(pdt_value_eq_fold(S("\xc3\x97"), S("\xc3\xb7")));                    /* × vs ÷ */
    CU_ASSERT_FALSE(pdt_value_eq_fold(S("\xce\x91"), S("\xce\xb1")));                    /* Greek not folded */
    CU_ASSERT_FALSE(pdt_value_eq_fold(S("a"), S("ab")));
    /* glob */
    CU_ASSERT_TRUE(pdt_value_glob(S("AIDA?BC*"), S("AIDAXBCDEF")));
    CU_ASSERT_FALSE(pdt_value_glob(S("t2.*"), S("t3.micro")));
    CU_ASSERT_TRUE(pdt_value_glob(S("*"), S("")));
    CU_ASSERT_FALSE(pdt_value_glob(S("?"), S("")));
    CU_ASSERT_TRUE(pdt_value_glob(S("a*b*c"), S("aXbYbZc")));
    CU_ASSERT_FALSE(pdt_value_glob(S("a*b*c"), S("aXbYbZ")));
    CU_ASSERT_TRUE(pdt_value_glob(S("?"), S("\xc3\xa9")));            /* one UTF-8 character */
    CU_ASSERT_FALSE(pdt_value_glob(S("??"), S("\xc3\xa9")));
    CU_ASSERT_TRUE(pdt_value_glob(S("x?y"), S("x\xe2\x82\xacy")));    /* euro sign */
    CU_ASSERT_TRUE(pdt_value_glob(S("a\\*"), S("a*")));
    CU_ASSERT_FALSE(pdt_value_glob(S("a\\*"), S("ab")));
    CU_ASSERT_TRUE(pdt_value_glob(S("a\\\\b"), S("a\\b")));
    CU_ASSERT_TRUE(pdt_value_glob(S("*\\?"), S("what?")));
    CU_ASSERT_FALSE(pdt_value_glob(S("*\\?"), S("whatx")));
    CU_ASSERT_TRUE(pdt_value_glob(S("home/*"), S("home/a/b")));
    CU_ASSERT_TRUE(pdt_value_pat_eq(S("home/\\*"), S("home/*"), 0));
    CU_ASSERT_FALSE(pdt_value_pat_eq(S("home/\\*"), S("home/x"), 0));
    CU_ASSERT_TRUE(pdt_value_pat_eq(S("Al\\?ce"), S("aL?CE"), 1));
    CU_ASSERT_FALSE(pdt_value_pat_eq(S("abc"), S("abcd"), 0));
    /* ArnLike */
    CU_ASSERT_EQUAL(pdt_value_arn_like(S("arn:aws:someservice:*:111122223333:finance/*"),
                                       S("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt")), 0);
    CU_ASSERT_EQUAL(pdt_value_glob(S("arn:aws:someservice:*:111122223333:finance/*"),
                                   S("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt")), 1);
    CU_ASSERT_EQUAL(pdt_value_arn_like(S("arn:aws:sns:us-east-1:123456789012:topic-*"),
                                       S("arn:aws:sns:us-east-1:123456789012:topic-a")), 1);
    CU_ASSERT_EQUAL(pdt_value_arn_like(S("arn:aws:iam::123456789012:role/*"),
                                       S("arn:aws:iam::123456789012:role/team/dev")), 1);
    CU_ASSERT_EQUAL(pdt_value_arn_like(S("arn:aws:logs:*:*:log-group:*"),
                                       S("arn:aws:logs:us-east-1:1:log-group:a:log-stream:b")), 1);
    CU_ASSERT_EQUAL(pdt_value_arn_like(S("*"), S("not-an-arn")), 0);
    CU_ASSERT_EQUAL(pdt_value_arn_like(S("*"), S("arn:aws:s3:::b")), 2);
    CU_ASSERT_EQUAL(pdt_value_arn_like(S("arn:aws:s3:::b"), S("arn:aws:s3::b")), 0);
    CU_ASSERT_EQUAL(pdt_value_arn_like(S("arn:aws:s3\\:x:::b"), S("arn:aws:s3:x:::b")), 0);
    CU_ASSERT_EQUAL(pdt_value_arn_like(S("arn\\:aws:s3:x:::b"), S("arn:aws:s3:x:::b")), 0);
    CU_ASSERT_EQUAL(pdt_value_arn_like(S("arn:aws\\:s3:x::b"), S("arn:aws:s3:x::b")), 2);
    CU_ASSERT_EQUAL(pdt_value_arn_like(S("arn:aws:s?:::b"), S("arn:aws:s3:::b")), 1);
    CU_ASSERT_EQUAL(pdt_value_arn_like(S("arn:aws:s3:::B"), S("arn:aws:s3:::b")), 0);
}

static int vcount(const char *s)
{
    const char *msg;
    size_t off;
    return var_check(s, strlen(s), &msg, &off);
}

static void t_vars(void)
{
    struct var_scan v;
    struct var_tok t;
    const char *s = "a${aws:username}b${x, 'def'}${*}${?}${$}";

    CU_ASSERT_EQUAL(vcount("plain"), 0);
    CU_ASSERT_EQUAL(vcount(s), 2);
    CU_ASSERT_EQUAL(vcount("${}"), -1);
    CU_ASSERT_EQUAL(vcount("${aws:username"), -1);
    CU_ASSERT_EQUAL(vcount("${aws: username}"), -1);
    CU_ASSERT_EQUAL(vcount("${a b}"), -1);
    CU_ASSERT_EQUAL(vcount("${a,'d'}"), -1);
    CU_ASSERT_EQUAL(vcount("${a, d}"), -1);
    CU_ASSERT_EQUAL(vcount("${a, 'd'"), -1);
    CU_ASSERT_EQUAL(vcount("${a, 'd}"), -1);
    CU_ASSERT_EQUAL(vcount("$ {a} $x {"), 0);
    CU_ASSERT_EQUAL(vcount("${a, ''}"), 1);
    CU_ASSERT_TRUE(var_present(S("x${")));
    CU_ASSERT_FALSE(var_present(S("x$")));
    var_scan_init(&v, S(s));
    CU_ASSERT_EQUAL(var_next(&v, &t), 1);
    CU_ASSERT_EQUAL(t.kind, VAR_TEXT);
    CU_ASSERT_EQUAL(t.len, 1);
    CU_ASSERT_EQUAL(var_next(&v, &t), 1);
    CU_ASSERT_EQUAL(t.kind, VAR_KEY);
    CU_ASSERT_NSTRING_EQUAL(t.s, "aws:username", 12);
    CU_ASSERT_EQUAL(t.len, 12);
    CU_ASSERT_FALSE(t.has_def);
    CU_ASSERT_EQUAL(t.off, 1);
    CU_ASSERT_EQUAL(t.end, 16);
    CU_ASSERT_EQUAL(var_next(&v, &t), 1);
    CU_ASSERT_EQUAL(var_next(&v, &t), 1);
    CU_ASSERT_EQUAL(t.kind, VAR_KEY);
    CU_ASSERT_TRUE(t.has_def);
    CU_ASSERT_NSTRING_EQUAL(t.def, "def", 3);
    CU_ASSERT_EQUAL(t.def_len, 3);
    CU_ASSERT_EQUAL(var_next(&v, &t), 1);
    CU_ASSERT_EQUAL(t.kind, VAR_LIT);
    CU_ASSERT_EQUAL(t.lit, '*');
    CU_ASSERT_EQUAL(var_next(&v, &t), 1);
    CU_ASSERT_EQUAL(t.lit, '?');
    CU_ASSERT_EQUAL(var_next(&v, &t), 1);
    CU_ASSERT_EQUAL(t.lit, '$');
    CU_ASSERT_EQUAL(var_next(&v, &t), 0);
}

/* Every calendar date from 0000-01-01 to 9999-12-31, walked day by day with
 * its own leap rule: every 13th date parses to 0000-01-01 plus its day
 * index (so the day arithmetic, done with multiplications instead of
 * divisions, is exact everywhere), and 29 February exists exactly in leap
 * years. */
static void t_dates_calendar(void)
{
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int64_t year0 = -62167219200;  /* 0000-01-01T00:00:00Z */
    char buf[48];
    struct pdt_date dt;
    int64_t day = 0;
    int y, m, d, good = 0, checked = 0, feb29 = 0;
    for (y = 0; y <= 9999; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        snprintf(buf, sizeof buf, "%04d-02-29", y);
        feb29 += (pdt_value_date_parse(buf, 10, &dt) == 0) == leap;
        snprintf(buf, sizeof buf, "%04d-02-29T23:59:59Z", y);
        feb29 += (pdt_value_date_parse(buf, 20, &dt) == 0) == leap;
        for (m = 1; m <= 12; m++) {
            int last = md[m - 1] + (m == 2 && leap);
            for (d = 1; d <= last; d++, day++) {
                if (day % 13)
                    continue;
                snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
                checked++;
                good += pdt_value_date_parse(buf, 10, &dt) == 0 && dt.sec == year0 + day * 86400 && dt.frac == 0;
                /* the request form YYYY-MM-DDThh:mm:ssZ (read at fixed offsets), at a time of day
                 * that moves with the date, and the same instant in the general form */
                snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(day % 24),
                         (int)(day % 60), (int)(day / 7 % 60));
                good += pdt_value_date_parse(buf, 20, &dt) == 0 && dt.frac == 0 &&
                        dt.sec == year0 + day * 86400 + day % 24 * 3600 + day % 60 * 60 + day / 7 % 60;
                snprintf(buf + 19, sizeof buf - 19, "+00:00");
                good += dcmp(buf, buf) == 0;
                checked += 2;
            }
        }
    }
    CU_ASSERT_EQUAL(feb29, 20000);
    CU_ASSERT_EQUAL(good, checked);
    CU_ASSERT(checked > 840000);
    CU_ASSERT_EQUAL(day, 3652425);
}

/* Reference IgnoreCase folding, byte by byte (iam-semantics.md §4.3): ASCII
 * A-Z, and the second byte of a two-byte Latin-1 capital (after 0xC3,
 * 0x80-0x9E but not 0x97). */
static unsigned char ref_fold(const unsigned char *s, size_t i)
{
    if (s[i] >= 'A' && s[i] <= 'Z')
        return (unsigned char)(s[i] + 32);
    if (i > 0 && s[i - 1] == 0xc3 && s[i] >= 0x80 && s[i] <= 0x9e && s[i] != 0x97)
        return (unsigned char)(s[i] + 0x20);
    return s[i];
}

/* pdt_value_eq_fold (whole ASCII words at a time, bytewise from the first
 * word with a non-ASCII byte) against the bytewise reference, on lengths
 * around the word size with the letters' neighbours and Latin-1 pairs. */
static void t_fold_random(void)
{
    static const unsigned char al[] = {'a', 'A', 'z', 'Z', '@', '[', '`', '{', 'm', 'M', 0xc3, 0x89, 0xa9, 0x97, 0xb7};
    unsigned char a[48], b[48];
    unsigned seed = 12345;
    int i, agree = 0, equal = 0;
    for (i = 0; i < 200000; i++) {
        size_t n = (size_t)(i % 41), k;
        int want = 1, ascii = i % 3 != 0;
        for (k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            a[k] = al[(seed >> 16) % (ascii ? 10 : sizeof al)];
            seed = seed * 1103515245u + 12345u;
            b[k] = (seed >> 16) % 4 == 0 ? al[(seed >> 20) % (ascii ? 10 : sizeof al)] : a[k];
            if ((seed >> 18) % 3 == 0 && a[k] < 0x80)  /* flip the case of a letter */
                b[k] = (unsigned char)((a[k] >= 'a' && a[k] <= 'z') ? a[k] - 32 : (a[k] >= 'A' && a[k] <= 'Z') ? a[k] + 32 : a[k]);
            if (k && a[k - 1] == 0xc3 && b[k - 1] == 0xc3 && a[k] == 0x89 && (seed >> 24) % 2)
                b[k] = 0xa9;  /* the Latin-1 capital's small letter */
        }
        for (k = 0; k < n; k++)
            if (ref_fold(a, k) != ref_fold(b, k))
                want = 0;
        equal += want;
        agree += pdt_value_eq_fold((const char *)a, n, (const char *)b, n) == want;
    }
    CU_ASSERT_EQUAL(agree, 200000);
    CU_ASSERT(equal > 20000);
    CU_ASSERT(equal < 180000);
}

int main(void)
{
    CU_pSuite s;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("value", NULL, NULL);
    CU_add_test(s, "numbers", t_numbers);
    CU_add_test(s, "dates", t_dates);
    CU_add_test(s, "Bool: every byte at every place", t_bool_bytes);
    CU_add_test(s, "bool and base64", t_bool_b64);
    CU_add_test(s, "ip", t_ip);
    CU_add_test(s, "strings, globs, arns", t_strings);
    CU_add_test(s, "IgnoreCase folding against a bytewise reference", t_fold_random);
    CU_add_test(s, "every calendar date, 0000 to 9999", t_dates_calendar);
    CU_add_test(s, "variable syntax", t_vars);
    return tu_run();
}
