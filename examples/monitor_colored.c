/* SPDX-License-Identifier: Apache-2.0 */
/* A coloured monitor: the date, then each CUDA-visible device (CUDA order) with its fan,
 * temperature, utilisation, memory and a process table sorted by user and pid, redrawn every
 * interval. The C counterpart of the Python README's "more advanced approach with coloring".
 *
 *   monitor_colored [-n FRAMES] [-i SECONDS] [--color=always|never|auto]
 *
 * -n: stop after that many frames (default: run until interrupted). Colour: auto (default)
 * when stdout is a terminal and NO_COLOR is unset.
 *
 *   cc monitor_colored.c $(pkg-config --cflags --libs nvitop) -o monitor_colored
 */
#define _POSIX_C_SOURCE 200809L /* localtime_r, nanosleep */
#include <nvitop.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool color;

/* ANSI SGR: "1;31" is bold red, as termcolor's colored(..., 'red', attrs=('bold',)). */
static void paint(const char *sgr, const char *text)
{
    if (color)
        printf("\033[%sm%s\033[0m", sgr, text);
    else
        fputs(text, stdout);
}

#define BOLD "1"
#define BOLD_RED "1;31"
#define BOLD_GREEN "1;32"
#define BOLD_BLUE "1;34"

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

static void field(const char *label, const char *value)
{
    paint(BOLD_BLUE, label);
    printf("%s\n", value);
}

static int by_user_then_pid(const void *a, const void *b)
{
    const nvitop_gpu_process_t *x = *(nvitop_gpu_process_t *const *)a;
    const nvitop_gpu_process_t *y = *(nvitop_gpu_process_t *const *)b;
    const char *ux = x->host.username.value ? x->host.username.value : "";
    const char *uy = y->host.username.value ? y->host.username.value : "";
    int c = strcmp(ux, uy);
    return c ? c : (x->pid > y->pid) - (x->pid < y->pid);
}

/* Python truncates a long user name to 7 characters and a '+'. */
static const char *short_user(const nvitop_gpu_process_t *p, char *buf, size_t len)
{
    const char *u = p->host.username.value ? p->host.username.value : "N/A";
    if (strlen(u) > 8)
        snprintf(buf, len, "%.7s+", u);
    else
        snprintf(buf, len, "%s", u);
    return buf;
}

static void print_process(const nvitop_gpu_process_t *p)
{
    char user[16], cpu[16] = "N/A", host_mem[32], time_s[32] = "N/A", gpu_mem[32], sm[16];
    const nvitop_host_process_t *h = &p->host;
    if (NVITOP_HAS(h->cpu_percent)) snprintf(cpu, sizeof(cpu), "%.1f", h->cpu_percent.value);
    if (NVITOP_HAS(h->running_time_s))
        nvitop_duration_to_human(h->running_time_s.value, false, time_s, sizeof(time_s));
    const char *gpu =
        NVITOP_HAS(p->gpu_memory_bytes)
            ? nvitop_bytes_to_human(p->gpu_memory_bytes.value, 1, gpu_mem, sizeof(gpu_mem))
            : "WDDM:N/A";
    printf("    %-5u  %-8s %5s  %8s %8s  %8s  %3s  %s\n", p->pid, short_user(p, user, sizeof(user)),
           cpu, bytes_text(h->rss_bytes, host_mem, sizeof(host_mem)), time_s, gpu,
           int_text(p->gpu_sm_utilization_percent, "", sm, sizeof(sm)),
           h->command.value ? h->command.value : "N/A");
}

static void print_processes(const nvitop_snapshot_t *s)
{
    if (!s->process_count) {
        paint(BOLD, "  - No Running Processes");
        putchar('\n');
        return;
    }
    const nvitop_gpu_process_t **order = calloc(s->process_count, sizeof(*order));
    if (!order) return;
    for (size_t i = 0; i < s->process_count; i++)
        order[i] = &s->processes[i];
    qsort(order, s->process_count, sizeof(*order), by_user_then_pid);
    char title[64];
    snprintf(title, sizeof(title), "  - Processes (%zu):", s->process_count);
    paint(BOLD_BLUE, title);
    putchar('\n');
    char header[128];
    snprintf(header, sizeof(header), "    %-5s  %-8s %5s  %8s %8s  %8s  %3s  %s", "PID", "USERNAME",
             "CPU%", "HOST-MEM", "TIME", "GPU-MEM", "SM%", "COMMAND");
    paint(BOLD, header);
    putchar('\n');
    for (size_t i = 0; i < s->process_count; i++)
        print_process(order[i]);
    free(order);
}

