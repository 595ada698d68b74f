/* SPDX-License-Identifier: Apache-2.0 */
/* Golden tests of the one-shot report: snapshots built by hand with the values behind each
 * capture of Python nvitop 1.7 (tests/fixtures/render/), rendered and compared byte for byte,
 * date line included (TZ=UTC). */
#include "testutil.h"

#include "render/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_DEVICES 8
#define MAX_PROCS 12

typedef struct fixture {
    nvitop_snapshot_t snap;
    nvitop_device_snapshot_t devices[MAX_DEVICES];
    nvitop_gpu_process_t procs[MAX_PROCS];
    const nvitop_gpu_process_t *ptrs[MAX_PROCS];
    size_t nproc;
    report_options_t opt;
} fixture_t;

static nvitop_int_t I(int64_t v)
{
    nvitop_int_t x = {v, NVITOP_NA_NONE};
    return x;
}

static nvitop_real_t R(double v)
{
    nvitop_real_t x = {v, NVITOP_NA_NONE};
    return x;
}

static nvitop_str_t S(const char *v)
{
    nvitop_str_t x = {v, NVITOP_NA_NONE};
    return x;
}

static nvitop_int_t NA_I(nvitop_na_t na)
{
    nvitop_int_t x = {0, na};
    return x;
}

/* Every field NOT_SAMPLED, through the field table (what nvitop_device_snapshot_clear does). */
static void clear_device(nvitop_device_snapshot_t *d)
{
    size_t n;
    const nvitop_field_info_t *f = nvitop_device_fields(&n);
    memset(d, 0, sizeof(*d));
    for (size_t i = 0; i < n; i++) {
        char *p = (char *)d + f[i].offset;
        if (f[i].type == NVITOP_VALUE_INT)
            ((nvitop_int_t *)(void *)p)->na = NVITOP_NA_NOT_SAMPLED;
        else if (f[i].type == NVITOP_VALUE_REAL)
            ((nvitop_real_t *)(void *)p)->na = NVITOP_NA_NOT_SAMPLED;
        else
            ((nvitop_str_t *)(void *)p)->na = NVITOP_NA_NOT_SAMPLED;
    }
    d->mig_index = -1;
    d->cuda_index = -1;
}

static void fixture_init(fixture_t *f, int64_t unix_s, int width)
{
    memset(f, 0, sizeof(*f));
    f->snap.time_unix_ns = unix_s * 1000000000LL;
    f->snap.devices = f->devices;
    f->snap.driver_version = S("580.159.04");
    f->snap.cuda_driver_version = I(13000);
    f->opt.terminal_width = width;
    f->opt.gpu_thresholds[0] = 10;
    f->opt.gpu_thresholds[1] = 75;
    f->opt.mem_thresholds[0] = 10;
    f->opt.mem_thresholds[1] = 80;
    f->opt.version = "1.7.0";
    f->snap.host.hostname = S("vm");
    f->snap.host.username = S("root");
    f->snap.host.swap_percent = R(0.0);
}

static nvitop_device_snapshot_t *add_device(fixture_t *f, const char *name, int index)
{
    assert_true(f->snap.device_count < MAX_DEVICES);
    nvitop_device_snapshot_t *d = &f->devices[f->snap.device_count++];
    clear_device(d);
    d->name = S(name);
    d->physical_index = index;
    d->compute_mode = I(NVITOP_COMPUTE_MODE_DEFAULT);
    d->performance_state = I(0);
    d->ecc_errors_volatile_uncorrected = I(0);
    d->persistence_mode = I(NVITOP_ENABLED);
    d->display_active = I(NVITOP_DISABLED);
    return d;
}

static nvitop_device_snapshot_t *add_mig(fixture_t *f, const char *name, int parent, int mig,
                                         int gi, int ci)
{
    assert_true(f->snap.device_count < MAX_DEVICES);
    nvitop_device_snapshot_t *d = &f->devices[f->snap.device_count++];
    clear_device(d);
    d->name = S(name);
    d->is_mig = true;
    d->physical_index = parent;
    d->mig_index = mig;
    d->gpu_instance_id = I(gi);
    d->compute_instance_id = I(ci);
    d->mig_mode = NA_I(NVITOP_NA_NOT_APPLICABLE);
    return d;
}

static void memory(nvitop_device_snapshot_t *d, int64_t used, int64_t total, double percent)
{
    d->memory_used_bytes = I(used);
    d->memory_total_bytes = I(total);
    d->memory_percent = R(percent);
}

static void power(nvitop_device_snapshot_t *d, int64_t usage_mw, int64_t limit_mw)
{
    d->power_usage_mw = I(usage_mw);
    d->power_limit_mw = I(limit_mw);
    d->power_percent = R((double)usage_mw / (double)limit_mw * 100.0);
}

