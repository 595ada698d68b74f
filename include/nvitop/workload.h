/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * Who owns a process: its container (docker, podman, containerd, cri-o), Kubernetes pod,
 * Slurm job, systemd session or unit, read from /proc/PID/cgroup, the process environment and
 * the container runtimes' own files (docs/workloads.md). An extension of ours: Python nvitop
 * has no such thing. */
#ifndef NVITOP_WORKLOAD_H
#define NVITOP_WORKLOAD_H

#include <nvitop/context.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What owns a process; ordered from the least to the most specific answer. */
typedef enum nvitop_workload_kind {
    NVITOP_WORKLOAD_UNKNOWN = 0, /**< nothing known: `na` says why */
    NVITOP_WORKLOAD_UNIT,        /**< a systemd service or scope (`unit`) */
    NVITOP_WORKLOAD_SESSION,     /**< a systemd user session (`session`, `user_uid`) */
    NVITOP_WORKLOAD_SLURM,       /**< a Slurm job (`slurm_job_id`, `slurm_step`, `slurm_user`) */
    NVITOP_WORKLOAD_CONTAINER,   /**< a container (`runtime`, `container_id`, `container_name`) */
    NVITOP_WORKLOAD_POD,         /**< a Kubernetes pod (`pod_*`, and the container fields) */
    /** a process outside the PID namespace nvitop sees (another container, or the host):
     * the driver reports it, /proc does not show it */
    NVITOP_WORKLOAD_OTHER_NAMESPACE,
} nvitop_workload_kind_t;

/** The workload of one process. Growable: the library sets `size` to its own sizeof; read a
 * field newer than your headers only when `size > offsetof(nvitop_workload_t, field)`. Strings
 * are N/A (NVITOP_NA_NOT_APPLICABLE) where the source does not give them. */
typedef struct nvitop_workload {
    size_t size;         /**< sizeof(nvitop_workload_t) of the library that filled it */
    uint32_t pid;        /**< the process, as the proc root numbers it */
    uint32_t driver_pid; /**< as the driver numbers it (differs when mapped through NSpid) */
    int kind;            /**< an nvitop_workload_kind_t */
    /** NVITOP_NA_NONE when kind is known; else NVITOP_NA_NO_SUCH_PROCESS (gone),
     * NVITOP_NA_NO_PERMISSION (cgroup unreadable), NVITOP_NA_IO_ERROR (malformed),
     * NVITOP_NA_NOT_APPLICABLE (readable, in no workload nvitop knows) or
     * NVITOP_NA_NOT_SAMPLED. */
    nvitop_na_t na;
    /** One line for display: "pod team-a/train-7c9f", "docker web-1", "slurm 812345.0 (alice)",
     * "session 3 (alice)", "nginx.service", "other container"; N/A with `na` when unknown. */
    nvitop_str_t label;
    nvitop_str_t source;         /**< "cgroup", "environ" or "pid namespace" */
    nvitop_str_t runtime;        /**< "docker", "podman", "containerd", "cri-o" */
    nvitop_str_t container_id;   /**< the full hexadecimal id */
    nvitop_str_t container_name; /**< from the runtime's metadata, when readable */
    nvitop_str_t pod_uid;        /**< Kubernetes pod UID */
    nvitop_str_t pod_namespace;  /**< from the runtime's labels or kubelet's log folders */
    nvitop_str_t pod_name;       /**< same */
    nvitop_int_t slurm_job_id;   /**< Slurm job id */
    nvitop_str_t slurm_step;     /**< "0", "batch", "extern", "interactive", ... */
    nvitop_str_t slurm_user;     /**< the job's user */
    nvitop_int_t user_uid;       /**< uid of the user-UID.slice (sessions, user services) */
    nvitop_str_t session;        /**< systemd session id ("3", "c1") */
    nvitop_str_t unit;           /**< systemd unit ("nginx.service", "init.scope") */
    nvitop_int_t namespace_pid;  /**< the pid inside its own (innermost) PID namespace */
} nvitop_workload_t;

/** Reads the workload of one process of the proc root (pid as /proc numbers it). Always
 * yields a record (its `na` says why a kind is unknown) unless out of memory. Returns 0,
 * NVITOP_EINVAL or NVITOP_ENOMEM. Free with nvitop_workload_free(). Container and pod names
 * come from the runtimes' files under $NVITOP_RUNTIME_ROOT (default "/"). */
NVITOP_API int nvitop_process_workload(nvitop_ctx_t *ctx, uint32_t pid, nvitop_workload_t **out);
/** Frees a record of nvitop_process_workload(). NULL is a no-op. */
NVITOP_API void nvitop_workload_free(nvitop_workload_t *workload);

/** "unknown", "unit", "session", "slurm", "container", "pod", "other-namespace". */
NVITOP_API const char *nvitop_workload_kind_string(int kind);

#ifdef __cplusplus
}
#endif

#endif
