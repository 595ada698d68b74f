/* SPDX-License-Identifier: Apache-2.0 */
/* The yardstick of bench/run.sh: a bare C program that loads NVML, reads exactly the values
 * `nvitop -1` shows, with the same NVML calls, and the /proc files it shows them from, prints
 * nothing and exits. No project header: its own minimal NVML declarations.
 *
 * The NVML calls per device are those an NVML_SIM_CALLS dump of `nvitop -1` lists on the
 * 8-GPU scenario (80 columns); `--wide` adds the two clocks the wide bars show (SM, memory).
 * MIG devices are not walked: the benchmark scenarios and the reference H100 have MIG off. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

typedef int nvmlReturn_t;
typedef struct nvmlDevice_st *nvmlDevice_t;
#define NVML_SUCCESS 0
#define NVML_ERROR_INSUFFICIENT_SIZE 7

typedef struct {
    char busIdLegacy[16];
    unsigned domain, bus, device, pciDeviceId, pciSubSystemId;
    char busId[32];
} pci_info_t;

typedef struct {
    unsigned version;
    unsigned long long total, reserved, free, used;
} memory_v2_t;
#define MEMORY_V2_VERSION ((unsigned)sizeof(memory_v2_t) | (2U << 24))

typedef struct {
    unsigned long long total, free, used;
} bar1_t;

typedef struct {
    unsigned gpu, memory;
} utilization_t;

typedef struct {
    unsigned version;
    int sensor;
    int temperature;
} temperature_v1_t;
#define TEMPERATURE_V1_VERSION ((unsigned)sizeof(temperature_v1_t) | (1U << 24))

typedef struct { /* nvmlProcessInfo_v2_t: filled by the _v2 and _v3 process lists */
    unsigned pid;
    unsigned long long used_memory;
    unsigned gpu_instance_id, compute_instance_id;
} process_t;

typedef struct {
    unsigned pid;
    unsigned long long timestamp;
    unsigned sm, mem, enc, dec;
} sample_t;

typedef nvmlReturn_t (*f_void)(void);
typedef const char *(*f_errstr)(nvmlReturn_t);
typedef nvmlReturn_t (*f_str)(char *, unsigned);
typedef nvmlReturn_t (*f_int)(int *);
typedef nvmlReturn_t (*f_uint)(unsigned *);
typedef nvmlReturn_t (*f_handle)(unsigned, nvmlDevice_t *);
typedef nvmlReturn_t (*f_dev_str)(nvmlDevice_t, char *, unsigned);
typedef nvmlReturn_t (*f_dev_ptr)(nvmlDevice_t, void *);
typedef nvmlReturn_t (*f_dev_uint)(nvmlDevice_t, unsigned *);
typedef nvmlReturn_t (*f_dev_arg_uint)(nvmlDevice_t, unsigned, unsigned *);
typedef nvmlReturn_t (*f_dev_pair)(nvmlDevice_t, unsigned *, unsigned *);
typedef nvmlReturn_t (*f_ecc)(nvmlDevice_t, int, int, unsigned long long *);
typedef nvmlReturn_t (*f_procs)(nvmlDevice_t, unsigned *, process_t *);
typedef nvmlReturn_t (*f_samples)(nvmlDevice_t, sample_t *, unsigned *, unsigned long long);

static struct {
    f_void init, shutdown;
    f_errstr error_string;
    f_str driver_version, nvml_version;
    f_int cuda_version;
    f_uint count;
    f_handle handle;
    f_dev_str name;
    f_dev_ptr pci, memory, bar1, utilization, temperature;
    f_dev_uint fan, power, power_limit, pstate, persistence, display_active, compute_mode, max_mig;
    f_dev_arg_uint clock;
    f_dev_pair mig_mode;
    f_ecc ecc;
    f_procs compute, graphics;
    f_samples samples;
} nv;

static volatile unsigned long long sink; /* everything read is added here */
static int verbose;
static char first_name[96] = "?"; /* device 0's name, for -v */

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The first of the NULL-terminated names the library exports, or NULL. */
static void *sym(void *dl, const char *const *names)
{
    for (; *names; names++) {
        void *p = dlsym(dl, *names);
        if (p) return p;
    }
    return NULL;
}

#define RESOLVE(field, ...)                                                                        \
    do {                                                                                           \
        static const char *const names_[] = {__VA_ARGS__, NULL};                                   \
        void *p_ = sym(dl, names_);                                                                \
        memcpy(&nv.field, &p_, sizeof(p_));                                                        \
    } while (0)

