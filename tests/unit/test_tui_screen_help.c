/* SPDX-License-Identifier: Apache-2.0 */
/* The help screen's text (screen_help.c): nvitop's help (plus our H, w and W rows) at the default
 * thresholds, other thresholds in force, and the key list generated from the key table: every
 * labelled binding of the main screen shows on exactly one row with its label and help, and
 * the rows of signal keys are the ones marked as such. */
#include "testutil.h"

#include "tui/tui_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const expected[] = {
    "nvitop 1.7.0 - (C) Xuehai Pan, 2021-2026.",
    "Released under the GNU GPLv3 License.",
    "",
    "GPU Process Type: C: Compute, G: Graphics, X: Mixed.",
    "",
    "Device coloring rules by loading intensity:",
    "  - GPU utilization: light < 10% <= moderate < 75% <= heavy.",
    "  - GPU-MEM percent: light < 10% <= moderate < 80% <= heavy.",
    "",
    "      a f c: change display mode                h ?: show this help screen",
    "       F5 r: force refresh window                 q: quit",
    "          H: show/hide the host panel             w: show/hide the WORKLOAD column",
    "                                                  W: group processes by workload",
    "",
    "     Arrows: scroll process list              Space: tag/untag current process",
    "       Home: select the first process           Esc: clear process selection",
    "        End: select the last process       Ctrl-C I: interrupt selected process",
    "                                                  K: kill selected process",
    "   Ctrl-A ^: scroll to left most                  T: terminate selected process",
    "   Ctrl-E $: scroll to right most                 e: show process environment",
    "   PageUp [: scroll entire screen up              t: toggle tree-view screen",
    " PageDown ]: scroll entire screen down        Enter: show process metrics",
    "",
    "      Wheel: scroll process list        Shift-Wheel: scroll horizontally",
    "        Tab: scroll process list         Ctrl-Wheel: fast scroll (5x)",
    "",
    "      on oN: sort by GPU-INDEX",
    "      op oP: sort by PID                      ob oB: sort by %GMBW",
    "      ou oU: sort by USER                     oc oC: sort by %CPU",
    "      og oG: sort by GPU-MEM                  om oM: sort by %MEM",
    "      os oS: sort by %SM                      ot oT: sort by TIME",
    "        , .: select sort column                   /: invert sort order",
    "",
    "Press any key to return.",
};

static void nvitop_text(void **state)
{
    (void)state;
    help_line_t lines[64];
    size_t n = help_lines("1.7.0", (int[]){10, 75}, (int[]){10, 80}, lines, ARRAY_LEN(lines));
    assert_int_equal(n, ARRAY_LEN(expected));
    for (size_t i = 0; i < n; i++)
        assert_string_equal(lines[i].text, expected[i]);
}

static void thresholds(void **state)
{
    (void)state;
    help_line_t lines[64];
    size_t n = help_lines("9.9", (int[]){20, 60}, (int[]){5, 95}, lines, ARRAY_LEN(lines));
    assert_true(n > 8);
    assert_string_equal(lines[0].text, "nvitop 9.9 - (C) Xuehai Pan, 2021-2026.");
    assert_string_equal(lines[6].text,
                        "  - GPU utilization: light < 20% <= moderate < 60% <= heavy.");
    assert_string_equal(lines[7].text,
                        "  - GPU-MEM percent: light < 5% <= moderate < 95% <= heavy.");
    /* a short buffer: no more than asked */
    assert_int_equal(help_lines("1", (int[]){1, 2}, (int[]){1, 2}, lines, 3), 3);
}

/* Every labelled main-screen binding on exactly one row, as its label and help say. */
static void from_the_table(void **state)
{
    (void)state;
    help_line_t lines[64];
    size_t n = help_lines("1.7.0", (int[]){10, 75}, (int[]){10, 80}, lines, ARRAY_LEN(lines));
    size_t count;
    const key_binding_t *t = keys_table(&count);
    for (size_t i = 0; i < count; i++) {
        if (t[i].screen != SCREEN_MAIN || !t[i].label) continue;
        int shown = 0;
        for (size_t k = 0; k < n; k++) {
            const key_binding_t *side[2] = {lines[k].left, lines[k].right};
            for (int s = 0; s < 2; s++) {
                if (side[s] != &t[i]) continue;
                shown++;
                char want[160];
                snprintf(want, sizeof(want), "%11s: %s", t[i].label, t[i].help);
                if (!strstr(lines[k].text, want))
                    fail_msg("'%s' is not on its row '%s'", want, lines[k].text);
            }
        }
        if (shown != 1) fail_msg("'%s' shows %d times", t[i].label, shown);
    }
    /* the signal rows are the three of K, T and Ctrl-C I, on the right */
    int signal_rows = 0;
    for (size_t k = 0; k < n; k++) {
        if (lines[k].left) assert_false(lines[k].left->signal);
        if (lines[k].right && lines[k].right->signal) signal_rows++;
    }
    assert_int_equal(signal_rows, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nvitop_text),
        cmocka_unit_test(thresholds),
        cmocka_unit_test(from_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
