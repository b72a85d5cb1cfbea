/* main.c -- junhengd entry point (being built; see issue 2). */
#include <stdio.h>
int main(void) { fputs("junhengd: not built yet\n", stderr); return 1; }
