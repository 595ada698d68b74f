#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The shell scripts users run (scripts/*.sh: the driver installer, the dependency installer,
# the demo, ...) are shellcheck clean, notes included; `make lint` runs the same check.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_SOURCE_DIR
command -v shellcheck >/dev/null || fail "shellcheck is not installed (scripts/install-deps.sh)"
cd "$NVITOP_SOURCE_DIR"
scripts=(scripts/*.sh)
[ ${#scripts[@]} -gt 3 ] || fail "no scripts found: ${scripts[*]}"
out=$(shellcheck "${scripts[@]}" 2>&1) || fail "shellcheck: $out"
echo "PASS"