static void *load(void)
{
    const char *path = getenv("NVITOP_NVML_LIBRARY");
    const char *names[] = {path && *path ? path : "libnvidia-ml.so.1", "libnvidia-ml.so"};
    void *dl = NULL;
    for (size_t i = 0; !dl && i < (path && *path ? 1 : 2); i++)
        dl = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        fprintf(stderr, "bare_report: cannot load %s%s: %s\n", names[0],
                path && *path ? "" : " (nor libnvidia-ml.so)", dlerror());
        return NULL;
    }
    RESOLVE(init, "nvmlInit_v2", "nvmlInit");
    RESOLVE(shutdown, "nvmlShutdown");
    RESOLVE(error_string, "nvmlErrorString");
    RESOLVE(driver_version, "nvmlSystemGetDriverVersion");
    RESOLVE(nvml_version, "nvmlSystemGetNVMLVersion");
    RESOLVE(cuda_version, "nvmlSystemGetCudaDriverVersion_v2", "nvmlSystemGetCudaDriverVersion");
    RESOLVE(count, "nvmlDeviceGetCount_v2", "nvmlDeviceGetCount");
    RESOLVE(handle, "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex");
    RESOLVE(name, "nvmlDeviceGetName");
    RESOLVE(pci, "nvmlDeviceGetPciInfo_v3", "nvmlDeviceGetPciInfo_v2");
    RESOLVE(memory, "nvmlDeviceGetMemoryInfo_v2");
    RESOLVE(bar1, "nvmlDeviceGetBAR1MemoryInfo");
    RESOLVE(utilization, "nvmlDeviceGetUtilizationRates");
    RESOLVE(fan, "nvmlDeviceGetFanSpeed");
    RESOLVE(temperature, "nvmlDeviceGetTemperatureV");
    RESOLVE(power, "nvmlDeviceGetPowerUsage");
    RESOLVE(power_limit, "nvmlDeviceGetPowerManagementLimit");
    RESOLVE(pstate, "nvmlDeviceGetPerformanceState");
    RESOLVE(persistence, "nvmlDeviceGetPersistenceMode");
    RESOLVE(display_active, "nvmlDeviceGetDisplayActive");
    RESOLVE(compute_mode, "nvmlDeviceGetComputeMode");
    RESOLVE(ecc, "nvmlDeviceGetTotalEccErrors");
    RESOLVE(mig_mode, "nvmlDeviceGetMigMode");
    RESOLVE(max_mig, "nvmlDeviceGetMaxMigDeviceCount");
    RESOLVE(clock, "nvmlDeviceGetClockInfo");
    RESOLVE(compute, "nvmlDeviceGetComputeRunningProcesses_v3",
            "nvmlDeviceGetComputeRunningProcesses_v2");
    RESOLVE(graphics, "nvmlDeviceGetGraphicsRunningProcesses_v3",
            "nvmlDeviceGetGraphicsRunningProcesses_v2");
    RESOLVE(samples, "nvmlDeviceGetProcessUtilization");
    if (!nv.init || !nv.shutdown || !nv.count || !nv.handle) {
        fprintf(stderr, "bare_report: %s lacks nvmlInit, nvmlShutdown or the device lookups\n",
                names[0]);
        return NULL;
    }
    return dl;
}

static void add_uint(f_dev_uint f, nvmlDevice_t dev)
{
    unsigned v = 0;
    if (f && f(dev, &v) == NVML_SUCCESS) sink += v;
}

/* One process list, with the buffer sizing nvitop uses (room for 64, grow on demand). */
static size_t add_processes(f_procs f, nvmlDevice_t dev, unsigned **pids, size_t *n, size_t *cap)
{
    if (!f) return 0;
    unsigned want = 64;
    process_t *buf = NULL;
    nvmlReturn_t rc = NVML_ERROR_INSUFFICIENT_SIZE;
    unsigned got = 0;
    for (int attempt = 0; rc == NVML_ERROR_INSUFFICIENT_SIZE && attempt < 4; attempt++) {
        free(buf);
        buf = calloc(want, sizeof(*buf));
        if (!buf) return 0;
        got = want;
        rc = f(dev, &got, buf);
        want = 2 * got + 5;
    }
    size_t added = 0;
    for (unsigned i = 0; rc == NVML_SUCCESS && i < got; i++) {
        if (*n == *cap) {
            size_t c = *cap ? 2 * *cap : 256;
            unsigned *p = realloc(*pids, c * sizeof(*p));
            if (!p) break;
            *pids = p;
            *cap = c;
        }
        (*pids)[(*n)++] = buf[i].pid;
        sink += buf[i].used_memory;
        added++;
    }
    free(buf);
    return added;
}

