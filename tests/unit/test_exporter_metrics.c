/* SPDX-License-Identifier: Apache-2.0 */
/* The exporter's page rendered from snapshots built by hand: nvitop-exporter 1.7's families in
 * order with HELP/TYPE lines, sorted labels, values scaled to its units, values that are not
 * available left out (never 0), escaped labels, MIG indices, the processes of a MIG-enabled GPU
 * listed under it too, a lost GPU, and series of ended processes gone from the next page. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exporter/exporter_internal.h"
#include "render/words.h"

#define HOST "node-1"
#define H100 "NVIDIA H100 80GB HBM3"
#define UUID0 "GPU-1de2f14b-cd12-82d1-aa10-2fa6f4e66366"
#define DEV0 "devicename=\"" H100 "\",hostname=\"" HOST "\",index=\"0\""

static nvitop_int_t I(int64_t v)
{
    return (nvitop_int_t){v, NVITOP_NA_NONE};
}

static nvitop_real_t R(double v)
{
    return (nvitop_real_t){v, NVITOP_NA_NONE};
}

static nvitop_str_t S(const char *v)
{
    return (nvitop_str_t){v, NVITOP_NA_NONE};
}

typedef struct fixture {
    nvitop_snapshot_t snap;
    nvitop_device_snapshot_t devices[4];
    nvitop_gpu_process_t procs[4];
    nvitop_net_io_t net[2];
    nvitop_disk_io_t disk_io[1];
    nvitop_disk_usage_t disk_usage[1];
    strbuf_t page;
} fixture_t;

static void host_na(nvitop_host_snapshot_t *h)
{
    nvitop_int_t ni = {0, NVITOP_NA_NOT_SAMPLED};
    nvitop_real_t nr = {0, NVITOP_NA_NOT_SAMPLED};
    memset(h, 0, sizeof(*h));
    h->hostname = h->username = (nvitop_str_t){NULL, NVITOP_NA_NOT_SAMPLED};
    h->cpu_count = h->memory_total_bytes = h->memory_used_bytes = h->memory_free_bytes = ni;
    h->memory_available_bytes = h->swap_total_bytes = h->swap_used_bytes = h->swap_free_bytes = ni;
    h->cpu_percent = h->memory_percent = h->swap_percent = nr;
    h->load_average_1m = h->load_average_5m = h->load_average_15m = nr;
    h->uptime_s = h->boot_time_s = nr;
}

static void process_init(nvitop_gpu_process_t *p, uint32_t pid, int32_t device)
{
    memset(p, 0, sizeof(*p));
    p->pid = pid;
    p->device = device;
    p->type = NVITOP_PROCESS_COMPUTE;
    p->gpu_memory_bytes = I(3332374528);
    p->gpu_sm_utilization_percent = I(81);
    p->gpu_memory_utilization_percent = I(26);
    p->gpu_encoder_utilization_percent = I(0);
    p->gpu_decoder_utilization_percent = I(0);
    nvitop_host_process_t *h = &p->host;
    h->pid = pid;
    h->na = NVITOP_NA_NONE;
    h->state = 'R';
    h->username = S("root");
    h->command = S("python3 bench/mm.py 120 1.0 2147483648");
    h->running_time_s = R(97.059093);
    h->cpu_percent = R(99.5);
    h->rss_bytes = I(742576128);
    h->memory_percent = R(0.5494517317717351);
}

/* One H100 (fan not supported, no NVLink sampled yet) with one process; a host with two
 * interfaces, one disk and one mount. */
