#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make run`: nvitop (the monitor, on a terminal) on the real NVIDIA driver when there is one;
# otherwise on simulated GPUs (a lively demo scenario with real processes started for it), saying
# which.
#   scripts/run.sh [BUILD_DIR] [nvitop options...]
set -euo pipefail
build=${1:-build}
[ $# -gt 0 ] && shift
nvitop=$build/src/nvitop
sim=$build/sim/libnvidia-ml.so.1
[ -x "$nvitop" ] || { echo "run.sh: $nvitop not found: run 'make build' first" >&2; exit 1; }

# show LABEL [nvitop options...]: nvitop as asked; on a terminal that is the monitor (q quits it
# and prints the report), elsewhere the report.
show() {
    shift
    "$nvitop" "$@"
}

if [ -z "${NVML_SIM_SCENARIO:-}" ] && "$nvitop" --json >/dev/null 2>&1; then
    echo "nvitop: using the NVIDIA driver of this machine" >&2
    show "NVIDIA driver" "$@"
    exit
fi

[ -f "$sim" ] || { echo "run.sh: the NVML simulator $sim is missing" >&2; exit 1; }
echo "nvitop: no NVIDIA driver found: running on simulated GPUs (scenario: demo, 4 GPUs)" >&2
demo=$(mktemp -d "${TMPDIR:-/tmp}/nvitop-demo.XXXXXX")
workers=()
cleanup() {
    if [ ${#workers[@]} -gt 0 ]; then kill "${workers[@]}" 2>/dev/null || true; fi
    rm -rf "$demo"
}
trap cleanup EXIT

# Real processes named like a GPU node's jobs; a little CPU each so %CPU moves.
cat >"$demo/job.py" <<'PY'
import time
while True:
    end = time.monotonic() + 0.05
    while time.monotonic() < end:
        pass
    time.sleep(0.45)
PY
for job in train serve viz; do cp "$demo/job.py" "$demo/$job.py"; done
python=$(command -v /usr/bin/python3 || command -v python3) # not a shim: argv must settle
start_worker() { # start_worker SCRIPT ARGS...: runs "python3 SCRIPT ARGS..." in the demo dir
    (cd "$demo" && exec -a python3 "$python" "$@") &
    workers+=($!)
}
start_worker train.py --model llama-8b --batch-size 32 --epochs 3
start_worker train.py --model llama-8b --batch-size 32 --epochs 3 --rank 1
start_worker serve.py --port 8080 --max-batch 64
start_worker viz.py --display :0
sleep 0.3

scenario=$demo/demo.json
sed -e "s/@TRAIN0@/${workers[0]}/g" -e "s/@TRAIN1@/${workers[1]}/g" \
    -e "s/@SERVE@/${workers[2]}/g" -e "s/@XORG@/${workers[3]}/g" \
    "$(dirname "$0")/demo-scenario.json.in" >"$scenario"
# One timeline for every nvitop run of the demo, so values move from frame to frame.
NVML_SIM_EPOCH=$(date +%s)
export NVITOP_NVML_LIBRARY=$sim NVML_SIM_SCENARIO=$scenario NVML_SIM_EPOCH
show "simulated GPUs (scenario: demo)" "$@"
