# SPDX-License-Identifier: Apache-2.0
# Differential script: ResourceMetricCollector's keys, and the values of the GPU metrics (the
# scenario is frozen, so each GPU metric's mean/min/max is the scenario's value). Host metrics,
# durations and timestamps depend on this machine and on time: masked.
# scenarios: h100-under-load node-8gpu-100proc a100-mig-node rtx4090-idle
import time

from nvitop import CudaDevice, Device, ResourceMetricCollector, collect_in_background


def masked(key, value):
    if key.startswith('gpu:') or key.startswith('cuda:'):
        if '(%)' in key or 'utilization' in key or '(MiB)' in key or '(C)' in key or '(W)' in key:
            return value if not isinstance(value, float) else round(value, 3)
    return '<masked>'


def dump(title, metrics):
    print(title, len(metrics))
    for key in metrics:
        print(f'  {key} = {masked(key, metrics[key])!r}')


collector = ResourceMetricCollector(interval=0.5)
with collector(tag='train'):
    time.sleep(0.2)
    dump('collect()', collector.collect())
    with collector(tag='inner'):
        dump('nested collect()', collector.collect())

collector = ResourceMetricCollector(Device.all()[:1], root_pids=set(), interval=1.0)
collector.activate(tag='one')
dump('one device', collector.collect())
collector.deactivate()
try:
    collector.collect()
except Exception as ex:  # noqa: BLE001
    print('collect after deactivate:', type(ex).__name__, ex)
cuda = ResourceMetricCollector(CudaDevice.all(), root_pids=set(), interval=1.0)
with cuda(tag='cuda'):
    print('cuda keys', [k for k in cuda.collect() if 'gpu' in k or 'cuda' in k][:6])

for bad in (0, -1, 'x'):
    try:
        ResourceMetricCollector(interval=bad)
    except Exception as ex:  # noqa: BLE001
        print(f'interval={bad!r}:', type(ex).__name__, ex)
    else:
        print(f'interval={bad!r}: accepted')
print('collect_in_background', callable(collect_in_background))
print('DEVICE_METRICS', len(ResourceMetricCollector.DEVICE_METRICS), 'PROCESS_METRICS',
      len(ResourceMetricCollector.PROCESS_METRICS))
