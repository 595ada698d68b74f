/* SPDX-License-Identifier: Apache-2.0 */
/* The HTTP(S) side of nvitop-exporter, on libmicrohttpd: GET /metrics serves the current ready
 * page, / a landing page, /healthz the age of the last collection. Two event-loop threads
 * (epoll), bounded connections per client address and in all, an idle timeout and a memory
 * pool per connection keep slow or hostile clients from stalling scrapes or growing memory;
 * TLS and mutual TLS through GnuTLS. This file is the only one that speaks HTTP. */
#include "exporter/exporter_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>

#define CONTENT_TYPE_METRICS "text/plain; version=0.0.4; charset=utf-8"
#define POOL_THREADS 2
#define MAX_CONNECTIONS 512        /* in all, lowered to fit the file descriptor limit */
#define MAX_PER_ADDRESS 64         /* from one client address */
#define IDLE_TIMEOUT_S 10          /* a connection that moves no byte for this long is closed */
#define HEAD_DEADLINE_S 5.0        /* a request head must be complete this long after accept */
#define CONNECTION_MEMORY 32768    /* request line + headers must fit (else 431) */
#define BLOCK_SIZE 65536           /* bytes handed to MHD per read of a page */
#define RESPONSE_DEADLINE_S 60     /* a /metrics response still sending after this is cut */
#define RETIRED_BUDGET (64u << 20) /* replaced pages still held by slow readers, in bytes */
#define MAX_PEM_FILE (1u << 20)

/* Shared responses: made once, queued by any number of requests. */
enum {
    R_LANDING,
    R_HEALTH_OK,
    R_NOT_FOUND,
    R_NOT_ALLOWED,
    R_OPTIONS,
    R_FORBIDDEN,
    R_NO_PAGE,
    R_URI_TOO_LONG,
    R__COUNT
};

struct server {
    struct MHD_Daemon *daemon;
    page_store_t *store;
    double interval_s;
    bool tls, client_auth;
    char *cert_pem, *key_pem, *trust_pem; /* alive while the daemon runs */
    struct MHD_Response *shared[R__COUNT];
    guard_t guard;
    front_t *front;        /* plain HTTP: accepts and screens request lines */
    atomic_uint in_daemon; /* connections the front door handed to the daemon, still open */
    int listen_fd;
};

bind_error_t server_listen(const char *address, unsigned port, int *fd, unsigned *bound, int *code)
{
    char service[16];
    snprintf(service, sizeof(service), "%u", port);
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    int rc = getaddrinfo(address, service, &hints, &res);
    if (rc != 0) {
        *code = rc;
        return BIND_RESOLVE;
    }
    /* The first answer, as Python's http.server does. */
    int s = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, res->ai_protocol);
    int one = 1;
    if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(s, res->ai_addr, res->ai_addrlen) < 0 || listen(s, 128) < 0) {
        int e = errno;
        if (s >= 0) close(s);
        freeaddrinfo(res);
        *code = e;
        return e == EADDRINUSE ? BIND_IN_USE : e == EADDRNOTAVAIL ? BIND_NOT_LOCAL : BIND_OTHER;
    }
    freeaddrinfo(res);
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    *bound = port;
    if (getsockname(s, (struct sockaddr *)&ss, &len) == 0)
        *bound = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                : ((struct sockaddr_in *)&ss)->sin_port);
    *fd = s;
    return BIND_OK;
}

/* ---- responses ---- */

/* A /metrics response in flight: the page it sends (one reference) and when it began. */
typedef struct metrics_body {
    page_t *page;
    uint64_t start_ns;
} metrics_body_t;

/* Hands MHD the next bytes of the page. A reader too slow to matter is cut: after the deadline,
 * or when pages replaced since and still held exceed the budget (a reader that never reads is
 * closed by the idle timeout instead, which never calls this). */
static ssize_t read_page(void *cls, uint64_t pos, char *buf, size_t max)
{
    metrics_body_t *b = cls;
    const page_t *p = b->page;
    if (clock_monotonic_ns() - b->start_ns > RESPONSE_DEADLINE_S * NS_PER_SEC ||
        (atomic_load(&p->retired) && atomic_load(&p->store->retired_bytes) > RETIRED_BUDGET))
        return MHD_CONTENT_READER_END_WITH_ERROR;
    if (pos >= p->len) return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = p->len - (size_t)pos < max ? p->len - (size_t)pos : max;
    memcpy(buf, p->data + pos, n);
    return (ssize_t)n;
}

