/* SPDX-License-Identifier: Apache-2.0 */
/* The key table: the bindings of nvitop 1.7's main screen and signal box (spec §3.7, §3.8),
 * `o` as a prefix, signal keys absent under --readonly, no key bound twice on a screen, every
 * action of the main screen documented for the help screen, and key names. */
#include "testutil.h"

#include "tui/keys.h"
#include "tui/sort.h"

#include <string.h>

static tui_action_t action(tui_screen_t screen, int a, int b, bool readonly)
{
    int keys[2] = {a, b};
    bool prefix;
    const key_binding_t *k = keys_lookup(screen, keys, b ? 2 : 1, readonly, &prefix);
    return k ? k->action : ACT_NONE;
}

static void main_screen(void **state)
{
    (void)state;
    static const struct {
        int key;
        tui_action_t act;
    } want[] = {
        {'q', ACT_QUIT},
        {'Q', ACT_QUIT},
        {'a', ACT_MODE_AUTO},
        {'f', ACT_MODE_FULL},
        {'c', ACT_MODE_COMPACT},
        {'r', ACT_REFRESH},
        {'R', ACT_REFRESH},
        {TK_CTRL_R, ACT_REFRESH},
        {TK_F5, ACT_REFRESH},
        {TK_UP, ACT_SELECT_UP},
        {TK_BACKTAB, ACT_SELECT_UP},
        {TK_ALT + 'k', ACT_SELECT_UP},
        {TK_DOWN, ACT_SELECT_DOWN},
        {TK_TAB, ACT_SELECT_DOWN},
        {TK_ALT + 'j', ACT_SELECT_DOWN},
        {TK_HOME, ACT_SELECT_FIRST},
        {TK_END, ACT_SELECT_LAST},
        {TK_LEFT, ACT_SCROLL_LEFT},
        {TK_ALT + 'h', ACT_SCROLL_LEFT},
        {TK_RIGHT, ACT_SCROLL_RIGHT},
        {TK_ALT + 'l', ACT_SCROLL_RIGHT},
        {TK_CTRL_A, ACT_SCROLL_BEGIN},
        {'^', ACT_SCROLL_BEGIN},
        {TK_CTRL_E, ACT_SCROLL_END},
        {'$', ACT_SCROLL_END},
        {TK_PAGE_UP, ACT_SCREEN_UP},
        {'[', ACT_SCREEN_UP},
        {TK_ALT + 'K', ACT_SCREEN_UP},
        {TK_PAGE_DOWN, ACT_SCREEN_DOWN},
        {']', ACT_SCREEN_DOWN},
        {TK_ALT + 'J', ACT_SCREEN_DOWN},
        {TK_ESC, ACT_CLEAR},
        {' ', ACT_TAG},
        {'T', ACT_SIGNAL_TERM},
        {'K', ACT_SIGNAL_KILL},
        {'k', ACT_SIGNAL_KILL},
        {TK_CTRL_C, ACT_SIGNAL_INT},
        {'I', ACT_SIGNAL_INT},
        {',', ACT_ORDER_PREV},
        {'<', ACT_ORDER_PREV},
        {'.', ACT_ORDER_NEXT},
        {'>', ACT_ORDER_NEXT},
        {'/', ACT_ORDER_REVERSE},
        {'H', ACT_TOGGLE_HOST},
        {'h', ACT_HELP},
        {'?', ACT_HELP},
        {'e', ACT_ENVIRONMENT},
        {'t', ACT_TREE},
        {TK_ENTER, ACT_METRICS},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        char name[32];
        if (action(SCREEN_MAIN, want[i].key, 0, false) != want[i].act)
            fail_msg("%s: wrong action", keys_name(want[i].key, name, sizeof(name)));
    }
    assert_int_equal(action(SCREEN_MAIN, 'x', 0, false), ACT_NONE);
}

static void sort_prefix(void **state)
{
    (void)state;
    int o = 'o';
    bool prefix;
    assert_null(keys_lookup(SCREEN_MAIN, &o, 1, false, &prefix));
    assert_true(prefix);
    const char letters[] = "npugsbcmt";
    for (int i = 0; letters[i]; i++) {
        int keys[2] = {'o', letters[i]};
        const key_binding_t *b = keys_lookup(SCREEN_MAIN, keys, 2, false, &prefix);
        assert_non_null(b);
        assert_int_equal(b->action, ACT_SORT);
        assert_int_equal(b->arg, i * 2);
        keys[1] = letters[i] - 'a' + 'A';
        b = keys_lookup(SCREEN_MAIN, keys, 2, false, &prefix);
        assert_int_equal(b->arg, i * 2 + 1);
        assert_int_equal(sort_by_key(letters[i]), i);
    }
    assert_int_equal(action(SCREEN_MAIN, 'o', 'x', false), ACT_NONE);
}

