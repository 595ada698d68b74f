/* SPDX-License-Identifier: Apache-2.0 */
/* Clocks and string helpers. */
#include "util/util.h"

#include <string.h>
#include <time.h>

uint64_t clock_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

int64_t clock_realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * (int64_t)NS_PER_SEC + ts.tv_nsec;
}

bool str_copy(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    bool fits = len < n;
    if (!fits) len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
    return fits;
}

bool str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}
