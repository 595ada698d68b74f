/* SPDX-License-Identifier: Apache-2.0 */
/* The simulator's global state (NVML's API has no context, so there is one): the loaded
 * scenario, init reference count, stable device handles, call counters; the call protocol
 * (lock, re-read, handle check, injected error, latency) and NVML_SIM_CALLS output. */
#include "sim_api.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Distinct devices (GPUs and MIG devices, by identity) one process may ever see. */
#define SIM_MAX_SLOTS 4096
#define SIM_RECHECK_NS 100000000LL /* re-read check at most every 100 ms */
#define SIM_ERRLEN 1024

static struct sim_state {
    pthread_mutex_t lock;
    int refcount;
    bool have_t0;
    long long t0_ns; /* CLOCK_MONOTONIC of the first successful nvmlInit */
    bool have_epoch;
    double epoch_s; /* NVML_SIM_EPOCH: a time origin shared by several processes */
    char *path;
    struct sim_scenario *sc;
    struct stat sig;     /* the file version sc was read from */
    struct stat bad_sig; /* a version that failed to parse: not retried */
    bool have_bad, stat_warned;
    long long last_check_ns;
    size_t n_slots;
    struct sim_slot slots[SIM_MAX_SLOTS];
    _Atomic unsigned long long calls[SIM_FN_COUNT];
} S = {.lock = PTHREAD_MUTEX_INITIALIZER};

static long long mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

unsigned long long sim_realtime_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000U;
}

static double now_t(void)
{
    if (S.have_epoch) {
        double t = (double)sim_realtime_us() / 1e6 - S.epoch_s;
        return t > 0.0 ? t : 0.0;
    }
    return S.have_t0 ? (double)(mono_ns() - S.t0_ns) / 1e9 : 0.0;
}

/* NVML_SIM_EPOCH=<Unix seconds>: seq values step from that moment, not from nvmlInit, so
 * processes started one after the other (a demo, a test with several programs) agree. */
static bool read_epoch(char *err, size_t len)
{
    const char *env = getenv("NVML_SIM_EPOCH");
    S.have_epoch = false;
    if (!env || !*env) return true;
    char *end;
    double v = strtod(env, &end);
    if (*end || !(v >= 0) || v > 1e11) {
        snprintf(err, len, "nvml-sim: NVML_SIM_EPOCH: expected Unix time in seconds, got '%s'",
                 env);
        return false;
    }
    S.have_epoch = true;
    S.epoch_s = v;
    return true;
}

/* Waits until deadline_ns: sleeps while far from it, then spins, so that both 10 ms and 1 us
 * latencies are honoured within a few microseconds. */
static void wait_until(long long deadline_ns)
{
    for (long long left; (left = deadline_ns - mono_ns()) > 0;) {
        if (left > 200000) {
            left -= 100000; /* wake early: a sleep overshoots by up to a scheduler tick */
            struct timespec ts = {left / 1000000000LL, left % 1000000000LL};
            nanosleep(&ts, NULL);
        }
    }
}

static struct sim_slot *slot_find_or_add(const char *key)
{
    for (size_t i = 0; i < S.n_slots; i++)
        if (strcmp(S.slots[i].key, key) == 0) return &S.slots[i];
    if (S.n_slots == SIM_MAX_SLOTS) return NULL;
    char *copy = strdup(key);
    if (!copy) return NULL;
    S.slots[S.n_slots].key = copy;
    S.slots[S.n_slots].dev = NULL;
    return &S.slots[S.n_slots++];
}

nvmlDevice_t sim_handle(const struct sim_dev *dev)
{
    return (nvmlDevice_t)(void *)dev->slot;
}

static struct sim_slot *slot_of(nvmlDevice_t handle)
{
    uintptr_t p = (uintptr_t)(void *)handle, base = (uintptr_t)S.slots;
    if (p < base || p >= base + S.n_slots * sizeof(struct sim_slot)) return NULL;
    if ((p - base) % sizeof(struct sim_slot) != 0) return NULL;
    return &S.slots[(p - base) / sizeof(struct sim_slot)];
}

/* NVLink counters keep counting from where the previous scenario left them. */
static void carry_nvlink(struct sim_dev *d, const struct sim_dev *old, double t)
{
    d->nvlink_t_base = t;
    if (!old || !old->has_nvlink) return;
    for (size_t i = 0; i < d->n_links && i < old->n_links; i++) {
        const struct sim_link *o = &old->links[i];
        if (o->tx.kind != SIM_NUM_NONE)
            d->links[i].base_tx = o->base_tx + sim_num_integral(&o->tx, t) -
                                  sim_num_integral(&o->tx, old->nvlink_t_base);
        if (o->rx.kind != SIM_NUM_NONE)
            d->links[i].base_rx = o->base_rx + sim_num_integral(&o->rx, t) -
                                  sim_num_integral(&o->rx, old->nvlink_t_base);
    }
}

