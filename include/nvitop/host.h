/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * The host: CPU, memory, swap, load, uptime, network and disks, and host processes. */
#ifndef NVITOP_HOST_H
#define NVITOP_HOST_H

#include <nvitop/context.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What to read of the host (bits of `what` in nvitop_host_query()). */
#define NVITOP_HQ_CPU (1U << 0)        /**< CPU count and CPU % since the previous sample */
#define NVITOP_HQ_MEMORY (1U << 1)     /**< memory and swap */
#define NVITOP_HQ_LOAD (1U << 2)       /**< load average */
#define NVITOP_HQ_UPTIME (1U << 3)     /**< uptime and boot time */
#define NVITOP_HQ_NETWORK (1U << 4)    /**< per-interface byte and packet counters */
#define NVITOP_HQ_DISK_IO (1U << 5)    /**< per-partition read/write counters */
#define NVITOP_HQ_DISK_USAGE (1U << 6) /**< per-mount usage (statvfs) */
#define NVITOP_HQ_IDENTITY (1U << 7)   /**< host name and the current user's name */
#define NVITOP_HQ_ALL ((1U << 8) - 1)  /**< everything */

/** Counters of one network interface (/proc/net/dev). */
typedef struct nvitop_net_io {
    const char *name;        /**< interface name, "eth0" */
    nvitop_int_t rx_bytes;   /**< bytes received since boot */
    nvitop_int_t tx_bytes;   /**< bytes sent since boot */
    nvitop_int_t rx_packets; /**< packets received since boot */
    nvitop_int_t tx_packets; /**< packets sent since boot */
} nvitop_net_io_t;

/** Counters of one block device (/proc/diskstats). */
typedef struct nvitop_disk_io {
    const char *name;         /**< "nvme0n1p1" */
    nvitop_int_t read_bytes;  /**< bytes read since boot */
    nvitop_int_t write_bytes; /**< bytes written since boot */
    nvitop_int_t read_count;  /**< reads completed since boot */
    nvitop_int_t write_count; /**< writes completed since boot */
} nvitop_disk_io_t;

/** Usage of one mounted file system. */
typedef struct nvitop_disk_usage {
    const char *mountpoint;   /**< "/home" */
    const char *device;       /**< "/dev/nvme0n1p2" */
    const char *fstype;       /**< "ext4" */
    nvitop_int_t total_bytes; /**< size of the file system */
    nvitop_int_t used_bytes;  /**< used space */
    nvitop_int_t free_bytes;  /**< available to unprivileged users, as df shows */
    nvitop_real_t percent;    /**< used / (used + free) * 100, as df and psutil compute it */
} nvitop_disk_usage_t;

/** The host at one moment: the parts asked for are filled, the rest are N/A with
 * NVITOP_NA_NOT_SAMPLED. Owns every string and array it holds. */
typedef struct nvitop_host_snapshot {
    nvitop_str_t hostname;           /**< with NVITOP_HQ_IDENTITY */
    nvitop_str_t username;           /**< the user running this program */
    nvitop_int_t cpu_count;          /**< logical CPUs */
    nvitop_real_t cpu_percent;       /**< all CPUs, since the previous NVITOP_HQ_CPU sample of the
                                      * context; the average since boot on the first one */
    nvitop_int_t memory_total_bytes; /**< physical memory (MemTotal) */
    nvitop_int_t memory_used_bytes;  /**< total - free - buffers - cached, as psutil */
    nvitop_int_t memory_free_bytes;  /**< MemFree */
    nvitop_int_t memory_available_bytes; /**< MemAvailable */
    nvitop_real_t memory_percent;        /**< (total - available) / total * 100 */
    nvitop_int_t swap_total_bytes;       /**< SwapTotal */
    nvitop_int_t swap_used_bytes;        /**< total - free */
    nvitop_int_t swap_free_bytes;        /**< SwapFree */
    nvitop_real_t swap_percent;          /**< used / total * 100 */
    nvitop_real_t load_average_1m;       /**< load average over 1 minute */
    nvitop_real_t load_average_5m;       /**< over 5 minutes */
    nvitop_real_t load_average_15m;      /**< over 15 minutes */
    nvitop_real_t uptime_s;              /**< seconds since boot */
    nvitop_real_t boot_time_s;           /**< Unix time */
    size_t net_count;                    /**< entries in `net` */
    nvitop_net_io_t *net;                /**< with NVITOP_HQ_NETWORK */
    size_t disk_io_count;                /**< entries in `disk_io` */
    nvitop_disk_io_t *disk_io;           /**< with NVITOP_HQ_DISK_IO */
    size_t disk_usage_count;             /**< entries in `disk_usage` */
    nvitop_disk_usage_t *disk_usage;     /**< with NVITOP_HQ_DISK_USAGE */
} nvitop_host_snapshot_t;

/** Reads the parts of the host named by `what`; the rest is NVITOP_NA_NOT_SAMPLED. Returns 0
 * (unreadable parts carry NVITOP_NA_IO_ERROR), NVITOP_EINVAL or NVITOP_ENOMEM. Free with
 * nvitop_host_snapshot_free(). */
NVITOP_API int nvitop_host_query(nvitop_ctx_t *ctx, unsigned what, nvitop_host_snapshot_t **out);
/** Frees a host snapshot and everything it holds. NULL is a no-op. */
NVITOP_API void nvitop_host_snapshot_free(nvitop_host_snapshot_t *snapshot);

