/* SPDX-License-Identifier: Apache-2.0 */
/* argparse's parsing rules and messages, table driven (see argparse.h). */
#include "util/argparse.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct match {
    const arg_option_t *option;
    const char *explicit_value; /* after '=' or glued to a short option; NULL if none */
    bool glued;                 /* explicit_value came from "-xVALUE" */
} match_t;

typedef struct state {
    const arg_parser_t *p;
    strbuf_t unrecognized;
    bool *seen; /* per entry of p->options: given on the command line */
} state_t;

/* "--monitor|-m" -> "--monitor/-m", argparse's name of an option in messages. */
static void option_label(const arg_option_t *o, char *buf, size_t len)
{
    str_copy(buf, len, o->names);
    for (char *c = buf; *c; c++)
        if (*c == '|') *c = '/';
}

/* Calls fn for each spelling of the option; stops when it returns true. */
static bool each_name(const arg_option_t *o, bool (*fn)(const char *name, size_t len, void *arg),
                      void *arg)
{
    for (const char *n = o->names; *n;) {
        size_t len = strcspn(n, "|");
        if (fn(n, len, arg)) return true;
        n += len + (n[len] == '|');
    }
    return false;
}

typedef struct name_query {
    const char *text;
    size_t len;
    bool prefix;
} name_query_t;

static bool name_matches(const char *name, size_t len, void *arg)
{
    const name_query_t *q = arg;
    if (q->prefix)
        return len > 2 && name[1] == '-' && q->len <= len && strncmp(name, q->text, q->len) == 0;
    return len == q->len && strncmp(name, q->text, len) == 0;
}

static const arg_option_t *find_exact(const arg_parser_t *p, const char *text, size_t len)
{
    name_query_t q = {text, len, false};
    for (size_t i = 0; i < p->count; i++)
        if (each_name(&p->options[i], name_matches, &q)) return &p->options[i];
    return NULL;
}

static bool looks_like_option(const char *s)
{
    return s[0] == '-' && s[1] != '\0';
}

/* Resolves one option-like argument. Returns 0, or -1 after an "ambiguous option" error. */
static int resolve(state_t *st, const char *arg, match_t *m)
{
    const arg_parser_t *p = st->p;
    memset(m, 0, sizeof(*m));
    const char *eq = strchr(arg, '=');
    size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
    if ((m->option = find_exact(p, arg, name_len))) {
        m->explicit_value = eq ? eq + 1 : NULL;
        return 0;
    }
    if (arg[1] == '-') {
        name_query_t q = {arg, name_len, true};
        strbuf_t candidates = {0};
        size_t found = 0;
        for (size_t i = 0; i < p->count; i++) {
            if (!each_name(&p->options[i], name_matches, &q)) continue;
            m->option = &p->options[i];
            found++;
            strbuf_printf(&candidates, "%s%.*s", found > 1 ? ", " : "",
                          (int)strcspn(m->option->names, "|"), m->option->names);
        }
        if (found > 1) {
            arg_error(p, "ambiguous option: %.*s could match %s", (int)name_len, arg,
                      candidates.data);
            strbuf_fini(&candidates);
            return -1;
        }
        strbuf_fini(&candidates);
        m->explicit_value = found && eq ? eq + 1 : NULL;
        return 0;
    }
    /* "-1U" or "-o1": a short option with flags or its value glued on. */
    if (strlen(arg) > 2 && (m->option = find_exact(p, arg, 2))) {
        m->explicit_value = arg + 2;
        m->glued = true;
    }
    return 0;
}

static size_t max_values(arg_nargs_t n)
{
    switch (n) {
    case ARG_FLAG:
        return 0;
    case ARG_ONE:
    case ARG_OPTIONAL:
        return 1;
    case ARG_TWO:
        return 2;
    default:
        return SIZE_MAX;
    }
}

static const char *count_error(arg_nargs_t n, size_t got)
{
    switch (n) {
    case ARG_ONE:
        return got ? NULL : "expected one argument";
    case ARG_TWO:
        return got == 2 ? NULL : "expected 2 arguments";
    case ARG_PLUS:
        return got ? NULL : "expected at least one argument";
    default:
        return NULL;
    }
}

