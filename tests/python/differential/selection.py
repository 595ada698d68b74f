# SPDX-License-Identifier: Apache-2.0
# Differential script: select_devices() cases (nvisel's rule), as a training script calls it.
# scenarios: h100-under-load node-8gpu-100proc a100-mig-node mixed-3gpu-mig rtx4090-idle
from nvitop import Device, select_devices

from nvitop.select import select_devices as select_devices_from_module

print('nvitop.select.select_devices', select_devices_from_module.__name__)


def show(label, **kwargs):
    try:
        value = repr(select_devices(**kwargs))
    except Exception as ex:  # noqa: BLE001
        value = f'raises {type(ex).__name__}: {ex}'
    print(f'{label}: {value}')


show('default')
show('sort=False', sort=False)
show('format=uuid', format='uuid')
show('format=device', format='device')
show('format=index force_index', format='index', force_index=True)
show('max_count=1', max_count=1)
show('max_count=2', max_count=2)
show('min_count=1', min_count=1)
show('min_count=100', min_count=100)
show('min_count=3 max_count=2', min_count=3, max_count=2)
show('max_count=0', max_count=0)
show('min_free_memory=10GiB', min_free_memory='10GiB')
show('min_free_memory=70GiB', min_free_memory='70GiB')
show('min_free_memory=int', min_free_memory=8 * 1024**3)
show('min_free_memory=1TiB', min_free_memory='1TiB')
show('min_total_memory=40GiB', min_total_memory='40GiB')
show('min_total_memory=90GiB', min_total_memory='90GiB')
show('max_gpu_utilization=50', max_gpu_utilization=50)
show('max_gpu_utilization=0', max_gpu_utilization=0)
show('max_memory_utilization=30', max_memory_utilization=30)
show('tolerance=0 sort', tolerance=0)
show('tolerance=20', tolerance=20)
show('free_accounts=[]', free_accounts=[])
show('free_accounts=[root]', free_accounts=['root'])
show('devices=Device.all()', devices=Device.all())
show('devices=[Device(0)]', devices=[Device(0)])
show('devices=[] ', devices=[])
show('devices=cuda', devices=Device.cuda.all())
show('devices=cuda format=index', devices=Device.cuda.all(), format='index')
show('devices=leaves', devices=[leaf for d in Device.all() for leaf in d.to_leaf_devices()])
show('min_free_memory=bad', min_free_memory='lots')
