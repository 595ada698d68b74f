/* SPDX-License-Identifier: Apache-2.0 */
/* nvisel: selects devices for CUDA_VISIBLE_DEVICES. Everything but this line lives in
 * libnvitop. */
#include "cli/nvisel_cli.h"

int main(int argc, char **argv)
{
    return nvisel_main(argc, argv);
}
