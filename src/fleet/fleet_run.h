/* SPDX-License-Identifier: Apache-2.0 */
/* `nvitop --prometheus URL` (run.c): the mode decision, the report once, the monitor. */
#ifndef NVITOP_FLEET_RUN_H
#define NVITOP_FLEET_RUN_H

#include "cli/nvitop_cli.h"
#include "fleet/fleet.h"

/* The fleet screen (src/tui/, linked by the program): returns the exit code. */
typedef int (*fleet_monitor_fn)(nvitop_cli_t *cli, prom_client_t *client);

/* Runs the fleet view with `monitor` on a terminal (NULL: the report). Returns the exit code. */
int fleet_run_with(nvitop_cli_t *cli, fleet_monitor_fn monitor);
/* The report or JSON only (a fleet_run_fn). */
int fleet_run(nvitop_cli_t *cli);

#endif
