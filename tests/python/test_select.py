# SPDX-License-Identifier: Apache-2.0
"""select_devices() on the simulator: the ranking, constraints, tolerance, formats, the MIG rule,
free accounts and argument checks, against the values of the scenarios."""

from __future__ import annotations

import getpass

from simrun import load_scenario, run_json

NODE = 'node-8gpu-100proc.json'
MIXED = 'mixed-3gpu-mig.json'
GIB = 1 << 30


def free_bytes(device: dict) -> int:
    memory = device['memory']
    return memory['total'] - memory['reserved'] - memory['used']


def node_by_free() -> list[int]:
    devices = load_scenario(NODE)['devices']
    return sorted(range(len(devices)), key=lambda i: (-free_bytes(devices[i]), -i))


def select(calls: str, scenario: str = NODE, **env) -> list:
    """Evaluates each line of `calls` (an expression) and returns the results, JSON-friendly."""
    code = f'''
        import json
        from nvitop import Device, CudaDevice, select_devices
        def plain(result):
            return [x if isinstance(x, (str, int, list, tuple)) else [type(x).__name__, str(x.index)] for x in result]
        def attempt(expression):
            try:
                return plain(eval(expression))
            except Exception as ex:
                return [type(ex).__name__, str(ex)]
        print(json.dumps([attempt(e) for e in {[c.strip() for c in calls.strip().splitlines()]!r}]))
    '''
    return run_json(code, scenario, **env)


def test_ranking_counts_and_order():
    order = node_by_free()
    default, unsorted, three, none, subset = select('''
        select_devices()
        select_devices(sort=False)
        select_devices(max_count=3)
        select_devices(max_count=0, min_count=5)
        select_devices(Device.from_indices([0, 3, 6]))
    ''')
    assert default == order
    assert unsorted == list(range(8))
    assert three == order[:3]
    assert none == []
    assert subset == [i for i in order if i in (0, 3, 6)]


def test_memory_constraints_and_tolerance():
    devices = load_scenario(NODE)['devices']
    order = node_by_free()
    third_free = free_bytes(devices[order[2]])
    strict, as_string, loose, total = select(f'''
        select_devices(min_free_memory={third_free})
        select_devices(min_free_memory='{third_free / GIB!r}GiB')
        select_devices(min_free_memory={int(third_free * 1.05)}, tolerance=10)
        select_devices(min_total_memory='79GiB', max_count=2)
    ''')
    assert strict == order[:3]
    assert as_string == order[:3]
    # within 10 %: the devices that meet 105 % strictly first, then those needing the tolerance
    meets = [i for i in order if free_bytes(devices[i]) >= int(third_free * 1.05)]
    loosened = [i for i in order if i not in meets and free_bytes(devices[i]) >= int(third_free * 1.05) * 0.9]
    assert loose == meets + loosened and len(loosened) >= 1
    assert total == order[:2]


def test_formats():
    scenario = load_scenario(NODE)
    order = node_by_free()
    uuids, objects, cuda = select('''
        select_devices(format='uuid', max_count=2)
        select_devices(format='device', max_count=2)
        select_devices(CudaDevice.all(), format='device', max_count=1)
    ''')
    assert uuids == [scenario['devices'][i]['uuid'] for i in order[:2]]
    assert objects == [['PhysicalDevice', str(i)] for i in order[:2]]
    assert cuda == [['CudaDevice', str(order[0])]]


def test_mig_rule():
    """A MIG device among the candidates: the non-MIG devices win when the best is one; a lone MIG
    candidate is selected by UUID (CUDA shows one MIG device at most) unless force_index."""
    scenario = load_scenario(MIXED)
    default, utilization, mig_only, mig_index, mig_device = select('''
        select_devices()
        select_devices(max_gpu_utilization=50)
        select_devices([Device(2)])
        select_devices([Device(2)], force_index=True)
        select_devices([Device(2)], format='device')
    ''', MIXED)
    assert default == [1, 0]  # the RTX 4090 has the most free memory
    assert utilization == [1]
    mig_uuids = [m['uuid'] for m in scenario['devices'][2]['mig_devices']]
    assert len(mig_only) == 1 and mig_only[0] in mig_uuids
    assert len(mig_index) == 1 and mig_index[0][0] == 2 and len(mig_index[0]) == 2
    assert mig_device == [['MigDevice', f'({mig_index[0][0]}, {mig_index[0][1]})']]


def test_argument_checks():
    results = select('''
        select_devices(format='name')
        select_devices(tolerance=-1)
        select_devices(max_count=1, min_count=2)
        select_devices(min_free_memory='lots')
        select_devices([])
    ''')
    assert [r[0] for r in results[:4]] == ['AssertionError', 'AssertionError', 'AssertionError', 'ValueError']
    assert results[4] == []


def test_lost_gpu_is_left_out():
    """A GPU NVML reports lost is not a candidate (nvitop would rank it first with N/A values)."""
    (chosen,) = select('select_devices()', 'node-gpu-lost.json')
    assert 2 not in chosen and sorted(chosen) == [0, 1, 3]
    assert chosen[0] == 3  # the idle one: all of its memory free


def test_free_accounts(tmp_path):
    """The GPU memory of the given users' processes counts as free."""
    code = '''
        import getpass, json, os
        scenario = json.load(open(os.environ['NVML_SIM_SCENARIO']))
        devices = scenario['devices'][:2]
        devices[0]['memory']['used'] = 40 << 30
        devices[1]['memory']['used'] = 30 << 30
        devices[0]['processes'] = [{'pid': os.getpid(), 'type': 'C', 'used_memory': 20 << 30,
                                    'sm': 1, 'mem': 1, 'enc': 0, 'dec': 0}]
        devices[1]['processes'] = []
        scenario['devices'] = devices
        path = os.environ['NVML_SIM_SCENARIO'] + '.accounts.json'
        json.dump(scenario, open(path, 'w'))
        os.environ['NVML_SIM_SCENARIO'] = path
        from nvitop import select_devices
        print(json.dumps([select_devices(), select_devices(free_accounts=[getpass.getuser()]),
                          select_devices(free_accounts=['nobody-else'])]))
    '''
    import shutil  # pylint: disable=import-outside-toplevel

    copy = tmp_path / 'node.json'
    shutil.copy(load_scenario.__globals__['scenario_path'](NODE), copy)
    plain, mine, others = run_json(code, str(copy))
    assert plain == [1, 0]
    assert mine == [0, 1]  # 20 GiB of ours count as free: GPU 0 has 60 GiB "used" less
    assert others == [1, 0]
    assert getpass.getuser()
