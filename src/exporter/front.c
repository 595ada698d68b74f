/* SPDX-License-Identifier: Apache-2.0 */
/* The front door of plain HTTP: accepts the connections itself and looks at (MSG_PEEK, nothing
 * is consumed) each request head before libmicrohttpd sees it. libmicrohttpd 0.9.75 closes a
 * connection without a word on a first line it cannot split (no space, a leading space) and
 * waits forever on one that begins with a NUL byte; here such garbage gets `400 Bad Request`
 * and a line longer than a request target may be `414 URI Too Long`. A connection whose line
 * has the form `METHOD SP target SP HTTP/d.d` is handed to libmicrohttpd (MHD_add_connection),
 * socket and bytes untouched, once its whole head (up to the empty line) is in: a slow head
 * (slowloris) never takes one of libmicrohttpd's connections. Waiting here is bounded: a
 * deadline from the accept, at most max_per_address per client address, and beyond max_waiting
 * a new connection closes the oldest one whose head is still incomplete (each is looked at
 * again first, so a complete head that was not handled yet is handed over, never dropped). */
#include "exporter/exporter_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

/* A connection whose request head is not in yet. */
typedef struct pending {
    struct pending *prev, *next;
    int fd;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    uint64_t deadline_ns;
} pending_t;

struct front {
    int listen_fd, epoll_fd, wake_fd;
    pthread_t thread;
    bool running;
    struct MHD_Daemon *daemon;
    unsigned max_per_address, max_connections, max_waiting;
    uint64_t deadline_ns;       /* a head's time limit from the accept */
    atomic_uint *in_daemon;     /* handed to the daemon and not closed yet */
    pending_t *oldest, *newest; /* all of them, oldest (first deadline) first */
    unsigned waiting;
    pending_t *gone; /* forgotten during a batch of events that may still name them */
};

static bool is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

screen_t screen_request_line(const char *buf, size_t len, size_t max_line)
{
    size_t start = 0;
    while (start < len && (buf[start] == '\r' || buf[start] == '\n')) /* empty lines first */
        start++;
    const char *line = buf + start;
    const char *eol = memchr(line, '\n', len - start);
    if (!eol) return len - start > max_line ? SCREEN_TOO_LONG : SCREEN_MORE;
    size_t n = (size_t)(eol - line);
    if (n && line[n - 1] == '\r') n--;
    if (n > max_line) return SCREEN_TOO_LONG;
    size_t i = 0;
    while (i < n && is_tchar((unsigned char)line[i]))
        i++;
    if (i == 0 || i == n || line[i] != ' ') return SCREEN_BAD; /* method */
    size_t target = ++i;
    while (i < n && line[i] != ' ' && (unsigned char)line[i] > 0x20 && line[i] != 0x7f)
        i++;
    if (i == target || i == n || line[i] != ' ') return SCREEN_BAD; /* target */
    const char *v = line + i + 1;
    if (n - i - 1 != 8 || memcmp(v, "HTTP/", 5) != 0 || !is_digit(v[5]) || v[6] != '.' ||
        !is_digit(v[7]))
        return SCREEN_BAD;
    return SCREEN_OK;
}

/* Whether the head that begins buf is whole: its request line (known to be whole) and header
 * lines up to an empty line. */
static bool head_complete(const char *buf, size_t len)
{
    size_t start = 0;
    while (start < len && (buf[start] == '\r' || buf[start] == '\n')) /* empty lines first */
        start++;
    return memmem(buf + start, len - start, "\n\r\n", 3) ||
           memmem(buf + start, len - start, "\n\n", 2);
}

/* Takes p off the list; it is freed after the current batch of events (fd -1: skip it). */
static void forget(front_t *f, pending_t *p)
{
    epoll_ctl(f->epoll_fd, EPOLL_CTL_DEL, p->fd, NULL);
    if (p->prev)
        p->prev->next = p->next;
    else
        f->oldest = p->next;
    if (p->next)
        p->next->prev = p->prev;
    else
        f->newest = p->prev;
    f->waiting--;
    p->fd = -1;
    p->next = f->gone;
    f->gone = p;
}

static void free_gone(front_t *f)
{
    while (f->gone) {
        pending_t *p = f->gone;
        f->gone = p->next;
        free(p);
    }
}

