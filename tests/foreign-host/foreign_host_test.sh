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
#  4. run the same sweep with the native rig (from the build tree, BUILD)
#     and with the ARCH rig under qemu-<ARCH> (which spawns this host's
#     QEMU, gosub and objdump), each from its own working directory with the
#     same relative --out, no EVERYPC_* variable set: both find every helper
#     relative to themselves;
#  5. require the same exit status, 0, and byte-identical journal.jsonl,
#     JUnit and report.html.
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

# 4. the same sweep, each rig from its own directory
sweep=(sweep --workload scenarios/workloads/list.go --func main.push
       --arch arm64,riscv64 --action preempt,preempt-gc --jobs 2
       --no-progress --out out --junit out/j.xml)
mkdir -p "$work/native" "$work/foreign"
t1=$SECONDS
st_n=0; (cd "$work/native" && "$everypc" "${sweep[@]}") >"$work/native.log" 2>&1 || st_n=$?
t2=$SECONDS
st_f=0; (cd "$work/foreign" && "$qemu" "$work/prefix/bin/everypc" "${sweep[@]}") >"$work/foreign.log" 2>&1 || st_f=$?
t3=$SECONDS
echo "foreign-host.$arch: native sweep $((t2 - t1)) s (exit $st_n), $arch rig under $qemu $((t3 - t2)) s (exit $st_f)"
tail -5 "$work/foreign.log"
[ "$st_n" = 0 ] || { cat "$work/native.log" >&2; fail "the native sweep exited $st_n"; }
[ "$st_f" = 0 ] || { cat "$work/foreign.log" >&2; fail "the $arch rig's sweep exited $st_f"; }

# 5. byte-identical results
for f in journal.jsonl j.xml report.html; do
  [ -s "$work/native/out/$f" ] || fail "the native sweep wrote no $f"
  cmp "$work/native/out/$f" "$work/foreign/out/$f" \
    || { diff "$work/native/out/$f" "$work/foreign/out/$f" | head -20 >&2; fail "$f differs"; }
done
echo "foreign-host.$arch: PASS: journal.jsonl ($(wc -l <"$work/native/out/journal.jsonl") cases), j.xml and report.html identical; $((SECONDS - t0)) s in all"
