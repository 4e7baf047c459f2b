/* expand.c - `pdtc expand` (see expand.h): expands each action pattern of
 * the given policies into the catalog actions it covers, grouped by access
 * level, as text or JSON on standard output.  Reading and validating the
 * files is cli_load's job; matching is catalog_match's. */
#include "expand.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_load.h"
#include "jsonout.h"

struct expand {
    const struct catalog *c;
    const struct expand_opts *o;
    FILE *out;
    const struct catalog_action *act;   /* catalog_actions() */
    size_t nact;
    const struct catalog_service *svc;  /* catalog_services() */
    size_t nsvc;
    size_t words;                       /* words of an action set */
    uint64_t *set;                      /* the entry being written */
    uint64_t *allowed;                  /* union of Allow statements */
    uint64_t *denied;                   /* union of Deny statements */
    int entries;                        /* entries written (JSON commas) */
};

static bool in_set(const uint64_t *set, size_t i)
{
    return (set[i / 64] >> (i % 64)) & 1;
}

/* Counts the members of set per access level into per[]; returns the total. */
static size_t level_counts(const struct expand *x, const uint64_t *set, size_t per[CATALOG_LEVEL_COUNT])
{
    size_t total = 0;
    memset(per, 0, CATALOG_LEVEL_COUNT * sizeof *per);
    for (size_t i = 0; i < x->nact; i++)
        if (in_set(set, i)) {
            per[x->act[i].level]++;
            total++;
        }
    return total;
}

static void write_counts_text(const struct expand *x, const size_t per[CATALOG_LEVEL_COUNT])
{
    const char *sep = "";
    fputs(" (", x->out);
    for (int l = 0; l < CATALOG_LEVEL_COUNT; l++) {
        if (!per[l])
            continue;
        fprintf(x->out, "%s%s %zu", sep, catalog_level_name((enum catalog_level)l), per[l]);
        sep = ", ";
    }
    fputs(")\n", x->out);
}

/* Text: one header line, then per level its count and actions. */
static void write_text(struct expand *x, const struct ir_statement *st, struct loc at,
                       const char *what, size_t wlen, bool list)
{
    size_t per[CATALOG_LEVEL_COUNT], total = level_counts(x, x->set, per);
    fprintf(x->out, "%s:%u:%u: %s %.*s: %zu action%s", at.file ? at.file : "-", (unsigned)at.line,
            (unsigned)at.col, st->effect == IR_ALLOW ? "Allow" : "Deny", (int)wlen, what, total,
            total == 1 ? "" : "s");
    if (!total) {
        fputs(" (matches no catalog action)\n", x->out);
        return;
    }
    write_counts_text(x, per);
    if (!list || x->o->counts_only)
        return;
    for (int l = 0; l < CATALOG_LEVEL_COUNT; l++) {
        if (!per[l])
            continue;
        fprintf(x->out, "  %s (%zu):\n", catalog_level_name((enum catalog_level)l), per[l]);
        for (size_t i = 0; i < x->nact; i++)
            if (in_set(x->set, i) && x->act[i].level == (enum catalog_level)l)
                fprintf(x->out, "    %s:%s\n", x->svc[x->act[i].service].prefix, x->act[i].name);
    }
}

/* JSON "levels" object of set: {"List": {"count": n, "actions": [...]}, ...}. */
static void write_levels_json(const struct expand *x, const uint64_t *set)
{
    size_t per[CATALOG_LEVEL_COUNT];
    level_counts(x, set, per);
    fputs("{", x->out);
    for (int l = 0; l < CATALOG_LEVEL_COUNT; l++) {
        fprintf(x->out, "%s\"%s\": {\"count\": %zu", l ? ", " : "",
                catalog_level_name((enum catalog_level)l), per[l]);
        if (!x->o->counts_only) {
            int first = 1;
            fputs(", \"actions\": [", x->out);
            for (size_t i = 0; i < x->nact; i++)
                if (in_set(set, i) && x->act[i].level == (enum catalog_level)l) {
                    fprintf(x->out, "%s\"%s:%s\"", first ? "" : ", ",
                            x->svc[x->act[i].service].prefix, x->act[i].name);
                    first = 0;
                }
            fputs("]", x->out);
        }
        fputs("}", x->out);
    }
    fputs("}", x->out);
}

