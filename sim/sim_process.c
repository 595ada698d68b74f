/* SPDX-License-Identifier: Apache-2.0 */
/* GPU process lists (compute, graphics, MPS; v1 and v2/v3 layouts, two-call pattern) and
 * per-process utilization samples with lastSeenTimeStamp semantics. A MIG-enabled GPU lists its
 * MIG devices' processes too, carrying their GPU/compute instance ids. */
#include "sim_api.h"

/* The process sources of d: d itself, then (for a GPU) each of its MIG devices. */
static const struct sim_dev *source(const struct sim_dev *d, size_t i)
{
    if (i == 0) return d;
    return !d->is_mig && i - 1 < d->n_mig ? &d->mig[i - 1] : NULL;
}

static unsigned int gi_of(const struct sim_dev *src)
{
    return src->is_mig ? src->gpu_instance_id : NVML_INSTANCE_ID_NONE;
}

static unsigned int ci_of(const struct sim_dev *src)
{
    return src->is_mig ? src->compute_instance_id : NVML_INSTANCE_ID_NONE;
}

static size_t count_procs(const struct sim_dev *d, unsigned int types)
{
    size_t n = 0;
    const struct sim_dev *src;
    for (size_t s = 0; (src = source(d, s)) != NULL; s++)
        for (size_t i = 0; i < src->n_procs; i++)
            n += (src->procs[i].types & types) != 0;
    return n;
}

static unsigned long long used_memory(const struct sim_call *c, const struct sim_proc *p)
{
    if (p->used_mem.kind == SIM_NUM_NONE) return NVML_VALUE_NOT_AVAILABLE_ULL;
    return (unsigned long long)sim_num_at(&p->used_mem, c->t);
}

static void fill(const struct sim_call *c, unsigned int types, void *infos, bool v2)
{
    size_t n = 0;
    const struct sim_dev *src;
    for (size_t s = 0; (src = source(c->dev, s)) != NULL; s++) {
        for (size_t i = 0; i < src->n_procs; i++) {
            const struct sim_proc *p = &src->procs[i];
            if (!(p->types & types)) continue;
            if (v2) {
                nvmlProcessInfo_v2_t *out = (nvmlProcessInfo_v2_t *)infos + n++;
                out->pid = p->pid;
                out->usedGpuMemory = used_memory(c, p);
                out->gpuInstanceId = gi_of(src);
                out->computeInstanceId = ci_of(src);
            } else {
                nvmlProcessInfo_v1_t *out = (nvmlProcessInfo_v1_t *)infos + n++;
                out->pid = p->pid;
                out->usedGpuMemory = used_memory(c, p);
            }
        }
    }
}

/* Two-call pattern: a NULL or too small buffer gets the count needed (SUCCESS when it is 0). */
static nvmlReturn_t proc_list(enum sim_fn fn, nvmlDevice_t device, unsigned int types,
                              unsigned int *infoCount, void *infos, bool v2)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_dev(&c, fn, device);
    if (r == NVML_SUCCESS && !infoCount) r = NVML_ERROR_INVALID_ARGUMENT;
    if (r != NVML_SUCCESS) return sim_end(&c, r);
    size_t n = types ? count_procs(c.dev, types) : 0;
    if (!infos || *infoCount < n) {
        r = n == 0 ? NVML_SUCCESS : NVML_ERROR_INSUFFICIENT_SIZE;
    } else {
        fill(&c, types, infos, v2);
    }
    *infoCount = (unsigned int)n;
    return sim_end(&c, r);
}

#define COMPUTE SIM_PROC_COMPUTE
#define GRAPHICS SIM_PROC_GRAPHICS
#define MPS 0U /* scenarios have no MPS clients: those lists are empty, as captured on an H100 */

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses(nvmlDevice_t device, unsigned int *infoCount,
                                                  nvmlProcessInfo_v1_t *infos)
{
    return proc_list(SIM_FN_nvmlDeviceGetComputeRunningProcesses, device, COMPUTE, infoCount, infos,
                     false);
}

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v2(nvmlDevice_t device, unsigned int *infoCount,
                                                     nvmlProcessInfo_v2_t *infos)
{
    return proc_list(SIM_FN_nvmlDeviceGetComputeRunningProcesses_v2, device, COMPUTE, infoCount,
                     infos, true);
}

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned int *infoCount,
                                                     nvmlProcessInfo_v2_t *infos)
{
    return proc_list(SIM_FN_nvmlDeviceGetComputeRunningProcesses_v3, device, COMPUTE, infoCount,
                     infos, true);
}

nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses(nvmlDevice_t device, unsigned int *infoCount,
                                                   nvmlProcessInfo_v1_t *infos)
{
    return proc_list(SIM_FN_nvmlDeviceGetGraphicsRunningProcesses, device, GRAPHICS, infoCount,
                     infos, false);
}

nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses_v2(nvmlDevice_t device, unsigned int *infoCount,
                                                      nvmlProcessInfo_v2_t *infos)
{
    return proc_list(SIM_FN_nvmlDeviceGetGraphicsRunningProcesses_v2, device, GRAPHICS, infoCount,
                     infos, true);
}

nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses_v3(nvmlDevice_t device, unsigned int *infoCount,
                                                      nvmlProcessInfo_v2_t *infos)
{
    return proc_list(SIM_FN_nvmlDeviceGetGraphicsRunningProcesses_v3, device, GRAPHICS, infoCount,
                     infos, true);
}

nvmlReturn_t nvmlDeviceGetMPSComputeRunningProcesses(nvmlDevice_t device, unsigned int *infoCount,
                                                     nvmlProcessInfo_v1_t *infos)
{
    return proc_list(SIM_FN_nvmlDeviceGetMPSComputeRunningProcesses, device, MPS, infoCount, infos,
                     false);
}

nvmlReturn_t nvmlDeviceGetMPSComputeRunningProcesses_v2(nvmlDevice_t device,
                                                        unsigned int *infoCount,
                                                        nvmlProcessInfo_v2_t *infos)
{
    return proc_list(SIM_FN_nvmlDeviceGetMPSComputeRunningProcesses_v2, device, MPS, infoCount,
                     infos, true);
}

nvmlReturn_t nvmlDeviceGetMPSComputeRunningProcesses_v3(nvmlDevice_t device,
                                                        unsigned int *infoCount,
                                                        nvmlProcessInfo_v2_t *infos)
{
    return proc_list(SIM_FN_nvmlDeviceGetMPSComputeRunningProcesses_v3, device, MPS, infoCount,
                     infos, true);
}

static unsigned int pct(const struct sim_call *c, const struct sim_num *num)
{
    return num->kind == SIM_NUM_NONE ? 0U : (unsigned int)sim_num_at(num, c->t);
}

static size_t fill_samples(const struct sim_call *c, nvmlProcessUtilizationSample_t *out,
                           unsigned long long stamp)
{
    size_t n = 0;
    const struct sim_dev *src;
    for (size_t s = 0; (src = source(c->dev, s)) != NULL; s++) {
        for (size_t i = 0; i < src->n_procs; i++) {
            const struct sim_proc *p = &src->procs[i];
            if (p->sm.kind == SIM_NUM_NONE) continue;
            if (out) {
                out[n].pid = p->pid;
                out[n].timeStamp = stamp;
                out[n].smUtil = pct(c, &p->sm);
                out[n].memUtil = pct(c, &p->mem);
                out[n].encUtil = pct(c, &p->enc);
                out[n].decUtil = pct(c, &p->dec);
            }
            n++;
        }
    }
    return n;
}

/* Every process with an "sm" value has one sample, stamped with the current time rounded down
 * to the scenario's sampling period, so a caller polling faster than the period gets NOT_FOUND
 * in between, as with the driver. A NULL buffer asks for the size (all samples). */
nvmlReturn_t nvmlDeviceGetProcessUtilization(nvmlDevice_t device,
                                             nvmlProcessUtilizationSample_t *utilization,
                                             unsigned int *processSamplesCount,
                                             unsigned long long lastSeenTimeStamp)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_dev(&c, SIM_FN_nvmlDeviceGetProcessUtilization, device);
    if (r == NVML_SUCCESS && !processSamplesCount) r = NVML_ERROR_INVALID_ARGUMENT;
    if (r != NVML_SUCCESS) return sim_end(&c, r);
    unsigned long long period = (unsigned long long)c.sc->process_sample_period_us;
    unsigned long long now = sim_realtime_us(), stamp = now - now % period;
    size_t all = fill_samples(&c, NULL, stamp);
    size_t fresh = stamp > lastSeenTimeStamp ? all : 0;
    if (!utilization) {
        *processSamplesCount = (unsigned int)all;
        r = all ? NVML_ERROR_INSUFFICIENT_SIZE : NVML_SUCCESS;
    } else if (fresh == 0) {
        *processSamplesCount = 0;
        r = NVML_ERROR_NOT_FOUND;
    } else if (*processSamplesCount < fresh) {
        *processSamplesCount = (unsigned int)fresh;
        r = NVML_ERROR_INSUFFICIENT_SIZE;
    } else {
        *processSamplesCount = (unsigned int)fill_samples(&c, utilization, stamp);
    }
    return sim_end(&c, r);
}
