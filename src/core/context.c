/* SPDX-License-Identifier: Apache-2.0 */
/* The context: options, NVML load/init/shutdown, the driver's version facts, messages. */
#include "core/core_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *nvitop_version(void)
{
    return NVITOP_VERSION_STRING;
}

static uint64_t default_clock(void *arg)
{
    (void)arg;
    return clock_monotonic_ns();
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

nvitop_ctx_t *nvitop_ctx_new(const nvitop_options_t *opts, int *error)
{
    nvitop_options_t none = {0};
    if (!opts) opts = &none;
    int code = NVITOP_ENOMEM;
    nvitop_ctx_t *ctx = calloc(1, sizeof(*ctx));
    if (!ctx) goto fail;
    ctx->runtime.proc_fd = -1;
    const char *nvml_path = opts->nvml_library ? opts->nvml_library : getenv("NVITOP_NVML_LIBRARY");
    if (nvml_path && !*nvml_path) nvml_path = NULL;
    ctx->nvml_path = dup_or_null(nvml_path);
    const char *proc_root = opts->proc_root ? opts->proc_root : getenv("NVITOP_PROC_ROOT");
    ctx->proc_root = strdup(proc_root && *proc_root ? proc_root : "/proc");
    if ((nvml_path && !ctx->nvml_path) || !ctx->proc_root) goto fail;
    const char *runtime_root = getenv("NVITOP_RUNTIME_ROOT");
    ctx->runtime_root = strdup(runtime_root && *runtime_root ? runtime_root : "/");
    if (!ctx->runtime_root) goto fail;
    ctx->clock = opts->clock ? opts->clock : default_clock;
    ctx->clock_arg = opts->clock_arg;
    ctx->host.proc_fd = -1;
    int rc = host_reader_open(&ctx->host, ctx->proc_root);
    if (rc < 0) {
        code = rc == -ENOMEM ? NVITOP_ENOMEM : NVITOP_EIO;
        goto fail;
    }
    return ctx;
fail:
    if (error) *error = code;
    nvitop_ctx_free(ctx);
    return NULL;
}

void nvitop_ctx_free(nvitop_ctx_t *ctx)
{
    if (!ctx) return;
    nvitop_shutdown(ctx);
    if (ctx->host.proc_fd >= 0) host_reader_close(&ctx->host);
    if (ctx->runtime.proc_fd >= 0) host_reader_close(&ctx->runtime);
    free(ctx->runtime_root);
    host_users_fini(&ctx->users);
    host_proc_tracker_fini(&ctx->procs);
    strbuf_fini(&ctx->message);
    free(ctx->nvml_path);
    free(ctx->proc_root);
    free(ctx);
}

int ctx_fail(nvitop_ctx_t *ctx, int code, const char *fmt, ...)
{
    strbuf_reset(&ctx->message);
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&ctx->message, fmt, ap);
    va_end(ap);
    return code;
}

const char *nvitop_ctx_message(const nvitop_ctx_t *ctx)
{
    return ctx && ctx->message.data ? ctx->message.data : "";
}

static int init_failure(nvitop_ctx_t *ctx, nvmlReturn_t rc)
{
    const char *text = nvml_error_string(&ctx->nvml, rc);
    switch (rc) {
    case NVML_ERROR_DRIVER_NOT_LOADED:
        return ctx_fail(ctx, NVITOP_ENODRIVER,
                        "The NVIDIA driver is not loaded (nvmlInit: %s). Is there an NVIDIA "
                        "GPU, and is the nvidia kernel module loaded?",
                        text);
    case NVML_ERROR_LIB_RM_VERSION_MISMATCH:
        return ctx_fail(ctx, NVITOP_EVERSION,
                        "The NVIDIA driver and libnvidia-ml.so have different versions (nvmlInit: "
                        "%s). Reboot, or reload the nvidia kernel module after a driver update.",
                        text);
    case NVML_ERROR_NO_PERMISSION:
        return ctx_fail(ctx, NVITOP_EPERM,
                        "No permission to use the NVIDIA driver (nvmlInit: %s). Check the "
                        "permissions of /dev/nvidia*.",
                        text);
    default:
        return ctx_fail(ctx, NVITOP_ENVML, "NVML could not be initialised (nvmlInit: %s).", text);
    }
}

