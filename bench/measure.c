/* SPDX-License-Identifier: Apache-2.0 */
/* Runs one command once and prints what it cost: wall time (CLOCK_MONOTONIC around spawn and
 * wait4), user + system CPU time and peak RSS of the child (from wait4's rusage). Used by
 * bench/run.sh; not part of the product. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void usage(void)
{
    fputs("usage: measure [-o FILE] -- PROGRAM [ARG...]\n"
          "Runs PROGRAM once, its stdin from /dev/null and its stdout to FILE (default\n"
          "/dev/null), and prints one line: wall_us cpu_us maxrss_kib\n"
          "(cpu = user + system). Exits 1 if PROGRAM cannot run, fails or is killed.\n",
          stderr);
}

static long long ns_of(const struct timespec *t)
{
    return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long us_of(const struct timeval *t)
{
    return (long long)t->tv_sec * 1000000LL + t->tv_usec;
}

int main(int argc, char **argv)
{
    const char *out = "/dev/null";
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else {
            usage();
            return 2;
        }
    }
    if (i >= argc) {
        usage();
        return 2;
    }
    char **cmd = argv + i;

    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644) != 0) {
        fputs("measure: cannot set up the child's files\n", stderr);
        return 1;
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid;
    int rc = posix_spawnp(&pid, cmd[0], &fa, NULL, cmd, environ);
    if (rc != 0) {
        fprintf(stderr, "measure: cannot run %s: %s\n", cmd[0], strerror(rc));
        posix_spawn_file_actions_destroy(&fa);
        return 1;
    }
    int status;
    struct rusage ru;
    pid_t got;
    do
        got = wait4(pid, &status, 0, &ru);
    while (got < 0 && errno == EINTR);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    posix_spawn_file_actions_destroy(&fa);
    if (got < 0) {
        fprintf(stderr, "measure: wait4: %s\n", strerror(errno));
        return 1;
    }
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "measure: %s was killed by signal %d (%s)\n", cmd[0], WTERMSIG(status),
                strsignal(WTERMSIG(status)));
        return 1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "measure: %s exited with status %d\n", cmd[0],
                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return 1;
    }
    long long wall_us = (ns_of(&t1) - ns_of(&t0) + 500) / 1000;
    long long cpu_us = us_of(&ru.ru_utime) + us_of(&ru.ru_stime);
    printf("%lld %lld %ld\n", wall_us, cpu_us, ru.ru_maxrss);
    return 0;
}
