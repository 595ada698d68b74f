/* SPDX-License-Identifier: Apache-2.0 */
/* The programs' shared shell (program.h): one colour rule, one message style, one way to open
 * NVML. */
#include "cli/program.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/env_advice.h"

void program_init(program_t *p, const char *name)
{
    *p = (program_t){.name = name, .log_level = LOG_WARNING};
}

int program_log_level(const char *name)
{
    int level = LOG_WARNING;
    env_advice(name, "LOGLEVEL", env_log_level, &level);
    return level;
}

bool program_termcolor(bool force)
{
    if (getenv("ANSI_COLORS_DISABLED")) return false;
    if (getenv("NO_COLOR") && !force) return false;
    if (force || getenv("FORCE_COLOR")) return true;
    const char *term = getenv("TERM");
    return !(term && strcmp(term, "dumb") == 0) && isatty(STDOUT_FILENO);
}

bool program_tty_color(void)
{
    return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && !getenv("ANSI_COLORS_DISABLED");
}

void program_paint(const program_t *p, strbuf_t *out, const char *text, int color, unsigned attrs)
{
    if (!p->color) {
        strbuf_puts(out, text);
        return;
    }
    if (attrs & PROGRAM_UNDERLINE) strbuf_puts(out, "\033[4m");
    if (attrs & PROGRAM_BOLD) strbuf_puts(out, "\033[1m");
    strbuf_printf(out, "\033[%dm%s\033[0m", color, text);
}

/* The prefixes nvitop's programs colour, with termcolor's colour numbers. */
static const struct {
    const char *prefix;
    int color;
} prefixes[] = {{"INFO:", 33},       {"WARNING:", 33},    {"HINT:", 32},       {"ERROR:", 31},
                {"NVML ERROR:", 31}, {"CUDA ERROR:", 31}, {"FATAL ERROR:", 31}};

/* Writes one line on stderr, its prefix painted. */
static void write_line(const program_t *p, const char *line, size_t len)
{
    strbuf_t out = {0};
    size_t skip = 0;
    for (size_t i = 0; i < ARRAY_LEN(prefixes) && !skip; i++) {
        size_t n = strlen(prefixes[i].prefix);
        if (len > n && strncmp(line, prefixes[i].prefix, n) == 0 && line[n] == ' ') {
            program_paint(p, &out, prefixes[i].prefix, prefixes[i].color, PROGRAM_BOLD);
            skip = n;
        }
    }
    strbuf_append(&out, line + skip, len - skip);
    strbuf_putc(&out, '\n');
    fputs(strbuf_str(&out), stderr);
    strbuf_fini(&out);
}

void program_say(program_t *p, const char *line)
{
    p->said++;
    if (p->defer)
        strbuf_printf(&p->deferred, "%s\n", line);
    else
        write_line(p, line, strlen(line));
}

void program_message(program_t *p, const char *fmt, ...)
{
    strbuf_t line = {0};
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&line, fmt, ap);
    va_end(ap);
    program_say(p, line.data ? line.data : "");
    strbuf_fini(&line);
}

void program_debug(const program_t *p, const char *fmt, ...)
{
    if (p->log_level > LOG_DEBUG) return;
    va_list ap;
    va_start(ap, fmt);
    fputs("DEBUG: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int program_open_nvml(program_t *p)
{
    int error = 0;
    p->ctx = nvitop_ctx_new(NULL, &error);
    if (!p->ctx) {
        const char *root = getenv("NVITOP_PROC_ROOT");
        program_message(p, "ERROR: cannot open the proc file system at %s: %s.",
                        root && *root ? root : "/proc", nvitop_strerror(error));
        return error < 0 ? error : NVITOP_EIO;
    }
    uint64_t start = nvitop_now_ns(p->ctx);
    int rc = nvitop_init(p->ctx);
    program_debug(p, "nvitop_init: %s (%.1f ms)", nvitop_strerror(rc),
                  (double)(nvitop_now_ns(p->ctx) - start) / 1e6);
    if (rc == NVITOP_ENOLIB)
        program_message(p, "FATAL ERROR: %s", nvitop_ctx_message(p->ctx));
    else if (rc < 0)
        program_message(p, "NVML ERROR: %s", nvitop_ctx_message(p->ctx));
    return rc < 0 ? rc : 0;
}

void program_fini(program_t *p)
{
    nvitop_ctx_free(p->ctx);
    p->ctx = NULL;
    for (const char *line = p->deferred.data; line && *line;) {
        size_t len = strcspn(line, "\n");
        write_line(p, line, len);
        line += len + (line[len] == '\n');
    }
    strbuf_fini(&p->deferred);
}

int program_write_stdout(const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}
