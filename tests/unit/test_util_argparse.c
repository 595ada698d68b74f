/* SPDX-License-Identifier: Apache-2.0 */
/* The command-line parser (src/util/argparse*.c) on a table shaped like nvitop's: Python
 * argparse's rules (unique prefixes of long options, "--opt=value", glued short values and
 * clustered flags, value counts, values that never look like options, "--", exclusive
 * options) and its exact usage, help and error texts (spec §1.1, docs/cli.md). */
#include "testutil.h"

#include "util/argparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    T_HELP = 0,
    T_VERSION = -1,
    T_ONCE = 1,
    T_MONITOR,
    T_INTERVAL,
    T_ASCII,
    T_NO_HOST,
    T_THRESH,
    T_ONLY,
    T_ONLY_VISIBLE,
    T_USER,
};

static const char *const modes[] = {"auto", "full", NULL};

static const arg_option_t options[] = {
    {T_HELP, "--help|-h", ARG_FLAG, NULL, NULL, NULL, "Show this help message and exit."},
    {T_VERSION, "--version|-V", ARG_FLAG, NULL, NULL, NULL, "Show the version and exit."},
    {T_ONCE, "--once|-1", ARG_FLAG, NULL, NULL, NULL, "Report once."},
    {T_MONITOR, "--monitor|-m", ARG_OPTIONAL, "{auto,full}", modes, NULL,
     "Run as a monitor.\nThe second line of its help."},
    {T_INTERVAL, "--interval", ARG_ONE, "SEC", NULL, NULL, "Seconds between updates."},
    {T_ASCII, "--no-unicode|--ascii|-U", ARG_FLAG, NULL, NULL, NULL, "ASCII only."},
    {T_NO_HOST, "--no-host", ARG_FLAG, NULL, NULL, NULL, "Hide the host panel."},
    {T_THRESH, "--thresh", ARG_TWO, "th1 th2", NULL, "coloring", "Two thresholds."},
    {T_ONLY, "--only|-o", ARG_PLUS, "INDEX", NULL, "filtering", "Only these devices."},
    {T_ONLY_VISIBLE, "--only-visible|-ov", ARG_FLAG, NULL, NULL, "filtering", "Visible ones."},
    {T_USER, "--user|-u", ARG_STAR, "USERNAME", NULL, "filtering", "Only these users."},
};

static const int exclusive[][2] = {{T_ONCE, T_MONITOR}};

static const arg_parser_t parser = {
    .prog = "prog",
    .description = "A test program.",
    .epilog = "The epilog.",
    .options = options,
    .count = sizeof(options) / sizeof(options[0]),
    .exclusive = exclusive,
    .exclusive_count = 1,
    .version = "prog 9.8.7",
};

/* Each call of the callback as "id[v1,v2]", in order. */
static int record(void *user, int id, char *const *values, size_t count, strbuf_t *why)
{
    if (id == T_INTERVAL) {
        double v;
        if (arg_to_float(values[0], &v, "positive float", why) < 0) return -1;
    }
    strbuf_t *log = user;
    strbuf_printf(log, "%d[", id);
    for (size_t i = 0; i < count; i++)
        strbuf_printf(log, "%s%s", i ? "," : "", values[i]);
    strbuf_puts(log, "]");
    return 0;
}

typedef struct outcome {
    arg_result_t result;
    strbuf_t calls;
    char *out, *err; /* what went to stdout and stderr */
} outcome_t;

static char *capture_end(int fd, int saved, int target, const char *path)
{
    fflush(target == STDOUT_FILENO ? stdout : stderr);
    dup2(saved, target);
    close(saved);
    close(fd);
    char *text = test_read_file(path, NULL);
    unlink(path);
    return text;
}

