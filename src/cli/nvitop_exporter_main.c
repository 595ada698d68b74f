/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop-exporter: the Prometheus exporter. Everything but this line lives in src/exporter/
 * (libnvitop_exporter, linked into this program only). */
#include "exporter/exporter_internal.h"

int main(int argc, char **argv)
{
    return exporter_main(argc, argv);
}
