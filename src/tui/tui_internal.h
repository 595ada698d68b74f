/* SPDX-License-Identifier: Apache-2.0 */
/* The monitor's state and the parts that share it: the main screen's panels (pure: they draw
 * a frame from the state), the actions of the keys, and the curses screen. */
#ifndef NVITOP_TUI_INTERNAL_H
#define NVITOP_TUI_INTERNAL_H

#include "core/sampler.h"
#include "render/cells.h"
#include "render/workloads.h"
#include "tui/confirm.h"
#include "tui/frame.h"
#include "tui/keys.h"
#include "tui/layout.h"
#include "tui/process_rows.h"
#include "tui/screens.h"
#include "tui/selection.h"
#include "tui/sort.h"
#include "tui/tree_rows.h"
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
} tui_procs_t;

/* The tree view's state: the sampler's latest tree (held until the next), its text, the
 * selection (ident.pid) and tags (by pid), the first row shown and the horizontal scroll. */
typedef struct tui_tree {
    const ptree_t *snap;
    uint64_t seq;
    bool have; /* a tree arrived since the view opened */
    tree_rows_t rows;
    selection_t sel;
    int top;
    int x_offset;
} tui_tree_t;

/* A place of the screen whose click acts as a key: the keys of the hint lines. */
typedef struct tui_hot {
    int y, x, width, key;
} tui_hot_t;

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
    bool show_workload;  /* w: the WORKLOAD column (ours) */
    bool group_workload; /* W: the process panel lists workloads, not processes (ours) */
    int scroll;          /* content top relative to the screen, <= 0 */
    layout_t layout;

    /* process panel */
    tui_procs_t procs;
    sort_order_t order;
    bool reverse;
    selection_t sel;
    bool sel_visible; /* the selected row is on screen */
    int host_offset;  /* horizontal scroll of the host information; -1: cut with ".." */
    bool beep;        /* the scroll hit its end */

    /* the other screens */
    tui_tree_t tree;

    /* keys and the signal box */
    tui_screen_t screen;
    tui_screen_t help_back, box_back; /* the screen under the help and under the box */
    tui_hot_t hot[16];                /* set as the frame is drawn */
    int hot_count;
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
/* After a tui_draw() of the main screen, with nothing changed since but the host sample and
 * the clock: only the host panel and the date are drawn again (the rest of the frame is
 * kept), the same frame tui_draw() would draw, at a fraction of its cost. */
void tui_draw_host(tui_t *t);
/* Moves the whole screen by `direction` lines (PageDown: +1). */
void tui_screen_move(tui_t *t, int direction);

/* ---- panel_device.c, panel_host.c, panel_process.c ---- */
/* Each draws its panel with its top at row y of the frame (rows outside are clipped). */
void panel_devices(tui_t *t, int y);
/* The date at the left of the device panel's first row (row y), drawn again. */
void panel_device_date(tui_t *t, int y);
void panel_host(tui_t *t, int y);
void panel_processes(tui_t *t, int y);
/* The rows the process panel puts its processes on, from its top: the row of entry i. */
int panel_process_row(const tui_t *t, size_t i);
/* The entry on row `row` from the panel's top, or -1 (a rule, the header, past the end). */
long panel_process_entry(const tui_t *t, int row);
/* The graphs' geometry at the current width: how many points each needs. */
size_t panel_host_points(const tui_t *t, int graph);

/* ---- screen_tree.c: the tree view ---- */
/* Shows the tree view (the sampler builds trees while it shows) / goes back to the main
 * screen, the tree's selection carried there. */
void tree_open(tui_t *t);
void tree_close(tui_t *t);
/* Takes the sampler's latest tree; true when it is new. */
bool tree_take(tui_t *t);
/* Hands the held tree back (before the sampler stops). */
void tree_release(tui_t *t);
void tree_key(tui_t *t, const key_binding_t *b);
void tree_click(tui_t *t, int y, int x);
void tree_draw(tui_t *t);
/* The processes a signal key acts on in the tree view (as selection_targets). */
size_t tree_targets(const tui_t *t, signal_target_t *out, size_t max);

/* ---- screen_help.c: the help screen, generated from the key table ---- */
typedef struct help_line {
    char text[160];
    const key_binding_t *left, *right; /* the bindings the line shows, or NULL */
} help_line_t;
/* The help's lines for a version and thresholds. Returns how many (at most max). */
size_t help_lines(const char *version, const int gpu_thresholds[2], const int mem_thresholds[2],
                  help_line_t *out, size_t max);
void help_draw(tui_t *t);

/* ---- actions.c ---- */
/* Feeds one key (TK_* code) to the current screen. */
void tui_key(tui_t *t, int key);
/* A mouse event at screen (y, x): button 1/3 click, 4/5 wheel up/down, +8 with Shift, +16
 * with Ctrl. */
void tui_mouse(tui_t *t, int y, int x, int button);
/* Marks (y, x .. x + width) of the frame being drawn as acting like `key` when clicked. */
void tui_hot(tui_t *t, int y, int x, int width, int key);
/* Opens the help over the current screen. */
void tui_help_open(tui_t *t);
/* Time passed: a choice in the signal box applies when its delay is over. */
void tui_tick(tui_t *t);
/* A message on the hint line for a few seconds. */
void tui_message(tui_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
