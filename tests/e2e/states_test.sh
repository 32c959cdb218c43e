#!/bin/sh
# states_test.sh EVERYPC ARCH WORKLOADS_DIR -- the state catalogue (issue
# 13 item 1; docs/states.md, STA-1..5):
#   1. pressure.go main.hold, preempt-gc at hit 2: cases create
#      stackobj-conservative (hold's frame alone points at its caller's
#      stack object) and reg-only states; the summary and report count
#      them; a --resume of the finished sweep reads the same counts back
#      from the journal.
#   2. The same function under preempt (nothing scans the stack): no stop
#      state at all.
#   3. wake.go, an injected main.poke: inject-wakes.
#   4. --require-states: a created state passes, one never created fails
#      the sweep (exit 1, named); a bad line, or a suite's bad
#      "require_states", is a one-line error with the file and line.
set -u
everypc=$1 arch=$2 wl=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
hold() { "$everypc" sweep --arch "$arch" --no-progress -j 1 \
  --workload "$wl/pressure.go" --func main.hold --hits 2 "$@"; }

hold --action preempt-gc --out "$tmp/h" >"$tmp/h.log" 2>&1 ||
  { tail -n 20 "$tmp/h.log"; fail "pressure.go sweep: exit $?"; }
nc=$(grep -c '"states":\[[^]]*"stackobj-conservative"' "$tmp/h/journal.jsonl")
[ "$nc" -gt 0 ] || fail "no case of main.hold created stackobj-conservative"
nr=$(grep -c '"states":\[[^]]*"reg-only\.' "$tmp/h/journal.jsonl")
[ "$nr" -gt 0 ] || fail "no case of main.hold created a reg-only state"
grep -q '"verdict":"rejected".*"states"' "$tmp/h/journal.jsonl" &&
  fail "a rejected case has stop states (STA-2: only carried-out actions)"
row=$(grep '^stackobj-conservative ' "$tmp/h.log")
[ "$(echo "$row" | awk '{ print $2 }')" = "$nc" ] ||
  fail "summary row '$row', the journal has $nc cases"
grep -q 'States created' "$tmp/h/report.html" || fail "no state table in report.html"
echo "ok: main.hold: $nc cases stackobj-conservative, $nr with a reg-only state; summary and report count them"

hold --action preempt-gc --out "$tmp/h" --resume >"$tmp/r.log" 2>&1 ||
  { tail -n 20 "$tmp/r.log"; fail "resumed sweep: exit $?"; }
sed -n '/^states (cases)/,$p' "$tmp/h.log" >"$tmp/t1"
sed -n '/^states (cases)/,$p' "$tmp/r.log" >"$tmp/t2"
[ -s "$tmp/t1" ] && cmp -s "$tmp/t1" "$tmp/t2" ||
  { diff "$tmp/t1" "$tmp/t2" | head; fail "the resumed sweep counts other states"; }
echo "ok: --resume reads the same state counts back from the journal"

hold --action preempt --out "$tmp/p" >"$tmp/p.log" 2>&1 ||
  { tail -n 20 "$tmp/p.log"; fail "preempt sweep: exit $?"; }
grep -q '"states"' "$tmp/p/journal.jsonl" && fail "preempt (no scan) recorded states"
echo "ok: preempt, which scans nothing, records no state"

"$everypc" sweep --arch "$arch" --no-progress -j 1 --workload "$wl/wake.go" \
  --func main.work --action inject-freeze --inject 'main.poke(3)' \
  --out "$tmp/w" >"$tmp/w.log" 2>&1 ||
  { tail -n 20 "$tmp/w.log"; fail "wake.go sweep: exit $?"; }
nw=$(grep -c '"states":\["inject-wakes"\]' "$tmp/w/journal.jsonl")
[ "$nw" -gt 0 ] || fail "no injected main.poke woke the waiter"
echo "ok: wake.go: $nw injected calls woke a goroutine"

printf '# created\nstackobj-conservative\n%s reg-only.%s\n' "$arch" \
  "$(grep -o '"reg-only\.[a-z0-9]*"' "$tmp/h/journal.jsonl" | head -n 1 | tr -d '"' | sed 's/reg-only\.//')" >"$tmp/ok.req"
hold --action preempt-gc --out "$tmp/h" --resume --require-states "$tmp/ok.req" >"$tmp/ok.log" 2>&1 ||
  { cat "$tmp/ok.req"; tail -n 5 "$tmp/ok.log"; fail "created states required: exit $?"; }
printf 'stackobj-conservative\ninject-wakes   # never by preempt-gc\n' >"$tmp/no.req"
hold --action preempt-gc --out "$tmp/h" --resume --require-states "$tmp/no.req" >"$tmp/no.log" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "a required state never created: exit $rc, expected 1"
grep -qx "everypc: 1 required state never created: $arch inject-wakes" "$tmp/no.log" ||
  { tail -n 3 "$tmp/no.log"; fail "the missing state is not named"; }
echo "ok: --require-states passes what was created, fails (exit 1) naming $arch inject-wakes"

printf 'all\nnosuch-state\n' >"$tmp/bad.req"
hold --action preempt-gc --out "$tmp/b" --require-states "$tmp/bad.req" >"$tmp/bad.log" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "a bad requirement: exit $rc, expected 2"
grep -qx "everypc: $tmp/bad.req:2: field state: 'nosuch-state' is not a state of any catalogue (docs/states.md)" "$tmp/bad.log" ||
  { cat "$tmp/bad.log"; fail "the bad line is not named"; }
[ -e "$tmp/b/journal.jsonl" ] && fail "a sweep with a bad requirement ran"
cat >"$tmp/s.json" <<JSON
{ "name": "s", "arches": ["$arch"],
  "require_states": ["all",
                     "$arch reg-only.pc"],
  "sweeps": [ { "workload": "$wl/pressure.go", "funcs": ["main.hold"] } ] }
JSON
"$everypc" sweep "$tmp/s.json" --out "$tmp/s" >"$tmp/s.log" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "a suite's bad require_states: exit $rc, expected 2"
grep -qx "everypc: $tmp/s.json:3:22: field state: 'reg-only.pc' is not a state of $arch's catalogue (docs/states.md)" "$tmp/s.log" ||
  { cat "$tmp/s.log"; fail "the suite's bad requirement is not named"; }
echo "ok: bad requirements are one-line errors naming the file and line"
