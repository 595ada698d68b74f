#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the one wheel of `make wheel`: python/nvitop plus a `cmake --install` prefix under
nvitop/_prefix/ (the programs, libnvitop.so.1, the CUDA probe, and the shared libraries a fresh
Debian may lack), with no build backend and no network: zipfile and the standard library.

usage: scripts/build-wheel.py [--build BUILD_DIR] [--out DIR]
The build directory must be built (`make build`); prints the wheel's path.
"""

import argparse
import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile

NAME = 'nvitop'
SUMMARY = 'GPU process viewer and library: the nvitop programs and Python API over libnvitop (C)'
# What the wheel's prefix holds, relative to the install prefix (the rest of `cmake --install`,
# headers, the static archive, pkg-config and man pages, serves C users, not pip).
PREFIX_FILES = (
    'bin/nvitop',
    'bin/nvisel',
    'bin/nvitop-exporter',
    'lib/libnvitop.so.1',
    'libexec/nvitop/nvitop-cuda-probe',
)
CONSOLE_SCRIPTS = {
    'nvitop': 'nvitop._programs:nvitop',
    'nvisel': 'nvitop._programs:nvisel',
    'nvitop-exporter': 'nvitop._programs:nvitop_exporter',
}
# Sonames every Debian system has: glibc, and the packages of priority required or those apt
# itself depends on (libtinfo6, GnuTLS and its libraries, libstdc++, zlib, zstd). Any other
# library a program needs (ncursesw for nvitop, libmicrohttpd for the exporter) is bundled into
# _prefix/lib, where the programs' RUNPATH $ORIGIN/../lib finds it first (src/CMakeLists.txt).
BASE_SYSTEM = {
    'linux-vdso.so.1', 'ld-linux-x86-64.so.2', 'ld-linux-aarch64.so.1', 'libc.so.6',
    'libm.so.6', 'libpthread.so.0', 'libdl.so.2', 'librt.so.1', 'libresolv.so.2',
    'libgcc_s.so.1', 'libstdc++.so.6', 'libz.so.1', 'libzstd.so.1', 'libtinfo.so.6',
    'libgnutls.so.30', 'libp11-kit.so.0', 'libidn2.so.0', 'libunistring.so.2', 'libtasn1.so.6',
    'libnettle.so.8', 'libhogweed.so.6', 'libgmp.so.10', 'libffi.so.8',
}
EPOCH = (1980, 1, 1, 0, 0, 0)  # reproducible: every entry gets the zip format's first date


def die(message):
    sys.exit(f'build-wheel: {message}')


def cache_value(build, key):
    with open(os.path.join(build, 'CMakeCache.txt'), encoding='utf-8') as f:
        for line in f:
            m = re.match(rf'{re.escape(key)}:[A-Z]+=(.*)$', line.rstrip('\n'))
            if m:
                return m.group(1)
    die(f'{key} missing from {build}/CMakeCache.txt')
    return None


def install_prefix(build, dest):
    """`cmake --install` of the build into dest, stripped; the prefix must use lib/ (the
    programs' RUNPATH and libnvitop's way to libexec/ are relative to it)."""
    if cache_value(build, 'CMAKE_INSTALL_LIBDIR') != 'lib':
        die('configure with -DCMAKE_INSTALL_LIBDIR=lib (the wheel\'s prefix layout)')
    run = subprocess.run(['cmake', '--install', build, '--prefix', dest, '--strip'],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        die(f'cmake --install failed (is the build complete? run `make build`):\n{run.stderr}')
    for rel in PREFIX_FILES:
        if not os.path.isfile(os.path.join(dest, rel)):
            die(f'{rel} is missing from the install tree')


def needed_libraries(path):
    """soname -> resolved path of every shared library `path` loads (ldd: the closure)."""
    out = subprocess.run(['ldd', path], check=True, capture_output=True, text=True).stdout
    found = {}
    for line in out.splitlines():
        m = re.match(r'\s*(\S+)\s*=>\s*(.*?)\s*(\(0x[0-9a-f]+\))?$', line)
        if not m:
            continue  # the vdso and the dynamic loader: no "=>"
        if m.group(2) == 'not found':
            die(f'{path} needs {m.group(1)}, which is not found on this machine')
        found[m.group(1)] = m.group(2)
    return found


def libraries_to_bundle(prefix):
    """soname -> path of the libraries outside BASE_SYSTEM that the prefix's files need."""
    bundle = {}
    for rel in PREFIX_FILES:
        for soname, path in needed_libraries(os.path.join(prefix, rel)).items():
            if soname not in BASE_SYSTEM and not soname.startswith('libnvitop.'):
                bundle[soname] = path
    # A bundled library finds its own needs by the system's paths only (RUNPATH is per object):
    # it may need nothing else bundled.
    for soname, path in bundle.items():
        others = set(needed_libraries(path)) & (set(bundle) - {soname})
        if others:
            die(f'{soname} needs {", ".join(sorted(others))}, also bundled: not supported')
    return bundle


