#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The monitor under each TERM of the terminal matrix (xterm-256color, xterm, screen-256color,
# tmux-256color, linux, rxvt-unicode-256color, vt100: their entries differ in keys, mouse
# prefix, colours, standout), then under LC_ALL=C, and with the ASCII glyphs on a vt100: a
# short tour each, on real processes (sleep 601..605, listed by the scenario): the keys as that
# terminal sends them (its entry's strings, else tmux's), a sort, a click and the wheel in
# both report forms, the signal box opened and cancelled by a click (no signal), a resize, and
# q with exit status 0 and nothing on stderr.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB
make_test_tmp
unset NVITOP_PROC_ROOT
export LANG=C.UTF-8 TZ=UTC
source "$(dirname "$0")/workers.sh"
for i in 1 2 3 4 5; do
    (cd "$TEST_TMP" && exec sleep "60$i") &
    pid[s$i]=$!
done
scenario=$TEST_TMP/scenario.json
workers_scenario "$scenario" s1 s2 s3 s4 s5
sim_env "$scenario"
trap 'kill_workers; tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true; rm -rf "$TEST_TMP"' EXIT

# sgr CODE X Y [m]: an SGR report (a press, or a release with m)
sgr() { keys -l $'\e'"[<$1;$(($2 + 1));$(($3 + 1))${4:-M}"; }

# report FORM CODE X Y: a press (or wheel) report in FORM, x10 or sgr
report() {
    if [ "$1" = x10 ]; then mouse "$2" "$3" "$4"; else sgr "$2" "$3" "$4"; fi
}

# wait_width W: until the process panel is W columns wide
wait_width() {
    local end=$((SECONDS + TMUX_WAIT)) line
    while ((SECONDS < end)); do
        line=$(screen | grep -m1 "Processes:") || true
        line=${line%"${line##*[! ]}"}
        ((${#line} == $1)) && return 0
        sleep 0.1
    done
    screen >&2
    fail "$what: the panels are not $1 columns wide after the resize"
}

# tour FORM [ENV...] -- [OPTION...]: the tour under $term, with the mouse in FORM (and the
# other), the monitor's environment and options
tour() {
    local a=$1 b env=() opts=()
    b=$([ "$a" = x10 ] && echo sgr || echo x10)
    shift
    while (($# > 0)) && [ "$1" != -- ]; do
        env+=("$1")
        shift
    done
    (($# > 0)) && shift
    opts=("$@")
    what="TERM=$term ${env[*]} ${opts[*]}"
    [ -n "${TMUX_SOCK:-}" ] && tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
    rm -f "$TEST_TMP/rc"
    tmux_start 100 30 env TERM="$term" "${env[@]}" "$NVITOP_BIN_DIR/nvitop" --interval 0.5 "${opts[@]}"
    trap 'kill_workers; tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true; rm -rf "$TEST_TMP"' EXIT
    wait_for "sleep 605" "$what: start"
    # keys: Down selects the first row, then the next; End, Home; a sort (oP: by PID, down)
    tkey kcud1 Down
    wait_selected "sleep 601"
    tkey kcud1 Down
    wait_selected "sleep 602"
    tkey kend End
    wait_selected "sleep 605"
    tkey khome Home
    wait_selected "sleep 601"
    keys o P
    tkey khome Home
    wait_selected "sleep 605"
    keys o n
    tkey khome Home
    wait_selected "sleep 601"
    # the mouse: a click in each form, the wheel in each form
    report "$a" 0 10 "$(row_of "sleep 603")"
    wait_selected "sleep 603"
    report "$b" 0 10 "$(row_of "sleep 604")"
    wait_selected "sleep 604"
    report "$a" 65 10 5
    wait_selected "sleep 605"
    report "$b" 64 10 5
    wait_selected "sleep 604"
    # the signal box: K opens it, a click on Cancel closes it, no signal
    keys K
    wait_for "Send signal to process ${pid[s4]}(root)?" "$what: K"
    report "$a" 0 "$(($(col_of "Cancel") + 1))" "$(row_of "Cancel")"
    wait_gone "Send signal to process" "$what: a click on Cancel"
    sleep 0.3
    alive s4 || fail "$what: the cancelled box killed sleep 604"
    if [ "${opts[*]}" = --ascii ] && LC_ALL=C grep -q '[^ -~]' <<<"$(screen)"; then
        screen >&2
        fail "$what: a glyph that is not ASCII on the screen"
    fi
    # a resize, then q
    resize 90 26
    wait_width 90
    keys q
    assert_eq "$(wait_exit)" "0" "$what: exit code"
    [ ! -s "$TEST_TMP/err" ] || fail "$what: stderr: $(cat "$TEST_TMP/err")"
}

n=0
for term in xterm-256color xterm screen-256color tmux-256color linux rxvt-unicode-256color vt100; do
    infocmp "$term" >/dev/null 2>&1 || fail "no terminfo for $term (ncurses-term)"
    n=$((n + 1))
    if ((n % 2)); then tour x10; else tour sgr; fi
done

# LC_ALL=C: drawn as nvitop draws it (through C.UTF-8 where there is one, as Python nvitop's
# setlocale_utf8 picks it)
term=xterm-256color
tour sgr LC_ALL=C LANG=C
# ASCII glyphs (what the monitor draws where no UTF-8 locale exists, and with -U) on a vt100
term=vt100
tour x10 LC_ALL=C LANG=C -- --ascii
echo "monitor terminal matrix: ok"
