/* SPDX-License-Identifier: Apache-2.0 */
/* Workloads of processes: the host layer's parsers on /proc/<pid>/cgroup and environ, names
 * from the container runtimes' files under the runtime root, and the one-line label every
 * front end shows. Also the PID-namespace view: a driver pid that the proc root numbers
 * differently (NSpid) or does not show at all. */
#include "core/core_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The inode of the initial PID namespace (PROC_PID_INIT_INO in the kernel). */
#define INIT_PID_NS "pid:[4026531836]"
#define NSPID_MAX 32
#define LABEL_MAX 512

static nvitop_na_t na_of_errno(int rc)
{
    switch (rc) {
    case -ENOENT:
    case -ESRCH:
    case -ENOTDIR:
        return NVITOP_NA_NO_SUCH_PROCESS;
    case -EACCES:
    case -EPERM:
        return NVITOP_NA_NO_PERMISSION;
    default:
        return NVITOP_NA_IO_ERROR;
    }
}

/* ---- runtime metadata (names) ---- */

static host_reader_t *runtime_reader(nvitop_ctx_t *ctx)
{
    if (ctx->runtime.proc_fd >= 0) return &ctx->runtime;
    if (ctx->runtime_open_failed) return NULL;
    if (host_reader_open(&ctx->runtime, ctx->runtime_root) < 0) {
        ctx->runtime.proc_fd = -1;
        ctx->runtime_open_failed = true;
        return NULL;
    }
    return &ctx->runtime;
}

static bool read_config(host_reader_t *r, const char *dir, const char *id, const char *file,
                        host_workload_t *w)
{
    char rel[512];
    const char *data;
    size_t len;
    snprintf(rel, sizeof(rel), "%s/%s/%s", dir, id, file);
    if (host_read(r, rel, &data, &len) < 0) return false;
    host_workload_from_config(data, len, w);
    return true;
}

/* Where each runtime keeps a container's config: docker's config.v2.json (Name, labels),
 * containerd's task bundles (CRI annotations; namespaces k8s.io, moby, default), cri-o's
 * userdata (annotations), podman's containers.json (names). The first readable one also
 * names the runtime when the cgroup path did not (cgroupfs driver under kubepods). */
static const struct meta_source {
    const char *runtime, *dir, *file;
} META_SOURCES[] = {
    {"docker", "var/lib/docker/containers", "config.v2.json"},
    {"containerd", "run/containerd/io.containerd.runtime.v2.task/k8s.io", "config.json"},
    {"containerd", "run/containerd/io.containerd.runtime.v2.task/moby", "config.json"},
    {"containerd", "run/containerd/io.containerd.runtime.v2.task/default", "config.json"},
    {"cri-o", "run/containers/storage/overlay-containers", "userdata/config.json"},
    {"cri-o", "var/lib/containers/storage/overlay-containers", "userdata/config.json"},
};

static void container_meta(host_reader_t *r, host_workload_t *w)
{
    for (size_t i = 0; i < sizeof(META_SOURCES) / sizeof(META_SOURCES[0]); i++) {
        const struct meta_source *m = &META_SOURCES[i];
        if (w->runtime[0] && strcmp(w->runtime, m->runtime) != 0 &&
            !(strcmp(w->runtime, "podman") == 0 && strcmp(m->runtime, "cri-o") == 0))
            continue;
        if (read_config(r, m->dir, w->container_id, m->file, w)) {
            if (!w->runtime[0]) strcpy(w->runtime, m->runtime);
            break;
        }
    }
    const char *data;
    size_t len;
    if ((!w->runtime[0] || strcmp(w->runtime, "podman") == 0) && !w->container_name[0] &&
        host_read(r, "var/lib/containers/storage/overlay-containers/containers.json", &data,
                  &len) == 0)
        host_workload_from_podman_list(data, len, w);
}

static void pod_meta(host_reader_t *r, host_workload_t *w)
{
    if (w->pod_name[0] || !w->pod_uid[0]) return;
    int fd = openat(r->proc_fd, "var/log/pods", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    DIR *dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dir)))
        if (host_workload_from_pod_dir(e->d_name, w)) break;
    closedir(dir);
}

/* ---- labels ---- */

static const char *user_of(nvitop_ctx_t *ctx, int64_t uid)
{
    return uid >= 0 ? host_user_name(&ctx->users, (uint32_t)uid) : NULL;
}

