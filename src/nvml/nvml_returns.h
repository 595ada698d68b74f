/* SPDX-License-Identifier: Apache-2.0 */
/* nvmlReturn_t codes: their names (as scenarios and messages write them) and NVML's own texts.
 * One table, compiled into both libnvitop and the simulator. */
#ifndef NVITOP_NVML_RETURNS_H
#define NVITOP_NVML_RETURNS_H

#include "nvml/nvml_abi.h"

typedef struct nvml_return_info {
    nvmlReturn_t code;
    const char *name; /* "GPU_IS_LOST": without NVML_ERROR_ */
    const char *text; /* "GPU is lost": nvmlErrorString's wording (driver R580) */
} nvml_return_info_t;

/* The row of a code, or NULL for a code NVML does not define. */
const nvml_return_info_t *nvml_return_info(nvmlReturn_t code);
/* The code named "GPU_IS_LOST" or "NVML_ERROR_GPU_IS_LOST", or -1. */
int nvml_return_by_name(const char *name);

#endif
