/* SPDX-License-Identifier: Apache-2.0 */
/* tui_run(): the monitor's loop on the UI thread. It never calls NVML or reads /proc: the
 * sampler thread does, and wakes this loop through a pipe when it has published something.
 * The loop sleeps in ppoll() on the terminal and that pipe with the signals it handles blocked
 * everywhere else, so a resize, Ctrl-C or SIGTERM cannot slip in between a check and the
 * sleep. A frame is drawn only when something changed: data, a key, the size, the clock's
 * second; curses then sends only the cells that differ. */
#include "tui/tui_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/screen.h"

/* The only mutable statics of the program: what the signal handlers saw. */
static volatile sig_atomic_t got_winch, got_int, got_quit;

static void on_signal(int signo)
{
    if (signo == SIGWINCH)
        got_winch = 1;
    else if (signo == SIGINT)
        got_int = 1; /* Ctrl-C is a key of the monitor (nvitop's ^C) */
    else
        got_quit = signo;
}

static const int handled[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};

typedef struct loop {
    tui_t t;
    screen_t *screen;
    int wake[2];
    sampler_view_t view;
    bool have_view;
    tui_signals_t sig;
    bool main_drawn; /* the frame is a whole main screen (tui_draw_host may update it) */
} loop_t;

/* What the monitor asks of each device: the cells of the report, with the clocks its bars
 * show; fan, temperature, P-state and the like are refreshed every 5 s as in nvitop. */
#define QUERY_FAST                                                                                 \
    (NVITOP_DQ_NAME | NVITOP_DQ_BUS_ID | NVITOP_DQ_MEMORY | NVITOP_DQ_UTILIZATION |                \
     NVITOP_DQ_POWER_USAGE | NVITOP_DQ_CLOCK_SM | NVITOP_DQ_CLOCK_MEMORY)
#define QUERY_LAZY                                                                                 \
    (NVITOP_DQ_FAN | NVITOP_DQ_TEMPERATURE | NVITOP_DQ_PSTATE | NVITOP_DQ_PERSISTENCE |            \
     NVITOP_DQ_DISPLAY_ACTIVE | NVITOP_DQ_ECC_ERRORS | NVITOP_DQ_COMPUTE_MODE | NVITOP_DQ_MIG |    \
     NVITOP_DQ_POWER_LIMIT | NVITOP_DQ_BAR1)

static int start_sampler(loop_t *l, const tui_options_t *opt)
{
    if (pipe2(l->wake, O_NONBLOCK | O_CLOEXEC) < 0) return -1;
    sampler_config_t cfg = {.ctx = opt->ctx,
                            .indices = opt->indices,
                            .index_count = opt->index_count,
                            .filter = opt->filter};
    sampler_config_defaults(&cfg, opt->interval_s);
    cfg.device_query = QUERY_FAST;
    cfg.lazy_query = QUERY_LAZY;
    cfg.wake_fd = l->wake[1];
    return sampler_start(&cfg, &l->t.sampler);
}

void tui_signals_install(tui_signals_t *sig)
{
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < ARRAY_LEN(handled); i++)
        sigaddset(&block, handled[i]);
    sigprocmask(SIG_BLOCK, &block, &sig->old_mask);
    sig->unblocked = sig->old_mask;
    for (size_t i = 0; i < ARRAY_LEN(handled); i++) {
        sigdelset(&sig->unblocked, handled[i]);
        struct sigaction sa = {.sa_handler = on_signal};
        sigemptyset(&sa.sa_mask);
        sigaction(handled[i], &sa, &sig->old_actions[i]);
    }
    got_winch = got_int = got_quit = 0;
}

void tui_signals_restore(tui_signals_t *sig)
{
    for (size_t i = 0; i < ARRAY_LEN(handled); i++)
        sigaction(handled[i], &sig->old_actions[i], NULL);
    sigprocmask(SIG_SETMASK, &sig->old_mask, NULL);
}

bool tui_signals_take_winch(void)
{
    bool got = got_winch;
    got_winch = 0;
    return got;
}

bool tui_signals_take_int(void)
{
    bool got = got_int;
    got_int = 0;
    return got;
}

int tui_signals_quit(void)
{
    return got_quit;
}

void tui_signals_hangup(void)
{
    got_quit = SIGHUP;
}

enum { NEWS_HOST = 1, NEWS_OTHER = 2 };

