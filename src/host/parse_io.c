/* SPDX-License-Identifier: Apache-2.0 */
/* Parsers of the I/O tables: /proc/net/dev, /proc/diskstats, /proc/self/mounts (with octal
 * escapes) and /proc/filesystems, read the way psutil reads them. */
#include "host/host_internal.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* Copies [tok, tok+len) into a fixed field; false if it does not fit or is empty. */
static bool copy_name(char *dst, size_t cap, const char *tok, size_t len)
{
    if (len == 0 || len >= cap || memchr(tok, '\0', len)) return false;
    memcpy(dst, tok, len);
    dst[len] = '\0';
    return true;
}

/* One interface line: "  name: 16 counters". psutil splits at the last ':'. */
static int net_dev_line(host_scan_t line, host_net_dev_t *dev)
{
    const char *colon = NULL;
    for (const char *p = line.p; p < line.end; p++)
        if (*p == ':') colon = p;
    if (!colon) return -1;
    host_scan_t name = {line.p, colon};
    const char *tok;
    size_t len;
    const char *extra;
    size_t extra_len;
    if (!host_scan_token(&name, &tok, &len) || host_scan_token(&name, &extra, &extra_len))
        return -1; /* empty, or blanks inside the name */
    memset(dev, 0, sizeof(*dev));
    if (!copy_name(dev->name, sizeof(dev->name), tok, len)) return -1;
    host_scan_t rest = {colon + 1, line.end};
    uint64_t v[16];
    for (size_t i = 0; i < ARRAY_LEN(v); i++)
        if (!host_scan_u64(&rest, &v[i])) return -1;
    if (host_scan_token(&rest, &tok, &len)) return -1;
    dev->rx_bytes = v[0];
    dev->rx_packets = v[1];
    dev->tx_bytes = v[8];
    dev->tx_packets = v[9];
    return 0;
}

int host_parse_net_dev(const char *buf, size_t len, host_net_dev_t **out, size_t *count)
{
    host_scan_t s = host_scan_make(buf, len), line;
    /* Two header lines ("Inter-|   Receive ...", " face |bytes ..."), as psutil skips. */
    if (!host_scan_line(&s, &line) || !host_scan_line(&s, &line)) return -1;
    host_net_dev_t *devs = NULL;
    size_t n = 0, cap = 0;
    while (host_scan_line(&s, &line)) {
        host_scan_t probe = line;
        const char *tok;
        size_t tlen;
        if (!host_scan_token(&probe, &tok, &tlen)) continue;
        if (array_reserve((void **)&devs, &cap, n + 1, sizeof(*devs)) != 0 ||
            net_dev_line(line, &devs[n]) != 0) {
            free(devs);
            return -1;
        }
        n++;
    }
    *out = devs;
    *count = n;
    return 0;
}

/* One diskstats line. The name is always the third field; the counters' positions depend on
 * the width: 14 (Linux 2.6 disk) or 18+ (4.18 discard, 5.5 flush counters) fields give reads,
 * read sectors, writes, write sectors at 3, 5, 7, 9; 7 (2.6 partition) at 3, 4, 5, 6. Other
 * widths (Linux 2.4's 15) make psutil raise, and us fail. */
static int diskstats_line(host_scan_t line, host_disk_stat_t *d)
{
    const char *tok, *name = NULL;
    size_t len, name_len = 0, n = 0;
    uint64_t v[10] = {0};
    while (host_scan_token(&line, &tok, &len)) {
        if (n == 2) {
            name = tok;
            name_len = len;
        } else {
            uint64_t x;
            if (!host_parse_u64_token(tok, len, &x)) return -1;
            if (n < ARRAY_LEN(v)) v[n] = x;
        }
        n++;
    }
    memset(d, 0, sizeof(*d));
    if (n == 14 || n >= 18) {
        d->reads = v[3];
        d->read_sectors = v[5];
        d->writes = v[7];
        d->write_sectors = v[9];
    } else if (n == 7) {
        d->reads = v[3];
        d->read_sectors = v[4];
        d->writes = v[5];
        d->write_sectors = v[6];
    } else {
        return -1;
    }
    return copy_name(d->name, sizeof(d->name), name, name_len) ? 0 : -1;
}