static void drop(front_t *f, pending_t *p)
{
    int fd = p->fd;
    forget(f, p);
    close(fd);
}

/* Answers `status` with `body` and closes. What was sent is read first, so the close is a FIN,
 * not a reset that could destroy the answer before the client reads it. */
static void answer(front_t *f, pending_t *p, const char *status, const char *body)
{
    char sink[4096], response[512];
    for (int i = 0; i < 16 && recv(p->fd, sink, sizeof(sink), MSG_DONTWAIT) > 0; i++) {
    }
    int n = snprintf(response, sizeof(response),
                     "HTTP/1.1 %s\r\nConnection: close\r\nContent-Type: text/plain; "
                     "charset=utf-8\r\nContent-Length: %zu\r\n\r\n%s",
                     status, strlen(body), body);
    ssize_t ignored = send(p->fd, response, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)ignored;
    shutdown(p->fd, SHUT_WR);
    drop(f, p);
}

/* Hands p's connection, its head whole, to the daemon. */
static void hand_over(front_t *f, pending_t *p)
{
    int fd = p->fd;
    struct sockaddr_storage addr = p->addr;
    socklen_t len = p->addr_len;
    forget(f, p);
    /* libmicrohttpd 0.9.75 leaves a worker's lock held, and the worker deadlocked, when an added
     * connection finds the worker full: its limit is set far above this count, which keeps the
     * real cap. Beyond it the connection is closed at once, as libmicrohttpd's own accept does. */
    if (atomic_load(f->in_daemon) >= f->max_connections) {
        close(fd);
        return;
    }
    atomic_fetch_add(f->in_daemon, 1);
    if (MHD_add_connection(f->daemon, fd, (struct sockaddr *)&addr, len) != MHD_YES)
        atomic_fetch_sub(f->in_daemon, 1); /* refused (per-address limit) and closed */
}

/* Looks at what p's client sent and hands over, answers or drops it as it deserves. Returns
 * whether p still waits for the rest of its head. events: what epoll reported (0 otherwise). A
 * peek never reads end of stream while bytes are unread, so a head cut short by the client's
 * close is known by EPOLLRDHUP/EPOLLHUP: it will never be whole. */
static bool screen(front_t *f, pending_t *p, uint32_t events)
{
    char buf[FRONT_MAX_HEAD];
    ssize_t n = recv(p->fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
    bool hung_up = n <= 0 || (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR));
    switch (n <= 0 ? SCREEN_MORE : screen_request_line(buf, (size_t)n, FRONT_MAX_LINE)) {
    case SCREEN_BAD:
        answer(f, p, "400 Bad Request", "400 Bad Request: not an HTTP/1 request line\n");
        return false;
    case SCREEN_TOO_LONG:
        answer(f, p, "414 URI Too Long", URI_TOO_LONG_TEXT);
        return false;
    case SCREEN_OK: /* a head too big to peek whole: libmicrohttpd answers 431 */
        if ((size_t)n == sizeof(buf) || head_complete(buf, (size_t)n)) {
            hand_over(f, p);
            return false;
        }
        /* fall through */
    case SCREEN_MORE:
        break;
    }
    if (!hung_up) return true; /* edge-triggered: the next bytes wake us */
    drop(f, p);
    return false;
}

/* Lets go of the connection p unless its head turns out to be whole. */
static void let_go(front_t *f, pending_t *p)
{
    if (screen(f, p, 0)) drop(f, p);
}

/* Lets go of the connections past their deadline; returns the milliseconds until the next
 * deadline (-1: none). */
static int expire(front_t *f)
{
    uint64_t now = clock_monotonic_ns();
    while (f->oldest && f->oldest->deadline_ns <= now)
        let_go(f, f->oldest);
    if (!f->oldest) return -1;
    return (int)((f->oldest->deadline_ns - now + 999999) / 1000000);
}

static bool same_address(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family) return false;
    if (a->ss_family == AF_INET)
        return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)b)->sin_addr.s_addr;
    if (a->ss_family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                      &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
    return true;
}

