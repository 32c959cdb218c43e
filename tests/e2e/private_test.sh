#!/bin/sh
# private_test.sh MODE EVERYPC ARCH WORKLOAD [INJECT_WORKLOAD]
# What one everypc invocation keeps to itself (issue 11; LAUNCH-6, LAUNCH-7
# in rig/launch.h):
#   concurrent  20 `list`, 20 `replay` and 20 `chance` runs at once on the
#               same workload all succeed; a symlink planted at each old
#               fixed build path ($TMPDIR/everypc-{list,replay,chance}-build)
#               is not followed (its target stays empty); nothing of theirs
#               is left in $TMPDIR afterwards
#   fds         during a sweep, every QEMU holds only its stdio (fds 0-2,
#               none of them a file of the sweep's --out) and sockets (its
#               gdbstub's: QEMU 7.2 user mode opens nothing else by itself,
#               see below); no journal, report, scenario or pipe of the rig
#   longtmp     a TMPDIR of the longest length launch_tmpdir_max() allows
#               (71 bytes on Linux) replays with the real QEMU, whose stub
#               binds only the first 106 bytes of a socket path; one byte
#               more is refused at once with a one-line error naming TMPDIR
#               (exit 2), not after the stub's 10 s accept timeout
#   stale       the socket directories of a sweep killed with SIGKILL (rig
#               and workers) are removed by the next start; directories of
#               live processes, other names and symlinks are left alone
# Run with TMPDIR set to a fresh directory of the test's own.
#
# What QEMU opens by itself: `qemu-x86_64|aarch64|riscv64 -g SOCK prog`
# (7.2, started with only 0-2 open) holds 0-2, the listening unix socket
# (3) and, once the debugger connects, the connection (4). The guest ELF is
# closed after loading.
set -u
mode=$1 everypc=$2 arch=$3 workload=$4 injw=${5:-}
tmp=$(mktemp -d) || exit 2
pids=
trap 'for p in $pids; do kill -KILL $p 2>/dev/null; done; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir "$tmp/t" && TMPDIR=$tmp/t && export TMPDIR

# A scenario that replay reproduces on the correct runtime: main.push+0
# (the prologue) with preempt is rejected and passes.
scenario() {
  l=$("$everypc" list "$workload" --arch "$arch" --func main.push) || fail "list failed"
  bid=$(echo "$l" | head -n 1 | sed 's/.* build-id //')
  pc=$(echo "$l" | sed -n 2p | sed 's/.*entry \(0x[0-9a-f]*\).*/\1/')
  printf '{"everypc_scenario":1,"arch":"%s","workload":"%s","mutant":null,"build_id":"%s","func":"main.push","pc":"%s","offset":%d,"line":15,"hit":1,"action":"preempt","inject":null,"expected":{"verdict":"rejected"},"observed":{"verdict":"rejected","result":"pass","check":null,"detail":null}}\n' \
    "$arch" "$workload" "$bid" "$pc" "${1:-0}"
}

case $mode in
concurrent)
  [ -n "$injw" ] || fail "concurrent needs INJECT_WORKLOAD"
  mkdir "$tmp/victim"
  for c in list replay chance; do ln -s "$tmp/victim" "$TMPDIR/everypc-$c-build"; done
  scenario >"$tmp/s.json"
  i=0
  while [ $i -lt 20 ]; do
    "$everypc" list "$workload" --arch "$arch" >"$tmp/list.$i" 2>&1 &
    pids="$pids $!"
    "$everypc" replay "$tmp/s.json" >"$tmp/replay.$i" 2>&1 &
    pids="$pids $!"
    "$everypc" chance "$injw" --arch "$arch" --inject 'main.churn(30)' --runs 1 \
      --seed $i >"$tmp/chance.$i" 2>&1 &
    pids="$pids $!"
    i=$((i + 1))
  done
  bad=0
  for p in $pids; do wait $p || bad=$((bad + 1)); done
  pids=
  i=0
  while [ $i -lt 20 ]; do
    for c in list replay chance; do
      [ -s "$tmp/$c.$i" ] || { echo "$c $i: no output"; bad=$((bad + 1)); }
    done
    grep -q "^main.push  entry" "$tmp/list.$i" || { cat "$tmp/list.$i"; bad=$((bad + 1)); }
    grep -q "^identical outcome" "$tmp/replay.$i" || { cat "$tmp/replay.$i"; bad=$((bad + 1)); }
    # made its run (whether an interrupt under this load finds a false
    # alarm is chance's own matter, CH-2; rig.chance.<arch> judges that)
    grep -q "^chance: caught [01]/1 runs" "$tmp/chance.$i" || { cat "$tmp/chance.$i"; bad=$((bad + 1)); }
    i=$((i + 1))
  done
  [ $bad -eq 0 ] || fail "$bad failed checks in the 60 concurrent runs"
  [ -z "$(ls -A "$tmp/victim")" ] || fail "a run followed a planted symlink: $(ls "$tmp/victim")"
  left=$(ls -A "$TMPDIR" | grep -v -e '^everypc-list-build$' -e '^everypc-replay-build$' \
         -e '^everypc-chance-build$' || true)
  [ -z "$left" ] || fail "left behind in TMPDIR: $left"
  echo "ok: 60 concurrent runs succeeded, no planted symlink followed, nothing left" ;;
