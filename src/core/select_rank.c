/* SPDX-License-Identifier: Apache-2.0 */
/* The rules of nvitop's select_devices() on plain candidates: constraints loosened by the
 * tolerance, the count of strictly failed constraints, the sort key with nvitop's N/A order,
 * the MIG rule and the count limit. */
#include "core/select_internal.h"

#include <stdlib.h>

sel_num_t sel_add(sel_num_t x, sel_num_t delta)
{
    if (x.kind != SEL_VALUE || delta.kind != SEL_VALUE) return (sel_num_t){SEL_NAN, 0};
    return sel_value(x.v + delta.v);
}

sel_num_t sel_sub(sel_num_t x, sel_num_t delta)
{
    if (x.kind != SEL_VALUE || delta.kind != SEL_VALUE) return (sel_num_t){SEL_NAN, 0};
    return sel_value(x.v - delta.v);
}

/* x >= limit: NA is greater than every number, NaN compares false. */
static bool at_least(sel_num_t x, int64_t limit)
{
    return x.kind == SEL_NA || (x.kind == SEL_VALUE && x.v >= limit);
}

static bool at_least_real(sel_num_t x, double limit)
{
    return x.kind == SEL_NA || (x.kind == SEL_VALUE && (double)x.v >= limit);
}

/* x <= limit: false for NA (greater than every number) and for NaN. */
static bool at_most(sel_num_t x, int64_t limit)
{
    return x.kind == SEL_VALUE && x.v <= limit;
}

static bool at_most_real(sel_num_t x, double limit)
{
    return x.kind == SEL_VALUE && (double)x.v <= limit;
}

/* One constraint over the candidates still in [0, n): keeps those meeting the loose test,
 * counts a failed strict test. Returns the new n. */
static size_t apply_min(select_candidate_t *c, size_t n, size_t field, int64_t limit, double tol)
{
    double loose = (double)limit * (1.0 - tol);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const sel_num_t *x = (const sel_num_t *)((const char *)&c[i] + field);
        c[i].loosened += !at_least(*x, limit);
        if (at_least_real(*x, loose)) c[kept++] = c[i];
    }
    return kept;
}

static size_t apply_max(select_candidate_t *c, size_t n, size_t field, int64_t limit, double tol)
{
    double loose = (double)limit + 100.0 * tol;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const sel_num_t *x = (const sel_num_t *)((const char *)&c[i] + field);
        c[i].loosened += !at_most(*x, limit);
        if (at_most_real(*x, loose)) c[kept++] = c[i];
    }
    return kept;
}

enum { KEY_LESS = -1, KEY_GREATER = 1, KEY_SAME = 0, KEY_STOP = 2 };

/* nvitop's key (not isnan(x), -x) for a value sorted descending. Two unknown values build two
 * distinct NaN objects in Python, which compare neither less nor equal: the sort treats the
 * devices as equal without looking at the later keys (KEY_STOP). */
static int key_descending(sel_num_t a, sel_num_t b)
{
    bool ka = a.kind == SEL_VALUE, kb = b.kind == SEL_VALUE;
    if (!ka && !kb) return KEY_STOP;
    if (ka != kb) return ka ? KEY_GREATER : KEY_LESS; /* unknown first */
    return a.v > b.v ? KEY_LESS : a.v < b.v ? KEY_GREATER : KEY_SAME;
}

/* nvitop's key (not isnan(x), x) ascending. NA is one shared object: two NA are equal and the
 * next key decides; NaN behaves as above. */
static int key_ascending(sel_num_t a, sel_num_t b)
{
    bool ka = a.kind == SEL_VALUE, kb = b.kind == SEL_VALUE;
    if (!ka && !kb) return a.kind == SEL_NA && b.kind == SEL_NA ? KEY_SAME : KEY_STOP;
    if (ka != kb) return ka ? KEY_GREATER : KEY_LESS;
    return a.v < b.v ? KEY_LESS : a.v > b.v ? KEY_GREATER : KEY_SAME;
}

int select_compare(const select_candidate_t *a, const select_candidate_t *b)
{
    int k = a->loosened < b->loosened ? KEY_LESS : a->loosened > b->loosened ? KEY_GREATER : 0;
    if (k == KEY_SAME) k = key_descending(a->free, b->free);
    if (k == KEY_SAME) k = key_descending(a->used, b->used);
    if (k == KEY_SAME) k = key_ascending(a->gpu_util, b->gpu_util);
    if (k == KEY_SAME) k = key_ascending(a->mem_util, b->mem_util);
    if (k == KEY_SAME) /* descending index: GPU 0 last */
        k = a->physical_index > b->physical_index   ? KEY_LESS
            : a->physical_index < b->physical_index ? KEY_GREATER
                                                    : KEY_SAME;
    if (k == KEY_LESS || k == KEY_GREATER) return k;
    /* Python's sort is stable: equal keys keep the enumeration order. */
    return a->position < b->position ? -1 : a->position > b->position;
}

static int compare_qsort(const void *a, const void *b)
{
    return select_compare(a, b);
}

/* CUDA shows one MIG device at most. Returns the new n. */
static size_t apply_mig_rule(select_candidate_t *c, size_t n, const nvitop_select_options_t *opts,
                             bool *uuid_format)
{
    size_t non_mig = 0, first_mig = n;
    for (size_t i = 0; i < n; i++) {
        if (!c[i].is_mig)
            non_mig++;
        else if (first_mig == n)
            first_mig = i;
    }
    if (first_mig == n) return n;
    if ((opts->min_count > 0 && non_mig >= opts->min_count) || !c[0].is_mig) {
        size_t kept = 0;
        for (size_t i = 0; i < n; i++)
            if (!c[i].is_mig) c[kept++] = c[i];
        return kept;
    }
    c[0] = c[first_mig];
    if (opts->format == NVITOP_SELECT_FORMAT_INDEX && !opts->force_index) *uuid_format = true;
    return 1;
}

size_t select_rank(select_candidate_t *c, size_t n, const nvitop_select_options_t *opts,
                   bool *uuid_format)
{
    *uuid_format = false;
    if (opts->max_count == 0) return 0;
    double tol = (double)opts->tolerance_percent / 100.0;
    if (opts->min_free_memory_bytes >= 0)
        n = apply_min(c, n, offsetof(select_candidate_t, free), opts->min_free_memory_bytes, tol);
    if (opts->min_total_memory_bytes >= 0)
        n = apply_min(c, n, offsetof(select_candidate_t, total), opts->min_total_memory_bytes, tol);
    if (opts->max_gpu_utilization_percent >= 0)
        n = apply_max(c, n, offsetof(select_candidate_t, gpu_util),
                      opts->max_gpu_utilization_percent, tol);
    if (opts->max_memory_utilization_percent >= 0)
        n = apply_max(c, n, offsetof(select_candidate_t, mem_util),
                      opts->max_memory_utilization_percent, tol);
    if (!opts->no_sort && n > 1) qsort(c, n, sizeof(*c), compare_qsort);
    n = apply_mig_rule(c, n, opts, uuid_format);
    if (opts->max_count > 0 && (uint64_t)opts->max_count < n) n = (size_t)opts->max_count;
    return n;
}
