/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet model joined from canned answers: nodes from nvitop_info (down ones too), stale
 * for the three reasons with no value shown, GPUs in index order (MIG devices after their GPU,
 * 10 after 9), processes on their GPU, --only-node, the summary, series of unknown targets. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet.h"
#include "fleet/fleet_report.h"

#define NOW 1000.0

/* One series: "job=nvitop,instance=a:1,index=0" and a value. */
typedef struct series {
    const char *labels;
    double value;
} series_t;

static void add_vector(prom_vector_t *v, const series_t *s, size_t n)
{
    strbuf_t body = {0}, why = {0};
    strbuf_puts(&body, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
    for (size_t i = 0; i < n; i++) {
        strbuf_printf(&body, "%s{\"metric\":{", i ? "," : "");
        char *labels = strdup(s[i].labels), *next = labels, *pair;
        int k = 0;
        while ((pair = strsep(&next, ","))) {
            char *eq = strchr(pair, '=');
            *eq = '\0';
            strbuf_printf(&body, "%s\"%s\":\"%s\"", k++ ? "," : "", pair, eq + 1);
        }
        free(labels);
        if (isnan(s[i].value))
            strbuf_printf(&body, "},\"value\":[%f,\"NaN\"]}", NOW);
        else
            strbuf_printf(&body, "},\"value\":[%f,\"%.17g\"]}", NOW, s[i].value);
    }
    strbuf_puts(&body, "]}}");
    assert_int_equal(prom_reply_parse(body.data, body.len, v, &why), 0);
    strbuf_fini(&body);
    strbuf_fini(&why);
}

#define A "job=nvitop,instance=a:9100"
#define B "job=nvitop,instance=b:9100"
#define C "job=nvitop,instance=c:9100"
#define D "job=nvitop,instance=d:9100"
#define INFO(t, host, n) t ",hostname=" host ",device_count=" n ",driver_version=580.1"
#define GPU(t, i, name) t ",hostname=x,index=" i ",devicename=" name ",uuid=GPU-" i
#define PROC(t, i, pid) GPU(t, i, "H100") ",pid=" pid ",username=alice"

static const series_t info[] = {{INFO(A, "alpha", "11"), 1},
                                {INFO(B, "bravo", "1"), 1},
                                {INFO(C, "charlie", "1"), 1},
                                {INFO(D, "delta", "1"), 1}};
/* alpha fresh, bravo down, charlie's last scrape too old, delta not scraped; an unknown
 * target (no nvitop_info: another job) is left out */
static const series_t up[] = {{A, 1}, {B, 0}, {C, 1}, {"job=node,instance=z:9100", 1}};
static const series_t up_time[] = {{A, NOW - 1}, {B, NOW - 1}, {C, NOW - 300}};
static const series_t cpu[] = {{A ",hostname=alpha", 12.5}, {C ",hostname=charlie", 99}};
static const series_t mem_total[] = {{A ",hostname=alpha", 4096}, {B ",hostname=bravo", 1}};
static const series_t mem_used[] = {{A ",hostname=alpha", 1024}};
static const series_t gpu_total[] = {
    {GPU(A, "10", "H100"), 80000},         {GPU(A, "9", "H100"), 80000},
    {GPU(A, "2", "A100"), 40000},          {GPU(A, "2:1", "A100 MIG 1g"), 5000},
    {GPU(A, "2:0", "A100 MIG 3g"), 20000}, {GPU(B, "0", "H100"), 80000},
    {GPU(C, "0", "H100"), 80000},          {GPU("job=node,instance=z:9100", "0", "H100"), 1}};
static const series_t gpu_used[] = {{GPU(A, "10", "H100"), 30000},
                                    {GPU(A, "9", "H100"), 0},
                                    {GPU(A, "2", "A100"), 10000},
                                    {GPU(B, "0", "H100"), 5}};
static const series_t gpu_util[] = {
    {GPU(A, "10", "H100"), 99}, {GPU(A, "9", "H100"), 3}, {GPU(B, "0", "H100"), 50}};
static const series_t gpu_temp[] = {{GPU(A, "9", "H100"), NAN}};
static const series_t proc_info[] = {
    {PROC(A, "10", "7") ",command=python train.py,status=running", 1},
    {PROC(A, "2", "8") ",command=b,status=sleeping", 1},
    {PROC(A, "2:0", "8") ",command=b,status=sleeping", 1},
    {PROC(A, "10", "6") ",command=a,status=running", 1},
    {PROC(A, "5", "9") ",command=no such GPU row,status=running", 1},
    {PROC(B, "0", "1") ",command=stale,status=running", 1}};
static const series_t proc_mem[] = {{PROC(A, "10", "7"), 2048}, {PROC(A, "2:0", "8"), 100}};
static const series_t proc_sm[] = {{PROC(A, "10", "7"), 81}};
/* joined on node, GPU and pid: pid 8 of GPU 2 has none (its MIG device's does); a workload
 * with no process (GPU 9) or of a stale node makes no row */
static const series_t proc_workload[] = {
    {PROC(A, "10", "7") ",workload=pod team-a/train-7c9f,kind=pod", 1},
    {PROC(A, "2:0", "8") ",workload=docker web-1,kind=container", 1},
    {PROC(A, "9", "7") ",workload=slurm 1.0,kind=slurm", 1},
    {PROC(B, "0", "1") ",workload=docker stale,kind=container", 1}};

static void build(fleet_t *f, const char *only)
{
    prom_vector_t answers[FF_COUNT];
    memset(answers, 0, sizeof(answers));
    for (int i = 0; i < FF_COUNT; i++)
        answers[i].time_s = NAN;
#define PUT(fam, arr) add_vector(&answers[fam], arr, ARRAY_LEN(arr))
    PUT(FF_INFO, info);
    PUT(FF_UP, up);
    PUT(FF_UP_TIME, up_time);
    PUT(FF_HOST_CPU, cpu);
    PUT(FF_HOST_MEM_TOTAL, mem_total);
    PUT(FF_HOST_MEM_USED, mem_used);
    PUT(FF_GPU_MEM_TOTAL, gpu_total);
    PUT(FF_GPU_MEM_USED, gpu_used);
    PUT(FF_GPU_UTIL, gpu_util);
    PUT(FF_GPU_TEMP, gpu_temp);
    PUT(FF_PROC_INFO, proc_info);
    PUT(FF_PROC_GPU_MEM, proc_mem);
    PUT(FF_PROC_SM, proc_sm);
    PUT(FF_PROC_WORKLOAD, proc_workload);
    fleet_rules_t rules = {.stale_after_s = 120, .only_node = only, .busy_util_percent = 10};
    assert_int_equal(fleet_build(answers, &rules, f), 0);
    for (int i = 0; i < FF_COUNT; i++)
        prom_vector_fini(&answers[i]);
}

static void nodes_fresh_and_stale(void **state)
{
    (void)state;
    fleet_t f;
    build(&f, NULL);
    assert_true(f.time_s == NOW);
    assert_int_equal(f.node_count, 4);
    const char *names[] = {"alpha", "bravo", "charlie", "delta"};
    const char *reasons[] = {NULL, "exporter down", "last scrape too old", "not scraped"};
    for (int i = 0; i < 4; i++) {
        fleet_node_t *n = &f.nodes[i];
        assert_string_equal(n->hostname, names[i]);
        assert_int_equal(n->stale, reasons[i] != NULL);
        if (reasons[i]) {
            assert_string_equal(n->stale_reason, reasons[i]);
            /* never a value of a stale node, though Prometheus still held some */
            assert_true(isnan(n->cpu_percent) && isnan(n->memory_total_mib));
            assert_int_equal(n->gpu_count, 0);
        }
    }
    fleet_node_t *a = &f.nodes[0];
    assert_true(a->cpu_percent == 12.5 && a->memory_total_mib == 4096 &&
                a->memory_used_mib == 1024);
    assert_true(isnan(a->load_1m));
    assert_true(a->last_scrape_s == NOW - 1);
    assert_int_equal(a->device_count, 11);
    assert_string_equal(a->driver_version, "580.1");
    assert_string_equal(a->instance, "a:9100");
    assert_true(isnan(f.nodes[3].last_scrape_s));
    fleet_fini(&f);
}

static void gpus_in_index_order(void **state)
{
    (void)state;
    fleet_t f;
    build(&f, NULL);
    assert_int_equal(f.gpu_count, 5); /* alpha's only */
    const char *order[] = {"2", "2:0", "2:1", "9", "10"};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(f.gpus[i].index, order[i]);
        assert_int_equal(f.gpus[i].node, 0);
    }
    assert_string_equal(f.gpus[1].name, "A100 MIG 3g");
    assert_true(fleet_gpu_is_mig(&f.gpus[1]) && !fleet_gpu_is_mig(&f.gpus[0]));
    fleet_gpu_t *g10 = &f.gpus[4];
    assert_true(g10->util_percent == 99 && g10->memory_used_mib == 30000 &&
                g10->memory_total_mib == 80000);
    assert_string_equal(g10->uuid, "GPU-10");
    assert_true(isnan(g10->power_w) && isnan(g10->temperature_c));
    assert_true(isnan(f.gpus[3].temperature_c)); /* NaN stays NaN, not 0 */
    assert_int_equal(f.nodes[0].gpu_first, 0);
    assert_int_equal(f.nodes[0].gpu_count, 5);
    fleet_fini(&f);
}

