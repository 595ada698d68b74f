/* SPDX-License-Identifier: Apache-2.0 */
/* Parsers of the system-wide /proc files (stat, meminfo, loadavg, uptime) and psutil's CPU and
 * memory formulas on their values. */
#include "host/host_internal.h"
#include "util/util.h"

#include <math.h>
#include <string.h>

/* "cpu" followed by one or more digits. */
static bool is_cpu_n(const char *tok, size_t len)
{
    if (len < 4 || memcmp(tok, "cpu", 3) != 0) return false;
    for (size_t i = 3; i < len; i++)
        if (tok[i] < '0' || tok[i] > '9') return false;
    return true;
}

/* The numbers after "cpu": at least user..idle (Linux 2.4), at most the 10 psutil knows. */
static int parse_cpu_fields(host_scan_t *line, host_cpu_times_t *t)
{
    uint64_t v[10] = {0};
    size_t n = 0;
    const char *tok;
    size_t len;
    while (host_scan_token(line, &tok, &len)) {
        uint64_t x;
        if (!host_parse_u64_token(tok, len, &x)) return -1;
        if (n < ARRAY_LEN(v)) v[n] = x;
        n++;
    }
    if (n < 4) return -1;
    *t = (host_cpu_times_t){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]};
    return 0;
}

int host_parse_proc_stat(const char *buf, size_t len, host_cpu_times_t *total, unsigned *cpu_count,
                         uint64_t *btime)
{
    host_scan_t s = host_scan_make(buf, len), line;
    host_cpu_times_t times;
    bool have_total = false, have_btime = false;
    unsigned count = 0;
    uint64_t boot = 0;
    while (host_scan_line(&s, &line)) {
        const char *tok;
        size_t tlen;
        if (!host_scan_token(&line, &tok, &tlen)) continue;
        if (host_token_is(tok, tlen, "cpu")) {
            if (have_total) continue;
            if (parse_cpu_fields(&line, &times) != 0) return -1;
            have_total = true;
        } else if (is_cpu_n(tok, tlen)) {
            if (count == UINT32_MAX) return -1;
            count++;
        } else if (host_token_is(tok, tlen, "btime")) {
            if (!host_scan_u64(&line, &boot)) return -1;
            have_btime = true;
        }
    }
    if (!have_total || !have_btime || count == 0) return -1;
    if (total) *total = times;
    if (cpu_count) *cpu_count = count;
    if (btime) *btime = boot;
    return 0;
}

/* Delta of one counter, a decrease counting as zero (psutil's _cpu_times_deltas, top). */
static double tick_delta(uint64_t before, uint64_t after)
{
    return after > before ? (double)(after - before) : 0.0;
}

double host_cpu_percent(const host_cpu_times_t *prev, const host_cpu_times_t *cur)
{
    double idle = tick_delta(prev->idle, cur->idle);
    double iowait = tick_delta(prev->iowait, cur->iowait);
    double all = tick_delta(prev->user, cur->user) + tick_delta(prev->nice, cur->nice) +
                 tick_delta(prev->system, cur->system) + idle + iowait +
                 tick_delta(prev->irq, cur->irq) + tick_delta(prev->softirq, cur->softirq) +
                 tick_delta(prev->steal, cur->steal);
    /* psutil adds guest and guest_nice, then takes them off again: a net zero. */
    if (!(all > 0.0)) return NAN;
    double busy = all - idle - iowait;
    double pct = busy / all * 100.0;
    if (pct < 0.0) return 0.0;
    return pct > 100.0 ? 100.0 : pct;
}

/* Where each meminfo key psutil uses is stored (byte offset in host_meminfo_t). */
typedef struct meminfo_key {
    const char *name;
    size_t offset;
} meminfo_key_t;

static const meminfo_key_t MEMINFO_KEYS[] = {
    {"MemTotal:", offsetof(host_meminfo_t, total)},
    {"MemFree:", offsetof(host_meminfo_t, free)},
    {"MemAvailable:", offsetof(host_meminfo_t, available)},
    {"Buffers:", offsetof(host_meminfo_t, buffers)},
    {"Cached:", offsetof(host_meminfo_t, cached)},
    {"SReclaimable:", offsetof(host_meminfo_t, sreclaimable)},
    {"Shmem:", offsetof(host_meminfo_t, shmem)},
    {"SwapTotal:", offsetof(host_meminfo_t, swap_total)},
    {"SwapFree:", offsetof(host_meminfo_t, swap_free)},
};

