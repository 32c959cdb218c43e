#!/bin/sh
# ninja_test.sh SRC -- the tree configures with `cmake -G Ninja` (a Ninja
# user's habit: no two rules may make one file, and Ninja names a custom
# target's phony rule by its directory and name, which must not be a file's
# path) and ninja loads the graph and lists every command of the build
# (`ninja -t commands all`; `ninja -n` would only plan CMake's re-check of
# its globs). ci/do
# installs ninja-build, so its absence is a failure, not a skip.
set -u
src=$1
fail() { echo "FAIL: $*"; exit 1; }
command -v ninja >/dev/null 2>&1 || fail "ninja not found (ci/do installs ninja-build)"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
cmake -G Ninja -S "$src" -B "$tmp/b" >"$tmp/log" 2>&1 ||
  { tail -n 20 "$tmp/log"; fail "cmake -G Ninja failed"; }
ninja -C "$tmp/b" -t commands all >"$tmp/plan" 2>&1 ||
  { tail -n 20 "$tmp/plan"; fail "ninja -t commands all failed"; }
grep -q "gosub.* -arch riscv64" "$tmp/plan" || fail "no command builds a riscv64 workload with gosub"
grep -q "rsp_guest_arm64" "$tmp/plan" || fail "no command builds rsp_guest_arm64"
grep -q "warning: phony target" "$tmp/log" "$tmp/plan" &&
  { grep "warning: phony target" "$tmp/log" "$tmp/plan" | head; fail "a phony rule names itself"; }
echo "ok: configured with -G Ninja; the build is $(wc -l <"$tmp/plan") commands"
