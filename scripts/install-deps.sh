#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages the build and the tests need, if any is missing.
# Used by `make run`, `make test` and .ci/run; a no-op when everything is there.
set -euo pipefail

packages=(
  gcc make cmake pkg-config     # the C11 toolchain and the build
  libjansson-dev                # JSON: simulator scenarios, nvitop --json
  libcmocka-dev                 # unit tests
  libncurses-dev                # the monitor (ncursesw)
  tmux                          # the monitor's tests run it in a real terminal
  ncurses-term                  # terminfo of the monitor's terminal matrix (rxvt-unicode-256color, ...)
  python3                       # an independent NVML client (ctypes) in the tests
  python3-pytest python3-psutil # the Python package's tests (tests/python, Debian's python3)
  python3-venv python3-pip      # test_wheel: the wheel installed offline into a fresh venv
  python3-torch python3-pandas  # the Python API's tests: a tiny training run logged by the collector; the README's CSV example
  clang-format                  # the style check in CI
  clang libclang-rt-dev         # the fuzz regression in make test: clang's libFuzzer (libclang_rt.fuzzer)
  libcurl4-gnutls-dev           # nvitop --prometheus: Prometheus' HTTP API (the fleet view)
  libmicrohttpd-dev             # nvitop-exporter's HTTP(S) server (TLS through GnuTLS)
  prometheus                    # exporter tests: a real Prometheus scrapes it; promtool checks its page
  wrk                           # bench/: drives the exporter with many concurrent scrapes
  openssl                       # exporter tests: self-signed TLS and mTLS certificates
  curl                          # exporter tests: HTTP(S) requests with and without client certificates
  doxygen                       # the API reference (make docs), built warning-free in the tests
  groff-base man-db             # the tests render the man pages (man -l)
  binutils                      # nm, objdump: the ABI test reads libnvitop.so's symbols
  bash-completion zsh fish      # test_completions: the completion scripts run in each shell
  shellcheck                    # test_shell_scripts: scripts/*.sh, the bash completions, scripts/gpu-verify.sh (test_gpu_verify)
  debhelper dpkg-dev lintian    # make deb: the Debian packages (debian/), checked by lintian
  systemd                       # the package test: systemd-analyze verify of the exporter's unit
  python3-yaml                  # the container test: docker/compose.yaml and Grafana provisioning parse
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
