/* SPDX-License-Identifier: Apache-2.0 */
/* The ticker (ticker.h): one lock, one condition variable on CLOCK_MONOTONIC, one deadline. */
#include "util/ticker.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "util/util.h"

struct ticker {
    ticker_config_t cfg;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* CLOCK_MONOTONIC: a changed wall clock moves no deadline */
    /* Under the lock. */
    uint64_t due;
    bool kicked, stop, ended;
    /* The joining thread's own. */
    bool joined;
};

uint64_t ticker_ns(double seconds)
{
    return seconds > 0 ? (uint64_t)(seconds * 1e9) : 0;
}

uint64_t ticker_next(uint64_t due, uint64_t period_ns)
{
    uint64_t next = due + period_ns, now = clock_monotonic_ns();
    return next < now ? now : next;
}

/* Sleeps (the lock held) until the deadline, a kick or a stop. */
static void sleep_until_due(ticker_t *t)
{
    if (t->due == TICKER_IDLE) {
        pthread_cond_wait(&t->cond, &t->lock);
        return;
    }
    struct timespec ts = {(time_t)(t->due / NS_PER_SEC), (long)(t->due % NS_PER_SEC)};
    pthread_cond_timedwait(&t->cond, &t->lock, &ts);
}

static void *ticker_main(void *arg)
{
    ticker_t *t = arg;
    if (t->cfg.before) t->cfg.before(t->cfg.arg);
    pthread_mutex_lock(&t->lock);
    while (!t->stop) {
        uint64_t now = clock_monotonic_ns();
        if (!t->kicked && now < t->due) {
            sleep_until_due(t);
            continue;
        }
        uint64_t due = t->due <= now ? t->due : now; /* kicked early: scheduled now */
        t->kicked = false;
        pthread_mutex_unlock(&t->lock);
        uint64_t next = t->cfg.tick(t->cfg.arg, due);
        pthread_mutex_lock(&t->lock);
        if (next == TICKER_END) break;
        t->due = next;
    }
    pthread_mutex_unlock(&t->lock);
    if (t->cfg.after) t->cfg.after(t->cfg.arg);
    pthread_mutex_lock(&t->lock);
    t->ended = true;
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

static int init_sync(ticker_t *t)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0) return -1;
    int rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (rc == 0) rc = pthread_cond_init(&t->cond, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0) return -1;
    if (pthread_mutex_init(&t->lock, NULL) != 0) {
        pthread_cond_destroy(&t->cond);
        return -1;
    }
    return 0;
}

int ticker_start(const ticker_config_t *cfg, ticker_t **out)
{
    *out = NULL;
    ticker_t *t = calloc(1, sizeof(*t));
    if (!t) return -1;
    if (init_sync(t) < 0) {
        free(t);
        return -1;
    }
    t->cfg = *cfg;
    /* 0 ("at once") is the start time, so a tick computing its next deadline from `due`
     * (ticker_next) keeps the schedule instead of running a second time at once. */
    t->due = cfg->first ? cfg->first : clock_monotonic_ns();
    *out = t;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&t->thread, NULL, ticker_main, t);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        *out = NULL;
        pthread_cond_destroy(&t->cond);
        pthread_mutex_destroy(&t->lock);
        free(t);
        return -1;
    }
    return 0;
}

void ticker_kick(ticker_t *t)
{
    pthread_mutex_lock(&t->lock);
    t->kicked = true;
    pthread_cond_signal(&t->cond);
    pthread_mutex_unlock(&t->lock);
}

void ticker_stop(ticker_t *t)
{
    pthread_mutex_lock(&t->lock);
    t->stop = true;
    pthread_cond_signal(&t->cond);
    pthread_mutex_unlock(&t->lock);
}

bool ticker_stopping(ticker_t *t)
{
    pthread_mutex_lock(&t->lock);
    bool stop = t->stop;
    pthread_mutex_unlock(&t->lock);
    return stop;
}

bool ticker_running(ticker_t *t)
{
    pthread_mutex_lock(&t->lock);
    bool running = !t->ended;
    pthread_mutex_unlock(&t->lock);
    return running;
}

void ticker_join(ticker_t *t)
{
    if (t->joined) return;
    pthread_join(t->thread, NULL);
    t->joined = true;
}

void ticker_free(ticker_t *t)
{
    if (!t) return;
    ticker_stop(t);
    ticker_join(t);
    pthread_cond_destroy(&t->cond);
    pthread_mutex_destroy(&t->lock);
    free(t);
}
