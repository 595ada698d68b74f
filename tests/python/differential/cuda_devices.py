# SPDX-License-Identifier: Apache-2.0
# Differential script: CUDA devices and CUDA_VISIBLE_DEVICES parsing / normalisation.
# scenarios: h100-under-load cuda-order a100-mig-node mixed-3gpu-mig
import os

from nvitop import CudaDevice, CudaMigDevice, Device


def show(label, func, *args, **kwargs):
    try:
        value = repr(func(*args, **kwargs))
    except Exception as ex:  # noqa: BLE001
        value = f'raises {type(ex).__name__}: {ex}'
    print(f'{label}: {value}')


CASES = [None, '', '0', '1', '0,1', '1,0', '2,0', '-1', '0,-1,1', '0,0', '5', 'abc', '0,abc',
         'GPU-', 'MIG-', ' 0 , 1 ', '1,,0']
uuids = [d.uuid() for d in Device.all()] + [m.uuid() for d in Device.all() for m in d.mig_devices()]
CASES += [uuids[-1], ','.join(reversed(uuids)), uuids[0][:10], uuids[-1][:12] + ',0']
for value in CASES:
    show(f'parse({value!r})', Device.parse_cuda_visible_devices, value)
    show(f'normalize({value!r})', Device.normalize_cuda_visible_devices, value)

show('CudaDevice.count', CudaDevice.count)
for cuda in CudaDevice.all():
    print(repr(cuda), type(cuda).__name__, cuda.cuda_index, cuda.physical_index, cuda.nvml_index)
    show('  uuid', cuda.uuid)
    show('  as_snapshot.cuda_index', lambda: cuda.as_snapshot().cuda_index)
show('CudaDevice(0)', CudaDevice, 0)
show('CudaDevice(99)', CudaDevice, 99)
show('CudaDevice(uuid=...)', CudaDevice, uuid=uuids[0])
show('from_cuda_indices()', Device.from_cuda_indices)
show('from_cuda_indices(0)', Device.from_cuda_indices, 0)
show('from_cuda_indices([1, 0])', Device.from_cuda_indices, [1, 0])
show('from_cuda_indices(7)', Device.from_cuda_indices, 7)
show('from_cuda_visible_devices()', Device.from_cuda_visible_devices)
for value in ['1,0', uuids[-1], '']:
    os.environ['CUDA_VISIBLE_DEVICES'] = value
    show(f'[{value}] CudaDevice.all', CudaDevice.all)
    show(f'[{value}] from_cuda_visible_devices', Device.from_cuda_visible_devices)
    show(f'[{value}] parse()', Device.parse_cuda_visible_devices)
show('CudaMigDevice is CudaDevice subclass', lambda: issubclass(CudaMigDevice, CudaDevice))
