/* cli_check.c - `pdtc check`: runs the front end (frontend.h) on each policy
 * file and reports every diagnostic on standard error.  Exit status (cli.h):
 * 0 all files valid (warnings allowed), 1 some file refused (or a warning
 * under --warnings-as-errors), 2 usage error, 3 a file could not be read.
 *
 * Owns the command's options and the per-file loop.  What is checked lives
 * elsewhere: validation in validate*.c, and further checks on a valid policy
 * plug in at check_policy() (the lint hook), output formats at check_setup()
 * (a diag sink for --format json|sarif). */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "frontend.h"
#include "lint.h"
#include "validate.h"

struct check_opts {
    const char *color;         /* --color: auto, always or never */
    unsigned max_errors;       /* --max-errors: per file, 0 = unlimited */
    int warnings_as_errors;    /* --warnings-as-errors */
    int verbose;               /* -v: say "ok" for each valid file */
    struct frontend_opts fe;   /* --max-policy-size */
    enum lint_format format;   /* --format: text (stderr), json or sarif (stdout) */
};

static void check_usage(FILE *out)
{
    fputs("usage: pdtc check [OPTIONS] FILE...\n"
          "\n"
          "Parses and validates IAM identity-based policy files ('-' reads standard input)\n"
          "and reports each problem as FILE:LINE:COL: error|warning: MESSAGE [CODE].\n"
          "\n"
          "options:\n"
          "  --color=auto|always|never  colour the diagnostics (auto: on a terminal, unless NO_COLOR)\n"
          "  --max-errors N             show at most N errors per file (default 50, 0 = all)\n"
          "  --warnings-as-errors       treat warnings as errors (exit status 1)\n"
          "  --format text|json|sarif   text diagnostics on standard error (default), or one\n"
          "                             JSON or SARIF 2.1.0 document on standard output\n"
          "  --max-policy-size N|managed|user|group|role\n"
          "                             warn when a policy has more than N characters without\n"
          "                             whitespace (managed 6144, user 2048, group 5120, role 10240;\n"
          "                             default: no size warning)\n"
          "  -v, --verbose              print FILE: ok for each valid file\n"
          "  -h, --help                 show this help\n"
          "\n"
          "exit status: 0 all files valid, 1 a file was refused, 2 usage error,\n"
          "3 a file could not be read.  Codes are listed in docs/diagnostics.md.\n",
          out);
}

static int check_bad_usage(const char *fmt, const char *arg)
{
    fputs("pdtc check: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n(see pdtc check --help)\n", stderr);
    return CLI_USAGE;
}

/* Value of option `name` at argv[*i]: "--name=V" or "--name V" (advancing
 * *i).  Returns NULL when argv[*i] is not that option; *missing is set when
 * it is but has no value. */
static const char *check_optval(int argc, char **argv, int *i, const char *name, int *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

/* Parses the options; sets *first to the index of the first file.  Returns
 * CLI_OK, CLI_USAGE (after a message), or -1 when --help was printed. */
static int check_args(int argc, char **argv, struct check_opts *o, int *first)
{
    int i, missing = 0;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *val;
        char *end;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0)
            break;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            check_usage(stdout);
            return -1;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            o->verbose = 1;
        } else if (strcmp(a, "--warnings-as-errors") == 0) {
            o->warnings_as_errors = 1;
        } else if ((val = check_optval(argc, argv, &i, "--color", &missing)) != NULL) {
            if (strcmp(val, "auto") && strcmp(val, "always") && strcmp(val, "never"))
                return check_bad_usage("--color must be auto, always or never, not '%s'", val);
            o->color = val;
        } else if ((val = check_optval(argc, argv, &i, "--format", &missing)) != NULL) {
            if (lint_format_parse(val, &o->format) != 0)
                return check_bad_usage("--format must be text, json or sarif, not '%s'", val);
        } else if ((val = check_optval(argc, argv, &i, "--max-errors", &missing)) != NULL) {
            unsigned long n = strtoul(val, &end, 10);
            if (!*val || *end || val[0] == '-' || n > 1000000000ul)
                return check_bad_usage("--max-errors needs a number, not '%s'", val);
            o->max_errors = (unsigned)n;
        } else if ((val = check_optval(argc, argv, &i, "--max-policy-size", &missing)) != NULL) {
            if (validate_parse_size_limit(val, &o->fe.max_policy_size) != 0)
                return check_bad_usage("--max-policy-size needs a number or managed, user, group, role, "
                                       "off, not '%s'", val);
        } else if (missing) {
            return check_bad_usage("option %s needs a value", a);
        } else {
            return check_bad_usage("unknown option '%s'", a);
        }
    }
    *first = i;
    if (i >= argc)
        return check_bad_usage("%s", "no policy file given");
    return CLI_OK;
}

/* Sets up the diagnostics engine for the run (text on stderr).  Output
 * formats (--format json|sarif) attach their sink here. */
static int check_setup(struct diag *d, const struct check_opts *o)
{
    diag_init(d, stderr);
    if (diag_set_color(d, o->color) != 0)
        return -1;
    d->max_errors = o->max_errors;
    d->warnings_as_errors = o->warnings_as_errors;
    return 0;
}

/* Checks on a policy that passed validation: the lint rules (lint.h),
 * reported as warnings through d. */
static void check_policy(struct diag *d, struct lint_session *ls, const struct ir_policy *p)
{
    lint_session_policy(ls, d, p);
}

int cli_check(int argc, char **argv)
{
    struct check_opts o = {"auto", DIAG_MAX_ERRORS_DEFAULT, 0, 0, {0}, LINT_FORMAT_TEXT};
    struct diag d;
    struct lint_session ls;
    int first = 1, i, st, status = CLI_OK, nstdin = 0;

    st = check_args(argc, argv, &o, &first);
    if (st != CLI_OK)
        return st < 0 ? CLI_OK : st;
    for (i = first; i < argc; i++)
        nstdin += strcmp(argv[i], "-") == 0;
    if (nstdin > 1)
        return check_bad_usage("%s", "'-' (standard input) may be given only once");
    if (check_setup(&d, &o) != 0)
        return CLI_USAGE;
    if (lint_session_start(&ls, &d, o.format) != 0)
        status = CLI_REFUSED;
    for (i = first; i < argc; i++) {
        struct arena a;
        struct ir_policy *p;
        unsigned errors0 = d.errors;
        arena_init(&a);
        st = frontend_load(&a, &d, argv[i], &o.fe, &p, NULL, NULL);
        if (p)
            check_policy(&d, &ls, p);
        if (st == FRONTEND_OK && d.errors != errors0)
            st = FRONTEND_REFUSED; /* the hook reported errors (or warnings as errors) */
        if (st == FRONTEND_OK && o.verbose && o.format == LINT_FORMAT_TEXT)
            printf("%s: ok (%zu statement%s)\n", cli_display_name(argv[i]), p->nstmts,
                   p->nstmts == 1 ? "" : "s");
        if (st > status)
            status = st;
        arena_free(&a);
    }
    if (lint_session_finish(&ls, stdout, cli_version()) != 0 && status < CLI_IO)
        status = CLI_IO;
    diag_fini(&d);
    return status;
}
