/* SPDX-License-Identifier: Apache-2.0 */
/* Parses one device of a scenario (a GPU, or a MIG device inside it) with its processes: a
 * table of the plain numeric fields plus readers for the fields with their own shape. */
#include "sim_parse.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define SIM_MAX_FANS 64
#define SIM_MAX_MIG 64
#define SIM_NAME_MAX 95   /* NVML_DEVICE_NAME_V2_BUFFER_SIZE - 1 */
#define SIM_UUID_MAX 95   /* NVML_DEVICE_UUID_V2_BUFFER_SIZE - 1 */
#define SIM_SERIAL_MAX 29 /* NVML_DEVICE_SERIAL_BUFFER_SIZE - 1 */

/* A numeric field: "key" of the device, or "group.key"; mig: also allowed in a MIG entry. */
struct num_field {
    const char *group, *key;
    size_t off;
    long long min, max;
    bool mig;
};

#define NF_(g, k, member, lo, hi, m)                                                               \
    {                                                                                              \
        g, k, offsetof(struct sim_dev, member), lo, hi, m                                          \
    }
#define NF(...) NF_(__VA_ARGS__) /* expands the range shorthands below first */
#define PCT 0, 100
#define UINT 0, SIM_UINT_MAX
#define ULL 0, SIM_LL_MAX
static const struct num_field num_fields[] = {
    NF(NULL, "minor_number", minor_number, UINT, false),
    NF(NULL, "architecture", architecture, UINT, false),
    NF(NULL, "brand", brand, UINT, false),
    NF(NULL, "addressing_mode", addressing_mode, 0, 2, false),
    NF(NULL, "pci_device_id", pci_device_id, UINT, false),
    NF(NULL, "pci_subsystem_id", pci_subsystem_id, UINT, false),
    NF(NULL, "encoder_utilization", enc_util, PCT, false),
    NF(NULL, "decoder_utilization", dec_util, PCT, false),
    NF(NULL, "temperature", temperature, 0, INT_MAX, false),
    NF(NULL, "power_usage", power_usage, UINT, false),
    NF(NULL, "power_limit", power_limit, UINT, false),
    NF(NULL, "total_energy_consumption", energy, ULL, false),
    NF(NULL, "performance_state", pstate, 0, 32, false),
    NF(NULL, "persistence_mode", persistence, 0, 1, false),
    NF(NULL, "display_mode", display_mode, 0, 1, false),
    NF(NULL, "display_active", display_active, 0, 1, false),
    NF(NULL, "compute_mode", compute_mode, 0, 3, false),
    NF(NULL, "throttle_reasons", throttle_reasons, ULL, false),
    NF(NULL, "max_mig_device_count", max_mig_count, 0, SIM_MAX_MIG, false),
    NF("memory", "total", mem_total, ULL, true),
    NF("memory", "reserved", mem_reserved, ULL, true),
    NF("memory", "used", mem_used, ULL, true),
    NF("bar1_memory", "total", bar1_total, ULL, true),
    NF("bar1_memory", "used", bar1_used, ULL, true),
    NF("utilization", "gpu", util_gpu, PCT, true),
    NF("utilization", "memory", util_mem, PCT, true),
    NF("temperature_thresholds", "shutdown", thresholds[0], 0, INT_MAX, false),
    NF("temperature_thresholds", "slowdown", thresholds[1], 0, INT_MAX, false),
    NF("temperature_thresholds", "mem_max", thresholds[2], 0, INT_MAX, false),
    NF("temperature_thresholds", "gpu_max", thresholds[3], 0, INT_MAX, false),
    NF("ecc_errors", "volatile_uncorrected", ecc_vol_unc, ULL, false),
    NF("ecc_errors", "aggregate_uncorrected", ecc_agg_unc, ULL, false),
    NF("ecc_errors", "volatile_corrected", ecc_vol_cor, ULL, false),
    NF("ecc_errors", "aggregate_corrected", ecc_agg_cor, ULL, false),
    NF("clocks", "graphics", clocks[0], UINT, false),
    NF("clocks", "sm", clocks[1], UINT, false),
    NF("clocks", "mem", clocks[2], UINT, false),
    NF("clocks", "video", clocks[3], UINT, false),
    NF("max_clocks", "graphics", max_clocks[0], UINT, false),
    NF("max_clocks", "sm", max_clocks[1], UINT, false),
    NF("max_clocks", "mem", max_clocks[2], UINT, false),
    NF("max_clocks", "video", max_clocks[3], UINT, false),
    NF("pcie", "tx_kib_s", pcie_tx, UINT, false),
    NF("pcie", "rx_kib_s", pcie_rx, UINT, false),
    NF("pcie", "max_link_gen", max_link_gen, UINT, false),
    NF("pcie", "max_link_width", max_link_width, UINT, false),
    NF("pcie", "curr_link_gen", cur_link_gen, UINT, false),
    NF("pcie", "curr_link_width", cur_link_width, UINT, false),
};
#define N_NUM_FIELDS (sizeof num_fields / sizeof num_fields[0])