static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    nvitop_snapshot_t *s = &f->snap;
    s->driver_version = S("580.159.04");
    s->cuda_driver_version = I(13000);
    s->devices = f->devices;
    s->device_count = 1;
    nvitop_device_snapshot_t *d = &f->devices[0];
    nvitop_device_snapshot_clear(d);
    d->physical_index = 0;
    d->name = S(H100);
    d->uuid = S(UUID0);
    d->memory_total_bytes = I(85520809984);
    d->memory_used_bytes = I(10974855168);
    d->memory_free_bytes = I(74042720256);
    d->memory_percent = R(12.8);
    d->gpu_utilization_percent = I(100);
    d->memory_utilization_percent = I(33);
    d->encoder_utilization_percent = I(0);
    d->decoder_utilization_percent = I(0);
    d->clock_sm_mhz = d->clock_graphics_mhz = I(1380);
    d->clock_memory_mhz = I(2619);
    d->clock_video_mhz = I(1395);
    d->power_usage_mw = I(697081);
    d->power_limit_mw = I(700000);
    d->temperature_c = I(67);
    d->fan_speed_percent = (nvitop_int_t){0, NVITOP_NA_NOT_SUPPORTED};
    d->pcie_tx_kibps = I(8799);
    d->pcie_rx_kibps = I(21394);
    s->processes = f->procs;
    s->process_count = 1;
    process_init(&f->procs[0], 1045, 0);
    nvitop_host_snapshot_t *h = &s->host;
    host_na(h);
    h->uptime_s = R(227.40133261680603);
    h->cpu_percent = R(8.9);
    h->memory_total_bytes = I(135148564480);
    h->memory_percent = R(1.2);
    h->swap_total_bytes = I(0);
    h->load_average_1m = R(1.3701171875);
    h->net = f->net;
    h->net_count = 2;
    f->net[0] = (nvitop_net_io_t){"lo", I(851758), I(851758), I(960), I(960)};
    f->net[1] = (nvitop_net_io_t){"eth0", I(625), {0, NVITOP_NA_IO_ERROR}, I(10), I(18)};
    h->disk_io = f->disk_io;
    h->disk_io_count = 1;
    f->disk_io[0] = (nvitop_disk_io_t){"vda", I(1674830848), I(7262208), I(1), I(2)};
    h->disk_usage = f->disk_usage;
    h->disk_usage_count = 1;
    f->disk_usage[0] = (nvitop_disk_usage_t){
        "/", "/dev/vda1", "ext4", I(270553210880), I(17288540160), I(68700553216), R(20.1)};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    strbuf_fini(&f->page);
    free(f);
    return 0;
}

static const char *render(fixture_t *f, const export_procs_t *procs)
{
    strbuf_reset(&f->page);
    export_input_t in = {HOST, &f->snap, procs};
    assert_int_equal(export_render(&in, &f->page, NULL), 0);
    return f->page.data;
}

static void expect_line(const char *page, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = page; (p = strstr(p, line)); p++)
        if ((p == page || p[-1] == '\n') && p[n] == '\n') return;
    fail_msg("line not in the page: %s\n---\n%s", line, page);
}

static void expect_no(const char *page, const char *text)
{
    if (strstr(page, text)) fail_msg("unexpected in the page: %s", text);
}

/* Number of sample lines of one family. */
static size_t samples_of(const char *page, const char *name)
{
    size_t n = 0, len = strlen(name);
    for (const char *p = page; *p; p = strchr(p, '\n') + 1) {
        if (strncmp(p, name, len) == 0 && p[len] == '{') n++;
        if (!strchr(p, '\n')) break;
    }
    return n;
}

/* Ours: process_workload_info, one sample per process of a snapshot with workloads, labels
 * sorted, N/A fields as empty labels; none without workloads; the page before it unchanged. */
