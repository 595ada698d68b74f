# SPDX-License-Identifier: Apache-2.0
"""nvitop.libnvml over libnvitop: the NVMLError family, nvmlQuery's served subset, init errors."""

from __future__ import annotations

from device_helpers import run, run_json, scenario

CODES = {
    'Uninitialized': 1, 'InvalidArgument': 2, 'NotSupported': 3, 'NoPermission': 4,
    'AlreadyInitialized': 5, 'NotFound': 6, 'InsufficientSize': 7, 'InsufficientPower': 8,
    'DriverNotLoaded': 9, 'Timeout': 10, 'IrqIssue': 11, 'LibraryNotFound': 12,
    'FunctionNotFound': 13, 'CorruptedInforom': 14, 'GpuIsLost': 15, 'ResetRequired': 16,
    'OperatingSystem': 17, 'LibRmVersionMismatch': 18, 'InUse': 19, 'Memory': 20, 'NoData': 21,
    'VgpuEccNotSupported': 22, 'InsufficientResources': 23, 'FreqNotSupported': 24,
    'ArgumentVersionMismatch': 25, 'Deprecated': 26, 'NotReady': 27, 'GpuNotFound': 28,
    'InvalidState': 29, 'Unknown': 999,
}


def test_error_classes_codes_and_texts():
    got = run_json(None, f'''
        import json, pickle
        from nvitop import libnvml, NVMLError
        out = {{}}
        for name, code in {CODES!r}.items():
            cls = getattr(libnvml, 'NVMLError_' + name)
            e = NVMLError(code)
            out[name] = [type(e) is cls, e.value, cls().value, issubclass(cls, NVMLError),
                         libnvml.nvmlExceptionClass(code) is cls, e == cls(),
                         pickle.loads(pickle.dumps(e)) == e,
                         getattr(libnvml, 'NVML_ERROR_' + ''.join('_' + c if c.isupper() else c.upper() for c in name).lstrip('_')
                                 .replace('GPU_IS_LOST', 'GPU_IS_LOST')) if False else None]
        out['texts'] = [str(NVMLError(c)) for c in (3, 2, 15, 12, 13, 999)]
        out['unknown'] = [type(NVMLError(4242)).__name__, str(NVMLError(4242))]
        out['consts'] = [libnvml.NVML_ERROR_GPU_IS_LOST, libnvml.NVML_ERROR_LIB_RM_VERSION_MISMATCH,
                         libnvml.NVML_SUCCESS]
        try:
            libnvml.nvmlExceptionClass(4242)
        except ValueError:
            out['bad_code'] = True
        print(json.dumps(out))
    ''')
    for name in CODES:
        assert got[name][:7] == [True, CODES[name], CODES[name], True, True, True, True], name
    assert got['texts'] == ['Not Supported', 'Invalid Argument', 'GPU is lost',
                            'NVML Shared Library Not Found', 'Function Not Found', 'Unknown Error']
    assert got['unknown'] == ['NVMLError', 'NVML Error with code 4242']
    assert got['consts'] == [15, 18, 0]
    assert got['bad_code'] is True


def test_nvml_check_return():
    got = run_json(None, '''
        import json
        from nvitop import nvmlCheckReturn, NA
        print(json.dumps([nvmlCheckReturn(0), nvmlCheckReturn(NA), nvmlCheckReturn('5', int),
                          nvmlCheckReturn(5, int), nvmlCheckReturn(5, (str, float)),
                          nvmlCheckReturn('N/A')]))
    ''')
    assert got == [True, False, False, True, False, False]


