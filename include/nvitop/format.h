/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * Human-readable sizes and durations, written exactly as nvitop writes them. */
#ifndef NVITOP_FORMAT_H
#define NVITOP_FORMAT_H

#include <nvitop/common.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NVITOP_KiB (1LL << 10) /**< bytes in a kibibyte */
#define NVITOP_MiB (1LL << 20) /**< bytes in a mebibyte */
#define NVITOP_GiB (1LL << 30) /**< bytes in a gibibyte */
#define NVITOP_TiB (1LL << 40) /**< bytes in a tebibyte */
#define NVITOP_PiB (1LL << 50) /**< bytes in a pebibyte */

/** The text nvitop writes for a value that is not available, wherever it writes one. */
#define NVITOP_NA_TEXT "N/A"

/** "512B", "3KiB", "12.34MiB", "123.4MiB", "10466MiB", "79.65GiB", "123.4GiB", "1.50TiB", ...
 * Units below min_unit (1, NVITOP_KiB, NVITOP_MiB, NVITOP_GiB, ...) are skipped, e.g. 0.10GiB.
 * Negative sizes are written as NVITOP_NA_TEXT. Returns buf (always NUL-terminated). */
NVITOP_API char *nvitop_bytes_to_human(int64_t bytes, int64_t min_unit, char *buf, size_t len);

/** Parses "5GiB", "5000M", "1.5 gib", "10k", "500" (bytes): "i" means powers of 1024, no "i"
 * powers of 1000; the result is truncated to whole bytes. Returns 0 or NVITOP_EINVAL. */
NVITOP_API int nvitop_human_to_bytes(const char *text, int64_t *bytes);

/** "M:SS" below an hour, "H:MM:SS" below 4 days (1 day when round_days), else "D.D days".
 * Negative or NaN durations are written as NVITOP_NA_TEXT. Returns buf. */
NVITOP_API char *nvitop_duration_to_human(double seconds, bool round_days, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