static void test_workload_info(void **state)
{
    fixture_t *f = *state;
    const char *page = render(f, NULL);
    assert_int_equal(samples_of(page, "process_workload_info"), 0);
    char *before = strdup(page);
    assert_non_null(before);
    nvitop_workload_t w;
    memset(&w, 0, sizeof(w));
    w.size = sizeof(w);
    w.pid = w.driver_pid = 1045;
    w.kind = NVITOP_WORKLOAD_POD;
    nvitop_str_t na = {NULL, NVITOP_NA_NOT_APPLICABLE};
    w.label = S("pod team-a/train-7c9f");
    w.source = S("cgroup");
    w.runtime = S("containerd");
    w.container_id = S("abc");
    w.container_name = S("trainer");
    w.pod_uid = S("u-1");
    w.pod_namespace = S("team-a");
    w.pod_name = S("train-7c9f");
    w.slurm_step = w.slurm_user = w.session = w.unit = na;
    w.slurm_job_id = w.user_uid = (nvitop_int_t){0, NVITOP_NA_NOT_APPLICABLE};
    w.namespace_pid = I(1045);
    f->snap.workloads = &w;
    f->page.len = 0;
    page = render(f, NULL);
    assert_int_equal(samples_of(page, "process_workload_info"), 1);
    expect_line(page, "process_workload_info{container_id=\"abc\",container_name=\"trainer\","
                      "devicename=\"" H100 "\",hostname=\"" HOST "\",index=\"0\",kind=\"pod\","
                      "pid=\"1045\",pod_name=\"train-7c9f\",pod_namespace=\"team-a\","
                      "pod_uid=\"u-1\",runtime=\"containerd\",session=\"\",slurm_job_id=\"\","
                      "slurm_step=\"\",slurm_user=\"\",unit=\"\",uuid=\"" UUID0 "\","
                      "workload=\"pod team-a/train-7c9f\"} 1.0");
    /* everything before our family is the page of nvitop-exporter, unchanged */
    const char *ours = strstr(page, "# HELP process_workload_info");
    assert_non_null(ours);
    assert_memory_equal(page, before, (size_t)(ours - page));
    assert_int_equal(strncmp(before + (ours - page), "# HELP process_workload_info", 28), 0);
    f->snap.workloads = NULL;
    free(before);
}

static void test_families_in_order(void **state)
{
    fixture_t *f = *state;
    const char *page = render(f, NULL);
    const char *at = page;
    size_t count = 0;
    for (const char *name; (name = export_family_name(count)); count++) {
        char help[160], type[160];
        snprintf(help, sizeof(help), "# HELP %s ", name);
        snprintf(type, sizeof(type), "\n# TYPE %s gauge\n", name);
        const char *h = strstr(at, help);
        if (!h) fail_msg("family %s missing or out of order", name);
        assert_non_null(strstr(h, type));
        at = h + 1;
    }
    assert_int_equal(count, 59); /* 1 info + 23 host + 24 GPU + 10 process families + ours */
    /* Every other line is one sample: name{labels} value. */
    for (const char *p = page; *p;) {
        const char *end = strchr(p, '\n');
        assert_non_null(end);
        if (*p != '#') {
            const char *brace = memchr(p, '{', (size_t)(end - p));
            const char *close = brace ? memchr(brace, '}', (size_t)(end - brace)) : NULL;
            assert_true(close && close[1] == ' ' && close + 2 < end);
        }
        p = end + 1;
    }
}

static void test_values_and_units(void **state)
{
    fixture_t *f = *state;
    const char *page = render(f, NULL);
    expect_line(page, "nvitop_info{cuda_driver_version=\"13.0\",device_count=\"1\","
                      "driver_version=\"580.159.04\",hostname=\"" HOST "\"} 1.0");
    expect_line(page, "host_uptime_Second{hostname=\"" HOST "\"} 227.40133261680603");
    expect_line(page, "host_virtual_memory_total_MiB{hostname=\"" HOST "\"} 128887.71484375");
    expect_line(page, "host_swap_memory_total_MiB{hostname=\"" HOST "\"} 0.0");
    expect_line(page, "host_net_io_tx_data_MiB{hostname=\"" HOST "\",interface=\"lo\"} "
                      "0.8122997283935547");
    expect_line(page, "host_net_io_tx_packets_Packet{hostname=\"" HOST "\",interface=\"eth0\"} "
                      "18.0");
    expect_line(page, "host_disk_io_read_data_MiB{hostname=\"" HOST "\",partition=\"vda\"} "
                      "1597.2431640625");
    expect_line(page, "host_disk_usage_percent_Percentage{hostname=\"" HOST "\",mountpoint=\"/\"} "
                      "20.1");
    expect_line(page, "gpu_utilization_Percentage{" DEV0 ",uuid=\"" UUID0 "\"} 100.0");
    expect_line(page, "gpu_memory_total_MiB{" DEV0 ",uuid=\"" UUID0 "\"} 81559.0");
    expect_line(page, "gpu_memory_used_MiB{" DEV0 ",uuid=\"" UUID0 "\"} 10466.4375");
    expect_line(page, "gpu_power_usage_W{" DEV0 ",uuid=\"" UUID0 "\"} 697.081");
    expect_line(page, "gpu_pcie_tx_throughput_MiBps{" DEV0 ",uuid=\"" UUID0 "\"} 8.5927734375");
    expect_line(page, "process_info_info{command=\"python3 bench/mm.py 120 1.0 2147483648\"," DEV0
                      ",pid=\"1045\",status=\"running\",username=\"root\",uuid=\"" UUID0 "\"} 1.0");
    expect_line(page, "process_running_time_Second{" DEV0
                      ",pid=\"1045\",username=\"root\",uuid=\"" UUID0 "\"} 97.059093");
    expect_line(page, "process_rss_memory_MiB{" DEV0 ",pid=\"1045\",username=\"root\",uuid=\"" UUID0
                      "\"} 708.17578125");
    expect_line(page, "process_memory_percent_Percentage{" DEV0
                      ",pid=\"1045\",username=\"root\",uuid=\"" UUID0 "\"} 0.5494517317717351");
    expect_line(page, "process_gpu_memory_MiB{" DEV0 ",pid=\"1045\",username=\"root\",uuid=\"" UUID0
                      "\"} 3178.0");
}

