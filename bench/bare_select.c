/* SPDX-License-Identifier: Apache-2.0 */
/* The yardstick of `nvisel` in bench/run.sh: a bare C program that loads NVML and reads the
 * values nvisel selects by (the NVML calls an NVML_SIM_CALLS dump of `nvisel` lists: count,
 * handles, MIG mode and MIG device count, memory, utilisation; MIG devices of a GPU with MIG
 * on), prints the best device's index and exits. No project header: its own minimal NVML
 * declarations. `-v` says what it found. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int nvmlReturn_t;
typedef struct nvmlDevice_st *nvmlDevice_t;
#define NVML_SUCCESS 0

typedef struct {
    unsigned version;
    unsigned long long total, reserved, free, used;
} memory_v2_t;
#define MEMORY_V2_VERSION ((unsigned)sizeof(memory_v2_t) | (2U << 24))

typedef struct {
    unsigned gpu, memory;
} utilization_t;

static struct {
    nvmlReturn_t (*init)(void);
    nvmlReturn_t (*shutdown)(void);
    nvmlReturn_t (*count)(unsigned *);
    nvmlReturn_t (*handle)(unsigned, nvmlDevice_t *);
    nvmlReturn_t (*memory)(nvmlDevice_t, memory_v2_t *);
    nvmlReturn_t (*utilization)(nvmlDevice_t, utilization_t *);
    nvmlReturn_t (*mig_mode)(nvmlDevice_t, unsigned *, unsigned *);
    nvmlReturn_t (*max_mig)(nvmlDevice_t, unsigned *);
    nvmlReturn_t (*mig_handle)(nvmlDevice_t, unsigned, nvmlDevice_t *);
} nv;

static int best = -1;
static unsigned long long best_free;

static void judge(nvmlDevice_t dev, int index)
{
    memory_v2_t m = {.version = MEMORY_V2_VERSION};
    utilization_t u;
    if (nv.memory(dev, &m) != NVML_SUCCESS) m.free = 0;
    if (nv.utilization(dev, &u) != NVML_SUCCESS) u.gpu = 0;
    if (best < 0 || m.free > best_free) {
        best = index;
        best_free = m.free;
    }
}

int main(int argc, char **argv)
{
    int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    const char *path = getenv("NVITOP_NVML_LIBRARY");
    void *dl = dlopen(path && *path ? path : "libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        fprintf(stderr, "bare_select: %s\n", dlerror());
        return 1;
    }
    *(void **)&nv.init = dlsym(dl, "nvmlInit_v2");
    *(void **)&nv.shutdown = dlsym(dl, "nvmlShutdown");
    *(void **)&nv.count = dlsym(dl, "nvmlDeviceGetCount_v2");
    *(void **)&nv.handle = dlsym(dl, "nvmlDeviceGetHandleByIndex_v2");
    *(void **)&nv.memory = dlsym(dl, "nvmlDeviceGetMemoryInfo_v2");
    *(void **)&nv.utilization = dlsym(dl, "nvmlDeviceGetUtilizationRates");
    *(void **)&nv.mig_mode = dlsym(dl, "nvmlDeviceGetMigMode");
    *(void **)&nv.max_mig = dlsym(dl, "nvmlDeviceGetMaxMigDeviceCount");
    *(void **)&nv.mig_handle = dlsym(dl, "nvmlDeviceGetMigDeviceHandleByIndex");
    if (!nv.init || !nv.count || !nv.handle || !nv.memory || !nv.utilization || !nv.mig_mode ||
        !nv.max_mig || !nv.mig_handle) {
        fprintf(stderr, "bare_select: a function is missing from the NVML library\n");
        return 1;
    }
    if (nv.init() != NVML_SUCCESS) {
        fprintf(stderr, "bare_select: nvmlInit_v2 failed\n");
        return 1;
    }
    unsigned count = 0;
    nv.count(&count);
    for (unsigned i = 0; i < count; i++) {
        nvmlDevice_t dev;
        if (nv.handle(i, &dev) != NVML_SUCCESS) continue;
        unsigned current = 0, pending, max = 0;
        int mig = nv.mig_mode(dev, &current, &pending) == NVML_SUCCESS && current == 1;
        nv.max_mig(dev, &max);
        for (unsigned j = 0; mig && j < max; j++) {
            nvmlDevice_t m;
            if (nv.mig_handle(dev, j, &m) != NVML_SUCCESS) break;
            judge(m, (int)i);
        }
        if (!mig) judge(dev, (int)i);
    }
    nv.shutdown();
    if (verbose) fprintf(stderr, "devices %u, best %d\n", count, best);
    printf("%d\n", best);
    return 0;
}
