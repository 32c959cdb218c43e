#!/usr/bin/env bash
# foreign_host_test.sh ARCH SRC BUILD EVERYPC WORK -- the rig on a host of
# another arch, proven (issue 10; tests/foreign-host/foreign-host.cmake):
#  1. cross-build the rig alone for ARCH, statically (EVERYPC_RIG_ONLY,
#     EVERYPC_STATIC, cmake/cross/<triple>.cmake) into WORK/build;
#  2. check that neither it nor the native rig EVERYPC has a path of the
#     source or build trees compiled in (their stripped copies);
#  3. lay it out as an install prefix, WORK/prefix: bin/everypc (the ARCH
#     rig), bin/gosub, lib/everypc/runtime and share/everypc linked to the
#     native build's gosub and runtime and to the source tree;
#  4. run the same sweeps with the native rig (from the build tree, BUILD)
#     and with the ARCH rig under qemu-<ARCH> (which spawns this host's
#     QEMU, gosub and objdump), each from its own working directory with the
#     same relative --out, no EVERYPC_* variable set: both find every helper
#     relative to themselves. One on the correct runtime, every arch and
#     action; one on a mutant, whose failures fill the JUnit and report;
#  5. require the expected exit status (0, 1) from both and byte-identical
#     journal.jsonl, JUnit and report.html, and the mutant's scenario files;
#     the ARCH rig replays one of them.
# ARCH's libraries: ci/foreign-host.sh install (ci/do test --label
# foreign-host runs it).
set -euo pipefail
arch=$1 src=$2 build=$3 everypc=$4 work=$5
case $arch in
  amd64) triple=x86_64-linux-gnu qemu=qemu-x86_64 ;;
  arm64) triple=aarch64-linux-gnu qemu=qemu-aarch64 ;;
  riscv64) triple=riscv64-linux-gnu qemu=qemu-riscv64 ;;
  *) echo "foreign-host: unknown arch $arch" >&2; exit 2 ;;
esac
fail() { echo "foreign-host.$arch: FAIL: $*" >&2; exit 1; }
t0=$SECONDS

# Nothing from the environment: the rigs must find their helpers alone.
for v in $(env | sed -n 's/^\(EVERYPC_[A-Z0-9_]*\)=.*/\1/p'); do unset "$v"; done
unset QEMU_LD_PREFIX QEMU_SET_ENV QEMU_STRACE || true
export SOURCE_DATE_EPOCH=1700000000   # JUnit's timestamp (rig/sweep/results.c)

libdir=/usr/lib/$triple/pkgconfig
command -v "$triple-gcc" >/dev/null && \
  PKG_CONFIG_LIBDIR=$libdir:/usr/share/pkgconfig pkg-config --exists libdw libelf expat || \
  fail "no $triple-gcc or no $arch libdw/libelf/expat in $libdir: run ci/foreign-host.sh install (ci/do test --label foreign-host does)"

# 1. cross-build
rm -rf "$work"; mkdir -p "$work"
cmake -S "$src" -B "$work/build" -DEVERYPC_RIG_ONLY=ON -DEVERYPC_STATIC=ON \
  -DCMAKE_TOOLCHAIN_FILE="$src/cmake/cross/$triple.cmake" >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log" >&2; fail "configuring the $arch rig"; }
cmake --build "$work/build" -j "${EVERYPC_JOBS:-2}" >"$work/build.log" 2>&1 \
  || { tail -40 "$work/build.log" >&2; fail "building the $arch rig"; }
rig=$work/build/everypc
echo "foreign-host.$arch: cross-built $rig in $((SECONDS - t0)) s"
LC_ALL=C readelf -h "$rig" | grep -q "Machine: *$(case $arch in amd64) echo 'Advanced Micro Devices X86-64';; arm64) echo AArch64;; riscv64) echo RISC-V;; esac)" \
  || fail "$rig is not an $arch executable"
! LC_ALL=C readelf -l "$rig" | grep -q INTERP || fail "$rig is not statically linked"