static void processes_on_their_gpu(void **state)
{
    (void)state;
    fleet_t f;
    build(&f, NULL);
    /* pid 9's GPU 5 has no row and bravo is stale: 4 processes */
    assert_int_equal(f.proc_count, 4);
    assert_int_equal(f.gpus[0].process_count, 1); /* "2" */
    assert_int_equal(f.gpus[1].process_count, 1); /* "2:0" */
    assert_int_equal(f.gpus[4].process_count, 2); /* "10" */
    fleet_process_t *p = &f.procs[3];
    assert_int_equal(p->pid, 7);
    assert_int_equal(p->gpu, 4);
    assert_string_equal(p->user, "alice");
    assert_string_equal(p->command, "python train.py");
    assert_string_equal(p->status, "running");
    assert_true(p->gpu_memory_mib == 2048 && p->sm_percent == 81);
    assert_int_equal(f.procs[2].pid, 6);
    assert_true(isnan(f.procs[2].gpu_memory_mib));
    fleet_fini(&f);
}

static void processes_get_their_workload(void **state)
{
    (void)state;
    fleet_t f;
    build(&f, NULL);
    assert_int_equal(f.proc_count, 4);
    assert_int_equal(f.procs[0].pid, 8); /* GPU "2": none exported */
    assert_null(f.procs[0].workload);
    assert_string_equal(f.procs[1].workload, "docker web-1"); /* "2:0" */
    assert_null(f.procs[2].workload);                         /* pid 6 */
    assert_string_equal(f.procs[3].workload, "pod team-a/train-7c9f");
    strbuf_t out = {0};
    fleet_rules_t rules = {.busy_util_percent = 10};
    fleet_report_text(&f, &rules, "http://p:9090", &out);
    assert_non_null(strstr(out.data, "        pid 7        alice           2048MiB  SM  81%  "
                                     "pod team-a/train-7c9f     python train.py\n"));
    assert_non_null(strstr(out.data, "        pid 6        alice               N/A  SM  N/A  "
                                     "N/A                       a\n"));
    strbuf_reset(&out);
    assert_int_equal(fleet_report_json(&f, &rules, "http://p:9090", &out), 0);
    assert_non_null(strstr(out.data, "\"workload\": \"pod team-a/train-7c9f\""));
    assert_non_null(strstr(out.data, "\"workload\": null"));
    strbuf_fini(&out);
    fleet_fini(&f);
}

