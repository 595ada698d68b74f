/* SPDX-License-Identifier: Apache-2.0 */
/* The rows of the process panel's list (spec §3.2, §3.5). As nvitop draws them: in the natural
 * order (either direction) and the full form, a rule separates the processes of two physical
 * GPUs; in any other order, or in the compact form, there is none. The panel's height, the
 * drawing, the clicks and the scroll that keeps the selection on screen all count rows here,
 * so they agree on the rows really drawn. Pure. */
#ifndef NVITOP_TUI_PROCESS_ROWS_H
#define NVITOP_TUI_PROCESS_ROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "render/cells.h"
#include "tui/sort.h"

/* Does the list draw rules between GPUs in this order and form? */
bool process_rows_ruled(sort_order_t order, bool compact);
/* Does a rule go above entry i when ruled: its physical GPU is not the one of the row above. */
bool process_rows_rule_above(const rpt_proc_t *procs, size_t count, size_t i);
/* How many rules a ruled list draws. */
int process_rows_rules(const rpt_proc_t *procs, size_t count);
/* The row of entry i, counted from the first row of the list. */
int process_rows_offset(const rpt_proc_t *procs, size_t count, size_t i, bool ruled);
/* The entry drawn on row `offset` of the list, or -1 (a rule, or outside the list). */
long process_rows_entry(const rpt_proc_t *procs, size_t count, int offset, bool ruled);

#endif
