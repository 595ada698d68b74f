#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The shell completions (docs/completions.md). The build's scripts are what each program writes
# with --print-completion; in bash, zsh and fish they offer exactly the options of the
# program's --help (so a script drifting from the parser fails here), the choices of -m and
# --format, and files or directories for the exporter's TLS paths; zsh and fish load them
# without a word on stderr; `cmake --install` puts them where bash-completion, zsh and fish look.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BUILD_DIR NVITOP_BIN_DIR
make_test_tmp
for shell in bash zsh fish; do
    command -v "$shell" >/dev/null || fail "$shell is not installed (scripts/install-deps.sh)"
done
# fish and zsh write history and caches under HOME: a fresh one
export HOME=$TEST_TMP/home XDG_CONFIG_HOME=$TEST_TMP/home/.config
export XDG_DATA_HOME=$TEST_TMP/home/.local/share XDG_CACHE_HOME=$TEST_TMP/home/.cache
mkdir -p "$HOME"
generated=$NVITOP_BUILD_DIR/completions
programs=(nvitop nvisel nvitop-exporter)

# help_options PROG: every spelling of every option in PROG --help, one a line, sorted.
help_options() {
    "$NVITOP_BIN_DIR/$1" --help | grep -E '^  -' | sed -E 's/^  //; s/  .*//; s/, (-)/\n\1/g' |
        awk '{ print $1 }' | sort -u
}