static size_t set_count(const struct expand *x, const uint64_t *set)
{
    size_t n = 0;
    for (size_t i = 0; i < x->words; i++)
        n += (size_t)__builtin_popcountll(set[i]);
    return n;
}

static void write_json(struct expand *x, const struct ir_statement *st, struct loc at,
                       const char *element, const struct ir_str *pattern)
{
    fputs(x->entries++ ? ",\n    {\"file\": " : "\n    {\"file\": ", x->out);
    jsonout_str(x->out, at.file);
    fprintf(x->out, ", \"line\": %u, \"col\": %u, \"statement\": %zu, \"sid\": ", (unsigned)at.line,
            (unsigned)at.col, st->index);
    if (st->sid.s)
        jsonout_strn(x->out, st->sid.s, st->sid.len);
    else
        fputs("null", x->out);
    fprintf(x->out, ", \"effect\": \"%s\", \"element\": \"%s\", \"pattern\": ",
            st->effect == IR_ALLOW ? "Allow" : "Deny", element);
    if (pattern)
        jsonout_strn(x->out, pattern->s, pattern->len);
    else
        fputs("null", x->out);
    fprintf(x->out, ", \"count\": %zu, \"levels\": ", set_count(x, x->set));
    write_levels_json(x, x->set);
    fputs("}", x->out);
}

/* Adds x->set to the Allow or Deny union of st. */
static void accumulate(struct expand *x, const struct ir_statement *st)
{
    uint64_t *u = st->effect == IR_ALLOW ? x->allowed : x->denied;
    for (size_t i = 0; i < x->words; i++)
        u[i] |= x->set[i];
}

static void expand_statement(struct expand *x, const struct ir_statement *st)
{
    if (!st->not_action) {
        for (size_t i = 0; i < st->actions.n; i++) {
            const struct ir_str *e = &st->actions.v[i];
            memset(x->set, 0, x->words * sizeof *x->set);
            catalog_match_set(x->c, e->s, e->len, x->set);
            accumulate(x, st);
            if (x->o->format == EXPAND_JSON)
                write_json(x, st, e->loc, "Action", e);
            else
                write_text(x, st, e->loc, e->s, e->len, true);
        }
        return;
    }
    /* NotAction: the statement covers everything its entries do not. */
    memset(x->set, 0, x->words * sizeof *x->set);
    for (size_t i = 0; i < st->actions.n; i++)
        catalog_match_set(x->c, st->actions.v[i].s, st->actions.v[i].len, x->set);
    for (size_t i = 0; i < x->words; i++)
        x->set[i] = ~x->set[i];
    if (x->nact % 64)
        x->set[x->words - 1] &= ((uint64_t)1 << (x->nact % 64)) - 1;
    accumulate(x, st);
    if (x->o->format == EXPAND_JSON)
        write_json(x, st, st->action_loc, "NotAction", NULL);
    else
        write_text(x, st, st->action_loc, "NotAction", 9, false);
}

static void write_totals(struct expand *x)
{
    size_t per[CATALOG_LEVEL_COUNT];
    if (x->o->format == EXPAND_JSON) {
        fprintf(x->out, "\n  ],\n  \"allowed\": {\"count\": %zu, \"levels\": ", set_count(x, x->allowed));
        write_levels_json(x, x->allowed);
        fprintf(x->out, "},\n  \"denied\": {\"count\": %zu, \"levels\": ", set_count(x, x->denied));
        write_levels_json(x, x->denied);
        fputs("}\n}\n", x->out);
        return;
    }
    size_t total = level_counts(x, x->allowed, per);
    fprintf(x->out, "total: Allow statements cover %zu distinct action%s", total, total == 1 ? "" : "s");
    if (total)
        write_counts_text(x, per);
    else
        fputc('\n', x->out);
    total = level_counts(x, x->denied, per);
    fprintf(x->out, "total: Deny statements cover %zu distinct action%s", total, total == 1 ? "" : "s");
    if (total)
        write_counts_text(x, per);
    else
        fputc('\n', x->out);
}

