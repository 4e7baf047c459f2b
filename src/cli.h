/* cli.h - the pdtc subcommands and what they share: exit statuses, file
 * reading, colour/format options.  Each subcommand lives in its own file
 * (cli_check.c, cli_compile.c, ...) and is dispatched from cli.c. */
#ifndef PDT_CLI_H
#define PDT_CLI_H

#include <stddef.h>

/* Exit statuses, the same for every command (docs/cli.md). */
enum cli_status {
    CLI_OK = 0,       /* success (for eval: whatever the decisions) */
    CLI_REFUSED = 1,  /* an input was refused or a check failed */
    CLI_USAGE = 2,    /* usage error */
    CLI_IO = 3        /* a file could not be read or written */
};

/* Every subcommand: argv[0] is the subcommand name; returns an enum cli_status. */
int cli_check(int argc, char **argv);
int cli_compile(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_dump(int argc, char **argv);
int cli_test(int argc, char **argv);
int cli_explain(int argc, char **argv);
int cli_expand(int argc, char **argv);

/* Reads a whole file ("-" = standard input) into a malloc'd buffer with a
 * terminating NUL (not counted in *len).  Returns 0, or -1 with errno set. */
int cli_read_file(const char *path, char **buf, size_t *len);

/* Flushes standard output after command cmd wrote its results there:
 * returns st, or CLI_IO after reporting a write error (disk full, closed
 * pipe) with the reason, so a result that was not written never exits 0. */
int cli_stdout_done(const char *cmd, int st);

/* Display name for a path in diagnostics ("-" -> "<stdin>"). */
const char *cli_display_name(const char *path);

/* Version strings. */
const char *cli_version(void);

#endif
