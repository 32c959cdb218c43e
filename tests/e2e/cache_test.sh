#!/bin/sh
# cache_test.sh EVERYPC ARCH WORKLOAD -- the cache of a sweep's fixed costs
# and the default of --jobs (issue 16 item 4; rig/cache.h, rig/sweep/pool.h).
# WORKLOAD is list.go with its list.out; a private EVERYPC_CACHE_DIR, and
# gosub and objdump wrappers that count their runs.
#   1. A first sweep builds and disassembles once and stores both; a second
#      one runs neither and writes the same journal and report, byte for
#      byte; so does a sweep with --no-cache, which runs both and leaves
#      the cache as it was.
#   2. A truncated ELF entry and a same-size corrupted disassembly entry
#      are not trusted: both are rebuilt, and the results are the same.
#   3. A changed source is a new key: gosub runs again.
#   4. --jobs defaults to the online cores less the rounded 1-minute load
#      average, at least 1 (EVERYPC_TEST_NCPU, EVERYPC_TEST_LOADAVG stand in
#      for the machine); --jobs N overrides it; the journal and report of 1
#      and 3 workers are the same.
set -u
everypc=$1 arch=$2 workload=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

case $arch in
amd64) triple=x86_64-linux-gnu var=EVERYPC_OBJDUMP_AMD64 ;;
arm64) triple=aarch64-linux-gnu var=EVERYPC_OBJDUMP_ARM64 ;;
riscv64) triple=riscv64-linux-gnu var=EVERYPC_OBJDUMP_RISCV64 ;;
*) fail "unknown arch $arch" ;;
esac
eval "objdump=\${$var:-}"
[ -n "$objdump" ] || objdump=$(command -v "$triple-objdump" || command -v objdump) ||
  fail "no objdump for $arch"
gosub=$(cd "$(dirname "$everypc")" && pwd)/gosub
[ -x "$gosub" ] || fail "no gosub beside $everypc"

# wrappers: one line in runs.log per build (gosub -o) and per disassembly
mkdir "$tmp/bin"
cat >"$tmp/bin/gosub" <<EOF
#!/bin/sh
case " \$* " in *" -o "*) echo gosub >>"$tmp/runs.log" ;; esac
exec "$gosub" "\$@"
EOF
cat >"$tmp/bin/objdump" <<EOF
#!/bin/sh
echo objdump >>"$tmp/runs.log"
exec "$objdump" "\$@"
EOF
chmod +x "$tmp/bin/gosub" "$tmp/bin/objdump"
: >"$tmp/runs.log"
runs() { grep -c "^$1\$" "$tmp/runs.log"; }
export EVERYPC_CACHE_DIR="$tmp/cache" EVERYPC_GOSUB="$tmp/bin/gosub"
export "$var=$tmp/bin/objdump"
unset EVERYPC_TEST_NCPU EVERYPC_TEST_LOADAVG

mkdir "$tmp/w"
cp "$workload" "$tmp/w/list.go"
cp "${workload%.go}.out" "$tmp/w/list.out"
sweep() {
  out=$1; shift
  "$everypc" sweep --workload "$tmp/w/list.go" --func main.push --arch "$arch" \
    --action preempt --no-progress --out "$tmp/$out" "$@" >"$tmp/$out.log" 2>&1
  rc=$?
  [ $rc -eq 0 ] || { cat "$tmp/$out.log"; fail "sweep $out $*: exit $rc"; }
}
same() { # same results as the first sweep
  cmp "$tmp/o1/journal.jsonl" "$tmp/$1/journal.jsonl" || fail "$1: the journal differs from o1's"
  cmp "$tmp/o1/report.html" "$tmp/$1/report.html" || fail "$1: the report differs from o1's"
}
expect_runs() { # after what: gosub and objdump runs so far
  [ "$(runs gosub)" -eq "$2" ] && [ "$(runs objdump)" -eq "$3" ] ||
    fail "after $1: gosub ran $(runs gosub) times, objdump $(runs objdump); expected $2 and $3"
}
listing() { (cd "$tmp/cache" && find . -type f -exec ls -l --time-style=+%s.%N {} + | sort); }

