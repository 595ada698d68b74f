/* SPDX-License-Identifier: Apache-2.0 */
/* The shell that nvitop, nvisel and nvitop-exporter share around their work: LOGLEVEL, the
 * colour decision, messages on stderr with their prefix coloured as nvitop's cprint does
 * ("ERROR:" bold red, "WARNING:" bold yellow, ...), DEBUG lines, and opening NVML with
 * nvitop's messages for a missing proc file system, library or driver. */
#ifndef NVITOP_CLI_PROGRAM_H
#define NVITOP_CLI_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include <nvitop.h>

#include "cli/env_advice.h"
#include "util/util.h"

typedef struct program {
    const char *name;  /* "nvitop": names the program in environment warnings */
    bool color;        /* message prefixes coloured */
    int log_level;     /* LOG_* (env_advice.h); DEBUG lines at LOG_DEBUG */
    bool defer;        /* messages wait for program_fini() (nvitop prints them after its
                        * report); else each goes to stderr at once */
    strbuf_t deferred; /* one message a line */
    size_t said;       /* messages so far */
    nvitop_ctx_t *ctx; /* program_open_nvml()'s; freed by program_fini() unless taken */
} program_t;

/* A program with LOG_WARNING, no colour, messages at once; the caller sets what differs. */
void program_init(program_t *p, const char *name);
/* Frees the context, prints the deferred messages, frees the rest. */
void program_fini(program_t *p);

/* LOGLEVEL as Python's logging names it (an unknown name is a warning; LOG_WARNING stands). */
int program_log_level(const char *name);

/* termcolor's decision for stdout: off with ANSI_COLORS_DISABLED or NO_COLOR, on with
 * FORCE_COLOR, off on TERM=dumb, else on when stdout is a terminal. force: nvitop's
 * --force-color, which sets FORCE_COLOR and removes NO_COLOR. */
bool program_termcolor(bool force);
/* nvisel's rule: stdout is a terminal and neither NO_COLOR nor ANSI_COLORS_DISABLED is set. */
bool program_tty_color(void);

/* Appends text as termcolor.colored(text, color, attrs) writes it (plain without colour). */
enum { PROGRAM_BOLD = 1U << 0, PROGRAM_UNDERLINE = 1U << 1 };
void program_paint(const program_t *p, strbuf_t *out, const char *text, int color, unsigned attrs);

/* One message: "INFO:", "WARNING:", "HINT:", "ERROR:", "NVML ERROR:", "CUDA ERROR:" or "FATAL
 * ERROR:" and a blank open it; the prefix is painted when colours are on. */
void program_say(program_t *p, const char *line);
void program_message(program_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "DEBUG: ..." on stderr at once, at LOGLEVEL=DEBUG only. */
void program_debug(const program_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Creates the context (NVITOP_PROC_ROOT, NVITOP_NVML_LIBRARY apply) and initialises NVML, with
 * a DEBUG line of its time. Returns 0; or after one message, the error: of the context
 * ("ERROR: cannot open the proc file system at ..."; p->ctx NULL), NVITOP_ENOLIB ("FATAL
 * ERROR: ...") or another of nvitop_init() ("NVML ERROR: ..."). */
int program_open_nvml(program_t *p);

/* Writes all of data to stdout (again after EINTR). Returns 0, or -1 with errno set. */
int program_write_stdout(const char *data, size_t len);

#endif
