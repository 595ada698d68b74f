/* SPDX-License-Identifier: Apache-2.0 */
/* The monitor (nvitop's TUI), as the nvitop program runs it: the options it needs and its one
 * entry point. This header has no curses in it; the library libnvitop does not contain the
 * monitor (the program links the static nvitop_tui library). */
#ifndef NVITOP_TUI_TUI_H
#define NVITOP_TUI_TUI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include <nvitop.h>

#include "core/proc_filter.h"
#include "tui/layout.h"

typedef struct tui_options {
    nvitop_ctx_t *ctx;       /* initialised; used by the sampler thread until tui_run returns */
    const unsigned *indices; /* physical GPUs shown */
    size_t index_count;
    tui_mode_t mode;
    double interval_s; /* --interval, <= 0 when not given */
    bool ascii, colorful, light, readonly, no_host, wsl;
    bool workload; /* --workload: start with the WORKLOAD column shown */
    int gpu_thresholds[2], mem_thresholds[2];
    const proc_filter_t *filter; /* the command line's process filters; NULL: none */
    const char *version;         /* nvitop_version() */
} tui_options_t;

/* Runs the monitor until `q` (returns 0), SIGTERM or SIGHUP (returns 128 + the signal number,
 * the terminal restored), or a failure: -1 when curses cannot start (nothing was drawn; the
 * reason is in error), -2 when the first snapshot fails (the context's message says why). */
int tui_run(const tui_options_t *opt, char *error, size_t error_len);

/* The signals the monitor's loops handle (SIGWINCH, SIGINT, SIGTERM, SIGHUP): blocked except
 * in the loop's ppoll (`unblocked`), so none slips in between a check and the sleep. The flags
 * are the program's only mutable statics (monitor.c). */
typedef struct tui_signals {
    sigset_t unblocked; /* the mask ppoll waits with */
    sigset_t old_mask;
    struct sigaction old_actions[4];
} tui_signals_t;
void tui_signals_install(tui_signals_t *sig);
void tui_signals_restore(tui_signals_t *sig);
bool tui_signals_take_winch(void); /* a resize since the last call */
bool tui_signals_take_int(void);   /* Ctrl-C since the last call */
int tui_signals_quit(void);        /* SIGTERM or SIGHUP received (0: none) */
void tui_signals_hangup(void);     /* the terminal went away: as SIGHUP */

/* The type of tui_run, for the program to hand it to the command line's run. */
typedef int (*tui_run_fn)(const tui_options_t *opt, char *error, size_t error_len);

#endif
