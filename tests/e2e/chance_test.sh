#!/bin/sh
# chance_test.sh EVERYPC ARCH WORKLOAD CALL RUNS -- `everypc chance` on the
# correct runtime: every run is made and reported, the interrupts really
# stop the program and inject (some call accepted or refused), and nothing
# is "caught" (a catch on the correct runtime is a false alarm: a bug in the
# runtime's debug-call entry or in chance itself). Also: a call naming no
# function is an error naming it.
set -u
everypc=$1 arch=$2 workload=$3 call=$4 runs=$5
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; cat "$tmp/log"; exit 1; }

# The interrupts land at random moments of the reference run's length, so
# a run may end before its first one ("no call made"): seeds 1, 2, ... are
# tried until a sweep of RUNS runs has made a call (at most 4), each of them
# held to every check.
made=0 seed=1
while [ $made -eq 0 ] && [ $seed -le 4 ]; do
	TMPDIR=$tmp "$everypc" chance "$workload" --arch "$arch" --inject "$call" \
		--runs "$runs" --seed $seed >"$tmp/log" 2>&1 || fail "chance exited $?"
	cat "$tmp/log"
	n=$(grep -c '^run [0-9]*:' "$tmp/log")
	[ "$n" -eq "$runs" ] || fail "$n run lines, expected $runs"
	last=$(tail -1 "$tmp/log")
	echo "$last" | grep -q "^chance: caught 0/$runs runs" || fail "false alarm on the correct runtime"
	acc=$(echo "$last" | sed -n 's/.*calls accepted \([0-9]*\), refused \([0-9]*\).*/\1 \2/p')
	set -- $acc
	[ $# -eq 2 ] || fail "no summary of the calls"
	made=$(($1 + $2))
	seed=$((seed + 1))
done
[ $made -gt 0 ] || fail "no call was ever injected in $((seed - 1)) x $runs runs"

TMPDIR=$tmp "$everypc" chance "$workload" --arch "$arch" --inject 'main.nosuch(1)' \
	--runs 1 >"$tmp/log" 2>&1
rc=$?
[ $rc -eq 2 ] || fail "a call to a missing function exited $rc, expected 2"
grep -q "no function main.nosuch" "$tmp/log" || fail "the error does not name main.nosuch"
echo "ok: $runs runs, no false alarm; bad call rejected"
