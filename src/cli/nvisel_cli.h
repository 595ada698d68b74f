/* SPDX-License-Identifier: Apache-2.0 */
/* The `nvisel` program: its options (nvisel 1.7's set and messages) and its run. */
#ifndef NVITOP_CLI_NVISEL_H
#define NVITOP_CLI_NVISEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nvisel_cli {
    bool inherit;              /* --inherit given */
    const char *inherit_value; /* its value, NULL when bare (then $CUDA_VISIBLE_DEVICES) */
    bool free_accounts_set;
    char **free_accounts; /* borrowed from argv, or the current user */
    size_t free_account_count;
    long min_count;
    long max_count;                 /* -1: all */
    int64_t min_free_memory_bytes;  /* -1: no constraint */
    int64_t min_total_memory_bytes; /* -1: no constraint */
    long max_gpu_utilization;       /* -1: no constraint */
    long max_memory_utilization;    /* -1: no constraint */
    long tolerance;                 /* percent; 10 unless given */
    bool uuid;                      /* --format uuid */
    const char *sep;                /* the separator; "\0" handled by `null` */
    bool null;                      /* --null: NUL separator and terminator */
    bool no_sort;
    bool debug; /* LOGLEVEL=DEBUG */
    char current_user[256];
    char *current_user_list[1]; /* `free_accounts` of a bare --account-as-free */
} nvisel_cli_t;

/* Parses argv and LOGLEVEL. Returns -1 to go on, or the exit code (0 after --help/--version, 2
 * on a bad argument, with argparse's usage and one error line on stderr). */
int nvisel_cli_parse(int argc, char **argv, nvisel_cli_t *cli);
void nvisel_cli_fini(nvisel_cli_t *cli);

/* Selects and prints; returns the exit code (0, 1: no NVML library, 2: NVML error, 3: CUDA
 * error, 4: fewer devices than --min-count). */
int nvisel_cli_run(const nvisel_cli_t *cli);

/* main() of nvisel. */
int nvisel_main(int argc, char **argv);

#endif
