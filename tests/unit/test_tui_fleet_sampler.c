/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet screen's sampler thread (src/tui/fleet_sampler.c) against a tiny HTTP server in
 * this test: fleets arrive and wake the pipe; a refresh that fails publishes its error and
 * keeps the last fleet; a kick refreshes at once; stopping while a query hangs returns at once
 * (the query is cancelled). Runs under ThreadSanitizer too (label tsan). */
#include "testutil.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tui/fleet_sampler.h"

#define EMPTY "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"

typedef struct server {
    int fd, port;
    atomic_bool hang; /* read requests, answer none */
    atomic_int requests;
    pthread_t thread;
} server_t;

static void *serve(void *arg)
{
    server_t *s = arg;
    int c;
    while ((c = accept(s->fd, NULL, NULL)) >= 0) {
        char buf[4096];
        ssize_t n = read(c, buf, sizeof(buf));
        atomic_fetch_add(&s->requests, 1);
        if (n > 0 && !atomic_load(&s->hang)) {
            char reply[512];
            int len = snprintf(reply, sizeof(reply),
                               "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                               strlen(EMPTY), EMPTY);
            if (write(c, reply, (size_t)len) < 0) break;
        } else if (n > 0) {
            struct pollfd p = {c, POLLIN, 0};
            poll(&p, 1, 10000); /* until the client goes */
        }
        close(c);
    }
    return NULL;
}

static void server_start(server_t *s)
{
    memset(s, 0, sizeof(*s));
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(s->fd, 16), 0);
    getsockname(s->fd, (struct sockaddr *)&a, &len);
    s->port = ntohs(a.sin_port);
    pthread_create(&s->thread, NULL, serve, s);
}

static void server_stop(server_t *s)
{
    shutdown(s->fd, SHUT_RDWR);
    close(s->fd);
    pthread_join(s->thread, NULL);
}

static const fleet_rules_t rules = {.stale_after_s = 60, .busy_util_percent = 10};

static prom_client_t *client_of(int port, double timeout_s)
{
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    fleet_source_t src = {.url = url, .timeout_s = timeout_s};
    prom_client_t *c;
    strbuf_t why = {0};
    assert_int_equal(prom_client_open(&src, &c, &why), 0);
    strbuf_fini(&why);
    return c;
}

/* Waits (5 s at most) for a publication; returns what it said. */
static fleet_news_t wait_news(fleet_sampler_t *s, int wake, uint64_t *seen, fleet_t *f)
{
    fleet_news_t news;
    for (int i = 0; i < 100; i++) {
        struct pollfd p = {wake, POLLIN, 0};
        poll(&p, 1, 50);
        char buf[64];
        while (read(wake, buf, sizeof(buf)) > 0)
            ;
        if (fleet_sampler_take(s, seen, f, &news)) return news;
    }
    fail_msg("no refresh within 5 s");
    return news;
}

static void fleets_and_errors(void **state)
{
    (void)state;
    server_t srv;
    server_start(&srv);
    int wake[2];
    assert_int_equal(pipe2(wake, O_NONBLOCK), 0);
    prom_client_t *c = client_of(srv.port, 5);
    fleet_sampler_t *s;
    assert_int_equal(fleet_sampler_start(c, &rules, 0.05, wake[1], &s), 0);
    uint64_t seen = 0;
    fleet_t f = {0};
    fleet_news_t news = wait_news(s, wake[0], &seen, &f);
    assert_true(news.fleet);
    assert_string_equal(news.error, "");
    assert_true(news.good_at_ns > 0);
    assert_int_equal(f.node_count, 0);
    assert_true(atomic_load(&srv.requests) >= FF_COUNT);
    /* the server goes: the error comes, no new fleet */
    server_stop(&srv);
    for (int i = 0; i < 10 && (!news.error[0] || news.fleet); i++)
        news = wait_news(s, wake[0], &seen, &f);
    assert_false(news.fleet);
    assert_non_null(strstr(news.error, "cannot connect"));
    fleet_sampler_kick(s);
    fleet_sampler_stop(s);
    fleet_fini(&f);
    prom_client_free(c);
    close(wake[0]);
    close(wake[1]);
}

static void stop_cancels_a_query_in_flight(void **state)
{
    (void)state;
    server_t srv;
    server_start(&srv);
    atomic_store(&srv.hang, true);
    prom_client_t *c = client_of(srv.port, 60);
    fleet_sampler_t *s;
    assert_int_equal(fleet_sampler_start(c, &rules, 10, -1, &s), 0);
    while (atomic_load(&srv.requests) == 0)
        usleep(10000);
    uint64_t start = clock_monotonic_ns();
    fleet_sampler_stop(s);
    double took = (double)(clock_monotonic_ns() - start) / 1e9;
    if (took > 3) fail_msg("stopping took %.1f s with a query in flight", took);
    prom_client_free(c);
    server_stop(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fleets_and_errors),
        cmocka_unit_test(stop_cancels_a_query_in_flight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
