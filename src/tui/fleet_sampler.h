/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet screen's sampler: a ticker thread (util/ticker.h) that refreshes the fleet from
 * Prometheus every interval and publishes the latest fleet or the refresh's error, waking the
 * UI through a pipe. The UI never waits for Prometheus: a slow or unreachable server only
 * delays the next publication. */
#ifndef NVITOP_TUI_FLEET_SAMPLER_H
#define NVITOP_TUI_FLEET_SAMPLER_H

#include <stdbool.h>
#include <stdint.h>

#include "fleet/fleet.h"

typedef struct fleet_sampler fleet_sampler_t;

/* Starts refreshing at once, then every interval_s. The client and rules are used on the
 * thread until fleet_sampler_stop(). wake_fd (-1: none) gets a byte after each refresh. Returns
 * 0 or -1 (out of resources). */
int fleet_sampler_start(prom_client_t *client, const fleet_rules_t *rules, double interval_s,
                        int wake_fd, fleet_sampler_t **out);

/* What the last refresh left. */
typedef struct fleet_news {
    bool fleet;         /* *fleet was replaced by a newer one (the old one freed) */
    char error[512];    /* the last refresh's error, "" after a good one */
    int64_t good_at_ns; /* CLOCK_REALTIME of the last good refresh (0: none yet) */
    uint64_t refreshes; /* refreshes done, good or not */
} fleet_news_t;

/* Takes what is new since *seen (0 at first). Returns true when anything is. */
bool fleet_sampler_take(fleet_sampler_t *s, uint64_t *seen, fleet_t *fleet, fleet_news_t *news);

/* A refresh as soon as possible. */
void fleet_sampler_kick(fleet_sampler_t *s);

/* Stops (a query in flight is cancelled), joins and frees. NULL is a no-op. */
void fleet_sampler_stop(fleet_sampler_t *s);

#endif
