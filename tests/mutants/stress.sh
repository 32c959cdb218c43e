#!/bin/sh
# stress.sh -- the baseline the rig is compared with: the runtime's own
# timer-driven stress mode (EVERYPC_DEBUG=stress=N: a SIGALRM N us of real
# time after the previous one was dealt with preempts the running goroutine
# wherever it is, when that is an asynchronous safe point, and collects),
# run directly under qemu-<arch>
# with a fixed budget of runs per mutant x arch. A run executes every
# workload of the suite once; it catches the mutant when some workload's
# output (stderr) differs from its NAME.out or its exit status is not 0.
#
# The incremental collector's mutants (--gc-mutants; list them in --mutants
# too) bend only a marking cycle: their rows, and a control row of the
# correct runtime before them, run the same timer stress with the
# incremental collector, EVERYPC_DEBUG=stress=N,gc=incremental (cycles
# started by the allocation trigger and marked in slices between the
# goroutines, the barrier on while they mark).
#
# Timer stress never injects a call, so the debug-call mutants (--dc-mutants;
# list them in --mutants too for their timer-stress rows) also get the
# by-chance way of testing calls, `everypc chance` (rig/chance.h): run the program, interrupt it at a random moment as ^C does,
# inject the call wherever it is, compare the call's answer, the output and
# the exit status with the correct runtime's; same budget of runs.
#
#   stress.sh --gosub BIN --suite SUITE.json --out DIR --table FILE
#             --mutants "m1 m2 ..." --qemu-amd64 Q --qemu-arm64 Q
#             --qemu-riscv64 Q [--arches "amd64 arm64 riscv64"]
#             [--runs N] [--period US] [--timeout S] [--gc-mutants "g1 ..."]
#             [--everypc BIN --dc-mutants "d1 ..." --chance WORKLOAD.go
#              --chance-inject 'main.f(1)']
#
# Invariants:
# STR-1 Every mutant x arch gets exactly --runs runs (no early stop), so
#       "runs that caught" is a rate over a fixed budget; "runs to 1st" is
#       the index of the first catching run, "-" when none did.
# STR-2 The correct runtime gets the same budget first (the control row):
#       a stress "catch" there would be a false alarm and is reported.
# STR-3 Stress mode (and `everypc chance`) depends on real time: two invocations give different
#       numbers. Nothing here is an oracle of the test suite; the script
#       exits 0 whatever it measures, and 2 only when it cannot run.
set -u

die() { echo "stress.sh: $*" >&2; exit 2; }

gosub="" suite="" out="" table="" mutants="" arches="amd64 arm64 riscv64"
runs=10 period=100 timeout=60 q_amd64="" q_arm64="" q_riscv64=""
everypc="" dc_mutants="" chance="" chance_inject="" gc_mutants=""
while [ $# -gt 0 ]; do
	case "$1" in
	--gosub) gosub=$2; shift 2 ;;
	--suite) suite=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--table) table=$2; shift 2 ;;
	--mutants) mutants=$2; shift 2 ;;
	--arches) arches=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--period) period=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--qemu-amd64) q_amd64=$2; shift 2 ;;
	--qemu-arm64) q_arm64=$2; shift 2 ;;
	--qemu-riscv64) q_riscv64=$2; shift 2 ;;
	--everypc) everypc=$2; shift 2 ;;
	--dc-mutants) dc_mutants=$2; shift 2 ;;
	--chance) chance=$2; shift 2 ;;
	--chance-inject) chance_inject=$2; shift 2 ;;
	--gc-mutants) gc_mutants=$2; shift 2 ;;
	*) die "unknown argument $1" ;;
	esac
done
[ -x "$gosub" ] || die "--gosub: not an executable: $gosub"
[ -r "$suite" ] || die "--suite: cannot read $suite"
[ -n "$out" ] && [ -n "$table" ] && [ -n "$mutants" ] || die "--out, --table and --mutants are required"
mkdir -p "$out" || die "cannot create $out"
if [ -n "$dc_mutants" ]; then
	[ -x "$everypc" ] || die "--dc-mutants needs --everypc BIN"
	[ -r "$chance" ] && [ -n "$chance_inject" ] || die "--dc-mutants needs --chance WORKLOAD.go and --chance-inject CALL"
fi

# The suite's workloads, relative to the suite file, each once, per arch:
# a sweep that names its own "arches" (temps6.go: arm64 and riscv64 only,
# gosub refuses it on amd64) counts only for those.
suitedir=$(dirname "$suite")
workloads_of() {
	python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
a = sys.argv[2]
print("\n".join(sorted({w["workload"] for w in s["sweeps"]
                         if a in w.get("arches", s.get("arches", [a]))})))' "$suite" "$1" ||
		die "cannot read the workloads of $suite"
}
for a in $arches; do
	[ -n "$(workloads_of "$a")" ] || die "$suite names no workloads for $a"
done

qemu_of() {
	case "$1" in
	amd64) echo "$q_amd64" ;;
	arm64) echo "$q_arm64" ;;
	riscv64) echo "$q_riscv64" ;;
	esac
}

