/* SPDX-License-Identifier: Apache-2.0 */
/* The run of nvitop-exporter: nvitop-exporter 1.7's startup lines and errors (colours as
 * termcolor gives them), the poller, the server, and a clean stop on SIGINT or SIGTERM. */
#include "exporter/exporter_internal.h"
#include "render/words.h"

#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BOLD 1u
#define UNDERLINE 2u

typedef struct out {
    bool color;
} out_t;

/* termcolor's rules (nvitop-exporter colours when stdout is a terminal). */
static bool use_color(void)
{
    if (getenv("ANSI_COLORS_DISABLED") || getenv("NO_COLOR")) return false;
    if (getenv("FORCE_COLOR")) return true;
    const char *term = getenv("TERM");
    return !(term && strcmp(term, "dumb") == 0) && isatty(STDOUT_FILENO);
}

/* Appends text coloured as termcolor.colored(text, color, attrs) writes it. */
static void paint(const out_t *o, strbuf_t *sb, const char *text, int color, unsigned attrs)
{
    if (!o->color) {
        strbuf_puts(sb, text);
        return;
    }
    if (attrs & UNDERLINE) strbuf_puts(sb, "\033[4m");
    if (attrs & BOLD) strbuf_puts(sb, "\033[1m");
    strbuf_printf(sb, "\033[%dm%s\033[0m", color, text);
}

/* One line on stderr; its "INFO:", "WARNING:", "ERROR:", "NVML ERROR:" or "FATAL ERROR:"
 * prefix coloured (cprint of nvitop-exporter). */
static void say(const out_t *o, const char *line)
{
    static const struct {
        const char *prefix;
        int color;
    } prefixes[] = {
        {"INFO:", 33}, {"WARNING:", 33}, {"ERROR:", 31}, {"NVML ERROR:", 31}, {"FATAL ERROR:", 31}};
    strbuf_t sb = {0};
    const char *rest = line;
    for (size_t i = 0; i < ARRAY_LEN(prefixes); i++) {
        size_t n = strlen(prefixes[i].prefix);
        if (strncmp(line, prefixes[i].prefix, n) == 0 && line[n] == ' ') {
            paint(o, &sb, prefixes[i].prefix, prefixes[i].color, BOLD);
            rest = line + n;
            break;
        }
    }
    strbuf_puts(&sb, rest);
    strbuf_putc(&sb, '\n');
    fputs(sb.data, stderr);
    strbuf_fini(&sb);
}

static const char *device_label(const nvitop_str_t *s, bool lost)
{
    return rpt_device_label(s, lost, true);
}

/* "INFO: Found 8 device(s)." and one line per device, as nvitop-exporter prints them. */
static void list_devices(const out_t *o, nvitop_ctx_t *ctx, unsigned count)
{
    unsigned migs = 0;
    for (unsigned i = 0; i < count; i++) {
        nvitop_device_t *dev;
        if (nvitop_device_get(ctx, i, &dev) == 0) migs += nvitop_device_mig_count(dev);
    }
    strbuf_t sb = {0};
    char n[32];
    snprintf(n, sizeof(n), "%u", count);
    strbuf_puts(&sb, "INFO: Found ");
    paint(o, &sb, n, 32, BOLD);
    if (migs) {
        snprintf(n, sizeof(n), "%u", migs);
        strbuf_puts(&sb, " physical device(s) and ");
        paint(o, &sb, n, 34, BOLD);
        strbuf_puts(&sb, " MIG device(s).");
    } else {
        strbuf_puts(&sb, " device(s).");
    }
    say(o, sb.data);
    for (unsigned i = 0; i < count; i++) {
        nvitop_device_t *dev;
        if (nvitop_device_get(ctx, i, &dev) < 0) continue;
        for (unsigned j = 0; j <= nvitop_device_mig_count(dev); j++) {
            nvitop_device_t *d = dev;
            if (j && nvitop_device_mig_get(dev, j - 1, &d) < 0) continue;
            nvitop_device_snapshot_t s;
            nvitop_device_query(d, NVITOP_DQ_NAME | NVITOP_DQ_UUID, &s);
            const char *name = device_label(&s.name, s.name.na == NVITOP_NA_GPU_LOST);
            const char *uuid = device_label(&s.uuid, false);
            strbuf_reset(&sb);
            if (j) {
                const char *profile = strrchr(name, ' ');
                strbuf_printf(&sb, "INFO:   MIG %-11s Device %2u: (UUID: %s)",
                              profile ? profile + 1 : name, j - 1, uuid);
            } else {
                strbuf_printf(&sb, "INFO: GPU %u: %s (UUID: %s)", i, name, uuid);
            }
            say(o, sb.data);
        }
    }
    strbuf_fini(&sb);
}

/* Opens NVML the way nvitop does and says why when it cannot; NULL then. */
static nvitop_ctx_t *open_nvml(const out_t *o, unsigned *count)
{
    int error = 0;
    strbuf_t sb = {0};
    nvitop_ctx_t *ctx = nvitop_ctx_new(NULL, &error);
    if (!ctx) {
        const char *root = getenv("NVITOP_PROC_ROOT");
        strbuf_printf(&sb, "ERROR: cannot open the proc file system at %s: %s.",
                      root && *root ? root : "/proc", nvitop_strerror(error));
    } else {
        int rc = nvitop_init(ctx);
        if (rc < 0)
            strbuf_printf(&sb, "%s: %s", rc == NVITOP_ENOLIB ? "FATAL ERROR" : "NVML ERROR",
                          nvitop_ctx_message(ctx));
        else if (nvitop_device_count(ctx, count) < 0)
            strbuf_printf(&sb, "NVML ERROR: %s", nvitop_ctx_message(ctx));
        else if (*count == 0)
            strbuf_puts(&sb, "NVML ERROR: No NVIDIA devices found.");
    }
    if (sb.len) {
        say(o, sb.data);
        nvitop_ctx_free(ctx);
        ctx = NULL;
    }
    strbuf_fini(&sb);
    return ctx;
}

