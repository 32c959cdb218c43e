#!/bin/sh
# gosub_cli_test.sh GOSUB SRCDIR VERSION -- gosub's --help, -h and --version
# (issue 15): the help on stdout with exit 0, every option it names in
# gosub(1)'s OPTIONS and the other way round; --version the project's
# version; a bad argument the usage on stderr with exit 1.
set -u
gosub=$1 src=$2 version=$3
man=$src/docs/man/gosub.1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
bad=0
fail() { echo "FAIL: $*"; bad=$((bad + 1)); }

"$gosub" --help >"$tmp/help" 2>"$tmp/err" || fail "gosub --help: exit $?"
[ -s "$tmp/err" ] && fail "gosub --help wrote to stderr"
head -n 1 "$tmp/help" | grep -q '^gosub: ' || fail "gosub --help: no summary line"
grep -q '^usage: gosub -arch' "$tmp/help" || fail "gosub --help: no usage"
"$gosub" -h >"$tmp/h" 2>&1 || fail "gosub -h: exit $?"
cmp -s "$tmp/help" "$tmp/h" || fail "gosub -h and --help differ"
opts() { grep -oE -- '(^|[^a-zA-Z-])--?[a-zA-Z][a-z-]*' | grep -oE -- '--?[a-zA-Z][a-z-]*' | sort -u; }
awk '/^  -/' "$tmp/help" | opts >"$tmp/opt.help"
awk '$0 == ".SH OPTIONS" {on = 1; next} on && /^\.SH/ {exit} on' "$man" |
  sed 's/\\-/-/g' | grep -E '^\.B' | opts >"$tmp/opt.man"
[ -s "$tmp/opt.help" ] || fail "gosub --help lists no options"
cmp -s "$tmp/opt.help" "$tmp/opt.man" ||
  fail "options: --help has $(echo $(cat "$tmp/opt.help")), gosub(1) $(echo $(cat "$tmp/opt.man"))"
v=$("$gosub" --version) || fail "gosub --version: exit $?"
[ "$v" = "gosub $version" ] || fail "gosub --version printed '$v', expected 'gosub $version'"
"$gosub" --bogus >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "gosub --bogus: exit $rc, expected 1"
grep -q "unexpected argument '--bogus'" "$tmp/err" && grep -q '^usage: gosub' "$tmp/err" ||
  fail "gosub --bogus: not the message and the usage on stderr"
[ -s "$tmp/out" ] && fail "gosub --bogus wrote to stdout"
[ $bad -eq 0 ] && echo "ok: gosub --help, -h, --version and gosub(1) agree"
exit $((bad > 0))
