#!/bin/sh
# run_workload.sh QEMU ELF GOFILE EXPECTED: run a gosub-compiled workload
# under QEMU and check that its output (stderr, where println writes) and
# exit status equal Go's. EXPECTED is the checked-in output of `go run`;
# when Go is installed the workload is also run by it now and compared, so
# the checked-in file cannot drift from the real toolchain.
set -u
qemu=$1 elf=$2 gofile=$3 expected=$4
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
"$qemu" "$elf" >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
if [ "$status" -ne 0 ]; then
  echo "FAIL: $elf exited with status $status"; cat "$tmp/stderr"; exit 1
fi
if ! cmp -s "$tmp/stderr" "$expected"; then
  echo "FAIL: $elf output differs from $expected:"; diff "$expected" "$tmp/stderr" | head -20; exit 1
fi
if [ -s "$tmp/stdout" ]; then
  echo "FAIL: $elf wrote to stdout (println writes to stderr)"; exit 1
fi
if command -v go >/dev/null 2>&1; then
  cp "$gofile" "$tmp/main.go"
  (cd "$tmp" && GOCACHE="$tmp/gocache" GOFLAGS=-mod=mod GO111MODULE=off go run main.go) 2>"$tmp/go.stderr" >/dev/null \
    || { echo "FAIL: go run $gofile failed"; cat "$tmp/go.stderr"; exit 1; }
  if ! cmp -s "$tmp/go.stderr" "$expected"; then
    echo "FAIL: go run output differs from checked-in $expected:"; diff "$expected" "$tmp/go.stderr" | head; exit 1
  fi
  echo "ok: $elf matches go run"
else
  echo "NOTE: go not installed: compared with the checked-in output of go run only"
fi
