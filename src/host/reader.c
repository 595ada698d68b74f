/* SPDX-License-Identifier: Apache-2.0 */
/* Thin I/O on a proc root: whole-file reads and readlink through openat() on the root's fd,
 * per-pid reads through the pid's own directory fd, the pid list, and statvfs. */
#include "host/host_internal.h"
#include "util/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* Larger files are refused (-EFBIG): nothing nvitop reads under /proc comes near this. */
#define HOST_READ_MAX ((size_t)64 << 20)
#define HOST_READ_CHUNK ((size_t)4096)

int host_reader_open(host_reader_t *r, const char *proc_root)
{
    memset(r, 0, sizeof(*r));
    r->proc_fd = open(proc_root ? proc_root : "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (r->proc_fd < 0) {
        int err = -errno;
        r->proc_fd = -1;
        return err;
    }
    r->clk_tck = sysconf(_SC_CLK_TCK);
    if (r->clk_tck <= 0) r->clk_tck = 100;
    r->page_size = sysconf(_SC_PAGESIZE);
    if (r->page_size <= 0) r->page_size = 4096;
    return 0;
}

void host_reader_close(host_reader_t *r)
{
    if (r->proc_fd >= 0) close(r->proc_fd);
    free(r->buf);
    r->proc_fd = -1;
    r->buf = NULL;
    r->cap = 0;
}

/* openat() never escapes to an absolute path: leading slashes are skipped. */
static const char *relative(const char *relpath)
{
    while (*relpath == '/')
        relpath++;
    return *relpath ? relpath : ".";
}

/* Opens dirfd/relpath for reading if it is a regular file (what every /proc file is): a FIFO
 * or a device put in a proc root is refused with -EINVAL, without waiting on a writer (the
 * open is non-blocking) or reading an endless device. Returns the fd or -errno. */
static int open_regular(int dirfd, const char *relpath)
{
    int fd = openat(dirfd, relative(relpath), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return -errno;
    struct stat st;
    int rc = fstat(fd, &st) != 0    ? -errno
             : S_ISDIR(st.st_mode)  ? -EISDIR
             : !S_ISREG(st.st_mode) ? -EINVAL
                                    : 0;
    if (rc == 0) return fd;
    close(fd);
    return rc;
}

/* Reads dirfd/relpath whole into r->buf. /proc files report size 0, so read until EOF. */
static int read_at(host_reader_t *r, int dirfd, const char *relpath, const char **data, size_t *len)
{
    int fd = open_regular(dirfd, relpath);
    if (fd < 0) return fd;
    size_t n = 0;
    int rc = 0;
    for (;;) {
        if (r->cap - n < 2) {
            void *buf = r->buf;
            if (array_reserve(&buf, &r->cap, n + HOST_READ_CHUNK, 1) != 0) {
                rc = -ENOMEM;
                break;
            }
            r->buf = buf;
        }
        ssize_t got = read(fd, r->buf + n, r->cap - n - 1);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            rc = -errno;
            break;
        }
        if (got == 0) break;
        n += (size_t)got;
        if (n > HOST_READ_MAX) {
            rc = -EFBIG;
            break;
        }
    }
    close(fd);
    if (rc != 0) return rc;
    r->buf[n] = '\0';
    *data = r->buf;
    *len = n;
    return 0;
}

int host_read(host_reader_t *r, const char *relpath, const char **data, size_t *len)
{
    return read_at(r, r->proc_fd, relpath, data, len);
}

int host_readlink(host_reader_t *r, const char *relpath, char **out)
{
    size_t cap = 256;
    for (;;) {
        char *buf = malloc(cap);
        if (!buf) return -ENOMEM;
        ssize_t n = readlinkat(r->proc_fd, relative(relpath), buf, cap);
        if (n < 0) {
            int err = -errno;
            free(buf);
            return err;
        }
        if ((size_t)n < cap) {
            buf[n] = '\0';
            *out = buf;
            return 0;
        }
        free(buf);
        if (cap >= HOST_READ_MAX) return -ENAMETOOLONG;
        cap *= 2;
    }
}