int expand_write(struct ir_policy *const *pols, size_t n, const struct catalog *c,
                 const struct expand_opts *o, FILE *out)
{
    struct expand x = {.c = c, .o = o, .out = out};
    x.act = catalog_actions(c, &x.nact);
    x.svc = catalog_services(c, &x.nsvc);
    x.words = catalog_set_words(c);
    size_t w = x.words ? x.words : 1;
    x.set = calloc(w, sizeof *x.set);
    x.allowed = calloc(w, sizeof *x.allowed);
    x.denied = calloc(w, sizeof *x.denied);
    int rc = -1;
    if (!x.set || !x.allowed || !x.denied)
        goto out_free;
    if (o->format == EXPAND_JSON) {
        fputs("{\n  \"catalog\": ", out);
        char v[256];
        snprintf(v, sizeof v, "%s %s (%s)", catalog_source(c), catalog_version(c), catalog_updated(c));
        jsonout_str(out, v);
        fputs(",\n  \"entries\": [", out);
    }
    for (size_t p = 0; p < n; p++)
        for (size_t s = 0; s < pols[p]->nstmts; s++)
            expand_statement(&x, &pols[p]->stmts[s]);
    write_totals(&x);
    rc = ferror(out) ? -1 : 0;
out_free:
    free(x.set);
    free(x.allowed);
    free(x.denied);
    return rc;
}

static void cli_expand_help(FILE *f)
{
    fputs("usage: pdtc expand [--format text|json] [--counts] POLICY.json...\n"
          "\n"
          "Shows what each action pattern of the policies really covers according to the\n"
          "embedded IAM action catalog: the matching actions grouped by access level (List,\n"
          "Read, Write, Tagging, Permissions management) with counts, and the union over all\n"
          "Allow and all Deny statements.  A NotAction statement is expanded as a whole (the\n"
          "actions it does not list).  Resources and conditions are not considered.\n"
          "'-' reads a policy from standard input.\n"
          "\n"
          "  --format FMT  text (default) or json, written to standard output\n"
          "  --counts      counts per access level only, no action lists\n"
          "\n"
          "Exit status: 0 success, 1 a policy was refused, 2 usage, 3 I/O error.\n",
          f);
}

int cli_expand(int argc, char **argv)
{
    struct expand_opts o = {EXPAND_TEXT, 0};
    int nfiles = 0, st;
    char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files)
        return CLI_IO;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *fmt = NULL;
        if (strcmp(s, "--") == 0) {
            while (++i < argc)
                files[nfiles++] = argv[i];
            break;
        } else if (strcmp(s, "--format") == 0) {
            if (++i >= argc)
                goto usage;
            fmt = argv[i];
        } else if (strncmp(s, "--format=", 9) == 0) {
            fmt = s + 9;
        } else if (strcmp(s, "--counts") == 0) {
            o.counts_only = 1;
        } else if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            cli_expand_help(stdout);
            free(files);
            return CLI_OK;
        } else if (s[0] == '-' && s[1] != '\0') {
            fprintf(stderr, "pdtc expand: error: unknown option '%s'\n", s);
            goto usage;
        } else {
            files[nfiles++] = argv[i];
        }
        if (fmt && strcmp(fmt, "text") == 0)
            o.format = EXPAND_TEXT;
        else if (fmt && strcmp(fmt, "json") == 0)
            o.format = EXPAND_JSON;
        else if (fmt) {
            fprintf(stderr, "pdtc expand: error: bad --format '%s' (text or json)\n", fmt);
            goto usage;
        }
    }
    if (nfiles == 0) {
        fputs("pdtc expand: error: no policy file given\n", stderr);
        goto usage;
    }
    struct diag d;
    struct arena a;
    struct ir_policy **pols = NULL;
    char err[256];
    diag_init(&d, stderr);
    arena_init(&a);
    st = cli_load_policies(&a, &d, files, (size_t)nfiles, &pols);
    if (st == CLI_OK) {
        struct catalog *c = catalog_open(err, sizeof err);
        if (!c) {
            diag_plain(&d, DIAG_ERROR, "cannot load the IAM action catalog: %s", err);
            st = CLI_REFUSED;
        } else {
            if (expand_write(pols, (size_t)nfiles, c, &o, stdout) < 0 || fflush(stdout) != 0) {
                diag_plain(&d, DIAG_ERROR, "cannot write the expansion to standard output");
                st = CLI_IO;
            }
            catalog_free(c);
        }
    }
    arena_free(&a);
    diag_fini(&d);
    free(files);
    return st;
usage:
    cli_expand_help(stderr);
    free(files);
    return CLI_USAGE;
}
