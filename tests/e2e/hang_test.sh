#!/bin/sh
# hang_test.sh EVERYPC ARCH WORKLOAD: a program whose baseline iteration
# never ends (tests/e2e/hang.go) -- every case fails as `setup`, and the
# failure locates the hang: it says the guest did not stop (not that the
# stub stalled) and names the function and the backtrace where it loops.
set -u
everypc=$1 arch=$2 workload=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$everypc" sweep --workload "$workload" --func main.spin --arch "$arch" --action preempt \
  --timeout 2 --no-progress --out "$tmp/o" >"$tmp/log" 2>&1
rc=$?
tail -3 "$tmp/log"
[ $rc -eq 1 ] || fail "sweep exited $rc, expected 1 (failures)"
j=$tmp/o/journal.jsonl
n=$(wc -l <"$j")
[ "$n" -gt 0 ] || fail "no case journalled"
[ "$(grep -c '"check":"setup"' "$j")" -eq "$n" ] || fail "not every case failed as setup"
first=$(head -n 1 "$j")
echo "$first" | grep -q 'the baseline iteration failed: hang: ' || fail "the failure is not a hang: $first"
echo "$first" | grep -q 'the guest did not stop within the timeout' || fail "the hang is not the guest's: $first"
echo "$first" | grep -q 'guest at main.spin <- main.main+[0-9]* (line 16)' || fail "the hang is not located: $first"
! grep -q 'stalled' "$j" || fail "a hang blamed on the stub"
echo "ok: $n cases, the hang located in main.spin"
