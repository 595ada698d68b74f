/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop's options (nvitop 1.7's set and messages, plus --json) and its environment
 * variables, validated: a bad value is one clear message and exit code 2. */
#include "cli/nvitop_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/argparse.h"
#include "host/host_internal.h"

#ifndef NVITOP_VERSION_STRING
#define NVITOP_VERSION_STRING "1.7.0"
#endif

enum {
    OPT_HELP = 0,
    OPT_VERSION = -1,
    OPT_ONCE = 1,
    OPT_MONITOR,
    OPT_JSON,
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
};

static const int exclusive[][2] = {{OPT_ONCE, OPT_MONITOR}, {OPT_MONITOR, OPT_JSON}};

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

static int parse_ints(char *const *values, size_t count, long **out, size_t *out_count,
                      strbuf_t *why)
{
    long *list = calloc(count ? count : 1, sizeof(long));
    if (!list) return -1;
    for (size_t i = 0; i < count; i++) {
        if (arg_to_int(values[i], &list[i], why) < 0) {
            free(list);
            return -1;
        }
    }
    free(*out);
    *out = list;
    *out_count = count;
    return 0;
}

static int on_option(void *user, int id, char *const *values, size_t count, strbuf_t *why)
{
    nvitop_cli_t *cli = user;
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
        return parse_ints(values, count, &cli->only, &cli->only_count, why);
    case OPT_ONLY_VISIBLE:
        cli->only_visible = true;
        return 0;
    case OPT_COMPUTE:
        cli->compute = true;
        return 0;
    case OPT_ONLY_COMPUTE:
        cli->only_compute = true;
        return 0;
    case OPT_GRAPHICS:
        cli->graphics = true;
        return 0;
    case OPT_ONLY_GRAPHICS:
        cli->only_graphics = true;
        return 0;
    case OPT_USER: {
        /* values is the parser's scratch array; the strings are argv's and outlive the run */
        char **users = calloc(count ? count : 1, sizeof(char *));
        if (!users) return -1;
        memcpy(users, values, count * sizeof(char *));
        if (cli->users != cli->current_user_list) free(cli->users);
        cli->user_set = true;
        cli->users = users;
        cli->user_count = count;
        return 0;
    }
    case OPT_PID:
        cli->pid_set = true;
        return parse_ints(values, count, &cli->pids, &cli->pid_count, why);
    default:
        return 0;
    }
}

/* NVITOP_MONITOR_MODE: comma-separated words; unknown words and two display modes at once are
 * errors (nvitop 1.7 silently falls back to auto there). */
static int read_monitor_mode(nvitop_cli_t *cli, const char **mode)
{
    const char *env = getenv("NVITOP_MONITOR_MODE");
    static const char *const words[] = {"auto",  "full", "compact",  "colorful", "plain",
                                        "light", "dark", "readonly", NULL};
    bool has[8] = {false};
    char copy[256];
    str_copy(copy, sizeof(copy), env ? env : "");
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
        if (!words[k]) {
            arg_error(&parser,
                      "environment variable NVITOP_MONITOR_MODE: unknown word '%s' (choose from "
                      "auto, full, compact, colorful, plain, light, dark, readonly)",
                      w);
            return -1;
        }
        has[k] = true;
    }
    if (has[0] + has[1] + has[2] > 1) {
        arg_error(&parser, "environment variable NVITOP_MONITOR_MODE: choose one of auto, full "
                           "and compact, not several");
        return -1;
    }
    *mode = has[1] ? "full" : has[2] ? "compact" : "auto";
    cli->colorful |= has[3] && !has[4];
    cli->light |= has[5] && !has[6];
    cli->readonly |= has[7];
    return 0;
}

/* "th1,th2" in 1..99, used when the option is not given. Like nvitop, every comma-separated
 * part must be an integer and the first two count. */
