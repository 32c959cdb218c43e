#!/bin/sh
# smoke_test.sh BENCH_PY BUILD: bench.py --smoke prints every table
# of the cost model, each row well formed (CTest bench.smoke).
set -eu
out=$("$1" --build "$2" --smoke) || { echo "bench.py --smoke failed" >&2; exit 1; }
printf '%s\n' "$out"
fail() { echo "bench.smoke: $*" >&2; exit 1; }
num='[0-9][0-9.]*'
printf '%s\n' "$out" | grep -Eq "^cost amd64 +preempt +$num +$num +$num +$num +$num +$num +$num%" \
  || fail "no cost row for amd64 preempt"
printf '%s\n' "$out" | grep -Eq "^requests amd64 +preempt +$num cases +$num/case: .*\bc $num" \
  || fail "no requests row with c"
printf '%s\n' "$out" | grep -Eq "^stops +amd64 +preempt +$num cases +$num/case: c>T05 $num" \
  || fail "no stops row with c>T05"
for k in p g m8 m256 M4 "Z0\\+z0" c C10 s; do
  printf '%s\n' "$out" | grep -Eq "^rt $k +$num +$num +-?$num " || fail "no round trip row for $k"
done
for k in "z0\\+Z0;c" "s;c"; do
  printf '%s\n' "$out" | grep -Eq "^flush $k( +$num){7}( +-?$num){2}$" || fail "no flush row for $k"
done
for k in any-cpu one-cpu any-cpu-1w one-cpu-1w; do
  printf '%s\n' "$out" | grep -Eq "^pingpong $k +$num +$num$" || fail "no pingpong row for $k"
done
echo "bench.smoke: ok"
