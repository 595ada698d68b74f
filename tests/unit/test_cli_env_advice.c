/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop's and nvisel's environment variables are advice: an unusable value is ignored as
 * Python nvitop ignores it (the default stands, usable parts are kept), the parse goes on, and
 * stderr gets one line naming the variable and its value. Options are still checked. */
#include "testutil.h"

#include "cli/nvisel_cli.h"
#include "cli/nvitop_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const vars[] = {"NVITOP_MONITOR_MODE", "NVITOP_GPU_UTILIZATION_THRESHOLDS",
                                   "NVITOP_MEMORY_UTILIZATION_THRESHOLDS", "LOGLEVEL",
                                   "NVITOP_CUDA_TIMEOUT"};

static int clear_env(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        unsetenv(vars[i]);
    return 0;
}

/* Runs parse(argv) with stderr going to a file; returns what it printed there (free()). */
typedef int (*parse_fn)(int argc, char **argv, void *cli);

static int nvitop_parse(int argc, char **argv, void *cli)
{
    return nvitop_cli_parse(argc, argv, cli);
}

static int nvisel_parse(int argc, char **argv, void *cli)
{
    return nvisel_cli_parse(argc, argv, cli);
}

static char *parse_capturing(parse_fn parse, int argc, char **argv, void *cli, int *rc)
{
    char path[] = "/tmp/nvitop-test-stderr-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    *rc = parse(argc, argv, cli);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(fd);
    char *text = test_read_file(path, NULL);
    unlink(path);
    return text;
}

static char *nvitop_with(const char *var, const char *value, nvitop_cli_t *cli, int *rc)
{
    char prog[] = "nvitop", once[] = "-1";
    char *argv[] = {prog, once, NULL};
    if (var) setenv(var, value, 1);
    char *err = parse_capturing(nvitop_parse, 2, argv, cli, rc);
    if (var) unsetenv(var);
    return err;
}

/* One warning line naming the variable and its value (escaped) and saying `why`. */
static void expect_warning(const char *err, const char *var, const char *value, const char *why)
{
    char head[512];
    snprintf(head, sizeof(head), "warning: environment variable %s='%s': ", var, value);
    if (!strstr(err, head) || !strstr(err, why))
        fail_msg("stderr '%s' lacks '%s...%s'", err, head, why);
    assert_non_null(strchr(err, '\n'));
    assert_string_equal(strchr(err, '\n'), "\n"); /* one line */
}

static void monitor_mode(void **state)
{
    (void)state;
    nvitop_cli_t cli;
    int rc;
    char *err = nvitop_with("NVITOP_MONITOR_MODE", "fulll,Readonly, light", &cli, &rc);
    assert_int_equal(rc, -1); /* goes on */
    expect_warning(err, "NVITOP_MONITOR_MODE", "fulll,Readonly, light", "word 'fulll' ignored");
    assert_string_equal(cli.mode, "auto");
    assert_true(cli.readonly); /* the known words still count */
    assert_true(cli.light);
    nvitop_cli_fini(&cli);
    free(err);

    err = nvitop_with("NVITOP_MONITOR_MODE", "full,compact,colorful", &cli, &rc);
    assert_int_equal(rc, -1);
    expect_warning(err, "NVITOP_MONITOR_MODE", "full,compact,colorful",
                   "several of auto, full and compact: using auto");
    assert_string_equal(cli.mode, "auto");
    assert_true(cli.colorful);
    nvitop_cli_fini(&cli);
    free(err);

    err = nvitop_with("NVITOP_MONITOR_MODE", "\033[2Kx", &cli, &rc); /* quoted escaped too */
    expect_warning(err, "NVITOP_MONITOR_MODE", "^[[2Kx", "unknown word '^[[2Kx' ignored");
    nvitop_cli_fini(&cli);
    free(err);

    err = nvitop_with("NVITOP_MONITOR_MODE", " COMPACT ,plain,colorful", &cli, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(err, ""); /* all of it used: nothing said */
    assert_string_equal(cli.mode, "compact");
    assert_false(cli.colorful); /* plain wins */
    nvitop_cli_fini(&cli);
    free(err);
}

static void thresholds(void **state)
{
    (void)state;
    static const char *const bad[] = {"10", "5,abc", "0,50", "50,100", "x", ",", "1,2,z"};
    nvitop_cli_t cli;
    int rc;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *err = nvitop_with("NVITOP_GPU_UTILIZATION_THRESHOLDS", bad[i], &cli, &rc);
        assert_int_equal(rc, -1);
        expect_warning(err, "NVITOP_GPU_UTILIZATION_THRESHOLDS", bad[i], "using 10,75");
        assert_int_equal(cli.gpu_thresholds[0], 10);
        assert_int_equal(cli.gpu_thresholds[1], 75);
        nvitop_cli_fini(&cli);
        free(err);
    }
    char *err = nvitop_with("NVITOP_MEMORY_UTILIZATION_THRESHOLDS", "90,5", &cli, &rc);
    assert_string_equal(err, "");
    assert_int_equal(cli.mem_thresholds[0], 5); /* sorted */
    assert_int_equal(cli.mem_thresholds[1], 90);
    nvitop_cli_fini(&cli);
    free(err);
    err = nvitop_with("NVITOP_MEMORY_UTILIZATION_THRESHOLDS", "0", &cli, &rc);
    expect_warning(err, "NVITOP_MEMORY_UTILIZATION_THRESHOLDS", "0", "using 10,80");
    assert_int_equal(cli.mem_thresholds[0], 10);
    assert_int_equal(cli.mem_thresholds[1], 80);
    nvitop_cli_fini(&cli);
    free(err);
}

