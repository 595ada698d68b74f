/* SPDX-License-Identifier: Apache-2.0 */
/* Reads a scenario file into a struct sim_scenario: the top-level keys, the per-function maps
 * ("latency_us", "errors"), device identities and duplicate checks, and the typed readers with
 * their "nvml-sim: <file>:<line>: <field>: <why>" errors. */
#include "sim_parse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_MAX_LATENCY_US 60000000LL /* one minute */

struct sim_alloc_hdr {
    struct sim_alloc_hdr *next;
    max_align_t align[];
};

void *sim_alloc(struct sim_scenario *sc, size_t size)
{
    struct sim_alloc_hdr *h = calloc(1, sizeof *h + size);
    if (!h) return NULL;
    h->next = sc->allocs;
    sc->allocs = h;
    return h->align;
}

char *sim_strdup(struct sim_scenario *sc, const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = sim_alloc(sc, n);
    if (copy) memcpy(copy, s, n);
    return copy;
}

void sim_scenario_free(struct sim_scenario *sc)
{
    if (!sc) return;
    for (struct sim_alloc_hdr *h = sc->allocs, *next; h; h = next) {
        next = h->next;
        free(h);
    }
    free(sc);
}

bool sim_fail(struct sim_parser *p, const char *path, const char *fmt, ...)
{
    if (p->failed) return false;
    p->failed = true;
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "nvml-sim: %s:%d: %s: %s", p->file,
             sim_json_line(p->text, p->len, path), *path ? path : "(top level)", why);
    return false;
}

void sim_warn(struct sim_parser *p, const char *path, const char *fmt, ...)
{
    char why[512], line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(line, sizeof line, "nvml-sim: %s:%d: %s: warning: %s", p->file,
             sim_json_line(p->text, p->len, path), path, why);
    char **grown = realloc(p->warnings, (p->n_warnings + 1) * sizeof *grown);
    if (!grown) return;
    p->warnings = grown;
    if ((grown[p->n_warnings] = strdup(line)) != NULL) p->n_warnings++;
}

const char *sim_path_key(char *buf, const char *path, const char *key)
{
    if (snprintf(buf, SIM_PATH, "%s%s%s", path, *path ? "." : "", key) >= SIM_PATH)
        buf[SIM_PATH - 2] = '~'; /* marks a path cut short */
    return buf;
}

const char *sim_path_index(char *buf, const char *path, size_t i)
{
    if (snprintf(buf, SIM_PATH, "%s[%zu]", path, i) >= SIM_PATH) buf[SIM_PATH - 2] = '~';
    return buf;
}

static const char *type_name(json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    default:
        return "a number";
    }
}

bool sim_parse_int(struct sim_parser *p, json_t *j, const char *path, long long min, long long max,
                   long long *out)
{
    long long v;
    if (json_is_integer(j)) {
        v = json_integer_value(j);
    } else if (json_is_real(j)) {
        double d = json_real_value(j);
        if (d != floor(d) || fabs(d) > 9.2e18)
            return sim_fail(p, path, "expected an integer, got %g", d);
        v = (long long)d;
    } else {
        return sim_fail(p, path, "expected a number, got %s", type_name(j));
    }
    if (v < 0 && min >= 0) return sim_fail(p, path, "must not be negative (got %lld)", v);
    if (v < min || v > max)
        return sim_fail(p, path, "%lld is out of range %lld..%lld", v, min, max);
    *out = v;
    return true;
}

static bool parse_seq(struct sim_parser *p, json_t *j, const char *path, long long min,
                      long long max, struct sim_num *out)
{
    static const char *const known[] = {"seq", "step_s", NULL};
    char sub[SIM_PATH], el[SIM_PATH];
    sim_check_keys(p, j, path, known);
    json_t *seq = json_object_get(j, "seq"), *step = json_object_get(j, "step_s");
    if (!json_is_array(seq) || json_array_size(seq) == 0)
        return sim_fail(p, sim_path_key(sub, path, "seq"),
                        "expected a non-empty array of numbers (a value or {\"seq\": [...], "
                        "\"step_s\": s})");
    if (!json_is_number(step) || !(json_number_value(step) > 0) ||
        !isfinite(json_number_value(step)))
        return sim_fail(p, sim_path_key(sub, path, "step_s"), "expected a number of seconds > 0");
    size_t n = json_array_size(seq);
    out->seq = sim_alloc(p->sc, n * sizeof *out->seq);
    if (!out->seq) return sim_fail(p, path, "out of memory");
    sim_path_key(sub, path, "seq");
    for (size_t i = 0; i < n; i++)
        if (!sim_parse_int(p, json_array_get(seq, i), sim_path_index(el, sub, i), min, max,
                           &out->seq[i]))
            return false;
    out->kind = SIM_NUM_SEQ;
    out->n = n;
    out->step_s = json_number_value(step);
    return true;
}

bool sim_parse_num(struct sim_parser *p, json_t *j, const char *path, long long min, long long max,
                   struct sim_num *out)
{
    memset(out, 0, sizeof *out);
    if (!j || json_is_null(j)) return true;
    if (json_is_object(j)) return parse_seq(p, j, path, min, max, out);
    if (!json_is_number(j))
        return sim_fail(p, path,
                        "expected a number, null or {\"seq\": [...], \"step_s\": s}, got %s",
                        type_name(j));
    if (!sim_parse_int(p, j, path, min, max, &out->v)) return false;
    out->kind = SIM_NUM_CONST;
    return true;
}

