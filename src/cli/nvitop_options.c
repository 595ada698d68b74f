/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop's options (nvitop 1.7's set and messages, plus --json), validated: a bad option is one
 * clear message and exit code 2; and its environment variables, which are advice
 * (env_advice.h). */
#include "cli/nvitop_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/env_advice.h"
#include "cli/program.h"
#include "record/record.h"
#include "util/argparse.h"

enum {
    OPT_HELP = 0,
    OPT_VERSION = -1,
    OPT_ONCE = 1,
    OPT_MONITOR,
    OPT_JSON,
    OPT_WORKLOAD,
    OPT_INTERVAL,
    OPT_ASCII,
    OPT_READONLY,
    OPT_NO_HOST,
    OPT_COLORFUL,
    OPT_FORCE_COLOR,
    OPT_LIGHT,
    OPT_GPU_THRESH,
    OPT_MEM_THRESH,
    OPT_ONLY,
    OPT_ONLY_VISIBLE,
    OPT_COMPUTE,
    OPT_ONLY_COMPUTE,
    OPT_GRAPHICS,
    OPT_ONLY_GRAPHICS,
    OPT_USER,
    OPT_PID,
    OPT_RECORD,
    OPT_DURATION,
    OPT_PROMETHEUS,
    OPT_ONLY_NODE,
    OPT_PROM_CAFILE,
    OPT_PROM_CERTFILE,
    OPT_PROM_KEYFILE,
    OPT_PROM_TOKEN_FILE,
    OPT_PROM_BASIC_AUTH_FILE,
    OPT_PROM_TIMEOUT,
    OPT_STALE_AFTER,
};

static const char *const monitor_modes[] = {"auto", "full", "compact", NULL};

#define RULES "light < th1 %% <= moderate < th2 %% <= heavy"

