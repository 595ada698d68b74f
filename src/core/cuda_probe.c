/* SPDX-License-Identifier: Apache-2.0 */
/* Runs nvitop-cuda-probe as a short-lived child and reads its answer. posix_spawn (no fork
 * of a possibly multi-threaded caller, nothing but exec in the child), its output on a
 * close-on-exec pipe, a deadline on the whole exchange, and the child killed and reaped when
 * it passes: the caller never initialises CUDA and never hangs on a stuck driver. */
#include "core/cuda_internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"

#define PROBE_OUTPUT_MAX (1 << 20)
#define REAP_GRACE_NS (1000ULL * 1000 * 1000)

/* ---- the answer ---- */

/* The next line of [*p, end) into line (NUL-terminated, cut to len); false at the end. */
static bool next_line(const char **p, const char *end, char *line, size_t len)
{
    if (*p >= end) return false;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    if (!nl) return false; /* an unterminated line is an answer cut short */
    size_t n = (size_t)(nl - *p);
    if (n >= len) n = len - 1;
    memcpy(line, *p, n);
    line[n] = '\0';
    *p = nl + 1;
    return true;
}

static bool is_uuid(const char *s)
{
    for (int i = 0; i < CUDA_UUID_LEN; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    }
    return s[CUDA_UUID_LEN] == '\0';
}

/* CUDA_ERROR_NO_DEVICE, _INVALID_DEVICE, _SYSTEM_DRIVER_MISMATCH,
 * _COMPAT_NOT_SUPPORTED_ON_DEVICE from cuInit: nvitop takes them as "no device visible". */
static bool means_no_device(int code)
{
    return code == 100 || code == 101 || code == 803 || code == 804;
}

static bool parse_error(const char *line, cuda_probe_result_t *out)
{
    char function[64], name[128];
    int code;
    if (strncmp(line, "error library ", 14) == 0) {
        out->status = PROBE_NO_LIBRARY;
        snprintf(out->message, sizeof(out->message), "the CUDA driver library: %s", line + 14);
        return true;
    }
    if (sscanf(line, "error cuda %63s %d %127s", function, &code, name) != 3) return false;
    out->cuda_error = code;
    out->status = strcmp(function, "cuInit") == 0 && means_no_device(code) ? PROBE_NO_DEVICE
                                                                           : PROBE_CUDA_ERROR;
    snprintf(out->message, sizeof(out->message), "%s: %s (%d)", function, name, code);
    return true;
}

static bool parse_devices(const char **p, const char *end, cuda_probe_result_t *out)
{
    char line[256], uuid[64], bus[64];
    unsigned long count;
    int ordinal;
    char extra;
    if (!next_line(p, end, line, sizeof(line))) return false;
    if (parse_error(line, out)) return true;
    if (sscanf(line, "count %lu%c", &count, &extra) != 1 || count > 65536) return false;
    out->uuids = calloc(count + 1, sizeof(*out->uuids));
    if (!out->uuids) return false;
    for (size_t i = 0; i < count; i++) {
        if (!next_line(p, end, line, sizeof(line)) ||
            sscanf(line, "device %d %63s %63s", &ordinal, uuid, bus) != 3 || ordinal != (int)i ||
            !is_uuid(uuid))
            return false;
        memcpy(out->uuids[i], uuid, CUDA_UUID_LEN + 1);
    }
    out->count = count;
    if (!next_line(p, end, line, sizeof(line)) || strcmp(line, "ok") != 0) return false;
    out->status = PROBE_OK;
    snprintf(out->message, sizeof(out->message), "the CUDA driver lists %zu device%s", out->count,
             out->count == 1 ? "" : "s");
    return true;
}

bool cuda_probe_parse(const char *text, size_t len, cuda_probe_result_t *out)
{
    memset(out, 0, sizeof(*out));
    out->driver_version = -1;
    const char *p = text, *end = text + len;
    char line[600];
    bool ok = next_line(&p, end, line, sizeof(line)) && strcmp(line, CUDA_PROBE_NAME " 1") == 0 &&
              next_line(&p, end, line, sizeof(line)) &&
              sscanf(line, "driver %d", &out->driver_version) == 1 && parse_devices(&p, end, out);
    if (!ok) {
        cuda_probe_result_fini(out);
        out->status = PROBE_FAILED;
        snprintf(out->message, sizeof(out->message), "%s gave an answer that makes no sense",
                 CUDA_PROBE_NAME);
    }
    return ok;
}

void cuda_probe_result_fini(cuda_probe_result_t *r)
{
    free(r->uuids);
    r->uuids = NULL;
    r->count = 0;
}

/* ---- the child ---- */

static int spawn_probe(const char *helper, char *const argv[], int out_fd, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    if (posix_spawn_file_actions_init(&fa) != 0) return ENOMEM;
    if (posix_spawnattr_init(&attr) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return ENOMEM;
    }
    /* stdout: the pipe (dup2 clears its close-on-exec); stdin and stderr: /dev/null. */
    posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    /* A clean signal state whatever the calling thread blocks or ignores. */
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGCHLD);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    int rc = posix_spawn(pid, helper, &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

/* True once the text holds a whole answer: its last line is "ok" or an "error ..." line. */
static bool answer_complete(const strbuf_t *sb)
{
    if (!sb->len || sb->data[sb->len - 1] != '\n') return false;
    size_t start = sb->len - 1;
    while (start > 0 && sb->data[start - 1] != '\n')
        start--;
    const char *last = sb->data + start;
    return strncmp(last, "ok\n", 3) == 0 || strncmp(last, "error ", 6) == 0;
}

/* Reads until a whole answer, EOF or the deadline. Returns false on timeout. */
static bool read_answer(int fd, uint64_t deadline, strbuf_t *sb)
{
    char buf[4096];
    for (;;) {
        uint64_t now = clock_monotonic_ns();
        if (now >= deadline) return false;
        uint64_t left_ms = (deadline - now + 999999) / 1000000;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int ready = poll(&pfd, 1, left_ms > INT_MAX ? INT_MAX : (int)left_ms);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) return true; /* nothing more to read; the parse says what we got */
        if (ready == 0) continue;   /* the deadline check above ends the wait */
        ssize_t got = read(fd, buf, sizeof(buf));
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got <= 0) return true;
        if (sb->len + (size_t)got > PROBE_OUTPUT_MAX || strbuf_append(sb, buf, (size_t)got) < 0)
            return true;
        if (answer_complete(sb)) return true;
    }
}

