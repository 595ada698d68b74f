/* SPDX-License-Identifier: Apache-2.0 */
/* Running nvitop: the mode decision of nvitop 1.7, device and process filters, one snapshot
 * with exactly what the output needs, the report or JSON on stdout, messages and exit codes. */
#include "cli/nvitop_cli.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <nvitop.h>

#include "cli/program.h"
#include "record/record.h"
#include "render/json.h"
#include "render/report.h"
#include "render/workloads.h"

#define REPORT_HOST_QUERY                                                                          \
    (NVITOP_HQ_CPU | NVITOP_HQ_MEMORY | NVITOP_HQ_LOAD | NVITOP_HQ_UPTIME | NVITOP_HQ_IDENTITY)

typedef struct run {
    nvitop_cli_t *cli;
    program_t prog; /* its messages wait for the end: "ERROR: ...", "HINT: ..." */
} run_t;

/* Python's setlocale_utf8(): the first of these that yields a UTF-8 locale wins. Only the
 * character type is set: numbers stay in the C locale's format ("12.8", never "12,8"). */
bool nvitop_setlocale_utf8(void)
{
    static const char *const codes[] = {"C.UTF-8", "en_US.UTF-8", "", "C"};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        if (!setlocale(LC_CTYPE, codes[i])) continue;
        const char *set = nl_langinfo(CODESET);
        if (set && (strcasecmp(set, "UTF-8") == 0 || strcasecmp(set, "utf8") == 0)) return true;
    }
    return false;
}

/* shutil.get_terminal_size(): $COLUMNS if positive, else the terminal, else 79. */
static int terminal_width(void)
{
    const char *env = getenv("COLUMNS");
    char *end;
    long cols = env ? strtol(env, &end, 10) : 0;
    if (env && *env && !*end && cols > 0 && cols < 100000) return (int)cols;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 79;
}

static int compare_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

static int compare_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* nvitop's message for --only values that name no device: sorted, each once. */
static void report_invalid_indices(run_t *r, long *bad, size_t n)
{
    if (n == 0) return;
    if (n == 1) {
        program_message(&r->prog, "ERROR: Invalid device index: %ld.", bad[0]);
        return;
    }
    qsort(bad, n, sizeof(*bad), compare_long);
    strbuf_t list = {0};
    for (size_t i = 0; i < n; i++)
        strbuf_printf(&list, "%s%ld", i ? ", " : "", bad[i]);
    program_message(&r->prog, "ERROR: Invalid device indices: [%s].", list.data ? list.data : "");
    strbuf_fini(&list);
}

/* Sorted, de-duplicated physical indices to show; invalid --only indices become a message
 * when `say_invalid`. */
static size_t choose_devices(run_t *r, unsigned count, unsigned *indices, bool say_invalid)
{
    const nvitop_cli_t *cli = r->cli;
    size_t n = 0;
    if (cli->only_set) {
        long *bad = calloc(cli->only_count ? cli->only_count : 1, sizeof(*bad));
        size_t nbad = 0;
        for (size_t i = 0; i < cli->only_count; i++) {
            long v = cli->only[i];
            bool seen = false;
            for (size_t j = 0; j < i; j++)
                seen |= cli->only[j] == v;
            if (seen) continue;
            if (v >= 0 && v < (long)count)
                indices[n++] = (unsigned)v;
            else if (bad)
                bad[nbad++] = v;
        }
        if (say_invalid) report_invalid_indices(r, bad, nbad);
        free(bad);
    } else if (cli->only_visible) {
        nvitop_device_t **devs = NULL;
        size_t m = 0;
        if (nvitop_cuda_visible_devices(r->prog.ctx, getenv("CUDA_VISIBLE_DEVICES"), &devs, &m) ==
            0)
            for (size_t i = 0; i < m; i++)
                indices[n++] = nvitop_device_physical_index(devs[i]);
        nvitop_free(devs);
    } else {
        for (unsigned i = 0; i < count; i++)
            indices[n++] = i;
    }
    qsort(indices, n, sizeof(*indices), compare_unsigned);
    size_t unique = 0;
    for (size_t i = 0; i < n; i++)
        if (!unique || indices[unique - 1] != indices[i]) indices[unique++] = indices[i];
    return unique;
}