/* Takes the sampler's latest data; says what is new: NEWS_HOST when only the host sample is,
 * NEWS_OTHER when anything else is, 0 when nothing. */
static unsigned take_data(loop_t *l)
{
    tui_t *t = &l->t;
    sampler_view_t v;
    sampler_acquire(t->sampler, &v);
    bool other = !l->have_view || v.devices_seq != l->view.devices_seq ||
                 v.processes_seq != l->view.processes_seq || strcmp(v.error, l->view.error) != 0;
    unsigned news = other ? NEWS_OTHER : l->view.host_seq != v.host_seq ? NEWS_HOST : 0;
    if (!news) {
        sampler_release(t->sampler, &v);
        return 0;
    }
    bool new_processes = !l->have_view || v.processes_seq != l->view.processes_seq;
    if (l->have_view) sampler_release(t->sampler, &l->view);
    l->view = v;
    l->have_view = true;
    t->devices = v.devices;
    t->host = v.host;
    t->processes = v.processes;
    memcpy(t->error, v.error, sizeof(t->error));
    if (new_processes) tui_procs_update(t);
    return news;
}

/* The device the GPU graphs follow: the selected process's, when there are several. */
static int graph_device(const tui_t *t)
{
    const nvitop_snapshot_t *s = t->devices;
    if (!t->sel.set || !s || s->device_count < 2) return -1;
    for (size_t i = 0; i < s->device_count; i++) {
        const nvitop_device_snapshot_t *d = &s->devices[i];
        if (d->physical_index == t->sel.ident.physical &&
            (d->is_mig ? d->mig_index : -1) == t->sel.ident.mig)
            return (int)i;
    }
    return -1;
}

static void take_graphs(tui_t *t)
{
    static const sampler_metric_t metrics[G__COUNT] = {
        SAMPLER_CPU, SAMPLER_MEM, SAMPLER_SWP, SAMPLER_GPU_MEM, SAMPLER_GPU_UTL, SAMPLER_GPU_PWR};
    t->graph_device = graph_device(t);
    for (int g = 0; g < G__COUNT; g++) {
        size_t want = panel_host_points(t, g);
        int device = g >= G_GPU_MEM ? t->graph_device : -1;
        t->graph[g].count = sampler_history(t->sampler, metrics[g], device, t->graph[g].points,
                                            want, &t->graph[g].last, NULL);
    }
}

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* How long to sleep: until the clock's next second, a pending choice in the box, or the end
 * of a message. */
static struct timespec next_wakeup(const tui_t *t, int64_t now_unix)
{
    uint64_t wait = NS_PER_SEC - (uint64_t)(now_unix % (int64_t)NS_PER_SEC);
    if (t->screen == SCREEN_CONFIRM && t->box.pending_at)
        wait = t->box.pending_at > t->now_ns && t->box.pending_at - t->now_ns < wait
                   ? t->box.pending_at - t->now_ns
               : t->box.pending_at <= t->now_ns ? 0
                                                : wait;
    if (t->message[0] && t->message_until > t->now_ns && t->message_until - t->now_ns < wait)
        wait = t->message_until - t->now_ns;
    return (struct timespec){(time_t)(wait / NS_PER_SEC), (long)(wait % NS_PER_SEC)};
}

static void read_keys(loop_t *l)
{
    int y = 0, x = 0, button = 0, key;
    while ((key = screen_key(l->screen, &y, &x, &button)) != TK_NONE) {
        if (key == TK_RESIZE)
            got_winch = 1;
        else if (key == TK_MOUSE)
            tui_mouse(&l->t, y, x, button);
        else
            tui_key(&l->t, key);
    }
}

/* A frame: the whole screen, or on the main screen when only the host sample or the clock
 * changed, the host panel and the date drawn over the last frame (most frames of a refresh:
 * the host is sampled twice a second, the clock ticks once). */
static void draw(loop_t *l, bool dirty)
{
    tui_t *t = &l->t;
    layout_t before = t->layout;
    tui_layout(t);
    if (!t->layout.host_compact && t->layout.host_height) take_graphs(t);
    if (!dirty && l->main_drawn && t->screen == SCREEN_MAIN && !t->repaint &&
        memcmp(&before, &t->layout, sizeof(before)) == 0) {
        tui_draw_host(t);
    } else {
        tui_draw(t);
        l->main_drawn = t->screen == SCREEN_MAIN && t->cols >= 79;
    }
    screen_show(l->screen, &t->frame, t->repaint, t->beep);
    t->repaint = t->beep = false;
}

