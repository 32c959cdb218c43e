#!/bin/sh
# incremental_mutant.sh QEMU GOSUB ARCH GOFILE EXPECTED MUTANT -- an
# incremental-collector mutant (runtime/lib/CMakeLists.txt
# EVERYPC_GC_MUTANTS) is caught by a workload run under
# EVERYPC_DEBUG=gc=incremental,markstress,verify: the workload built with
# the correct runtime prints EXPECTED (what `go run` prints) and exits 0,
# the same workload built with `gosub -mutant MUTANT` does not (other
# output, a throw, or no end within 60 s); the correct run's counters
# (EVERYPC_DEBUG=report) show that cycles ended and barriers were taken, so
# the mode really ran. Either half failing fails.
set -u
qemu=$1 gosub=$2 arch=$3 gofile=$4 expected=$5 mutant=$6
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
EVERYPC_DEBUG=gc=incremental,markstress,verify,report
export EVERYPC_DEBUG
for build in correct "$mutant"; do
  if [ "$build" = correct ]; then
    "$gosub" -arch "$arch" -o "$tmp/w.elf" "$gofile" || { echo "FAIL: gosub $gofile"; exit 1; }
  else
    "$gosub" -arch "$arch" -mutant "$mutant" -o "$tmp/w.elf" "$gofile" ||
      { echo "FAIL: gosub -mutant $mutant $gofile"; exit 1; }
  fi
  status=0
  timeout 60 "$qemu" "$tmp/w.elf" >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
  if [ "$status" -eq 0 ] && cmp -s "$tmp/stderr" "$expected"; then
    caught=0
  else
    caught=1
  fi
  if [ "$build" = correct ] && [ "$caught" -eq 1 ]; then
    echo "FAIL: the correct runtime (status $status) does not print $expected:"
    head -5 "$tmp/stderr"; exit 1
  fi
  if [ "$build" = correct ] &&
     ! grep -Eq " gc [1-9][0-9]* slices [1-9][0-9]* barriers [1-9]" "$tmp/stdout"; then
    echo "FAIL: no incremental cycle ended or no barrier was taken: $(cat "$tmp/stdout")"; exit 1
  fi
  if [ "$build" != correct ] && [ "$caught" -eq 0 ]; then
    echo "FAIL: mutant $mutant not caught: status 0 and the expected output"; exit 1
  fi
done
echo "ok: $mutant caught on $arch by $(basename "$gofile") (status $status: $(head -c 160 "$tmp/stderr" | head -1))"