static const arg_option_t options[] = {
    {OPT_HELP, "--help|-h", ARG_FLAG, NULL, NULL, NULL, "Show this help message and exit."},
    {OPT_VERSION, "--version|-V", ARG_FLAG, NULL, NULL, NULL,
     "Show nvitop's version number and exit."},
    {OPT_ONCE, "--once|-1", ARG_FLAG, NULL, NULL, NULL, "Report query data only once."},
    {OPT_MONITOR, "--monitor|-m", ARG_OPTIONAL, "{auto,full,compact}", monitor_modes, NULL,
     "Run as a resource monitor. Continuously report query data and handle user inputs.\n"
     "If the argument is omitted, the value from `NVITOP_MONITOR_MODE` will be used.\n"
     "(default fallback mode: auto)"},
    {OPT_INTERVAL, "--interval", ARG_ONE, "SEC", NULL, NULL,
     "Process status update interval in seconds. (default: 2)"},
    {OPT_ASCII, "--no-unicode|--ascii|-U", ARG_FLAG, NULL, NULL, NULL,
     "Use ASCII characters only, which is useful for terminals without Unicode support."},
    {OPT_READONLY, "--readonly", ARG_FLAG, NULL, NULL, NULL,
     "Disable all process-signalling features in monitor mode (send no signals)."},
    {OPT_NO_HOST, "--no-host", ARG_FLAG, NULL, NULL, NULL,
     "Hide the host panel (CPU, memory, graphs) in monitor mode; the `H` key shows it again."},
    {OPT_JSON, "--json", ARG_FLAG, NULL, NULL, NULL,
     "Print one snapshot of every device, process and host value as JSON and exit.\n"
     "(schema: docs/json.md; the filters below apply)"},
    {OPT_WORKLOAD, "--workload", ARG_FLAG, NULL, NULL, NULL,
     "Show who owns each GPU process: container, Kubernetes pod, Slurm job, systemd session\n"
     "or unit (a table after the report, a \"workload\" object per process in --json, the\n"
     "WORKLOAD column in monitor mode; docs/workloads.md)."},
    {OPT_RECORD, "--record-scenario", ARG_ONE, "FILE", NULL, NULL,
     "Record the GPUs (every value, error and call latency the NVML simulator models) for\n"
     "`--duration` seconds into FILE, a scenario the simulator replays, and exit.\n"
     "(samples `--interval` seconds apart, default 1; docs/simulator.md)"},
    {OPT_DURATION, "--duration", ARG_ONE, "SEC", NULL, NULL,
     "How long `--record-scenario` records, in seconds (0: one sample; default: 10)."},
    {OPT_COLORFUL, "--colorful", ARG_FLAG, NULL, NULL, "coloring",
     "Use gradient colors to get spectrum-like bar charts. This option is only available\n"
     "when the terminal supports 256 colors. You may need to set environment variable\n"
     "`TERM=\"xterm-256color\"`. Note that the terminal multiplexer, such as `tmux`, may\n"
     "override the `TERM` variable."},
    {OPT_FORCE_COLOR, "--force-color", ARG_FLAG, NULL, NULL, "coloring",
     "Force colorize even when `stdout` is not a TTY terminal."},
    {OPT_LIGHT, "--light", ARG_FLAG, NULL, NULL, "coloring",
     "Tweak visual results for light theme terminals in monitor mode.\n"
     "Set variable `NVITOP_MONITOR_MODE=\"light\"` on light terminals for convenience."},
    {OPT_GPU_THRESH, "--gpu-util-thresh", ARG_TWO, "th1 th2", NULL, "coloring",
     "Thresholds of GPU utilization to determine the load intensity.\n"
     "Coloring rules: light < th1 % <= moderate < th2 % <= heavy.\n"
     "( 1 <= th1 < th2 <= 99, defaults: 10 75 )"},
    {OPT_MEM_THRESH, "--mem-util-thresh", ARG_TWO, "th1 th2", NULL, "coloring",
     "Thresholds of GPU memory percent to determine the load intensity.\n"
     "Coloring rules: light < th1 % <= moderate < th2 % <= heavy.\n"
     "( 1 <= th1 < th2 <= 99, defaults: 10 80 )"},
    {OPT_ONLY, "--only|-o", ARG_PLUS, "INDEX", NULL, "device filtering",
     "Only show the specified devices, suppress option `--only-visible`."},
    {OPT_ONLY_VISIBLE, "--only-visible|-ov", ARG_FLAG, NULL, NULL, "device filtering",
     "Only show devices in the `CUDA_VISIBLE_DEVICES` environment variable."},
    {OPT_COMPUTE, "--compute|-c", ARG_FLAG, NULL, NULL, "process filtering",
     "Only show GPU processes with the compute context. (type: 'C' or 'C+G')"},
    {OPT_ONLY_COMPUTE, "--only-compute|-C", ARG_FLAG, NULL, NULL, "process filtering",
     "Only show GPU processes exactly with the compute context. (type: 'C' only)"},
    {OPT_GRAPHICS, "--graphics|-g", ARG_FLAG, NULL, NULL, "process filtering",
     "Only show GPU processes with the graphics context. (type: 'G' or 'C+G')"},
    {OPT_ONLY_GRAPHICS, "--only-graphics|-G", ARG_FLAG, NULL, NULL, "process filtering",
     "Only show GPU processes exactly with the graphics context. (type: 'G' only)"},
    {OPT_USER, "--user|-u", ARG_STAR, "USERNAME", NULL, "process filtering",
     "Only show processes of the given users (or `$USER` for no argument)."},
    {OPT_PID, "--pid|-p", ARG_PLUS, "PID", NULL, "process filtering",
     "Only show processes of the given PIDs."},
    {OPT_PROMETHEUS, "--prometheus", ARG_ONE, "URL", NULL, "fleet (docs/fleet.md)",
     "Show the whole fleet from the Prometheus server at URL that scrapes nvitop-exporter\n"
     "on every node (http(s)://HOST:PORT; `-1` and `--json` print it once)."},
    {OPT_ONLY_NODE, "--only-node", ARG_ONE, "PATTERN", NULL, "fleet (docs/fleet.md)",
     "Only show the nodes whose hostname or instance matches the glob PATTERN."},
    {OPT_PROM_CAFILE, "--prometheus-cafile", ARG_ONE, "FILE", NULL, "fleet (docs/fleet.md)",
     "Trust the CA certificates of FILE (PEM) for an https:// Prometheus."},
    {OPT_PROM_CERTFILE, "--prometheus-certfile", ARG_ONE, "FILE", NULL, "fleet (docs/fleet.md)",
     "Present the client certificate of FILE (PEM) to Prometheus."},
    {OPT_PROM_KEYFILE, "--prometheus-keyfile", ARG_ONE, "FILE", NULL, "fleet (docs/fleet.md)",
     "The private key of `--prometheus-certfile` (PEM)."},
    {OPT_PROM_TOKEN_FILE, "--prometheus-token-file", ARG_ONE, "FILE", NULL, "fleet (docs/fleet.md)",
     "Send the bearer token of FILE (read at each refresh)."},
    {OPT_PROM_BASIC_AUTH_FILE, "--prometheus-basic-auth-file", ARG_ONE, "FILE", NULL,
     "fleet (docs/fleet.md)", "Send basic auth with the `user:password` line of FILE."},
    {OPT_PROM_TIMEOUT, "--prometheus-timeout", ARG_ONE, "SEC", NULL, "fleet (docs/fleet.md)",
     "Give up a refresh after SEC seconds. (default: 5)"},
    {OPT_STALE_AFTER, "--stale-after", ARG_ONE, "SEC", NULL, "fleet (docs/fleet.md)",
     "Show a node as stale when its last scrape is older than SEC seconds. (default: 120)"},
};

