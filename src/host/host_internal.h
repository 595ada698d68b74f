/* SPDX-License-Identifier: Apache-2.0 */
/* The host layer: the only code that reads /proc and /sys. Thin I/O on a proc-root fd plus
 * pure parsers (buffer in, struct out) that are tested on captured files and fuzzed. */
#ifndef NVITOP_HOST_INTERNAL_H
#define NVITOP_HOST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- bounded scanning, shared by the parsers (scan.c) ----
 * A cursor over [p, end): nothing here reads past `end` or needs a NUL terminator, so the
 * parsers can run on any byte buffer (fuzzed). Numbers are decimal ASCII only (no locale). */

typedef struct host_scan {
    const char *p, *end;
} host_scan_t;

host_scan_t host_scan_make(const char *buf, size_t len);
/* Moves the next line (without its '\n') into *line; false at the end of the buffer. */
bool host_scan_line(host_scan_t *s, host_scan_t *line);
/* Skips spaces and tabs, then yields the next run of other bytes (newline-delimited too);
 * false when only blanks are left. */
bool host_scan_token(host_scan_t *s, const char **tok, size_t *len);
/* As host_scan_token, and the token must be a whole number: digits only (u64) or an optional
 * '-' and digits (i64), in range. False (cursor unspecified) otherwise. */
bool host_scan_u64(host_scan_t *s, uint64_t *v);
bool host_scan_i64(host_scan_t *s, int64_t *v);
/* An unsigned fixed-point token, "123" or "123.45" (as in /proc/loadavg and /proc/uptime). */
bool host_scan_decimal(host_scan_t *s, double *v);
/* count × unit (pages, sectors) in bytes, saturated at INT64_MAX: a figure read from /proc may
 * be anything, and its product must not overflow. */
int64_t host_bytes(uint64_t count, uint64_t unit);
/* True if the token [tok, tok+len) equals the C string `word`. */
bool host_token_is(const char *tok, size_t len, const char *word);
/* Whole-buffer conversions of one token (digits only / fixed point). */
bool host_parse_u64_token(const char *tok, size_t len, uint64_t *v);
bool host_parse_decimal_token(const char *tok, size_t len, double *v);

/* ---- pure parsers: no I/O, no globals; return 0 or -1 on malformed input ---- */

/* Aggregate "cpu" line of /proc/stat, in clock ticks. */
typedef struct host_cpu_times {
    uint64_t user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice;
} host_cpu_times_t;

/* /proc/stat: the aggregate cpu line, the number of "cpuN" lines and btime (Unix seconds).
 * Any out pointer may be NULL. */
int host_parse_proc_stat(const char *buf, size_t len, host_cpu_times_t *total, unsigned *cpu_count,
                         uint64_t *btime);

/* psutil's system CPU %: busy = total - idle - iowait over the delta, where total leaves
 * out guest and guest_nice (already counted in user and nice). As psutil (and top), a field
 * that went backwards counts as a zero delta. Returns NaN when no tick elapsed (total delta 0,
 * which includes every counter going backwards). Clamped to [0, 100]; not rounded. */
double host_cpu_percent(const host_cpu_times_t *prev, const host_cpu_times_t *cur);

/* /proc/meminfo, converted to bytes. Fields absent from the file stay 0 (has_available says
 * whether MemAvailable was there). */
typedef struct host_meminfo {
    uint64_t total, free, available, buffers, cached, sreclaimable, shmem;
    uint64_t swap_total, swap_free;
    bool has_available;
} host_meminfo_t;
int host_parse_meminfo(const char *buf, size_t len, host_meminfo_t *out);

/* psutil's figures: used = total - free - buffers - cached - sreclaimable (total - free if that
 * goes negative); available = MemAvailable (or free + buffers + cached when absent);
 * percent = (total - available) / total * 100; swap used = total - free,
 * swap percent = used / total * 100 (0 when there is no swap). Percentages unrounded. */
typedef struct host_memory_figures {
    uint64_t total, used, free, available;
    double percent;
    uint64_t swap_total, swap_used, swap_free;
    double swap_percent;
} host_memory_figures_t;
void host_memory_figures(const host_meminfo_t *mi, host_memory_figures_t *out);

int host_parse_loadavg(const char *buf, size_t len, double load[3]);
int host_parse_uptime(const char *buf, size_t len, double *uptime_s);

/* /proc/net/dev. *out is a malloc'd array (free()); interface names are at most 31 bytes. */
typedef struct host_net_dev {
    char name[32];
    uint64_t rx_bytes, rx_packets, tx_bytes, tx_packets;
} host_net_dev_t;
int host_parse_net_dev(const char *buf, size_t len, host_net_dev_t **out, size_t *count);

