# SPDX-License-Identifier: Apache-2.0
# Differential script: GPU processes, their snapshots and take_snapshots(). The scenarios' pids
# are not processes of this host (or are, by chance, on another machine): only the GPU side is
# printed; host fields are masked (present or not, never their values), and so are times/CPU %.
# scenarios: h100-under-load a100-mig-node mixed-3gpu-mig node-8gpu-100proc node-gpu-lost unsupported-fields
from nvitop import Device, GpuProcess, take_snapshots

GPU_FIELDS = '''pid gpu_instance_id compute_instance_id gpu_memory gpu_memory_human gpu_memory_percent
gpu_sm_utilization gpu_memory_utilization gpu_encoder_utilization gpu_decoder_utilization type'''.split()


def show(label, func, *args, **kwargs):
    try:
        value = repr(func(*args, **kwargs))
    except Exception as ex:  # noqa: BLE001
        value = f'raises {type(ex).__name__}: {ex}'
    print(f'{label}: {value}')


def masked_type(value):
    # Masked: a process in both the compute and the graphics lists is 'C+G' here and 'G' in
    # nvitop 1.7 (python-api.md QUIRK 5, fixed: docs/python-device.md, python-process.md).
    return 'G|C+G' if value in ('G', 'C+G') else value


def gpu_side(snapshot):
    return {key: masked_type(getattr(snapshot, key)) if key == 'type' else getattr(snapshot, key)
            for key in GPU_FIELDS}


devices = Device.all()
for device in devices:
    for leaf in device.to_leaf_devices():
        processes = leaf.processes()
        print(f'{leaf.index}: {len(processes)} processes, type {type(processes).__name__}')
        for pid in sorted(processes):
            process = processes[pid]
            print(' ', type(process).__name__, process.device.index == leaf.index,
                  {name: getattr(process, name)() for name in GPU_FIELDS if name not in ('pid', 'type')}, masked_type(process.type),
                  process.pid == pid, process == GpuProcess(pid, leaf), hash(process) == hash(GpuProcess(pid, leaf)))
            show('   as_snapshot() outside failsafe', lambda: gpu_side(process.as_snapshot()))
            with GpuProcess.failsafe():
                snapshot = process.as_snapshot()
            print('   snapshot', gpu_side(snapshot))
            print('   snapshot keys', sorted(snapshot.keys()) if hasattr(snapshot, 'keys') else sorted(vars(snapshot)))
        show('  as_snapshot().processes?', lambda: hasattr(leaf.as_snapshot(), 'processes'))

result = take_snapshots()
print('take_snapshots', type(result).__name__, result._fields)
print(' devices', [(type(s.real).__name__, s.index) for s in result.devices])
print(' gpu_processes', sorted(((p.device.index, p.pid, p.gpu_memory, masked_type(p.type)) for p in result.gpu_processes), key=repr))
result = take_snapshots(gpu_processes=False)
print('take_snapshots(gpu_processes=False)', [s.index for s in result.devices], result.gpu_processes)
result = take_snapshots(devices[0])
print('take_snapshots(devices[0])', [s.index for s in result.devices], sorted(p.pid for p in result.gpu_processes))
result = take_snapshots(devices[:1], gpu_processes=True)
print('take_snapshots(devices[:1], True)', [s.index for s in result.devices], sorted(p.pid for p in result.gpu_processes))
# Sorted by pid: processes() is in pid order here (libnvitop's merged list), in the driver's
# list order in nvitop 1.7 (a difference this script does not check).
some = sorted(devices[-1].processes().values(), key=lambda p: p.pid)[:2]
result = take_snapshots(gpu_processes=some)
print('take_snapshots(gpu_processes=some)', [s.index for s in result.devices], sorted(p.pid for p in result.gpu_processes))
snaps = GpuProcess.take_snapshots(some, failsafe=True)
print('GpuProcess.take_snapshots', [gpu_side(s) for s in snaps])
