/* SPDX-License-Identifier: Apache-2.0 */
/* Scenario numbers (constants and {"seq": [...], "step_s": s} sequences) evaluated at a time,
 * and the small answer helpers every getter shares (strings, numbers, N/A). */
#include "sim_internal.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t seq_pos(const struct sim_num *num, double t)
{
    if (t < 0) t = 0;
    double step = floor(t / num->step_s);
    return (size_t)fmod(step, (double)num->n);
}

long long sim_num_at(const struct sim_num *num, double t)
{
    if (num->kind == SIM_NUM_SEQ) return num->seq[seq_pos(num, t)];
    return num->v;
}

double sim_num_integral(const struct sim_num *num, double t)
{
    if (t <= 0 || num->kind == SIM_NUM_NONE) return 0.0;
    if (num->kind == SIM_NUM_CONST) return (double)num->v * t;
    double period = num->step_s * (double)num->n, sum_period = 0.0;
    for (size_t i = 0; i < num->n; i++)
        sum_period += (double)num->seq[i] * num->step_s;
    double whole = floor(t / period), acc = whole * sum_period, rest = t - whole * period;
    for (size_t i = 0; i < num->n && rest > 0; i++) {
        double span = rest < num->step_s ? rest : num->step_s;
        acc += (double)num->seq[i] * span;
        rest -= span;
    }
    return acc;
}

long long sim_num_max(const struct sim_num *num)
{
    if (num->kind != SIM_NUM_SEQ) return num->v;
    long long m = LLONG_MIN;
    for (size_t i = 0; i < num->n; i++)
        if (num->seq[i] > m) m = num->seq[i];
    return m;
}

nvmlReturn_t sim_copy_str(const char *s, char *buf, unsigned int len)
{
    if (!buf) return NVML_ERROR_INVALID_ARGUMENT;
    if (!s) return NVML_ERROR_NOT_SUPPORTED;
    size_t n = strlen(s);
    if (n >= len) return NVML_ERROR_INSUFFICIENT_SIZE;
    memcpy(buf, s, n + 1);
    return NVML_SUCCESS;
}

nvmlReturn_t sim_get_uint(const struct sim_call *c, const struct sim_num *num, unsigned int *out)
{
    if (!out) return NVML_ERROR_INVALID_ARGUMENT;
    if (num->kind == SIM_NUM_NONE) return NVML_ERROR_NOT_SUPPORTED;
    *out = (unsigned int)sim_num_at(num, c->t);
    return NVML_SUCCESS;
}

nvmlReturn_t sim_get_ull(const struct sim_call *c, const struct sim_num *num,
                         unsigned long long *out)
{
    if (!out) return NVML_ERROR_INVALID_ARGUMENT;
    if (num->kind == SIM_NUM_NONE) return NVML_ERROR_NOT_SUPPORTED;
    *out = (unsigned long long)sim_num_at(num, c->t);
    return NVML_SUCCESS;
}
