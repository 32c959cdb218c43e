#!/bin/sh
# reduce_test.sh EVERYPC ARCH INPUT.go -- everypc reduce (issue 13 item 4;
# rig/reduce.h, RED-1..5):
#   1. A sweep of INPUT's main.press against the no-register-scan mutant
#      fails; its first failing scenario is reduced: the program written is
#      less than half as long, keeps the anchor statement, drops the
#      distractors (worker, the goroutine), builds with gosub and go, and
#      its scenario replays with the identical outcome.
#   2. Reducing again gives the same program byte for byte (RED-4).
#   3. The same case against the correct runtime does not fail: exit 1,
#      nothing written. Bad input is a one-line error naming the file and
#      field: a missing workload, a line beyond the workload's end, an
#      --out that would overwrite the scenario, an ELF workload.
set -u
everypc=$1 arch=$2 input=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$everypc" sweep --workload "$input" --func main.press --arch "$arch" \
  --action preempt-gc --mutant no-register-scan -j 2 --no-progress \
  -o "$tmp/s" >"$tmp/s.log" 2>&1
rc=$?
[ $rc -eq 1 ] || { tail -n 20 "$tmp/s.log"; fail "mutant sweep: exit $rc, wanted 1"; }
first=$(sed -n 's/.*replay everypc replay \(.*\.json\)$/\1/p' "$tmp/s.log" | head -n 1)
[ -f "$first" ] || fail "no scenario named in the sweep's summary"
cp "$first" "$tmp/case.json" || exit 1
line=$(sed 's/.*"line":\([0-9]*\).*/\1/' "$tmp/case.json")
anchor=$(sed -n "${line}p" "$input" | sed 's/^[[:space:]]*//')
[ -n "$anchor" ] || fail "no source line $line in $input"

"$everypc" reduce "$tmp/case.json" -o "$tmp/r" >"$tmp/r.log" 2>&1 ||
  { cat "$tmp/r.log"; fail "reduce: exit $?"; }
red="$tmp/r/case.go"
[ -f "$red" ] && [ -f "$tmp/r/case.json" ] || fail "reduce wrote no case.go and case.json"
n0=$(wc -l <"$input") n1=$(wc -l <"$red")
[ $((n1 * 2)) -lt "$n0" ] || { cat "$red"; fail "reduced to $n1 of $n0 lines: not even half"; }
grep -qF "$anchor" "$red" || fail "the anchor statement '$anchor' is gone"
grep -q 'func worker\|go worker' "$red" && fail "the distractor worker survived"
grep -q "^// Keeps: $arch main.press preempt-gc hit 1, mutant no-register-scan, failing liveness" "$red" ||
  { head -n 3 "$red"; fail "no header saying what the program keeps"; }
grep -q '^reduced .*: [0-9]* -> [0-9]* lines in [0-9]* tests' "$tmp/r.log" ||
  fail "no summary line"
echo "ok: $arch: $n0 -> $n1 lines, keeping '$anchor'"

"$everypc" replay "$tmp/r/case.json" >"$tmp/p.log" 2>&1 ||
  { cat "$tmp/p.log"; fail "replay of the reduced scenario: exit $?"; }
grep -q '^identical outcome' "$tmp/p.log" || fail "replay: not the identical outcome"
grep -q '  observed: accepted fail liveness' "$tmp/p.log" || fail "replay: not a liveness failure"
echo "ok: the reduced scenario replays, failing liveness"

"$everypc" reduce "$tmp/case.json" -o "$tmp/r2" >"$tmp/r2.log" 2>&1 ||
  { cat "$tmp/r2.log"; fail "second reduce: exit $?"; }
cmp -s "$red" "$tmp/r2/case.go" || { diff "$red" "$tmp/r2/case.go"; fail "a second reduction gave another program"; }
echo "ok: reducing again gives the same program"

# the correct runtime: the case passes, nothing to reduce
sed 's/"mutant":"no-register-scan"/"mutant":null/' "$tmp/case.json" >"$tmp/ok.json"
"$everypc" reduce "$tmp/ok.json" -o "$tmp/ok" >"$tmp/ok.log" 2>&1
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/ok.log"; fail "reduce of a passing case: exit $rc, wanted 1"; }
grep -q 'does not fail with liveness on line' "$tmp/ok.log" || { cat "$tmp/ok.log"; fail "no reason given"; }
[ -e "$tmp/ok/ok.go" ] && fail "a passing case wrote a program"
echo "ok: against the correct runtime it does not fail: exit 1, nothing written"

# one-line errors: "everypc: ..." naming the file and the field
bad() { # NAME SED-SCRIPT EXPECTED-PATTERN [reduce args]
  name=$1 script=$2 want=$3
  shift 3
  sed "$script" "$tmp/case.json" >"$tmp/$name.json"
  "$everypc" reduce "$tmp/$name.json" "$@" >"$tmp/$name.log" 2>&1
  rc=$?
  [ $rc -eq 2 ] || { cat "$tmp/$name.log"; fail "$name: exit $rc, wanted 2"; }
  [ "$(wc -l <"$tmp/$name.log")" -eq 1 ] || { cat "$tmp/$name.log"; fail "$name: not one line"; }
  grep -q "$want" "$tmp/$name.log" || { cat "$tmp/$name.log"; fail "$name: wanted /$want/"; }
}
bad noworkload 's/"workload":"[^"]*"/"workload":"nope.go"/' "noworkload.json:1:[0-9]*: field workload: nope.go" -o "$tmp/x"
bad farline 's/"line":[0-9]*/"line":9999/' "farline.json: field line: 9999" -o "$tmp/x"
bad elf 's/"workload":"[^"]*"/"workload":"'"$(echo "$tmp" | sed 's,/,\\/,g')"'\/r\/case.json"/' "reduce needs the program's source" -o "$tmp/x"
cp "$tmp/case.json" "$tmp/r/again.json"
"$everypc" reduce "$tmp/r/again.json" -o "$tmp/r" >"$tmp/ow.log" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "would overwrite" "$tmp/ow.log" && [ "$(wc -l <"$tmp/ow.log")" -eq 1 ] ||
  { cat "$tmp/ow.log"; fail "an --out holding the scenario: exit $rc"; }
echo "ok: bad scenarios and an --out over the input are one-line errors"
