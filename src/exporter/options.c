/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop-exporter's options: nvitop-exporter 1.7's set, defaults, help texts and checks (TLS
 * files must exist, mutual TLS options come as a set), with argparse's messages and exit 2. */
#include "exporter/exporter_internal.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/argparse.h"

enum {
    OPT_HELP = 0,
    OPT_VERSION = -1,
    OPT_HOSTNAME = 1,
    OPT_BIND,
    OPT_PORT,
    OPT_INTERVAL,
    OPT_CERTFILE,
    OPT_KEYFILE,
    OPT_CLIENT_CAFILE,
    OPT_CLIENT_CAPATH,
    OPT_CLIENT_AUTH,
};

#define TLS_GROUP "TLS / mTLS options"

/* What the shells complete (--print-completion). */
static const arg_value_kind_t value_kinds[] = {
    {OPT_HOSTNAME, ARG_COMPLETE_HOST},     {OPT_CERTFILE, ARG_COMPLETE_FILE},
    {OPT_KEYFILE, ARG_COMPLETE_FILE},      {OPT_CLIENT_CAFILE, ARG_COMPLETE_FILE},
    {OPT_CLIENT_CAPATH, ARG_COMPLETE_DIR},
};

void exporter_primary_address(char *buf, size_t len)
{
    str_copy(buf, len, "127.0.0.1");
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return;
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(1)};
    inet_pton(AF_INET, "10.254.254.254", &to.sin_addr);
    struct sockaddr_in me;
    socklen_t me_len = sizeof(me);
    char text[INET_ADDRSTRLEN];
    if (connect(s, (struct sockaddr *)&to, sizeof(to)) == 0 &&
        getsockname(s, (struct sockaddr *)&me, &me_len) == 0 &&
        inet_ntop(AF_INET, &me.sin_addr, text, sizeof(text)))
        str_copy(buf, len, text);
    close(s);
}

static int on_option(void *user, int id, char *const *values, size_t count, strbuf_t *why)
{
    exporter_options_t *o = user;
    (void)count;
    switch (id) {
    case OPT_HOSTNAME:
        o->hostname = values[0];
        return 0;
    case OPT_BIND:
        o->bind_address = values[0];
        return 0;
    case OPT_PORT:
        return arg_to_int(values[0], &o->port, why);
    case OPT_INTERVAL:
        if (arg_to_float(values[0], &o->interval_s, "positive float", why) < 0) return -1;
        if (!(o->interval_s > 0) || isinf(o->interval_s)) {
            strbuf_printf(why, "invalid positive float value: '%s'", values[0]);
            return -1;
        }
        return 0;
    case OPT_CERTFILE:
        o->certfile = values[0];
        return 0;
    case OPT_KEYFILE:
        o->keyfile = values[0];
        return 0;
    case OPT_CLIENT_CAFILE:
        o->client_cafile = values[0];
        return 0;
    case OPT_CLIENT_CAPATH:
        o->client_capath = values[0];
        return 0;
    case OPT_CLIENT_AUTH:
        o->client_auth_required = true;
        return 0;
    default:
        return 0;
    }
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The checks nvitop-exporter makes after parsing, in its order; false after the error. */
static bool check(const arg_parser_t *p, const exporter_options_t *o)
{
    if (o->interval_s < EXPORTER_MIN_INTERVAL) {
        arg_error(p,
                  "the interval %.2gs is too short, which may cause performance issues. "
                  "Expected 1/4 or higher.",
                  o->interval_s);
        return false;
    }
    if ((o->certfile == NULL) != (o->keyfile == NULL)) {
        arg_error(p, "`--certfile` and `--keyfile` must be specified together.");
        return false;
    }
    const struct {
        const char *value, *option, *problem;
        bool (*ok)(const char *);
    } paths[] = {
        {o->certfile, "--certfile", "not found", is_file},
        {o->keyfile, "--keyfile", "not found", is_file},
        {o->client_cafile, "--client-cafile", "not found", is_file},
        {o->client_capath, "--client-capath", "not a directory", is_dir},
    };
    for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
        if (paths[i].value && !paths[i].ok(paths[i].value)) {
            arg_error(p, "`%s` %s: %s", paths[i].option, paths[i].problem, paths[i].value);
            return false;
        }
    }
    bool ca = o->client_cafile || o->client_capath;
    if ((ca || o->client_auth_required) && !o->certfile) {
        arg_error(p, "Mutual TLS options require `--certfile` and `--keyfile`.");
        return false;
    }
    if (ca != o->client_auth_required) {
        arg_error(p, "`--client-cafile` / `--client-capath` and `--client-auth-required` must be "
                     "specified together to enable mutual TLS.");
        return false;
    }
    return true;
}