/* Value of one meminfo line in bytes: "<n> kB" or a bare count. */
static int meminfo_value(host_scan_t *line, uint64_t *bytes)
{
    uint64_t n;
    if (!host_scan_u64(line, &n)) return -1;
    const char *unit;
    size_t ulen;
    if (!host_scan_token(line, &unit, &ulen)) {
        *bytes = n;
        return 0;
    }
    if (!host_token_is(unit, ulen, "kB") || n > UINT64_MAX / 1024) return -1;
    *bytes = n * 1024;
    return 0;
}

int host_parse_meminfo(const char *buf, size_t len, host_meminfo_t *out)
{
    host_meminfo_t mi;
    memset(&mi, 0, sizeof(mi));
    bool seen[ARRAY_LEN(MEMINFO_KEYS)] = {false};
    host_scan_t s = host_scan_make(buf, len), line;
    while (host_scan_line(&s, &line)) {
        const char *tok;
        size_t tlen;
        if (!host_scan_token(&line, &tok, &tlen)) continue;
        for (size_t i = 0; i < ARRAY_LEN(MEMINFO_KEYS); i++) {
            if (!host_token_is(tok, tlen, MEMINFO_KEYS[i].name)) continue;
            uint64_t bytes;
            if (meminfo_value(&line, &bytes) != 0) return -1;
            if (!seen[i]) memcpy((char *)&mi + MEMINFO_KEYS[i].offset, &bytes, sizeof(bytes));
            seen[i] = true;
            break;
        }
    }
    if (!seen[0] || !seen[1]) /* psutil fails without MemTotal and MemFree */
        return -1;
    mi.has_available = seen[2];
    *out = mi;
    return 0;
}

static double percent_of(uint64_t part, uint64_t whole)
{
    return whole ? (double)part / (double)whole * 100.0 : 0.0;
}

/* a - b - c ..., or -1 as "negative"; inputs are byte counts far below 2^63 in practice but
 * the parser accepts anything, so every step is checked. */
static bool sub_checked(uint64_t *acc, uint64_t x)
{
    if (x > *acc) return false;
    *acc -= x;
    return true;
}

void host_memory_figures(const host_meminfo_t *mi, host_memory_figures_t *out)
{
    memset(out, 0, sizeof(*out));
    out->total = mi->total;
    out->free = mi->free;

    /* psutil: cached includes SReclaimable, as free(1) does; negative used falls back. */
    uint64_t used = mi->total;
    if (!(sub_checked(&used, mi->free) && sub_checked(&used, mi->buffers) &&
          sub_checked(&used, mi->cached) && sub_checked(&used, mi->sreclaimable))) {
        used = mi->total;
        if (!sub_checked(&used, mi->free)) used = 0;
    }
    out->used = used;

    /* psutil also estimates when MemAvailable reads 0 (kernel bug, psutil #1915) and, inside
     * containers that show the host's numbers, takes free when avail exceeds total. */
    uint64_t avail = mi->available;
    if (!mi->has_available || avail == 0) {
        avail = mi->free;
        if (avail <= UINT64_MAX - mi->buffers) avail += mi->buffers;
        if (avail <= UINT64_MAX - mi->cached) avail += mi->cached;
    }
    if (avail > mi->total) avail = mi->free;
    out->available = avail;
    out->percent = avail <= mi->total ? percent_of(mi->total - avail, mi->total) : 0.0;

    out->swap_total = mi->swap_total;
    out->swap_free = mi->swap_free;
    out->swap_used = mi->swap_total > mi->swap_free ? mi->swap_total - mi->swap_free : 0;
    out->swap_percent = percent_of(out->swap_used, mi->swap_total);
}

int host_parse_loadavg(const char *buf, size_t len, double load[3])
{
    host_scan_t s = host_scan_make(buf, len);
    double v[3];
    for (int i = 0; i < 3; i++)
        if (!host_scan_decimal(&s, &v[i])) return -1;
    memcpy(load, v, sizeof(v));
    return 0;
}

int host_parse_uptime(const char *buf, size_t len, double *uptime_s)
{
    host_scan_t s = host_scan_make(buf, len);
    double v;
    if (!host_scan_decimal(&s, &v)) return -1;
    *uptime_s = v;
    return 0;
}
