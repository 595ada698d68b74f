# SPDX-License-Identifier: Apache-2.0
"""nvitop.Device and friends on the NVML simulator: values asserted against the scenario files."""

from __future__ import annotations

import pytest

from device_helpers import run, run_json, scenario


def _gib_human(total: int) -> str:
    # Only used for the scenarios' round sizes; the rule itself is tested in test_utils.py.
    return {85520809984: '79.65GiB', 42949672960: '40.00GiB', 25757220864: '23.99GiB',
            21072183296: '20096MiB'}[total]


def test_all_count_and_repr_match_the_scenario():
    data = scenario('mixed-3gpu-mig')
    got = run_json('mixed-3gpu-mig', '''
        import json
        from nvitop import Device, PhysicalDevice
        devices = Device.all()
        print(json.dumps({'count': Device.count(), 'reprs': [repr(d) for d in devices],
                          'strs': [str(d) for d in devices],
                          'classes': [type(d).__name__ for d in devices],
                          'available': Device.is_available()}))
    ''')
    assert got['count'] == len(data['devices'])
    assert got['available'] is True
    assert got['classes'] == ['PhysicalDevice'] * len(data['devices'])
    want = [f"PhysicalDevice(index={i}, name='{d['name']}', total_memory={_gib_human(d['memory']['total'])})"
            for i, d in enumerate(data['devices'])]
    assert got['reprs'] == want
    assert got['strs'] == want


def test_construction_by_index_uuid_bus_id_and_uuid_as_index():
    data = scenario('mixed-3gpu-mig')
    dev = data['devices'][1]
    got = run_json('mixed-3gpu-mig', f'''
        import json
        from nvitop import Device
        a = Device(1)
        b = Device(uuid={dev['uuid']!r})
        c = Device(bus_id={dev['bus_id']!r})
        d = Device({dev['uuid']!r})
        print(json.dumps({{'same': a == b == c == d, 'hash': len({{a, b, c, d}}),
                          'index': [x.index for x in (a, b, c, d)],
                          'uuid': a.uuid(), 'bus_id': c.bus_id(), 'name': b.name(),
                          'handle': isinstance(a.handle, int) and a.handle != 0,
                          'handle_same': a._handle == b._handle}}))
    ''')
    assert got == {'same': True, 'hash': 1, 'index': [1, 1, 1, 1], 'uuid': dev['uuid'],
                   'bus_id': dev['bus_id'], 'name': dev['name'], 'handle': True,
                   'handle_same': True}


def test_constructor_type_errors_have_nvitops_messages():
    got = run_json('h100-under-load', '''
        import json
        from nvitop import Device
        out = []
        for args, kwargs in [((), {}), ((0,), {'uuid': 'x'}), ((1.5,), {}), (((1,),), {}),
                             (('not-a-uuid',), {})]:
            try:
                Device(*args, **kwargs)
                out.append(None)
            except TypeError as ex:
                out.append(str(ex))
        print(json.dumps(out))
    ''')
    assert got == [
        'Device(index=None, uuid=None, bus_id=None) takes 1 non-None arguments but '
        '(index, uuid, bus_id) = (None, None, None) were given',
        'Device(index=None, uuid=None, bus_id=None) takes 1 non-None arguments but '
        "(index, uuid, bus_id) = (0, 'x', None) were given",
        'index must be an integer, or a tuple of two integers, or a valid UUID string, '
        'but index = 1.5 was given',
        'index for MIG device must be a tuple of two integers but index = (1,) was given',
        'index must be an integer, or a tuple of two integers, or a valid UUID string, '
        "but index = 'not-a-uuid' was given",
    ]


def test_nvml_errors_of_construction():
    got = run_json('mixed-3gpu-mig', '''
        import json
        from nvitop import Device, MigDevice, libnvml
        out = {}
        for key, make in [('index', lambda: Device(7)),
                          ('uuid', lambda: Device(uuid='GPU-00000000-0000-0000-0000-000000000000')),
                          ('bus_id', lambda: Device(bus_id='0000:99:00.0')),
                          ('mig', lambda: Device((2, 5))),
                          ('mig_parent', lambda: MigDevice((9, 0))),
                          ('mig_device', lambda: Device(2).mig_device(6))]:
            try:
                make()
                out[key] = None
            except libnvml.NVMLError as ex:
                out[key] = [type(ex).__name__, ex.value, str(ex)]
        print(json.dumps(out))
    ''')
    assert got['index'] == ['NVMLError_InvalidArgument', 2, 'Invalid Argument']
    assert got['uuid'] == ['NVMLError_NotFound', 6, 'Not Found']
    assert got['bus_id'][0] == 'NVMLError_NotFound'
    assert got['mig'] == ['NVMLError_NotFound', 6, 'Not Found']
    assert got['mig_parent'][0] == 'NVMLError_InvalidArgument'
    assert got['mig_device'][0] == 'NVMLError_NotFound'


