/* SPDX-License-Identifier: Apache-2.0 */
/* Names of codes and enumerated values, shared by every output. */
#include "core/core_internal.h"
#include "nvml/nvml_returns.h"

const char *nvitop_strerror(int error)
{
    switch (error) {
    case NVITOP_OK:
        return "success";
    case NVITOP_ENOMEM:
        return "out of memory";
    case NVITOP_EINVAL:
        return "invalid argument";
    case NVITOP_ENOLIB:
        return "NVIDIA Management Library (NVML) not found";
    case NVITOP_ENODRIVER:
        return "NVIDIA driver not loaded";
    case NVITOP_EVERSION:
        return "NVIDIA driver/library version mismatch";
    case NVITOP_ENVML:
        return "NVML error";
    case NVITOP_ENOTFOUND:
        return "not found";
    case NVITOP_EPERM:
        return "permission denied";
    case NVITOP_EIO:
        return "cannot read /proc";
    case NVITOP_ENOTINIT:
        return "NVML not initialised";
    case NVITOP_EGPULOST:
        return "GPU is lost";
    case NVITOP_ERANGE:
        return "value out of range";
    case NVITOP_ESTATE:
        return "not allowed in the current state";
    default:
        return "unknown error";
    }
}

static const char *const na_strings[NVITOP_NA__COUNT] = {
    [NVITOP_NA_NONE] = "available",
    [NVITOP_NA_NOT_SAMPLED] = "not sampled",
    [NVITOP_NA_NOT_SUPPORTED] = "not supported",
    [NVITOP_NA_NOT_APPLICABLE] = "not applicable",
    [NVITOP_NA_NO_PERMISSION] = "no permission",
    [NVITOP_NA_GPU_LOST] = "GPU is lost",
    [NVITOP_NA_NO_FUNCTION] = "function not found in the driver",
    [NVITOP_NA_UNAVAILABLE] = "not available",
    [NVITOP_NA_NO_SUCH_PROCESS] = "no such process",
    [NVITOP_NA_NEEDS_TWO_SAMPLES] = "needs two samples",
    [NVITOP_NA_TIMEOUT] = "timeout",
    [NVITOP_NA_DRIVER_ERROR] = "driver error",
    [NVITOP_NA_IO_ERROR] = "read error",
};

const char *nvitop_na_string(nvitop_na_t na)
{
    if ((unsigned)na < NVITOP_NA__COUNT && na_strings[na]) return na_strings[na];
    return "unknown";
}

const char *nvitop_enable_state_string(int64_t state)
{
    switch (state) {
    case NVITOP_DISABLED:
        return "Disabled";
    case NVITOP_ENABLED:
        return "Enabled";
    default:
        return NULL;
    }
}

const char *nvitop_compute_mode_string(int64_t mode)
{
    switch (mode) {
    case NVITOP_COMPUTE_MODE_DEFAULT:
        return "Default";
    case NVITOP_COMPUTE_MODE_EXCLUSIVE_THREAD:
        return "Exclusive Thread";
    case NVITOP_COMPUTE_MODE_PROHIBITED:
        return "Prohibited";
    case NVITOP_COMPUTE_MODE_EXCLUSIVE_PROCESS:
        return "Exclusive Process";
    default:
        return NULL;
    }
}

const char *nvitop_driver_model_string(int64_t model)
{
    switch (model) {
    case NVITOP_DRIVER_MODEL_WDDM:
        return "WDDM";
    case NVITOP_DRIVER_MODEL_WDM:
        return "WDM";
    case NVITOP_DRIVER_MODEL_MCDM:
        return "MCDM";
    default:
        return NULL;
    }
}

const char *nvitop_architecture_string(int64_t architecture)
{
    static const char *const names[] = {NULL,     NULL,     "Kepler",   "Maxwell",
                                        "Pascal", "Volta",  "Turing",   "Ampere",
                                        "Ada",    "Hopper", "Blackwell"};
    if (architecture >= 0 && architecture < (int64_t)ARRAY_LEN(names)) return names[architecture];
    return NULL;
}

const char *nvitop_brand_string(int64_t brand)
{
    static const char *const names[] = {"Unknown",     "Quadro",       "Tesla",
                                        "NVS",         "Grid",         "GeForce",
                                        "Titan",       "NVIDIA vApps", "NVIDIA vPC",
                                        "NVIDIA vCS",  "NVIDIA vWS",   "NVIDIA Cloud Gaming",
                                        "Quadro RTX",  "NVIDIA RTX",   "NVIDIA",
                                        "GeForce RTX", "Titan RTX"};
    if (brand >= 0 && brand < (int64_t)ARRAY_LEN(names)) return names[brand];
    return NULL;
}

const char *nvitop_process_type_string(unsigned type)
{
    switch (type & (NVITOP_PROCESS_COMPUTE | NVITOP_PROCESS_GRAPHICS)) {
    case NVITOP_PROCESS_COMPUTE:
        return "C";
    case NVITOP_PROCESS_GRAPHICS:
        return "G";
    case NVITOP_PROCESS_COMPUTE | NVITOP_PROCESS_GRAPHICS:
        return "C+G";
    default:
        return NVITOP_NA_TEXT;
    }
}

const char *nvitop_process_status_string(char state)
{
    switch (state) {
    case 'R':
        return "running";
    case 'S':
        return "sleeping";
    case 'D':
        return "disk-sleep";
    case 'T':
        return "stopped";
    case 't':
        return "tracing-stop";
    case 'Z':
        return "zombie";
    case 'X':
    case 'x':
        return "dead";
    case 'K':
        return "wake-kill";
    case 'W':
        return "waking";
    case 'I':
        return "idle";
    case 'P':
        return "parked";
    default:
        return "unknown";
    }
}

const char *nvitop_nvml_return_string(int code)
{
    const nvml_return_info_t *info = nvml_return_info((nvmlReturn_t)code);
    return info ? info->text : NULL;
}

const char *nvitop_nvml_return_name(int code)
{
    const nvml_return_info_t *info = nvml_return_info((nvmlReturn_t)code);
    return info ? info->name : NULL;
}
