/* SPDX-License-Identifier: Apache-2.0 */
/* The key table (keys.h): nvitop 1.7's bindings of the main screen, the tree view and the
 * signal box (spec §3.6-§3.8), plus our H, which shows or hides the host panel. The help
 * screen has none: any key leaves it. */
#include "tui/keys.h"

#include <stdio.h>
#include <string.h>

#include "tui/sort.h"

#define K1(k)                                                                                      \
    {                                                                                              \
        (k), 0                                                                                     \
    }
#define K2(a, b)                                                                                   \
    {                                                                                              \
        (a), (b)                                                                                   \
    }
#define MAIN(k, act, lbl, hlp)                                                                     \
    {                                                                                              \
        SCREEN_MAIN, k, act, 0, false, lbl, hlp                                                    \
    }
#define ALIAS(k, act)                                                                              \
    {                                                                                              \
        SCREEN_MAIN, k, act, 0, false, NULL, NULL                                                  \
    }
#define SIGNAL(k, act, lbl, hlp)                                                                   \
    {                                                                                              \
        SCREEN_MAIN, k, act, 0, true, lbl, hlp                                                     \
    }
#define SORT(letter, order, rev, lbl, hlp)                                                         \
    {                                                                                              \
        SCREEN_MAIN, K2('o', letter), ACT_SORT, (order)*2 + (rev), false, lbl, hlp                 \
    }
#define BOX(k, act, arg)                                                                           \
    {                                                                                              \
        SCREEN_CONFIRM, k, act, arg, false, NULL, NULL                                             \
    }

#define TREE(k, act, arg)                                                                          \
    {                                                                                              \
        SCREEN_TREE, k, act, arg, false, NULL, NULL                                                \
    }
#define TREE_SIGNAL(k, act)                                                                        \
    {                                                                                              \
        SCREEN_TREE, k, act, 0, true, NULL, NULL                                                   \
    }
#define WHEEL(k, act, arg, lbl, hlp)                                                               \
    {                                                                                              \
        SCREEN_MAIN, k, act, arg, false, lbl, hlp                                                  \
    }
#define ENV(k, act)                                                                                \
    {                                                                                              \
        SCREEN_ENVIRON, k, act, 0, false, NULL, NULL                                               \
    }
#define METRICS(k, act)                                                                            \
    {                                                                                              \
        SCREEN_METRICS, k, act, 0, false, NULL, NULL                                               \
    }

/* A row the help screen shows within the labelled row above it. */
#define GROUPED(k, act, hlp)                                                                       \
    {                                                                                              \
        SCREEN_MAIN, k, act, 0, false, NULL, hlp                                                   \
    }