static void host(fixture_t *f, double cpu, double uptime_s, double l1, double l5, double l15,
                 double mem_percent, int64_t used)
{
    nvitop_host_snapshot_t *h = &f->snap.host;
    h->cpu_percent = R(cpu);
    h->uptime_s = R(uptime_s);
    h->load_average_1m = R(l1);
    h->load_average_5m = R(l5);
    h->load_average_15m = R(l15);
    h->memory_percent = R(mem_percent);
    h->memory_used_bytes = I(used);
}

static nvitop_gpu_process_t *add_proc(fixture_t *f, uint32_t pid, int device, unsigned type,
                                      int64_t gpu_mem, int sm, int gmbw)
{
    assert_true(f->nproc < MAX_PROCS);
    nvitop_gpu_process_t *p = &f->procs[f->nproc];
    f->ptrs[f->nproc++] = p;
    memset(p, 0, sizeof(*p));
    p->pid = pid;
    p->device = device;
    p->type = type;
    p->gpu_memory_bytes = I(gpu_mem);
    p->gpu_sm_utilization_percent = I(sm);
    p->gpu_memory_utilization_percent = I(gmbw);
    p->host.pid = pid;
    p->host.na = NVITOP_NA_NO_SUCH_PROCESS;
    return p;
}

static void on_host(nvitop_gpu_process_t *p, const char *user, double cpu, double mem,
                    double seconds, const char *command)
{
    p->host.na = NVITOP_NA_NONE;
    p->host.username = S(user);
    p->host.cpu_percent = R(cpu);
    p->host.memory_percent = R(mem);
    p->host.running_time_s = R(seconds);
    p->host.command = S(command);
}

static char *render(fixture_t *f);

/* Renders the fixture and compares with tests/fixtures/render/<name>. */
static void check_golden(fixture_t *f, const char *name)
{
    char path[4096], rel[256];
    snprintf(rel, sizeof(rel), "tests/fixtures/render/%s", name);
    size_t len;
    char *want = test_read_file(test_path(path, sizeof(path), "NVITOP_SOURCE_DIR", rel), &len);
    strbuf_t out = {0};
    assert_int_equal(render_report(&f->snap, f->ptrs, f->nproc, &f->opt, &out), 0);
    assert_non_null(out.data);
    if (out.len != len || memcmp(out.data, want, len) != 0) {
        fprintf(stderr, "--- want %s\n%s--- got\n%s---\n", name, want, out.data);
        fail_msg("%s differs", name);
    }
    strbuf_fini(&out);
    free(want);
}

static const int64_t GiB = 1LL << 30, MiB = 1LL << 20;
static const int64_t H100_TOTAL = 85520809984LL, H100_USED = 10974396416LL;

/* The H100 of the reference captures, under load, at the values read off each capture. */
static void h100_loaded(fixture_t *f, int64_t temp, int64_t watts_mw)
{
    nvitop_device_snapshot_t *d = add_device(f, "NVIDIA H100 80GB HBM3", 0);
    d->bus_id = S("00000000:00:06.0");
    d->mig_mode = I(NVITOP_DISABLED);
    d->fan_speed_percent = NA_I(NVITOP_NA_NOT_SUPPORTED);
    d->temperature_c = I(temp);
    power(d, watts_mw, 700000);
    memory(d, H100_USED, H100_TOTAL, 12.8);
    d->gpu_utilization_percent = I(100);
    d->memory_utilization_percent = I(34);
    d->clock_sm_mhz = I(1980);
    d->clock_memory_mhz = I(2619);
}

static void bench_procs(fixture_t *f, int sm0, int mb0, double cpu0, int sm1, int mb1, double cpu1,
                        double seconds)
{
    on_host(add_proc(f, 1045, 0, NVITOP_PROCESS_COMPUTE, 3332374528LL, sm0, mb0), "root", cpu0,
            0.49, seconds, "python3 bench/mm.py 120 1.0 2147483648");
    on_host(add_proc(f, 1046, 0, NVITOP_PROCESS_COMPUTE, 7627341824LL, sm1, mb1), "root", cpu1,
            0.52, seconds, "python3 bench/mm.py 120 0.4 6442450944");
}

/* nvitop-1.txt: piped, so COLUMNS unset and the terminal width fell back to 79. */
static void test_h100_79(void **state)
{
    (void)state;
    fixture_t f;
    fixture_init(&f, 1795421696, 79);
    h100_loaded(&f, 57, 690000);
    host(&f, 14.9, 152, 0.66, 0.24, 0.09, 1.2, (int64_t)(1.52 * GiB));
    bench_procs(&f, 60, 19, 292.3, 40, 12, 341.1, 21);
    check_golden(&f, "nvitop-1.txt");
}

/* nvitop-1-w200.txt: COLUMNS=200 gives W=140 and the two-column bars. */
static void test_h100_w200(void **state)
{
    (void)state;
    fixture_t f;
    fixture_init(&f, 1795421697, 200);
    h100_loaded(&f, 56, 692000);
    host(&f, 15.2, 153, 0.66, 0.24, 0.09, 1.2, (int64_t)(1.52 * GiB));
    bench_procs(&f, 99, 32, 0.0, 0, 0, 0.0, 23);
    check_golden(&f, "nvitop-1-w200.txt");
}