void host_pid_info_fini(host_pid_info_t *info)
{
    free(info->argv);
    info->argv = NULL;
    info->argc = 0;
}

/* Reads stat, status and cmdline of one pid directory (see host_read_pid). */
static int read_pid_files(host_reader_t *r, int dirfd, host_pid_info_t *out)
{
    const char *data;
    size_t len;
    int rc = read_at(r, dirfd, "stat", &data, &len);
    if (rc != 0) return rc;
    if (host_parse_pid_stat(data, len, &out->stat) != 0) return -EIO;
    if (read_at(r, dirfd, "status", &data, &len) == 0)
        out->have_uid = host_parse_status_uid(data, len, &out->uid) == 0;
    rc = read_at(r, dirfd, "cmdline", &data, &len);
    if (rc != 0) {
        out->cmdline_error = rc;
        return 0;
    }
    return host_parse_nul_list(data, len, &out->argv, &out->argc) == 0 ? 0 : -ENOMEM;
}

int host_read_pid(host_reader_t *r, uint32_t pid, host_pid_info_t *out)
{
    memset(out, 0, sizeof(*out));
    char name[24];
    format_ll(name, (long long)pid); /* no printf: every GPU process, every refresh */
    /* One directory fd for all three files: if the pid dies and is reused meanwhile, reads
     * through the old directory fail (ESRCH) instead of mixing two processes. */
    int dirfd = openat(r->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) return errno == ENOTDIR ? -ENOENT : -errno;
    int rc = read_pid_files(r, dirfd, out);
    close(dirfd);
    if (rc != 0) host_pid_info_fini(out);
    return rc;
}

/* A pid directory name: decimal digits, no leading zero, 1..UINT32_MAX. */
static bool pid_name(const char *s, uint32_t *pid)
{
    uint64_t v;
    if (s[0] == '0' || !host_parse_u64_token(s, strlen(s), &v) || v == 0 || v > UINT32_MAX)
        return false;
    *pid = (uint32_t)v;
    return true;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int host_list_pids(host_reader_t *r, uint32_t **pids, size_t *count)
{
    int fd = openat(r->proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -errno;
    DIR *dir = fdopendir(fd);
    if (!dir) {
        int err = -errno;
        close(fd);
        return err;
    }
    uint32_t *list = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(dir);
        if (!e) {
            rc = errno ? -errno : 0;
            break;
        }
        uint32_t pid;
        if (!pid_name(e->d_name, &pid)) continue;
        if (array_reserve((void **)&list, &cap, n + 1, sizeof(*list)) != 0) {
            rc = -ENOMEM;
            break;
        }
        list[n++] = pid;
    }
    closedir(dir);
    if (rc != 0) {
        free(list);
        return rc;
    }
    if (n > 1) qsort(list, n, sizeof(*list), cmp_u32);
    *pids = list;
    *count = n;
    return 0;
}

int host_disk_usage(const char *mountpoint, uint64_t *total, uint64_t *used, uint64_t *avail)
{
    struct statvfs st;
    if (statvfs(mountpoint, &st) != 0) return -errno;
    /* psutil: total = f_blocks * f_frsize, used = total - f_bfree * f_frsize (root's reserve
     * counts as used), free = f_bavail * f_frsize (what unprivileged users may write). */
    uint64_t frsize = st.f_frsize, blocks = st.f_blocks;
    uint64_t bfree = st.f_bfree > st.f_blocks ? st.f_blocks : st.f_bfree;
    if (frsize && (blocks > UINT64_MAX / frsize || (uint64_t)st.f_bavail > UINT64_MAX / frsize))
        return -EOVERFLOW;
    *total = blocks * frsize;
    *used = (blocks - bfree) * frsize;
    *avail = (uint64_t)st.f_bavail * frsize;
    return 0;
}
