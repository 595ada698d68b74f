#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# GPU memory in a long-running nvitop-exporter when the driver misbehaves: a discrete GPU whose
# memory query answers NOT_SUPPORTED for a while has no memory series (never the host's RAM, as
# Python nvitop would show), and once the driver answers again its own memory comes back (the
# "not supported" is not remembered for good). A GPU that shares the host's memory (ATS
# addressing, as GB10) does report the host's RAM.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exporter_lib.sh"

gpu() { # EXTRA_KEYS: one GPU of 80 GiB, 1 GiB used
    printf '{"devices": [{"name": "GPU", "uuid": "GPU-00000000-1111-2222-3333-444444444444",
      "memory": {"total": 85899345920, "used": 1073741824},
      "utilization": {"gpu": 10, "memory": 5}, "processes": []%s}]}' "$1"
}
scenario=$TEST_TMP/scenario.json
export NVML_SIM_SCENARIO=$scenario
write_scenario "$scenario" "$(gpu ', "errors": {"nvmlDeviceGetMemoryInfo": "NOT_SUPPORTED"}')"

# memory_total: the value of gpu_memory_total_MiB on the page ("" without the series).
memory_total() {
    curl -sf "$(metrics_url)" | sed -n 's/^gpu_memory_total_MiB{[^}]*} \(.*\)$/\1/p'
}
memory_total_is() {
    [ "$(memory_total)" = "$1" ]
}
metric_present() {
    curl -sf "$(metrics_url)" | grep -q "^$1{"
}

start_exporter exporter --interval 0.25
wait_for 20 metric_present gpu_utilization_Percentage
sleep 1 # a few samples with the driver failing
assert_eq "$(memory_total)" "" "a discrete GPU without memory figures has no memory series"

write_scenario "$scenario" "$(gpu '')"
wait_for 20 memory_total_is 81920.0
stop_exporter TERM

# The host's memory for a GPU that shares it (the host's MemTotal, in MiB).
write_scenario "$scenario" "$(gpu ', "addressing_mode": 2, "errors": {"nvmlDeviceGetMemoryInfo": "NOT_SUPPORTED"}')"
host_mib=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1024 }' /proc/meminfo)
start_exporter integrated --interval 0.25
wait_for 20 metric_present gpu_memory_total_MiB
total=$(memory_total)
python3 -c "import sys; sys.exit(abs(float(sys.argv[1]) - float(sys.argv[2])) > 1)" \
    "$total" "$host_mib" || fail "an ATS GPU shows the host's memory: $total MiB, host $host_mib MiB"
stop_exporter TERM
echo "exporter memory: ok"