static void test_h100_ascii(void **state)
{
    (void)state;
    fixture_t f;
    fixture_init(&f, 1795421698, 79);
    f.opt.ascii = true;
    h100_loaded(&f, 58, 695000);
    host(&f, 14.6, 154, 0.66, 0.24, 0.09, 1.2, (int64_t)(1.52 * GiB));
    bench_procs(&f, 99, 32, 184.5, 0, 0, 0.0, 23);
    check_golden(&f, "nvitop-1-ascii.txt");
}

static void test_h100_color(void **state)
{
    (void)state;
    fixture_t f;
    fixture_init(&f, 1795421696, 79);
    f.opt.color = true;
    h100_loaded(&f, 56, 698000);
    host(&f, 15.1, 152, 0.66, 0.24, 0.09, 1.2, (int64_t)(1.53 * GiB));
    bench_procs(&f, 79, 26, 284.6, 20, 6, 0.0, 22);
    check_golden(&f, "nvitop-1-color.txt");
}

static void test_h100_idle(void **state)
{
    (void)state;
    fixture_t f;
    fixture_init(&f, 1795421582, 79);
    nvitop_device_snapshot_t *d = add_device(&f, "NVIDIA H100 80GB HBM3", 0);
    d->bus_id = S("00000000:00:06.0");
    d->mig_mode = I(NVITOP_DISABLED);
    d->fan_speed_percent = NA_I(NVITOP_NA_NOT_SUPPORTED);
    d->temperature_c = I(33);
    power(d, 72000, 700000);
    memory(d, 0, H100_TOTAL, 0.0);
    d->gpu_utilization_percent = I(0);
    host(&f, 6.3, 38, 0.37, 0.09, 0.03, 0.4, (int64_t)(0.52 * GiB));
    check_golden(&f, "nvitop-1-idle.txt");
}

/* The three GPUs of spec §2.5: an H100 under load, an idle RTX 4090 and an A100 with two MIG
 * devices; root on host "vm". */
static void spec_devices(fixture_t *f)
{
    f->snap.driver_version = S("550.54.15");
    f->snap.cuda_driver_version = I(12040);
    nvitop_device_snapshot_t *d = add_device(f, "NVIDIA H100 80GB HBM3", 0);
    d->bus_id = S("00000000:18:00.0");
    d->mig_mode = I(NVITOP_DISABLED);
    d->fan_speed_percent = I(100);
    d->temperature_c = I(67);
    power(d, 512000, 700000);
    memory(d, 61 * GiB, 80 * GiB, 76.2);
    d->gpu_utilization_percent = I(87);
    d->memory_utilization_percent = I(41);
    d->clock_sm_mhz = I(1980);
    d->clock_memory_mhz = I(2619);

    d = add_device(f, "NVIDIA GeForce RTX 4090", 1);
    d->bus_id = S("00000000:3B:00.0");
    d->persistence_mode = I(NVITOP_DISABLED);
    d->display_active = I(NVITOP_ENABLED);
    d->mig_mode = NA_I(NVITOP_NA_NOT_SUPPORTED);
    d->ecc_errors_volatile_uncorrected = NA_I(NVITOP_NA_NOT_SUPPORTED);
    d->fan_speed_percent = I(30);
    d->temperature_c = I(31);
    d->performance_state = I(8);
    power(d, 21000, 450000);
    memory(d, 3 * MiB, 24 * GiB, 0.0);
    d->gpu_utilization_percent = I(0);
    d->memory_utilization_percent = I(0);
    d->clock_sm_mhz = I(210);
    d->clock_memory_mhz = I(405);

    d = add_device(f, "NVIDIA A100-SXM4-40GB", 2);
    d->bus_id = S("00000000:86:00.0");
    d->mig_mode = I(NVITOP_ENABLED);
    d->fan_speed_percent = NA_I(NVITOP_NA_NOT_SUPPORTED);
    d->temperature_c = I(45);
    power(d, 95000, 400000);
    memory(d, 10240 * MiB, 40 * GiB, 25.0);
    d->gpu_utilization_percent = NA_I(NVITOP_NA_NOT_SUPPORTED);
    d->memory_utilization_percent = NA_I(NVITOP_NA_NOT_SUPPORTED);
    d->clock_sm_mhz = I(1410);
    d->clock_memory_mhz = I(1215);

    d = add_mig(f, "NVIDIA A100-SXM4-40GB MIG 3g.20gb", 2, 0, 1, 0);
    memory(d, 9216 * MiB, 19968 * MiB, 46.2);
    d->bar1_used_bytes = I(512 * MiB);
    d->bar1_percent = R(1.6);
    d = add_mig(f, "NVIDIA A100-SXM4-40GB MIG 3g.20gb", 2, 1, 2, 0);
    memory(d, 13 * MiB, 19968 * MiB, 0.1);
    d->bar1_used_bytes = I(0);
    d->bar1_percent = R(0.0);
}