/* The options that only mean something with --prometheus. */
static const int fleet_only[] = {OPT_ONLY_NODE,    OPT_PROM_CAFILE,     OPT_PROM_CERTFILE,
                                 OPT_PROM_KEYFILE, OPT_PROM_TOKEN_FILE, OPT_PROM_BASIC_AUTH_FILE,
                                 OPT_PROM_TIMEOUT, OPT_STALE_AFTER};

static const int exclusive[][2] = {{OPT_ONCE, OPT_MONITOR}, {OPT_MONITOR, OPT_JSON},
                                   {OPT_RECORD, OPT_ONCE},  {OPT_RECORD, OPT_MONITOR},
                                   {OPT_RECORD, OPT_JSON},  {OPT_RECORD, OPT_PROMETHEUS}};

/* What the shells complete (--print-completion). */
static const arg_value_kind_t value_kinds[] = {{OPT_USER, ARG_COMPLETE_USER},
                                               {OPT_RECORD, ARG_COMPLETE_FILE},
                                               {OPT_PROM_CAFILE, ARG_COMPLETE_FILE},
                                               {OPT_PROM_CERTFILE, ARG_COMPLETE_FILE},
                                               {OPT_PROM_KEYFILE, ARG_COMPLETE_FILE},
                                               {OPT_PROM_TOKEN_FILE, ARG_COMPLETE_FILE},
                                               {OPT_PROM_BASIC_AUTH_FILE, ARG_COMPLETE_FILE}};

static const arg_parser_t parser = {
    .prog = "nvitop",
    .description = "An interactive NVIDIA-GPU process viewer.",
    .epilog = "Environment: NVITOP_MONITOR_MODE (auto,full,compact,colorful,plain,light,dark,"
              "readonly),\nNVITOP_GPU_UTILIZATION_THRESHOLDS, NVITOP_MEMORY_UTILIZATION_THRESHOLDS "
              "(th1,th2),\nNVITOP_NVML_LIBRARY, NVITOP_PROC_ROOT, CUDA_VISIBLE_DEVICES, NO_COLOR, "
              "LOGLEVEL.",
    .options = options,
    .count = sizeof(options) / sizeof(options[0]),
    .exclusive = exclusive,
    .exclusive_count = sizeof(exclusive) / sizeof(exclusive[0]),
    .version = "nvitop " NVITOP_VERSION_STRING,
    .value_kinds = value_kinds,
    .value_kind_count = sizeof(value_kinds) / sizeof(value_kinds[0]),
};

/* Two thresholds in 1..99, as argparse's choices=range(1, 100) reports them. */
static int parse_thresholds(char *const *values, int out[2], strbuf_t *why)
{
    for (int i = 0; i < 2; i++) {
        long v;
        if (arg_to_int(values[i], &v, why) < 0) return -1;
        if (v < 1 || v > 99) {
            strbuf_printf(why, "invalid choice: %ld (choose from 1, 2, 3, ..., 97, 98, 99)", v);
            return -1;
        }
        out[i] = (int)v;
    }
    if (out[0] > out[1]) {
        int t = out[0];
        out[0] = out[1];
        out[1] = t;
    }
    return 0;
}