static void free_body(void *cls)
{
    metrics_body_t *b = cls;
    page_release(b->page);
    free(b);
}

static enum MHD_Result queue_shared(server_t *s, struct MHD_Connection *c, unsigned status,
                                    int which)
{
    return MHD_queue_response(c, status, s->shared[which]);
}

/* The values of `name[]` query parameters (prometheus_client's filter), 64 at most. */
typedef struct name_filter {
    const char *names[64];
    size_t count;
} name_filter_t;

static enum MHD_Result collect_name(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    name_filter_t *f = cls;
    (void)kind;
    if (strcmp(key, "name[]") == 0 && value && f->count < ARRAY_LEN(f->names))
        f->names[f->count++] = value;
    return MHD_YES;
}

/* /metrics?name[]=a&name[]=b: only those families, copied out of the current page. */
static enum MHD_Result serve_selected(server_t *s, struct MHD_Connection *c, const name_filter_t *f)
{
    page_t *p = page_store_acquire(s->store);
    if (!p) return queue_shared(s, c, MHD_HTTP_SERVICE_UNAVAILABLE, R_NO_PAGE);
    strbuf_t out = {0};
    int rc = export_select(p->data, &p->index, f->names, f->count, &out);
    page_release(p);
    size_t len = out.len;
    char *data = rc == 0 ? strbuf_take(&out) : NULL;
    strbuf_fini(&out);
    if (!data) return MHD_NO;
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(data);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, CONTENT_TYPE_METRICS);
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result serve_metrics(server_t *s, struct MHD_Connection *c)
{
    name_filter_t filter = {.count = 0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_name, &filter);
    if (filter.count) return serve_selected(s, c, &filter);
    metrics_body_t *b = malloc(sizeof(*b));
    if (!b) return MHD_NO;
    b->page = page_store_acquire(s->store);
    if (!b->page) {
        free(b);
        return queue_shared(s, c, MHD_HTTP_SERVICE_UNAVAILABLE, R_NO_PAGE);
    }
    b->start_ns = clock_monotonic_ns();
    struct MHD_Response *r =
        MHD_create_response_from_callback(b->page->len, BLOCK_SIZE, read_page, b, free_body);
    if (!r) {
        free_body(b);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, CONTENT_TYPE_METRICS);
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

/* 200 while the last collection is recent (5 intervals, at least 10 s), else 503 with its age:
 * a poller stuck in the driver shows here while the last page is still served. */
static enum MHD_Result serve_health(server_t *s, struct MHD_Connection *c)
{
    page_t *p = page_store_acquire(s->store);
    if (!p) return queue_shared(s, c, MHD_HTTP_SERVICE_UNAVAILABLE, R_NO_PAGE);
    double age = (double)(clock_monotonic_ns() - p->created_ns) / 1e9;
    page_release(p);
    double limit = 5 * s->interval_s > 10.0 ? 5 * s->interval_s : 10.0;
    if (age <= limit) return queue_shared(s, c, MHD_HTTP_OK, R_HEALTH_OK);
    char text[96];
    int n = snprintf(text, sizeof(text), "stale: the last collection is %.1f s old\n", age);
    struct MHD_Response *r =
        MHD_create_response_from_buffer((size_t)n, text, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_SERVICE_UNAVAILABLE, r);
    MHD_destroy_response(r);
    return ok;
}

/* With --client-auth-required the TLS handshake already demands a valid client certificate;
 * this checks it again for every request. */
static bool client_verified(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (!ci || !ci->tls_session) return false;
    unsigned status = 0;
    return gnutls_certificate_verify_peers2((gnutls_session_t)ci->tls_session, &status) == 0 &&
           status == 0;
}

static guard_conn_t *guarded(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* What a request's req_cls points to: the stage of the request. */
static const char REQ_LINE_IN, REQ_TARGET_TOO_LONG, REQ_HEAD_IN;

static size_t query_parameters(const char *query)
{
    size_t n = *query ? 1 : 0;
    while ((query = strchr(query, '&')))
        n++, query++;
    return n;
}

/* Called by libmicrohttpd as soon as the request line is in, with the raw target, before it
 * parses the query. libmicrohttpd 0.9.75 stores every query parameter in the connection's
 * memory pool and, when the pool runs out, neither answers nor closes (the connection hangs
 * until the idle timeout): a target too long or with too many parameters has its query cut
 * here, in libmicrohttpd's request buffer that holds the target, so none is stored, and is
 * answered 414. Returns the request's first req_cls. */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    char *query = strchr(uri, '?');
    if (strlen(uri) <= HTTP_MAX_TARGET &&
        (!query || query_parameters(query + 1) <= HTTP_MAX_QUERY_PARAMETERS))
        return (void *)&REQ_LINE_IN;
    if (query) query[1] = '\0';
    return (void *)&REQ_TARGET_TOO_LONG;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
    server_t *s = cls;
    (void)version;
    (void)upload_data;
    bool first = *req_cls != &REQ_HEAD_IN;
    if (first) guard_head_received(&s->guard, guarded(c));
    if (*req_cls == &REQ_TARGET_TOO_LONG)
        return queue_shared(s, c, MHD_HTTP_URI_TOO_LONG, R_URI_TOO_LONG);
    bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
    bool head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    bool options = strcmp(method, MHD_HTTP_METHOD_OPTIONS) == 0;
    if (!get && !head && !options)
        return queue_shared(s, c, MHD_HTTP_METHOD_NOT_ALLOWED, R_NOT_ALLOWED);
    /* Answering a GET on the first call would make MHD close the connection after the
     * response; the second call (headers complete, no body) keeps it alive. A GET with a body
     * is not a scrape: the connection is dropped. */
    if (first) {
        *req_cls = (void *)&REQ_HEAD_IN;
        return MHD_YES;
    }
    if (*upload_data_size) return MHD_NO;
    if (s->client_auth && !client_verified(c))
        return queue_shared(s, c, MHD_HTTP_FORBIDDEN, R_FORBIDDEN);
    if (options) return queue_shared(s, c, MHD_HTTP_OK, R_OPTIONS);
    if (strcmp(url, "/metrics") == 0) return serve_metrics(s, c);
    if (strcmp(url, "/") == 0) return queue_shared(s, c, MHD_HTTP_OK, R_LANDING);
    if (strcmp(url, "/healthz") == 0) return serve_health(s, c);
    return queue_shared(s, c, MHD_HTTP_NOT_FOUND, R_NOT_FOUND);
}

/* A request answered (or abandoned): its connection waits for the next head. */
static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    server_t *s = cls;
    (void)req_cls;
    (void)toe;
    guard_response_done(&s->guard, guarded(c));
}

