/* SPDX-License-Identifier: Apache-2.0 */
/* `nvitop --json`: the whole snapshot as one JSON document (schema in docs/json.md). */
#ifndef NVITOP_RENDER_JSON_H
#define NVITOP_RENDER_JSON_H

#include <nvitop.h>

#include "util/util.h"

#define NVITOP_JSON_SCHEMA_VERSION 1

/* Renders the snapshot with the devices it holds and the given (already filtered) processes.
 * Every field of the field table appears with its unit in its name; a value that is not
 * available is null, and its reason is listed under "unavailable". Returns 0 or -1 (out of
 * memory). */
int render_json(const nvitop_snapshot_t *snapshot, const nvitop_gpu_process_t *const *processes,
                size_t process_count, strbuf_t *out);

/* Everything --json prints is asked for: every fast device field, all of the host. */
#define RENDER_JSON_DEVICE_QUERY NVITOP_DQ_ALL_FAST
#define RENDER_JSON_HOST_QUERY NVITOP_HQ_ALL

#endif