/* The values as ints in a fresh list (NULL after the reason was written into *why, or when
 * out of memory). */
static long *parse_ints(char *const *values, size_t count, strbuf_t *why)
{
    long *list = calloc(count ? count : 1, sizeof(long));
    for (size_t i = 0; list && i < count; i++) {
        if (arg_to_int(values[i], &list[i], why) < 0) {
            free(list);
            return NULL;
        }
    }
    return list;
}

static int parse_only(nvitop_cli_t *cli, char *const *values, size_t count, strbuf_t *why)
{
    long *list = parse_ints(values, count, why);
    if (!list) return -1;
    free(cli->only);
    cli->only = list;
    cli->only_count = count;
    return 0;
}

static int parse_pids(proc_filter_t *filter, char *const *values, size_t count, strbuf_t *why)
{
    long *list = parse_ints(values, count, why);
    int rc = list ? proc_filter_set_pids(filter, list, count) : -1;
    free(list);
    return rc < 0 ? -1 : 0;
}

/* A positive number of seconds. */
static int parse_seconds(const char *text, double *out, strbuf_t *why)
{
    if (arg_to_float(text, out, "positive float", why) < 0) return -1;
    if (!(*out > 0)) {
        strbuf_reset(why);
        strbuf_printf(why, "invalid positive float value: '%s'", text);
        return -1;
    }
    return 0;
}

static int on_fleet_option(nvitop_cli_t *cli, int id, const char *value, strbuf_t *why)
{
    fleet_source_t *src = &cli->prometheus;
    for (size_t i = 0; i < sizeof(fleet_only) / sizeof(fleet_only[0]); i++)
        if (fleet_only[i] == id) cli->fleet_option = true;
    switch (id) {
    case OPT_PROMETHEUS:
        src->url = value;
        return 0;
    case OPT_ONLY_NODE:
        cli->fleet_rules.only_node = value;
        return 0;
    case OPT_PROM_CAFILE:
        src->ca_file = value;
        return 0;
    case OPT_PROM_CERTFILE:
        src->cert_file = value;
        return 0;
    case OPT_PROM_KEYFILE:
        src->key_file = value;
        return 0;
    case OPT_PROM_TOKEN_FILE:
        src->token_file = value;
        return 0;
    case OPT_PROM_BASIC_AUTH_FILE:
        src->basic_auth_file = value;
        return 0;
    case OPT_PROM_TIMEOUT:
        return parse_seconds(value, &src->timeout_s, why);
    default: /* OPT_STALE_AFTER */
        return parse_seconds(value, &cli->fleet_rules.stale_after_s, why);
    }
}

