/* test_rules_config.c -- the rules file: defaults, the shipped national
 * file, errors naming the key, and the §1 equality tolerance. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "rules_config.h"
#include "rules_file.h"

#define NATIONAL JUNHENG_RULES_DIR "/national-2017.conf"

Test(rules_config, defaults_are_the_national_values)
{
    rules_config r;
    rules_config_default(&r);
    cr_assert_str_eq(r.version, "national-2017");
    cr_assert_eq(r.standard[IND_QUALIFIED_TEACHERS][STAGE_PRIMARY], 4.2);
    cr_assert_eq(r.standard[IND_SPORTS_AREA][STAGE_JUNIOR], 10.2);
    cr_assert_eq(r.standard[IND_EQUIPMENT_VALUE][STAGE_JUNIOR], 2500.0);
    cr_assert_eq(r.cv_limit[STAGE_PRIMARY], 0.50);
    cr_assert_eq(r.cv_limit[STAGE_JUNIOR], 0.45);
    cr_assert_eq(r.min_met, 6);
    cr_assert_eq(r.floor_ratio, 0.85);
    cr_assert_eq(r.teaching_point_min_students, 50);
    cr_assert_eq(r.weight[WEIGHT_PRIMARY], 1.0);
    cr_assert_eq(r.weight[WEIGHT_JUNIOR], 1.1);
    cr_assert_eq(r.weight[WEIGHT_SENIOR], 1.32);
    cr_assert_eq(r.music_room_min_area_m2, 96.0);
    cr_assert_eq(r.art_room_min_area_m2, 90.0);
    cr_assert_eq(r.classes_per_room, 12);
    cr_assert_eq(r.class_size_max[STAGE_PRIMARY], 45);
    cr_assert_eq(r.class_size_max[STAGE_JUNIOR], 50);
    cr_assert_eq(r.school_scale_max_single, 2000);
    cr_assert_eq(r.school_scale_max_through, 2500);
    cr_assert_eq(r.exchange_min_ratio, 0.10);
    cr_assert_eq(r.exchange_backbone_min_ratio, 0.20);
    cr_assert_eq(r.nearby_min_ratio[STAGE_PRIMARY], 1.0);
    cr_assert_eq(r.nearby_min_ratio[STAGE_JUNIOR], 0.95);
    cr_assert_eq(r.training_budget_min_ratio, 0.05);
    cr_assert_eq(r.equality_tolerance, 1e-9);
}

Test(rules_config, shipped_national_file_equals_defaults)
{
    rules_config def, file;
    rules_config_default(&def);
    memset(&file, 0xAB, sizeof file);
    char err[256];
    int rc = rules_config_load(&file, NATIONAL, err, sizeof err);
    cr_assert_eq(rc, RULES_OK, "%s", err);
    cr_assert_str_eq(file.version, def.version);
    for (int i = 0; i < IND_COUNT; i++)
        for (int s = 0; s < STAGE_COUNT; s++)
            cr_assert_eq(file.standard[i][s], def.standard[i][s], "%s.%s", INDICATORS[i].key, STAGE_KEYS[s]);
    /* Every field, byte for byte (both start from the same memset defaults). */
    cr_assert_eq(memcmp(&file, &def, sizeof def), 0);
}

Test(rules_config, partial_override_keeps_the_rest)
{
    rules_config r;
    char err[256];
    const char *text = "# a province\n"
                       "version shandong-2024   # trailing comment\n"
                       "\n"
                       "   standard.sports_area.primary   8.0\n"
                       "min_met 7\n";
    cr_assert_eq(rules_config_parse(&r, text, err, sizeof err), RULES_OK, "%s", err);
    cr_assert_str_eq(r.version, "shandong-2024");
    cr_assert_eq(r.standard[IND_SPORTS_AREA][STAGE_PRIMARY], 8.0);
    cr_assert_eq(r.standard[IND_SPORTS_AREA][STAGE_JUNIOR], 10.2);
    cr_assert_eq(r.min_met, 7);
    cr_assert_eq(r.floor_ratio, 0.85);
}

Test(rules_config, unknown_key_is_an_error_naming_it)
{
    rules_config r;
    rules_config_default(&r);
    r.min_met = 3;   /* must stay untouched on failure */
    char err[256];
    int rc = rules_config_parse(&r, "version x\nstandard.sport_area.primary 7.5\n", err, sizeof err);
    cr_assert_eq(rc, RULES_EKEY);
    cr_assert(strstr(err, "standard.sport_area.primary") != NULL, "%s", err);
    cr_assert(strstr(err, "line 2") != NULL, "%s", err);
    cr_assert_eq(r.min_met, 3);
}