/** The name of the user running this program, found as Python's getpass.getuser() finds it:
 * the first non-empty one of $LOGNAME, $USER, $LNAME and $USERNAME, else the passwd entry of
 * the real uid, else that uid in decimal. Needs no context (a program asks while it reads its
 * options, before it opens one); the snapshot's `username` (NVITOP_HQ_IDENTITY) is the same
 * name. Writes it into buf, cut to len - 1 bytes. Returns 0, or NVITOP_EINVAL when buf is NULL
 * or len is 0. */
NVITOP_API int nvitop_current_user(char *buf, size_t len);

/** One host process as /proc shows it. */
typedef struct nvitop_host_process {
    uint32_t pid; /**< process id */
    /** NVITOP_NA_NONE when /proc/PID was read; NVITOP_NA_NO_SUCH_PROCESS when the pid is gone
     * or belongs to another PID namespace; NVITOP_NA_NO_PERMISSION when it could not be read. */
    nvitop_na_t na;
    char state;                   /**< /proc state letter ('R', 'S', 'Z', ...); 0 if unknown */
    bool is_zombie;               /**< state 'Z', or running with an empty command line */
    nvitop_int_t ppid;            /**< parent process id */
    nvitop_int_t uid;             /**< real user id */
    nvitop_str_t username;        /**< name of `uid`, or the uid as a number */
    nvitop_str_t name;            /**< the kernel's short name (comm) */
    nvitop_int_t num_threads;     /**< threads of the process */
    nvitop_real_t create_time_s;  /**< Unix time */
    nvitop_real_t running_time_s; /**< the kernel's uptime minus the start time, as ps does */
    nvitop_real_t cpu_percent;    /**< of one core, since the previous sample of this pid in the
                                   * context; on the first, the lifetime average (ps's %CPU) */
    nvitop_int_t cpu_time_ns;     /**< user + system time consumed so far */
    nvitop_int_t rss_bytes;       /**< resident memory */
    nvitop_real_t memory_percent; /**< rss / host memory total * 100 */
    nvitop_str_t command;         /**< argv quoted for display the way a shell would */
    size_t argc;                  /**< words in `argv` */
    const char *const *argv;      /**< the command line, word by word */
} nvitop_host_process_t;

/** psutil's status word for a /proc state letter: "running", "sleeping", "disk-sleep",
 * "stopped", "tracing-stop", "zombie", "dead", "idle", ...; "unknown" otherwise. */
NVITOP_API const char *nvitop_process_status_string(char state);

/** Reads one host process. Always yields a record (its `na` says whether the pid could be
 * read) unless out of memory. Returns 0, NVITOP_EINVAL or NVITOP_ENOMEM. Free with
 * nvitop_host_process_free(). */
NVITOP_API int nvitop_host_process_get(nvitop_ctx_t *ctx, uint32_t pid,
                                       nvitop_host_process_t **out);
/** Frees a host process record. NULL is a no-op. */
NVITOP_API void nvitop_host_process_free(nvitop_host_process_t *process);

/** The environment of a process as "KEY=value" strings in /proc order. Returns 0,
 * NVITOP_ENOTFOUND (gone), NVITOP_EPERM or NVITOP_ENOMEM. Free with nvitop_strv_free(). */
NVITOP_API int nvitop_process_environ(nvitop_ctx_t *ctx, uint32_t pid, char ***vars, size_t *count);
/** The working directory of a process. Same codes; free with nvitop_free(). */
NVITOP_API int nvitop_process_cwd(nvitop_ctx_t *ctx, uint32_t pid, char **cwd);

/** The parent of every process of the proc root, as psutil's ppid map: pids[i]'s parent is
 * ppids[i] (0 for none), sorted by pid; a process that ends meanwhile is left out. Both arrays
 * are freed with nvitop_free(). Returns 0, NVITOP_EINVAL, NVITOP_EIO (the proc root cannot be
 * listed) or NVITOP_ENOMEM. */
NVITOP_API int nvitop_process_ppid_map(nvitop_ctx_t *ctx, uint32_t **pids, uint32_t **ppids,
                                       size_t *count);
/** The children of `pid` as psutil's Process.children() finds them: the processes whose parent
 * it is and, with `recursive`, their children in turn, in psutil's order (a stack of parents,
 * each one's children in pid order), leaving out any that started before `pid` (a recycled pid
 * is nobody's child). *children is freed with nvitop_free(). Returns 0, NVITOP_EINVAL,
 * NVITOP_ENOTFOUND (no such pid), NVITOP_EIO or NVITOP_ENOMEM. */
NVITOP_API int nvitop_process_children(nvitop_ctx_t *ctx, uint32_t pid, bool recursive,
                                       uint32_t **children, size_t *count);

/** Joins argv into one line a POSIX shell would read back as the same words: "" for an empty
 * word, double quotes around words with spaces, single quotes when the word holds '"',
 * backslash escapes for '\\', '"', '$' and newline otherwise. A single word is returned
 * verbatim unless `single_is_path` (it names an existing file). Returns 0 or NVITOP_ENOMEM;
 * free *out with nvitop_free(). */
NVITOP_API int nvitop_command_join(const char *const *argv, size_t argc, bool single_is_path,
                                   char **out);

/** Frees memory the library handed over with "free with nvitop_free()". NULL is a no-op. */
NVITOP_API void nvitop_free(void *ptr);
/** Frees `count` strings and the array holding them. NULL is a no-op. */
NVITOP_API void nvitop_strv_free(char **strv, size_t count);

#ifdef __cplusplus
}
#endif

#endif
