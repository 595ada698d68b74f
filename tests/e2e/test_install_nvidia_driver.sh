#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/install-nvidia-driver.sh against stub apt-get, apt-cache, apt-mark, dpkg-query,
# add-apt-repository, ubuntu-drivers, lsmod, modprobe, systemctl and id first on PATH, which
# answer from files of a fake system and log every call, and a fake /etc/os-release: each
# option's commands (the calls that change the system, in order), a non-Ubuntu system, WSL,
# a user who is not root, an unknown package and conflicting options refused, and --dry-run
# changing nothing.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_SOURCE_DIR
make_test_tmp
script=$NVITOP_SOURCE_DIR/scripts/install-nvidia-driver.sh
stubs=$TEST_TMP/bin
export STUB_STATE=$TEST_TMP/state
mkdir -p "$stubs"

cat >"$stubs/stub" <<'EOF'
#!/usr/bin/env bash
# A command of the fake system ($STUB_STATE): logs the call, answers from the state's files.
name=$(basename "$0")
S=$STUB_STATE
echo "$name $*" >>"$S/log"
case $name in
id)
    if [ "$1" = -u ]; then cat "$S/uid"; else exec /usr/bin/id "$@"; fi
    ;;
apt-cache)
    if [ "$1" = policy ] && [ $# -eq 1 ]; then
        echo " 500 http://archive.ubuntu.com/ubuntu noble/main amd64 Packages"
        [ -f "$S/ppa" ] && echo " 500 https://ppa.launchpadcontent.net/graphics-drivers/ppa/ubuntu noble/main amd64 Packages"
    elif [ "$1" = policy ]; then
        awk -v p="$2" '$1 == p { print p ":"; print "  Installed: " $2; print "  Candidate: " $3 }' "$S/versions"
    elif [ "$1" = search ]; then
        sed 's/$/ - NVIDIA driver metapackage/' "$S/available"
        echo "nvidia-driver-assistant - Detect and install the NVIDIA driver"
    fi
    ;;
dpkg-query)
    sed 's/^/ii  /' "$S/installed"
    ;;
ubuntu-drivers)
    [ -f "$S/recommended" ] && echo "driver   : $(cat "$S/recommended") - third-party non-free recommended"
    ;;
lsmod)
    echo "Module                  Size  Used by"
    cat "$S/modules"
    ;;
systemctl)
    if [ "$1" = is-active ]; then [ -f "$S/active-${3%.service}" ]; exit; fi
    ;;
modprobe)
    if [ "$1" = -r ] && [ -f "$S/modules-in-use" ]; then exit 1; fi
    ;;
esac
exit 0
EOF
chmod +x "$stubs/stub"
for cmd in id apt-get apt-cache apt-mark dpkg-query add-apt-repository ubuntu-drivers lsmod \
    modprobe rmmod systemctl; do
    ln -s stub "$stubs/$cmd"
done