static void short_id(char *dst, size_t cap, const char *id)
{
    snprintf(dst, cap, "%.12s", id);
}

/* The display line; one rule for every front end. */
static void make_label(nvitop_ctx_t *ctx, const host_workload_t *w, int64_t proc_uid, char *out,
                       size_t cap)
{
    char id[16];
    const char *user;
    switch (w->kind) {
    case HOST_WL_POD:
        if (w->pod_name[0])
            snprintf(out, cap, "pod %s/%s", w->pod_namespace[0] ? w->pod_namespace : "?",
                     w->pod_name);
        else
            snprintf(out, cap, "pod %s", w->pod_uid);
        break;
    case HOST_WL_CONTAINER:
        short_id(id, sizeof(id), w->container_id);
        snprintf(out, cap, "%s %s", w->runtime[0] ? w->runtime : "container",
                 w->container_name[0] ? w->container_name : id);
        break;
    case HOST_WL_SLURM:
        user = w->slurm_user[0] ? w->slurm_user
                                : user_of(ctx, w->slurm_uid >= 0 ? w->slurm_uid : proc_uid);
        snprintf(out, cap, "slurm %s%s%s%s%s%s", w->slurm_job, w->slurm_step[0] ? "." : "",
                 w->slurm_step, user ? " (" : "", user ? user : "", user ? ")" : "");
        break;
    case HOST_WL_SESSION:
        user = user_of(ctx, w->user_uid);
        snprintf(out, cap, "session %s%s%s%s", w->session, user ? " (" : "", user ? user : "",
                 user ? ")" : "");
        break;
    case HOST_WL_UNIT:
        user = user_of(ctx, w->user_uid);
        snprintf(out, cap, "%s%s%s%s", w->unit, user ? " (" : "", user ? user : "",
                 user ? ")" : "");
        break;
    default:
        out[0] = '\0';
        break;
    }
}

/* ---- the record ---- */

static nvitop_str_t opt_str(arena_t *arena, const char *s, int *rc)
{
    if (!s || !s[0]) return na_str(NVITOP_NA_NOT_APPLICABLE);
    char *copy = arena_strdup(arena, s);
    if (!copy) *rc = NVITOP_ENOMEM;
    return copy ? some_str(copy) : na_str(NVITOP_NA_UNAVAILABLE);
}

void workload_set_na(nvitop_workload_t *out, uint32_t pid, nvitop_na_t na)
{
    memset(out, 0, sizeof(*out));
    out->size = sizeof(*out);
    out->pid = out->driver_pid = pid;
    out->kind = NVITOP_WORKLOAD_UNKNOWN;
    out->na = na;
    nvitop_str_t *strs[] = {&out->label,         &out->source,         &out->runtime,
                            &out->container_id,  &out->container_name, &out->pod_uid,
                            &out->pod_namespace, &out->pod_name,       &out->slurm_step,
                            &out->slurm_user,    &out->session,        &out->unit};
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        *strs[i] = na_str(na);
    out->slurm_job_id = out->user_uid = out->namespace_pid = na_int(na);
}

void workload_set_other_namespace(nvitop_workload_t *out, uint32_t driver_pid)
{
    workload_set_na(out, driver_pid, NVITOP_NA_NOT_APPLICABLE);
    out->kind = NVITOP_WORKLOAD_OTHER_NAMESPACE;
    out->na = NVITOP_NA_NONE;
    out->label = some_str(WORKLOAD_OTHER_NAMESPACE_LABEL);
    out->source = some_str("pid namespace");
}

/* The process's uid and its pid in the innermost namespace, from status (best effort). */
static void read_status(nvitop_ctx_t *ctx, uint32_t pid, int64_t *uid, int64_t *inner_pid)
{
    char rel[32];
    const char *data;
    size_t len;
    uint32_t u, ids[NSPID_MAX];
    size_t n;
    *uid = *inner_pid = -1;
    snprintf(rel, sizeof(rel), "%u/status", pid);
    if (host_read(&ctx->host, rel, &data, &len) < 0) return;
    if (host_parse_status_uid(data, len, &u) == 0) *uid = u;
    if (host_parse_status_nspid(data, len, ids, NSPID_MAX, &n) == 0) *inner_pid = ids[n - 1];
}

