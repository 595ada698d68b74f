/* SPDX-License-Identifier: Apache-2.0 */
/* The libcuda stand-in: the few CUDA driver API entry points device enumeration needs (cuInit,
 * cuDeviceGetCount, cuDeviceGet, cuDeviceGetUuid(_v2), cuDeviceGetPCIBusId, cuDriverGetVersion,
 * cuGetErrorName), answering from the NVML simulator's scenario file ($NVML_SIM_SCENARIO):
 * CUDA's own order (the scenario's "cuda.order", or PCI bus order with
 * CUDA_DEVICE_ORDER=PCI_BUS_ID), CUDA_VISIBLE_DEVICES read as the driver reads it (indices in
 * CUDA's order, abbreviated GPU-/MIG- UUIDs, one MIG device at most) and cuInit failures. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "sim_cuda_api.h"
#include "sim_internal.h"

enum {
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_NO_DEVICE = 100,
    CUDA_ERROR_INVALID_DEVICE = 101,
    CUDA_ERROR_NOT_SUPPORTED = 801,
    CUDA_ERROR_SYSTEM_DRIVER_MISMATCH = 803,
    CUDA_ERROR_UNKNOWN = 999,
};

#define MAX_VISIBLE 4096

static struct {
    pthread_mutex_t lock;
    bool loaded;
    struct sim_scenario *sc; /* NULL: no scenario (or an invalid one) */
    CUresult load_error;
    bool initialized;
    CUresult init_result;
    size_t n;
    const struct sim_dev *devs[MAX_VISIBLE]; /* what CUDA shows, cuda:0 first */
} g = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Reads the scenario once (under the lock). */
static void load(void)
{
    if (g.loaded) return;
    g.loaded = true;
    const char *path = getenv("NVML_SIM_SCENARIO");
    if (!path || !*path) {
        g.load_error = CUDA_ERROR_NO_DEVICE; /* no driver: no device */
        return;
    }
    char err[1024];
    struct stat st;
    g.sc = sim_scenario_load(path, &st, err, sizeof(err));
    if (!g.sc) {
        fprintf(stderr, "cuda-sim: %s\n", err);
        g.load_error = CUDA_ERROR_UNKNOWN;
    }
}

/* CUDA enumerates the GPUs the driver can open: not a lost one, nor one NVML cannot get a
 * handle for (lost already there, no permission on its device node, not initialised), whose
 * UUID a recording cannot know either. */
static bool unusable(const struct sim_dev *d)
{
    return d->star_error == NVML_ERROR_GPU_IS_LOST ||
           d->errors[SIM_FN_nvmlDeviceGetHandleByIndex] != NVML_SUCCESS ||
           d->errors[SIM_FN_nvmlDeviceGetHandleByIndex_v2] != NVML_SUCCESS;
}

static bool mig_enabled(const struct sim_dev *d)
{
    return d->has_mig_mode && d->mig_current == 1;
}

static int by_bus_id(const void *a, const void *b)
{
    const struct sim_dev *x = *(const struct sim_dev *const *)a;
    const struct sim_dev *y = *(const struct sim_dev *const *)b;
    if (x->has_pci != y->has_pci) return x->has_pci ? -1 : 1;
    if (x->has_pci) {
        unsigned long long kx =
            ((unsigned long long)x->pci_domain << 16) | (x->pci_bus << 8) | x->pci_device;
        unsigned long long ky =
            ((unsigned long long)y->pci_domain << 16) | (y->pci_bus << 8) | y->pci_device;
        if (kx != ky) return kx < ky ? -1 : 1;
    }
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The GPUs CUDA enumerates before CUDA_VISIBLE_DEVICES: unusable ones are gone; the order is the
 * scenario's (CUDA's default, fastest first), or PCI bus order with CUDA_DEVICE_ORDER. */
static size_t base_order(const struct sim_scenario *sc, const struct sim_dev **out)
{
    const char *order = getenv("CUDA_DEVICE_ORDER");
    bool bus_order = order && strcmp(order, "PCI_BUS_ID") == 0;
    size_t n = 0;
    for (size_t k = 0; k < sc->n_devs && n < MAX_VISIBLE; k++) {
        size_t i = !bus_order && sc->cuda.n_order ? sc->cuda.order[k] : k;
        if (!unusable(&sc->devs[i])) out[n++] = &sc->devs[i];
    }
    if (bus_order) qsort(out, n, sizeof(*out), by_bus_id);
    return n;
}

/* The one device among candidates whose UUID starts with prefix (case-insensitive). */
static const struct sim_dev *match_prefix(const struct sim_dev *const *cand, size_t n,
                                          const char *prefix)
{
    const struct sim_dev *found = NULL;
    size_t len = strlen(prefix);
    for (size_t i = 0; i < n; i++) {
        if (cand[i]->uuid && strncasecmp(cand[i]->uuid, prefix, len) == 0) {
            if (found) return NULL;
            found = cand[i];
        }
    }
    return found;
}