/* Parses the NULL-terminated words after "prog", capturing stdout and stderr. */
static outcome_t parse_words(const char *const *words)
{
    char prog[] = "prog";
    char *argv[32] = {prog};
    int argc = 1;
    for (; words[argc - 1]; argc++)
        argv[argc] = (char *)words[argc - 1];
    char out_path[] = "/tmp/nvitop-test-argparse-out-XXXXXX";
    char err_path[] = "/tmp/nvitop-test-argparse-err-XXXXXX";
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    assert_true(out_fd >= 0 && err_fd >= 0);
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(STDOUT_FILENO), saved_err = dup(STDERR_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    outcome_t o = {0};
    o.result = arg_parse(&parser, argc, argv, record, &o.calls);
    o.out = capture_end(out_fd, saved_out, STDOUT_FILENO, out_path);
    o.err = capture_end(err_fd, saved_err, STDERR_FILENO, err_path);
    return o;
}

static void outcome_fini(outcome_t *o)
{
    strbuf_fini(&o->calls);
    free(o->out);
    free(o->err);
}

#define WORDS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Parses successfully, with the callback's calls `calls` and nothing printed. */
static void expect_calls(const char *const *words, const char *calls)
{
    outcome_t o = parse_words(words);
    assert_string_equal(o.err, "");
    assert_string_equal(o.out, "");
    assert_int_equal(o.result, ARG_OK);
    assert_string_equal(o.calls.data ? o.calls.data : "", calls);
    outcome_fini(&o);
}

#define USAGE                                                                                      \
    "usage: prog [--help] [--version] [--once | --monitor [{auto,full}]]\n"                        \
    "            [--interval SEC] [--no-unicode] [--no-host] [--thresh th1 th2]\n"                 \
    "            [--only INDEX [INDEX ...]] [--only-visible] [--user [USERNAME ...]]\n"

/* Fails with exit 2: the usage and "prog: error: <message>" on stderr, nothing on stdout. */
static void expect_error(const char *const *words, const char *message)
{
    outcome_t o = parse_words(words);
    assert_int_equal(o.result, ARG_EXIT_ERROR);
    assert_string_equal(o.out, "");
    strbuf_t want = {0};
    strbuf_printf(&want, "%sprog: error: %s\n", USAGE, message);
    assert_string_equal(o.err, want.data);
    strbuf_fini(&want);
    outcome_fini(&o);
}

static void test_long_and_short_options(void **state)
{
    (void)state;
    expect_calls(WORDS("--once"), "1[]");
    expect_calls(WORDS("-1"), "1[]");
    expect_calls(WORDS("--interval", "2"), "3[2]");
    expect_calls(WORDS("--interval=2.5"), "3[2.5]");
    /* "--interval=" hands over an empty value (which the callback refuses) */
    expect_error(WORDS("--interval="), "argument --interval: invalid positive float value: ''");
    /* every spelling names the same option; calls come in command-line order */
    expect_calls(WORDS("--ascii", "-U", "--no-unicode", "--once"), "4[]4[]4[]1[]");
    /* repeated options are handed over each time (the program decides; argparse: last wins) */
    expect_calls(WORDS("--interval", "1", "--interval", "3"), "3[1]3[3]");
    static const char *const nothing[] = {NULL};
    expect_calls(nothing, "");
}

static void test_short_values_and_clusters(void **state)
{
    (void)state;
    expect_calls(WORDS("-o1"), "7[1]");            /* a value glued to a short option */
    expect_calls(WORDS("-o", "1", "2"), "7[1,2]"); /* or after it */
    expect_calls(WORDS("-o=1"), "7[1]");           /* "-o=1": "=" splits as for long ones */
    expect_calls(WORDS("-ov"), "8[]");             /* an exact short name beats a glued value */
    expect_calls(WORDS("-1U"), "1[]4[]");          /* clustered flags */
    expect_calls(WORDS("-1Uo3"), "1[]4[]7[3]");    /* ... ending in an option with its value */
}

static void test_abbreviations(void **state)
{
    (void)state;
    expect_calls(WORDS("--inter", "2"), "3[2]");
    expect_calls(WORDS("--int=4"), "3[4]");
    expect_calls(WORDS("--asc"), "4[]");
    expect_calls(WORDS("--no-h"), "5[]");
    expect_calls(WORDS("--only-v"), "8[]");
    expect_calls(WORDS("--only", "0"), "7[0]"); /* exact beats a longer option's prefix */
    expect_error(WORDS("--no"), "ambiguous option: --no could match --no-unicode, --no-host");
    expect_error(WORDS("--on"),
                 "ambiguous option: --on could match --once, --only, --only-visible");
    /* short names are never abbreviated, nor is a prefix of only the short form */
    expect_error(WORDS("-x"), "unrecognized arguments: -x");
}

static void test_value_counts(void **state)
{
    (void)state;
    expect_calls(WORDS("--monitor"), "2[]");              /* nargs='?': zero */
    expect_calls(WORDS("--monitor", "full"), "2[full]");  /* or one */
    expect_calls(WORDS("--user"), "9[]");                 /* nargs='*': zero */
    expect_calls(WORDS("-u", "a", "b", "c"), "9[a,b,c]"); /* or many */
    expect_calls(WORDS("--thresh", "1", "2"), "6[1,2]");  /* exactly two */
    expect_calls(WORDS("--only", "1", "2", "3", "--once"), "7[1,2,3]1[]");
    /* a value never looks like an option; "-" alone is a value */
    expect_calls(WORDS("--user", "-", "--once"), "9[-]1[]");
    expect_error(WORDS("--interval"), "argument --interval: expected one argument");
    expect_error(WORDS("--interval", "-1"), "argument --interval: expected one argument");
    expect_error(WORDS("--thresh", "1"), "argument --thresh: expected 2 arguments");
    expect_error(WORDS("--thresh", "1", "--once"), "argument --thresh: expected 2 arguments");
    expect_error(WORDS("--only"), "argument --only/-o: expected at least one argument");
    /* what an option cannot take is left over */
    expect_error(WORDS("--thresh", "1", "2", "3"), "unrecognized arguments: 3");
    expect_error(WORDS("--monitor", "full", "x"), "unrecognized arguments: x");
}

static void test_double_dash(void **state)
{
    (void)state;
    /* "--" ends the options: with no positional arguments, the rest is unrecognized */
    expect_error(WORDS("--once", "--", "--no-host", "x"), "unrecognized arguments: --no-host x");
    /* and it ends an option's values */
    expect_error(WORDS("--user", "a", "--", "b"), "unrecognized arguments: b");
    expect_error(WORDS("--only", "--", "1"), "argument --only/-o: expected at least one argument");
    expect_calls(WORDS("--"), "");
}

static void test_errors(void **state)
{
    (void)state;
    expect_error(WORDS("x", "--bogus", "--once", "y"), "unrecognized arguments: x --bogus y");
    expect_error(WORDS("--monitor", "half"),
                 "argument --monitor/-m: invalid choice: 'half' (choose from 'auto', 'full')");
    expect_error(WORDS("--monitor=half"),
                 "argument --monitor/-m: invalid choice: 'half' (choose from 'auto', 'full')");
    /* the later option is named first */
    expect_error(WORDS("--once", "-m"),
                 "argument --monitor/-m: not allowed with argument --once/-1");
    expect_error(WORDS("-m", "--once"),
                 "argument --once/-1: not allowed with argument --monitor/-m");
    expect_error(WORDS("-1m"), "argument --monitor/-m: not allowed with argument --once/-1");
    /* the same option twice is fine */
    expect_calls(WORDS("--once", "--once"), "1[]1[]");
    expect_error(WORDS("--once=yes"), "argument --once/-1: ignored explicit argument 'yes'");
    expect_error(WORDS("--no-h=1"), "argument --no-host: ignored explicit argument '1'");
    expect_error(WORDS("-1Z"), "argument --once/-1: ignored explicit argument 'Z'");
    /* the callback's reason */
    expect_error(WORDS("--interval", "fast"),
                 "argument --interval: invalid positive float value: 'fast'");
    /* the first error stops the parse: no later call, no unrecognized list */
    outcome_t o = parse_words(WORDS("--once", "--interval", "x", "--no-host", "junk"));
    assert_int_equal(o.result, ARG_EXIT_ERROR);
    assert_string_equal(o.calls.data, "1[]");
    assert_non_null(strstr(o.err, "prog: error: argument --interval: invalid positive float"));
    outcome_fini(&o);
}

static void test_help_and_version(void **state)
{
    (void)state;
    outcome_t o = parse_words(WORDS("--once", "-h", "--bogus"));
    assert_int_equal(o.result, ARG_EXIT_OK); /* printed at once; the rest is not looked at */
    assert_string_equal(o.err, "");
    assert_string_equal(o.calls.data, "1[]");
    assert_string_equal(o.out, USAGE "\n"
                                     "A test program.\n"
                                     "\n"
                                     "options:\n"
                                     "  --help, -h            Show this help message and exit.\n"
                                     "  --version, -V         Show the version and exit.\n"
                                     "  --once, -1            Report once.\n"
                                     "  --monitor [{auto,full}], -m [{auto,full}]\n"
                                     "                        Run as a monitor.\n"
                                     "                        The second line of its help.\n"
                                     "  --interval SEC        Seconds between updates.\n"
                                     "  --no-unicode, --ascii, -U\n"
                                     "                        ASCII only.\n"
                                     "  --no-host             Hide the host panel.\n"
                                     "\n"
                                     "coloring:\n"
                                     "  --thresh th1 th2      Two thresholds.\n"
                                     "\n"
                                     "filtering:\n"
                                     "  --only INDEX [INDEX ...], -o INDEX [INDEX ...]\n"
                                     "                        Only these devices.\n"
                                     "  --only-visible, -ov   Visible ones.\n"
                                     "  --user [USERNAME ...], -u [USERNAME ...]\n"
                                     "                        Only these users.\n"
                                     "\n"
                                     "The epilog.\n");
    outcome_fini(&o);

    o = parse_words(WORDS("--vers"));
    assert_int_equal(o.result, ARG_EXIT_OK);
    assert_string_equal(o.out, "prog 9.8.7\n");
    assert_string_equal(o.err, "");
    outcome_fini(&o);
}

/* arg_error() after parsing: the usage, then the message. */
/* The hidden option: alone, it prints the script arg_completion writes and exits 0; a bad
 * shell or other arguments are argparse errors; elsewhere it is an unknown argument. */
static void test_print_completion(void **state)
{
    (void)state;
    strbuf_t want = {0};
    assert_int_equal(arg_completion(&parser, "fish", &want), 0);
    outcome_t o = parse_words(WORDS("--print-completion", "fish"));
    assert_int_equal(o.result, ARG_EXIT_OK);
    assert_string_equal(o.out, want.data);
    assert_string_equal(o.err, "");
    outcome_fini(&o);
    o = parse_words(WORDS("--print-completion=fish"));
    assert_int_equal(o.result, ARG_EXIT_OK);
    assert_string_equal(o.out, want.data);
    outcome_fini(&o);
    strbuf_fini(&want);
    expect_error(WORDS("--print-completion", "ksh"),
                 "argument --print-completion: invalid choice: 'ksh' (choose from 'bash', "
                 "'zsh', 'fish')");
    expect_error(WORDS("--print-completion"), "argument --print-completion: expected one argument");
    expect_error(WORDS("--print-completion", "zsh", "-1"),
                 "argument --print-completion: not allowed with other arguments");
    expect_error(WORDS("-1", "--print-completion", "zsh"),
                 "unrecognized arguments: --print-completion zsh");
    expect_error(WORDS("--print-completionx"), "unrecognized arguments: --print-completionx");
}

static void test_arg_error(void **state)
{
    (void)state;
    char path[] = "/tmp/nvitop-test-argparse-err-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    arg_error(&parser, "the interval %.2gs is too short", 0.1);
    char *err = capture_end(fd, saved, STDERR_FILENO, path);
    assert_string_equal(err, USAGE "prog: error: the interval 0.1s is too short\n");
    free(err);
}

static void test_converters(void **state)
{
    (void)state;
    long n = 0;
    double d = 0;
    strbuf_t why = {0};
    assert_int_equal(arg_to_int("42", &n, &why), 0);
    assert_int_equal(n, 42);
    assert_int_equal(arg_to_int(" -7", &n, &why), 0); /* leading blanks and a sign, as int() */
    assert_int_equal(n, -7);
    assert_int_equal(arg_to_int("4x", &n, &why), -1);
    assert_string_equal(why.data, "invalid int value: '4x'");
    strbuf_reset(&why);
    assert_int_equal(arg_to_int("", &n, &why), -1);
    assert_string_equal(why.data, "invalid int value: ''");
    strbuf_reset(&why);
    assert_int_equal(arg_to_int("99999999999999999999", &n, &why), -1); /* out of range */
    strbuf_reset(&why);
    assert_int_equal(arg_to_float("0.25", &d, "float", &why), 0);
    assert_true(d == 0.25);
    assert_int_equal(arg_to_float("1e3", &d, "float", &why), 0);
    assert_true(d == 1000);
    assert_int_equal(arg_to_float("nan", &d, "positive float", &why), -1);
    assert_string_equal(why.data, "invalid positive float value: 'nan'");
    strbuf_reset(&why);
    assert_int_equal(arg_to_float("1s", &d, "float", &why), -1);
    assert_string_equal(why.data, "invalid float value: '1s'");
    strbuf_fini(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_and_short_options),
        cmocka_unit_test(test_short_values_and_clusters),
        cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_value_counts),
        cmocka_unit_test(test_double_dash),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_print_completion),
        cmocka_unit_test(test_arg_error),
        cmocka_unit_test(test_converters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
