/* SPDX-License-Identifier: Apache-2.0 */
/* CUDA's device order: the helper's line protocol, the child's deadline (a stuck helper is
 * killed, a helper that lingers after answering is not waited for), spawning from a busy
 * multi-threaded process, and nvitop_cuda_devices() on the NVML simulator with the libcuda
 * stand-in (CUDA's order, CUDA_DEVICE_ORDER, MIG, cuInit failures, fallbacks). */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cuda_internal.h"
#include "util/util.h"

static const char *header = "nvitop-cuda-probe 1\ndriver 13000\n";

static cuda_probe_result_t parse(const char *body)
{
    char text[2048];
    snprintf(text, sizeof(text), "%s%s", header, body);
    cuda_probe_result_t r;
    cuda_probe_parse(text, strlen(text), &r);
    return r;
}

static void test_parse(void **state)
{
    (void)state;
    cuda_probe_result_t r = parse("count 2\n"
                                  "device 0 0c000000-0000-0000-0000-000000000000 0000:3A:00.0\n"
                                  "device 1 0a000000-0000-0000-0000-0000000000ff -\nok\n");
    assert_int_equal(r.status, PROBE_OK);
    assert_int_equal(r.driver_version, 13000);
    assert_int_equal(r.count, 2);
    assert_string_equal(r.uuids[1], "0a000000-0000-0000-0000-0000000000ff");
    cuda_probe_result_fini(&r);

    r = parse("count 0\nok\n");
    assert_int_equal(r.status, PROBE_OK);
    assert_int_equal(r.count, 0);
    cuda_probe_result_fini(&r);

    /* cuInit's "nothing visible" codes, as Python nvitop counts them. */
    r = parse("error cuda cuInit 100 CUDA_ERROR_NO_DEVICE\n");
    assert_int_equal(r.status, PROBE_NO_DEVICE);
    assert_int_equal(r.cuda_error, 100);
    r = parse("error cuda cuInit 803 CUDA_ERROR_SYSTEM_DRIVER_MISMATCH\n");
    assert_int_equal(r.status, PROBE_NO_DEVICE);
    r = parse("error cuda cuInit 999 CUDA_ERROR_UNKNOWN\n");
    assert_int_equal(r.status, PROBE_CUDA_ERROR);
    r = parse("error cuda cuDeviceGetCount 100 CUDA_ERROR_NO_DEVICE\n");
    assert_int_equal(r.status, PROBE_CUDA_ERROR);
    r = parse("error library libcuda.so.1: cannot open shared object file\n");
    assert_int_equal(r.status, PROBE_NO_LIBRARY);
    assert_non_null(strstr(r.message, "cannot open shared object"));

    /* Anything else is a failure: cut short, wrong count, bad UUID, no header. */
    const char *bad[] = {
        "count 2\ndevice 0 0c000000-0000-0000-0000-000000000000 -\nok\n",
        "count 1\ndevice 0 0c000000-0000-0000-0000-000000000000 -\n",
        "count 1\ndevice 0 0c000000-0000-0000-0000-000000000000 -\nok",
        "count 1\ndevice 0 0C000000-0000-0000-0000-000000000000 -\nok\n",
        "count 1\ndevice 1 0c000000-0000-0000-0000-000000000000 -\nok\n",
        "count 1\ndevice 0 0c000000-0000-0000-0000-00000000000 -\nok\n",
        "count -1\nok\n",
        "error cuda cuInit\n",
        "",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        r = parse(bad[i]);
        assert_int_equal(r.status, PROBE_FAILED);
        assert_null(r.uuids);
    }
    assert_false(cuda_probe_parse("garbage\n", 8, &r));
    assert_int_equal(r.status, PROBE_FAILED);
}

/* A helper script in a fresh temp file; returns its malloc'd path. */
static char *script(const char *body)
{
    char *path = test_write_temp(body);
    assert_int_equal(chmod(path, 0700), 0);
    return path;
}

