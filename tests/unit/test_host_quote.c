/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the command-line quoting (src/host/quote.c): nvitop's command_join rules, each
 * rule at its boundary. */
#include "testutil.h"

#include "host/host_internal.h"

#include <stdlib.h>
#include <string.h>

static void check(const char *const *argv, size_t argc, bool single_is_path, const char *want)
{
    char *out = NULL;
    assert_int_equal(host_quote_command(argv, argc, single_is_path, &out), 0);
    assert_non_null(out);
    if (strcmp(out, want) != 0) fail_msg("got [%s], want [%s]", out, want);
    free(out);
}

/* One argument, quoted (given with another word so the single-word rule does not apply). */
static void test_rules_table(void **state)
{
    (void)state;
    static const struct {
        const char *arg, *quoted;
    } cases[] = {
        /* rule 1: empty */
        {"", "\"\""},
        /* rule 2: no $ \ newline and no space: bare, whatever else it holds */
        {"plain", "plain"},
        {"a\"b", "a\"b"},
        {"it's", "it's"},
        {"tab\there", "tab\there"},
        {"*?[]();&|<>", "*?[]();&|<>"},
        /* rule 3: a space and no double quote: "..." */
        {"my run", "\"my run\""},
        {" ", "\" \""},
        {"it's here", "\"it's here\""},
        /* rule 4: space and double quote, or $ \ present, and no ' or newline: '...' */
        {"say \"hi\"", "'say \"hi\"'"},
        {"$HOME", "'$HOME'"},
        {"a\\b", "'a\\b'"},
        {"$x y", "'$x y'"},
        /* rule 5: everything else: "..." with \ " $ escaped and newline as \n */
        {"a\nb", "\"a\\nb\""},
        {"\n", "\"\\n\""},
        {"it's \"done\"", "\"it's \\\"done\\\"\""},
        {"it's $HOME", "\"it's \\$HOME\""},
        {"it's\\", "\"it's\\\\\""},
        {"$a\n\"b\\", "\"\\$a\\n\\\"b\\\\\""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *argv[] = {"cmd", cases[i].arg};
        char want[256];
        strcpy(want, "cmd ");
        strcat(want, cases[i].quoted);
        check(argv, 2, false, want);
    }
}

static void test_single_word(void **state)
{
    (void)state;
    /* Verbatim unless it names an existing absolute path. */
    const char *title[] = {"nginx: worker process"};
    check(title, 1, false, "nginx: worker process");
    check(title, 1, true, "\"nginx: worker process\"");
    const char *path[] = {"/usr/bin/my tool"};
    check(path, 1, true, "\"/usr/bin/my tool\"");
    check(path, 1, false, "/usr/bin/my tool");
    const char *empty[] = {""};
    check(empty, 1, false, "");
    check(empty, 1, true, "\"\"");
    const char *dollar[] = {"$x"};
    check(dollar, 1, false, "$x");
    /* No words: an empty line. single_is_path only matters for exactly one word. */
    check(NULL, 0, false, "");
    check(NULL, 0, true, "");
    const char *two[] = {"a b", "c"};
    check(two, 2, false, "\"a b\" c");
    check(two, 2, true, "\"a b\" c");
}

static void test_fixture_argv(void **state)
{
    (void)state;
    const char *mm[] = {"python3", "bench/mm.py", "120", "1.0", "2147483648"};
    check(mm, 5, false, "python3 bench/mm.py 120 1.0 2147483648");
    const char *q[] = {"python3",       "train.py",   "",       "--name",     "my run",
                       "--tag",         "say \"hi\"", "--path", "$HOME/ckpt", "--note",
                       "it's \"done\"", "--msg",      "a\nb"};
    check(q, 13, false,
          "python3 train.py \"\" --name \"my run\" --tag 'say \"hi\"' --path '$HOME/ckpt' "
          "--note \"it's \\\"done\\\"\" --msg \"a\\nb\"");
    /* A NULL word is treated as empty rather than crashing. */
    const char *nul[] = {"a", NULL};
    check(nul, 2, false, "a \"\"");
}

static void test_long(void **state)
{
    (void)state;
    size_t n = 100000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, '$', n);
    big[n] = '\0';
    const char *argv[] = {"x", big};
    char *out = NULL;
    assert_int_equal(host_quote_command(argv, 2, false, &out), 0);
    assert_int_equal(strlen(out), 2 + 1 + n + 1); /* "x '" + n + "'" */
    free(out);
    big[0] = '\'';
    assert_int_equal(host_quote_command(argv, 2, false, &out), 0);
    assert_int_equal(strlen(out), 2 + 1 + 1 + 2 * (n - 1) + 1);
    free(out);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_table),
        cmocka_unit_test(test_single_word),
        cmocka_unit_test(test_fixture_argv),
        cmocka_unit_test(test_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
