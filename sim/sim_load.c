/* SPDX-License-Identifier: Apache-2.0 */
/* Loading a scenario file: reading it, the top-level keys, device identities (the keys that
 * keep handles valid across re-reads) and the checks that span devices (duplicate UUIDs). */
#include "sim_parse.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SIM_DEFAULT_SAMPLE_PERIOD_US 1000000LL
#define SIM_MAX_SAMPLE_PERIOD_US 3600000000LL
#define SIM_VERSION_MAX 79 /* NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE - 1 */
#define SIM_KEY_MAX 160

static bool hex_field(const char **s, unsigned long max, char stop, unsigned int *out)
{
    char *end;
    if (!((**s >= '0' && **s <= '9') || (**s >= 'a' && **s <= 'f') || (**s >= 'A' && **s <= 'F')))
        return false;
    errno = 0;
    unsigned long v = strtoul(*s, &end, 16);
    if (errno || v > max || *end != stop) return false;
    *out = (unsigned int)v;
    *s = stop ? end + 1 : end;
    return true;
}

bool sim_parse_bus_id(const char *s, unsigned int *domain, unsigned int *bus, unsigned int *device)
{
    unsigned int function;
    const char *colon = strchr(s, ':');
    *domain = 0;
    if (colon && strchr(colon + 1, ':') && !hex_field(&s, 0xFFFFFFFFUL, ':', domain)) return false;
    return hex_field(&s, 0xFF, ':', bus) && hex_field(&s, 0x1F, '.', device) &&
           hex_field(&s, 7, '\0', &function);
}

struct ident {
    struct sim_dev *dev;
    char path[SIM_PATH];
};

static bool add_ident(struct sim_parser *p, struct ident *ids, size_t *n, struct sim_dev *d,
                      const char *path)
{
    char key[SIM_KEY_MAX], sub[SIM_PATH];
    if (d->uuid)
        snprintf(key, sizeof key, "%s", d->uuid);
    else if (d->is_mig)
        snprintf(key, sizeof key, "%s/%u/%u", d->parent->key, d->gpu_instance_id,
                 d->compute_instance_id);
    else if (d->has_pci)
        snprintf(key, sizeof key, "pci:%08X:%02X:%02X", d->pci_domain, d->pci_bus, d->pci_device);
    else
        snprintf(key, sizeof key, "index:%u", d->index);
    for (size_t i = 0; i < *n; i++) {
        const struct sim_dev *o = ids[i].dev;
        if (d->has_pci && o->has_pci && d->pci_domain == o->pci_domain &&
            d->pci_bus == o->pci_bus && d->pci_device == o->pci_device)
            return sim_fail(p, sim_path_key(sub, path, "bus_id"), "duplicate bus id (also at %s)",
                            ids[i].path);
        if (strcmp(o->key, key) == 0)
            return sim_fail(p, sim_path_key(sub, path, d->uuid ? "uuid" : "gpu_instance_id"),
                            "duplicate %s (also at %s)",
                            d->uuid ? "UUID" : "gpu_instance_id/compute_instance_id", ids[i].path);
    }
    if (!(d->key = sim_strdup(p->sc, key))) return sim_fail(p, path, "out of memory");
    ids[*n].dev = d;
    snprintf(ids[*n].path, SIM_PATH, "%s", path);
    (*n)++;
    return true;
}

static bool assign_keys(struct sim_parser *p)
{
    struct sim_scenario *sc = p->sc;
    size_t total = sc->n_devs;
    for (size_t i = 0; i < sc->n_devs; i++)
        total += sc->devs[i].n_mig;
    struct ident *ids = malloc((total ? total : 1) * sizeof *ids);
    if (!ids) return sim_fail(p, "devices", "out of memory");
    size_t n = 0;
    bool ok = true;
    char path[SIM_PATH], mpath[SIM_PATH], mig[SIM_PATH];
    for (size_t i = 0; ok && i < sc->n_devs; i++) {
        struct sim_dev *d = &sc->devs[i];
        sim_path_index(path, "devices", i);
        ok = add_ident(p, ids, &n, d, path);
        sim_path_key(mig, path, "mig_devices");
        for (size_t m = 0; ok && m < d->n_mig; m++)
            ok = add_ident(p, ids, &n, &d->mig[m], sim_path_index(mpath, mig, m));
    }
    free(ids);
    return ok;
}