static void test_not_available_is_omitted(void **state)
{
    fixture_t *f = *state;
    const char *page = render(f, NULL);
    /* fan not supported, NVLink not sampled, memory used/free of the host and one eth0
     * counter unknown: no sample at all (never 0, never NaN), the HELP/TYPE lines stay */
    assert_int_equal(samples_of(page, "gpu_fan_speed_Percentage"), 0);
    expect_line(page, "# TYPE gpu_fan_speed_Percentage gauge");
    assert_int_equal(samples_of(page, "gpu_nvlink_total_tx_throughput_MiBps"), 0);
    assert_int_equal(samples_of(page, "gpu_nvlink_tx_throughput_MiBps"), 0);
    assert_int_equal(samples_of(page, "host_virtual_memory_used_MiB"), 0);
    assert_int_equal(samples_of(page, "host_load_average_5m_Percentage"), 0);
    assert_int_equal(samples_of(page, "host_net_io_tx_data_MiB"), 1);
    expect_no(page, "NaN");
    /* a process /proc cannot show: failsafe words, its host values left out */
    f->procs[0].host.na = NVITOP_NA_NO_SUCH_PROCESS;
    page = render(f, NULL);
    expect_line(page,
                "process_info_info{command=\"No Such Process\"," DEV0
                ",pid=\"1045\",status=\"terminated\",username=\"N/A\",uuid=\"" UUID0 "\"} 1.0");
    assert_int_equal(samples_of(page, "process_cpu_percent_Percentage"), 0);
    assert_int_equal(samples_of(page, "process_rss_memory_MiB"), 0);
    assert_int_equal(samples_of(page, "process_gpu_memory_MiB"), 1);
    f->procs[0].host.na = NVITOP_NA_NO_PERMISSION;
    expect_line(render(f, NULL),
                "process_info_info{command=\"No Permissions\"," DEV0
                ",pid=\"1045\",status=\"terminated\",username=\"N/A\",uuid=\"" UUID0 "\"} 1.0");
    f->procs[0].host.na = NVITOP_NA_IO_ERROR;
    expect_line(render(f, NULL),
                "process_info_info{command=\"No Such Process\"," DEV0
                ",pid=\"1045\",status=\"terminated\",username=\"N/A\",uuid=\"" UUID0 "\"} 1.0");
    f->procs[0].host.na = NVITOP_NA_NONE;
    f->procs[0].host.is_zombie = true;
    f->procs[0].host.state = 'Z';
    expect_line(render(f, NULL),
                "process_info_info{command=\"Zombie Process\"," DEV0
                ",pid=\"1045\",status=\"zombie\",username=\"root\",uuid=\"" UUID0 "\"} 1.0");
}

/* The command label says what the report and the monitor say (render/words.h), whatever the
 * reason the host gives. */
