#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Debian packages (debian/, scripts/build-deb.sh, docs/packaging.md): built from this
# source tree with lintian clean, libnvitop's symbols matching its symbols file exactly; their
# names, version and contents as CMake sets them; the exporter's unit hardened and installed
# disabled; unpacked (dpkg -x) into a temporary root, the programs run there on the simulator
# and a program builds against the -dev package alone, linked to its shared and its static
# library. Label package (slow: a whole build).
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BUILD_DIR NVITOP_SOURCE_DIR NVITOP_SIM_LIB NVITOP_CUDA_SIM_LIB NVITOP_SCENARIOS
[ -z "${NVITOP_SANITIZE:-}" ] ||
    skip "the packages build their own binaries without sanitizers: the plain build's run checks them"
make_test_tmp
source "$NVITOP_BUILD_DIR/package.env"
version=$NVITOP_VERSION
lib_pkg=libnvitop$NVITOP_SOVERSION
arch=$(dpkg --print-architecture)
triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

# ---- the build: lintian clean, every exported symbol in the symbols file and no other ----
out=$TEST_TMP/out
DPKG_GENSYMBOLS_CHECK_LEVEL=4 DEB_BUILD_OPTIONS="parallel=2" \
    "$NVITOP_SOURCE_DIR/scripts/build-deb.sh" "$NVITOP_BUILD_DIR" "$out" "$TEST_TMP/work" \
    >"$TEST_TMP/build.log" 2>&1 || fail "make deb: $(tail -n 60 "$TEST_TMP/build.log")"
grep -q "build-deb: lintian clean" "$TEST_TMP/build.log" || fail "lintian did not run"
for pkg in nvitop "$lib_pkg" libnvitop-dev; do
    deb=$out/${pkg}_${version}_$arch.deb
    [ -f "$deb" ] || fail "$deb not built (have: $(ls "$out"))"
    assert_eq "$(dpkg-deb -f "$deb" Version)" "$version" "$pkg's version"
done
deb() { echo "$out/${1}_${version}_$arch.deb"; }

# ---- Debian's library policy ----
assert_eq "$(dpkg-deb -f "$(deb "$lib_pkg")" Multi-Arch)" same "$lib_pkg Multi-Arch"
assert_eq "$(dpkg-deb -f "$(deb libnvitop-dev)" Multi-Arch)" same "libnvitop-dev Multi-Arch"
assert_contains "$(dpkg-deb -f "$(deb libnvitop-dev)" Depends)" "$lib_pkg (= $version)"
symbols=$(dpkg-deb -I "$(deb "$lib_pkg")" symbols) || fail "$lib_pkg has no symbols file"
assert_eq "$(head -n 1 <<<"$symbols")" "libnvitop.so.$NVITOP_SOVERSION $lib_pkg #MINVER#" "symbols header"
dpkg-deb -c "$(deb "$lib_pkg")" | awk '{print $6}' >"$TEST_TMP/lib.files"
grep -qx "./usr/lib/$triplet/libnvitop.so.$NVITOP_SOVERSION" "$TEST_TMP/lib.files" ||
    fail "$lib_pkg lacks libnvitop.so.$NVITOP_SOVERSION: $(cat "$TEST_TMP/lib.files")"
! grep -E '\.so$|\.a$|include/' "$TEST_TMP/lib.files" || fail "$lib_pkg holds development files"

# ---- the exporter's unit: hardened, options from /etc/default, not enabled nor started ----
dpkg-deb -x "$(deb nvitop)" "$TEST_TMP/nvitop-only"
unit=$(find "$TEST_TMP/nvitop-only" -name nvitop-exporter.service)
[ -n "$unit" ] || fail "nvitop-exporter.service not in the nvitop package"
for line in DynamicUser=yes NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes \
    PrivateTmp=yes CapabilityBoundingSet= 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' \
    DevicePolicy=closed 'DeviceAllow=char-nvidia-frontend rw' \
    EnvironmentFile=-/etc/default/nvitop-exporter \
    "ExecStart=/usr/bin/nvitop-exporter \$NVITOP_EXPORTER_OPTS"; do
    grep -qxF "$line" "$unit" || fail "nvitop-exporter.service lacks '$line'"
