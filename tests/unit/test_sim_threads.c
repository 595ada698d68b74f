/* SPDX-License-Identifier: Apache-2.0 */
/* Several threads at once: getters racing with re-reads of a changing scenario always see one
 * whole scenario or the other, every call of every thread is counted, and concurrent
 * init/shutdown pairs keep the reference count right. */
#include "test_sim_common.h"

#include <pthread.h>
#include <stdatomic.h>

#define THREADS 6
#define REREADS 4

/* Two versions of the same GPU: every value of one version differs from the other's. */
static const char v1[] = "{'devices': [{'uuid': 'GPU-T', 'name': 'one', 'memory': {'total': 100,"
                         " 'used': 10}, 'processes': [{'pid': 1, 'used_memory': 10}]}]}";
static const char v2[] = "{'devices': [{'uuid': 'GPU-T', 'name': 'two', 'memory': {'total': 200,"
                         " 'used': 20}, 'processes': [{'pid': 2, 'used_memory': 20},"
                         " {'pid': 3, 'used_memory': 0}]}]}";

static atomic_int stop_readers;
static atomic_int bad_reads;
static atomic_long rounds;
static atomic_int seen_one, seen_two;

static void *reader(void *arg)
{
    nvmlDevice_t dev = arg;
    for (int i = 0; i == 0 || !atomic_load(&stop_readers); i++) {
        atomic_fetch_add(&rounds, 1);
        char name[96] = "";
        nvmlMemory_v2_t m = {.version = nvmlMemory_v2};
        nvmlProcessInfo_v2_t p[4];
        unsigned int n = 4;
        if (NV(nvmlDeviceGetName)(dev, name, sizeof name) != NVML_SUCCESS ||
            (strcmp(name, "one") != 0 && strcmp(name, "two") != 0))
            atomic_fetch_add(&bad_reads, 1);
        atomic_store(name[1] == 'n' ? &seen_one : &seen_two, 1);
        if (NV(nvmlDeviceGetMemoryInfo_v2)(dev, &m) != NVML_SUCCESS || m.used * 10 != m.total)
            atomic_fetch_add(&bad_reads, 1);
        if (NV(nvmlDeviceGetComputeRunningProcesses_v3)(dev, &n, p) != NVML_SUCCESS ||
            !((n == 1 && p[0].pid == 1) || (n == 2 && p[0].pid == 2 && p[1].pid == 3)))
            atomic_fetch_add(&bad_reads, 1);
    }
    return NULL;
}

static void writer(void)
{
    for (int i = 0; i < REREADS; i++)
        sim_replace_scenario(i % 2 ? v1 : v2); /* each waits 150 ms */
}

static void test_readers_and_rereads(void **state)
{
    (void)state;
    char calls[] = "/tmp/nvml-sim-calls-XXXXXX";
    int fd = mkstemp(calls);
    assert_true(fd >= 0);
    close(fd);
    setenv("NVML_SIM_CALLS", calls, 1);
    nvmlDevice_t dev = sim_start(v1, 0);
    pthread_t readers[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&readers[i], NULL, reader, dev), 0);
    writer();
    atomic_store(&stop_readers, 1);
    for (int i = 0; i < THREADS; i++)
        pthread_join(readers[i], NULL);
    assert_int_equal(atomic_load(&bad_reads), 0);
    assert_true(atomic_load(&seen_one) && atomic_load(&seen_two));
    assert_int_equal(NV(nvmlShutdown)(), NVML_SUCCESS);
    long total = atomic_load(&rounds);
    assert_true(total > THREADS);
    assert_int_equal(sim_calls_of(calls, "nvmlDeviceGetName"), total);
    assert_int_equal(sim_calls_of(calls, "nvmlDeviceGetMemoryInfo_v2"), total);
    assert_int_equal(sim_calls_of(calls, "nvmlDeviceGetComputeRunningProcesses_v3"), total);
    unlink(calls);
}

static void *init_shutdown(void *arg)
{
    (void)arg;
    for (int i = 0; i < 300; i++) {
        unsigned int n = 0;
        if (NV(nvmlInit_v2)() != NVML_SUCCESS || NV(nvmlDeviceGetCount_v2)(&n) != NVML_SUCCESS ||
            n != 1 || NV(nvmlShutdown)() != NVML_SUCCESS)
            atomic_fetch_add(&bad_reads, 1);
    }
    return NULL;
}

static void test_concurrent_init_shutdown(void **state)
{
    (void)state;
    atomic_store(&bad_reads, 0);
    sim_start(v1, 0);
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, init_shutdown, NULL), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(atomic_load(&bad_reads), 0);
    /* Only the main thread's reference is left. */
    assert_int_equal(NV(nvmlShutdown)(), NVML_SUCCESS);
    assert_int_equal(NV(nvmlShutdown)(), NVML_ERROR_UNINITIALIZED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_readers_and_rereads, sim_teardown),
        cmocka_unit_test_teardown(test_concurrent_init_shutdown, sim_teardown),
    };
    sim_load_lib();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
