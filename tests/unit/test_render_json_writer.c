/* SPDX-License-Identifier: Apache-2.0 */
/* The streaming JSON writer: layout, escaping to ASCII, numbers. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "render/json_writer.h"

static void test_layout(void **state)
{
    (void)state;
    strbuf_t out = {0};
    jw_t w;
    jw_init(&w, &out);
    jw_object_begin(&w);
    jw_key(&w, "a");
    jw_int(&w, -5);
    jw_key(&w, "empty");
    jw_array_begin(&w);
    jw_array_end(&w);
    jw_key(&w, "list");
    jw_array_begin(&w);
    jw_bool(&w, true);
    jw_null(&w);
    jw_object_begin(&w);
    jw_object_end(&w);
    jw_array_end(&w);
    jw_object_end(&w);
    assert_int_equal(w.error, 0);
    assert_string_equal(out.data, "{\n  \"a\": -5,\n  \"empty\": [],\n  \"list\": [\n    true,\n"
                                  "    null,\n    {}\n  ]\n}");
    strbuf_fini(&out);
}

static const char *one_string(const char *s, strbuf_t *out)
{
    jw_t w;
    strbuf_reset(out);
    jw_init(&w, out);
    jw_string(&w, s);
    assert_int_equal(w.error, 0);
    return out->data;
}

static void test_escaping(void **state)
{
    (void)state;
    strbuf_t out = {0};
    assert_string_equal(one_string("plain text", &out), "\"plain text\"");
    assert_string_equal(one_string("a\"b\\c", &out), "\"a\\\"b\\\\c\"");
    assert_string_equal(one_string("l1\nl2\tt\r\b\f", &out), "\"l1\\nl2\\tt\\r\\b\\f\"");
    assert_string_equal(one_string("\x01\x1f", &out), "\"\\u0001\\u001f\"");
    assert_string_equal(one_string("caf\xc3\xa9", &out), "\"caf\\u00e9\"");          /* é */
    assert_string_equal(one_string("\xe2\x96\x88", &out), "\"\\u2588\"");            /* █ */
    assert_string_equal(one_string("\xf0\x9f\x98\x80", &out), "\"\\ud83d\\ude00\""); /* 😀 */
    /* Not UTF-8: a lone continuation byte, a truncated sequence, an overlong form, a surrogate. */
    assert_string_equal(one_string("a\x80z", &out), "\"a\\ufffdz\"");
    assert_string_equal(one_string("\xe2\x96", &out), "\"\\ufffd\\ufffd\"");
    assert_string_equal(one_string("\xc0\xaf", &out), "\"\\ufffd\\ufffd\"");
    assert_string_equal(one_string("\xed\xa0\x80", &out), "\"\\ufffd\\ufffd\\ufffd\"");
    strbuf_fini(&out);
}

static void test_numbers(void **state)
{
    (void)state;
    strbuf_t out = {0};
    jw_t w;
    jw_init(&w, &out);
    jw_array_begin(&w);
    jw_real(&w, 12.0);
    jw_real(&w, 12.8);
    jw_real(&w, 1e20);
    jw_real(&w, -0.5);
    jw_real(&w, NAN);
    jw_real(&w, INFINITY);
    jw_int(&w, INT64_MAX);
    jw_array_end(&w);
    assert_string_equal(out.data, "[\n  12.0,\n  12.8,\n  1e+20,\n  -0.5,\n  null,\n  null,\n"
                                  "  9223372036854775807\n]");
    strbuf_fini(&out);
}

static void test_misuse_is_an_error(void **state)
{
    (void)state;
    strbuf_t out = {0};
    jw_t w;
    jw_init(&w, &out);
    jw_object_end(&w);
    assert_int_equal(w.error, -1);
    jw_init(&w, &out);
    for (int i = 0; i <= JW_MAX_DEPTH; i++)
        jw_array_begin(&w);
    assert_int_equal(w.error, -1);
    strbuf_fini(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_misuse_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
