/* SPDX-License-Identifier: Apache-2.0 */
/* Scenario files: each kind of bad file fails nvmlInit with one line naming file, line and
 * field; unknown keys warn; changes are re-read (handles survive, removed GPUs are lost, a bad
 * re-read keeps the old state); NVML_SIM_CALLS; every shipped scenario loads cleanly. */
#include "test_sim_common.h"

#include <dirent.h>

struct bad_case {
    const char *json;
    int line;
    const char *field; /* as printed after the line number */
    const char *why;   /* a part of the reason */
};

static const struct bad_case bad_cases[] = {
    {"{\n 'devices': [\n }", 3, "JSON syntax", ""},
    {"[]", 1, "(top level)", "expected a JSON object"},
    {"{'devices': [{'name': 'a'},\n {'name': 'b',\n  'memory': {'total': 'lots'}}]}", 3,
     "devices[1].memory.total", "expected a number"},
    {"{'devices': [\n {'memory': {'total': 10,\n  'used': -5}}]}", 3, "devices[0].memory.used",
     "must not be negative"},
    {"{'devices': [{\n 'temperature': {'seq': [], 'step_s': 1}}]}", 2, "devices[0].temperature.seq",
     "non-empty array"},
    {"{'devices': [{\n 'temperature': {'seq': [1,\n 'hot'], 'step_s': 1}}]}", 3,
     "devices[0].temperature.seq[1]", "expected a number"},
    {"{'devices': [{\n 'temperature': {'seq': [1], 'step_s': 0}}]}", 2,
     "devices[0].temperature.step_s", "> 0"},
    {"{'devices': [{\n 'temperature': {'seq': [1]}}]}", 2, "devices[0].temperature.step_s", "> 0"},
    {"{'devices': [{'errors': {\n 'nvmlDeviceGetName': 'BROKEN'}}]}", 2,
     "devices[0].errors.nvmlDeviceGetName", "unknown NVML error name \"BROKEN\""},
    {"{'init_error': 'SUCCESS'}", 1, "init_error", "not an error"},
    {"{'devices': [{'processes': [\n {'pid': 1, 'type': 'X'}]}]}", 2,
     "devices[0].processes[0].type", "\"C\", \"G\" or \"C+G\""},
    {"{'devices': [{'processes': [\n {'type': 'C'}]}]}", 2, "devices[0].processes[0]",
     "missing \"pid\""},
    {"{'devices': [{'uuid': 'GPU-1'},\n {'uuid': 'GPU-1'}]}", 2, "devices[1].uuid",
     "duplicate UUID"},
    {"{'devices': [{'bus_id': '00:01.0'},\n {'bus_id': '0000:00:01.0'}]}", 2, "devices[1].bus_id",
     "duplicate bus id"},
    {"{'devices': [{\n 'utilization': {'gpu': 101, 'memory': 0}}]}", 2,
     "devices[0].utilization.gpu", "out of range"},
    {"{'devices': [{\n 'memory': {'total': 10, 'used': 8, 'reserved': 3}}]}", 2,
     "devices[0].memory.used", "exceeds total"},
    {"{'devices': [{\n 'mig_devices': [{'gpu_instance_id': 1, 'compute_instance_id': 0}]}]}", 2,
     "devices[0].mig_devices", "mig_mode"},
    {"{'devices': [{'mig_mode': 1, 'mig_devices': [\n {'gpu_instance_id': 1}]}]}", 2,
     "devices[0].mig_devices[0]", "compute_instance_id"},
    {"{'devices': [{\n 'bus_id': '3B:00'}]}", 2, "devices[0].bus_id", "PCI bus id"},
    {"{'devices': [{\n 'memory': [1, 2]}]}", 2, "devices[0].memory", "expected an object"},
    {"{'devices': {'name': 'a'}}", 1, "devices", "expected an array"},
    {"{'devices': [{\n 'temperature': 1.5}]}", 2, "devices[0].temperature", "expected an integer"},
    {"{'devices': [{\n 'fan_speed': [10, true]}]}", 2, "devices[0].fan_speed[1]",
     "expected a number"},
    {"{'devices': [{\n 'nvlink': {'links': 2, 'tx_kib_s': [1, 2, 3]}}]}", 2,
     "devices[0].nvlink.tx_kib_s", "one per link"},
    {"{'latency_us': {\n 'nvmlInit': -1}}", 2, "latency_us.nvmlInit", "must not be negative"},
    {"{'devices': [{\n 'name': 'NVIDIA GeForce RTX 4090 with a name far too long for NVML to "
     "return in its 96-byte name buffer, really'}]}",
     2, "devices[0].name", "longer than 95"},
};

