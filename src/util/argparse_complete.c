/* SPDX-License-Identifier: Apache-2.0 */
/* Shell completion scripts written from the option table the parser reads (`prog
 * --print-completion SHELL`), so what bash, zsh and fish offer is what the program accepts:
 * every spelling of every option, the choices, and files, directories, users or hosts where an
 * option's value is marked so (arg_complete_t). */
#include "util/argparse.h"

#include <string.h>

const char *const arg_completion_shells[] = {"bash", "zsh", "fish", NULL};

/* One spelling of an option ("--monitor" or "-m" of "--monitor|-m"). */
typedef struct spelling {
    const char *text;
    int len;
} spelling_t;

/* Steps *cursor through "a|b|c"; false past the last spelling. */
static bool next_spelling(const char **cursor, spelling_t *s)
{
    if (!**cursor) return false;
    size_t len = strcspn(*cursor, "|");
    s->text = *cursor;
    s->len = (int)len;
    *cursor += len + ((*cursor)[len] == '|');
    return true;
}

/* What completes the option's value (arg_parser_t.value_kinds). */
static arg_complete_t value_kind(const arg_parser_t *p, const arg_option_t *o)
{
    for (size_t i = 0; i < p->value_kind_count; i++)
        if (p->value_kinds[i].id == o->id) return p->value_kinds[i].kind;
    return ARG_COMPLETE_NONE;
}

/* A value may be left out: nargs '?' and '*'. */
static bool value_optional(const arg_option_t *o)
{
    return o->nargs == ARG_OPTIONAL || o->nargs == ARG_STAR;
}

/* The help's first sentence without its period: what a shell shows beside the option. */
static void summary(const char *help, strbuf_t *out)
{
    size_t len = 0;
    if (!help) return;
    while (help[len] && help[len] != '\n' &&
           !(help[len] == '.' && (help[len + 1] == ' ' || help[len + 1] == '\n' || !help[len + 1])))
        len++;
    strbuf_append(out, help, len);
}

/* text inside a single-quoted word of bash or zsh: ' ends the quote, so it is '\''. Characters
 * in `escape` get a backslash (zsh's _arguments specs). */
static void put_quoted(strbuf_t *out, const char *text, size_t len, const char *escape)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\'')
            strbuf_puts(out, "'\\''");
        else if (text[i] && strchr(escape, text[i]))
            strbuf_printf(out, "\\%c", text[i]);
        else
            strbuf_putc(out, text[i]);
    }
}

/* The choices separated by spaces (no choice has a space or a quote). */
static void put_choices(strbuf_t *out, const arg_option_t *o)
{
    for (const char *const *c = o->choices; *c; c++)
        strbuf_printf(out, "%s%s", c == o->choices ? "" : " ", *c);
}

/* The program name as part of a shell function name: nvitop-exporter -> nvitop_exporter. */
static void put_identifier(strbuf_t *out, const char *prog)
{
    for (const char *c = prog; *c; c++)
        strbuf_putc(out, *c == '-' ? '_' : *c);
}

static void header(const arg_parser_t *p, const char *shell, strbuf_t *out)
{
    strbuf_printf(out,
                  "# %s completion for %s, written by `%s --print-completion %s`\n"
                  "# from the option table its parser reads: regenerate it, do not edit it.\n",
                  shell, p->prog, p->prog, shell);
}

/* ---- bash ---- */

/* compgen's arguments for the option's values, NULL when nothing completes them. */
static const char *bash_compgen(arg_complete_t kind)
{
    static const char *const by_kind[] = {
        [ARG_COMPLETE_NONE] = NULL, [ARG_COMPLETE_FILE] = "-f",          [ARG_COMPLETE_DIR] = "-d",
        [ARG_COMPLETE_USER] = "-u", [ARG_COMPLETE_HOST] = "-A hostname",
    };
    return by_kind[kind];
}

