/* SPDX-License-Identifier: Apache-2.0 */
/* nvisel's options: nvisel 1.7's set, help texts and argparse messages; --max-count below
 * --min-count is one clear error (nvisel 1.7 dies with a traceback there). */
#include "cli/nvisel_cli.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <nvitop/format.h>
#include <nvitop/host.h>

#include "util/argparse.h"
#include "cli/env_advice.h"
#include "cli/program.h"
#include "core/cuda_internal.h"

enum {
    OPT_HELP = 0,
    OPT_VERSION = -1,
    OPT_INHERIT = 1,
    OPT_ACCOUNT_AS_FREE,
    OPT_MIN_COUNT,
    OPT_MAX_COUNT,
    OPT_COUNT,
    OPT_MIN_FREE,
    OPT_MIN_TOTAL,
    OPT_MAX_GPU,
    OPT_MAX_MEM,
    OPT_TOLERANCE,
    OPT_FORMAT,
    OPT_SEP,
    OPT_NEWLINE,
    OPT_NULL,
    OPT_NO_SORT,
};

static const char *const formats[] = {"index", "uuid", NULL};

static const arg_option_t options[] = {
    {OPT_HELP, "--help|-h", ARG_FLAG, NULL, NULL, NULL, "Show this help message and exit."},
    {OPT_VERSION, "--version|-V", ARG_FLAG, NULL, NULL, NULL,
     "Show nvisel's version number and exit."},
    {OPT_INHERIT, "--inherit|-i", ARG_OPTIONAL, "CUDA_VISIBLE_DEVICES", NULL, "constraints",
     "Inherit the given `CUDA_VISIBLE_DEVICES`. If the argument is omitted, use the\n"
     "value from the environment. This means selecting a subset of the currently\n"
     "CUDA-visible devices."},
    {OPT_ACCOUNT_AS_FREE, "--account-as-free", ARG_STAR, "USERNAME", NULL, "constraints",
     "Account the used GPU memory of the given users as free memory.\n"
     "If this option is specified but without argument, `$USER` will be used."},
    {OPT_MIN_COUNT, "--min-count|-c", ARG_ONE, "N", NULL, "constraints",
     "Minimum number of devices to select. (default: 0)\n"
     "The tool will fail (exit non-zero) if the requested resource is not available."},
    {OPT_MAX_COUNT, "--max-count|-C", ARG_ONE, "N", NULL, "constraints",
     "Maximum number of devices to select. (default: all devices)"},
    {OPT_COUNT, "--count|-n", ARG_ONE, "N", NULL, "constraints",
     "Overriding both `--min-count N` and `--max-count N`."},
    {OPT_MIN_FREE, "--min-free-memory|-f", ARG_ONE, "SIZE", NULL, "constraints",
     "Minimum free memory of devices to select. (example value: 4GiB)\n"
     "If this constraint is given, check against all devices."},
    {OPT_MIN_TOTAL, "--min-total-memory|-t", ARG_ONE, "SIZE", NULL, "constraints",
     "Minimum total memory of devices to select. (example value: 10GiB)\n"
     "If this constraint is given, check against all devices."},
    {OPT_MAX_GPU, "--max-gpu-utilization|-G", ARG_ONE, "RATE", NULL, "constraints",
     "Maximum GPU utilization rate of devices to select. (example value: 30)\n"
     "If this constraint is given, check against all devices."},
    {OPT_MAX_MEM, "--max-memory-utilization|-M", ARG_ONE, "RATE", NULL, "constraints",
     "Maximum memory bandwidth utilization rate of devices to select. (example value: 50)\n"
     "If this constraint is given, check against all devices."},
    {OPT_TOLERANCE, "--tolerance|--tol", ARG_ONE, "TOL", NULL, "constraints",
     "The constraints tolerance (in percentage). (default: 10)\n"
     "This option can loose the constraints if the requested resource is not available.\n"
     "For example, set `--tolerance=20` will accept a device with only 4GiB of free\n"
     "memory when set `--min-free-memory=5GiB`."},
    {OPT_FORMAT, "--format|-O", ARG_ONE, "FORMAT", formats, "formatting",
     "The output format of the selected device identifiers. (default: index)\n"
     "If any MIG device found, the output format will be fallback to `uuid`."},
    {OPT_SEP, "--sep|--separator|-s", ARG_ONE, "SEP", NULL, "formatting",
     "Separator for the output. (default: ',')"},
    {OPT_NEWLINE, "--newline", ARG_FLAG, NULL, NULL, "formatting",
     "Use newline character as separator for the output, equivalent to `--sep=$'\\n'`."},
    {OPT_NULL, "--null|-0", ARG_FLAG, NULL, NULL, "formatting",
     "Use null character ('\\x00') as separator for the output. This option corresponds\n"
     "to the `-0` option of `xargs`."},
    {OPT_NO_SORT, "--no-sort|-S", ARG_FLAG, NULL, NULL, "formatting",
     "Do not sort the device by memory usage and GPU utilization."},
};

