/* SPDX-License-Identifier: Apache-2.0 */
/* The process filters of nvitop's command line (--compute, --only-compute, --graphics,
 * --only-graphics, --user, --pid; spec §1.1) compiled into one plain value: the program builds
 * it, and the report, the monitor and the sampler's process tree match processes with it. A
 * filter owns its lists, so a copy (proc_filter_copy) lives as long as whoever holds it, a
 * sampler thread for one, and no one holds a pointer into the command line's state. */
#ifndef NVITOP_CORE_PROC_FILTER_H
#define NVITOP_CORE_PROC_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include <nvitop.h>

/* The context types a process must have (bits of proc_filter_t.types, all ANDed). */
enum {
    PROC_FILTER_COMPUTE = 1U << 0,       /* --compute: C or C+G */
    PROC_FILTER_ONLY_COMPUTE = 1U << 1,  /* --only-compute: C without G */
    PROC_FILTER_GRAPHICS = 1U << 2,      /* --graphics: G or C+G */
    PROC_FILTER_ONLY_GRAPHICS = 1U << 3, /* --only-graphics: G without C */
};

/* {0} keeps every process. The conditions are ANDed. */
typedef struct proc_filter {
    unsigned types;    /* PROC_FILTER_* */
    bool by_user;      /* only processes of these users (an empty list keeps none) */
    char **users;      /* owned */
    size_t user_count; /* "N/A" names the processes whose user is unknown */
    bool by_pid;       /* only these pids */
    long *pids;        /* owned */
    size_t pid_count;
} proc_filter_t;

/* Set the user or pid condition to these values (copied), replacing an earlier one, as a
 * repeated option does. Return 0, or NVITOP_ENOMEM with the filter unchanged. */
int proc_filter_set_users(proc_filter_t *f, const char *const *users, size_t count);
int proc_filter_set_pids(proc_filter_t *f, const long *pids, size_t count);

/* Makes *dst (not yet holding anything) an independent copy of src; NULL src: {0}. Returns 0,
 * or NVITOP_ENOMEM with *dst {0}. */
int proc_filter_copy(proc_filter_t *dst, const proc_filter_t *src);
/* Frees the lists; *f is {0} again. */
void proc_filter_fini(proc_filter_t *f);

/* Whether p passes the filter; a NULL filter keeps every process. */
bool proc_filter_match(const proc_filter_t *f, const nvitop_gpu_process_t *p);
/* proc_filter_match for callbacks that take (const void *arg, process), e.g. ptree_take(). */
bool proc_filter_keep(const void *filter, const nvitop_gpu_process_t *p);

#endif