/* One round: data, signals, a frame when anything changed, then the wait. */
static void run_loop(loop_t *l)
{
    tui_t *t = &l->t;
    bool dirty = true, light = false; /* light: only the host sample or the clock changed */
    int64_t shown_second = -1;
    while (!t->quit && !got_quit) {
        t->now_ns = monotonic_ns();
        t->now_unix_ns = clock_realtime_ns();
        unsigned news = take_data(l);
        dirty |= (news & NEWS_OTHER) != 0;
        light |= (news & NEWS_HOST) != 0;
        dirty |= tree_take(t);
        if (got_winch) {
            got_winch = 0;
            screen_size(l->screen, &t->lines, &t->cols);
            dirty = t->repaint = true;
        }
        dirty |= screens_poll(t);
        if (got_int) {
            got_int = 0;
            tui_key(t, TK_CTRL_C);
            dirty = true;
        }
        char message[sizeof(t->message)];
        memcpy(message, t->message, sizeof(message));
        tui_tick(t);
        dirty |= strcmp(message, t->message) != 0;
        int64_t second = t->now_unix_ns / (int64_t)NS_PER_SEC;
        light |= second != shown_second;
        if (t->quit) break;
        if (dirty || light) {
            draw(l, dirty);
            shown_second = second;
            dirty = light = false;
        }
        struct timespec timeout = next_wakeup(t, t->now_unix_ns);
        struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {l->wake[0], POLLIN, 0}};
        int n = ppoll(fds, 2, &timeout, &l->sig.unblocked);
        if (n > 0 && (fds[1].revents & POLLIN)) {
            char buf[256];
            while (read(l->wake[0], buf, sizeof(buf)) > 0)
                ;
        }
        if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))) {
            got_quit = SIGHUP; /* the terminal went away */
        } else if (n > 0 && (fds[0].revents & POLLIN)) {
            read_keys(l);
            dirty = true;
        }
    }
}

/* The sampler thread builds each process snapshot (1.5 MB at 4,000 processes) while the UI
 * thread holds the last one. With glibc's defaults the sampler gets an arena of its own and
 * a freed snapshot stays in it at the dynamic mmap threshold: about 2 MiB more peak RSS at
 * 64 GPUs (docs/performance.md, issue 20). One arena, and large blocks given back when freed.
 * A MALLOC_* setting of the user's is left as it is. */
static void malloc_compact(void)
{
#if defined(M_ARENA_MAX) && defined(M_MMAP_THRESHOLD)
    if (!getenv("MALLOC_ARENA_MAX")) mallopt(M_ARENA_MAX, 1);
    if (!getenv("MALLOC_MMAP_THRESHOLD_")) mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

int tui_run(const tui_options_t *opt, char *error, size_t error_len)
{
    malloc_compact();
    loop_t l = {.wake = {-1, -1}};
    tui_state_init(&l.t, opt);
    if (start_sampler(&l, opt) < 0) {
        snprintf(error, error_len, "%s", nvitop_ctx_message(opt->ctx));
        if (l.wake[0] >= 0) close(l.wake[0]), close(l.wake[1]);
        tui_state_fini(&l.t);
        return -2;
    }
    tui_t *t = &l.t;
    t->me = sampler_username(t->sampler);
    t->hostname = sampler_hostname(t->sampler);
    if (t->show_workload) sampler_set_workloads(t->sampler, true);
    t->superuser = geteuid() == 0;
    tui_signals_install(&l.sig);
    int rc = 0;
    l.screen = screen_start(opt->light, opt->colorful, error, error_len);
    if (!l.screen) {
        rc = -1;
    } else {
        t->colors256 = screen_colors256(l.screen);
        screen_size(l.screen, &t->lines, &t->cols);
        run_loop(&l);
        screen_stop(l.screen);
        rc = got_quit ? 128 + got_quit : 0;
    }
    tui_signals_restore(&l.sig);
    if (l.have_view) sampler_release(t->sampler, &l.view);
    tree_release(t);
    screens_fini(t);
    sampler_stop(t->sampler);
    close(l.wake[0]);
    close(l.wake[1]);
    tui_state_fini(t);
    return rc;
}
