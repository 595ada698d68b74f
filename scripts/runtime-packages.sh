#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Prints the Debian packages holding the shared libraries that the programs FILE... load (ldd,
# dpkg -S), one per line: the runtime stage of docker/Dockerfile* installs these beside the
# programs it copies from the build stage, so the list follows the build by itself.
#
#   scripts/runtime-packages.sh FILE...
set -euo pipefail
[ $# -ge 1 ] || {
    echo "usage: $0 FILE..." >&2
    exit 2
}

# dpkg -S knows a library by the path its package installed; with merged /usr that may be the
# other spelling of the path ldd printed (/lib/... and /usr/lib/...).
owner() {
    local path=$1 real
    real=$(realpath "$path")
    for p in "$path" "$real" "/usr${real#/usr}" "${real#/usr}"; do
        dpkg-query -S "$p" 2>/dev/null | sed -n '1s/:.*//p' | grep . && return 0
    done
    echo "runtime-packages: no package holds $path" >&2
    return 1
}

libs=$(ldd "$@" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u)
[ -n "$libs" ] || {
    echo "runtime-packages: ldd found no shared library in $*" >&2
    exit 1
}
for lib in $libs; do owner "$lib"; done | sort -u
