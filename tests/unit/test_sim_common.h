/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the simulator's unit tests: loads $NVITOP_SIM_LIB with dlopen (the tests never
 * link it), calls its functions through their real prototypes, writes scenarios to temporary
 * files and captures what the simulator prints on stderr. */
#ifndef TEST_SIM_COMMON_H
#define TEST_SIM_COMMON_H

#include "testutil.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The prototypes only (for __typeof__); nothing of the simulator is linked. */
#include "../../sim/sim_api.h"

static void *sim_lib;

static inline void sim_load_lib(void)
{
    if (sim_lib) return;
    char path[4096];
    const char *dir = getenv("NVITOP_SIM_LIB");
    if (!dir) fail_msg("NVITOP_SIM_LIB is not set (run the tests through ctest)");
    snprintf(path, sizeof path, "%s", dir);
    sim_lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!sim_lib) fail_msg("dlopen %s: %s", path, dlerror());
}

typedef void (*sim_fnptr)(void);

static inline sim_fnptr sim_sym(const char *name)
{
    sim_load_lib();
    void *p = dlsym(sim_lib, name);
    if (!p) fail_msg("the simulator does not export %s", name);
    sim_fnptr f;
    memcpy(&f, &p, sizeof f);
    return f;
}

/* NV(nvmlDeviceGetName)(dev, buf, len): the simulator's function with its NVML prototype. */
#define NV(fn) ((__typeof__(&fn))sim_sym(#fn))

static char *sim_scenario_path;

/* Scenarios in the tests are written with ' for " (easier to read in C); this turns them back
 * into JSON. The result is malloc'd. */
static inline char *sim_json(const char *text)
{
    char *json = strdup(text);
    assert_non_null(json);
    for (char *c = json; *c; c++)
        if (*c == '\'') *c = '"';
    return json;
}

/* Writes the scenario to a fresh temporary file and points NVML_SIM_SCENARIO at it. */
static inline const char *sim_use_scenario(const char *text)
{
    if (sim_scenario_path) {
        unlink(sim_scenario_path);
        free(sim_scenario_path);
    }
    char *json = sim_json(text);
    sim_scenario_path = test_write_temp(json);
    free(json);
    setenv("NVML_SIM_SCENARIO", sim_scenario_path, 1);
    return sim_scenario_path;
}

/* Replaces the scenario file atomically (new file + rename), as a test driving a running
 * program would, and waits past the simulator's 100 ms re-read interval. */
static inline void sim_replace_scenario(const char *text)
{
    char tmp[4200], *json = sim_json(text);
    snprintf(tmp, sizeof tmp, "%s.new", sim_scenario_path);
    FILE *f = fopen(tmp, "w");
    assert_non_null(f);
    assert_int_equal(fputs(json, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    free(json);
    assert_int_equal(rename(tmp, sim_scenario_path), 0);
    struct timespec ts = {0, 150 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

/* Shuts NVML down completely (every reference) so the next test starts fresh. */
static inline int sim_teardown(void **state)
{
    (void)state;
    if (sim_lib)
        while (NV(nvmlShutdown)() == NVML_SUCCESS)
            ;
    if (sim_scenario_path) {
        unlink(sim_scenario_path);
        free(sim_scenario_path);
        sim_scenario_path = NULL;
    }
    unsetenv("NVML_SIM_SCENARIO");
    unsetenv("NVML_SIM_CALLS");
    return 0;
}

/* Initializes with json as the scenario and returns the handle of device index. */
static inline nvmlDevice_t sim_start(const char *json, unsigned int index)
{
    sim_use_scenario(json);
    assert_int_equal(NV(nvmlInit_v2)(), NVML_SUCCESS);
    nvmlDevice_t dev = NULL;
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(index, &dev), NVML_SUCCESS);
    assert_non_null(dev);
    return dev;
}

static int sim_saved_stderr = -1;
static char sim_stderr_path[64];

/* Everything written to fd 2 between these two calls is returned (malloc'd) by the second. */
static inline void sim_capture_stderr(void)
{
    fflush(stderr);
    snprintf(sim_stderr_path, sizeof sim_stderr_path, "/tmp/nvml-sim-stderr-XXXXXX");
    int fd = mkstemp(sim_stderr_path);
    assert_true(fd >= 0);
    sim_saved_stderr = dup(2);
    assert_true(sim_saved_stderr >= 0);
    assert_true(dup2(fd, 2) == 2);
    close(fd);
}

static inline char *sim_captured_stderr(void)
{
    fflush(stderr);
    assert_true(dup2(sim_saved_stderr, 2) == 2);
    close(sim_saved_stderr);
    sim_saved_stderr = -1;
    char *text = test_read_file(sim_stderr_path, NULL);
    unlink(sim_stderr_path);
    return text;
}

/* The count of name in an NVML_SIM_CALLS file (0 when absent). */
static inline unsigned long sim_calls_of(const char *path, const char *name)
{
    char *calls = test_read_file(path, NULL), key[128];
    snprintf(key, sizeof key, "\"%s\": ", name);
    const char *at = strstr(calls, key);
    unsigned long n = at ? strtoul(at + strlen(key), NULL, 10) : 0;
    free(calls);
    return n;
}

static inline int sim_count_lines(const char *text)
{
    int n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

static inline double sim_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void sim_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

#endif