def test_every_query_matches_the_scenario():
    dev = scenario('mixed-3gpu-mig')['devices'][0]
    got = run_json('mixed-3gpu-mig', '''
        import json
        from nvitop import Device
        d = Device(0)
        keys = ['name', 'uuid', 'bus_id', 'serial', 'memory_total', 'memory_used', 'memory_free',
                'memory_percent', 'memory_usage', 'memory_total_human', 'bar1_memory_total',
                'bar1_memory_used', 'bar1_memory_free', 'bar1_memory_percent',
                'gpu_utilization', 'gpu_percent', 'memory_utilization', 'encoder_utilization',
                'decoder_utilization', 'graphics_clock', 'sm_clock', 'memory_clock', 'video_clock',
                'max_graphics_clock', 'max_sm_clock', 'max_memory_clock', 'max_video_clock',
                'fan_speed', 'temperature', 'power_usage', 'power_draw', 'power_limit',
                'power_status', 'pcie_tx_throughput', 'pcie_rx_throughput',
                'pcie_tx_throughput_human', 'pcie_rx_throughput_human', 'display_active',
                'display_mode', 'current_driver_model', 'persistence_mode', 'performance_state',
                'total_volatile_uncorrected_ecc_errors', 'compute_mode',
                'cuda_compute_capability', 'mig_mode', 'is_mig_device', 'is_leaf_device',
                'max_mig_device_count', 'nvlink_link_count']
        out = {k: getattr(d, k)() for k in keys}
        out['memory_info'] = list(d.memory_info())
        out['memory_info_repr'] = repr(d.memory_info())
        out['pcie_throughput'] = list(d.pcie_throughput())
        out['utilization_rates'] = list(d.utilization_rates())
        out['clock_speed_infos'] = repr(d.clock_speed_infos())
        print(json.dumps(out))
    ''')
    mem, bar1 = dev['memory'], dev['bar1_memory']
    free = mem['total'] - mem['reserved'] - mem['used']
    assert got['name'] == dev['name'] and got['uuid'] == dev['uuid']
    assert got['bus_id'] == dev['bus_id'] and got['serial'] == dev['serial']
    assert got['memory_info'] == [mem['total'], free, mem['used'], mem['reserved']]
    assert got['memory_info_repr'] == (f"MemoryInfo(total={mem['total']}, free={free}, "
                                       f"used={mem['used']}, reserved={mem['reserved']})")
    assert (got['memory_total'], got['memory_used'], got['memory_free']) == (mem['total'], mem['used'], free)
    assert got['memory_percent'] == round(100 * mem['used'] / mem['total'], 1)
    assert got['memory_usage'] == '62.00GiB / 79.65GiB'
    assert got['bar1_memory_total'] == bar1['total'] and got['bar1_memory_used'] == bar1['used']
    assert got['bar1_memory_free'] == bar1['total'] - bar1['used']
    assert got['bar1_memory_percent'] == round(100 * bar1['used'] / bar1['total'], 1)
    util = dev['utilization']
    assert got['utilization_rates'] == [util['gpu'], util['memory'], dev['encoder_utilization'],
                                        dev['decoder_utilization']]
    assert got['gpu_utilization'] == got['gpu_percent'] == util['gpu']
    clocks, max_clocks = dev['clocks'], dev['max_clocks']
    assert [got['graphics_clock'], got['sm_clock'], got['memory_clock'], got['video_clock']] == [
        clocks['graphics'], clocks['sm'], clocks['mem'], clocks['video']]
    assert [got['max_graphics_clock'], got['max_sm_clock'], got['max_memory_clock'],
            got['max_video_clock']] == [max_clocks['graphics'], max_clocks['sm'], max_clocks['mem'],
                                        max_clocks['video']]
    assert got['clock_speed_infos'] == (
        'ClockSpeedInfos(current=ClockInfos(graphics=1560, sm=1560, memory=2619, video=1545), '
        'max=ClockInfos(graphics=1980, sm=1980, memory=2619, video=1545))')
    assert got['fan_speed'] == 'N/A'  # the scenario: NOT_SUPPORTED
    assert got['temperature'] == dev['temperature']
    assert got['power_usage'] == got['power_draw'] == dev['power_usage']
    assert got['power_limit'] == dev['power_limit']
    assert got['power_status'] == f"{round(dev['power_usage'] / 1000)}W / {round(dev['power_limit'] / 1000)}W"
    assert got['pcie_throughput'] == [dev['pcie']['tx_kib_s'], dev['pcie']['rx_kib_s']]
    assert got['pcie_tx_throughput'] == dev['pcie']['tx_kib_s']
    assert got['pcie_tx_throughput_human'] == '9.86MiB/s'
    assert got['pcie_rx_throughput_human'] == '18.37MiB/s'
    assert got['display_active'] == 'Disabled' and got['display_mode'] == 'Enabled'
    assert got['current_driver_model'] == 'N/A'
    assert got['persistence_mode'] == 'Enabled'
    assert got['performance_state'] == f"P{dev['performance_state']}"
    assert got['total_volatile_uncorrected_ecc_errors'] == dev['ecc_errors']['volatile_uncorrected']
    assert got['compute_mode'] == 'Default'
    assert got['cuda_compute_capability'] == dev['cuda_compute_capability']
    assert got['mig_mode'] == 'Disabled'
    assert got['is_mig_device'] is False and got['is_leaf_device'] is True
    assert got['nvlink_link_count'] == 0