int nvitop_init(nvitop_ctx_t *ctx)
{
    if (!ctx) return NVITOP_EINVAL;
    if (ctx->initialized) return NVITOP_OK;
    int rc = nvml_lib_open(&ctx->nvml, ctx->nvml_path, &ctx->message);
    if (rc < 0) return rc;
    nvmlReturn_t nrc = nvml_init(&ctx->nvml);
    if (nrc != NVML_SUCCESS) {
        rc = init_failure(ctx, nrc);
        nvml_lib_close(&ctx->nvml);
        return rc;
    }
    ctx->initialized = true;
    rc = devices_open(ctx);
    if (rc < 0) {
        char saved[512];
        str_copy(saved, sizeof(saved), nvitop_ctx_message(ctx));
        nvitop_shutdown(ctx);
        return ctx_fail(ctx, rc, "%s", saved);
    }
    strbuf_reset(&ctx->message);
    return NVITOP_OK;
}

void nvitop_shutdown(nvitop_ctx_t *ctx)
{
    if (!ctx || !ctx->initialized) return;
    devices_close(ctx);
    nvml_shutdown(&ctx->nvml);
    nvml_lib_close(&ctx->nvml);
    ctx->initialized = false;
    ctx->versions_read = false;
}

bool nvitop_is_initialized(const nvitop_ctx_t *ctx)
{
    return ctx && ctx->initialized;
}

static void read_versions(nvitop_ctx_t *ctx)
{
    if (ctx->versions_read || !ctx->initialized) return;
    ctx->versions_read = true;
    nvmlReturn_t rc = nvml_system_string(&ctx->nvml, NVML_FN_SYSTEM_DRIVER_VERSION,
                                         ctx->driver_version, sizeof(ctx->driver_version));
    ctx->driver_version_na = nvml_na_from_return(rc);
    rc = nvml_system_string(&ctx->nvml, NVML_FN_SYSTEM_NVML_VERSION, ctx->nvml_version,
                            sizeof(ctx->nvml_version));
    ctx->nvml_version_na = nvml_na_from_return(rc);
    int cuda = 0;
    rc = nvml_system_cuda_driver_version(&ctx->nvml, &cuda);
    ctx->cuda_driver_version =
        rc == NVML_SUCCESS ? some_int(cuda) : na_int(nvml_na_from_return(rc));
}

nvitop_str_t nvitop_driver_version(nvitop_ctx_t *ctx)
{
    if (!nvitop_is_initialized(ctx)) return na_str(NVITOP_NA_NOT_SAMPLED);
    read_versions(ctx);
    return ctx->driver_version_na ? na_str(ctx->driver_version_na) : some_str(ctx->driver_version);
}

nvitop_str_t nvitop_nvml_version(nvitop_ctx_t *ctx)
{
    if (!nvitop_is_initialized(ctx)) return na_str(NVITOP_NA_NOT_SAMPLED);
    read_versions(ctx);
    return ctx->nvml_version_na ? na_str(ctx->nvml_version_na) : some_str(ctx->nvml_version);
}

nvitop_int_t nvitop_cuda_driver_version(nvitop_ctx_t *ctx)
{
    if (!nvitop_is_initialized(ctx)) return na_int(NVITOP_NA_NOT_SAMPLED);
    read_versions(ctx);
    return ctx->cuda_driver_version;
}

char *nvitop_cuda_version_string(int64_t version, char *buf, size_t len)
{
    if (!buf || !len) return buf;
    long long major = version / 1000, minor = (version % 1000) / 10, rev = version % 10;
    if (rev)
        snprintf(buf, len, "%lld.%lld.%lld", major, minor, rev);
    else
        snprintf(buf, len, "%lld.%lld", major, minor);
    return buf;
}

uint64_t nvitop_now_ns(const nvitop_ctx_t *ctx)
{
    if (!ctx || !ctx->clock) return clock_monotonic_ns();
    return ctx->clock(ctx->clock_arg);
}

void nvitop_free(void *ptr)
{
    free(ptr);
}

void nvitop_strv_free(char **strv, size_t count)
{
    if (!strv) return;
    for (size_t i = 0; i < count; i++)
        free(strv[i]);
    free(strv);
}
