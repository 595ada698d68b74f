/* SPDX-License-Identifier: Apache-2.0 */
/* The scenario recorder (`nvitop --record-scenario FILE`): reads every value the simulator
 * models from the driver through src/nvml/, over a duration, with each call's latency, and
 * writes a scenario the simulator replays (docs/simulator.md, "Recording a machine"). */
#ifndef NVITOP_RECORD_RECORD_H
#define NVITOP_RECORD_RECORD_H

#include "util/util.h"

#define RECORD_MAX_DURATION_S 3600.0
#define RECORD_MAX_SAMPLES 600
#define RECORD_DEFAULT_DURATION_S 10.0
#define RECORD_DEFAULT_STEP_S 1.0

typedef struct record_options {
    const char *path;    /* the scenario file to write */
    double duration_s;   /* 0: one sample */
    double step_s;       /* time between two samples: the step_s of the sequences */
    const char *library; /* libnvidia-ml to load; NULL: the default names */
} record_options_t;

/* How a recording ended. */
enum {
    RECORD_OK = 0,
    RECORD_FAILED = 1,      /* nothing written: no library, unwritable file, ... */
    RECORD_INIT_FAILED = 2, /* nvmlInit failed: written, with init_error */
};

/* Records into o->path (a temporary file renamed over it). Returns RECORD_*; on anything but
 * RECORD_OK one line in *msg says what happened. */
int record_scenario(const record_options_t *o, strbuf_t *msg);

/* The samples a duration takes: 1 for 0, else ceil(duration / step). */
unsigned record_sample_count(double duration_s, double step_s);

#endif
