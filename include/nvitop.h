/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * libnvitop: NVIDIA GPU, process and host monitoring. NVML is loaded at run time, so programs
 * built with this library run (and say so clearly) on machines without a driver. */
#ifndef NVITOP_H
#define NVITOP_H

#include <nvitop/common.h>
#include <nvitop/context.h>
#include <nvitop/device.h>
#include <nvitop/host.h>
#include <nvitop/process.h>
#include <nvitop/workload.h>
#include <nvitop/snapshot.h>
#include <nvitop/cuda.h>
#include <nvitop/select.h>
#include <nvitop/format.h>
#include <nvitop/collector.h>

#endif
