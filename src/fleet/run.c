/* SPDX-License-Identifier: Apache-2.0 */
/* `nvitop --prometheus URL`: the fleet screen on a terminal, else (or with -1 / --json) one
 * refresh printed as the report or JSON. A failing Prometheus is one line on stderr naming the
 * problem and exit code 1. */
#include "fleet/fleet_run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/program.h"
#include "fleet/fleet_report.h"

/* The CPU time of this thread: a refresh's own cost, Prometheus' time not counted. */
static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* The period a message ends with, unless its sentence ends with a question already. */
static const char *sentence_end(const char *s)
{
    size_t len = strlen(s);
    return len && strchr(".?!", s[len - 1]) ? "" : ".";
}

static int report_once(program_t *prog, nvitop_cli_t *cli, prom_client_t *client)
{
    fleet_t fleet;
    strbuf_t why = {0}, out = {0};
    uint64_t start = clock_monotonic_ns(), cpu = thread_cpu_ns();
    int rc = fleet_refresh(client, &cli->fleet_rules, &fleet, &why);
    program_debug(prog,
                  "fleet refresh: %.2f ms, %.2f ms of CPU, %.2f ms waiting for Prometheus; "
                  "%zu nodes, %zu GPUs, %zu processes",
                  (double)(clock_monotonic_ns() - start) / 1e6,
                  (double)(thread_cpu_ns() - cpu) / 1e6, (double)prom_client_wait_ns(client) / 1e6,
                  rc ? 0 : fleet.node_count, rc ? 0 : fleet.gpu_count, rc ? 0 : fleet.proc_count);
    if (rc < 0) {
        program_message(prog, "ERROR: %s%s", strbuf_str(&why), sentence_end(strbuf_str(&why)));
        strbuf_fini(&why);
        return 1;
    }
    const char *url = prom_client_url(client);
    if (cli->json)
        rc = fleet_report_json(&fleet, &cli->fleet_rules, url, &out);
    else
        fleet_report_text(&fleet, &cli->fleet_rules, url, &out);
    fleet_fini(&fleet);
    if (rc < 0 || strbuf_error(&out))
        program_message(prog, "ERROR: out of memory.");
    else if (program_write_stdout(out.data, out.len) < 0 && errno != EPIPE)
        program_message(prog, "ERROR: cannot write the report: %s.", strerror(errno));
    strbuf_fini(&out);
    strbuf_fini(&why);
    return prog->said ? 1 : 0;
}

int fleet_run_with(nvitop_cli_t *cli, fleet_monitor_fn monitor)
{
    program_t prog;
    program_init(&prog, "nvitop");
    prog.log_level = cli->log_level;
    prog.color = !cli->json && (cli->force_color || isatty(STDOUT_FILENO)) &&
                 program_termcolor(cli->force_color);
    cli->fleet_rules.busy_util_percent = cli->gpu_thresholds[0];
    bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    if (!nvitop_setlocale_utf8()) cli->ascii = true;
    if (!cli->once && !cli->json && !cli->monitor && tty) cli->monitor = true;
    if (cli->monitor && !tty) {
        program_message(&prog, "ERROR: You must run monitor mode from a TTY terminal.");
        cli->monitor = false;
    }
    prom_client_t *client = NULL;
    strbuf_t why = {0};
    int rc = 1;
    if (prom_client_open(&cli->prometheus, &client, &why) < 0)
        program_message(&prog, "ERROR: --prometheus: %s%s", strbuf_str(&why),
                        sentence_end(strbuf_str(&why)));
    else if (cli->monitor && monitor)
        rc = monitor(cli, client);
    else
        rc = report_once(&prog, cli, client);
    prom_client_free(client);
    strbuf_fini(&why);
    program_fini(&prog);
    return rc;
}

int fleet_run(nvitop_cli_t *cli)
{
    return fleet_run_with(cli, NULL);
}
