# SPDX-License-Identifier: Apache-2.0
"""The CUDA runtime facade (nvitop.api.libcudart of nvitop 1.7), answered by libnvitop.

cudaRuntimeGetVersion() asks libnvitop (nvitop_cuda_runtime_version(): libcudart's own answer,
found as nvitop finds it); the device functions answer from libnvitop's CUDA device list (the
driver asked in a child process, see libcuda); no CUDA runtime is initialised in this process,
so cudaGetLastError() and cudaPeekAtLastError() are always cudaSuccess. The subset and what
differs are in docs/python.md (libcudart).
"""

from __future__ import annotations

import ctypes

from nvitop import _clib
from nvitop.api import _coded_errors, libcuda

_SUFFIXES = {
    'InvalidValue': 1, 'MemoryAllocation': 2, 'InitializationError': 3, 'CudartUnloading': 4,
    'ProfilerDisabled': 5, 'InvalidConfiguration': 9, 'InvalidPitchValue': 12, 'InvalidSymbol': 13,
    'InvalidTexture': 18, 'InvalidTextureBinding': 19, 'InvalidChannelDescriptor': 20,
    'InvalidMemcpyDirection': 21, 'InvalidFilterSetting': 26, 'InvalidNormSetting': 27,
    'StubLibrary': 34, 'InsufficientDriver': 35, 'CallRequiresNewerDriver': 36,
    'InvalidSurface': 37, 'DuplicateVariableName': 43, 'DuplicateTextureName': 44,
    'DuplicateSurfaceName': 45, 'DevicesUnavailable': 46, 'IncompatibleDriverContext': 49,
    'MissingConfiguration': 52, 'LaunchMaxDepthExceeded': 65, 'LaunchFileScopedTex': 66,
    'LaunchFileScopedSurf': 67, 'SyncDepthExceeded': 68, 'LaunchPendingCountExceeded': 69,
    'InvalidDeviceFunction': 98, 'NoDevice': 100, 'InvalidDevice': 101, 'DeviceNotLicensed': 102,
    'SoftwareValidityNotEstablished': 103, 'StartupFailure': 127, 'InvalidKernelImage': 200,
    'DeviceUninitialized': 201, 'MapBufferObjectFailed': 205, 'UnmapBufferObjectFailed': 206,
    'ArrayIsMapped': 207, 'AlreadyMapped': 208, 'NoKernelImageForDevice': 209,
    'AlreadyAcquired': 210, 'NotMapped': 211, 'NotMappedAsArray': 212, 'NotMappedAsPointer': 213,
    'ECCUncorrectable': 214, 'UnsupportedLimit': 215, 'DeviceAlreadyInUse': 216,
    'PeerAccessUnsupported': 217, 'InvalidPtx': 218, 'InvalidGraphicsContext': 219,
    'NvlinkUncorrectable': 220, 'JitCompilerNotFound': 221, 'UnsupportedPtxVersion': 222,
    'JitCompilationDisabled': 223, 'UnsupportedExecAffinity': 224, 'InvalidSource': 300,
    'FileNotFound': 301, 'SharedObjectSymbolNotFound': 302, 'SharedObjectInitFailed': 303,
    'OperatingSystem': 304, 'InvalidResourceHandle': 400, 'IllegalState': 401,
    'SymbolNotFound': 500, 'NotReady': 600, 'IllegalAddress': 700, 'LaunchOutOfResources': 701,
    'LaunchTimeout': 702, 'LaunchIncompatibleTexturing': 703, 'PeerAccessAlreadyEnabled': 704,
    'PeerAccessNotEnabled': 705, 'SetOnActiveProcess': 708, 'ContextIsDestroyed': 709,
    'Assert': 710, 'TooManyPeers': 711, 'HostMemoryAlreadyRegistered': 712,
    'HostMemoryNotRegistered': 713, 'HardwareStackError': 714, 'IllegalInstruction': 715,
    'MisalignedAddress': 716, 'InvalidAddressSpace': 717, 'InvalidPc': 718, 'LaunchFailure': 719,
    'CooperativeLaunchTooLarge': 720, 'NotPermitted': 800, 'NotSupported': 801,
    'SystemNotReady': 802, 'SystemDriverMismatch': 803, 'CompatNotSupportedOnDevice': 804,
    'MpsConnectionFailed': 805, 'MpsRpcFailure': 806, 'MpsServerNotReady': 807,
    'MpsMaxClientsReached': 808, 'MpsMaxConnectionsReached': 809, 'MpsClientTerminated': 810,
    'CdpNotSupported': 811, 'CdpVersionMismatch': 812, 'StreamCaptureUnsupported': 900,
    'StreamCaptureInvalidated': 901, 'StreamCaptureMerge': 902, 'StreamCaptureUnmatched': 903,
    'StreamCaptureUnjoined': 904, 'StreamCaptureIsolation': 905, 'StreamCaptureImplicit': 906,
    'CapturedEvent': 907, 'StreamCaptureWrongThread': 908, 'Timeout': 909,
    'GraphExecUpdateFailure': 910, 'ExternalDevice': 911, 'InvalidClusterSize': 912, 'Unknown': 999,
}

