/* SPDX-License-Identifier: Apache-2.0 */
/* Leaf devices (leaf.h). */
#include "core/leaf.h"

#include "core/core_internal.h"

bool device_is_leaf(nvitop_device_t *dev)
{
    if (dev->is_mig) return true;
    nvitop_device_snapshot_t s;
    nvitop_device_query(dev, NVITOP_DQ_MIG, &s);
    return !NVITOP_HAS(s.mig_mode) || s.mig_mode.value != NVITOP_ENABLED;
}

bool snapshot_device_is_leaf(const nvitop_snapshot_t *snap, size_t pos)
{
    const nvitop_device_snapshot_t *d = &snap->devices[pos];
    if (d->is_mig) return true;
    if (NVITOP_HAS(d->mig_mode)) return d->mig_mode.value != NVITOP_ENABLED;
    return pos + 1 >= snap->device_count || !snap->devices[pos + 1].is_mig ||
           snap->devices[pos + 1].physical_index != d->physical_index;
}