done
grep -q '^NVITOP_EXPORTER_OPTS=' "$TEST_TMP/nvitop-only/etc/default/nvitop-exporter" ||
    fail "/etc/default/nvitop-exporter sets no NVITOP_EXPORTER_OPTS"
dpkg-deb -I "$(deb nvitop)" conffiles | grep -qx /etc/default/nvitop-exporter ||
    fail "/etc/default/nvitop-exporter is not a conffile"
dpkg-deb -e "$(deb nvitop)" "$TEST_TMP/control"
# Not started; enabled again on upgrades only where the administrator enabled it (the
# debian-installed guard of dh_installsystemd --no-enable: a first install enables nothing).
! grep -q "deb-systemd-invoke" "$TEST_TMP/control/postinst" || fail "the package starts nvitop-exporter"
grep -q "if deb-systemd-helper debian-installed 'nvitop-exporter.service'" "$TEST_TMP/control/postinst" ||
    fail "the package enables nvitop-exporter: $(cat "$TEST_TMP/control/postinst")"
if command -v systemd-analyze >/dev/null; then
    sed "s|/usr/bin/nvitop-exporter|$TEST_TMP/nvitop-only/usr/bin/nvitop-exporter|" "$unit" \
        >"$TEST_TMP/nvitop-exporter.service"
    systemd-analyze verify --man=no "$TEST_TMP/nvitop-exporter.service" >"$TEST_TMP/verify" 2>&1 ||
        fail "systemd-analyze verify: $(cat "$TEST_TMP/verify")"
fi

# ---- everything unpacked into one root: the programs on the simulator ----
root=$TEST_TMP/root
for pkg in nvitop "$lib_pkg" libnvitop-dev; do dpkg-deb -x "$(deb "$pkg")" "$root"; done
export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVITOP_CUDA_LIBRARY=$NVITOP_CUDA_SIM_LIB LC_ALL=C.UTF-8
unset LOGLEVEL CUDA_VISIBLE_DEVICES CUDA_DEVICE_ORDER NVITOP_CUDA_PROBE NO_COLOR FORCE_COLOR
scenario=$NVITOP_SCENARIOS/h100-under-load.json
assert_eq "$("$root/usr/bin/nvitop" --version)" "nvitop $version" "packaged nvitop --version"
report=$(NVML_SIM_SCENARIO=$scenario "$root/usr/bin/nvitop" -1 --only 0) ||
    fail "packaged nvitop -1: $report"
assert_contains "$report" "H100 80GB HBM3" "packaged nvitop -1"
json=$(NVML_SIM_SCENARIO=$scenario "$root/usr/bin/nvitop" --json) || fail "packaged nvitop --json"
assert_contains "$json" '"name": "NVIDIA H100 80GB HBM3"' "packaged nvitop --json"
# CUDA's order needs the helper from /usr/libexec/nvitop, found relative to the program.
picked=$(NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/cuda-order.json CUDA_VISIBLE_DEVICES=0,1 \
    "$root/usr/bin/nvisel" -i -S 2>"$TEST_TMP/nvisel.err") || fail "packaged nvisel: $(cat "$TEST_TMP/nvisel.err")"
assert_eq "$picked" 2,3 "the packaged nvisel through the packaged nvitop-cuda-probe"
# The exporter serves metrics.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
NVML_SIM_SCENARIO=$scenario "$root/usr/bin/nvitop-exporter" --port "$port" \
    </dev/null >/dev/null 2>"$TEST_TMP/exporter.err" &
exporter_pid=$!
trap 'kill "$exporter_pid" 2>/dev/null || true; rm -rf "$TEST_TMP"' EXIT
metrics=""
for _ in $(seq 200); do
    metrics=$(curl -sf "http://127.0.0.1:$port/metrics") && break
    kill -0 "$exporter_pid" 2>/dev/null || fail "packaged nvitop-exporter exited: $(cat "$TEST_TMP/exporter.err")"
    sleep 0.05
