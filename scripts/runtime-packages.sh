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

libs=$(ldd "$@" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u)
[ -n "$libs" ] || {
    echo "runtime-packages: ldd found no shared library in $*" >&2
    exit 1
}
# dpkg knows a library by the path its package installed; with merged /usr that may be the
# other spelling of the path ldd printed (/lib/... and /usr/lib/...). One dpkg-query for all.
spellings() {
    local real
    real=$(realpath "$1")
    printf '%s\n' "$1" "$real" "/usr${real#/usr}" "${real#/usr}"
}
owners=$(for lib in $libs; do spellings "$lib"; done | sort -u | xargs dpkg-query -S 2>/dev/null || true)
# owner LIB: the package of the first spelling of LIB that dpkg knows.
owner() {
    local path pkg
    for path in $(spellings "$1"); do
        pkg=$(awk -v p="$path" '{ f = $0; sub(/^[^ ]*: /, "", f) } f == p { sub(/:.*/, ""); print; exit }' \
            <<<"$owners")
        [ -z "$pkg" ] || {
            echo "$pkg"
            return 0
        }
    done
    echo "runtime-packages: no package holds $1" >&2
    return 1
}
for lib in $libs; do owner "$lib" || exit 1; done | sort -u