static void log_level(void **state)
{
    (void)state;
    nvitop_cli_t cli;
    int rc;
    char *err = nvitop_with("LOGLEVEL", "chatty", &cli, &rc);
    assert_int_equal(rc, -1);
    expect_warning(err, "LOGLEVEL", "chatty", "using WARNING");
    assert_int_equal(cli.log_level, LOG_WARNING);
    nvitop_cli_fini(&cli);
    free(err);
    /* the value is shown escaped: it cannot act on the terminal either */
    err = nvitop_with("LOGLEVEL", "\033]0;x\a", &cli, &rc);
    expect_warning(err, "LOGLEVEL", "^[]0;x^G", "using WARNING");
    nvitop_cli_fini(&cli);
    free(err);
    err = nvitop_with("LOGLEVEL", "debug", &cli, &rc);
    assert_string_equal(err, "");
    assert_int_equal(cli.log_level, LOG_DEBUG);
    nvitop_cli_fini(&cli);
    free(err);
}

static void options_still_errors(void **state)
{
    (void)state;
    nvitop_cli_t cli;
    int rc;
    char prog[] = "nvitop", option[] = "--gpu-util-thresh", low[] = "0", high[] = "50";
    char *argv[] = {prog, option, low, high, NULL};
    setenv("LOGLEVEL", "chatty", 1);
    char *err = parse_capturing(nvitop_parse, 4, argv, &cli, &rc);
    unsetenv("LOGLEVEL");
    assert_int_equal(rc, 2);
    assert_non_null(strstr(err, "argument --gpu-util-thresh: invalid choice: 0"));
    nvitop_cli_fini(&cli);
    free(err);
}

static void nvisel_env(void **state)
{
    (void)state;
    nvisel_cli_t cli;
    int rc;
    char prog[] = "nvisel";
    char *argv[] = {prog, NULL};
    setenv("LOGLEVEL", "loud", 1);
    setenv("NVITOP_CUDA_TIMEOUT", "0", 1);
    char *err = parse_capturing(nvisel_parse, 1, argv, &cli, &rc);
    assert_int_equal(rc, -1);
    assert_false(cli.debug);
    assert_non_null(strstr(err, "nvisel: warning: environment variable LOGLEVEL='loud': "));
    assert_non_null(strstr(err, "nvisel: warning: environment variable NVITOP_CUDA_TIMEOUT='0': "
                                "ignored (expected a number of seconds > 0, at most 86400); "
                                "using 60\n"));
    nvisel_cli_fini(&cli);
    free(err);
    setenv("LOGLEVEL", "DEBUG", 1);
    setenv("NVITOP_CUDA_TIMEOUT", "2.5", 1);
    err = parse_capturing(nvisel_parse, 1, argv, &cli, &rc);
    assert_string_equal(err, "");
    assert_true(cli.debug);
    nvisel_cli_fini(&cli);
    free(err);
    clear_env(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(monitor_mode, clear_env),
        cmocka_unit_test_setup(thresholds, clear_env),
        cmocka_unit_test_setup(log_level, clear_env),
        cmocka_unit_test_setup(options_still_errors, clear_env),
        cmocka_unit_test_setup(nvisel_env, clear_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