/* Every connection is guarded from its accept to its close (its socket is still open when
 * CLOSED is notified); a plain one comes from the front door with its first head whole, so it
 * waits for no head until its first response is done. Mutual TLS: before the handshake, require a
 * client certificate and have GnuTLS verify it against the trusted CAs, so a client without one is
 * refused by the handshake itself. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    server_t *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        if (!s->tls) atomic_fetch_sub(&s->in_daemon, 1);
        guard_close(&s->guard, *socket_context);
        *socket_context = NULL;
        return;
    }
    const union MHD_ConnectionInfo *fd =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    *socket_context = fd ? guard_open(&s->guard, fd->connect_fd, !s->tls) : NULL;
    if (!s->client_auth) return;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (!ci || !ci->tls_session) return;
    gnutls_session_t session = (gnutls_session_t)ci->tls_session;
    gnutls_certificate_server_set_request(session, GNUTLS_CERT_REQUIRE);
    gnutls_session_set_verify_cert(session, NULL, 0);
}

static void quiet_logger(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    (void)fmt;
    (void)ap;
}

static const char landing_page[] =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>nvitop-exporter</title></head>\n"
    "<body><h1>nvitop-exporter " EXPORTER_VERSION "</h1>\n"
    "<p>Prometheus exporter of NVIDIA GPU, process and host metrics.</p>\n"
    "<ul><li><a href=\"/metrics\">/metrics</a>: the metrics (Prometheus text format 0.0.4)</li>\n"
    "<li><a href=\"/healthz\">/healthz</a>: 200 while collections are recent</li></ul>\n"
    "</body></html>\n";

static struct MHD_Response *text_response(const char *text, const char *type)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (r) MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    return r;
}

static int make_shared(server_t *s)
{
    const char *plain = "text/plain; charset=utf-8";
    s->shared[R_LANDING] = text_response(landing_page, "text/html; charset=utf-8");
    s->shared[R_HEALTH_OK] = text_response("ok\n", plain);
    s->shared[R_NOT_FOUND] = text_response("404 Not Found: the metrics are at /metrics\n", plain);
    s->shared[R_NOT_ALLOWED] = text_response("405 Method Not Allowed: use GET\n", plain);
    s->shared[R_OPTIONS] = text_response("", plain);
    s->shared[R_FORBIDDEN] =
        text_response("403 Forbidden: a client certificate is needed\n", plain);
    s->shared[R_NO_PAGE] = text_response("503 Service Unavailable: no collection yet\n", plain);
    s->shared[R_URI_TOO_LONG] = text_response(URI_TOO_LONG_TEXT, plain);
    for (int i = 0; i < R__COUNT; i++)
        if (!s->shared[i]) return -1;
    MHD_add_response_header(s->shared[R_NOT_ALLOWED], MHD_HTTP_HEADER_ALLOW, "GET, HEAD, OPTIONS");
    MHD_add_response_header(s->shared[R_OPTIONS], MHD_HTTP_HEADER_ALLOW, "GET, HEAD, OPTIONS");
    return 0;
}

/* ---- TLS material ---- */

