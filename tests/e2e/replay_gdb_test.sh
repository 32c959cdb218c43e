#!/bin/sh
# replay_gdb_test.sh -- replay into a debugger, and replay --expect (issue
# 15 item 4).
#
#   replay_gdb_test.sh gdb EVERYPC ARCH SRCDIR
#       A failing case of ARCH, recorded by a small mutant sweep, replayed
#       with --gdb three times: gdb-multiarch -batch run as the printed
#       command reads the PC (it must be the scenario's "pc") and kills;
#       the same with -x SCRIPT and a detach; a SIGINT to the waiting rig.
#       Each time the rig must end (0, or death by SIGINT), leaving no QEMU
#       and no private directory. A case made unreachable (hit 100000)
#       exits 1 and names why.
#   replay_gdb_test.sh expect EVERYPC SRCDIR
#       scenarios/recorded/cbuf-as-precise.json (a mutant's failure) and its
#       .correct.json (passing on the correct runtime) under --expect fail
#       and --expect pass: 0 exactly when the outcome is the one expected.
set -u
mode=$1 everypc=$2
tmp=$(mktemp -d) || exit 2
rigpid=
trap '[ -n "$rigpid" ] && kill "$rigpid" 2>/dev/null; rm -rf "$tmp"' EXIT
bad=0
fail() { echo "FAIL: $*"; bad=$((bad + 1)); }
mkdir "$tmp/t"
export TMPDIR=$tmp/t # the rig's private directories: checked empty below

# JSON field of a scenario file (a string or a number)
field() { sed -n "s/.*\"$2\":\"\{0,1\}\([^\",]*\).*/\1/p" "$1"; }

# replay --gdb SC in the background; wait for its "attach:" line (in a
# fresh file: the last replay's line must not be taken for this one's)
start_gdb_replay() {
  rm -f "$tmp/out" "$tmp/case.gdb"
  "$everypc" replay --gdb "$tmp/case.gdb" "$1" >"$tmp/out" 2>"$tmp/err" &
  rigpid=$!
  n=0
  until grep -q '^attach:' "$tmp/out" 2>/dev/null; do
    kill -0 "$rigpid" 2>/dev/null || return 1
    n=$((n + 1))
    [ $n -lt 1200 ] || return 1
    sleep 0.1
  done
}

# wait for the rig (at most 60 s, then it is killed); its exit status
wait_rig() {
  n=0
  while kill -0 "$rigpid" 2>/dev/null; do
    n=$((n + 1))
    if [ $n -gt 600 ]; then
      fail "replay --gdb still runs 60 s after the debugger or signal: killed"
      kill -KILL "$rigpid"
      break
    fi
    sleep 0.1
  done
  wait "$rigpid"
  st=$?
  rigpid=
  return $st
}

# nothing left behind: no private directory, no QEMU of this replay
nothing_left() {
  left=$(ls -A "$TMPDIR")
  [ -z "$left" ] || fail "$1: left in TMPDIR: $left"
  if pgrep -f -- "$tmp/t/everypc-" >/dev/null 2>&1; then
    fail "$1: a QEMU of the replay still runs"
  fi
}

check_pc() { # gdb's output, the expected pc, what
  got=$(sed -n 's/^\$1 = \(0x[0-9a-f]*\)$/\1/p' "$1")
  [ -n "$got" ] || { fail "$3: gdb printed no PC"; sed 's/^/  gdb: /' "$1"; return; }
  [ $((got)) -eq $(($2)) ] || fail "$3: gdb reads PC $got, the case's is $2"
}