static const char *const groups[] = {
    "memory",     "bar1_memory", "utilization", "temperature_thresholds",
    "ecc_errors", "clocks",      "max_clocks",  "pcie"};
#define N_GROUPS (sizeof groups / sizeof groups[0])

static const char *const gpu_keys[] = {
    "name",      "uuid",       "serial", "bus_id", "cuda_compute_capability",
    "fan_speed", "ecc_mode",   "nvlink", "errors", "processes",
    "mig_mode",  "mig_devices"};
static const char *const mig_keys[] = {"name",   "uuid",      "gpu_instance_id",
                                       "errors", "processes", "compute_instance_id"};

static bool same(const char *a, const char *b)
{
    return (a == b) || (a && b && strcmp(a, b) == 0);
}

static bool parse_group(struct sim_parser *p, json_t *obj, const char *path, const char *group,
                        struct sim_dev *d, bool mig)
{
    const char *known[N_NUM_FIELDS + 1];
    size_t n_known = 0;
    char sub[SIM_PATH];
    for (size_t i = 0; i < N_NUM_FIELDS; i++) {
        const struct num_field *f = &num_fields[i];
        if (!same(f->group, group) || (mig && !f->mig)) continue;
        known[n_known++] = f->key;
        struct sim_num *num = (struct sim_num *)((char *)d + f->off);
        if (!sim_parse_num(p, json_object_get(obj, f->key), sim_path_key(sub, path, f->key), f->min,
                           f->max, num))
            return false;
    }
    known[n_known] = NULL;
    if (group) sim_check_keys(p, obj, path, known);
    return true;
}

/* Every numeric field, and unknown-key warnings for the device object itself. */
static bool parse_num_fields(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *d,
                             bool mig)
{
    const char *known[N_NUM_FIELDS + N_GROUPS + 16];
    size_t n_known = 0;
    char sub[SIM_PATH];
    if (!parse_group(p, j, path, NULL, d, mig)) return false;
    for (size_t i = 0; i < N_NUM_FIELDS; i++)
        if (!num_fields[i].group && (!mig || num_fields[i].mig))
            known[n_known++] = num_fields[i].key;
    for (size_t g = 0; g < N_GROUPS; g++) {
        bool allowed = !mig;
        for (size_t i = 0; i < N_NUM_FIELDS && !allowed; i++)
            allowed = num_fields[i].mig && same(num_fields[i].group, groups[g]);
        if (!allowed) continue;
        known[n_known++] = groups[g];
        json_t *obj;
        if (!sim_parse_obj(p, json_object_get(j, groups[g]), sim_path_key(sub, path, groups[g]),
                           &obj))
            return false;
        if (obj && !parse_group(p, obj, sub, groups[g], d, mig)) return false;
    }
    const char *const *extra = mig ? mig_keys : gpu_keys;
    size_t n_extra = mig ? sizeof mig_keys / sizeof *mig_keys : sizeof gpu_keys / sizeof *gpu_keys;
    for (size_t i = 0; i < n_extra; i++)
        known[n_known++] = extra[i];
    known[n_known] = NULL;
    sim_check_keys(p, j, path, known);
    return true;
}

