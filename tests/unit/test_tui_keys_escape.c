/* SPDX-License-Identifier: Apache-2.0 */
/* Escape sequences after ESC [ and ESC O (keys_csi, keys_ss3): mouse reports in their three
 * forms (X10, SGR, urxvt), keys terminfo did not name, and above all that a report cut short,
 * garbled or unknown is read to its end and returns no key, so that none of its bytes can be
 * read as a key (the digits pick buttons of the signal box). */
#include "testutil.h"

#include "tui/keys.h"

#include <stdio.h>
#include <string.h>

typedef struct bytes {
    const char *s;
    size_t len, at;
} bytes_t;

static int next(void *ctx)
{
    bytes_t *b = ctx;
    return b->at < b->len ? (unsigned char)b->s[b->at++] : -1;
}

static void unread(void *ctx, int byte)
{
    bytes_t *b = ctx;
    assert_true(b->at > 0);
    b->at--;
    assert_int_equal((unsigned char)b->s[b->at], byte);
}

/* keys_csi on the bytes after ESC [ (len: with NULs); *left: the bytes it did not read. */
static int csi_n(const char *s, size_t len, keys_mouse_t *m, size_t *left)
{
    bytes_t b = {s, len, 0};
    keys_input_t in = {next, unread, &b, 0};
    int key = keys_csi(&in, m);
    *left = b.len - b.at;
    return key;
}

static int csi(const char *s, keys_mouse_t *m, size_t *left)
{
    return csi_n(s, strlen(s), m, left);
}

static void expect_click(const char *s, int y, int x, int button)
{
    keys_mouse_t m = {-1, -1, -1};
    size_t left;
    assert_int_equal(csi(s, &m, &left), TK_MOUSE);
    assert_int_equal(left, 0);
    assert_int_equal(m.y, y);
    assert_int_equal(m.x, x);
    assert_int_equal(m.button, button);
}

/* No key, and every byte read. */
static void expect_swallowed(const char *s)
{
    keys_mouse_t m;
    size_t left;
    assert_int_equal(csi(s, &m, &left), TK_NONE);
    assert_int_equal(left, 0);
}

static void reports(void **state)
{
    (void)state;
    expect_click("<0;11;6M", 5, 10, 1);       /* SGR: a left press at column 11, line 6 */
    expect_click("<65;1;1M", 0, 0, 5);        /* the wheel down */
    expect_click("<80;3;4M", 3, 2, 20);       /* Ctrl + wheel up */
    expect_click("<2;300;200M", 199, 299, 3); /* no limit of 223 columns */
    expect_click("M +&", 5, 10, 1);           /* X10: 32 + button, 32 + column, 32 + line */
    expect_click("M`!!", 0, 0, 4);            /* the wheel up */
    expect_click("32;11;6M", 5, 10, 1);       /* urxvt (1015) */
    expect_swallowed("<0;11;6m");             /* releases, motion */
    expect_swallowed("M#+&");
    expect_swallowed("<32;11;6M");
    expect_swallowed("M  &"); /* X10 column 0: out of range */
    expect_swallowed("<0;0;6M");
}

static void keys_terminfo_missed(void **state)
{
    (void)state;
    static const struct {
        const char *seq;
        int key;
    } want[] = {{"A", TK_UP},         {"B", TK_DOWN},   {"C", TK_RIGHT},   {"D", TK_LEFT},
                {"H", TK_HOME},       {"F", TK_END},    {"Z", TK_BACKTAB}, {"1~", TK_HOME},
                {"7~", TK_HOME},      {"4~", TK_END},   {"8~", TK_END},    {"5~", TK_PAGE_UP},
                {"6~", TK_PAGE_DOWN}, {"15~", TK_F5},   {"1;5A", TK_NONE}, {"2~", TK_NONE},
                {"?1;2c", TK_NONE},   {"200~", TK_NONE}};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        keys_mouse_t m;
        size_t left;
        assert_int_equal(csi(want[i].seq, &m, &left), want[i].key);
        assert_int_equal(left, 0);
    }
    keys_mouse_t m;
    size_t left;
    assert_int_equal(csi("", &m, &left), TK_NONE); /* ESC [ alone: cut short */
}

/* Every report cut at every byte, then silence: no key, nothing left to be read as keys. */
static void cut_short(void **state)
{
    (void)state;
    static const char *const full[] = {"<0;12;3M", "<64;33;12m", "M +&", "32;11;6M"};
    for (size_t i = 0; i < sizeof(full) / sizeof(full[0]); i++)
        for (size_t cut = 1; cut < strlen(full[i]); cut++) {
            keys_mouse_t m;
            size_t left;
            assert_int_equal(csi_n(full[i], cut, &m, &left), TK_NONE);
            assert_int_equal(left, 0);
        }
}

