/* SPDX-License-Identifier: Apache-2.0 */
/* The sampler's work for the monitor's other screens (sampler.h): the process tree while the
 * tree view shows, the watched process of the metrics screen every 0.5 s with its four
 * graphs, and environments on request. As for the snapshots, the thread reads without the lock
 * and publishes under it; readers hold references. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "core/proc_tree.h"
#include "core/sampler_internal.h"

/* Each box starts with what readers get, so a reader's pointer leads back to its box. */
struct tree_box {
    ptree_t tree;
    unsigned refs;
};

struct watched_box {
    sampler_watched_t w;
    arena_t arena;
    unsigned refs;
};

static void tree_unref(tree_box_t *b)
{
    if (b && --b->refs == 0) {
        arena_fini(&b->tree.arena);
        free(b);
    }
}

static void watched_unref(watched_box_t *b)
{
    if (b && --b->refs == 0) {
        arena_fini(&b->arena);
        free(b);
    }
}

/* ---- the tree ---- */

void sampler_set_tree(sampler_t *s, bool on)
{
    pthread_mutex_lock(&s->lock);
    s->tree_on = on;
    if (on) {
        s->requested |= SAMPLER_TREE;
        sampler_kick(s);
    } else { /* the next showing starts from a fresh tree */
        tree_unref(s->tree);
        s->tree = NULL;
    }
    pthread_mutex_unlock(&s->lock);
}

void sampler_task_tree(sampler_t *s)
{
    pthread_mutex_lock(&s->lock);
    shared_t *procs = s->tree_on ? s->latest[KIND_PROCESSES] : NULL;
    if (procs) procs->refs++;
    pthread_mutex_unlock(&s->lock);
    if (!procs) return;
    ptree_t *tree = NULL;
    tree_box_t *box = NULL;
    if (ptree_take(s->cfg.ctx, procs->snap, proc_filter_keep, s->cfg.filter, &tree) == 0) {
        if ((box = malloc(sizeof(*box))) != NULL) {
            box->tree = *tree; /* the nodes live in the arena's chunks, not in *tree */
            box->refs = 1;
            free(tree);
        } else {
            ptree_free(tree);
        }
    }
    bool published = false;
    pthread_mutex_lock(&s->lock);
    shared_unref(procs);
    if (box && s->tree_on) {
        tree_unref(s->tree);
        s->tree = box;
        s->tree_seq++;
        s->stats.trees++;
        published = true;
    } else if (!box) {
        s->stats.failures++;
    }
    pthread_mutex_unlock(&s->lock);
    if (published)
        sampler_wake_reader(s);
    else if (box)
        tree_unref(box);
}

const ptree_t *sampler_tree_acquire(sampler_t *s, uint64_t *seq)
{
    const ptree_t *tree = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->tree) {
        s->tree->refs++;
        tree = &s->tree->tree;
    }
    *seq = s->tree_seq;
    pthread_mutex_unlock(&s->lock);
    return tree;
}

void sampler_tree_release(sampler_t *s, const ptree_t *tree)
{
    if (!tree) return;
    pthread_mutex_lock(&s->lock);
    tree_unref((tree_box_t *)(void *)tree);
    pthread_mutex_unlock(&s->lock);
}

/* ---- the watched process ---- */

void sampler_watch(sampler_t *s, const sampler_target_t *target)
{
    uint64_t now = clock_monotonic_ns();
    pthread_mutex_lock(&s->lock);
    s->watch_gen++;
    s->watching = target != NULL;
    s->watch_ended = s->watch_seen = false;
    if (target) s->target = *target;
    watched_unref(s->watched);
    s->watched = NULL;
    for (int i = 0; i < PROC__COUNT; i++) {
        history_fini(&s->proc_hist[i]);
        history_init(&s->proc_hist[i], now, NS_PER_SEC);
    }
    if (target) {
        s->requested |= SAMPLER_WATCH;
        sampler_kick(s);
    }
    pthread_mutex_unlock(&s->lock);
}

/* The driver's figures of the target: its entry in the process list of its device. */
static void gpu_figures(sampler_t *s, const sampler_target_t *t, nvitop_gpu_process_t *out)
{
    nvitop_na_t na = NVITOP_NA_NO_SUCH_PROCESS; /* not on the device (any more) */
    out->gpu_memory_bytes = out->gpu_sm_utilization_percent = na_int(na);
    out->gpu_memory_utilization_percent = out->gpu_encoder_utilization_percent = na_int(na);
    out->gpu_decoder_utilization_percent = out->gpu_instance_id = na_int(na);
    out->compute_instance_id = na_int(na);
    out->gpu_memory_percent = na_real(na);
    out->device = -1;
    nvitop_device_t *dev = NULL;
    if (nvitop_device_get(s->cfg.ctx, (unsigned)t->physical, &dev) < 0) return;
    if (t->mig >= 0 && nvitop_device_mig_get(dev, (unsigned)t->mig, &dev) < 0) return;
    nvitop_process_list_t *list = NULL;
    if (nvitop_device_processes(dev, NVITOP_PQ_UTILIZATION, &list) < 0) return;
    for (size_t i = 0; i < list->count; i++) {
        if (list->items[i].pid != t->pid) continue;
        nvitop_host_process_t keep = out->host;
        *out = list->items[i];
        out->host = keep;
        out->device = 0; /* listed */
        break;
    }
    nvitop_process_list_free(list);
}

/* The host no longer has the process (or has another one with its pid). */
static bool host_gone(const sampler_target_t *t, const nvitop_host_process_t *h)
{
    if (h->na == NVITOP_NA_NO_SUCH_PROCESS) return true;
    /* the same pid, a new process: ours ended */
    return t->create_time_s >= 0 && NVITOP_HAS(h->create_time_s) &&
           fabs(h->create_time_s.value - t->create_time_s) > 0.5;
}