static size_t all_migs(const struct sim_dev *const *base, size_t n, const struct sim_dev **out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; mig_enabled(base[i]) && k < base[i]->n_mig && m < MAX_VISIBLE; k++)
            out[m++] = &base[i]->mig[k];
    return m;
}

/* "MIG-GPU-<uuid>/<gi>/<ci>" (the form before R470). */
static const struct sim_dev *mig_by_gpu(const struct sim_dev *const *base, size_t n,
                                        const char *token)
{
    char gpu[128];
    unsigned gi, ci;
    const char *slash = strchr(token, '/');
    if (!slash || (size_t)(slash - token) >= sizeof(gpu) || sscanf(slash, "/%u/%u", &gi, &ci) != 2)
        return NULL;
    memcpy(gpu, token, (size_t)(slash - token));
    gpu[slash - token] = '\0';
    const struct sim_dev *parent = match_prefix(base, n, gpu);
    for (size_t k = 0; parent && mig_enabled(parent) && k < parent->n_mig; k++)
        if (parent->mig[k].gpu_instance_id == gi && parent->mig[k].compute_instance_id == ci)
            return &parent->mig[k];
    return NULL;
}

static const struct sim_dev *resolve(const struct sim_dev *const *base, size_t n, const char *token)
{
    const char *p = token + (*token == '+' || *token == '-');
    if (isdigit((unsigned char)*p)) {
        long index = strtol(token, NULL, 10);
        return index >= 0 && (size_t)index < n ? base[index] : NULL;
    }
    if (strncasecmp(token, "MIG-GPU-", 8) == 0) return mig_by_gpu(base, n, token + 4);
    if (strncasecmp(token, "MIG-", 4) == 0) {
        static const struct sim_dev *migs[MAX_VISIBLE];
        return match_prefix(migs, all_migs(base, n, migs), token);
    }
    if (strncasecmp(token, "GPU-", 4) == 0) return match_prefix(base, n, token);
    return NULL;
}

/* CUDA_VISIBLE_DEVICES as the driver reads it: entries until the first invalid one; a
 * repeated device hides every device. Indices and UUIDs may be mixed. */
static size_t parse_visible(const char *value, const struct sim_dev *const *base, size_t n,
                            const struct sim_dev **out)
{
    char *copy = strdup(value);
    size_t m = 0;
    for (char *next = copy, *tok; copy && (tok = strsep(&next, ",")) && m < MAX_VISIBLE;) {
        while (isspace((unsigned char)*tok))
            tok++;
        size_t len = strlen(tok);
        while (len && isspace((unsigned char)tok[len - 1]))
            tok[--len] = '\0';
        const struct sim_dev *d = resolve(base, n, tok);
        if (!d) break;
        for (size_t i = 0; i < m; i++)
            if (out[i] == d) d = NULL;
        if (!d) {
            m = 0;
            break;
        }
        out[m++] = d;
    }
    free(copy);
    return m;
}

/* One MIG device at most: the first listed, else instance 0 of the first listed GPU with MIG
 * on (which hides every other GPU); a GPU with MIG on and no instance shows nothing. */
static size_t mig_rule(const struct sim_dev **list, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        if (list[i]->is_mig) {
            list[0] = list[i];
            return 1;
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < m; i++) {
        if (!mig_enabled(list[i])) {
            list[kept++] = list[i];
        } else if (list[i]->n_mig > 0) {
            list[0] = &list[i]->mig[0];
            return 1;
        }
    }
    return kept;
}

static CUresult init_from_nvml_error(nvmlReturn_t e)
{
    if (e == NVML_ERROR_DRIVER_NOT_LOADED) return CUDA_ERROR_NO_DEVICE;
    if (e == NVML_ERROR_LIB_RM_VERSION_MISMATCH) return CUDA_ERROR_SYSTEM_DRIVER_MISMATCH;
    return CUDA_ERROR_UNKNOWN;
}

static CUresult do_init(void)
{
    load();
    if (!g.sc) return g.load_error;
    const struct sim_scenario *sc = g.sc;
    if (sc->cuda.init_latency_us > 0) {
        struct timespec ts = {sc->cuda.init_latency_us / 1000000,
                              (sc->cuda.init_latency_us % 1000000) * 1000};
        while (nanosleep(&ts, &ts) != 0)
            ;
    }
    if (sc->cuda.init_error) return sc->cuda.init_error;
    if (sc->init_error != NVML_SUCCESS) return init_from_nvml_error(sc->init_error);
    static const struct sim_dev *base[MAX_VISIBLE];
    size_t n = base_order(sc, base);
    const char *value = getenv("CUDA_VISIBLE_DEVICES");
    if (value) {
        g.n = parse_visible(value, base, n, g.devs);
    } else {
        memcpy(g.devs, base, n * sizeof(*base));
        g.n = n;
    }
    g.n = mig_rule(g.devs, g.n);
    return g.n ? CUDA_SUCCESS : CUDA_ERROR_NO_DEVICE;
}