fds)
  out=$tmp/o
  "$everypc" sweep --workload "$workload" --func main.push,main.sum --arch "$arch" \
    --action preempt,preempt-gc --jobs 2 --no-progress --out "$out" >"$tmp/log" 2>&1 &
  rig=$!
  pids=$rig
  seen=0 tries=0
  while [ $tries -lt 400 ] && kill -0 $rig 2>/dev/null; do
    tries=$((tries + 1))
    for q in $(pgrep -f "$TMPDIR/everypc-" || true); do
      case $(readlink "/proc/$q/exe" 2>/dev/null) in
      *qemu-*) ;;
      *) continue ;;
      esac
      list=
      for f in /proc/$q/fd/*; do
        [ -e "$f" ] || [ -L "$f" ] || continue
        n=${f##*/} to=$(readlink "$f" 2>/dev/null) || continue
        list="$list $n->$to"
        case $n:$to in
        0:"$out"* | 1:"$out"* | 2:"$out"*) fail "QEMU $q: stdio fd $n is the sweep's $to" ;;
        [012]:*) ;;
        *:socket:*) ;;
        *) fail "QEMU $q holds fd $n -> $to (all:$list)" ;;
        esac
      done
      [ -n "$list" ] && seen=$((seen + 1))
    done
    [ $seen -ge 5 ] && break
    sleep 0.05
  done
  wait $rig; rc=$?; pids=
  [ $seen -gt 0 ] || { cat "$tmp/log"; fail "no QEMU of the sweep was seen (sweep exited $rc)"; }
  [ $rc -eq 0 ] || { cat "$tmp/log"; fail "the sweep exited $rc"; }
  echo "ok: $seen looks at QEMU's descriptors: stdio and sockets only" ;;
stale)
  # a sweep killed outright, rig and workers: its socket directories stay
  setsid "$everypc" sweep --workload "$workload" --func main.push --arch "$arch" \
    --action preempt --jobs 2 --no-progress --out "$tmp/o" >"$tmp/log" 2>&1 &
  rig=$!
  pids=$rig
  # before its first QEMU the sweep builds the workload and runs `go run`
  # for the reference (cold caches in a clean clone, a loaded CI machine):
  # up to 90 s
  i=0
  until ls -d "$TMPDIR"/everypc-*-* >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -lt 1800 ] || fail "the sweep made no socket directory in 90 s"
    sleep 0.05
  done
  kill -KILL -- -$rig 2>/dev/null || kill -KILL $rig
  wait $rig 2>/dev/null; pids=
  sleep 0.5
  ndead=$(ls -d "$TMPDIR"/everypc-*-* 2>/dev/null | wc -l)
  [ "$ndead" -gt 0 ] || fail "no socket directory was left by the killed sweep"
  # others that must stay: a live process's, an old-style name, a symlink
  # to a directory named like a dead process's
  sleep 60 &
  live=$!
  pids=$live
  mkdir "$TMPDIR/everypc-$live-AbC123" "$TMPDIR/everypc-AbC123" "$tmp/outside"
  touch "$tmp/outside/keep"
  sh -c 'exit 0' & dead=$!; wait $dead
  ln -s "$tmp/outside" "$TMPDIR/everypc-$dead-XyZ789"
  "$everypc" list "$workload" --arch "$arch" --func main.push >/dev/null || fail "list failed"
  left=$(cd "$TMPDIR" && ls -d everypc-* | sort | tr '\n' ' ')
  want=$(printf '%s\n' "everypc-$live-AbC123" "everypc-AbC123" "everypc-$dead-XyZ789" | sort | tr '\n' ' ')
  [ "$left" = "$want" ] || fail "TMPDIR holds '$left', expected '$want'"
  [ -f "$tmp/outside/keep" ] || fail "the symlink's target was touched"
  echo "ok: $ndead stale directories of the killed sweep removed at the next start" ;;
longtmp)
  scenario >"$tmp/s.json"
  long=$tmp/t
  while [ ${#long} -lt 71 ]; do long=${long}d; done
  mkdir "$long" || fail "mkdir $long"
  TMPDIR=$long "$everypc" replay "$tmp/s.json" >"$tmp/replay" 2>&1 ||
    { cat "$tmp/replay"; fail "replay with a ${#long}-byte TMPDIR failed"; }
  grep -q "^identical outcome" "$tmp/replay" || { cat "$tmp/replay"; fail "no identical outcome"; }
  mkdir "${long}d" || fail "mkdir ${long}d"
  TMPDIR=${long}d "$everypc" replay "$tmp/s.json" >"$tmp/replay" 2>&1; rc=$?
  [ $rc -eq 2 ] || { cat "$tmp/replay"; fail "a 72-byte TMPDIR: exit $rc, expected 2"; }
  grep -q "${long}d: temporary directory path too long for a unix socket (72 bytes, at most 71" \
    "$tmp/replay" || { cat "$tmp/replay"; fail "no one-line error naming TMPDIR"; }
  grep -q "did not accept" "$tmp/replay" && fail "waited for the stub instead of refusing"
  echo "ok: a 71-byte TMPDIR replays, a 72-byte one is refused at once" ;;
*) fail "unknown mode $mode" ;;
esac
