# SPDX-License-Identifier: Apache-2.0
"""Where the C programs and libnvitop live, and the console scripts that run the programs.

Loads nothing: the ctypes loader (nvitop._clib) reuses these lookups. A wheel holds a
`cmake --install` prefix under nvitop/_prefix/ (bin/, lib/, libexec/nvitop/); a source tree
has none, and its programs are those of the build beside libnvitop ($NVITOP_LIBRARY, or
<source>/build/src).
"""

import os
import sys

PROGRAMS = ('nvitop', 'nvisel', 'nvitop-exporter')
LIBRARY_SONAME = 'libnvitop.so.1'

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def prefix():
    """The wheel's bundled prefix (nvitop/_prefix), or None in a source tree."""
    path = os.path.join(_PACKAGE_DIR, '_prefix')
    return path if os.path.isdir(path) else None


def bundled_library():
    """nvitop/_prefix/lib/libnvitop.so.1, or None when the package has no bundled prefix."""
    root = prefix()
    path = root and os.path.join(root, 'lib', LIBRARY_SONAME)
    return path if path and os.path.isfile(path) else None


def library_candidates():
    """libnvitop, in the order PYAPI.md gives: $NVITOP_LIBRARY; the bundled prefix's
    lib/libnvitop.so.1; the soname, for the dynamic loader's own search."""
    candidates = []
    if os.environ.get('NVITOP_LIBRARY'):
        candidates.append(os.environ['NVITOP_LIBRARY'])
    if bundled_library():
        candidates.append(bundled_library())
    candidates.append(LIBRARY_SONAME)
    return candidates


def _source_build_dir():
    """<source>/build/src when this package is <source>/python/nvitop of a built checkout."""
    source = os.path.dirname(os.path.dirname(_PACKAGE_DIR))
    build = os.environ.get('NVITOP_BUILD_DIR') or os.path.join(source, 'build')
    return os.path.join(build, 'src')


def program_dirs():
    """Where a program is looked for, in order: beside $NVITOP_LIBRARY (a build tree's src/) or
    in its prefix's bin/; the bundled prefix's bin/; the source tree's build. Never $PATH: there
    the console script of the same name would find itself."""
    dirs = []
    library = os.environ.get('NVITOP_LIBRARY')
    if library:
        libdir = os.path.dirname(os.path.abspath(library))
        dirs += [libdir, os.path.join(os.path.dirname(libdir), 'bin')]
    if prefix():
        dirs.append(os.path.join(prefix(), 'bin'))
    dirs.append(_source_build_dir())
    return dirs


def program_path(name):
    """The path of the C program `name` (one of PROGRAMS), or None when none is found."""
    if name not in PROGRAMS:
        raise ValueError(f'unknown program {name!r}: one of {", ".join(PROGRAMS)}')
    for directory in program_dirs():
        path = os.path.join(directory, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def exec_program(name, args=None):
    """Replaces this process with the C program `name`, given `args` (default: sys.argv[1:])."""
    args = sys.argv[1:] if args is None else list(args)
    path = program_path(name)
    if path is None:
        sys.stderr.write(
            f'{name}: the program is not installed with this package (looked in: '
            f'{", ".join(program_dirs())})\n'
        )
        return 127
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(path, [name, *args])
    return 127  # not reached


def nvitop():
    """Console script `nvitop`."""
    return exec_program('nvitop')


def nvisel():
    """Console script `nvisel`."""
    return exec_program('nvisel')


def nvitop_exporter():
    """Console script `nvitop-exporter`."""
    return exec_program('nvitop-exporter')