cudaSuccess = 0  # noqa: N816
_NAMES: dict[int, str] = {0: 'cudaSuccess'}
for _suffix, _code in _SUFFIXES.items():
    globals()['cudaError' + _suffix] = _code
    _NAMES[_code] = 'cudaError' + _suffix


class cudaError(_coded_errors.CudaError, family=True):  # noqa: N801
    """CUDA runtime error; cudaError(code) gives the subclass for the code."""

    _names = _NAMES
    _errcode_to_string = {
        3: 'Initialization error.',
        35: 'Cuda driver version is insufficient for cuda runtime version.',
        100: 'No cuda-capable device is detected.',
        101: 'Invalid device ordinal.',
        500: 'Named symbol not found.',
    }


def cudaExceptionClass(cudaErrorCode: int) -> type[cudaError]:  # noqa: N802,N803
    """The cudaError subclass for a code."""
    return cudaError._exception_class(cudaErrorCode, 'cudaErrorCode {} is not valid.')  # pylint: disable=protected-access


def _make_classes() -> None:
    cudaError._add_classes(  # pylint: disable=protected-access
        (('cudaError_' + suffix, code) for suffix, code in _SUFFIXES.items()), globals(),
    )


_make_classes()
del _suffix, _code

if hasattr(_clib.lib, 'nvitop_cuda_runtime_version'):
    _clib.declare('nvitop_cuda_runtime_version', _clib.CInt)


def _error(code: int) -> cudaError:
    return cudaError(code)


def cudaGetErrorName(error: int) -> str:  # noqa: N802
    """The enum name of a code, e.g. 'cudaErrorInsufficientDriver'."""
    if error not in _NAMES:
        return 'cudaErrorUnknown'
    return _NAMES[error]


def cuGetErrorString(error: int) -> str:  # noqa: N802
    """The description of a code (cudaGetErrorString; only the codes described here)."""
    if error == 0:
        return 'no error'
    text = cudaError._errcode_to_string.get(error)
    return 'unknown error' if text is None else text.rstrip('.')


def cudaGetLastError() -> int:  # noqa: N802
    """No CUDA runtime runs in this process: always cudaSuccess."""
    return cudaSuccess


def cudaPeekAtLastError() -> int:  # noqa: N802
    """No CUDA runtime runs in this process: always cudaSuccess."""
    return cudaSuccess


def cudaRuntimeGetVersion() -> str:  # noqa: N802
    """'major.minor' of the CUDA runtime library (libcudart) that nvitop would load."""
    if not hasattr(_clib.lib, 'nvitop_cuda_runtime_version'):
        raise _error(3)
    version = _clib.lib.nvitop_cuda_runtime_version()
    if version.na != 0:
        raise _error(3)  # no libcudart: cudaErrorInitializationError, as nvitop raises
    return f'{version.value // 1000}.{(version.value % 1000) // 10}'


def _driver_devices() -> list[int]:
    try:
        libcuda.cuInit()
        return libcuda._devices()  # pylint: disable=protected-access
    except libcuda.CUDAError as ex:
        raise _error(100 if isinstance(ex, libcuda.CUDAError_NoDevice) else 35) from ex  # type: ignore[attr-defined]  # pylint: disable=no-member


def cudaDriverGetVersion() -> str:  # noqa: N802
    """'major.minor' of the driver's CUDA version."""
    try:
        _driver_devices()
        return libcuda.cuDriverGetVersion()
    except libcuda.CUDAError as ex:
        raise _error(35) from ex


def cudaGetDeviceCount() -> int:  # noqa: N802
    """The number of devices CUDA sees."""
    return len(_driver_devices())


def cudaDeviceGetByPCIBusId(pciBusId: str) -> int:  # noqa: N802,N803
    """The CUDA ordinal of the device at a PCI bus id."""
    _driver_devices()
    try:
        return libcuda.cuDeviceGetByPCIBusId(pciBusId)
    except libcuda.CUDAError as ex:
        raise _error(1) from ex


def cudaDeviceGetPCIBusId(device: int) -> str:  # noqa: N802
    """'0000:18:00.0'."""
    _driver_devices()
    try:
        return libcuda.cuDeviceGetPCIBusId(device)
    except libcuda.CUDAError as ex:
        raise _error(101) from ex


def is_available() -> bool:
    """cudaGetDeviceCount() > 0, False on any cudaError."""
    try:
        return cudaGetDeviceCount() > 0
    except cudaError:
        return False

