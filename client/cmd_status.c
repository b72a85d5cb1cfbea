/* cmd_status.c -- `junheng status`: county status pages (county status issue). */
#include <stdio.h>

#include "client.h"

int cmd_status(client_options *opts, int argc, char **argv)
{
    (void)opts;
    (void)argc;
    (void)argv;
    fprintf(stderr, "junheng status: county status is not available in this version yet\n");
    return EXIT_USAGE;
}
