/* test_admin_code.c -- the one parser of province / city / county codes. */
#include <criterion/criterion.h>

#include "admin_code.h"

Test(admin_code, kinds_and_normal_forms)
{
    const struct {
        const char *text;
        admin_kind kind;
        const char *code, *prefix;
    } cases[] = {
        { "37", ADMIN_PROVINCE, "370000", "37" },   { "370000", ADMIN_PROVINCE, "370000", "37" },
        { "3700", ADMIN_PROVINCE, "370000", "37" }, { "3714", ADMIN_CITY, "371400", "3714" },
        { "371400", ADMIN_CITY, "371400", "3714" }, { "371425", ADMIN_COUNTY, "371425", "371425" },
        { "110101", ADMIN_COUNTY, "110101", "110101" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        admin_code c;
        cr_assert_eq(admin_code_parse(cases[i].text, &c), 0, "%s", cases[i].text);
        cr_assert_eq(c.kind, cases[i].kind, "%s", cases[i].text);
        cr_assert_str_eq(c.code, cases[i].code);
        cr_assert_str_eq(c.prefix, cases[i].prefix);
    }
}

Test(admin_code, refused)
{
    const char *bad[] = { NULL, "", "3", "371", "37142", "3714250", "37a400", " 37", "all", "37140a" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        admin_code c;
        cr_assert_eq(admin_code_parse(bad[i], &c), -1, "'%s'", bad[i] ? bad[i] : "(null)");
        cr_assert_eq(c.kind, 0);
    }
}

Test(admin_code, within_and_has_county)
{
    admin_code prov, city, county, other_city;
    admin_code_parse("37", &prov);
    admin_code_parse("371400", &city);
    admin_code_parse("371425", &county);
    admin_code_parse("3715", &other_city);
    cr_assert(admin_code_within(&county, &city));
    cr_assert(admin_code_within(&county, &prov));
    cr_assert(admin_code_within(&city, &prov));
    cr_assert(admin_code_within(&city, &city));
    cr_assert_not(admin_code_within(&prov, &city), "a province is not within its city");
    cr_assert_not(admin_code_within(&county, &other_city));
    cr_assert(admin_code_has_county(&prov, "371425"));
    cr_assert(admin_code_has_county(&city, "371425"));
    cr_assert(admin_code_has_county(&county, "371425"));
    cr_assert_not(admin_code_has_county(&city, "371525"));
    cr_assert_not(admin_code_has_county(&prov, "371400"), "a city's code is not a county");
    cr_assert_not(admin_code_has_county(&prov, "3714"));
    cr_assert_not(admin_code_has_county(&prov, "37142x"));
    cr_assert_str_eq(admin_kind_name(ADMIN_CITY), "city");
}

#include "admin_names.h"

Test(admin_names, cities_and_provinces_by_code)
{
    const struct {
        const char *text, *name;
    } cases[] = {
        { "3714", "德州市" }, { "371400", "德州市" }, { "371425", "德州市" }, /* a county: its city */
        { "37", "山东省" },   { "3701", "济南市" },   { "3717", "菏泽市" },   { "11", "北京市" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        admin_code c;
        cr_assert_eq(admin_code_parse(cases[i].text, &c), 0);
        const char *name = admin_area_name(&c);
        cr_assert_not_null(name, "%s", cases[i].text);
        cr_assert_str_eq(name, cases[i].name, "%s", cases[i].text);
    }
    admin_code unknown;
    cr_assert_eq(admin_code_parse("3712", &unknown), 0); /* 莱芜市, merged into 济南市 in 2019 */
    cr_assert_null(admin_area_name(&unknown));
    cr_assert_eq(admin_code_parse("4401", &unknown), 0); /* a city outside the table */
    cr_assert_null(admin_area_name(&unknown));
    cr_assert_null(admin_area_name(NULL));
}