static void test_child(void **state)
{
    (void)state;
    cuda_probe_result_t r;
    /* It answers, then lingers with stdout open (and a grandchild too): no waiting. */
    char *lingering = script("#!/bin/sh\n"
                             "printf 'nvitop-cuda-probe 1\\ndriver -1\\ncount 0\\nok\\n'\n"
                             "sleep 30 &\nexec sleep 30\n");
    uint64_t start = clock_monotonic_ns();
    cuda_probe_run(lingering, NULL, NULL, 20, &r);
    assert_int_equal(r.status, PROBE_OK);
    cuda_probe_result_fini(&r);
    assert_true(clock_monotonic_ns() - start < 10 * NS_PER_SEC);
    /* It never answers: killed at the deadline. */
    char *stuck = script("#!/bin/sh\nexec sleep 30\n");
    start = clock_monotonic_ns();
    cuda_probe_run(stuck, NULL, NULL, 0.3, &r);
    assert_int_equal(r.status, PROBE_TIMEOUT);
    assert_non_null(strstr(r.message, "did not answer within 0.3 s"));
    assert_true(clock_monotonic_ns() - start < 5 * NS_PER_SEC);
    /* It dies without a word, or says nonsense. */
    char *silent = script("#!/bin/sh\nexit 3\n");
    cuda_probe_run(silent, NULL, NULL, 10, &r);
    assert_int_equal(r.status, PROBE_FAILED);
    char *nonsense = script("#!/bin/sh\necho hello\n");
    cuda_probe_run(nonsense, NULL, NULL, 10, &r);
    assert_int_equal(r.status, PROBE_FAILED);
    /* It cannot be started. */
    cuda_probe_run("/nonexistent/nvitop-cuda-probe", NULL, NULL, 10, &r);
    assert_int_equal(r.status, PROBE_FAILED);
    assert_non_null(strstr(r.message, "cannot run"));
    /* The arguments it gets: CUDA_VISIBLE_DEVICES set or unset, the library. */
    char *echo = script("#!/bin/sh\nprintf 'nvitop-cuda-probe 1\\ndriver -1\\n"
                        "error library %s|%s|%s\\n' \"$1\" \"$2\" \"$3\"\n");
    cuda_probe_run(echo, "/lib/x.so", "0,1", 10, &r);
    assert_string_equal(r.message, "the CUDA driver library: --library|/lib/x.so|--visible");
    cuda_probe_run(echo, NULL, NULL, 10, &r);
    assert_string_equal(r.message, "the CUDA driver library: --unset-visible||");
    char *made[] = {lingering, stuck, silent, nonsense, echo};
    for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
        unlink(made[i]);
        free(made[i]);
    }
}

static volatile int busy_stop;

static void *busy(void *arg)
{
    (void)arg;
    while (!busy_stop) {
        void *p = malloc(4096);
        memset(p, 1, 4096);
        free(p);
    }
    return NULL;
}

/* posix_spawn from a process whose other thread keeps the allocator busy: no deadlock. */
static void test_threads(void **state)
{
    (void)state;
    char *ok = script("#!/bin/sh\nprintf 'nvitop-cuda-probe 1\\ndriver -1\\ncount 0\\nok\\n'\n");
    pthread_t t[2];
    busy_stop = 0;
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, busy, NULL), 0);
    for (int i = 0; i < 20; i++) {
        cuda_probe_result_t r;
        cuda_probe_run(ok, NULL, NULL, 10, &r);
        assert_int_equal(r.status, PROBE_OK);
        cuda_probe_result_fini(&r);
    }
    busy_stop = 1;
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    unlink(ok);
    free(ok);
}

/* ---- nvitop_cuda_devices() on the simulators ---- */

/* NVML 0, 1: V100s; 2: A100 (MIG-capable, off); 3: A40; 4: A100 with MIG on, two instances.
 * CUDA's default order: 2, 3, 4, 0, 1. */
