/* SPDX-License-Identifier: Apache-2.0 */
/* The command line's process filter as a value (proc_filter.h): its lists, copies and the one
 * match rule used by the report, the JSON, the monitor and the process tree. */
#include "core/proc_filter.h"

#include <stdlib.h>
#include <string.h>

static void free_users(char **users, size_t count)
{
    for (size_t i = 0; users && i < count; i++)
        free(users[i]);
    free(users);
}

int proc_filter_set_users(proc_filter_t *f, const char *const *users, size_t count)
{
    char **copy = calloc(count ? count : 1, sizeof(*copy));
    if (!copy) return NVITOP_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        if (!(copy[i] = strdup(users[i]))) {
            free_users(copy, i);
            return NVITOP_ENOMEM;
        }
    }
    free_users(f->users, f->user_count);
    f->by_user = true;
    f->users = copy;
    f->user_count = count;
    return NVITOP_OK;
}

int proc_filter_set_pids(proc_filter_t *f, const long *pids, size_t count)
{
    long *copy = calloc(count ? count : 1, sizeof(*copy));
    if (!copy) return NVITOP_ENOMEM;
    if (count) memcpy(copy, pids, count * sizeof(*copy));
    free(f->pids);
    f->by_pid = true;
    f->pids = copy;
    f->pid_count = count;
    return NVITOP_OK;
}

int proc_filter_copy(proc_filter_t *dst, const proc_filter_t *src)
{
    *dst = (proc_filter_t){0};
    if (!src) return NVITOP_OK;
    dst->types = src->types;
    int rc = NVITOP_OK;
    if (src->by_user)
        rc = proc_filter_set_users(dst, (const char *const *)src->users, src->user_count);
    if (rc == NVITOP_OK && src->by_pid) rc = proc_filter_set_pids(dst, src->pids, src->pid_count);
    if (rc != NVITOP_OK) proc_filter_fini(dst);
    return rc;
}

void proc_filter_fini(proc_filter_t *f)
{
    free_users(f->users, f->user_count);
    free(f->pids);
    *f = (proc_filter_t){0};
}

static bool types_match(unsigned types, unsigned process_type)
{
    bool c = process_type & NVITOP_PROCESS_COMPUTE, g = process_type & NVITOP_PROCESS_GRAPHICS;
    return !((types & PROC_FILTER_COMPUTE && !c) || (types & PROC_FILTER_ONLY_COMPUTE && g) ||
             (types & PROC_FILTER_GRAPHICS && !g) || (types & PROC_FILTER_ONLY_GRAPHICS && c));
}

static bool user_listed(const proc_filter_t *f, const nvitop_gpu_process_t *p)
{
    const char *name = p->host.username.value ? p->host.username.value : NVITOP_NA_TEXT;
    for (size_t i = 0; i < f->user_count; i++)
        if (strcmp(f->users[i], name) == 0) return true;
    return false;
}

static bool pid_listed(const proc_filter_t *f, const nvitop_gpu_process_t *p)
{
    for (size_t i = 0; i < f->pid_count; i++)
        if (f->pids[i] == (long)p->pid) return true;
    return false;
}

bool proc_filter_match(const proc_filter_t *f, const nvitop_gpu_process_t *p)
{
    if (!f) return true;
    return types_match(f->types, p->type) && (!f->by_user || user_listed(f, p)) &&
           (!f->by_pid || pid_listed(f, p));
}

bool proc_filter_keep(const void *filter, const nvitop_gpu_process_t *p)
{
    return proc_filter_match(filter, p);
}
