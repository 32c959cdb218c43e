#!/bin/sh
# shard_test.sh EVERYPC ARCH WORKLOAD FUNCS MUTANT
# A sweep spread over 3 shards and merged (rig/sweep/shard.h, SHD-1..3):
# the shards are chosen three ways (--shard, GitLab's CI_NODE_INDEX/TOTAL,
# Bazel's TEST_SHARD_INDEX/TOTAL_SHARDS with its status file), GoogleTest's
# and Buildkite's variables choose the same share as --shard, and
# `everypc merge` gives a journal, report, plan, JUnit (SOURCE_DATE_EPOCH
# set), scenarios and printed summary identical to the unsharded sweep's.
# Then the merge's refusals: a shard missing, a shard twice, shards of
# different sweeps, a case journalled by a shard it does not belong to,
# and a bad sharding variable.
set -u
everypc=$1 arch=$2 workload=$3 funcs=$4 mutant=$5
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export SOURCE_DATE_EPOCH=1700000000
sweep() { "$everypc" sweep --workload "$workload" --func "$funcs" --arch "$arch" --mutant "$mutant" --no-progress "$@"; }
noise() { grep -v '^everypc: '; }   # progress and timing lines (stderr)

case $workload in /*) ;; *) workload=$PWD/$workload ;; esac
case $everypc in /*) ;; *) everypc=$PWD/$everypc ;; esac
# The unsharded sweep and the merge write to the same relative --out from
# directories of their own: what they print and write names it alike.
mkdir "$tmp/A" "$tmp/M"
(cd "$tmp/A" && sweep --out out --junit out/j.xml) >"$tmp/all.log" 2>&1
[ $? -eq 1 ] || { cat "$tmp/all.log"; fail "the unsharded sweep against $mutant did not fail"; }
ln -s A/out "$tmp/all"
sweep --out "$tmp/s1" --junit "$tmp/s1/j.xml" --shard 1/3 >"$tmp/s1.log" 2>&1
CI_NODE_INDEX=2 CI_NODE_TOTAL=3 sweep --out "$tmp/s2" >"$tmp/s2.log" 2>&1
TEST_SHARD_INDEX=2 TEST_TOTAL_SHARDS=3 TEST_SHARD_STATUS_FILE=$tmp/bazel.status \
  sweep --out "$tmp/s3" >"$tmp/s3.log" 2>&1
grep -q "shard 2/3 (CI_NODE_INDEX)" "$tmp/s2.log" || fail "GitLab's variables were not used"
grep -q "shard 3/3 (TEST_SHARD_INDEX)" "$tmp/s3.log" || fail "Bazel's variables were not used"
[ -f "$tmp/bazel.status" ] || fail "TEST_SHARD_STATUS_FILE was not touched"
n1=$(wc -l <"$tmp/s1/journal.jsonl") n2=$(wc -l <"$tmp/s2/journal.jsonl") n3=$(wc -l <"$tmp/s3/journal.jsonl")
n=$(wc -l <"$tmp/all/journal.jsonl")
[ $((n1 + n2 + n3)) -eq "$n" ] || fail "shards ran $n1+$n2+$n3 cases, the sweep has $n"
for k in $n1 $n2 $n3; do [ $((k * 3)) -ge $((n - 3)) ] || fail "unbalanced shards: $n1 $n2 $n3"; done
GTEST_SHARD_INDEX=0 GTEST_TOTAL_SHARDS=3 sweep --out "$tmp/g1" >/dev/null 2>&1
BUILDKITE_PARALLEL_JOB=0 BUILDKITE_PARALLEL_JOB_COUNT=3 sweep --out "$tmp/b1" >/dev/null 2>&1
cmp "$tmp/s1/journal.jsonl" "$tmp/g1/journal.jsonl" || fail "GoogleTest's shard 0 differs from --shard 1/3"
cmp "$tmp/s1/journal.jsonl" "$tmp/b1/journal.jsonl" || fail "Buildkite's job 0 differs from --shard 1/3"

(cd "$tmp/M" && "$everypc" merge ../s3 ../s1 ../s2 --out out --junit out/j.xml) >"$tmp/m.log" 2>&1
rc=$?
ln -s M/out "$tmp/m"
[ $rc -eq 1 ] || { cat "$tmp/m.log"; fail "merge exited $rc, expected 1 (the mutant's failures)"; }
for f in journal.jsonl report.html plan.tsv j.xml; do
  cmp "$tmp/all/$f" "$tmp/m/$f" || fail "merged $f differs from the unsharded sweep's"
done
diff -r "$tmp/all/scenarios" "$tmp/m/scenarios" || fail "merged scenarios differ"
noise <"$tmp/all.log" >"$tmp/a.txt"
noise <"$tmp/m.log" >"$tmp/b.txt"
diff "$tmp/a.txt" "$tmp/b.txt" || fail "merged summary and digest differ"

refuse() { # refuse WHAT EXPECTED-MESSAGE DIRS...
  what=$1 msg=$2; shift 2
  rm -rf "$tmp/x"
  "$everypc" merge "$@" --out "$tmp/x" >"$tmp/x.log" 2>&1; rc=$?
  [ $rc -eq 2 ] || { cat "$tmp/x.log"; fail "merge of $what exited $rc, expected 2"; }
  grep -q "$msg" "$tmp/x.log" || { cat "$tmp/x.log"; fail "merge of $what: no '$msg'"; }
}
refuse "a missing shard" "2 of 3 shards given (have 1, 2)" "$tmp/s1" "$tmp/s2"
refuse "a shard twice" "are both shard 1/3" "$tmp/s1" "$tmp/g1" "$tmp/s2"
sweep --out "$tmp/other" --action preempt --shard 3/3 >/dev/null 2>&1
refuse "another sweep" "shards of different sweeps" "$tmp/s1" "$tmp/s2" "$tmp/other"
cp -r "$tmp/s1" "$tmp/s1bad"
tail -n 1 "$tmp/s2/journal.jsonl" >>"$tmp/s1bad/journal.jsonl"
refuse "a stray case" "a case of shard 2" "$tmp/s1bad" "$tmp/s2" "$tmp/s3"
CI_NODE_INDEX=0 CI_NODE_TOTAL=3 sweep --out "$tmp/bad" >"$tmp/bad.log" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "CI_NODE_INDEX='0': expected a whole number from 1 to 3" "$tmp/bad.log" ||
  { cat "$tmp/bad.log"; fail "a bad CI_NODE_INDEX was not refused"; }
echo "ok: $n cases in shards of $n1, $n2, $n3; merged identical; refusals named"
