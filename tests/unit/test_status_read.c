/* test_status_read.c -- the client's one reader of county status JSON
 * (client/status_read.h), and its worst coefficient. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "status_read.h"

static const char *STATUS =
    "{\"county\":{\"code\":\"371402\",\"name\":\"德城区\",\"city_code\":\"371400\"},"
    "\"period\":\"2025\",\"seq\":7,\"epoch\":\"b4426b8e\",\"rules_version\":\"national-2017\","
    "\"computed_at\":\"2026-11-23T18:40:01Z\","
    "\"coverage\":{\"schools_registered\":3,\"schools_submitted\":2,\"missing\":[\"3714020003\",5]},"
    "\"stages\":{\"primary\":{\"applicable\":true,\"pass\":false,\"sections_assessed\":2,\"sections_passing\":1,"
    "\"students\":900,\"indicators\":["
    "{\"id\":\"teachers\",\"name_zh\":\"x\",\"mean\":4.5,\"standard\":4.2,\"cv\":0.31,\"cv_limit\":0.5,\"cv_ok\":true,"
    "\"sections_meeting\":2},"
    "{\"id\":\"sports_area\",\"mean\":6.1,\"standard\":7.5,\"cv\":0.612,\"cv_limit\":0.5,\"cv_ok\":false,"
    "\"sections_meeting\":1},"
    "{\"id\":\"equipment_value\",\"mean\":2000,\"standard\":2000,\"cv\":0.2,\"cv_limit\":0.5,\"cv_ok\":true,"
    "\"sections_meeting\":2}]},"
    "\"junior\":{\"applicable\":true,\"pass\":false,\"sections_assessed\":1,\"sections_passing\":0,\"students\":10,"
    "\"indicators\":["
    "{\"id\":\"teachers\",\"mean\":4.5,\"standard\":4.2,\"cv\":0.9,\"cv_limit\":0.45,\"cv_ok\":false},"
    "{\"id\":\"music_art_rooms\",\"mean\":0,\"standard\":1,\"cv\":null,\"cv_limit\":0.45,\"cv_ok\":false}]}},"
    "\"resource_allocation_pass\":false,"
    "\"sections\":[{\"school_code\":\"3714020001\",\"name\":\"一小\",\"stage\":\"primary\",\"excluded\":null,"
    "\"pass\":false,\"students\":500,\"met\":5,\"values\":{\"qualified_teachers\":4.4,\"sports_area\":6.1},"
    "\"shortfalls\":[{\"indicator\":\"sports_area\",\"value\":6.1,\"standard\":7.5,\"ratio\":0.813,\"needed\":700}]},"
    "{\"school_code\":\"3714020002\",\"name\":\"教学点\",\"stage\":\"primary\",\"excluded\":\"teaching point\","
    "\"pass\":false,\"students\":20,\"met\":0,\"shortfalls\":[]}],"
    "\"guarantee\":{\"boarding\":{\"pass\":true,\"complying\":1,\"applicable\":1,\"failing\":[]},"
    "\"class_size\":{\"pass\":false,\"complying\":1,\"applicable\":2,\"unit\":\"classes\","
    "\"failing\":[\"3714020001\"]}},"
    "\"awaiting_county_input\":[\"funding\"]}";

Test(status_read, county_fields)
{
    json_error_t e;
    json_t *o = json_loads(STATUS, 0, &e);
    cr_assert_not_null(o, "%s", e.text);
    status_county s;
    cr_assert_eq(status_county_read(&s, o), 0);
    json_decref(o); /* the struct keeps its own reference */
    cr_assert_str_eq(s.code, "371402");
    cr_assert_str_eq(s.name, "德城区");
    cr_assert_str_eq(s.city_code, "371400");
    cr_assert_str_eq(s.period, "2025");
    cr_assert_eq(s.period_number, 2025);
    cr_assert_eq(s.seq, 7);
    cr_assert_str_eq(s.epoch, "b4426b8e");
    cr_assert_eq(s.schools_submitted, 2);
    cr_assert_eq(s.schools_registered, 3);
    cr_assert_eq(s.n_missing, 2);
    cr_assert_str_eq(s.missing[0], "3714020003");
    cr_assert_null(s.missing[1], "a non-string entry reads as NULL");
    cr_assert_not(s.pass);
    const status_stage *p = &s.stage[STAGE_PRIMARY];
    cr_assert(p->applicable);
    cr_assert_eq(p->n_indicators, 3);
    cr_assert_eq(p->sections_assessed, 2);
    cr_assert_eq(p->students, 900);
    cr_assert_str_eq(p->indicators[1].id, "sports_area");
    cr_assert_str_eq(p->indicators[1].name_zh, "", "absent string reads as \"\"");
    cr_assert_float_eq(p->indicators[1].cv, 0.612, 1e-12);
    cr_assert_not(p->indicators[1].cv_ok);
    cr_assert_eq(s.n_sections, 2);
    cr_assert_null(s.sections[0].excluded);
    cr_assert_not(s.sections[0].excluded_present);
    cr_assert_str_eq(s.sections[1].excluded, "teaching point");
    cr_assert(s.sections[1].excluded_present);
    cr_assert_eq(s.sections[0].n_shortfalls, 1);
    cr_assert_float_eq(s.sections[0].shortfalls[0].needed, 700, 1e-12);
    cr_assert_float_eq(s.sections[0].values[IND_QUALIFIED_TEACHERS], 4.4, 1e-12);
    cr_assert_float_eq(s.sections[0].values[IND_SPORTS_AREA], 6.1, 1e-12);
    cr_assert(isnan(s.sections[0].values[IND_MULTIMEDIA_ROOMS]), "absent value is NAN");
    cr_assert_eq(s.n_guarantee, 2);
    cr_assert_str_eq(s.guarantee[0].key, "boarding", "object order kept");
    cr_assert_str_eq(s.guarantee[1].unit, "classes");
    cr_assert_eq(s.guarantee[1].n_failing, 1);
    cr_assert_eq(s.n_awaiting, 1);
    status_county_free(&s);
    cr_assert_null(s.doc);
}