/* Under `watch`, nvitop's parent is `sh` and its grandparent `watch`. */
static void watch_hint(run_t *r)
{
    nvitop_host_process_t *parent = NULL, *grandparent = NULL;
    if (nvitop_host_process_get(r->prog.ctx, (uint32_t)getppid(), &parent) == 0 &&
        parent->name.value && strcmp(parent->name.value, "sh") == 0 && NVITOP_HAS(parent->ppid) &&
        nvitop_host_process_get(r->prog.ctx, (uint32_t)parent->ppid.value, &grandparent) == 0 &&
        grandparent->name.value && strcmp(grandparent->name.value, "watch") == 0)
        program_message(&r->prog, "HINT: You are running `nvitop` under `watch` command. "
                                  "Please try `nvitop -m` directly.");
    nvitop_host_process_free(parent);
    nvitop_host_process_free(grandparent);
}

static int render(run_t *r, const nvitop_snapshot_t *snap, int width)
{
    const nvitop_cli_t *cli = r->cli;
    const nvitop_gpu_process_t **procs = calloc(snap->process_count + 1, sizeof(*procs));
    if (!procs) return -1;
    size_t n = 0;
    for (size_t i = 0; i < snap->process_count; i++)
        if (proc_filter_match(&cli->filter, &snap->processes[i])) procs[n++] = &snap->processes[i];
    strbuf_t out = {0};
    report_options_t ro = {width,
                           cli->ascii,
                           r->prog.color,
                           {cli->gpu_thresholds[0], cli->gpu_thresholds[1]},
                           {cli->mem_thresholds[0], cli->mem_thresholds[1]},
                           getenv("WSL_DISTRO_NAME") != NULL,
                           nvitop_version()};
    int rc =
        cli->json ? render_json(snap, procs, n, &out) : render_report(snap, procs, n, &ro, &out);
    if (rc == 0 && cli->workload && !cli->json) rc = render_workload_table(snap, procs, n, &out);
    free(procs);
    if (rc == 0 && program_write_stdout(out.data, out.len) < 0 && errno != EPIPE)
        program_message(&r->prog, "ERROR: cannot write the report: %s.", strerror(errno));
    strbuf_fini(&out);
    return rc;
}

static int report(run_t *r)
{
    unsigned count = 0;
    nvitop_device_count(r->prog.ctx, &count);
    unsigned *indices = calloc(count + 1, sizeof(*indices));
    if (!indices) return -1;
    size_t n = choose_devices(r, count, indices, true);
    int width = terminal_width();
    nvitop_snapshot_request_t req = {
        .device_query = r->cli->json ? RENDER_JSON_DEVICE_QUERY : render_report_device_query(width),
        .host_query = r->cli->json ? RENDER_JSON_HOST_QUERY : REPORT_HOST_QUERY,
        .process_query = NVITOP_PQ_ALL | (r->cli->workload ? NVITOP_PQ_WORKLOAD : 0),
        .indices = indices,
        .index_count = n,
    };
    nvitop_snapshot_t *snap = NULL;
    uint64_t start = nvitop_now_ns(r->prog.ctx);
    int rc = nvitop_snapshot_take(r->prog.ctx, &req, &snap);
    program_debug(&r->prog, "snapshot: %zu devices, %zu processes (%.2f ms)",
                  snap ? snap->device_count : 0, snap ? snap->process_count : 0,
                  (double)(nvitop_now_ns(r->prog.ctx) - start) / 1e6);
    free(indices);
    if (rc < 0) {
        program_message(&r->prog, "NVML ERROR: %s",
                        nvitop_ctx_message(r->prog.ctx)[0] ? nvitop_ctx_message(r->prog.ctx)
                                                           : nvitop_strerror(rc));
        return -1;
    }
    rc = render(r, snap, width);
    nvitop_snapshot_free(snap);
    return rc;
}

static tui_mode_t mode_of(const char *mode)
{
    if (mode && strcmp(mode, "full") == 0) return TUI_MODE_FULL;
    if (mode && strcmp(mode, "compact") == 0) return TUI_MODE_COMPACT;
    return TUI_MODE_AUTO;
}

/* The monitor on the chosen devices. Returns 0 to go on with the report (after `q`, or when
 * curses cannot start: nvitop then prints the report with a message), -1 on an NVML failure,
 * or 128 + a signal that ended it. */
