/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the unit tests: fixture paths and scenario environment. */
#ifndef NVITOP_TESTUTIL_H
#define NVITOP_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* Writes "$<env>/<rel>" into buf (e.g. env "NVITOP_FIXTURES") and returns buf. Fails the test
 * when the variable is unset. */
const char *test_path(char *buf, size_t len, const char *env, const char *rel);

/* Reads a whole file into a malloc'd NUL-terminated buffer; fails the test on error. */
char *test_read_file(const char *path, size_t *len);

/* Writes text to a fresh temporary file and returns its malloc'd path. */
char *test_write_temp(const char *text);

#endif

#ifndef NVITOP_TESTUTIL_SIM
#define NVITOP_TESTUTIL_SIM
#include <nvitop.h>

/* A context on the NVML simulator ($NVITOP_SIM_LIB) answering from `scenario_json` (written to
 * a temp file named in NVML_SIM_SCENARIO) with NVML_SIM_CALLS set to a temp file. proc_root
 * may be NULL. nvitop_init() has succeeded when this returns. */
nvitop_ctx_t *test_sim_ctx(const char *scenario_json, const char *proc_root);
/* Like test_sim_ctx() but returns nvitop_init()'s code and leaves *ctx initialised or not. */
int test_sim_init(const char *scenario_json, const char *proc_root, nvitop_ctx_t **ctx);
/* Shuts the context down (so the simulator writes its call counts) and returns how often
 * `function` ("nvmlDeviceGetName") was called, summed over every versioned name starting with
 * it when `prefix` is true. Frees the context. */
long test_sim_finish(nvitop_ctx_t *ctx, const char *function, bool prefix);
/* Removes the temp files of the last test_sim_* call. */
void test_sim_cleanup(void);
#endif
