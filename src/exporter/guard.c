/* SPDX-License-Identifier: Apache-2.0 */
/* The request-head guard of libmicrohttpd's connections: a connection must deliver a complete
 * request head within a deadline of its accept (TLS handshake included) or of its previous
 * response, however it trickles; libmicrohttpd's own timeout restarts on every byte, so a
 * slowloris client that sends one byte now and then would hold its connection forever.
 * Connections waiting for a head are kept in a list, oldest first; a thread shuts down
 * (shutdown(2), never close: the socket stays libmicrohttpd's) those past the deadline, and
 * when too many are waiting, a new one shuts the oldest at once, so a flood of slow connections
 * cannot fill the connection cap. Plain HTTP connections come from the front door with their
 * first head whole: they are on the list only between requests (keep-alive). */
#include "exporter/exporter_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct guard_conn {
    guard_conn_t *prev, *next; /* in the waiting list while waiting for a head */
    int fd;
    bool waiting;
    uint64_t deadline_ns;
};

/* Caller holds the lock. */
static void unlink_waiting(guard_t *g, guard_conn_t *c)
{
    if (!c->waiting) return;
    if (c->prev)
        c->prev->next = c->next;
    else
        g->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        g->tail = c->prev;
    c->prev = c->next = NULL;
    c->waiting = false;
    g->waiting--;
}

/* Caller holds the lock. Appends c (the newest deadline) and wakes the thread if it is the
 * only one. */
static void link_waiting(guard_t *g, guard_conn_t *c)
{
    c->deadline_ns = clock_monotonic_ns() + g->limit_ns;
    c->prev = g->tail;
    c->next = NULL;
    if (g->tail)
        g->tail->next = c;
    else
        g->head = c;
    g->tail = c;
    c->waiting = true;
    g->waiting++;
    if (g->head == c) pthread_cond_signal(&g->wake);
}

/* Caller holds the lock, so the connection is not closed meanwhile and fd is still its own.
 * libmicrohttpd sees end of stream and closes it. */
static void shut(guard_t *g, guard_conn_t *c)
{
    unlink_waiting(g, c);
    shutdown(c->fd, SHUT_RDWR);
    g->shut_count++;
}

static void *guard_main(void *arg)
{
    guard_t *g = arg;
    pthread_mutex_lock(&g->lock);
    while (!g->stopping) {
        uint64_t now = clock_monotonic_ns();
        while (g->head && g->head->deadline_ns <= now)
            shut(g, g->head);
        if (!g->head) {
            pthread_cond_wait(&g->wake, &g->lock);
            continue;
        }
        struct timespec until = {(time_t)(g->head->deadline_ns / NS_PER_SEC),
                                 (long)(g->head->deadline_ns % NS_PER_SEC)};
        pthread_cond_timedwait(&g->wake, &g->lock, &until);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

int guard_start(guard_t *g, double limit_s, size_t max_waiting)
{
    memset(g, 0, sizeof(*g));
    g->limit_ns = (uint64_t)(limit_s * (double)NS_PER_SEC);
    g->max_waiting = max_waiting;
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0) return -1;
    int rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
                     pthread_cond_init(&g->wake, &attr) == 0
                 ? 0
                 : -1;
    pthread_condattr_destroy(&attr);
    if (rc < 0) return -1;
    if (pthread_mutex_init(&g->lock, NULL) != 0) {
        pthread_cond_destroy(&g->wake);
        return -1;
    }
    if (pthread_create(&g->thread, NULL, guard_main, g) != 0) {
        pthread_mutex_destroy(&g->lock);
        pthread_cond_destroy(&g->wake);
        return -1;
    }
    g->running = true;
    return 0;
}

void guard_stop(guard_t *g)
{
    if (!g->running) return;
    pthread_mutex_lock(&g->lock);
    g->stopping = true;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->thread, NULL);
    while (g->head) { /* none after the server's stop closed every connection */
        guard_conn_t *c = g->head;
        unlink_waiting(g, c);
        free(c);
    }
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->wake);
    g->running = false;
}

guard_conn_t *guard_open(guard_t *g, int fd, bool head_in)
{
    guard_conn_t *c = calloc(1, sizeof(*c));
    if (!c) {
        shutdown(fd, SHUT_RDWR); /* unguarded, it could be held forever */
        return NULL;
    }
    c->fd = fd;
    if (head_in) return c; /* waits for its response, not on the list */
    pthread_mutex_lock(&g->lock);
    link_waiting(g, c);
    while (g->waiting > g->max_waiting && g->head != c)
        shut(g, g->head);
    pthread_mutex_unlock(&g->lock);
    return c;
}

void guard_head_received(guard_t *g, guard_conn_t *c)
{
    if (!c) return;
    pthread_mutex_lock(&g->lock);
    unlink_waiting(g, c);
    pthread_mutex_unlock(&g->lock);
}

void guard_response_done(guard_t *g, guard_conn_t *c)
{
    if (!c) return;
    pthread_mutex_lock(&g->lock);
    if (!c->waiting) link_waiting(g, c);
    pthread_mutex_unlock(&g->lock);
}

void guard_close(guard_t *g, guard_conn_t *c)
{
    if (!c) return;
    pthread_mutex_lock(&g->lock);
    unlink_waiting(g, c);
    pthread_mutex_unlock(&g->lock);
    free(c);
}
