/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop: the GPU process viewer. Everything but this line lives in libnvitop, and the
 * monitor in the nvitop_tui library linked here. */
#include "cli/nvitop_cli.h"
#include "fleet/fleet_run.h"

int main(int argc, char **argv)
{
    return nvitop_main(argc, argv, tui_run, fleet_run);
}
