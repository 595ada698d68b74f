#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# nvitop-exporter on a device with 36 NVLinks (nvlink-36.json: CUDA 13.3 raised
# NVML_NVLINK_MAX_LINKS from 18 to 36): gpu_nvlink_{tx,rx}_throughput_MiBps has a line for each
# of GPU 0's 36 links and GPU 1's 18, each at its link's rate (link l: TX 100+l, RX 200+2l MiB/s).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exporter_lib.sh"

export NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/nvlink-36.json
start_exporter exporter --interval 0.25
has_link35() { curl -sf "$(metrics_url)" | grep -q '^gpu_nvlink_rx_throughput_MiBps{.*index="0",link="35"'; }
wait_for 20 has_link35
curl -sf "$(metrics_url)" >"$TEST_TMP/page" || fail "no page"
python3 - "$TEST_TMP/page" <<'PY' || fail "the NVLink lines"
import re, sys
page = open(sys.argv[1]).read()
for direction, rate in (("tx", lambda l: 100 + l), ("rx", lambda l: 200 + 2 * l)):
    for index, count in (("0", 36), ("1", 18)):
        got = {int(m.group(1)): float(m.group(2)) for m in re.finditer(
            r'^gpu_nvlink_%s_throughput_MiBps\{[^}]*index="%s",link="(\d+)"[^}]*\} (\S+)$'
            % (direction, index), page, re.M)}
        assert sorted(got) == list(range(count)), (direction, index, sorted(got))
        for link, value in got.items():
            assert abs(value - rate(link)) <= 0.05 * rate(link), (direction, index, link, value)
PY
echo "ok: nvitop-exporter serves all 36 NVLinks"
