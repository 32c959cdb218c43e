#!/usr/bin/env bash
# install_test.sh SRC BUILD ARCHES -- the installed rig works alone (issue 15
# item 6; ARCHES: the built target arches, comma-separated):
#  1. `cmake --install BUILD --prefix P`, P in a fresh $TMPDIR directory;
#     the layout: bin/everypc, bin/gosub, bin/gosub-gen, lib/everypc/runtime/ARCH/libeprt.a
#     and each mutant's for every arch, share/everypc/scenarios (suites,
#     workloads, recorded scenarios), share/man/man1/everypc.1 and gosub.1;
#  2. no path of the source or build tree compiled into the installed
#     programs (copies without their debug information, which names the
#     sources on purpose), nor in the runtime libraries (built with
#     -ffile-prefix-map, debug information included);
#  3. in a private mount namespace, where this test alone sees it, the build
#     and source trees are covered by empty read-only mounts, as if deleted,
#     and /tmp is made read-only with TMPDIR elsewhere (every temporary file
#     must follow TMPDIR). There, with no EVERYPC_* variable, from a directory
#     with no scenarios/ in it, the installed programs must:
#       everypc --version: every arch's QEMU and guest compiler (as the
#         installed gosub names it);
#       gosub: compile list.go for every arch (its runtime found beside
#         itself), the program printing what `go run` does;
#       everypc list: a workload named relative to share/everypc;
#       everypc sweep: shard 1/100 of the default suite
#         (scenarios/default.json found in share/everypc) on each arch,
#         exit 0;
#       everypc sweep --mutant: a failing sweep on one arch, exit 1, its
#         scenario files written;
#       everypc chance: two runs with an injected call.
# The other tests, running in parallel on the same build tree, see nothing
# of this. Without mount namespaces (unshare(1) refused) it is skipped,
# exit 77.
set -u
if [ "${1:-}" = inner ]; then
	mode=inner
else
	mode=outer
	src=$1 build=$2 arches=$3
fi
fail() {
	echo "FAIL: $*"
	exit 1
}
# try LOG WHAT CMD...: run CMD, its output in LOG; on failure show it and fail
try() {
	local log=$1 what=$2 st=0
	shift 2
	"$@" >"$log" 2>&1 || st=$?
	[ $st = 0 ] || { tail -30 "$log"; fail "$what exited $st"; }
}

if [ $mode = outer ]; then
	tmp=$(mktemp -d) || exit 2
	trap 'rm -rf "$tmp"' EXIT
	P=$tmp/prefix
	src_real=$(realpath "$src") build_real=$(realpath "$build")
	case "$(realpath "$tmp")/" in
	"$src_real"/* | "$build_real"/*)
		fail "TMPDIR ($tmp) is inside the source or build tree, which this test hides"
		;;
	esac

	# 1. install and its layout
	try "$tmp/install.log" "cmake --install" cmake --install "$build" --prefix "$P"
	for f in bin/everypc bin/gosub bin/gosub-gen; do
		[ -x "$P/$f" ] || fail "no executable $f in the prefix"
	done
	for f in scenarios/default.json scenarios/mutants.json \
		scenarios/workloads/list.go scenarios/workloads/list.out \
		scenarios/recorded/no-register-scan.json; do
		[ -s "$P/share/everypc/$f" ] || fail "no share/everypc/$f in the prefix"
	done
	[ -e "$P/share/everypc/scenarios/CMakeLists.txt" ] &&
		fail "share/everypc/scenarios has the build's CMakeLists.txt"
	for m in everypc gosub; do
		[ -s "$P/share/man/man1/$m.1" ] || fail "no share/man/man1/$m.1"
	done
	nlib=0
	for a in ${arches//,/ }; do
		[ -s "$P/lib/everypc/runtime/$a/libeprt.a" ] ||
			fail "no lib/everypc/runtime/$a/libeprt.a"
		for lib in "$build"/runtime/"$a"/libeprt*.a; do
			cmp -s "$lib" "$P/lib/everypc/runtime/$a/${lib##*/}" ||
				fail "${lib##*/} of $a not installed as built"
			nlib=$((nlib + 1))
		done
	done

	# 2. no path of the trees compiled in
	for f in everypc gosub gosub-gen; do
		objcopy --strip-debug "$P/bin/$f" "$tmp/$f.nodebug" ||
			fail "objcopy --strip-debug $f"
		for p in "$src" "$src_real" "$build" "$build_real"; do
			LC_ALL=C grep -aqF -- "$p" "$tmp/$f.nodebug" &&
				fail "bin/$f has the path $p compiled in: $(strings -a "$tmp/$f.nodebug" | grep -F -- "$p" | head -3 | tr '\n' ' ')"
		done
	done
	for lib in "$P"/lib/everypc/runtime/*/*.a; do
		for p in "$src_real" "$build_real"; do
			LC_ALL=C grep -aqF -- "$p" "$lib" && fail "$lib names $p"
		done
	done
	echo "ok: installed into $P: 2 programs, $nlib runtime libraries, scenarios, man pages; no tree path in them"

	# 3. the same, alone, in a namespace of its own
	if [ "$(id -u)" = 0 ]; then
		ns=(unshare --mount --propagation private)
	else
		ns=(unshare --user --map-root-user --mount --propagation private)
	fi
	"${ns[@]}" true 2>/dev/null || {
		echo "SKIP: no private mount namespace (unshare refused)"
		exit 77
	}
	mkdir "$tmp/w"
	cp "$0" "$tmp/inner.sh"
	for v in $(env | sed -n 's/^\(EVERYPC_[A-Z0-9_]*\)=.*/\1/p'); do unset "$v"; done
	T_SRC=$src_real T_BUILD=$build_real T_P=$P T_W=$tmp/w T_ARCHES=$arches \
		"${ns[@]}" bash "$tmp/inner.sh" inner
	exit $?
