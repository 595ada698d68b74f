/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop-cuda-probe: asks the CUDA driver which devices a CUDA program would see, in CUDA's
 * order, and prints their UUIDs. libnvitop runs it as a short-lived child (posix_spawn, stdout
 * on a pipe) so that the calling process never creates a CUDA context; it needs only libc and
 * the dynamic loader. The output is a line protocol read by src/core/cuda_probe.c:
 *
 *   nvitop-cuda-probe 1
 *   driver <cuDriverGetVersion, or -1>
 *   count <n>
 *   device <ordinal> <uuid 8-4-4-4-12, lower case> <PCI bus id, or ->     (n lines)
 *   ok
 *
 * or, after the first two lines, one of
 *   error library <why libcuda could not be loaded>
 *   error cuda <function> <CUresult> <name>
 * and exit status 1. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef int CUresult; /* CUDA_SUCCESS = 0 */
typedef int CUdevice;
typedef struct {
    unsigned char bytes[16];
} CUuuid;

typedef struct cuda_api {
    CUresult (*init)(unsigned int flags);
    CUresult (*driver_version)(int *version);
    CUresult (*count)(int *count);
    CUresult (*get)(CUdevice *device, int ordinal);
    CUresult (*uuid)(CUuuid *uuid, CUdevice device);
    CUresult (*bus_id)(char *bus_id, int len, CUdevice device);
    CUresult (*error_name)(CUresult error, const char **name);
} cuda_api_t;

static void usage(FILE *out)
{
    fputs("usage: nvitop-cuda-probe [--library PATH] [--visible VALUE | --unset-visible]\n"
          "Prints the UUIDs of the devices the CUDA driver enumerates, in CUDA's order.\n"
          "  --library PATH    the CUDA driver library (default: $NVITOP_CUDA_LIBRARY, else\n"
          "                    libcuda.so.1, libcuda.so and the usual driver directories)\n"
          "  --visible VALUE   set CUDA_VISIBLE_DEVICES to VALUE first\n"
          "  --unset-visible   unset CUDA_VISIBLE_DEVICES first\n"
          "CUDA_DEVICE_ORDER is honoured by the driver itself.\n",
          out);
}

/* The descriptors a caller forgot to mark close-on-exec are not ours to hold. */
static void close_inherited_fds(void)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return;
#endif
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536) max = 65536;
    for (long fd = 3; fd < max; fd++)
        close((int)fd);
}

/* Where Python nvitop looks for the driver library, after an explicit choice. */
static void *open_cuda(const char *library, char *why, size_t len)
{
    static const char *const defaults[] = {"libcuda.so.1",
                                           "libcuda.so",
                                           "/usr/lib64/nvidia/libcuda.so.1",
                                           "/usr/lib/x86_64-linux-gnu/libcuda.so.1",
                                           "/usr/lib/wsl/lib/libcuda.so.1",
                                           NULL};
    if (library && *library) {
        void *h = dlopen(library, RTLD_NOW | RTLD_LOCAL);
        if (!h) snprintf(why, len, "%s", dlerror());
        return h;
    }
    snprintf(why, len, "libcuda.so.1: not found");
    for (size_t i = 0; defaults[i]; i++) {
        void *h = dlopen(defaults[i], RTLD_NOW | RTLD_LOCAL);
        if (h) return h;
        if (i == 0) snprintf(why, len, "%s", dlerror());
    }
    return NULL;
}

static void *symbol(void *h, const char *name)
{
    return dlsym(h, name);
}

static int load_api(void *h, cuda_api_t *api)
{
    *(void **)&api->init = symbol(h, "cuInit");
    *(void **)&api->driver_version = symbol(h, "cuDriverGetVersion");
    *(void **)&api->count = symbol(h, "cuDeviceGetCount");
    *(void **)&api->get = symbol(h, "cuDeviceGet");
    /* _v2 gives a MIG device's own UUID; the old entry point (CUDA < 11.4) the GPU's. */
    *(void **)&api->uuid = symbol(h, "cuDeviceGetUuid_v2");
    if (!api->uuid) *(void **)&api->uuid = symbol(h, "cuDeviceGetUuid");
    *(void **)&api->bus_id = symbol(h, "cuDeviceGetPCIBusId");
    *(void **)&api->error_name = symbol(h, "cuGetErrorName");
    return api->init && api->count && api->get && api->uuid ? 0 : -1;
}

static int cuda_failed(const cuda_api_t *api, const char *function, CUresult rc)
{
    const char *name = NULL;
    if (!api->error_name || api->error_name(rc, &name) != 0 || !name) name = "CUDA_ERROR_UNKNOWN";
    printf("error cuda %s %d %s\n", function, rc, name);
    return 1;
}

static int probe(const char *library)
{
    char why[512];
    printf("nvitop-cuda-probe 1\n");
    void *h = open_cuda(library, why, sizeof(why));
    cuda_api_t api = {0};
    if (h && load_api(h, &api) < 0) {
        snprintf(why, sizeof(why),
                 "the CUDA library lacks cuInit, cuDeviceGetCount, cuDeviceGet "
                 "or cuDeviceGetUuid");
        api.init = NULL;
    }
    int version = -1;
    if (api.driver_version && api.driver_version(&version) != 0) version = -1;
    printf("driver %d\n", version);
    if (!api.init) {
        for (char *c = why; *c; c++)
            if (*c == '\n') *c = ' ';
        printf("error library %s\n", why);
        return 1;
    }
    CUresult rc = api.init(0);
    if (rc != 0) return cuda_failed(&api, "cuInit", rc);
    int count = 0;
    if ((rc = api.count(&count)) != 0) return cuda_failed(&api, "cuDeviceGetCount", rc);
    printf("count %d\n", count);
    for (int i = 0; i < count; i++) {
        CUdevice dev;
        CUuuid u;
        char bus[64] = "-";
        if ((rc = api.get(&dev, i)) != 0) return cuda_failed(&api, "cuDeviceGet", rc);
        if ((rc = api.uuid(&u, dev)) != 0) return cuda_failed(&api, "cuDeviceGetUuid", rc);
        if (api.bus_id && api.bus_id(bus, (int)sizeof(bus), dev) != 0) strcpy(bus, "-");
        bus[strcspn(bus, " \n")] = '\0';
        const unsigned char *b = u.bytes;
        printf(
            "device %d %02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x %s\n",
            i, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
            b[13], b[14], b[15], *bus ? bus : "-");
    }
    printf("ok\n");
    return 0;
}

int main(int argc, char **argv)
{
    close_inherited_fds();
    const char *library = getenv("NVITOP_CUDA_LIBRARY");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--library") == 0 && i + 1 < argc) {
            library = argv[++i];
        } else if (strcmp(argv[i], "--visible") == 0 && i + 1 < argc) {
            if (setenv("CUDA_VISIBLE_DEVICES", argv[++i], 1) != 0) return 2;
        } else if (strcmp(argv[i], "--unset-visible") == 0) {
            unsetenv("CUDA_VISIBLE_DEVICES");
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "nvitop-cuda-probe: unknown argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    int rc = probe(library);
    /* A driver that keeps threads alive must not delay the answer: leave at once. */
    fflush(stdout);
    _exit(rc);
}
