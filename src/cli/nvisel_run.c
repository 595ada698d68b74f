/* SPDX-License-Identifier: Apache-2.0 */
/* Running nvisel: the devices to choose from (every GPU, or what CUDA sees with --inherit),
 * the selection, the CUDA_VISIBLE_DEVICES="..." line on stderr when stdout is not a terminal,
 * the identifiers on stdout, and nvisel's exit codes. */
#include "cli/nvisel_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nvitop.h>

#include "cli/program.h"
#include "util/util.h"

enum { EXIT_NO_LIBRARY = 1, EXIT_NVML = 2, EXIT_CUDA = 3, EXIT_NOT_ENOUGH = 4 };

typedef struct run {
    const nvisel_cli_t *cli;
    program_t prog; /* its messages go out at once, prefixes coloured as nvitop's colored()
                     * when stdout is a terminal */
} run_t;

static double ms_since(const run_t *r, uint64_t start)
{
    return (double)(nvitop_now_ns(r->prog.ctx) - start) / 1e6;
}

/* program_open_nvml()'s error as nvisel's exit code. */
static int open_nvml(run_t *r)
{
    int rc = program_open_nvml(&r->prog);
    if (rc == 0) return 0;
    return !r->prog.ctx || rc == NVITOP_ENOLIB ? EXIT_NO_LIBRARY : EXIT_NVML;
}

/* --inherit: the devices CUDA would show, in CUDA's order. Returns 0 or an exit code. */
static int cuda_devices(run_t *r, nvitop_device_t ***devs, size_t *n)
{
    const char *value =
        r->cli->inherit_value ? r->cli->inherit_value : getenv("CUDA_VISIBLE_DEVICES");
    uint64_t start = nvitop_now_ns(r->prog.ctx);
    nvitop_cuda_source_t source;
    int rc = nvitop_cuda_devices(r->prog.ctx, value, NULL, devs, n, &source);
    if (rc < 0) {
        program_message(&r->prog, "NVML ERROR: %s", nvitop_ctx_message(r->prog.ctx));
        return EXIT_NVML;
    }
    if (r->cli->debug) {
        strbuf_t ids = {0};
        for (size_t i = 0; i < *n; i++) {
            int mig = nvitop_device_mig_index((*devs)[i]);
            strbuf_printf(&ids, "%s%u", i ? "," : "", nvitop_device_physical_index((*devs)[i]));
            if (mig >= 0) strbuf_printf(&ids, ":%d", mig);
        }
        program_debug(&r->prog,
                      "CUDA_VISIBLE_DEVICES=%s%s%s: NVML devices [%s] by %s%s%s (%.1f ms)",
                      value ? "\"" : "(unset)", value ? value : "", value ? "\"" : "",
                      ids.data ? ids.data : "", nvitop_cuda_source_string(source),
                      source != NVITOP_CUDA_SOURCE_DRIVER ? ": " : "",
                      source != NVITOP_CUDA_SOURCE_DRIVER ? nvitop_ctx_message(r->prog.ctx) : "",
                      ms_since(r, start));
        strbuf_fini(&ids);
    }
    if (source == NVITOP_CUDA_SOURCE_TIMEOUT) {
        /* Python nvitop dies with a traceback here; a stuck driver is worth one clear line. */
        program_message(&r->prog,
                        "CUDA ERROR: %s; set NVITOP_CUDA_TIMEOUT (seconds) to wait longer.",
                        nvitop_ctx_message(r->prog.ctx));
        nvitop_free(*devs);
        *devs = NULL;
        return EXIT_CUDA;
    }
    return 0;
}

static void fill_options(const nvisel_cli_t *cli, nvitop_select_options_t *o)
{
    nvitop_select_options_init(o);
    o->format = cli->uuid ? NVITOP_SELECT_FORMAT_UUID : NVITOP_SELECT_FORMAT_INDEX;
    o->min_count = (size_t)cli->min_count;
    o->max_count = cli->max_count;
    o->min_free_memory_bytes = cli->min_free_memory_bytes;
    o->min_total_memory_bytes = cli->min_total_memory_bytes;
    o->max_gpu_utilization_percent = cli->max_gpu_utilization;
    o->max_memory_utilization_percent = cli->max_memory_utilization;
    o->tolerance_percent = cli->tolerance;
    o->free_accounts = (const char *const *)cli->free_accounts;
    o->free_account_count = cli->free_account_count;
    o->no_sort = cli->no_sort;
}

/* stderr: CUDA_VISIBLE_DEVICES="..." (not on a terminal) and the warning; stdout: the ids. */
static int print_result(const run_t *r, const nvitop_selection_t *sel)
{
    const nvisel_cli_t *cli = r->cli;
    strbuf_t out = {0}, env = {0};
    for (size_t i = 0; i < sel->count; i++) {
        if (i) {
            if (cli->null)
                strbuf_append(&out, "", 1);
            else
                strbuf_puts(&out, cli->sep);
            strbuf_putc(&env, ',');
        }
        strbuf_puts(&out, sel->devices[i].id);
        strbuf_puts(&env, sel->devices[i].id);
    }
    if (cli->null)
        strbuf_append(&out, "", 1);
    else
        strbuf_putc(&out, '\n');
    if (!isatty(STDOUT_FILENO))
        fprintf(stderr, "CUDA_VISIBLE_DEVICES=\"%s\"\n", env.data ? env.data : "");
    int code = 0;
    if (sel->count < (size_t)cli->min_count) {
        fprintf(stderr, "WARNING: Not enough devices found: %zu selected, --min-count %ld.\n",
                sel->count, cli->min_count);
        code = EXIT_NOT_ENOUGH;
    }
    fwrite(out.data, 1, out.len, stdout);
    if (fflush(stdout) != 0 && code == 0) code = 1; /* stdout could not be written */
    strbuf_fini(&out);
    strbuf_fini(&env);
    return code;
}

int nvisel_cli_run(const nvisel_cli_t *cli)
{
    run_t r = {.cli = cli};
    program_init(&r.prog, "nvisel");
    r.prog.color = program_tty_color();
    r.prog.log_level = cli->debug ? LOG_DEBUG : LOG_WARNING;
    int code = open_nvml(&r);
    nvitop_device_t **devs = NULL;
    size_t n = 0;
    if (code == 0 && cli->inherit) code = cuda_devices(&r, &devs, &n);
    nvitop_selection_t *sel = NULL;
    if (code == 0) {
        nvitop_select_options_t opts;
        fill_options(cli, &opts);
        if (cli->inherit) {
            opts.devices = devs;
            opts.device_count = n;
        }
        uint64_t start = nvitop_now_ns(r.prog.ctx);
        int rc = nvitop_select_devices(r.prog.ctx, &opts, &sel);
        if (rc < 0) {
            program_message(&r.prog, "NVML ERROR: %s", nvitop_ctx_message(r.prog.ctx));
            code = EXIT_NVML;
        } else {
            program_debug(&r.prog, "%zu candidate devices, %zu selected (%.1f ms)",
                          sel->candidate_count, sel->count, ms_since(&r, start));
            code = print_result(&r, sel);
        }
    }
    nvitop_selection_free(sel);
    nvitop_free(devs);
    program_fini(&r.prog);
    return code;
}

int nvisel_main(int argc, char **argv)
{
    nvisel_cli_t cli;
    int code = nvisel_cli_parse(argc, argv, &cli);
    if (code < 0) code = nvisel_cli_run(&cli);
    nvisel_cli_fini(&cli);
    return code;
}
