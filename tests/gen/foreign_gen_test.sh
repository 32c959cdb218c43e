#!/bin/sh
# foreign_gen_test.sh GEN_C NATIVE_GEN CC QEMU ARCH -- GEN-1 on another
# host arch: gosub-gen's source (GEN_C) built statically by CC for ARCH
# (a compiler that evaluates a call's arguments in another order than the
# native one: gcc on x86-64 right to left, on arm64 and riscv64 left to
# right) and run under QEMU writes, for seeds 1..20, alone and with every
# --favour, the same bytes as the native gosub-gen (NATIVE_GEN).
set -u
src=$1 native=$2 cc=$3 qemu=$4 arch=$5
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$cc" -std=c11 -O2 -static -o "$tmp/gen" "$src" || {
	echo "FAIL: $cc cannot build $src"; exit 1; }
n=0
for seed in $(seq 1 20); do
	for fav in "" pressure,interior,stackobj,conservative,temps,temps6,wake,barrier; do
		"$native" --seed "$seed" ${fav:+--favour "$fav"} >"$tmp/want" || exit 2
		"$qemu" "$tmp/gen" --seed "$seed" ${fav:+--favour "$fav"} >"$tmp/got" || {
			echo "FAIL: $arch gosub-gen --seed $seed ${fav:+--favour $fav}: exit $?"; exit 1; }
		cmp -s "$tmp/want" "$tmp/got" || {
			echo "FAIL: $arch gosub-gen --seed $seed ${fav:+--favour $fav} differs from the native one"
			diff "$tmp/want" "$tmp/got" | head -5; exit 1; }
		n=$((n + 1))
	done
done
echo "ok: gosub-gen built for $arch by $cc writes the native bytes ($n programs)"
