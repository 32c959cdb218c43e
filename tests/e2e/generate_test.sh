#!/bin/sh
# generate_test.sh EVERYPC ARCH -- sweep --generate (issue 13 item 3;
# rig/generate.h, GNR-1..4):
#   1. Two programs of gosub-gen (seeds 11, 12), two of their functions,
#      preempt-gc: every case passes (each program's gosub build printed
#      what go run prints: GNR-2), both programs are journalled, and the
#      second was chosen by the states the first left missing (GNR-4:
#      "favouring" on stderr, the same --favour in gosub-gen's output).
#   2. The same command again: the same programs and a byte-identical
#      journal (GNR-1).
#   3. A generator that fails stops the sweep before any case, naming the
#      seed (exit 2).
#   4. It is never sharded: --shard is refused, CI_NODE_* ignored.
set -u
everypc=$1 arch=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
gen() { "$everypc" sweep --generate 2 --seed 11 --func main.inj0,main.stack0 \
  --arch "$arch" --action preempt-gc --no-progress -j 2 "$@"; }

gen --out "$tmp/a" >"$tmp/a.log" 2>&1 ||
  { tail -n 30 "$tmp/a.log"; fail "generated sweep: exit $?"; }
for s in 11 12; do
  [ -s "$tmp/a/generated/gen$s.go" ] || fail "no program gen$s.go"
  grep -q "\"workload\":\"gen$s.go\"" "$tmp/a/journal.jsonl" || fail "gen$s.go not journalled"
done
grep -q '"result":"fail"' "$tmp/a/journal.jsonl" && fail "a generated case failed"
grep -q "^everypc: program 2 of 2: gen12.go, favouring " "$tmp/a.log" ||
  { grep '^everypc: program' "$tmp/a.log"; fail "program 2 was not chosen by the missing states"; }
fav=$(sed -n 's/^everypc: program 2 of 2: gen12.go, favouring //p' "$tmp/a.log")
grep -q "favour: $fav" "$tmp/a/generated/gen12.go" ||
  { head -n 5 "$tmp/a/generated/gen12.go"; fail "gen12.go does not say it favours $fav"; }
grep -q '^states (cases)' "$tmp/a.log" || fail "no state table after the last program"
[ "$(grep -c '^states (cases)' "$tmp/a.log")" -eq 1 ] || fail "a state table per program"
n=$(wc -l <"$tmp/a/journal.jsonl")
echo "ok: 2 generated programs, $n cases passed; program 2 favoured $fav"

gen --out "$tmp/b" >"$tmp/b.log" 2>&1 || fail "second sweep: exit $?"
cmp -s "$tmp/a/generated/gen12.go" "$tmp/b/generated/gen12.go" || fail "gen12.go differs between runs"
cmp "$tmp/a/journal.jsonl" "$tmp/b/journal.jsonl" || fail "journals differ between runs"
echo "ok: the same programs and a byte-identical journal again"

EVERYPC_GOSUB_GEN=false gen --out "$tmp/c" >"$tmp/c.log" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "a failing generator: exit $rc, expected 2"
grep -q '^everypc: --generate: false --seed 11 failed' "$tmp/c.log" ||
  { cat "$tmp/c.log"; fail "the failing seed is not named"; }
[ -e "$tmp/c/journal.jsonl" ] && fail "cases ran without a program"
echo "ok: a failing generator stops the sweep, naming the seed"

"$everypc" sweep --generate 2 --shard 1/2 --arch "$arch" --out "$tmp/d" >"$tmp/d.log" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "a sharded --generate: exit $rc, expected 2"
grep -q '^everypc: --generate cannot be sharded' "$tmp/d.log" || { cat "$tmp/d.log"; fail "no reason given"; }
small() { "$everypc" sweep --generate 1 --seed 11 --func main.inj0 --arch "$arch" \
  --action preempt --no-progress "$@"; }
small --out "$tmp/e1" >"$tmp/e1.log" 2>&1 || fail "a small --generate: exit $?"
CI_NODE_INDEX=2 CI_NODE_TOTAL=2 small --out "$tmp/e2" >"$tmp/e2.log" 2>&1 ||
  fail "--generate under CI_NODE_*: exit $?"
cmp "$tmp/e1/journal.jsonl" "$tmp/e2/journal.jsonl" || fail "CI_NODE_* sharded a --generate sweep"
echo "ok: --shard is refused and CI_NODE_* ignored (GNR-4)"
