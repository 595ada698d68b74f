/* SPDX-License-Identifier: Apache-2.0 */
/* The rows of the process panel's list (process_rows.h). */
#include "tui/process_rows.h"

bool process_rows_ruled(sort_order_t order, bool compact)
{
    return !compact && order == SORT_NATURAL;
}

static int physical_of(const rpt_proc_t *v)
{
    return v->dev ? v->dev->physical_index : -1;
}

bool process_rows_rule_above(const rpt_proc_t *procs, size_t count, size_t i)
{
    return i > 0 && i < count && physical_of(&procs[i]) != physical_of(&procs[i - 1]);
}

int process_rows_rules(const rpt_proc_t *procs, size_t count)
{
    int rules = 0;
    for (size_t i = 1; i < count; i++)
        rules += process_rows_rule_above(procs, count, i);
    return rules;
}

int process_rows_offset(const rpt_proc_t *procs, size_t count, size_t i, bool ruled)
{
    int row = (int)i;
    for (size_t k = 1; ruled && k <= i && k < count; k++)
        row += process_rows_rule_above(procs, count, k);
    return row;
}

long process_rows_entry(const rpt_proc_t *procs, size_t count, int offset, bool ruled)
{
    int row = 0;
    for (size_t i = 0; i < count && row <= offset; i++) {
        if (ruled && process_rows_rule_above(procs, count, i)) {
            if (row == offset) return -1; /* the rule above entry i */
            row++;
        }
        if (row == offset) return (long)i;
        row++;
    }
    return -1;
}
