/* SPDX-License-Identifier: Apache-2.0 */
/* Sort orders of the process panel (sort.h). */
#include "tui/sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const sort_info_t orders[SORT__COUNT] = {
    [SORT_NATURAL] = {"natural", 'n', "GPU", 3, false},
    [SORT_PID] = {"pid", 'p', "PID", 10, false},
    [SORT_USERNAME] = {"username", 'u', "USER", 19, false},
    [SORT_GPU_MEMORY] = {"gpu_memory", 'g', "GPU-MEM", 25, true},
    [SORT_SM] = {"sm_utilization", 's', "SM", 34, true},
    [SORT_GMBW] = {"gpu_memory_utilization", 'b', "GMBW", 38, true},
    [SORT_CPU] = {"cpu_percent", 'c', "%CPU", 44, true},
    [SORT_MEMORY] = {"memory_percent", 'm', "%MEM", 50, true},
    [SORT_TIME] = {"time", 't', "TIME", 56, true},
};

const sort_info_t *sort_info(sort_order_t order)
{
    return &orders[order < SORT__COUNT ? order : SORT_NATURAL];
}

int sort_by_key(char letter)
{
    char lower = letter >= 'A' && letter <= 'Z' ? (char)(letter - 'A' + 'a') : letter;
    for (int i = 0; i < SORT__COUNT; i++)
        if (orders[i].key == lower) return i;
    return -1;
}

sort_order_t sort_prev(sort_order_t order)
{
    return (sort_order_t)((order + SORT__COUNT - 1) % SORT__COUNT);
}

sort_order_t sort_next(sort_order_t order)
{
    return (sort_order_t)((order + 1) % SORT__COUNT);
}

bool sort_descending(sort_order_t order, bool reverse)
{
    return sort_info(order)->descending != reverse;
}

static int cmp_num(bool a_ok, double a, bool b_ok, double b)
{
    if (!a_ok || !b_ok) return (!a_ok) - (!b_ok); /* N/A is greater than any number */
    return (a > b) - (a < b);
}

static int cmp_int(nvitop_int_t a, nvitop_int_t b)
{
    return cmp_num(NVITOP_HAS(a), (double)a.value, NVITOP_HAS(b), (double)b.value);
}

static int cmp_real(nvitop_real_t a, nvitop_real_t b)
{
    return cmp_num(NVITOP_HAS(a) && !isnan(a.value), a.value, NVITOP_HAS(b) && !isnan(b.value),
                   b.value);
}

/* Host values of a gone process are unknown: N/A. */
static nvitop_real_t host_real(const rpt_proc_t *v, nvitop_real_t value)
{
    return v->gone ? (nvitop_real_t){0, NVITOP_NA_NO_SUCH_PROCESS} : value;
}

static int cmp_device(const rpt_proc_t *a, const rpt_proc_t *b)
{
    int pa = a->dev ? a->dev->physical_index : 1 << 30,
        pb = b->dev ? b->dev->physical_index : 1 << 30;
    if (pa != pb) return pa < pb ? -1 : 1;
    /* (i,) < (i, j): a physical GPU before its MIG devices */
    int ma = a->dev && a->dev->is_mig ? a->dev->mig_index : -1;
    int mb = b->dev && b->dev->is_mig ? b->dev->mig_index : -1;
    return (ma > mb) - (ma < mb);
}

static int cmp_pid(const rpt_proc_t *a, const rpt_proc_t *b)
{
    return (a->p->pid > b->p->pid) - (a->p->pid < b->p->pid);
}

