/* SPDX-License-Identifier: Apache-2.0 */
/* Prometheus' HTTP API through libcurl: one easy handle kept between queries (its connection
 * stays open), every family asked in turn within one deadline per refresh, each answer parsed
 * and joined before the next is read. Every failure becomes one sentence naming the problem:
 * what refused, what timed out, what answered instead of Prometheus. */
#include "fleet/fleet.h"

#include "fleet/curl_api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct prom_client {
    curl_api_t api;
    CURL *curl;
    char *base;    /* the URL as given, no trailing slash */
    char *display; /* the URL without credentials, for messages */
    fleet_source_t src;
    strbuf_t body;
    bool too_big;
    char error[CURL_ERROR_SIZE];
    struct curl_slist *headers;
    uint64_t wait_ns;
    bool (*cancelled)(void *arg);
    void *cancel_arg;
};

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
    prom_client_t *c = arg;
    size_t len = size * n;
    if (c->body.len + len > PROM_REPLY_MAX_BYTES) {
        c->too_big = true;
        return 0; /* curl stops: CURLE_WRITE_ERROR */
    }
    return strbuf_append(&c->body, data, len) < 0 ? 0 : len;
}

static int on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt, (void)dn, (void)ut, (void)un;
    prom_client_t *c = arg;
    return c->cancelled && c->cancelled(c->cancel_arg) ? 1 : 0;
}

/* scheme://host[:port][/path] of the URL, its credentials left out. Returns 0, or -1 with why. */
static int check_url(prom_client_t *c, const char *url, strbuf_t *why)
{
    CURLU *u = c->api.url();
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
    int rc = -1;
    if (!u || c->api.url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        c->api.url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        c->api.url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        strbuf_printf(why, "not a URL: '%s' (expected http://HOST:PORT or https://HOST:PORT)", url);
    } else if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        strbuf_printf(why, "unsupported scheme '%s' in '%s' (expected http:// or https://)", scheme,
                      url);
    } else {
        c->api.url_get(u, CURLUPART_PORT, &port, 0);
        c->api.url_get(u, CURLUPART_PATH, &path, 0);
        strbuf_t d = {0};
        strbuf_printf(&d, "%s://%s%s%s%s", scheme, host, port ? ":" : "", port ? port : "",
                      path && strcmp(path, "/") != 0 ? path : "");
        while (d.len && d.data[d.len - 1] == '/')
            d.data[--d.len] = '\0';
        c->display = strbuf_take(&d);
        rc = c->display ? 0 : -1;
    }
    c->api.free(scheme);
    c->api.free(host);
    c->api.free(port);
    c->api.free(path);
    c->api.url_cleanup(u);
    return rc;
}

/* The first line of a small secret file, blanks around it removed. */
static char *read_secret(const char *path, const char *option, strbuf_t *why)
{
    FILE *fp = fopen(path, "r");
    char line[4096];
    if (!fp) {
        strbuf_printf(why, "cannot read %s %s: %s", option, path, strerror(errno));
        return NULL;
    }
    bool ok = fgets(line, sizeof(line), fp) != NULL;
    fclose(fp);
    size_t len = ok ? strcspn(line, "\r\n") : 0;
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    line[len] = '\0';
    char *start = line + strspn(line, " \t");
    if (!*start) {
        strbuf_printf(why, "%s %s is empty", option, path);
        return NULL;
    }
    return strdup(start);
}

/* Credentials are read at each refresh: a token that rotates is picked up. */
static int load_credentials(prom_client_t *c, strbuf_t *why)
{
    c->api.slist_free_all(c->headers);
    c->headers = NULL;
    if (c->src.token_file) {
        char *token = read_secret(c->src.token_file, "--prometheus-token-file", why);
        if (!token) return -1;
        strbuf_t h = {0};
        strbuf_printf(&h, "Authorization: Bearer %s", token);
        free(token);
        c->headers = c->api.slist_append(NULL, strbuf_str(&h));
        strbuf_fini(&h);
        if (!c->headers) return strbuf_puts(why, "out of memory"), -1;
    }
    c->api.easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->headers);
    if (c->src.basic_auth_file) {
        char *userpwd = read_secret(c->src.basic_auth_file, "--prometheus-basic-auth-file", why);
        if (!userpwd) return -1;
        if (!strchr(userpwd, ':')) {
            free(userpwd);
            strbuf_printf(why, "--prometheus-basic-auth-file %s: expected user:password",
                          c->src.basic_auth_file);
            return -1;
        }
        c->api.easy_setopt(c->curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        c->api.easy_setopt(c->curl, CURLOPT_USERPWD, userpwd);
        free(userpwd);
    }
    return 0;
}

