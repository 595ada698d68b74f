/* SPDX-License-Identifier: Apache-2.0 */
/* Answers of Prometheus' /api/v1/query as the fleet view reads them: a vector with its labels
 * and values (NaN, infinities, numbers written as strings), and everything that is not one:
 * not JSON, cut short, empty, huge, Prometheus' own error, another result type. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet.h"

static int parse(const char *body, prom_vector_t *v, strbuf_t *why)
{
    strbuf_reset(why);
    return prom_reply_parse(body, strlen(body), v, why);
}

static void expect_error(const char *body, const char *words)
{
    prom_vector_t v;
    strbuf_t why = {0};
    assert_int_equal(parse(body, &v, &why), -1);
    if (!strstr(strbuf_str(&why), words))
        fail_msg("for %.60s: expected \"%s\" in \"%s\"", body, words, strbuf_str(&why));
    assert_int_equal(v.count, 0);
    assert_null(v.samples);
    strbuf_fini(&why);
}

static void reads_a_vector(void **state)
{
    (void)state;
    const char *body =
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        "{\"metric\":{\"__name__\":\"gpu_utilization_Percentage\",\"hostname\":\"a\","
        "\"index\":\"0\",\"instance\":\"127.0.0.1:9100\",\"job\":\"nvitop\"},"
        "\"value\":[1733520000.5,\"81\"]},"
        "{\"metric\":{\"index\":\"1\"},\"value\":[1733520000.5,\"NaN\"]},"
        "{\"metric\":{},\"value\":[1733520000.5,\"+Inf\"]},"
        "{\"metric\":{\"x\":\"y\"},\"value\":[1733520000.5,\"-1.5e3\"]}]},"
        "\"warnings\":[\"ignored\"]}";
    prom_vector_t v;
    strbuf_t why = {0};
    assert_int_equal(parse(body, &v, &why), 0);
    assert_int_equal(v.count, 4);
    assert_true(v.time_s == 1733520000.5);
    assert_true(v.samples[0].value == 81);
    assert_string_equal(prom_label(&v.samples[0], "hostname"), "a");
    assert_string_equal(prom_label(&v.samples[0], "job"), "nvitop");
    assert_null(prom_label(&v.samples[0], "uuid"));
    assert_true(isnan(v.samples[1].value));
    assert_true(isinf(v.samples[2].value) && v.samples[2].value > 0);
    assert_int_equal(v.samples[2].label_count, 0);
    assert_true(v.samples[3].value == -1500);
    prom_vector_fini(&v);
    assert_int_equal(v.count, 0);
    strbuf_fini(&why);
}

static void reads_an_empty_vector(void **state)
{
    (void)state;
    prom_vector_t v;
    strbuf_t why = {0};
    assert_int_equal(
        parse("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}", &v,
              &why),
        0);
    assert_int_equal(v.count, 0);
    assert_true(isnan(v.time_s));
    prom_vector_fini(&v);
    strbuf_fini(&why);
}

static void refuses_what_is_not_json(void **state)
{
    (void)state;
    expect_error("", "the answer is empty");
    expect_error("<html><body>Login</body></html>", "not Prometheus' JSON");
    expect_error("<html><body>Login</body></html>", "begins \"<html><body>Login</body></html>\"");
    expect_error("Unauthorized\n", "begins \"Unauthorized\"");
    expect_error("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{",
                 "cut short after 61 bytes");
    expect_error("{\"status\":\"succ", "cut short");
}

static void refuses_other_json(void **state)
{
    (void)state;
    expect_error("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at "
                 "char 4\"}",
                 "Prometheus answered with an error: bad_data: parse error at char 4");
    expect_error("{\"status\":\"error\"}", "Prometheus answered with an error: (no reason");
    expect_error("[1,2,3]", "not Prometheus'");
    expect_error("{\"status\":\"success\"}", "not Prometheus'");
    expect_error("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
                 "answered a matrix, not an instant vector");
    expect_error("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{"
                 "\"metric\":{},\"value\":[1,\"eighty\"]}]}}",
                 "not an instant vector");
    expect_error("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{"
                 "\"metric\":{}}]}}",
                 "not an instant vector");
    expect_error("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}"
                 "<html>",
                 "invalid at byte 62");
}

/* Escapes as JSON has them, blanks anywhere, members the fleet does not read skipped whole. */
static void reads_escapes_and_skips_the_rest(void **state)
{
    (void)state;
    const char *body =
        " {\"warnings\" : [ {\"a\": [1, 2.5e3, -0, true, false, null, \"x\\\"]\"]} ] ,\n"
        "\"status\":\"success\",\"data\":{\"stats\":{\"n\":{}},\"resultType\":\"vector\","
        "\"result\":[{\"extra\":[[]],\"metric\":{\"command\":\"python \\\"a b\\\"\\n\\t\\u00e9"
        "\\ud83d\\ude00\\ud800x\\/\"},\"value\":[ 12 , \"0.25\" ]}]}}\r\n";
    prom_vector_t v;
    strbuf_t why = {0};
    if (parse(body, &v, &why) < 0) fail_msg("%s", strbuf_str(&why));
    assert_int_equal(v.count, 1);
    assert_true(v.time_s == 12 && v.samples[0].value == 0.25);
    assert_string_equal(prom_label(&v.samples[0], "command"),
                        "python \"a b\"\n\t\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdx/");
    prom_vector_fini(&v);
    expect_error("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{"
                 "\"metric\":{\"a\":\"tab\there\"},\"value\":[1,\"1\"]}]}}",
                 "not Prometheus' JSON");
    expect_error("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{"
                 "\"metric\":{\"a\":\"\\q\"},\"value\":[1,\"1\"]}]}}",
                 "not Prometheus' JSON");
    /* nesting deeper than anything Prometheus writes is refused, not recursed into */
    strbuf_t deep = {0};
    strbuf_puts(&deep, "{\"warnings\":");
    for (int i = 0; i < 100000; i++)
        strbuf_putc(&deep, '[');
    assert_int_equal(prom_reply_parse(deep.data, deep.len, &v, &why), -1);
    strbuf_fini(&deep);
    strbuf_fini(&why);
}