static int copy_out(nvitop_ctx_t *ctx, const host_workload_t *w, int64_t proc_uid, arena_t *arena,
                    nvitop_workload_t *out)
{
    int rc = NVITOP_OK;
    char label[LABEL_MAX];
    make_label(ctx, w, proc_uid, label, sizeof(label));
    out->kind = (int)w->kind;
    out->na = NVITOP_NA_NONE;
    out->label = opt_str(arena, label, &rc);
    out->source = some_str(w->from_environ ? "environ" : "cgroup");
    out->runtime = opt_str(arena, w->runtime, &rc);
    out->container_id = opt_str(arena, w->container_id, &rc);
    out->container_name = opt_str(arena, w->container_name, &rc);
    out->pod_uid = opt_str(arena, w->pod_uid, &rc);
    out->pod_namespace = opt_str(arena, w->pod_namespace, &rc);
    out->pod_name = opt_str(arena, w->pod_name, &rc);
    uint64_t job;
    out->slurm_job_id = host_parse_u64_token(w->slurm_job, strlen(w->slurm_job), &job)
                            ? some_int((int64_t)job)
                            : na_int(NVITOP_NA_NOT_APPLICABLE);
    out->slurm_step = opt_str(arena, w->slurm_step, &rc);
    const char *user = w->slurm_user[0] ? w->slurm_user : NULL;
    if (!user && w->kind == HOST_WL_SLURM)
        user = user_of(ctx, w->slurm_uid >= 0 ? w->slurm_uid : proc_uid);
    out->slurm_user = opt_str(arena, user, &rc);
    out->user_uid = w->user_uid >= 0 ? some_int(w->user_uid) : na_int(NVITOP_NA_NOT_APPLICABLE);
    out->session = opt_str(arena, w->session, &rc);
    out->unit = opt_str(arena, w->unit, &rc);
    return rc;
}

/* cgroup first; the environment when the cgroup names no job (Slurm without its cgroup
 * plugins); then the runtime's files for names. */
int workload_fill(nvitop_ctx_t *ctx, uint32_t pid, arena_t *arena, nvitop_workload_t *out)
{
    workload_set_na(out, pid, NVITOP_NA_NOT_APPLICABLE);
    char rel[32];
    const char *data;
    size_t len;
    host_workload_t w;
    snprintf(rel, sizeof(rel), "%u/cgroup", pid);
    int rc = host_read(&ctx->host, rel, &data, &len);
    if (rc == -ENOMEM) return NVITOP_ENOMEM;
    if (rc < 0) {
        workload_set_na(out, pid, na_of_errno(rc));
        return NVITOP_OK;
    }
    if (host_parse_cgroup_workload(data, len, &w) < 0) {
        workload_set_na(out, pid, NVITOP_NA_IO_ERROR);
        return NVITOP_OK;
    }
    if (w.kind < HOST_WL_SLURM) {
        host_workload_t env;
        snprintf(rel, sizeof(rel), "%u/environ", pid);
        if (host_read(&ctx->host, rel, &data, &len) == 0 &&
            host_parse_environ_workload(data, len, &env) == 0 && env.kind == HOST_WL_SLURM)
            w = env;
    }
    int64_t uid, inner;
    read_status(ctx, pid, &uid, &inner);
    if (w.kind >= HOST_WL_CONTAINER) {
        host_reader_t *r = runtime_reader(ctx);
        if (r && w.container_id[0]) container_meta(r, &w);
        if (r) pod_meta(r, &w);
        if (w.pod_uid[0]) w.kind = HOST_WL_POD;
    }
    out->namespace_pid = inner >= 0 ? some_int(inner) : na_int(NVITOP_NA_IO_ERROR);
    if (w.kind == HOST_WL_NONE) return NVITOP_OK; /* readable, in no workload: N/A */
    return copy_out(ctx, &w, uid, arena, out);
}

/* ---- PID namespaces ---- */

bool workload_in_pid_namespace(nvitop_ctx_t *ctx)
{
    if (ctx->pidns_known) return ctx->pidns_nested;
    ctx->pidns_known = true;
    char *link = NULL;
    if (host_readlink(&ctx->host, "self/ns/pid", &link) == 0) {
        ctx->pidns_nested = strcmp(link, INIT_PID_NS) != 0;
        free(link);
    }
    const char *data;
    size_t len;
    uint32_t ids[NSPID_MAX];
    size_t n;
    if (host_read(&ctx->host, "self/status", &data, &len) == 0 &&
        host_parse_status_nspid(data, len, ids, NSPID_MAX, &n) == 0 && n > 1)
        ctx->pidns_nested = true;
    return ctx->pidns_nested;
}