/* Whether the client closed or reset (its close event may still be queued). */
static bool peer_gone(int fd)
{
    struct pollfd pfd = {.fd = fd, .events = POLLRDHUP};
    return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

static unsigned waiting_from(const front_t *f, const struct sockaddr_storage *addr)
{
    unsigned n = 0;
    for (const pending_t *p = f->oldest; p; p = p->next)
        n += same_address(&p->addr, addr);
    return n;
}

/* Whether addr holds its share of waiting connections; when it does, those whose client is
 * gone are let go first (their close events may not have been handled yet). */
static bool address_full(front_t *f, const struct sockaddr_storage *addr)
{
    if (waiting_from(f, addr) < f->max_per_address) return false;
    for (pending_t *p = f->oldest, *next; p; p = next) {
        next = p->next;
        if (same_address(&p->addr, addr) && peer_gone(p->fd)) drop(f, p);
    }
    return waiting_from(f, addr) >= f->max_per_address;
}

static void accept_all(front_t *f)
{
    for (;;) {
        struct sockaddr_storage addr;
        socklen_t len = sizeof(addr);
        int fd =
            accept4(f->listen_fd, (struct sockaddr *)&addr, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            /* out of descriptors: the listening socket stays readable, so wait a little
             * instead of spinning */
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
            return; /* EAGAIN: all accepted */
        }
        pending_t *p = address_full(f, &addr) ? NULL : calloc(1, sizeof(*p));
        if (!p) {
            close(fd);
            continue;
        }
        p->fd = fd;
        p->addr = addr;
        p->addr_len = len;
        p->deadline_ns = clock_monotonic_ns() + f->deadline_ns;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.ptr = p};
        if (epoll_ctl(f->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
            free(p);
            close(fd);
            continue;
        }
        while (f->waiting >= f->max_waiting && f->oldest)
            let_go(f, f->oldest);
        p->prev = f->newest;
        if (p->prev)
            p->prev->next = p;
        else
            f->oldest = p;
        f->newest = p;
        f->waiting++;
        screen(f, p, 0); /* the head may be in already */
    }
}

static void *front_main(void *arg)
{
    front_t *f = arg;
    struct epoll_event events[64];
    for (;;) {
        int n = epoll_wait(f->epoll_fd, events, 64, expire(f));
        for (int i = 0; i < n; i++) {
            void *ptr = events[i].data.ptr;
            if (ptr == &f->wake_fd) return NULL;
            if (ptr == &f->listen_fd)
                accept_all(f);
            else if (((pending_t *)ptr)->fd >= 0) /* not let go earlier in this batch */
                screen(f, ptr, events[i].events);
        }
        free_gone(f);
    }
}

static int watch(front_t *f, int fd, void *ptr)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = ptr};
    return epoll_ctl(f->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

front_t *front_start(int listen_fd, struct MHD_Daemon *daemon, const front_limits_t *limits,
                     atomic_uint *in_daemon)
{
    front_t *f = calloc(1, sizeof(*f));
    if (!f) return NULL;
    f->max_connections = limits->max_connections;
    f->max_per_address = limits->max_per_address;
    f->max_waiting = limits->max_waiting;
    f->deadline_ns = (uint64_t)(limits->head_deadline_s * (double)NS_PER_SEC);
    f->in_daemon = in_daemon;
    f->listen_fd = listen_fd;
    f->daemon = daemon;
    f->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    f->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    int flags = fcntl(listen_fd, F_GETFL);
    if (f->epoll_fd < 0 || f->wake_fd < 0 || flags < 0 ||
        fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
        watch(f, listen_fd, &f->listen_fd) < 0 || watch(f, f->wake_fd, &f->wake_fd) < 0 ||
        pthread_create(&f->thread, NULL, front_main, f) != 0) {
        front_stop(f);
        return NULL;
    }
    f->running = true;
    return f;
}

void front_stop(front_t *f)
{
    if (!f) return;
    if (f->running) {
        uint64_t one = 1;
        ssize_t ignored = write(f->wake_fd, &one, sizeof(one));
        (void)ignored;
        pthread_join(f->thread, NULL);
    }
    while (f->oldest)
        drop(f, f->oldest);
    free_gone(f);
    if (f->epoll_fd >= 0) close(f->epoll_fd);
    if (f->wake_fd >= 0) close(f->wake_fd);
    free(f);
}
