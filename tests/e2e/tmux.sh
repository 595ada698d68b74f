# SPDX-License-Identifier: Apache-2.0
# Helpers of the monitor's tests in a real terminal (sourced after lib.sh): nvitop runs in a
# detached tmux session on a private server; keys go in with send-keys and the screen comes
# back with capture-pane. Every wait polls the screen for what it expects, with a generous
# limit, so a slow machine makes a test slower, never flaky.
command -v tmux >/dev/null || fail "tmux is needed (scripts/install-deps.sh installs it)"

TMUX_WAIT=${TMUX_WAIT:-30} # seconds before a wait gives up

# tmux_start W H COMMAND...: a session of W x H running COMMAND in $TEST_TMP on the pane's
# terminal (the monitor needs one for stdin and stdout); its stderr goes to $TEST_TMP/err, its
# exit code to $TEST_TMP/rc.
tmux_start() {
    local w=$1 h=$2
    shift 2
    # A new server socket each start: a test that kills its server and starts another would
    # otherwise race the old one's exit ("server exited unexpectedly").
    TMUX_STARTS=$((${TMUX_STARTS:-0} + 1))
    # The last session's server goes (its pane would outlive the test, writing into $TEST_TMP
    # while the exit trap removes it), and so does its exit code (wait_exit would read it).
    [ -z "${TMUX_SOCK:-}" ] || tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
    rm -f "$TEST_TMP/rc"
    TMUX_SOCK=$TEST_TMP/tmux.$TMUX_STARTS.sock
    printf '%q ' "$@" >"$TEST_TMP/cmd"
    # The pane runs the command, then keeps the terminal until the test ends.
    tmux -S "$TMUX_SOCK" -f /dev/null new-session -d -s t -x "$w" -y "$h" \
        "cd '$TEST_TMP' && $(cat "$TEST_TMP/cmd") 2>'$TEST_TMP/err'; echo \$? >'$TEST_TMP/rc'; sleep 600" ||
        fail "tmux new-session failed"
    trap 'tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true; rm -rf "$TEST_TMP"' EXIT
}

# The pane's text (-e: with SGR escapes too).
screen() { tmux -S "$TMUX_SOCK" capture-pane -p -t t "$@"; }

keys() { tmux -S "$TMUX_SOCK" send-keys -t t "$@"; }

resize() { tmux -S "$TMUX_SOCK" resize-window -t t -x "$1" -y "$2"; }

# wait_for TEXT [WHAT]: until the screen shows TEXT.
wait_for() {
    local end=$((SECONDS + TMUX_WAIT))
    while ((SECONDS < end)); do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    screen >&2
    fail "${2:-screen}: '$1' did not show within ${TMUX_WAIT}s"
}

# wait_gone TEXT [WHAT]: until the screen no longer shows TEXT.
wait_gone() {
    local end=$((SECONDS + TMUX_WAIT))
    while ((SECONDS < end)); do
        screen | grep -qF -- "$1" || return 0
        sleep 0.1
    done
    screen >&2
    fail "${2:-screen}: '$1' still shown after ${TMUX_WAIT}s"
}

# wait_exit: until the command in the pane ended; prints its exit code.
wait_exit() {
    local end=$((SECONDS + TMUX_WAIT))
    while ((SECONDS < end)); do
        [ -s "$TEST_TMP/rc" ] && { cat "$TEST_TMP/rc"; return 0; }
        sleep 0.1
    done
    fail "the monitor did not exit within ${TMUX_WAIT}s"
}

# screen_line N: line N (from 0) of the screen.
screen_line() { screen | sed -n "$(($1 + 1))p"; }

# sim_env SCENARIO: the simulator answers from SCENARIO.
sim_env() {
    export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVML_SIM_SCENARIO=$1
    unset NVML_SIM_CALLS NVML_SIM_EPOCH
}

# replace_scenario FILE TEXT: writes TEXT next to FILE and renames it over FILE, so the
# simulator sees a whole new file (it re-reads a file whose modification time changed).
replace_scenario() {
    printf '%s\n' "$2" >"$1.new"
    touch -d "@$(($(date +%s) + ${SCENARIO_BUMP:=1}))" "$1.new"
    SCENARIO_BUMP=$((SCENARIO_BUMP + 1))
    mv -f "$1.new" "$1"
}

