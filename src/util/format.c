/* SPDX-License-Identifier: Apache-2.0 */
/* Sizes and durations for humans, with nvitop's tiers and Python's rounding (half to even). */
#include <nvitop/format.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* The tiers of nvitop's bytes2human: below `limit` (and when `unit` >= min_unit), write
 * bytes / unit with `decimals` digits. */
static const struct tier {
    double limit;
    int64_t unit;
    const char *suffix;
    int decimals;
} tiers[] = {
    {1024.0, 1, "B", 0},
    {1048576.0, NVITOP_KiB, "KiB", 0},
    {100.0 * NVITOP_MiB, NVITOP_MiB, "MiB", 2},
    {1000.0 * NVITOP_MiB, NVITOP_MiB, "MiB", 1},
    {20.0 * NVITOP_GiB, NVITOP_MiB, "MiB", 0},
    {100.0 * NVITOP_GiB, NVITOP_GiB, "GiB", 2},
    {1000.0 * NVITOP_GiB, NVITOP_GiB, "GiB", 1},
    {100.0 * NVITOP_TiB, NVITOP_TiB, "TiB", 2},
    {1000.0 * NVITOP_TiB, NVITOP_TiB, "TiB", 1},
    {100.0 * NVITOP_PiB, NVITOP_PiB, "PiB", 2},
    {INFINITY, NVITOP_PiB, "PiB", 1},
};

char *nvitop_bytes_to_human(int64_t bytes, int64_t min_unit, char *buf, size_t len)
{
    if (!buf || !len) return buf;
    if (bytes < 0) {
        snprintf(buf, len, NVITOP_NA_TEXT);
        return buf;
    }
    size_t last = sizeof(tiers) / sizeof(tiers[0]) - 1;
    for (size_t i = 0; i <= last; i++) {
        const struct tier *t = &tiers[i];
        /* The smallest tier is skipped only when min_unit is above a byte. */
        bool allowed = t->unit == 1 ? min_unit < NVITOP_KiB : min_unit <= t->unit;
        if (((double)bytes < t->limit && allowed) || i == last) {
            double value = (double)bytes / (double)t->unit;
            /* "%.*f%s" without printf: a row of the process table each */
            size_t n =
                format_fixed(buf, len, t->decimals == 0 ? nearbyint(value) : value, t->decimals);
            if (n < len) str_copy(buf + n, len - n, t->suffix);
            return buf;
        }
    }
    return buf;
}

static int64_t unit_multiplier(const char *unit)
{
    static const char letters[] = "KMGTP";
    if (!*unit) return 1;
    const char *at = strchr(letters, toupper((unsigned char)unit[0]));
    if (!at) return 0;
    bool binary = unit[1] == 'i' || unit[1] == 'I';
    int64_t base = binary ? 1024 : 1000, m = 1;
    for (const char *l = letters; l <= at; l++)
        m *= base;
    return m;
}

int nvitop_human_to_bytes(const char *text, int64_t *bytes)
{
    if (!text || !bytes) return NVITOP_EINVAL;
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+')
        for (p++; isspace((unsigned char)*p); p++)
            ;
    const char *num = p;
    while (isdigit((unsigned char)*p))
        p++;
    if (p == num) return NVITOP_EINVAL;
    if (*p == '.') {
        if (!isdigit((unsigned char)p[1])) return NVITOP_EINVAL;
        for (p++; isdigit((unsigned char)*p); p++)
            ;
    }
    double size = strtod(num, NULL);
    while (isspace((unsigned char)*p))
        p++;
    char unit[4] = "";
    size_t n = 0;
    if (*p && strchr("KMGTPkmgtp", *p)) {
        unit[n++] = *p++;
        if (*p == 'i' || *p == 'I') unit[n++] = *p++;
    }
    if (*p == 'B' || *p == 'b') p++;
    while (isspace((unsigned char)*p))
        p++;
    int64_t multiplier = unit_multiplier(unit);
    double value = size * (double)multiplier;
    if (*p || !multiplier || !(value < 9.2e18)) return NVITOP_EINVAL;
    *bytes = (int64_t)value;
    return NVITOP_OK;
}

char *nvitop_duration_to_human(double seconds, bool round_days, char *buf, size_t len)
{
    if (!buf || !len) return buf;
    if (!(seconds >= 0) || seconds > 1e15) {
        snprintf(buf, len, NVITOP_NA_TEXT);
        return buf;
    }
    long long whole = (long long)floor(seconds);
    long long days = whole / 86400, secs = whole % 86400;
    if (days >= 4 || (round_days && days >= 1)) {
        snprintf(buf, len, "%.1f days", (double)days + (double)secs / 86400.0);
    } else {
        long long hours = whole / 3600, rest = whole % 3600;
        if (hours > 0)
            snprintf(buf, len, "%lld:%02lld:%02lld", hours, rest / 60, rest % 60);
        else
            snprintf(buf, len, "%lld:%02lld", rest / 60, rest % 60);
    }
    return buf;
}
