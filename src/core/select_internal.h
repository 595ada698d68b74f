/* SPDX-License-Identifier: Apache-2.0 */
/* The arithmetic of device selection on plain records, apart from the driver, so that the
 * rules (tolerance, loosened counts, nvitop's N/A ordering, the MIG rule) are tested on
 * hand-built candidates. */
#ifndef NVITOP_CORE_SELECT_INTERNAL_H
#define NVITOP_CORE_SELECT_INTERNAL_H

#include <nvitop/select.h>

/* Python's three kinds of value: a number, its NA singleton (greater than every number) and
 * NaN (what NA turns into after arithmetic: every comparison false). */
typedef enum sel_kind { SEL_VALUE = 0, SEL_NA, SEL_NAN } sel_kind_t;

typedef struct sel_num {
    sel_kind_t kind;
    int64_t v; /* SEL_VALUE only */
} sel_num_t;

typedef struct select_candidate {
    size_t position; /* in enumeration order; the last sort key */
    int32_t physical_index;
    bool is_mig;
    sel_num_t free, used, total;  /* bytes */
    sel_num_t gpu_util, mem_util; /* percent */
    unsigned loosened;
    void *user; /* the device */
} select_candidate_t;

static inline sel_num_t sel_value(int64_t v)
{
    return (sel_num_t){SEL_VALUE, v};
}

static inline sel_num_t sel_na(void)
{
    return (sel_num_t){SEL_NA, 0};
}

/* x + delta with Python's rules: NA or NaN on either side gives NaN. */
sel_num_t sel_add(sel_num_t x, sel_num_t delta);
sel_num_t sel_sub(sel_num_t x, sel_num_t delta);

/* Steps 3 to 6 of nvitop_select_devices() on n candidates, in place: the kept candidates end
 * up first, in their final order. Returns how many are kept; *uuid_format is set when the
 * MIG rule switches an index result to UUIDs. The options are those of the public call
 * (devices, format and free_accounts are not looked at). */
size_t select_rank(select_candidate_t *c, size_t n, const nvitop_select_options_t *opts,
                   bool *uuid_format);

/* The sort order alone: negative when a ranks before b (nvitop's key, then position). */
int select_compare(const select_candidate_t *a, const select_candidate_t *b);

#endif