static int check_choices(const arg_option_t *o, char *const *values, size_t count, strbuf_t *why)
{
    if (!o->choices) return 0;
    for (size_t v = 0; v < count; v++) {
        bool ok = false;
        for (const char *const *c = o->choices; *c && !ok; c++)
            ok = strcmp(*c, values[v]) == 0;
        if (ok) continue;
        strbuf_printf(why, "invalid choice: '%s' (choose from ", values[v]);
        for (const char *const *c = o->choices; *c; c++)
            strbuf_printf(why, "%s'%s'", c == o->choices ? "" : ", ", *c);
        strbuf_putc(why, ')');
        return -1;
    }
    return 0;
}

/* argparse names the later option first: "argument --monitor/-m: not allowed with ...". */
static int check_exclusive(state_t *st, const arg_option_t *o)
{
    const arg_parser_t *p = st->p;
    for (size_t e = 0; e < p->exclusive_count; e++) {
        int other = p->exclusive[e][0] == o->id   ? p->exclusive[e][1]
                    : p->exclusive[e][1] == o->id ? p->exclusive[e][0]
                                                  : 0;
        for (size_t i = 0; other && i < p->count; i++) {
            if (p->options[i].id != other || !st->seen[i]) continue;
            char a[128], b[128];
            option_label(o, a, sizeof(a));
            option_label(&p->options[i], b, sizeof(b));
            arg_error(p, "argument %s: not allowed with argument %s", a, b);
            return -1;
        }
    }
    st->seen[o - p->options] = true;
    return 0;
}

static arg_result_t finish_special(const arg_parser_t *p, int id)
{
    strbuf_t out = {0};
    if (id == 0)
        arg_help(p, &out);
    else
        strbuf_printf(&out, "%s\n", p->version);
    fputs(out.data, stdout);
    strbuf_fini(&out);
    return ARG_EXIT_OK;
}

/* Checks and hands over the values of one occurrence of option o. */
static arg_result_t take_values(state_t *st, const arg_option_t *o, const char *label,
                                char *const *values, size_t count, arg_callback cb, void *user)
{
    strbuf_t why = {0};
    const char *bad_count = count_error(o->nargs, count);
    int rc = 0;
    if (bad_count)
        rc = (strbuf_puts(&why, bad_count), -1);
    else if (check_choices(o, values, count, &why) < 0)
        rc = -1;
    if (rc == 0 && check_exclusive(st, o) < 0) {
        strbuf_fini(&why);
        return ARG_EXIT_ERROR;
    }
    if (rc == 0 && o->id <= 0) {
        strbuf_fini(&why);
        return finish_special(st->p, o->id);
    }
    if (rc == 0) rc = cb(user, o->id, values, count, &why);
    if (rc < 0) arg_error(st->p, "argument %s: %s", label, why.data ? why.data : "invalid value");
    strbuf_fini(&why);
    return rc < 0 ? ARG_EXIT_ERROR : ARG_OK;
}

/* Handles the option matched at argv[*i]; advances *i past its values. */
static arg_result_t take_option(state_t *st, const match_t *m, int argc, char **argv, int *i,
                                arg_callback cb, void *user)
{
    const arg_option_t *o = m->option;
    char label[128];
    option_label(o, label, sizeof(label));
    if (m->explicit_value && !m->glued && o->nargs == ARG_FLAG) {
        arg_error(st->p, "argument %s: ignored explicit argument '%s'", label, m->explicit_value);
        return ARG_EXIT_ERROR;
    }
    /* room for every argument left: an option takes as many values as it is given */
    char **values = malloc((size_t)(argc - *i + 1) * sizeof(*values));
    if (!values) {
        arg_error(st->p, "argument %s: out of memory", label);
        return ARG_EXIT_ERROR;
    }
    size_t count = 0;
    if (m->explicit_value && o->nargs != ARG_FLAG) values[count++] = (char *)m->explicit_value;
    for (size_t max = max_values(o->nargs); count < max && *i + 1 < argc &&
                                            !looks_like_option(argv[*i + 1]) &&
                                            strcmp(argv[*i + 1], "--") != 0;)
        values[count++] = argv[++*i];
    arg_result_t result = take_values(st, o, label, values, count, cb, user);
    free(values);
    return result;
}

static void add_unrecognized(state_t *st, const char *arg)
{
    strbuf_printf(&st->unrecognized, "%s%s", st->unrecognized.len ? " " : "", arg);
}

/* `prog --print-completion SHELL` (or =SHELL), alone: the hidden option of argparse.h. Returns
 * ARG_OK when argv is something else. */
