/* SPDX-License-Identifier: Apache-2.0 */
/* A table-driven command-line parser with the behaviour of Python's argparse, which nvitop,
 * nvisel and nvitop-exporter users know: unique prefixes of long options, clustered short
 * flags, "--opt=value", values that never look like options, mutually exclusive options,
 * argparse's messages ("argument --interval: invalid positive float value: '0'") and exit 2. */
#ifndef NVITOP_UTIL_ARGPARSE_H
#define NVITOP_UTIL_ARGPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

typedef enum arg_nargs {
    ARG_FLAG,     /* no value */
    ARG_ONE,      /* exactly one value */
    ARG_OPTIONAL, /* zero or one value (nargs='?') */
    ARG_TWO,      /* exactly two values */
    ARG_PLUS,     /* one or more (nargs='+') */
    ARG_STAR,     /* zero or more (nargs='*') */
} arg_nargs_t;

/* What a shell completes for an option's value (the scripts of --print-completion); choices are
 * completed whatever this says. */
typedef enum arg_complete {
    ARG_COMPLETE_NONE, /* nothing: a number, a size, free text */
    ARG_COMPLETE_FILE,
    ARG_COMPLETE_DIR,
    ARG_COMPLETE_USER,
    ARG_COMPLETE_HOST,
} arg_complete_t;

typedef struct arg_option {
    int id;            /* handed to the callback; 0 = --help, -1 = --version */
    const char *names; /* "--monitor|-m": all spellings, the first is canonical */
    arg_nargs_t nargs;
    const char *metavar;        /* "SEC", "th1 th2", "{auto,full,compact}" */
    const char *const *choices; /* NULL-terminated allowed values, or NULL */
    const char *group;          /* help section, NULL for the first one */
    const char *help;           /* may contain newlines */
} arg_option_t;

/* The value of option `id` is a file, a user... (options not listed: ARG_COMPLETE_NONE). */
typedef struct arg_value_kind {
    int id;
    arg_complete_t kind;
} arg_value_kind_t;

/* Called for each occurrence, in command-line order. values holds count values. Returns 0, or
 * -1 after writing the reason into *why (e.g. "invalid int value: 'x'"). */
typedef int (*arg_callback)(void *user, int id, char *const *values, size_t count, strbuf_t *why);

typedef struct arg_parser {
    const char *prog;
    const char *description;
    const char *epilog;
    const arg_option_t *options;
    size_t count;
    const int (*exclusive)[2]; /* pairs of option ids that may not be used together */
    size_t exclusive_count;
    const char *version;                 /* printed for --version */
    const arg_value_kind_t *value_kinds; /* for the completion scripts; may be NULL */
    size_t value_kind_count;
} arg_parser_t;

typedef enum arg_result {
    ARG_OK = 0,
    ARG_EXIT_OK = 1,    /* --help or --version was printed: exit 0 */
    ARG_EXIT_ERROR = 2, /* usage and an error were printed to stderr: exit 2 */
} arg_result_t;

/* Parses argv[1..argc-1]. Help goes to stdout, errors (usage + "prog: error: ...") to stderr.
 * A hidden option, not in the help, given alone: `prog --print-completion {bash,zsh,fish}`
 * prints that shell's completion script (arg_completion) and exits 0. */
arg_result_t arg_parse(const arg_parser_t *parser, int argc, char **argv, arg_callback callback,
                       void *user);

/* Prints "usage: ..." and "prog: error: <message>" to stderr (for checks after parsing). */
void arg_error(const arg_parser_t *parser, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes the usage line(s) wrapped at 80 columns. */
void arg_usage(const arg_parser_t *parser, strbuf_t *out);
void arg_help(const arg_parser_t *parser, strbuf_t *out);

/* The shells --print-completion knows, NULL-terminated. */
extern const char *const arg_completion_shells[];

/* Writes the completion script of the parser's options for shell ("bash", "zsh" or "fish"):
 * every spelling of every option, the choices of options with choices, files, directories,
 * users or hosts for values marked so. Returns 0, or -1 for an unknown shell. */
int arg_completion(const arg_parser_t *parser, const char *shell, strbuf_t *out);

/* Value converters in argparse's words; on failure they write the reason into *why. */
int arg_to_int(const char *text, long *value, strbuf_t *why);
int arg_to_float(const char *text, double *value, const char *kind, strbuf_t *why);

#endif