static int on_option(void *user, int id, char *const *values, size_t count, strbuf_t *why)
{
    nvitop_cli_t *cli = user;
    if (id >= OPT_PROMETHEUS) return on_fleet_option(cli, id, values[0], why);
    switch (id) {
    case OPT_ONCE:
        cli->once = true;
        return 0;
    case OPT_MONITOR:
        cli->monitor = true;
        cli->mode = count ? values[0] : NULL;
        return 0;
    case OPT_JSON:
        cli->json = true;
        return 0;
    case OPT_WORKLOAD:
        cli->workload = true;
        return 0;
    case OPT_INTERVAL:
        if (arg_to_float(values[0], &cli->interval, "positive float", why) < 0) return -1;
        if (!(cli->interval > 0)) {
            strbuf_reset(why);
            strbuf_printf(why, "invalid positive float value: '%s'", values[0]);
            return -1;
        }
        cli->has_interval = true;
        return 0;
    case OPT_ASCII:
        cli->ascii = true;
        return 0;
    case OPT_READONLY:
        cli->readonly = true;
        return 0;
    case OPT_NO_HOST:
        cli->no_host = true;
        return 0;
    case OPT_COLORFUL:
        cli->colorful = true;
        return 0;
    case OPT_FORCE_COLOR:
        cli->force_color = true;
        return 0;
    case OPT_LIGHT:
        cli->light = true;
        return 0;
    case OPT_GPU_THRESH:
        return parse_thresholds(values, cli->gpu_thresholds, why);
    case OPT_MEM_THRESH:
        return parse_thresholds(values, cli->mem_thresholds, why);
    case OPT_ONLY:
        cli->only_set = true;
        return parse_only(cli, values, count, why);
    case OPT_ONLY_VISIBLE:
        cli->only_visible = true;
        return 0;
    case OPT_COMPUTE:
        cli->filter.types |= PROC_FILTER_COMPUTE;
        return 0;
    case OPT_ONLY_COMPUTE:
        cli->filter.types |= PROC_FILTER_ONLY_COMPUTE;
        return 0;
    case OPT_GRAPHICS:
        cli->filter.types |= PROC_FILTER_GRAPHICS;
        return 0;
    case OPT_ONLY_GRAPHICS:
        cli->filter.types |= PROC_FILTER_ONLY_GRAPHICS;
        return 0;
    case OPT_USER:
        return proc_filter_set_users(&cli->filter, (const char *const *)values, count) < 0 ? -1 : 0;
    case OPT_PID:
        return parse_pids(&cli->filter, values, count, why);
    case OPT_RECORD:
        cli->record_path = values[0];
        return 0;
    case OPT_DURATION:
        if (arg_to_float(values[0], &cli->duration, "non-negative float", why) < 0) return -1;
        if (!(cli->duration >= 0) || cli->duration > RECORD_MAX_DURATION_S) {
            strbuf_reset(why);
            strbuf_printf(why, "invalid duration: '%s' (seconds, 0 to %g)", values[0],
                          RECORD_MAX_DURATION_S);
            return -1;
        }
        cli->has_duration = true;
        return 0;
    default:
        return 0;
    }
}

/* NVITOP_MONITOR_MODE as nvitop reads it: comma-separated words, case and blanks ignored.
 * The display mode counts only when exactly one of auto, full and compact is given; colorful
 * unless plain, light unless dark, readonly. Unknown words are ignored. */
typedef struct env_mode {
    const char *mode;
    bool colorful, light, readonly;
} env_mode_t;

static int read_monitor_mode(const char *value, void *out, strbuf_t *why)
{
    static const char *const words[] = {"auto",  "full", "compact",  "colorful", "plain",
                                        "light", "dark", "readonly", NULL};
    bool has[8] = {false};
    char *copy = strdup(value);
    if (!copy) return strbuf_puts(why, "out of memory: ignored"), -1;
    strbuf_t unknown = {0};
    for (char *next = copy, *w; (w = strsep(&next, ","));) {
        while (*w == ' ' || *w == '\t')
            w++;
        size_t len = strlen(w);
        while (len && (w[len - 1] == ' ' || w[len - 1] == '\t'))
            w[--len] = '\0';
        if (!*w) continue;
        int k = 0;
        while (words[k] && strcasecmp(words[k], w) != 0)
            k++;
        if (words[k])
            has[k] = true;
        else
            strbuf_printf(&unknown, "%s'%s'", unknown.len ? ", " : "", w);
    }
    free(copy);
    env_mode_t *m = out;
    int modes = has[0] + has[1] + has[2];
    if (modes == 1) m->mode = has[1] ? "full" : has[2] ? "compact" : "auto";
    m->colorful = has[3] && !has[4];
    m->light = has[5] && !has[6];
    m->readonly = has[7];
    if (unknown.len)
        strbuf_printf(why,
                      "unknown %s %s ignored (known: auto, full, compact, colorful, plain, "
                      "light, dark, readonly)",
                      strchr(unknown.data, ',') ? "words" : "word", unknown.data);
    if (modes > 1)
        strbuf_printf(why, "%sseveral of auto, full and compact: using auto",
                      unknown.len ? "; " : "");
    int rc = unknown.len || modes > 1 ? -1 : 0;
    strbuf_fini(&unknown);
    return rc;
}

/* NVITOP_*_UTILIZATION_THRESHOLDS: "th1,th2" in 1..99, used when the option is not given. Like
 * nvitop, every comma-separated part must be an integer and the first two count; otherwise the
 * whole value is ignored. */
