#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs, upgrades or switches the NVIDIA driver on Ubuntu from the graphics-drivers PPA
# (docs/install-nvidia-driver.md). Run it as root from a text console or over SSH: a running
# display manager is stopped for the install and started again after it, and the loaded NVIDIA
# kernel modules are unloaded (a reboot is asked for when they are in use).
#
# For the tests only, the files it reads about the system can be replaced:
#   NVITOP_DRIVER_OS_RELEASE    (default /etc/os-release)
#   NVITOP_DRIVER_PROC_VERSION  (default /proc/version, read to refuse WSL)
set -euo pipefail

readonly PPA=ppa:graphics-drivers/ppa
readonly DRIVER_RE='^nvidia-driver-[0-9]+(-open)?$'
# Unloaded in this order: each module before the ones it uses.
readonly MODULES_IN_ORDER=(nvidia_drm nvidia_modeset nvidia_uvm nvidia_peermem nvidia)
PROG=$(basename "$0")
readonly PROG

usage() {
    cat <<EOF
Usage: sudo bash $PROG [--package=NAME | --latest | --upgrade-only] [--open | --proprietary]
                       [--dry-run] [--yes] [--help]

Installs the NVIDIA driver on Ubuntu from the graphics-drivers PPA ($PPA), which it
adds to APT's sources when missing.

Options:
  --package=NAME  Install this driver package (e.g. nvidia-driver-595, nvidia-driver-595-open).
  --latest        Install the newest driver branch APT offers (the installed one is replaced).
  --upgrade-only  Keep the installed driver package and upgrade it to its newest version.
  --open          Prefer the open kernel-module flavor (nvidia-driver-N-open).
  --proprietary   Prefer the proprietary kernel-module flavor (nvidia-driver-N).
                  Without either, the installed driver's flavor is kept (proprietary when
                  none is installed).
  --dry-run, -n   Show the drivers, the plan and the commands; change nothing (no root needed).
  --yes, -y       Do not ask for confirmation.
  --help, -h      Show this help and exit.

With no option, a system without a driver gets the driver ubuntu-drivers recommends (else the
newest of the flavor); an installed driver is left as it is.

The install stops a running display manager (the desktop closes; it is started again after)
and unloads the NVIDIA kernel modules: stop the programs using the GPUs first (nvitop,
watch nvidia-smi, ...). When the modules cannot be unloaded, reboot after the install.
EOF
}

say() { printf '==> %s\n' "$*"; }
warn() { printf 'Warning: %s\n' "$*" >&2; }
die() {
    printf '%s: %s\n' "$PROG" "$*" >&2
    exit 1
}
usage_error() {
    printf '%s: %s\nTry: bash %s --help\n' "$PROG" "$*" "$PROG" >&2
    exit 2
}

# run CMD...: a command that changes the system, shown, and run unless --dry-run.
run() {
    if [[ -n $DRY_RUN ]]; then
        printf 'would run: %s\n' "$*"
    else
        printf '+ %s\n' "$*"
        "$@"
    fi
}

# ---- options ----

PACKAGE='' LATEST='' UPGRADE_ONLY='' FLAVOR='' DRY_RUN='' YES=''
parse_options() {
    while [[ $# -gt 0 ]]; do
        case $1 in
        --package=* | --package)
            if [[ $1 == --package ]]; then
                [[ $# -ge 2 ]] || usage_error "--package needs a package name"
                PACKAGE=$2
                shift
            else
                PACKAGE=${1#*=}
            fi
            [[ -n $PACKAGE ]] || usage_error "--package needs a package name"
            ;;
        --latest) LATEST=1 ;;
        --upgrade-only) UPGRADE_ONLY=1 ;;
        --open | --proprietary)
            [[ -z $FLAVOR || $FLAVOR == "${1#--}" ]] || usage_error "--open and --proprietary exclude each other"
            FLAVOR=${1#--}
            ;;
        --dry-run | -n) DRY_RUN=1 ;;
        --yes | -y) YES=1 ;;
        --help | -h)
            usage
            exit 0
            ;;
        *) usage_error "unknown option '$1'" ;;
        esac
        shift
    done
    local chosen=0 value
    for value in "$PACKAGE" "$LATEST" "$UPGRADE_ONLY"; do
        [[ -z $value ]] || chosen=$((chosen + 1))
    done
    ((chosen <= 1)) || usage_error "--package, --latest and --upgrade-only exclude each other"
    if [[ -n $PACKAGE && ! $PACKAGE =~ $DRIVER_RE ]]; then
        usage_error "'$PACKAGE' is not a driver package (nvidia-driver-N or nvidia-driver-N-open)"
    fi
    if [[ -n $PACKAGE && -n $FLAVOR && $(flavor_of "$PACKAGE") != "$FLAVOR" ]]; then
        usage_error "--$FLAVOR does not match $PACKAGE"
    fi
}