def test_unsupported_fields_are_na_and_never_raise():
    got = run_json('unsupported-fields', '''
        import json
        from nvitop import Device, NA
        d = Device(0)
        keys = ['serial', 'bar1_memory_total', 'bar1_memory_percent', 'bar1_memory_usage',
                'gpu_utilization', 'memory_utilization', 'encoder_utilization',
                'decoder_utilization', 'fan_speed', 'power_usage', 'power_limit', 'power_status',
                'pcie_tx_throughput', 'pcie_tx_throughput_human', 'display_active', 'display_mode',
                'performance_state', 'total_volatile_uncorrected_ecc_errors', 'compute_mode',
                'mig_mode', 'max_memory_clock', 'memory_clock', 'nvlink_throughput',
                'nvlink_total_throughput', 'nvlink_mean_tx_throughput_human']
        out = {k: getattr(d, k)() for k in keys}
        out['temperature'] = d.temperature()
        out['nvlink_total_throughput'] = list(out['nvlink_total_throughput'])
        out['na_is_na'] = d.fan_speed() is NA
        print(json.dumps(out))
    ''')
    dev = scenario('unsupported-fields')['devices'][0]
    # Both temperature calls read the one sensor there (a driver has no other answer)
    assert 'nvmlDeviceGetTemperatureV' not in dev['errors']
    assert got.pop('temperature') == dev['temperature']
    assert got.pop('na_is_na') is True
    assert got.pop('bar1_memory_usage') == 'N/A / N/A'
    assert got.pop('power_status') == 'N/A / N/A'  # limit: NO_PERMISSION, usage unsupported
    assert got.pop('nvlink_throughput') == []
    assert got.pop('nvlink_total_throughput') == ['N/A', 'N/A']
    assert all(value == 'N/A' for value in got.values()), got


def test_mig_devices_and_their_parent():
    data = scenario('mixed-3gpu-mig')
    parent_data = data['devices'][2]
    migs = parent_data['mig_devices']
    got = run_json('mixed-3gpu-mig', f'''
        import json
        from nvitop import Device, MigDevice, PhysicalDevice
        p = Device(2)
        m = p.mig_devices()
        by_uuid = Device(uuid={migs[1]['uuid']!r})
        print(json.dumps({{
            'parent_mig_mode': p.mig_mode(), 'parent_leaf': p.is_leaf_device(),
            'leaves': [repr(x) for x in p.to_leaf_devices()],
            'reprs': [repr(x) for x in m], 'index': [list(x.index) for x in m],
            'mig_index': [x.mig_index for x in m], 'physical': [x.physical_index for x in m],
            'gi': [x.gpu_instance_id() for x in m], 'ci': [x.compute_instance_id() for x in m],
            'uuids': [x.uuid() for x in m], 'parent_same': all(x.parent is p for x in m),
            'mig_mode': [x.mig_mode() for x in m], 'leaf': [x.is_leaf_device() for x in m],
            'is_mig': [x.is_mig_device() for x in m], 'mig_devices': [x.mig_devices() for x in m],
            'by_uuid': [type(by_uuid).__name__, list(by_uuid.index), by_uuid == m[1]],
            'by_tuple': repr(Device((2, 0))), 'count': MigDevice.count(),
            'all': [repr(x) for x in MigDevice.all()],
            'from_indices': [repr(x) for x in MigDevice.from_indices([(2, 1)])],
            'one': repr(p.mig_device(0)), 'memory': [x.memory_total() for x in m],
            'others': [Device(i).mig_devices() for i in (0, 1)],
            'max_mig': p.max_mig_device_count(),
        }}))
    ''')
    assert got['parent_mig_mode'] == 'Enabled' and got['parent_leaf'] is False
    want = [f"MigDevice(index=(2, {j}), name='{mig['name']}', total_memory=20096MiB)"
            for j, mig in enumerate(migs)]
    assert got['reprs'] == want and got['leaves'] == want and got['all'] == want
    assert got['index'] == [[2, 0], [2, 1]]
    assert got['mig_index'] == [0, 1] and got['physical'] == [2, 2]
    assert got['gi'] == [mig['gpu_instance_id'] for mig in migs]
    assert got['ci'] == [mig['compute_instance_id'] for mig in migs]
    assert got['uuids'] == [mig['uuid'] for mig in migs]
    assert got['memory'] == [mig['memory']['total'] for mig in migs]
    assert got['parent_same'] is True
    assert got['mig_mode'] == ['N/A', 'N/A']
    assert got['leaf'] == [True, True] and got['is_mig'] == [True, True]
    assert got['mig_devices'] == [[], []]
    assert got['by_uuid'] == ['MigDevice', [2, 1], True]
    assert got['by_tuple'] == want[0] and got['one'] == want[0]
    assert got['from_indices'] == want[1:]
    assert got['count'] == 2
    assert got['others'] == [[], []]


