#!/bin/sh
# matrix.sh -- the mutation matrix: sweep a suite against every seeded
# runtime mutant and tabulate, per mutant x arch, whether the rig caught it,
# after how many cases, and where (the first failing case).
#
#   matrix.sh --everypc BIN --out DIR --table FILE --mutants "m1 m2 ..."
#             [--suite SUITE.json] [--combined SUITE.json]
#             [--arches "amd64 arm64 riscv64"] [--jobs N] [--control]
#             [--expect "m1=oracle m2=oracle ..."]
#
# Two ways to run:
#   --suite S      one sweep of S per mutant (`everypc sweep S --mutant M`):
#                  the full matrix over the default suite;
#   --combined S   one sweep of S whose sweeps name their own "mutant"
#                  (scenarios/mutants.json): the reduced matrix.
# --control also sweeps --suite on the correct runtime first and requires
# zero failures there (a mutant "caught" by a suite that fails anyway
# proves nothing). --expect names the oracle that must catch a mutant
# first (MTX-4).
#
# Invariants:
# MTX-1 A mutant x arch is "caught" only by an oracle failure (baseline:
#       the output is not the reference (rig/reference.h), verdict,
#       liveness, registers, shrink, outcome, throw, crash, hang); "setup"
#       failures (the build or the baseline iteration failed) are errors of
#       the matrix, never catches.
# MTX-2 "cases to 1st" counts that arch's cases of that mutant in the
#       journal's canonical order (SWP-1) up to and including the first
#       failing one, so it is the same on every run and every --jobs.
# MTX-3 Exit 0 only when every mutant listed is caught on every arch listed
#       (and, with --control, the correct runtime passed every case).
# MTX-4 A mutant given in --expect must be caught first, on every arch, by
#       the oracle given there (its first failing case's check): a mutant
#       planted for one oracle and caught by another does not show that
#       oracle's power.
set -u

die() { echo "matrix.sh: $*" >&2; exit 2; }

everypc="" out="" table="" mutants="" suite="" combined=""
arches="amd64 arm64 riscv64" jobs=2 control=0 expect=""
while [ $# -gt 0 ]; do
	case "$1" in
	--everypc) everypc=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--table) table=$2; shift 2 ;;
	--mutants) mutants=$2; shift 2 ;;
	--suite) suite=$2; shift 2 ;;
	--combined) combined=$2; shift 2 ;;
	--arches) arches=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--control) control=1; shift ;;
	--expect) expect=$2; shift 2 ;;
	*) die "unknown argument $1" ;;
	esac
done
[ -x "$everypc" ] || die "--everypc: not an executable: $everypc"
[ -n "$out" ] && [ -n "$table" ] && [ -n "$mutants" ] || die "--out, --table and --mutants are required"
[ -n "$suite" ] || [ -n "$combined" ] || die "give --suite or --combined"
mkdir -p "$out" || die "cannot create $out"
archlist=$(echo "$arches" | tr ' ' ',')

# sweep NAME SUITE [everypc args...]: journal in $out/NAME; prints seconds.
sweep() {
	name=$1 file=$2
	shift 2
	rm -rf "${out:?}/$name"
	t0=$(date +%s)
	"$everypc" sweep "$file" --arch "$archlist" --jobs "$jobs" --no-progress \
		--out "$out/$name" "$@" >"$out/$name.log" 2>&1
	rc=$?
	t1=$(date +%s)
	echo "$rc $((t1 - t0))"
}

# rows JOURNAL MUTANT ARCH SECONDS: one table row from a journal (MTX-1/2).
row() {
	awk -v want_m="$2" -v want_a="$3" -v secs="$4" '
	function field(k,   re, s) {
		re = "\"" k "\":(\"[^\"]*\"|[-0-9]+|null)"
		if (!match($0, re)) return ""
		s = substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3)
		gsub(/"/, "", s)
		return s
	}
	{
		m = field("mutant"); if (m == "null") m = "-"
		if (m != want_m || field("arch") != want_a) next
		n++
		if (field("result") != "fail") next
		c = field("check")
		if (c == "setup") { setup++; next }
		fails++
		if (first) next
		first = n
		where = field("workload") " " field("func") "+" field("offset") \
			" pc " field("pc") " line " field("line") " " field("action") \
			" hit " field("hit") ": " c
	}
	END {
		caught = fails ? "yes" : (setup ? "ERROR (setup)" : "no")
		printf "| %s | %s | %s | %d | %s | %d | %s | %s |\n", want_m, want_a,
			caught, n, first ? first : "-", fails, first ? where : "-",
			secs
	}' "$1"
}

header() {
	echo "| mutant | arch | caught | cases | cases to 1st failure | failures | first failure (workload func+offset, pc, line, action, hit: oracle) | s |"
	echo "|---|---|---|---|---|---|---|---|"
}

: >"$out/rows"
status=0
if [ "$control" = 1 ] && [ -n "$suite" ]; then
	# shellcheck disable=SC2046 # split into words on purpose
	set -- $(sweep control "$suite")
	for a in $arches; do
		row "$out/control/journal.jsonl" - "$a" "$2" >>"$out/rows"
	done
	[ "$1" = 0 ] || { echo "matrix.sh: the correct runtime fails the suite (see $out/control.log)" >&2; status=1; }
fi
if [ -n "$suite" ]; then
	for m in $mutants; do
		# shellcheck disable=SC2046 # split into words on purpose
		set -- $(sweep "$m" "$suite" --mutant "$m")
		for a in $arches; do
			row "$out/$m/journal.jsonl" "$m" "$a" "$2" >>"$out/rows"
		done
	done
else
	# shellcheck disable=SC2046 # split into words on purpose
	set -- $(sweep reduced "$combined")
	for m in $mutants; do
		for a in $arches; do
			row "$out/reduced/journal.jsonl" "$m" "$a" "$2" >>"$out/rows"
		done
	done
fi

{
	header
	cat "$out/rows"
} >"$table"
cat "$table"

# MTX-3: every listed mutant caught on every listed arch; the control row
# (mutant "-") must have no failures at all.
bad=$(awk -F' [|] ' '($1 != "| -" && $3 != "yes") || ($1 == "| -" && $6 != 0) { print $1 " " $2 }' "$out/rows")
if [ -n "$bad" ]; then
	echo "matrix.sh: not caught (or control failed):" >&2
	echo "$bad" | sed 's/^| /  /' >&2
	status=1
fi
# MTX-4: the first failure's oracle is the last word of its column.
for e in $expect; do
	m=${e%%=*} want=${e#*=}
	[ "$m" != "$e" ] && [ -n "$want" ] || die "--expect: '$e' is not MUTANT=ORACLE"
	case " $mutants " in *" $m "*) ;; *) continue ;; esac
	for a in $arches; do
		got=$(awk -F' [|] ' -v m="| $m" -v a="$a" '$1 == m && $2 == a {
			n = split($7, w, ": "); print (n > 1 ? w[n] : "-") }' "$out/rows")
		if [ "$got" != "$want" ]; then
			echo "matrix.sh: $m on $a: first caught by '${got:--}', expected '$want' (MTX-4)" >&2
			status=1
		fi
	done
done
exit $status