def test_served_functions_answer_the_scenario():
    data = scenario('mixed-3gpu-mig')
    dev = data['devices'][0]
    got = run_json('mixed-3gpu-mig', '''
        import json
        from nvitop import libnvml as L
        h = L.nvmlQuery('nvmlDeviceGetHandleByIndex', 0)
        mem = L.nvmlQuery('nvmlDeviceGetMemoryInfo', h)
        procs = L.nvmlQuery('nvmlDeviceGetComputeRunningProcesses', h)
        mig_parent = L.nvmlQuery('nvmlDeviceGetHandleByIndex', 2)
        mig = L.nvmlQuery('nvmlDeviceGetMigDeviceHandleByIndex', mig_parent, 1)
        print(json.dumps({
            'count': L.nvmlQuery('nvmlDeviceGetCount'),
            'driver': L.nvmlQuery('nvmlSystemGetDriverVersion'),
            'cuda': L.nvmlQuery('nvmlSystemGetCudaDriverVersion'),
            'name': L.nvmlQuery('nvmlDeviceGetName', h),
            'uuid': L.nvmlQuery(L.nvmlDeviceGetUUID, h),
            'mem': [mem.total, mem.used, mem.reserved],
            'sm_clock': L.nvmlQuery('nvmlDeviceGetClockInfo', h, L.NVML_CLOCK_SM),
            'max_mem_clock': L.nvmlQuery('nvmlDeviceGetMaxClockInfo', h, L.NVML_CLOCK_MEM),
            'temp': L.nvmlQuery('nvmlDeviceGetTemperature', h, L.NVML_TEMPERATURE_GPU),
            'slowdown': L.nvmlQuery('nvmlDeviceGetTemperatureThreshold', h,
                                    L.NVML_TEMPERATURE_THRESHOLD_SLOWDOWN),
            'power': L.nvmlQuery('nvmlDeviceGetPowerUsage', h),
            'pstate': L.nvmlQuery('nvmlDeviceGetPerformanceState', h),
            'cc': list(L.nvmlQuery('nvmlDeviceGetCudaComputeCapability', h)),
            'pcie_rx': L.nvmlQuery('nvmlDeviceGetPcieThroughput', h, L.NVML_PCIE_UTIL_RX_BYTES),
            'procs': [[p.pid, p.usedGpuMemory, p.gpuInstanceId] for p in procs],
            'fan': L.nvmlQuery('nvmlDeviceGetFanSpeed', h),
            'fan_default': L.nvmlQuery('nvmlDeviceGetFanSpeed', h, default=-1),
            'mig_mode': L.nvmlQuery('nvmlDeviceGetMigMode', mig_parent),
            'is_mig': [L.nvmlQuery('nvmlDeviceIsMigDeviceHandle', x) for x in (mig_parent, mig)],
            'gi': L.nvmlQuery('nvmlDeviceGetGpuInstanceId', mig),
            'parent': L.nvmlQuery('nvmlDeviceGetDeviceHandleFromMigDeviceHandle', mig) == mig_parent,
            'index': L.nvmlQuery('nvmlDeviceGetIndex', mig_parent),
            'by_uuid': L.nvmlQuery('nvmlDeviceGetHandleByUUID', L.nvmlQuery('nvmlDeviceGetUUID', h)) == h,
            'fields': [v for v, _ in L.nvmlQueryFieldValues(h, [1, (2, 0)])],
            'with': None,
        }))
    ''')
    mem = dev['memory']
    assert got['count'] == 3 and got['driver'] == data['driver_version']
    assert got['cuda'] == data['cuda_driver_version']
    assert got['name'] == dev['name'] and got['uuid'] == dev['uuid']
    assert got['mem'] == [mem['total'], mem['used'], mem['reserved']]
    assert got['sm_clock'] == dev['clocks']['sm']
    assert got['max_mem_clock'] == dev['max_clocks']['mem']
    assert got['temp'] == dev['temperature']
    assert got['slowdown'] == dev['temperature_thresholds']['slowdown']
    assert got['power'] == dev['power_usage'] and got['pstate'] == dev['performance_state']
    assert got['cc'] == dev['cuda_compute_capability']
    assert got['pcie_rx'] == dev['pcie']['rx_kib_s']
    assert got['procs'] == [[p['pid'], p['used_memory'], 4294967295] for p in dev['processes']]
    assert got['fan'] == 'N/A' and got['fan_default'] == -1
    assert got['mig_mode'] == [1, 1]
    assert got['is_mig'] == [0, 1]
    assert got['gi'] == data['devices'][2]['mig_devices'][1]['gpu_instance_id']
    assert got['parent'] is True and got['index'] == 2 and got['by_uuid'] is True
    assert got['fields'] == ['N/A', 'N/A']


