/* SPDX-License-Identifier: Apache-2.0 */
/* Buffered history of one metric (history.h). */
#include "core/history.h"

#include <math.h>
#include <string.h>

void history_init(history_t *h, uint64_t now_ns, uint64_t interval_ns)
{
    memset(h, 0, sizeof(*h));
    h->interval_ns = interval_ns ? interval_ns : 1;
    h->last_update_ns = now_ns;
}

static void push(history_t *h, double value)
{
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