static void set_tls(prom_client_t *c)
{
    if (c->src.ca_file) c->api.easy_setopt(c->curl, CURLOPT_CAINFO, c->src.ca_file);
    if (c->src.cert_file) c->api.easy_setopt(c->curl, CURLOPT_SSLCERT, c->src.cert_file);
    if (c->src.key_file) c->api.easy_setopt(c->curl, CURLOPT_SSLKEY, c->src.key_file);
}

int prom_client_open(const fleet_source_t *src, prom_client_t **out, strbuf_t *why)
{
    *out = NULL;
    prom_client_t *c = calloc(1, sizeof(*c));
    if (!c) return strbuf_puts(why, "out of memory"), -1;
    c->src = *src;
    if (curl_api_load(&c->api, why) < 0) {
        free(c);
        return -1;
    }
    if (c->api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(c->curl = c->api.easy_init())) {
        curl_api_unload(&c->api);
        free(c);
        return strbuf_puts(why, "cannot start libcurl"), -1;
    }
    if (check_url(c, src->url, why) < 0 || !(c->base = strdup(src->url))) {
        prom_client_free(c);
        return -1;
    }
    for (size_t len = strlen(c->base); len && c->base[len - 1] == '/';)
        c->base[--len] = '\0';
    CURL *h = c->curl;
    c->api.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    c->api.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    c->api.easy_setopt(h, CURLOPT_WRITEDATA, c);
    c->api.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    c->api.easy_setopt(h, CURLOPT_XFERINFODATA, c);
    c->api.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    c->api.easy_setopt(h, CURLOPT_ERRORBUFFER, c->error);
    c->api.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* gzip: big fleets, small transfers */
    c->api.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)PROM_REPLY_MAX_BYTES);
    c->api.easy_setopt(h, CURLOPT_USERAGENT, "nvitop/" NVITOP_VERSION_STRING);
    c->api.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    set_tls(c);
    *out = c;
    return 0;
}

void prom_client_free(prom_client_t *c)
{
    if (!c) return;
    if (c->curl) {
        c->api.easy_cleanup(c->curl);
        c->api.global_cleanup();
    }
    if (c->headers) c->api.slist_free_all(c->headers);
    curl_api_unload(&c->api);
    strbuf_fini(&c->body);
    free(c->base);
    free(c->display);
    free(c);
}

void prom_client_set_cancel(prom_client_t *c, bool (*cancelled)(void *arg), void *arg)
{
    c->cancelled = cancelled;
    c->cancel_arg = arg;
}

uint64_t prom_client_wait_ns(const prom_client_t *c)
{
    return c->wait_ns;
}

const char *prom_client_url(const prom_client_t *c)
{
    return c->display;
}

/* A transfer that failed: what the user can do about it. */
static void say_curl_error(prom_client_t *c, CURLcode rc, strbuf_t *why)
{
    const char *detail = c->error[0] ? c->error : c->api.easy_strerror(rc);
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        strbuf_printf(why, "cannot connect (%s): is Prometheus running there?", detail);
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        strbuf_printf(why, "unknown host (%s)", detail);
        break;
    case CURLE_OPERATION_TIMEDOUT:
        strbuf_printf(why, "no answer within %g s (--prometheus-timeout)", c->src.timeout_s);
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
        strbuf_printf(why,
                      "its TLS certificate is not trusted (%s): name its CA with "
                      "--prometheus-cafile",
                      detail);
        break;
    case CURLE_SSL_CACERT_BADFILE:
        strbuf_printf(why, "cannot use the CA file %s (%s)", c->src.ca_file ? c->src.ca_file : "",
                      detail);
        break;
    case CURLE_SSL_CERTPROBLEM:
        strbuf_printf(why, "cannot use the client certificate (%s)", detail);
        break;
    case CURLE_SSL_CONNECT_ERROR:
        strbuf_printf(why, "the TLS handshake failed (%s)", detail);
        break;
    case CURLE_FILESIZE_EXCEEDED:
        strbuf_printf(why, "the answer is larger than %u MiB", PROM_REPLY_MAX_BYTES >> 20);
        break;
    case CURLE_PARTIAL_FILE:
        strbuf_printf(why, "the answer was cut short (%s)", detail);
        break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_HTTP2: /* the same over HTTP/2 (a Go server offers it) */
    case CURLE_HTTP2_STREAM:
        if (str_starts_with(c->display, "https:") && !c->src.cert_file)
            strbuf_printf(why,
                          "the connection broke (%s): does the server want a client "
                          "certificate (--prometheus-certfile)?",
                          detail);
        else
            strbuf_printf(why, "the connection broke (%s)", detail);
        break;
    case CURLE_GOT_NOTHING:
        strbuf_puts(why, "the server closed the connection without an answer");
        break;
    case CURLE_ABORTED_BY_CALLBACK:
        strbuf_puts(why, "cancelled");
        break;
    default:
        if (c->too_big)
            strbuf_printf(why, "the answer is larger than %u MiB", PROM_REPLY_MAX_BYTES >> 20);
        else
            strbuf_printf(why, "the request failed (%s; curl error %d)", detail, (int)rc);
    }
}

