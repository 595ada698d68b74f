/* SPDX-License-Identifier: Apache-2.0 */
/* The recorder's pieces: the probe table (one driver call each), the samples a device keeps,
 * and the writer that turns them into scenario JSON. */
#ifndef NVITOP_RECORD_INTERNAL_H
#define NVITOP_RECORD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nvml/nvml_lib.h"
#include "record/record.h"
#include "render/json_writer.h"

#define REC_VALUES 3
#define REC_TEXT_LEN 96
#define REC_MAX_LINKS 64
#define REC_MAX_MIG 64
#define REC_MAX_PROBES 64 /* rows of rec_probes[], checked where it is defined */

typedef enum rec_kind {
    REC_UINT,       /* nvml_device_uint */
    REC_ULL,        /* nvml_device_ull */
    REC_UINT_ARG,   /* nvml_device_uint_arg(arg) */
    REC_PAIR,       /* nvml_device_pair: v0, v1 */
    REC_MEMORY,     /* the newest memory call: total, reserved, used */
    REC_MEMORY_V1,  /* the unversioned one: total, used (reserved included) */
    REC_BAR1,       /* total, used */
    REC_UTIL,       /* gpu, memory */
    REC_TEMP_V,     /* nvmlDeviceGetTemperatureV */
    REC_ECC,        /* nvml_device_ecc_count(arg: error type, arg2: counter) */
    REC_PCI_IDS,    /* device id, subsystem id */
    REC_ADDRESSING, /* nvml_device_addressing_mode */
    REC_TEXT,       /* nvml_device_string into text[arg] */
    REC_BUS_ID,     /* nvml_device_pci_bus_id into text[arg] */
} rec_kind_t;

enum {
    REC_FIRST_ONLY = 1U << 0, /* no sequence: the simulator takes a constant */
    REC_ARRAY = 1U << 1,      /* written as [v0, v1] */
    REC_ON_MIG = 1U << 2,     /* asked of MIG devices too (the values they have) */
};

/* One driver call and where its answer goes in the scenario. */
typedef struct rec_probe {
    const char *key;                /* device key; NULL: the fields are device keys */
    const char *fields[REC_VALUES]; /* sub-keys; fields[0] NULL: the key is v0 itself */
    rec_kind_t kind;
    nvml_fn_t fn;
    unsigned arg, arg2;
    unsigned flags;
} rec_probe_t;

extern const rec_probe_t rec_probes[];
extern const size_t rec_probe_count;

enum { REC_TEXT_NAME, REC_TEXT_UUID, REC_TEXT_SERIAL, REC_TEXT_BUS_ID, REC_TEXTS };

typedef struct rec_cell {
    nvmlReturn_t rc;
    long long v[REC_VALUES];
} rec_cell_t;

enum { REC_COMPUTE = 1U << 0, REC_GRAPHICS = 1U << 1 };

typedef struct rec_proc {
    unsigned pid, types;     /* REC_COMPUTE | REC_GRAPHICS */
    unsigned long long used; /* NVML_VALUE_NOT_AVAILABLE_ULL: unknown */
    unsigned gi, ci;
    bool has_sample;
    unsigned long long stamp; /* of the sample kept */
    long long sm, mem, enc, dec;
} rec_proc_t;

typedef struct rec_procs {
    nvmlReturn_t compute_rc, graphics_rc, samples_rc;
    rec_proc_t *list;
    size_t count;
} rec_procs_t;

typedef struct rec_nvlink {
    nvmlReturn_t call_rc, count_rc; /* the call; the LINK_COUNT field */
    unsigned links;
    nvmlReturn_t link_rc[REC_MAX_LINKS][2];
    unsigned long long *counters; /* [sample + 1][link][tx, rx]: sample 0 is the baseline */
    long long *stamps;            /* [sample + 1], µs */
} rec_nvlink_t;

/* Call times by function; one per GPU, so that GPUs are sampled in parallel without a lock. */
typedef struct rec_latency {
    double sum_us[NVML_FN__COUNT];
    unsigned calls[NVML_FN__COUNT];
} rec_latency_t;

typedef struct rec_dev {
    rec_latency_t *latency; /* a GPU's own; a MIG device's GPU's */
    nvmlDevice_t handle;
    nvmlReturn_t handle_rc;
    bool is_mig;
    unsigned gi, ci;
    rec_cell_t *cells; /* [sample][probe] */
    char text[REC_TEXTS][REC_TEXT_LEN];
    rec_procs_t *procs; /* [sample] */
    rec_nvlink_t nvlink;
    struct rec_dev *mig; /* the MIG devices of the first sample */
    unsigned mig_count;
} rec_dev_t;

/* The recording under way. */
typedef struct rec {
    nvml_lib_t lib;
    unsigned samples;       /* taken (fewer than asked after Ctrl-C) */
    unsigned samples_asked; /* what the arrays were made for */
    double step_s;
    nvmlReturn_t init_rc;
    rec_latency_t latency; /* of the calls outside the devices */
    char driver_version[REC_TEXT_LEN], nvml_version[REC_TEXT_LEN];
    nvmlReturn_t driver_rc, nvml_rc, cuda_rc;
    int cuda_version;
    rec_dev_t *devs;
    unsigned dev_count;
    bool has_cuda_order;
    unsigned *cuda_order; /* [dev_count]: NVML indices in CUDA's order */
} rec_t;

/* Starts timing a call of fn; rec_timed_end adds the time since to fn's latency. */
uint64_t rec_timed_begin(void);
nvmlReturn_t rec_timed_end(const rec_t *r, rec_latency_t *lat, nvml_fn_t fn, uint64_t began,
                           nvmlReturn_t rc);

/* Asks every probe of dev for sample k (MIG devices: the REC_ON_MIG ones). */
void rec_sample_values(const rec_t *r, rec_dev_t *dev, unsigned k);
/* The process lists and utilisation samples of dev for sample k (parent: its GPU, for the
 * samples of a MIG device's processes when the MIG handle has none). */
void rec_sample_procs(const rec_t *r, rec_dev_t *dev, const rec_dev_t *parent, unsigned k);
/* Takes the MIG devices of a GPU (first sample) or asks them again (later samples). */
void rec_sample_mig(const rec_t *r, rec_dev_t *gpu, unsigned k);
/* NVLink counters: sample k + 1 (k = -1: the baseline before the first sample). */
void rec_sample_nvlink(const rec_t *r, rec_dev_t *dev, int k);

void rec_dev_fini(rec_dev_t *dev, unsigned samples);

/* CUDA's order of the GPUs, when the CUDA driver answers and shows GPUs (not MIG devices). */
void rec_ask_cuda_order(rec_t *r);

/* The scenario as JSON into *out. */
void rec_write(const rec_t *r, strbuf_t *out);
/* A series of n numbers: one number when they are all equal, else a sequence. */
void rec_write_series(jw_t *w, const long long *values, unsigned n, double step_s);

#endif
