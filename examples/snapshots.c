/* SPDX-License-Identifier: Apache-2.0 */
/* take_snapshots(): every device and every GPU process at once, in one snapshot that owns its
 * data, printed the way Python shows a SnapshotResult (a few fields of each). The C
 * counterpart of the Python README's "Status Snapshot".
 *
 *   snapshots [--cuda] [--no-processes]
 *
 * --cuda: the devices CUDA_VISIBLE_DEVICES leaves visible, in CUDA order (Device.cuda.all());
 * --no-processes: devices only (gpu_processes=False).
 *
 *   cc snapshots.c $(pkg-config --cflags --libs nvitop) -o snapshots
 */
#include <nvitop.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *bytes_text(nvitop_int_t v, char *buf, size_t len)
{
    return NVITOP_HAS(v) ? nvitop_bytes_to_human(v.value, 1, buf, len) : "N/A";
}

static const char *int_text(nvitop_int_t v, char *buf, size_t len)
{
    if (!NVITOP_HAS(v)) return "N/A";
    snprintf(buf, len, "%lld", (long long)v.value);
    return buf;
}

static const char *str_text(nvitop_str_t v)
{
    return NVITOP_HAS(v) ? v.value : "N/A";
}

/* "Device(index=0, ...)", "MigDevice(index=(2, 0), ...)", "CudaDevice(cuda_index=0, ...)". */
static void print_real(const nvitop_device_snapshot_t *d)
{
    if (d->cuda_index >= 0)
        printf("%s(cuda_index=%d, nvml_index=", d->is_mig ? "CudaMigDevice" : "CudaDevice",
               d->cuda_index);
    else
        printf("%s(index=", d->is_mig ? "MigDevice" : "PhysicalDevice");
    if (d->is_mig)
        printf("(%d, %d), ...)", d->physical_index, d->mig_index);
    else
        printf("%d, ...)", d->physical_index);
}

static void print_device(const nvitop_device_snapshot_t *d)
{
    char total[32], used[32], util[16], temp[16];
    printf("        %sSnapshot(\n            real=", d->cuda_index >= 0 ? "CudaDevice" : "Device");
    print_real(d);
    printf(",\n            name=\"%s\",\n            uuid=\"%s\",\n", str_text(d->name),
           str_text(d->uuid));
    printf("            memory_total_human=%s,\n            memory_used_human=%s,\n",
           bytes_text(d->memory_total_bytes, total, sizeof(total)),
           bytes_text(d->memory_used_bytes, used, sizeof(used)));
    printf("            gpu_utilization=%s,\n            temperature=%s\n        ),\n",
           int_text(d->gpu_utilization_percent, util, sizeof(util)),
           int_text(d->temperature_c, temp, sizeof(temp)));
}

static void print_process(const nvitop_snapshot_t *s, const nvitop_gpu_process_t *p)
{
    char mem[32], sm[16];
    printf("        GpuProcessSnapshot(\n            real=GpuProcess(pid=%u, device=", p->pid);
    print_real(&s->devices[p->device]);
    printf("),\n            type=%s,\n            gpu_memory_human=%s,\n",
           nvitop_process_type_string(p->type), bytes_text(p->gpu_memory_bytes, mem, sizeof(mem)));
    printf("            gpu_sm_utilization=%s,\n            username=%s,\n"
           "            command=%s\n        ),\n",
           int_text(p->gpu_sm_utilization_percent, sm, sizeof(sm)), str_text(p->host.username),
           str_text(p->host.command));
}

static int fail(nvitop_ctx_t *ctx, const char *what)
{
    fprintf(stderr, "snapshots: %s\n", ctx ? nvitop_ctx_message(ctx) : what);
    nvitop_ctx_free(ctx);
    return 1;
}

int main(int argc, char **argv)
{
    bool cuda = false;
    unsigned flags = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--cuda") == 0) {
            cuda = true;
        } else if (strcmp(argv[i], "--no-processes") == 0) {
            flags |= NVITOP_SNAPSHOT_NO_PROCESSES;
        } else {
            fprintf(stderr,
                    "snapshots: unknown argument \"%s\"\n"
                    "usage: snapshots [--cuda] [--no-processes]\n",
                    argv[i]);
            return 2;
        }
    }
    nvitop_ctx_t *ctx = nvitop_ctx_new(NULL, NULL);
    if (!ctx || nvitop_init(ctx) < 0) return fail(ctx, "out of memory");
    nvitop_device_t **devs = NULL;
    size_t n = 0;
    if (cuda) {
        if (nvitop_cuda_devices(ctx, getenv("CUDA_VISIBLE_DEVICES"), NULL, &devs, &n, NULL) < 0)
            return fail(ctx, NULL);
        flags |= NVITOP_SNAPSHOT_CUDA_ORDER;
    }
    nvitop_snapshot_t *s = NULL;
    int rc = nvitop_take_snapshots(ctx, cuda ? devs : NULL, n, flags, &s);
    nvitop_free(devs);
    if (rc < 0) return fail(ctx, NULL);
    nvitop_ctx_free(ctx); /* the snapshot owns everything it holds */

    printf("SnapshotResult(\n    devices=[\n");
    for (size_t i = 0; i < s->device_count; i++)
        print_device(&s->devices[i]);
    printf("    ],\n    gpu_processes=[\n");
    for (size_t i = 0; i < s->process_count; i++)
        print_process(s, &s->processes[i]);
    printf("    ]\n)\n");
    nvitop_snapshot_free(s);
    return 0;
}
