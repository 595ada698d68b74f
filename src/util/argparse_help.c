/* SPDX-License-Identifier: Apache-2.0 */
/* Usage, help and error messages in argparse's layout, generated from the option table. */
#include "util/argparse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define HELP_WIDTH 80
#define HELP_COLUMN 24

static size_t name_len(const char *names)
{
    return strcspn(names, "|");
}

/* "--interval SEC", "--monitor [{auto,full,compact}]", "--only INDEX [INDEX ...]". */
static void invocation(const arg_option_t *o, const char *name, size_t len, strbuf_t *out)
{
    strbuf_append(out, name, len);
    const char *m = o->metavar ? o->metavar : "";
    switch (o->nargs) {
    case ARG_FLAG:
        break;
    case ARG_ONE:
    case ARG_TWO:
        strbuf_printf(out, " %s", m);
        break;
    case ARG_OPTIONAL:
        strbuf_printf(out, " [%s]", m);
        break;
    case ARG_PLUS:
        strbuf_printf(out, " %s [%s ...]", m, m);
        break;
    case ARG_STAR:
        strbuf_printf(out, " [%s ...]", m);
        break;
    }
}

static bool exclusive_with_next(const arg_parser_t *p, size_t i)
{
    if (i + 1 >= p->count) return false;
    for (size_t e = 0; e < p->exclusive_count; e++)
        if (p->exclusive[e][0] == p->options[i].id && p->exclusive[e][1] == p->options[i + 1].id)
            return true;
    return false;
}

void arg_usage(const arg_parser_t *p, strbuf_t *out)
{
    size_t indent = strlen("usage: ") + strlen(p->prog) + 1;
    size_t col = indent;
    strbuf_printf(out, "usage: %s", p->prog);
    for (size_t i = 0; i < p->count; i++) {
        strbuf_t item = {0};
        strbuf_putc(&item, '[');
        invocation(&p->options[i], p->options[i].names, name_len(p->options[i].names), &item);
        while (exclusive_with_next(p, i)) {
            i++;
            strbuf_puts(&item, " | ");
            invocation(&p->options[i], p->options[i].names, name_len(p->options[i].names), &item);
        }
        strbuf_putc(&item, ']');
        if (col + 1 + item.len > HELP_WIDTH && col > indent) {
            strbuf_printf(out, "\n%*s", (int)indent - 1, "");
            col = indent - 1;
        }
        strbuf_printf(out, " %s", item.data);
        col += 1 + item.len;
        strbuf_fini(&item);
    }
    strbuf_putc(out, '\n');
}

static void option_help(const arg_option_t *o, strbuf_t *out)
{
    strbuf_t inv = {0};
    strbuf_puts(&inv, "  ");
    for (const char *n = o->names; *n;) {
        size_t len = name_len(n);
        if (n != o->names) strbuf_puts(&inv, ", ");
        invocation(o, n, len, &inv);
        n += len + (n[len] == '|');
    }
    strbuf_puts(out, inv.data);
    const char *help = o->help ? o->help : "";
    if (inv.len + 2 > HELP_COLUMN)
        strbuf_printf(out, "\n%*s", HELP_COLUMN, "");
    else
        strbuf_printf(out, "%*s", (int)(HELP_COLUMN - inv.len), "");
    for (const char *line = help; *line;) {
        size_t len = strcspn(line, "\n");
        strbuf_append(out, line, len);
        line += len;
        if (*line == '\n' && *++line) strbuf_printf(out, "\n%*s", HELP_COLUMN, "");
    }
    strbuf_putc(out, '\n');
    strbuf_fini(&inv);
}

void arg_help(const arg_parser_t *p, strbuf_t *out)
{
    arg_usage(p, out);
    if (p->description) strbuf_printf(out, "\n%s\n", p->description);
    const char *group = "";
    for (size_t i = 0; i < p->count; i++) {
        const char *g = p->options[i].group ? p->options[i].group : "options";
        if (strcmp(g, group) != 0) {
            strbuf_printf(out, "\n%s:\n", g);
            group = g;
        }
        option_help(&p->options[i], out);
    }
    if (p->epilog) strbuf_printf(out, "\n%s\n", p->epilog);
}

void arg_error(const arg_parser_t *p, const char *fmt, ...)
{
    strbuf_t out = {0};
    arg_usage(p, &out);
    strbuf_printf(&out, "%s: error: ", p->prog);
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&out, fmt, ap);
    va_end(ap);
    strbuf_putc(&out, '\n');
    fputs(out.data, stderr);
    strbuf_fini(&out);
}
