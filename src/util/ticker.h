/* SPDX-License-Identifier: Apache-2.0 */
/* The one background engine: a thread that calls a function on a schedule of the monotonic
 * clock. Each call returns when the next one is due, so a fixed rate (ticker_next), a schedule
 * of several tasks or an idle wait are the caller's choice. Between calls the thread sleeps on a
 * condition variable (no polling); it can be asked for a call at once (ticker_kick) and stops
 * after the call in progress (ticker_stop), which a long call may shorten by polling
 * ticker_stopping(). The thread blocks every signal: the caller's threads handle them. */
#ifndef NVITOP_UTIL_TICKER_H
#define NVITOP_UTIL_TICKER_H

#include <stdbool.h>
#include <stdint.h>

typedef struct ticker ticker_t;

/* What a tick may return instead of the deadline of the next one. */
#define TICKER_IDLE UINT64_MAX       /* no tick until ticker_kick() */
#define TICKER_END (UINT64_MAX - 1U) /* the thread ends after this tick */

typedef struct ticker_config {
    /* Called on the thread, without the ticker's lock: `due` is the deadline this call was
     * scheduled for (the time of the kick for a kicked call). Returns the deadline of the next
     * call (CLOCK_MONOTONIC ns; a past one: at once), TICKER_IDLE or TICKER_END. */
    uint64_t (*tick)(void *arg, uint64_t due);
    void (*before)(void *arg); /* optional: on the thread, before anything else */
    void (*after)(void *arg);  /* optional: on the thread, after the last tick, however it ended */
    void *arg;
    uint64_t first; /* deadline of the first tick (0: at once; TICKER_IDLE: at the first kick) */
} ticker_config_t;

/* Starts the thread. *out is set before the thread runs, so a tick may read it. Returns 0, or
 * -1 (out of resources; *out is NULL, nothing runs). */
int ticker_start(const ticker_config_t *cfg, ticker_t **out);

/* A tick as soon as possible: at once when the thread sleeps, right after the tick in
 * progress otherwise. Kicks before that tick add up to one. */
void ticker_kick(ticker_t *t);

/* Asks the thread to end after the tick in progress; does not wait. */
void ticker_stop(ticker_t *t);

/* Whether ticker_stop() was called: a long tick may return early. */
bool ticker_stopping(ticker_t *t);

/* Whether the thread still runs (false once `after` returned). */
bool ticker_running(ticker_t *t);

/* Waits until the thread ended (by TICKER_END or ticker_stop()). Safe to call twice. */
void ticker_join(ticker_t *t);

/* Stops, joins and frees. NULL is a no-op. */
void ticker_free(ticker_t *t);

/* A fixed rate: one period after `due`, or now when that has passed already, so a late tick
 * starts the next at once without piling up ticks and the schedule does not drift. */
uint64_t ticker_next(uint64_t due, uint64_t period_ns);

/* Seconds as a period in nanoseconds (<= 0: 0). */
uint64_t ticker_ns(double seconds);

#endif
