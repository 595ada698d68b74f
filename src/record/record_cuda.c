/* SPDX-License-Identifier: Apache-2.0 */
/* CUDA's device order, for the scenario's "cuda" object (the libcuda stand-in replays it):
 * asked of the CUDA driver through nvitop-cuda-probe, as nvisel does, and turned into NVML
 * indices by UUID. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cuda_internal.h"
#include "record/record_internal.h"

#define PROBE_TIMEOUT_S 30.0

/* The index of the GPU whose UUID is "GPU-<uuid>", or -1 (a MIG device: CUDA shows one instead
 * of its GPU, and then no order of the GPUs can be told). */
static int gpu_of(const rec_t *r, const char *uuid)
{
    for (unsigned i = 0; i < r->dev_count; i++) {
        const char *u = r->devs[i].text[REC_TEXT_UUID];
        if (strncasecmp(u, "GPU-", 4) == 0 && strcasecmp(u + 4, uuid) == 0) return (int)i;
    }
    return -1;
}

void rec_ask_cuda_order(rec_t *r)
{
    char helper[4096];
    if (r->dev_count == 0 || !cuda_probe_find(NULL, helper, sizeof(helper))) return;
    r->cuda_order = calloc(r->dev_count, sizeof(*r->cuda_order));
    if (!r->cuda_order) return;
    /* the default order (FASTEST_FIRST) of every GPU, whatever the caller's environment says */
    unsetenv("CUDA_DEVICE_ORDER");
    cuda_probe_result_t probe;
    cuda_probe_run(helper, getenv("NVITOP_CUDA_LIBRARY"), NULL, PROBE_TIMEOUT_S, &probe);
    bool *listed = calloc(r->dev_count, sizeof(*listed));
    bool ok = probe.status == PROBE_OK && listed;
    unsigned n = 0;
    for (size_t i = 0; ok && i < probe.count; i++) {
        int g = gpu_of(r, probe.uuids[i]);
        ok = g >= 0 && !listed[g];
        if (ok) listed[g] = true, r->cuda_order[n++] = (unsigned)g;
    }
    /* GPUs CUDA does not show (lost ones) go last: the stand-in leaves them out again */
    for (unsigned g = 0; ok && g < r->dev_count; g++)
        if (!listed[g]) r->cuda_order[n++] = g;
    r->has_cuda_order = ok;
    free(listed);
    cuda_probe_result_fini(&probe);
}