static int monitor(run_t *r, tui_run_fn run)
{
    const nvitop_cli_t *cli = r->cli;
    unsigned count = 0;
    nvitop_device_count(r->prog.ctx, &count);
    unsigned *indices = calloc(count + 1, sizeof(*indices));
    if (!indices) return -1;
    size_t n = choose_devices(r, count, indices, false); /* the report says which were bad */
    if (n == 0) { /* nvitop shows the report when no device is left */
        free(indices);
        return 0;
    }
    tui_options_t opt = {
        .ctx = r->prog.ctx,
        .indices = indices,
        .index_count = n,
        .mode = mode_of(cli->mode),
        .interval_s = cli->has_interval ? cli->interval : 0,
        .ascii = cli->ascii,
        .colorful = cli->colorful,
        .light = cli->light,
        .readonly = cli->readonly,
        .no_host = cli->no_host,
        .workload = cli->workload,
        .wsl = getenv("WSL_DISTRO_NAME") != NULL,
        .gpu_thresholds = {cli->gpu_thresholds[0], cli->gpu_thresholds[1]},
        .mem_thresholds = {cli->mem_thresholds[0], cli->mem_thresholds[1]},
        .filter = &cli->filter,
        .version = nvitop_version(),
    };
    char error[256] = "";
    int rc = run(&opt, error, sizeof(error));
    free(indices);
    program_debug(&r->prog, "monitor: %d", rc);
    if (rc == -1) {
        program_message(&r->prog, "ERROR: Failed to initialize `curses` (%s)", error);
        return 0;
    }
    if (rc == -2) {
        program_message(&r->prog, "NVML ERROR: %s", error[0] ? error : "the first snapshot failed");
        return -1;
    }
    return rc;
}

/* --record-scenario: no context, no report; the recorder talks to the library alone. */
static int record(const nvitop_cli_t *cli)
{
    program_t prog;
    program_init(&prog, "nvitop");
    prog.color = program_termcolor(false) && isatty(STDERR_FILENO);
    const char *library = getenv("NVITOP_NVML_LIBRARY");
    record_options_t o = {
        .path = cli->record_path,
        .duration_s = cli->duration,
        .step_s = cli->has_interval ? cli->interval : RECORD_DEFAULT_STEP_S,
        .library = library && *library ? library : NULL,
    };
    strbuf_t msg = {0};
    int rc = record_scenario(&o, &msg);
    if (rc == RECORD_INIT_FAILED)
        program_message(&prog, "NVML ERROR: %s", strbuf_str(&msg));
    else if (rc != RECORD_OK)
        program_message(&prog, "ERROR: %s", strbuf_str(&msg));
    strbuf_fini(&msg);
    program_fini(&prog);
    return rc == RECORD_OK ? 0 : 1;
}

int nvitop_cli_run(nvitop_cli_t *cli, tui_run_fn run_monitor, fleet_run_fn fleet)
{
    if (cli->record_path) return record(cli);
    if (cli->prometheus.url && fleet) return fleet(cli);
    run_t r = {.cli = cli};
    program_init(&r.prog, "nvitop");
    r.prog.defer = true;
    r.prog.log_level = cli->log_level;
    bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    if (!cli->once && !cli->json && !cli->monitor && tty) cli->monitor = true;
    if (cli->monitor && !tty) {
        program_message(&r.prog, "ERROR: You must run monitor mode from a TTY terminal.");
        cli->monitor = false;
    }
    if (!nvitop_setlocale_utf8()) cli->ascii = true;
    /* nvitop's own switch (a terminal, or --force-color) in front of termcolor's rules */
    r.prog.color = !cli->json && (cli->force_color || isatty(STDOUT_FILENO)) &&
                   program_termcolor(cli->force_color);
    int rc = program_open_nvml(&r.prog) < 0 ? -1 : 0;
    if (rc == 0 && cli->monitor && run_monitor) {
        rc = monitor(&r, run_monitor);
        if (rc > 0) { /* ended by a signal: no report on a terminal that may be gone */
            program_fini(&r.prog);
            return rc;
        }
    }
    if (rc == 0) rc = report(&r);
    if (rc == 0 && !cli->json && !isatty(STDOUT_FILENO)) watch_hint(&r);
    bool any = r.prog.said > 0;
    program_fini(&r.prog);
    return rc < 0 || any ? 1 : 0;
}

int nvitop_main(int argc, char **argv, tui_run_fn monitor_fn, fleet_run_fn fleet)
{
    nvitop_cli_t cli;
    int code = nvitop_cli_parse(argc, argv, &cli);
    if (code < 0) code = nvitop_cli_run(&cli, monitor_fn, fleet);
    nvitop_cli_fini(&cli);
    return code;
}
