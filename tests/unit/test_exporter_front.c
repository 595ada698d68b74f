/* SPDX-License-Identifier: Apache-2.0 */
/* The front door's judgement of a request line, from the bytes peeked so far: whole and of the
 * form `METHOD SP target SP HTTP/d.d` (handed on), not whole yet (wait), garbage (400), too
 * long (414). */
#include "testutil.h"

#include <string.h>

#include "exporter/exporter_internal.h"

static screen_t judge(const char *text)
{
    return screen_request_line(text, strlen(text), 64);
}

static void test_request_lines(void **state)
{
    (void)state;
    assert_int_equal(judge("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"), SCREEN_OK);
    assert_int_equal(judge("GET /metrics HTTP/1.0\n"), SCREEN_OK);
    assert_int_equal(judge("\r\n\r\nHEAD / HTTP/1.1\r\n"), SCREEN_OK); /* empty lines first */
    assert_int_equal(judge("BREW /pot HTTP/1.1\r\n"), SCREEN_OK);      /* 405 is the daemon's */
    assert_int_equal(judge("GET /metrics HTTP/2.0\r\n"), SCREEN_OK);   /* 505 is the daemon's */
    assert_int_equal(judge(""), SCREEN_MORE);
    assert_int_equal(judge("GET /metrics HTTP/1.1"), SCREEN_MORE);
    assert_int_equal(judge("\r\n"), SCREEN_MORE);
}

static void test_garbage(void **state)
{
    (void)state;
    assert_int_equal(judge("garbage\r\n"), SCREEN_BAD);
    assert_int_equal(judge(" GET / HTTP/1.1\r\n"), SCREEN_BAD);
    assert_int_equal(judge("GET  / HTTP/1.1\r\n"), SCREEN_BAD);
    assert_int_equal(judge("GET / HTTP/1.1 \r\n"), SCREEN_BAD);
    assert_int_equal(judge("GET /a b HTTP/1.1\r\n"), SCREEN_BAD);
    assert_int_equal(judge("GET / HTTQ/1.1\r\n"), SCREEN_BAD);
    assert_int_equal(judge("GET / HTTP/1.10\r\n"), SCREEN_BAD);
    assert_int_equal(judge("GET /\r\n"), SCREEN_BAD);
    assert_int_equal(judge("G(T / HTTP/1.1\r\n"), SCREEN_BAD);
    assert_int_equal(judge("GET /\x7f HTTP/1.1\r\n"), SCREEN_BAD);
    const char nul[] = "\0\1 NOT HTTP\r\n\r\n"; /* libmicrohttpd took it for an empty line */
    assert_int_equal(screen_request_line(nul, sizeof(nul) - 1, 64), SCREEN_BAD);
    const char inner[] = "GET /\0 HTTP/1.1\r\n";
    assert_int_equal(screen_request_line(inner, sizeof(inner) - 1, 64), SCREEN_BAD);
}

static void test_too_long(void **state)
{
    (void)state;
    char line[200];
    memset(line, 'a', sizeof(line));
    assert_int_equal(screen_request_line(line, 64, 64), SCREEN_MORE);
    assert_int_equal(screen_request_line(line, 65, 64), SCREEN_TOO_LONG); /* no end in sight */
    memcpy(line, "GET /", 5);
    memcpy(line + 100, " HTTP/1.1\r\n", 11);
    assert_int_equal(screen_request_line(line, 111, 64), SCREEN_TOO_LONG);
    assert_int_equal(screen_request_line(line, 111, 200), SCREEN_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_lines),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