int exporter_options_parse(int argc, char **argv, exporter_options_t *o)
{
    memset(o, 0, sizeof(*o));
    exporter_primary_address(o->default_hostname, sizeof(o->default_hostname));
    o->hostname = o->default_hostname;
    o->bind_address = "127.0.0.1";
    o->port = 8000;
    o->interval_s = 1.0;
    char hostname_help[128];
    snprintf(hostname_help, sizeof(hostname_help),
             "Hostname to display in the exporter. (default: %s)", o->default_hostname);
    const arg_option_t options[] = {
        {OPT_HELP, "--help|-h", ARG_FLAG, NULL, NULL, NULL, "Show this help message and exit."},
        {OPT_VERSION, "--version|-V", ARG_FLAG, NULL, NULL, NULL,
         "Show nvitop-exporter's version number and exit."},
        {OPT_HOSTNAME, "--hostname|--host|-H", ARG_ONE, "HOSTNAME", NULL, NULL, hostname_help},
        {OPT_BIND, "--bind-address|--bind|-B", ARG_ONE, "ADDRESS", NULL, NULL,
         "Local address to bind to. (default: 127.0.0.1)"},
        {OPT_PORT, "--port|-p", ARG_ONE, "PORT", NULL, NULL, "Port to listen on. (default: 8000)"},
        {OPT_INTERVAL, "--interval", ARG_ONE, "SEC", NULL, NULL,
         "Interval between updates in seconds. (default: 1.0)"},
        {OPT_CERTFILE, "--certfile", ARG_ONE, "PATH", NULL, TLS_GROUP,
         "Path to the TLS certificate file (PEM).\n"
         "Enables HTTPS when set together with `--keyfile`."},
        {OPT_KEYFILE, "--keyfile", ARG_ONE, "PATH", NULL, TLS_GROUP,
         "Path to the TLS private key file (PEM).\nRequired if `--certfile` is set."},
        {OPT_CLIENT_CAFILE, "--client-cafile", ARG_ONE, "PATH", NULL, TLS_GROUP,
         "Path to a PEM bundle of trusted client CA certificates for mutual TLS.\n"
         "Must be passed together with `--client-auth-required`."},
        {OPT_CLIENT_CAPATH, "--client-capath", ARG_ONE, "PATH", NULL, TLS_GROUP,
         "Path to a directory of trusted client CA certificates for mutual TLS.\n"
         "Must be passed together with `--client-auth-required`."},
        {OPT_CLIENT_AUTH, "--client-auth-required", ARG_FLAG, NULL, NULL, TLS_GROUP,
         "Require clients to present a valid certificate (mutual TLS).\n"
         "Must be passed together with `--client-cafile` or `--client-capath`."},
    };
    const arg_parser_t parser = {
        .prog = "nvitop-exporter",
        .description = "Prometheus exporter built on top of `nvitop`.",
        .options = options,
        .count = ARRAY_LEN(options),
        .version = "nvitop-exporter " EXPORTER_VERSION " (nvitop " EXPORTER_VERSION ")",
        .value_kinds = value_kinds,
        .value_kind_count = ARRAY_LEN(value_kinds),
    };
    arg_result_t r = arg_parse(&parser, argc, argv, on_option, o);
    if (r != ARG_OK) return r == ARG_EXIT_OK ? 0 : 2;
    return check(&parser, o) ? -1 : 2;
}