Test(status_read, worst_coefficient)
{
    json_t *o = json_loads(STATUS, 0, NULL);
    status_county s;
    cr_assert_eq(status_county_read(&s, o), 0);
    json_decref(o);
    const status_indicator *w = s.stage[STAGE_PRIMARY].worst;
    cr_assert_not_null(w);
    cr_assert_str_eq(w->id, "sports_area", "the largest coefficient (0.612 of limit 0.50)");
    w = s.stage[STAGE_JUNIOR].worst;
    cr_assert_str_eq(w->id, "music_art_rooms", "an undefined coefficient counts as the worst");
    status_county_free(&s);
    /* no indicators: no worst */
    o = json_loads("{\"stages\":{\"primary\":{\"applicable\":false}}}", 0, NULL);
    cr_assert_eq(status_county_read(&s, o), 0);
    json_decref(o);
    cr_assert_null(s.stage[STAGE_PRIMARY].worst);
    cr_assert_str_eq(s.code, "");
    status_county_free(&s);
}

Test(status_read, snapshot_answer)
{
    char *text = malloc(strlen(STATUS) * 2 + 64);
    sprintf(text, "{\"prefix\":\"3714\",\"epoch\":\"e1\",\"counties\":[%s,%s]}", STATUS, STATUS);
    json_t *o = json_loads(text, 0, NULL);
    free(text);
    cr_assert_not_null(o);
    status_set set;
    cr_assert_eq(status_set_read(&set, o), 0);
    json_decref(o);
    cr_assert_str_eq(set.prefix, "3714");
    cr_assert_str_eq(set.epoch, "e1");
    cr_assert_eq(set.n_counties, 2);
    cr_assert_str_eq(set.counties[1].code, "371402");
    status_set_free(&set);
    o = json_loads("{\"counties\":[]}", 0, NULL);
    cr_assert_eq(status_set_read(&set, o), 0);
    json_decref(o);
    cr_assert_eq(set.n_counties, 0);
    cr_assert_str_eq(set.prefix, "");
    status_set_free(&set);
}