static void url_of(strbuf_t *sb, const exporter_options_t *opts, unsigned port, const char *path)
{
    strbuf_printf(sb, "%s://%s:%u%s", opts->certfile ? "https" : "http", opts->bind_address, port,
                  path);
}

/* Binds the socket, with nvitop-exporter's messages for the usual failures. -1 after one. */
static int bind_socket(const out_t *o, const exporter_options_t *opts, int *fd, unsigned *port)
{
    strbuf_t sb = {0}, url = {0};
    if (opts->port < 0 || opts->port > 65535) {
        say(o, "ERROR: bind(): port must be 0-65535.");
        return -1;
    }
    int code = 0;
    bind_error_t e = server_listen(opts->bind_address, (unsigned)opts->port, fd, port, &code);
    url_of(&url, opts, (unsigned)opts->port, "");
    switch (e) {
    case BIND_OK:
        break;
    case BIND_IN_USE:
        strbuf_puts(&sb, "ERROR: Address ");
        paint(o, &sb, url.data, 34, BOLD | UNDERLINE);
        strbuf_puts(&sb, " is already in use. Please specify a different port via "
                         "`--port <PORT>`.");
        break;
    case BIND_NOT_LOCAL:
        strbuf_puts(&sb, "ERROR: Cannot assign requested address at ");
        paint(o, &sb, url.data, 34, BOLD | UNDERLINE);
        strbuf_puts(&sb, ". Please specify a different address via `--bind-address <ADDRESS>`.");
        break;
    case BIND_RESOLVE:
        strbuf_printf(&sb, "ERROR: [Errno %d] %s", code, gai_strerror(code));
        break;
    case BIND_OTHER:
        strbuf_printf(&sb, "ERROR: [Errno %d] %s", code, strerror(code));
        break;
    }
    if (sb.len) say(o, sb.data);
    strbuf_fini(&sb);
    strbuf_fini(&url);
    return e == BIND_OK ? 0 : -1;
}

static void say_started(const out_t *o, const exporter_options_t *opts, unsigned port)
{
    strbuf_t sb = {0}, url = {0};
    url_of(&url, opts, port, "/metrics");
    strbuf_puts(&sb, "INFO: Start the exporter on ");
    paint(o, &sb, opts->hostname, 35, BOLD);
    strbuf_puts(&sb, " at ");
    paint(o, &sb, url.data, 32, BOLD | UNDERLINE);
    strbuf_putc(&sb, '.');
    say(o, sb.data);
    strbuf_fini(&sb);
    strbuf_fini(&url);
}

/* Serves until SIGINT or SIGTERM (blocked in every thread, taken here). */
static void wait_for_stop(const out_t *o, const sigset_t *stop)
{
    int sig = 0;
    while (sigwait(stop, &sig) != 0) {
    }
    if (sig == SIGINT) {
        fputc('\n', stderr);
        say(o, "INFO: Interrupted by user.");
    } else {
        say(o, "INFO: Terminated (SIGTERM), stopping.");
    }
}

static int serve(const out_t *o, const exporter_options_t *opts, nvitop_ctx_t *ctx,
                 const sigset_t *stop)
{
    page_store_t store;
    if (page_store_init(&store) < 0) {
        nvitop_ctx_free(ctx);
        return 1;
    }
    strbuf_t err = {0};
    server_t *server = NULL;
    int fd = -1;
    unsigned port = 0;
    int code = 1;
    poller_t *poller = poller_new(ctx, opts->hostname, opts->interval_s, &store, &err);
    if (poller && bind_socket(o, opts, &fd, &port) == 0) {
        server_config_t cfg = {fd,
                               &store,
                               opts->interval_s,
                               opts->certfile,
                               opts->keyfile,
                               opts->client_cafile,
                               opts->client_capath,
                               opts->client_auth_required};
        server = server_start(&cfg, &err);
    }
    if (server && poller_start(poller) == 0) {
        say_started(o, opts, port);
        wait_for_stop(o, stop);
        code = 0;
    } else if (server) {
        say(o, "ERROR: Cannot start the collector threads.");
    }
    if (err.len) say(o, err.data);
    server_stop(server); /* responses in flight release their pages here */
    poller_free(poller);
    page_store_fini(&store);
    strbuf_fini(&err);
    return code;
}

int exporter_main(int argc, char **argv)
{
    exporter_options_t opts;
    int code = exporter_options_parse(argc, argv, &opts);
    if (code >= 0) return code;
    /* Before any thread exists: the stop signals go to sigwait() only, writes to a closed
     * connection fail with EPIPE instead of killing us. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    out_t o = {use_color()};
    unsigned count = 0;
    nvitop_ctx_t *ctx = open_nvml(&o, &count);
    if (!ctx) return 1;
    list_devices(&o, ctx, count);
    return serve(&o, &opts, ctx, &stop);
}
