#!/bin/sh
# hits_test.sh EVERYPC ARCH LIST_GO -- executions per instruction learnt
# once per function (rig/sweep/hits.c, HIT-1..3; issue 16 item 2): a case
# whose PC does not execute `hit` times costs no iteration, and its record
# is the one a run gave.
#   1. list.go main.push, preempt, hits 1 and 100000 (never reached), one
#      worker: the journal is byte-identical to --mode isolated's (every
#      case in a QEMU of its own, nothing learnt), and the guest ran
#      exactly 3 + (reached cases) iterations: the baseline, one per reached
#      case, the first unreached case (run: it is what calls for learning,
#      HIT-4) and the learning one -- none for the other unreached cases.
#   2. The learning iteration's breakpoints: every instruction of main.push
#      was given one (Z0) -- the counts were learnt, not assumed.
set -u
everypc=$1 arch=$2 list=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
sweep() { "$everypc" sweep --arch "$arch" --no-progress --workload "$list" \
  --func main.push --action preempt --hits 1,100000 "$@"; }

sweep -j 1 --out "$tmp/p" --trace-rsp "$tmp/p.trace" >"$tmp/p.log" 2>&1 ||
  { tail -n 20 "$tmp/p.log"; fail "persistent sweep: exit $?"; }
sweep -j 1 --mode isolated --out "$tmp/i" >"$tmp/i.log" 2>&1 ||
  { tail -n 20 "$tmp/i.log"; fail "isolated sweep: exit $?"; }
cmp "$tmp/p/journal.jsonl" "$tmp/i/journal.jsonl" ||
  { diff "$tmp/p/journal.jsonl" "$tmp/i/journal.jsonl" | head -n 6; fail "journals differ"; }
n=$(wc -l <"$tmp/p/journal.jsonl")
nu=$(grep -c '"verdict":"unreached"' "$tmp/p/journal.jsonl")
reached=$((n - nu))
[ "$nu" -ge $((n / 2)) ] || fail "only $nu of $n cases unreached: hit 100000 should never be reached"
echo "ok: $n cases, $nu unreached: the journal is byte-identical to isolated mode's"

# iterations: stops at everypc_hook_iter_end (every iteration ends there;
# since BRK-2 a case's iteration starts without a stop), read back as the
# PC: the PC field of a g reply (rip at byte 128 on amd64; pc at 256 on
# arm64 and riscv64, after 32 registers), or a p reply
elf=$(ls "$tmp"/p/build/*/list.elf | head -n 1)
end=$(nm "$elf" | awk '$3 == "everypc_hook_iter_end" { print $1 }')
[ -n "$end" ] || fail "no everypc_hook_iter_end in $elf"
le=$(printf '%016x' "0x$end" | sed 's/\(..\)/\1 /g' | awk '{ for (i = NF; i > 0; i--) printf "%s", $i }')
case $arch in amd64) off=128 ;; *) off=256 ;; esac
iters=$(awk -v le="$le" -v o=$((2 * off)) '
  prev == "rsp> g" && substr($0, 1, 5) == "rsp< " && substr($0, 6 + o, 16) == le { n++ }
  prev ~ /^rsp> p/ && $0 == "rsp< " le { n++ }
  { prev = $0 }
  END { print n + 0 }' "$tmp/p.trace")
[ "$iters" -eq $((reached + 3)) ] ||
  fail "$iters iterations for $reached reached cases; expected $((reached + 3)) (baseline, one per reached case, the first unreached, learning)"
echo "ok: $iters iterations: baseline, $reached reached cases, the first unreached, learning; none for the other $((nu - 1)) unreached"

pcs=$(grep -c '"hit":1,' "$tmp/p/journal.jsonl")
zs=$(grep -c '^rsp> Z0,' "$tmp/p.trace")
[ "$zs" -ge "$pcs" ] || fail "$zs breakpoints set for $pcs instructions: the counts were not learnt"
echo "ok: the learning iteration broke on the function's $pcs instructions"