void pid_map_fini(pid_map_t *m)
{
    free(m->outer);
    free(m->local);
    memset(m, 0, sizeof(*m));
}

/* Every process of the proc root whose NSpid starts with another number than its own: the
 * root then shows a namespace's processes with the outer (driver's) pids beside them. */
static int pid_map_scan(nvitop_ctx_t *ctx, pid_map_t *m)
{
    m->scanned = true;
    uint32_t *pids = NULL;
    size_t count = 0;
    if (host_list_pids(&ctx->host, &pids, &count) < 0) return NVITOP_OK;
    for (size_t i = 0; i < count; i++) {
        char rel[32];
        const char *data;
        size_t len, n;
        uint32_t ids[NSPID_MAX];
        snprintf(rel, sizeof(rel), "%u/status", pids[i]);
        if (host_read(&ctx->host, rel, &data, &len) < 0 ||
            host_parse_status_nspid(data, len, ids, NSPID_MAX, &n) < 0 || n < 2 ||
            ids[0] == pids[i])
            continue;
        if (m->count == m->cap) {
            size_t cap = m->cap ? 2 * m->cap : 16;
            uint32_t *o = realloc(m->outer, cap * sizeof(*o));
            if (o) m->outer = o;
            uint32_t *l = o ? realloc(m->local, cap * sizeof(*l)) : NULL;
            if (!l) {
                free(pids);
                return NVITOP_ENOMEM;
            }
            m->local = l;
            m->cap = cap;
        }
        m->outer[m->count] = ids[0];
        m->local[m->count++] = pids[i];
    }
    free(pids);
    return NVITOP_OK;
}

/* 1: shown; 0: not there (ENOENT); -1: not known (another error) */
static int pid_visible(nvitop_ctx_t *ctx, uint32_t pid)
{
    char rel[32];
    snprintf(rel, sizeof(rel), "%u/stat", pid);
    if (faccessat(ctx->host.proc_fd, rel, F_OK, 0) == 0) return 1;
    return errno == ENOENT ? 0 : -1;
}

int pid_map_resolve(nvitop_ctx_t *ctx, pid_map_t *m, uint32_t driver_pid, uint32_t *local,
                    bool *other_namespace, bool *absent)
{
    *local = driver_pid;
    *other_namespace = false;
    *absent = false;
    int visible = 1;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < m->count; i++)
            if (m->outer[i] == driver_pid) {
                *local = m->local[i];
                return NVITOP_OK;
            }
        visible = pid_visible(ctx, driver_pid);
        if (visible == 1) return NVITOP_OK;
        /* In the initial namespace every NSpid starts with its own pid: nothing to map. */
        if (m->scanned || !workload_in_pid_namespace(ctx)) break;
        int rc = pid_map_scan(ctx, m);
        if (rc < 0) return rc;
    }
    *absent = visible == 0;
    *other_namespace = m->count > 0 || workload_in_pid_namespace(ctx);
    return NVITOP_OK;
}

_Static_assert((int)HOST_WL_POD == (int)NVITOP_WORKLOAD_POD &&
                   (int)HOST_WL_UNIT == (int)NVITOP_WORKLOAD_UNIT,
               "host and public workload kinds are numbered alike");

/* ---- public ---- */

typedef struct workload_box {
    nvitop_workload_t workload;
    arena_t arena;
} workload_box_t;

int nvitop_process_workload(nvitop_ctx_t *ctx, uint32_t pid, nvitop_workload_t **out)
{
    if (!ctx || !out) return NVITOP_EINVAL;
    *out = NULL;
    workload_box_t *box = calloc(1, sizeof(*box));
    if (!box) return NVITOP_ENOMEM;
    if (workload_fill(ctx, pid, &box->arena, &box->workload) < 0) {
        nvitop_workload_free(&box->workload);
        return NVITOP_ENOMEM;
    }
    *out = &box->workload;
    return NVITOP_OK;
}

void nvitop_workload_free(nvitop_workload_t *workload)
{
    if (!workload) return;
    workload_box_t *box = (workload_box_t *)workload;
    arena_fini(&box->arena);
    free(box);
}

const char *nvitop_workload_kind_string(int kind)
{
    static const char *const names[] = {"unknown",   "unit", "session",        "slurm",
                                        "container", "pod",  "other-namespace"};
    return kind >= 0 && (size_t)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}
