/* SPDX-License-Identifier: Apache-2.0 */
/* An answer of Prometheus' /api/v1/query as an instant vector: {"status":"success","data":
 * {"resultType":"vector","result":[{"metric":{labels},"value":[time,"value"]}]}}. Anything else
 * is one sentence saying what it is instead. */
#include "fleet/fleet.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Prometheus writes sample values as strings: "81", "0.5", "NaN", "+Inf", "-Inf". */
static int parse_value(const json_t *v, double *out)
{
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return 0;
    }
    const char *text = json_string_value(v);
    if (!text || !*text) return -1;
    char *end;
    *out = strtod(text, &end);
    return *end ? -1 : 0;
}

static int copy_labels(const json_t *metric, prom_sample_t *s, arena_t *arena)
{
    size_t n = json_object_size(metric);
    prom_label_t *labels = n ? arena_calloc(arena, n, sizeof(*labels)) : NULL;
    if (n && !labels) return -1;
    const char *key;
    json_t *value;
    size_t i = 0;
    json_object_foreach((json_t *)metric, key, value)
    {
        const char *text = json_string_value(value);
        if (!text) continue;
        labels[i].name = arena_strdup(arena, key);
        labels[i].value = arena_strdup(arena, text);
        if (!labels[i].name || !labels[i].value) return -1;
        i++;
    }
    s->labels = labels;
    s->label_count = i;
    return 0;
}

static int read_sample(const json_t *item, prom_sample_t *s, double *time_s, arena_t *arena,
                       strbuf_t *why)
{
    const json_t *metric = json_object_get(item, "metric");
    const json_t *pair = json_object_get(item, "value");
    double t = 0;
    if (!json_is_object(metric) || !json_is_array(pair) || json_array_size(pair) != 2 ||
        parse_value(json_array_get(pair, 0), &t) < 0 ||
        parse_value(json_array_get(pair, 1), &s->value) < 0) {
        strbuf_puts(why, "the answer is JSON but not an instant vector of Prometheus "
                         "(a series without labels or value)");
        return -1;
    }
    *time_s = t;
    if (copy_labels(metric, s, arena) < 0) {
        strbuf_puts(why, "out of memory");
        return -1;
    }
    return 0;
}

static int read_vector(const json_t *result, prom_vector_t *out, strbuf_t *why)
{
    size_t n = json_array_size(result);
    out->samples = n ? arena_calloc(&out->arena, n, sizeof(*out->samples)) : NULL;
    if (n && !out->samples) {
        strbuf_puts(why, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (read_sample(json_array_get(result, i), &out->samples[i], &out->time_s, &out->arena,
                        why) < 0)
            return -1;
    out->count = n;
    return 0;
}

/* Prometheus' own refusal: {"status":"error","errorType":"bad_data","error":"..."}. */
static void say_api_error(const json_t *root, strbuf_t *why)
{
    const char *type = json_string_value(json_object_get(root, "errorType"));
    const char *error = json_string_value(json_object_get(root, "error"));
    strbuf_printf(why, "Prometheus answered with an error: %s%s%s", type ? type : "",
                  type && error ? ": " : "", error ? error : "(no reason given)");
}

static void say_not_json(const char *body, size_t len, const json_error_t *err, strbuf_t *why)
{
    if (len == 0) {
        strbuf_puts(why, "the answer is empty (not Prometheus' JSON)");
        return;
    }
    if (json_error_code(err) == json_error_premature_end_of_input) {
        strbuf_printf(why, "the answer was cut short after %zu bytes (incomplete JSON)", len);
        return;
    }
    /* The first bytes say what answered: an HTML page, a proxy's text, ... */
    size_t shown = 0;
    while (shown < len && shown < 40 && body[shown] >= 0x20 && body[shown] < 0x7f)
        shown++;
    strbuf_printf(why, "the answer is not Prometheus' JSON (%s) but begins \"%.*s\"", err->text,
                  (int)shown, body);
}

int prom_reply_parse(const char *body, size_t len, prom_vector_t *out, strbuf_t *why)
{
    memset(out, 0, sizeof(*out));
    out->time_s = NAN;
    json_error_t err;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        say_not_json(body, len, &err, why);
        return -1;
    }
    int rc = -1;
    const char *status = json_string_value(json_object_get(root, "status"));
    const json_t *data = json_object_get(root, "data");
    const char *type = json_string_value(json_object_get(data, "resultType"));
    const json_t *result = json_object_get(data, "result");
    if (status && strcmp(status, "error") == 0)
        say_api_error(root, why);
    else if (!status || strcmp(status, "success") != 0 || !json_is_object(data))
        strbuf_puts(why, "the answer is JSON but not Prometheus' (no \"status\": \"success\" "
                         "with \"data\")");
    else if (!type || strcmp(type, "vector") != 0 || !json_is_array(result))
        strbuf_printf(why, "Prometheus answered a %s, not an instant vector",
                      type ? type : "result without a type");
    else
        rc = read_vector(result, out, why);
    json_decref(root);
    if (rc < 0) prom_vector_fini(out);
    return rc;
}

const char *prom_label(const prom_sample_t *s, const char *name)
{
    for (size_t i = 0; i < s->label_count; i++)
        if (strcmp(s->labels[i].name, name) == 0) return s->labels[i].value;
    return NULL;
}

void prom_vector_fini(prom_vector_t *v)
{
    arena_fini(&v->arena);
    memset(v, 0, sizeof(*v));
    v->time_s = NAN;
}
