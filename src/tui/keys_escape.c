/* SPDX-License-Identifier: Apache-2.0 */
/* Escape sequences a terminal sends (keys.h: keys_csi, keys_ss3), decoded without curses.
 * A terminal's entry names its mouse report's prefix as the key kmous (xterm: `ESC [ <`,
 * screen, tmux, linux, rxvt: `ESC [ M`, vt100: none), but a terminal may send either form,
 * so the monitor decodes both itself, and reads every sequence to its end: the digits of a
 * report read as keys would pick buttons of the signal box. */
#include "tui/keys.h"

#include <stdbool.h>
#include <string.h>

#define ESC 27
#define CSI_MAX 32       /* parameter bytes of a sequence we keep */
#define CSI_READ_MAX 256 /* bytes we read before giving up on a sequence */
#define NUMBER_MAX 99999 /* a larger coordinate or button code is garbage */

/* Exactly three decimal fields separated by ';' (an SGR or urxvt report's parameters). */
static bool three_numbers(const char *s, int v[3])
{
    int n = 0;
    bool digits = false;
    v[0] = v[1] = v[2] = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            v[n] = v[n] * 10 + (*s - '0');
            if (v[n] > NUMBER_MAX) return false;
            digits = true;
        } else if (*s == ';' && digits && n < 2) {
            n++;
            digits = false;
        } else {
            return false;
        }
    }
    return n == 2 && digits;
}

/* A mouse event at 1-based column x, line y of a button code: TK_NONE unless a button. */
static int mouse_event(keys_mouse_t *m, int code, bool release, int x, int y)
{
    int button = keys_mouse_button(code, release);
    if (!button || x < 1 || y < 1) return TK_NONE;
    m->button = button;
    m->x = x - 1;
    m->y = y - 1;
    return TK_MOUSE;
}

/* X10: three bytes after `M`, each 32 + its value (coordinates count from 1); any byte
 * counts, as no terminal sends a control byte there (a report cut short by the next one's
 * ESC hands it back). */
static int x10_report(keys_input_t *in, keys_mouse_t *m)
{
    int b[3];
    for (int i = 0; i < 3; i++) {
        b[i] = in->next(in->ctx);
        if (b[i] == ESC) in->unread(in->ctx, ESC);
        if (b[i] < 0) in->rest = 3 - i;
        if (b[i] < 0 || b[i] == ESC) return TK_NONE;
    }
    if (b[0] < 32 || b[1] < 32 || b[2] < 32 || b[0] > 255 || b[1] > 255 || b[2] > 255)
        return TK_NONE;
    return mouse_event(m, b[0] - 32, false, b[1] - 32, b[2] - 32);
}

/* Cursor and editing keys by a complete sequence's parameters and final byte. */
static int csi_key(const char *params, int final)
{
    static const struct {
        const char *params;
        char final;
        int key;
    } known[] = {
        {"", 'A', TK_UP},         {"", 'B', TK_DOWN}, {"", 'C', TK_RIGHT},   {"", 'D', TK_LEFT},
        {"", 'H', TK_HOME},       {"", 'F', TK_END},  {"", 'Z', TK_BACKTAB}, {"1", '~', TK_HOME},
        {"7", '~', TK_HOME},      {"4", '~', TK_END}, {"8", '~', TK_END},    {"5", '~', TK_PAGE_UP},
        {"6", '~', TK_PAGE_DOWN}, {"15", '~', TK_F5},
    };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (known[i].final == final && strcmp(known[i].params, params) == 0) return known[i].key;
    return TK_NONE;
}

int keys_csi(keys_input_t *in, keys_mouse_t *m)
{
    int ch = in->next(in->ctx);
    in->rest = ch < 0 ? KEYS_REST_AFTER : 0;
    if (ch < 0) return TK_NONE;
    if (ch == 'M') return x10_report(in, m);
    /* ECMA-48: parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, a final byte
     * 0x40-0x7E. Other bytes make it garbage, read on to its final byte all the same. */
    char params[CSI_MAX + 1];
    size_t n = 0, read = 1;
    bool garbage = false;
    for (; ch < 0x40 || ch > 0x7E; ch = in->next(in->ctx)) {
        if (ch == ESC) in->unread(in->ctx, ESC); /* the next sequence: this one was cut short */
        if (ch < 0) in->rest = KEYS_REST_CSI;
        if (ch < 0 || ch == ESC || ++read > CSI_READ_MAX) return TK_NONE;
        if (ch >= 0x20 && ch <= 0x3F && n < CSI_MAX)
            params[n++] = (char)ch;
        else
            garbage = true;
    }
    if (garbage) return TK_NONE;
    params[n] = '\0';
    int v[3];
    if (params[0] == '<' && (ch == 'M' || ch == 'm') && three_numbers(params + 1, v))
        return mouse_event(m, v[0], ch == 'm', v[1], v[2]); /* SGR (1006) */
    if (ch == 'M' && three_numbers(params, v))
        return mouse_event(m, v[0] - 32, false, v[1], v[2]); /* urxvt (1015) */
    return csi_key(params, ch);
}

int keys_ss3(keys_input_t *in)
{
    int ch = in->next(in->ctx);
    if (ch < 0) return TK_ALT + 'O';
    if (ch == ESC) {
        in->unread(in->ctx, ESC);
        return TK_NONE;
    }
    return ch == 'A' || ch == 'B' || ch == 'C' || ch == 'D' || ch == 'H' || ch == 'F'
               ? csi_key("", ch)
               : TK_NONE;
}

bool keys_rest(int byte, int *rest)
{
    if (*rest == KEYS_REST_AFTER) *rest = byte == 'M' ? 4 : KEYS_REST_CSI;
    if (*rest > 0 && byte >= 32 && byte <= 255) { /* an X10 report's byte (or its M) */
        (*rest)--;
        return true;
    }
    if (*rest == KEYS_REST_CSI && byte >= 0x20 && byte <= 0x7E) {
        if (byte >= 0x40) *rest = 0; /* its final byte */
        return true;
    }
    *rest = 0;
    return false;
}