static void test_process_command_shared(void **state)
{
    fixture_t *f = *state;
    const nvitop_na_t reasons[] = {
        NVITOP_NA_NONE,     NVITOP_NA_NO_PERMISSION, NVITOP_NA_NO_SUCH_PROCESS,
        NVITOP_NA_IO_ERROR, NVITOP_NA_NOT_SAMPLED,   NVITOP_NA_UNAVAILABLE};
    char want[256];
    for (int zombie = 0; zombie < 2; zombie++)
        for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
            f->procs[0].host.na = reasons[i];
            f->procs[0].host.is_zombie = zombie;
            snprintf(want, sizeof(want), "process_info_info{command=\"%s\",",
                     rpt_process_command(&f->procs[0].host));
            assert_non_null(strstr(render(f, NULL), want));
        }
}

/* The status label: psutil's word for each /proc state letter of a live process, and
 * nvitop's failsafe `terminated` for one /proc cannot read (gone, hidden, refused). */
static void test_process_status_words(void **state)
{
    fixture_t *f = *state;
    static const struct {
        char letter;
        const char *word;
    } words[] = {{'R', "running"},      {'S', "sleeping"}, {'D', "disk-sleep"}, {'T', "stopped"},
                 {'t', "tracing-stop"}, {'Z', "zombie"},   {'X', "dead"},       {'x', "dead"},
                 {'K', "wake-kill"},    {'W', "waking"},   {'I', "idle"},       {'P', "parked"}};
    char line[512];
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        f->procs[0].host.state = words[i].letter;
        snprintf(line, sizeof(line),
                 "process_info_info{command=\"python3 bench/mm.py 120 1.0 2147483648\"," DEV0
                 ",pid=\"1045\",status=\"%s\",username=\"root\",uuid=\"" UUID0 "\"} 1.0",
                 words[i].word);
        expect_line(render(f, NULL), line);
    }
    const nvitop_na_t unreadable[] = {NVITOP_NA_NO_SUCH_PROCESS, NVITOP_NA_NO_PERMISSION,
                                      NVITOP_NA_IO_ERROR};
    for (size_t i = 0; i < sizeof(unreadable) / sizeof(unreadable[0]); i++) {
        f->procs[0].host.na = unreadable[i];
        f->procs[0].host.state = 0;
        assert_non_null(strstr(render(f, NULL), ",status=\"terminated\","));
    }
}

static void test_label_escaping(void **state)
{
    fixture_t *f = *state;
    f->procs[0].host.command = S("sh -c \"echo a\\\\b\nnext\"");
    f->net[0].name = "we\"ird";
    const char *page = render(f, NULL);
    expect_line(page, "process_info_info{command=\"sh -c \\\"echo a\\\\\\\\b\\nnext\\\"\"," DEV0
                      ",pid=\"1045\",status=\"running\",username=\"root\",uuid=\"" UUID0 "\"} 1.0");
    expect_line(page, "host_net_io_tx_packets_Packet{hostname=\"" HOST "\",interface=\"we\\\"ird\"}"
                      " 960.0");
}

static void test_ended_process_removed(void **state)
{
    fixture_t *f = *state;
    f->snap.process_count = 2;
    process_init(&f->procs[1], 2046, 0);
    const char *page = render(f, NULL);
    assert_int_equal(samples_of(page, "process_info_info"), 2);
    assert_non_null(strstr(page, "pid=\"2046\""));
    f->snap.process_count = 1; /* 2046 ended */
    page = render(f, NULL);
    expect_no(page, "pid=\"2046\"");
    assert_int_equal(samples_of(page, "process_info_info"), 1);
    assert_int_equal(samples_of(page, "process_gpu_sm_utilization_Percentage"), 1);
}