def test_a_lost_gpu_answers_na_and_the_others_their_values():
    data = scenario('node-gpu-lost')
    got = run_json('node-gpu-lost', '''
        import json
        from nvitop import Device
        devices = Device.all()
        lost = devices[2]
        print(json.dumps({
            'count': len(devices),
            'lost': [lost.name(), lost.memory_total_human(), list(lost.memory_info()),
                     list(lost.utilization_rates()), lost.temperature(), lost.power_status(),
                     lost.performance_state(), lost.processes() if False else None],
            'repr': repr(lost),
            'snapshot_usage': lost.as_snapshot().memory_usage,
            'others': [d.memory_used() for d in devices if d is not lost],
        }))
    ''')
    assert got['count'] == len(data['devices'])
    assert got['lost'][:7] == ['N/A', 'N/A', ['N/A'] * 4, ['N/A'] * 4, 'N/A', 'N/A / N/A', 'N/A']
    assert got['repr'] == "PhysicalDevice(index=2, name='N/A', total_memory=N/A)"
    assert got['snapshot_usage'] == 'N/A / N/A'
    assert got['others'] == [d['memory']['used'] for i, d in enumerate(data['devices']) if i != 2]


@pytest.mark.parametrize(('name', 'error', 'text'), [
    ('driver-not-loaded', 'NVMLError_DriverNotLoaded', 'Driver Not Loaded'),
    ('version-mismatch', 'NVMLError_LibRmVersionMismatch', 'RM has detected an NVML/RM version mismatch.'),  # pynvml's text
])
def test_no_driver_raises_what_nvitop_raises(name, error, text):
    got = run_json(name, '''
        import json
        from nvitop import Device, CudaDevice, libnvml
        out = {'all': Device.all(), 'available': Device.is_available(),
               'cuda_count': CudaDevice.count()}
        for key, call in [('count', Device.count), ('index', lambda: Device(0)),
                          ('driver_version', Device.driver_version)]:
            try:
                call()
                out[key] = None
            except libnvml.NVMLError as ex:
                out[key] = [type(ex).__name__, str(ex), isinstance(ex, libnvml.NVMLError)]
        print(json.dumps(out))
    ''')
    assert got['all'] == [] and got['available'] is False and got['cuda_count'] == 0
    for key in ('count', 'index', 'driver_version'):
        assert got[key] == [error, text, True]


def test_no_nvml_library_raises_library_not_found_with_the_fatal_message():
    proc = run('h100-under-load', '''
        from nvitop import Device, libnvml
        print(Device.all())
        try:
            Device.count()
        except libnvml.NVMLError_LibraryNotFound as ex:
            print('raised', str(ex))
    ''', NVITOP_NVML_LIBRARY='/nonexistent/libnvidia-ml.so.1')
    assert proc.stdout.splitlines() == ['[]', 'raised NVML Shared Library Not Found']
    assert 'FATAL ERROR: NVIDIA Management Library (NVML) not found.' in proc.stderr
    assert 'HINT:' in proc.stderr


