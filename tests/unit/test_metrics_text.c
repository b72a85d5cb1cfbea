/* test_metrics_text.c -- server/metrics/ without a socket: the Prometheus
 * text it writes (HELP and TYPE, samples with and without labels, a whole
 * histogram with cumulative buckets, _sum and _count), the histogram's
 * bucketing (common/histogram.h), and metrics_listen's parsing. */
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <string.h>

#include "histogram.h"
#include "metrics.h"

static const double BOUNDS[] = { 0.01, 0.1, 1 };

Test(histogram, counts_each_observation_in_its_bucket_and_cumulates)
{
    histogram h;
    histogram_init(&h, BOUNDS, 3);
    histogram_observe(&h, 0.005); /* <= 0.01 */
    histogram_observe(&h, 0.01);  /* on the bound: <= 0.01 */
    histogram_observe(&h, 0.5);   /* <= 1 */
    histogram_observe(&h, 7);     /* +Inf */
    cr_assert_eq(h.count, 4);
    cr_assert_float_eq(h.sum, 7.515, 1e-9);
    cr_assert_eq(histogram_cumulative(&h, 0), 2);
    cr_assert_eq(histogram_cumulative(&h, 1), 2);
    cr_assert_eq(histogram_cumulative(&h, 2), 3);
    cr_assert_eq(histogram_cumulative(&h, 3), 4, "the +Inf bucket holds every observation");
}

Test(histogram, ignores_bounds_beyond_its_room)
{
    static const double many[HISTOGRAM_MAX_BOUNDS + 5] = { 0 };
    histogram h;
    histogram_init(&h, many, HISTOGRAM_MAX_BOUNDS + 5);
    cr_assert_eq(h.n_bounds, HISTOGRAM_MAX_BOUNDS);
    histogram_observe(&h, 1);
    cr_assert_eq(h.counts[HISTOGRAM_MAX_BOUNDS], 1);
}

Test(metrics_text, writes_families_samples_and_histograms)
{
    metrics_text *t = metrics_text_new();
    cr_assert_not_null(t);
    metrics_text_family(t, "junheng_x_total", "counter", "Things.");
    metrics_text_u64(t, "junheng_x_total", "outcome=\"accepted\"", 18446744073709551615ULL);
    metrics_text_u64(t, "junheng_x_total", NULL, 0);
    metrics_text_double(t, "junheng_up_seconds", "", 1.5);
    histogram h;
    histogram_init(&h, BOUNDS, 3);
    histogram_observe(&h, 0.05);
    histogram_observe(&h, 2);
    metrics_text_histogram(t, "junheng_h_seconds", "Times.", &h);
    size_t len;
    bool oom;
    const char *text = metrics_text_data(t, &len, &oom);
    cr_assert_not(oom);
    cr_assert_eq(strlen(text), len);
    cr_assert_str_eq(text, "# HELP junheng_x_total Things.\n"
                           "# TYPE junheng_x_total counter\n"
                           "junheng_x_total{outcome=\"accepted\"} 18446744073709551615\n"
                           "junheng_x_total 0\n"
                           "junheng_up_seconds 1.5\n"
                           "# HELP junheng_h_seconds Times.\n"
                           "# TYPE junheng_h_seconds histogram\n"
                           "junheng_h_seconds_bucket{le=\"0.01\"} 0\n"
                           "junheng_h_seconds_bucket{le=\"0.1\"} 1\n"
                           "junheng_h_seconds_bucket{le=\"1\"} 1\n"
                           "junheng_h_seconds_bucket{le=\"+Inf\"} 2\n"
                           "junheng_h_seconds_sum 2.05\n"
                           "junheng_h_seconds_count 2\n");
    metrics_text_destroy(&t);
    cr_assert_null(t);
}

Test(metrics_text, grows_past_its_first_buffer)
{
    metrics_text *t = metrics_text_new();
    for (int i = 0; i < 2000; i++)
        metrics_text_u64(t, "junheng_a_rather_long_metric_name_total", "socket=\"submit\",role=\"school\"", 1);
    size_t len;
    bool oom;
    metrics_text_data(t, &len, &oom);
    cr_assert_not(oom);
    cr_assert_eq(len, 2000 * strlen("junheng_a_rather_long_metric_name_total{socket=\"submit\",role=\"school\"} 1\n"));
    metrics_text_destroy(&t);
}

Test(metrics_listen, takes_numeric_addresses_with_a_port)
{
    struct sockaddr_storage a;
    char err[256];
    cr_assert_eq(metrics_parse_listen("127.0.0.1:9464", &a, err, sizeof err), 0, "%s", err);
    cr_assert_eq(a.ss_family, AF_INET);
    cr_assert_eq(ntohs(((struct sockaddr_in *)&a)->sin_port), 9464);
    cr_assert_eq(metrics_parse_listen("[::1]:9464", &a, err, sizeof err), 0, "%s", err);
    cr_assert_eq(a.ss_family, AF_INET6);
    cr_assert_eq(metrics_parse_listen("0.0.0.0:1", &a, err, sizeof err), 0, "an explicit address is the admin's");
    const char *bad[] = { "", "9464", ":9464", "localhost:9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0",
                          "127.0.0.1:65536", "127.0.0.1:94x", "::1:9464", "[::1:9464", "[]:9464" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        cr_assert_eq(metrics_parse_listen(bad[i], &a, err, sizeof err), -1, "'%s' taken", bad[i]);
        cr_assert(strstr(err, "metrics_listen") != NULL, "the error names the key: %s", err);
    }
}