def test_errors_raise_unless_ignored_and_unknown_functions_log_once():
    proc = run('mixed-3gpu-mig', '''
        import json
        from nvitop import libnvml as L
        h = L.nvmlQuery('nvmlDeviceGetHandleByIndex', 0)
        out = {}
        try:
            L.nvmlQuery('nvmlDeviceGetFanSpeed', h, ignore_errors=False)
        except L.NVMLError_NotSupported as ex:
            out['fan'] = str(ex)
        try:
            L.nvmlQuery('nvmlDeviceGetHandleByIndex', 9, ignore_errors=False)
        except L.NVMLError_InvalidArgument as ex:
            out['index'] = str(ex)
        out['ignored'] = L.nvmlQuery('nvmlDeviceGetHandleByIndex', 9)
        out['unknown'] = [L.nvmlQuery('nvmlDeviceGetNoSuchThing', h), L.nvmlQuery('nvmlDeviceGetNoSuchThing', h)]
        out['quiet'] = L.nvmlQuery('nvmlDeviceGetOther', h, ignore_function_not_found=True)
        try:
            L.nvmlQuery('nvmlDeviceGetOther', h, ignore_errors=False, ignore_function_not_found=True)
            out['quiet_raise'] = 'returned'
        except L.NVMLError_FunctionNotFound:
            out['quiet_raise'] = 'raised'
        try:
            L.nvmlQuery('nvmlDeviceGetNoSuchThing', h, ignore_errors=False)
        except L.NVMLError_FunctionNotFound:
            out['unknown_raise'] = True
        out['callable'] = L.nvmlQuery(lambda x: x * 2, 21)
        out['bytes'] = L.nvmlQuery(lambda: b'caf\\xc3\\xa9')
        out['recorded'] = sorted(L.UNKNOWN_FUNCTIONS)
        try:
            L.nvmlDeviceGetNoSuchThing
        except AttributeError as ex:
            out['attr'] = str(ex)
        with L:
            out['with'] = L.nvmlDeviceGetCount()
        print(json.dumps(out))
    ''')
    got = __import__('json').loads(proc.stdout.splitlines()[-1])
    assert got['fan'] == 'Not Supported' and got['index'] == 'Invalid Argument'
    assert got['ignored'] == 'N/A' and got['unknown'] == ['N/A', 'N/A']
    assert got['quiet'] == 'N/A' and got['quiet_raise'] == 'returned'
    assert got['unknown_raise'] is True
    assert got['callable'] == 42 and got['bytes'] == 'caf\u00e9'
    assert got['recorded'] == ['nvmlDeviceGetNoSuchThing']
    assert got['attr'] == "module 'pynvml' has no attribute 'nvmlDeviceGetNoSuchThing'"
    assert got['with'] == 3
    assert proc.stderr.count("A FunctionNotFound error occurred while calling nvmlQuery('nvmlDeviceGetNoSuchThing'") == 1


def test_initialisation_errors_always_propagate():
    got = run_json('driver-not-loaded', '''
        import json
        from nvitop import libnvml as L
        out = []
        for call in (lambda: L.nvmlQuery('nvmlDeviceGetCount'),
                     lambda: L.nvmlQuery('nvmlDeviceGetCount', ignore_errors=True),
                     L.nvmlInit):
            try:
                call()
                out.append(None)
            except L.NVMLError as ex:
                out.append(type(ex).__name__)
        print(json.dumps(out))
    ''')
    assert got == ['NVMLError_DriverNotLoaded'] * 3


