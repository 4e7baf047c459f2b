/* lint_util.c - the pattern-level machinery of lint (see lint_int.h): action
 * sets, spelling suggestions, glob/ARN-template intersection, and the two
 * rules built on them (redundant-action, resource-type-mismatch).  Every
 * loop is bounded by the catalog size or by the LINT_MAX_* caps. */
#include "lint.h"
#include "lint_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINT_MAX_NAME 128  /* longest action name edit distance looks at */

void lint_set_complement(const struct lint *L, uint64_t *set)
{
    for (size_t i = 0; i < L->words; i++)
        set[i] = ~set[i];
    if (L->nact % 64)
        set[L->words - 1] &= ((uint64_t)1 << (L->nact % 64)) - 1;
}

size_t lint_set_count(const struct lint *L, const uint64_t *set)
{
    size_t n = 0;
    for (size_t i = 0; i < L->words; i++)
        n += (size_t)__builtin_popcountll(set[i]);
    return n;
}

size_t lint_set_next(const struct lint *L, const uint64_t *set, size_t from)
{
    while (from < L->nact) {
        uint64_t w = set[from / 64] >> (from % 64);
        if (w)
            return from + (size_t)__builtin_ctzll(w);
        from = (from / 64 + 1) * 64;
    }
    return L->nact;
}

static int lower(int ch)
{
    return (ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch;
}

/* Case-insensitive Levenshtein distance of a and b (both <= LINT_MAX_NAME). */
static size_t edit_distance(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t row[LINT_MAX_NAME + 1], prev_diag;
    for (size_t j = 0; j <= blen; j++)
        row[j] = j;
    for (size_t i = 1; i <= alen; i++) {
        prev_diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= blen; j++) {
            size_t sub = prev_diag + (lower((unsigned char)a[i - 1]) != lower((unsigned char)b[j - 1]));
            size_t del = row[j] + 1, ins = row[j - 1] + 1;
            prev_diag = row[j];
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    }
    return row[blen];
}

void lint_suggest(const struct lint *L, const struct catalog_service *svc, const char *name,
                  size_t len, char *hint, size_t hintsz)
{
    if (len == 0 || len > LINT_MAX_NAME || memchr(name, '*', len) || memchr(name, '?', len))
        return;
    size_t best = (size_t)-1, limit = len / 4 < 3 ? (len / 4 ? len / 4 : 1) : 3;
    const struct catalog_action *pick = NULL;
    for (uint32_t i = 0; i < svc->action_count; i++) {
        const struct catalog_action *a = &L->act[svc->action_first + i];
        size_t alen = strlen(a->name);
        if (alen > LINT_MAX_NAME || (alen > len ? alen - len : len - alen) > limit)
            continue;
        size_t dist = edit_distance(name, len, a->name, alen);
        if (dist < best) {
            best = dist;
            pick = a;
        }
    }
    if (pick && best <= limit)
        snprintf(hint, hintsz, " (did you mean '%s:%s'?)", svc->prefix, pick->name);
}

#define TOK_STAR (-1)  /* any run of bytes */
#define TOK_SEG (-2)   /* any run of bytes without ':' (one ARN field) */
#define TOK_ANY (-3)   /* any one byte */

/* Tokenises a glob: '*' -> TOK_STAR, '?' -> TOK_ANY, ${...} -> TOK_STAR
 * (TOK_SEG for the ARN-template fields ${Partition}, ${Region} and
 * ${Account}, which never hold ':'), else the lower-cased byte.  Returns the
 * token count. */
static size_t tokenize(const char *p, size_t len, int *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '$' && i + 1 < len && p[i + 1] == '{') {
            const char *close = memchr(p + i, '}', len - i);
            if (close) {
                size_t nl = (size_t)(close - p) - i - 2;
                const char *name = p + i + 2;
                bool seg = (nl == 9 && memcmp(name, "Partition", 9) == 0) ||
                           (nl == 6 && memcmp(name, "Region", 6) == 0) ||
                           (nl == 7 && memcmp(name, "Account", 7) == 0);
                out[n++] = seg ? TOK_SEG : TOK_STAR;
                i = (size_t)(close - p);
                continue;
            }
        }
        out[n++] = p[i] == '*' ? TOK_STAR : p[i] == '?' ? TOK_ANY : lower((unsigned char)p[i]);
    }
    return n;
}