static bool parse_proc(struct sim_parser *p, json_t *j, const char *path, struct sim_proc *pr)
{
    static const char *const known[] = {"pid", "type", "used_memory", "sm",
                                        "mem", "enc",  "dec",         NULL};
    char sub[SIM_PATH];
    if (!json_is_object(j))
        return sim_fail(p, path, "expected a process object {\"pid\": ..., \"type\": ...}");
    sim_check_keys(p, j, path, known);
    json_t *pid = json_object_get(j, "pid"), *type = json_object_get(j, "type");
    long long v;
    if (!pid) return sim_fail(p, path, "missing \"pid\"");
    if (!sim_parse_int(p, pid, sim_path_key(sub, path, "pid"), 0, SIM_UINT_MAX, &v)) return false;
    pr->pid = (unsigned int)v;
    pr->types = SIM_PROC_COMPUTE;
    if (type && !json_is_null(type)) {
        const char *t = json_string_value(type);
        if (t && strcmp(t, "C") == 0)
            pr->types = SIM_PROC_COMPUTE;
        else if (t && strcmp(t, "G") == 0)
            pr->types = SIM_PROC_GRAPHICS;
        else if (t && strcmp(t, "C+G") == 0)
            pr->types = SIM_PROC_COMPUTE | SIM_PROC_GRAPHICS;
        else
            return sim_fail(p, sim_path_key(sub, path, "type"), "expected \"C\", \"G\" or \"C+G\"");
    }
    return sim_parse_num(p, json_object_get(j, "used_memory"),
                         sim_path_key(sub, path, "used_memory"), ULL, &pr->used_mem) &&
           sim_parse_num(p, json_object_get(j, "sm"), sim_path_key(sub, path, "sm"), PCT,
                         &pr->sm) &&
           sim_parse_num(p, json_object_get(j, "mem"), sim_path_key(sub, path, "mem"), PCT,
                         &pr->mem) &&
           sim_parse_num(p, json_object_get(j, "enc"), sim_path_key(sub, path, "enc"), PCT,
                         &pr->enc) &&
           sim_parse_num(p, json_object_get(j, "dec"), sim_path_key(sub, path, "dec"), PCT,
                         &pr->dec);
}

static bool parse_procs(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *d)
{
    if (!j || json_is_null(j)) return true;
    if (!json_is_array(j)) return sim_fail(p, path, "expected an array of processes");
    size_t n = json_array_size(j);
    if (n && !(d->procs = sim_alloc(p->sc, n * sizeof *d->procs)))
        return sim_fail(p, path, "out of memory");
    d->n_procs = n;
    char sub[SIM_PATH];
    for (size_t i = 0; i < n; i++)
        if (!parse_proc(p, json_array_get(j, i), sim_path_index(sub, path, i), &d->procs[i]))
            return false;
    return true;
}

/* A mode given as 0/1 (current = pending) or [current, pending]. */
static bool parse_mode(struct sim_parser *p, json_t *j, const char *path, bool *has,
                       unsigned int *current, unsigned int *pending)
{
    long long cur, pend;
    *has = false;
    if (!j || json_is_null(j)) return true;
    if (json_is_array(j)) {
        char sub[SIM_PATH];
        if (json_array_size(j) != 2)
            return sim_fail(p, path, "expected 0, 1 or [current, pending]");
        if (!sim_parse_int(p, json_array_get(j, 0), sim_path_index(sub, path, 0), 0, 1, &cur) ||
            !sim_parse_int(p, json_array_get(j, 1), sim_path_index(sub, path, 1), 0, 1, &pend))
            return false;
    } else if (!sim_parse_int(p, j, path, 0, 1, &cur)) {
        return false;
    } else {
        pend = cur;
    }
    *has = true;
    *current = (unsigned int)cur;
    *pending = (unsigned int)pend;
    return true;
}

static bool parse_cc(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *d)
{
    long long major, minor;
    char sub[SIM_PATH];
    if (!j || json_is_null(j)) return true;
    if (!json_is_array(j) || json_array_size(j) != 2)
        return sim_fail(p, path, "expected [major, minor]");
    if (!sim_parse_int(p, json_array_get(j, 0), sim_path_index(sub, path, 0), 0, INT_MAX, &major) ||
        !sim_parse_int(p, json_array_get(j, 1), sim_path_index(sub, path, 1), 0, INT_MAX, &minor))
        return false;
    d->has_cc = true;
    d->cc_major = (int)major;
    d->cc_minor = (int)minor;
    return true;
}

