/* SPDX-License-Identifier: Apache-2.0 */
/* The simulator's model of a scenario (devices, MIG devices, processes, values that may change
 * over time) and the call protocol every exported function follows. Shared by the files of sim/
 * only. */
#ifndef NVML_SIM_INTERNAL_H
#define NVML_SIM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "nvml/nvml_abi.h"
#include "sim_fn.h"

#define SIM_EXPORT __attribute__((visibility("default")))

/* A scenario number: absent/null (the call is not supported), a constant, or a sequence that
 * steps every step_s seconds since the first nvmlInit. */
enum sim_num_kind { SIM_NUM_NONE = 0, SIM_NUM_CONST, SIM_NUM_SEQ };
struct sim_num {
    enum sim_num_kind kind;
    long long v; /* SIM_NUM_CONST */
    long long *seq;
    size_t n;
    double step_s;
};

/* The value at t seconds; the number must not be SIM_NUM_NONE. */
long long sim_num_at(const struct sim_num *num, double t);
/* Integral of the value over [0, t] (value-seconds), for counters that grow at a rate. */
double sim_num_integral(const struct sim_num *num, double t);
/* Largest value the number can take (for consistency checks). */
long long sim_num_max(const struct sim_num *num);

enum { SIM_PROC_COMPUTE = 1, SIM_PROC_GRAPHICS = 2 };

struct sim_proc {
    unsigned int pid;
    unsigned int types;               /* SIM_PROC_* bits */
    struct sim_num used_mem;          /* bytes; NONE: usedGpuMemory is "not available" */
    struct sim_num sm, mem, enc, dec; /* percent; sm NONE: no utilization sample */
};

struct sim_link {
    struct sim_num tx, rx;   /* KiB/s */
    double base_tx, base_rx; /* KiB counted before t_base (kept across re-reads) */
};

#define SIM_NUM_CLOCKS 4
#define SIM_NUM_THRESHOLDS 4

/* A physical GPU or a MIG device (is_mig); a MIG device only has the fields its entry may
 * carry, everything else stays SIM_NUM_NONE / NULL and so answers NOT_SUPPORTED. */
struct sim_dev {
    bool is_mig;
    unsigned int index;     /* GPU: index in devices[]; MIG: index in mig_devices[] */
    struct sim_dev *parent; /* MIG only */
    struct sim_slot *slot;  /* the handle clients hold for this device */
    char *key;              /* identity across re-reads: uuid, else a derived key */

    char *name, *uuid, *serial;
    bool has_pci;
    unsigned int pci_domain, pci_bus, pci_device;
    struct sim_num pci_device_id, pci_subsystem_id;
    struct sim_num minor_number, architecture, brand, addressing_mode;
    bool has_cc;
    int cc_major, cc_minor;

    struct sim_num mem_total, mem_reserved, mem_used;
    struct sim_num bar1_total, bar1_used;
    struct sim_num util_gpu, util_mem, enc_util, dec_util;
    bool has_fans;
    size_t n_fans;
    struct sim_num *fans;
    struct sim_num temperature, thresholds[SIM_NUM_THRESHOLDS];
    struct sim_num power_usage, power_limit, energy;
    struct sim_num pstate, persistence, display_mode, display_active, compute_mode;
    bool has_ecc_mode;
    unsigned int ecc_current, ecc_pending;
    struct sim_num ecc_vol_unc, ecc_agg_unc, ecc_vol_cor, ecc_agg_cor;
    struct sim_num clocks[SIM_NUM_CLOCKS], max_clocks[SIM_NUM_CLOCKS];
    struct sim_num pcie_tx, pcie_rx, max_link_gen, max_link_width, cur_link_gen, cur_link_width;
    bool has_nvlink;
    size_t n_links;
    struct sim_link *links;
    double nvlink_t_base;
    struct sim_num throttle_reasons;

    bool has_mig_mode;
    unsigned int mig_current, mig_pending;
    struct sim_num max_mig_count;
    unsigned int gpu_instance_id, compute_instance_id; /* MIG only */
    size_t n_mig;
    struct sim_dev *mig;

    size_t n_procs;
    struct sim_proc *procs;

    nvmlReturn_t errors[SIM_FN_COUNT]; /* injected per function; NVML_SUCCESS: none */
    nvmlReturn_t star_error;           /* "*": also hits this GPU's MIG devices */
};

/* Everything a scenario points to (strings, arrays, sequences) is owned by it and freed at once
 * by sim_scenario_free. */
/* The "cuda" object: what the libcuda stand-in (sim/cuda/) answers. */
struct sim_cuda {
    size_t n_order;      /* 0: CUDA's default order is NVML's */
    unsigned int *order; /* NVML indices, cuda:0 first (a permutation of the GPUs) */
    int init_error;      /* CUresult cuInit returns; 0: none */
    long long init_latency_us;
};