# 2. no path of the trees in either rig (debug information aside: stripped)
for r in "$rig" "$everypc"; do
  strip_cmd=strip
  [ "$r" = "$rig" ] && strip_cmd=$triple-strip
  command -v "$strip_cmd" >/dev/null || strip_cmd=objcopy
  "$strip_cmd" -o "$work/stripped" "$r" 2>/dev/null || objcopy --strip-all "$r" "$work/stripped"
  for p in "$src" "$build" "$work"; do
    if LC_ALL=C grep -aq -- "$p" "$work/stripped"; then
      fail "$r has the path $p compiled in: $(strings -a "$work/stripped" | grep -F -- "$p" | head -3 | tr '\n' ' ')"
    fi
  done
done
rm -f "$work/stripped"

# 3. the ARCH rig as installed
mkdir -p "$work/prefix/bin" "$work/prefix/lib/everypc" "$work/prefix/share"
cp "$rig" "$work/prefix/bin/everypc"
ln -s "$build/gosub" "$work/prefix/bin/gosub"
ln -s "$build/runtime" "$work/prefix/lib/everypc/runtime"
ln -s "$src" "$work/prefix/share/everypc"

# 4. the same sweeps, each rig from its own directory: every arch and
#    action on the correct runtime (exit 0), and a mutant's (exit 1: its
#    failures in the JUnit, the report and scenario files)
common=(--workload scenarios/workloads/list.go --jobs 2 --no-progress)
pass=(sweep "${common[@]}" --func main.push --out out --junit out/j.xml)
mutant=(sweep "${common[@]}" --func main.reverse --action preempt-gc
        --mutant no-register-scan --out outm --junit outm/j.xml)
mkdir -p "$work/native" "$work/foreign"
run() { # NAME EXPECTED-STATUS OUT ARGS...
  local name=$1 want=$2 out=$3 st; shift 3
  local t1=$SECONDS
  st=0; (cd "$work/native" && "$everypc" "$@") >"$work/native.$name.log" 2>&1 || st=$?
  [ "$st" = "$want" ] || { cat "$work/native.$name.log" >&2; fail "the native $name sweep exited $st, not $want"; }
  local t2=$SECONDS
  st=0; (cd "$work/foreign" && "$qemu" "$work/prefix/bin/everypc" "$@") >"$work/foreign.$name.log" 2>&1 || st=$?
  [ "$st" = "$want" ] || { cat "$work/foreign.$name.log" >&2; fail "the $arch rig's $name sweep exited $st, not $want"; }
  echo "foreign-host.$arch: $name sweep: native $((t2 - t1)) s, $arch rig under $qemu $((SECONDS - t2)) s, both exit $want"
  # 5. byte-identical results
  for f in journal.jsonl j.xml report.html; do
    [ -s "$work/native/$out/$f" ] || fail "the native $name sweep wrote no $f"
    cmp "$work/native/$out/$f" "$work/foreign/$out/$f" \
      || { diff "$work/native/$out/$f" "$work/foreign/$out/$f" | head -20 >&2; fail "$name: $f differs"; }
  done
}
run pass 0 out "${pass[@]}"
run mutant 1 outm "${mutant[@]}"
diff -r "$work/native/outm/scenarios" "$work/foreign/outm/scenarios" >&2 \
  || fail "mutant: the scenario files differ"
nsc=$(ls "$work/foreign/outm/scenarios" | wc -l)
[ "$nsc" -gt 0 ] || fail "mutant: no scenario file written"
# and one of them replays with the $arch rig (its workload path is
# relative to the source tree the rig found)
sc=$(ls "$work/foreign/outm/scenarios" | head -1)
(cd "$work/foreign" && "$qemu" "$work/prefix/bin/everypc" replay "outm/scenarios/$sc") \
  >"$work/foreign.replay.log" 2>&1 || { cat "$work/foreign.replay.log" >&2; fail "the $arch rig's replay of $sc"; }
grep -q "identical outcome" "$work/foreign.replay.log" || fail "replay of $sc: not identical"
echo "foreign-host.$arch: PASS: journal.jsonl, j.xml and report.html identical ($(cat "$work/native"/out*/journal.jsonl | wc -l) cases), $nsc scenario files identical, one replayed; $((SECONDS - t0)) s in all"
