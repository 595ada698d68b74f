/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the workload parsers (src/host/workload.c): every cgroup layout of the runtimes,
 * Kubernetes, Slurm and systemd, the environment fallback, NSpid, and malformed input. */
#include "testutil.h"

#include "host/host_internal.h"

#include <string.h>

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
#define UID_ "3f2a9c1e_5b7d_4e8f_9a0b_1c2d3e4f5a6b"

static host_workload_t parse(const char *text)
{
    host_workload_t w;
    assert_int_equal(host_parse_cgroup_workload(text, strlen(text), &w), 0);
    return w;
}

static void expect_container(const char *text, const char *runtime)
{
    host_workload_t w = parse(text);
    assert_int_equal(w.kind, HOST_WL_CONTAINER);
    assert_string_equal(w.runtime, runtime);
    assert_string_equal(w.container_id, ID64);
}

static void test_containers(void **state)
{
    (void)state;
    expect_container("12:memory:/docker/" ID64 "\n1:name=systemd:/docker/" ID64 "\n0::/\n",
                     "docker");
    expect_container("0::/system.slice/docker-" ID64 ".scope\n", "docker");
    expect_container("1:name=systemd:/machine.slice/libpod-" ID64 ".scope\n", "podman");
    expect_container("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID64
                     ".scope/container\n",
                     "podman");
    expect_container("0::/libpod_parent/libpod-" ID64 "\n", "podman");
    expect_container("0::/system.slice/cri-containerd-" ID64 ".scope\n", "containerd");
    expect_container("0::/system.slice/nerdctl-" ID64 ".scope\n", "containerd");
    expect_container("0::/system.slice/crio-" ID64 ".scope\n", "cri-o");
    /* a runtime's monitor is not the container */
    host_workload_t w = parse("0::/machine.slice/libpod-conmon-" ID64 ".scope\n");
    assert_int_equal(w.kind, HOST_WL_UNIT);
    /* a bare id outside docker/ or kubepods is no container */
    w = parse("0::/some/" ID64 "\n");
    assert_int_equal(w.kind, HOST_WL_NONE);
    /* a short id in docker/ is not a full id */
    w = parse("0::/docker/0123abcd\n");
    assert_int_equal(w.kind, HOST_WL_NONE);
}

static void expect_pod(const char *text, const char *runtime, bool has_id)
{
    host_workload_t w = parse(text);
    assert_int_equal(w.kind, HOST_WL_POD);
    assert_string_equal(w.pod_uid, UID);
    assert_string_equal(w.runtime, runtime);
    assert_string_equal(w.container_id, has_id ? ID64 : "");
}

static void test_pods(void **state)
{
    (void)state;
    expect_pod("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
               ".slice/cri-containerd-" ID64 ".scope\n",
               "containerd", true);
    expect_pod("0::/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID64 ".scope\n", "cri-o",
               true);
    expect_pod("11:memory:/kubepods/besteffort/pod" UID "/" ID64 "\n", "", true);
    expect_pod("11:memory:/kubepods/pod" UID "/crio-" ID64 "\n", "cri-o", true);
    expect_pod("0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_
               ".slice/docker-" ID64 ".scope\n",
               "docker", true);
    /* the pod's own slice, no container (a sandbox process) */
    expect_pod("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice\n",
               "", false);
    /* pod-looking names outside kubepods are not pods */
    host_workload_t w = parse("0::/system.slice/pod" UID ".slice\n");
    assert_int_not_equal(w.kind, HOST_WL_POD);
}

