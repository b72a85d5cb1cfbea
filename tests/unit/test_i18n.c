/* test_i18n.c -- the same refusals and warnings formatted for a reader of
 * English and of Chinese (gettext, po/zh_CN.po through the build tree's
 * catalogue): an amount in 万元, full-width digits, a negative count, a
 * daemon-side refusal; each language reads alone, field ids unchanged; and
 * the per-request language switch the daemon uses (i18n_use/i18n_restore). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "i18n_init.h"
#include "submission_csv.h"
#include "validate.h"

static void setup(void)
{
    cr_assert_eq(i18n_bind(JUNHENG_TEST_LOCALEDIR), 0);
}

TestSuite(i18n, .init = setup);

/* The reason of the problem naming field in l ("" when none). */
static const char *reason_of(const problem_list *l, const char *field)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].field, field) == 0)
            return l->items[i].reason;
    return "";
}

/* Reads a one-row submission file in language lang ("en" or "zh_CN");
 * returns it (caller destroys). */
static submission_file *read_in(const char *lang, const char *text)
{
    locale_t prev = i18n_use(lang);
    cr_assert_neq(prev, (locale_t)0, "the %s locale (deploy/install-deps.sh generates zh_CN.UTF-8)", lang);
    submission_file *f = NULL;
    problem_list fe = { 0 };
    cr_assert_eq(submission_file_read(text, strlen(text), &f, &fe), 0);
    problem_list_clear(&fe);
    i18n_restore(prev);
    return f;
}

Test(i18n, amount_in_wan_refused_in_each_language)
{
    const char *text = "school_code,period,equipment_value_yuan\n3714240001,2025,222.39万\n";
    submission_file *en = read_in("en", text), *zh = read_in("zh_CN", text);
    cr_assert_str_eq(reason_of(&en->rows[0].errors, "equipment_value_yuan"),
                     "'222.39万' is in 万 (ten thousand): this column is in yuan, so write 2223900");
    cr_assert_str_eq(reason_of(&zh->rows[0].errors, "equipment_value_yuan"),
                     "“222.39万”以万为单位；本列以元填写，应为 2223900");
    submission_file_destroy(&en);
    submission_file_destroy(&zh);
}

Test(i18n, full_width_digits_warned_in_each_language)
{
    const char *text = "school_code,period,primary_students\n3714240001,2025,１０４２\n";
    submission_file *en = read_in("en", text), *zh = read_in("zh_CN", text);
    cr_assert_eq(en->rows[0].sub.stage[0].students, 1042);
    cr_assert_eq(zh->rows[0].sub.stage[0].students, 1042);
    cr_assert_str_eq(reason_of(&en->rows[0].warnings, "primary_students"),
                     "full-width digits '１０４２' read as '1042'");
    cr_assert_str_eq(reason_of(&zh->rows[0].warnings, "primary_students"), "全角数字“１０４２”已按“1042”读取");
    submission_file_destroy(&en);
    submission_file_destroy(&zh);
}

Test(i18n, negative_count_refused_in_each_language)
{
    submission sub;
    memset(&sub, 0, sizeof sub);
    snprintf(sub.school_code, sizeof sub.school_code, "3714240001");
    sub.period = 2025;
    sub.stage[0].present = true;
    sub.stage[0].students = -3;
    validate_limits limits;
    validate_limits_for_year(&limits, 2026);
    const char *const langs[] = { "en", "zh_CN" };
    const char *const want[] = { "-3 is negative", "-3 是负数，不能为负" };
    for (int k = 0; k < 2; k++) {
        problem_list e = { 0 }, w = { 0 };
        locale_t prev = i18n_use(langs[k]);
        validate_submission(&sub, NULL, NULL, &limits, &e, &w);
        i18n_restore(prev);
        cr_assert_str_eq(reason_of(&e, "primary_students"), want[k]);
        problem_list_clear(&e);
        problem_list_clear(&w);
    }
}

Test(i18n, the_switch_is_per_call_and_restored)
{
    /* the process's own language here is C (English); a request's
     * language holds only between i18n_use and i18n_restore */
    cr_assert_str_eq(_("retry later"), "retry later");
    locale_t prev = i18n_use("zh_CN");
    cr_assert_str_eq(_("retry later"), "稍后重试");
    cr_assert_str_eq(_("period %d is closed"), "%d学年的填报已截止");
    locale_t inner = i18n_use("en");
    cr_assert_str_eq(_("retry later"), "retry later");
    i18n_restore(inner);
    cr_assert_str_eq(_("retry later"), "稍后重试");
    i18n_restore(prev);
    cr_assert_str_eq(_("retry later"), "retry later");
    cr_assert_eq(i18n_use(NULL), (locale_t)0, "no language asked: nothing changes");
    cr_assert_eq(i18n_use(""), (locale_t)0);
}

Test(i18n, language_named_from_the_environment)
{
    setenv("LANGUAGE", "", 1);
    setlocale(LC_MESSAGES, "C.UTF-8");
    cr_assert_str_eq(i18n_language(), "en");
    setenv("LANGUAGE", "zh_CN", 1);
    cr_assert_str_eq(i18n_language(), "zh_CN", "LANGUAGE counts under C.UTF-8 (gettext reads it)");
    setlocale(LC_MESSAGES, "C");
    cr_assert_str_eq(i18n_language(), "en", "under plain C gettext ignores LANGUAGE");
    setenv("LANGUAGE", "", 1);
    cr_assert_not_null(setlocale(LC_MESSAGES, "zh_CN.UTF-8"), "the zh_CN.UTF-8 locale (deploy/install-deps.sh)");
    cr_assert_str_eq(i18n_language(), "zh_CN");
}
