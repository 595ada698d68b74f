/* SPDX-License-Identifier: Apache-2.0 */
/* Who owns a process, read from the text of /proc/<pid>/cgroup (and, as a fallback, its
 * environment): container runtimes, Kubernetes pods, Slurm jobs, systemd sessions and units.
 * Pure parsers on a byte buffer: every path segment is matched against the layouts the
 * runtimes write (docs/workloads.md); anything else stays unknown. */
#include "host/host_internal.h"

#include <string.h>

#define CONTAINER_ID_LEN 64 /* a bare path segment must be a full id to count as one */

typedef struct seg {
    const char *p;
    size_t n;
} seg_t;

static bool seg_is(seg_t s, const char *word)
{
    return host_token_is(s.p, s.n, word);
}

static bool seg_starts(seg_t s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

static bool seg_ends(seg_t s, const char *suffix)
{
    size_t n = strlen(suffix);
    return s.n >= n && memcmp(s.p + s.n - n, suffix, n) == 0;
}

/* The segment without `prefix` and `suffix` (either may be ""); false if it lacks them or
 * nothing is left between. */
static bool seg_between(seg_t s, const char *prefix, const char *suffix, seg_t *mid)
{
    size_t a = strlen(prefix), b = strlen(suffix);
    if (s.n <= a + b || !seg_starts(s, prefix) || !seg_ends(s, suffix)) return false;
    *mid = (seg_t){s.p + a, s.n - a - b};
    return true;
}

static bool all_of(seg_t s, const char *set)
{
    for (size_t i = 0; i < s.n; i++)
        if (!s.p[i] || !strchr(set, s.p[i])) return false;
    return s.n > 0;
}

#define HEX "0123456789abcdef"
#define DIGITS "0123456789"

static bool is_hex_id(seg_t s)
{
    return s.n < HOST_WL_ID_MAX && all_of(s, HEX);
}

static void copy_seg(char *dst, size_t cap, seg_t s)
{
    size_t n = s.n < cap - 1 ? s.n : cap - 1;
    memcpy(dst, s.p, n);
    dst[n] = '\0';
}

static bool parse_u64_seg(seg_t s, uint64_t *v)
{
    return host_parse_u64_token(s.p, s.n, v);
}

/* A runtime's scope or directory name for one container: docker-<id>.scope, libpod-<id>.scope,
 * cri-containerd-<id>.scope, nerdctl-<id>.scope, crio-<id>.scope (systemd driver); crio-<id>,
 * libpod-<id> (cgroupfs driver). The runtimes' monitor processes (conmon) are not containers. */
static const struct runtime_form {
    const char *prefix, *suffix, *runtime;
} RUNTIME_FORMS[] = {
    {"docker-", ".scope", "docker"},
    {"libpod-", ".scope", "podman"},
    {"libpod-", "", "podman"},
    {"cri-containerd-", ".scope", "containerd"},
    {"nerdctl-", ".scope", "containerd"},
    {"crio-", ".scope", "cri-o"},
    {"crio-", "", "cri-o"},
};

static bool match_runtime(seg_t s, host_workload_t *w)
{
    if (seg_starts(s, "libpod-conmon-") || seg_starts(s, "crio-conmon-")) return false;
    for (size_t i = 0; i < sizeof(RUNTIME_FORMS) / sizeof(RUNTIME_FORMS[0]); i++) {
        seg_t id;
        const struct runtime_form *f = &RUNTIME_FORMS[i];
        if (seg_between(s, f->prefix, f->suffix, &id) && is_hex_id(id)) {
            copy_seg(w->runtime, sizeof(w->runtime), (seg_t){f->runtime, strlen(f->runtime)});
            copy_seg(w->container_id, sizeof(w->container_id), id);
            return true;
        }
    }
    return false;
}

/* pod<uid> in kubepods-<qos>-pod<uid>.slice (systemd driver: '-' written as '_') or a bare
 * pod<uid> directory (cgroupfs driver). */
static bool match_pod(seg_t s, host_workload_t *w)
{
    seg_t body = s;
    if (seg_ends(body, ".slice")) body.n -= strlen(".slice");
    const char *at = NULL;
    for (size_t i = 0; i + 3 <= body.n; i++)
        if (memcmp(body.p + i, "pod", 3) == 0 && (i == 0 || body.p[i - 1] == '-')) at = body.p + i;
    if (!at) return false;
    seg_t uid = {at + 3, (size_t)(body.p + body.n - at - 3)};
    if (uid.n < 32 || uid.n >= sizeof(w->pod_uid) || !all_of(uid, HEX "-_")) return false;
    copy_seg(w->pod_uid, sizeof(w->pod_uid), uid);
    for (char *c = w->pod_uid; *c; c++)
        if (*c == '_') *c = '-';
    return true;
}

/* Slurm's job_<id>, step_<name> and uid_<uid> directories, below a slurm or slurmstepd
 * segment (cgroup v1: /slurm[_node]/uid_U/job_J/step_S; v2: system.slice/
 * [node_]slurmstepd.scope/job_J/step_S). */
static void match_slurm(seg_t s, host_workload_t *w)
{
    seg_t v;
    uint64_t n;
    if (seg_between(s, "job_", "", &v) && parse_u64_seg(v, &n)) {
        copy_seg(w->slurm_job, sizeof(w->slurm_job), v);
    } else if (w->slurm_job[0] && seg_between(s, "step_", "", &v) &&
               all_of(v, DIGITS "abcdefghijklmnopqrstuvwxyz_.")) {
        copy_seg(w->slurm_step, sizeof(w->slurm_step), v);
    } else if (seg_between(s, "uid_", "", &v) && parse_u64_seg(v, &n) && n <= UINT32_MAX) {
        w->slurm_uid = (int64_t)n;
    }
}

/* user-<uid>.slice, session-<id>.scope, and the deepest other .service or .scope unit. */
static void match_systemd(seg_t s, host_workload_t *w)
{
    seg_t v;
    uint64_t n;
    if (seg_between(s, "user-", ".slice", &v) && parse_u64_seg(v, &n) && n <= UINT32_MAX) {
        w->user_uid = (int64_t)n;
    } else if (seg_between(s, "session-", ".scope", &v) && all_of(v, DIGITS "c")) {
        copy_seg(w->session, sizeof(w->session), v);
    } else if ((seg_ends(s, ".service") || seg_ends(s, ".scope")) && s.n < sizeof(w->unit)) {
        copy_seg(w->unit, sizeof(w->unit), s);
    }
}

/* Facts of one cgroup path, segment by segment. */
static void path_facts(const char *p, size_t n, host_workload_t *w)
{
    bool kube = false, slurm = false, docker_dir = false;
    const char *end = p + n;
    while (p < end) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        seg_t s = {p, (size_t)((slash ? slash : end) - p)};
        p = slash ? slash + 1 : end;
        if (s.n == 0) continue;
        if (seg_starts(s, "kubepods")) kube = true;
        if (seg_starts(s, "slurm") || seg_ends(s, "slurmstepd.scope")) slurm = true;
        if (kube && !w->pod_uid[0] && match_pod(s, w)) continue;
        if (match_runtime(s, w)) continue;
        if ((docker_dir || kube) && s.n == CONTAINER_ID_LEN && all_of(s, HEX)) {
            /* cgroupfs driver: /docker/<id>, /kubepods/<qos>/pod<uid>/<id> */
            copy_seg(w->container_id, sizeof(w->container_id), s);
            if (docker_dir) strcpy(w->runtime, "docker");
            continue;
        }
        docker_dir = seg_is(s, "docker");
        if (slurm) match_slurm(s, w);
        if (!seg_ends(s, "slurmstepd.scope")) match_systemd(s, w);
    }
}

