/* SPDX-License-Identifier: Apache-2.0 */
/* The completion scripts (src/util/argparse_complete.c) of a small table: every spelling, the
 * choices, a value kind, exclusive options, the help's first sentence quoted for each shell.
 * tests/e2e/test_completions.sh runs the programs' scripts in the shells themselves. */
#include "testutil.h"

#include "util/argparse.h"

#include <stdlib.h>
#include <string.h>

enum { T_HELP = 0, T_ONCE = 1, T_MODE, T_CERT, T_QUOTE, T_PAIR };

static const char *const modes[] = {"auto", "full", NULL};

static const arg_option_t options[] = {
    {T_HELP, "--help|-h", ARG_FLAG, NULL, NULL, NULL, "Show this help message and exit."},
    {T_ONCE, "--once|-1", ARG_FLAG, NULL, NULL, NULL, "Report once. Then exit."},
    {T_MODE, "--mode|-m", ARG_OPTIONAL, "{auto,full}", modes, NULL, "Pick a mode.\nMore."},
    {T_CERT, "--certfile", ARG_ONE, "PATH", NULL, "tls", "A certificate (PEM)."},
    {T_QUOTE, "--say|-ov", ARG_ONE, "TEXT", NULL, NULL, "Say 'hi' [now]: twice"},
    {T_PAIR, "--pair", ARG_TWO, "lo hi", NULL, NULL, "Two numbers."},
};

static const int exclusive[][2] = {{T_ONCE, T_MODE}};
static const arg_value_kind_t kinds[] = {{T_CERT, ARG_COMPLETE_FILE}};

static const arg_parser_t parser = {
    .prog = "prog-x",
    .options = options,
    .count = sizeof(options) / sizeof(options[0]),
    .exclusive = exclusive,
    .exclusive_count = 1,
    .value_kinds = kinds,
    .value_kind_count = 1,
};

static char *script(const char *shell)
{
    strbuf_t out = {0};
    assert_int_equal(arg_completion(&parser, shell, &out), 0);
    assert_int_equal(strbuf_error(&out), 0);
    return strbuf_take(&out);
}

static void contains(const char *text, const char *needle)
{
    if (!strstr(text, needle)) fail_msg("'%s' not in:\n%s", needle, text);
}

static void test_unknown_shell(void **state)
{
    (void)state;
    strbuf_t out = {0};
    assert_int_equal(arg_completion(&parser, "ksh", &out), -1);
    assert_int_equal(out.len, 0);
    strbuf_fini(&out);
}

static void test_bash(void **state)
{
    (void)state;
    char *s = script("bash");
    contains(s, "# shellcheck shell=bash\n");
    contains(s,
             "compgen -W '--help -h --once -1 --mode -m --certfile --say -ov --pair' -- \"$cur\"");
    contains(s, "    --mode | -m)\n"
                "        if [[ $cur != -* ]]; then\n"
                "            mapfile -t COMPREPLY < <(compgen -P \"$prefix\" -W 'auto full' -- "
                "\"$cur\")\n"
                "            return 0\n"
                "        fi\n"
                "        ;;\n");
    contains(s, "    --certfile)\n"
                "        compopt -o filenames 2>/dev/null\n"
                "        mapfile -t COMPREPLY < <(compgen -P \"$prefix\" -f -- \"$cur\")\n"
                "        return 0\n");
    contains(s, "    --pair)\n        return 0\n        ;;\n");
    assert_null(strstr(s, "    --once")); /* a flag takes no value */
    contains(s, "\ncomplete -F _prog_x_complete prog-x\n");
    free(s);
}

static void test_zsh(void **state)
{
    (void)state;
    char *s = script("zsh");
    assert_int_equal(strncmp(s, "#compdef prog-x\n", 16), 0);
    contains(s, "\n_arguments -s -S \\\n"
                "    '(- *)'{--help,-h}'[Show this help message and exit]' \\\n"
                "    '(--once -1 --mode -m)'{--once,-1}'[Report once]' \\\n"
                "    '(--once -1 --mode -m)'{--mode=,-m+}'[Pick a mode]::mode:(auto full)' \\\n"
                "    '(--certfile)--certfile=[A certificate (PEM)]:PATH:_files' \\\n"
                "    '(--say -ov)'{--say=,-ov+}'[Say '\\''hi'\\'' \\[now\\]: twice]:TEXT: ' \\\n"
                "    '(--pair)--pair=[Two numbers]:lo: :hi: '\n");
    free(s);
}

static void test_fish(void **state)
{
    (void)state;
    char *s = script("fish");
    contains(s, "\ncomplete -c prog-x -e\ncomplete -c prog-x -f\n"
                "complete -c prog-x -l help -s h -d 'Show this help message and exit'\n"
                "complete -c prog-x -l once -s 1 -d 'Report once'\n"
                "complete -c prog-x -l mode -s m -f -a 'auto full' -d 'Pick a mode'\n"
                "complete -c prog-x -n '__fish_prev_arg_in --mode -m' -f -a 'auto full'\n"
                "complete -c prog-x -l certfile -r -F -d 'A certificate (PEM)'\n"
                "complete -c prog-x -l say -o ov -r -f -d 'Say \\'hi\\' [now]: twice'\n"
                "complete -c prog-x -l pair -r -f -d 'Two numbers'\n");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_shell),
        cmocka_unit_test(test_bash),
        cmocka_unit_test(test_zsh),
        cmocka_unit_test(test_fish),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
