#!/bin/sh
# run_guest.sh QEMU ELF EXPECTED STATUS WHAT [EVERYPC_DEBUG]
# Run a guest test program under QEMU and check its exit status and its
# stderr (where the runtime prints) against EXPECTED:
#   WHAT = all      the whole output equals EXPECTED
#   WHAT = all*N    the output is EXPECTED repeated N times (persistent mode)
#   WHAT = line:K   the first output line equals line K of EXPECTED (panics:
#                   only Go's first line is compared)
# Nothing may be written to stdout.
set -u
qemu=$1 elf=$2 expected=$3 want_status=$4 what=$5 debug=${6:-}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
EVERYPC_DEBUG=$debug "$qemu" "$elf" >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
if [ "$status" -ne "$want_status" ]; then
  echo "FAIL: $elf exited with status $status, want $want_status"; cat "$tmp/stderr"; exit 1
fi
if [ -s "$tmp/stdout" ]; then
  echo "FAIL: $elf wrote to stdout"; exit 1
fi
case $what in
all) cp "$expected" "$tmp/want" ;;
all\*[0-9]*)
  n=${what#all\*}; : >"$tmp/want"
  while [ "$n" -gt 0 ]; do cat "$expected" >>"$tmp/want"; n=$((n - 1)); done ;;
line:[0-9]*)
  sed -n "${what#line:}p" "$expected" >"$tmp/want"
  head -n 1 "$tmp/stderr" >"$tmp/got"; mv "$tmp/got" "$tmp/stderr" ;;
*) echo "run_guest.sh: bad WHAT '$what'"; exit 1 ;;
esac
if ! cmp -s "$tmp/stderr" "$tmp/want"; then
  echo "FAIL: $elf output differs from $expected ($what):"; diff "$tmp/want" "$tmp/stderr" | head -20; exit 1
fi
echo "ok: $elf ($what, status $status${debug:+, EVERYPC_DEBUG=$debug})"
