#!/bin/sh
# record.sh -- (re)write scenarios/recorded/ from a mutation-matrix run:
# for each mutant, the first failing case of its sweep (canonical journal
# order, "setup" failures skipped), as the rig wrote it, into
# RECORDED/<mutant>.json, plus RECORDED/<mutant>.correct.json: the same
# case with "mutant": null and the build-id of the correct runtime's build
# (replayed by the test suite: it must pass there).
#
#   record.sh --everypc BIN --matrix DIR --recorded DIR --mutants "m1 ..."
#
# DIR is matrix.sh's --out: DIR/<mutant>/ (full matrix) or DIR/reduced/
# (reduced matrix) holds journal.jsonl and scenarios/. Re-run this after any
# change to gosub, the runtime or a workload: replay refuses a scenario
# whose build-id no longer matches what the build produces.
set -u

die() { echo "record.sh: $*" >&2; exit 2; }

everypc="" matrix="" recorded="" mutants=""
while [ $# -gt 0 ]; do
	case "$1" in
	--everypc) everypc=$2; shift 2 ;;
	--matrix) matrix=$2; shift 2 ;;
	--recorded) recorded=$2; shift 2 ;;
	--mutants) mutants=$2; shift 2 ;;
	*) die "unknown argument $1" ;;
	esac
done
[ -x "$everypc" ] || die "--everypc: not an executable: $everypc"
[ -d "$matrix" ] && [ -n "$recorded" ] && [ -n "$mutants" ] || die "--matrix, --recorded and --mutants are required"
mkdir -p "$recorded" || die "cannot create $recorded"

# first_failure JOURNAL MUTANT: "arch workload func offset action hit"
first_failure() {
	awk -v want="$2" '
	function field(k,   re, s) {
		re = "\"" k "\":(\"[^\"]*\"|[-0-9]+|null)"
		if (!match($0, re)) return ""
		s = substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3)
		gsub(/"/, "", s)
		return s
	}
	field("mutant") == want && field("result") == "fail" && field("check") != "setup" {
		print field("arch"), field("workload"), field("func"), field("offset"),
		      field("action"), field("hit")
		exit
	}' "$1"
}

# line_index ELF FUNC PC: PC's position (0, 1, ...) among the instructions
# `everypc list` shows under its source line's header.
line_index() {
	"$everypc" list "$1" --func "$2" | awk -v pc="$3" '
	/^[^ ][^ ]*:[0-9]+(\t|$)/ { k = 0; next }
	$1 ~ /^0x/ { if ($1 == pc) { print k; exit } k++ }'
}

# nth_of_line WORKLOAD ARCH FUNC FILE:LINE K: "pc offset" of the K-th
# instruction under the first header of FILE:LINE (the last when fewer).
nth_of_line() {
	"$everypc" list "$1" --arch "$2" --func "$3" | awk -v hdr="$4" -v k="$5" '
	/^[^ ][^ ]*:[0-9]+(\t|$)/ { if (inl) exit; h = $0; sub(/\t.*/, "", h); inl = (h == hdr); n = 0; next }
	inl && $1 ~ /^0x/ { split($2, a, "+"); pc = $1; off = a[2]; if (n++ == k) { print pc, off; found = 1; exit } }
	END { if (!found && pc != "") print pc, off }'
}

for m in $mutants; do
	dir="$matrix/$m"
	[ -f "$dir/journal.jsonl" ] || dir="$matrix/reduced"
	[ -f "$dir/journal.jsonl" ] || die "no journal for $m under $matrix"
	# shellcheck disable=SC2046 # split into words on purpose
	set -- $(first_failure "$dir/journal.jsonl" "$m")
	[ $# -eq 6 ] || die "$m: no failing case in $dir/journal.jsonl"
	arch=$1 wl=$2 fn=$3 off=$4 action=$5 hit=$6
	src="$dir/scenarios/$arch-$wl-$m-$fn+$off-$action-h$hit.json"
	[ -f "$src" ] || die "$m: scenario $src missing"
	cp "$src" "$recorded/$m.json" || die "cannot write $recorded/$m.json"
	# The correct runtime's build-id for the same workload and arch.
	workload=$(sed 's/.*"workload":"\([^"]*\)".*/\1/' "$src")
	bid=$("$everypc" list "$workload" --arch "$arch" --func "$fn" | head -1 |
		sed -n 's/.* build-id \([0-9a-f]*\)$/\1/p')
	[ -n "$bid" ] || die "$m: cannot get the build-id of $workload for $arch"
	# A compiler mutant that changes the code (wb-escaped-skip) moves the
	# PCs: the correct case is the instruction at the same position among
	# those of the same source line (its first block; the last one when
	# the line is shorter there).
	pc=$(sed 's/.*"pc":"\(0x[0-9a-f]*\)".*/\1/' "$src")
	newpc=$pc newoff=$off
	melf="$dir/build/$arch/$(basename "$wl" .go).$m.elf"
	if [ -f "$melf" ]; then
		k=$(line_index "$melf" "$fn" "$pc")
		set -- $(nth_of_line "$workload" "$arch" "$fn" "$(basename "$wl"):$(sed 's/.*"line":\([0-9]*\).*/\1/' "$src")" "$k")
		[ $# -eq 2 ] || die "$m: no instruction of that line in the correct build"
		newpc=$1 newoff=$2
	fi
	sed -e "s/\"mutant\":\"$m\"/\"mutant\":null/" \
	    -e "s/\"build_id\":\"[0-9a-f]*\"/\"build_id\":\"$bid\"/" \
	    -e "s/\"pc\":\"$pc\"/\"pc\":\"$newpc\"/" \
	    -e "s/\"offset\":$off,/\"offset\":$newoff,/" \
	    "$src" >"$recorded/$m.correct.json" || die "cannot write $recorded/$m.correct.json"
	echo "record.sh: $m: $arch $wl $fn+$off $action hit $hit"
done

# The reduced programs: the same failure, found again in the new build.
for json in "$recorded"/reduced-*.json; do
	[ -f "$json" ] || continue
	get() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",]*\).*/\1/p" "$json"; }
	wl=$(get workload) arch=$(get arch) fn=$(get func) m=$(get mutant)
	action=$(get action) line=$(get line) check=$(get check)
	out=$(mktemp -d) || die "mktemp"
	"$everypc" sweep --workload "$wl" --func "$fn" --arch "$arch" \
		--action "$action" --mutant "$m" --no-progress -o "$out" >/dev/null 2>&1
	src=$(awk -v line="$line" -v check="$check" '
		index($0, "\"line\":" line ",") && index($0, "\"check\":\"" check "\"") {
			match($0, /"offset":[0-9]+/)
			print substr($0, RSTART + 9, RLENGTH - 9); exit
		}' "$out/journal.jsonl")
	[ -n "$src" ] || die "$json: no $check failure on line $line any more"
	src=$(ls "$out"/scenarios/*"-$fn+$src-$action-h"*.json | head -n 1)
	cp "$src" "$json" || die "cannot write $json"
	rm -rf "$out"
	echo "record.sh: $(basename "$json"): $arch $fn line $line"
done
