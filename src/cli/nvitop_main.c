/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop: the GPU process viewer. Everything but this line lives in libnvitop, and the
 * monitor in the nvitop_tui library linked here. */
#include "cli/nvitop_cli.h"
#include "fleet/fleet_run.h"
#include "tui/fleet_monitor.h"

/* --prometheus: the fleet screen on a terminal, else the fleet report. */
static int run_fleet(nvitop_cli_t *cli)
{
    return fleet_run_with(cli, tui_fleet_run);
}

int main(int argc, char **argv)
{
    return nvitop_main(argc, argv, tui_run, run_fleet);
}
