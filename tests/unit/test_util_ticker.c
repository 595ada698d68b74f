/* SPDX-License-Identifier: Apache-2.0 */
/* The ticker (util/ticker.h): ticks are handed the deadline they were scheduled for, so a
 * fixed rate does not drift; an idle ticker waits for a kick and a kick during a tick is not
 * lost; TICKER_END and a stop end the thread, `before` and `after` run once each on it; a stop
 * ends a long sleep at once and a long tick that polls ticker_stopping(); the thread blocks
 * signals. No assertion on how late a tick is: each wait polls for its condition with a
 * generous limit. Run under TSan too (label tsan). */
#include "testutil.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/ticker.h"
#include "util/util.h"

#define MS 1000000ULL
#define MAX_TICKS 64

typedef struct counter {
    atomic_uint ticks, befores, afters;
    uint64_t dues[MAX_TICKS]; /* written by the ticker's thread, read after the join */
    uint64_t period;
    unsigned end_at;       /* TICKER_END at this tick (0: never) */
    bool idle;             /* return TICKER_IDLE */
    atomic_bool in_tick;   /* the tick is running (hold_tick) */
    atomic_bool release;   /* lets a held tick return */
    bool hold_first;       /* the first tick waits for `release` */
    bool blocked_sigint;   /* seen on the thread */
    bool poll_stop;        /* the tick runs until ticker_stopping() */
    ticker_t *const *self; /* for poll_stop */
} counter_t;

static void before(void *arg)
{
    counter_t *c = arg;
    atomic_fetch_add(&c->befores, 1);
    sigset_t mask;
    pthread_sigmask(SIG_SETMASK, NULL, &mask);
    c->blocked_sigint = sigismember(&mask, SIGINT) == 1;
}

static void after(void *arg)
{
    atomic_fetch_add(&((counter_t *)arg)->afters, 1);
}

static uint64_t tick(void *arg, uint64_t due)
{
    counter_t *c = arg;
    unsigned n = atomic_load(&c->ticks);
    if (n < MAX_TICKS) c->dues[n] = due;
    if (n == 0 && c->hold_first) {
        atomic_store(&c->in_tick, true);
        while (!atomic_load(&c->release))
            usleep(1000);
    }
    while (c->poll_stop && !ticker_stopping(*c->self))
        usleep(1000);
    atomic_store(&c->ticks, n + 1);
    if (c->end_at && n + 1 == c->end_at) return TICKER_END;
    return c->idle ? TICKER_IDLE : due + c->period; /* the schedule, not the wake time */
}

/* Waits (up to 20 s) until the tick count reaches n. */
static bool wait_ticks(counter_t *c, unsigned n)
{
    for (int i = 0; i < 20000 && atomic_load(&c->ticks) < n; i++)
        usleep(1000);
    return atomic_load(&c->ticks) >= n;
}

static ticker_t *start(counter_t *c, uint64_t first)
{
    ticker_config_t cfg = {
        .tick = tick, .before = before, .after = after, .arg = c, .first = first};
    ticker_t *t = NULL;
    assert_int_equal(ticker_start(&cfg, &t), 0);
    assert_non_null(t);
    return t;
}

/* Each tick is handed its scheduled deadline: first, first + period, ... exactly. */
static void fixed_rate_without_drift(void **state)
{
    (void)state;
    counter_t c = {.period = 2 * MS, .end_at = 10};
    uint64_t first = clock_monotonic_ns();
    ticker_t *t = start(&c, first);
    ticker_join(t); /* ends itself at the tenth tick */
    assert_int_equal(atomic_load(&c.ticks), 10);
    for (unsigned i = 0; i < 10; i++)
        assert_true(c.dues[i] == first + i * c.period);
    assert_false(ticker_running(t));
    assert_int_equal(atomic_load(&c.befores), 1);
    assert_int_equal(atomic_load(&c.afters), 1);
    assert_true(c.blocked_sigint);
    ticker_free(t);
}

/* ticker_next: one period on, or now when that has passed (a late tick does not pile up). */
static void next_skips_missed_ticks(void **state)
{
    (void)state;
    uint64_t now = clock_monotonic_ns(), future = now + 3600 * NS_PER_SEC;
    assert_true(ticker_next(future, 5 * MS) == future + 5 * MS);
    uint64_t late = ticker_next(now - 10 * NS_PER_SEC, 5 * MS);
    assert_true(late >= now && late < now + 3600 * NS_PER_SEC);
    assert_true(ticker_ns(0.25) == 250 * MS);
    assert_true(ticker_ns(-1) == 0);
}

/* An idle ticker ticks only when kicked. */
static void idle_until_kicked(void **state)
{
    (void)state;
    counter_t c = {.idle = true};
    ticker_t *t = start(&c, 0);
    assert_true(wait_ticks(&c, 1));
    usleep(50 * 1000);
    assert_int_equal(atomic_load(&c.ticks), 1);
    ticker_kick(t);
    assert_true(wait_ticks(&c, 2));
    usleep(50 * 1000);
    assert_int_equal(atomic_load(&c.ticks), 2);
    ticker_free(t);
    assert_int_equal(atomic_load(&c.afters), 1);
}

/* A kick while a tick runs brings one more tick, even if that tick asks for none. */
static void kick_during_tick_is_kept(void **state)
{
    (void)state;
    counter_t c = {.idle = true, .hold_first = true};
    ticker_t *t = start(&c, 0);
    for (int i = 0; i < 20000 && !atomic_load(&c.in_tick); i++)
        usleep(1000);
    assert_true(atomic_load(&c.in_tick));
    ticker_kick(t);
    ticker_kick(t); /* kicks before the next tick add up to one */
    atomic_store(&c.release, true);
    assert_true(wait_ticks(&c, 2));
    usleep(50 * 1000);
    assert_int_equal(atomic_load(&c.ticks), 2);
    ticker_free(t);
}

/* A stop ends a long sleep at once: the first tick is an hour away. */
static void stop_ends_a_long_sleep(void **state)
{
    (void)state;
    counter_t c = {.period = 3600 * NS_PER_SEC};
    ticker_t *t = start(&c, clock_monotonic_ns() + 3600 * NS_PER_SEC);
    assert_true(ticker_running(t));
    assert_false(ticker_stopping(t));
    ticker_free(t); /* would hang for an hour */
    assert_int_equal(atomic_load(&c.ticks), 0);
    assert_int_equal(atomic_load(&c.befores), 1);
    assert_int_equal(atomic_load(&c.afters), 1);
}

/* A long tick that polls ticker_stopping() returns when asked to; *out is set before the
 * thread runs, so the tick may read it. */
static void long_tick_sees_the_stop(void **state)
{
    (void)state;
    ticker_t *t = NULL;
    counter_t c = {.period = MS, .poll_stop = true, .self = &t};
    ticker_config_t cfg = {.tick = tick, .arg = &c, .first = 0};
    assert_int_equal(ticker_start(&cfg, &t), 0);
    usleep(20 * 1000);
    ticker_stop(t);
    ticker_join(t);
    ticker_join(t); /* twice is fine */
    assert_int_equal(atomic_load(&c.ticks), 1);
    ticker_free(t);
    ticker_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixed_rate_without_drift), cmocka_unit_test(next_skips_missed_ticks),
        cmocka_unit_test(idle_until_kicked),        cmocka_unit_test(kick_during_tick_is_kept),
        cmocka_unit_test(stop_ends_a_long_sleep),   cmocka_unit_test(long_tick_sees_the_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