/* Listed in option order so that the usage line shows [--sep SEP | --newline | --null]. */
static const int exclusive[][2] = {
    {OPT_SEP, OPT_NEWLINE}, {OPT_NEWLINE, OPT_NULL}, {OPT_SEP, OPT_NULL}};

/* What the shells complete (--print-completion). */
static const arg_value_kind_t value_kinds[] = {{OPT_ACCOUNT_AS_FREE, ARG_COMPLETE_USER}};

static const arg_parser_t parser = {
    .prog = "nvisel",
    .description = "CUDA visible devices selection tool.",
    .epilog = "Exit status: 0 ok, 1 no NVML library, 2 bad option or NVML error, 3 CUDA error,\n"
              "4 fewer devices than --min-count.\n"
              "Environment: CUDA_VISIBLE_DEVICES and CUDA_DEVICE_ORDER (--inherit), "
              "NVITOP_NVML_LIBRARY,\nNVITOP_CUDA_LIBRARY, NVITOP_CUDA_TIMEOUT, LOGLEVEL.",
    .options = options,
    .count = sizeof(options) / sizeof(options[0]),
    .exclusive = exclusive,
    .exclusive_count = sizeof(exclusive) / sizeof(exclusive[0]),
    .version = "nvisel " NVITOP_VERSION_STRING,
    .value_kinds = value_kinds,
    .value_kind_count = sizeof(value_kinds) / sizeof(value_kinds[0]),
};

/* Python's int(): surrounding whitespace, a sign, digits with single underscores between
 * them. A number too large for a long saturates (Python's ints have no limit). */
static bool python_int(const char *text, long *value)
{
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    bool negative = *p == '-';
    if (*p == '+' || *p == '-') p++;
    if (!isdigit((unsigned char)*p)) return false;
    unsigned long long v = 0;
    bool big = false;
    for (; isdigit((unsigned char)*p) || (*p == '_' && isdigit((unsigned char)p[1])); p++) {
        if (*p == '_') continue;
        unsigned digit = (unsigned)(*p - '0');
        if (v > (ULLONG_MAX - digit) / 10) big = true;
        if (!big) v = v * 10 + digit;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p) return false;
    if (big || v > LONG_MAX) v = LONG_MAX;
    *value = negative ? -(long)v : (long)v;
    return true;
}

static int non_negative(const char *text, long *value, strbuf_t *why)
{
    if (!python_int(text, value) || *value < 0) {
        strbuf_printf(why, "invalid non-negative integer value: '%s'", text);
        return -1;
    }
    return 0;
}

static int size_value(const char *text, int64_t *bytes, strbuf_t *why)
{
    if (nvitop_human_to_bytes(text, bytes) < 0) {
        strbuf_printf(why, "invalid human2bytes value: '%s'", text);
        return -1;
    }
    return 0;
}

typedef struct parse_state {
    nvisel_cli_t *cli;
    bool has_count;
    long count;
    bool newline;
} parse_state_t;

