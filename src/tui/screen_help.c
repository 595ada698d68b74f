/* SPDX-License-Identifier: Apache-2.0 */
/* The help screen (spec §3.6): nvitop's text, its key list generated from the key table
 * (keys.c) so that it names exactly the keys the input handler binds: the layout below only
 * places keys, their names and what they do come from their bindings. */
#include "tui/tui_internal.h"

#include <stdio.h>
#include <string.h>

/* Where each key's row goes: two columns (a key of the main screen, or none), a blank line
 * where both are none and `blank` is set. */
typedef struct help_place {
    int left[2], right[2];
    bool blank;
} help_place_t;

#define K(k)                                                                                       \
    {                                                                                              \
        (k), 0                                                                                     \
    }
#define O(letter)                                                                                  \
    {                                                                                              \
        'o', (letter)                                                                              \
    }
#define NONE                                                                                       \
    {                                                                                              \
        0, 0                                                                                       \
    }

static const help_place_t places[] = {
    {K('a'), K('h'), false},
    {K('r'), K('q'), false},
    {K('H'), K('w'), false}, /* ours */
    {NONE, K('W'), false},   /* ours */
    {NONE, NONE, true},
    {K(TK_UP), K(TK_SPACE), false},
    {K(TK_HOME), K(TK_ESC), false},
    {K(TK_END), K(TK_CTRL_C), false},
    {NONE, K('K'), false},
    {K(TK_CTRL_A), K('T'), false},
    {K(TK_CTRL_E), K('e'), false},
    {K(TK_PAGE_UP), K('t'), false},
    {K(TK_PAGE_DOWN), K(TK_ENTER), false},
    {NONE, NONE, true},
    {K(TK_WHEEL_UP), K(TK_SHIFT_WHEEL_UP), false},
    {K(TK_TAB), K(TK_CTRL_WHEEL_UP), false},
    {NONE, NONE, true},
    {O('n'), NONE, false},
    {O('p'), O('b'), false},
    {O('u'), O('c'), false},
    {O('g'), O('m'), false},
    {O('s'), O('t'), false},
    {K(','), K('/'), false},
};

/* The labelled binding of keys on the main screen, or NULL. */
static const key_binding_t *binding(const int keys[2])
{
    if (!keys[0]) return NULL;
    bool prefix;
    const key_binding_t *b = keys_lookup(SCREEN_MAIN, keys, keys[1] ? 2 : 1, false, &prefix);
    return b && b->label ? b : NULL;
}

/* "      label: help" with the label right-aligned in 11 columns, the help padded to `width`
 * (0: not padded). */
static size_t column(char *buf, size_t len, const key_binding_t *b, int width)
{
    if (!b) return (size_t)snprintf(buf, len, "%*s", width, "");
    return (size_t)snprintf(buf, len, "%11s: %-*s", b->label, width ? width - 13 : 0, b->help);
}

static void add(help_line_t *out, size_t max, size_t *n, const char *text)
{
    if (*n >= max) return;
    snprintf(out[*n].text, sizeof(out[*n].text), "%s", text);
    out[*n].left = out[*n].right = NULL;
    (*n)++;
}

size_t help_lines(const char *version, const int gpu_thresholds[2], const int mem_thresholds[2],
                  help_line_t *out, size_t max)
{
    size_t n = 0;
    char line[160];
    snprintf(line, sizeof(line), "nvitop %s - (C) Xuehai Pan, 2021-2026.", version);
    add(out, max, &n, line);
    add(out, max, &n, "Released under the GNU GPLv3 License.");
    add(out, max, &n, "");
    add(out, max, &n, "GPU Process Type: C: Compute, G: Graphics, X: Mixed.");
    add(out, max, &n, "");
    add(out, max, &n, "Device coloring rules by loading intensity:");
    snprintf(line, sizeof(line), "  - GPU utilization: light < %d%% <= moderate < %d%% <= heavy.",
             gpu_thresholds[0], gpu_thresholds[1]);
    add(out, max, &n, line);
    snprintf(line, sizeof(line), "  - GPU-MEM percent: light < %d%% <= moderate < %d%% <= heavy.",
             mem_thresholds[0], mem_thresholds[1]);
    add(out, max, &n, line);
    add(out, max, &n, "");
    for (size_t i = 0; i < ARRAY_LEN(places) && n < max; i++) {
        const key_binding_t *l = binding(places[i].left), *r = binding(places[i].right);
        if (!l && !r && !places[i].blank) continue; /* a key the table no longer has */
        size_t at = column(line, sizeof(line), l, r ? 40 : 0);
        if (r) column(line + at, sizeof(line) - at, r, 0);
        size_t len = strlen(line);
        while (len > 0 && line[len - 1] == ' ') /* nvitop's lines end at their text */
            line[--len] = '\0';
        add(out, max, &n, line);
        out[n - 1].left = l;
        out[n - 1].right = r;
    }
    add(out, max, &n, "");
    add(out, max, &n, "Press any key to return.");
    return n;
}

/* The colours of a key row: key names bold blue, signal keys red (dim under --readonly). */
static void key_row(tui_t *t, int y, const help_line_t *h)
{
    frame_t *f = &t->frame;
    if (h->left) frame_chgat(f, y, 0, 11, TC_BLUE | TS_BOLD);
    if (!h->right) return;
    bool signal = h->right->signal;
    if (signal && t->opt.readonly)
        frame_chgat(f, y, 40, t->cols - 40, TS_DIM);
    else
        frame_chgat(f, y, 40, 11, (signal ? TC_RED : TC_BLUE) | TS_BOLD);
}

void help_draw(tui_t *t)
{
    help_line_t lines[48];
    size_t n = help_lines(t->ropt.version, t->opt.gpu_thresholds, t->opt.mem_thresholds, lines,
                          ARRAY_LEN(lines));
    frame_t *f = &t->frame;
    for (size_t i = 0; i < n; i++) {
        int y = (int)i;
        frame_put(f, y, 0, lines[i].text, 0);
        if (lines[i].left || lines[i].right) key_row(t, y, &lines[i]);
    }
    frame_chgat(f, 0, 0, t->cols, TC_CYAN | TS_BOLD);
    frame_chgat(f, 1, 0, t->cols, TC_CYAN | TS_BOLD);
    frame_chgat(f, 3, 0, 17, TS_BOLD);
    for (int i = 0; i < 3; i++) {
        frame_chgat(f, 3, 18 + 12 * i + (i == 2), 1, TC_MAGENTA | TS_BOLD);
    }
    frame_chgat(f, 5, 0, 43, TS_BOLD);
    for (int y = 6; y <= 7; y++) { /* light, moderate, heavy in their colours */
        const char *text = lines[y].text;
        const char *words[] = {"light", "moderate", "heavy"};
        tstyle_t colors[] = {TC_GREEN, TC_YELLOW, TC_RED};
        for (int w = 0; w < 3; w++) {
            const char *at = strstr(text, words[w]);
            if (at)
                frame_chgat(f, y, (int)(at - text), (int)strlen(words[w]),
                            colors[w] | TS_BOLD | TS_ITALIC);
        }
    }
    frame_chgat(f, (int)n - 1, 0, 24, TS_BOLD);
}
