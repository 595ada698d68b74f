/* SPDX-License-Identifier: Apache-2.0 */
/* The programs' shared shell (src/cli/program.c): messages with their prefix painted as
 * nvitop's cprint paints it, at once or held until the end; termcolor's colour rules; DEBUG
 * lines and LOGLEVEL; opening NVML with nvitop's three messages. stdout is not a terminal
 * here (ctest), which the colour rules count on. */
#include "testutil.h"

#include "cli/program.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct capture {
    char path[64];
    int fd, saved;
} capture_t;

static void capture_start(capture_t *c)
{
    strcpy(c->path, "/tmp/nvitop-test-program-XXXXXX");
    c->fd = mkstemp(c->path);
    assert_true(c->fd >= 0);
    fflush(stderr);
    c->saved = dup(STDERR_FILENO);
    dup2(c->fd, STDERR_FILENO);
}

/* What went to stderr since capture_start (free()). */
static char *capture_end(capture_t *c)
{
    fflush(stderr);
    dup2(c->saved, STDERR_FILENO);
    close(c->saved);
    close(c->fd);
    char *text = test_read_file(c->path, NULL);
    unlink(c->path);
    return text;
}

static void clear_env(void)
{
    static const char *const vars[] = {
        "ANSI_COLORS_DISABLED", "NO_COLOR",           "FORCE_COLOR", "TERM", "LOGLEVEL",
        "NVITOP_PROC_ROOT",     "NVITOP_NVML_LIBRARY"};
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        unsetenv(vars[i]);
}

#define RED(text) "\033[1m\033[31m" text "\033[0m"

static void test_messages_at_once(void **state)
{
    (void)state;
    program_t p;
    program_init(&p, "prog");
    p.color = true;
    capture_t c;
    capture_start(&c);
    program_say(&p, "ERROR: one");
    program_say(&p, "NVML ERROR: two");
    program_say(&p, "FATAL ERROR: three");
    program_message(&p, "CUDA ERROR: %d", 4);
    program_say(&p, "WARNING: five");
    program_say(&p, "INFO: six");
    program_say(&p, "HINT: seven");
    program_say(&p, "ERROR:eight"); /* no blank after it: not a prefix */
    program_say(&p, "DEBUG: nine"); /* not one of the message prefixes */
    program_say(&p, "error: ten");  /* case counts */
    char *err = capture_end(&c);
    assert_string_equal(
        err, RED("ERROR:") " one\n" RED("NVML ERROR:") " two\n" RED("FATAL ERROR:") " three\n" RED(
                 "CUDA ERROR:") " 4\n"
                                "\033[1m\033[33mWARNING:\033[0m five\n"
                                "\033[1m\033[33mINFO:\033[0m six\n"
                                "\033[1m\033[32mHINT:\033[0m seven\n"
                                "ERROR:eight\nDEBUG: nine\nerror: ten\n");
    free(err);
    assert_int_equal(p.said, 10);
    p.color = false;
    capture_start(&c);
    program_say(&p, "ERROR: plain");
    err = capture_end(&c);
    assert_string_equal(err, "ERROR: plain\n");
    free(err);
    program_fini(&p);
}

/* nvitop's messages come after its report: held until program_fini(), painted then. */
static void test_messages_deferred(void **state)
{
    (void)state;
    program_t p;
    program_init(&p, "prog");
    p.defer = true;
    capture_t c;
    capture_start(&c);
    program_say(&p, "ERROR: first");
    program_message(&p, "HINT: %s", "second");
    p.color = true; /* decided later than the first message */
    char *before = capture_end(&c);
    assert_string_equal(before, "");
    free(before);
    assert_int_equal(p.said, 2);
    capture_start(&c);
    program_fini(&p);
    char *after = capture_end(&c);
    assert_string_equal(after, RED("ERROR:") " first\n\033[1m\033[32mHINT:\033[0m second\n");
    free(after);
    assert_null(p.deferred.data);
}

static void test_paint(void **state)
{
    (void)state;
    program_t p;
    program_init(&p, "prog");
    strbuf_t sb = {0};
    program_paint(&p, &sb, "plain", 31, PROGRAM_BOLD);
    p.color = true;
    program_paint(&p, &sb, "|url", 34, PROGRAM_BOLD | PROGRAM_UNDERLINE);
    program_paint(&p, &sb, "|green", 32, 0);
    assert_string_equal(sb.data, "plain\033[4m\033[1m\033[34m|url\033[0m\033[32m|green\033[0m");
    strbuf_fini(&sb);
    program_fini(&p);
}