static void spec_procs(fixture_t *f)
{
    on_host(add_proc(f, 11656, 0, NVITOP_PROCESS_COMPUTE, 40 * GiB, 85, 40), "root", 0.0, 0.12, 1.5,
            "python3 train.py");
    add_proc(f, 4194000, 0, NVITOP_PROCESS_COMPUTE, 20 * GiB, 0, 0); /* another PID namespace */
    on_host(add_proc(f, 11657, 3, NVITOP_PROCESS_COMPUTE, 8192 * MiB, 0, 0), "root", 0.0, 0.01, 1.2,
            "sleep 901");
    on_host(
        add_proc(f, 11655, 0, NVITOP_PROCESS_COMPUTE | NVITOP_PROCESS_GRAPHICS, 512 * MiB, 2, 1),
        "root", 0.0, 0.02, 1.9, "sleep 900");
}

static void test_spec_79(void **state)
{
    (void)state;
    fixture_t f;
    fixture_init(&f, 1795421682, 79);
    spec_devices(&f);
    host(&f, 53.1, 348, 0.32, 0.18, 0.07, 1.3, GiB / 10);
    spec_procs(&f);
    check_golden(&f, "spec-79.txt");
}

static void test_spec_140(void **state)
{
    (void)state;
    fixture_t f;
    fixture_init(&f, 1795421682, 140);
    spec_devices(&f);
    host(&f, 59.3, 348, 0.29, 0.17, 0.07, 1.3, GiB / 10);
    spec_procs(&f);
    check_golden(&f, "spec-140.txt");
}

/* Derived from nvitop's print code (no capture exists): W = 100 (one column of bars), colour,
 * a lost GPU, user alice (not root) beside other users' processes (dark), a zombie, a refused
 * and a gone process, wide-character user names, CPU% past 1000 and 10000, a long TIME. */
static void test_mixed_100(void **state)
{
    (void)state;
    fixture_t f;
    fixture_init(&f, 1795421696, 100);
    f.opt.color = true;
    f.snap.host.username = S("alice");
    f.snap.host.hostname = S("gpu-box");
    nvitop_device_snapshot_t *d = add_device(&f, "NVIDIA A100-SXM4-80GB", 0);
    d->bus_id = S("00000000:07:00.0");
    d->mig_mode = I(NVITOP_DISABLED);
    d->fan_speed_percent = NA_I(NVITOP_NA_NOT_SUPPORTED);
    d->temperature_c = I(41);
    power(d, 250000, 400000);
    memory(d, 40 * GiB, 80 * GiB, 50.0);
    d->gpu_utilization_percent = I(30);
    d->memory_utilization_percent = I(12);
    d->compute_mode = I(NVITOP_COMPUTE_MODE_EXCLUSIVE_PROCESS);
    d->clock_sm_mhz = I(1410);
    d->clock_memory_mhz = I(1593);
    d = &f.devices[f.snap.device_count++];
    clear_device(d);
    d->physical_index = 1;
    size_t n;
    const nvitop_field_info_t *fields = nvitop_device_fields(&n);
    for (size_t i = 0; i < n; i++) /* a lost GPU answers every question with "GPU lost" */
        ((nvitop_int_t *)(void *)((char *)d + fields[i].offset))->na = NVITOP_NA_GPU_LOST;
    host(&f, 23.4, 3.2 * 86400, 1.5, 12.25, 123.456, 62.5, (int64_t)(39.5 * GiB));
    f.snap.host.swap_percent = R(5.0);

    on_host(add_proc(&f, 2001, 0, NVITOP_PROCESS_COMPUTE, 10 * GiB, 30, 10), "alice", 100.0, 1.5,
            3723, "python train.py --lr 0.1");
    on_host(add_proc(&f, 2002, 0, NVITOP_PROCESS_COMPUTE, 2 * GiB, 0, 0), "bob", 1234.5, 0.3,
            5 * 86400, "/usr/bin/worker");
    nvitop_gpu_process_t *p = add_proc(&f, 2003, 0, NVITOP_PROCESS_COMPUTE, 0, 0, 0);
    on_host(p, "alice", 0.0, 0.0, 10, "");
    p->host.is_zombie = true;
    p->host.command.na = NVITOP_NA_NOT_SAMPLED;
    p = add_proc(&f, 2004, 0, NVITOP_PROCESS_COMPUTE, 512 * MiB, 0, 0);
    p->host.na = NVITOP_NA_NO_PERMISSION;
    p->host.username = S("bob");
    p->host.cpu_percent.na = NVITOP_NA_NO_PERMISSION;
    p->host.memory_percent.na = NVITOP_NA_NO_PERMISSION;
    p->host.running_time_s.na = NVITOP_NA_NO_PERMISSION;
    p->gpu_sm_utilization_percent = NA_I(NVITOP_NA_NOT_SAMPLED);
    p->gpu_memory_utilization_percent = NA_I(NVITOP_NA_NOT_SAMPLED);
    add_proc(&f, 2005, 0, NVITOP_PROCESS_COMPUTE, GiB, 0, 0);
    on_host(add_proc(&f, 2006, 0, NVITOP_PROCESS_COMPUTE, GiB, 3, 1), "张伟明同学", 12000.0, 0.0,
            59, "bash");
    p = add_proc(&f, 12345678, 0, NVITOP_PROCESS_COMPUTE, 100 * MiB, 0, 0);
    on_host(p, "a张伟明同", 0.0, 0.0, 1, "sleep 1");
    p->gpu_sm_utilization_percent = NA_I(NVITOP_NA_NOT_SAMPLED);
    p->gpu_memory_utilization_percent = NA_I(NVITOP_NA_NOT_SAMPLED);
    check_golden(&f, "mixed-100.txt");

    /* WSL: the host is marked and an unknown GPU memory reads WDDM:N/A */
    f.opt.wsl = true;
    f.opt.color = false;
    f.procs[6].gpu_memory_bytes = NA_I(NVITOP_NA_UNAVAILABLE);
    char *text = render(&f);
    assert_non_null(strstr(text, " alice@gpu-box (WSL) │\n"));
    assert_non_null(
        strstr(text, "│   0 123456. C a张伟 + WDDM:N/A N/A   N/A   0.0   0.0      0:01  sleep 1"));
    free(text);
    f.nproc = 0;
    text = render(&f);
    assert_non_null(strstr(text, "│  No running processes found (in WSL)    "));
    free(text);
}