done
assert_contains "$metrics" 'gpu_utilization_Percentage{' "packaged nvitop-exporter's /metrics"
kill "$exporter_pid"
wait "$exporter_pid" || true
# The man pages render without a warning.
for prog in nvitop nvisel nvitop-exporter; do
    page=$root/usr/share/man/man1/$prog.1.gz
    [ -f "$page" ] || fail "$prog.1.gz not packaged"
    warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "man -l $prog.1.gz warns: $warnings"
done

# The shell completions are packaged where each shell looks, and equal the program's own.
for prog in nvitop nvisel nvitop-exporter; do
    for f in "usr/share/bash-completion/completions/$prog:bash" \
             "usr/share/zsh/vendor-completions/_$prog:zsh" \
             "usr/share/fish/vendor_completions.d/$prog.fish:fish"; do
        file=$root/${f%%:*}
        [ -f "$file" ] || fail "${f%%:*} not packaged"
        [ "$(cat "$file")" = "$("$root/usr/bin/$prog" --print-completion "${f##*:}")" ] ||
            fail "packaged ${f%%:*} differs from $prog --print-completion ${f##*:}"
    done
done

# ---- a program built against libnvitop-dev alone (headers, nvitop.pc, .so and .a) ----
libdir=$root/usr/lib/$triplet
export PKG_CONFIG_PATH=$libdir/pkgconfig PKG_CONFIG_LIBDIR=$libdir/pkgconfig
assert_eq "$(pkg-config --modversion nvitop)" "$version" "pkg-config --modversion nvitop"
assert_eq "$(realpath -m "$(pkg-config --variable=includedir nvitop)")" "$root/usr/include" "nvitop.pc's includedir"
cat >"$TEST_TMP/order.c" <<'C'
#include <nvitop.h>
#include <stdio.h>
#include <stdlib.h>
/* CUDA_VISIBLE_DEVICES=0,1 in CUDA's order, and where that order came from. */
int main(void)
{
    int error = 0;
    nvitop_ctx_t *ctx = nvitop_ctx_new(NULL, &error);
    if (!ctx || nvitop_init(ctx) != 0) return 1;
    nvitop_device_t **devices = NULL;
    size_t count = 0;
    nvitop_cuda_source_t source;
    if (nvitop_cuda_devices(ctx, "0,1", NULL, &devices, &count, &source) != 0) return 1;
    printf("%s %zu %s\n", nvitop_version(), count, nvitop_cuda_source_string(source));
    nvitop_free(devices);
    nvitop_ctx_free(ctx);
    return 0;
}
C
cc=${NVITOP_C_COMPILER:-cc}
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Wextra -Werror "$TEST_TMP/order.c" $(pkg-config --cflags --libs nvitop) \
    -Wl,-rpath,"$libdir" -o "$TEST_TMP/order_shared" || fail "building against libnvitop-dev (shared)"
libs=$(ldd "$TEST_TMP/order_shared")
grep -q "$libdir/libnvitop.so.$NVITOP_SOVERSION" <<<"$libs" || fail "not linked to the packaged library: $libs"
# The library finds the helper relative to itself: /usr/lib/<triplet> -> /usr/libexec/nvitop.
assert_eq "$(NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/cuda-order.json "$TEST_TMP/order_shared")" \
    "$version 2 driver" "a program on the packaged libnvitop.so"
# The static library: nothing of libnvitop left to load at run time.
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Wextra -Werror "$NVITOP_SOURCE_DIR/examples/devices.c" \
    $(pkg-config --cflags nvitop) -L"$libdir" -Wl,-Bstatic -lnvitop -Wl,-Bdynamic \
    $(pkg-config --static --libs-only-l nvitop | sed 's/-lnvitop//') -o "$TEST_TMP/devices_static" ||
    fail "building against libnvitop-dev (static)"
! ldd "$TEST_TMP/devices_static" | grep -q libnvitop || fail "the static build loads libnvitop.so"
out=$(NVML_SIM_SCENARIO=$scenario "$TEST_TMP/devices_static")
assert_contains "$out" 'PhysicalDevice(index=0, name="NVIDIA H100 80GB HBM3"' "a program on libnvitop.a"
echo "deb package: nvitop, $lib_pkg, libnvitop-dev $version: ok"
