/* main.c -- junheng entry point (being built; see issue 2). */
#include <stdio.h>
int main(void) { fputs("junheng: not built yet\n", stderr); return 1; }