struct sim_scenario {
    void *allocs; /* list of allocations */
    char *driver_version, *nvml_version;
    struct sim_num cuda_driver_version;
    nvmlReturn_t init_error;
    struct sim_num latency_us[SIM_FN_COUNT];
    long long process_sample_period_us;
    size_t n_devs;
    struct sim_dev *devs;
    struct sim_cuda cuda;
};

/* CUresult names without "CUDA_ERROR_" ("NO_DEVICE", also with the prefix, and "SUCCESS"):
 * the code, or -1. The name of a code ("CUDA_ERROR_NO_DEVICE"), or NULL. */
int sim_cuda_error_by_name(const char *name);
const char *sim_cuda_error_name(int code);

/* Parses the scenario file at path. On success returns the scenario and fills the file's
 * identity (*st, from the descriptor read). On failure returns NULL and writes one line
 * "nvml-sim: <file>:<line>: <field>: <why>" (no newline) into err. Warnings (unknown keys)
 * are printed to stderr on success only. */
struct sim_scenario *sim_scenario_load(const char *path, struct stat *st, char *err, size_t errlen);
void sim_scenario_free(struct sim_scenario *sc);

/* The 1-based line where the value at path ("devices[1].memory.total") starts in the JSON
 * text, or the line of the deepest enclosing value that exists. text must be valid JSON. */
int sim_json_line(const char *text, size_t len, const char *path);

/* "dddddddd:bb:dd.f", "dddd:bb:dd.f" or "bb:dd.f" (hex, any case); false if malformed. */
bool sim_parse_bus_id(const char *s, unsigned int *domain, unsigned int *bus, unsigned int *device);

/* The code of an nvmlReturn_t name ("NOT_SUPPORTED" or "NVML_ERROR_NOT_SUPPORTED"), or -1. */
int sim_return_by_name(const char *name);

/* A client's nvmlDevice_t points at one of these; slots live as long as the process so that a
 * handle stays valid across re-reads and shutdowns. dev is NULL while the device is absent. */
struct sim_slot {
    char *key;
    struct sim_dev *dev;
};

/* One API call in progress: sim_begin* take the state lock, sim_end drops it, then waits the
 * function's latency. Between them, c->dev (device calls) and c->sc are valid. */
struct sim_call {
    enum sim_fn fn;
    struct sim_scenario *sc;
    struct sim_dev *dev;
    double t;           /* seconds since the first successful nvmlInit */
    long long wait_us;  /* latency to model after the lock is dropped */
    long long start_ns; /* when the call began: its own work counts towards the latency */
    bool locked;
};

/* nvmlInit* (reference counted; the first reads the scenario) and nvmlShutdown. */
nvmlReturn_t sim_state_init(enum sim_fn fn);
nvmlReturn_t sim_state_shutdown(void);
/* Counts a call that needs no state (nvmlErrorString). */
void sim_count(enum sim_fn fn);

/* Counts the call, locks, checks that NVML is initialized and re-reads the scenario if due.
 * Returns NVML_SUCCESS or the code to return (the lock is held either way until sim_end). */
nvmlReturn_t sim_begin(struct sim_call *c, enum sim_fn fn);
/* sim_begin, then resolves the handle (INVALID_ARGUMENT, GPU_IS_LOST) and applies an error
 * the scenario injects for this function on this device. */
nvmlReturn_t sim_begin_dev(struct sim_call *c, enum sim_fn fn, nvmlDevice_t device);
/* sim_begin_dev, then INVALID_ARGUMENT if the out-pointer is NULL. */
nvmlReturn_t sim_begin_out(struct sim_call *c, enum sim_fn fn, nvmlDevice_t device,
                           const void *out);
/* Unlocks, waits the latency, returns r. */
nvmlReturn_t sim_end(struct sim_call *c, nvmlReturn_t r);

/* The injected error of fn for dev (NVML_SUCCESS if none), honouring a MIG parent's "*". */
nvmlReturn_t sim_injected(const struct sim_dev *dev, enum sim_fn fn);
nvmlDevice_t sim_handle(const struct sim_dev *dev);
/* Microseconds since the epoch, CLOCK_REALTIME. */
unsigned long long sim_realtime_us(void);

/* Copies s into buf (NUL-terminated) or answers INSUFFICIENT_SIZE; NULL s: NOT_SUPPORTED. */
nvmlReturn_t sim_copy_str(const char *s, char *buf, unsigned int len);
/* *out = value of num at c->t, NOT_SUPPORTED when absent. */
nvmlReturn_t sim_get_uint(const struct sim_call *c, const struct sim_num *num, unsigned int *out);
nvmlReturn_t sim_get_ull(const struct sim_call *c, const struct sim_num *num,
                         unsigned long long *out);
/* A whole device call answering one number of struct sim_dev (at offset off). */
nvmlReturn_t sim_dev_uint(enum sim_fn fn, nvmlDevice_t device, size_t off, unsigned int *out);
nvmlReturn_t sim_dev_ull(enum sim_fn fn, nvmlDevice_t device, size_t off, unsigned long long *out);

#endif