/* stdout is not a terminal in the test. */
static void test_color_rules(void **state)
{
    (void)state;
    clear_env();
    assert_false(program_termcolor(false)); /* not a terminal */
    assert_true(program_termcolor(true));   /* --force-color */
    setenv("FORCE_COLOR", "1", 1);
    assert_true(program_termcolor(false));
    setenv("TERM", "dumb", 1);
    assert_true(program_termcolor(false)); /* FORCE_COLOR comes before TERM */
    setenv("NO_COLOR", "1", 1);
    assert_false(program_termcolor(false));
    assert_true(program_termcolor(true)); /* --force-color drops NO_COLOR */
    setenv("ANSI_COLORS_DISABLED", "1", 1);
    assert_false(program_termcolor(true)); /* but not ANSI_COLORS_DISABLED */
    clear_env();
    setenv("FORCE_COLOR", "1", 1);
    assert_false(program_tty_color()); /* nvisel's rule wants a terminal */
    clear_env();
}

static void test_debug_and_log_level(void **state)
{
    (void)state;
    clear_env();
    program_t p;
    program_init(&p, "prog");
    capture_t c;
    capture_start(&c);
    assert_int_equal(program_log_level("prog"), LOG_WARNING);
    program_debug(&p, "hidden %d", 1);
    p.log_level = LOG_INFO;
    program_debug(&p, "hidden %d", 2);
    setenv("LOGLEVEL", "debug", 1);
    p.log_level = program_log_level("prog");
    program_debug(&p, "shown %d", 2);
    setenv("LOGLEVEL", "loud", 1);
    assert_int_equal(program_log_level("prog"), LOG_WARNING);
    char *err = capture_end(&c);
    assert_string_equal(err, "DEBUG: shown 2\n"
                             "prog: warning: environment variable LOGLEVEL='loud': unknown level "
                             "ignored (choose from DEBUG, INFO, WARNING, ERROR, CRITICAL); using "
                             "WARNING\n");
    free(err);
    assert_int_equal(p.said, 0); /* DEBUG lines are not messages */
    program_fini(&p);
    clear_env();
}

static void test_open_nvml(void **state)
{
    (void)state;
    clear_env();
    program_t p;
    program_init(&p, "prog");
    capture_t c;
    /* no proc file system */
    setenv("NVITOP_PROC_ROOT", "/nonexistent-proc", 1);
    capture_start(&c);
    assert_true(program_open_nvml(&p) < 0);
    char *err = capture_end(&c);
    assert_null(p.ctx);
    assert_non_null(strstr(err, "ERROR: cannot open the proc file system at /nonexistent-proc: "));
    free(err);
    unsetenv("NVITOP_PROC_ROOT");
    /* no library */
    setenv("NVITOP_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1", 1);
    capture_start(&c);
    assert_int_equal(program_open_nvml(&p), NVITOP_ENOLIB);
    err = capture_end(&c);
    assert_non_null(p.ctx);
    assert_true(strncmp(err, "FATAL ERROR: ", 13) == 0);
    free(err);
    program_fini(&p);
    assert_null(p.ctx);
    /* the simulator: no message, the DEBUG line of nvitop_init's time */
    program_init(&p, "prog");
    p.log_level = LOG_DEBUG;
    const char *sim = getenv("NVITOP_SIM_LIB");
    assert_non_null(sim);
    setenv("NVITOP_NVML_LIBRARY", sim, 1);
    char scenario[512];
    setenv("NVML_SIM_SCENARIO",
           test_path(scenario, sizeof(scenario), "NVITOP_SCENARIOS", "h100-under-load.json"), 1);
    capture_start(&c);
    assert_int_equal(program_open_nvml(&p), 0);
    err = capture_end(&c);
    assert_non_null(p.ctx);
    assert_true(strncmp(err, "DEBUG: nvitop_init: ", 20) == 0);
    assert_int_equal(p.said, 0);
    free(err);
    program_fini(&p);
    unsetenv("NVML_SIM_SCENARIO");
    clear_env();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_messages_at_once),
        cmocka_unit_test(test_messages_deferred),
        cmocka_unit_test(test_paint),
        cmocka_unit_test(test_color_rules),
        cmocka_unit_test(test_debug_and_log_level),
        cmocka_unit_test(test_open_nvml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