def test_system_versions_match_the_scenario():
    data = scenario('h100-under-load')
    got = run_json('h100-under-load', '''
        import json
        from nvitop import Device
        print(json.dumps([Device.driver_version(), Device.cuda_driver_version(),
                          Device.max_cuda_version(), Device.cuda_runtime_version()]))
    ''', NVITOP_CUDART_LIBRARY='/nonexistent/libcudart.so')
    v = data['cuda_driver_version']
    assert got[0] == data['driver_version']
    assert got[1] == got[2] == f'{v // 1000}.{(v % 1000) // 10}'
    assert got[3] == 'N/A'


def test_cuda_runtime_version_from_libcudart():
    from device_helpers import cudart_stub  # pylint: disable=import-outside-toplevel

    code = '''
        import json
        from nvitop import Device, libcudart
        out = [Device.cuda_runtime_version(), Device.cudart_version()]
        try:
            out.append(libcudart.cudaRuntimeGetVersion())
        except libcudart.cudaError as ex:
            out.append(type(ex).__name__)
        print(json.dumps(out))
    '''
    assert run_json('h100-under-load', code, NVITOP_CUDART_LIBRARY=cudart_stub()) == ['12.4'] * 3
    assert run_json('h100-under-load', code, NVITOP_CUDART_LIBRARY=cudart_stub(),
                    STUB_CUDART_VERSION='13000') == ['13.0'] * 3
    assert run_json('h100-under-load', code, NVITOP_CUDART_LIBRARY='/nonexistent/libcudart.so') == [
        'N/A', 'N/A', 'cudaError_InitializationError']


def test_oneshot_memoises_and_snapshot_keys():
    got = run_json('mixed-3gpu-mig', '''
        import json
        from nvitop import Device, CudaDevice
        d = Device(0)
        with d.oneshot():
            a = d.memory_info()
            with d.oneshot():
                b = d.memory_info()
            same = a is b and d.nvlink_throughput(1.0) is d.nvlink_throughput()
            inside = hasattr(d, '_cache')
        after = hasattr(d, '_cache')
        fresh = d.memory_info() is not a
        s = d.as_snapshot()
        m = Device(2).mig_devices()[0].as_snapshot()
        c = CudaDevice(0).as_snapshot()
        print(json.dumps({'same': same, 'inside': inside, 'after': after, 'fresh': fresh,
                          'keys': sorted(s.keys()), 'mig_keys': sorted(m.keys()),
                          'cuda_keys': sorted(c.keys()), 'n': len(list(s)),
                          'type': type(s).__name__, 'head': repr(s).splitlines()[:3],
                          'lazy': s.bar1_memory_info == d.bar1_memory_info()}))
    ''')
    assert got['same'] is True and got['inside'] is True
    assert got['after'] is False and got['fresh'] is True
    base = [
        'name', 'uuid', 'bus_id', 'memory_info', 'memory_used', 'memory_free', 'memory_total',
        'memory_used_human', 'memory_free_human', 'memory_total_human', 'memory_percent',
        'memory_usage', 'utilization_rates', 'gpu_utilization', 'memory_utilization',
        'encoder_utilization', 'decoder_utilization', 'clock_infos', 'max_clock_infos',
        'clock_speed_infos', 'sm_clock', 'memory_clock', 'fan_speed', 'temperature', 'power_usage',
        'power_limit', 'power_status', 'pcie_throughput', 'pcie_tx_throughput',
        'pcie_rx_throughput', 'pcie_tx_throughput_human', 'pcie_rx_throughput_human',
        'display_active', 'display_mode', 'current_driver_model', 'persistence_mode',
        'performance_state', 'total_volatile_uncorrected_ecc_errors', 'compute_mode',
        'cuda_compute_capability', 'mig_mode',
    ]
    assert len(base) == 41
    assert got['n'] == 43
    assert got['keys'] == sorted([*base, 'index', 'physical_index'])
    mig = sorted([*base, 'index', 'physical_index', 'gpu_instance_id', 'compute_instance_id',
                  'mig_index'])
    assert got['mig_keys'] == mig
    assert got['cuda_keys'] == sorted([*mig, 'cuda_index'])  # CUDA device 0 is the MIG device
    assert got['type'] == 'Snapshot'
    assert got['head'] == [
        'PhysicalDeviceSnapshot(',
        "    real=PhysicalDevice(index=0, name='NVIDIA H100 80GB HBM3', total_memory=79.65GiB),",
        "    bus_id='00000000:18:00.0',",
    ]
    assert got['lazy'] is True


