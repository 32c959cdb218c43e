#!/bin/sh
# reference_test.sh EVERYPC ARCH WORKLOAD -- the outcome oracle's reference
# (rig/reference.h, issue 12 item 2). WORKLOAD is list.go with its list.out.
#   1. A reference that differs from what the program prints fails every
#      case as `baseline`, naming the first differing line.
#   2. Without NAME.out the reference is `go run` (when go is installed),
#      cached by content hash: a second sweep passes with no go in PATH.
#   3. Without NAME.out and without go: a one-line error, exit 2.
#   4. An ELF workload without NAME.out beside it: a one-line error, exit 2.
set -u
everypc=$1 arch=$2 workload=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
sweep() { "$everypc" sweep --func main.push --arch "$arch" --action preempt --no-progress "$@"; }

mkdir "$tmp/w"
cp "$workload" "$tmp/w/list.go"
out=${workload%.go}.out
# line 2 of the reference changed: the program's line 2 no longer matches
awk 'NR == 2 {print "first after reverse 1 second 5"; next} {print}' "$out" >"$tmp/w/list.out"
cmp -s "$tmp/w/list.out" "$out" && fail "the planted difference did not change line 2"
sweep --workload "$tmp/w/list.go" --out "$tmp/o1" >"$tmp/log1" 2>&1
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/log1"; fail "a wrong reference: exit $rc, expected 1"; }
n=$(wc -l <"$tmp/o1/journal.jsonl")
[ "$n" -gt 0 ] || fail "no case journalled"
[ "$(grep -c '"check":"baseline"' "$tmp/o1/journal.jsonl")" -eq "$n" ] || fail "not every case failed as baseline"
grep -q 'did not print list.out: line 2: list.out has \\"first after reverse 1 second 5\\"' "$tmp/o1/journal.jsonl" ||
  { head -n 1 "$tmp/o1/journal.jsonl"; fail "the detail does not name line 2"; }
echo "ok: a wrong reference fails all $n cases as baseline, naming line 2"

# the same program, no list.out: go run, cached
rm "$tmp/w/list.out"
nogo=$tmp/nogo/go   # EVERYPC_GO naming a go that does not exist
if command -v go >/dev/null 2>&1; then
  EVERYPC_CACHE_DIR=$tmp/cache sweep --workload "$tmp/w/list.go" --out "$tmp/o2" >"$tmp/log2" 2>&1 ||
    { cat "$tmp/log2"; fail "go run as the reference: the sweep failed"; }
  ls "$tmp"/cache/goref/*.out >/dev/null 2>&1 || fail "go run's output was not cached"
  cmp -s "$tmp"/cache/goref/*.out "$out" || fail "the cached go run output differs from $out"
  EVERYPC_CACHE_DIR=$tmp/cache EVERYPC_GO=$nogo sweep --workload "$tmp/w/list.go" --out "$tmp/o3" >"$tmp/log3" 2>&1 ||
    { cat "$tmp/log3"; fail "the cached reference was not used without go"; }
  echo "ok: go run is the reference without list.out, and is cached"
else
  echo "NOTE: go not installed: the go run reference is not tested"
fi
EVERYPC_CACHE_DIR=$tmp/empty EVERYPC_GO=$nogo sweep --workload "$tmp/w/list.go" --out "$tmp/o4" >"$tmp/log4" 2>&1
rc=$?
[ $rc -eq 2 ] || { cat "$tmp/log4"; fail "no reference and no go: exit $rc, expected 2"; }
grep -q "no reference output: neither $tmp/w/list.out nor $nogo to run it" "$tmp/log4" ||
  { cat "$tmp/log4"; fail "no reference and no go: not the expected message"; }
[ "$(wc -l <"$tmp/log4")" -eq 1 ] || { cat "$tmp/log4"; fail "the error is not one line"; }
echo "ok: no reference and no go is a one-line error"

# an ELF without a reference beside it
elf=$(ls "$tmp"/o1/build/"$arch"/list*.elf 2>/dev/null | head -n 1)
[ -n "$elf" ] || fail "no ELF built under $tmp/o1/build/$arch"
cp "$elf" "$tmp/w/prog.elf"
sweep --workload "$tmp/w/prog.elf" --out "$tmp/o5" >"$tmp/log5" 2>&1
rc=$?
[ $rc -eq 2 ] || { cat "$tmp/log5"; fail "an ELF without .out: exit $rc, expected 2"; }
grep -q "no reference output: $tmp/w/prog.out does not exist" "$tmp/log5" ||
  { cat "$tmp/log5"; fail "an ELF without .out: not the expected message"; }
cp "$out" "$tmp/w/prog.out"
sweep --workload "$tmp/w/prog.elf" --out "$tmp/o6" >"$tmp/log6" 2>&1 ||
  { cat "$tmp/log6"; fail "an ELF with its .out beside it failed"; }
echo "ok: an ELF's reference is NAME.out beside it"