# pids_scenario FILE PID...: one H100 whose compute processes (1 GiB each) are these pids,
# written whole with replace_scenario (so that a running simulator reads it again)
pids_scenario() {
    local file=$1 procs="" p
    shift
    for p in "$@"; do
        procs+="${procs:+, }{\"pid\": $p, \"type\": \"C\", \"used_memory\": 1073741824}"
    done
    replace_scenario "$file" "{\"driver_version\": \"550.54.15\", \"cuda_driver_version\": 12040,
      \"devices\": [{\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-0\",
      \"bus_id\": \"00000000:18:00.0\", \"memory\": {\"total\": 85899345920, \"used\": 1073741824},
      \"utilization\": {\"gpu\": 10, \"memory\": 1}, \"processes\": [$procs]}]}"
}

# selected_row: the text of the process row shown in reverse video (the selection), or "" (a
# row between │, or | under --ascii).
selected_row() {
    screen -e | grep -a $'\e\\[[0-9;]*7[0-9;]*m' | grep -aE '│|[|]' | grep -av "SIG" |
        sed -e $'s/\e\\[[0-9;]*m//g' | head -1
}

# wait_selected TEXT: until the selected row contains TEXT.
wait_selected() {
    local end=$((SECONDS + TMUX_WAIT))
    while ((SECONDS < end)); do
        case "$(selected_row)" in *"$1"*) return 0 ;; esac
        sleep 0.1
    done
    screen >&2
    fail "the selected row is '$(selected_row)', not one with '$1'"
}

# wait_top yes|no WHAT: until the first line is (yes) or is not (no) the date and help line,
# i.e. the screen is scrolled to the top or not.
wait_top() {
    local end=$((SECONDS + TMUX_WAIT)) top
    while ((SECONDS < end)); do
        top=no
        case "$(screen_line 0)" in *"(Press h for help or q to quit)"*) top=yes ;; esac
        [ "$top" = "$1" ] && return 0
        sleep 0.1
    done
    screen >&2
    fail "$2: the screen is not scrolled as expected (top: $top, wanted $1)"
}

# mouse BUTTON X Y: an xterm (X10) mouse report, as the terminals tmux emulates send it:
# BUTTON 0 left press, 3 release, 64 wheel up, 65 wheel down.
mouse() {
    local hex
    printf -v hex '%02x %02x %02x %02x %02x %02x' 27 91 77 $(($1 + 32)) $(($2 + 33)) $(($3 + 33))
    # shellcheck disable=SC2086
    tmux -S "$TMUX_SOCK" send-keys -t t -H $hex
}

# row_of TEXT: the screen line (from 0) that shows TEXT.
row_of() { screen | grep -n -F -- "$1" | head -1 | cut -d: -f1 | awk '{print $1 - 1}'; }

# select_by_click TEXT [tree]: clicks the row showing TEXT (of the process panel, or of the tree
# view) until it is the selected one. Rows can move between reading the screen and the click (a
# process ended, the list re-sorted at the next sample), so a click that selected another row
# is made again on a fresh reading.
select_by_click() {
    local selected=selected_row waiting=wait_selected try end
    [ "${2:-}" = tree ] && selected=selected_tree_row waiting=wait_tree_selected
    for try in 1 2 3 4 5; do
        click 10 "$(row_of "$1")"
        end=$((SECONDS + 2))
        while ((SECONDS < end)); do
            case "$($selected)" in *"$1"*) return 0 ;; esac
            sleep 0.1
        done
    done
    "$waiting" "$1"
}

# reverse_lines: "N TEXT" for each screen line N (from 0) with a cell in reverse video (tmux
# carries attributes over line ends, so the escapes are followed from the top).
reverse_lines() {
    screen -e | python3 -c 'import re, sys
rev = False
for n, line in enumerate(sys.stdin.buffer.read().decode("utf-8", "replace").split("\n")):
    text, hit = "", False
    for part in re.split(r"(\x1b\[[0-9;]*m)", line):
        if part.startswith("\x1b["):
            for p in (part[2:-1] or "0").split(";"):
                rev = True if p == "7" else False if p in ("0", "27") else rev
        else:
            text += part
            hit = hit or (rev and part.strip() != "")
    if hit:
        print(n, text)'
}

