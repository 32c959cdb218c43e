#!/bin/sh
# rig_test.sh MODE EVERYPC ARCH WORKLOAD FUNCS [MUTANT]
# End-to-end checks of the rig against real QEMU for one arch:
#   correct     sweep FUNCS with all three preemption actions: exit 0, zero
#               failures, both accepted and rejected verdicts present, every
#               PC in report.html, its strips and source text
#               (report_check.py)
#   mutant      the same sweep against MUTANT must fail; report.html counts
#               the failures and links the first one's scenario, which must
#               replay to the identical outcome; the failure digest and the
#               report agree with the journal (report_check.py) and the
#               digest's first replay command, pasted into a shell, replays
#   determinism the same sweep twice (different --jobs) gives identical journals
#               and identical HTML reports
#   resume      a journal cut short and resumed equals an uninterrupted one
#   isolated    a short isolated-mode sweep (fresh QEMU per case) passes
set -u
mode=$1 everypc=$2 arch=$3 workload=$4 funcs=$5 mutant=${6:-}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# RIG_EXTRA: more sweep arguments (e.g. --action inject --inject 'main.f(1)')
sweep() { eval "set -- \"\$@\" ${RIG_EXTRA:-}"; "$everypc" sweep --workload "$workload" --func "$funcs" --arch "$arch" --no-progress "$@"; }
count() { grep -c "\"$1\"" "$2" || true; }

case $mode in
correct)
  sweep --out "$tmp/o" --jobs 2 --junit "$tmp/j.xml" >"$tmp/log" 2>&1
  rc=$?; cat "$tmp/log"
  [ $rc -eq 0 ] || fail "sweep exited $rc on the correct runtime"
  j=$tmp/o/journal.jsonl
  [ "$(count fail "$j")" -eq 0 ] || fail "failing cases in $j"
  [ "$(count accepted "$j")" -gt 0 ] || fail "no accepted case"
  [ "$(count rejected "$j")" -gt 0 ] || fail "no rejected case"
  grep -q '<testsuites name="everypc" tests="[1-9]' "$tmp/j.xml" || fail "JUnit file"
  # valid against the common JUnit schema
  xmllint --noout --schema "$(dirname "$0")/../junit.xsd" "$tmp/j.xml" || fail "JUnit file is not valid JUnit"
  r=$tmp/o/report.html
  grep -q '<h2 id="failures">Failures (0)</h2>' "$r" || fail "report.html: failures"
  # one report row per case's PC: every PC of the journal is in the report
  for pc in $(grep -o '"pc":"0x[0-9a-f]*"' "$j" | sort -u | sed 's/.*"\(0x[0-9a-f]*\)"/\1/'); do
    grep -q ">$pc<" "$r" || fail "report.html lacks pc $pc"
  done
  python3 "$(dirname "$0")/report_check.py" "$tmp/o" "$tmp/log" "$workload" || fail "digest or report"
  echo "ok: $(wc -l <"$j") cases" ;;
