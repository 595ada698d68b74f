/* SPDX-License-Identifier: Apache-2.0 */
/* The process panel's selection and tags (spec §3.8): the selected process is tracked by
 * identity (pid, start time, device) across refreshes, tags by pid; moving past either end
 * hands the rest of the move to the screen's scroll. Pure: no signal is sent here. */
#ifndef NVITOP_TUI_SELECTION_H
#define NVITOP_TUI_SELECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render/cells.h"

#define SELECTION_HOME (-(1 << 20)) /* nvitop's moves for Home and End */
#define SELECTION_END (1 << 20)

typedef struct proc_ident {
    uint32_t pid;
    double create_time_s; /* -1 when unknown */
    int physical, mig;    /* the device; mig -1 for a physical GPU */
} proc_ident_t;

typedef struct selection {
    bool set;
    proc_ident_t ident;
    size_t index;      /* in the shown list */
    char username[64]; /* of the selected process */
    uint32_t *tags;    /* tagged pids, sorted */
    size_t tag_count, tag_cap;
} selection_t;

/* One process a signal would go to. */
typedef struct signal_target {
    uint32_t pid;
    char username[64];
} signal_target_t;

proc_ident_t selection_ident_of(const rpt_proc_t *v);
bool selection_is(const selection_t *s, const rpt_proc_t *v);
/* The same host process as the selection (on another GPU, say). */
bool selection_same_host(const selection_t *s, const rpt_proc_t *v);
bool selection_tagged(const selection_t *s, uint32_t pid);

/* Drops the selection (reset) or the selection and every tag (clear). */
void selection_reset(selection_t *s);
void selection_clear(selection_t *s);
void selection_fini(selection_t *s);
/* Selects entry `index` of the list. */
void selection_select(selection_t *s, const rpt_proc_t *procs, size_t count, size_t index);

/* Moves the selection by `direction` rows in a list of `count` processes (no selection: down
 * selects the first, up the last; Home/End the first/last). Returns what is left of the move
 * past either end, which scrolls the screen. An empty list clears the selection. */
int selection_move(selection_t *s, const rpt_proc_t *procs, size_t count, int direction);

/* After a refresh: finds the selected process again (dropped when it is gone) and forgets tags
 * of pids no longer listed. */
void selection_refind(selection_t *s, const rpt_proc_t *procs, size_t count);

/* Space: tags or untags the selected process's pid. Returns -1 when out of memory. */
int selection_toggle_tag(selection_t *s);

/* May the user signal this process: root, or the same user. */
bool selection_owned(const char *me, const char *username);

/* The processes a signal key acts on: the tagged ones the user owns, by pid; else the
 * selected one when owned and `visible` on screen. Returns how many were written (at most
 * max). */
size_t selection_targets(const selection_t *s, const rpt_proc_t *procs, size_t count,
                         const char *me, bool visible, signal_target_t *out, size_t max);

#endif
