/* SPDX-License-Identifier: Apache-2.0 */
/* A recording from start to end: load the library, initialise NVML (a failure is recorded as
 * the scenario's init_error), take the samples on a fixed time grid, write the file. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "record/record_internal.h"

/* Sample k is taken this long after the grid point k * step: far from both ends of a step,
 * so that a replay started at the same moment sees the same element of every sequence, and
 * late enough for NVLink counters to move since the baseline. */
#define SAMPLE_OFFSET_S 0.1

unsigned record_sample_count(double duration_s, double step_s)
{
    if (!(duration_s > 0)) return 1;
    double n = ceil(duration_s / step_s - 1e-9);
    return n < 1 ? 1 : n > 1e9 ? 1000000000U : (unsigned)n;
}

#define STOP_CHECK_NS 100000000U /* a sleeping sampler looks at the stop flag this often */

/* Set by SIGINT / SIGTERM: the recording ends after the samples taken so far (a signal
 * handler can only reach a global). */
static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* Sleeps until deadline_ns; false when a stop was asked for meanwhile. */
static bool sleep_until(uint64_t deadline_ns)
{
    for (;;) {
        if (stop_requested) return false;
        uint64_t now = clock_monotonic_ns();
        if (now >= deadline_ns) return true;
        uint64_t left = deadline_ns - now;
        if (left > STOP_CHECK_NS) left = STOP_CHECK_NS;
        struct timespec ts = {0, (long)left};
        nanosleep(&ts, NULL);
    }
}

/* Ctrl-C ends the recording early and still writes it: catch the two stop signals meanwhile. */
static void catch_stop_signals(bool on, struct sigaction old[2])
{
    static const int sigs[2] = {SIGINT, SIGTERM};
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 2; i++) {
        if (on)
            sigaction(sigs[i], &sa, &old[i]);
        else
            sigaction(sigs[i], &old[i], NULL);
    }
}

static void ask_system(rec_t *r)
{
    uint64_t began = rec_timed_begin();
    r->driver_rc = rec_timed_end(r, &r->latency, NVML_FN_SYSTEM_DRIVER_VERSION, began,
                                 nvml_system_string(&r->lib, NVML_FN_SYSTEM_DRIVER_VERSION,
                                                    r->driver_version, REC_TEXT_LEN));
    began = rec_timed_begin();
    r->nvml_rc = rec_timed_end(
        r, &r->latency, NVML_FN_SYSTEM_NVML_VERSION, began,
        nvml_system_string(&r->lib, NVML_FN_SYSTEM_NVML_VERSION, r->nvml_version, REC_TEXT_LEN));
    began = rec_timed_begin();
    r->cuda_rc = rec_timed_end(r, &r->latency, NVML_FN_SYSTEM_CUDA_DRIVER_VERSION, began,
                               nvml_system_cuda_driver_version(&r->lib, &r->cuda_version));
}

/* The devices and their handles; 0 or -1 when out of memory. */
static int take_devices(rec_t *r)
{
    unsigned count = 0;
    uint64_t began = rec_timed_begin();
    if (rec_timed_end(r, &r->latency, NVML_FN_DEVICE_COUNT, began,
                      nvml_device_count(&r->lib, &count)) != NVML_SUCCESS)
        count = 0;
    r->devs = calloc(count ? count : 1, sizeof(*r->devs));
    if (!r->devs) return -1;
    r->dev_count = count;
    for (unsigned i = 0; i < count; i++) {
        rec_dev_t *d = &r->devs[i];
        d->cells = calloc((size_t)r->samples * rec_probe_count, sizeof(*d->cells));
        d->procs = calloc(r->samples, sizeof(*d->procs));
        d->latency = calloc(1, sizeof(*d->latency));
        if (!d->cells || !d->procs || !d->latency) return -1;
        began = rec_timed_begin();
        d->handle_rc = rec_timed_end(r, &r->latency, NVML_FN_HANDLE_BY_INDEX, began,
                                     nvml_handle_by_index(&r->lib, i, &d->handle));
    }
    return 0;
}

typedef struct gpu_job {
    const rec_t *r;
    rec_dev_t *dev;
    uint64_t t0;
    unsigned taken; /* samples taken: fewer than asked after a stop */
} gpu_job_t;

/* All samples of one GPU, on the common time grid. */
static void *record_gpu(void *arg)
{
    gpu_job_t *job = arg;
    const rec_t *r = job->r;
    rec_dev_t *d = job->dev;
    rec_sample_nvlink(r, d, -1);
    for (unsigned k = 0; k < r->samples; k++) {
        uint64_t at = job->t0 + (uint64_t)(((double)k * r->step_s + SAMPLE_OFFSET_S) * 1e9);
        if (!sleep_until(at) && k > 0) break; /* stopped: the first sample is always taken */
        job->taken = k + 1;
        rec_sample_values(r, d, k);
        rec_sample_procs(r, d, NULL, k);
        rec_sample_nvlink(r, d, (int)k);
        rec_sample_mig(r, d, k);
    }
    return NULL;
}

/* One thread per GPU, as a slow call (PCIe throughput: 20 ms on an H100) on 64 GPUs one after
 * the other would spread a sample over seconds. A thread that cannot start: the GPU is done
 * here, after the others. */
