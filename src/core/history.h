/* SPDX-License-Identifier: Apache-2.0 */
/* A metric's history for the monitor's graphs, sampled the way nvitop's BufferedHistoryGraph
 * samples (spec §3.4): raw values are averaged over each 1 s interval into one point, a gap of
 * several intervals is filled with points interpolated linearly, and the last 2049 points are
 * kept. Plain data; the caller synchronises (the sampler holds its lock). */
#ifndef NVITOP_CORE_HISTORY_H
#define NVITOP_CORE_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HISTORY_CAPACITY 2049 /* nvitop's 2 * 1024 + 1: a graph up to 1024 columns wide */

typedef struct history {
    /* The ring, grown on demand up to HISTORY_CAPACITY (64 GPUs keep 192 graphs, most of
     * them short); NaN is a point with no value (N/A). */
    float *points;
    size_t cap;
    size_t head;             /* where the next point goes */
    size_t count;            /* points stored, at most HISTORY_CAPACITY */
    uint64_t added;          /* points ever added: changes whenever the graph does */
    uint64_t interval_ns;    /* one point per interval */
    uint64_t last_update_ns; /* start of the interval being buffered */
    double buffer_sum;       /* raw values of that interval (N/A ones left out) */
    unsigned buffer_n, buffer_na;
} history_t;

/* Starts an empty history at `now_ns` with one point per `interval_ns` (1 s in nvitop). */
void history_init(history_t *h, uint64_t now_ns, uint64_t interval_ns);

/* Frees the points; the history is empty and must be initialised again before use. */
void history_fini(history_t *h);

/* Adds a raw value (NaN: not available) measured at `now_ns`. When an interval or more has
 * passed since the last point, the buffered values become one point (their mean; N/A when
 * all were N/A), preceded by interpolated points when several intervals passed and the last
 * point had a value. Then the value starts the next buffer. */
void history_add(history_t *h, double value, uint64_t now_ns);

/* The latest point, or while there is none (or it is N/A) the mean of the buffer; NaN when
 * neither exists. This is the value a graph's label shows. */
double history_last(const history_t *h);

/* Copies up to `n` of the newest points into out[], newest first; returns how many. */
size_t history_recent(const history_t *h, float *out, size_t n);

#endif
