#!/usr/bin/env bash
# run.sh -- run one libFuzzer target of tests/fuzz (CTest and ci/do fuzz).
#   run.sh fuzz BIN SECONDS CORPUS SEEDDIR...
#       fuzz for SECONDS from CORPUS (created if missing; new inputs are kept
#       there) and the seed directories. Prints the executions of this run
#       and the total kept in CORPUS.execs; a crash is written next to the
#       corpus (crash-<target>-*), and the run fails.
#   run.sh inputs BIN DIR...
#       run every file of the DIRs once (regressions, seeds); missing DIRs
#       are skipped.
set -uo pipefail
mode=${1:-}; bin=${2:-}
[ -x "$bin" ] || { echo "run.sh: no fuzz target $bin (is the fuzz build made?)" >&2; exit 1; }
name=$(basename "$bin"); name=${name#fuzz_}
# -close_fd_mask=2: the targets' own stderr (gosub's diagnostics) is noise;
# libFuzzer and the sanitizers still report on a copy of it.
# Every sanitizer report is fatal (the fuzz build: -fno-sanitize-recover=all).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
common=(-close_fd_mask=2 -timeout=30 -rss_limit_mb=2048 -print_final_stats=1)

case "$mode" in
  fuzz)
    secs=$3; corpus=$4; shift 4
    mkdir -p "$corpus"
    log=$corpus.log
    seeds=(); for d in "$@"; do [ -d "$d" ] && seeds+=("$d"); done
    "$bin" "${common[@]}" -max_total_time="$secs" \
      -artifact_prefix="$(dirname "$corpus")/crash-$name-" \
      "$corpus" ${seeds[@]+"${seeds[@]}"} >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    execs=${execs:-0}
    total=$(( $(cat "$corpus.execs" 2>/dev/null || echo 0) + execs ))
    echo "$total" >"$corpus.execs"
    files=$(find "$corpus" -type f | wc -l)
    if [ $rc -ne 0 ]; then
      tail -n 80 "$log"
      echo "fuzz $name: FAILED (exit $rc) after $execs executions; input in $(dirname "$corpus")/crash-$name-*; log $log"
      echo "  a fixed crash's input goes to tests/fuzz/$name/regressions/"
      exit 1
    fi
    echo "fuzz $name: $execs executions in $secs s, $total in all; corpus $files inputs ($corpus)"
    ;;
  inputs)
    shift 2
    dirs=(); for d in "$@"; do [ -d "$d" ] && dirs+=("$d"); done
    [ ${#dirs[@]} -gt 0 ] || { echo "fuzz $name: no inputs"; exit 0; }
    out=$("$bin" "${common[@]}" -runs=0 "${dirs[@]}" 2>&1); rc=$?
    if [ $rc -ne 0 ]; then printf '%s\n' "$out" | tail -n 80; echo "fuzz $name: an input fails"; exit 1; fi
    n=$(find "${dirs[@]}" -type f | wc -l)
    echo "fuzz $name: $n inputs pass (${dirs[*]})"
    ;;
  *)
    echo "usage: run.sh fuzz BIN SECONDS CORPUS SEEDDIR... | run.sh inputs BIN DIR..." >&2
    exit 2 ;;
esac
