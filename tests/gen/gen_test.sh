#!/bin/sh
# gen_test.sh GOSUB_GEN GOSUB QEMU ARCH FIRST COUNT [FAVOUR] -- gosub-gen's
# programs (with --favour FAVOUR when given, GEN-5)
# against go run (issue 13 item 2). For each seed FIRST..FIRST+COUNT-1:
#   1. gosub-gen --seed N twice: byte-identical (GEN-1);
#   2. go run the program (its output cached by content hash for this run);
#      it must exit 0 and print "gen N ..." last;
#   3. gosub -arch ARCH must accept it (GEN-3);
#   4. the ELF under QEMU: stderr and exit status equal go run's.
# The first mismatch stops the test, naming the seed and the program (kept
# in $GEN_KEEP when set, else in a directory that is not removed) with a
# diff. Without go the test fails: go run is the reference.
set -u
[ $# -eq 6 ] || [ $# -eq 7 ] ||
  { echo "usage: gen_test.sh GOSUB_GEN GOSUB QEMU ARCH FIRST COUNT [FAVOUR]" >&2; exit 2; }
gen=$1 gosub=$2 qemu=$3 arch=$4 first=$5 count=$6
fav=${7:+--favour $7}
command -v go >/dev/null 2>&1 ||
  { echo "FAIL: go is not installed (the reference is go run; ci/do installs golang-go)"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/go" "$tmp/cache"
export GOCACHE="$tmp/gocache" GO111MODULE=off GOFLAGS=
start=$(date +%s)

# keep SEED: the program and the outputs, for inspection after the test
keep() {
  dir=${GEN_KEEP:-}
  if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/gen-fail.XXXXXX") || return
  fi
  mkdir -p "$dir"
  cp "$tmp/p.go" "$dir/gen$1.go"
  for f in go.err elf.err gosub.err; do
    [ -f "$tmp/$f" ] && cp "$tmp/$f" "$dir/gen$1.$arch.$f"
  done
  echo "kept: $dir/gen$1.go"
}
fail() { echo "FAIL: seed $1 on $arch: $2"; keep "$1"; exit 1; }

seed=$first
last=$((first + count - 1))
while [ "$seed" -le "$last" ]; do
  # $fav unquoted: empty, or the two words --favour LIST
  "$gen" --seed "$seed" $fav -o "$tmp/p.go" || { echo "FAIL: gosub-gen --seed $seed $fav failed"; exit 1; }
  "$gen" --seed "$seed" $fav >"$tmp/p2.go" || { echo "FAIL: gosub-gen --seed $seed $fav (stdout) failed"; exit 1; }
  cmp -s "$tmp/p.go" "$tmp/p2.go" || fail "$seed" "two generations differ"

  # go run's output, cached by the program's content hash
  h=$(cksum <"$tmp/p.go" | tr ' ' '-')
  if [ -f "$tmp/cache/$h.err" ]; then
    cp "$tmp/cache/$h.err" "$tmp/go.err"
    gost=$(cat "$tmp/cache/$h.st")
  else
    cp "$tmp/p.go" "$tmp/go/main.go"
    gost=0
    (cd "$tmp/go" && go run main.go) >/dev/null 2>"$tmp/go.err" || gost=$?
    cp "$tmp/go.err" "$tmp/cache/$h.err"
    echo "$gost" >"$tmp/cache/$h.st"
  fi
  [ "$gost" -eq 0 ] || { cat "$tmp/go.err"; fail "$seed" "go run exited with status $gost"; }
  tail -n 1 "$tmp/go.err" | grep -q "^gen $seed " ||
    { tail -n 5 "$tmp/go.err"; fail "$seed" "go run did not print 'gen $seed' last"; }

  rm -f "$tmp/p.elf"
  "$gosub" -arch "$arch" -o "$tmp/p.elf" "$tmp/p.go" 2>"$tmp/gosub.err" ||
    { cat "$tmp/gosub.err"; fail "$seed" "gosub refused the program"; }
  st=0
  "$qemu" "$tmp/p.elf" >"$tmp/elf.out" 2>"$tmp/elf.err" || st=$?
  if [ "$st" -ne "$gost" ] || ! cmp -s "$tmp/go.err" "$tmp/elf.err"; then
    echo "FAIL: seed $seed on $arch: exit status $st (go run: $gost), output diff (go run, then ELF):"
    diff "$tmp/go.err" "$tmp/elf.err" | head -20
    keep "$seed"
    exit 1
  fi
  [ -s "$tmp/elf.out" ] && fail "$seed" "the ELF wrote to stdout"
  seed=$((seed + 1))
done
echo "ok: $count programs${7:+ favouring $7}, output identical to go run on $arch (seeds $first..$last, $(($(date +%s) - start)) s)"
