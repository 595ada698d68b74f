/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet screen's loop on the UI thread: it never talks to Prometheus (fleet_sampler.c's
 * thread does, and wakes it through a pipe); it sleeps in ppoll() on the terminal and that pipe
 * with the monitor's signals unblocked only there, and draws a frame when the data, a key, the
 * size or the clock's second changed. */
#include "tui/fleet_monitor.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/fleet_sampler.h"
#include "tui/fleet_view.h"
#include "tui/keys.h"
#include "tui/screen.h"

typedef struct fleet_loop {
    fleet_view_t v;
    fleet_sampler_t *sampler;
    screen_t *screen;
    int wake[2];
    uint64_t seen;
    tui_signals_t sig;
} fleet_loop_t;

static bool take_data(fleet_loop_t *l)
{
    fleet_t fleet = {0};
    fleet_news_t news;
    if (!fleet_sampler_take(l->sampler, &l->seen, &fleet, &news)) return false;
    fleet_view_update(&l->v, &fleet, news.fleet, news.error, news.good_at_ns);
    fleet_fini(&fleet);
    return true;
}

static void read_keys(fleet_loop_t *l)
{
    int y = 0, x = 0, button = 0, key;
    while ((key = screen_key(l->screen, &y, &x, &button)) != TK_NONE) {
        if (key == TK_RESIZE)
            screen_size(l->screen, &l->v.lines, &l->v.cols);
        else if (key == TK_MOUSE)
            fleet_view_mouse(&l->v, y, x, button);
        else
            fleet_view_key(&l->v, key);
    }
}

static void wait_input(fleet_loop_t *l)
{
    int64_t now = clock_realtime_ns();
    uint64_t wait = NS_PER_SEC - (uint64_t)(now % (int64_t)NS_PER_SEC);
    struct timespec timeout = {(time_t)(wait / NS_PER_SEC), (long)(wait % NS_PER_SEC)};
    struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {l->wake[0], POLLIN, 0}};
    int n = ppoll(fds, 2, &timeout, &l->sig.unblocked);
    if (n > 0 && (fds[1].revents & POLLIN)) {
        char buf[256];
        while (read(l->wake[0], buf, sizeof(buf)) > 0)
            ;
    }
    if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
        tui_signals_hangup(); /* the terminal went away */
    else if (n > 0 && (fds[0].revents & POLLIN))
        read_keys(l);
}

static void run_loop(fleet_loop_t *l)
{
    fleet_view_t *v = &l->v;
    bool repaint = true;
    while (!v->quit && !tui_signals_quit()) {
        take_data(l);
        if (tui_signals_take_winch()) {
            screen_size(l->screen, &v->lines, &v->cols);
            repaint = true;
        }
        if (tui_signals_take_int()) fleet_view_key(v, TK_CTRL_C);
        if (v->refresh) {
            v->refresh = false;
            fleet_sampler_kick(l->sampler);
        }
        if (v->quit) break;
        v->now_ns = clock_realtime_ns();
        fleet_view_draw(v);
        /* curses sends only the cells that changed: drawing every wake costs little */
        screen_show(l->screen, &v->frame, repaint, v->beep);
        repaint = v->beep = false;
        wait_input(l);
    }
}

int tui_fleet_run(nvitop_cli_t *cli, prom_client_t *client)
{
    fleet_loop_t l = {.wake = {-1, -1}};
    char error[256] = "";
    fleet_view_init(&l.v, prom_client_url(client), &cli->fleet_rules, cli->gpu_thresholds,
                    cli->mem_thresholds, cli->ascii);
    double interval = cli->has_interval ? cli->interval : 2.0;
    int rc = 0;
    if (pipe2(l.wake, O_NONBLOCK | O_CLOEXEC) < 0 ||
        fleet_sampler_start(client, &cli->fleet_rules, interval, l.wake[1], &l.sampler) < 0) {
        fprintf(stderr, "ERROR: cannot start the fleet screen's thread.\n");
        rc = 1;
    }
    if (rc == 0) {
        tui_signals_install(&l.sig);
        l.screen = screen_start(cli->light, cli->colorful, error, sizeof(error));
        if (!l.screen) {
            fprintf(stderr, "ERROR: Failed to initialize `curses` (%s)\n", error);
            rc = 1;
        } else {
            screen_size(l.screen, &l.v.lines, &l.v.cols);
            run_loop(&l);
            screen_stop(l.screen);
            rc = tui_signals_quit() ? 128 + tui_signals_quit() : 0;
        }
        tui_signals_restore(&l.sig);
    }
    fleet_sampler_stop(l.sampler);
    if (l.wake[0] >= 0) close(l.wake[0]), close(l.wake[1]);
    fleet_view_fini(&l.v);
    return rc;
}
