# SPDX-License-Identifier: Apache-2.0
"""The error families of libcuda, libcudart and libnvml follow one set of rules (_coded_errors):
the two CUDA facades must not diverge, and NVMLError keeps pynvml's own constructor."""

from __future__ import annotations

from device_helpers import run_json

# What one family does, as JSON; ROOT, SUB (a code's subclass), CODE, the exception-class lookup.
PROBE = '''
import json, pickle

def probe(root, sub, code, lookup, module):
    e, unknown = root(code), root(4242)
    try:
        bare = root()
    except TypeError:  # NVMLError() needs a value, as pynvml's
        bare = None
    out = {
        'identity': [type(e) is sub, type(unknown) is root, sub.__module__ == module,
                     sub.__mro__[1] is root, lookup(code) is sub],
        'values': [e.value, sub().value, sub(7).value, getattr(bare, 'value', 'none'), unknown.value],
        'args': [list(e.args), list(sub().args), list(sub(7).args), list(getattr(bare, 'args', ['none']))],
        'equality': [e == sub(), e == root(code + 1), hash(e) == hash(code), e != unknown],
        'pickle': [type(pickle.loads(pickle.dumps(e))) is sub, pickle.loads(pickle.dumps(e)) == e,
                   e.__reduce__()[0] is root, type(pickle.loads(pickle.dumps(unknown))) is root],
        'unknown_repr': repr(unknown),
    }
    try:
        lookup(4242)
    except ValueError as ex:
        out['lookup'] = str(ex).replace('4242', 'N')
    return out
'''


def _families() -> dict:
    return run_json(None, PROBE + '''
from nvitop import libcuda as C, libcudart as R, libnvml as N
print(json.dumps({
    'cuda': probe(C.CUDAError, C.CUDAError_NoDevice, 100, C.cudaExceptionClass, C.__name__),
    'cudart': probe(R.cudaError, R.cudaError_NoDevice, 100, R.cudaExceptionClass, R.__name__),
    'nvml': probe(N.NVMLError, N.NVMLError_NotFound, 6, N.nvmlExceptionClass, N.__name__),
    'cross': [C.CUDAError(100) == R.cudaError(100), R.cudaError(100) == C.CUDAError(100)],
}))
''')


def test_cuda_facades_errors_behave_alike():
    got = _families()
    assert got['cuda'] == got['cudart']
    assert got['cuda'] == {
        'identity': [True, True, True, True, True],
        'values': [100, 100, 100, None, 4242],
        'args': [[100], [], [7], []],
        'equality': [True, False, True, True],
        'pickle': [True, True, True, True],
        'unknown_repr': 'CUDA Error with code 4242.',
        'lookup': 'cudaErrorCode N is not valid.',
    }
    assert got['cross'] == [False, False]  # two families: same code, different errors


def test_nvml_errors_keep_pynvml_constructor():
    got = _families()['nvml']
    assert got['identity'] == [True, True, True, True, True]
    assert got['values'] == [6, 6, 6, 'none', 4242]
    assert got['args'] == [[6], [6], [6], ['none']]  # a subclass always carries its own code
    assert got['equality'] == [True, False, True, True]
    assert got['pickle'] == [True, True, True, True]
    assert got['lookup'] == 'nvmlErrorCode N is not valid'
