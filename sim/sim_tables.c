/* SPDX-License-Identifier: Apache-2.0 */
/* Name tables: the exported functions (from sim_fn.h) and nvmlReturn_t names as scenarios write
 * them. Part of the scenario reader, which the libcuda stand-in (sim/cuda/) links too. */
#include "sim_api.h"

#include "nvml/nvml_returns.h"

#include <string.h>

#define SIM_FN_ROW(sym, base, kind) {#sym, #base, SIM_KIND_##kind},
const struct sim_fn_info sim_fn_table[SIM_FN_COUNT] = {SIM_FUNCTIONS(SIM_FN_ROW)};
#undef SIM_FN_ROW

int sim_fn_by_name(const char *name)
{
    for (int i = 0; i < SIM_FN_COUNT; i++)
        if (strcmp(sim_fn_table[i].name, name) == 0) return i;
    return -1;
}

int sim_return_by_name(const char *name)
{
    return nvml_return_by_name(name);
}
