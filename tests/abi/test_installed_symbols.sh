#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What `make install DESTDIR=...` lays out is clean: the installed libnvitop.a and libnvitop.so
# define no global symbol outside nvitop_* (the library's internals would collide with a static
# user's own str_copy, strbuf_printf, ...), hold none of the programs' code, and a static user
# that defines symbols named like the internals links against the archive alone and runs.
source "$NVITOP_SOURCE_DIR/tests/e2e/lib.sh"
require_env NVITOP_BUILD_DIR NVITOP_SOURCE_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS
make_test_tmp
command -v nm >/dev/null || skip "nm is not installed"
dest=$TEST_TMP/dest

# DESTDIR as `make install DESTDIR=...` passes it; the prefix is what the package would own.
DESTDIR=$dest cmake --install "$NVITOP_BUILD_DIR" --prefix /opt/nvitop >"$TEST_TMP/log" 2>&1 ||
    fail "cmake --install with DESTDIR: $(cat "$TEST_TMP/log")"
libdir=$(cd "$dest/opt/nvitop" && ls -d lib*/ | head -1)
libdir=$dest/opt/nvitop/${libdir%/}
[ -n "$(find "$dest" -maxdepth 1 ! -path "$dest" ! -name opt)" ] && fail "installed outside the prefix"

# Every global a library defines, one name a line.
globals() { nm -g --defined-only "$@" 2>/dev/null | awk 'NF == 3 { print $3 }' | sed 's/@.*//' | sort -u; }
for lib in libnvitop.a libnvitop.so; do
    [ -f "$libdir/$lib" ] || fail "$libdir/$lib not installed"
    globals "$libdir/$lib" >"$TEST_TMP/$lib.globals"
    [ "$(wc -l <"$TEST_TMP/$lib.globals")" -gt 50 ] || fail "nm shows too few globals in $lib"
    others=$(grep -v '^nvitop_' "$TEST_TMP/$lib.globals" || true)
    [ -z "$others" ] || fail "$lib defines globals outside nvitop_*: $(echo "$others" | head -20 | tr '\n' ' ')"
done
# The archive and the shared library offer the same API.
diff "$TEST_TMP/libnvitop.a.globals" "$TEST_TMP/libnvitop.so.globals" >"$TEST_TMP/diff" ||
    fail "libnvitop.a and libnvitop.so define different nvitop_* symbols: $(cat "$TEST_TMP/diff")"
# No program code: the programs' shell (src/cli/) is not in what users link, even as locals.
for fn in nvitop_cli_parse nvisel_cli_parse nvisel_main; do
    nm "$libdir/libnvitop.a" | grep -qw "$fn" && fail "libnvitop.a holds program code ($fn)"
done
# Nothing internal is installed next to it.
for lib in libnvitop_internal.a libnvitop_cli.a libnvitop_exporter.a libnvitop_tui.a; do
    [ -e "$libdir/$lib" ] && fail "internal library $lib installed"
done

# A static user with its own str_copy, strbuf_printf, ... links against the installed archive
# alone (not libnvitop.so) and runs on the simulator.
export PKG_CONFIG_PATH=$libdir/pkgconfig
cc=${NVITOP_C_COMPILER:-cc}
sanitize=()
[ -n "${NVITOP_SANITIZE:-}" ] && sanitize=(-fsanitize="$NVITOP_SANITIZE")
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Wextra -Werror "${sanitize[@]}" "$NVITOP_SOURCE_DIR/tests/abi/static_consumer.c" \
    $(pkg-config --cflags nvitop) -L"$libdir" -Wl,-Bstatic -lnvitop -Wl,-Bdynamic \
    $(pkg-config --static --libs-only-l nvitop | sed 's/-lnvitop//') -o "$TEST_TMP/static_consumer" \
    2>"$TEST_TMP/cc.log" || fail "linking a static user against the installed libnvitop.a: $(cat "$TEST_TMP/cc.log")"
libs=$(ldd "$TEST_TMP/static_consumer" || true)
grep -q libnvitop <<<"$libs" && fail "the static user loads a shared libnvitop: $libs"
out=$(NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json \
    "$TEST_TMP/static_consumer") || fail "the static user failed: $out"
assert_eq "$out" 'library 1.7.0, GPU 0 "NVIDIA H100 80GB HBM3", mine 31 mine, str_copy calls 1' \
    "the static user's output"
# An example built the same way runs too.
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Wextra -Werror "${sanitize[@]}" "$NVITOP_SOURCE_DIR/examples/devices.c" \
    $(pkg-config --cflags nvitop) -L"$libdir" -Wl,-Bstatic -lnvitop -Wl,-Bdynamic \
    $(pkg-config --static --libs-only-l nvitop | sed 's/-lnvitop//') -o "$TEST_TMP/devices" ||
    fail "linking examples/devices.c against the installed libnvitop.a"
out=$(NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json \
    "$TEST_TMP/devices") || fail "examples/devices (static) failed: $out"
assert_contains "$out" 'PhysicalDevice(index=0, name="NVIDIA H100 80GB HBM3", total_memory=79.65GiB)'
echo "installed symbols: $(wc -l <"$TEST_TMP/libnvitop.a.globals") nvitop_* in libnvitop.a and .so, nothing else: ok"
