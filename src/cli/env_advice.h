/* SPDX-License-Identifier: Apache-2.0 */
/* Environment variables are advice, not orders (a shared shell rc file must not break the
 * tools): a value that cannot be used is ignored as Python nvitop ignores it, the default
 * stands, and one line on stderr names the variable and its value. Bad command-line options
 * stay usage errors (argparse.h). */
#ifndef NVITOP_CLI_ENV_ADVICE_H
#define NVITOP_CLI_ENV_ADVICE_H

#include <stdbool.h>

#include "util/util.h"

/* Reads `value` into *out. Writes only what it uses; returns 0 when it used all of the value,
 * or -1 after writing into *why what it ignored and what stands instead. */
typedef int (*env_reader_t)(const char *value, void *out, strbuf_t *why);

/* Hands $name to `read` when it is set and not empty. When read ignored anything, prints
 * "<prog>: warning: environment variable NAME='VALUE': <why>" on stderr (the value escaped as
 * printable.h does). Returns true when the value was read whole. */
bool env_advice(const char *prog, const char *name, env_reader_t read, void *out);

/* Python's logging level names (LOGLEVEL); *out is an int: */
enum { LOG_DEBUG = 10, LOG_INFO = 20, LOG_WARNING = 30, LOG_ERROR = 40, LOG_CRITICAL = 50 };
int env_log_level(const char *value, void *out, strbuf_t *why);

#endif