static const char *const scenario =
    "{\"cuda\": {\"order\": [2, 3, 4, 0, 1]}, \"devices\": ["
    " {\"uuid\": \"GPU-7a3c0001-0000-0000-0000-000000000000\", \"bus_id\": \"1a:00.0\"},"
    " {\"uuid\": \"GPU-7a3c0002-0000-0000-0000-000000000000\", \"bus_id\": \"1b:00.0\"},"
    " {\"uuid\": \"GPU-c9e40003-0000-0000-0000-000000000000\", \"bus_id\": \"3d:00.0\","
    "  \"mig_mode\": [0, 0]},"
    " {\"uuid\": \"GPU-c9e40004-0000-0000-0000-000000000000\", \"bus_id\": \"3e:00.0\"},"
    " {\"uuid\": \"GPU-d0000005-0000-0000-0000-000000000000\", \"bus_id\": \"4a:00.0\","
    "  \"mig_mode\": 1, \"mig_devices\": ["
    "   {\"gpu_instance_id\": 1, \"compute_instance_id\": 0,"
    "    \"uuid\": \"MIG-aaaaaaaa-0000-0000-0000-000000000000\"},"
    "   {\"gpu_instance_id\": 2, \"compute_instance_id\": 0,"
    "    \"uuid\": \"MIG-bbbbbbbb-0000-0000-0000-000000000000\"}]}]}";

static nvitop_ctx_t *ctx;
static char probe_bin[512], cuda_lib[512], cuda_v1_lib[512];

/* The path in environment variable env (set by ctest). */
static void env_path(char *buf, size_t len, const char *env)
{
    const char *v = getenv(env);
    if (!v) fail_msg("environment variable %s is not set (run the tests through ctest)", env);
    assert_true(str_copy(buf, len, v));
}

/* Resolves value ("unset" for NULL) and writes "2,3,4:0" (physical[:mig]). */
static const char *order(const char *value, nvitop_cuda_source_t *source, char *buf, size_t len)
{
    nvitop_device_t **devs = NULL;
    size_t n = 99;
    nvitop_cuda_options_t opts = {.probe_path = probe_bin, .cuda_library = cuda_lib};
    assert_int_equal(nvitop_cuda_devices(ctx, value, &opts, &devs, &n, source), 0);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(buf);
        int mig = nvitop_device_mig_index(devs[i]);
        snprintf(buf + used, len - used, mig >= 0 ? "%s%u:%d" : "%s%u", i ? "," : "",
                 nvitop_device_physical_index(devs[i]), mig);
    }
    nvitop_free(devs);
    return buf;
}

static void check(const char *value, const char *want, nvitop_cuda_source_t want_source)
{
    char buf[256];
    nvitop_cuda_source_t source = (nvitop_cuda_source_t)-1;
    assert_string_equal(order(value, &source, buf, sizeof(buf)), want);
    assert_int_equal(source, want_source);
}