static arg_result_t print_completion(const arg_parser_t *p, int argc, char **argv)
{
    static const char name[] = "--print-completion";
    if (argc < 2 || strncmp(argv[1], name, sizeof(name) - 1) != 0) return ARG_OK;
    const char *glued = argv[1] + sizeof(name) - 1;
    if (*glued && *glued != '=') return ARG_OK;
    const char *shell = *glued ? glued + 1 : argc > 2 ? argv[2] : NULL;
    if (argc > (*glued ? 2 : 3)) {
        arg_error(p, "argument %s: not allowed with other arguments", name);
        return ARG_EXIT_ERROR;
    }
    strbuf_t out = {0};
    if (!shell || arg_completion(p, shell, &out) < 0) {
        strbuf_fini(&out);
        strbuf_t why = {0};
        for (const char *const *s = arg_completion_shells; *s; s++)
            strbuf_printf(&why, "%s'%s'", s == arg_completion_shells ? "" : ", ", *s);
        if (shell)
            arg_error(p, "argument %s: invalid choice: '%s' (choose from %s)", name, shell,
                      strbuf_str(&why));
        else
            arg_error(p, "argument %s: expected one argument", name);
        strbuf_fini(&why);
        return ARG_EXIT_ERROR;
    }
    int failed = strbuf_error(&out) || fputs(strbuf_str(&out), stdout) == EOF || fflush(stdout);
    strbuf_fini(&out);
    if (failed) arg_error(p, "argument %s: cannot write the script", name);
    return failed ? ARG_EXIT_ERROR : ARG_EXIT_OK;
}

arg_result_t arg_parse(const arg_parser_t *parser, int argc, char **argv, arg_callback callback,
                       void *user)
{
    arg_result_t completion = print_completion(parser, argc, argv);
    if (completion != ARG_OK) return completion;
    state_t st = {.p = parser, .seen = calloc(parser->count + 1, sizeof(bool))};
    if (!st.seen) {
        arg_error(parser, "out of memory");
        return ARG_EXIT_ERROR;
    }
    arg_result_t result = ARG_OK;
    for (int i = 1; i < argc && result == ARG_OK; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            for (i++; i < argc; i++)
                add_unrecognized(&st, argv[i]);
            break;
        }
        match_t m;
        if (!looks_like_option(arg)) {
            add_unrecognized(&st, arg);
            continue;
        }
        if (resolve(&st, arg, &m) < 0) {
            result = ARG_EXIT_ERROR;
            break;
        }
        if (!m.option) {
            add_unrecognized(&st, arg);
            continue;
        }
        /* Flags clustered behind a short flag: "-1U" is "-1 -U". */
        while (result == ARG_OK && m.glued && m.option->nargs == ARG_FLAG) {
            match_t flag = {m.option, NULL, false};
            result = take_option(&st, &flag, argc, argv, &i, callback, user);
            char next[3] = {'-', m.explicit_value[0], '\0'};
            const char *rest = m.explicit_value;
            m.option = find_exact(parser, next, 2);
            if (!m.option) {
                if (result == ARG_OK) {
                    char label[128];
                    option_label(flag.option, label, sizeof(label));
                    arg_error(parser, "argument %s: ignored explicit argument '%s'", label, rest);
                    result = ARG_EXIT_ERROR;
                }
                break;
            }
            m.explicit_value = rest[1] ? rest + 1 : NULL;
            m.glued = m.explicit_value != NULL;
        }
        if (result == ARG_OK && m.option)
            result = take_option(&st, &m, argc, argv, &i, callback, user);
    }
    if (result == ARG_OK && st.unrecognized.len) {
        arg_error(parser, "unrecognized arguments: %s", st.unrecognized.data);
        result = ARG_EXIT_ERROR;
    }
    strbuf_fini(&st.unrecognized);
    free(st.seen);
    return result;
}

int arg_to_int(const char *text, long *value, strbuf_t *why)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    const char *p = text;
    while (*p == ' ')
        p++;
    if (!*p || *end || errno) {
        strbuf_printf(why, "invalid int value: '%s'", text);
        return -1;
    }
    *value = v;
    return 0;
}

int arg_to_float(const char *text, double *value, const char *kind, strbuf_t *why)
{
    char *end;
    double v = strtod(text, &end);
    if (!*text || *end || isnan(v)) {
        strbuf_printf(why, "invalid %s value: '%s'", kind, text);
        return -1;
    }
    *value = v;
    return 0;
}