static void record_samples(rec_t *r, uint64_t t0)
{
    unsigned taken = r->samples;
    gpu_job_t *jobs = calloc(r->dev_count ? r->dev_count : 1, sizeof(*jobs));
    pthread_t *threads = calloc(r->dev_count ? r->dev_count : 1, sizeof(*threads));
    bool *started = calloc(r->dev_count ? r->dev_count : 1, sizeof(*started));
    for (unsigned i = 0; i < r->dev_count; i++) {
        if (r->devs[i].handle_rc != NVML_SUCCESS) continue;
        gpu_job_t alone = {r, &r->devs[i], t0, 0};
        if (!jobs || !threads || !started) {
            record_gpu(&alone);
            taken = alone.taken < taken ? alone.taken : taken;
            continue;
        }
        jobs[i] = alone;
        started[i] = pthread_create(&threads[i], NULL, record_gpu, &jobs[i]) == 0;
        if (!started[i]) record_gpu(&jobs[i]);
    }
    for (unsigned i = 0; started && i < r->dev_count; i++)
        if (started[i]) pthread_join(threads[i], NULL);
    for (unsigned i = 0; jobs && i < r->dev_count; i++)
        if (jobs[i].dev && jobs[i].taken < taken) taken = jobs[i].taken;
    r->samples = taken; /* every GPU has at least these; the writer takes no more */
    free(started);
    free(threads);
    free(jobs);
}

/* Writes text into path through a temporary file renamed over it. */
static int write_file(const char *path, const strbuf_t *text, strbuf_t *msg)
{
    strbuf_t tmp = {0};
    strbuf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = strbuf_error(&tmp) ? NULL : fopen(strbuf_str(&tmp), "w");
    int err = f ? 0 : errno;
    if (f) {
        if (fwrite(text->data, 1, text->len, f) != text->len) err = errno ? errno : EIO;
        if (fclose(f) != 0 && !err) err = errno;
        if (!err && rename(strbuf_str(&tmp), path) != 0) err = errno;
        if (err) unlink(strbuf_str(&tmp));
    }
    strbuf_fini(&tmp);
    if (!err) return 0;
    strbuf_printf(msg, "cannot write the scenario %s: %s", path, strerror(err));
    return -1;
}

/* Can path be written? Checked before the recording, so a long one is not lost at the end. */
static int check_writable(const char *path, strbuf_t *msg)
{
    bool existed = access(path, F_OK) == 0;
    FILE *f = fopen(path, "a");
    if (!f) {
        strbuf_printf(msg, "cannot write the scenario %s: %s", path, strerror(errno));
        return -1;
    }
    fclose(f);
    if (!existed) unlink(path);
    return 0;
}

static void rec_fini(rec_t *r)
{
    for (unsigned i = 0; i < r->dev_count; i++)
        rec_dev_fini(&r->devs[i], r->samples_asked);
    free(r->devs);
    r->devs = NULL;
    free(r->cuda_order);
    r->cuda_order = NULL;
}

static int record_into(rec_t *r, const record_options_t *o, strbuf_t *msg)
{
    uint64_t began = rec_timed_begin();
    r->init_rc = rec_timed_end(r, &r->latency, NVML_FN_INIT, began, nvml_init(&r->lib));
    uint64_t t0 = clock_monotonic_ns();
    if (r->init_rc == NVML_SUCCESS) {
        ask_system(r);
        if (take_devices(r) < 0) {
            strbuf_puts(msg, "out of memory");
            return RECORD_FAILED;
        }
        struct sigaction old[2];
        stop_requested = 0;
        catch_stop_signals(true, old);
        record_samples(r, t0);
        catch_stop_signals(false, old);
        rec_ask_cuda_order(r);
        nvml_shutdown(&r->lib);
    }
    strbuf_t text = {0};
    rec_write(r, &text);
    int rc = strbuf_error(&text) ? (strbuf_puts(msg, "out of memory"), -1)
                                 : write_file(o->path, &text, msg);
    strbuf_fini(&text);
    if (rc < 0) return RECORD_FAILED;
    if (r->init_rc == NVML_SUCCESS) return RECORD_OK;
    strbuf_printf(msg, "nvmlInit failed: %s (recorded as the scenario's init_error in %s)",
                  nvml_error_string(&r->lib, r->init_rc), o->path);
    return RECORD_INIT_FAILED;
}

int record_scenario(const record_options_t *o, strbuf_t *msg)
{
    rec_t *r = calloc(1, sizeof(*r));
    if (!r) return strbuf_puts(msg, "out of memory"), RECORD_FAILED;
    r->step_s = o->step_s;
    r->samples = r->samples_asked = record_sample_count(o->duration_s, o->step_s);
    int rc = RECORD_FAILED;
    if (r->samples > RECORD_MAX_SAMPLES) {
        strbuf_printf(msg, "--duration %g with samples %g s apart takes %u samples (at most %d)",
                      o->duration_s, o->step_s, r->samples, RECORD_MAX_SAMPLES);
    } else if (check_writable(o->path, msg) == 0 &&
               nvml_lib_open(&r->lib, o->library, msg) == NVITOP_OK) {
        rc = record_into(r, o, msg);
        rec_fini(r);
        nvml_lib_close(&r->lib);
    }
    free(r);
    return rc;
}