static void print_device(nvitop_ctx_t *ctx, nvitop_device_t *dev, size_t cuda_index)
{
    nvitop_device_t *one[] = {dev};
    nvitop_snapshot_t *s = NULL;
    int rc = nvitop_take_snapshots(ctx, one, 1, 0, &s);
    if (rc < 0) {
        printf("CudaDevice(cuda_index=%zu): %s\n", cuda_index, nvitop_strerror(rc));
        return;
    }
    const nvitop_device_snapshot_t *d = &s->devices[0];
    char head[256], a[32], b[32], c[32], e[32], f[32], g[32];
    if (d->is_mig)
        snprintf(head, sizeof(head), "CudaMigDevice(cuda_index=%zu, physical_index=(%d, %d), ",
                 cuda_index, d->physical_index, d->mig_index);
    else
        snprintf(head, sizeof(head), "CudaDevice(cuda_index=%zu, physical_index=%d, ", cuda_index,
                 d->physical_index);
    snprintf(head + strlen(head), sizeof(head) - strlen(head), "name=\"%s\", total_memory=%s)",
             d->name.value ? d->name.value : "N/A",
             bytes_text(d->memory_total_bytes, a, sizeof(a)));
    paint(BOLD_GREEN, head);
    putchar('\n');
    field("  - Fan speed:       ", int_text(d->fan_speed_percent, "%", b, sizeof(b)));
    field("  - Temperature:     ", int_text(d->temperature_c, "C", c, sizeof(c)));
    field("  - GPU utilization: ", int_text(d->gpu_utilization_percent, "%", e, sizeof(e)));
    field("  - Total memory:    ", a);
    field("  - Used memory:     ", bytes_text(d->memory_used_bytes, f, sizeof(f)));
    field("  - Free memory:     ", bytes_text(d->memory_free_bytes, g, sizeof(g)));
    print_processes(s);
    nvitop_snapshot_free(s);
}

static void print_frame(nvitop_ctx_t *ctx, nvitop_device_t **devs, size_t n)
{
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    strftime(date, sizeof(date), "%a %b %d %H:%M:%S %Y", localtime_r(&now, &tm));
    paint(BOLD_RED, date);
    putchar('\n');
    char line[121];
    memset(line, '-', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i) puts(line);
        print_device(ctx, devs[i], i);
    }
    fflush(stdout);
}

static int usage(const char *why)
{
    fprintf(stderr,
            "monitor_colored: %s\n"
            "usage: monitor_colored [-n FRAMES] [-i SECONDS] [--color=always|never|auto]\n",
            why);
    return 2;
}

int main(int argc, char **argv)
{
    long frames = -1;
    double interval = 2.0;
    const char *color_mode = "auto";
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            frames = strtol(argv[++i], &end, 10);
            if (*end || frames < 1) return usage("-n needs a positive number of frames");
        } else if (strcmp(argv[i], "-i") == 0 && i + 1 < argc) {
            interval = strtod(argv[++i], &end);
            if (*end || !(interval >= 0)) return usage("-i needs a number of seconds >= 0");
        } else if (strncmp(argv[i], "--color=", 8) == 0) {
            color_mode = argv[i] + 8;
        } else {
            return usage("unknown argument");
        }
    }
    if (strcmp(color_mode, "always") == 0)
        color = true;
    else if (strcmp(color_mode, "auto") == 0)
        color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    else if (strcmp(color_mode, "never") != 0)
        return usage("--color takes always, never or auto");

    nvitop_ctx_t *ctx = nvitop_ctx_new(NULL, NULL);
    if (!ctx || nvitop_init(ctx) < 0) {
        fprintf(stderr, "monitor_colored: %s\n", ctx ? nvitop_ctx_message(ctx) : "out of memory");
        nvitop_ctx_free(ctx);
        return 1;
    }
    nvitop_device_t **devs = NULL;
    size_t n = 0;
    if (nvitop_cuda_devices(ctx, getenv("CUDA_VISIBLE_DEVICES"), NULL, &devs, &n, NULL) < 0) {
        fprintf(stderr, "monitor_colored: %s\n", nvitop_ctx_message(ctx));
        nvitop_ctx_free(ctx);
        return 1;
    }
    for (long frame = 0; frames < 0 || frame < frames; frame++) {
        if (frame) {
            struct timespec ts = {(time_t)interval, (long)((interval - (time_t)interval) * 1e9)};
            nanosleep(&ts, NULL);
            if (color) fputs("\033[H\033[2J", stdout); /* a fresh screen on a terminal */
        }
        print_frame(ctx, devs, n);
    }
    nvitop_free(devs);
    nvitop_ctx_free(ctx);
    return 0;
}
