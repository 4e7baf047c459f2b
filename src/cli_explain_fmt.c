/* cli_explain_fmt.c - the pieces of `pdtc explain` shared by its text
 * output (cli_explain.c) and its JSON output (cli_explain_json.c): decision
 * names and the deciding-statement line (also used by `pdtc test`), operator
 * names, policy and request values, the reason a statement did or did not
 * apply, and the per-run state (each statement's action patterns, listed in
 * one pass over the action index; the --matching filter).  It formats what
 * runtime/explain.h reports and decides nothing. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_explain.h"
#include "cli_explain_int.h"
#include "condfmt.h"
#include "jsonout.h"

const char *cli_explain_decision_name(enum pdt_decision d)
{
    switch (d) {
    case PDT_ALLOW: return "Allow";
    case PDT_EXPLICIT_DENY: return "ExplicitDeny";
    default: return "ImplicitDeny";
    }
}

int cli_explain_decision_parse(const char *s, enum pdt_decision *d)
{
    if (strcmp(s, "Allow") == 0)
        *d = PDT_ALLOW;
    else if (strcmp(s, "ExplicitDeny") == 0)
        *d = PDT_EXPLICIT_DENY;
    else if (strcmp(s, "ImplicitDeny") == 0)
        *d = PDT_IMPLICIT_DENY;
    else
        return -1;
    return 0;
}

/* "FILE:LINE Sid NAME", "FILE:LINE (no Sid)" or "statement #N (stripped)". */
void cli_explain_print_stmt_name(FILE *f, int32_t index, const char *policy, uint32_t line, const char *sid)
{
    if (!policy) {
        fprintf(f, "statement #%d (table compiled with --strip: no provenance)", (int)index);
        return;
    }
    fprintf(f, "%s:%u", policy, (unsigned)line);
    if (sid && *sid)
        fprintf(f, " Sid %s", sid);
    else
        fputs(" (no Sid)", f);
}

void cli_explain_print_why(FILE *f, const struct pdt_why *why)
{
    if (why->statement < 0)
        fputs("none (no statement applies)", f);
    else
        cli_explain_print_stmt_name(f, why->statement, why->policy, why->line, why->sid);
}

/* ---- formatting helpers ------------------------------------------------ */

const char *cli_explain_tri(enum pdt_tri t)
{
    return t == PDT_TRI_TRUE ? "true" : t == PDT_TRI_FALSE ? "false" : "indeterminate";
}

/* Writes the operator name of a test, as the policy spells it (ArnEquals
 * and ArnLike are one operator in the table). */
void cli_explain_op_name(FILE *f, unsigned op, unsigned flags)
{
    static const char *const pos[] = {
        "?", "StringEquals", "StringEqualsIgnoreCase", "StringLike", "NumericEquals", "NumericLessThan",
        "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals",
        "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool",
        "BinaryEquals", "IpAddress", "ArnLike", "Null"};
    static const char *const neg[] = {
        "?", "StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "NumericNotEquals", "?", "?",
        "?", "?", "DateNotEquals", "?", "?", "?", "?", "?", "?", "NotIpAddress", "ArnNotLike", "?"};
    const char *name = op < sizeof pos / sizeof pos[0] ? ((flags & PDT_CF_NEG) ? neg[op] : pos[op]) : "?";
    if (flags & PDT_CF_ALL)
        fputs("ForAllValues:", f);
    else if (flags & PDT_CF_ANY)
        fputs("ForAnyValue:", f);
    fputs(name, f);
    if (flags & PDT_CF_IFEXISTS)
        fputs("IfExists", f);
}

/* Civil date of day number z (days since 1970-01-01), H. Hinnant's algorithm. */
static void ex_civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    yoe = z - era * 146097;
    yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
    doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Formats a stored policy value of op into buf (text to show, no quotes). */