/* Renders the fixture into a malloc'd string. */
static char *render(fixture_t *f)
{
    strbuf_t out = {0};
    assert_int_equal(render_report(&f->snap, f->ptrs, f->nproc, &f->opt, &out), 0);
    assert_non_null(out.data);
    return strbuf_take(&out);
}

/* Line `n` (0 = the date line) of text, copied into buf. */
static const char *line_of(const char *text, int n, char *buf, size_t len)
{
    for (; n > 0 && text; n--) {
        text = strchr(text, '\n');
        if (text) text++;
    }
    assert_non_null(text);
    size_t l = strcspn(text, "\n");
    assert_true(l < len);
    memcpy(buf, text, l);
    buf[l] = '\0';
    return buf;
}

static size_t columns(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80; /* the report's glyphs are all one column */
    return n;
}

/* Every field unknown: N/A everywhere, never a 0; a lost GPU says so in red. */
static void test_all_na(void **state)
{
    (void)state;
    fixture_t f;
    fixture_init(&f, 1795421696, 79);
    f.snap.driver_version.na = NVITOP_NA_NOT_SAMPLED;
    f.snap.driver_version.value = NULL;
    f.snap.cuda_driver_version = NA_I(NVITOP_NA_NOT_SAMPLED);
    nvitop_device_snapshot_t *d = &f.devices[f.snap.device_count++];
    clear_device(d);
    d->physical_index = 0;
    d = &f.devices[f.snap.device_count++];
    clear_device(d);
    d->physical_index = 1;
    d->name.na = NVITOP_NA_GPU_LOST;
    memset(&f.snap.host, 0, sizeof(f.snap.host));
    f.snap.host.load_average_1m.na = NVITOP_NA_IO_ERROR;
    f.snap.host.load_average_5m.na = NVITOP_NA_IO_ERROR;
    f.snap.host.load_average_15m.na = NVITOP_NA_IO_ERROR;
    f.snap.host.cpu_percent.na = NVITOP_NA_NEEDS_TWO_SAMPLES;
    f.snap.host.memory_percent.na = NVITOP_NA_IO_ERROR;
    f.snap.host.swap_percent.na = NVITOP_NA_IO_ERROR;
    f.snap.host.memory_used_bytes.na = NVITOP_NA_IO_ERROR;
    f.snap.host.uptime_s.na = NVITOP_NA_IO_ERROR;
    f.snap.host.username.na = NVITOP_NA_IO_ERROR;
    f.snap.host.hostname.na = NVITOP_NA_IO_ERROR;
    nvitop_gpu_process_t *p = add_proc(&f, 4242, 0, NVITOP_PROCESS_COMPUTE, 0, 0, 0);
    p->gpu_memory_bytes = NA_I(NVITOP_NA_UNAVAILABLE);
    p->gpu_sm_utilization_percent = NA_I(NVITOP_NA_NOT_SAMPLED);
    p->gpu_memory_utilization_percent = NA_I(NVITOP_NA_NOT_SAMPLED);

    char *text = render(&f), buf[1024];
    assert_string_equal(line_of(text, 2, buf, sizeof(buf)),
                        "│ NVITOP 1.7.0          Driver Version: N/A          CUDA Driver Version: "
                        "N/A │");
    assert_string_equal(line_of(text, 4, buf, sizeof(buf)),
                        "│ GPU  Name        Persistence-M│ Bus-Id        Disp.A │ Volatile Uncorr. "
                        "ECC │");
    assert_string_equal(line_of(text, 7, buf, sizeof(buf)),
                        "│   0  N/A                  N/A │ N/A              N/A │                  "
                        "N/A │");
    assert_string_equal(line_of(text, 8, buf, sizeof(buf)),
                        "│ N/A   N/A  N/A      N/A / N/A │            N/A / N/A │     N/A          "
                        "N/A │");
    for (int n = 1; n <= 21; n++)
        if (n != 15) /* the empty line before the process table */
            assert_int_equal(columns(line_of(text, n, buf, sizeof(buf))), 79);
    assert_string_equal(line_of(text, 10, buf, sizeof(buf)),
                        "│   1  ERROR: GPU is Lost   N/A │ N/A              N/A │                  "
                        "N/A │");
    assert_string_equal(line_of(text, 13, buf, sizeof(buf)),
                        "[ CPU: ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ N/A ]  ( Load Average:   N/A   N/A "
                        "  N/A )");
    assert_string_equal(line_of(text, 14, buf, sizeof(buf)),
                        "[ MEM: ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ N/A ]  [ SWP: ░░░░░░░░░░░░░░░░░░░░░░"
                        " N/A ]");
    assert_string_equal(line_of(text, 17, buf, sizeof(buf)),
                        "│ Processes:                                                          "
                        "N/A@N/A │");
    assert_string_equal(line_of(text, 20, buf, sizeof(buf)),
                        "│   0    4242 C     N/A      N/A N/A   N/A   N/A   N/A   N/A  No Such "
                        "Process │");
    free(text);

    /* wide, in colour: the bars are N/A too, and the lost GPU is red in every cell */
    f.opt.terminal_width = 140;
    f.opt.color = true;
    text = render(&f);
    assert_non_null(strstr(text, "\033[33mMEM: ░░░░░░░░░░░░░░░░░░ N/A\033[0m │ \033[33mMBW: "));
    assert_non_null(strstr(text, "\033[33mUTL: ░░░░░░░░░░░░░░░░░░ N/A\033[0m │ \033[33mPWR: "));
    assert_non_null(strstr(text, "│\033[31m   1  ERROR: GPU is Lost   N/A \033[0m│\033[31m N/A "));
    assert_non_null(strstr(text, "\033[31mMEM: ░░░░░░░░░░░░░░░░░░ N/A\033[0m"));
    assert_null(strstr(text, "0%"));
    assert_null(strstr(text, "0B"));
    assert_null(strstr(text, "0W"));
    free(text);
}

