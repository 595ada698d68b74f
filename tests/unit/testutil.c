/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the unit tests. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *test_path(char *buf, size_t len, const char *env, const char *rel)
{
    const char *base = getenv(env);
    if (!base) fail_msg("environment variable %s is not set (run the tests through ctest)", env);
    int n = snprintf(buf, len, "%s/%s", base, rel);
    assert_true(n > 0 && (size_t)n < len);
    return buf;
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    size_t cap = 4096, n = 0;
    char *data = malloc(cap);
    assert_non_null(data);
    size_t got;
    while ((got = fread(data + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            data = realloc(data, cap);
            assert_non_null(data);
        }
    }
    fclose(f);
    data[n] = '\0';
    if (len) *len = n;
    return data;
}

char *test_write_temp(const char *text)
{
    char tmpl[] = "/tmp/nvitop-test-XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return strdup(tmpl);
}

#include <jansson.h>

static char *sim_scenario_path;
static char *sim_calls_path;
static nvitop_ctx_t *sim_ctx; /* the live context, freed here if a failed test left it */

void test_sim_cleanup(void)
{
    nvitop_ctx_free(sim_ctx);
    sim_ctx = NULL;
    if (sim_scenario_path) unlink(sim_scenario_path);
    if (sim_calls_path) unlink(sim_calls_path);
    free(sim_scenario_path);
    free(sim_calls_path);
    sim_scenario_path = sim_calls_path = NULL;
}

int test_sim_init(const char *scenario_json, const char *proc_root, nvitop_ctx_t **ctx)
{
    test_sim_cleanup();
    sim_scenario_path = test_write_temp(scenario_json);
    sim_calls_path = test_write_temp("{}");
    setenv("NVML_SIM_SCENARIO", sim_scenario_path, 1);
    setenv("NVML_SIM_CALLS", sim_calls_path, 1);
    const char *lib = getenv("NVITOP_SIM_LIB");
    if (!lib) fail_msg("NVITOP_SIM_LIB is not set (run the tests through ctest)");
    nvitop_options_t opts = {.nvml_library = lib, .proc_root = proc_root};
    int error = 0;
    *ctx = sim_ctx = nvitop_ctx_new(&opts, &error);
    if (!*ctx) fail_msg("nvitop_ctx_new: %s", nvitop_strerror(error));
    return nvitop_init(*ctx);
}

nvitop_ctx_t *test_sim_ctx(const char *scenario_json, const char *proc_root)
{
    nvitop_ctx_t *ctx = NULL;
    int rc = test_sim_init(scenario_json, proc_root, &ctx);
    if (rc != 0) fail_msg("nvitop_init: %s: %s", nvitop_strerror(rc), nvitop_ctx_message(ctx));
    return ctx;
}

long test_sim_finish(nvitop_ctx_t *ctx, const char *function, bool prefix)
{
    nvitop_ctx_free(ctx);
    if (ctx == sim_ctx) sim_ctx = NULL;
    json_error_t err;
    json_t *root = json_load_file(sim_calls_path, 0, &err);
    if (!root) fail_msg("cannot read NVML_SIM_CALLS file %s: %s", sim_calls_path, err.text);
    long total = 0;
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        bool match =
            prefix ? strncmp(key, function, strlen(function)) == 0 : strcmp(key, function) == 0;
        if (match) total += (long)json_integer_value(value);
    }
    json_decref(root);
    return total;
}
