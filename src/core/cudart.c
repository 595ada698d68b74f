/* SPDX-License-Identifier: Apache-2.0 */
/* The CUDA runtime's version, for Python's Device.cuda_runtime_version(): libcudart is found
 * where nvitop looks for it, asked cudaRuntimeGetVersion() (no GPU needed, no CUDA context
 * created) and unloaded again. */
#include "core/core_internal.h"

#include <nvitop/cuda.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

typedef int (*runtime_version_fn)(int *version);

/* The answer of one library: N/A NO_FUNCTION when it cannot be loaded or lacks the call. */
static nvitop_int_t ask_library(const char *path)
{
    nvitop_int_t out = {0, NVITOP_NA_NO_FUNCTION};
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!dl) return out;
    runtime_version_fn fn = (runtime_version_fn)(uintptr_t)dlsym(dl, "cudaRuntimeGetVersion");
    int version = 0;
    if (fn) {
        out.na = fn(&version) == 0 ? NVITOP_NA_NONE : NVITOP_NA_DRIVER_ERROR;
        out.value = out.na == NVITOP_NA_NONE ? version : 0;
    }
    dlclose(dl);
    return out;
}

/* Tries lib64/ and lib/ under one toolkit directory; false when neither is there. */
static bool ask_toolkit(const char *dir, nvitop_int_t *out)
{
    static const char *const subdirs[] = {"lib64", "lib"};
    if (!dir || !*dir) return false;
    for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
        char path[4096];
        int n = snprintf(path, sizeof(path), "%s/%s/libcudart.so", dir, subdirs[i]);
        if (n < 0 || (size_t)n >= sizeof(path)) continue;
        *out = ask_library(path);
        if (out->na != NVITOP_NA_NO_FUNCTION) return true;
    }
    return false;
}

nvitop_int_t nvitop_cuda_runtime_version(void)
{
    const char *explicit_path = getenv("NVITOP_CUDART_LIBRARY");
    if (explicit_path && *explicit_path) return ask_library(explicit_path);
    nvitop_int_t out = ask_library("libcudart.so");
    if (out.na != NVITOP_NA_NO_FUNCTION) return out;
    static const char *const variables[] = {"CUDA_PATH", "CUDA_HOME", "CUDA_ROOT"};
    for (size_t i = 0; i < sizeof(variables) / sizeof(variables[0]); i++)
        if (ask_toolkit(getenv(variables[i]), &out)) return out;
    if (ask_toolkit("/usr/local/cuda", &out)) return out;
    return (nvitop_int_t){0, NVITOP_NA_NO_FUNCTION};
}
