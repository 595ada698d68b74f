/* SPDX-License-Identifier: Apache-2.0 */
/* An answer of Prometheus' /api/v1/query as an instant vector: {"status":"success","data":
 * {"resultType":"vector","result":[{"metric":{labels},"value":[time,"value"]}]}}. Anything else
 * is one sentence saying what it is instead.
 *
 * Read in one pass straight into the vector's arena, without a document tree: at 1,000 GPUs
 * a tree of every answer (a JSON library's) was most of a refresh's CPU. Members the fleet
 * does not read ("warnings", "infos", ...) are checked as JSON and skipped. */
#include "fleet/fleet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64 /* nesting of skipped values */

typedef struct reader {
    const char *p, *start, *end;
    const char *bad;  /* where the JSON went wrong (NULL: fine so far) */
    bool short_input; /* it ended in the middle */
    bool oom;
    arena_t *arena;
    strbuf_t text; /* the string being read */
} reader_t;

static bool failed(const reader_t *r)
{
    return r->bad || r->short_input;
}

static void fail_at(reader_t *r, const char *where)
{
    if (failed(r)) return;
    if (where >= r->end)
        r->short_input = true;
    else
        r->bad = where;
}

static void skip_blank(reader_t *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

/* The next non-blank byte is c: consumed. */
static bool take(reader_t *r, char c)
{
    skip_blank(r);
    if (r->p < r->end && *r->p == c) {
        r->p++;
        return true;
    }
    return false;
}

static bool expect(reader_t *r, char c)
{
    if (take(r, c)) return true;
    fail_at(r, r->p);
    return false;
}

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

static void put_utf8(strbuf_t *s, unsigned cp)
{
    char b[4];
    if (cp < 0x80) {
        strbuf_putc(s, (char)cp);
        return;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3F));
        strbuf_append(s, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        strbuf_append(s, b, 3);
    } else {
        b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        b[2] = (char)(0x80 | (cp >> 6 & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F));
        strbuf_append(s, b, 4);
    }
}

/* \uXXXX (a surrogate pair as one code point; a lone surrogate becomes U+FFFD). Returns the
 * bytes read after the backslash-u, or 0 when it is not four hex digits. */
static int read_unicode(reader_t *r, const char *p)
{
    if (r->end - p < 4) return fail_at(r, r->end), 0;
    int hi = hex4(p);
    if (hi < 0) return 0;
    unsigned cp = (unsigned)hi;
    int used = 4;
    if (hi >= 0xD800 && hi < 0xDC00 && r->end - p >= 10 && p[4] == '\\' && p[5] == 'u') {
        int lo = hex4(p + 6);
        if (lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((unsigned)(hi - 0xD800) << 10) + (unsigned)(lo - 0xDC00);
            used = 10;
        }
    }
    if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
    put_utf8(&r->text, cp);
    return used;
}