static const key_binding_t table[] = {
    MAIN(K1('a'), ACT_MODE_AUTO, "a f c", "change display mode"),
    GROUPED(K1('f'), ACT_MODE_FULL, "full display mode"),
    GROUPED(K1('c'), ACT_MODE_COMPACT, "compact display mode"),
    MAIN(K1('H'), ACT_TOGGLE_HOST, "H", "show/hide the host panel"),
    MAIN(K1('w'), ACT_TOGGLE_WORKLOAD, "w", "show/hide the WORKLOAD column"),
    MAIN(K1('W'), ACT_GROUP_WORKLOAD, "W", "group processes by workload"),
    MAIN(K1('h'), ACT_HELP, "h ?", "show this help screen"),
    ALIAS(K1('?'), ACT_HELP),
    MAIN(K1('r'), ACT_REFRESH, "F5 r", "force refresh window"),
    ALIAS(K1('R'), ACT_REFRESH),
    ALIAS(K1(TK_CTRL_R), ACT_REFRESH),
    ALIAS(K1(TK_F5), ACT_REFRESH),
    MAIN(K1('q'), ACT_QUIT, "q", "quit"),
    ALIAS(K1('Q'), ACT_QUIT),
    MAIN(K1(TK_UP), ACT_SELECT_UP, "Arrows", "scroll process list"),
    ALIAS(K1(TK_BACKTAB), ACT_SELECT_UP),
    ALIAS(K1(TK_ALT + 'k'), ACT_SELECT_UP),
    ALIAS(K1(TK_DOWN), ACT_SELECT_DOWN),
    MAIN(K1(TK_TAB), ACT_SELECT_DOWN, "Tab", "scroll process list"),
    ALIAS(K1(TK_ALT + 'j'), ACT_SELECT_DOWN),
    MAIN(K1(TK_HOME), ACT_SELECT_FIRST, "Home", "select the first process"),
    MAIN(K1(TK_END), ACT_SELECT_LAST, "End", "select the last process"),
    GROUPED(K1(TK_LEFT), ACT_SCROLL_LEFT, "scroll the command left"),
    ALIAS(K1(TK_ALT + 'h'), ACT_SCROLL_LEFT),
    GROUPED(K1(TK_RIGHT), ACT_SCROLL_RIGHT, "scroll the command right"),
    ALIAS(K1(TK_ALT + 'l'), ACT_SCROLL_RIGHT),
    MAIN(K1(TK_CTRL_A), ACT_SCROLL_BEGIN, "Ctrl-A ^", "scroll to left most"),
    ALIAS(K1('^'), ACT_SCROLL_BEGIN),
    MAIN(K1(TK_CTRL_E), ACT_SCROLL_END, "Ctrl-E $", "scroll to right most"),
    ALIAS(K1('$'), ACT_SCROLL_END),
    MAIN(K1(TK_PAGE_UP), ACT_SCREEN_UP, "PageUp [", "scroll entire screen up"),
    ALIAS(K1('['), ACT_SCREEN_UP),
    ALIAS(K1(TK_ALT + 'K'), ACT_SCREEN_UP),
    MAIN(K1(TK_PAGE_DOWN), ACT_SCREEN_DOWN, "PageDown ]", "scroll entire screen down"),
    ALIAS(K1(']'), ACT_SCREEN_DOWN),
    ALIAS(K1(TK_ALT + 'J'), ACT_SCREEN_DOWN),
    MAIN(K1(TK_SPACE), ACT_TAG, "Space", "tag/untag current process"),
    MAIN(K1(TK_ESC), ACT_CLEAR, "Esc", "clear process selection"),
    SIGNAL(K1(TK_CTRL_C), ACT_SIGNAL_INT, "Ctrl-C I", "interrupt selected process"),
    SIGNAL(K1('I'), ACT_SIGNAL_INT, NULL, NULL),
    SIGNAL(K1('K'), ACT_SIGNAL_KILL, "K", "kill selected process"),
    SIGNAL(K1('k'), ACT_SIGNAL_KILL, NULL, NULL),
    SIGNAL(K1('T'), ACT_SIGNAL_TERM, "T", "terminate selected process"),
    MAIN(K1('e'), ACT_ENVIRONMENT, "e", "show process environment"),
    MAIN(K1('t'), ACT_TREE, "t", "toggle tree-view screen"),
    MAIN(K1(TK_ENTER), ACT_METRICS, "Enter", "show process metrics"),
    SORT('n', SORT_NATURAL, 0, "on oN", "sort by GPU-INDEX"),
    SORT('N', SORT_NATURAL, 1, NULL, NULL),
    SORT('p', SORT_PID, 0, "op oP", "sort by PID"),
    SORT('P', SORT_PID, 1, NULL, NULL),
    SORT('u', SORT_USERNAME, 0, "ou oU", "sort by USER"),
    SORT('U', SORT_USERNAME, 1, NULL, NULL),
    SORT('g', SORT_GPU_MEMORY, 0, "og oG", "sort by GPU-MEM"),
    SORT('G', SORT_GPU_MEMORY, 1, NULL, NULL),
    SORT('s', SORT_SM, 0, "os oS", "sort by %SM"),
    SORT('S', SORT_SM, 1, NULL, NULL),
    SORT('b', SORT_GMBW, 0, "ob oB", "sort by %GMBW"),
    SORT('B', SORT_GMBW, 1, NULL, NULL),
    SORT('c', SORT_CPU, 0, "oc oC", "sort by %CPU"),
    SORT('C', SORT_CPU, 1, NULL, NULL),
    SORT('m', SORT_MEMORY, 0, "om oM", "sort by %MEM"),
    SORT('M', SORT_MEMORY, 1, NULL, NULL),
    SORT('t', SORT_TIME, 0, "ot oT", "sort by TIME"),
    SORT('T', SORT_TIME, 1, NULL, NULL),
    MAIN(K1(','), ACT_ORDER_PREV, ", .", "select sort column"),
    ALIAS(K1('<'), ACT_ORDER_PREV),
    GROUPED(K1('.'), ACT_ORDER_NEXT, "next sort column"),
    ALIAS(K1('>'), ACT_ORDER_NEXT),
    MAIN(K1('/'), ACT_ORDER_REVERSE, "/", "invert sort order"),
    /* the wheel: one row, five with Ctrl, two columns sideways with Shift */
    WHEEL(K1(TK_WHEEL_UP), ACT_SELECT_UP, 1, "Wheel", "scroll process list"),
    WHEEL(K1(TK_WHEEL_DOWN), ACT_SELECT_DOWN, 1, NULL, NULL),
    WHEEL(K1(TK_SHIFT_WHEEL_UP), ACT_SCROLL_LEFT, 2, "Shift-Wheel", "scroll horizontally"),
    WHEEL(K1(TK_SHIFT_WHEEL_DOWN), ACT_SCROLL_RIGHT, 2, NULL, NULL),
    WHEEL(K1(TK_CTRL_WHEEL_UP), ACT_SELECT_UP, 5, "Ctrl-Wheel", "fast scroll (5x)"),
    WHEEL(K1(TK_CTRL_WHEEL_DOWN), ACT_SELECT_DOWN, 5, NULL, NULL),
    /* The tree view (nvitop's TreeViewScreen): Left/Right scroll by 5; PageUp/PageDown move
     * the selection like Up/Down. */
    TREE(K1('t'), ACT_TREE, 0),
    TREE(K1('q'), ACT_BACK, 0),
    TREE(K1('Q'), ACT_BACK, 0),
    TREE(K1('h'), ACT_HELP, 0),
    TREE(K1('?'), ACT_HELP, 0),
    TREE(K1('e'), ACT_ENVIRONMENT, 0),
    TREE(K1(TK_UP), ACT_SELECT_UP, 0),
    TREE(K1(TK_BACKTAB), ACT_SELECT_UP, 0),
    TREE(K1(TK_ALT + 'k'), ACT_SELECT_UP, 0),
    TREE(K1(TK_PAGE_UP), ACT_SELECT_UP, 0),
    TREE(K1(TK_ALT + 'K'), ACT_SELECT_UP, 0),
    TREE(K1('['), ACT_SELECT_UP, 0),
    TREE(K1(TK_DOWN), ACT_SELECT_DOWN, 0),
    TREE(K1(TK_TAB), ACT_SELECT_DOWN, 0),
    TREE(K1(TK_ALT + 'j'), ACT_SELECT_DOWN, 0),
    TREE(K1(TK_PAGE_DOWN), ACT_SELECT_DOWN, 0),
    TREE(K1(TK_ALT + 'J'), ACT_SELECT_DOWN, 0),
    TREE(K1(']'), ACT_SELECT_DOWN, 0),
    TREE(K1(TK_HOME), ACT_SELECT_FIRST, 0),
    TREE(K1(TK_END), ACT_SELECT_LAST, 0),
    TREE(K1(TK_LEFT), ACT_SCROLL_LEFT, 0),
    TREE(K1(TK_ALT + 'h'), ACT_SCROLL_LEFT, 0),
    TREE(K1(TK_RIGHT), ACT_SCROLL_RIGHT, 0),
    TREE(K1(TK_ALT + 'l'), ACT_SCROLL_RIGHT, 0),
    TREE(K1(TK_CTRL_A), ACT_SCROLL_BEGIN, 0),
    TREE(K1('^'), ACT_SCROLL_BEGIN, 0),
    TREE(K1(TK_ESC), ACT_CLEAR, 0),
    TREE(K1(TK_SPACE), ACT_TAG, 0),
    TREE_SIGNAL(K1('T'), ACT_SIGNAL_TERM),
    TREE_SIGNAL(K1('K'), ACT_SIGNAL_KILL),
    TREE_SIGNAL(K1('k'), ACT_SIGNAL_KILL),
    TREE_SIGNAL(K1(TK_CTRL_C), ACT_SIGNAL_INT),
    TREE_SIGNAL(K1('I'), ACT_SIGNAL_INT),
    TREE(K1(TK_WHEEL_UP), ACT_SELECT_UP, 1),
    TREE(K1(TK_WHEEL_DOWN), ACT_SELECT_DOWN, 1),
    TREE(K1(TK_SHIFT_WHEEL_UP), ACT_SCROLL_LEFT, 2),
    TREE(K1(TK_SHIFT_WHEEL_DOWN), ACT_SCROLL_RIGHT, 2),
    TREE(K1(TK_CTRL_WHEEL_UP), ACT_SELECT_UP, 5),
    TREE(K1(TK_CTRL_WHEEL_DOWN), ACT_SELECT_DOWN, 5),
    /* The signal box: options 0 SIGTERM, 1 SIGKILL, 2 SIGINT, 3 Cancel. */
    BOX(K1('t'), ACT_BOX_CHOOSE, 0),
    BOX(K1('T'), ACT_BOX_CHOOSE, 0),
    BOX(K1('1'), ACT_BOX_CHOOSE, 0),
    BOX(K1('k'), ACT_BOX_CHOOSE, 1),
    BOX(K1('K'), ACT_BOX_CHOOSE, 1),
    BOX(K1('2'), ACT_BOX_CHOOSE, 1),
    BOX(K1('i'), ACT_BOX_CHOOSE, 2),
    BOX(K1('I'), ACT_BOX_CHOOSE, 2),
    BOX(K1('3'), ACT_BOX_CHOOSE, 2),
    BOX(K1('c'), ACT_BOX_CHOOSE, 3),
    BOX(K1('C'), ACT_BOX_CHOOSE, 3),
    BOX(K1('4'), ACT_BOX_CHOOSE, 3),
    BOX(K1('n'), ACT_BOX_CHOOSE, 3),
    BOX(K1('N'), ACT_BOX_CHOOSE, 3),
    BOX(K1(TK_ENTER), ACT_BOX_APPLY, 0),
    BOX(K1(TK_SPACE), ACT_BOX_APPLY, 0),
    BOX(K1(TK_ESC), ACT_BOX_CANCEL, 0),
    BOX(K1('q'), ACT_BOX_CANCEL, 0),
    BOX(K1('Q'), ACT_BOX_CANCEL, 0),
    BOX(K1(TK_LEFT), ACT_BOX_PREV, 0),
    BOX(K1(','), ACT_BOX_PREV, 0),
    BOX(K1('<'), ACT_BOX_PREV, 0),
    BOX(K1('['), ACT_BOX_PREV, 0),
    BOX(K1(TK_BACKTAB), ACT_BOX_PREV, 0),
    BOX(K1(TK_RIGHT), ACT_BOX_NEXT, 0),
    BOX(K1('.'), ACT_BOX_NEXT, 0),
    BOX(K1('>'), ACT_BOX_NEXT, 0),
    BOX(K1(']'), ACT_BOX_NEXT, 0),
    BOX(K1(TK_TAB), ACT_BOX_NEXT, 0),
    BOX(K1(TK_WHEEL_UP), ACT_BOX_PREV, 0),
    BOX(K1(TK_WHEEL_DOWN), ACT_BOX_NEXT, 0),
    BOX(K1(TK_CTRL_WHEEL_UP), ACT_BOX_PREV, 0),
    BOX(K1(TK_CTRL_WHEEL_DOWN), ACT_BOX_NEXT, 0),
    /* The environment screen (ACT_QUIT and ACT_ENVIRONMENT go back). */
    ENV(K1('e'), ACT_ENVIRONMENT),
    ENV(K1(TK_ESC), ACT_QUIT),
    ENV(K1('q'), ACT_QUIT),
    ENV(K1('Q'), ACT_QUIT),
    ENV(K1(TK_UP), ACT_SELECT_UP),
    ENV(K1(TK_BACKTAB), ACT_SELECT_UP),
    ENV(K1(TK_ALT + 'k'), ACT_SELECT_UP),
    ENV(K1(TK_PAGE_UP), ACT_SELECT_UP),
    ENV(K1('['), ACT_SELECT_UP),
    ENV(K1(TK_DOWN), ACT_SELECT_DOWN),
    ENV(K1(TK_TAB), ACT_SELECT_DOWN),
    ENV(K1(TK_ALT + 'j'), ACT_SELECT_DOWN),
    ENV(K1(TK_PAGE_DOWN), ACT_SELECT_DOWN),
    ENV(K1(']'), ACT_SELECT_DOWN),
    ENV(K1(TK_HOME), ACT_SELECT_FIRST),
    ENV(K1(TK_END), ACT_SELECT_LAST),
    ENV(K1(TK_LEFT), ACT_SCROLL_LEFT),
    ENV(K1(TK_ALT + 'h'), ACT_SCROLL_LEFT),
    ENV(K1(TK_RIGHT), ACT_SCROLL_RIGHT),
    ENV(K1(TK_ALT + 'l'), ACT_SCROLL_RIGHT),
    ENV(K1(TK_CTRL_A), ACT_SCROLL_BEGIN),
    ENV(K1('^'), ACT_SCROLL_BEGIN),
    ENV(K1('r'), ACT_REFRESH),
    ENV(K1('R'), ACT_REFRESH),
    ENV(K1(TK_CTRL_R), ACT_REFRESH),
    ENV(K1(TK_F5), ACT_REFRESH),
    /* The metrics screen (ACT_QUIT and ACT_METRICS go back to the main screen). */
    METRICS(K1(TK_ENTER), ACT_METRICS),
    METRICS(K1(TK_ESC), ACT_QUIT),
    METRICS(K1('q'), ACT_QUIT),
    METRICS(K1('Q'), ACT_QUIT),
    METRICS(K1('e'), ACT_ENVIRONMENT),
};