static host_workload_kind_t kind_of(const host_workload_t *w)
{
    if (w->pod_uid[0]) return HOST_WL_POD;
    if (w->container_id[0]) return HOST_WL_CONTAINER;
    if (w->slurm_job[0]) return HOST_WL_SLURM;
    if (w->session[0]) return HOST_WL_SESSION;
    if (w->unit[0]) return HOST_WL_UNIT;
    return HOST_WL_NONE;
}

void host_workload_init(host_workload_t *w)
{
    memset(w, 0, sizeof(*w));
    w->slurm_uid = w->user_uid = -1;
}

/* Each line is hierarchy-ID:controllers:path. Every line is read (cgroup v1 lists one per
 * hierarchy, v2 one "0::" line, hybrid both) and the most specific answer wins: pod, then
 * container, Slurm job, session, unit. */
int host_parse_cgroup_workload(const char *buf, size_t len, host_workload_t *out)
{
    host_workload_init(out);
    if (!buf) return -1;
    host_scan_t s = host_scan_make(buf, len), line;
    bool any = false;
    while (host_scan_line(&s, &line)) {
        size_t n = (size_t)(line.end - line.p);
        if (n == 0) continue;
        const char *c1 = memchr(line.p, ':', n);
        const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(line.end - c1 - 1)) : NULL;
        if (!c2 || c2 + 1 >= line.end || c2[1] != '/') return -1;
        any = true;
        host_workload_t w;
        host_workload_init(&w);
        path_facts(c2 + 1, (size_t)(line.end - c2 - 1), &w);
        w.kind = kind_of(&w);
        if (w.kind > out->kind) *out = w;
    }
    return any ? 0 : -1;
}