gdb_mode() {
  arch=$1 src=$2
  command -v gdb-multiarch >/dev/null || { echo "gdb-multiarch missing (ci/do installs it)"; exit 1; }
  # a recorded failing case: the reduced matrix's cbuf-as-precise sweep
  "$everypc" sweep --workload "$src/scenarios/workloads/stale.go" \
    --func main.afterUse --action preempt-gc --mutant cbuf-as-precise \
    --no-clobber --arch "$arch" --no-progress -j 1 -o "$tmp/o" >"$tmp/sweep" 2>&1
  sc=$(ls "$tmp/o/scenarios/"*.json 2>/dev/null | head -n 1)
  [ -n "$sc" ] || { cat "$tmp/sweep"; fail "the sweep recorded no failing case"; return; }
  pc=$(field "$sc" pc)
  echo "case: $sc (pc $pc)"

  # 1: the printed command, run as printed, -batch: reads the PC, kills
  start_gdb_replay "$sc" || { cat "$tmp/out" "$tmp/err"; fail "replay --gdb printed no attach line"; return; }
  cat "$tmp/out"
  cmd=$(sed -n 's/^    or:  \(gdb-multiarch .*\)$/\1/p' "$tmp/out")
  [ -n "$cmd" ] || fail "no full gdb-multiarch command printed"
  grep -q "^target remote $TMPDIR/everypc-[0-9]*-gdb-" "$tmp/case.gdb" ||
    fail "the script has no target remote on a private socket: $(cat "$tmp/case.gdb")"
  sock=$(sed -n 's/^target remote //p' "$tmp/case.gdb")
  [ "$(stat -c %a "$(dirname "$sock")")" = 700 ] || fail "the socket's directory is not 0700"
  eval "timeout 60 $cmd -batch -ex 'p/x \$pc'" >"$tmp/gdb1" 2>&1
  check_pc "$tmp/gdb1" "$pc" "printed command"
  wait_rig || fail "replay --gdb exit $? after gdb's kill"
  grep -q "the debugger killed the guest" "$tmp/out" || fail "replay did not see the kill: $(tail -n 1 "$tmp/out")"
  nothing_left "after the kill"

  # 2: -x SCRIPT, then detach
  echo "step 2: gdb-multiarch -x SCRIPT, detach"
  start_gdb_replay "$sc" || { cat "$tmp/out" "$tmp/err"; fail "replay --gdb (2) printed no attach line"; return; }
  timeout 60 gdb-multiarch -batch -x "$tmp/case.gdb" -ex 'p/x $pc' -ex detach >"$tmp/gdb2" 2>&1
  check_pc "$tmp/gdb2" "$pc" "-x SCRIPT"
  wait_rig || fail "replay --gdb exit $? after gdb's detach"
  grep -q "the debugger detached" "$tmp/out" || fail "replay did not see the detach: $(tail -n 1 "$tmp/out")"
  nothing_left "after the detach"

  # 3: SIGINT while waiting: the rig cleans up and dies of it
  echo "step 3: SIGINT"
  start_gdb_replay "$sc" || { cat "$tmp/out" "$tmp/err"; fail "replay --gdb (3) printed no attach line"; return; }
  kill -INT "$rigpid"
  wait_rig
  st=$?
  [ $st -eq 130 ] || fail "replay --gdb after SIGINT: exit $st, not death by SIGINT (130)"
  nothing_left "after SIGINT"

  # 4: a case that never gets to its stop
  echo "step 4: an unreachable hit"
  sed 's/"hit":[0-9]*/"hit":100000/' "$sc" >"$tmp/unreached.json"
  timeout 120 "$everypc" replay --gdb "$tmp/case.gdb" "$tmp/unreached.json" >"$tmp/out" 2>"$tmp/err"
  st=$?
  [ $st -eq 1 ] && grep -q "does not stop before its action.*unreached" "$tmp/err" ||
    fail "unreachable case: exit $st, $(cat "$tmp/err")"
  nothing_left "after the unreachable case"
}

expect_mode() {
  src=$1
  f=$src/scenarios/recorded/cbuf-as-precise.json c=$src/scenarios/recorded/cbuf-as-precise.correct.json
  for t in "$f fail 0" "$f pass 1" "$c pass 0" "$c fail 1"; do
    set -- $t
    "$everypc" replay --expect "$2" "$1" >"$tmp/out" 2>&1
    st=$?
    cat "$tmp/out"
    [ $st -eq "$3" ] || fail "replay --expect $2 $(basename "$1"): exit $st, not $3"
    grep -q "^expected $2.*: $([ "$3" = 0 ] && echo met || echo 'NOT met')$" "$tmp/out" ||
      fail "replay --expect $2 $(basename "$1"): no 'expected' line saying so"
  done
  "$everypc" replay --expect maybe "$f" >"$tmp/out" 2>&1
  [ $? -eq 2 ] && grep -q "expected pass or fail" "$tmp/out" || fail "--expect maybe: $(cat "$tmp/out")"
  "$everypc" replay --expect pass --gdb "$tmp/x.gdb" "$f" >"$tmp/out" 2>&1
  [ $? -eq 2 ] && grep -q "either --gdb or --expect" "$tmp/out" || fail "--expect with --gdb: $(cat "$tmp/out")"
  nothing_left "after the --expect replays"
}

case "$mode" in
gdb) gdb_mode "$3" "$4" ;;
expect) expect_mode "$3" ;;
*) echo "usage: replay_gdb_test.sh gdb EVERYPC ARCH SRCDIR | expect EVERYPC SRCDIR" >&2; exit 2 ;;
esac
[ $bad -eq 0 ] || exit 1
echo "ok: replay $mode"
