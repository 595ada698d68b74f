/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop-exporter's internals, shared by the files of src/exporter/: its options, the
 * Prometheus text of one collection, the ready-page store, the poller's threads and the HTTP
 * server (the only code of the project that speaks HTTP). */
#ifndef NVITOP_EXPORTER_INTERNAL_H
#define NVITOP_EXPORTER_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nvitop.h>

#include "util/util.h"

/* nvitop-exporter's version is nvitop's: NVITOP_VERSION_STRING, defined once by CMake from
 * project(VERSION). */
#define EXPORTER_VERSION NVITOP_VERSION_STRING
#define EXPORTER_MIN_INTERVAL 0.25

/* ---- options.c ---- */

typedef struct exporter_options {
    const char *hostname;     /* value of every `hostname` label */
    const char *bind_address; /* as given: a numeric address or a host name */
    long port;                /* 0: any free port (the one chosen is printed) */
    double interval_s;
    const char *certfile, *keyfile;
    const char *client_cafile, *client_capath;
    bool client_auth_required;
    char default_hostname[64]; /* the primary IP address, the default of --hostname */
} exporter_options_t;

/* Parses argv with nvitop-exporter 1.7's options and checks. Returns -1 to go on, else the
 * exit code: 0 after --help/--version, 2 after a usage error (printed to stderr). */
int exporter_options_parse(int argc, char **argv, exporter_options_t *opts);

/* The address of the interface that routes to the outside (a UDP "connect" sends nothing),
 * "127.0.0.1" when there is none: nvitop-exporter's default hostname. */
void exporter_primary_address(char *buf, size_t len);

/* ---- prom_text.c: the Prometheus text format (0.0.4) ---- */

#define PROM_NUMBER_MAX 40

/* Writes v as prometheus_client writes floats: Python's repr() (shortest round-trip digits,
 * "81559.0", "0.5492638259652789", "1e+16"), positive values of 7 or more integer digits in Go's
 * exponent form ("3.94285056e+08"), "+Inf", "-Inf", "NaN". Returns the length; buf must hold
 * PROM_NUMBER_MAX bytes. */
size_t prom_format_number(double v, char *buf);

/* Appends `value` as the inside of a quoted label value: backslash, double quote and newline
 * escaped, bytes that are not UTF-8 replaced by U+FFFD (Prometheus rejects a page holding
 * them). Returns 0 or -1 (out of memory). */
int prom_append_label_value(strbuf_t *out, const char *value);

/* ---- metrics.c: the page of one collection ---- */

/* The processes exported under one device. */
typedef struct export_procs {
    const nvitop_gpu_process_t *const *items;
    size_t count;
} export_procs_t;

typedef struct export_input {
    const char *hostname;
    const nvitop_snapshot_t *snap;
    /* One entry per snap->devices[i]: the processes exported under that device (a MIG-enabled
     * GPU lists the processes of its MIG devices too, as nvitop-exporter does). NULL: each of
     * snap->processes under its own device. */
    const export_procs_t *procs;
} export_input_t;

#define EXPORT_FAMILY_COUNT 59

/* Where each family lies in a rendered page (offsets from the page's first byte). */
typedef struct export_index {
    size_t start[EXPORT_FAMILY_COUNT + 1]; /* its HELP line; [COUNT]: the page's end */
    size_t samples[EXPORT_FAMILY_COUNT];   /* its first sample line (== next start: none) */
} export_index_t;

/* Appends the whole /metrics page of one collection to out: every metric family of
 * nvitop-exporter 1.7 in its order with its HELP and TYPE lines (families without samples
 * keep them), labels in sorted order, values that are not available left out. Fills *index
 * when not NULL. Pure function of its input. Returns 0 or -1 (out of memory). */
int export_render(const export_input_t *in, strbuf_t *out, export_index_t *index);

