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

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_h100_79),    cmocka_unit_test(test_h100_w200),
        cmocka_unit_test(test_h100_ascii), cmocka_unit_test(test_h100_color),
        cmocka_unit_test(test_h100_idle),  cmocka_unit_test(test_spec_79),
        cmocka_unit_test(test_spec_140),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