static void test_driver_order(void **state)
{
    (void)state;
    const nvitop_cuda_source_t D = NVITOP_CUDA_SOURCE_DRIVER;
    unsetenv("CUDA_DEVICE_ORDER");
    /* Unset: CUDA shows one MIG device, the first MIG-enabled GPU's first instance. */
    check(NULL, "4:0", D);
    check("0,1", "2,3", D); /* cuda:0 and cuda:1 are the A100 and the A40 */
    check("3,0", "0,2", D);
    check("1,9,0", "3", D); /* cut at the first invalid entry */
    check("0,0", "", D);    /* a repeated device: none (cuInit: no device) */
    check("", "", D);
    check("GPU-7a3c0002,GPU-c9e40004-0000-0000-0000-000000000000", "1,3", D);
    check("MIG-bbbb", "4:1", D);
    check("MIG-GPU-d0000005/2/0", "4:1", D);
    check("1,0", "3,2", D); /* a MIG-capable GPU with MIG off is a GPU */
    check("3,2", "4:0", D); /* a listed GPU with MIG on hides the others */
    check("0,2", "4:0", D); /* a listed MIG-enabled GPU: its first instance only */
    setenv("CUDA_DEVICE_ORDER", "PCI_BUS_ID", 1);
    check("0,1", "0,1", D);
    check("3,0", "3,0", D);
    check("0,1,2,3", "0,1,2,3", D);
    unsetenv("CUDA_DEVICE_ORDER");
    /* A driver before CUDA 11.4: a MIG device's UUID is its GPU's, read again by NVML. */
    char buf[256];
    nvitop_cuda_source_t source;
    str_copy(cuda_lib, sizeof(cuda_lib), cuda_v1_lib);
    assert_string_equal(order("0,1", &source, buf, sizeof(buf)), "2,3");
    assert_string_equal(order("MIG-bbbb", &source, buf, sizeof(buf)), "4:0");
    assert_int_equal(source, D);
    env_path(cuda_lib, sizeof(cuda_lib), "NVITOP_CUDA_SIM_LIB");
}

static void test_fallbacks(void **state)
{
    (void)state;
    char buf[256], saved[512];
    nvitop_cuda_source_t source;
    str_copy(saved, sizeof(saved), cuda_lib);
    /* No libcuda: NVML's rules and order. */
    str_copy(cuda_lib, sizeof(cuda_lib), "/nonexistent/libcuda.so.1");
    assert_string_equal(order("0,1", &source, buf, sizeof(buf)), "0,1");
    assert_int_equal(source, NVITOP_CUDA_SOURCE_NO_DRIVER);
    assert_non_null(strstr(nvitop_ctx_message(ctx), "/nonexistent/libcuda.so.1"));
    /* No helper. */
    str_copy(cuda_lib, sizeof(cuda_lib), saved);
    str_copy(probe_bin, sizeof(probe_bin), "/nonexistent/nvitop-cuda-probe");
    assert_string_equal(order("3,0", &source, buf, sizeof(buf)), "3,0");
    assert_int_equal(source, NVITOP_CUDA_SOURCE_NO_DRIVER);
    assert_non_null(strstr(nvitop_ctx_message(ctx), "nvitop-cuda-probe not found"));
    env_path(probe_bin, sizeof(probe_bin), "NVITOP_CUDA_PROBE_BIN");
    /* NVML only, asked for. */
    nvitop_device_t **devs;
    size_t n;
    nvitop_cuda_options_t opts = {.nvml_only = true};
    assert_int_equal(nvitop_cuda_devices(ctx, "3,0", &opts, &devs, &n, &source), 0);
    assert_int_equal(n, 2);
    assert_int_equal(source, NVITOP_CUDA_SOURCE_NVML_ONLY);
    nvitop_free(devs);
    assert_int_equal(nvitop_cuda_devices(ctx, NULL, NULL, NULL, &n, NULL), NVITOP_EINVAL);
    assert_string_equal(nvitop_cuda_source_string(NVITOP_CUDA_SOURCE_TIMEOUT),
                        "CUDA driver timeout");
}

static int setup(void **state)
{
    (void)state;
    env_path(probe_bin, sizeof(probe_bin), "NVITOP_CUDA_PROBE_BIN");
    env_path(cuda_lib, sizeof(cuda_lib), "NVITOP_CUDA_SIM_LIB");
    env_path(cuda_v1_lib, sizeof(cuda_v1_lib), "NVITOP_CUDA_SIM_V1_LIB");
    ctx = test_sim_ctx(scenario, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_sim_finish(ctx, "", true);
    test_sim_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),     cmocka_unit_test(test_child),
        cmocka_unit_test(test_threads),   cmocka_unit_test(test_driver_order),
        cmocka_unit_test(test_fallbacks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