static void bash_value_case(const arg_parser_t *p, const arg_option_t *o, strbuf_t *out)
{
    arg_complete_t kind = value_kind(p, o);
    strbuf_puts(out, "    ");
    spelling_t s;
    for (const char *n = o->names; next_spelling(&n, &s);)
        strbuf_printf(out, "%s%.*s", s.text == o->names ? "" : " | ", s.len, s.text);
    strbuf_puts(out, ")\n");
    /* an optional value: a word starting with '-' is the next option */
    const char *indent = value_optional(o) ? "            " : "        ";
    if (value_optional(o)) strbuf_puts(out, "        if [[ $cur != -* ]]; then\n");
    if (o->choices) {
        strbuf_printf(out, "%smapfile -t COMPREPLY < <(compgen -P \"$prefix\" -W '", indent);
        put_choices(out, o);
        strbuf_puts(out, "' -- \"$cur\")\n");
    } else if (bash_compgen(kind)) {
        if (kind == ARG_COMPLETE_FILE || kind == ARG_COMPLETE_DIR)
            strbuf_printf(out, "%scompopt -o filenames 2>/dev/null\n", indent);
        strbuf_printf(out, "%smapfile -t COMPREPLY < <(compgen -P \"$prefix\" %s -- \"$cur\")\n",
                      indent, bash_compgen(kind));
    }
    strbuf_printf(out, "%sreturn 0\n", indent);
    if (value_optional(o)) strbuf_puts(out, "        fi\n");
    strbuf_puts(out, "        ;;\n");
}

static void bash_script(const arg_parser_t *p, strbuf_t *out)
{
    strbuf_t fn = {0};
    strbuf_puts(&fn, "_");
    put_identifier(&fn, p->prog);
    strbuf_puts(&fn, "_complete");
    strbuf_printf(out,
                  "\n%s() {\n"
                  "    local cur=${COMP_WORDS[COMP_CWORD]} prev='' prefix=''\n"
                  "    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
                  "    # --opt=value: one word, or three when '=' breaks words (COMP_WORDBREAKS)\n"
                  "    if [[ $cur == --*=* ]]; then\n"
                  "        prev=${cur%%%%=*} prefix=${cur%%%%=*}= cur=${cur#*=}\n"
                  "    elif [[ $cur == = ]]; then\n"
                  "        cur=''\n"
                  "    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then\n"
                  "        prev=${COMP_WORDS[COMP_CWORD - 2]}\n"
                  "    fi\n"
                  "    case $prev in\n",
                  strbuf_str(&fn));
    for (size_t i = 0; i < p->count; i++)
        if (p->options[i].nargs != ARG_FLAG) bash_value_case(p, &p->options[i], out);
    strbuf_puts(out, "    esac\n    mapfile -t COMPREPLY < <(compgen -W '");
    const char *sep = "";
    for (size_t i = 0; i < p->count; i++) {
        spelling_t s;
        for (const char *n = p->options[i].names; next_spelling(&n, &s); sep = " ")
            strbuf_printf(out, "%s%.*s", sep, s.len, s.text);
    }
    strbuf_printf(out, "' -- \"$cur\")\n}\ncomplete -F %s %s\n", strbuf_str(&fn), p->prog);
    strbuf_keep_error(out, &fn);
    strbuf_fini(&fn);
}

/* ---- zsh ---- */

/* _arguments' exclusion list: the option's own spellings and those of the options it may not
 * be used with; (- *) for --help and --version, after which nothing else counts. */
static void zsh_exclusions(const arg_parser_t *p, const arg_option_t *o, strbuf_t *out)
{
    if (o->id <= 0) {
        strbuf_puts(out, "(- *)");
        return;
    }
    strbuf_puts(out, "(");
    const char *sep = "";
    for (size_t i = 0; i < p->count; i++) {
        const arg_option_t *other = &p->options[i];
        bool excluded = other == o;
        for (size_t e = 0; e < p->exclusive_count && !excluded; e++)
            excluded = (p->exclusive[e][0] == o->id && p->exclusive[e][1] == other->id) ||
                       (p->exclusive[e][1] == o->id && p->exclusive[e][0] == other->id);
        spelling_t s;
        for (const char *n = other->names; excluded && next_spelling(&n, &s); sep = " ")
            strbuf_printf(out, "%s%.*s", sep, s.len, s.text);
    }
    strbuf_putc(out, ')');
}