/* A report cut short by the next one: the first returns no key and hands the ESC back, the
 * second decodes whole. */
static void cut_by_the_next(void **state)
{
    (void)state;
    static const char *const cut[] = {"<0;12;3", "<0;", "<", "M", "M ", "M +", "12;3"};
    for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
        char buf[64];
        snprintf(buf, sizeof(buf), "%s\033[<0;12;3M", cut[i]);
        bytes_t b = {buf, strlen(buf), 0};
        keys_input_t in = {next, unread, &b, 0};
        keys_mouse_t m = {0, 0, 0};
        assert_int_equal(keys_csi(&in, &m), TK_NONE);
        assert_int_equal(next(&b), 27);
        assert_int_equal(next(&b), '[');
        assert_int_equal(keys_csi(&in, &m), TK_MOUSE);
        assert_int_equal(m.x, 11);
        assert_int_equal(m.y, 2);
        assert_int_equal(b.at, b.len);
    }
}

/* Garbage: bytes no terminal sends in a sequence, NULs, and a sequence without end. */
static void garbled(void **state)
{
    (void)state;
    keys_mouse_t m;
    size_t left;
    assert_int_equal(csi_n("<0;1\0;3M", 8, &m, &left), TK_NONE);
    assert_int_equal(left, 0);
    assert_int_equal(csi("<0;1\x7f", &m, &left), TK_NONE);
    assert_int_equal(left, 0);
    assert_int_equal(csi("M\x01\x02\x03", &m, &left), TK_NONE);
    assert_int_equal(left, 0);
    expect_swallowed("<0;1;2;3M");                  /* four numbers */
    expect_swallowed("<;1;2M");                     /* an empty one */
    expect_swallowed("<0;1;99999999999999999999M"); /* a huge one */
    char endless[600];
    memset(endless, '1', sizeof(endless) - 1);
    endless[sizeof(endless) - 1] = '\0';
    assert_int_equal(csi(endless, &m, &left), TK_NONE);
    assert_int_equal(csi("<0;1\x80\xff;3M", &m, &left), TK_NONE); /* bytes of UTF-8 */
    assert_int_equal(left, 0);
}

static void ss3(void **state)
{
    (void)state;
    static const struct {
        const char *seq;
        int key;
    } want[] = {{"A", TK_UP},   {"B", TK_DOWN}, {"C", TK_RIGHT}, {"D", TK_LEFT},
                {"H", TK_HOME}, {"F", TK_END},  {"P", TK_NONE},  {"", TK_ALT + 'O'}};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        bytes_t b = {want[i].seq, strlen(want[i].seq), 0};
        keys_input_t in = {next, unread, &b, 0};
        assert_int_equal(keys_ss3(&in), want[i].key);
        assert_int_equal(b.at, b.len);
    }
}

/* A report cut short by silence, its rest coming late: keys_csi says what is missing, and
 * keys_rest swallows exactly that rest, then lets keys through. */
static void rest_comes_late(void **state)
{
    (void)state;
    static const struct {
        const char *head, *rest;
    } cuts[] = {{"", "<0;12;3M"}, {"<0;1", "2;3M"}, {"<0;12;3", "M"}, {"", "M +&"},
                {"M", " +&"},     {"M +", "&"},     {"32;1", "1;6M"}};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        bytes_t b = {cuts[i].head, strlen(cuts[i].head), 0};
        keys_input_t in = {next, unread, &b, 0};
        keys_mouse_t m;
        assert_int_equal(keys_csi(&in, &m), TK_NONE);
        assert_int_not_equal(in.rest, 0);
        for (const char *p = cuts[i].rest; *p; p++)
            assert_true(keys_rest((unsigned char)*p, &in.rest));
        assert_int_equal(in.rest, 0);
        assert_false(keys_rest('2', &in.rest)); /* then keys are keys */
    }
    int rest = KEYS_REST_CSI;
    assert_false(keys_rest('\r', &rest)); /* no rest of a report */
    assert_int_equal(rest, 0);
    keys_mouse_t m;
    bytes_t b = {"<0;12;3M", 8, 0};
    keys_input_t in = {next, unread, &b, 0};
    assert_int_equal(keys_csi(&in, &m), TK_MOUSE); /* a whole one leaves no rest */
    assert_int_equal(in.rest, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reports),         cmocka_unit_test(keys_terminfo_missed),
        cmocka_unit_test(cut_short),       cmocka_unit_test(cut_by_the_next),
        cmocka_unit_test(garbled),         cmocka_unit_test(ss3),
        cmocka_unit_test(rest_comes_late),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