const key_binding_t *keys_table(size_t *count)
{
    *count = sizeof(table) / sizeof(table[0]);
    return table;
}

const key_binding_t *keys_lookup(tui_screen_t screen, const int *keys, size_t n, bool readonly,
                                 bool *prefix)
{
    *prefix = false;
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        const key_binding_t *b = &table[i];
        if (b->screen != screen || (readonly && b->signal)) continue;
        size_t len = b->keys[1] ? 2 : 1;
        bool match = true;
        for (size_t k = 0; k < n && k < len && match; k++)
            match = b->keys[k] == keys[k];
        if (!match) continue;
        if (len == n) return b;
        if (len > n) *prefix = true;
    }
    return NULL;
}

const char *keys_name(int key, char *buf, size_t len)
{
    static const char *const special[] = {
        "Up",      "Down",      "Left",      "Right",       "Home",      "End",
        "PageUp",  "PageDown",  "S-Tab",     "F5",          "Resize",    "Mouse",
        "WheelUp", "WheelDown", "S-WheelUp", "S-WheelDown", "C-WheelUp", "C-WheelDown"};
    if (key >= TK_ALT) {
        char inner[32];
        keys_name(key - TK_ALT, inner, sizeof(inner));
        bool named = inner[0] == '<';
        snprintf(buf, len, "<A-%.*s>", (int)strlen(inner) - (named ? 2 : 0), inner + named);
    } else if (key > TK_SPECIAL && key - TK_SPECIAL - 1 < (int)(sizeof(special) / sizeof(*special)))
        snprintf(buf, len, "<%s>", special[key - TK_SPECIAL - 1]);
    else if (key == TK_ESC)
        snprintf(buf, len, "<Esc>");
    else if (key == TK_ENTER)
        snprintf(buf, len, "<Enter>");
    else if (key == TK_TAB)
        snprintf(buf, len, "<Tab>");
    else if (key == TK_SPACE)
        snprintf(buf, len, "<Space>");
    else if (key > 0 && key < 32)
        snprintf(buf, len, "<C-%c>", 'a' + key - 1);
    else if (key > 0 && key < 0x80)
        snprintf(buf, len, "%c", key);
    else
        snprintf(buf, len, "<%d>", key);
    return buf;
}

int keys_mouse_button(int code, bool release)
{
    if (release || code < 0 || (code & (32 | 128))) return 0; /* motion, buttons 8-11 */
    int low = code & 3, button;
    if (code & 64)
        button = low == 0 ? 4 : low == 1 ? 5 : 0; /* 6, 7: the horizontal wheel */
    else
        button = low == 0 ? 1 : low == 1 ? 5 : low == 2 ? 3 : 0; /* 3: an X10 release */
    if (!button) return 0;
    return button + (code & 4 ? 8 : 0) + (code & 16 ? 16 : 0);
}
