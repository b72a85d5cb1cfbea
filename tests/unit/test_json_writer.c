/* test_json_writer.c -- the direct JSON writer and the shortest real text:
 * the fast real path gives exactly the printf/strtod loop's text (random
 * bits, decimals, powers of two and ten and their neighbours), every text
 * reads back to its double, strings are escaped as jansson escapes them, and
 * a document matches json_dumps() of the same tree. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"
#include "real_format.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

/* xorshift64: deterministic test data. */
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Checks one double: fast text == slow text, and it reads back. */
static void check_real(double x)
{
    char fast[REAL_FORMAT_MAX], slow[REAL_FORMAT_MAX];
    size_t nf = real_format_shortest(x, fast);
    size_t ns = real_format_shortest_slow(x, slow);
    cr_assert_str_eq(fast, slow, "%.17g: fast %s, slow %s", x, fast, slow);
    cr_assert_eq(nf, ns);
    cr_assert_eq(nf, strlen(fast));
    cr_assert(strpbrk(fast, ".e") != NULL, "%s is not a real", fast);
    cr_assert(strtod(fast, NULL) == x, "%s does not read back as %.17g", fast, x);
}

Test(real_format, known_texts)
{
    const struct {
        double x;
        const char *text;
    } cases[] = {
        { 4.2, "4.2" },          { 1137.0, "1137.0" },   { 0.1 + 0.2, "0.30000000000000004" },
        { 100.0, "1e+02" },      { 0.0, "0.0" },         { -0.0, "-0.0" },
        { 1e-7, "1e-07" },       { 0.0001, "0.0001" },   { 5.61, "5.61" },
        { -2.5, "-2.5" },        { 1.0 / 3, "0.3333333333333333" },
        { 123456789012.5, "123456789012.5" },            { 9007199254740991.0, "9007199254740991.0" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[REAL_FORMAT_MAX];
        real_format_shortest(cases[i].x, buf);
        cr_expect_str_eq(buf, cases[i].text);
        check_real(cases[i].x);
    }
    char buf[REAL_FORMAT_MAX];
    real_format_shortest(NAN, buf);
    cr_assert_str_eq(buf, "null");
    real_format_shortest(-INFINITY, buf);
    cr_assert_str_eq(buf, "null");
}

Test(real_format, powers_of_two_and_ten_and_neighbours)
{
    for (int e = -40; e <= 60; e++) {
        double x = ldexp(1.0, e);
        check_real(x);
        check_real(nextafter(x, 0));
        check_real(nextafter(x, INFINITY));
        check_real(-x);
        check_real(3 * x);
    }
    for (int e = -8; e <= 18; e++) {
        double x = pow(10.0, e);
        check_real(x);
        check_real(nextafter(x, 0));
        check_real(nextafter(x, INFINITY));
        check_real(x * 9.5);
        check_real(x * 0.95);
        check_real(9.999999999999999 * x);
    }
}

Test(real_format, random_doubles_match_printf)
{
    for (long i = 0; i < 400000; i++) {
        uint64_t r = next();
        double x;
        switch (i % 5) {
        case 0: /* any bit pattern */
            memcpy(&x, &r, sizeof x);
            if (!isfinite(x))
                continue;
            break;
        case 1: /* a ratio, like a value per student */
            x = (double)(r % 100000000) / (double)(1 + (r >> 40) % 5000);
            break;
        case 2: /* a short decimal */
            x = (double)(r % 10000000) / pow(10.0, (double)((r >> 32) % 9));
            break;
        case 3: /* any magnitude of the fast path and around it */
            x = ldexp((double)(r >> 11), (int)((r >> 3) % 120) - 125);
            break;
        default: /* whole numbers and halves */
            x = (double)(r % 100000000) / 2.0;
        }
        check_real(x);
    }
}

/* The same string through the writer and through jansson. */
static void check_string(const char *s)
{
    json_writer w;
    json_writer_init(&w);
    json_writer_string(&w, s);
    char *mine = json_writer_take(&w);
    cr_assert_not_null(mine);
    json_t *j = json_string(s);
    cr_assert_not_null(j);
    char *theirs = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
    cr_assert_str_eq(mine, theirs);
    free(theirs);
    json_decref(j);
    free(mine);
}

Test(json_writer, strings_escaped_as_jansson_does)
{
    char s[4] = "a?b";
    for (int c = 1; c < 128; c++) {
        s[1] = (char)c;
        check_string(s);
    }
    check_string("德城区第一实验小学");
    check_string("tab\there \"quoted\" back\\slash /slash");
    check_string("");
}

Test(json_writer, invalid_utf8_becomes_question_marks)
{
    json_writer w;
    json_writer_init(&w);
    json_writer_string(&w, "\xe5\xbe\xb7\xe5\x9f"); /* 德 then a cut character */
    char *t = json_writer_take(&w);
    cr_assert_str_eq(t, "\"?????\"");
    free(t);
}

Test(json_writer, utf8_check_agrees_with_jansson)
{
    char s[8];
    for (long i = 0; i < 200000; i++) {
        uint64_t r = next();
        int n = 1 + (int)(r % 6);
        for (int k = 0; k < n; k++) {
            unsigned char b = (unsigned char)(r >> (8 * (k + 1)));
            s[k] = (char)(b ? b : 0x80);
        }
        s[n] = '\0';
        json_t *j = json_string(s);
        cr_assert_eq(json_writer_utf8_valid(s), j != NULL, "bytes %02x %02x %02x", (unsigned char)s[0],
                     (unsigned char)s[1], (unsigned char)s[2]);
        json_decref(j);
    }
}

Test(json_writer, document_matches_json_dumps)
{
    json_writer w;
    json_writer_init(&w);
    json_writer_object_begin(&w);
    json_writer_key(&w, "a");
    json_writer_int(&w, INT64_MIN);
    json_writer_key(&w, "b");
    json_writer_array_begin(&w);
    json_writer_bool(&w, true);
    json_writer_null(&w);
    json_writer_string(&w, NULL);
    json_writer_int(&w, 0);
    json_writer_object_begin(&w);
    json_writer_object_end(&w);
    json_writer_array_begin(&w);
    json_writer_array_end(&w);
    json_writer_string(&w, "县");
    json_writer_array_end(&w);
    json_writer_key(&w, "c");
    json_writer_bool(&w, false);
    json_writer_key(&w, "d");
    json_writer_raw(&w, "[1,2]", 5);
    json_writer_key(&w, "e");
    json_writer_int(&w, 9007199254740993);
    json_writer_object_end(&w);
    char *mine = json_writer_take(&w);
    cr_assert_not_null(mine);

    json_t *o = json_pack("{s:I, s:[b,n,n,i,{},[],s], s:b, s:[i,i], s:I}", "a", (json_int_t)INT64_MIN, "b", 1, 0,
                          "县", "c", 0, "d", 1, 2, "e", (json_int_t)9007199254740993);
    cr_assert_not_null(o);
    char *theirs = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    cr_assert_str_eq(mine, theirs);
    free(theirs);
    json_decref(o);
    free(mine);
}

Test(json_writer, take_empties_the_writer)
{
    json_writer w;
    json_writer_init(&w);
    json_writer_real(&w, 4.2);
    char *t = json_writer_take(&w);
    cr_assert_str_eq(t, "4.2");
    free(t);
    cr_assert_null(w.buf);
    cr_assert_eq(w.len, 0);
    json_writer_real(&w, NAN);
    t = json_writer_take(&w);
    cr_assert_str_eq(t, "null");
    free(t);
}
