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
