# SPDX-License-Identifier: Apache-2.0
# Differential script: the errors a script meets (class names and messages): bad arguments,
# a lost GPU, no driver, a driver/library mismatch, no GPU at all.
# scenarios: h100-under-load node-gpu-lost driver-not-loaded version-mismatch no-gpus mixed-3gpu-mig
from nvitop import CudaDevice, Device, GpuProcess, HostProcess, MigDevice, NA, libnvml, take_snapshots


def show(label, func, *args, **kwargs):
    try:
        value = repr(func(*args, **kwargs))
    except Exception as ex:  # noqa: BLE001
        value = f'raises {type(ex).__name__}: {ex}'
    print(f'{label}: {value}')


show('Device.count()', Device.count)
show('Device.all()', lambda: [d.index for d in Device.all()])
show('driver_version', Device.driver_version)
show('cuda_driver_version', Device.cuda_driver_version)
show('Device(0)', Device, 0)
show('Device(99)', Device, 99)
show('Device(-1)', Device, -1)
show('Device()', Device)
show('Device(0, uuid=x)', Device, 0, uuid='GPU-x')
show('Device(uuid=GPU-nope)', Device, uuid='GPU-00000000-0000-0000-0000-000000000000')
show('Device(bus_id=nope)', Device, bus_id='00000000:FF:00.0')
show('Device("abc")', Device, 'abc')
show('Device(1.5)', Device, 1.5)
show('from_indices([99])', Device.from_indices, [99])
show('from_indices(-1)', Device.from_indices, -1)
show('MigDevice((0, 99))', MigDevice, (0, 99))
show('MigDevice()', MigDevice)
show('CudaDevice(99)', CudaDevice, 99)
show('take_snapshots()', lambda: [s.index for s in take_snapshots().devices])
for device in Device.all():
    show(f'{device.index} name', device.name)
    show(f'{device.index} memory_used', device.memory_used)
    show(f'{device.index} processes', lambda: sorted(device.processes()))
    show(f'{device.index} mig_devices', lambda: [m.index for m in device.mig_devices()])
    show(f'{device.index} nvmlQuery name', libnvml.nvmlQuery, 'nvmlDeviceGetName', device.handle)
    show(f'{device.index} nvmlQuery temperature', libnvml.nvmlQuery, 'nvmlDeviceGetTemperature',
         device.handle, libnvml.NVML_TEMPERATURE_GPU, ignore_errors=False)
    show(f'{device.index} nvmlQuery bad function', libnvml.nvmlQuery, 'nvmlDeviceGetNoSuchThing', device.handle)
    show(f'{device.index} dynamic method', lambda: device.no_such_query())
show('nvmlQuery count', libnvml.nvmlQuery, 'nvmlDeviceGetCount', ignore_errors=False)
show('nvmlQuery driver', libnvml.nvmlQuery, 'nvmlSystemGetDriverVersion')
show('nvmlCheckReturn(NA)', libnvml.nvmlCheckReturn, NA)
show('nvmlCheckReturn(1, int)', libnvml.nvmlCheckReturn, 1, int)
for code in (1, 2, 3, 9, 12, 15, 18, 999):
    ex = libnvml.NVMLError(code)
    print(code, type(ex).__name__, str(ex), ex.value, isinstance(ex, libnvml.NVMLError))
show('GpuProcess(1, None)', lambda: GpuProcess(1, None).pid)
show('HostProcess(999999999)', HostProcess, 999999999)
show('HostProcess(-1)', HostProcess, -1)
show('HostProcess("x")', HostProcess, 'x')