/* Many series (a big fleet's answer) are all read; a huge one is the client's to refuse. */
static void reads_a_big_vector(void **state)
{
    (void)state;
    strbuf_t body = {0}, why = {0};
    strbuf_puts(&body, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
    for (int i = 0; i < 4000; i++)
        strbuf_printf(&body,
                      "%s{\"metric\":{\"hostname\":\"node-%d\",\"index\":\"%d\"},"
                      "\"value\":[1.0,\"%d\"]}",
                      i ? "," : "", i / 8, i % 8, i);
    strbuf_puts(&body, "]}}");
    prom_vector_t v;
    assert_int_equal(prom_reply_parse(body.data, body.len, &v, &why), 0);
    assert_int_equal(v.count, 4000);
    assert_string_equal(prom_label(&v.samples[3999], "hostname"), "node-499");
    assert_true(v.samples[3999].value == 3999);
    prom_vector_fini(&v);
    /* cut anywhere, it is an error, never a shorter vector */
    for (size_t cut = 1; cut < body.len; cut += body.len / 97) {
        assert_int_equal(prom_reply_parse(body.data, cut, &v, &why), -1);
        assert_int_equal(v.count, 0);
    }
    strbuf_fini(&body);
    strbuf_fini(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_a_vector),
        cmocka_unit_test(reads_an_empty_vector),
        cmocka_unit_test(refuses_what_is_not_json),
        cmocka_unit_test(refuses_other_json),
        cmocka_unit_test(reads_a_big_vector),
        cmocka_unit_test(reads_escapes_and_skips_the_rest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