def test_pickle_identity_and_dynamic_nvml_methods():
    got = run_json('mixed-3gpu-mig', '''
        import json, pickle
        from nvitop import Device, CudaDevice
        d = Device(1)
        m = Device(2).mig_devices()[1]
        c = CudaDevice(0)
        out = {'pickle': [pickle.loads(pickle.dumps(x)) == x for x in (d, m, c)],
               'reduce': [repr(d.__reduce__()[1]), repr(m.__reduce__()[1]), repr(c.__reduce__()[1])],
               'cuda_ne_device': c != Device((2, 0)), 'eq_other': d.__eq__(1) is NotImplemented,
               'power_management_limit': d.power_management_limit(),
               'method_name': d.power_management_limit.__name__,
               'qualname': d.power_management_limit.__qualname__,
               'fan': Device(0).fan_speed_v2() if False else None}
        try:
            d.no_such_thing()
        except AttributeError as ex:
            out['missing'] = str(ex)
        print(json.dumps(out))
    ''')
    dev = scenario('mixed-3gpu-mig')['devices'][1]
    assert got['pickle'] == [True, True, True]
    assert got['reduce'] == ['(1,)', '((2, 1),)', '(0,)']
    assert got['cuda_ne_device'] is True and got['eq_other'] is True
    assert got['power_management_limit'] == dev['power_limit']
    assert got['method_name'] == 'power_management_limit'
    assert got['qualname'] == 'PhysicalDevice.power_management_limit'
    assert got['missing'] == "module 'pynvml' has no attribute 'nvmlDeviceGetNoSuchThing'"


def test_processes_come_from_libnvitop_with_nvitops_arguments():
    data = scenario('mixed-3gpu-mig')
    got = run_json('mixed-3gpu-mig', '''
        import json
        from nvitop import Device

        class Recorder:
            def __init__(self, pid, device, **kwargs):
                self.pid, self.device, self.kwargs, self.util = pid, device, kwargs, None
            def set_gpu_utilization(self, *values):
                self.util = list(values)

        Device.GPU_PROCESS_CLASS = Recorder
        out = {}
        for d in [Device(0), *Device(2).mig_devices()]:
            out[repr(d.index)] = {str(pid): [p.device is d, p.kwargs, p.util]
                                  for pid, p in d.processes().items()}
        print(json.dumps(out))
    ''')
    h100 = data['devices'][0]['processes']
    assert got['0'] == {str(p['pid']): [True, {'gpu_memory': p['used_memory'],
                                                'gpu_instance_id': 4294967295,
                                                'compute_instance_id': 4294967295,
                                                'type': p['type']}, [p['sm'], p['mem'], 0, 0]]
                        for p in h100}
    mig0 = data['devices'][2]['mig_devices'][0]
    proc = mig0['processes'][0]
    entry = got['(2, 0)'][str(proc['pid'])]
    assert entry[0] is True
    assert entry[1]['gpu_instance_id'] == mig0['gpu_instance_id']
    assert entry[1]['compute_instance_id'] == mig0['compute_instance_id']
    assert entry[1]['type'] == 'C'
    assert got['(2, 1)'] == {}


# ---- CUDA_VISIBLE_DEVICES -------------------------------------------------------------------

PARSE_CASES = [  # python-api.md §2.6 on a box whose GPU 2 has MIG enabled, without libcuda
    (None, [[2, 0]]),
    ('0', [0]),
    ('2,0', [[2, 0]]),
    ('', []),
    ('0,0', []),
    ('7', []),
    (' 0abc , 5', [0]),
    ('1,0', [1, 0]),
]


def test_parse_cuda_visible_devices_nvml_rules():
    got = run_json('mixed-3gpu-mig', f'''
        import json
        from nvitop import parse_cuda_visible_devices, Device
        print(json.dumps([parse_cuda_visible_devices(v) for v, _ in {PARSE_CASES!r}]
                         + [Device.parse_cuda_visible_devices(None)]))
    ''')
    assert got[:-1] == [want for _, want in PARSE_CASES]
    assert got[-1] == [[2, 0]]