/* Appends the families named in names (prometheus_client's `name[]` query parameter: exposed
 * names, e.g. "process_info_info") that have samples, in page order. Returns 0 or -1. */
int export_select(const char *page, const export_index_t *index, const char *const *names,
                  size_t count, strbuf_t *out);

/* The exposed name of the i-th metric family in page order; NULL past the last one. */
const char *export_family_name(size_t i);

/* ---- page.c: ready pages ---- */

typedef struct page_store page_store_t;

/* An immutable, complete /metrics page. Reference-counted: the store holds one reference to
 * the current page; each response in flight holds one. */
typedef struct page {
    atomic_size_t refs;
    page_store_t *store;
    atomic_bool retired; /* replaced by a newer page while still referenced */
    uint64_t created_ns; /* CLOCK_MONOTONIC */
    size_t len;
    char *data;
    export_index_t index;
} page_t;

struct page_store {
    pthread_mutex_t lock;
    page_t *current;
    atomic_size_t retired_bytes; /* bytes of replaced pages still held by responses */
    atomic_size_t live_pages;    /* pages allocated and not yet freed */
};

int page_store_init(page_store_t *store);
/* Drops the current page; pages still referenced are freed by their last release. */
void page_store_fini(page_store_t *store);
/* A new page holding data (malloc'd; the page takes it) and its family index (NULL: none) with
 * one reference for the caller. */
page_t *page_new(page_store_t *store, char *data, size_t len, const export_index_t *index);
/* Makes page current; the store takes the caller's reference. The previous page is released. */
void page_store_publish(page_store_t *store, page_t *page);
/* The current page with one more reference, or NULL before the first publish. */
page_t *page_store_acquire(page_store_t *store);
void page_release(page_t *page);

/* ---- poller.c: polling the driver and /proc on two tickers (util/ticker.h) ---- */

typedef struct poller poller_t;

/* Takes ctx (initialised; it becomes the fast ticker's), opens a second context for the slow
 * ticker (a context serves one thread at a time) and polls once, so the first page is
 * complete when the server starts. Returns NULL with one message line in *err on failure (ctx
 * is freed then too). */
poller_t *poller_new(nvitop_ctx_t *ctx, const char *hostname, double interval_s,
                     page_store_t *store, strbuf_t *err);
/* Starts the fast ticker (host, devices, processes every interval, the first one interval
 * from now) and the slow ticker (PCIe and NVLink counters, about 20 ms per call on a real GPU,
 * at their own pace). Returns 0 or -1. */
int poller_start(poller_t *c);
/* Stops and joins the tickers (at most one driver call of waiting), frees everything. */
void poller_free(poller_t *c);

/* ---- guard.c: a deadline on each request head ---- */

typedef struct guard_conn guard_conn_t;

typedef struct guard {
    pthread_mutex_t lock;
    pthread_cond_t wake; /* CLOCK_MONOTONIC */
    pthread_t thread;
    bool running, stopping;
    guard_conn_t *head, *tail; /* connections waiting for a request head, oldest first */
    size_t waiting, max_waiting;
    uint64_t limit_ns;
    size_t shut_count;
} guard_t;

/* Starts the thread that shuts down connections still waiting for a request head limit_s after
 * their accept or previous response; beyond max_waiting waiting connections, the oldest are
 * shut at once. Returns 0 or -1. */
int guard_start(guard_t *g, double limit_s, size_t max_waiting);
/* Stops the thread; call after every connection is closed. */
void guard_stop(guard_t *g);
/* A connection accepted on socket fd: it begins waiting for its first request head, or, when
 * head_in (the front door hands over only whole heads), for its first response. NULL when out
 * of memory (the socket is shut down then). */
guard_conn_t *guard_open(guard_t *g, int fd, bool head_in);
/* Its request head is complete: no deadline while the request is answered. NULL: no-op. */
void guard_head_received(guard_t *g, guard_conn_t *c);
/* Its response is done: it waits for the next request head (keep-alive). NULL: no-op. */
void guard_response_done(guard_t *g, guard_conn_t *c);
/* It is closing (its socket still open): forgets and frees it. NULL: no-op. */
void guard_close(guard_t *g, guard_conn_t *c);

