#!/bin/sh
# fault_test.sh MODE EVERYPC ARCH WORKLOAD FUNCS
# The rig under faults (SWP-5, SWP-6): no finished or enumerated case is
# ever lost, and one sweep at a time writes an output directory.
#   killworker  SIGKILL one of two workers mid-sweep (as the OOM killer
#               would): the sweep re-runs its unfinished cases, exits 0, and
#               its journal is byte-identical to an undisturbed sweep's
#   diestwice   a case that kills its worker every time it runs
#               (EVERYPC_TEST_KILL_AT): journalled once as `worker-died`,
#               every other case present, exit 1
#   lock        a second sweep into the --out of a running one refuses at
#               once (exit 2, naming the holder's pid); the first completes
#   diskfull    --out on a tmpfs with room for the build and a few journal
#               lines: the sweep stops at the first failed write, naming the
#               file and "No space left on device", exit 2, no temporary
#               file left; with room again, --resume completes it to the
#               undisturbed sweep's journal (needs root, to mount; skipped,
#               exit 77, otherwise)
set -u
mode=$1 everypc=$2 arch=$3 workload=$4 funcs=$5
tmp=$(mktemp -d) || exit 1
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
sweep() { "$everypc" sweep --workload "$workload" --func "$funcs" --arch "$arch" --no-progress "$@"; }
lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
# Wait until $1 has at least $2 lines (30 s at most).
wait_lines() {
  i=0
  while [ "$(lines "$1")" -lt "$2" ]; do
    i=$((i + 1)); [ $i -lt 300 ] || fail "$1 never reached $2 lines"
    sleep 0.1
  done
}
# Every case of the journal once: no key twice.
unique_keys() {
  dup=$(sed 's/"verdict".*//' "$1" | sort | uniq -d | head -3)
  [ -z "$dup" ] || fail "cases journalled twice in $1: $dup"
}

case $mode in
killworker)
  sweep --out "$tmp/ref" --jobs 2 >"$tmp/ref.log" 2>&1 || { cat "$tmp/ref.log"; fail "reference sweep failed"; }
  n=$(lines "$tmp/ref/journal.jsonl")
  mkdir "$tmp/t"
  (TMPDIR=$tmp/t exec "$everypc" sweep --workload "$workload" --func "$funcs" --arch "$arch" \
     --no-progress --out "$tmp/o" --jobs 2) >"$tmp/log" 2>&1 &
  pid=$!
  wait_lines "$tmp/o/journal.jsonl" $((n / 4))
  victim=$(pgrep -P "$pid" | head -n 1)
  [ -n "$victim" ] || fail "no worker process under the sweep ($pid)"
  kill -KILL "$victim"
  echo "killed worker $victim after $(lines "$tmp/o/journal.jsonl") of $n cases"
  wait "$pid"; rc=$?; pid=
  cat "$tmp/log"
  [ $rc -eq 0 ] || fail "sweep exited $rc after a worker was killed"
  grep -q "killed by signal 9" "$tmp/log" || fail "the worker's death is not reported"
  cmp "$tmp/ref/journal.jsonl" "$tmp/o/journal.jsonl" || fail "the journal differs from an undisturbed sweep's"
  # its QEMU went with it (LAUNCH-5): none of this sweep's (their gdbstub
  # sockets are in $tmp/t) is left
  sleep 0.5
  left=$(pgrep -f "$tmp/t/" || true)
  [ -z "$left" ] || fail "QEMU processes left behind: $left"
  echo "ok: all $n cases, journal identical to the undisturbed sweep's" ;;