int host_parse_diskstats(const char *buf, size_t len, host_disk_stat_t **out, size_t *count)
{
    host_scan_t s = host_scan_make(buf, len), line;
    host_disk_stat_t *disks = NULL;
    size_t n = 0, cap = 0;
    while (host_scan_line(&s, &line)) {
        host_scan_t probe = line;
        const char *tok;
        size_t tlen;
        if (!host_scan_token(&probe, &tok, &tlen)) continue;
        if (array_reserve((void **)&disks, &cap, n + 1, sizeof(*disks)) != 0 ||
            diskstats_line(line, &disks[n]) != 0) {
            free(disks);
            return -1;
        }
        n++;
    }
    *out = disks;
    *count = n;
    return 0;
}

static int octal_digit(char c)
{
    return c >= '0' && c <= '7' ? c - '0' : -1;
}

/* A malloc'd copy of a mounts field with "\ooo" escapes decoded (the kernel writes space,
 * tab, newline and backslash that way). Escapes that would decode to NUL or past 0377 stay
 * literal, as do "\\" sequences that are not escapes. */
static char *mount_unescape(const char *tok, size_t len)
{
    char *out = malloc(len + 1);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (tok[i] == '\\' && len - i >= 4) {
            int a = octal_digit(tok[i + 1]), b = octal_digit(tok[i + 2]),
                c = octal_digit(tok[i + 3]);
            int v = a * 64 + b * 8 + c;
            if (a >= 0 && b >= 0 && c >= 0 && v > 0 && v <= 0377) {
                out[o++] = (char)(unsigned char)v;
                i += 3;
                continue;
            }
        }
        out[o++] = tok[i];
    }
    out[o] = '\0';
    return out;
}

void host_mounts_free(host_mount_t *mounts, size_t count)
{
    if (!mounts) return;
    for (size_t i = 0; i < count; i++) {
        free(mounts[i].device);
        free(mounts[i].mountpoint);
        free(mounts[i].fstype);
    }
    free(mounts);
}

/* 0, 1 for a blank line, -1 on error (too few fields, NUL bytes, out of memory). */
static int mounts_line(host_scan_t line, host_mount_t *m)
{
    const char *tok[3];
    size_t len[3];
    for (int i = 0; i < 3; i++) {
        if (!host_scan_token(&line, &tok[i], &len[i])) return i == 0 ? 1 : -1;
        if (memchr(tok[i], '\0', len[i])) return -1;
    }
    m->device = mount_unescape(tok[0], len[0]);
    m->mountpoint = mount_unescape(tok[1], len[1]);
    m->fstype = mount_unescape(tok[2], len[2]);
    return m->device && m->mountpoint && m->fstype ? 0 : -1;
}

int host_parse_mounts(const char *buf, size_t len, host_mount_t **out, size_t *count)
{
    host_scan_t s = host_scan_make(buf, len), line;
    host_mount_t *mounts = NULL;
    size_t n = 0, cap = 0;
    while (host_scan_line(&s, &line)) {
        if (array_reserve((void **)&mounts, &cap, n + 1, sizeof(*mounts)) != 0) {
            host_mounts_free(mounts, n);
            return -1;
        }
        memset(&mounts[n], 0, sizeof(mounts[n]));
        int rc = mounts_line(line, &mounts[n]);
        if (rc < 0) {
            host_mounts_free(mounts, n + 1);
            return -1;
        }
        if (rc == 0) n++;
    }
    *out = mounts;
    *count = n;
    return 0;
}

bool host_fs_is_physical(const char *filesystems, size_t len, const char *fstype)
{
    size_t want = strlen(fstype);
    if (want == 0) return false;
    host_scan_t s = host_scan_make(filesystems, len), line;
    while (host_scan_line(&s, &line)) {
        const char *tok;
        size_t tlen;
        if (!host_scan_token(&line, &tok, &tlen)) continue;
        bool nodev = host_token_is(tok, tlen, "nodev");
        if (nodev && !host_scan_token(&line, &tok, &tlen)) continue;
        if (!host_token_is(tok, tlen, fstype)) continue;
        /* psutil keeps every disk file system, and zfs although it is listed as nodev. */
        if (!nodev || host_token_is(tok, tlen, "zfs")) return true;
    }
    return false;
}
