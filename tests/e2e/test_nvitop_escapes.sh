#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Anyone's command line is text, never terminal controls: a real process whose argv holds a
# window-title OSC, an OSC 52 clipboard write, CSI 2K, a C1 CSI, bytes that are not UTF-8 and a
# long tail (and a device and a user name with escapes) shows up in `nvitop -1` and in the report printed after quitting the monitor
# escaped as the monitor's screen shows it (^[ ~[), cut at 80 columns without leaving half an
# escape sequence, and the only escapes written are the report's own colours.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB
make_test_tmp
unset NVITOP_PROC_ROOT NO_COLOR FORCE_COLOR ANSI_COLORS_DISABLED NVITOP_MONITOR_MODE LOGLEVEL
export LC_ALL=C.UTF-8
source "$(dirname "$0")/workers.sh"

# argv[0] opens an OSC that the 80-column cut lands in; the rest follow as arguments
title=$'\e]0;PWNED-TITLE\a'
args=($'\e]52;c;cHduZWQ=\a' $'\e[2K' $'\xc2\x9b2J' $'\x9b' $'\xff\xfe' "$(printf 'x%.0s' {1..120})")
(cd "$TEST_TMP" && exec -a "${title%$'\a'}" "$python" worker.py "${args[@]}") &
pid[evil]=$!
stop_worker() { if kill -9 "${pid[evil]}" 2>/dev/null; then wait "${pid[evil]}" 2>/dev/null || true; fi; }
trap 'stop_worker; rm -rf "$TEST_TMP"' EXIT

scenario=$TEST_TMP/scenario.json
cat >"$scenario" <<JSON
{"driver_version": "550.54.15", "cuda_driver_version": 12040,
 "devices": [{"name": "NVIDIA \u001b]0;GPU\u0007H100", "uuid": "GPU-0", "bus_id": "00000000:18:00.0",
   "memory": {"total": 85899345920, "used": 1073741824}, "utilization": {"gpu": 10, "memory": 1},
   "processes": [{"pid": ${pid[evil]}, "type": "C", "used_memory": 1073741824}]}]}
JSON
sim_env "$scenario"
# wait until the child's argv is the one above (the exec has happened)
end=$((SECONDS + 30))
until grep -qa 'PWNED' "/proc/${pid[evil]}/cmdline" 2>/dev/null; do
    ((SECONDS < end)) || fail "the worker did not start"
    sleep 0.05
done

# check_text FILE WHAT: UTF-8, no control but '\n' and no C1 control, escapes only SGR colours
check_text() {
    python3 - "$1" "$2" <<'PY' || fail "$2: terminal controls in the output (see above)"
import re, sys
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit(f"not UTF-8: {e}")
text = re.sub("\x1b\\[[0-9;]*m", "", text)  # the report's own colours
bad = [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f]
if bad:
    sys.exit(f"controls {sorted(set(map(hex, map(ord, bad))))} in {text!r}")
PY
}

for columns in 80 200; do
    # the device's name and the user's name (LOGNAME) are not trusted either
    LOGNAME=$'\e]0;USER\a' COLUMNS=$columns "$NVITOP_BIN_DIR/nvitop" -1 >"$TEST_TMP/out" 2>"$TEST_TMP/err" ||
        fail "nvitop -1 at $columns columns: $(cat "$TEST_TMP/err")"
    check_text "$TEST_TMP/out" "nvitop -1 at $columns columns"
    COLUMNS=$columns "$NVITOP_BIN_DIR/nvitop" -1 --force-color >"$TEST_TMP/color" 2>/dev/null
    check_text "$TEST_TMP/color" "nvitop -1 --force-color at $columns columns"
    row=$(grep -a " ${pid[evil]} C " "$TEST_TMP/out") || fail "no row for the process at $columns"
    border=$(grep -a -A1 " ${pid[evil]} C " "$TEST_TMP/out" | tail -1)
    # every character is one column here: the row is as wide as the panel's border
    assert_eq "$(wc -m <<<"$row")" "$(wc -m <<<"$border")" \
        "width of the process row at $columns columns"
    assert_contains "$row" "^[]0;PWNED" "the title OSC, escaped, at $columns columns"
    assert_contains "$(cat "$TEST_TMP/out")" "^[]0;GPU^G" "the device name, escaped"
    assert_contains "$(cat "$TEST_TMP/out")" "^[]0;USER^G@" "the user name, escaped"
done
assert_contains "$row" "^[]52;c;cHduZWQ=^G ^[[2K ~[2J" "OSC 52, CSI 2K and C1 CSI escaped"
assert_contains "$row" "xxxx.." "the long tail cut"

# After the monitor: the same report, in a real terminal (tmux) whose title must not change.
tmux_start 200 30 "$NVITOP_BIN_DIR/nvitop"
trap 'stop_worker; tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true; rm -rf "$TEST_TMP"' EXIT
wait_for "PWNED" "the process in the monitor"
keys q
assert_eq "$(wait_exit)" "0" "exit code after q"
title_now=$(tmux -S "$TMUX_SOCK" display-message -p -t t '#{pane_title}')
[[ "$title_now" == *PWNED* ]] && fail "the report set the terminal's title to '$title_now'"
wait_for "^[]0;PWNED" "the report after quitting shows the OSC escaped"
echo "escapes: ok"