static bool is_run(int t)
{
    return t == TOK_STAR || t == TOK_SEG;
}

/* Whether run token r can produce the byte that single token t stands for. */
static bool run_takes(int r, int t)
{
    return r == TOK_STAR || t != ':';
}

bool lint_globs_intersect(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen > LINT_MAX_PATTERN || blen > LINT_MAX_PATTERN)
        return true;
    int *ta = malloc((alen + blen + 2) * sizeof *ta);
    unsigned char *rows = calloc(2 * (blen + 2), 1);
    if (!ta || !rows) {
        free(ta);
        free(rows);
        return true;  /* cannot tell: assume they meet (no false warning) */
    }
    int *tb = ta + alen + 1;
    size_t n = tokenize(a, alen, ta), m = tokenize(b, blen, tb);
    /* next[j]: suffixes a[i+1..], b[j..] share a string; cur[j]: a[i..], b[j..].
     * Two facing runs never both need to consume: one of them can be empty. */
    unsigned char *next = rows, *cur = rows + blen + 2;
    for (size_t i = n + 1; i-- > 0;) {
        for (size_t j = m + 1; j-- > 0;) {
            bool as = i < n && is_run(ta[i]), bs = j < m && is_run(tb[j]), v;
            if (i == n && j == m)
                v = true;
            else if (as)
                v = next[j] || (j < m && (bs || run_takes(ta[i], tb[j])) && cur[j + 1]);
            else if (bs)
                v = cur[j + 1] || (i < n && run_takes(tb[j], ta[i]) && next[j]);
            else
                v = i < n && j < m && (ta[i] == TOK_ANY || tb[j] == TOK_ANY || ta[i] == tb[j]) &&
                    next[j + 1];
            cur[j] = v;
        }
        unsigned char *t = next;
        next = cur;
        cur = t;
    }
    bool r = next[0];
    free(ta);
    free(rows);
    return r;
}

/* True if text a equals b ignoring ASCII case. */
static bool same_text(const struct ir_str *a, const struct ir_str *b)
{
    return a->len == b->len && strncasecmp(a->s, b->s, a->len) == 0;
}

/* Reports entry i of st covered by entry j (sets[] are their action sets). */
static void report_redundant(struct lint *L, const struct ir_statement *st, size_t i, size_t j,
                             bool dup)
{
    const struct ir_str *a = &st->actions.v[i], *b = &st->actions.v[j];
    lint_warn(L, LINT_REDUNDANT_ACTION, a->loc, "'%.*s' %s '%.*s' in the same %s list",
              (int)a->len, a->s, dup ? "repeats" : "is already covered by", (int)b->len, b->s,
              st->not_action ? "NotAction" : "Action");
    diag_note(L->d, b->loc, "'%.*s' is here", (int)b->len, b->s);
}

int lint_check_redundant(struct lint *L, const struct ir_statement *st)
{
    size_t n = L->ncached;  /* entries past LINT_MAX_PAIR_ENTRIES are not compared */
    if (n < 2)
        return 0;
    const uint64_t *sets = L->esets;
    const size_t *count = L->ecount;
    /* Each set's nonzero words lie in [lo, hi): subset tests look only there. */
    size_t *lo = calloc(2 * n, sizeof *lo), *hi = lo ? lo + n : NULL;
    if (!lo)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const uint64_t *si = sets + i * L->words;
        lo[i] = 0;
        while (lo[i] < L->words && !si[lo[i]])
            lo[i]++;
        hi[i] = L->words;
        while (hi[i] > lo[i] && !si[hi[i] - 1])
            hi[i]--;
    }
    for (size_t i = 0; i < n && L->budget > 0; i++) {
        const uint64_t *si = sets + i * L->words;
        for (size_t j = 0; j < n; j++) {
            if (j == i)
                continue;
            if (same_text(&st->actions.v[i], &st->actions.v[j])) {
                if (j < i) {
                    report_redundant(L, st, i, j, true);
                    break;
                }
                continue;
            }
            if (!count[i] || !count[j] || count[i] > count[j] || (count[i] == count[j] && j > i))
                continue;
            if (lo[i] < lo[j] || hi[i] > hi[j])
                continue;
            const uint64_t *sj = sets + j * L->words;
            size_t w = lo[i], cost = hi[i] - lo[i] + 1;
            if (cost > L->budget) {
                L->budget = 0;
                break;
            }
            L->budget -= cost;
            while (w < hi[i] && (si[w] & ~sj[w]) == 0)
                w++;
            if (w == hi[i]) {
                report_redundant(L, st, i, j, false);
                break;
            }
        }
    }
    free(lo);
    return 0;
}