static void add_samples(nvmlDevice_t dev, size_t processes)
{
    if (!nv.samples || processes == 0) return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    unsigned long long last_seen = (unsigned long long)now.tv_sec * 1000000ULL +
                                   (unsigned long long)now.tv_nsec / 1000 - 1000000ULL;
    unsigned want = 2 * (unsigned)processes + 5 < 64 ? 64 : 2 * (unsigned)processes + 5;
    sample_t *buf = calloc(want, sizeof(*buf));
    if (!buf) return;
    unsigned got = want;
    if (nv.samples(dev, buf, &got, last_seen) == NVML_SUCCESS)
        for (unsigned i = 0; i < got && i < want; i++)
            sink += buf[i].sm + buf[i].mem;
    free(buf);
}

static void query_device(unsigned index, int wide, unsigned **pids, size_t *n, size_t *cap)
{
    nvmlDevice_t dev;
    if (nv.handle(index, &dev) != NVML_SUCCESS) return;
    char name[96];
    if (nv.name && nv.name(dev, name, sizeof name) == NVML_SUCCESS) {
        sink += (unsigned char)name[0];
        if (index == 0) memcpy(first_name, name, sizeof name);
    }
    pci_info_t pci;
    if (nv.pci && nv.pci(dev, &pci) == NVML_SUCCESS) sink += pci.bus;
    memory_v2_t mem = {.version = MEMORY_V2_VERSION};
    if (nv.memory && nv.memory(dev, &mem) == NVML_SUCCESS) sink += mem.used;
    bar1_t bar1;
    if (nv.bar1 && nv.bar1(dev, &bar1) == NVML_SUCCESS) sink += bar1.used;
    utilization_t util;
    if (nv.utilization && nv.utilization(dev, &util) == NVML_SUCCESS) sink += util.gpu;
    add_uint(nv.fan, dev);
    temperature_v1_t temp = {TEMPERATURE_V1_VERSION, 0, 0};
    if (nv.temperature && nv.temperature(dev, &temp) == NVML_SUCCESS)
        sink += (unsigned)temp.temperature;
    add_uint(nv.power, dev);
    add_uint(nv.power_limit, dev);
    add_uint(nv.pstate, dev);
    add_uint(nv.persistence, dev);
    add_uint(nv.display_active, dev);
    add_uint(nv.compute_mode, dev);
    unsigned long long ecc = 0;
    if (nv.ecc && nv.ecc(dev, 1 /* uncorrected */, 0 /* volatile */, &ecc) == NVML_SUCCESS)
        sink += ecc;
    unsigned mig = 0, pending = 0;
    if (nv.mig_mode && nv.mig_mode(dev, &mig, &pending) == NVML_SUCCESS) add_uint(nv.max_mig, dev);
    if (wide && nv.clock) {
        unsigned mhz = 0;
        if (nv.clock(dev, 1 /* SM */, &mhz) == NVML_SUCCESS) sink += mhz;
        if (nv.clock(dev, 2 /* memory */, &mhz) == NVML_SUCCESS) sink += mhz;
    }
    size_t procs = add_processes(nv.compute, dev, pids, n, cap);
    procs += add_processes(nv.graphics, dev, pids, n, cap);
    add_samples(dev, procs);
}

/* What the monitor asks of a device each refresh at --interval 1 (src/tui/monitor.c's
 * QUERY_FAST and the process task: memory, utilisation, power, the two clocks, the process
 * lists and their samples), and every fifth refresh its lazy fields (fan, temperature, P-state,
 * persistence, display, ECC, compute mode, MIG mode, power limit, BAR1). */
