/* test_cell_text.c -- the shared cell helpers: quoting a cell cut at a
 * UTF-8 boundary, and the plain-decimal syntax both readers accept. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cell_text.h"

Test(cell_text_shown, short_text_is_copied_whole)
{
    char b[64];
    cr_assert_eq(cell_text_shown("abc", b, sizeof b), b);
    cr_assert_str_eq(b, "abc");
    cr_assert_str_eq(cell_text_shown("", b, sizeof b), "");
    /* exactly 40 bytes: not cut */
    const char *forty = "0123456789012345678901234567890123456789";
    cr_assert_str_eq(cell_text_shown(forty, b, sizeof b), forty);
}

Test(cell_text_shown, long_text_is_cut_to_40_bytes)
{
    char b[64];
    cell_text_shown("01234567890123456789012345678901234567890123456789", b, sizeof b);
    cr_assert_str_eq(b, "0123456789012345678901234567890123456789...");
}

Test(cell_text_shown, cut_never_splits_a_character)
{
    char b[64];
    /* 39 ASCII bytes then a 3-byte character straddling byte 40: it goes whole */
    char s[64];
    snprintf(s, sizeof s, "%s%s%s", "012345678901234567890123456789012345678", "\xE4\xB8\xAD", "xyz");
    cell_text_shown(s, b, sizeof b);
    cr_assert_str_eq(b, "012345678901234567890123456789012345678...");
    /* 14 three-byte characters (42 bytes): 13 of them (39 bytes) are kept */
    char cjk[64] = "";
    for (int k = 0; k < 14; k++)
        strcat(cjk, "\xE4\xB8\xAD");
    cell_text_shown(cjk, b, sizeof b);
    cr_assert_eq(strlen(b), 39 + 3);
    cr_assert_eq(strncmp(b, cjk, 39), 0);
    cr_assert_str_eq(b + 39, "...");
}

Test(cell_text_shown, small_buffer_keeps_room_for_the_dots)
{
    char b[12];
    cell_text_shown("abcdefghijklmnop", b, sizeof b);
    cr_assert_str_eq(b, "abcdefgh...");
}

Test(cell_text_is_decimal, accepts_plain_decimals)
{
    const char *ok[] = { "0", "12", "+3", "-4", "1.5", ".5", "5.", "-.25", "1e3", "1E-3", "2.5e+10", "007" };
    for (size_t k = 0; k < sizeof ok / sizeof *ok; k++)
        cr_assert(cell_text_is_decimal(ok[k]), "%s", ok[k]);
}

Test(cell_text_is_decimal, refuses_everything_else)
{
    const char *bad[] = { "", "+", "-", ".", "e5", "1e", "1e+", "1,000", "1.2.3", " 1", "1 ", "inf", "nan",
                          "0x10", "1%", "abc", "1.5x" };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        cr_assert(!cell_text_is_decimal(bad[k]), "%s", bad[k]);
}