static int read_thresholds(const char *value, void *out, strbuf_t *why)
{
    char *copy = strdup(value);
    long values[2] = {0, 0};
    int count = 0;
    bool ok = copy != NULL;
    for (char *next = copy, *part; ok && (part = strsep(&next, ","));) {
        char *end;
        long v = strtol(part, &end, 10);
        while (*end == ' ' || *end == '\t')
            end++;
        ok = end != part && *end == '\0';
        if (count < 2) values[count] = v;
        count++;
    }
    free(copy);
    ok = ok && count >= 2 && values[0] >= 1 && values[0] <= 99 && values[1] >= 1 && values[1] <= 99;
    int *th = out;
    if (!ok) {
        strbuf_printf(why,
                      "ignored (expected th1,th2 with 1 <= th1, th2 <= 99, e.g. 10,75); "
                      "using %d,%d",
                      th[0], th[1]);
        return -1;
    }
    th[0] = (int)(values[0] < values[1] ? values[0] : values[1]);
    th[1] = (int)(values[0] < values[1] ? values[1] : values[0]);
    return 0;
}

/* The environment, where the options leave a choice. */
static void read_environment(nvitop_cli_t *cli)
{
    env_mode_t env = {.mode = "auto"};
    env_advice(parser.prog, "NVITOP_MONITOR_MODE", read_monitor_mode, &env);
    if (!cli->mode) cli->mode = env.mode;
    cli->colorful |= env.colorful;
    cli->light |= env.light;
    cli->readonly |= env.readonly;
    cli->log_level = program_log_level(parser.prog);
    if (cli->gpu_thresholds[0] < 0) {
        cli->gpu_thresholds[0] = 10, cli->gpu_thresholds[1] = 75;
        env_advice(parser.prog, "NVITOP_GPU_UTILIZATION_THRESHOLDS", read_thresholds,
                   cli->gpu_thresholds);
    }
    if (cli->mem_thresholds[0] < 0) {
        cli->mem_thresholds[0] = 10, cli->mem_thresholds[1] = 80;
        env_advice(parser.prog, "NVITOP_MEMORY_UTILIZATION_THRESHOLDS", read_thresholds,
                   cli->mem_thresholds);
    }
}

int nvitop_cli_parse(int argc, char **argv, nvitop_cli_t *cli)
{
    memset(cli, 0, sizeof(*cli));
    cli->gpu_thresholds[0] = cli->gpu_thresholds[1] = -1;
    cli->mem_thresholds[0] = cli->mem_thresholds[1] = -1;
    cli->prometheus.timeout_s = 5;
    cli->fleet_rules.stale_after_s = 120;
    arg_result_t r = arg_parse(&parser, argc, argv, on_option, cli);
    if (r != ARG_OK) return r == ARG_EXIT_OK ? 0 : 2;
    if (cli->fleet_option && !cli->prometheus.url) {
        arg_error(&parser, "the fleet options (--only-node, --prometheus-*, --stale-after) "
                           "need --prometheus URL");
        return 2;
    }
    if (!cli->prometheus.cert_file != !cli->prometheus.key_file) {
        arg_error(&parser, "`--prometheus-certfile` and `--prometheus-keyfile` must be "
                           "specified together.");
        return 2;
    }
    if (cli->has_interval && cli->interval < 0.25) {
        arg_error(&parser,
                  "the interval %.2gs is too short, which may cause performance issues. "
                  "Expected 1/4 or higher.",
                  cli->interval);
        return 2;
    }
    if (cli->has_duration && !cli->record_path) {
        arg_error(&parser, "argument --duration: only with --record-scenario");
        return 2;
    }
    if (cli->record_path && !*cli->record_path) {
        arg_error(&parser, "argument --record-scenario: expected a file name");
        return 2;
    }
    if (!cli->has_duration) cli->duration = RECORD_DEFAULT_DURATION_S;
    read_environment(cli);
    if (cli->filter.by_user && cli->filter.user_count == 0) { /* a bare --user */
        char me[256];
        nvitop_current_user(me, sizeof(me));
        const char *users[] = {me};
        proc_filter_set_users(&cli->filter, users, 1); /* out of memory: none is shown */
    }
    return -1;
}

void nvitop_cli_fini(nvitop_cli_t *cli)
{
    proc_filter_fini(&cli->filter);
    free(cli->only);
    cli->only = NULL;
}