CUresult cuInit(unsigned int flags)
{
    if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
    pthread_mutex_lock(&g.lock);
    if (!g.initialized) {
        g.init_result = do_init();
        g.initialized = true;
    }
    CUresult r = g.init_result;
    pthread_mutex_unlock(&g.lock);
    return r;
}

/* Locks; returns CUDA_SUCCESS when cuInit has succeeded (the lock is held either way). */
static CUresult begin(void)
{
    pthread_mutex_lock(&g.lock);
    return g.initialized && g.init_result == CUDA_SUCCESS ? CUDA_SUCCESS
                                                          : CUDA_ERROR_NOT_INITIALIZED;
}

static CUresult end(CUresult r)
{
    pthread_mutex_unlock(&g.lock);
    return r;
}

CUresult cuDeviceGetCount(int *count)
{
    CUresult r = begin();
    if (r == CUDA_SUCCESS && !count) r = CUDA_ERROR_INVALID_VALUE;
    if (r == CUDA_SUCCESS) *count = (int)g.n;
    return end(r);
}

CUresult cuDeviceGet(CUdevice *device, int ordinal)
{
    CUresult r = begin();
    if (r == CUDA_SUCCESS && !device) r = CUDA_ERROR_INVALID_VALUE;
    if (r == CUDA_SUCCESS && (ordinal < 0 || (size_t)ordinal >= g.n)) r = CUDA_ERROR_INVALID_DEVICE;
    if (r == CUDA_SUCCESS) *device = ordinal;
    return end(r);
}

static CUresult device_at(CUdevice device, const struct sim_dev **out)
{
    if (device < 0 || (size_t)device >= g.n) return CUDA_ERROR_INVALID_DEVICE;
    *out = g.devs[device];
    return CUDA_SUCCESS;
}

/* The 16 bytes of "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" or "MIG-...". */
static bool uuid_bytes(const char *uuid, unsigned char bytes[16])
{
    if (!uuid || strlen(uuid) != 40 || uuid[3] != '-') return false;
    const char *p = uuid + 4;
    for (int i = 0; i < 16; i++) {
        if (*p == '-') p++;
        unsigned v;
        if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) ||
            sscanf(p, "%2x", &v) != 1)
            return false;
        bytes[i] = (unsigned char)v;
        p += 2;
    }
    return *p == '\0';
}

static CUresult get_uuid(CUuuid *uuid, CUdevice device, bool own_mig_uuid)
{
    const struct sim_dev *d;
    CUresult r = begin();
    if (r == CUDA_SUCCESS && !uuid) r = CUDA_ERROR_INVALID_VALUE;
    if (r == CUDA_SUCCESS) r = device_at(device, &d);
    /* Before CUDA 11.4 (no _v2), a MIG device answered with its GPU's UUID. */
    if (r == CUDA_SUCCESS && d->is_mig && !own_mig_uuid) d = d->parent;
    if (r == CUDA_SUCCESS && !uuid_bytes(d->uuid, uuid->bytes)) r = CUDA_ERROR_INVALID_VALUE;
    return end(r);
}

CUresult cuDeviceGetUuid(CUuuid *uuid, CUdevice device)
{
    return get_uuid(uuid, device, false);
}

#ifndef SIM_CUDA_NO_UUID_V2
CUresult cuDeviceGetUuid_v2(CUuuid *uuid, CUdevice device)
{
    return get_uuid(uuid, device, true);
}
#endif

CUresult cuDeviceGetPCIBusId(char *bus_id, int len, CUdevice device)
{
    const struct sim_dev *d;
    CUresult r = begin();
    if (r == CUDA_SUCCESS && (!bus_id || len <= 0)) r = CUDA_ERROR_INVALID_VALUE;
    if (r == CUDA_SUCCESS) r = device_at(device, &d);
    if (r == CUDA_SUCCESS && d->is_mig) d = d->parent;
    if (r == CUDA_SUCCESS && !d->has_pci) r = CUDA_ERROR_NOT_SUPPORTED;
    if (r == CUDA_SUCCESS)
        snprintf(bus_id, (size_t)len, "%04X:%02X:%02X.0", d->pci_domain, d->pci_bus, d->pci_device);
    return end(r);
}

CUresult cuDriverGetVersion(int *version)
{
    if (!version) return CUDA_ERROR_INVALID_VALUE;
    pthread_mutex_lock(&g.lock);
    load();
    *version = g.sc && g.sc->cuda_driver_version.kind != SIM_NUM_NONE
                   ? (int)sim_num_at(&g.sc->cuda_driver_version, 0)
                   : 0;
    pthread_mutex_unlock(&g.lock);
    return CUDA_SUCCESS;
}

CUresult cuGetErrorName(CUresult error, const char **name)
{
    if (!name) return CUDA_ERROR_INVALID_VALUE;
    *name = sim_cuda_error_name(error);
    return *name ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}
