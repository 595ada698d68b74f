/* SPDX-License-Identifier: Apache-2.0 */
/* User names: a cache of getpwuid_r() answers kept sorted by uid, and the name of the user
 * running this program the way Python's getpass.getuser() finds it. */
#include "host/host_internal.h"
#include "util/util.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct host_user_entry {
    uint32_t uid;
    char *name;
};

/* getpwuid_r's scratch buffer never needs to be larger than this in practice. */
#define PW_BUF_MAX ((size_t)1 << 20)

/* The passwd name of uid (malloc'd), or its decimal form when there is none (psutil falls
 * back to str(uid)). NULL only when out of memory. */
static char *lookup_name(uint32_t uid)
{
    long hint = sysconf(_SC_GETPW_R_SIZE_MAX);
    size_t cap = hint > 0 ? (size_t)hint : 1024;
    for (;;) {
        char *buf = malloc(cap);
        if (!buf) return NULL;
        struct passwd pw, *res = NULL;
        int rc = getpwuid_r((uid_t)uid, &pw, buf, cap, &res);
        if (rc == ERANGE && cap < PW_BUF_MAX) {
            free(buf);
            cap *= 2;
            continue;
        }
        bool found = rc == 0 && res && res->pw_name && res->pw_name[0];
        char *name = found ? strdup(res->pw_name) : NULL;
        free(buf);
        if (found) return name;
        char num[16];
        snprintf(num, sizeof(num), "%u", (unsigned)uid);
        return strdup(num);
    }
}

/* Index of the first entry with uid >= `uid`. */
static size_t lower_bound(const host_users_t *users, uint32_t uid)
{
    size_t lo = 0, hi = users->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (users->entries[mid].uid < uid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const char *host_user_name(host_users_t *users, uint32_t uid)
{
    size_t at = lower_bound(users, uid);
    if (at < users->count && users->entries[at].uid == uid) return users->entries[at].name;
    void *entries = users->entries;
    if (array_reserve(&entries, &users->cap, users->count + 1, sizeof(host_user_entry_t)) != 0)
        return NULL;
    users->entries = entries;
    char *name = lookup_name(uid);
    if (!name) return NULL;
    memmove(&users->entries[at + 1], &users->entries[at],
            (users->count - at) * sizeof(host_user_entry_t));
    users->entries[at].uid = uid;
    users->entries[at].name = name;
    users->count++;
    return name;
}

void host_users_fini(host_users_t *users)
{
    for (size_t i = 0; i < users->count; i++)
        free(users->entries[i].name);
    free(users->entries);
    users->entries = NULL;
    users->count = users->cap = 0;
}

char *host_current_user(host_users_t *users, char *buf, size_t len)
{
    if (!buf || len == 0) return buf;
    static const char *const vars[] = {"LOGNAME", "USER", "LNAME", "USERNAME"};
    for (size_t i = 0; i < ARRAY_LEN(vars); i++) {
        const char *v = getenv(vars[i]);
        if (v && v[0]) {
            str_copy(buf, len, v);
            return buf;
        }
    }
    uint32_t uid = (uint32_t)getuid();
    const char *name = host_user_name(users, uid);
    if (name)
        str_copy(buf, len, name);
    else
        snprintf(buf, len, "%u", (unsigned)uid);
    return buf;
}