static char *read_pem(const char *path, strbuf_t *why)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        strbuf_printf(why, "%s", strerror(errno));
        return NULL;
    }
    strbuf_t sb = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && sb.len <= MAX_PEM_FILE)
        strbuf_append(&sb, chunk, n);
    bool bad = ferror(f) || sb.len > MAX_PEM_FILE;
    fclose(f);
    if (bad || !sb.data) {
        strbuf_printf(why, "%s", sb.len > MAX_PEM_FILE ? "file larger than 1 MiB" : "read error");
        strbuf_fini(&sb);
        return NULL;
    }
    return strbuf_take(&sb);
}

/* Every certificate file of a directory (c_rehash links included), concatenated. */
static char *read_ca_dir(const char *dir, strbuf_t *why)
{
    DIR *d = opendir(dir);
    if (!d) {
        strbuf_printf(why, "%s", strerror(errno));
        return NULL;
    }
    strbuf_t all = {0};
    struct dirent *e;
    while ((e = readdir(d)) && all.len <= 16 * MAX_PEM_FILE) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) continue;
        strbuf_t ignored = {0};
        char *pem = read_pem(path, &ignored);
        strbuf_fini(&ignored);
        if (pem && strstr(pem, "-----BEGIN CERTIFICATE-----")) {
            strbuf_puts(&all, pem);
            strbuf_putc(&all, '\n');
        }
        free(pem);
    }
    closedir(d);
    if (!all.len) strbuf_puts(why, "no PEM certificate in the directory");
    return all.len ? strbuf_take(&all) : NULL;
}

/* Reads and checks the certificate, key and client CAs with GnuTLS, so a bad file is one clear
 * line instead of a daemon that will not start. */
static int load_tls(server_t *s, const server_config_t *cfg, strbuf_t *err)
{
    strbuf_t why = {0};
    gnutls_certificate_credentials_t cred = NULL;
    int rc = -1;
    s->cert_pem = read_pem(cfg->certfile, &why);
    s->key_pem = s->cert_pem ? read_pem(cfg->keyfile, &why) : NULL;
    if (s->key_pem && gnutls_certificate_allocate_credentials(&cred) == GNUTLS_E_SUCCESS) {
        gnutls_datum_t cert = {(unsigned char *)s->cert_pem, (unsigned)strlen(s->cert_pem)};
        gnutls_datum_t key = {(unsigned char *)s->key_pem, (unsigned)strlen(s->key_pem)};
        int g = gnutls_certificate_set_x509_key_mem(cred, &cert, &key, GNUTLS_X509_FMT_PEM);
        if (g < 0) strbuf_puts(&why, gnutls_strerror(g));
    }
    if (why.len || !cred) {
        strbuf_printf(err, "ERROR: Failed to load TLS certificate/key from `%s` / `%s`: %s",
                      cfg->certfile, cfg->keyfile, why.len ? why.data : "out of memory");
        goto done;
    }
    if (cfg->client_auth_required) {
        const char *from = cfg->client_cafile ? cfg->client_cafile : cfg->client_capath;
        s->trust_pem =
            cfg->client_cafile ? read_pem(from, &why) : read_ca_dir(cfg->client_capath, &why);
        if (s->trust_pem) {
            gnutls_datum_t ca = {(unsigned char *)s->trust_pem, (unsigned)strlen(s->trust_pem)};
            int g = gnutls_certificate_set_x509_trust_mem(cred, &ca, GNUTLS_X509_FMT_PEM);
            if (g < 0)
                strbuf_puts(&why, gnutls_strerror(g));
            else if (g == 0)
                strbuf_puts(&why, "no certificate found");
        }
        if (why.len) {
            strbuf_printf(err, "ERROR: Failed to load client CA bundle from `%s`: %s", from,
                          why.data);
            goto done;
        }
    }
    rc = 0;
done:
    if (cred) gnutls_certificate_free_credentials(cred);
    strbuf_fini(&why);
    return rc;
}

