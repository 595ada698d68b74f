/* SPDX-License-Identifier: Apache-2.0 */
/* Quick start: every GPU with its fan, temperature, utilisation, memory and processes, on the
 * public API only (the C counterpart of the Python README's first example).
 *
 *   cc devices.c $(pkg-config --cflags --libs nvitop) -o devices && ./devices
 */
#define _POSIX_C_SOURCE 200809L /* localtime_r */
#include <nvitop.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *int_text(nvitop_int_t v, const char *unit, char *buf, size_t len)
{
    if (!NVITOP_HAS(v)) return "N/A";
    snprintf(buf, len, "%lld%s", (long long)v.value, unit);
    return buf;
}

static const char *bytes_text(nvitop_int_t v, char *buf, size_t len)
{
    return NVITOP_HAS(v) ? nvitop_bytes_to_human(v.value, 1, buf, len) : "N/A";
}

static void print_device_header(const nvitop_device_snapshot_t *s)
{
    char total[32];
    if (s->is_mig)
        printf("MigDevice(index=(%d, %d), ", s->physical_index, s->mig_index);
    else
        printf("PhysicalDevice(index=%d, ", s->physical_index);
    printf("name=\"%s\", total_memory=%s)\n", s->name.value ? s->name.value : "N/A",
           bytes_text(s->memory_total_bytes, total, sizeof(total)));
}

static void print_process(const nvitop_gpu_process_t *p)
{
    char mem[32], started[16] = "N/A";
    const nvitop_host_process_t *h = &p->host;
    if (NVITOP_HAS(h->create_time_s)) {
        time_t t = (time_t)h->create_time_s.value;
        struct tm tm;
        if (localtime_r(&t, &tm)) strftime(started, sizeof(started), "%H:%M:%S", &tm);
    }
    printf("    - GpuProcess(pid=%u, gpu_memory=%s, type=%s, host=HostProcess(pid=%u, "
           "name='%s', status='%s', started='%s'))\n",
           p->pid, bytes_text(p->gpu_memory_bytes, mem, sizeof(mem)),
           nvitop_process_type_string(p->type), h->pid, h->name.value ? h->name.value : "N/A",
           h->na == NVITOP_NA_NONE ? nvitop_process_status_string(h->state)
                                   : nvitop_na_string(h->na),
           started);
}

static void print_device(nvitop_device_t *dev)
{
    nvitop_device_snapshot_t s;
    nvitop_device_query(dev,
                        NVITOP_DQ_NAME | NVITOP_DQ_MEMORY | NVITOP_DQ_FAN | NVITOP_DQ_TEMPERATURE |
                            NVITOP_DQ_UTILIZATION,
                        &s);
    char a[32], b[32], c[32], d[32], e[32], f[32];
    print_device_header(&s);
    printf("  - Fan speed:       %s\n", int_text(s.fan_speed_percent, "%", a, sizeof(a)));
    printf("  - Temperature:     %s\n", int_text(s.temperature_c, "C", b, sizeof(b)));
    printf("  - GPU utilization: %s\n", int_text(s.gpu_utilization_percent, "%", c, sizeof(c)));
    printf("  - Total memory:    %s\n", bytes_text(s.memory_total_bytes, d, sizeof(d)));
    printf("  - Used memory:     %s\n", bytes_text(s.memory_used_bytes, e, sizeof(e)));
    printf("  - Free memory:     %s\n", bytes_text(s.memory_free_bytes, f, sizeof(f)));

    nvitop_process_list_t *procs = NULL;
    int rc = nvitop_device_processes(dev, NVITOP_PQ_ALL, &procs);
    if (rc < 0) {
        printf("  - Processes: N/A (%s)\n", nvitop_strerror(rc));
        return;
    }
    printf("  - Processes (%zu): [", procs->count);
    for (size_t i = 0; i < procs->count; i++)
        printf("%s%u", i ? ", " : "", procs->items[i].pid);
    printf("]\n");
    for (size_t i = 0; i < procs->count; i++)
        print_process(&procs->items[i]);
    nvitop_process_list_free(procs);
}

int main(void)
{
    int error = 0;
    nvitop_ctx_t *ctx = nvitop_ctx_new(NULL, &error);
    if (!ctx) {
        fprintf(stderr, "devices: %s\n", nvitop_strerror(error));
        return 1;
    }
    int rc = nvitop_init(ctx);
    if (rc < 0) {
        fprintf(stderr, "devices: %s\n", nvitop_ctx_message(ctx));
        nvitop_ctx_free(ctx);
        return 1;
    }
    unsigned count = 0;
    nvitop_device_count(ctx, &count);
    char line[121];
    memset(line, '-', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    for (unsigned i = 0; i < count; i++) {
        nvitop_device_t *dev;
        if (nvitop_device_get(ctx, i, &dev) < 0) continue;
        print_device(dev);
        for (unsigned j = 0; j < nvitop_device_mig_count(dev); j++) {
            nvitop_device_t *mig;
            if (nvitop_device_mig_get(dev, j, &mig) == 0) print_device(mig);
        }
        puts(line);
    }
    nvitop_ctx_free(ctx);
    return 0;
}