static void readonly(void **state)
{
    (void)state;
    const int signal_keys[] = {'T', 'K', 'k', TK_CTRL_C, 'I'};
    for (size_t i = 0; i < sizeof(signal_keys) / sizeof(*signal_keys); i++)
        assert_int_equal(action(SCREEN_MAIN, signal_keys[i], 0, true), ACT_NONE);
    assert_int_equal(action(SCREEN_MAIN, ' ', 0, true), ACT_TAG); /* tagging still works */
}

static void box(void **state)
{
    (void)state;
    assert_int_equal(action(SCREEN_CONFIRM, 't', 0, false), ACT_BOX_CHOOSE);
    assert_int_equal(action(SCREEN_CONFIRM, '4', 0, false), ACT_BOX_CHOOSE);
    assert_int_equal(action(SCREEN_CONFIRM, 'n', 0, false), ACT_BOX_CHOOSE);
    assert_int_equal(action(SCREEN_CONFIRM, TK_ENTER, 0, false), ACT_BOX_APPLY);
    assert_int_equal(action(SCREEN_CONFIRM, ' ', 0, false), ACT_BOX_APPLY);
    assert_int_equal(action(SCREEN_CONFIRM, TK_ESC, 0, false), ACT_BOX_CANCEL);
    assert_int_equal(action(SCREEN_CONFIRM, 'q', 0, false), ACT_BOX_CANCEL);
    assert_int_equal(action(SCREEN_CONFIRM, TK_TAB, 0, false), ACT_BOX_NEXT);
    assert_int_equal(action(SCREEN_CONFIRM, '[', 0, false), ACT_BOX_PREV);
    assert_int_equal(action(SCREEN_CONFIRM, 'x', 0, false), ACT_NONE);
}

static void table_is_consistent(void **state)
{
    (void)state;
    size_t n;
    const key_binding_t *t = keys_table(&n);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++)
            if (t[i].screen == t[j].screen && t[i].keys[0] == t[j].keys[0] &&
                t[i].keys[1] == t[j].keys[1])
                fail_msg("binding %zu and %zu: the same keys", i, j);
        if (t[i].screen != SCREEN_MAIN || t[i].action == ACT_NONE) continue;
        bool documented = false; /* some row of the action has help text */
        for (size_t j = 0; j < n && !documented; j++)
            documented = t[j].action == t[i].action && t[j].help;
        if (!documented) fail_msg("binding %zu: its action has no help text", i);
    }
}

static void names(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(keys_name('q', buf, sizeof(buf)), "q");
    assert_string_equal(keys_name(TK_CTRL_R, buf, sizeof(buf)), "<C-r>");
    assert_string_equal(keys_name(TK_UP, buf, sizeof(buf)), "<Up>");
    assert_string_equal(keys_name(TK_ALT + 'j', buf, sizeof(buf)), "<A-j>");
    assert_string_equal(keys_name(TK_ALT + TK_UP, buf, sizeof(buf)), "<A-Up>");
    assert_string_equal(keys_name(TK_ESC, buf, sizeof(buf)), "<Esc>");
}

/* xterm's button codes (X10 and SGR) as the monitor's buttons. */
static void mouse_buttons(void **state)
{
    (void)state;
    assert_int_equal(keys_mouse_button(0, false), 1);       /* left press */
    assert_int_equal(keys_mouse_button(0, true), 0);        /* its SGR release */
    assert_int_equal(keys_mouse_button(3, false), 0);       /* an X10 release */
    assert_int_equal(keys_mouse_button(2, false), 3);       /* right */
    assert_int_equal(keys_mouse_button(1, false), 5);       /* middle: wheel down, as nvitop */
    assert_int_equal(keys_mouse_button(64, false), 4);      /* wheel up */
    assert_int_equal(keys_mouse_button(65, false), 5);      /* wheel down */
    assert_int_equal(keys_mouse_button(64 + 4, false), 12); /* Shift */
    assert_int_equal(keys_mouse_button(65 + 4, false), 13);
    assert_int_equal(keys_mouse_button(64 + 16, false), 20); /* Ctrl */
    assert_int_equal(keys_mouse_button(65 + 16, false), 21);
    assert_int_equal(keys_mouse_button(0 + 8, false), 1); /* Alt is not told apart */
    assert_int_equal(keys_mouse_button(32, false), 0);    /* motion */
    assert_int_equal(keys_mouse_button(66, false), 0);    /* the horizontal wheel */
    assert_int_equal(keys_mouse_button(128, false), 0);   /* buttons 8-11 */
    assert_int_equal(keys_mouse_button(-1, false), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(main_screen),
        cmocka_unit_test(sort_prefix),
        cmocka_unit_test(readonly),
        cmocka_unit_test(box),
        cmocka_unit_test(table_is_consistent),
        cmocka_unit_test(names),
        cmocka_unit_test(mouse_buttons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