static int read_threshold_env(const char *name, int out[2])
{
    const char *env = getenv(name);
    if (!env || !*env) return 0;
    char copy[128];
    long values[2] = {0, 0};
    int count = 0;
    bool ok = str_copy(copy, sizeof(copy), env);
    for (char *next = copy, *part; ok && (part = strsep(&next, ","));) {
        char *end;
        long v = strtol(part, &end, 10);
        while (*end == ' ' || *end == '\t')
            end++;
        ok = end != part && *end == '\0';
        if (count < 2) values[count] = v;
        count++;
    }
    ok = ok && count >= 2 && values[0] >= 1 && values[0] <= 99 && values[1] >= 1 && values[1] <= 99;
    if (!ok) {
        arg_error(&parser,
                  "environment variable %s: invalid value '%s' (expected th1,th2 with "
                  "1 <= th1, th2 <= 99, e.g. 10,75)",
                  name, env);
        return -1;
    }
    out[0] = (int)(values[0] < values[1] ? values[0] : values[1]);
    out[1] = (int)(values[0] < values[1] ? values[1] : values[0]);
    return 0;
}

static int read_log_level(nvitop_cli_t *cli)
{
    static const struct {
        const char *name;
        int level;
    } levels[] = {{"DEBUG", LOG_DEBUG},    {"INFO", LOG_INFO},   {"WARNING", LOG_WARNING},
                  {"WARN", LOG_WARNING},   {"ERROR", LOG_ERROR}, {"CRITICAL", LOG_CRITICAL},
                  {"FATAL", LOG_CRITICAL}, {"NOTSET", LOG_DEBUG}};
    const char *env = getenv("LOGLEVEL");
    cli->log_level = LOG_WARNING;
    if (!env || !*env) return 0;
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        if (strcasecmp(env, levels[i].name) == 0) {
            cli->log_level = levels[i].level;
            return 0;
        }
    }
    arg_error(&parser,
              "environment variable LOGLEVEL: unknown level '%s' (choose from DEBUG, INFO, "
              "WARNING, ERROR, CRITICAL)",
              env);
    return -1;
}

int nvitop_cli_parse(int argc, char **argv, nvitop_cli_t *cli)
{
    memset(cli, 0, sizeof(*cli));
    cli->gpu_thresholds[0] = cli->gpu_thresholds[1] = -1;
    cli->mem_thresholds[0] = cli->mem_thresholds[1] = -1;
    arg_result_t r = arg_parse(&parser, argc, argv, on_option, cli);
    if (r != ARG_OK) return r == ARG_EXIT_OK ? 0 : 2;
    if (cli->has_interval && cli->interval < 0.25) {
        arg_error(&parser,
                  "the interval %.2gs is too short, which may cause performance issues. "
                  "Expected 1/4 or higher.",
                  cli->interval);
        return 2;
    }
    const char *env_mode = "auto";
    if (read_monitor_mode(cli, &env_mode) < 0 || read_log_level(cli) < 0) return 2;
    if (!cli->mode) cli->mode = env_mode;
    if (cli->gpu_thresholds[0] < 0) {
        cli->gpu_thresholds[0] = 10, cli->gpu_thresholds[1] = 75;
        if (read_threshold_env("NVITOP_GPU_UTILIZATION_THRESHOLDS", cli->gpu_thresholds) < 0)
            return 2;
    }
    if (cli->mem_thresholds[0] < 0) {
        cli->mem_thresholds[0] = 10, cli->mem_thresholds[1] = 80;
        if (read_threshold_env("NVITOP_MEMORY_UTILIZATION_THRESHOLDS", cli->mem_thresholds) < 0)
            return 2;
    }
    if (cli->user_set && cli->user_count == 0) {
        host_users_t users = {0};
        host_current_user(&users, cli->current_user, sizeof(cli->current_user));
        host_users_fini(&users);
        free(cli->users);
        cli->current_user_list[0] = cli->current_user;
        cli->users = cli->current_user_list;
        cli->user_count = 1;
    }
    return -1;
}

void nvitop_cli_fini(nvitop_cli_t *cli)
{
    if (cli->users != cli->current_user_list) free(cli->users);
    cli->users = NULL;
    free(cli->only);
    free(cli->pids);
    cli->only = cli->pids = NULL;
}