/* ---- front.c: plain HTTP's request lines screened before libmicrohttpd ---- */

#define HTTP_MAX_TARGET 8192          /* request target (path and query) in bytes, else 414 */
#define HTTP_MAX_QUERY_PARAMETERS 100 /* else 414 */
#define URI_TOO_LONG_TEXT "414 URI Too Long: at most 8192 bytes and 100 query parameters\n"
#define FRONT_MAX_LINE (HTTP_MAX_TARGET + 32) /* a request line with the longest target */
#define FRONT_MAX_HEAD 32768 /* a head this long, still without its end, goes on (431) */

typedef enum screen {
    SCREEN_MORE,     /* no whole line yet */
    SCREEN_OK,       /* `METHOD SP target SP HTTP/d.d` */
    SCREEN_BAD,      /* anything else: 400 */
    SCREEN_TOO_LONG, /* longer than max_line: 414 */
} screen_t;

/* Judges the first line of buf (len bytes, empty lines before it skipped). */
screen_t screen_request_line(const char *buf, size_t len, size_t max_line);

typedef struct front front_t;
struct MHD_Daemon;

typedef struct front_limits {
    unsigned max_connections; /* handed to the daemon and still open (its own limit: twice) */
    unsigned max_waiting;     /* waiting for their head; beyond, the oldest incomplete goes */
    unsigned max_per_address; /* waiting from one client address */
    double head_deadline_s;   /* from the accept to the end of the head */
} front_limits_t;

/* Starts the thread that accepts on listen_fd (made non-blocking; the caller still owns it),
 * holds each connection within limits until its request head is in, answers 400/414 itself and
 * hands the others to daemon while *in_daemon (counted up here, down by the caller when the
 * daemon closes one) is below max_connections. NULL on failure. */
front_t *front_start(int listen_fd, struct MHD_Daemon *daemon, const front_limits_t *limits,
                     atomic_uint *in_daemon);
/* Stops the thread and closes the connections it still holds. NULL is a no-op. */
void front_stop(front_t *f);

/* ---- server.c: HTTP(S) with libmicrohttpd ---- */

typedef struct server server_t;

typedef enum bind_error {
    BIND_OK = 0,
    BIND_RESOLVE,   /* getaddrinfo failed: code is its EAI_* value */
    BIND_IN_USE,    /* EADDRINUSE */
    BIND_NOT_LOCAL, /* EADDRNOTAVAIL */
    BIND_OTHER,     /* code is errno */
} bind_error_t;

/* Resolves address (numeric or a name, as Python's getaddrinfo does), binds and listens.
 * Returns BIND_OK with the socket in *fd and the port bound (useful with port 0) in *bound,
 * else the kind of failure with its code in *code. */
bind_error_t server_listen(const char *address, unsigned port, int *fd, unsigned *bound, int *code);

typedef struct server_config {
    int listen_fd; /* the server owns it from server_start() on, even when that fails */
    page_store_t *store;
    double interval_s;
    const char *certfile, *keyfile;            /* both or neither: HTTPS */
    const char *client_cafile, *client_capath; /* with client_auth_required: mutual TLS */
    bool client_auth_required;
} server_config_t;

/* Loads the TLS material (when asked) and starts serving. Returns NULL with one line in *err
 * ("Failed to load TLS certificate/key from ..."). */
server_t *server_start(const server_config_t *cfg, strbuf_t *err);
/* Closes every connection and stops the server threads. NULL is a no-op. */
void server_stop(server_t *s);

/* ---- run.c ---- */

/* The whole program: options, startup messages, poller, server, signals. Returns the exit
 * code. */
int exporter_main(int argc, char **argv);

#endif
