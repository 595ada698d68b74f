/* SPDX-License-Identifier: Apache-2.0 */
/* The run of nvitop-exporter: nvitop-exporter 1.7's startup lines and errors (colours as
 * termcolor gives them), the poller, the server, and a clean stop on SIGINT or SIGTERM. */
#include "exporter/exporter_internal.h"
#include "render/words.h"

#include "cli/program.h"

#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *device_label(const nvitop_str_t *s, bool lost)
{
    return rpt_device_label(s, lost, true);
}

/* "INFO: Found 8 device(s)." and one line per device, as nvitop-exporter prints them. */
static void list_devices(program_t *p, nvitop_ctx_t *ctx, unsigned count)
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
    program_paint(p, &sb, n, 32, PROGRAM_BOLD);
    if (migs) {
        snprintf(n, sizeof(n), "%u", migs);
        strbuf_puts(&sb, " physical device(s) and ");
        program_paint(p, &sb, n, 34, PROGRAM_BOLD);
        strbuf_puts(&sb, " MIG device(s).");
    } else {
        strbuf_puts(&sb, " device(s).");
    }
    program_say(p, strbuf_str(&sb));
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
            program_say(p, strbuf_str(&sb));
        }
    }
    strbuf_fini(&sb);
}

/* Opens NVML the way nvitop does and says why when it cannot, or when there is no GPU: false
 * then (p->ctx NULL). */
static bool open_nvml(program_t *p, unsigned *count)
{
    if (program_open_nvml(p) == 0) {
        if (nvitop_device_count(p->ctx, count) < 0)
            program_message(p, "NVML ERROR: %s", nvitop_ctx_message(p->ctx));
        else if (*count == 0)
            program_say(p, "NVML ERROR: No NVIDIA devices found.");
        else
            return true;
    }
    nvitop_ctx_free(p->ctx);
    p->ctx = NULL;
    return false;
}

static void url_of(strbuf_t *sb, const exporter_options_t *opts, unsigned port, const char *path)
{
    strbuf_printf(sb, "%s://%s:%u%s", opts->certfile ? "https" : "http", opts->bind_address, port,
                  path);
}

/* Binds the socket, with nvitop-exporter's messages for the usual failures. -1 after one. */
static int bind_socket(program_t *p, const exporter_options_t *opts, int *fd, unsigned *port)
{
    strbuf_t sb = {0}, url = {0};
    if (opts->port < 0 || opts->port > 65535) {
        program_say(p, "ERROR: bind(): port must be 0-65535.");
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
        program_paint(p, &sb, strbuf_str(&url), 34, PROGRAM_BOLD | PROGRAM_UNDERLINE);
        strbuf_puts(&sb, " is already in use. Please specify a different port via "
                         "`--port <PORT>`.");
        break;
    case BIND_NOT_LOCAL:
        strbuf_puts(&sb, "ERROR: Cannot assign requested address at ");
        program_paint(p, &sb, strbuf_str(&url), 34, PROGRAM_BOLD | PROGRAM_UNDERLINE);
        strbuf_puts(&sb, ". Please specify a different address via `--bind-address <ADDRESS>`.");
        break;
    case BIND_RESOLVE:
        strbuf_printf(&sb, "ERROR: [Errno %d] %s", code, gai_strerror(code));
        break;
    case BIND_OTHER:
        strbuf_printf(&sb, "ERROR: [Errno %d] %s", code, strerror(code));
        break;
    }
    if (sb.len) program_say(p, sb.data);
    strbuf_fini(&sb);
    strbuf_fini(&url);
    return e == BIND_OK ? 0 : -1;
}

static void say_started(program_t *p, const exporter_options_t *opts, unsigned port)
{
    strbuf_t sb = {0}, url = {0};
    url_of(&url, opts, port, "/metrics");
    strbuf_puts(&sb, "INFO: Start the exporter on ");
    program_paint(p, &sb, opts->hostname, 35, PROGRAM_BOLD);
    strbuf_puts(&sb, " at ");
    program_paint(p, &sb, strbuf_str(&url), 32, PROGRAM_BOLD | PROGRAM_UNDERLINE);
    strbuf_putc(&sb, '.');
    program_say(p, strbuf_str(&sb));
    strbuf_fini(&sb);
    strbuf_fini(&url);
}

/* Serves until SIGINT or SIGTERM (blocked in every thread, taken here). */
static void wait_for_stop(program_t *p, const sigset_t *stop)
{
    int sig = 0;
    while (sigwait(stop, &sig) != 0) {
    }
    if (sig == SIGINT) {
        fputc('\n', stderr);
        program_say(p, "INFO: Interrupted by user.");
    } else {
        program_say(p, "INFO: Terminated (SIGTERM), stopping.");
    }
}

static int serve(program_t *p, const exporter_options_t *opts, nvitop_ctx_t *ctx,
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
    if (poller && bind_socket(p, opts, &fd, &port) == 0) {
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
        say_started(p, opts, port);
        wait_for_stop(p, stop);
        code = 0;
    } else if (server) {
        program_say(p, "ERROR: Cannot start the collector threads.");
    }
    if (err.len) program_say(p, err.data);
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
    program_t p;
    program_init(&p, "nvitop-exporter");
    p.color = program_termcolor(false);
    unsigned count = 0;
    code = 1;
    if (open_nvml(&p, &count)) {
        nvitop_ctx_t *ctx = p.ctx; /* the collector's from here on */
        p.ctx = NULL;
        list_devices(&p, ctx, count);
        code = serve(&p, &opts, ctx, &stop);
    }
    program_fini(&p);
    return code;
}