# 1. cold, warm, --no-cache
sweep o1 --jobs 1
expect_runs "the first sweep" 1 1
elf=$(ls "$tmp"/cache/elf/* 2>/dev/null) && [ "$(echo "$elf" | wc -l)" -eq 1 ] || fail "no single ELF entry: $elf"
dis=$(ls "$tmp"/cache/objdump/* 2>/dev/null) && [ "$(echo "$dis" | wc -l)" -eq 1 ] || fail "no single disassembly entry: $dis"
head -n 1 "$elf" | grep -q "^everypc-cache 1 elf $(basename "$elf") [0-9]* [0-9a-f]*\$" ||
  fail "the ELF entry's header: $(head -c 80 "$elf")"
sweep o2 --jobs 1
expect_runs "the second sweep" 1 1
same o2
echo "ok: the second sweep ran neither gosub nor objdump, same journal and report"
listing >"$tmp/before"
sweep o3 --jobs 1 --no-cache
expect_runs "the sweep with --no-cache" 2 2
same o3
listing >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" || fail "--no-cache changed the cache: $(diff "$tmp/before" "$tmp/after")"
echo "ok: --no-cache builds and disassembles anew, the same results, the cache untouched"

# 2. corrupted entries are rebuilt
size_elf=$(wc -c <"$elf") size_dis=$(wc -c <"$dis")
head -c $((size_elf / 2)) "$elf" >"$tmp/cut" && cat "$tmp/cut" >"$elf"
# the disassembly's payload, same size: one byte of its last line changed
tail -c 2 "$dis" | od -An -c | grep -q '\\n' || fail "the disassembly entry does not end in a newline"
head -c $((size_dis - 2)) "$dis" >"$tmp/cut" && printf '#\n' >>"$tmp/cut" && cat "$tmp/cut" >"$dis"
[ "$(wc -c <"$dis")" -eq "$size_dis" ] || fail "the corrupted disassembly entry changed size"
sweep o4 --jobs 1
expect_runs "the sweep over corrupted entries" 3 3
same o4
[ "$(wc -c <"$elf")" -eq "$size_elf" ] || fail "the truncated ELF entry was not rewritten whole"
[ "$(tail -c 2 "$dis")" != "#" ] || fail "the corrupted disassembly entry was not rewritten"
sweep o5 --jobs 1
expect_runs "the sweep after the rebuild" 3 3
same o5
echo "ok: a truncated and a corrupted entry are rebuilt, not trusted"

# 3. a changed source is a new key
echo "// a comment changes the source, not the program" >>"$tmp/w/list.go"
sweep o6 --jobs 1
[ "$(runs gosub)" -eq 4 ] || fail "a changed source: gosub ran $(runs gosub) times, expected 4"
[ "$(ls "$tmp"/cache/elf | wc -l)" -eq 2 ] || fail "a changed source did not make a second ELF entry"
echo "ok: a changed source is built anew"

# 4. the default of --jobs
jobs_of() { sed -n 's/.* cases\/s, \([0-9]*\) jobs, .*/\1/p' "$tmp/$1.log"; }
check_jobs() { # ncpu load expected
  EVERYPC_TEST_NCPU=$1 EVERYPC_TEST_LOADAVG=$2 sweep "j$1-$2"
  [ "$(jobs_of "j$1-$2")" = "$3" ] ||
    fail "$1 cores at load $2: $(jobs_of "j$1-$2") jobs, expected $3"
  cmp "$tmp/o6/journal.jsonl" "$tmp/j$1-$2/journal.jsonl" || fail "$3 jobs: the journal differs from one job's"
  cmp "$tmp/o6/report.html" "$tmp/j$1-$2/report.html" || fail "$3 jobs: the report differs from one job's"
}
check_jobs 4 1.6 2
check_jobs 4 1.5 2
check_jobs 3 0.4 3
check_jobs 2 7.2 1
check_jobs 1 0 1
EVERYPC_TEST_NCPU=1 EVERYPC_TEST_LOADAVG=0 sweep explicit --jobs 3
[ "$(jobs_of explicit)" = 3 ] || fail "--jobs 3: $(jobs_of explicit) jobs"
echo "ok: --jobs defaults to cores less the rounded load, at least 1; --jobs N overrides it"
