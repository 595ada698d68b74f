/* SPDX-License-Identifier: Apache-2.0 */
/* Shell quoting of a command line for display: nvitop's command_join / add_quotes (POSIX). */
#include "host/host_internal.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* Appends q, s, q. */
static int wrap(strbuf_t *sb, char q, const char *s)
{
    if (strbuf_putc(sb, q) != 0 || strbuf_puts(sb, s) != 0) return -1;
    return strbuf_putc(sb, q);
}

/* Appends one argument quoted the way nvitop's add_quotes does. */
static int quote_arg(strbuf_t *sb, const char *s)
{
    if (s[0] == '\0') return strbuf_puts(sb, "\"\"");
    bool has_special = strpbrk(s, "$\\\n") != NULL;
    bool has_space = strchr(s, ' ') != NULL;
    bool has_dquote = strchr(s, '"') != NULL;
    if (!has_special) {
        if (!has_space) return strbuf_puts(sb, s);
        if (!has_dquote) return wrap(sb, '"', s);
    }
    if (!strchr(s, '\'') && !strchr(s, '\n')) return wrap(sb, '\'', s);
    if (strbuf_putc(sb, '"') != 0) return -1;
    for (const char *p = s; *p; p++) {
        int rc;
        if (*p == '\n')
            rc = strbuf_puts(sb, "\\n");
        else if (*p == '\\' || *p == '"' || *p == '$')
            rc = strbuf_putc(sb, '\\') == 0 ? strbuf_putc(sb, *p) : -1;
        else
            rc = strbuf_putc(sb, *p);
        if (rc != 0) return -1;
    }
    return strbuf_putc(sb, '"');
}

int host_quote_command(const char *const *argv, size_t argc, bool single_is_path, char **out)
{
    strbuf_t sb = {0};
    /* Terminated from the start: strbuf_take() of a never-written strbuf is not. */
    int rc = strbuf_append(&sb, "", 0);
    if (rc == 0 && argc == 1 && !single_is_path) {
        /* A lone word may be a setproctitle() title: shown as it is. */
        rc = strbuf_puts(&sb, argv[0] ? argv[0] : "");
    } else {
        for (size_t i = 0; i < argc && rc == 0; i++) {
            if (i > 0) rc = strbuf_putc(&sb, ' ');
            if (rc == 0) rc = quote_arg(&sb, argv[i] ? argv[i] : "");
        }
    }
    char *s = rc == 0 ? strbuf_take(&sb) : NULL;
    strbuf_fini(&sb);
    if (!s) return -1;
    *out = s;
    return 0;
}
