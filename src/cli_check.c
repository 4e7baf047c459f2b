/* cli_check.c - `pdtc check`: placeholder until the front end lands. */
#include "cli.h"

#include <stdio.h>

int cli_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("pdtc: error: check is not implemented yet\n", stderr);
    return CLI_REFUSED;
}
