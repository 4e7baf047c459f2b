/* cli.c - pdtc's main(): dispatches to the subcommands and handles the
 * global options (--help, --version).  Each subcommand parses its own
 * arguments (see cli.h for the exit statuses). */
#include "cli.h"

#include "catalog.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifndef PDT_VERSION
#define PDT_VERSION "0.0.0"
#endif

struct cli_cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct cli_cmd cli_cmds[] = {
    {"check", cli_check, "parse and validate policy files, report diagnostics"},
    {"compile", cli_compile, "compile policy files into a decision table (atomic write)"},
    {"eval", cli_eval, "decide requests against a table or policy files, one JSON line each"},
    {"dump", cli_dump, "list a compiled table: sections, statements, hash load, automata"},
    {"test", cli_test, "check expected decisions (EXPECT.jsonl) against a table or policy files"},
    {"explain", cli_explain, "decide one request and say why each statement did or did not apply"},
    {"expand", cli_expand, "list the catalog actions each action pattern covers, by access level"},
    /* further commands are added here as they land */
};

static void cli_usage(FILE *out)
{
    size_t i;
    fputs("usage: pdtc COMMAND [OPTIONS] [ARGS]\n\ncommands:\n", out);
    for (i = 0; i < sizeof cli_cmds / sizeof cli_cmds[0]; i++)
        fprintf(out, "  %-10s %s\n", cli_cmds[i].name, cli_cmds[i].summary);
    fputs("\n`pdtc COMMAND --help` describes a command.  Exit status: 0 success, 1 input refused\n"
          "or check failed, 2 usage error, 3 file could not be read or written.\n", out);
}

const char *cli_version(void)
{
    return PDT_VERSION;
}

int cli_stdout_done(const char *cmd, int st)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "pdtc %s: error: writing the output: %s\n", cmd, strerror(errno));
        return CLI_IO;
    }
    return st;
}

/* Standard output is where eval/test/--format json|sarif results go: a
 * result that could not be written (disk full, closed pipe) must not exit 0.
 * Returns the status to exit with: st, or CLI_IO after a write error. */
static int cli_finish(int st)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (st != CLI_IO)  /* commands that saw the failure have said so already */
            fputs("pdtc: error: cannot write standard output\n", stderr);
        return st > CLI_IO ? st : CLI_IO;
    }
    return st;
}

static int cli_dispatch(int argc, char **argv)
{
    size_t i;
    if (argc < 2) {
        cli_usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0 ||
        strcmp(argv[1], "--version") == 0) {
        if (argc > 2) {
            fprintf(stderr, "pdtc: error: %s takes no arguments\n", argv[1]);
            return CLI_USAGE;
        }
        if (strcmp(argv[1], "--version") == 0) {
            char cat[256];
            catalog_embedded_version(cat, sizeof cat);
            printf("pdtc %s\nIAM action catalog: %s\n", cli_version(), cat);
        } else {
            cli_usage(stdout);
        }
        return CLI_OK;
    }
    for (i = 0; i < sizeof cli_cmds / sizeof cli_cmds[0]; i++)
        if (strcmp(argv[1], cli_cmds[i].name) == 0)
            return cli_cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "pdtc: error: unknown command '%s'\n", argv[1]);
    cli_usage(stderr);
    return CLI_USAGE;
}

int main(int argc, char **argv)
{
    return cli_finish(cli_dispatch(argc, argv));
}
