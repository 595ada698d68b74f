/* SPDX-License-Identifier: Apache-2.0 */
/* The monitor's state and the parts that share it: the main screen's panels (pure: they draw
 * a frame from the state), the actions of the keys, and the curses screen. */
#ifndef NVITOP_TUI_INTERNAL_H
#define NVITOP_TUI_INTERNAL_H

#include "core/sampler.h"
#include "render/cells.h"
#include "tui/confirm.h"
#include "tui/frame.h"
#include "tui/keys.h"
#include "tui/layout.h"
#include "tui/screens.h"
#include "tui/selection.h"
#include "tui/sort.h"
#include "tui/tui.h"

/* One graph's points as the panel draws them. */
typedef struct tui_graph {
    float points[2 * 1024 + 1]; /* newest first */
    size_t count;
    double last; /* the label's value; NaN: N/A */
} tui_graph_t;

enum { G_CPU, G_MEM, G_SWP, G_GPU_MEM, G_GPU_UTL, G_GPU_PWR, G__COUNT };

/* The processes shown: the latest process snapshot, filtered and sorted. */
typedef struct tui_procs {
    bool have; /* a process snapshot arrived ("Gathering process status..." before) */
    rpt_proc_t *items;
    size_t count;
    int time_length; /* width of the TIME column */
    int info_width;  /* widest host information */
    int gpus;        /* distinct physical GPUs among them */
} tui_procs_t;

typedef struct tui {
    tui_options_t opt;
    report_options_t ropt;
    sampler_t *sampler;
    /* the data drawn (the view's snapshots are held until the next one is taken) */
    const nvitop_snapshot_t *devices, *host, *processes;
    char error[256];
    const char *me, *hostname;
    bool superuser;
    int64_t now_unix_ns; /* for the date line */
    uint64_t now_ns;     /* monotonic */
    tui_graph_t graph[G__COUNT];
    int graph_device; /* the device the GPU graphs follow (-1: averages) */

    /* screen */
    int lines, cols;
    bool colors256; /* --colorful on a terminal with 256 colours */
    frame_t frame;
    tui_mode_t mode;
    bool host_hidden;
    int scroll; /* content top relative to the screen, <= 0 */
    layout_t layout;

    /* process panel */
    tui_procs_t procs;
    sort_order_t order;
    bool reverse;
    selection_t sel;
    bool sel_visible; /* the selected row is on screen */
    int host_offset;  /* horizontal scroll of the host information; -1: cut with ".." */
    bool beep;        /* the scroll hit its end */

    /* keys and the signal box */
    tui_screen_t screen;
    int prefix; /* first key of a two-key binding, or 0 */
    confirm_t box;
    char message[160]; /* a one-line note on the hint line */
    uint64_t message_until;
    bool quit;
    bool repaint;     /* r: redraw the whole terminal, not only what changed */
    int signals_sent; /* processes signalled so far (tests read it in the log) */
    tui_environ_t env;
    tui_metrics_t metrics;
} tui_t;

/* ---- main.c: the state from data, and the main screen ---- */
void tui_state_init(tui_t *t, const tui_options_t *opt);
void tui_state_fini(tui_t *t);
/* Rebuilds the shown process list from t->processes (filters, sort, selection re-found). */
int tui_procs_update(tui_t *t);
/* Re-sorts the shown list after an order change (the selection follows its process). */
void tui_procs_resort(tui_t *t);
/* Computes the layout for the current size, mode and data. */
void tui_layout(tui_t *t);
/* Draws the whole screen into t->frame (sized lines x cols). */
void tui_draw(tui_t *t);
/* Moves the whole screen by `direction` lines (PageDown: +1). */
void tui_screen_move(tui_t *t, int direction);

/* ---- panel_device.c, panel_host.c, panel_process.c ---- */
/* Each draws its panel with its top at row y of the frame (rows outside are clipped). */
void panel_devices(tui_t *t, int y);
void panel_host(tui_t *t, int y);
void panel_processes(tui_t *t, int y);
/* The rows the process panel puts its processes on, from its top: the row of entry i. */
int panel_process_row(const tui_t *t, size_t i);
/* The graphs' geometry at the current width: how many points each needs. */
size_t panel_host_points(const tui_t *t, int graph);

/* ---- actions.c ---- */
/* Feeds one key (TK_* code) to the current screen. */
void tui_key(tui_t *t, int key);
/* A mouse event at screen (y, x): button 1/3 click, 4/5 wheel up/down, +8 with Shift. */
void tui_mouse(tui_t *t, int y, int x, int button);
/* Time passed: a choice in the signal box applies when its delay is over. */
void tui_tick(tui_t *t);
/* A message on the hint line for a few seconds. */
void tui_message(tui_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
