/* SPDX-License-Identifier: Apache-2.0 */
/* CPU % from deltas: the system-wide tracker, and per-process samples in an open-addressing
 * hash table keyed by pid (a sample remembers the starttime, so a recycled pid starts afresh). */
#include "host/host_internal.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double host_cpu_tracker_update(host_cpu_tracker_t *t, const host_cpu_times_t *cur)
{
    double pct = t->have_prev ? host_cpu_percent(&t->prev, cur) : NAN;
    t->prev = *cur;
    t->have_prev = true;
    return pct;
}

struct host_proc_sample {
    bool used;
    uint32_t pid;
    uint64_t starttime; /* clock ticks after boot: tells a recycled pid apart */
    uint64_t cpu_ticks; /* utime + stime at time_ns */
    uint64_t time_ns;   /* monotonic time of the record */
};

#define TRACKER_MIN_CAP 64

/* Fibonacci hashing spreads the dense, sequential pids over the power-of-two table. */
static size_t slot_of(uint32_t pid, size_t cap)
{
    return (size_t)((pid * UINT64_C(11400714819323198485)) >> 32) & (cap - 1);
}

/* The slot holding pid, or the empty slot where it would go. The table is never full. */
static host_proc_sample_t *probe(host_proc_sample_t *slots, size_t cap, uint32_t pid)
{
    size_t i = slot_of(pid, cap);
    while (slots[i].used && slots[i].pid != pid)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

/* Moves the live samples (those recorded at or after keep_from_ns) into a table of new_cap. */
static int rehash(host_proc_tracker_t *t, size_t new_cap, uint64_t keep_from_ns)
{
    host_proc_sample_t *slots = calloc(new_cap, sizeof(*slots));
    if (!slots) return -1;
    size_t used = 0;
    for (size_t i = 0; i < t->cap; i++) {
        const host_proc_sample_t *s = &t->slots[i];
        if (!s->used || s->time_ns < keep_from_ns) continue;
        *probe(slots, new_cap, s->pid) = *s;
        used++;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = new_cap;
    t->used = used;
    return 0;
}

/* Keeps the load factor at or below one half. */
static int reserve_one(host_proc_tracker_t *t)
{
    if (t->cap && (t->used + 1) * 2 <= t->cap) return 0;
    size_t cap = t->cap ? t->cap : TRACKER_MIN_CAP / 2;
    if (cap > SIZE_MAX / 2 / sizeof(host_proc_sample_t)) return -1;
    return rehash(t, cap * 2, 0);
}

double host_proc_tracker_update(host_proc_tracker_t *t, uint32_t pid, uint64_t starttime,
                                uint64_t cpu_ticks, long clk_tck, uint64_t now_ns)
{
    if (reserve_one(t) != 0) return NAN;
    host_proc_sample_t *s = probe(t->slots, t->cap, pid);
    bool fresh = !s->used || s->starttime != starttime;
    /* A clock or counter going backwards cannot be measured either: start over. */
    bool broken = !fresh && (now_ns < s->time_ns || cpu_ticks < s->cpu_ticks);
    double pct = NAN;
    if (!fresh && !broken && clk_tck > 0) {
        uint64_t dt_ns = now_ns - s->time_ns;
        double cpu_s = (double)(cpu_ticks - s->cpu_ticks) / (double)clk_tck;
        /* psutil answers 0.0 when no time passed ("interval too low"). */
        pct = dt_ns ? 100.0 * cpu_s / ((double)dt_ns / 1e9) : 0.0;
    }
    if (!s->used) t->used++;
    *s = (host_proc_sample_t){true, pid, starttime, cpu_ticks, now_ns};
    return pct;
}

void host_proc_tracker_prune(host_proc_tracker_t *t, uint64_t older_than_ns)
{
    if (!t->slots) return;
    size_t live = 0;
    for (size_t i = 0; i < t->cap; i++)
        live += t->slots[i].used && t->slots[i].time_ns >= older_than_ns;
    /* Shrink when mostly empty, never below the minimum; on allocation failure keep the
     * table as it is (stale samples only cost memory). */
    size_t cap = t->cap;
    while (cap > TRACKER_MIN_CAP && live * 8 < cap)
        cap /= 2;
    if (live == t->used && cap == t->cap) return;
    rehash(t, cap, older_than_ns);
}

void host_proc_tracker_fini(host_proc_tracker_t *t)
{
    free(t->slots);
    t->slots = NULL;
    t->cap = t->used = 0;
}
