/* SPDX-License-Identifier: Apache-2.0 */
/* The terminal through curses (ncursesw): start and stop, the size, colours and attributes of
 * frame styles, the rows of a frame that changed since the last one, and keys as TK_* codes.
 * The only part of the program that includes curses. */
#ifndef NVITOP_TUI_SCREEN_H
#define NVITOP_TUI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/frame.h"

typedef struct screen screen_t;

/* Starts curses on the terminal (stdin/stdout). Returns NULL with a reason in err. */
screen_t *screen_start(bool light, bool colorful, char *err, size_t err_len);
void screen_stop(screen_t *s);
/* True when --colorful can shade bars (256 colours). */
bool screen_colors256(const screen_t *s);
/* Reads the terminal's size and tells curses (after SIGWINCH). */
void screen_size(screen_t *s, int *lines, int *cols);
/* Shows a frame: only rows that differ from the last shown one are handed to curses, which
 * sends only the cells that changed. `repaint` redraws the whole terminal. `beep` rings. */
void screen_show(screen_t *s, const frame_t *f, bool repaint, bool beep);
/* The next key (TK_* code), or TK_NONE when none is waiting. Esc followed at once by a key is
 * Alt+key. For TK_MOUSE, *mouse_y, *mouse_x and *mouse_button (1 left, 3 right, 4 wheel up,
 * 5 wheel down; +8 with Shift, +16 with Ctrl) describe the event. */
int screen_key(screen_t *s, int *mouse_y, int *mouse_x, int *mouse_button);

#endif