/* libmicrohttpd's connections, plus as many as 3/4 of them waiting in the front door, plus 64
 * descriptors for the rest must fit the file limit. */
static unsigned connection_limit(void)
{
    struct rlimit rl;
    unsigned limit = MAX_CONNECTIONS;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < (rlim_t)limit * 7 / 4 + 64)
        limit = rl.rlim_cur > 120 ? (unsigned)(rl.rlim_cur - 64) * 4 / 7 : 32;
    return limit;
}

server_t *server_start(const server_config_t *cfg, strbuf_t *err)
{
    server_t *s = calloc(1, sizeof(*s));
    if (s) s->listen_fd = -1;
    if (!s || make_shared(s) < 0) {
        close(cfg->listen_fd);
        strbuf_puts(err, "ERROR: Out of memory.");
        server_stop(s);
        return NULL;
    }
    s->store = cfg->store;
    s->interval_s = cfg->interval_s;
    s->tls = cfg->certfile != NULL;
    s->client_auth = s->tls && cfg->client_auth_required;
    if (s->tls && load_tls(s, cfg, err) < 0) {
        close(cfg->listen_fd);
        server_stop(s);
        return NULL;
    }
    struct MHD_OptionItem tls_options[] = {
        {s->tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, s->key_pem},
        {MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert_pem},
        {s->client_auth ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, 0, s->trust_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    unsigned limit = connection_limit();
    const front_limits_t front_limits = {limit, limit - limit / 4, MAX_PER_ADDRESS,
                                         HEAD_DEADLINE_S};
    if (guard_start(&s->guard, HEAD_DEADLINE_S, limit - limit / 4) < 0) {
        close(cfg->listen_fd);
        strbuf_puts(err, "ERROR: Cannot start the HTTP server.");
        server_stop(s);
        return NULL;
    }
    /* TLS: libmicrohttpd accepts itself (the request line is encrypted). */
    struct MHD_OptionItem listen_options[] = {
        {s->tls ? MHD_OPTION_LISTEN_SOCKET : MHD_OPTION_END, cfg->listen_fd, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
                     (s->tls ? MHD_USE_TLS : MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC);
    s->listen_fd = s->tls ? -1 : cfg->listen_fd;
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_ARRAY, listen_options,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)POOL_THREADS, MHD_OPTION_CONNECTION_LIMIT,
        s->tls ? limit : 2 * limit, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)MAX_PER_ADDRESS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONNECTION_MEMORY, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_URI_LOG_CALLBACK, on_request_line,
        s, MHD_OPTION_EXTERNAL_LOGGER, quiet_logger, NULL, MHD_OPTION_ARRAY, tls_options,
        MHD_OPTION_END);
    if (!s->daemon || (!s->tls && !(s->front = front_start(cfg->listen_fd, s->daemon, &front_limits,
                                                           &s->in_daemon)))) {
        close(cfg->listen_fd);
        s->listen_fd = -1;
        strbuf_puts(err, s->tls ? "ERROR: Cannot start the HTTPS server (TLS setup failed)."
                                : "ERROR: Cannot start the HTTP server.");
        server_stop(s);
        return NULL;
    }
    return s;
}

void server_stop(server_t *s)
{
    if (!s) return;
    front_stop(s->front);
    if (s->daemon) MHD_stop_daemon(s->daemon); /* closes its listening socket (TLS) too */
    if (s->listen_fd >= 0) close(s->listen_fd);
    guard_stop(&s->guard);
    for (int i = 0; i < R__COUNT; i++)
        if (s->shared[i]) MHD_destroy_response(s->shared[i]);
    free(s->cert_pem);
    free(s->key_pem);
    free(s->trust_pem);
    free(s);
}