static void test_slurm(void **state)
{
    (void)state;
    host_workload_t w = parse("4:memory:/slurm/uid_1000/job_812345/step_0/task_0\n0::/\n");
    assert_int_equal(w.kind, HOST_WL_SLURM);
    assert_string_equal(w.slurm_job, "812345");
    assert_string_equal(w.slurm_step, "0");
    assert_int_equal(w.slurm_uid, 1000);
    w = parse("4:memory:/slurm_node7/uid_1000/job_5/step_extern\n");
    assert_string_equal(w.slurm_job, "5");
    assert_string_equal(w.slurm_step, "extern");
    w = parse("0::/system.slice/slurmstepd.scope/job_812346/step_batch/user/task_0\n");
    assert_int_equal(w.kind, HOST_WL_SLURM);
    assert_string_equal(w.slurm_job, "812346");
    assert_string_equal(w.slurm_step, "batch");
    assert_int_equal(w.slurm_uid, -1);
    w = parse("0::/system.slice/node1_slurmstepd.scope/job_9/step_interactive/user/task_0\n");
    assert_string_equal(w.slurm_job, "9");
    assert_string_equal(w.slurm_step, "interactive");
    /* job_ outside Slurm's folders is nothing of Slurm's */
    w = parse("0::/system.slice/job_9\n");
    assert_int_not_equal(w.kind, HOST_WL_SLURM);
    /* slurmstepd itself (no job folder) is its unit */
    w = parse("0::/system.slice/slurmstepd.scope/system\n");
    assert_int_equal(w.kind, HOST_WL_NONE);
}

static void test_systemd(void **state)
{
    (void)state;
    host_workload_t w = parse("0::/user.slice/user-1000.slice/session-3.scope\n");
    assert_int_equal(w.kind, HOST_WL_SESSION);
    assert_string_equal(w.session, "3");
    assert_int_equal(w.user_uid, 1000);
    w = parse("1:name=systemd:/user.slice/user-0.slice/session-c12.scope\n");
    assert_string_equal(w.session, "c12");
    w = parse("0::/system.slice/nginx.service\n");
    assert_int_equal(w.kind, HOST_WL_UNIT);
    assert_string_equal(w.unit, "nginx.service");
    w = parse("0::/user.slice/user-1000.slice/user@1000.service/app.slice/jupyter.service\n");
    assert_int_equal(w.kind, HOST_WL_UNIT);
    assert_string_equal(w.unit, "jupyter.service");
    assert_int_equal(w.user_uid, 1000);
    w = parse("0::/init.scope\n");
    assert_string_equal(w.unit, "init.scope");
    w = parse("0::/\n");
    assert_int_equal(w.kind, HOST_WL_NONE);
    /* the most specific line wins, whatever the order */
    w = parse("0::/system.slice/docker-" ID64 ".scope\n1:name=systemd:/user.slice/user-1.slice/"
              "session-2.scope\n");
    assert_int_equal(w.kind, HOST_WL_CONTAINER);
}