/* A GPU that fell off the bus after its name was cached still reads "ERROR: GPU is Lost". */
static void test_lost_after_cached_name(void **state)
{
    (void)state;
    fixture_t f;
    fixture_init(&f, 1795421696, 79);
    f.opt.color = true;
    nvitop_device_snapshot_t *d = add_device(&f, "NVIDIA H100 80GB HBM3", 0);
    d->bus_id = S("00000000:00:06.0");
    d->memory_used_bytes = NA_I(NVITOP_NA_GPU_LOST);
    d->memory_total_bytes = I(H100_TOTAL);
    d->memory_percent.na = NVITOP_NA_GPU_LOST;
    d->gpu_utilization_percent = I(1); /* light load: red only because it is lost */
    char *text = render(&f), buf[1024];
    assert_string_equal(line_of(text, 7, buf, sizeof(buf)),
                        "│\033[31m   0  ERROR: GPU is Lost    On \033[0m│\033[31m 00000000:00:06.0 "
                        "Off \033[0m│\033[31m                    0 \033[0m│");
    free(text);
}

static void test_no_devices(void **state)
{
    (void)state;
    fixture_t f;
    fixture_init(&f, 1795421696, 200);
    host(&f, 6.3, 38, 0.37, 0.09, 0.03, 0.4, (int64_t)(0.52 * GiB));
    char *text = render(&f);
    assert_string_equal(text,
                        "Mon Nov 23 08:14:56 2026\n"
                        "╒═════════════════════════════════════════════════════════════════════"
                        "════════╕\n"
                        "│ NVITOP 1.7.0      Driver Version: 580.159.04      CUDA Driver Version: "
                        "13.0 │\n"
                        "╞═════════════════════════════════════════════════════════════════════"
                        "════════╡\n"
                        "│  No visible devices found                                           "
                        "        │\n"
                        "╘═════════════════════════════════════════════════════════════════════"
                        "════════╛\n"
                        "[ CPU: █▉ 6.3%              UPTIME: 0:38 ]  ( Load Average:  0.37  0.09 "
                        " 0.03 )\n"
                        "[ MEM: ▏ 0.4%              USED: 0.52GiB ]  [ SWP: ▏ 0.0%              "
                        "       ]\n"
                        "\n"
                        "╒═════════════════════════════════════════════════════════════════════"
                        "════════╕\n"
                        "│ Processes:                                                          "
                        "root@vm │\n"
                        "│ GPU     PID      USER  GPU-MEM %SM %GMBW  %CPU  %MEM  TIME  COMMAND  "
                        "       │\n"
                        "╞═════════════════════════════════════════════════════════════════════"
                        "════════╡\n"
                        "│  No running processes found                                         "
                        "        │\n"
                        "╘═════════════════════════════════════════════════════════════════════"
                        "════════╛\n");
    free(text);
}

