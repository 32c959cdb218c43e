#!/bin/sh
# replay.sh -- check a recorded scenario with `everypc replay`.
#
#   replay.sh EVERYPC FILE identical   FILE records a failure of a mutant:
#                                      the replay must fail the same way
#                                      ("identical outcome", exit 0).
#   replay.sh EVERYPC FILE correct     FILE is the same case with
#                                      "mutant": null (and the correct
#                                      runtime's build-id), still carrying
#                                      the mutant's failure as "observed":
#                                      the replay must now pass, so replay
#                                      says "DIFFERENT outcome" (exit 1)
#                                      and its observed line reads "pass".
#
# Replay builds under $TMPDIR/everypc-replay-build; CTest gives each test
# its own TMPDIR, so parallel replays never share a build.
set -u
everypc=$1 file=$2 mode=$3
log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT

"$everypc" replay "$file" >"$log" 2>&1
st=$?
cat "$log"
if grep -q "differs from the recorded" "$log"; then
	echo "FAIL: $file was recorded with another build (gosub, runtime, workload or"
	echo "      the build directory changed): re-record scenarios/recorded with"
	echo "      tests/mutants/record.sh (see its header)"
	exit 1
fi
case "$mode" in
identical)
	if [ $st -eq 0 ] && grep -qx "identical outcome" "$log"; then
		echo "ok: $file fails identically on replay"
		exit 0
	fi
	echo "FAIL: $file did not replay to the identical outcome (exit $st)"
	exit 1 ;;
correct)
	if [ $st -eq 1 ] && grep -qx "DIFFERENT outcome" "$log" &&
	   grep -Eq '^  observed: [a-z]+ pass$' "$log"; then
		echo "ok: $file passes on the correct runtime"
		exit 0
	fi
	echo "FAIL: $file did not pass on the correct runtime (exit $st)"
	exit 1 ;;
*)
	echo "replay.sh: mode must be identical or correct" >&2
	exit 2 ;;
esac