/* A spelling as _arguments names it: --opt= takes "--opt=value" or "--opt value", -o+ takes
 * "-ovalue" or "-o value". */
static void zsh_spelling(const arg_option_t *o, const spelling_t *s, strbuf_t *out)
{
    strbuf_printf(out, "%.*s", s->len, s->text);
    if (o->nargs != ARG_FLAG) strbuf_puts(out, s->len > 2 && s->text[1] == '-' ? "=" : "+");
}

/* ":message:action" once per value (twice for two values; '::' when optional). */
static void zsh_values(const arg_parser_t *p, const arg_option_t *o, strbuf_t *out)
{
    static const char *const by_kind[] = {
        [ARG_COMPLETE_NONE] = " ",        [ARG_COMPLETE_FILE] = "_files",
        [ARG_COMPLETE_DIR] = "_files -/", [ARG_COMPLETE_USER] = "_users",
        [ARG_COMPLETE_HOST] = "_hosts",
    };
    const char *metavar = o->metavar ? o->metavar : "value";
    for (int v = 0; v < (o->nargs == ARG_TWO ? 2 : 1); v++) {
        /* "th1 th2": one word of the metavar per value; "{a,b}": the option's name */
        size_t word = strcspn(metavar, " "), len = word;
        const char *message = metavar;
        if (*metavar == '{') {
            message = o->names + 2;
            len = strcspn(message, "|");
        }
        strbuf_puts(out, value_optional(o) ? "::" : ":");
        put_quoted(out, message, len, ":\\");
        strbuf_putc(out, ':');
        if (o->choices) {
            strbuf_putc(out, '(');
            put_choices(out, o);
            strbuf_putc(out, ')');
        } else {
            strbuf_puts(out, by_kind[value_kind(p, o)]);
        }
        metavar += word + (metavar[word] == ' ');
    }
}

static void zsh_option(const arg_parser_t *p, const arg_option_t *o, strbuf_t *out)
{
    strbuf_puts(out, " \\\n    '");
    zsh_exclusions(p, o, out);
    bool several = strchr(o->names, '|') != NULL;
    if (several) strbuf_puts(out, "'{");
    spelling_t s;
    for (const char *n = o->names; next_spelling(&n, &s);) {
        if (s.text != o->names) strbuf_putc(out, ',');
        zsh_spelling(o, &s, out);
    }
    strbuf_puts(out, several ? "}'[" : "[");
    strbuf_t text = {0};
    summary(o->help, &text);
    put_quoted(out, strbuf_str(&text), text.len, "[]\\");
    strbuf_keep_error(out, &text);
    strbuf_fini(&text);
    strbuf_putc(out, ']');
    if (o->nargs != ARG_FLAG) zsh_values(p, o, out);
    strbuf_putc(out, '\'');
}

static void zsh_script(const arg_parser_t *p, strbuf_t *out)
{
    strbuf_puts(out, "\n_arguments -s -S");
    for (size_t i = 0; i < p->count; i++)
        zsh_option(p, &p->options[i], out);
    strbuf_putc(out, '\n');
}

/* ---- fish ---- */

/* text in fish's single quotes, where \ and ' take a backslash. */
static void fish_quoted(strbuf_t *out, const char *text, size_t len)
{
    strbuf_putc(out, '\'');
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\'' || text[i] == '\\') strbuf_putc(out, '\\');
        strbuf_putc(out, text[i]);
    }
    strbuf_putc(out, '\'');
}