diestwice)
  sweep --out "$tmp/ref" --jobs 2 >"$tmp/ref.log" 2>&1 || { cat "$tmp/ref.log"; fail "reference sweep failed"; }
  n=$(lines "$tmp/ref/journal.jsonl")
  # the first case of the journal: its function and offset
  first=$(head -n 1 "$tmp/ref/journal.jsonl")
  fn=$(echo "$first" | sed 's/.*"func":"\([^"]*\)".*/\1/')
  off=$(echo "$first" | sed 's/.*"offset":\([0-9]*\).*/\1/')
  EVERYPC_TEST_KILL_AT="$fn+$off" sweep --out "$tmp/o" --jobs 2 >"$tmp/log" 2>&1; rc=$?
  cat "$tmp/log"
  [ $rc -eq 1 ] || fail "sweep exited $rc, expected 1 (a worker-died failure)"
  j=$tmp/o/journal.jsonl
  [ "$(lines "$j")" -eq "$n" ] || fail "$(lines "$j") cases journalled, $n enumerated"
  unique_keys "$j"
  nd=$(grep -c '"check":"worker-died"' "$j")
  nk=$(grep -c "\"func\":\"$fn\",\"pc\":\"0x[0-9a-f]*\",\"offset\":$off," "$tmp/ref/journal.jsonl")
  [ "$nd" -eq "$nk" ] || fail "$nd worker-died failures, expected $nk (every case at $fn+$off)"
  grep '"check":"worker-died"' "$j" | grep -q "killed by signal 9" || fail "the failure does not name the signal"
  # every other case equals the reference
  grep -v '"check":"worker-died"' "$j" >"$tmp/rest"
  grep -v "\"func\":\"$fn\",\"pc\":\"0x[0-9a-f]*\",\"offset\":$off," "$tmp/ref/journal.jsonl" >"$tmp/refrest"
  cmp "$tmp/rest" "$tmp/refrest" || fail "the other cases differ from the reference"
  ls "$tmp/o/scenarios/"*"-$fn+$off-"*.json >/dev/null 2>&1 || fail "no scenario for the worker-died case"
  echo "ok: $nd worker-died failures at $fn+$off, the other $((n - nd)) cases as in the reference" ;;
lock)
  (exec "$everypc" sweep --workload "$workload" --func "$funcs" --arch "$arch" --no-progress \
     --out "$tmp/o" --jobs 1) >"$tmp/log" 2>&1 &
  pid=$!
  wait_lines "$tmp/o/journal.jsonl" 1
  sweep --out "$tmp/o" --jobs 1 >"$tmp/log2" 2>&1; rc2=$?
  cat "$tmp/log2"
  [ $rc2 -eq 2 ] || fail "the second sweep into a locked --out exited $rc2, expected 2"
  grep -q "in use by another sweep (pid $pid)" "$tmp/log2" || fail "the refusal does not name the holder's pid $pid"
  sweep --out "$tmp/o" --jobs 1 --resume >"$tmp/log3" 2>&1; rc3=$?
  [ $rc3 -eq 2 ] || fail "a --resume into a locked --out exited $rc3, expected 2"
  wait "$pid"; rc=$?; pid=
  [ $rc -eq 0 ] || { cat "$tmp/log"; fail "the first sweep exited $rc"; }
  sweep --out "$tmp/ref" --jobs 2 >/dev/null 2>&1
  cmp "$tmp/ref/journal.jsonl" "$tmp/o/journal.jsonl" || fail "the first sweep's journal is not complete"
  echo "ok: the second sweep refused, the first completed" ;;
diskfull)
  [ "$(id -u)" = 0 ] || { echo "SKIP: mounting a tmpfs needs root"; exit 77; }
  sweep --out "$tmp/ref" --jobs 2 >/dev/null 2>&1 || fail "reference sweep failed"
  n=$(lines "$tmp/ref/journal.jsonl")
  # room for the build and the plan (written before any case), then a few
  # journal lines
  build_kb=$(du -sk "$tmp/ref/build" "$tmp/ref/plan.tsv" | awk '{s += $1} END {print s}')
  mkdir "$tmp/o"
  mount -t tmpfs -o size=$((build_kb + 24))k tmpfs "$tmp/o" || { echo "SKIP: cannot mount a tmpfs"; exit 77; }
  trap 'umount "$tmp/o" 2>/dev/null; rm -rf "$tmp"' EXIT
  sweep --out "$tmp/o" --jobs 2 >"$tmp/log" 2>&1; rc=$?
  cat "$tmp/log"
  [ $rc -eq 2 ] || fail "a sweep on a full disk exited $rc, expected 2"
  grep -q "journal.jsonl: cannot append: No space left on device" "$tmp/log" ||
    fail "the failed write is not named with the system's reason"
  [ "$(grep -c "cannot append" "$tmp/log")" -le 2 ] || fail "the sweep went on after the first failed write"
  left=$(find "$tmp/o" -name "*.tmp")
  [ -z "$left" ] || fail "temporary files left: $left"
  got=$(lines "$tmp/o/journal.jsonl")
  [ "$got" -lt "$n" ] || fail "the disk never filled ($got of $n cases journalled)"
  mount -o remount,size=64m "$tmp/o" || fail "cannot grow the tmpfs"
  sweep --out "$tmp/o" --jobs 2 --resume >"$tmp/log2" 2>&1 || { cat "$tmp/log2"; fail "--resume failed"; }
  cmp "$tmp/ref/journal.jsonl" "$tmp/o/journal.jsonl" || fail "the resumed journal differs from the undisturbed one"
  echo "ok: stopped after $got of $n cases with the reason; --resume completed it" ;;
*) fail "unknown mode $mode" ;;
esac
