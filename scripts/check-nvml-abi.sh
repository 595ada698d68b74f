#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Compares our NVML declarations (src/nvml/nvml_abi.h) with NVIDIA's nvml.h: the size and
# field offsets of every struct we use and the value of every constant. Run it where CUDA is
# installed (a GPU machine).   scripts/check-nvml-abi.sh [path/to/nvml.h]
# Exit 0: identical; 1: they differ (the differences are printed); 77: no nvml.h to compare.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
header=${1:-}
if [ -z "$header" ]; then
    for h in "${CUDA_HOME:-/usr/local/cuda}/include/nvml.h" /usr/local/cuda/targets/*/include/nvml.h \
        /usr/include/nvml.h; do
        [ -f "$h" ] && header=$h && break
    done
fi
if [ -z "$header" ] || [ ! -f "$header" ]; then
    echo "check-nvml-abi: no nvml.h found (install CUDA's NVML headers or pass the path)" >&2
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc=${CC:-cc}
"$cc" -std=c11 -DNVML_FROM_NVIDIA -I"$(dirname "$header")" "$root/tests/abi/nvml_abi_dump.c" \
    -o "$tmp/nvidia"
"$cc" -std=c11 -I"$root/src" "$root/tests/abi/nvml_abi_dump.c" -o "$tmp/ours"
"$tmp/nvidia" >"$tmp/nvidia.txt"
"$tmp/ours" >"$tmp/ours.txt"
if diff -u --label "NVIDIA $header" --label "ours src/nvml/nvml_abi.h" "$tmp/nvidia.txt" "$tmp/ours.txt"; then
    echo "check-nvml-abi: $(wc -l <"$tmp/ours.txt") sizes, offsets and constants match $header"
else
    exit 1
fi
