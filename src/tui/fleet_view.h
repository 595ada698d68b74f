/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet screen (`nvitop --prometheus URL` on a terminal), pure: its state, what each key
 * and click does, and its frame. A line per node with a row per GPU under it, the summary (or
 * the last refresh's error) on top; sort, filter, selection, scroll; Enter opens the processes
 * of the selected node or GPU; a help screen. The loop around it is fleet_monitor.c. */
#ifndef NVITOP_TUI_FLEET_VIEW_H
#define NVITOP_TUI_FLEET_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "fleet/fleet.h"
#include "tui/frame.h"

typedef enum fleet_screen { FSCREEN_FLEET, FSCREEN_PROCS, FSCREEN_HELP } fleet_screen_t;

/* The GPU orders (nodes follow their GPUs: the best GPU of a node places the node). */
typedef enum fleet_order { FORD_NODE, FORD_UTIL, FORD_FREE, FORD_NAME, FORD__COUNT } fleet_order_t;
/* The process screen's orders. */
typedef enum fleet_proc_order {
    PORD_MEMORY,
    PORD_SM,
    PORD_PID,
    PORD_USER,
    PORD_WORKLOAD,
    PORD_COMMAND,
    PORD__COUNT
} fleet_proc_order_t;

/* A row of the fleet screen: a node line (gpu < 0) or a GPU row. */
typedef struct fleet_row {
    size_t node;
    long gpu;
} fleet_row_t;

typedef struct fleet_view {
    /* data */
    fleet_t fleet;
    bool have;          /* a fleet arrived */
    char url[256];      /* the URL without credentials */
    char error[512];    /* the last refresh's error ("" after a good one) */
    int64_t good_at_ns; /* CLOCK_REALTIME of the data shown */
    int64_t now_ns;     /* CLOCK_REALTIME of this frame */
    fleet_rules_t rules;
    int gpu_thresholds[2], mem_thresholds[2];
    /* the fleet screen */
    fleet_order_t order;
    bool reverse;
    char filter[64];
    bool editing; /* `/` typed: keys go to the filter */
    fleet_row_t *rows;
    size_t row_count, row_cap;
    long sel;                        /* selected row, -1: none */
    int top;                         /* first row shown */
    char sel_node[256], sel_gpu[32]; /* the selection by name, found again after a refresh */
    /* the process screen */
    fleet_row_t procs_of;
    char procs_node[256], procs_gpu[32]; /* procs_of by name */
    bool procs_gone;                     /* it left the fleet */
    size_t *procs;                       /* indices into fleet.procs */
    size_t proc_count, proc_cap;
    fleet_proc_order_t proc_order;
    long proc_sel;
    int proc_top;
    /* the terminal */
    fleet_screen_t screen, help_back;
    int lines, cols;
    bool quit, refresh, beep;
    frame_t frame;
} fleet_view_t;

void fleet_view_init(fleet_view_t *v, const char *url, const fleet_rules_t *rules,
                     const int gpu_thresholds[2], const int mem_thresholds[2], bool ascii);
void fleet_view_fini(fleet_view_t *v);

/* A newer fleet (moved into the view) or only a new error; good_at_ns of the fleet. */
void fleet_view_update(fleet_view_t *v, fleet_t *fleet, bool new_fleet, const char *error,
                       int64_t good_at_ns);

/* A key (TK_* of tui/keys.h). */
void fleet_view_key(fleet_view_t *v, int key);
/* A mouse event: button 1 (a click), 4/5 (the wheel), at 0-based y, x. */
void fleet_view_mouse(fleet_view_t *v, int y, int x, int button);

/* Draws the frame (sized lines x cols). */
void fleet_view_draw(fleet_view_t *v);

/* The names of the orders, as the screen shows them. */
const char *fleet_order_name(fleet_order_t o);
const char *fleet_proc_order_name(fleet_proc_order_t o);

#endif