def test_normalize_and_the_environment_read_at_call_time():
    data = scenario('mixed-3gpu-mig')
    uuids = [d['uuid'] for d in data['devices']]
    got = run_json('mixed-3gpu-mig', '''
        import json, os
        from nvitop import normalize_cuda_visible_devices, parse_cuda_visible_devices, Device
        out = [normalize_cuda_visible_devices('1,0'), normalize_cuda_visible_devices('0,0'),
               normalize_cuda_visible_devices(None)]
        os.environ['CUDA_VISIBLE_DEVICES'] = '1'
        out.append(parse_cuda_visible_devices())
        out.append(normalize_cuda_visible_devices())
        out.append([repr(d) for d in Device.from_cuda_visible_devices()])
        out.append(Device(1).cuda_index)
        try:
            Device(0).cuda_index
        except RuntimeError as ex:
            out.append(str(ex))
        print(json.dumps(out))
    ''')
    mig0 = data['devices'][2]['mig_devices'][0]['uuid']
    assert got[0] == f'{uuids[1]},{uuids[0]}'
    assert got[1] == ''
    assert got[2] == mig0
    assert got[3] == [1]
    assert got[4] == uuids[1]
    assert got[5] == ['CudaDevice(cuda_index=0, nvml_index=1, name="NVIDIA GeForce RTX 4090", '
                      'total_memory=23.99GiB)']
    assert got[6] == 0
    assert got[7] == 'CUDA Error: Device(index=0) is not visible to CUDA applications'


def test_cuda_order_from_the_driver():
    from device_helpers import cuda_simulator  # pylint: disable=import-outside-toplevel

    data = scenario('cuda-order')
    order = data['cuda']['order']
    code = '''
        import json
        from nvitop import Device, parse_cuda_visible_devices
        print(json.dumps([parse_cuda_visible_devices(None), parse_cuda_visible_devices('1,0'),
                          [d.index for d in Device.cuda.all()], Device.cuda.count(),
                          repr(Device.cuda(0)), [d.cuda_index for d in Device.from_cuda_indices([1, 0])]]))
    '''
    got = run_json('cuda-order', code, NVITOP_CUDA_LIBRARY=cuda_simulator())
    assert got[0] == order
    assert got[1] == [order[1], order[0]]
    assert got[2] == order and got[3] == len(order)
    assert got[4] == (f'CudaDevice(cuda_index=0, nvml_index={order[0]}, '
                      f'name="{data["devices"][order[0]]["name"]}", total_memory=40.00GiB)')
    assert got[5] == [1, 0]
    bus = run_json('cuda-order', code, NVITOP_CUDA_LIBRARY=cuda_simulator(),
                   CUDA_DEVICE_ORDER='PCI_BUS_ID')
    assert bus[0] == list(range(len(order)))


def test_cuda_device_errors():
    got = run_json('mixed-3gpu-mig', '''
        import json
        from nvitop import CudaDevice, Device
        out = []
        for args, kwargs in [((5,), {}), (('0',), {}), ((), {'nvml_index': 0, 'uuid': 'x'}),
                             ((), {'nvml_index': 0})]:
            try:
                CudaDevice(*args, **kwargs)
                out.append(None)
            except (RuntimeError, TypeError) as ex:
                out.append([type(ex).__name__, str(ex)])
        try:
            Device.from_cuda_indices([0, 3])
        except RuntimeError as ex:
            out.append(str(ex))
        c = CudaDevice(nvml_index=(2, 0))
        out.append([type(c).__name__, c.cuda_index, repr(c), c.to_leaf_devices() == [c],
                    c.gpu_instance_id(), CudaDevice.is_available()])
        print(json.dumps(out))
    ''')
    assert got[0] == ['RuntimeError', 'CUDA Error: invalid device ordinal: 5.']
    assert got[1] == ['RuntimeError', "CUDA Error: invalid device ordinal: '0'."]
    assert got[2] == ['TypeError', 'CudaDevice(cuda_index=None, nvml_index=None, uuid=None) takes '
                      "1 non-None arguments but (cuda_index, nvml_index, uuid) = (None, 0, 'x') were given"]
    assert got[3] == ['RuntimeError', 'CUDA Error: Device(index=0) is not visible to CUDA applications']
    assert got[4] == 'CUDA Error: invalid device ordinal: 3.'
    mig = scenario('mixed-3gpu-mig')['devices'][2]['mig_devices'][0]
    assert got[5] == ['CudaMigDevice', 0,
                      f'CudaMigDevice(cuda_index=0, nvml_index=(2, 0), name="{mig["name"]}", '
                      'total_memory=20096MiB)', True, mig['gpu_instance_id'], True]


def test_uuid_pattern_and_is_mig_device_uuid():
    got = run_json('h100-under-load', '''
        import json
        from nvitop import Device
        from nvitop.api.device import is_mig_device_uuid
        u = 'abcdef01-2222-3333-4444-5555555555ee'
        cases = ['GPU-' + u, 'MIG-' + u, 'MIG-GPU-' + u + '/1/0', u, 'GPU-' + u[:8], 'GPU-' + u.upper()]
        print(json.dumps([[Device.UUID_PATTERN.match(c) is not None, is_mig_device_uuid(c)]
                          for c in cases] + [is_mig_device_uuid(None)]))
    ''')
    assert got == [[True, False], [True, True], [True, True], [False, False], [False, False],
                   [False, False], False]