/* At each width every line is as wide as the rule says, and the bars change layout at
 * 100 (one column) and 123 (R = 44: two columns for a physical GPU). */
static void test_widths(void **state)
{
    (void)state;
    static const struct {
        int terminal, width;
        bool bars, split;
    } cases[] = {{79, 79, false, false},  {99, 99, false, false}, {100, 100, true, false},
                 {122, 122, true, false}, {123, 123, true, true}, {140, 140, true, true},
                 {200, 140, true, true}};
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        fixture_t f;
        fixture_init(&f, 1795421682, cases[c].terminal);
        spec_devices(&f);
        host(&f, 53.1, 348, 0.32, 0.18, 0.07, 1.3, GiB / 10);
        spec_procs(&f);
        char *text = render(&f), buf[4096];
        int device_width = cases[c].bars ? cases[c].width : 79;
        for (int n = 1; n <= 5; n++) /* the header: 79 columns whatever the width */
            assert_int_equal(columns(line_of(text, n, buf, sizeof(buf))), 79);
        for (int n = 6; n <= 18; n++) /* the rows, separators and borders */
            assert_int_equal(columns(line_of(text, n, buf, sizeof(buf))), device_width);
        for (int n = 19; n <= 20; n++) /* the host lines */
            assert_int_equal(columns(line_of(text, n, buf, sizeof(buf))), cases[c].width);
        assert_string_equal(line_of(text, 21, buf, sizeof(buf)), "");
        for (int n = 22; n <= 31; n++) /* the process table */
            assert_int_equal(columns(line_of(text, n, buf, sizeof(buf))), cases[c].width);
        assert_true((strstr(text, "│ MEM: ") != NULL) == cases[c].bars);
        assert_true((strstr(text, "╤") != NULL) == cases[c].split);
        assert_true((strstr(text, "MBW: ") != NULL) == cases[c].split);
        assert_true((strstr(text, "┴") != NULL) == cases[c].split);
        free(text);
    }
}

typedef struct bar_case {
    int width, line; /* line 7: MEM (MBW), line 8: UTL (PWR) */
    const char *want;
} bar_case_t;

/* Renders the loaded H100 at each case's width and compares its bar cells. */
static void check_bar_cases(const bar_case_t *cases, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        fixture_t f;
        fixture_init(&f, 1795421697, cases[c].width);
        h100_loaded(&f, 54, 691822);
        f.devices[0].gpu_utilization_percent = I(99);
        host(&f, 15.2, 153, 0.66, 0.24, 0.09, 1.2, (int64_t)(1.52 * GiB));
        char *text = render(&f), buf[4096];
        const char *line = line_of(text, cases[c].line, buf, sizeof(buf));
        const char *bars =
            strstr(line, "│ MEM: ") ? strstr(line, "│ MEM: ") : strstr(line, "│ UTL: ");
        assert_non_null(bars);
        if (strcmp(bars, cases[c].want) != 0)
            fail_msg("width %d line %d: '%s', want '%s'", cases[c].width, cases[c].line, bars,
                     cases[c].want);
        free(text);
    }
}

/* The device bars keep one blank more between their two texts (nvitop's extra_blank=' '): a
 * bar one column short of both texts shows one. Wanted: nvitop 1.7's make_bar_chart. */