static void test_bad_scenarios_fail_with_one_line(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *c = &bad_cases[i];
        const char *path = sim_use_scenario(c->json);
        char prefix[512];
        snprintf(prefix, sizeof prefix, "nvml-sim: %s:%d: %s: ", path, c->line, c->field);
        sim_capture_stderr();
        nvmlReturn_t r = NV(nvmlInit_v2)();
        char *err = sim_captured_stderr();
        if (r != NVML_ERROR_UNKNOWN || sim_count_lines(err) != 1 ||
            strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, c->why))
            fail_msg("case %zu: init returned %d, stderr:\n%s\nexpected one line starting "
                     "\"%s\" containing \"%s\"",
                     i, r, err, prefix, c->why);
        free(err);
        unsigned int n;
        assert_int_equal(NV(nvmlDeviceGetCount_v2)(&n), NVML_ERROR_UNINITIALIZED);
    }
}

static void test_unreadable_file(void **state)
{
    (void)state;
    setenv("NVML_SIM_SCENARIO", "/nonexistent/scenario.json", 1);
    sim_capture_stderr();
    nvmlReturn_t r = NV(nvmlInit_v2)();
    char *err = sim_captured_stderr();
    assert_int_equal(r, NVML_ERROR_UNKNOWN);
    assert_int_equal(sim_count_lines(err), 1);
    assert_non_null(strstr(err, "nvml-sim: /nonexistent/scenario.json: "));
    free(err);
}

static void test_unknown_keys_warn(void **state)
{
    (void)state;
    sim_use_scenario("{'devices': [{'name': 'a',\n 'colour': 'red'}],\n 'owner': 'me',"
                     " 'latency_us': {'nvmlDeviceGetBogus': 5},"
                     " 'description': 'known, no warning'}");
    sim_capture_stderr();
    nvmlReturn_t r = NV(nvmlInit_v2)();
    char *err = sim_captured_stderr();
    assert_int_equal(r, NVML_SUCCESS);
    assert_int_equal(sim_count_lines(err), 3);
    assert_non_null(strstr(err, ":2: devices[0].colour: warning: unknown key"));
    assert_non_null(strstr(err, ":3: owner: warning: unknown key"));
    assert_non_null(strstr(err, "latency_us.nvmlDeviceGetBogus: warning:"));
    free(err);
}