/* /proc/diskstats: every line (psutil perdisk=True). Sectors are 512 bytes there. */
typedef struct host_disk_stat {
    char name[64];
    uint64_t reads, read_sectors, writes, write_sectors;
} host_disk_stat_t;
int host_parse_diskstats(const char *buf, size_t len, host_disk_stat_t **out, size_t *count);

/* /proc/self/mounts, with the octal escapes (\040 ...) decoded. Free with host_mounts_free. */
typedef struct host_mount {
    char *device, *mountpoint, *fstype;
} host_mount_t;
int host_parse_mounts(const char *buf, size_t len, host_mount_t **out, size_t *count);
void host_mounts_free(host_mount_t *mounts, size_t count);

/* /proc/filesystems: true if `fstype` is listed without "nodev" (a disk file system, the set
 * psutil.disk_partitions() keeps), or is "zfs". */
bool host_fs_is_physical(const char *filesystems, size_t len, const char *fstype);

/* /proc/<pid>/stat, parsed from the last ')' so a comm holding ") (" cannot fool it. */
typedef struct host_pid_stat {
    char comm[64];
    char state;
    int64_t ppid;
    uint64_t utime, stime; /* clock ticks */
    int64_t num_threads;
    uint64_t starttime; /* clock ticks after boot */
    int64_t rss_pages;
} host_pid_stat_t;
int host_parse_pid_stat(const char *buf, size_t len, host_pid_stat_t *out);

/* The real uid from the "Uid:" line of /proc/<pid>/status. */
int host_parse_status_uid(const char *buf, size_t len, uint32_t *uid);

/* NUL-separated list (cmdline, environ): trailing empty entries dropped; a final entry
 * without its NUL kept. *list is one malloc block (free(*list) releases the strings too),
 * NULL-terminated like argv, and NULL when *count is 0. Fails only when out of memory. */
int host_parse_nul_list(const char *buf, size_t len, char ***list, size_t *count);

/* Shell-quoted command line, the rules of nvitop's command_join (see nvitop_command_join in
 * include/nvitop/host.h). *out is malloc'd. Returns 0 or -1 (out of memory). */
int host_quote_command(const char *const *argv, size_t argc, bool single_is_path, char **out);

/* ---- workloads: who owns a process (workload.c, workload_meta.c) ---- */

#define HOST_WL_ID_MAX 129 /* container ids: 64 hex digits (longer ones are refused) */
#define HOST_WL_NAME_MAX 256

typedef enum host_workload_kind {
    HOST_WL_NONE = 0, /* nothing matched: the caller says why */
    HOST_WL_UNIT,     /* a systemd service or scope */
    HOST_WL_SESSION,  /* a systemd user session */
    HOST_WL_SLURM,    /* a Slurm job (step) */
    HOST_WL_CONTAINER,
    HOST_WL_POD, /* a Kubernetes pod (with its container when the path names it) */
} host_workload_kind_t;

/* Empty strings and -1 are "not known". Ordered by how specific an answer is. */
typedef struct host_workload {
    host_workload_kind_t kind;
    char runtime[16]; /* "docker", "podman", "containerd", "cri-o" */
    char container_id[HOST_WL_ID_MAX];
    char container_name[HOST_WL_NAME_MAX];
    char pod_uid[40];
    char pod_namespace[64];
    char pod_name[HOST_WL_NAME_MAX];
    char slurm_job[24];
    char slurm_step[24];
    int64_t slurm_uid;
    char slurm_user[64];
    int64_t user_uid; /* user-<uid>.slice */
    char session[24];
    char unit[HOST_WL_NAME_MAX];
    bool from_environ;
} host_workload_t;

void host_workload_init(host_workload_t *w);
/* /proc/<pid>/cgroup, every line (v1, v2, hybrid); the most specific answer wins. 0 (kind
 * may be HOST_WL_NONE) or -1 when a line is not "id:controllers:/path". */
int host_parse_cgroup_workload(const char *buf, size_t len, host_workload_t *out);
/* /proc/<pid>/environ: Slurm's SLURM_JOB_ID (SLURM_STEP_ID, SLURM_JOB_USER). 0 (kind
 * HOST_WL_SLURM or HOST_WL_NONE); -1 only for a NULL buffer. */
int host_parse_environ_workload(const char *buf, size_t len, host_workload_t *out);
/* The NSpid line of /proc/<pid>/status: the pid in each PID namespace, outermost first
 * (that of the proc mount). 0, or -1 when the line is missing, malformed or over cap. */
int host_parse_status_nspid(const char *buf, size_t len, uint32_t *ids, size_t cap, size_t *count);
/* Fills what is still empty in w from a runtime's JSON config: docker's top-level "Name",
 * and the Kubernetes labels / annotations (io.kubernetes.*, io.kubernetes.cri.*). */