/* -a and its list: the choices, or a function of fish's; nothing for plain files. */
static void fish_arguments(const arg_option_t *o, arg_complete_t kind, strbuf_t *out)
{
    static const char *const by_kind[] = {
        [ARG_COMPLETE_NONE] = NULL,
        [ARG_COMPLETE_FILE] = NULL,
        [ARG_COMPLETE_DIR] = "(__fish_complete_directories)",
        [ARG_COMPLETE_USER] = "(__fish_complete_users)",
        [ARG_COMPLETE_HOST] = "(__fish_print_hostnames)",
    };
    if (o->choices) {
        strbuf_t words = {0};
        put_choices(&words, o);
        strbuf_puts(out, " -a ");
        fish_quoted(out, strbuf_str(&words), words.len);
        strbuf_keep_error(out, &words);
        strbuf_fini(&words);
    } else if (by_kind[kind]) {
        strbuf_printf(out, " -a '%s'", by_kind[kind]);
    }
}

static void fish_values(const arg_parser_t *p, const arg_option_t *o, strbuf_t *out)
{
    arg_complete_t kind = value_kind(p, o);
    /* -r: the next word is the value; an optional one is glued (--monitor=full) or, below,
     * the word after the option */
    if (!value_optional(o)) strbuf_puts(out, " -r");
    strbuf_puts(out, kind == ARG_COMPLETE_FILE ? " -F" : " -f");
    fish_arguments(o, kind, out);
}

/* The word after an option whose value may be left out ("-m full"): fish completes it only
 * under a condition naming the option. */
static void fish_optional_value(const arg_parser_t *p, const arg_option_t *o, strbuf_t *out)
{
    arg_complete_t kind = value_kind(p, o);
    if (!o->choices && kind == ARG_COMPLETE_NONE) return;
    strbuf_printf(out, "complete -c %s -n '__fish_prev_arg_in", p->prog);
    spelling_t s;
    for (const char *n = o->names; next_spelling(&n, &s);)
        strbuf_printf(out, " %.*s", s.len, s.text);
    strbuf_puts(out, kind == ARG_COMPLETE_FILE ? "' -F" : "' -f");
    fish_arguments(o, kind, out);
    strbuf_putc(out, '\n');
}

static void fish_option(const arg_parser_t *p, const arg_option_t *o, strbuf_t *out)
{
    strbuf_printf(out, "complete -c %s", p->prog);
    spelling_t s;
    for (const char *n = o->names; next_spelling(&n, &s);) {
        if (s.text[1] == '-')
            strbuf_printf(out, " -l %.*s", s.len - 2, s.text + 2);
        else /* -ov is an old-style option of fish: one dash, several letters */
            strbuf_printf(out, " -%c %.*s", s.len == 2 ? 's' : 'o', s.len - 1, s.text + 1);
    }
    if (o->nargs != ARG_FLAG) fish_values(p, o, out);
    strbuf_t text = {0};
    summary(o->help, &text);
    strbuf_puts(out, " -d ");
    fish_quoted(out, strbuf_str(&text), text.len);
    strbuf_keep_error(out, &text);
    strbuf_fini(&text);
    strbuf_putc(out, '\n');
    if (value_optional(o)) fish_optional_value(p, o, out);
}

static void fish_script(const arg_parser_t *p, strbuf_t *out)
{
    /* the programs take no positional arguments: no files unless an option's value is one */
    strbuf_printf(out, "\ncomplete -c %s -e\ncomplete -c %s -f\n", p->prog, p->prog);
    for (size_t i = 0; i < p->count; i++)
        fish_option(p, &p->options[i], out);
}

int arg_completion(const arg_parser_t *parser, const char *shell, strbuf_t *out)
{
    static void (*const scripts[])(const arg_parser_t *, strbuf_t *) = {bash_script, zsh_script,
                                                                        fish_script};
    for (size_t i = 0; arg_completion_shells[i]; i++) {
        if (strcmp(shell, arg_completion_shells[i]) != 0) continue;
        if (i == 1) strbuf_printf(out, "#compdef %s\n", parser->prog);
        header(parser, shell, out);
        if (i == 0) strbuf_puts(out, "# shellcheck shell=bash\n");
        scripts[i](parser, out);
        return 0;
    }
    return -1;
}
