# SPDX-License-Identifier: Apache-2.0
# Differential script (tests/python/test_differential.py, scripts/py-diff.sh): every Device
# query, its _human form and the reprs, of every physical and MIG device, as a user prints them.
# scenarios: h100-under-load rtx4090-idle a100-mig-node mixed-3gpu-mig node-8gpu-100proc node-gpu-lost unsupported-fields
from nvitop import NA, Device, MigDevice, PhysicalDevice, host

QUERIES = '''
index nvml_index physical_index mig_index name uuid bus_id serial memory_info memory_total memory_used
memory_free memory_total_human memory_used_human memory_free_human memory_percent memory_usage
bar1_memory_info bar1_memory_total bar1_memory_used bar1_memory_free bar1_memory_total_human
bar1_memory_used_human bar1_memory_free_human bar1_memory_percent bar1_memory_usage
utilization_rates gpu_utilization memory_utilization encoder_utilization decoder_utilization
clock_infos max_clock_infos clock_speed_infos graphics_clock sm_clock memory_clock video_clock
max_graphics_clock max_sm_clock max_memory_clock max_video_clock fan_speed temperature
power_usage power_limit power_status pcie_throughput pcie_tx_throughput pcie_rx_throughput
pcie_tx_throughput_human pcie_rx_throughput_human nvlink_link_count display_active display_mode
current_driver_model persistence_mode performance_state total_volatile_uncorrected_ecc_errors
compute_mode cuda_compute_capability is_mig_device is_mig_mode_enabled max_mig_device_count
mig_mode is_leaf_device gpu_instance_id compute_instance_id driver_version cuda_driver_version
'''.split()


def show(label, func, *args, **kwargs):
    try:
        value = func(*args, **kwargs)
    except Exception as ex:  # noqa: BLE001
        value = f'raises {type(ex).__name__}: {ex}'
    else:
        value = repr(value)
    print(f'  {label}: {value}')


# Masked: a GPU whose memory query fails (a lost GPU; NOT_SUPPORTED from a unified-memory one).
# nvitop 1.7 then reports the host's RAM as the GPU's (its rule for unified memory); libnvitop
# does so only when NVML says the GPU shares the host's memory (src/core/device_query.c), else N/A.
MEMORY = {name for name in QUERIES if name.startswith('memory_') and name != 'memory_clock'}


def host_memory_or_na(device):
    total = device.memory_total()
    return total is NA or total == host.virtual_memory().total


def dump(device):
    if host_memory_or_na(device):
        print('(memory masked: NA or the host RAM)')
        print(type(device).__name__, device.index, device.name())
    else:
        print(repr(device), str(device) == repr(device), isinstance(device, (PhysicalDevice, MigDevice)))
    for name in QUERIES:
        if name in MEMORY and host_memory_or_na(device):
            continue
        show(name, lambda: getattr(device, name)())
    show('is_available', device.is_available)
    show('to_leaf_devices', lambda: [d.index for d in device.to_leaf_devices()])
    if isinstance(device, MigDevice):
        show('parent', lambda: device.parent)
    else:
        show('mig_devices', device.mig_devices)
    show('handle is None', lambda: device.handle is None)
    show('== Device(index)', lambda: device == Device(device.index))
    show('hash equal', lambda: hash(device) == hash(Device(device.index)))


print('count', Device.count(), 'driver', Device.driver_version(), 'cuda', Device.cuda_driver_version())
print('all', [d.index for d in Device.all()])
for physical in Device.all():
    dump(physical)
    for mig in physical.mig_devices():
        dump(mig)
        show('mig_device(0)', physical.mig_device, 0)
print('from_indices()', [d.index for d in Device.from_indices()])
print('from_indices(0)', [d.index for d in Device.from_indices(0)])