def test_eight_gpus_of_the_large_node():
    data = scenario('node-8gpu-100proc')
    got = run_json('node-8gpu-100proc', '''
        import json
        from nvitop import Device
        devices = Device.all()
        print(json.dumps([[d.uuid(), d.memory_total(), d.bus_id()] for d in devices]))
    ''')
    assert got == [[d['uuid'], d['memory']['total'], d['bus_id']] for d in data['devices']]


def test_queries_from_several_threads():
    data = scenario('node-8gpu-100proc')
    got = run_json('node-8gpu-100proc', '''
        import json, threading
        from nvitop import Device
        devices = Device.all()
        results, errors = [], []

        def work(device):
            try:
                for _ in range(20):
                    results.append((device.index, device.memory_total(), device.uuid()))
                    device.utilization_rates()
                    with device.oneshot():
                        device.memory_info()
                        device.power_status()
            except Exception as ex:  # noqa: BLE001
                errors.append(repr(ex))

        threads = [threading.Thread(target=work, args=(d,)) for d in devices * 2]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(json.dumps({'errors': errors, 'n': len(results),
                          'values': sorted(set((i, m, u) for i, m, u in results))}))
    ''')
    assert got['errors'] == []
    assert got['n'] == 20 * 2 * len(data['devices'])
    assert got['values'] == [[i, d['memory']['total'], d['uuid']] for i, d in enumerate(data['devices'])]


def test_a_snapshot_inside_oneshot_keeps_the_first_results():
    got = run_json('h100-under-load', '''
        import json
        from nvitop import Device
        d = Device(0)
        with d.oneshot():
            first = d.utilization_rates()
            snapshot = d.as_snapshot()
            again = d.utilization_rates()
        print(json.dumps([snapshot.utilization_rates is first, again is first,
                          snapshot.gpu_utilization == first.gpu]))
    ''')
    assert got == [True, True, True]


def test_all_36_nvlinks():
    """CUDA 13.3 raised NVML_NVLINK_MAX_LINKS from 18 to 36: every link is read."""
    data = scenario('nvlink-36')
    got = run_json('nvlink-36', '''
        import json
        from nvitop import Device
        out = []
        for d in Device.all():
            with d.oneshot():
                out.append({'count': d.nvlink_link_count(),
                            'links': [list(t) for t in d.nvlink_throughput()],
                            'total': list(d.nvlink_total_throughput())})
        print(json.dumps(out))
    ''')
    for dev, want in zip(got, data['devices']):
        links = want['nvlink']['links']
        assert dev['count'] == links
        assert len(dev['links']) == links
        for (tx, rx), want_tx, want_rx in zip(dev['links'], want['nvlink']['tx_kib_s'],
                                              want['nvlink']['rx_kib_s']):
            assert tx == pytest.approx(want_tx, rel=0.05)
            assert rx == pytest.approx(want_rx, rel=0.05)
        assert dev['total'][0] == pytest.approx(sum(want['nvlink']['tx_kib_s']), rel=0.05)


def test_nvlinks_mirror_matches_the_library():
    """nvitop_nvlinks_t is newer than the frozen 1.7.0 layout: its mirror is checked against the
    size the library reports filling (given room for more) and the C layout rules."""
    got = run_json('nvlink-36', '''
        import ctypes, json
        from nvitop import Device, _clib
        from nvitop.api import _cdevice as C
        d = Device(0)
        d.nvlink_throughput()
        room = (ctypes.c_uint8 * (2 * ctypes.sizeof(C.NvLinks)))()
        links = C.NvLinks.from_buffer(room)
        rc = _clib.lib.nvitop_device_nvlinks(d._handle, ctypes.byref(links), len(room))
        print(json.dumps({'rc': rc, 'size': links.size, 'count': links.count.value,
                          'mirror': ctypes.sizeof(C.NvLinks), 'tx': C.NvLinks.tx_kibps.offset,
                          'rx': C.NvLinks.rx_kibps.offset, 'int': ctypes.sizeof(_clib.CInt),
                          'max': C.NVLINK_LINKS_MAX}))
    ''')
    assert got['rc'] == 0 and got['count'] == 36
    assert got['size'] == got['mirror']
    assert got['tx'] == 8 + got['int']
    assert got['rx'] == got['tx'] + got['max'] * got['int']
    assert got['mirror'] == got['rx'] + got['max'] * got['int']