static void summary_counts_physical_gpus(void **state)
{
    (void)state;
    fleet_t f;
    build(&f, NULL);
    fleet_rules_t rules = {.busy_util_percent = 10};
    fleet_summary_t s;
    fleet_summarize(&f, &rules, &s);
    assert_int_equal(s.nodes, 4);
    assert_int_equal(s.stale_nodes, 3);
    assert_int_equal(s.gpus, 3); /* 2, 9, 10 */
    assert_int_equal(s.busy, 2); /* 2 has a process, 10 runs at 99 % */
    assert_int_equal(s.idle, 1); /* 9 at 3 % */
    assert_true(s.free_memory_mib == 30000 + 80000 + 50000);
    strbuf_t out = {0};
    fleet_format_summary(&f, &rules, &out);
    assert_string_equal(out.data, "4 nodes (3 stale), 3 GPUs: 2 busy, 1 idle, 156.2 GiB free");
    strbuf_reset(&out);
    fleet_format_node(&f, &f.nodes[1], &out);
    assert_string_equal(out.data, "bravo (b:9100)  STALE: exporter down, last scrape 1 s ago");
    strbuf_reset(&out);
    fleet_format_node(&f, &f.nodes[0], &out);
    assert_string_equal(out.data, "alpha (a:9100)  CPU 12.5%  MEM 1.0 / 4.0 GiB  LOAD N/A  "
                                  "GPUs 3 of 11  scraped 1 s ago");
    strbuf_fini(&out);
    fleet_fini(&f);
}

static void only_node_narrows(void **state)
{
    (void)state;
    fleet_t f;
    build(&f, "[ab]*");
    assert_int_equal(f.node_count, 2);
    assert_string_equal(f.nodes[1].hostname, "bravo");
    assert_int_equal(f.gpu_count, 5);
    fleet_fini(&f);
    build(&f, "c:9100"); /* the instance counts too */
    assert_int_equal(f.node_count, 1);
    assert_string_equal(f.nodes[0].hostname, "charlie");
    assert_int_equal(f.gpu_count, 0);
    assert_int_equal(f.proc_count, 0);
    fleet_fini(&f);
}

static void empty_answers(void **state)
{
    (void)state;
    prom_vector_t answers[FF_COUNT];
    memset(answers, 0, sizeof(answers));
    fleet_rules_t rules = {.stale_after_s = 120};
    fleet_t f;
    assert_int_equal(fleet_build(answers, &rules, &f), 0);
    assert_int_equal(f.node_count + f.gpu_count + f.proc_count, 0);
    strbuf_t out = {0};
    assert_int_equal(fleet_report_json(&f, &rules, "http://p:9090", &out), 0);
    assert_non_null(strstr(out.data, "\"nodes\": []"));
    strbuf_fini(&out);
    fleet_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nodes_fresh_and_stale),
        cmocka_unit_test(gpus_in_index_order),
        cmocka_unit_test(processes_on_their_gpu),
        cmocka_unit_test(summary_counts_physical_gpus),
        cmocka_unit_test(only_node_narrows),
        cmocka_unit_test(empty_answers),
        cmocka_unit_test(processes_get_their_workload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