/* GPU 0 in MIG mode with MIG device 0:0 running the process, GPU 1 lost, NVLink on GPU 0. */
static void test_mig_lost_and_nvlink(void **state)
{
    fixture_t *f = *state;
    nvitop_snapshot_t *s = &f->snap;
    s->device_count = 3;
    nvitop_device_snapshot_t *parent = &f->devices[0], *mig = &f->devices[1],
                             *lost = &f->devices[2];
    parent->nvlink_count = I(2);
    parent->nvlink_tx_kibps[0] = I(1024);
    parent->nvlink_tx_kibps[1] = (nvitop_int_t){0, NVITOP_NA_NEEDS_TWO_SAMPLES};
    parent->nvlink_total_tx_kibps = I(1024);
    nvitop_device_snapshot_clear(mig);
    mig->is_mig = true;
    mig->physical_index = 0;
    mig->mig_index = 0;
    mig->name = S("NVIDIA A100-SXM4-40GB MIG 3g.20gb");
    mig->uuid = S("MIG-1484f407");
    mig->memory_total_bytes = I(20096LL << 20);
    nvitop_device_snapshot_clear(lost);
    lost->physical_index = 1;
    lost->name = lost->uuid = (nvitop_str_t){NULL, NVITOP_NA_GPU_LOST};
    lost->memory_total_bytes = (nvitop_int_t){0, NVITOP_NA_GPU_LOST};
    f->procs[0].device = 1; /* the process runs on the MIG device */
    /* nvitop-exporter lists the MIG-enabled GPU's processes under it too */
    const nvitop_gpu_process_t *under_parent[] = {&f->procs[0]};
    const nvitop_gpu_process_t *under_mig[] = {&f->procs[0]};
    export_procs_t procs[3] = {{under_parent, 1}, {under_mig, 1}, {NULL, 0}};
    const char *page = render(f, procs);
    expect_line(page, "nvitop_info{cuda_driver_version=\"13.0\",device_count=\"2\","
                      "driver_version=\"580.159.04\",hostname=\"" HOST "\"} 1.0");
    expect_line(page, "gpu_memory_total_MiB{devicename=\"NVIDIA A100-SXM4-40GB MIG 3g.20gb\","
                      "hostname=\"" HOST "\",index=\"0:0\",uuid=\"MIG-1484f407\"} 20096.0");
    assert_int_equal(samples_of(page, "process_gpu_memory_MiB"), 2);
    assert_non_null(strstr(page, "index=\"0:0\",pid=\"1045\""));
    assert_non_null(strstr(page, "index=\"0\",pid=\"1045\""));
    expect_line(page, "gpu_nvlink_tx_throughput_MiBps{" DEV0 ",link=\"0\",uuid=\"" UUID0 "\"} 1.0");
    expect_no(page, "link=\"1\"");
    expect_line(page, "gpu_nvlink_total_tx_throughput_MiBps{" DEV0 ",uuid=\"" UUID0 "\"} 1.0");
    /* the lost GPU: named as nvitop names it, no value of it exported */
    expect_no(page, "ERROR: GPU is Lost\",hostname=\"" HOST "\",index=\"1\",uuid=\"N/A\"}");
    assert_int_equal(samples_of(page, "gpu_memory_total_MiB"), 2);
    /* without a process view every process is under its own device only */
    page = render(f, NULL);
    assert_int_equal(samples_of(page, "process_gpu_memory_MiB"), 1);
    /* a lost GPU still answering one value carries its labels */
    lost->temperature_c = I(90);
    expect_line(render(f, NULL),
                "gpu_temperature_C{devicename=\"ERROR: GPU is Lost\",hostname=\"" HOST
                "\",index=\"1\",uuid=\"N/A\"} 90.0");
}

static void test_device_fields_resolve(void **state)
{
    fixture_t *f = *state;
    /* every GPU family has its field in nvitop_device_fields(): all set, all exported */
    const char *page = render(f, NULL);
    const char *all[] = {"gpu_utilization_Percentage",
                         "gpu_memory_utilization_Percentage",
                         "gpu_encoder_utilization_Percentage",
                         "gpu_decoder_utilization_Percentage",
                         "gpu_memory_total_MiB",
                         "gpu_memory_used_MiB",
                         "gpu_memory_free_MiB",
                         "gpu_memory_percent_Percentage",
                         "gpu_clock_sm_MHz",
                         "gpu_clock_memory_MHz",
                         "gpu_clock_graphics_MHz",
                         "gpu_clock_video_MHz",
                         "gpu_power_usage_W",
                         "gpu_power_limit_W",
                         "gpu_temperature_C",
                         "gpu_pcie_tx_throughput_MiBps",
                         "gpu_pcie_rx_throughput_MiBps"};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (samples_of(page, all[i]) != 1) fail_msg("no sample of %s", all[i]);
    f->devices[0].nvlink_count = I(0);
    f->devices[0].nvlink_total_rx_kibps = I(2048);
    f->devices[0].nvlink_mean_rx_kibps = I(512);
    page = render(f, NULL);
    assert_int_equal(samples_of(page, "gpu_nvlink_total_rx_throughput_MiBps"), 1);
    expect_line(page, "gpu_nvlink_mean_rx_throughput_MiBps{" DEV0 ",uuid=\"" UUID0 "\"} 0.5");
}

