/* SPDX-License-Identifier: Apache-2.0 */
/* The one UTF-8 rule (util/utf8.h): strict decoding, one U+FFFD per byte that does not start a
 * valid sequence, and encoding back. */
#include "testutil.h"

#include "util/utf8.h"

#include <string.h>

/* Decodes s and expects code point `cp` in `len` bytes. */
static void expect_decode(const char *s, uint32_t cp, size_t len)
{
    uint32_t got = 0x12345;
    assert_int_equal(utf8_decode(s, &got), len);
    assert_int_equal(got, cp);
}

static void decodes_every_length(void **state)
{
    (void)state;
    expect_decode("A", 'A', 1);
    expect_decode("\x7f", 0x7F, 1);
    expect_decode("\xc2\x80", 0x80, 2);            /* the least two-byte form */
    expect_decode("\xdf\xbf", 0x7FF, 2);           /* the greatest */
    expect_decode("\xe0\xa0\x80", 0x800, 3);       /* the least three-byte form */
    expect_decode("\xe4\xb8\xad", 0x4E2D, 3);      /* 中 */
    expect_decode("\xed\x9f\xbf", 0xD7FF, 3);      /* just below the surrogates */
    expect_decode("\xee\x80\x80", 0xE000, 3);      /* just above them */
    expect_decode("\xef\xbf\xbd", 0xFFFD, 3);      /* a real U+FFFD is 3 bytes long */
    expect_decode("\xf0\x90\x80\x80", 0x10000, 4); /* the least four-byte form */
    expect_decode("\xf4\x8f\xbf\xbf", 0x10FFFF, 4);
    expect_decode("\xe4\xb8\xad"
                  "x",
                  0x4E2D, 3); /* stops after the sequence */
}

static void invalid_bytes_are_one_replacement_each(void **state)
{
    (void)state;
    expect_decode("\x80", UTF8_REPLACEMENT, 1); /* a lone continuation byte */
    expect_decode("\xbf", UTF8_REPLACEMENT, 1);
    expect_decode("\xc0\x80", UTF8_REPLACEMENT, 1);             /* overlong NUL */
    expect_decode("\xc1\xbf", UTF8_REPLACEMENT, 1);             /* overlong 0x7F */
    expect_decode("\xe0\x9f\xbf", UTF8_REPLACEMENT, 1);         /* overlong 0x7FF */
    expect_decode("\xf0\x8f\xbf\xbf", UTF8_REPLACEMENT, 1);     /* overlong 0xFFFF */
    expect_decode("\xed\xa0\x80", UTF8_REPLACEMENT, 1);         /* surrogate U+D800 */
    expect_decode("\xed\xbf\xbf", UTF8_REPLACEMENT, 1);         /* surrogate U+DFFF */
    expect_decode("\xf4\x90\x80\x80", UTF8_REPLACEMENT, 1);     /* U+110000 */
    expect_decode("\xf7\xbf\xbf\xbf", UTF8_REPLACEMENT, 1);     /* past U+10FFFF */
    expect_decode("\xf8\x88\x80\x80\x80", UTF8_REPLACEMENT, 1); /* no five-byte forms */
    expect_decode("\xfe", UTF8_REPLACEMENT, 1);
    expect_decode("\xff", UTF8_REPLACEMENT, 1);
}

static void sequences_cut_short(void **state)
{
    (void)state;
    expect_decode("\xc3", UTF8_REPLACEMENT, 1); /* the string ends */
    expect_decode("\xe4\xb8", UTF8_REPLACEMENT, 1);
    expect_decode("\xf0\x9f\x98", UTF8_REPLACEMENT, 1);
    expect_decode("\xe4"
                  "A",
                  UTF8_REPLACEMENT, 1); /* an ASCII byte interrupts */
    expect_decode("\xe4\xb8"
                  "A",
                  UTF8_REPLACEMENT, 1);
    expect_decode("\xf0\x9f\xe4\xb8\xad", UTF8_REPLACEMENT, 1); /* a new lead byte interrupts */
    /* the bytes after an invalid one are decoded on their own */
    const char *s = "\xe4\xb8"
                    "A";
    uint32_t cp;
    assert_int_equal(utf8_decode(s + 1, &cp), 1);
    assert_int_equal(cp, UTF8_REPLACEMENT);
    assert_int_equal(utf8_decode(s + 2, &cp), 1);
    assert_int_equal(cp, 'A');
}

static void expect_encode(uint32_t cp, const char *want)
{
    char buf[4];
    size_t len = utf8_encode(cp, buf);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(buf, want, len);
}

static void encodes_every_length(void **state)
{
    (void)state;
    char buf[4];
    assert_int_equal(utf8_encode(0, buf), 1); /* NUL: one byte, not an overlong form */
    assert_int_equal(buf[0], 0);
    expect_encode('A', "A");
    expect_encode(0x7F, "\x7f");
    expect_encode(0x80, "\xc2\x80");
    expect_encode(0x7FF, "\xdf\xbf");
    expect_encode(0x800, "\xe0\xa0\x80");
    expect_encode(0x2500, "\xe2\x94\x80"); /* ─ */
    expect_encode(0xFFFD, "\xef\xbf\xbd");
    expect_encode(0xFFFF, "\xef\xbf\xbf");
    expect_encode(0x10000, "\xf0\x90\x80\x80");
    expect_encode(0x1F600, "\xf0\x9f\x98\x80");
    expect_encode(0x10FFFF, "\xf4\x8f\xbf\xbf");
}

/* Every valid code point survives encode then decode. */
static void round_trip(void **state)
{
    (void)state;
    for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        char buf[5] = {0};
        size_t len = utf8_encode(cp, buf);
        uint32_t back;
        if (utf8_decode(buf, &back) != len || back != cp) fail_msg("U+%04X", (unsigned)cp);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decodes_every_length),
        cmocka_unit_test(invalid_bytes_are_one_replacement_each),
        cmocka_unit_test(sequences_cut_short),
        cmocka_unit_test(encodes_every_length),
        cmocka_unit_test(round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