Test(rules_config, repeated_key_is_an_error)
{
    rules_config r;
    char err[256];
    int rc = rules_config_parse(&r, "version x\nmin_met 6\nmin_met 5\n", err, sizeof err);
    cr_assert_eq(rc, RULES_EKEY);
    cr_assert(strstr(err, "min_met") != NULL, "%s", err);
    cr_assert(strstr(err, "line 3") != NULL && strstr(err, "line 2") != NULL, "both lines named: %s", err);
}

Test(rules_config, trailing_comment_and_quoted_value)
{
    rules_config r;
    char err[256];
    cr_assert_eq(rules_config_parse(&r, "version \"x\"  # the name\nmin_met 5 # lower\n", err, sizeof err), RULES_OK,
                 "%s", err);
    cr_assert_str_eq(r.version, "x");
    cr_assert_eq(r.min_met, 5);
}

Test(rules_config, bad_values_are_errors)
{
    rules_config r;
    char err[256];
    cr_assert_eq(rules_config_parse(&r, "version x\nfloor_ratio abc\n", err, sizeof err), RULES_EVALUE);
    cr_assert(strstr(err, "floor_ratio") != NULL);
    cr_assert_eq(rules_config_parse(&r, "version x\nfloor_ratio 1.5\n", err, sizeof err), RULES_EVALUE);
    cr_assert_eq(rules_config_parse(&r, "version x\nmin_met 6.5\n", err, sizeof err), RULES_EVALUE);
    cr_assert_eq(rules_config_parse(&r, "version x\nmin_met 8\n", err, sizeof err), RULES_EVALUE);
    cr_assert_eq(rules_config_parse(&r, "version x\nweight.junior -1\n", err, sizeof err), RULES_EVALUE);
    cr_assert_eq(rules_config_parse(&r, "version x\ncv_limit.primary\n", err, sizeof err), RULES_ESYNTAX);
    cr_assert_eq(rules_config_parse(&r, "version x\ncv_limit.primary 0.5 0.6\n", err, sizeof err), RULES_ESYNTAX);
    cr_assert_eq(rules_config_parse(&r, "version x\nstandard.sports_area.primary nan\n", err, sizeof err),
                 RULES_EVALUE);
}

Test(rules_config, version_is_required)
{
    rules_config r;
    char err[256];
    cr_assert_eq(rules_config_parse(&r, "min_met 6\n", err, sizeof err), RULES_EMISSING);
    cr_assert(strstr(err, "version") != NULL);
}

Test(rules_config, missing_file_is_eio)
{
    rules_config r;
    char err[256];
    cr_assert_eq(rules_config_load(&r, "/nonexistent/rules.conf", err, sizeof err), RULES_EIO);
    cr_assert(strstr(err, "/nonexistent/rules.conf") != NULL);
}

Test(rules_config, equality_tolerance)
{
    rules_config r;
    rules_config_default(&r);
    /* 21 teachers for 500 students: (21 × 100) / 500 is 4.2 per 100. */
    cr_assert(rules_at_least(&r, 21.0 * 100.0 / 500.0, 4.2));
    /* A value one rounding below the standard counts as equal ... */
    cr_assert(rules_at_least(&r, nextafter(4.2, 0), 4.2));
    cr_assert(rules_at_least(&r, 4.2 * (1 - 0.9e-9), 4.2));
    /* ... but not a real shortfall. */
    cr_assert(!rules_at_least(&r, 4.2 * (1 - 2e-9), 4.2));
    cr_assert(!rules_at_least(&r, 4.19, 4.2));
    cr_assert(rules_at_most(&r, 0.5 * (1 + 0.9e-9), 0.5));
    cr_assert(!rules_at_most(&r, 0.5 * (1 + 2e-9), 0.5));
    /* Ratios: 0.1 × 3 is 0.30000000000000004 in binary; 3 of 10 is 30 %. */
    cr_assert(rules_ratio_at_least(&r, 3, 10, 0.1 * 3));
    cr_assert(rules_ratio_at_least(&r, 0, 0, 0.95));   /* empty base: nothing required */
    cr_assert(!rules_ratio_at_least(&r, 94, 100, 0.95));
}
