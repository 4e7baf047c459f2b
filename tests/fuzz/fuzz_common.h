/* fuzz_common.h - requests shared by the libFuzzer targets: a fixed set that
 * touches every decision path (exact, prefix and wildcard actions, automata,
 * globs, templates, conditions), decided on a loaded table.  Header-only so
 * each target stays one file. */
#ifndef PDT_FUZZ_COMMON_H
#define PDT_FUZZ_COMMON_H

#include <string.h>

#include "pdt.h"

/* Decides the fixed requests on t (the results only need not crash). */
static unsigned fuzz_decide_all(const struct pdt_table *t)
{
    static const char *const user[] = {"alice"};
    static const char *const tags[] = {"env", "team"};
    static const char *const yes[] = {"true"};
    static const char *const ip[] = {"10.1.2.3"};
    static const char *const when[] = {"2024-01-01T00:00:00Z"};
    static const struct pdt_kv ctx[] = {
        {"aws:username", user, 1, 0}, {"aws:TagKeys", tags, 2, 1}, {"aws:SecureTransport", yes, 1, 0},
        {"aws:SourceIp", ip, 1, 0}, {"aws:CurrentTime", when, 1, 0}, {"aws:MultiFactorAuthPresent", yes, 1, 0},
    };
    static const char *const reqs[][2] = {
        {"s3:GetObject", "arn:aws:s3:::example-bucket/a.txt"},
        {"s3:PutObject", "arn:aws:s3:::bucket/home/alice/x"},
        {"iam:PassRole", "arn:aws:iam::123456789012:role/EC2InstanceProfileForImageBuilder"},
        {"imagebuilder:GetImage", "arn:aws:imagebuilder:us-east-1:123456789012:image/x/1.0.0/1"},
        {"ec2:DescribeVpcs", "*"},
        {"iam:CreateUser", "arn:aws:iam::123456789012:user/alice"},
        {"sts:AssumeRole", "arn:aws:iam::123456789012:role/r"},
        {"dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/t"},
        {"A:B", "arn:aws:s3:::"},
        {"", ""},
    };
    unsigned sum = 0;
    size_t i;
    for (i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
        struct pdt_request r = {reqs[i][0], reqs[i][1], ctx, i % 3 ? sizeof ctx / sizeof ctx[0] : 0};
        struct pdt_why w;
        sum += (unsigned)pdt_decide(t, &r, &w);
        if (w.policy)
            sum += (unsigned)strlen(w.policy);
        if (w.sid)
            sum += (unsigned)strlen(w.sid);
    }
    return sum;
}

#endif
