# SPDX-License-Identifier: Apache-2.0
"""GpuProcess.workload() and HostProcess.workload(), our extension (docs/workloads.md): on the
workload fixtures (tests/fixtures/workloads/host) every layout's answer, byte for byte against
tests/fixtures/golden/workloads-python.txt (NVITOP_UPDATE_GOLDEN=1 rewrites it), and the
ctypes mirror of nvitop_workload_t against the library's own size."""

import os

from conftest import SOURCE_DIR

FIXTURES = os.path.join(SOURCE_DIR, 'tests', 'fixtures')
GOLDEN = os.path.join(FIXTURES, 'golden', 'workloads-python.txt')

CODE = '''
import ctypes, json
from nvitop import Device, HostProcess
from nvitop.api.workload import WorkloadC
for device in Device.all():
    for pid, process in sorted(device.processes().items()):
        w = process.workload()
        print(device.index, pid, json.dumps(w, sort_keys=True))
w = HostProcess(3020).workload()
assert w['kind'] == 'slurm' and w['slurm_user'] == 'alice', w
print('sizeof', ctypes.sizeof(WorkloadC))
'''


def test_workloads_golden(run_python):
    env = {'NVITOP_PROC_ROOT': os.path.join(FIXTURES, 'workloads', 'host', 'proc'),
           'NVITOP_RUNTIME_ROOT': os.path.join(FIXTURES, 'workloads', 'host', 'root')}
    out = run_python(CODE, scenario=os.path.join(FIXTURES, 'scenarios', 'workloads.json'),
                     env=env).stdout
    assert 'sizeof 264' in out  # the C struct's size on LP64 (tests/abi checks the C side)
    if os.environ.get('NVITOP_UPDATE_GOLDEN') == '1':
        with open(GOLDEN, 'w', encoding='utf-8') as f:
            f.write(out)
    with open(GOLDEN, encoding='utf-8') as f:
        assert out == f.read()
