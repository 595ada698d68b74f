#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the Debian binary packages (nvitop, libnvitop<SOVERSION>, libnvitop-dev) from debian/
# and checks them with lintian: what `make deb` runs (docs/packaging.md).
#
#   scripts/build-deb.sh BUILD_DIR OUT_DIR [WORK_DIR]
#
# BUILD_DIR is a configured CMake build tree of this source tree: its package.env gives the
# version and libnvitop's SOVERSION, so debian/control and debian/changelog are written from
# the project's one version (CMakeLists.txt) and a SONAME change renames the library package
# by itself. The source tree is copied to WORK_DIR (default: a temporary folder) because
# dpkg-buildpackage writes its results into the parent of the tree it builds; the .deb,
# .changes and .buildinfo files end up in OUT_DIR. No network is used.
#
# Environment: DEB_BUILD_OPTIONS (e.g. parallel=2), SOURCE_DATE_EPOCH (the changelog's date;
# default: the last commit's), NVITOP_LINTIAN=0 to skip lintian.
set -euo pipefail

die() {
    echo "build-deb: $*" >&2
    exit 1
}

if [ $# -lt 2 ] || [ $# -gt 3 ]; then die "usage: $0 BUILD_DIR OUT_DIR [WORK_DIR]"; fi
build_dir=$1
out_dir=$2
src_dir=$(cd "$(dirname "$0")/.." && pwd)
env_file=$build_dir/package.env
[ -f "$env_file" ] || die "$env_file not found: configure $build_dir with CMake first"
version=$(sed -n 's/^NVITOP_VERSION=//p' "$env_file")
soversion=$(sed -n 's/^NVITOP_SOVERSION=//p' "$env_file")
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "bad NVITOP_VERSION in $env_file: '$version'"
[[ "$soversion" =~ ^[0-9]+$ ]] || die "bad NVITOP_SOVERSION in $env_file: '$soversion'"
for tool in dpkg-buildpackage dh; do
    command -v "$tool" >/dev/null || die "$tool not found (scripts/install-deps.sh installs it)"
done

if [ $# -eq 3 ]; then
    work=$3
    rm -rf "$work"
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/nvitop-deb.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi
work=$(cd "$work" && pwd)
tree=$work/nvitop-$version
mkdir -p "$tree" "$out_dir"

# The tree as git sees it (tracked and new files, not ignored build output); a tree without
# git is copied whole but its build folders.
if git -C "$src_dir" rev-parse --show-toplevel >/dev/null 2>&1 &&
    [ "$(git -C "$src_dir" rev-parse --show-toplevel)" = "$src_dir" ]; then
    (cd "$src_dir" && git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
        tar --null --no-recursion -T - -cf -) | tar -xf - -C "$tree"
else
    tar -C "$src_dir" --exclude='./build*' --exclude=./dist --exclude=./.git -cf - . |
        tar -xf - -C "$tree"
fi

# debian/control and the library's files: @SOVERSION@ in names and contents.
deb=$tree/debian
grep -v '^#' "$deb/control.in" | sed "s/@SOVERSION@/$soversion/g" >"$deb/control"
rm "$deb/control.in"
for f in "$deb"/*@SOVERSION@*; do
    [ -e "$f" ] || continue
    sed "s/@SOVERSION@/$soversion/g" "$f" >"${f//@SOVERSION@/$soversion}"
    rm "$f"
done

# debian/changelog: one entry, the project's version, the last commit's date.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git -C "$src_dir" log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH
maintainer=$(sed -n 's/^Maintainer: //p' "$deb/control")
cat >"$deb/changelog" <<EOF
nvitop ($version) unstable; urgency=medium

  * nvitop $version, packaged from its source tree (make deb; docs/packaging.md).

 -- $maintainer  $(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")
EOF

log=$work/build.log
echo "build-deb: building nvitop $version (libnvitop$soversion) in $tree" >&2
if ! (cd "$tree" && dpkg-buildpackage -b -us -uc) >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "dpkg-buildpackage failed (log: $log)"
fi
# dpkg-gensymbols' report on libnvitop's symbols (new or lost ones against the symbols file).
sed -n '/^dpkg-gensymbols: warning/,/^[^ +@-]/p' "$log" >&2

changes=$(ls "$work"/nvitop_"$version"_*.changes)
files=("$changes" "$work"/*.buildinfo "$work"/*.deb)
cp "${files[@]}" "$out_dir"/
ls -1 "$out_dir"

if [ "${NVITOP_LINTIAN:-1}" != 0 ]; then
    command -v lintian >/dev/null || die "lintian not found (scripts/install-deps.sh installs it)"
    # No error and no warning; overrides (debian/*.lintian-overrides) say why each is one.
    lintian --fail-on error,warning --tag-display-limit 0 "$out_dir/$(basename "$changes")" ||
        die "lintian found errors or warnings"
    echo "build-deb: lintian clean" >&2
fi
