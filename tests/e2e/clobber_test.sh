#!/bin/sh
# clobber_test.sh EVERYPC ARCH TREE_GO LIST_GO -- dead state overwritten at
# each stop (rig/sweep/clobber.c, CLB-1..3; issue 12 item 1).
#   1. The issue's example: --mutant no-register-scan on tree.go main.insert
#      (preempt-gc) is caught as `liveness` with clobbering (the default);
#      every journal record and scenario says "clobber": true, and the RSP
#      trace carries the poison in G and M packets.
#   2. --no-clobber: records say "clobber": false and no poison is written;
#      --resume over a journal of the other setting is refused (exit 2).
#   3. A recorded failure replays as recorded (clobbering on); with
#      --no-clobber the same case is run without it.
#   4. The rig's test hook EVERYPC_TEST_CLOBBER_LIVE overwrites the live
#      registers too, as a map that under-reports liveness would: the sweep
#      of the correct runtime then fails -- a map bug cannot go unseen.
set -u
everypc=$1 arch=$2 tree=$3 list=$4
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
sweep() { "$everypc" sweep --arch "$arch" --no-progress "$@"; }
poison=0bc1adde   # CLB_REG / CLB_WORD's high half, little-endian hex

# 1. clobbering catches what the stale copies hid
sweep --workload "$tree" --func main.insert --action preempt-gc \
  --mutant no-register-scan --out "$tmp/on" --trace-rsp "$tmp/on.trace" \
  >"$tmp/on.log" 2>&1
rc=$?
[ $rc -eq 1 ] || { tail -n 20 "$tmp/on.log"; fail "clobbering on: exit $rc, expected 1 (caught)"; }
n=$(wc -l <"$tmp/on/journal.jsonl")
nl=$(grep -c '"check":"liveness"' "$tmp/on/journal.jsonl")
[ "$nl" -gt 0 ] || fail "no case failed as liveness"
[ "$(grep -c '"clobber":true' "$tmp/on/journal.jsonl")" -eq "$n" ] || fail "a record lacks \"clobber\":true"
grep -q "^rsp> G.*$poison" "$tmp/on.trace" || fail "no G packet wrote a poisoned register"
grep -q "^rsp> M[0-9a-f]*,[0-9a-f]*:.*$poison" "$tmp/on.trace" || fail "no M packet wrote a poisoned frame word"
scen=$(ls "$tmp"/on/scenarios/*.json | head -n 1)
grep -q '"clobber": *true' "$scen" || fail "$scen does not say clobber true"
echo "ok: clobbering on: $nl of $n cases fail as liveness; poison in G and M packets"

# 2. --no-clobber
sweep --workload "$tree" --func main.insert --action preempt-gc \
  --mutant no-register-scan --no-clobber --out "$tmp/off" \
  --trace-rsp "$tmp/off.trace" >"$tmp/off.log" 2>&1
rc=$?
[ $rc -le 1 ] || { tail -n 20 "$tmp/off.log"; fail "--no-clobber: exit $rc"; }
n=$(wc -l <"$tmp/off/journal.jsonl")
[ "$(grep -c '"clobber":false' "$tmp/off/journal.jsonl")" -eq "$n" ] || fail "a record lacks \"clobber\":false"
grep -q "$poison" "$tmp/off.trace" && fail "--no-clobber still wrote poison"
noff=$(grep -c '"result":"fail"' "$tmp/off/journal.jsonl")
echo "ok: --no-clobber: no poison written; $noff of $n cases fail (stale copies hide the rest)"
sweep --workload "$tree" --func main.insert --action preempt-gc \
  --mutant no-register-scan --no-clobber --resume --out "$tmp/on" >"$tmp/res.log" 2>&1
rc=$?
[ $rc -eq 2 ] || fail "--resume with the other setting: exit $rc, expected 2"
[ "$(grep -c 'journalled with clobbering; this sweep runs without it' "$tmp/res.log")" -eq 1 ] ||
  { cat "$tmp/res.log"; fail "the refusal is not one line saying why"; }
echo "ok: --resume across settings refused: $(grep clobbering "$tmp/res.log")"

# 3. replay as recorded, and without
"$everypc" replay "$scen" >"$tmp/rep.log" 2>&1 || { cat "$tmp/rep.log"; fail "replay of $scen did not fail as recorded"; }
"$everypc" replay --no-clobber --expect pass "$scen" >"$tmp/rep2.log" 2>&1
rc=$?
[ $rc -le 1 ] || { cat "$tmp/rep2.log"; fail "replay --no-clobber: exit $rc"; }
echo "ok: replay reproduces the recorded failure; --no-clobber replay exit $rc"

# 4. a map that under-reports liveness is seen on the correct runtime
EVERYPC_TEST_CLOBBER_LIVE=1 sweep --workload "$list" --func main.push \
  --action preempt --out "$tmp/bug" >"$tmp/bug.log" 2>&1
rc=$?
[ $rc -eq 1 ] || { tail -n 20 "$tmp/bug.log"; fail "live registers overwritten: exit $rc, expected failures"; }
nb=$(grep -c '"result":"fail"' "$tmp/bug/journal.jsonl")
echo "ok: overwriting live registers fails $nb cases of the correct runtime"
