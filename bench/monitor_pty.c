/* SPDX-License-Identifier: Apache-2.0 */
/* Runs the monitor in a pseudo-terminal for a fixed time and prints what it cost: CPU time
 * and wall time over a measurement window after a warm-up (from /proc/<pid>/stat), peak RSS
 * (wait4), the bytes the program wrote to the terminal in the window and how many frames
 * they came in (a frame: output after a pause of at least GAP ms). Then it presses q and
 * reads the rest (the report nvitop prints) without counting it. Used by bench/monitor.sh;
 * not part of the product. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    fputs("usage: monitor_pty [-t SECONDS] [-w WARMUP] [-s COLSxLINES] [-g GAP_MS] -- PROGRAM "
          "[ARG...]\n"
          "Prints: window_s cpu_s bytes frames maxrss_kib startup_bytes\n",
          stderr);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_of_stat(pid_t pid);

/* CPU time of a process in seconds: the sum of its threads' run time in
 * /proc/<pid>/task/<tid>/schedstat (nanoseconds; a thread that ended no longer counts, the
 * monitor's two threads live to the end), else utime + stime from /proc/<pid>/stat (clock
 * ticks, 10 ms: too coarse for a few ms a second). */
static double cpu_of(pid_t pid)
{
    char dir_path[64];
    snprintf(dir_path, sizeof(dir_path), "/proc/%d/task", (int)pid);
    DIR *dir = opendir(dir_path);
    if (dir) {
        unsigned long long ns = 0;
        int threads = 0;
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            if (e->d_name[0] == '.') continue;
            char path[400];
            snprintf(path, sizeof(path), "%s/%s/schedstat", dir_path, e->d_name);
            FILE *f = fopen(path, "r");
            unsigned long long run = 0;
            if (f && fscanf(f, "%llu", &run) == 1) ns += run, threads++;
            if (f) fclose(f);
        }
        closedir(dir);
        if (threads) return (double)ns / 1e9;
    }
    return cpu_of_stat(pid);
}

/* utime + stime of a process, in seconds, from /proc/<pid>/stat (every thread counted). */
static double cpu_of_stat(pid_t pid)
{
    char path[64], buf[4096];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p) return -1;
    unsigned long long ut = 0, st = 0;
    /* fields after the name: state (3) ... utime (14) stime (15) */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

int main(int argc, char **argv)
{
    double seconds = 20, warmup = 3;
    int cols = 160, lines = 50, gap_ms = 30, opt;
    while ((opt = getopt(argc, argv, "t:w:s:g:h")) != -1) {
        switch (opt) {
        case 't':
            seconds = atof(optarg);
            break;
        case 'w':
            warmup = atof(optarg);
            break;
        case 's':
            if (sscanf(optarg, "%dx%d", &cols, &lines) != 2) {
                usage();
                return 2;
            }
            break;
        case 'g':
            gap_ms = atoi(optarg);
            break;
        default:
            usage();
            return 2;
        }
    }
    if (optind >= argc || seconds <= 0) {
        usage();
        return 2;
    }
    struct winsize ws = {.ws_row = (unsigned short)lines, .ws_col = (unsigned short)cols};
    int master;
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0) {
        perror("forkpty");
        return 1;
    }
    if (pid == 0) {
        execvp(argv[optind], &argv[optind]);
        perror(argv[optind]);
        _exit(127);
    }
    double start = now_s(), window_start = start + warmup, end = window_start + seconds;
    double cpu0 = -1, cpu1 = -1, last_byte = 0;
    long long bytes = 0, startup = 0, frames = 0;
    bool quit_sent = false, open = true;
    char buf[65536];
    while (open) {
        double t = now_s();
        if (cpu0 < 0 && t >= window_start) cpu0 = cpu_of(pid);
        if (!quit_sent && t >= end) {
            cpu1 = cpu_of(pid);
            if (write(master, "q", 1) != 1) perror("write");
            quit_sent = true;
        }
        double until = quit_sent ? t + 10 : (cpu0 < 0 ? window_start : end);
        int timeout = (int)((until - t) * 1000) + 1;
        struct pollfd p = {master, POLLIN, 0};
        int n = poll(&p, 1, timeout);
        if (n < 0 && errno != EINTR) break;
        if (n == 0 && quit_sent) break; /* nothing for 10 s after q */
        if (n <= 0) continue;
        ssize_t got = read(master, buf, sizeof(buf));
        if (got <= 0) { /* EIO: the child closed the terminal */
            open = false;
            break;
        }
        t = now_s();
        if (quit_sent) continue; /* the report after q */
        if (t < window_start) {
            startup += got;
        } else {
            if ((t - last_byte) * 1000 >= gap_ms) frames++;
            bytes += got;
        }
        last_byte = t;
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("wait4");
        return 1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "monitor_pty: %s ended with status %d\n", argv[optind], status);
        return 1;
    }
    if (cpu0 < 0 || cpu1 < 0) {
        fprintf(stderr, "monitor_pty: the program ended before the window did\n");
        return 1;
    }
    printf("%.3f %.3f %lld %lld %ld %lld\n", seconds, cpu1 - cpu0, bytes, frames, ru.ru_maxrss,
           startup);
    return 0;
}