static bool bind_dev(struct sim_dev *d, double t)
{
    d->slot = slot_find_or_add(d->key);
    if (!d->slot) return false;
    carry_nvlink(d, d->slot->dev, t);
    return true;
}

/* Points every handle at its device in sc (or at nothing: GPU_IS_LOST) and makes sc current. */
static bool install(struct sim_scenario *sc, double t, char *err, size_t errlen)
{
    for (size_t i = 0; i < sc->n_devs; i++) {
        struct sim_dev *d = &sc->devs[i];
        bool ok = bind_dev(d, t);
        for (size_t m = 0; ok && m < d->n_mig; m++)
            ok = bind_dev(&d->mig[m], t);
        if (!ok) {
            snprintf(err, errlen, "nvml-sim: %s: more than %d distinct devices", S.path,
                     SIM_MAX_SLOTS);
            return false;
        }
    }
    for (size_t i = 0; i < S.n_slots; i++)
        S.slots[i].dev = NULL;
    for (size_t i = 0; i < sc->n_devs; i++) {
        struct sim_dev *d = &sc->devs[i];
        d->slot->dev = d;
        for (size_t m = 0; m < d->n_mig; m++)
            d->mig[m].slot->dev = &d->mig[m];
    }
    sim_scenario_free(S.sc);
    S.sc = sc;
    return true;
}

static bool same_version(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void maybe_reload(void)
{
    long long now = mono_ns();
    if (now - S.last_check_ns < SIM_RECHECK_NS) return;
    S.last_check_ns = now;
    struct stat st;
    if (stat(S.path, &st) != 0) {
        if (!S.stat_warned)
            fprintf(stderr, "nvml-sim: %s: %s; keeping the previous scenario\n", S.path,
                    strerror(errno));
        S.stat_warned = true;
        return;
    }
    S.stat_warned = false;
    if (same_version(&st, &S.sig) || (S.have_bad && same_version(&st, &S.bad_sig))) return;
    char err[SIM_ERRLEN];
    struct stat read_st;
    struct sim_scenario *sc = sim_scenario_load(S.path, &read_st, err, sizeof err);
    if (sc && install(sc, now_t(), err, sizeof err)) {
        S.sig = read_st;
        S.have_bad = false;
        return;
    }
    sim_scenario_free(sc);
    fprintf(stderr, "%s; keeping the previous scenario\n", err);
    S.bad_sig = st;
    S.have_bad = true;
}

static void write_calls(void)
{
    const char *path = getenv("NVML_SIM_CALLS");
    if (!path || !*path) return;
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) return;
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "nvml-sim: %s: %s\n", tmp, strerror(errno));
        return;
    }
    const char *sep = "\n";
    fputc('{', f);
    for (int fn = 0; fn < SIM_FN_COUNT; fn++) {
        unsigned long long n = atomic_load_explicit(&S.calls[fn], memory_order_relaxed);
        if (n == 0) continue;
        fprintf(f, "%s  \"%s\": %llu", sep, sim_fn_table[fn].name, n);
        sep = ",\n";
    }
    fputs("\n}\n", f);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "nvml-sim: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
    }
}

static void lock_for(struct sim_call *c, enum sim_fn fn)
{
    memset(c, 0, sizeof *c);
    c->fn = fn;
    c->start_ns = mono_ns();
    atomic_fetch_add_explicit(&S.calls[fn], 1, memory_order_relaxed);
    pthread_mutex_lock(&S.lock);
    c->locked = true;
}

static void take_latency(struct sim_call *c)
{
    c->sc = S.sc;
    c->t = now_t();
    if (S.sc && S.sc->latency_us[c->fn].kind != SIM_NUM_NONE)
        c->wait_us = sim_num_at(&S.sc->latency_us[c->fn], c->t);
}

nvmlReturn_t sim_begin(struct sim_call *c, enum sim_fn fn)
{
    lock_for(c, fn);
    if (S.refcount == 0) return NVML_ERROR_UNINITIALIZED;
    maybe_reload();
    take_latency(c);
    return NVML_SUCCESS;
}

nvmlReturn_t sim_injected(const struct sim_dev *dev, enum sim_fn fn)
{
    nvmlReturn_t r = dev->errors[fn];
    if (r == NVML_SUCCESS && dev->is_mig && sim_fn_table[fn].kind == SIM_KIND_DEV)
        r = dev->parent->star_error;
    return r;
}