# fresh_system: Ubuntu 24.04, root, no driver, no PPA, no module loaded, no display manager;
# APT offers the 570, 580 and 595 branches in both flavors.
fresh_system() {
    rm -rf "$STUB_STATE"
    mkdir -p "$STUB_STATE"
    printf 'NAME="Ubuntu"\nID=ubuntu\nPRETTY_NAME="Ubuntu 24.04.1 LTS"\nVERSION_ID="24.04"\n' \
        >"$STUB_STATE/os-release"
    echo "Linux version 6.8.0-45-generic (buildd@lcy02-amd64-075)" >"$STUB_STATE/proc-version"
    echo 0 >"$STUB_STATE/uid"
    : >"$STUB_STATE/installed"
    : >"$STUB_STATE/modules"
    : >"$STUB_STATE/log"
    printf '%s\n' nvidia-driver-570 nvidia-driver-570-open nvidia-driver-580 nvidia-driver-580-open \
        nvidia-driver-595-open nvidia-driver-595 >"$STUB_STATE/available"
    local p
    while read -r p; do
        echo "$p (none) $(branch_version "$p")" >>"$STUB_STATE/versions"
    done <"$STUB_STATE/available"
}
branch_version() {
    local b=${1#nvidia-driver-}
    echo "${b%-open}.100.01-0ubuntu1"
}

# installed PACKAGE VERSION: the driver is installed at VERSION (its candidate stays).
installed() {
    echo "$1" >"$STUB_STATE/installed"
    awk -v p="$1" -v v="$2" '$1 == p { $2 = v } { print }' "$STUB_STATE/versions" >"$STUB_STATE/v"
    mv "$STUB_STATE/v" "$STUB_STATE/versions"
}

loaded_modules() {
    printf '%s\n' "nvidia_uvm 4956160 0" "nvidia_drm 122880 2" "nvidia_modeset 1355776 3 nvidia_drm" \
        "nvidia 54308864 35 nvidia_uvm,nvidia_modeset" "i915 4149248 5" >"$STUB_STATE/modules"
}

# installer ARG...: runs the script on the fake system; sets $out (stdout and stderr) and $rc.
installer() {
    rc=0
    out=$(PATH=$stubs:$PATH NVITOP_DRIVER_OS_RELEASE=$STUB_STATE/os-release \
        NVITOP_DRIVER_PROC_VERSION=$STUB_STATE/proc-version bash "$script" "$@" 2>&1 </dev/null) || rc=$?
}

# The logged calls that change the system, in order.
changes() {
    grep -E '^(apt-get|apt-mark|add-apt-repository|modprobe|rmmod|systemctl (start|stop|restart|enable|disable))( |$)' \
        "$STUB_STATE/log" || true
}

expect_changes() { # WHAT LINE...
    local what=$1
    shift
    assert_eq "$(changes)" "$(printf '%s\n' "$@")" "$what: the calls that change the system (output: $out)"
}

expect_refused() { # WHAT RC NEEDLE
    assert_eq "$rc" "$2" "$1: exit status (output: $out)"
    assert_contains "$out" "$3" "$1"
    assert_eq "$(changes)" "" "$1: nothing changed"
}

# --- refusals ---
fresh_system
installer --help
assert_eq "$rc" 0 "--help"
assert_contains "$out" "Usage: sudo bash install-nvidia-driver.sh [--package=NAME | --latest | --upgrade-only]"
for option in --package= --latest --upgrade-only --open --dry-run --yes; do
    assert_contains "$out" "  $option" "--help names $option"
done
assert_eq "$(cat "$STUB_STATE/log")" "" "--help runs nothing"
installer --bogus
expect_refused "an unknown option" 2 "unknown option '--bogus'"
installer --latest --upgrade-only
expect_refused "--latest --upgrade-only" 2 "exclude each other"
installer --open --proprietary
expect_refused "--open --proprietary" 2 "exclude each other"
installer --package=foo
expect_refused "--package=foo" 2 "'foo' is not a driver package"

printf 'NAME="Debian GNU/Linux"\nID=debian\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' \
    >"$STUB_STATE/os-release"
installer --latest --yes
expect_refused "Debian" 1 "for Ubuntu only (this system: Debian GNU/Linux 12 (bookworm))"
rm "$STUB_STATE/os-release"
installer --latest --yes
expect_refused "no os-release" 1 "for Ubuntu only (this system: unknown)"

fresh_system
echo "Linux version 5.15.153.1-microsoft-standard-WSL2" >"$STUB_STATE/proc-version"
installer --latest --yes
expect_refused "WSL" 1 "this is WSL"

fresh_system
echo 1000 >"$STUB_STATE/uid"
installer --latest --yes
expect_refused "not root" 1 "run it as root"

fresh_system
touch "$STUB_STATE/ppa"
installer --package=nvidia-driver-999 --yes
assert_eq "$rc" 1 "an unknown package (output: $out)"
assert_contains "$out" "unknown package 'nvidia-driver-999': APT offers nvidia-driver-570 nvidia-driver-570-open"
expect_changes "an unknown package" "apt-get update"

fresh_system
touch "$STUB_STATE/ppa"
installer --upgrade-only --yes
assert_eq "$rc" 1 "--upgrade-only without a driver (output: $out)"
assert_contains "$out" "--upgrade-only: no NVIDIA driver is installed"
expect_changes "--upgrade-only without a driver" "apt-get update"

# --- a fresh system: the PPA is added; ubuntu-drivers' recommendation, or the newest ---
fresh_system
echo nvidia-driver-580 >"$STUB_STATE/recommended"
installer --yes
assert_eq "$rc" 0 "fresh install (output: $out)"
assert_contains "$out" "Plan: install nvidia-driver-580 580.100.01-0ubuntu1"
expect_changes "fresh install" \
    "add-apt-repository --yes ppa:graphics-drivers/ppa" \
    "apt-get update" \
    "apt-get install --yes nvidia-driver-580" \
    "apt-mark hold nvidia-driver-580" \
    "modprobe nvidia"
grep -qx "ubuntu-drivers devices" "$STUB_STATE/log" || fail "ubuntu-drivers was not asked"

fresh_system
installer --yes --open
expect_changes "fresh install, --open" \
    "add-apt-repository --yes ppa:graphics-drivers/ppa" \
    "apt-get update" \
    "apt-get install --yes nvidia-driver-595-open" \
    "apt-mark hold nvidia-driver-595-open" \
    "modprobe nvidia"

# --- --latest on a desktop: the display manager stopped and started, the modules unloaded ---
fresh_system
touch "$STUB_STATE/ppa" "$STUB_STATE/active-display-manager" "$STUB_STATE/active-nvidia-persistenced"
installed nvidia-driver-580 580.65.06-0ubuntu1
loaded_modules
installer --latest --yes
assert_eq "$rc" 0 "--latest (output: $out)"
assert_contains "$out" "Plan: replace nvidia-driver-580 580.65.06-0ubuntu1 with nvidia-driver-595 595.100.01-0ubuntu1"
expect_changes "--latest" \
    "apt-get update" \
    "systemctl stop display-manager.service" \
    "systemctl stop nvidia-persistenced.service" \
    "modprobe -r nvidia_drm nvidia_modeset nvidia_uvm nvidia" \
    "apt-mark unhold nvidia-driver-580" \
    "apt-get purge --yes --autoremove nvidia-driver-580" \
    "apt-get install --yes nvidia-driver-595" \
    "apt-mark hold nvidia-driver-595" \
    "modprobe nvidia" \
    "systemctl start display-manager.service"

# --latest --open; --open alone switches the installed branch's flavor
fresh_system
touch "$STUB_STATE/ppa"
installed nvidia-driver-580 580.65.06-0ubuntu1
installer --latest --open --yes
expect_changes "--latest --open" \
    "apt-get update" \
    "apt-mark unhold nvidia-driver-580" \
    "apt-get purge --yes --autoremove nvidia-driver-580" \
    "apt-get install --yes nvidia-driver-595-open" \
    "apt-mark hold nvidia-driver-595-open" \
    "modprobe nvidia"
fresh_system
touch "$STUB_STATE/ppa"
installed nvidia-driver-580 580.65.06-0ubuntu1
installer --open --yes
assert_contains "$out" "Plan: replace nvidia-driver-580 580.65.06-0ubuntu1 with nvidia-driver-580-open"
expect_changes "--open" \
    "apt-get update" \
    "apt-mark unhold nvidia-driver-580" \
    "apt-get purge --yes --autoremove nvidia-driver-580" \
    "apt-get install --yes nvidia-driver-580-open" \
    "apt-mark hold nvidia-driver-580-open" \
    "modprobe nvidia"

# --- --package: any offered branch, a downgrade included ---
fresh_system
touch "$STUB_STATE/ppa"
installed nvidia-driver-580 580.65.06-0ubuntu1
installer --package nvidia-driver-570 --yes
expect_changes "--package nvidia-driver-570" \
    "apt-get update" \
    "apt-mark unhold nvidia-driver-580" \
    "apt-get purge --yes --autoremove nvidia-driver-580" \
    "apt-get install --yes nvidia-driver-570" \
    "apt-mark hold nvidia-driver-570" \
    "modprobe nvidia"
fresh_system
touch "$STUB_STATE/ppa"
installer --package=nvidia-driver-580-open --proprietary --yes
expect_refused "--package=...-open --proprietary" 2 "--proprietary does not match nvidia-driver-580-open"

# --- --upgrade-only: the same package, newer; modules in use ask for a reboot ---
fresh_system
touch "$STUB_STATE/ppa" "$STUB_STATE/modules-in-use"
installed nvidia-driver-580 580.65.06-0ubuntu1
loaded_modules
installer --upgrade-only --yes
assert_eq "$rc" 0 "--upgrade-only (output: $out)"
assert_contains "$out" "Plan: upgrade nvidia-driver-580 from 580.65.06-0ubuntu1 to 580.100.01-0ubuntu1"
assert_contains "$out" "Reboot to load the new driver"
expect_changes "--upgrade-only" \
    "apt-get update" \
    "modprobe -r nvidia_drm nvidia_modeset nvidia_uvm nvidia" \
    "apt-mark unhold nvidia-driver-580" \
    "apt-get install --yes --only-upgrade nvidia-driver-580" \
    "apt-mark hold nvidia-driver-580"
fresh_system
touch "$STUB_STATE/ppa"
installed nvidia-driver-580 580.100.01-0ubuntu1
installer --upgrade-only --yes
assert_contains "$out" "nvidia-driver-580 580.100.01-0ubuntu1 is up to date"
expect_changes "--upgrade-only, up to date" "apt-get update"
installer
assert_contains "$out" "--upgrade-only upgrades it"
expect_changes "no option, a driver installed" "apt-get update" "apt-get update"

# --- the confirmation ---
fresh_system
touch "$STUB_STATE/ppa"
rc=0
out=$(echo n | PATH=$stubs:$PATH NVITOP_DRIVER_OS_RELEASE=$STUB_STATE/os-release \
    NVITOP_DRIVER_PROC_VERSION=$STUB_STATE/proc-version bash "$script" --latest 2>&1) || rc=$?
assert_eq "$rc" 1 "answered n: exit status (output: $out)"
assert_contains "$out" "aborted" "answered n"
expect_changes "answered n" "apt-get update"
: >"$STUB_STATE/log"
out=$(echo y | PATH=$stubs:$PATH NVITOP_DRIVER_OS_RELEASE=$STUB_STATE/os-release \
    NVITOP_DRIVER_PROC_VERSION=$STUB_STATE/proc-version bash "$script" --latest 2>&1)
assert_contains "$(changes)" "apt-get install --yes nvidia-driver-595" "answered y"

# --- --dry-run: shows everything, changes nothing, as any user ---
fresh_system
echo 1000 >"$STUB_STATE/uid"
touch "$STUB_STATE/active-display-manager"
installed nvidia-driver-580 580.65.06-0ubuntu1
loaded_modules
installer --dry-run --latest
assert_eq "$rc" 0 "--dry-run (output: $out)"
for line in "would run: add-apt-repository --yes ppa:graphics-drivers/ppa" \
    "would run: systemctl stop display-manager.service" \
    "would run: modprobe -r nvidia_drm nvidia_modeset nvidia_uvm nvidia" \
    "would run: apt-get install --yes nvidia-driver-595" \
    "would run: systemctl start display-manager.service" \
    "--> nvidia-driver-595 595.100.01-0ubuntu1" \
    "(*) nvidia-driver-580 580.100.01-0ubuntu1 (installed: 580.65.06-0ubuntu1)" \
    "Dry run: nothing was changed."; do
    assert_contains "$out" "$line" "--dry-run"
done
assert_eq "$(changes)" "" "--dry-run: nothing changed"
echo "PASS"
