/* SPDX-License-Identifier: Apache-2.0 */
/* The resource metric collector writing a CSV file: every device and every GPU process on the
 * machine (root pid 1) sampled in the background, one row of mean / min / max / last per
 * period. The C counterpart of the Python README's ResourceMetricCollector-to-CSV example.
 *
 *   collector_csv [-n ROWS] [-p SECONDS] [-i SECONDS] [-o FILE]
 *
 * -n: stop after that many rows (default: run until interrupted); -p: seconds between rows
 * (default 60); -i: the collector's sampling interval (default 2); -o: the file (default
 * stdout). The columns are "time" (local time of the row) and the keys of the first
 * collection; a key that appears later (a process started after the first row) is not
 * written, a key that disappears leaves its cell empty.
 *
 *   cc collector_csv.c $(pkg-config --cflags --libs nvitop) -o collector_csv
 */
#define _POSIX_C_SOURCE 200809L /* localtime_r, nanosleep */
#include <nvitop.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TAG "resources"

typedef struct columns {
    char **keys;
    size_t count;
} columns_t;

/* A CSV field: quoted, since keys hold spaces, parentheses and '%'. */
static void put_quoted(FILE *out, const char *text)
{
    fputc('"', out);
    for (const char *c = text; *c; c++) {
        if (*c == '"') fputc('"', out);
        fputc(*c, out);
    }
    fputc('"', out);
}

static int write_header(FILE *out, const nvitop_metrics_t *m, columns_t *cols)
{
    cols->keys = calloc(m->count ? m->count : 1, sizeof(*cols->keys));
    if (!cols->keys) return -1;
    fputs("time", out);
    for (size_t i = 0; i < m->count; i++) {
        if (!(cols->keys[i] = strdup(m->items[i].key))) return -1;
        cols->count++;
        fputc(',', out);
        put_quoted(out, m->items[i].key);
    }
    fputc('\n', out);
    return 0;
}

static void write_row(FILE *out, const nvitop_metrics_t *m, const columns_t *cols)
{
    char when[32] = "";
    const nvitop_metric_t *ts = nvitop_metrics_find(m, TAG "/timestamp");
    if (ts) {
        time_t t = (time_t)ts->value;
        struct tm tm;
        if (localtime_r(&t, &tm)) strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
    }
    fputs(when, out);
    for (size_t i = 0; i < cols->count; i++) {
        const nvitop_metric_t *item = nvitop_metrics_find(m, cols->keys[i]);
        fputc(',', out);
        if (item && !isnan(item->value)) fprintf(out, "%.15g", item->value);
    }
    fputc('\n', out);
    fflush(out);
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

static int usage(const char *why)
{
    fprintf(stderr,
            "collector_csv: %s\n"
            "usage: collector_csv [-n ROWS] [-p SECONDS] [-i SECONDS] [-o FILE]\n",
            why);
    return 2;
}

static int run(nvitop_collector_t *c, FILE *out, long rows, double period)
{
    columns_t cols = {0};
    int rc = nvitop_collector_begin(c, TAG);
    for (long row = 0; rc == 0 && (rows < 0 || row < rows); row++) {
        sleep_s(period); /* do something */
        nvitop_metrics_t *m = NULL;
        rc = nvitop_collector_collect(c, &m);
        if (rc == 0 && !cols.keys && write_header(out, m, &cols) < 0) rc = NVITOP_ENOMEM;
        if (rc == 0) write_row(out, m, &cols);
        nvitop_metrics_free(m);
    }
    nvitop_collector_end(c, TAG);
    for (size_t i = 0; i < cols.count; i++)
        free(cols.keys[i]);
    free(cols.keys);
    if (rc < 0) fprintf(stderr, "collector_csv: %s\n", nvitop_strerror(rc));
    return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    long rows = -1;
    double period = 60.0;
    const char *path = NULL;
    nvitop_collector_options_t opts;
    nvitop_collector_options_init(&opts);
    opts.interval_s = 2.0;
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        const char *arg = argv[i];
        if (i + 1 >= argc) return usage("unknown argument or missing value");
        const char *value = argv[++i];
        if (strcmp(arg, "-n") == 0) {
            rows = strtol(value, &end, 10);
            if (*end || rows < 1) return usage("-n needs a positive number of rows");
        } else if (strcmp(arg, "-p") == 0) {
            period = strtod(value, &end);
            if (*end || !(period >= 0)) return usage("-p needs a number of seconds >= 0");
        } else if (strcmp(arg, "-i") == 0) {
            opts.interval_s = strtod(value, &end);
            if (*end || !(opts.interval_s > 0)) return usage("-i needs a number of seconds > 0");
        } else if (strcmp(arg, "-o") == 0) {
            path = value;
        } else {
            return usage("unknown argument");
        }
    }
    const uint32_t all[] = {1}; /* every GPU process, as root_pids={1} */
    opts.root_pids = all;
    opts.root_pid_count = 1;
    nvitop_collector_t *c = NULL;
    char msg[256];
    if (nvitop_collector_new(&opts, &c, msg, sizeof(msg)) < 0) {
        fprintf(stderr, "collector_csv: %s\n", msg);
        return 1;
    }
    FILE *out = path ? fopen(path, "w") : stdout;
    if (!out) {
        perror(path);
        nvitop_collector_free(c);
        return 1;
    }
    int status = run(c, out, rows, period);
    if (path && fclose(out) != 0) status = 1;
    nvitop_collector_free(c);
    return status;
}