void host_workload_from_config(const char *buf, size_t len, host_workload_t *w);
/* podman's containers.json: the first name of the entry whose id is w->container_id. */
void host_workload_from_podman_list(const char *buf, size_t len, host_workload_t *w);
/* A kubelet log folder "<namespace>_<name>_<uid>": true if it is w->pod_uid's, and then the
 * namespace and name are filled (unless already known). */
bool host_workload_from_pod_dir(const char *dirname, host_workload_t *w);

/* ---- I/O on the proc root ---- */

typedef struct host_reader {
    int proc_fd; /* O_DIRECTORY fd of the proc root */
    long clk_tck;
    long page_size;
    char *buf; /* read buffer, grown as needed */
    size_t cap;
} host_reader_t;

/* Opens proc_root ("/proc" when NULL). Returns 0 or -errno. */
int host_reader_open(host_reader_t *r, const char *proc_root);
void host_reader_close(host_reader_t *r);

/* Reads the whole file proc_root/relpath (leading '/' ignored: never outside the root). On 0,
 * *data (NUL-terminated) and *len are borrowed until the next read on r. Returns 0 or -errno
 * (-ENOENT, -EACCES, -ESRCH, ..., -EFBIG past 64 MiB, -EISDIR, -EINVAL for anything else that
 * is not a regular file: a FIFO is never waited on). */
int host_read(host_reader_t *r, const char *relpath, const char **data, size_t *len);

/* readlink of proc_root/relpath; *out malloc'd. Returns 0 or -errno. */
int host_readlink(host_reader_t *r, const char *relpath, char **out);

/* Everything nvitop shows of one pid from /proc/<pid>/{stat,status,cmdline}. */
typedef struct host_pid_info {
    host_pid_stat_t stat;
    bool have_uid;
    uint32_t uid;
    char **argv; /* as host_parse_nul_list */
    size_t argc;
    int cmdline_error; /* 0, or -errno when cmdline could not be read (argv then NULL) */
} host_pid_info_t;

/* Returns 0 (stat read; the rest best effort), -ENOENT / -ESRCH (no such process), -EACCES,
 * -EIO (malformed), -EINVAL (stat is not a regular file) or -ENOMEM. */
int host_read_pid(host_reader_t *r, uint32_t pid, host_pid_info_t *out);
void host_pid_info_fini(host_pid_info_t *info);

/* All numeric entries of the proc root, ascending. *pids malloc'd. Returns 0 or -errno. */
int host_list_pids(host_reader_t *r, uint32_t **pids, size_t *count);

/* ---- user names ---- */

typedef struct host_user_entry host_user_entry_t;
typedef struct host_users {
    host_user_entry_t *entries;
    size_t count, cap;
} host_users_t;

/* Name of uid via getpwuid_r, cached; the decimal uid when it has no passwd entry. Borrowed
 * until host_users_fini(). NULL only when out of memory. */
const char *host_user_name(host_users_t *users, uint32_t uid);
void host_users_fini(host_users_t *users);

/* The user running this program: $LOGNAME, $USER, $LNAME, $USERNAME, then the passwd entry
 * of getuid() (Python's getpass.getuser()). Writes into buf; returns buf. */
char *host_current_user(host_users_t *users, char *buf, size_t len);

/* ---- CPU % from deltas ---- */

typedef struct host_cpu_tracker {
    bool have_prev;
    host_cpu_times_t prev;
} host_cpu_tracker_t;

/* Feeds a new sample; returns the CPU % since the previous one, NaN on the first. */
double host_cpu_tracker_update(host_cpu_tracker_t *t, const host_cpu_times_t *cur);

/* Per-process CPU time samples keyed by (pid, starttime), so a recycled pid starts afresh. */
typedef struct host_proc_sample host_proc_sample_t;
typedef struct host_proc_tracker {
    host_proc_sample_t *slots;
    size_t cap, used;
} host_proc_tracker_t;

/* Records cpu_ticks (utime + stime) of pid at now_ns; returns 100 * Δcpu_seconds / Δwall
 * seconds since the previous record of the same (pid, starttime), NaN for the first record.
 * Not divided by the CPU count (a busy 4-thread process reads 400 %). 0.0 when no time passed
 * (psutil); NaN when the clock or the counters went backwards (the record restarts), when
 * clk_tck <= 0, or when out of memory. */
double host_proc_tracker_update(host_proc_tracker_t *t, uint32_t pid, uint64_t starttime,
                                uint64_t cpu_ticks, long clk_tck, uint64_t now_ns);
/* Forgets pids not updated since `older_than_ns`. */
void host_proc_tracker_prune(host_proc_tracker_t *t, uint64_t older_than_ns);
void host_proc_tracker_fini(host_proc_tracker_t *t);

/* ---- disk usage ---- */

/* statvfs of a mount point: total, used (total - free), free to unprivileged users. */
int host_disk_usage(const char *mountpoint, uint64_t *total, uint64_t *used, uint64_t *avail);

#endif