/* The printable start of the body's first line (up to 100 bytes): what a proxy or a TLS server
 * said instead of Prometheus ("Client sent an HTTP request to an HTTPS server."). */
static int first_line_len(const strbuf_t *body)
{
    int n = 0;
    while ((size_t)n < body->len && n < 100 && body->data[n] >= 0x20 && body->data[n] < 0x7f)
        n++;
    return n;
}

/* A status other than 200: Prometheus' own error when the body is its JSON. */
static void say_http_error(prom_client_t *c, long status, strbuf_t *why)
{
    prom_vector_t v = {0};
    strbuf_t api = {0};
    if (status == 401)
        strbuf_puts(why, "HTTP 401 Unauthorized: credentials are missing or wrong "
                         "(--prometheus-basic-auth-file, --prometheus-token-file)");
    else if (status == 403)
        strbuf_puts(why, "HTTP 403 Forbidden: these credentials may not query Prometheus");
    else if (status == 404)
        strbuf_puts(why, "HTTP 404 Not Found for /api/v1/query: is this Prometheus' base URL "
                         "(e.g. http://HOST:9090)?");
    else if (prom_reply_parse(c->body.data, c->body.len, &v, &api) < 0 &&
             strstr(strbuf_str(&api), "Prometheus answered with an error"))
        strbuf_printf(why, "HTTP %ld: %s", status, strbuf_str(&api));
    else
        strbuf_printf(why, "HTTP %ld from /api/v1/query%s%.*s", status,
                      first_line_len(&c->body) ? ": " : "", first_line_len(&c->body),
                      strbuf_str(&c->body));
    prom_vector_fini(&v);
    strbuf_fini(&api);
}

/* One instant query. Returns 0 with the vector, or -1 with why. */
static int query(prom_client_t *c, fleet_family_t family, uint64_t deadline_ns, prom_vector_t *out,
                 strbuf_t *why)
{
    memset(out, 0, sizeof(*out));
    uint64_t now = clock_monotonic_ns();
    if (now >= deadline_ns) {
        strbuf_printf(why, "no answer within %g s (--prometheus-timeout)", c->src.timeout_s);
        return -1;
    }
    char *escaped = c->api.easy_escape(c->curl, fleet_family_query(family), 0);
    strbuf_t url = {0};
    strbuf_printf(&url, "%s/api/v1/query?query=%s", c->base, escaped ? escaped : "");
    c->api.free(escaped);
    long left_ms = (long)((deadline_ns - now) / 1000000u) + 1;
    c->api.easy_setopt(c->curl, CURLOPT_URL, strbuf_str(&url));
    c->api.easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, left_ms);
    strbuf_reset(&c->body);
    c->too_big = false;
    c->error[0] = '\0';
    CURLcode rc = strbuf_error(&url) ? CURLE_OUT_OF_MEMORY : c->api.easy_perform(c->curl);
    strbuf_fini(&url);
    c->wait_ns += clock_monotonic_ns() - now;
    long status = 0;
    c->api.easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) {
        say_curl_error(c, rc, why);
        return -1;
    }
    if (status != 200) {
        say_http_error(c, status, why);
        return -1;
    }
    if (strbuf_error(&c->body)) return strbuf_puts(why, "out of memory"), -1;
    return prom_reply_parse(c->body.data, c->body.len, out, why);
}

int fleet_refresh(prom_client_t *c, const fleet_rules_t *rules, fleet_t *out, strbuf_t *why)
{
    memset(out, 0, sizeof(*out));
    strbuf_t problem = {0};
    c->wait_ns = 0;
    uint64_t deadline = clock_monotonic_ns() + (uint64_t)(c->src.timeout_s * 1e9);
    fleet_builder_t *b = load_credentials(c, &problem) == 0 ? fleet_builder_new(rules) : NULL;
    int rc = b ? 0 : -1;
    if (!b && !problem.len) strbuf_puts(&problem, "out of memory");
    for (int f = 0; rc == 0 && f < FF_COUNT; f++) {
        prom_vector_t v;
        rc = query(c, (fleet_family_t)f, deadline, &v, &problem);
        if (rc == 0 && fleet_builder_add(b, (fleet_family_t)f, &v) < 0) {
            strbuf_puts(&problem, "out of memory");
            rc = -1;
        }
        prom_vector_fini(&v);
    }
    /* The body of a big answer is not kept for the next refresh. */
    if (c->body.cap > (1u << 20)) strbuf_fini(&c->body);
    if (rc == 0) {
        rc = fleet_builder_finish(b, out);
        if (rc < 0) strbuf_puts(&problem, "out of memory");
    } else {
        fleet_builder_free(b);
    }
    if (rc < 0) strbuf_printf(why, "Prometheus at %s: %s", c->display, strbuf_str(&problem));
    strbuf_fini(&problem);
    return rc;
}
