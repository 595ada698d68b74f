/* SPDX-License-Identifier: Apache-2.0 */
/* The environment screen and the process metrics screen (spec §3.6): their state in tui_t,
 * what opens and closes them, their keys, mouse and frames, and the pure pieces the unit
 * tests check (the environment's lines and scrolling, the graphs' bounds and axis ticks). */
#ifndef NVITOP_TUI_SCREENS_H
#define NVITOP_TUI_SCREENS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/sampler.h"
#include "tui/keys.h"

struct tui;

/* ---- the environment screen ---- */

typedef struct tui_environ {
    sampler_environ_t *data; /* the answer (NULL while it is awaited) */
    char **lines;            /* "KEY=value" sorted by key, newlines shown as ␤ (? in ASCII) */
    size_t count;
    size_t *key_len; /* code points of each line's key */
    uint32_t pid;
    char kind[32];        /* "GPU: Compute", "Host" */
    char *user, *command; /* as the screen it came from showed them (the header until the answer) */
    tui_screen_t back;    /* the screen e/q/Esc return to */
    int y_offset;         /* the selected line */
    int scroll;           /* the first line shown */
    int x_offset;         /* horizontal scroll, columns */
} tui_environ_t;

/* Opens the screen for a process (pid, GPU process type bits or 0 for a host process, user
 * and command as known) and asks the sampler for its environment. */
void environ_open(struct tui *t, uint32_t pid, unsigned type, const char *user, const char *command,
                  tui_screen_t back);
/* The same for the process the main screen has selected (nvitop itself when none is). */
void environ_open_selected(struct tui *t, tui_screen_t back);
void environ_close(struct tui *t);
void environ_key(struct tui *t, const key_binding_t *b);
/* button: 1/3 click, 4/5 wheel up/down, +8 with Shift (horizontal). */
void environ_mouse(struct tui *t, int y, int x, int button);
void environ_draw(struct tui *t);
/* Takes the sampler's answer when it came; true when it did. */
bool environ_poll(struct tui *t);

/* Pure parts: the lines of an answer (sorted, newlines replaced; the answer stays owned by
 * the caller). Returns 0 or -1 (out of memory). */
int environ_set_lines(tui_environ_t *e, const sampler_environ_t *data, bool ascii);
void environ_free_lines(tui_environ_t *e);
/* Moves the selection by `direction` lines with `height` lines shown; a wheel scrolls the
 * view first (nvitop's EnvironScreen.move). */
void environ_move(tui_environ_t *e, int direction, bool wheel, int height);
/* Puts the selection on a line and keeps it in view. */
void environ_select(tui_environ_t *e, int line, int height);

/* ---- the process metrics screen ---- */

enum { M_CPU, M_HOST_MEM, M_GPU_MEM, M_GPU_SM, M__COUNT };

typedef struct metrics_graph {
    float points[2 * 1024 + 1]; /* newest first; NaN: not available */
    size_t count;
    double last; /* the label's value; NaN: N/A */
} metrics_graph_t;

typedef struct tui_metrics {
    bool on;
    sampler_target_t target;
    unsigned type;                    /* GPU process type bits */
    char gpu_index[24];               /* "0", "2:0" */
    const sampler_watched_t *watched; /* the latest sample, held until the next */
    uint64_t samples;                 /* of the sample shown */
    uint64_t added[M__COUNT];
    metrics_graph_t graph[M__COUNT];
    double host_total, gpu_total; /* bytes; NaN when unknown */
} tui_metrics_t;

/* Opens the screen for the selected process and starts watching it; false when nothing is
 * selected. */
bool metrics_open(struct tui *t);
void metrics_close(struct tui *t);
void metrics_key(struct tui *t, const key_binding_t *b);
void metrics_mouse(struct tui *t, int y, int x, int button);
void metrics_draw(struct tui *t);
/* Takes the latest sample and the graphs' points; true when a sample is new. */
bool metrics_poll(struct tui *t);

/* The device snapshot of the watched process's device, or NULL. */
const nvitop_device_snapshot_t *metrics_device(const struct tui *t);

/* Everything the screens need each round of the loop (monitor.c): true when it changed. */
bool screens_poll(struct tui *t);
/* Closes both (before the sampler stops). */
void screens_fini(struct tui *t);

/* Pure parts. The sizes of nvitop's four graphs at a terminal size. */
typedef struct metrics_size {
    int left, right, upper, lower;
} metrics_size_t;
metrics_size_t metrics_size(int lines, int cols);

/* A graph's value scale: nvitop's dynamic bound, 1.25 x the largest point shown, within
 * [min_bound, max_bound]; init_bound before any point. */
double metrics_bound(const float *points, size_t n, double min_bound, double max_bound,
                     double init_bound);

/* The y-axis ticks of a graph (nvitop's get_yticks): rows from the graph's top and the
 * percentages they show; returns how many (at most 3). `scale` maps a percentage to the
 * values (0.1 for CPU % whose bound is 1000). */
typedef struct metrics_tick {
    int row, percent;
} metrics_tick_t;
int metrics_yticks(int height, double bound, double max_bound, double scale, bool upside_down,
                   metrics_tick_t ticks[3]);

#endif