/* Reaps the child: waits for it until `until`, then kills it and waits a grace period more. A
 * child stuck in the kernel is left behind rather than blocking the caller. */
static void reap(pid_t pid, uint64_t until)
{
    bool killed = false;
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR)) return; /* ECHILD: reaped elsewhere */
        if (clock_monotonic_ns() >= until) {
            if (killed) return;
            kill(pid, SIGKILL);
            killed = true;
            until = clock_monotonic_ns() + REAP_GRACE_NS;
        }
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
}

void cuda_probe_run(const char *helper, const char *library, const char *value, double timeout_s,
                    cuda_probe_result_t *out)
{
    memset(out, 0, sizeof(*out));
    out->status = PROBE_FAILED;
    out->driver_version = -1;
    char *argv[8];
    int argc = 0;
    argv[argc++] = (char *)CUDA_PROBE_NAME;
    if (library && *library) {
        argv[argc++] = (char *)"--library";
        argv[argc++] = (char *)library;
    }
    if (value) {
        argv[argc++] = (char *)"--visible";
        argv[argc++] = (char *)value;
    } else {
        argv[argc++] = (char *)"--unset-visible";
    }
    argv[argc] = NULL;

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(out->message, sizeof(out->message), "cannot create a pipe: %s", strerror(errno));
        return;
    }
    pid_t pid;
    int rc = spawn_probe(helper, argv, fds[1], &pid);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        snprintf(out->message, sizeof(out->message), "cannot run %s: %s", helper, strerror(rc));
        return;
    }
    if (!(timeout_s > 0)) timeout_s = CUDA_DEFAULT_TIMEOUT_S;
    if (timeout_s > 86400) timeout_s = 86400;
    uint64_t deadline = clock_monotonic_ns() + (uint64_t)(timeout_s * 1e9);
    strbuf_t sb = {0};
    bool in_time = read_answer(fds[0], deadline, &sb);
    close(fds[0]);
    /* Our helper leaves as soon as it has answered; one that lingers is not waited for. */
    uint64_t now = clock_monotonic_ns();
    reap(pid, in_time && deadline - now > REAP_GRACE_NS ? now + REAP_GRACE_NS : now);
    if (!in_time) {
        out->status = PROBE_TIMEOUT;
        snprintf(out->message, sizeof(out->message),
                 "the CUDA driver did not answer within %g s (%s was stopped)", timeout_s,
                 CUDA_PROBE_NAME);
    } else {
        cuda_probe_parse(sb.data ? sb.data : "", sb.len, out);
    }
    strbuf_fini(&sb);
}

/* ---- finding the helper ---- */

#ifndef NVITOP_LIBEXEC_DIR
#define NVITOP_LIBEXEC_DIR "/usr/local/libexec/nvitop"
#endif
#ifndef NVITOP_BIN_TO_LIBEXEC
#define NVITOP_BIN_TO_LIBEXEC "../libexec/nvitop"
#endif
#ifndef NVITOP_LIB_TO_LIBEXEC
#define NVITOP_LIB_TO_LIBEXEC "../libexec/nvitop"
#endif

static bool try_path(char *buf, size_t len, const char *dir, const char *rel)
{
    int n = rel ? snprintf(buf, len, "%s/%s/%s", dir, rel, CUDA_PROBE_NAME)
                : snprintf(buf, len, "%s/%s", dir, CUDA_PROBE_NAME);
    return n > 0 && (size_t)n < len && access(buf, X_OK) == 0;
}

/* The helper beside an object (program or shared library) at path, or in the libexec
 * directory installed relative to it. */
static bool try_beside(char *buf, size_t len, const char *path)
{
    char dir[PATH_MAX];
    if (!path || path[0] != '/' || !str_copy(dir, sizeof(dir), path)) return false;
    char *slash = strrchr(dir, '/');
    if (!slash) return false;
    *slash = '\0';
    if (!*dir) str_copy(dir, sizeof(dir), "/");
    return try_path(buf, len, dir, NULL) || try_path(buf, len, dir, NVITOP_BIN_TO_LIBEXEC) ||
           try_path(buf, len, dir, NVITOP_LIB_TO_LIBEXEC);
}

bool cuda_probe_find(const char *explicit_path, char *buf, size_t len)
{
    const char *env = getenv("NVITOP_CUDA_PROBE");
    const char *chosen = explicit_path && *explicit_path ? explicit_path : env && *env ? env : NULL;
    if (chosen) {
        str_copy(buf, len, chosen);
        return access(buf, X_OK) == 0;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        if (try_beside(buf, len, exe)) return true;
    }
    static const char anchor = 0; /* an address inside this program or libnvitop.so */
    Dl_info info;
    if (dladdr(&anchor, &info) && try_beside(buf, len, info.dli_fname)) return true;
    return try_path(buf, len, NVITOP_LIBEXEC_DIR, NULL);
}
