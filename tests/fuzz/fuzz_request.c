/* fuzz_request.c - libFuzzer target: any byte string as JSON Lines request
 * input (what `pdtc eval --requests` reads): each line through
 * request_parse_line, its id and error re-serialised with jsonout, and each
 * accepted request decided on a fixed table compiled once at start-up from
 * a policy with conditions and variables. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "frontend.h"
#include "jsonout.h"
#include "lower.h"
#include "pdt.h"
#include "request.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_policy[] =
    "{\"Version\": \"2012-10-17\", \"Statement\": [\n"
    "{\"Effect\": \"Allow\", \"Action\": [\"s3:Get*\", \"s3:List*\"], \"Resource\": \"arn:aws:s3:::b/${aws:username}/*\"},\n"
    "{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"*\",\n"
    " \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"ec2.amazonaws.com\"}}},\n"
    "{\"Effect\": \"Allow\", \"Action\": \"ec2:*\", \"Resource\": \"*\",\n"
    " \"Condition\": {\"ForAllValues:StringLike\": {\"aws:TagKeys\": [\"env*\", \"team\"]},\n"
    "               \"NumericLessThan\": {\"s3:max-keys\": \"10\"}, \"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"},\n"
    "               \"DateLessThan\": {\"aws:CurrentTime\": \"2030-01-01T00:00:00Z\"}, \"Bool\": {\"aws:SecureTransport\": \"true\"}}},\n"
    "{\"Effect\": \"Deny\", \"NotAction\": \"iam:*\", \"Resource\": \"*\", \"Condition\": {\"Null\": {\"aws:MultiFactorAuthAge\": \"true\"}}}\n"
    "]}\n";

static struct pdt_table *fuzz_table;  /* set once by LLVMFuzzerInitialize */
static FILE *fuzz_null;               /* /dev/null for the re-serialised output */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static struct buf b;  /* the table image lives as long as the process */
    struct arena a;
    struct diag d;
    struct ir_policy *p = NULL;
    struct lower_opts o;
    (void)argc;
    (void)argv;
    arena_init(&a);
    diag_init(&d, stderr);
    buf_init(&b);
    memset(&o, 0, sizeof o);
    if (frontend_parse(&a, &d, "fuzz.json", fuzz_policy, sizeof fuzz_policy - 1, NULL, &p) != FRONTEND_OK ||
        lower_compile(&a, &d, &p, 1, &o, &b) < 0 || b.failed || pdt_open_mem(b.data, b.len, &fuzz_table) != PDT_OK)
        abort();
    diag_fini(&d);
    arena_free(&a);
    fuzz_null = fopen("/dev/null", "w");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data, *line;
    size_t pos = 0, len;
    unsigned lineno = 0;
    while (request_next_line(buf, size, &pos, &lineno, &line, &len)) {
        struct arena a;
        struct request_line r;
        if (request_blank(line, len))
            continue;
        arena_init(&a);
        if (request_parse_line(&a, "fuzz.jsonl", line, len, lineno, NULL, &r) == 0) {
            struct pdt_why w;
            pdt_decide(fuzz_table, &r.req, &w);
            jsonout_str(fuzz_null, w.policy);
        } else if (!r.error) {
            abort(); /* a refused line always says why */
        } else {
            jsonout_str(fuzz_null, r.error);
        }
        jsonout_value(fuzz_null, r.id);
        arena_free(&a);
    }
    return 0;
}
