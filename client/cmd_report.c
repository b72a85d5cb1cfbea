/* cmd_report.c -- `junheng report` (being written). */
#include <stdio.h>

#include "client.h"

int cmd_report(client_options *opts, int argc, char **argv)
{
    (void)opts;
    (void)argc;
    (void)argv;
    fprintf(stderr, "junheng report: not yet\n");
    return EXIT_USAGE;
}