/* Whether resource type r can name one of the statement's resources; the
 * answer is cached in memo[r] (0 unknown, 1 yes, 2 no). */
static bool rtype_fits(struct lint *L, const struct ir_statement *st,
                       const struct catalog_rtype *rt, size_t r, unsigned char *memo)
{
    if (!memo[r]) {
        size_t alen = strlen(rt[r].arn);
        memo[r] = 2;
        for (size_t k = 0; k < st->resources.n && memo[r] == 2; k++) {
            size_t blen = st->resources.v[k].len;
            size_t cost = (alen + 1) * ((blen < LINT_MAX_PATTERN ? blen : 0) + 1);
            if (cost > L->budget) {
                L->budget = 0;  /* out of work: assume it fits (no false warning) */
                memo[r] = 1;
                break;
            }
            L->budget -= cost;
            if (lint_globs_intersect(rt[r].arn, alen, st->resources.v[k].s, blen))
                memo[r] = 1;
        }
    }
    return memo[r] == 1;
}

/* Reports entry e, whose actions (first: a) fit none of the resources. */
static void report_mismatch(struct lint *L, const struct ir_str *e, const struct catalog_action *a,
                            size_t nfit)
{
    size_t nrt, nres;
    const struct catalog_rtype *rt = catalog_rtypes(L->c, &nrt);
    const struct catalog_action_res *res = catalog_action_res(L->c, &nres);
    char types[512];
    size_t off = 0;
    for (uint32_t i = 0; i < a->res_count && i < 3 && off < sizeof types; i++) {
        const struct catalog_rtype *t = &rt[res[a->res_first + i].rtype];
        int k = snprintf(types + off, sizeof types - off, "%s%s (%s)", i ? ", " : "", t->name, t->arn);
        if (k < 0)
            break;
        off += (size_t)k;
    }
    lint_warn(L, LINT_RESOURCE_TYPE_MISMATCH, e->loc,
              "'%.*s' cannot apply to any Resource of this statement: %s%s:%s takes %s%s",
              (int)e->len, e->s, nfit > 1 ? "e.g. " : "", L->svc[a->service].prefix, a->name,
              types, a->res_count > 3 ? ", ..." : "");
}

int lint_check_resource_types(struct lint *L, const struct ir_statement *st)
{
    if (st->not_action || st->not_resource || st->resources.n == 0)
        return 0;
    for (size_t k = 0; k < st->resources.n; k++)
        if (lint_str_is(&st->resources.v[k], "*"))
            return 0;
    size_t nrt, nres;
    const struct catalog_rtype *rt = catalog_rtypes(L->c, &nrt);
    const struct catalog_action_res *res = catalog_action_res(L->c, &nres);
    unsigned char *memo = calloc(nrt ? nrt : 1, 1);
    if (!memo)
        return -1;
    for (size_t i = 0; i < st->actions.n; i++) {
        const struct ir_str *e = &st->actions.v[i];
        const uint64_t *set = lint_entry_set(L, st, i, NULL);
        const struct catalog_action *first = NULL;
        size_t typed = 0;  /* matched actions that have resource types */
        bool fits = false;
        for (size_t a = lint_set_next(L, set, 0); a < L->nact && !fits;
             a = lint_set_next(L, set, a + 1)) {
            const struct catalog_action *ac = &L->act[a];
            if (!ac->res_count)
                continue;
            typed++;
            if (!first)
                first = ac;
            for (uint32_t r = 0; r < ac->res_count && !fits; r++)
                fits = rtype_fits(L, st, rt, res[ac->res_first + r].rtype, memo);
        }
        if (first && !fits)
            report_mismatch(L, e, first, typed);
    }
    free(memo);
    return 0;
}