# bash_complete FILE WORD...: what the script's function puts in COMPREPLY when the cursor is at
# the end of the last word, one a line, sorted.
bash_complete() {
    local file=$1
    shift
    # shellcheck disable=SC2016
    bash --norc --noprofile -c 'source "$1" || exit 1
        fn=$(complete -p "$2" | awk "{ print \$3 }")
        shift
        COMP_WORDS=("$@") COMP_CWORD=$(($# - 1)) COMPREPLY=()
        "$fn" && printf "%s\n" "${COMPREPLY[@]}"' _ "$file" "$@" | sed '/^$/d' | sort
}

lines() { printf '%s\n' "$@" | sort; }

# --- each script is the program's own output ---
for prog in "${programs[@]}"; do
    for pair in "bash:$prog" "zsh:_$prog" "fish:$prog.fish"; do
        shell=${pair%%:*} file=$generated/$shell/${pair#*:}
        [ -f "$file" ] || fail "$file was not built"
        "$NVITOP_BIN_DIR/$prog" --print-completion "$shell" >"$TEST_TMP/expected" ||
            fail "$prog --print-completion $shell"
        cmp -s "$file" "$TEST_TMP/expected" || fail "$file differs from $prog --print-completion $shell"
    done
done
out=$("$NVITOP_BIN_DIR/nvitop" --print-completion ksh 2>&1) && fail "an unknown shell accepted"
assert_contains "$out" "argument --print-completion: invalid choice: 'ksh' (choose from 'bash', 'zsh', 'fish')"
if "$NVITOP_BIN_DIR/nvitop" --help | grep -q -- --print-completion; then
    fail "--print-completion is shown by --help"
fi

# --- bash ---
if command -v shellcheck >/dev/null; then
    shellcheck "$generated"/bash/* || fail "the bash scripts are not shellcheck clean"
fi
for prog in "${programs[@]}"; do
    expected=$(help_options "$prog")
    [ "$(wc -l <<<"$expected")" -gt 8 ] || fail "$prog --help: options not found: $expected"
    assert_eq "$(bash_complete "$generated/bash/$prog" "$prog" '')" "$expected" "bash: $prog's options"
    assert_eq "$(bash_complete "$generated/bash/$prog" "$prog" -1 -)" "$expected" \
        "bash: $prog's options after another"
done
bash_nvitop() { bash_complete "$generated/bash/nvitop" nvitop "$@"; }
modes=$("$NVITOP_BIN_DIR/nvitop" --help | grep -oE -- '--monitor \[\{[a-z,]+\}\]' | head -1 |
    sed -E 's/.*\{(.*)\}.*/\1/' | tr ',' '\n' | sort)
assert_eq "$modes" "$(lines auto compact full)" "nvitop --help's monitor modes"
assert_eq "$(bash_nvitop -m '')" "$modes" "bash: -m's choices"
assert_eq "$(bash_nvitop --monitor '')" "$modes" "bash: --monitor's choices"
assert_eq "$(bash_nvitop --monitor = '')" "$modes" "bash: --monitor='s choices (words split at =)"
assert_eq "$(bash_nvitop --monitor = c)" compact "bash: --monitor=c"
assert_eq "$(bash_nvitop --monitor=f)" --monitor=full "bash: --monitor=f as one word"
assert_eq "$(bash_nvitop -m --no)" "$(lines --no-unicode --no-host)" "bash: an option after -m"
assert_eq "$(bash_nvitop --interval '')" "" "bash: --interval's value"
out=$("$NVITOP_BIN_DIR/nvisel" --format x 2>&1) && fail "nvisel --format x accepted"
formats=$(grep -oE "choose from .*" <<<"$out" | grep -oE "'[a-z]+'" | tr -d "'" | sort)
assert_eq "$formats" "$(lines index uuid)" "nvisel's formats"
assert_eq "$(bash_complete "$generated/bash/nvisel" nvisel -O '')" "$formats" "bash: nvisel -O"
mkdir -p "$TEST_TMP/tls/ca.d"
touch "$TEST_TMP/tls/cert.pem" "$TEST_TMP/tls/key.pem"
bash_exporter() { (cd "$TEST_TMP/tls" && bash_complete "$generated/bash/nvitop-exporter" nvitop-exporter "$@"); }
assert_eq "$(bash_exporter --certfile '')" "$(lines ca.d cert.pem key.pem)" "bash: --certfile's files"
assert_eq "$(bash_exporter --keyfile = k)" key.pem "bash: --keyfile=k"
assert_eq "$(bash_exporter --client-capath '')" ca.d "bash: --client-capath's directories"

# --- zsh: compinit finds them on fpath; typed completions in a terminal (zpty) ---
out=$(zsh -f -c 'fpath=("$1" $fpath); autoload -U compinit; compinit -u -D
    for p in nvitop nvisel nvitop-exporter; do
        [[ $_comps[$p] == _$p ]] || { print "compinit did not register _$p"; exit 1 }
        autoload +X _$p || exit 1
    done' _ "$generated/zsh" 2>&1) || fail "zsh: $out"
[ -z "$out" ] || fail "zsh said: $out"
cat >"$TEST_TMP/type.zsh" <<'ZSH'
# zsh type.zsh FPATH_DIR LINE: types LINE and Tab in an interactive zsh once its prompt
# (ZZ>, not in what is typed) is up, then prints the screen up to a command run after.
zmodload zsh/zpty
zpty -b z zsh -f -i
zpty -w z "PS1=\$'\\x5a\\x5a> '; stty columns 400 rows 300; LISTMAX=10000; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D"
zpty -r z screen '*ZZ> *'
zpty -w z "$2"$'\t\C-u'"print DONE''TYPING"$'\n'
zpty -r z screen '*DONETYPING*'
print -r -- "$screen"
zpty -d z
ZSH
# zsh_screen LINE: the words of the screen after LINE and Tab, one a line (escapes removed).
zsh_screen() {
    timeout 60 zsh -f "$TEST_TMP/type.zsh" "$generated/zsh" "$1" | sed -E $'s/\x1b\\[[0-9;?]*[a-zA-Z]//g' |
        tr -s ' \t\r\b\a' '\n'
}
for prog in "${programs[@]}"; do
    got=$(zsh_screen "$prog -" | grep -E '^-' | grep -vxE -- '-+' | sed 's/=$//' | sort -u)
    assert_eq "$got" "$(help_options "$prog")" "zsh: $prog's options"
done
assert_eq "$(zsh_screen 'nvitop --monitor=' | grep -xE 'auto|full|compact' | sort -u)" "$modes" \
    "zsh: --monitor='s choices"
zsh_screen 'nvitop --mon' | grep -qx -- --monitor= || fail "zsh: --mon not completed to --monitor="

# --- fish ---
for prog in "${programs[@]}"; do
    got=$(fish --no-config -c "source $generated/fish/$prog.fish; and complete -C'$prog -'" 2>&1) ||
        fail "fish: $got"
    got=$(cut -f1 <<<"$got" | sed 's/=$//' | sort -u)
    assert_eq "$got" "$(help_options "$prog")" "fish: $prog's options"
done
fish_nvitop() { fish --no-config -c "source $generated/fish/nvitop.fish; and complete -C'$1'" | cut -f1 | sort; }
assert_eq "$(fish_nvitop 'nvitop -m ')" "$modes" "fish: -m's choices"
assert_eq "$(fish_nvitop 'nvitop --monitor=')" "$(lines --monitor=auto --monitor=compact --monitor=full)" "fish: --monitor="
assert_eq "$(fish --no-config -c "source $generated/fish/nvisel.fish; and complete -C'nvisel --format '" |
    cut -f1 | sort)" "$formats" "fish: nvisel --format"
got=$(cd "$TEST_TMP/tls" && fish --no-config -c \
    "source $generated/fish/nvitop-exporter.fish; and complete -C'nvitop-exporter --certfile '" | cut -f1 | sort)
assert_eq "$got" "$(lines ca.d/ cert.pem key.pem)" "fish: --certfile's files"

# --- installed where the shells look ---
prefix=$TEST_TMP/prefix
cmake --install "$NVITOP_BUILD_DIR" --prefix "$prefix" >"$TEST_TMP/log" 2>&1 ||
    fail "cmake --install: $(cat "$TEST_TMP/log")"
for prog in "${programs[@]}"; do
    for f in "bash-completion/completions/$prog" "zsh/vendor-completions/_$prog" \
        "fish/vendor_completions.d/$prog.fish"; do
        [ -f "$prefix/share/$f" ] || fail "share/$f not installed"
    done
done
# bash-completion loads the installed script on demand, as for a packaged command
if [ -f /usr/share/bash-completion/bash_completion ]; then
    # shellcheck disable=SC2016
    out=$(XDG_DATA_DIRS=$prefix/share PATH=$prefix/bin:$PATH bash --norc --noprofile -c '
        source /usr/share/bash-completion/bash_completion
        __load_completion nvitop-exporter && complete -p nvitop-exporter' 2>&1)
    assert_eq "$out" "complete -F _nvitop_exporter_complete nvitop-exporter" "bash-completion's loader"
fi
echo "PASS"