static void test_bar_extra_blank(void **state)
{
    (void)state;
    static const bar_case_t cases[] = {
        {104, 7, "│ MEM: █▋ 10466MiB       │"},
        {130, 7, "│ MEM: █▋ 10466MiB       │ MBW: ████▊ 34%          │"},
        {134, 7, "│ MEM: █▉ 10466MiB   12.8% │ MBW: █████▌ 34%           │"},
        {140, 7, "│ MEM: ██▎ 10466MiB     12.8% │ MBW: ██████▌ 34%   @ 2619MHz │"},
    };
    check_bar_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* The power bar is drawn from the percentage rounded to one decimal, as nvitop's
 * power_utilization() gives it: 691822 / 700000 mW is 98.8 %, not 98.83 % (one eighth less
 * at 134 columns). */
static void test_power_bar_rounded(void **state)
{
    (void)state;
    static const bar_case_t cases[] = {
        {134, 8, "│ UTL: ██████████████▉ 99% │ PWR: ███████████████▊ 99% │"},
        {140, 8, "│ UTL: █████████████████▉ 99% │ PWR: ██████████████████▊ 99% │"},
    };
    check_bar_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* Sets every field of the devices that `pred` selects by query bit to `na`, or, with na ==
 * NVITOP_NA_NONE, gives every unsampled field a value (7, 7.0 or "x"). */
static void set_fields(fixture_t *f, uint64_t bits, bool inside, nvitop_na_t na)
{
    size_t n;
    const nvitop_field_info_t *fields = nvitop_device_fields(&n);
    for (size_t d = 0; d < f->snap.device_count; d++) {
        for (size_t i = 0; i < n; i++) {
            if (((fields[i].query & bits) != 0) != inside) continue;
            char *at = (char *)&f->devices[d] + fields[i].offset;
            if (fields[i].type == NVITOP_VALUE_INT) {
                nvitop_int_t *v = (nvitop_int_t *)(void *)at;
                if (na != NVITOP_NA_NONE)
                    *v = NA_I(na);
                else if (v->na == NVITOP_NA_NOT_SAMPLED)
                    *v = I(7);
            } else if (fields[i].type == NVITOP_VALUE_REAL) {
                nvitop_real_t *v = (nvitop_real_t *)(void *)at;
                if (na != NVITOP_NA_NONE)
                    v->na = na;
                else if (v->na == NVITOP_NA_NOT_SAMPLED)
                    *v = R(7.0);
            } else {
                nvitop_str_t *v = (nvitop_str_t *)(void *)at;
                if (na != NVITOP_NA_NONE)
                    v->na = na, v->value = NULL;
                else if (v->na == NVITOP_NA_NOT_SAMPLED)
                    *v = S("x");
            }
        }
    }
}

static void test_device_query_bits(void **state)
{
    (void)state;
    const uint64_t narrow = NVITOP_DQ_NAME | NVITOP_DQ_BUS_ID | NVITOP_DQ_PERSISTENCE |
                            NVITOP_DQ_DISPLAY_ACTIVE | NVITOP_DQ_ECC_ERRORS | NVITOP_DQ_MIG |
                            NVITOP_DQ_FAN | NVITOP_DQ_TEMPERATURE | NVITOP_DQ_PSTATE |
                            NVITOP_DQ_POWER_USAGE | NVITOP_DQ_POWER_LIMIT | NVITOP_DQ_MEMORY |
                            NVITOP_DQ_UTILIZATION | NVITOP_DQ_COMPUTE_MODE | NVITOP_DQ_BAR1;
    const uint64_t clocks = NVITOP_DQ_CLOCK_SM | NVITOP_DQ_CLOCK_MEMORY;
    assert_int_equal(render_report_device_query(0), narrow);
    assert_int_equal(render_report_device_query(79), narrow);
    assert_int_equal(render_report_device_query(99), narrow);
    assert_int_equal(render_report_device_query(100), narrow | clocks);
    assert_int_equal(render_report_device_query(200), narrow | clocks);
}

/* The report prints nothing it did not ask for (clearing every other field changes nothing)
 * and asks for nothing it does not print (clearing the fields of any one bit it asks for
 * changes the text). */
static void test_device_query_covers_output(void **state)
{
    (void)state;
    static const int terminals[] = {79, 140};
    for (size_t t = 0; t < sizeof(terminals) / sizeof(terminals[0]); t++) {
        uint64_t query = render_report_device_query(terminals[t]);
        fixture_t full;
        fixture_init(&full, 1795421682, terminals[t]);
        spec_devices(&full);
        host(&full, 53.1, 348, 0.32, 0.18, 0.07, 1.3, GiB / 10);
        set_fields(&full, 0, false, NVITOP_NA_NONE); /* every unsampled field gets a value */
        char *want = render(&full);

        fixture_t asked = full;
        asked.snap.devices = asked.devices;
        set_fields(&asked, query, false, NVITOP_NA_NOT_SAMPLED);
        char *got = render(&asked);
        assert_string_equal(got, want);
        free(got);

        for (int bit = 0; bit < 64; bit++) {
            if (!(query & (1ULL << bit))) continue;
            fixture_t without = full;
            without.snap.devices = without.devices;
            set_fields(&without, 1ULL << bit, true, NVITOP_NA_NOT_SAMPLED);
            got = render(&without);
            if (strcmp(got, want) == 0)
                fail_msg("query bit %d is asked at width %d but nothing shows it", bit,
                         terminals[t]);
            free(got);
        }
        free(want);
    }
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_h100_79),
        cmocka_unit_test(test_h100_w200),
        cmocka_unit_test(test_h100_ascii),
        cmocka_unit_test(test_h100_color),
        cmocka_unit_test(test_h100_idle),
        cmocka_unit_test(test_spec_79),
        cmocka_unit_test(test_spec_140),
        cmocka_unit_test(test_all_na),
        cmocka_unit_test(test_no_devices),
        cmocka_unit_test(test_widths),
        cmocka_unit_test(test_bar_extra_blank),
        cmocka_unit_test(test_power_bar_rounded),
        cmocka_unit_test(test_mixed_100),
        cmocka_unit_test(test_device_query_bits),
        cmocka_unit_test(test_device_query_covers_output),
        cmocka_unit_test(test_lost_after_cached_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