def test_module_names_and_exports():
    got = run_json(None, '''
        import json, sys
        import nvitop
        import nvitop.device, nvitop.libnvml, nvitop.utils, nvitop.caching, nvitop.termcolor
        from nvitop import libnvml
        print(json.dumps({
            'same': [sys.modules['nvitop.' + n] is sys.modules['nvitop.api.' + n]
                     for n in ('device', 'libnvml', 'utils', 'caching', 'termcolor', 'libcuda', 'libcudart')],
            'head': libnvml.__all__[:10],
            'has': [n in libnvml.__all__ for n in ('NVMLError_GpuIsLost', 'NVML_ERROR_UNKNOWN',
                                                    'NVML_CLOCK_SM', 'nvmlDeviceGetMemoryInfo')],
            'top': [n in nvitop.__all__ for n in ('NVMLError', 'nvmlCheckReturn', 'libnvml', 'libcuda',
                                                   'libcudart', 'Device', 'CudaMigDevice', 'ttl_cache')],
            'defaults': [libnvml.NVML_DRIVER_MCDM, libnvml.NVML_VALUE_TYPE_SIGNED_INT],
            'na': libnvml.NA is nvitop.NA and libnvml.UINT_MAX == 2**32 - 1,
        }))
    ''')
    assert got['same'] == [True] * 7
    assert got['head'] == ['NA', 'UINT_MAX', 'ULONGLONG_MAX', 'NVMLError', 'nvmlCheckReturn',
                           'nvmlInit', 'nvmlInitWithFlags', 'nvmlQuery', 'nvmlQueryFieldValues',
                           'nvmlShutdown']
    assert got['has'] == [True] * 4 and got['top'] == [True] * 8
    assert got['defaults'] == [2, 5] and got['na'] is True


def test_libcuda_and_libcudart_facades():
    from device_helpers import cuda_simulator  # pylint: disable=import-outside-toplevel

    data = scenario('cuda-order')
    order = data['cuda']['order']
    got = run_json('cuda-order', '''
        import json
        from nvitop import libcuda as C, libcudart as R
        print(json.dumps({
            'available': [C.is_available(), R.is_available()],
            'count': [C.cuDeviceGetCount(), R.cudaGetDeviceCount()],
            'names': [C.cuDeviceGetName(C.cuDeviceGet(i)) for i in range(C.cuDeviceGetCount())],
            'uuid0': C.cuDeviceGetUuid(0), 'mem0': C.cuDeviceTotalMem(0),
            'bus': [C.cuDeviceGetPCIBusId(1), R.cudaDeviceGetPCIBusId(1)],
            'by_bus': C.cuDeviceGetByPCIBusId(C.cuDeviceGetPCIBusId(2)),
            'driver': [C.cuDriverGetVersion(), R.cudaDriverGetVersion()],
            'errors': [repr(C.CUDAError(3)), str(C.CUDAError(3)), str(C.CUDAError_NotInitialized()),
                       type(C.CUDAError(100)).__name__, repr(C.CUDAError(12345)),
                       C.cuGetErrorName(999), repr(R.cudaError(35)), type(R.cudaError(214)).__name__,
                       R.cudaGetErrorName(35), R.cudaGetLastError()],
        }))
    ''', NVITOP_CUDA_LIBRARY=cuda_simulator())
    assert got['available'] == [True, True]
    assert got['count'] == [len(order)] * 2
    assert got['names'] == [data['devices'][i]['name'] for i in order]
    first = data['devices'][order[0]]
    assert got['uuid0'] == first['uuid'][len('GPU-'):]
    assert got['mem0'] == first['memory']['total']
    bus = data['devices'][order[1]]['bus_id']
    assert got['bus'] == [bus[4:]] * 2
    assert got['by_bus'] == 2
    v = data['cuda_driver_version']
    assert got['driver'] == [f'{v // 1000}.{(v % 1000) // 10}'] * 2
    assert got['errors'] == [
        'Initialization error. Code: CUDA_ERROR_NOT_INITIALIZED (3).', '3', '',
        'CUDAError_NoDevice', 'CUDA Error with code 12345.', 'CUDA_ERROR_UNKNOWN',
        'Cuda driver version is insufficient for cuda runtime version. Code: '
        'cudaErrorInsufficientDriver (35).', 'cudaError_ECCUncorrectable',
        'cudaErrorInsufficientDriver', 0,
    ]
    without = run_json('cuda-order', '''
        import json
        from nvitop import libcuda as C, libcudart as R
        out = [C.is_available(), R.is_available()]
        try:
            C.cuDeviceGetCount()
        except C.CUDAError_NotInitialized:
            out.append('not initialised')
        print(json.dumps(out))
    ''', NVITOP_CUDA_LIBRARY='/nonexistent/libcuda.so.1')
    assert without == [False, False, 'not initialised']