nvmlReturn_t sim_begin_dev(struct sim_call *c, enum sim_fn fn, nvmlDevice_t device)
{
    nvmlReturn_t r = sim_begin(c, fn);
    if (r != NVML_SUCCESS) return r;
    struct sim_slot *slot = slot_of(device);
    if (!slot) return NVML_ERROR_INVALID_ARGUMENT;
    if (!slot->dev) return NVML_ERROR_GPU_IS_LOST;
    c->dev = slot->dev;
    return sim_injected(c->dev, fn);
}

nvmlReturn_t sim_begin_out(struct sim_call *c, enum sim_fn fn, nvmlDevice_t device, const void *out)
{
    nvmlReturn_t r = sim_begin_dev(c, fn, device);
    if (r == NVML_SUCCESS && !out) r = NVML_ERROR_INVALID_ARGUMENT;
    return r;
}

nvmlReturn_t sim_end(struct sim_call *c, nvmlReturn_t r)
{
    if (c->locked) pthread_mutex_unlock(&S.lock);
    c->locked = false;
    /* A latency is the call's whole duration: the simulator's own work (reading a scenario in
     * nvmlInit, say) is part of it, as the driver's own work is part of a real call. */
    if (c->wait_us > 0) wait_until(c->start_ns + c->wait_us * 1000LL);
    return r;
}

static nvmlReturn_t first_init(struct sim_call *c)
{
    const char *path = getenv("NVML_SIM_SCENARIO");
    if (!path || !*path) return NVML_ERROR_DRIVER_NOT_LOADED;
    char err[SIM_ERRLEN];
    struct stat st;
    struct sim_scenario *sc = sim_scenario_load(path, &st, err, sizeof err);
    if (!sc) {
        fprintf(stderr, "%s\n", err);
        return NVML_ERROR_UNKNOWN;
    }
    if (sc->init_error != NVML_SUCCESS) {
        nvmlReturn_t r = sc->init_error;
        if (sc->latency_us[c->fn].kind != SIM_NUM_NONE)
            c->wait_us = sim_num_at(&sc->latency_us[c->fn], 0.0);
        sim_scenario_free(sc);
        return r;
    }
    char *copy = strdup(path);
    if (!copy) {
        sim_scenario_free(sc);
        return NVML_ERROR_MEMORY;
    }
    free(S.path);
    S.path = copy;
    if (!S.have_t0) {
        S.t0_ns = mono_ns();
        S.have_t0 = true;
    }
    if (!read_epoch(err, sizeof err) || !install(sc, now_t(), err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        sim_scenario_free(sc);
        return NVML_ERROR_UNKNOWN;
    }
    S.sig = st;
    S.have_bad = S.stat_warned = false;
    S.last_check_ns = mono_ns();
    S.refcount = 1;
    take_latency(c);
    return NVML_SUCCESS;
}

/* nvmlInit*: reference counted like NVML; the first one reads the scenario. */
nvmlReturn_t sim_state_init(enum sim_fn fn)
{
    struct sim_call c;
    lock_for(&c, fn);
    if (S.refcount > 0) {
        S.refcount++;
        maybe_reload();
        take_latency(&c);
        return sim_end(&c, NVML_SUCCESS);
    }
    return sim_end(&c, first_init(&c));
}

/* Unloads everything when the last reference goes: handles then answer as lost if used after a
 * later nvmlInit reads a scenario without their device. */
static void unload(void)
{
    for (size_t i = 0; i < S.n_slots; i++)
        S.slots[i].dev = NULL;
    sim_scenario_free(S.sc);
    S.sc = NULL;
    free(S.path);
    S.path = NULL;
}

nvmlReturn_t sim_state_shutdown(void)
{
    struct sim_call c;
    lock_for(&c, SIM_FN_nvmlShutdown);
    if (S.refcount == 0) return sim_end(&c, NVML_ERROR_UNINITIALIZED);
    take_latency(&c);
    if (--S.refcount == 0) {
        unload();
        write_calls();
    }
    return sim_end(&c, NVML_SUCCESS);
}

/* Counts a call that needs no state (nvmlErrorString). */
void sim_count(enum sim_fn fn)
{
    atomic_fetch_add_explicit(&S.calls[fn], 1, memory_order_relaxed);
}

__attribute__((destructor)) static void sim_at_exit(void)
{
    pthread_mutex_lock(&S.lock);
    write_calls();
    if (S.refcount == 0) {
        for (size_t i = 0; i < S.n_slots; i++)
            free(S.slots[i].key);
        S.n_slots = 0;
    }
    pthread_mutex_unlock(&S.lock);
}