mutant)
  sweep --out "$tmp/o" --jobs 2 --mutant "$mutant" --junit "$tmp/j.xml" >"$tmp/log" 2>&1
  rc=$?; tail -5 "$tmp/log"
  [ $rc -eq 1 ] || fail "sweep with mutant $mutant exited $rc, expected 1 (failures)"
  # the failure digest names a group and its replay command; JUnit carries
  # the failure's scenario and replay command, and is valid
  grep -q "failing cases\? in [0-9]* groups\? (arch, workload, function, oracle):" "$tmp/log" || fail "no failure digest"
  grep -q "^      replay everypc replay $tmp/o/scenarios/.*\.json$" "$tmp/log" || fail "the digest has no replay command"
  python3 "$(dirname "$0")/report_check.py" "$tmp/o" "$tmp/log" "$workload" || fail "digest or report"
  # the digest's first replay command works as pasted (everypc on PATH)
  cmd=$(sed -n 's/^      replay //p' "$tmp/log" | head -1)
  (cd "$tmp" && PATH=$(dirname "$everypc"):$PATH TMPDIR=$tmp sh -c "$cmd") >"$tmp/pasted" 2>&1 ||
    { cat "$tmp/pasted"; fail "the digest's command failed: $cmd"; }
  grep -q "identical outcome" "$tmp/pasted" || fail "the digest's command did not replay: $cmd"
  xmllint --noout --schema "$(dirname "$0")/../junit.xsd" "$tmp/j.xml" || fail "JUnit file is not valid JUnit"
  grep -q "replay: everypc replay $tmp/o/scenarios/" "$tmp/j.xml" || fail "JUnit failures lack the replay command"
  first=$(grep -m1 '"result":"fail"' "$tmp/o/journal.jsonl")
  echo "first failure: $first"
  sc=$(ls "$tmp/o/scenarios/"*.json | head -1)
  [ -n "$sc" ] || fail "no recorded scenario"
  # replay the scenario of the first failing case in journal order
  fn=$(echo "$first" | sed 's/.*"func":"\([^"]*\)".*/\1/')
  off=$(echo "$first" | sed 's/.*"offset":\([0-9]*\).*/\1/')
  act=$(echo "$first" | sed 's/.*"action":"\([^"]*\)".*/\1/')
  sc=$(ls "$tmp/o/scenarios/"*"-$fn+$off-$act-h1.json")
  nf=$(grep -c '"result":"fail"' "$tmp/o/journal.jsonl")
  grep -q "<h2 id=\"failures\">Failures ($nf)</h2>" "$tmp/o/report.html" ||
    fail "report.html does not list the $nf failures"
  grep -q "href=\"scenarios/$(basename "$sc" | sed 's/+/%2B/g')\"" "$tmp/o/report.html" ||
    fail "report.html does not link $(basename "$sc")"
  TMPDIR=$tmp "$everypc" replay "$sc" >"$tmp/replay" 2>&1; rc=$?
  cat "$tmp/replay"
  [ $rc -eq 0 ] && grep -q "identical outcome" "$tmp/replay" || fail "replay of $sc differs" ;;
determinism)
  sweep --out "$tmp/a" --jobs 1 >/dev/null 2>&1
  sweep --out "$tmp/b" --jobs 2 >/dev/null 2>&1
  cmp "$tmp/a/journal.jsonl" "$tmp/b/journal.jsonl" || fail "journals differ"
  cmp "$tmp/a/report.html" "$tmp/b/report.html" || fail "reports differ"
  # more workers than CPUs (POOL-3's chunks taken by three), and a worker
  # pinned to a CPU (POOL-2): the same journal
  sweep --out "$tmp/c" --jobs 3 >/dev/null 2>&1
  cmp "$tmp/a/journal.jsonl" "$tmp/c/journal.jsonl" || fail "journals differ at --jobs 3"
  EVERYPC_PIN=1 sweep --out "$tmp/d" --jobs 1 >"$tmp/log" 2>&1
  cmp "$tmp/a/journal.jsonl" "$tmp/d/journal.jsonl" || fail "journals differ when pinned"
  case $(uname -s) in Linux)
    grep -q "each with its QEMU on one CPU\|a CPU each" "$tmp/log" ||
      fail "EVERYPC_PIN=1 did not pin: $(tail -n 1 "$tmp/log")" ;;
  esac
  echo "ok: identical journals ($(wc -l <"$tmp/a/journal.jsonl") cases; --jobs 1, 2, 3, pinned)" ;;
resume)
  sweep --out "$tmp/a" --jobs 2 >/dev/null 2>&1
  n=$(wc -l <"$tmp/a/journal.jsonl")
  mkdir "$tmp/b"
  head -n $((n / 2)) "$tmp/a/journal.jsonl" >"$tmp/b/journal.jsonl"
  printf '{"arch":"trunc' >>"$tmp/b/journal.jsonl"   # a torn last line
  sweep --out "$tmp/b" --jobs 2 --resume >"$tmp/log" 2>&1
  cmp "$tmp/a/journal.jsonl" "$tmp/b/journal.jsonl" || fail "resumed journal differs"
  echo "ok: resumed $((n - n / 2)) of $n cases" ;;
isolated)
  sweep --out "$tmp/o" --jobs 2 --mode isolated --action preempt-gc >"$tmp/log" 2>&1
  rc=$?; tail -4 "$tmp/log"
  [ $rc -eq 0 ] || fail "isolated sweep exited $rc" ;;
*) fail "unknown mode $mode" ;;
esac