static bool parse_devices(struct sim_parser *p, json_t *root)
{
    json_t *devs = json_object_get(root, "devices");
    if (!devs || json_is_null(devs)) return true;
    if (!json_is_array(devs)) return sim_fail(p, "devices", "expected an array");
    size_t n = json_array_size(devs);
    struct sim_scenario *sc = p->sc;
    if (n && !(sc->devs = sim_alloc(sc, n * sizeof *sc->devs)))
        return sim_fail(p, "devices", "out of memory");
    sc->n_devs = n;
    char path[SIM_PATH];
    for (size_t i = 0; i < n; i++) {
        sc->devs[i].index = (unsigned int)i;
        if (!sim_parse_device(p, json_array_get(devs, i), sim_path_index(path, "devices", i),
                              &sc->devs[i]))
            return false;
    }
    return assign_keys(p);
}

static bool parse_top(struct sim_parser *p, json_t *root)
{
    static const char *const known[] = {"description",  "driver_version",
                                        "nvml_version", "cuda_driver_version",
                                        "init_error",   "latency_us",
                                        "devices",      "process_sample_period_us",
                                        "cuda",         NULL};
    struct sim_scenario *sc = p->sc;
    if (!json_is_object(root)) return sim_fail(p, "", "expected a JSON object");
    sim_check_keys(p, root, "", known);
    char *description;
    json_t *init_error = json_object_get(root, "init_error");
    json_t *period = json_object_get(root, "process_sample_period_us");
    long long period_us = SIM_DEFAULT_SAMPLE_PERIOD_US;
    if (!sim_parse_str(p, json_object_get(root, "description"), "description", SIZE_MAX,
                       &description) ||
        !sim_parse_str(p, json_object_get(root, "driver_version"), "driver_version",
                       SIM_VERSION_MAX, &sc->driver_version) ||
        !sim_parse_str(p, json_object_get(root, "nvml_version"), "nvml_version", SIM_VERSION_MAX,
                       &sc->nvml_version) ||
        !sim_parse_num(p, json_object_get(root, "cuda_driver_version"), "cuda_driver_version", 0,
                       INT_MAX, &sc->cuda_driver_version))
        return false;
    if (init_error && !json_is_null(init_error) &&
        !sim_parse_return(p, init_error, "init_error", &sc->init_error))
        return false;
    if (period && !json_is_null(period) &&
        !sim_parse_int(p, period, "process_sample_period_us", 1, SIM_MAX_SAMPLE_PERIOD_US,
                       &period_us))
        return false;
    sc->process_sample_period_us = period_us;
    return sim_parse_latency(p, root) && parse_devices(p, root) && sim_parse_cuda(p, root);
}

static char *read_all(int fd, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    for (ssize_t got; buf; n += (size_t)got) {
        if (n == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) break;
            buf = grown;
        }
        got = read(fd, buf + n, cap - n);
        if (got == 0) {
            *len = n;
            return buf;
        }
        if (got < 0 && errno != EINTR) break;
        if (got < 0) got = 0;
    }
    free(buf);
    return NULL;
}

static char *read_file(const char *path, struct stat *st, size_t *len, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "nvml-sim: %s: cannot read the scenario: %s", path, strerror(errno));
        return NULL;
    }
    char *text = NULL;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode))
        snprintf(err, errlen, "nvml-sim: %s: cannot read the scenario: not a regular file", path);
    else if (!(text = read_all(fd, len)))
        snprintf(err, errlen, "nvml-sim: %s: cannot read the scenario: %s", path,
                 strerror(errno ? errno : ENOMEM));
    close(fd);
    return text;
}

struct sim_scenario *sim_scenario_load(const char *path, struct stat *st, char *err, size_t errlen)
{
    size_t len = 0;
    char *text = read_file(path, st, &len, err, errlen);
    if (!text) return NULL;
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    struct sim_scenario *sc = NULL;
    if (!root) {
        snprintf(err, errlen, "nvml-sim: %s:%d: JSON syntax: %s", path, jerr.line, jerr.text);
    } else if (!(sc = calloc(1, sizeof *sc))) {
        snprintf(err, errlen, "nvml-sim: %s: out of memory", path);
    } else {
        struct sim_parser p = {
            .file = path, .text = text, .len = len, .sc = sc, .err = err, .errlen = errlen};
        bool ok = parse_top(&p, root);
        for (size_t i = 0; i < p.n_warnings; i++) {
            if (ok) fprintf(stderr, "%s\n", p.warnings[i]);
            free(p.warnings[i]);
        }
        free(p.warnings);
        if (!ok) {
            sim_scenario_free(sc);
            sc = NULL;
        }
    }
    json_decref(root);
    free(text);
    return sc;
}