bool sim_parse_str(struct sim_parser *p, json_t *j, const char *path, size_t maxlen, char **out)
{
    *out = NULL;
    if (!j || json_is_null(j)) return true;
    if (!json_is_string(j))
        return sim_fail(p, path, "expected a string or null, got %s", type_name(j));
    const char *s = json_string_value(j);
    if (strlen(s) != json_string_length(j)) return sim_fail(p, path, "contains a NUL character");
    if (strlen(s) > maxlen) return sim_fail(p, path, "longer than %zu characters", maxlen);
    if (!(*out = sim_strdup(p->sc, s))) return sim_fail(p, path, "out of memory");
    return true;
}

bool sim_parse_return(struct sim_parser *p, json_t *j, const char *path, nvmlReturn_t *out)
{
    if (!json_is_string(j))
        return sim_fail(p, path, "expected an NVML error name such as \"NOT_SUPPORTED\", got %s",
                        type_name(j));
    int code = sim_return_by_name(json_string_value(j));
    if (code < 0) return sim_fail(p, path, "unknown NVML error name \"%s\"", json_string_value(j));
    if (code == NVML_SUCCESS) return sim_fail(p, path, "SUCCESS is not an error");
    *out = code;
    return true;
}

bool sim_parse_obj(struct sim_parser *p, json_t *j, const char *path, json_t **out)
{
    *out = NULL;
    if (!j || json_is_null(j)) return true;
    if (!json_is_object(j))
        return sim_fail(p, path, "expected an object or null, got %s", type_name(j));
    *out = j;
    return true;
}

void sim_check_keys(struct sim_parser *p, json_t *obj, const char *path, const char *const *known)
{
    const char *key;
    json_t *value;
    char sub[SIM_PATH];
    json_object_foreach(obj, key, value)
    {
        size_t i = 0;
        while (known[i] && strcmp(known[i], key) != 0)
            i++;
        if (!known[i]) sim_warn(p, sim_path_key(sub, path, key), "unknown key, ignored");
    }
}

/* Marks in hit[] the functions key names: 2 exactly, 1 by its name without version suffix. */
static bool match_fn(const char *key, unsigned char hit[SIM_FN_COUNT])
{
    bool any = false;
    for (int fn = 0; fn < SIM_FN_COUNT; fn++) {
        hit[fn] = strcmp(sim_fn_table[fn].name, key) == 0   ? 2
                  : strcmp(sim_fn_table[fn].base, key) == 0 ? 1
                                                            : 0;
        any |= hit[fn] != 0;
    }
    return any;
}

bool sim_parse_latency(struct sim_parser *p, json_t *root)
{
    json_t *obj;
    if (!sim_parse_obj(p, json_object_get(root, "latency_us"), "latency_us", &obj)) return false;
    if (!obj) return true;
    unsigned char best[SIM_FN_COUNT] = {0}, hit[SIM_FN_COUNT];
    const char *key;
    json_t *value;
    char path[SIM_PATH];
    json_object_foreach(obj, key, value)
    {
        sim_path_key(path, "latency_us", key);
        if (!match_fn(key, hit)) {
            sim_warn(p, path, "not a function the simulator exports, ignored");
            continue;
        }
        struct sim_num num;
        if (!sim_parse_num(p, value, path, 0, SIM_MAX_LATENCY_US, &num)) return false;
        for (int fn = 0; fn < SIM_FN_COUNT; fn++)
            if (hit[fn] > best[fn]) {
                best[fn] = hit[fn];
                p->sc->latency_us[fn] = num;
            }
    }
    return true;
}

bool sim_parse_errors(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *d)
{
    json_t *obj;
    if (!sim_parse_obj(p, j, path, &obj)) return false;
    if (!obj) return true;
    unsigned char best[SIM_FN_COUNT] = {0}, hit[SIM_FN_COUNT];
    const char *key;
    json_t *value;
    char sub[SIM_PATH];
    json_object_foreach(obj, key, value)
    {
        sim_path_key(sub, path, key);
        nvmlReturn_t code;
        if (!sim_parse_return(p, value, sub, &code)) return false;
        if (strcmp(key, "*") == 0) {
            d->star_error = code;
            continue;
        }
        if (!match_fn(key, hit)) {
            sim_warn(p, sub, "not a function the simulator exports, ignored");
            continue;
        }
        bool device_fn = false;
        for (int fn = 0; fn < SIM_FN_COUNT; fn++) {
            if (!hit[fn] || sim_fn_table[fn].kind == SIM_KIND_SYS) continue;
            device_fn = true;
            if (hit[fn] > best[fn]) {
                best[fn] = hit[fn];
                d->errors[fn] = code;
            }
        }
        if (!device_fn) sim_warn(p, sub, "not a per-device function, ignored");
    }
    for (int fn = 0; fn < SIM_FN_COUNT; fn++)
        if (!best[fn] && sim_fn_table[fn].kind == SIM_KIND_DEV) d->errors[fn] = d->star_error;
    return true;
}
