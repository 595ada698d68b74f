/* SPDX-License-Identifier: Apache-2.0 */
/* The scenario parser's shared pieces: error/warning reporting with file, line and field path,
 * typed value readers, and the scenario's allocation list. Used by sim_scenario.c and
 * sim_parse_dev.c only. */
#ifndef NVML_SIM_PARSE_H
#define NVML_SIM_PARSE_H

#include <jansson.h>

#include "sim_internal.h"

#define SIM_PATH 256
#define SIM_UINT_MAX 4294967295LL
#define SIM_LL_MAX 9223372036854775807LL

struct sim_parser {
    const char *file;
    const char *text;
    size_t len;
    struct sim_scenario *sc; /* owns every allocation made while parsing */
    char *err;
    size_t errlen;
    bool failed;
    char **warnings; /* printed only if the whole file is valid */
    size_t n_warnings;
};

/* Records the first error (file, line of path, path, message); always returns false. */
bool sim_fail(struct sim_parser *p, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sim_warn(struct sim_parser *p, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "path.key" / "path[i]" into buf; returns buf. */
const char *sim_path_key(char *buf, const char *path, const char *key);
const char *sim_path_index(char *buf, const char *path, size_t i);

/* Zeroed memory owned by the scenario (freed with it); NULL when out of memory. */
void *sim_alloc(struct sim_scenario *sc, size_t size);
char *sim_strdup(struct sim_scenario *sc, const char *s);

/* j may be NULL (absent). A number, null, or {"seq": [...], "step_s": s} within [min, max]. */
bool sim_parse_num(struct sim_parser *p, json_t *j, const char *path, long long min, long long max,
                   struct sim_num *out);
/* A plain integer constant within [min, max]; j must not be NULL. */
bool sim_parse_int(struct sim_parser *p, json_t *j, const char *path, long long min, long long max,
                   long long *out);
/* A string of at most maxlen bytes, or null/absent (*out = NULL). */
bool sim_parse_str(struct sim_parser *p, json_t *j, const char *path, size_t maxlen, char **out);
/* An nvmlReturn_t name other than SUCCESS. */
bool sim_parse_return(struct sim_parser *p, json_t *j, const char *path, nvmlReturn_t *out);
/* Warns once per key of obj that is not in the NULL-terminated list known. */
void sim_check_keys(struct sim_parser *p, json_t *obj, const char *path, const char *const *known);
/* The object at j, or NULL for absent/null; fails (returns false) for any other type. */
bool sim_parse_obj(struct sim_parser *p, json_t *j, const char *path, json_t **out);

/* "latency_us" of the root object into p->sc->latency_us. */
bool sim_parse_latency(struct sim_parser *p, json_t *root);
/* A device's "errors" map (j may be NULL) into d->errors and d->star_error. */
bool sim_parse_errors(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *d);

/* The "cuda" object of the root (after the devices: its order names them). */
bool sim_parse_cuda(struct sim_parser *p, json_t *root);

/* devices[i] (GPU) into d. */
bool sim_parse_device(struct sim_parser *p, json_t *j, const char *path, struct sim_dev *d);

#endif