# ---- the system ----

check_system() {
    local os_release=${NVITOP_DRIVER_OS_RELEASE:-/etc/os-release}
    local proc_version=${NVITOP_DRIVER_PROC_VERSION:-/proc/version}
    local id='' name=''
    if [[ -r $os_release ]]; then
        # shellcheck disable=SC1090 # the system's file, read in a subshell
        id=$(. "$os_release" && echo "${ID:-}")
        # shellcheck disable=SC1090
        name=$(. "$os_release" && echo "${PRETTY_NAME:-${NAME:-}}")
    fi
    [[ $id == ubuntu ]] || die "this installer is for Ubuntu only (this system: ${name:-unknown})"
    if grep -qi microsoft "$proc_version" 2>/dev/null; then
        die "this is WSL: install the NVIDIA driver on the Windows host instead"
    fi
    if [[ -z $DRY_RUN && $(id -u) != 0 ]]; then
        die "run it as root (sudo bash $PROG ...), or look first with --dry-run"
    fi
}

ppa_enabled() { apt-cache policy | grep -qF graphics-drivers/ppa/ubuntu; }

add_ppa() {
    if ppa_enabled; then
        run apt-get update
        return
    fi
    say "Adding $PPA to APT's sources"
    if ! command -v add-apt-repository >/dev/null; then
        run apt-get update
        run apt-get install --yes software-properties-common
    fi
    run add-apt-repository --yes "$PPA"
    run apt-get update
    [[ -z $DRY_RUN ]] || warn "the PPA is not added in a dry run: its drivers are not listed below"
}

# Driver packages APT offers, oldest branch first (proprietary before open in a branch).
available_drivers() {
    apt-cache search --names-only 'nvidia-driver-' | awk '{ print $1 }' | grep -E "$DRIVER_RE" |
        sort -V -u || true
}

installed_driver() {
    dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 'nvidia-driver-*' 2>/dev/null |
        awk '$1 == "ii" { print $2 }' | grep -E "$DRIVER_RE" | tail -n 1 || true
}

# policy_version PACKAGE Installed|Candidate: the version, empty for (none).
policy_version() {
    apt-cache policy "$1" | awk -v field="$2:" '$1 == field && $2 != "(none)" { print $2; exit }'
}

