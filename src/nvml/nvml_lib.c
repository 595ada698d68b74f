/* SPDX-License-Identifier: Apache-2.0 */
/* Loading libnvidia-ml at run time, resolving the symbol table, and naming NVML's codes. */
#include "nvml/nvml_lib.h"

#include <dlfcn.h>
#include <string.h>

#include "nvml/nvml_returns.h"
#include "util/util.h"

static const char *const default_libraries[] = {"libnvidia-ml.so.1", "libnvidia-ml.so"};

static void resolve_symbols(nvml_lib_t *lib)
{
    for (int fn = 0; fn < NVML_FN__COUNT; fn++) {
        for (uint8_t v = 0; v < NVML_SYMBOL_CANDIDATES && nvml_symbols[fn].names[v]; v++) {
            void *sym = dlsym(lib->dl, nvml_symbols[fn].names[v]);
            if (sym) {
                lib->sym[fn] = sym;
                lib->variant[fn] = v;
                break;
            }
        }
    }
}

/* Early R535 drivers filled a 32-byte struct through the _v3 process lists; they are the ones
 * exporting nvmlDeviceGetConfComputeMemSizeInfo but not yet
 * nvmlDeviceGetRunningProcessDetailList (the rule nvitop 1.x and nvidia-ml-py use). */
static int choose_process_layout(const nvml_lib_t *lib)
{
    if (!lib->sym[NVML_FN_COMPUTE_PROCESSES]) return 2;
    switch (lib->variant[NVML_FN_COMPUTE_PROCESSES]) {
    case 0:
        if (lib->sym[NVML_FN_CONF_COMPUTE_MEM_SIZE_INFO] &&
            !lib->sym[NVML_FN_RUNNING_PROCESS_DETAIL_LIST])
            return 3;
        return 2;
    case 1:
        return 2;
    default:
        return 1;
    }
}

int nvml_lib_open(nvml_lib_t *lib, const char *path, strbuf_t *msg)
{
    memset(lib, 0, sizeof(*lib));
    const char *const *names = path ? &path : default_libraries;
    size_t count = path ? 1 : ARRAY_LEN(default_libraries);
    char why[400] = "not found";
    for (size_t i = 0; i < count && !lib->dl; i++) {
        dlerror();
        lib->dl = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        const char *e = lib->dl ? NULL : dlerror();
        if (e && i == 0) str_copy(why, sizeof(why), e);
    }
    if (!lib->dl) {
        strbuf_reset(msg);
        strbuf_printf(msg,
                      "NVIDIA Management Library (NVML) not found (%s). Is the NVIDIA driver "
                      "installed? NVITOP_NVML_LIBRARY may name another libnvidia-ml.so.",
                      why);
        return NVITOP_ENOLIB;
    }
    resolve_symbols(lib);
    if (!lib->sym[NVML_FN_INIT] || !lib->sym[NVML_FN_SHUTDOWN] || !lib->sym[NVML_FN_DEVICE_COUNT] ||
        !lib->sym[NVML_FN_HANDLE_BY_INDEX]) {
        strbuf_reset(msg);
        strbuf_printf(msg, "%s is not an NVIDIA Management Library (no nvmlInit symbol).",
                      path ? path : default_libraries[0]);
        dlclose(lib->dl);
        memset(lib, 0, sizeof(*lib));
        return NVITOP_ENOLIB;
    }
    lib->process_layout = choose_process_layout(lib);
    return NVITOP_OK;
}

void nvml_lib_close(nvml_lib_t *lib)
{
    if (lib->dl) dlclose(lib->dl);
    memset(lib, 0, sizeof(*lib));
}

const char *nvml_fn_name(const nvml_lib_t *lib, nvml_fn_t fn)
{
    return nvml_symbols[fn].names[lib->sym[fn] ? lib->variant[fn] : 0];
}

nvitop_na_t nvml_na_from_return(nvmlReturn_t rc)
{
    switch (rc) {
    case NVML_SUCCESS:
        return NVITOP_NA_NONE;
    case NVML_ERROR_NOT_SUPPORTED:
        return NVITOP_NA_NOT_SUPPORTED;
    case NVML_ERROR_INVALID_ARGUMENT:
        return NVITOP_NA_NOT_APPLICABLE;
    case NVML_ERROR_NO_PERMISSION:
        return NVITOP_NA_NO_PERMISSION;
    case NVML_ERROR_GPU_IS_LOST:
    case NVML_ERROR_RESET_REQUIRED:
        return NVITOP_NA_GPU_LOST;
    case NVML_ERROR_FUNCTION_NOT_FOUND:
        return NVITOP_NA_NO_FUNCTION;
    case NVML_ERROR_TIMEOUT:
        return NVITOP_NA_TIMEOUT;
    case NVML_ERROR_NOT_FOUND:
    case NVML_ERROR_NO_DATA:
        return NVITOP_NA_UNAVAILABLE;
    default:
        return NVITOP_NA_DRIVER_ERROR;
    }
}

const char *nvml_return_name(nvmlReturn_t rc)
{
    const nvml_return_info_t *info = nvml_return_info(rc);
    return info ? info->name : "UNKNOWN";
}

typedef const char *(*error_string_fn)(nvmlReturn_t);

const char *nvml_error_string(const nvml_lib_t *lib, nvmlReturn_t rc)
{
    if (lib && lib->sym[NVML_FN_ERROR_STRING]) {
        error_string_fn f;
        memcpy(&f, &lib->sym[NVML_FN_ERROR_STRING], sizeof(f));
        const char *s = f(rc);
        if (s && *s) return s;
    }
    const nvml_return_info_t *info = nvml_return_info(rc);
    return info ? info->text : "Unknown Error";
}
