/* SPDX-License-Identifier: Apache-2.0 */
/* Buffered history of one metric (history.h). */
#include "core/history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { FIRST_CAP = 64 };

void history_init(history_t *h, uint64_t now_ns, uint64_t interval_ns)
{
    memset(h, 0, sizeof(*h));
    h->interval_ns = interval_ns ? interval_ns : 1;
    h->last_update_ns = now_ns;
}

void history_fini(history_t *h)
{
    free(h->points);
    memset(h, 0, sizeof(*h));
}

/* Room for the next point: the ring only wraps once it holds HISTORY_CAPACITY points, so
 * until then the points lie in order from 0 and growing keeps them where they are. */
static bool room(history_t *h)
{
    if (h->head < h->cap) return true;
    size_t cap = h->cap ? 2 * h->cap : FIRST_CAP;
    if (cap > HISTORY_CAPACITY) cap = HISTORY_CAPACITY;
    float *grown = realloc(h->points, cap * sizeof(*grown));
    if (!grown) return false;
    h->points = grown;
    h->cap = cap;
    return true;
}

static void push(history_t *h, double value)
{
    if (!room(h)) return; /* out of memory: the point is lost, the graph goes on */
    h->points[h->head] = (float)value;
    h->head = (h->head + 1) % HISTORY_CAPACITY;
    if (h->count < HISTORY_CAPACITY) h->count++;
    h->added++;
}

static double newest(const history_t *h)
{
    if (h->count == 0) return NAN;
    return h->points[(h->head + HISTORY_CAPACITY - 1) % HISTORY_CAPACITY];
}

void history_add(history_t *h, double value, uint64_t now_ns)
{
    uint64_t elapsed = now_ns > h->last_update_ns ? now_ns - h->last_update_ns : 0;
    if (h->buffer_n + h->buffer_na > 0 && elapsed >= h->interval_ns) {
        double mean = h->buffer_n ? h->buffer_sum / h->buffer_n : NAN;
        double last = newest(h);
        uint64_t intervals = elapsed / h->interval_ns;
        if (!isnan(last) && !isnan(mean))
            for (uint64_t i = 1; i < intervals && i < HISTORY_CAPACITY; i++)
                push(h, last + ((double)i / (double)intervals) * (mean - last));
        push(h, mean);
        h->last_update_ns += intervals * h->interval_ns;
        h->buffer_sum = 0;
        h->buffer_n = h->buffer_na = 0;
    }
    if (isnan(value)) {
        h->buffer_na++;
    } else {
        h->buffer_sum += value;
        h->buffer_n++;
    }
}

double history_last(const history_t *h)
{
    double last = newest(h);
    if (isnan(last) && h->buffer_n) return h->buffer_sum / h->buffer_n;
    return last;
}

size_t history_recent(const history_t *h, float *out, size_t n)
{
    size_t k = n < h->count ? n : h->count;
    for (size_t i = 0; i < k; i++)
        out[i] = h->points[(h->head + HISTORY_CAPACITY - 1 - i) % HISTORY_CAPACITY];
    return k;
}