/* A string into r->text. Returns false (the reader failed) when it is not one. */
static bool read_string(reader_t *r)
{
    strbuf_reset(&r->text);
    if (!expect(r, '"')) return false;
    const char *p = r->p;
    while (p < r->end && *p != '"') {
        const char *run = p;
        while (p < r->end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
            p++;
        strbuf_append(&r->text, run, (size_t)(p - run));
        if (p >= r->end || *p == '"') break;
        if ((unsigned char)*p < 0x20 || p + 1 >= r->end) return fail_at(r, p + (*p == '\\')), false;
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *e = strchr(from, p[1]);
        if (p[1] == 'u') {
            int used = read_unicode(r, p + 2);
            if (!used) return fail_at(r, p), false;
            p += 2 + used;
        } else if (e && p[1]) {
            strbuf_putc(&r->text, to[e - from]);
            p += 2;
        } else {
            return fail_at(r, p), false;
        }
    }
    if (p >= r->end) return fail_at(r, p), false;
    r->p = p + 1;
    return !strbuf_error(&r->text) || (fail_at(r, p), false);
}

/* A JSON number; *out its value. */
static bool read_number(reader_t *r, double *out)
{
    skip_blank(r);
    const char *p = r->p;
    char buf[64];
    size_t n = 0;
    while (p + n < r->end && n < sizeof(buf) - 1 && strchr("+-0123456789.eE", p[n]) && p[n])
        n++;
    if (p + n >= r->end) return fail_at(r, r->end), false;
    memcpy(buf, p, n);
    buf[n] = '\0';
    char *stop;
    *out = strtod(buf, &stop);
    if (n == 0 || *stop || !isfinite(*out) || buf[0] == '+' || buf[0] == '.')
        return fail_at(r, p), false;
    r->p = p + n;
    return true;
}

static bool skip_value(reader_t *r, int depth);

/* The members or items of an object or array after its opening bracket. */
static bool skip_container(reader_t *r, bool object, int depth)
{
    char close = object ? '}' : ']';
    if (take(r, close)) return true;
    do {
        if (object && (!read_string(r) || !expect(r, ':'))) return false;
        if (!skip_value(r, depth + 1)) return false;
    } while (take(r, ','));
    return expect(r, close);
}

static bool skip_literal(reader_t *r, const char *word)
{
    size_t n = strlen(word);
    size_t left = (size_t)(r->end - r->p);
    if (left < n && memcmp(r->p, word, left) == 0) return fail_at(r, r->end), false;
    if (left < n || memcmp(r->p, word, n) != 0) return fail_at(r, r->p), false;
    r->p += n;
    return true;
}

static bool skip_value(reader_t *r, int depth)
{
    skip_blank(r);
    if (r->p >= r->end) return fail_at(r, r->end), false;
    if (depth > MAX_DEPTH) return fail_at(r, r->p), false;
    double ignored;
    switch (*r->p) {
    case '"':
        return read_string(r);
    case '{':
    case '[':
        return r->p++, skip_container(r, r->p[-1] == '{', depth);
    case 't':
        return skip_literal(r, "true");
    case 'f':
        return skip_literal(r, "false");
    case 'n':
        return skip_literal(r, "null");
    default:
        return read_number(r, &ignored);
    }
}

/* ---- the answer's own shape ---- */

typedef struct answer {
    char *status, *error_type, *error, *result_type;
    bool has_data, has_result, not_vector;
    prom_vector_t *v;
    size_t cap;
} answer_t;

static char *keep_text(reader_t *r)
{
    char *s = arena_strndup(r->arena, strbuf_str(&r->text), r->text.len);
    if (!s) r->oom = true, fail_at(r, r->p);
    return s;
}

static bool read_labels(reader_t *r, prom_sample_t *s)
{
    prom_label_t *labels = NULL;
    size_t count = 0, cap = 0;
    if (!expect(r, '{')) return false;
    if (!take(r, '}')) {
        do {
            if (count == cap) {
                size_t bigger = cap ? cap * 2 : 8;
                prom_label_t *grown = arena_calloc(r->arena, bigger, sizeof(*grown));
                if (!grown) return r->oom = true, fail_at(r, r->p), false;
                if (count) memcpy(grown, labels, count * sizeof(*grown));
                labels = grown, cap = bigger;
            }
            if (!read_string(r)) return false;
            labels[count].name = keep_text(r);
            if (!expect(r, ':') || !read_string(r)) return false;
            labels[count++].value = keep_text(r);
        } while (take(r, ','));
        if (!expect(r, '}')) return false;
    }
    s->labels = labels;
    s->label_count = count;
    return true;
}

/* [time, "value"]: *number tells whether the value is a number. */
static bool read_pair(reader_t *r, prom_sample_t *s, double *time_s, bool *number)
{
    if (!expect(r, '[') || !read_number(r, time_s) || !expect(r, ',') || !read_string(r))
        return false;
    char *stop;
    s->value = strtod(strbuf_str(&r->text), &stop);
    *number = r->text.len > 0 && !*stop;
    return expect(r, ']');
}

static bool read_sample(reader_t *r, answer_t *a)
{
    prom_vector_t *v = a->v;
    if (v->count == a->cap) {
        size_t bigger = a->cap ? a->cap * 2 : 64;
        prom_sample_t *grown = realloc(v->samples, bigger * sizeof(*grown));
        if (!grown) return r->oom = true, fail_at(r, r->p), false;
        v->samples = grown, a->cap = bigger;
    }
    prom_sample_t *s = &v->samples[v->count];
    memset(s, 0, sizeof(*s));
    bool has_metric = false, has_value = false;
    if (!expect(r, '{')) return false;
    if (!take(r, '}')) {
        do {
            if (!read_string(r) || !expect(r, ':')) return false;
            if (strcmp(strbuf_str(&r->text), "metric") == 0)
                has_metric = read_labels(r, s);
            else if (strcmp(strbuf_str(&r->text), "value") == 0)
                read_pair(r, s, &v->time_s, &has_value);
            else if (!skip_value(r, 1))
                return false;
            if (failed(r)) return false;
        } while (take(r, ','));
        if (!expect(r, '}')) return false;
    }
    if (has_metric && has_value)
        v->count++;
    else
        a->not_vector = true; /* a matrix's "values", a scalar, ... */
    return true;
}

static bool read_result(reader_t *r, answer_t *a)
{
    skip_blank(r);
    if (r->p < r->end && *r->p != '[') {
        a->not_vector = true;
        return skip_value(r, 1);
    }
    a->has_result = true;
    if (!expect(r, '[')) return false;
    if (take(r, ']')) return true;
    do {
        skip_blank(r);
        if (r->p < r->end && *r->p != '{') {
            a->not_vector = true;
            if (!skip_value(r, 1)) return false;
        } else if (!read_sample(r, a)) {
            return false;
        }
    } while (take(r, ','));
    return expect(r, ']');
}

static bool read_data(reader_t *r, answer_t *a)
{
    skip_blank(r);
    if (r->p < r->end && *r->p != '{') return skip_value(r, 1);
    a->has_data = true;
    r->p++;
    if (take(r, '}')) return true;
    do {
        if (!read_string(r) || !expect(r, ':')) return false;
        if (strcmp(strbuf_str(&r->text), "resultType") == 0) {
            skip_blank(r);
            if (r->p < r->end && *r->p == '"') {
                if (!read_string(r)) return false;
                a->result_type = keep_text(r);
            } else if (!skip_value(r, 1)) {
                return false;
            }
        } else if (strcmp(strbuf_str(&r->text), "result") == 0) {
            if (!read_result(r, a)) return false;
        } else if (!skip_value(r, 1)) {
            return false;
        }
    } while (take(r, ','));
    return expect(r, '}');
}

/* A top-level string member into *out (a member of another type: skipped, *out stays NULL). */
static bool read_text_member(reader_t *r, char **out)
{
    skip_blank(r);
    if (r->p < r->end && *r->p == '"') {
        if (!read_string(r)) return false;
        *out = keep_text(r);
        return true;
    }
    return skip_value(r, 1);
}

static bool read_answer(reader_t *r, answer_t *a)
{
    if (!expect(r, '{')) return false;
    if (!take(r, '}')) {
        do {
            if (!read_string(r) || !expect(r, ':')) return false;
            const char *key = strbuf_str(&r->text);
            bool ok = strcmp(key, "status") == 0      ? read_text_member(r, &a->status)
                      : strcmp(key, "errorType") == 0 ? read_text_member(r, &a->error_type)
                      : strcmp(key, "error") == 0     ? read_text_member(r, &a->error)
                      : strcmp(key, "data") == 0      ? read_data(r, a)
                                                      : skip_value(r, 1);
            if (!ok) return false;
        } while (take(r, ','));
        if (!expect(r, '}')) return false;
    }
    skip_blank(r);
    if (r->p < r->end) fail_at(r, r->p); /* something after the answer */
    return !failed(r);
}

static void say_not_json(const reader_t *r, size_t len, strbuf_t *why)
{
    const char *body = r->start;
    if (len == 0) {
        strbuf_puts(why, "the answer is empty (not Prometheus' JSON)");
        return;
    }
    if (r->short_input) {
        strbuf_printf(why, "the answer was cut short after %zu bytes (incomplete JSON)", len);
        return;
    }
    /* The first bytes say what answered: an HTML page, a proxy's text, ... */
    size_t shown = 0;
    while (shown < len && shown < 40 && body[shown] >= 0x20 && body[shown] < 0x7f)
        shown++;
    strbuf_printf(why,
                  "the answer is not Prometheus' JSON (invalid at byte %zu) but begins \"%.*s\"",
                  (size_t)(r->bad - body), (int)shown, body);
}

static int judge(const answer_t *a, strbuf_t *why)
{
    if (a->status && strcmp(a->status, "error") == 0) {
        strbuf_printf(why, "Prometheus answered with an error: %s%s%s",
                      a->error_type ? a->error_type : "", a->error_type && a->error ? ": " : "",
                      a->error ? a->error : "(no reason given)");
        return -1;
    }
    if (!a->status || strcmp(a->status, "success") != 0 || !a->has_data) {
        strbuf_puts(why, "the answer is JSON but not Prometheus' (no \"status\": \"success\" "
                         "with \"data\")");
        return -1;
    }
    if (!a->result_type || strcmp(a->result_type, "vector") != 0 || !a->has_result) {
        strbuf_printf(why, "Prometheus answered a %s, not an instant vector",
                      a->result_type ? a->result_type : "result without a type");
        return -1;
    }
    if (a->not_vector) {
        strbuf_puts(why, "the answer is JSON but not an instant vector of Prometheus "
                         "(a series without labels or value)");
        return -1;
    }
    return 0;
}

int prom_reply_parse(const char *body, size_t len, prom_vector_t *out, strbuf_t *why)
{
    memset(out, 0, sizeof(*out));
    out->time_s = NAN;
    reader_t r = {.p = body, .start = body, .end = body + len, .arena = &out->arena};
    answer_t a = {.v = out};
    int rc = 0;
    if (!read_answer(&r, &a)) {
        if (r.oom || strbuf_error(&r.text))
            strbuf_puts(why, "out of memory");
        else
            say_not_json(&r, len, why);
        rc = -1;
    } else {
        rc = judge(&a, why);
    }
    strbuf_fini(&r.text);
    if (rc < 0) prom_vector_fini(out);
    if (out->count == 0) out->time_s = NAN;
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
    free(v->samples);
    arena_fini(&v->arena);
    memset(v, 0, sizeof(*v));
    v->time_s = NAN;
}