static void refresh_device(unsigned index, int lazy, unsigned **pids, size_t *n, size_t *cap)
{
    nvmlDevice_t dev;
    if (nv.handle(index, &dev) != NVML_SUCCESS) return;
    memory_v2_t mem = {.version = MEMORY_V2_VERSION};
    if (nv.memory && nv.memory(dev, &mem) == NVML_SUCCESS) sink += mem.used;
    utilization_t util;
    if (nv.utilization && nv.utilization(dev, &util) == NVML_SUCCESS) sink += util.gpu;
    add_uint(nv.power, dev);
    unsigned mhz = 0;
    if (nv.clock && nv.clock(dev, 1 /* SM */, &mhz) == NVML_SUCCESS) sink += mhz;
    if (nv.clock && nv.clock(dev, 2 /* memory */, &mhz) == NVML_SUCCESS) sink += mhz;
    if (lazy) {
        add_uint(nv.fan, dev);
        temperature_v1_t temp = {TEMPERATURE_V1_VERSION, 0, 0};
        if (nv.temperature && nv.temperature(dev, &temp) == NVML_SUCCESS)
            sink += (unsigned)temp.temperature;
        add_uint(nv.pstate, dev);
        add_uint(nv.persistence, dev);
        add_uint(nv.display_active, dev);
        unsigned long long ecc = 0;
        if (nv.ecc && nv.ecc(dev, 1, 0, &ecc) == NVML_SUCCESS) sink += ecc;
        add_uint(nv.compute_mode, dev);
        unsigned mig = 0, pending = 0;
        if (nv.mig_mode && nv.mig_mode(dev, &mig, &pending) == NVML_SUCCESS) sink += mig;
        add_uint(nv.power_limit, dev);
        bar1_t bar1;
        if (nv.bar1 && nv.bar1(dev, &bar1) == NVML_SUCCESS) sink += bar1.used;
    }
    size_t procs = add_processes(nv.compute, dev, pids, n, cap);
    procs += add_processes(nv.graphics, dev, pids, n, cap);
    add_samples(dev, procs);
}

/* Reads dirfd/name to its end, as nvitop does: the first size - 1 bytes into buf
 * (NUL-terminated), the rest (a big machine's /proc/stat) read and dropped. Returns the
 * file's length, or 0 when it cannot be opened. */
static size_t slurp(int dirfd, const char *name, char *buf, size_t size)
{
    buf[0] = '\0';
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return 0;
    size_t len = 0, total = 0;
    ssize_t got;
    char rest[4096];
    while (len + 1 < size && (got = read(fd, buf + len, size - len - 1)) > 0)
        len += (size_t)got;
    buf[len] = '\0';
    total = len;
    while (len + 1 == size && (got = read(fd, rest, sizeof rest)) > 0)
        total += (size_t)got;
    close(fd);
    return total;
}

static void read_host(int proc)
{
    static const char *const files[] = {"stat", "meminfo", "loadavg", "uptime",
                                        "sys/kernel/hostname"};
    char buf[16384];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        sink += slurp(proc, files[i], buf, sizeof buf);
    struct passwd *pw = getpwuid(geteuid()); /* "user@host" above the process table */
    if (pw) sink += (unsigned char)pw->pw_name[0];
    time_t now = time(NULL); /* the date line: local time, so /etc/localtime */
    struct tm tm;
    if (localtime_r(&now, &tm)) sink += (unsigned)tm.tm_hour;
}

static int cmp_uint(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

/* stat (times, start, RSS), status (uid) and cmdline of each distinct pid; user names looked
 * up once per uid. Returns how many pids the host knows. */
static size_t read_processes(int proc, unsigned *pids, size_t n)
{
    qsort(pids, n, sizeof *pids, cmp_uint);
    char buf[16384], dir[16];
    unsigned uids[64];
    size_t n_uids = 0, found = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && pids[i] == pids[i - 1]) continue;
        snprintf(dir, sizeof dir, "%u", pids[i]);
        int fd = openat(proc, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) continue;
        found++;
        if (slurp(fd, "stat", buf, sizeof buf) > 0) {
            /* Fields after the command's ")": utime 14, stime 15, starttime 22, rss 24. */
            char *s = strrchr(buf, ')'); /* then each field follows a space */
            if (s) s = strchr(s, ' ');
            for (int field = 3; s && field <= 24; field++) {
                s++;
                if (field == 14 || field == 15 || field == 22 || field == 24)
                    sink += strtoull(s, NULL, 10);
                s = strchr(s, ' ');
            }
        }
        if (slurp(fd, "status", buf, sizeof buf) > 0) {
            char *uid_line = strstr(buf, "\nUid:");
            unsigned uid = uid_line ? (unsigned)strtoul(uid_line + 5, NULL, 10) : 0;
            size_t k = 0;
            while (k < n_uids && uids[k] != uid)
                k++;
            if (k == n_uids && n_uids < sizeof uids / sizeof uids[0]) {
                uids[n_uids++] = uid;
                struct passwd *pw = getpwuid(uid);
                if (pw) sink += (unsigned char)pw->pw_name[0];
            }
        }
        sink += slurp(fd, "cmdline", buf, sizeof buf);
        close(fd);
    }
    return found;
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* --refreshes N: the monitor's yardstick. N refreshes back to back, each the driver and /proc
 * work of one second of the monitor at --interval 1: refresh_device() for every GPU, the host
 * files twice (the host panel is sampled every 0.5 s) and each GPU process's stat, status and
 * cmdline. Prints the CPU time of one refresh, in ms, and the peak RSS, in KiB. */