static double value_of(nvitop_int_t v)
{
    return NVITOP_HAS(v) ? (double)v.value : NAN;
}

/* Reads the target once: host record, then the driver's figures. */
static watched_box_t *sample_target(sampler_t *s, const sampler_target_t *t)
{
    watched_box_t *box = calloc(1, sizeof(*box));
    if (!box) return NULL;
    box->refs = 1;
    box->w.target = *t;
    nvitop_gpu_process_t *p = &box->w.process;
    p->pid = t->pid;
    p->device = -1;
    host_sample_t sample;
    host_sample_read(s->cfg.ctx, &sample);
    if (host_process_fill(s->cfg.ctx, t->pid, &sample, &box->arena, &p->host) < 0) {
        watched_unref(box);
        return NULL;
    }
    if (host_gone(t, &p->host)) host_process_set_na(&p->host, t->pid, NVITOP_NA_NO_SUCH_PROCESS);
    gpu_figures(s, t, p);
    box->w.listed = p->device == 0;
    p->device = -1;
    return box;
}

void sampler_task_watch(sampler_t *s, uint64_t now)
{
    pthread_mutex_lock(&s->lock);
    bool on = s->watching && !s->watch_ended;
    sampler_target_t target = s->target;
    uint64_t gen = s->watch_gen;
    pthread_mutex_unlock(&s->lock);
    if (!on) return;
    watched_box_t *box = sample_target(s, &target);
    pthread_mutex_lock(&s->lock);
    if (box && gen == s->watch_gen) {
        const nvitop_gpu_process_t *p = &box->w.process;
        box->w.samples = (s->watched ? s->watched->w.samples : 0) + 1;
        /* Gone from the host after being seen there: it ended. A process the host never saw
         * (another PID namespace) ends when the driver stops listing it. */
        bool gone = p->host.na == NVITOP_NA_NO_SUCH_PROCESS;
        box->w.ended = gone && (s->watch_seen || !box->w.listed);
        s->watch_seen |= !gone;
        if (box->w.ended) { /* the graphs keep their last points; the process says it ended */
            s->watch_ended = true;
        } else {
            double cpu = NVITOP_HAS(p->host.cpu_percent) ? p->host.cpu_percent.value : NAN;
            history_add(&s->proc_hist[PROC_CPU], cpu, now);
            history_add(&s->proc_hist[PROC_RSS], value_of(p->host.rss_bytes), now);
            history_add(&s->proc_hist[PROC_GPU_MEM], value_of(p->gpu_memory_bytes), now);
            history_add(&s->proc_hist[PROC_GPU_SM], value_of(p->gpu_sm_utilization_percent), now);
        }
        watched_unref(s->watched);
        s->watched = box;
        s->stats.watched++;
        box = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    if (box)
        watched_unref(box); /* the target changed meanwhile */
    else
        sampler_wake_reader(s);
}

const sampler_watched_t *sampler_watched_acquire(sampler_t *s)
{
    const sampler_watched_t *w = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->watched && s->watching) {
        s->watched->refs++;
        w = &s->watched->w;
    }
    pthread_mutex_unlock(&s->lock);
    return w;
}

void sampler_watched_release(sampler_t *s, const sampler_watched_t *w)
{
    if (!w) return;
    pthread_mutex_lock(&s->lock);
    watched_unref((watched_box_t *)(void *)w);
    pthread_mutex_unlock(&s->lock);
}

/* ---- environments ---- */

void sampler_environ_free(sampler_environ_t *e)
{
    if (!e) return;
    nvitop_strv_free(e->vars, e->count);
    nvitop_host_process_free(e->process);
    free(e);
}

void sampler_request_environ(sampler_t *s, uint32_t pid)
{
    pthread_mutex_lock(&s->lock);
    s->environ_pid = pid;
    s->environ_request++;
    sampler_environ_free(s->environ_ready); /* the answer to an older request */
    s->environ_ready = NULL;
    s->requested |= SAMPLER_ENVIRON;
    sampler_kick(s);
    pthread_mutex_unlock(&s->lock);
}

void sampler_task_environ(sampler_t *s)
{
    pthread_mutex_lock(&s->lock);
    uint32_t pid = s->environ_pid;
    uint64_t request = s->environ_request;
    bool due = request != s->environ_served;
    pthread_mutex_unlock(&s->lock);
    if (!due) return;
    sampler_environ_t *e = calloc(1, sizeof(*e));
    if (e) {
        e->pid = pid;
        e->error = nvitop_process_environ(s->cfg.ctx, pid, &e->vars, &e->count);
        if (nvitop_host_process_get(s->cfg.ctx, pid, &e->process) < 0) e->process = NULL;
    }
    pthread_mutex_lock(&s->lock);
    bool current = request == s->environ_request;
    if (current) {
        s->environ_served = request;
        sampler_environ_free(s->environ_ready);
        s->environ_ready = e;
        e = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    sampler_environ_free(e); /* a newer request came meanwhile: its own round answers it */
    if (current) sampler_wake_reader(s);
}

sampler_environ_t *sampler_environ_take(sampler_t *s)
{
    pthread_mutex_lock(&s->lock);
    sampler_environ_t *e = s->environ_ready;
    s->environ_ready = NULL;
    pthread_mutex_unlock(&s->lock);
    return e;
}

void sampler_screens_fini(sampler_t *s)
{
    tree_unref(s->tree);
    s->tree = NULL;
    watched_unref(s->watched);
    s->watched = NULL;
    sampler_environ_free(s->environ_ready);
    s->environ_ready = NULL;
    for (int i = 0; i < PROC__COUNT; i++)
        history_fini(&s->proc_hist[i]);
}
