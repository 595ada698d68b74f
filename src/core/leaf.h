/* SPDX-License-Identifier: Apache-2.0 */
/* Leaf devices, the one rule (nvitop's is_leaf_device()): a MIG device, or a physical GPU
 * without MIG enabled. A GPU with MIG enabled stands for its MIG devices: their processes,
 * memory and utilisation are counted on them, not on it. */
#ifndef NVITOP_CORE_LEAF_H
#define NVITOP_CORE_LEAF_H

#include <nvitop.h>

/* On a device object (MIG mode is a static fact: asked once per device). */
bool device_is_leaf(nvitop_device_t *dev);

/* On a snapshot: its MIG mode when the snapshot has it, else its place (a GPU with MIG enabled
 * is listed followed by its MIG devices). */
bool snapshot_device_is_leaf(const nvitop_snapshot_t *snap, size_t pos);

#endif