static bool parse_fans(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *d)
{
    if (!j || json_is_null(j)) return true;
    size_t n = json_is_array(j) ? json_array_size(j) : 1;
    if (n > SIM_MAX_FANS) return sim_fail(p, path, "more than %d fans", SIM_MAX_FANS);
    d->has_fans = true;
    d->n_fans = n;
    if (n && !(d->fans = sim_alloc(p->sc, n * sizeof *d->fans)))
        return sim_fail(p, path, "out of memory");
    if (!json_is_array(j)) return sim_parse_num(p, j, path, PCT, &d->fans[0]);
    char sub[SIM_PATH];
    for (size_t i = 0; i < n; i++)
        if (!sim_parse_num(p, json_array_get(j, i), sim_path_index(sub, path, i), PCT, &d->fans[i]))
            return false;
    return true;
}

/* tx_kib_s / rx_kib_s: one rate for every link, or an array with one rate per link. */
static bool parse_link_rates(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *d,
                             bool tx)
{
    char sub[SIM_PATH];
    for (size_t i = 0; i < d->n_links; i++) {
        struct sim_num *num = tx ? &d->links[i].tx : &d->links[i].rx;
        json_t *v = j;
        const char *at = path;
        if (json_is_array(j)) {
            if (json_array_size(j) != d->n_links)
                return sim_fail(p, path, "expected %zu rates, one per link", d->n_links);
            v = json_array_get(j, i);
            at = sim_path_index(sub, path, i);
        }
        if (!sim_parse_num(p, v, at, UINT, num)) return false;
    }
    return true;
}

static bool parse_nvlink(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *d)
{
    static const char *const known[] = {"links", "tx_kib_s", "rx_kib_s", NULL};
    json_t *obj;
    char sub[SIM_PATH];
    if (!sim_parse_obj(p, j, path, &obj) || !obj) return !p->failed;
    sim_check_keys(p, obj, path, known);
    long long links = 0;
    json_t *jl = json_object_get(obj, "links");
    if (jl &&
        !sim_parse_int(p, jl, sim_path_key(sub, path, "links"), 0, NVML_NVLINK_MAX_LINKS, &links))
        return false;
    d->has_nvlink = true;
    d->n_links = (size_t)links;
    if (links && !(d->links = sim_alloc(p->sc, (size_t)links * sizeof *d->links)))
        return sim_fail(p, path, "out of memory");
    return parse_link_rates(p, json_object_get(obj, "tx_kib_s"),
                            sim_path_key(sub, path, "tx_kib_s"), d, true) &&
           parse_link_rates(p, json_object_get(obj, "rx_kib_s"),
                            sim_path_key(sub, path, "rx_kib_s"), d, false);
}

static bool check_memory(struct sim_parser *p, const char *path, struct sim_dev *d)
{
    char sub[SIM_PATH];
    if (d->mem_total.kind == SIM_NUM_CONST && d->mem_used.kind != SIM_NUM_NONE) {
        long long reserved = d->mem_reserved.kind ? sim_num_max(&d->mem_reserved) : 0;
        long long used = sim_num_max(&d->mem_used);
        if (used > d->mem_total.v - reserved)
            return sim_fail(p, sim_path_key(sub, path, "memory.used"),
                            "used (%lld) + reserved (%lld) exceeds total (%lld)", used, reserved,
                            d->mem_total.v);
    }
    if (d->bar1_total.kind == SIM_NUM_CONST && d->bar1_used.kind != SIM_NUM_NONE &&
        sim_num_max(&d->bar1_used) > d->bar1_total.v)
        return sim_fail(p, sim_path_key(sub, path, "bar1_memory.used"), "exceeds total (%lld)",
                        d->bar1_total.v);
    return true;
}

static bool parse_common(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *d,
                         bool mig)
{
    char sub[SIM_PATH];
    if (!json_is_object(j)) return sim_fail(p, path, "expected a device object");
    return parse_num_fields(p, j, path, d, mig) &&
           sim_parse_str(p, json_object_get(j, "name"), sim_path_key(sub, path, "name"),
                         SIM_NAME_MAX, &d->name) &&
           sim_parse_str(p, json_object_get(j, "uuid"), sim_path_key(sub, path, "uuid"),
                         SIM_UUID_MAX, &d->uuid) &&
           sim_parse_errors(p, json_object_get(j, "errors"), sim_path_key(sub, path, "errors"),
                            d) &&
           parse_procs(p, json_object_get(j, "processes"), sim_path_key(sub, path, "processes"),
                       d) &&
           check_memory(p, path, d);
}

