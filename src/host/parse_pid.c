/* SPDX-License-Identifier: Apache-2.0 */
/* Parsers of the per-process files: /proc/<pid>/stat, the Uid line of /proc/<pid>/status and
 * the NUL-separated lists (cmdline, environ). */
#include "host/host_internal.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* Fields of /proc/<pid>/stat after the comm, numbered as in proc(5): 3 is the state. */
enum {
    STAT_PPID = 4,
    STAT_UTIME = 14,
    STAT_STIME = 15,
    STAT_NUM_THREADS = 20,
    STAT_STARTTIME = 22,
    STAT_RSS = 24,
};

/* Reads fields 4..STAT_RSS as integers (unsigned ones must not be negative). */
static int pid_stat_numbers(host_scan_t *s, host_pid_stat_t *out)
{
    for (int field = STAT_PPID; field <= STAT_RSS; field++) {
        bool is_unsigned = field == STAT_UTIME || field == STAT_STIME || field == STAT_STARTTIME;
        uint64_t u = 0;
        int64_t i = 0;
        if (is_unsigned ? !host_scan_u64(s, &u) : !host_scan_i64(s, &i)) return -1;
        switch (field) {
        case STAT_PPID:
            out->ppid = i;
            break;
        case STAT_UTIME:
            out->utime = u;
            break;
        case STAT_STIME:
            out->stime = u;
            break;
        case STAT_NUM_THREADS:
            out->num_threads = i;
            break;
        case STAT_STARTTIME:
            out->starttime = u;
            break;
        case STAT_RSS:
            out->rss_pages = i;
            break;
        default:
            break;
        }
    }
    return 0;
}

int host_parse_pid_stat(const char *buf, size_t len, host_pid_stat_t *out)
{
    if (!buf) return -1;
    const char *lpar = memchr(buf, '(', len);
    const char *rpar = NULL;
    for (size_t i = len; i-- > 0;) {
        if (buf[i] == ')') {
            rpar = buf + i;
            break;
        }
    }
    if (!lpar || !rpar || rpar < lpar) return -1;
    /* The pid before the comm must be a number. */
    host_scan_t head = {buf, lpar};
    uint64_t pid;
    if (!host_scan_u64(&head, &pid)) return -1;

    host_pid_stat_t st;
    memset(&st, 0, sizeof(st));
    size_t comm_len = (size_t)(rpar - lpar - 1);
    if (comm_len >= sizeof(st.comm))
        comm_len = sizeof(st.comm) - 1; /* the kernel's is at most 15 bytes */
    memcpy(st.comm, lpar + 1, comm_len);
    st.comm[comm_len] = '\0';

    host_scan_t s = {rpar + 1, buf + len};
    const char *tok;
    size_t tlen;
    if (!host_scan_token(&s, &tok, &tlen) || tlen != 1) return -1;
    st.state = tok[0];
    if (pid_stat_numbers(&s, &st) != 0) return -1;
    *out = st;
    return 0;
}

int host_parse_status_uid(const char *buf, size_t len, uint32_t *uid)
{
    host_scan_t s = host_scan_make(buf, len), line;
    while (host_scan_line(&s, &line)) {
        const char *tok;
        size_t tlen;
        if (!host_scan_token(&line, &tok, &tlen) || !host_token_is(tok, tlen, "Uid:")) continue;
        uint64_t v;
        if (!host_scan_u64(&line, &v) || v > UINT32_MAX) return -1;
        *uid = (uint32_t)v;
        return 0;
    }
    return -1;
}

int host_parse_nul_list(const char *buf, size_t len, char ***list, size_t *count)
{
    *list = NULL;
    *count = 0;
    if (!buf) return 0;
    /* Drop trailing NULs: that removes the terminator and every trailing empty entry. */
    while (len > 0 && buf[len - 1] == '\0')
        len--;
    if (len == 0) return 0;
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += buf[i] == '\0';
    /* One block: n + 1 pointers (NULL-terminated, as argv), then the bytes and a final NUL. */
    if (n >= SIZE_MAX / sizeof(char *) - 1 || len >= SIZE_MAX - (n + 1) * sizeof(char *) - 1)
        return -1;
    char **ptrs = malloc((n + 1) * sizeof(char *) + len + 1);
    if (!ptrs) return -1;
    char *text = (char *)(ptrs + n + 1);
    memcpy(text, buf, len);
    text[len] = '\0';
    size_t k = 0;
    ptrs[k++] = text;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\0') ptrs[k++] = text + i + 1;
    ptrs[n] = NULL;
    *list = ptrs;
    *count = n;
    return 0;
}
