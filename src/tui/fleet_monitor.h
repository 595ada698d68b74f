/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet screen's loop (`nvitop --prometheus URL` on a terminal). */
#ifndef NVITOP_TUI_FLEET_MONITOR_H
#define NVITOP_TUI_FLEET_MONITOR_H

#include "cli/nvitop_cli.h"
#include "fleet/fleet.h"

/* Runs the fleet screen until `q` (0), SIGTERM or SIGHUP (128 + the signal), or a failure to
 * start curses or the thread (1, with one message on stderr). A fleet_monitor_fn. */
int tui_fleet_run(nvitop_cli_t *cli, prom_client_t *client);

#endif