# selected_tree_row: the text of the tree view's selected row (reverse video below the header).
selected_tree_row() { reverse_lines | awk '$1 > 0' | head -1 | cut -d' ' -f2-; }

# wait_tree_selected TEXT: until the tree view's selected row contains TEXT.
wait_tree_selected() {
    local end=$((SECONDS + TMUX_WAIT))
    while ((SECONDS < end)); do
        case "$(selected_tree_row)" in *"$1"*) return 0 ;; esac
        sleep 0.1
    done
    screen >&2
    fail "the tree's selected row is '$(selected_tree_row)', not one with '$1'"
}

# tagged_tree_rows: the text of each of the tree view's rows drawn in yellow (a tagged row,
# selected or not; the header's yellow hint keys are left out).
tagged_tree_rows() {
    screen -e | python3 -c 'import re, sys
fg = None
for n, line in enumerate(sys.stdin.buffer.read().decode("utf-8", "replace").split("\n")):
    text, hit = "", False
    for part in re.split(r"(\x1b\[[0-9;]*m)", line):
        if part.startswith("\x1b["):
            ps = (part[2:-1] or "0").split(";")
            while ps:
                p = ps.pop(0)
                if p in ("38", "48"):  # a colour: 5;N or 2;R;G;B
                    value = ps[1] if ps[:1] == ["5"] else None
                    del ps[:2 if ps[:1] == ["5"] else 4]
                    if p == "38": fg = {"3": "33", "11": "93"}.get(value, value)
                elif p in ("0", "39"): fg = None
                elif p.isdigit() and (30 <= int(p) <= 37 or 90 <= int(p) <= 97): fg = p
        else:
            text += part
            hit = hit or (fg in ("33", "93") and part.strip() != "")
    if hit and n > 0:
        print(text)'
}

# wait_tree_tagged TEXT...: until a tagged row of the tree view shows each TEXT. Keys are read
# in order, but Ctrl-C reaches the monitor as SIGINT at once (and the terminal drops the input
# not yet read), so a test waits for its tags to show before it sends Ctrl-C.
wait_tree_tagged() {
    local end=$((SECONDS + TMUX_WAIT)) rows text missing
    while ((SECONDS < end)); do
        rows=$(tagged_tree_rows) missing=""
        for text in "$@"; do
            case "$rows" in *"$text"*) ;; *) missing=$text ;; esac
        done
        [ -z "$missing" ] && return 0
        sleep 0.1
    done
    screen >&2
    fail "no tagged row of the tree shows '$missing' (tagged: '$(tagged_tree_rows)')"
}

# col_of TEXT: the screen column (from 0, in characters) where TEXT first shows.
col_of() {
    screen | python3 -c 'import sys
for line in sys.stdin.buffer.read().decode("utf-8", "replace").split("\n"):
    if sys.argv[1] in line:
        print(line.index(sys.argv[1]))
        break' "$1"
}

# click X Y: a left click (press and release) at column X, line Y.
click() {
    mouse 0 "$1" "$2"
    mouse 3 "$1" "$2"
}

# wait_line N PREFIX [WHAT]: until screen line N (from 0) starts with PREFIX.
wait_line() {
    local end=$((SECONDS + TMUX_WAIT))
    while ((SECONDS < end)); do
        case "$(screen_line "$1")" in "$2"*) return 0 ;; esac
        sleep 0.1
    done
    screen >&2
    fail "${3:-screen}: line $1 does not start with '$2'"
}