static void test_malformed(void **state)
{
    (void)state;
    host_workload_t w;
    const char *bad[] = {"", "\n", "garbage\n", "0:/no-second-colon\n", "0::relative\n", "0::\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(host_parse_cgroup_workload(bad[i], strlen(bad[i]), &w), -1);
    assert_int_equal(host_parse_cgroup_workload(NULL, 0, &w), -1);
    /* no terminator: the last line still counts, nothing is read past the end */
    const char text[] = "0::/system.slice/a.service";
    assert_int_equal(host_parse_cgroup_workload(text, sizeof(text) - 1, &w), 0);
    assert_string_equal(w.unit, "a.service");
    /* an overlong id is refused, not cut */
    w = parse("0::/system.slice/docker-" ID64 ID64 ID64 ".scope\n");
    assert_int_not_equal(w.kind, HOST_WL_CONTAINER);
}

static void test_environ(void **state)
{
    (void)state;
    host_workload_t w;
    const char env[] = "HOME=/x\0SLURM_JOB_ID=77\0SLURM_STEP_ID=2\0SLURM_JOB_USER=alice\0";
    assert_int_equal(host_parse_environ_workload(env, sizeof(env) - 1, &w), 0);
    assert_int_equal(w.kind, HOST_WL_SLURM);
    assert_true(w.from_environ);
    assert_string_equal(w.slurm_job, "77");
    assert_string_equal(w.slurm_step, "2");
    assert_string_equal(w.slurm_user, "alice");
    const char old[] = "SLURM_JOBID=78";
    assert_int_equal(host_parse_environ_workload(old, sizeof(old) - 1, &w), 0);
    assert_string_equal(w.slurm_job, "78");
    const char bad[] = "SLURM_JOB_ID=abc\0SLURM_JOB_ID_X=1\0";
    assert_int_equal(host_parse_environ_workload(bad, sizeof(bad) - 1, &w), 0);
    assert_int_equal(w.kind, HOST_WL_NONE);
    assert_int_equal(host_parse_environ_workload("", 0, &w), 0);
    assert_int_equal(w.kind, HOST_WL_NONE);
}

static void test_nspid(void **state)
{
    (void)state;
    uint32_t ids[4];
    size_t n;
    const char st[] = "Name:\tx\nNSpid:\t48213\t15\nThreads:\t1\n";
    assert_int_equal(host_parse_status_nspid(st, sizeof(st) - 1, ids, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], 48213);
    assert_int_equal(ids[1], 15);
    const char one[] = "NSpid:\t7";
    assert_int_equal(host_parse_status_nspid(one, sizeof(one) - 1, ids, 4, &n), 0);
    assert_int_equal(n, 1);
    const char *bad[] = {"Name:\tx\n", "NSpid:\n", "NSpid:\t1\tx\n", "NSpid:\t99999999999\n",
                         "NSpid:\t1\t2\t3\t4\t5\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(host_parse_status_nspid(bad[i], strlen(bad[i]), ids, 4, &n), -1);
}

static void test_metadata(void **state)
{
    (void)state;
    host_workload_t w;
    host_workload_init(&w);
    const char docker[] = "{\"State\":{\"Name\":\"not-this\"},\"Config\":{\"Labels\":{"
                          "\"io.kubernetes.pod.name\":\"p\\u0041\",\"io.kubernetes.pod.namespace\":"
                          "\"ns\"}},\"Name\":\"/web-1\",\"Mounts\":{\"x\":{\"Name\":\"v\"}}}";
    host_workload_from_config(docker, sizeof(docker) - 1, &w);
    assert_string_equal(w.container_name, "web-1");
    assert_string_equal(w.pod_name, "pA");
    assert_string_equal(w.pod_namespace, "ns");
    /* truncated JSON: what came before counts, nothing is read past the end */
    host_workload_init(&w);
    host_workload_from_config(docker, 60, &w);
    assert_string_equal(w.container_name, "");

    host_workload_init(&w);
    strcpy(w.container_id, "bb");
    const char list[] =
        "[{\"id\":\"aa\",\"names\":[\"a\"]},{\"id\":\"bb\",\"names\":[\"b\",\"c\"]}]";
    host_workload_from_podman_list(list, sizeof(list) - 1, &w);
    assert_string_equal(w.container_name, "b");

    host_workload_init(&w);
    strcpy(w.pod_uid, UID);
    assert_false(host_workload_from_pod_dir("ns_name_" UID "x", &w));
    assert_false(host_workload_from_pod_dir("_name_" UID, &w));
    assert_false(host_workload_from_pod_dir(UID, &w));
    assert_true(host_workload_from_pod_dir("team-a_train-7c9f_" UID, &w));
    assert_string_equal(w.pod_namespace, "team-a");
    assert_string_equal(w.pod_name, "train-7c9f");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_containers), cmocka_unit_test(test_pods),
        cmocka_unit_test(test_slurm),      cmocka_unit_test(test_systemd),
        cmocka_unit_test(test_malformed),  cmocka_unit_test(test_environ),
        cmocka_unit_test(test_nspid),      cmocka_unit_test(test_metadata),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