/* True if every string resource pattern r can match, q matches too: q is
 * "*", the same text, or a prefix glob "P*" of r's text.  Sound, not
 * complete: other containments are not recognised. */
static bool resource_covers(const struct ir_str *q, const struct ir_str *r)
{
    if (lint_str_is(q, "*") || (q->len == r->len && memcmp(q->s, r->s, q->len) == 0))
        return true;
    if (q->len == 0 || q->s[q->len - 1] != '*' || r->len < q->len - 1)
        return false;
    for (size_t i = 0; i + 1 < q->len; i++)
        if (q->s[i] == '*' || q->s[i] == '?' || q->s[i] != r->s[i])
            return false;
    return true;
}

/* Whether statement a makes statement b redundant (see the rule's help).
 * sa/sb are their action sets; every entry of b must be a catalog action. */
static bool stmt_covers(const struct ir_statement *a, const uint64_t *sa,
                        const struct ir_statement *b, const uint64_t *sb, size_t words,
                        const bool b_known)
{
    if (a->effect != b->effect || a->has_condition || a->not_action || b->not_action ||
        a->not_resource || b->not_resource || !b_known)
        return false;
    for (size_t w = 0; w < words; w++)
        if (sb[w] & ~sa[w])
            return false;
    for (size_t i = 0; i < b->resources.n; i++) {
        bool hit = false;
        for (size_t k = 0; k < a->resources.n && !hit; k++)
            hit = resource_covers(&a->resources.v[k], &b->resources.v[i]);
        if (!hit)
            return false;
    }
    return true;
}

int lint_check_redundant_statements(struct lint *L)
{
    const struct ir_policy *p = L->p;
    size_t n = p->nstmts < LINT_MAX_PAIR_ENTRIES ? p->nstmts : LINT_MAX_PAIR_ENTRIES;
    if (n < 2)
        return 0;
    uint64_t *sets = calloc(n * L->words, sizeof *sets);
    bool *known = calloc(n, sizeof *known);
    if (!sets || !known) {
        free(sets);
        free(known);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const struct ir_statement *st = &p->stmts[i];
        known[i] = st->actions.n > 0;
        for (size_t e = 0; e < st->actions.n; e++)
            if (!catalog_match_set(L->c, st->actions.v[e].s, st->actions.v[e].len, sets + i * L->words))
                known[i] = false;
    }
    for (size_t i = 0; i < n && L->budget > n; i++) {
        const uint64_t *si = sets + i * L->words;
        for (size_t j = 0; j < n; j++) {
            const uint64_t *sj = sets + j * L->words;
            L->budget -= L->budget > L->words ? L->words : L->budget;
            if (j == i || !stmt_covers(&p->stmts[j], sj, &p->stmts[i], si, L->words, known[i]))
                continue;
            if (j > i && stmt_covers(&p->stmts[i], si, &p->stmts[j], sj, L->words, known[j]))
                continue;  /* mutual: only the later one is reported */
            const struct ir_statement *a = &p->stmts[j], *b = &p->stmts[i];
            lint_warn(L, LINT_REDUNDANT_STATEMENT, b->loc,
                      "statement %zu%s%.*s%s has no effect: statement %zu %s all its actions on all "
                      "its resources without conditions", b->index + 1, b->sid.s ? " (" : "",
                      b->sid.s ? (int)b->sid.len : 0, b->sid.s ? b->sid.s : "", b->sid.s ? ")" : "",
                      a->index + 1, a->effect == IR_ALLOW ? "allows" : "denies");
            diag_note(L->d, a->loc, "statement %zu is here", a->index + 1);
            break;
        }
    }
    free(sets);
    free(known);
    return 0;
}
