/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet screen's sampler (fleet_sampler.h): the refresh runs without the lock; only the
 * hand-over of its result is locked, so the UI's take never waits for Prometheus. */
#include "tui/fleet_sampler.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/ticker.h"

struct fleet_sampler {
    prom_client_t *client;
    fleet_rules_t rules;
    uint64_t period_ns;
    int wake_fd;
    ticker_t *ticker;
    pthread_mutex_t lock;
    /* under the lock */
    fleet_t pending; /* the newest fleet not taken yet */
    bool has_pending;
    fleet_news_t news;
};

static bool cancelled(void *arg)
{
    fleet_sampler_t *s = arg;
    return ticker_stopping(s->ticker);
}

static void publish(fleet_sampler_t *s, int rc, fleet_t *fleet, const strbuf_t *why)
{
    pthread_mutex_lock(&s->lock);
    if (rc == 0) {
        if (s->has_pending) fleet_fini(&s->pending);
        s->pending = *fleet;
        s->has_pending = true;
        s->news.error[0] = '\0';
        s->news.good_at_ns = clock_realtime_ns();
    } else {
        snprintf(s->news.error, sizeof(s->news.error), "%s", strbuf_str(why));
    }
    s->news.refreshes++;
    pthread_mutex_unlock(&s->lock);
    if (s->wake_fd >= 0) {
        ssize_t n;
        do
            n = write(s->wake_fd, "f", 1);
        while (n < 0 && errno == EINTR); /* a full pipe already wakes the UI */
    }
}

static uint64_t tick(void *arg, uint64_t due)
{
    fleet_sampler_t *s = arg;
    fleet_t fleet;
    strbuf_t why = {0};
    int rc = fleet_refresh(s->client, &s->rules, &fleet, &why);
    if (!ticker_stopping(s->ticker))
        publish(s, rc, &fleet, &why);
    else if (rc == 0)
        fleet_fini(&fleet);
    strbuf_fini(&why);
    return ticker_next(due, s->period_ns);
}

int fleet_sampler_start(prom_client_t *client, const fleet_rules_t *rules, double interval_s,
                        int wake_fd, fleet_sampler_t **out)
{
    *out = NULL;
    fleet_sampler_t *s = calloc(1, sizeof(*s));
    if (!s) return -1;
    s->client = client;
    s->rules = *rules;
    s->period_ns = ticker_ns(interval_s);
    s->wake_fd = wake_fd;
    pthread_mutex_init(&s->lock, NULL);
    prom_client_set_cancel(client, cancelled, s);
    ticker_config_t cfg = {.tick = tick, .arg = s, .first = 0};
    if (ticker_start(&cfg, &s->ticker) < 0) {
        prom_client_set_cancel(client, NULL, NULL);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

bool fleet_sampler_take(fleet_sampler_t *s, uint64_t *seen, fleet_t *fleet, fleet_news_t *news)
{
    pthread_mutex_lock(&s->lock);
    bool any = s->news.refreshes != *seen;
    *news = s->news;
    news->fleet = s->has_pending;
    if (s->has_pending) {
        fleet_fini(fleet);
        *fleet = s->pending;
        s->has_pending = false;
    }
    *seen = s->news.refreshes;
    pthread_mutex_unlock(&s->lock);
    return any;
}

void fleet_sampler_kick(fleet_sampler_t *s)
{
    ticker_kick(s->ticker);
}

void fleet_sampler_stop(fleet_sampler_t *s)
{
    if (!s) return;
    ticker_stop(s->ticker);
    ticker_free(s->ticker);
    prom_client_set_cancel(s->client, NULL, NULL);
    if (s->has_pending) fleet_fini(&s->pending);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
