/* SPDX-License-Identifier: Apache-2.0 */
/* The signal confirmation box (spec §3.8): its message, its four buttons (SIGTERM, SIGKILL,
 * SIGINT, Cancel), the highlighted one, and a choice made by key that applies 0.25 s later
 * unless it was already highlighted. Drawing into a frame; nothing is sent from here. */
#ifndef NVITOP_TUI_CONFIRM_H
#define NVITOP_TUI_CONFIRM_H

#include <stdint.h>

#include "tui/frame.h"
#include "tui/selection.h"

enum { CONFIRM_TERM, CONFIRM_KILL, CONFIRM_INT, CONFIRM_CANCEL, CONFIRM__COUNT };

#define CONFIRM_WIDTH 62 /* (8 + 6) * 4 + 6, a blank margin on each side included */
#define CONFIRM_DELAY_NS 250000000ULL

typedef struct confirm {
    signal_target_t *targets; /* owned */
    size_t count;
    int current;         /* highlighted option */
    uint64_t pending_at; /* apply the highlighted option then (0: nothing pending) */
} confirm_t;

/* Opens the box for `count` targets (copied) with the option of the key pressed highlighted.
 * Returns 0 or -1 when out of memory. */
int confirm_open(confirm_t *c, const signal_target_t *targets, size_t count, int option);
void confirm_close(confirm_t *c);

/* The box's lines as text (each CONFIRM_WIDTH columns, '\n' after each). Returns 0 or -1. */
int confirm_text(const confirm_t *c, strbuf_t *out);

/* Draws the box centred on a screen of lines x cols, with its colours. */
void confirm_draw(const confirm_t *c, frame_t *f, int lines, int cols);

/* The option whose button is at (y, x) of a screen of lines x cols, or -1. */
int confirm_hit(const confirm_t *c, int lines, int cols, int y, int x);

/* A key chose option i at `now`: returns true when it applies at once (it was highlighted),
 * else highlights it and schedules it. */
bool confirm_choose(confirm_t *c, int option, uint64_t now_ns);

#endif