/* "KEY=" entries of a NUL-separated environment; the value is copied (cut to cap - 1). */
static bool env_value(const char *buf, size_t len, const char *key, char *dst, size_t cap)
{
    size_t klen = strlen(key);
    for (size_t i = 0; i < len;) {
        const char *e = buf + i;
        const char *nul = memchr(e, '\0', len - i);
        size_t n = nul ? (size_t)(nul - e) : len - i;
        if (n > klen && memcmp(e, key, klen) == 0 && e[klen] == '=') {
            copy_seg(dst, cap, (seg_t){e + klen + 1, n - klen - 1});
            return dst[0] != '\0';
        }
        i += n + 1;
    }
    return false;
}

/* Slurm exports SLURM_JOB_ID (SLURM_JOBID before 2.x) to every task, with SLURM_STEP_ID and
 * SLURM_JOB_USER. Only a numeric job id counts. */
int host_parse_environ_workload(const char *buf, size_t len, host_workload_t *out)
{
    host_workload_init(out);
    if (!buf) return -1;
    char job[sizeof(out->slurm_job)];
    uint64_t n;
    if (!env_value(buf, len, "SLURM_JOB_ID", job, sizeof(job)) &&
        !env_value(buf, len, "SLURM_JOBID", job, sizeof(job)))
        return 0;
    if (!host_parse_u64_token(job, strlen(job), &n)) return 0;
    strcpy(out->slurm_job, job);
    char step[sizeof(out->slurm_step)];
    if (env_value(buf, len, "SLURM_STEP_ID", step, sizeof(step)) ||
        env_value(buf, len, "SLURM_STEPID", step, sizeof(step)))
        if (all_of((seg_t){step, strlen(step)}, DIGITS "abcdefghijklmnopqrstuvwxyz_."))
            strcpy(out->slurm_step, step);
    env_value(buf, len, "SLURM_JOB_USER", out->slurm_user, sizeof(out->slurm_user));
    out->kind = HOST_WL_SLURM;
    out->from_environ = true;
    return 0;
}

int host_parse_status_nspid(const char *buf, size_t len, uint32_t *ids, size_t cap, size_t *count)
{
    *count = 0;
    if (!buf) return -1;
    host_scan_t s = host_scan_make(buf, len), line;
    while (host_scan_line(&s, &line)) {
        const char *tok;
        size_t n;
        if (!host_scan_token(&line, &tok, &n) || !host_token_is(tok, n, "NSpid:")) continue;
        uint64_t v;
        while (host_scan_token(&line, &tok, &n)) {
            if (!host_parse_u64_token(tok, n, &v) || v > UINT32_MAX || *count >= cap) return -1;
            ids[(*count)++] = (uint32_t)v;
        }
        return *count ? 0 : -1;
    }
    return -1;
}
