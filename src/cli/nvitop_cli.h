/* SPDX-License-Identifier: Apache-2.0 */
/* The `nvitop` program: its options and environment, and the one-shot run. */
#ifndef NVITOP_CLI_NVITOP_H
#define NVITOP_CLI_NVITOP_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/env_advice.h"
#include "core/proc_filter.h"
#include "fleet/fleet.h"
#include "tui/tui.h"

typedef struct nvitop_cli {
    bool once;
    bool monitor;     /* --monitor given (or implied on a terminal) */
    const char *mode; /* auto, full or compact */
    bool json;
    bool has_interval;
    double interval;
    bool ascii, colorful, force_color, light, readonly;
    bool workload;         /* ours: workloads in the report, JSON and monitor (--workload) */
    bool no_host;          /* ours: the monitor starts with the host panel hidden */
    int gpu_thresholds[2]; /* sorted */
    int mem_thresholds[2]; /* sorted */
    bool only_set, only_visible;
    long *only;
    size_t only_count;
    proc_filter_t filter; /* --compute ... --pid; a bare --user: the current user */
    int log_level;
    const char *record_path; /* --record-scenario FILE */
    bool has_duration;
    double duration;           /* --duration, seconds */
    fleet_source_t prometheus; /* --prometheus URL and its options: the fleet view */
    fleet_rules_t fleet_rules; /* --only-node, --stale-after */
    bool fleet_option;         /* one of the options that need --prometheus was given */
} nvitop_cli_t;

/* Runs the fleet view (`--prometheus URL`; src/fleet/run.c, which the program links: libcurl
 * stays out of the other programs). Returns the exit code. */
typedef int (*fleet_run_fn)(nvitop_cli_t *cli);

/* Parses argv and the environment (NVITOP_MONITOR_MODE, NVITOP_*_THRESHOLDS, LOGLEVEL; an
 * unusable value is ignored with a warning). Returns -1 to go on, or the exit code (0 after
 * --help/--version, 2 on a bad argument, with one message on stderr). */
int nvitop_cli_parse(int argc, char **argv, nvitop_cli_t *cli);
void nvitop_cli_fini(nvitop_cli_t *cli);

/* Runs the program as parsed; returns its exit code. `monitor` runs the monitor (the program
 * passes tui_run, which lives outside libnvitop); NULL: the report is printed instead. */
int nvitop_cli_run(nvitop_cli_t *cli, tui_run_fn monitor, fleet_run_fn fleet);

/* Python's setlocale_utf8(): the character type of the first UTF-8 locale of C.UTF-8,
 * en_US.UTF-8, the environment's; false when none is (the output must be ASCII then). */
bool nvitop_setlocale_utf8(void);

/* main() of nvitop. */
int nvitop_main(int argc, char **argv, tui_run_fn monitor, fleet_run_fn fleet);

#endif
