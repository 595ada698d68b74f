/* SPDX-License-Identifier: Apache-2.0 */
/* A whole recording on the simulator, through record_scenario(): eight GPUs sampled by eight
 * threads (label tsan), the file valid JSON with every device, MIG devices and the measured
 * latencies; the failures that write nothing. */
#include "testutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record/record.h"

static char dir[] = "/tmp/nvitop-test-record.XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof(path), "%s/rec.json", dir);
    unlink(path);
    rmdir(dir);
    return 0;
}

static json_t *record(const char *scenario, double duration, int expect_rc)
{
    char lib[512], sc[512], path[256];
    test_path(lib, sizeof(lib), "NVITOP_SIM_LIB", "");
    lib[strlen(lib) - 1] = '\0'; /* test_path appends "/" */
    setenv("NVML_SIM_SCENARIO", test_path(sc, sizeof(sc), "NVITOP_SCENARIOS", scenario), 1);
    snprintf(path, sizeof(path), "%s/rec.json", dir);
    record_options_t o = {.path = path, .duration_s = duration, .step_s = 0.25, .library = lib};
    strbuf_t msg = {0};
    assert_int_equal(record_scenario(&o, &msg), expect_rc);
    strbuf_fini(&msg);
    json_error_t err;
    json_t *doc = json_load_file(path, 0, &err);
    if (!doc) fail_msg("%s: %s", path, err.text);
    return doc;
}

static void test_eight_gpus(void **state)
{
    (void)state;
    json_t *doc = record("node-8gpu-100proc.json", 0.5, 0);
    json_t *devs = json_object_get(doc, "devices");
    assert_int_equal(json_array_size(devs), 8);
    size_t i;
    json_t *dev;
    json_array_foreach(devs, i, dev)
    {
        assert_true(json_is_string(json_object_get(dev, "uuid")));
        assert_true(json_array_size(json_object_get(dev, "processes")) > 0);
    }
    json_t *lat = json_object_get(doc, "latency_us");
    assert_true(json_integer_value(json_object_get(lat, "nvmlDeviceGetPcieThroughput")) >= 20000);
    json_decref(doc);
}

static void test_mig(void **state)
{
    (void)state;
    json_t *doc = record("a100-mig-node.json", 0, 0);
    size_t migs = 0, i;
    json_t *dev;
    json_array_foreach(json_object_get(doc, "devices"), i, dev) migs +=
        json_array_size(json_object_get(dev, "mig_devices"));
    assert_true(migs > 0);
    json_decref(doc);
}

static void test_init_error(void **state)
{
    (void)state;
    json_t *doc = record("version-mismatch.json", 0, RECORD_INIT_FAILED);
    assert_string_equal(json_string_value(json_object_get(doc, "init_error")),
                        "LIB_RM_VERSION_MISMATCH");
    assert_int_equal(json_array_size(json_object_get(doc, "devices")), 0);
    json_decref(doc);
}

static void test_failures_write_nothing(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof(path), "%s/none.json", dir);
    strbuf_t msg = {0};
    record_options_t o = {
        .path = path, .duration_s = 0, .step_s = 1, .library = "/nonexistent/libnvidia-ml.so.1"};
    assert_int_equal(record_scenario(&o, &msg), RECORD_FAILED);
    assert_non_null(strstr(strbuf_str(&msg), "NVIDIA Management Library (NVML) not found"));
    assert_int_equal(access(path, F_OK), -1);
    strbuf_reset(&msg);
    o.duration_s = 700, o.step_s = 1;
    assert_int_equal(record_scenario(&o, &msg), RECORD_FAILED);
    assert_string_equal(strbuf_str(&msg),
                        "--duration 700 with samples 1 s apart takes 700 samples (at most 600)");
    strbuf_fini(&msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eight_gpus),
        cmocka_unit_test(test_mig),
        cmocka_unit_test(test_init_error),
        cmocka_unit_test(test_failures_write_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