static const char *ex_value_text(unsigned op, const uint8_t *p, size_t n, char *buf, size_t cap)
{
    if (op >= PDT_COP_DATE_EQ && op <= PDT_COP_DATE_GE && n == 16) {
        int64_t sec = (int64_t)pdt_cf_rd64(p), days, y;
        uint64_t frac = pdt_cf_rd64(p + 8);
        unsigned mo, d, hms;
        char fr[24] = "";
        days = sec / 86400 - (sec % 86400 < 0);
        hms = (unsigned)(sec - days * 86400);
        ex_civil(days, &y, &mo, &d);
        if (frac) {
            size_t k;
            snprintf(fr, sizeof fr, ".%018" PRIu64, frac);
            for (k = strlen(fr); k > 1 && fr[k - 1] == '0'; k--)
                fr[k - 1] = '\0';
        }
        snprintf(buf, cap, "%04" PRId64 "-%02u-%02uT%02u:%02u:%02u%sZ", y, mo, d, hms / 3600, hms / 60 % 60,
                 hms % 60, fr);
        return buf;
    }
    if ((op == PDT_COP_BOOL || op == PDT_COP_NULL) && n == 1)
        return p[0] ? "true" : "false";
    if (op == PDT_COP_IP && n == 18) {
        char a[INET6_ADDRSTRLEN];
        if (!inet_ntop(p[0] == 4 ? AF_INET : AF_INET6, p + 2, a, sizeof a))
            snprintf(a, sizeof a, "?");
        snprintf(buf, cap, "%s/%u", a, (unsigned)p[1]);
        return buf;
    }
    if (op == PDT_COP_BIN_EQ) {
        static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        size_t i, k = 0;
        for (i = 0; i < n && k + 5 < cap; i += 3) {
            uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                         (i + 2 < n ? p[i + 2] : 0);
            buf[k++] = b64[v >> 18];
            buf[k++] = b64[(v >> 12) & 63];
            buf[k++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
            buf[k++] = i + 2 < n ? b64[v & 63] : '=';
        }
        buf[k] = '\0';
        return buf;
    }
    return NULL;  /* text: shown as stored */
}

/* Writes value k of test j of statement i as a JSON string (null when a
 * policy variable has no value here). */
void cli_explain_value(FILE *f, struct pdt_explain *x, uint32_t i, uint32_t j, uint32_t k, unsigned op)
{
    static char tb[PDT_TMPL_MAX];
    char buf[4096];
    struct pdt_explain_val v;
    const char *s;

    if (pdt_explain_value(x, i, j, k, &v, tb, sizeof tb) < 0 || !v.bytes) {
        fputs("null", f);
        return;
    }
    s = ex_value_text(op, v.bytes, v.len, buf, sizeof buf);
    if (s)
        jsonout_str(f, s);
    else
        jsonout_strn(f, (const char *)v.bytes, v.len);
}

/* Writes the request value(s) a test saw: a string, a list, or null. */
void cli_explain_seen(FILE *f, const struct pdt_explain_test *t)
{
    size_t k;
    if (t->seen != 1 || !t->kv) {
        fputs("null", f);
        return;
    }
    if (!t->kv->multi) {
        jsonout_str(f, t->kv->values[0]);
        return;
    }
    fputc('[', f);
    for (k = 0; k < t->kv->nvalues; k++) {
        fputs(k ? ", " : "", f);
        jsonout_str(f, t->kv->values[k]);
    }
    fputc(']', f);
}

/* Why statement s counts or not, in words. */
const char *cli_explain_reason(const struct pdt_explain *x, const struct pdt_explain_stmt *s, enum pdt_decision dec)
{
    int deny = s->info.deny;
    if (!x->usable)
        return "not evaluated: the request is malformed (pdt_decide denies it implicitly)";
    if (s->applies) {
        if (!deny && dec == PDT_EXPLICIT_DENY)
            return "applies, but an explicit deny wins";
        if (deny && (s->resource == PDT_TRI_INDET || s->cond == PDT_TRI_INDET))
            return "applies: indeterminate, and a Deny applies when in doubt";
        return "applies";
    }
    if (!s->action)
        return s->info.not_action ? "does not apply: NotAction excludes the action"
                                  : "does not apply: no action pattern matches";
    if (s->resource == PDT_TRI_FALSE)
        return s->info.not_resource ? "does not apply: NotResource excludes the resource"
                                    : "does not apply: no resource pattern matches";
    if (s->cond == PDT_TRI_FALSE)
        return "does not apply: the condition is false";
    return "does not apply: indeterminate, and an Allow needs a definite true";
}

/* ---- per-run state --------------------------------------------------- */

/* Makes room for n action patterns.  Returns 0 or -1. */
int cli_explain_reserve(struct cli_explain_run *r, uint32_t n)
{
    const char **p;
    int *m;
    if (n <= r->cap)
        return 0;
    p = realloc(r->pats, n * sizeof *p);
    if (p)
        r->pats = p;
    m = realloc(r->match, n * sizeof *m);
    if (m)
        r->match = m;
    if (!p || !m)
        return -1;
    r->cap = n;
    return 0;
}

/* Lists every Action statement's patterns in one pass over the action index
 * (instead of one index search per statement).  On failure (out of memory)
 * r->apat stays NULL and each statement searches the index itself. */
void cli_explain_build_actions(struct cli_explain_run *r)
{
    uint32_t n = pdt_explain_count(&r->x), ne = pdt_explain_index_count(&r->x), k, m, cnt, i;
    uint32_t *fill;

    r->aoff = calloc((size_t)n + 1, sizeof *r->aoff);
    fill = calloc((size_t)n + 1, sizeof *fill);
    if (!r->aoff || !fill)
        goto fail;
    for (k = 0; k < ne; k++) {
        pdt_explain_index_entry(&r->x, k, &cnt);
        for (m = 0; m < cnt; m++) {
            uint32_t s = pdt_explain_index_stmt(&r->x, k, m);
            if (s < n)
                r->aoff[s + 1]++;
        }
    }
    for (i = 0; i < n; i++)
        r->aoff[i + 1] += r->aoff[i];
    r->apat = malloc(((size_t)r->aoff[n] + 1) * sizeof *r->apat);
    if (!r->apat)
        goto fail;
    for (k = 0; k < ne; k++) {
        const char *p = pdt_explain_index_entry(&r->x, k, &cnt);
        for (m = 0; m < cnt; m++) {
            uint32_t s = pdt_explain_index_stmt(&r->x, k, m);
            if (s < n)
                r->apat[r->aoff[s] + fill[s]++] = p;
        }
    }
    free(fill);
    return;
fail:
    free(fill);
    free(r->aoff);
    r->aoff = NULL;
    r->apat = NULL;
}

/* Action patterns of statement i into r->pats/r->match; returns their count. */
uint32_t cli_explain_actions(struct cli_explain_run *r, uint32_t i, int not_action)
{
    uint32_t n, j;
    if (!not_action && r->apat) {
        n = r->aoff[i + 1] - r->aoff[i];
        if (cli_explain_reserve(r, n) < 0)
            n = r->cap;
        for (j = 0; j < n; j++) {
            r->pats[j] = r->apat[r->aoff[i] + j];
            r->match[j] = pdt_explain_action_match(&r->x, r->pats[j]);
        }
        return n;
    }
    n = pdt_explain_actions(&r->x, i, NULL, NULL, 0);
    if (cli_explain_reserve(r, n) < 0)
        n = r->cap;
    pdt_explain_actions(&r->x, i, r->pats, r->match, n);
    return n;
}

/* 1 when statement i is listed: always, or under --matching when its
 * Action/NotAction admits the request action (a malformed request: all). */
int cli_explain_shown(struct cli_explain_run *r, uint32_t i)
{
    struct pdt_explain_stmt s;
    if (!r->matching || !r->x.usable)
        return 1;
    return pdt_explain_stmt(&r->x, i, &s) == 0 && s.action;
}

uint32_t cli_explain_nshown(struct cli_explain_run *r)
{
    uint32_t i, k = 0, n = pdt_explain_count(&r->x);
    for (i = 0; i < n; i++)
        k += (uint32_t)cli_explain_shown(r, i);
    return k;
}

void cli_explain_print_context(FILE *f, const struct pdt_request *req)
{
    size_t i, k;
    fputc('{', f);
    for (i = 0; i < req->ncontext; i++) {
        const struct pdt_kv *kv = &req->context[i];
        fputs(i ? ", " : "", f);
        jsonout_str(f, kv->key);
        fputs(": ", f);
        if (!kv->multi) {
            jsonout_str(f, kv->values[0]);
            continue;
        }
        fputc('[', f);
        for (k = 0; k < kv->nvalues; k++) {
            fputs(k ? ", " : "", f);
            jsonout_str(f, kv->values[k]);
        }
        fputc(']', f);
    }
    fputc('}', f);
}

