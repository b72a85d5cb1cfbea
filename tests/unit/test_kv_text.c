/* test_kv_text.c -- the one `key value` reader of both config files. */
#include <criterion/criterion.h>
#include <string.h>

#include "kv_text.h"

Test(kv_text, keys_values_lines_and_comments)
{
    kv_list l;
    const char *text = "# a comment\n"
                       "\n"
                       "batch_max 512\n"
                       "  database   \"host=/tmp dbname=x\"  # quoted, spaces kept\n"
                       "allow_plaintext no # trailing comment\r\n"
                       "empty \"\"\n"
                       "bare\n"
                       "hashy \"a # b\"\n"
                       "last 1";
    cr_assert_eq(kv_text_parse(text, &l, NULL, 0, NULL), KV_OK);
    cr_assert_eq(l.n, 6 + 1);
    const struct {
        size_t line;
        const char *key, *value;
    } want[] = { { 3, "batch_max", "512" }, { 4, "database", "host=/tmp dbname=x" },
                 { 5, "allow_plaintext", "no" }, { 6, "empty", "" }, { 7, "bare", "" },
                 { 8, "hashy", "a # b" }, { 9, "last", "1" } };
    for (size_t i = 0; i < l.n; i++) {
        cr_assert_eq(l.items[i].line, want[i].line, "entry %zu", i);
        cr_assert_str_eq(l.items[i].key, want[i].key);
        cr_assert_str_eq(l.items[i].value, want[i].value);
    }
    kv_list_free(&l);
    cr_assert_eq(l.n, 0);
}

Test(kv_text, value_with_inner_blanks_is_kept_whole)
{
    kv_list l;
    cr_assert_eq(kv_text_parse("cv_limit.primary 0.5 0.6   \n", &l, NULL, 0, NULL), KV_OK);
    cr_assert_str_eq(l.items[0].value, "0.5 0.6");
    kv_list_free(&l);
}

Test(kv_text, repeated_key_names_both_lines)
{
    kv_list l;
    char err[128];
    size_t line = 0;
    cr_assert_eq(kv_text_parse("a 1\nb 2\n\na 3\n", &l, err, sizeof err, &line), KV_EREPEAT);
    cr_assert_eq(line, 4);
    cr_assert(strstr(err, "key a given twice (first on line 1)") != NULL, "%s", err);
    kv_list_free(&l);
}

Test(kv_text, quoting_errors)
{
    kv_list l;
    char err[128];
    size_t line = 0;
    cr_assert_eq(kv_text_parse("a 1\nb \"open\n", &l, err, sizeof err, &line), KV_ESYNTAX);
    cr_assert_eq(line, 2);
    cr_assert(strstr(err, "unterminated") != NULL, "%s", err);
    kv_list_free(&l);
    cr_assert_eq(kv_text_parse("b \"x\" y\n", &l, err, sizeof err, &line), KV_ESYNTAX);
    cr_assert_eq(line, 1);
    cr_assert(strstr(err, "after the closing quote") != NULL, "%s", err);
    kv_list_free(&l);
    cr_assert_eq(kv_text_parse("b \"x\"   # fine\n", &l, err, sizeof err, &line), KV_OK);
    cr_assert_str_eq(l.items[0].value, "x");
    kv_list_free(&l);
}

Test(kv_text, empty_and_null_text)
{
    kv_list l;
    cr_assert_eq(kv_text_parse("", &l, NULL, 0, NULL), KV_OK);
    cr_assert_eq(l.n, 0);
    kv_list_free(&l);
    cr_assert_eq(kv_text_parse(NULL, &l, NULL, 0, NULL), KV_OK);
    cr_assert_eq(l.n, 0);
    kv_list_free(&l);
}