fi

# ---- inner: in the private mount namespace --------------------------------
src=$T_SRC build=$T_BUILD P=$T_P w=$T_W arches=$T_ARCHES
# the trees gone: empty and read-only (the build tree first: it may lie in
# the source tree)
mount -t tmpfs -o ro,size=4k none "$build" || fail "cannot cover $build"
mount -t tmpfs -o ro,size=4k none "$src" || fail "cannot cover $src"
[ ! -e "$build/CMakeCache.txt" ] && [ ! -e "$src/CMakeLists.txt" ] || fail "the trees are still visible"
# /tmp read-only; a writable tmpfs for this test's work and TMPDIR
mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp || fail "cannot make /tmp read-only"
mount -t tmpfs -o size=512m none "$w" || fail "cannot mount a tmpfs on $w"
mkdir "$w/t" && export TMPDIR=$w/t
touch /tmp/everypc-install-probe 2>/dev/null && fail "/tmp is still writable"
cd "$w" || fail "cd $w"
set -- ${arches//,/ }
first=$1
qemu_of() { case $1 in amd64) echo qemu-x86_64 ;; arm64) echo qemu-aarch64 ;; riscv64) echo qemu-riscv64 ;; esac; }

try version.txt "everypc --version" "$P/bin/everypc" --version
for a in "$@"; do # the guest compiler as the installed gosub tells it
	grep -q "^guest cc $a .*: .*gcc" version.txt || { cat version.txt; fail "--version: no guest cc of $a"; }
	grep -q "^qemu $a .*version" version.txt || { cat version.txt; fail "--version: no QEMU of $a"; }
done

wl=$P/share/everypc/scenarios/workloads
for a in "$@"; do
	try gosub.log "gosub -arch $a" "$P/bin/gosub" -arch "$a" -o "list.$a.elf" "$wl/list.go"
	try "list.$a.out" "list.$a.elf" "$(qemu_of "$a")" "list.$a.elf"
	cmp -s "list.$a.out" "$wl/list.out" || fail "list.$a.elf does not print list.out"
done
echo "ok: gosub alone compiled list.go for $*"

try list.txt "everypc list" "$P/bin/everypc" list scenarios/workloads/list.go --func main.push --arch "$first"
grep -q "main.push" list.txt || { cat list.txt; fail "everypc list printed no main.push"; }

total=0
for a in "$@"; do
	"$P/bin/everypc" sweep --shard 1/100 --arch "$a" --jobs 2 --no-progress -o "out.$a" >"sweep.$a.log" 2>&1
	st=$?
	[ $st = 0 ] || { tail -30 "sweep.$a.log"; fail "$a: the default suite's shard exited $st, not 0"; }
	n=$(grep -c "\"arch\": *\"$a\"" "out.$a/journal.jsonl")
	[ "$n" -gt 0 ] || fail "$a: no case in the journal"
	[ -s "out.$a/report.html" ] || fail "$a: no report"
	total=$((total + n))
done
echo "ok: the default suite's shard 1/100 on each of $*: $total cases, exit 0"

"$P/bin/everypc" sweep --workload scenarios/workloads/list.go --func main.reverse \
	--action preempt-gc --mutant no-register-scan --arch "$first" --jobs 2 --no-progress \
	-o outm >sweepm.log 2>&1
st=$?
[ $st = 1 ] || { tail -30 sweepm.log; fail "the mutant's sweep exited $st, not 1"; }
nsc=$(ls outm/scenarios | wc -l)
[ "$nsc" -gt 0 ] || fail "the mutant's sweep wrote no scenario"
echo "ok: no-register-scan on $first: exit 1, $nsc scenario files"

try chance.log "everypc chance" "$P/bin/everypc" chance scenarios/workloads/inject.go \
	--arch "$first" --inject 'main.churn(30)' --runs 2 --seed 1
grep -q "^chance: caught 0/2 runs" chance.log || { cat chance.log; fail "chance: no summary"; }

if command -v man >/dev/null; then
	f=$(MANPATH=$P/share/man man -w everypc 2>/dev/null)
	[ "$f" = "$P/share/man/man1/everypc.1" ] || fail "man -w everypc found '$f'"
fi
echo "ok: from $P alone (source and build trees hidden, /tmp read-only): version, gosub, list, sweep, mutant sweep, chance, man"
