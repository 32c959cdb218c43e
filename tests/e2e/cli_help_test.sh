#!/bin/sh
# cli_help_test.sh EVERYPC SRCDIR -- the help and the man page agree (issue
# 15): `everypc --help` and docs/man/everypc.1 list the same exit statuses
# and environment variables; every variable the rig's sources read is in
# them; every option of `everypc help CMD` is in the man page's OPTIONS and
# every option there is some command's; the help requests print the help on
# stdout with exit 0, and --version names the version and commit. Also:
# gosub's variables are in gosub(1), those ci/do and CMake read in ci/do's
# header; the help fits 80 columns, its command summaries in one column.
set -u
everypc=$1 src=$2
man=$src/docs/man/everypc.1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
bad=0
fail() { echo "FAIL: $*"; bad=$((bad + 1)); }

"$everypc" --help >"$tmp/help" 2>"$tmp/err" || fail "everypc --help: exit $?"
[ -s "$tmp/err" ] && fail "everypc --help wrote to stderr"
# a terminal's 80 columns, and the command list aligned in one column
wide=$(awk 'length($0) > 80 {print NR ": " $0}' "$tmp/help")
[ -z "$wide" ] || fail "everypc --help: lines wider than 80 columns: $wide"
cols=$(awk '$0 == "commands:" {on = 1; next} on && /^$/ {exit}
  on {match($0, /^  [a-z-]+ +/); print RLENGTH}' "$tmp/help" | sort -u | wc -l)
[ "$cols" -eq 1 ] || fail "everypc --help: the commands' summaries start in $cols columns"
for c in $(awk '$0 == "commands:" {on = 1; next} on && /^$/ {exit} on {print $1}' "$tmp/help"); do
  wide=$("$everypc" help "$c" | awk 'length($0) > 80 {print NR ": " $0}')
  [ -z "$wide" ] || fail "everypc help $c: lines wider than 80 columns: $wide"
done
# section NAME of the help: from the line NAME to the next blank line
# followed by text at column 0
help_section() { awk -v s="$1" '$0 == s {on = 1; next} on && /^[A-Za-z]/ {exit} on' "$tmp/help"; }
man_section() { awk -v s=".SH $1" '$0 == s {on = 1; next} on && /^\.SH/ {exit} on' "$man"; }
vars() { grep -oE '[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]|TMPDIR|HOME' | sort -u; }

help_section "EXIT STATUS" | sed -n 's/^  \([0-9][0-9]*\)  .*/\1/p' | sort >"$tmp/exit.help"
man_section "EXIT STATUS" | sed -n 's/^\.B \([0-9][0-9]*\)$/\1/p' | sort >"$tmp/exit.man"
[ -s "$tmp/exit.help" ] || fail "no exit statuses in everypc --help"
cmp -s "$tmp/exit.help" "$tmp/exit.man" ||
  fail "exit statuses: --help has $(echo $(cat "$tmp/exit.help")), the man page $(echo $(cat "$tmp/exit.man"))"

help_section "ENVIRONMENT" | vars >"$tmp/env.help"
man_section "ENVIRONMENT" | sed 's/\\-/-/g' | vars >"$tmp/env.man"
[ -s "$tmp/env.help" ] || fail "no environment variables in everypc --help"
diff "$tmp/env.help" "$tmp/env.man" >"$tmp/d" ||
  fail "environment: --help (<) and the man page (>) differ: $(grep '^[<>]' "$tmp/d" | tr '\n' ' ')"
# what the sources read (getenv, the tables of paths.c and shard.c)
grep -rhoE '"(EVERYPC|TEST|GTEST|CI|BUILDKITE|SOURCE)_[A-Z0-9_]*"|getenv\("[A-Z][A-Z0-9_]*"\)' \
  "$src/rig" "$src/runtime/compiler" --include='*.c' |
  grep -oE '[A-Z][A-Z0-9_]+' | grep -v '^PATH$' | sort -u >"$tmp/env.src"
missing=$(comm -23 "$tmp/env.src" "$tmp/env.help")
[ -z "$missing" ] || fail "read by the sources, not in everypc --help: $(echo $missing)"

# gosub's variables (its getenv calls and its table of EVERYPC_CC_*) in
# gosub(1)'s ENVIRONMENT
awk '$0 == ".SH ENVIRONMENT" {on = 1; next} on && /^\.SH/ {exit} on' \
  "$src/docs/man/gosub.1" | sed 's/\\-/-/g' | vars >"$tmp/env.gosubman"
grep -hoE '"EVERYPC_[A-Z0-9_]*"|getenv\("[A-Z][A-Z0-9_]*"\)' \
  "$src/runtime/compiler/main.c" | grep -oE '[A-Z][A-Z0-9_]+' | grep -v '^PATH$' |
  sort -u >"$tmp/env.gosub"
[ -s "$tmp/env.gosub" ] || fail "no variable found in gosub's sources"
missing=$(comm -23 "$tmp/env.gosub" "$tmp/env.gosubman")
[ -z "$missing" ] || fail "read by gosub, not in gosub(1)'s ENVIRONMENT: $(echo $missing)"
# ci/do's and the CMake build's variables (\${EVERYPC_X in ci/do,
# \$ENV{EVERYPC_X} in CMake files) in ci/do's header comment
sed -n '/^#/p' "$src/ci/do" | vars >"$tmp/env.cidoc"
{ grep -oE '\$\{?EVERYPC_[A-Z0-9_]+' "$src/ci/do"
  find "$src" \( -path "$src/build*" -o -path "$src/.git" \) -prune -o \( -name CMakeLists.txt -o -name '*.cmake' \) \
    -print | xargs grep -hoE '\$ENV\{EVERYPC_[A-Z0-9_]+'
} | grep -oE 'EVERYPC_[A-Z0-9_]+' | sort -u >"$tmp/env.ci"
[ -s "$tmp/env.ci" ] || fail "no variable found in ci/do"
missing=$(comm -23 "$tmp/env.ci" "$tmp/env.cidoc")
[ -z "$missing" ] || fail "read by ci/do or CMake, not in ci/do's header: $(echo $missing)"

# options: each command's help against the man page
man_section OPTIONS | sed 's/\\-/-/g' | grep -oE -- '--[a-z][a-z-]*' | sort -u >"$tmp/opt.man"
: >"$tmp/opt.all"
for cmd in sweep replay reduce list check-meta merge chance; do
  "$everypc" help "$cmd" >"$tmp/h1" 2>&1 || fail "everypc help $cmd: exit $?"
  "$everypc" "$cmd" --help >"$tmp/h2" 2>&1 || fail "everypc $cmd --help: exit $?"
  "$everypc" "$cmd" -h >"$tmp/h3" 2>&1 || fail "everypc $cmd -h: exit $?"
  cmp -s "$tmp/h1" "$tmp/h2" && cmp -s "$tmp/h1" "$tmp/h3" ||
    fail "help $cmd, $cmd --help and $cmd -h differ"
  head -n 1 "$tmp/h1" | grep -q "^usage: everypc $cmd" || fail "help $cmd: no usage line"
  grep -q '^examples:' "$tmp/h1" || fail "help $cmd: no examples"
  awk '/^options:/ {on = 1; next} on && /^$/ {exit} on' "$tmp/h1" |
    grep -oE -- '--[a-z][a-z-]*' | sort -u >"$tmp/opt.$cmd"
  [ -s "$tmp/opt.$cmd" ] || fail "help $cmd: no options"
  missing=$(comm -23 "$tmp/opt.$cmd" "$tmp/opt.man")
  [ -z "$missing" ] || fail "options of $cmd not in the man page's OPTIONS: $(echo $missing)"
  cat "$tmp/opt.$cmd" >>"$tmp/opt.all"
done
sort -u "$tmp/opt.all" -o "$tmp/opt.all"
extra=$(comm -13 "$tmp/opt.all" "$tmp/opt.man")
[ -z "$extra" ] || fail "in the man page's OPTIONS, no command's: $(echo $extra)"

"$everypc" --version >"$tmp/v" 2>&1 || fail "everypc --version: exit $?"
head -n 1 "$tmp/v" | grep -qE '^everypc [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{12}(-dirty)?|unknown)\)$' ||
  fail "everypc --version: first line '$(head -n 1 "$tmp/v")'"
grep -q '^qemu amd64' "$tmp/v" || fail "everypc --version names no QEMU"

[ $bad -eq 0 ] || exit 1
echo "ok: help and man page agree ($(wc -l <"$tmp/exit.help") exit statuses, $(wc -l <"$tmp/env.help") variables, $(wc -l <"$tmp/opt.all") options; gosub's $(wc -l <"$tmp/env.gosub") and ci/do's $(wc -l <"$tmp/env.ci") variables documented)"