static int on_option(void *user, int id, char *const *values, size_t count, strbuf_t *why)
{
    parse_state_t *st = user;
    nvisel_cli_t *cli = st->cli;
    switch (id) {
    case OPT_INHERIT:
        cli->inherit = true;
        cli->inherit_value = count ? values[0] : NULL;
        return 0;
    case OPT_ACCOUNT_AS_FREE: {
        /* values is the parser's scratch array; the strings are argv's and outlive the run */
        char **users = calloc(count ? count : 1, sizeof(char *));
        if (!users) return -1;
        memcpy(users, values, count * sizeof(char *));
        if (cli->free_accounts != cli->current_user_list) free(cli->free_accounts);
        cli->free_accounts_set = true;
        cli->free_accounts = users;
        cli->free_account_count = count;
        return 0;
    }
    case OPT_MIN_COUNT:
        return non_negative(values[0], &cli->min_count, why);
    case OPT_MAX_COUNT:
        return non_negative(values[0], &cli->max_count, why);
    case OPT_COUNT:
        st->has_count = true;
        return non_negative(values[0], &st->count, why);
    case OPT_MIN_FREE:
        return size_value(values[0], &cli->min_free_memory_bytes, why);
    case OPT_MIN_TOTAL:
        return size_value(values[0], &cli->min_total_memory_bytes, why);
    case OPT_MAX_GPU:
        return non_negative(values[0], &cli->max_gpu_utilization, why);
    case OPT_MAX_MEM:
        return non_negative(values[0], &cli->max_memory_utilization, why);
    case OPT_TOLERANCE:
        return non_negative(values[0], &cli->tolerance, why);
    case OPT_FORMAT:
        cli->uuid = strcmp(values[0], "uuid") == 0;
        return 0;
    case OPT_SEP:
        cli->sep = values[0];
        return 0;
    case OPT_NEWLINE:
        st->newline = true;
        return 0;
    case OPT_NULL:
        cli->null = true;
        return 0;
    case OPT_NO_SORT:
        cli->no_sort = true;
        return 0;
    default:
        return 0;
    }
}

/* NVITOP_CUDA_TIMEOUT: seconds the CUDA driver may take to answer (--inherit). The library
 * reads it with the same rule, so what is ignored here is ignored there. */
static int read_cuda_timeout(const char *value, void *out, strbuf_t *why)
{
    if (cuda_timeout_parse(value, out)) return 0;
    strbuf_printf(why, "ignored (expected a number of seconds > 0, at most %g); using %g",
                  CUDA_MAX_TIMEOUT_S, CUDA_DEFAULT_TIMEOUT_S);
    return -1;
}

/* LOGLEVEL (DEBUG prints what nvisel does on stderr) and NVITOP_CUDA_TIMEOUT, which are advice
 * (env_advice.h). */
static void read_environment(nvisel_cli_t *cli)
{
    cli->debug = program_log_level(parser.prog) <= LOG_DEBUG;
    double timeout;
    env_advice(parser.prog, "NVITOP_CUDA_TIMEOUT", read_cuda_timeout, &timeout);
}

int nvisel_cli_parse(int argc, char **argv, nvisel_cli_t *cli)
{
    memset(cli, 0, sizeof(*cli));
    cli->max_count = -1;
    cli->min_free_memory_bytes = cli->min_total_memory_bytes = -1;
    cli->max_gpu_utilization = cli->max_memory_utilization = -1;
    cli->tolerance = 10; /* nvisel 1.7's real default (its help says 0) */
    cli->sep = ",";
    parse_state_t st = {.cli = cli};
    arg_result_t r = arg_parse(&parser, argc, argv, on_option, &st);
    if (r != ARG_OK) return r == ARG_EXIT_OK ? 0 : 2;
    if (st.has_count) cli->min_count = cli->max_count = st.count;
    if (cli->max_count >= 0 && cli->max_count < cli->min_count) {
        arg_error(&parser,
                  "argument --max-count/-C: must be no less than --min-count/-c (got %ld < %ld)",
                  cli->max_count, cli->min_count);
        return 2;
    }
    if (st.newline) cli->sep = "\n";
    read_environment(cli);
    if (cli->free_accounts_set && cli->free_account_count == 0) {
        nvitop_current_user(cli->current_user, sizeof(cli->current_user));
        free(cli->free_accounts);
        cli->current_user_list[0] = cli->current_user;
        cli->free_accounts = cli->current_user_list;
        cli->free_account_count = 1;
    }
    return -1;
}

void nvisel_cli_fini(nvisel_cli_t *cli)
{
    if (cli->free_accounts != cli->current_user_list) free(cli->free_accounts);
    cli->free_accounts = NULL;
}
