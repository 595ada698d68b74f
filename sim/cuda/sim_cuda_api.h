/* SPDX-License-Identifier: Apache-2.0 */
/* The CUDA driver API entry points the libcuda stand-in exports, with the driver's signatures
 * (cuda.h of CUDA 12/13) and default visibility. */
#ifndef SIM_CUDA_API_H
#define SIM_CUDA_API_H

#define SIM_CUDA_EXPORT __attribute__((visibility("default")))

typedef int CUresult; /* CUDA_SUCCESS = 0 */
typedef int CUdevice;
typedef struct CUuuid_st {
    unsigned char bytes[16];
} CUuuid;

SIM_CUDA_EXPORT CUresult cuInit(unsigned int flags);
SIM_CUDA_EXPORT CUresult cuDriverGetVersion(int *version);
SIM_CUDA_EXPORT CUresult cuDeviceGetCount(int *count);
SIM_CUDA_EXPORT CUresult cuDeviceGet(CUdevice *device, int ordinal);
SIM_CUDA_EXPORT CUresult cuDeviceGetUuid(CUuuid *uuid, CUdevice device);
#ifndef SIM_CUDA_NO_UUID_V2
SIM_CUDA_EXPORT CUresult cuDeviceGetUuid_v2(CUuuid *uuid, CUdevice device);
#endif
SIM_CUDA_EXPORT CUresult cuDeviceGetPCIBusId(char *bus_id, int len, CUdevice device);
SIM_CUDA_EXPORT CUresult cuGetErrorName(CUresult error, const char **name);

#endif