def package_files(source):
    """(archive name, file path) of every module of python/nvitop."""
    root = os.path.join(source, 'python')
    files = []
    for directory, dirs, names in os.walk(os.path.join(root, NAME)):
        dirs[:] = sorted(d for d in dirs if d not in ('__pycache__', '_prefix'))
        for name in sorted(names):
            if name.endswith('.py') and name != '_build_info.py':
                path = os.path.join(directory, name)
                files.append((os.path.relpath(path, root), path))
    if not files:
        die(f'no Python package in {root}/{NAME}')
    return files


def platform_tag():
    return re.sub(r'[^A-Za-z0-9]', '_', sysconfig.get_platform())


def metadata(version):
    return (
        'Metadata-Version: 2.1\n'
        f'Name: {NAME}\n'
        f'Version: {version}\n'
        f'Summary: {SUMMARY}\n'
        'License: Apache-2.0\n'
        'Requires-Python: >=3.8\n'
        'Provides-Extra: psutil\n'
        'Requires-Dist: psutil>=5.6.6; extra == "psutil"\n'
        '\n'
        'nvitop\'s Python API (`import nvitop`) over libnvitop, with the C programs nvitop, nvisel\n'
        'and nvitop-exporter. See docs/python.md of the source tree.\n'
    )


def wheel_info(tag):
    return ('Wheel-Version: 1.0\nGenerator: nvitop scripts/build-wheel.py\n'
            f'Root-Is-Purelib: false\nTag: {tag}\n')


def entry_points():
    lines = ['[console_scripts]'] + [f'{k} = {v}' for k, v in CONSOLE_SCRIPTS.items()]
    return '\n'.join(lines) + '\n'


class WheelWriter:
    """A zip with a RECORD line (sha256, size) per entry, written last."""

    def __init__(self, path, dist_info):
        self.zip = zipfile.ZipFile(path, 'w', compression=zipfile.ZIP_DEFLATED)
        self.dist_info = dist_info
        self.records = []

    def add(self, name, data, mode=0o644):
        info = zipfile.ZipInfo(name, EPOCH)
        info.external_attr = (0o100000 | mode) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
        self.records.append(f'{name},sha256={digest},{len(data)}')

    def add_file(self, name, path):
        with open(path, 'rb') as f:
            data = f.read()
        executable = os.stat(path).st_mode & 0o111
        self.add(name, data, 0o755 if executable else 0o644)

    def close(self):
        record = f'{self.dist_info}/RECORD'
        text = '\n'.join(self.records + [f'{record},,']) + '\n'
        info = zipfile.ZipInfo(record, EPOCH)
        info.external_attr = (0o100644) << 16
        self.zip.writestr(info, text)
        self.zip.close()


def build_wheel(build, out, source):
    version = cache_value(build, 'CMAKE_PROJECT_VERSION')
    tag = f'py3-none-{platform_tag()}'
    os.makedirs(out, exist_ok=True)
    for stale in os.listdir(out):
        if stale.startswith(f'{NAME}-') and stale.endswith('.whl'):
            os.remove(os.path.join(out, stale))  # `make wheel` leaves one wheel in dist/
    wheel_path = os.path.join(out, f'{NAME}-{version}-{tag}.whl')
    dist_info = f'{NAME}-{version}.dist-info'
    with tempfile.TemporaryDirectory(prefix='nvitop-wheel.') as tmp:
        prefix = os.path.join(tmp, 'prefix')
        install_prefix(build, prefix)
        bundle = libraries_to_bundle(prefix)
        wheel = WheelWriter(wheel_path + '.part', dist_info)
        for name, path in package_files(source):
            wheel.add_file(name, path)
        wheel.add(f'{NAME}/_build_info.py',
                  f'# Written by scripts/build-wheel.py.\nVERSION = {version!r}\n'.encode())
        for rel in PREFIX_FILES:  # a wheel has no symlinks: the soname holds the library
            wheel.add_file(f'{NAME}/_prefix/{rel}', os.path.realpath(os.path.join(prefix, rel)))
        for soname, path in sorted(bundle.items()):
            wheel.add_file(f'{NAME}/_prefix/lib/{soname}', os.path.realpath(path))
        wheel.add(f'{dist_info}/METADATA', metadata(version).encode())
        wheel.add(f'{dist_info}/WHEEL', wheel_info(tag).encode())
        wheel.add(f'{dist_info}/entry_points.txt', entry_points().encode())
        wheel.add(f'{dist_info}/top_level.txt', f'{NAME}\n'.encode())
        wheel.close()
    os.replace(wheel_path + '.part', wheel_path)
    return wheel_path


def main():
    source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description='Writes the nvitop wheel.')
    parser.add_argument('--build', default=os.path.join(source, 'build'),
                        help='the built CMake build directory (default: build)')
    parser.add_argument('--out', default=os.path.join(source, 'dist'),
                        help='where the wheel goes (default: dist)')
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.build, 'CMakeCache.txt')):
        die(f'{args.build} is not a CMake build directory: run `make build` first')
    if shutil.which('ldd') is None:
        die('ldd is needed to find the libraries to bundle')
    print(build_wheel(os.path.abspath(args.build), os.path.abspath(args.out), source))


if __name__ == '__main__':
    main()
