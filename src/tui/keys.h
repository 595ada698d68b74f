/* SPDX-License-Identifier: Apache-2.0 */
/* The monitor's key table: the single source of truth of what each key does on each screen,
 * with the help text the help screen is generated from. Key codes are our own (curses-free):
 * characters are themselves, special keys count from TK_SPECIAL, Alt+key adds TK_ALT. */
#ifndef NVITOP_TUI_KEYS_H
#define NVITOP_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

enum {
    TK_NONE = 0,
    TK_CTRL_A = 1,
    TK_CTRL_C = 3,
    TK_CTRL_E = 5,
    TK_TAB = 9,
    TK_ENTER = 10,
    TK_CTRL_R = 18,
    TK_ESC = 27,
    TK_SPACE = ' ',
    TK_SPECIAL = 0x110000,
    TK_UP,
    TK_DOWN,
    TK_LEFT,
    TK_RIGHT,
    TK_HOME,
    TK_END,
    TK_PAGE_UP,
    TK_PAGE_DOWN,
    TK_BACKTAB, /* Shift-Tab */
    TK_F5,
    TK_RESIZE,
    TK_MOUSE,
    /* the mouse wheel as keys, so that the table binds it (and the help names it) too */
    TK_WHEEL_UP,
    TK_WHEEL_DOWN,
    TK_SHIFT_WHEEL_UP,
    TK_SHIFT_WHEEL_DOWN,
    TK_CTRL_WHEEL_UP,
    TK_CTRL_WHEEL_DOWN,
    TK_ALT = 0x200000 /* added to a key */
};

/* The screens (spec §3.1); the signal box is a screen too: it owns the keys while shown. */
typedef enum tui_screen {
    SCREEN_MAIN,
    SCREEN_TREE,
    SCREEN_HELP, /* any key returns: no bindings */
    SCREEN_ENVIRON,
    SCREEN_METRICS,
    SCREEN_CONFIRM,
    SCREEN__COUNT
} tui_screen_t;

typedef enum tui_action {
    ACT_NONE,
    ACT_QUIT,
    ACT_BACK, /* to the main screen */
    ACT_HELP,
    ACT_MODE_AUTO,
    ACT_MODE_FULL,
    ACT_MODE_COMPACT,
    ACT_TOGGLE_HOST,
    ACT_TOGGLE_WORKLOAD, /* ours: the WORKLOAD column */
    ACT_GROUP_WORKLOAD,  /* ours: processes grouped by workload */
    ACT_REFRESH,
    ACT_SELECT_UP,
    ACT_SELECT_DOWN,
    ACT_SELECT_FIRST,
    ACT_SELECT_LAST,
    ACT_SCROLL_LEFT,
    ACT_SCROLL_RIGHT,
    ACT_SCROLL_BEGIN,
    ACT_SCROLL_END,
    ACT_SCREEN_UP,
    ACT_SCREEN_DOWN,
    ACT_CLEAR,
    ACT_TAG,
    ACT_SIGNAL_TERM,
    ACT_SIGNAL_KILL,
    ACT_SIGNAL_INT,
    ACT_ENVIRONMENT,
    ACT_TREE,
    ACT_METRICS,
    ACT_ORDER_PREV,
    ACT_ORDER_NEXT,
    ACT_ORDER_REVERSE,
    ACT_SORT,       /* arg: order * 2 + reversed */
    ACT_BOX_CHOOSE, /* arg: the option; applied after a short delay unless highlighted */
    ACT_BOX_APPLY,  /* the highlighted option */
    ACT_BOX_CANCEL, /* at once */
    ACT_BOX_PREV,
    ACT_BOX_NEXT,
} tui_action_t;

typedef struct key_binding {
    tui_screen_t screen;
    int keys[2]; /* one key, or a prefix and a key (`o` then a letter) */
    tui_action_t action;
    int arg;     /* ACT_SELECT_*: rows (0: 1); ACT_SCROLL_LEFT/RIGHT: columns (0: the screen's) */
    bool signal; /* sends a signal: not bound under --readonly */
    const char *label; /* help: the keys as the help screen names them, on one row per action */
    const char *help;  /* help: what it does */
} key_binding_t;

const key_binding_t *keys_table(size_t *count);

/* What `keys` (n = 1, or 2 after a prefix) does on a screen: the binding, or NULL. *prefix is
 * set when keys[0..n) starts a longer binding (wait for the next key). Signal bindings are
 * skipped when `readonly`. */
const key_binding_t *keys_lookup(tui_screen_t screen, const int *keys, size_t n, bool readonly,
                                 bool *prefix);

/* The monitor's mouse button of an xterm mouse report's button code (X10 or SGR 1006):
 * 1 left, 3 right, 4 wheel up, 5 wheel down (a middle press too, as nvitop reads it), plus 8
 * with Shift and 16 with Ctrl; 0 for a release, motion or a button the monitor ignores. */
int keys_mouse_button(int code, bool release);

/* Where the bytes of an escape sequence come from: next() is the next byte when one comes
 * within a short wait (a terminal sends a sequence in one piece), else -1; unread() hands one
 * byte back to be read as the next key. */
typedef struct keys_input {
    int (*next)(void *ctx);
    void (*unread)(void *ctx, int byte);
    void *ctx;
    int rest; /* set when silence cut a sequence short: what is still to come (keys_rest) */
} keys_input_t;

#define KEYS_REST_CSI (-1)   /* the rest of a CSI sequence, to its final byte */
#define KEYS_REST_AFTER (-2) /* all of one after ESC [: an X10 report's M, or as above */

/* A mouse event (TK_MOUSE): screen line and column from 0, keys_mouse_button()'s button. */
typedef struct keys_mouse {
    int y, x, button;
} keys_mouse_t;

/* The key of what a terminal sent after ESC [ (a CSI sequence), read from `in`: a mouse
 * report in each form a terminal sends (X10 `M b x y`, SGR 1006 `<b;x;yM` or `m`, urxvt 1015
 * `b;x;yM`) is TK_MOUSE with *m set; a cursor or editing key the terminfo entry did not name
 * (`A`-`D`, `H`, `F`, `Z`, `1~`-`8~`, `15~`) is its TK_* key. Anything
 * else is TK_NONE and read to its end: a release, motion, an unknown sequence, a report cut
 * short (ESC [ alone too) or garbled; so no byte of a report is ever read as a key (an ESC that
 * starts the next sequence is handed back). */
int keys_csi(keys_input_t *in, keys_mouse_t *m);

/* A byte that came (late) after a sequence was cut short, with *rest as keys_csi left it in
 * keys_input_t.rest (X10: the bytes missing; KEYS_REST_CSI): true when it is the rest of that
 * sequence, to be swallowed (*rest counts down, 0 at its end); false when it cannot be (*rest
 * becomes 0) and is a key of its own. A report split by a slow link is no keys either. */
bool keys_rest(int byte, int *rest);

/* The key of what a terminal sent after ESC O (SS3): arrows, Home, End; TK_NONE (read) for
 * another one; Alt+O when nothing follows. */
int keys_ss3(keys_input_t *in);

/* A key's name for messages and tests: "q", "<C-r>", "<Up>", "<A-j>". Returns buf. */
const char *keys_name(int key, char *buf, size_t len);

#endif