flavor_of() { [[ $1 == *-open ]] && echo open || echo proprietary; }
branch_of() {
    local b=${1#nvidia-driver-}
    echo "${b%-open}"
}

offered() { grep -qxF -- "$1" <<<"$AVAILABLE"; }

latest_of() { grep -E -- "$([[ $1 == open ]] && echo '-open$' || echo '[0-9]$')" <<<"$AVAILABLE" | tail -n 1 || true; }

recommended_driver() {
    command -v ubuntu-drivers >/dev/null || return 0
    ubuntu-drivers devices 2>/dev/null | awk '$1 == "driver" && /recommended/ { print $3; exit }' || true
}

# ---- what to install ----

# Sets TARGET (empty: nothing to do) from the options and the system.
choose_target() {
    local flavor=${FLAVOR:-$([[ -n $INSTALLED ]] && flavor_of "$INSTALLED" || echo proprietary)}
    TARGET=''
    if [[ -n $PACKAGE ]]; then
        offered "$PACKAGE" || die "unknown package '$PACKAGE': APT offers $(echo "${AVAILABLE:-nothing}" | paste -sd ' ')"
        TARGET=$PACKAGE
    elif [[ -n $UPGRADE_ONLY ]]; then
        [[ -n $INSTALLED ]] || die "--upgrade-only: no NVIDIA driver is installed"
        [[ -z $FLAVOR || $(flavor_of "$INSTALLED") == "$FLAVOR" ]] ||
            die "--upgrade-only keeps $INSTALLED: drop --$FLAVOR, or pass --latest --$FLAVOR"
        TARGET=$INSTALLED
    elif [[ -n $LATEST ]]; then
        TARGET=$(latest_of "$flavor")
        [[ -n $TARGET ]] || die "APT offers no $flavor driver"
    elif [[ -n $INSTALLED && -n $FLAVOR && $(flavor_of "$INSTALLED") != "$FLAVOR" ]]; then
        # --open or --proprietary alone: the same branch in the other flavor
        TARGET=nvidia-driver-$(branch_of "$INSTALLED")$([[ $FLAVOR == open ]] && echo -open)
        offered "$TARGET" || die "APT does not offer $TARGET: pass --latest --$FLAVOR"
    elif [[ -z $INSTALLED ]]; then
        local recommended
        recommended=$(recommended_driver)
        if [[ -n $recommended ]] && offered "$recommended" && [[ $(flavor_of "$recommended") == "$flavor" ]]; then
            TARGET=$recommended
        else
            TARGET=$(latest_of "$flavor")
        fi
        [[ -n $TARGET ]] || die "APT offers no $flavor driver"
    fi
}

show_drivers() {
    say "NVIDIA drivers offered by APT:"
    local driver mark
    while read -r driver; do
        [[ -n $driver ]] || continue
        mark='   '
        [[ $driver == "$INSTALLED" ]] && mark='(*)'
        [[ $driver == "$TARGET" ]] && mark='-->'
        printf '  %s %s %s%s\n' "$mark" "$driver" "$(policy_version "$driver" Candidate)" \
            "$([[ $driver == "$INSTALLED" ]] && echo " (installed: $(policy_version "$driver" Installed))")"
    done <<<"$AVAILABLE"
}

# ---- the install ----

# The loaded NVIDIA modules, in unloading order.
loaded_modules() {
    local loaded m
    loaded=$(lsmod | awk 'NR > 1 && $1 ~ /^nvidia/ { print $1 }')
    [[ -n $loaded ]] || return 0
    for m in "${MODULES_IN_ORDER[@]}"; do
        grep -qx "$m" <<<"$loaded" && echo "$m"
    done
    grep -vxF -f <(printf '%s\n' "${MODULES_IN_ORDER[@]}") <<<"$loaded" || true
}

DM_STOPPED=''
restart_display_manager() {
    if [[ -n $DM_STOPPED ]]; then
        DM_STOPPED=''
        run systemctl start display-manager.service || warn "could not start the display manager"
    fi
}

install_driver() {
    local reboot='' modules
    modules=$(loaded_modules | paste -sd ' ')
    if systemctl is-active --quiet display-manager.service 2>/dev/null; then
        say "Stopping the display manager (the desktop closes; it starts again after the install)"
        run systemctl stop display-manager.service
        DM_STOPPED=1
        trap restart_display_manager EXIT
    fi
    if systemctl is-active --quiet nvidia-persistenced.service 2>/dev/null; then
        run systemctl stop nvidia-persistenced.service
    fi
    if [[ -n $modules ]]; then
        say "Unloading the NVIDIA kernel modules: $modules"
        # shellcheck disable=SC2086 # one word per module
        if ! run modprobe -r $modules; then
            warn "the modules are in use: the new driver is loaded at the next reboot"
            reboot=1
        fi
    fi
    if [[ -n $INSTALLED ]]; then
        run apt-mark unhold "$INSTALLED"
    fi
    if [[ $TARGET == "$INSTALLED" ]]; then
        run apt-get install --yes --only-upgrade "$TARGET"
    else
        [[ -z $INSTALLED ]] || run apt-get purge --yes --autoremove "$INSTALLED"
        run apt-get install --yes "$TARGET"
    fi
    # held, so that a routine apt upgrade does not replace the driver under running programs
    run apt-mark hold "$TARGET"
    if [[ -z $reboot ]] && ! run modprobe nvidia; then
        reboot=1
    fi
    restart_display_manager
    if [[ -n $DRY_RUN ]]; then
        say "Dry run: nothing was changed."
    elif [[ -n $reboot ]]; then
        say "Done. Reboot to load the new driver."
    else
        say "Done: $TARGET is installed."
    fi
}

confirm() {
    [[ -n $YES || -n $DRY_RUN ]] && return 0
    local answer=''
    read -r -p "Continue? [y/N] " answer || true
    [[ $answer == [yY] || $answer == [yY][eE][sS] ]] || die "aborted"
}

main() {
    parse_options "$@"
    check_system
    add_ppa
    AVAILABLE=$(available_drivers)
    [[ -n $AVAILABLE ]] || die "APT offers no NVIDIA driver package (nvidia-driver-N)"
    INSTALLED=$(installed_driver)
    choose_target
    show_drivers
    local installed_version target_version
    installed_version=''
    [[ -z $INSTALLED ]] || installed_version=$(policy_version "$INSTALLED" Installed)
    if [[ -z $TARGET ]]; then
        say "$INSTALLED $installed_version is installed: --upgrade-only upgrades it, --latest moves to the newest branch."
        return 0
    fi
    target_version=$(policy_version "$TARGET" Candidate)
    if [[ $TARGET == "$INSTALLED" && $target_version == "$installed_version" ]]; then
        say "$INSTALLED $installed_version is up to date."
        return 0
    fi
    if [[ -z $INSTALLED ]]; then
        say "Plan: install $TARGET $target_version"
    elif [[ $TARGET == "$INSTALLED" ]]; then
        say "Plan: upgrade $TARGET from $installed_version to $target_version"
    else
        say "Plan: replace $INSTALLED $installed_version with $TARGET $target_version"
    fi
    confirm
    install_driver
}

main "$@"