/* The key tuple after `gone` (and after the device for the natural order). */
static int cmp_keys(sort_order_t order, const rpt_proc_t *a, const rpt_proc_t *b)
{
    const nvitop_gpu_process_t *p = a->p, *q = b->p;
    nvitop_real_t cpu_a = host_real(a, p->host.cpu_percent),
                  cpu_b = host_real(b, q->host.cpu_percent);
    nvitop_real_t mem_a = host_real(a, p->host.memory_percent);
    nvitop_real_t mem_b = host_real(b, q->host.memory_percent);
    int c = 0;
    switch (order) {
    case SORT_NATURAL:
    case SORT_USERNAME:
        if ((c = strcmp(a->username, b->username))) return c;
        return cmp_pid(a, b);
    case SORT_PID:
        return cmp_pid(a, b);
    case SORT_GPU_MEMORY:
        if ((c = cmp_int(p->gpu_memory_bytes, q->gpu_memory_bytes))) return c;
        if ((c = cmp_int(p->gpu_sm_utilization_percent, q->gpu_sm_utilization_percent))) return c;
        if ((c = cmp_real(cpu_a, cpu_b))) return c;
        return cmp_pid(a, b);
    case SORT_SM:
    case SORT_GMBW: {
        nvitop_int_t ua =
            order == SORT_SM ? p->gpu_sm_utilization_percent : p->gpu_memory_utilization_percent;
        nvitop_int_t ub =
            order == SORT_SM ? q->gpu_sm_utilization_percent : q->gpu_memory_utilization_percent;
        if ((c = cmp_int(ua, ub))) return c;
        if ((c = cmp_int(p->gpu_memory_bytes, q->gpu_memory_bytes))) return c;
        if ((c = cmp_real(cpu_a, cpu_b))) return c;
        return cmp_pid(a, b);
    }
    case SORT_CPU:
        if ((c = cmp_real(cpu_a, cpu_b))) return c;
        if ((c = cmp_real(mem_a, mem_b))) return c;
        return cmp_pid(a, b);
    case SORT_MEMORY:
        if ((c = cmp_real(mem_a, mem_b))) return c;
        if ((c = cmp_real(cpu_a, cpu_b))) return c;
        return cmp_pid(a, b);
    default:
        if ((c = cmp_real(host_real(a, p->host.running_time_s),
                          host_real(b, q->host.running_time_s))))
            return c;
        return cmp_pid(a, b);
    }
}

int sort_compare(sort_order_t order, const rpt_proc_t *a, const rpt_proc_t *b)
{
    int c;
    if (order == SORT_NATURAL && (c = cmp_device(a, b))) return c;
    if (a->gone != b->gone) return a->gone ? 1 : -1;
    if ((c = cmp_keys(order, a, b))) return c;
    return order == SORT_NATURAL ? 0 : cmp_device(a, b);
}

/* The comparison in the effective direction, with gone processes last either way. */
static int directed(sort_order_t order, const rpt_proc_t *a, const rpt_proc_t *b, bool desc)
{
    int c;
    if (order == SORT_NATURAL && (c = cmp_device(a, b))) return desc ? -c : c;
    if (a->gone != b->gone) return a->gone ? 1 : -1;
    c = cmp_keys(order, a, b);
    if (!c && order != SORT_NATURAL) c = cmp_device(a, b);
    return desc ? -c : c;
}

/* A merge sort: stable, and qsort has no argument for the order. */
static void merge_sort(rpt_proc_t *v, rpt_proc_t *tmp, size_t n, sort_order_t order, bool desc)
{
    if (n < 2) return;
    size_t half = n / 2;
    merge_sort(v, tmp, half, order, desc);
    merge_sort(v + half, tmp, n - half, order, desc);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n)
        tmp[k++] = directed(order, &v[j], &v[i], desc) < 0 ? v[j++] : v[i++];
    while (i < half)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(*v));
}

void sort_processes(rpt_proc_t *procs, size_t count, sort_order_t order, bool reverse)
{
    if (count < 2) return;
    rpt_proc_t *tmp = malloc(count * sizeof(*tmp));
    if (!tmp) return; /* out of memory: the order of the snapshot stays */
    merge_sort(procs, tmp, count, order, sort_descending(order, reverse));
    free(tmp);
}