static bool parse_mig_device(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *m)
{
    long long gi, ci;
    char sub[SIM_PATH];
    if (!parse_common(p, j, path, m, true)) return false;
    json_t *jgi = json_object_get(j, "gpu_instance_id"),
           *jci = json_object_get(j, "compute_instance_id");
    if (!jgi || !jci)
        return sim_fail(p, path, "missing \"%s\"", jgi ? "compute_instance_id" : "gpu_instance_id");
    if (!sim_parse_int(p, jgi, sim_path_key(sub, path, "gpu_instance_id"), 0, SIM_UINT_MAX - 1,
                       &gi) ||
        !sim_parse_int(p, jci, sim_path_key(sub, path, "compute_instance_id"), 0, SIM_UINT_MAX - 1,
                       &ci))
        return false;
    m->gpu_instance_id = (unsigned int)gi;
    m->compute_instance_id = (unsigned int)ci;
    return true;
}

static bool parse_migs(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *d)
{
    if (!j || json_is_null(j)) return true;
    if (!json_is_array(j)) return sim_fail(p, path, "expected an array of MIG devices");
    size_t n = json_array_size(j);
    if (n == 0) return true;
    if (!d->has_mig_mode || d->mig_current != 1)
        return sim_fail(p, path, "MIG devices need \"mig_mode\": 1");
    long long max = d->max_mig_count.kind == SIM_NUM_CONST ? d->max_mig_count.v : SIM_MAX_MIG;
    if ((long long)n > max) return sim_fail(p, path, "more than %lld MIG devices", max);
    if (!(d->mig = sim_alloc(p->sc, n * sizeof *d->mig))) return sim_fail(p, path, "out of memory");
    d->n_mig = n;
    char sub[SIM_PATH];
    for (size_t i = 0; i < n; i++) {
        struct sim_dev *m = &d->mig[i];
        m->is_mig = true;
        m->parent = d;
        m->index = (unsigned int)i;
        if (!parse_mig_device(p, json_array_get(j, i), sim_path_index(sub, path, i), m))
            return false;
    }
    return true;
}

static bool parse_bus(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *d)
{
    char *bus_id;
    if (!sim_parse_str(p, j, path, NVML_DEVICE_PCI_BUS_ID_BUFFER_SIZE - 1, &bus_id)) return false;
    if (!bus_id) return true;
    if (!sim_parse_bus_id(bus_id, &d->pci_domain, &d->pci_bus, &d->pci_device))
        return sim_fail(p, path, "expected a PCI bus id such as \"00000000:3B:00.0\"");
    d->has_pci = true;
    return true;
}

bool sim_parse_device(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *d)
{
    char sub[SIM_PATH];
    return parse_common(p, j, path, d, false) &&
           sim_parse_str(p, json_object_get(j, "serial"), sim_path_key(sub, path, "serial"),
                         SIM_SERIAL_MAX, &d->serial) &&
           parse_bus(p, json_object_get(j, "bus_id"), sim_path_key(sub, path, "bus_id"), d) &&
           parse_cc(p, json_object_get(j, "cuda_compute_capability"),
                    sim_path_key(sub, path, "cuda_compute_capability"), d) &&
           parse_fans(p, json_object_get(j, "fan_speed"), sim_path_key(sub, path, "fan_speed"),
                      d) &&
           parse_mode(p, json_object_get(j, "ecc_mode"), sim_path_key(sub, path, "ecc_mode"),
                      &d->has_ecc_mode, &d->ecc_current, &d->ecc_pending) &&
           parse_nvlink(p, json_object_get(j, "nvlink"), sim_path_key(sub, path, "nvlink"), d) &&
           parse_mode(p, json_object_get(j, "mig_mode"), sim_path_key(sub, path, "mig_mode"),
                      &d->has_mig_mode, &d->mig_current, &d->mig_pending) &&
           parse_migs(p, json_object_get(j, "mig_devices"), sim_path_key(sub, path, "mig_devices"),
                      d);
}
