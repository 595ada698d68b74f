/* SPDX-License-Identifier: Apache-2.0 */
/* Choosing GPUs for CUDA_VISIBLE_DEVICES before starting a CUDA program: the devices with
 * enough free memory and little load, best first. The C counterpart of the Python README's
 * select_devices(format='uuid', min_count=4, min_free_memory='8GiB').
 *
 *   select_devices [-c MIN_COUNT] [-C MAX_COUNT] [-f MIN_FREE_MEMORY] [-G MAX_GPU_UTIL]
 *                  [--index] [-- PROGRAM ARGS...]
 *
 * Prints CUDA_VISIBLE_DEVICES=<UUIDs> (indices with --index); with a program, runs it with
 * that variable set. Fails (exit 1) when fewer than MIN_COUNT devices qualify.
 *
 *   cc select_devices.c $(pkg-config --cflags --libs nvitop) -o select_devices
 */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <nvitop.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int usage(const char *why)
{
    fprintf(stderr,
            "select_devices: %s\n"
            "usage: select_devices [-c MIN_COUNT] [-C MAX_COUNT] [-f MIN_FREE_MEMORY]"
            " [-G MAX_GPU_UTIL] [--index] [-- PROGRAM ARGS...]\n",
            why);
    return 2;
}

static bool parse_count(const char *text, int64_t *out)
{
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || v < 0) return false;
    *out = v;
    return true;
}

/* Fills opts from argv; returns the index of the program after "--" (argc if none), or -1. */
static int parse(int argc, char **argv, nvitop_select_options_t *opts)
{
    opts->format = NVITOP_SELECT_FORMAT_UUID;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) return i + 1;
        if (strcmp(a, "--index") == 0) {
            opts->format = NVITOP_SELECT_FORMAT_INDEX;
            continue;
        }
        if (i + 1 >= argc) return usage("unknown argument or missing value"), -1;
        const char *v = argv[++i];
        int64_t n = 0;
        if (strcmp(a, "-c") == 0 && parse_count(v, &n))
            opts->min_count = (size_t)n;
        else if (strcmp(a, "-C") == 0 && parse_count(v, &n))
            opts->max_count = n;
        else if (strcmp(a, "-G") == 0 && parse_count(v, &n))
            opts->max_gpu_utilization_percent = n;
        else if (strcmp(a, "-f") == 0 && nvitop_human_to_bytes(v, &n) == 0)
            opts->min_free_memory_bytes = n;
        else
            return usage("bad argument or value"), -1;
    }
    return argc;
}

int main(int argc, char **argv)
{
    nvitop_select_options_t opts;
    nvitop_select_options_init(&opts);
    int program = parse(argc, argv, &opts);
    if (program < 0) return 2;
    nvitop_ctx_t *ctx = nvitop_ctx_new(NULL, NULL);
    nvitop_selection_t *sel = NULL;
    if (!ctx || nvitop_init(ctx) < 0 || nvitop_select_devices(ctx, &opts, &sel) < 0) {
        fprintf(stderr, "select_devices: %s\n", ctx ? nvitop_ctx_message(ctx) : "out of memory");
        nvitop_ctx_free(ctx);
        return 1;
    }
    size_t len = 1;
    for (size_t i = 0; i < sel->count; i++)
        len += strlen(sel->devices[i].id) + 1;
    char *value = calloc(1, len);
    for (size_t i = 0; value && i < sel->count; i++) {
        if (i) strcat(value, ",");
        strcat(value, sel->devices[i].id);
    }
    bool enough = sel->count >= opts.min_count;
    size_t found = sel->count;
    nvitop_selection_free(sel);
    nvitop_ctx_free(ctx);
    if (!value || !enough) {
        if (value)
            fprintf(stderr, "select_devices: %zu device(s) qualify, %zu needed\n", found,
                    opts.min_count);
        free(value);
        return 1;
    }
    printf("CUDA_VISIBLE_DEVICES=%s\n", value);
    if (program < argc) {
        fflush(stdout);
        setenv("CUDA_VISIBLE_DEVICES", value, 1);
        free(value);
        execvp(argv[program], argv + program);
        perror(argv[program]);
        return 127;
    }
    free(value);
    return 0;
}
