/* SPDX-License-Identifier: Apache-2.0 */
/* The process panel's sort orders (spec §3.5): one table row per order with its key letter,
 * column label and place in the header, default direction and the key tuple as a comparator.
 * N/A compares greater than any number. One deliberate change from nvitop 1.7: processes that
 * are gone always sort last (nvitop reverses the whole key tuple, which puts them first in the
 * descending orders; a QUIRK). Pure. */
#ifndef NVITOP_TUI_SORT_H
#define NVITOP_TUI_SORT_H

#include <stdbool.h>
#include <stddef.h>

#include "render/cells.h"

typedef enum sort_order {
    SORT_NATURAL,
    SORT_PID,
    SORT_USERNAME,
    SORT_GPU_MEMORY,
    SORT_SM,
    SORT_GMBW,
    SORT_CPU,
    SORT_MEMORY,
    SORT_TIME,
    SORT__COUNT
} sort_order_t;

typedef struct sort_info {
    const char *name;   /* "gpu_memory" */
    char key;           /* the letter after `o`: lower case = default direction */
    const char *column; /* header label: "GPU-MEM" */
    int offset;         /* column of the label in the header line (nvitop's offset) */
    bool descending;    /* default direction */
} sort_info_t;

const sort_info_t *sort_info(sort_order_t order);
/* The order bound to a letter of `o<letter>` (either case), or -1. */
int sort_by_key(char letter);
/* `,` and `.`: the previous / next order in the cycle. */
sort_order_t sort_prev(sort_order_t order);
sort_order_t sort_next(sort_order_t order);

/* Compares two processes by an order's key tuple, ascending. */
int sort_compare(sort_order_t order, const rpt_proc_t *a, const rpt_proc_t *b);
/* Sorts in the effective direction: the order's default, reversed when `reverse`. Gone
 * processes stay last either way; ties keep a stable order. */
void sort_processes(rpt_proc_t *procs, size_t count, sort_order_t order, bool reverse);
/* The effective direction: true when descending. */
bool sort_descending(sort_order_t order, bool reverse);

#endif
