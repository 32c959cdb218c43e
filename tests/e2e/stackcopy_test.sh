#!/bin/sh
# stackcopy_test.sh EVERYPC ARCH SHRINKCHAIN_GO STACKCHAIN_GO -- the
# stack-pointer oracle after every stack copy (rig/sweep/stackcopy.c,
# SCP-1..3; issue 12 item 3), against the stackobj-unadjusted mutant, whose
# stack objects' words are copied but not adjusted.
#   1. shrinkchain.go main.hold, preempt-gc-shrink: the correct runtime
#      passes; under the mutant, the shrink deferred to hold's println moves
#      a -> b and leaves a.next in the freed stack. Every failing case is
#      `stackptr`, judged at the copy ("after goroutine 1's stack moved"),
#      naming main.hold's stack object, the value and both stacks -- where
#      the liveness-time check sees nothing (it runs before the deferred
#      shrink) and the program prints the same.
#   2. The injected call main.grown(3) grows its own stack with a -> b on it:
#      judged during the call; the correct runtime passes, the mutant fails
#      as `stackptr` naming main.grown.
#   3. stackchain.go: the program's own growth (main.grown) under the
#      mutant: the baseline iteration fails, so every case fails as
#      `stackptr`, the baseline named in the detail.
#   4. A recorded failure of 1 replays as recorded.
set -u
everypc=$1 arch=$2 shrinkchain=$3 stackchain=$4
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
sweep() { "$everypc" sweep --arch "$arch" --no-progress "$@"; }
# all failing records of journal $1 are check $2 with detail matching $3;
# prints how many
all_fail_as() {
  nf=$(grep -c '"result":"fail"' "$1")
  nc=$(grep '"result":"fail"' "$1" | grep "\"check\":\"$2\"" | grep -c "$3")
  [ "$nf" -gt 0 ] || fail "$1: no case failed"
  [ "$nf" -eq "$nc" ] || { grep '"result":"fail"' "$1" | grep -v "$3" | head -n 2; fail "$1: $nf failures, only $nc are $2 matching '$3'"; }
  echo "$nf"
}

# 1. a deferred shrink
sweep --workload "$shrinkchain" --func main.hold --action preempt-gc-shrink \
  --out "$tmp/ok" >"$tmp/ok.log" 2>&1 || { tail -n 20 "$tmp/ok.log"; fail "correct runtime: exit $?"; }
sweep --workload "$shrinkchain" --func main.hold --action preempt-gc-shrink \
  --mutant stackobj-unadjusted --out "$tmp/m1" >"$tmp/m1.log" 2>&1
rc=$?
[ $rc -eq 1 ] || { tail -n 20 "$tmp/m1.log"; fail "mutant: exit $rc, expected 1 (caught)"; }
n=$(all_fail_as "$tmp/m1/journal.jsonl" stackptr \
  "after goroutine 1's stack moved from \[0x[0-9a-f]*, 0x[0-9a-f]*) to \[0x[0-9a-f]*, 0x[0-9a-f]*): main.hold+[0-9]* stack object at sp+[0-9]* word 0 = 0x[0-9a-f]*, a precise pointer into the old, freed stack") || exit 1
echo "ok: a deferred shrink: correct runtime passes; mutant: $n cases fail as stackptr at the copy"

# 2. a copy during an injected call
sweep --workload "$shrinkchain" --func main.hold --action inject \
  --inject 'main.grown(3)' --out "$tmp/i0" >"$tmp/i0.log" 2>&1 || { tail -n 20 "$tmp/i0.log"; fail "inject, correct runtime: exit $?"; }
sweep --workload "$shrinkchain" --func main.hold --action inject \
  --inject 'main.grown(3)' --mutant stackobj-unadjusted --out "$tmp/i1" >"$tmp/i1.log" 2>&1
rc=$?
[ $rc -eq 1 ] || { tail -n 20 "$tmp/i1.log"; fail "inject, mutant: exit $rc, expected 1"; }
n=$(all_fail_as "$tmp/i1/journal.jsonl" stackptr "stack moved .*: main.grown+[0-9]* stack object at sp+[0-9]* word 0 = 0x[0-9a-f]*, a precise pointer into the old, freed stack") || exit 1
echo "ok: copies during injected calls: correct runtime passes; mutant: $n cases fail as stackptr"

# 3. the program's own growth, in the baseline
sweep --workload "$stackchain" --func main.sum --action preempt \
  --mutant stackobj-unadjusted --out "$tmp/b1" >"$tmp/b1.log" 2>&1
rc=$?
[ $rc -eq 1 ] || { tail -n 20 "$tmp/b1.log"; fail "baseline: exit $rc, expected 1"; }
[ "$(grep -c '"result":"pass"' "$tmp/b1/journal.jsonl")" -eq 0 ] || fail "baseline failed, yet a case passed"
n=$(all_fail_as "$tmp/b1/journal.jsonl" stackptr "the baseline iteration failed: stackptr: after goroutine 1's stack moved .*: main.grown+[0-9]* stack object") || exit 1
echo "ok: the program's own copy in the baseline: all $n cases fail as stackptr"

# 4. replay
scen=$(ls "$tmp"/m1/scenarios/*.json | head -n 1)
"$everypc" replay "$scen" >"$tmp/rep.log" 2>&1 || { cat "$tmp/rep.log"; fail "replay of $scen did not fail as recorded"; }
grep -q stackptr "$tmp/rep.log" || { cat "$tmp/rep.log"; fail "replay does not name stackptr"; }
echo "ok: replay reproduces the recorded stackptr failure"