static void test_select_families(void **state)
{
    fixture_t *f = *state;
    export_index_t index;
    export_input_t in = {HOST, &f->snap, NULL};
    assert_int_equal(export_render(&in, &f->page, &index), 0);
    assert_int_equal(index.start[0], 0);
    assert_int_equal(index.start[EXPORT_FAMILY_COUNT], f->page.len);
    const char *names[] = {"process_info_info", "gpu_fan_speed_Percentage", "no_such_metric",
                           "gpu_temperature_C"};
    strbuf_t out = {0};
    assert_int_equal(export_select(f->page.data, &index, names, 4, &out), 0);
    /* page order; a family without samples (the fan) is left out, as prometheus_client does */
    const char *want =
        "# HELP gpu_temperature_C GPU temperature (C).\n"
        "# TYPE gpu_temperature_C gauge\n"
        "gpu_temperature_C{" DEV0 ",uuid=\"" UUID0 "\"} 67.0\n"
        "# HELP process_info_info Process information.\n"
        "# TYPE process_info_info gauge\n"
        "process_info_info{command=\"python3 bench/mm.py 120 1.0 2147483648\"," DEV0
        ",pid=\"1045\",status=\"running\",username=\"root\",uuid=\"" UUID0 "\"} 1.0\n";
    assert_string_equal(out.data, want);
    strbuf_fini(&out);
}

/* A device with 36 NVLinks (CUDA 13.3): the snapshot's nvlinks record has them all, its 1.x
 * arrays only the first 18; every link is exported, from the record. */
static void test_nvlink_36_links(void **state)
{
    fixture_t *f = *state;
    nvitop_nvlinks_t links;
    memset(&links, 0, sizeof(links));
    links.size = sizeof(links);
    links.count = I(36);
    f->devices[0].nvlink_count = I(NVITOP_NVLINK_MAX_LINKS);
    for (int l = 0; l < NVITOP_NVLINK_LINKS_MAX; l++) {
        links.tx_kibps[l] = I(1024 * (100 + l));
        links.rx_kibps[l] = I(1024 * (200 + l));
        if (l < NVITOP_NVLINK_MAX_LINKS) f->devices[0].nvlink_tx_kibps[l] = links.tx_kibps[l];
    }
    f->snap.nvlinks = &links;
    const char *page = render(f, NULL);
    assert_int_equal(samples_of(page, "gpu_nvlink_tx_throughput_MiBps"), 36);
    assert_int_equal(samples_of(page, "gpu_nvlink_rx_throughput_MiBps"), 36);
    expect_line(page,
                "gpu_nvlink_tx_throughput_MiBps{" DEV0 ",link=\"35\",uuid=\"" UUID0 "\"} 135.0");
    expect_line(page,
                "gpu_nvlink_rx_throughput_MiBps{" DEV0 ",link=\"18\",uuid=\"" UUID0 "\"} 218.0");
    /* Without the record (a snapshot of an older library): the 18 of the arrays. */
    f->snap.nvlinks = NULL;
    page = render(f, NULL);
    assert_int_equal(samples_of(page, "gpu_nvlink_tx_throughput_MiBps"), 18);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_families_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workload_info, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_and_units, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nvlink_36_links, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_available_is_omitted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_process_status_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_process_command_shared, setup, teardown),
        cmocka_unit_test_setup_teardown(test_label_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ended_process_removed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mig_lost_and_nvlink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_fields_resolve, setup, teardown),
        cmocka_unit_test_setup_teardown(test_select_families, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
