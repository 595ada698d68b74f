#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `cmake --install` (what `make install PREFIX=...` runs) lays out the programs, libnvitop.so
# and .a, the headers, nvitop.pc and the man pages; a program built against the installed files
# alone, with pkg-config, links and runs (on the simulator).
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BUILD_DIR NVITOP_SOURCE_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS
make_test_tmp
prefix=$TEST_TMP/prefix

cmake --install "$NVITOP_BUILD_DIR" --prefix "$prefix" >"$TEST_TMP/log" 2>&1 ||
    fail "cmake --install: $(cat "$TEST_TMP/log")"
libdir=$(cd "$prefix" && ls -d lib*/ | head -1)
libdir=$prefix/${libdir%/}
for f in bin/nvitop include/nvitop.h include/nvitop/device.h include/nvitop/snapshot.h; do
    [ -e "$prefix/$f" ] || fail "$f not installed"
done
for f in libnvitop.so libnvitop.so.1 libnvitop.a pkgconfig/nvitop.pc; do
    [ -e "$libdir/$f" ] || fail "$libdir/$f not installed"
done
# No project-internal header leaks into the public ones.
grep -rhoE '#include [<"][^>"]+[>"]' "$prefix/include" | sort -u | while read -r _ inc; do
    case "$inc" in
    '<nvitop.h>' | '<nvitop/'*'>' | '<stdbool.h>' | '<stddef.h>' | '<stdint.h>') ;;
    *) fail "public header includes $inc" ;;
    esac
done

export PKG_CONFIG_PATH=$libdir/pkgconfig
assert_eq "$(pkg-config --modversion nvitop)" "1.7.0" "pkg-config version"
cc=${NVITOP_C_COMPILER:-cc}
sanitize=()
[ -n "${NVITOP_SANITIZE:-}" ] && sanitize=(-fsanitize="$NVITOP_SANITIZE")
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Wextra -Werror "${sanitize[@]}" "$NVITOP_SOURCE_DIR/examples/devices.c" \
    $(pkg-config --cflags --libs nvitop) -Wl,-rpath,"$libdir" -o "$TEST_TMP/devices" ||
    fail "building against the installed library"
out=$(NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json \
    "$TEST_TMP/devices")
assert_contains "$out" 'PhysicalDevice(index=0, name="NVIDIA H100 80GB HBM3", total_memory=79.65GiB)'
# Every example builds the same way, warning-free; the library it runs is the installed one.
for src in "$NVITOP_SOURCE_DIR"/examples/*.c; do
    name=$(basename "$src" .c)
    # shellcheck disable=SC2046
    "$cc" -std=c11 -Wall -Wextra -Werror "${sanitize[@]}" "$src" $(pkg-config --cflags --libs nvitop) \
        -Wl,-rpath,"$libdir" -o "$TEST_TMP/$name" || fail "building examples/$name.c against the install"
done
# (ldd's output is read whole first: grep -q quitting early would SIGPIPE ldd under pipefail)
libs=$(ldd "$TEST_TMP/snapshots")
grep -q "$libdir/libnvitop.so.1" <<<"$libs" || fail "not linked to the installed library: $libs"
out=$(NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json \
    "$TEST_TMP/snapshots")
assert_contains "$out" 'name="NVIDIA H100 80GB HBM3"'
# The version: header macros, the library's answer at run time and nvitop.pc agree; a C++
# compiler reads the headers too (extern "C").
cat >"$TEST_TMP/version.c" <<'C'
#include <nvitop.h>
#include <stdio.h>
#include <string.h>
#define STR2(x) #x
#define STR(x) STR2(x)
int main(void)
{
    const char *built = STR(NVITOP_VERSION_MAJOR) "." STR(NVITOP_VERSION_MINOR) "." STR(
        NVITOP_VERSION_PATCH);
    printf("%s %s %d\n", built, nvitop_version(), NVITOP_VERSION_NUMBER);
    return strcmp(built, nvitop_version()) != 0;
}
C
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Werror "${sanitize[@]}" "$TEST_TMP/version.c" $(pkg-config --cflags --libs nvitop) \
    -Wl,-rpath,"$libdir" -o "$TEST_TMP/version" || fail "building version.c"
assert_eq "$("$TEST_TMP/version")" "1.7.0 1.7.0 10700" "header and run-time versions"
if command -v c++ >/dev/null && [ -z "${NVITOP_SANITIZE:-}" ]; then
    cp "$TEST_TMP/version.c" "$TEST_TMP/version.cpp"
    # shellcheck disable=SC2046
    c++ -Wall -Werror "$TEST_TMP/version.cpp" $(pkg-config --cflags --libs nvitop) \
        -Wl,-rpath,"$libdir" -o "$TEST_TMP/version_cpp" || fail "building version.cpp (C++)"
    assert_eq "$("$TEST_TMP/version_cpp")" "1.7.0 1.7.0 10700" "C++ build"
fi
# The man pages: installed, rendered by man without a warning, and naming every long option
# the program's --help lists.
for prog in nvitop nvisel nvitop-exporter; do
    page=$prefix/share/man/man1/$prog.1
    [ -f "$page" ] || fail "man page $page not installed"
    if command -v man >/dev/null; then
        warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >"$TEST_TMP/$prog.txt")
        [ -z "$warnings" ] || fail "man -l $prog.1 warns: $warnings"
        grep -q "^NAME" "$TEST_TMP/$prog.txt" || fail "man -l $prog.1 rendered no NAME section"
    fi
    version=$("$prefix/bin/$prog" --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1)
    grep -qF "\"nvitop $version\"" "$page" || fail "$prog.1 does not name the version $version"
    "$prefix/bin/$prog" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u >"$TEST_TMP/$prog.opts"
    [ -s "$TEST_TMP/$prog.opts" ] || fail "$prog --help lists no option"
    while read -r opt; do
        grep -qF -- "${opt//-/\\-}" "$page" || fail "$prog.1 does not document $opt"
    done <"$TEST_TMP/$prog.opts"
done
# The installed program runs too.
"$prefix/bin/nvitop" --version | grep -qx "nvitop 1.7.0" || fail "installed nvitop --version"
echo "install: ok"