static int refreshes(unsigned count, int n_refreshes)
{
    const char *root = getenv("NVITOP_PROC_ROOT");
    int proc = open(root && *root ? root : "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    double start = 0;
    for (int r = 0; r <= n_refreshes; r++) {
        if (r == 1) start = cpu_ms(); /* the first round warms up */
        unsigned *pids = NULL;
        size_t n = 0, cap = 0;
        for (unsigned i = 0; i < count; i++)
            refresh_device(i, r % 5 == 0, &pids, &n, &cap);
        if (proc >= 0) {
            read_host(proc);
            read_host(proc);
            read_processes(proc, pids, n);
        }
        free(pids);
    }
    double per = n_refreshes > 0 ? (cpu_ms() - start) / n_refreshes : 0;
    if (proc >= 0) close(proc);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%.4f %ld\n", per, ru.ru_maxrss);
    return 0;
}

int main(int argc, char **argv)
{
    int wide = 0, n_refreshes = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--refreshes") == 0 && i + 1 < argc && atoi(argv[i + 1]) > 0) {
            n_refreshes = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--wide") == 0) {
            wide = 1;
        } else if (strcmp(argv[i], "-v") == 0) {
            verbose = 1;
        } else {
            fputs("usage: bare_report [--wide] [-v] [--refreshes N]\n"
                  "Loads NVML, reads what `nvitop -1` shows (--wide: also the two clocks of\n"
                  "the wide bars), prints nothing (-v: what it found and where the time went)\n"
                  "and exits. --refreshes N: then N rounds of the monitor's per-second driver\n"
                  "and /proc work; prints the CPU ms of one round and the peak RSS in KiB.\n",
                  stderr);
            return 2;
        }
    }
    double t0 = now_ms();
    if (!load()) return 2;
    double t1 = now_ms();
    nvmlReturn_t rc = nv.init();
    double t2 = now_ms();
    if (rc != NVML_SUCCESS) {
        fprintf(stderr, "bare_report: nvmlInit failed: %s (%d)\n",
                nv.error_string ? nv.error_string(rc) : "?", rc);
        return 2;
    }
    char text[80];
    if (nv.driver_version && nv.driver_version(text, sizeof text) == NVML_SUCCESS)
        sink += (unsigned char)text[0];
    if (nv.nvml_version && nv.nvml_version(text, sizeof text) == NVML_SUCCESS)
        sink += (unsigned char)text[0];
    int cuda = 0;
    if (nv.cuda_version && nv.cuda_version(&cuda) == NVML_SUCCESS) sink += (unsigned)cuda;
    unsigned count = 0;
    if (nv.count(&count) != NVML_SUCCESS) count = 0;

    unsigned *pids = NULL;
    size_t n = 0, cap = 0;
    for (unsigned i = 0; i < count; i++)
        query_device(i, wide, &pids, &n, &cap);

    double t3 = now_ms();
    const char *root = getenv("NVITOP_PROC_ROOT");
    int proc = open(root && *root ? root : "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    size_t found = 0;
    if (proc >= 0) {
        read_host(proc);
        found = read_processes(proc, pids, n);
        close(proc);
    }
    free(pids);
    if (n_refreshes > 0) {
        int r = refreshes(count, n_refreshes);
        nv.shutdown();
        return r;
    }
    double t4 = now_ms();
    nv.shutdown();
    double t5 = now_ms();
    if (verbose) {
        printf("devices %u (device 0: %.95s), GPU processes %zu, known to the host %zu, "
               "checksum %llu\n",
               count, first_name, n, found, (unsigned long long)sink);
        printf("ms: dlopen %.3f, nvmlInit %.3f, NVML queries %.3f, /proc %.3f, nvmlShutdown %.3f\n",
               t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4);
    }
    return 0;
}