# clicks x10|sgr [TAIL]: a left click (press and release) at each "X Y ..." line of stdin
# (columns and lines from 0), as X10 or SGR reports, then the bytes TAIL, sent at once (in
# pieces of whole reports, under tmux's limit on the length of a command)
clicks() {
    local report piece=()
    while read -r report; do
        # shellcheck disable=SC2206 # the bytes' hex codes, one word each
        piece+=($report)
        if ((${#piece[@]} > 900)); then
            tmux -S "$TMUX_SOCK" send-keys -t t -H "${piece[@]}"
            piece=()
        fi
    done < <(awk -v form="$1" -v tail="${2:-}" 'function hex(s,   i, h) {
            for (i = 1; i <= length(s); i++) h = h sprintf(" %02x", ord[substr(s, i, 1)])
            return h
        }
        BEGIN { for (i = 1; i < 128; i++) ord[sprintf("%c", i)] = i }
        form == "x10" { printf "1b 5b 4d 20 %02x %02x 1b 5b 4d 23 %02x %02x\n", $1 + 33, $2 + 33, $1 + 33, $2 + 33 }
        form == "sgr" { print hex(sprintf("\033[<0;%d;%dM\033[<0;%d;%dm", $1 + 1, $2 + 1, $1 + 1, $2 + 1)) }
        END { if (tail != "") print hex(tail) }')
    ((${#piece[@]} == 0)) || tmux -S "$TMUX_SOCK" send-keys -t t -H "${piece[@]}"
}

# box_cells: every cell of the signal box shown as "X Y LABEL", LABEL the name on the button
# drawn around the cell (SIGTERM, SIGKILL, SIGINT, Cancel), else "-"; the box is its frame
# with the blank column each side of it.
box_cells() {
    screen | python3 -c 'import sys
lines = sys.stdin.buffer.read().decode("utf-8", "replace").split("\n")
top = next(i for i, l in enumerate(lines) if "Send signal to" in l) - 2
rule = "\u2552" + "\u2550" * 58 + "\u2555"
left = lines[top].index(rule) - 1
bottom = next(i for i in range(top, len(lines)) if "\u2558" + "\u2550" * 58 in lines[i])
label = {}
for y in range(top, bottom):
    row = lines[y]
    for c in range(left, left + 62):
        if row[c] == "\u250c":
            c2 = row.index("\u2510", c)
            name = lines[y + 1][c + 1:c2].strip(" \u2502")
            for yy in range(y, y + 3):
                for x in range(c, c2 + 1):
                    label[(x, yy)] = name
for y in range(top, bottom + 1):
    for x in range(left, left + 62):
        print(x, y, label.get((x, y), "-"))'
}

# box_highlight: the name of the signal box's highlighted button (in standout: reverse video,
# or italics where the entry's standout is ESC [ 3 m, as screen's, which tmux shows so)
box_highlight() {
    screen -e | python3 -c 'import re, sys
rev, shown = False, ""
for line in sys.stdin.buffer.read().decode("utf-8", "replace").split("\n"):
    for part in re.split(r"(\x1b\[[0-9;]*m)", line):
        if part.startswith("\x1b["):
            ps = (part[2:-1] or "0").split(";")
            while ps:
                p = ps.pop(0)
                if p in ("38", "48"):  # a colour: 5;N or 2;R;G;B
                    del ps[:2 if ps[:1] == ["5"] else 4]
                rev = True if p in ("3", "7") else False if p in ("0", "23", "27") else rev
        shown += part if rev and not part.startswith("\x1b[") else "" if rev else "|"
hit = re.search(r"SIGTERM|SIGKILL|SIGINT|Cancel", shown)
print(hit.group(0) if hit else "")'
}

# wait_highlight NAME: until the signal box highlights the button NAME
wait_highlight() {
    local end=$((SECONDS + TMUX_WAIT))
    while ((SECONDS < end)); do
        [ "$(box_highlight)" = "$1" ] && return 0
        sleep 0.1
    done
    screen >&2
    fail "the box highlights '$(box_highlight)', not '$1'"
}

# tkey CAP NAME: the key as the terminal $term sends it: its entry's string CAP (tput), else
# tmux's key NAME
tkey() {
    local seq
    if seq=$(tput -T "$term" "$1" 2>/dev/null) && [ -n "$seq" ]; then
        keys -l "$seq"
    else
        keys "$2"
    fi
}