static void test_reread_on_change(void **state)
{
    (void)state;
    static const char v1[] = "{'devices': [{'uuid': 'GPU-A', 'name': 'first', 'temperature': 1},"
                             " {'uuid': 'GPU-B', 'name': 'b'}]}";
    static const char v2[] = "{'devices': [{'uuid': 'GPU-C', 'name': 'new'},"
                             " {'uuid': 'GPU-A', 'name': 'second', 'temperature': 2}]}";
    nvmlDevice_t a = sim_start(v1, 0), b = NULL;
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(1, &b), NVML_SUCCESS);
    char buf[96];
    unsigned int v = 0;
    sim_replace_scenario(v2);
    /* Same handle, new values; the device moved to index 1. */
    assert_int_equal(NV(nvmlDeviceGetName)(a, buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, "second");
    assert_int_equal(NV(nvmlDeviceGetIndex)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 1);
    /* GPU-B fell off the bus. */
    assert_int_equal(NV(nvmlDeviceGetName)(b, buf, sizeof buf), NVML_ERROR_GPU_IS_LOST);
    assert_int_equal(NV(nvmlDeviceGetCount_v2)(&v), NVML_SUCCESS);
    assert_int_equal(v, 2);
    sim_replace_scenario(v1);
    assert_int_equal(NV(nvmlDeviceGetName)(b, buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, "b");
}

static void test_bad_reread_keeps_state(void **state)
{
    (void)state;
    nvmlDevice_t dev = sim_start("{'devices': [{'name': 'good'}]}", 0);
    char buf[96];
    sim_capture_stderr();
    sim_replace_scenario("{'devices': [{'name': 'bad', 'temperature': 'hot'}]}");
    nvmlReturn_t r1 = NV(nvmlDeviceGetName)(dev, buf, sizeof buf);
    sim_sleep_ms(150);
    nvmlReturn_t r2 = NV(nvmlDeviceGetName)(dev, buf, sizeof buf);
    char *err = sim_captured_stderr();
    assert_int_equal(r1, NVML_SUCCESS);
    assert_int_equal(r2, NVML_SUCCESS);
    assert_string_equal(buf, "good");
    assert_int_equal(sim_count_lines(err), 1);
    assert_non_null(strstr(err, "devices[0].temperature: expected a number"));
    assert_non_null(strstr(err, "keeping the previous scenario"));
    free(err);
    sim_replace_scenario("{'devices': [{'name': 'fixed'}]}");
    assert_int_equal(NV(nvmlDeviceGetName)(dev, buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, "fixed");
}

static void test_calls_file(void **state)
{
    (void)state;
    char path[] = "/tmp/nvml-sim-calls-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    setenv("NVML_SIM_CALLS", path, 1);
    /* Counts are per process and cumulative: take what earlier tests did as the base. */
    sim_start("{'devices': [{'name': 'a'}]}", 0);
    assert_int_equal(NV(nvmlShutdown)(), NVML_SUCCESS);
    unsigned long name0 = sim_calls_of(path, "nvmlDeviceGetName"),
                  init0 = sim_calls_of(path, "nvmlInit"),
                  shut0 = sim_calls_of(path, "nvmlShutdown"),
                  uuid0 = sim_calls_of(path, "nvmlDeviceGetUUID");
    assert_true(sim_calls_of(path, "nvmlInit_v2") > 0);
    assert_int_equal(truncate(path, 0), 0);

    nvmlDevice_t dev = sim_start("{'devices': [{'name': 'a'}]}", 0);
    char buf[96];
    for (int i = 0; i < 3; i++)
        NV(nvmlDeviceGetName)(dev, buf, sizeof buf);
    NV(nvmlDeviceGetMemoryInfo)(dev, NULL);
    assert_int_equal(NV(nvmlInit)(), NVML_SUCCESS);
    assert_int_equal(NV(nvmlShutdown)(), NVML_SUCCESS);
    char *before = test_read_file(path, NULL);
    assert_string_equal(before, ""); /* written when the last reference goes */
    free(before);
    assert_int_equal(NV(nvmlShutdown)(), NVML_SUCCESS);
    char *calls = test_read_file(path, NULL);
    assert_int_equal(calls[0], '{');
    free(calls);
    assert_int_equal(sim_calls_of(path, "nvmlDeviceGetName"), name0 + 3);
    assert_true(sim_calls_of(path, "nvmlDeviceGetMemoryInfo") >= 1);
    assert_int_equal(sim_calls_of(path, "nvmlInit"), init0 + 1);
    assert_int_equal(sim_calls_of(path, "nvmlShutdown"), shut0 + 2);
    assert_int_equal(sim_calls_of(path, "nvmlDeviceGetUUID"), uuid0);
    unlink(path);
}

/* Every scenario under sim/scenarios parses without a message and answers basic calls. */
static void test_shipped_scenarios_load(void **state)
{
    (void)state;
    const char *dir = getenv("NVITOP_SCENARIOS");
    assert_non_null(dir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int loaded = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        setenv("NVML_SIM_SCENARIO", path, 1);
        sim_capture_stderr();
        nvmlReturn_t r = NV(nvmlInit_v2)();
        char *err = sim_captured_stderr();
        if (*err || r == NVML_ERROR_UNKNOWN)
            fail_msg("%s: init returned %d with:\n%s", e->d_name, r, err);
        free(err);
        loaded++;
        if (r != NVML_SUCCESS) continue; /* a scenario about init_error */
        unsigned int n = 0;
        assert_int_equal(NV(nvmlDeviceGetCount_v2)(&n), NVML_SUCCESS);
        for (unsigned int i = 0; i < n; i++) {
            nvmlDevice_t dev = NULL;
            char name[96];
            nvmlReturn_t hr = NV(nvmlDeviceGetHandleByIndex_v2)(i, &dev);
            assert_true(hr == NVML_SUCCESS || hr == NVML_ERROR_GPU_IS_LOST);
            if (hr == NVML_SUCCESS) NV(nvmlDeviceGetName)(dev, name, sizeof name);
        }
        assert_int_equal(NV(nvmlShutdown)(), NVML_SUCCESS);
    }
    closedir(d);
    assert_true(loaded >= 10);
}

/* Cuts and corrupts a real scenario in many places: every result is either a working init or
 * a failed one with exactly one line on stderr, never a crash (run it under ASan). */
static void test_mutated_scenarios_never_crash(void **state)
{
    (void)state;
    char path[4096];
    size_t len;
    char *orig = test_read_file(
        test_path(path, sizeof path, "NVITOP_SCENARIOS", "a100-mig-node.json"), &len);
    static const char *const junk[] = {
        "\"x\"",         "-1", "null", "[]", "{}", "1e400", "\"\\u0000\"", "18446744073709551616",
        "{\"seq\": []}", ","};
    int failures = 0;
    for (size_t i = 0; i < 160; i++) {
        size_t at = (i * 7919) % len;
        char *text = malloc(len + 64);
        assert_non_null(text);
        if (i % 3 == 0) { /* truncated */
            memcpy(text, orig, at);
            text[at] = '\0';
        } else { /* a token's first byte replaced by junk */
            const char *j = junk[i % (sizeof junk / sizeof junk[0])];
            memcpy(text, orig, at);
            snprintf(text + at, len + 64 - at, "%s%s", j, orig + at + 1);
        }
        FILE *f = fopen(sim_use_scenario("{}"), "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
        free(text);
        sim_capture_stderr();
        nvmlReturn_t r = NV(nvmlInit_v2)();
        char *err = sim_captured_stderr();
        if (r == NVML_SUCCESS) {
            assert_int_equal(NV(nvmlShutdown)(), NVML_SUCCESS);
        } else {
            failures++;
            assert_int_equal(r, NVML_ERROR_UNKNOWN);
            if (sim_count_lines(err) != 1 || strncmp(err, "nvml-sim: ", 10) != 0)
                fail_msg("mutation %zu: %s", i, err);
        }
        free(err);
    }
    free(orig);
    assert_true(failures > 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_bad_scenarios_fail_with_one_line, sim_teardown),
        cmocka_unit_test_teardown(test_unreadable_file, sim_teardown),
        cmocka_unit_test_teardown(test_unknown_keys_warn, sim_teardown),
        cmocka_unit_test_teardown(test_reread_on_change, sim_teardown),
        cmocka_unit_test_teardown(test_bad_reread_keeps_state, sim_teardown),
        cmocka_unit_test_teardown(test_calls_file, sim_teardown),
        cmocka_unit_test_teardown(test_shipped_scenarios_load, sim_teardown),
        cmocka_unit_test_teardown(test_mutated_scenarios_never_crash, sim_teardown),
    };
    sim_load_lib();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