# build ARCH MUTANT: every workload into $out/ARCH/MUTANT/NAME.elf
build() {
	dir="$out/$1/$2"
	mkdir -p "$dir"
	for w in $(workloads_of "$1"); do
		name=$(basename "$w" .go)
		if [ "$2" = - ] || [ "$2" = + ]; then
			"$gosub" -arch "$1" -o "$dir/$name.elf" "$suitedir/$w" ||
				die "gosub -arch $1 $w failed"
		else
			"$gosub" -arch "$1" -mutant "$2" -o "$dir/$name.elf" "$suitedir/$w" ||
				die "gosub -arch $1 -mutant $2 $w failed"
		fi
	done
}

# debug_of MUTANT: the EVERYPC_DEBUG of its runs ("+" is the incremental
# collector's control row).
debug_of() {
	case " + $gc_mutants " in
	*" $1 "*) echo "stress=$period,gc=incremental" ;;
	*) echo "stress=$period" ;;
	esac
}

# one_run ARCH MUTANT: 0 when every workload ran as go run does; else 1
# and the first difference in $out/ARCH/MUTANT/why.
one_run() {
	dir="$out/$1/$2" q=$(qemu_of "$1") dbg=$(debug_of "$2")
	for w in $(workloads_of "$1"); do
		name=$(basename "$w" .go)
		EVERYPC_DEBUG=$dbg timeout "$timeout" "$q" "$dir/$name.elf" \
			>"$dir/stdout" 2>"$dir/stderr"
		st=$?
		if [ $st -ne 0 ] || ! cmp -s "$dir/stderr" "$suitedir/${w%.go}.out"; then
			line=$(diff "$suitedir/${w%.go}.out" "$dir/stderr" |
				sed -n 's/^> //p' | head -1)
			echo "$name.go: exit $st: ${line:-(output cut short)}" >"$dir/why"
			return 1
		fi
	done
	return 0
}

# row ARCH MUTANT: run the budget, print one table row (STR-1).
row() {
	build "$1" "$2"
	first="-" caught=0 i=1 why="-"
	while [ $i -le "$runs" ]; do
		if ! one_run "$1" "$2"; then
			caught=$((caught + 1))
			if [ "$first" = - ]; then
				first=$i
				why=$(tr '|' '/' <"$out/$1/$2/why" | cut -c1-100)
			fi
		fi
		i=$((i + 1))
	done
	yes=no
	[ $caught -gt 0 ] && yes=yes
	how="timer stress"
	[ "$(debug_of "$2")" = "stress=$period" ] || how="timer stress, gc=incremental"
	label=$2
	[ "$2" = + ] && label="- (incremental)"
	echo "| $label | $1 | $how | $yes | $first | $caught/$runs | $why |"
}

# chance_row ARCH MUTANT: `everypc chance` over the same budget, one row.
chance_row() {
	log="$out/$1/chance-$2.log"
	mkdir -p "$out/$1"
	if [ "$2" = - ]; then
		TMPDIR="$out/$1" "$everypc" chance "$chance" --arch "$1" --inject "$chance_inject" \
			--runs "$runs" --timeout "$timeout" >"$log" 2>&1
	else
		TMPDIR="$out/$1" "$everypc" chance "$chance" --arch "$1" --inject "$chance_inject" \
			--mutant "$2" --runs "$runs" --timeout "$timeout" >"$log" 2>&1
	fi || die "everypc chance $1 $2 failed: $(tail -1 "$log")"
	last=$(tail -1 "$log")
	caught=$(echo "$last" | sed -n 's/^chance: caught \([0-9]*\)\/.*/\1/p')
	[ -n "$caught" ] || die "everypc chance $1 $2: no summary in $log"
	first=$(echo "$last" | sed -n 's/.*; first at run \([-0-9]*\).*/\1/p')
	why=$(echo "$last" | sed -n 's/.*; first at run [0-9]*: \(.*\); calls accepted.*/\1/p' |
		tr '|' '/' | cut -c1-100)
	calls=$(echo "$last" | sed -n 's/.*; calls accepted \([0-9]*\), refused \([0-9]*\).*/\1 of \1+\2 calls accepted/p')
	yes=no
	[ "$caught" -gt 0 ] && yes=yes
	echo "| $2 | $1 | interrupt + inject ($calls) | $yes | $first | $caught/$runs | ${why:--} |"
}

{
	echo "| mutant | arch | by-chance method | caught | runs to 1st | runs that caught | first difference |"
	echo "|---|---|---|---|---|---|---|"
} >"$table"
control="-"
[ -z "$gc_mutants" ] || control="- +"
for m in $control $mutants; do
	for a in $arches; do
		[ -n "$(qemu_of "$a")" ] || die "no QEMU for $a (--qemu-$a)"
		row "$a" "$m" >>"$table"
	done
done
if [ -n "$dc_mutants" ]; then
	for m in - $dc_mutants; do
		for a in $arches; do
			chance_row "$a" "$m" >>"$table"
		done
	done
fi
{
	echo
	echo "timer stress: EVERYPC_DEBUG=stress=$period (the incremental collector's rows: stress=$period,gc=incremental), $runs runs per mutant x arch, one run = every workload of $suite once"
	[ -z "$dc_mutants" ] ||
		echo "interrupt + inject: everypc chance $chance --inject '$chance_inject', $runs runs per mutant x arch, one run = one program run, interrupted until a call is accepted (at most 16 times)"
} >>"$table"
cat "$table"
exit 0
