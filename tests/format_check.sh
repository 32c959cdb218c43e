#!/bin/sh
# format_check.sh SRCDIR -- every C source and header of the tree is as
# clang-format (the tree's .clang-format) writes it. Formatting differs
# between clang-format releases, so the check runs with the major version
# the tree was formatted with (tests/clang-format-version); with another
# one it is skipped (exit 77), not passed.
set -u
src=$1
want=$(cat "$src/tests/clang-format-version")
cf=$(command -v "clang-format-$want" || command -v clang-format) ||
  { echo "SKIP: no clang-format"; exit 77; }
have=$("$cf" --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
[ "$have" = "$want" ] || { echo "SKIP: $cf is version $have, the tree is formatted with $want"; exit 77; }
cd "$src" || exit 1
files=$(find rig runtime tests -name '*.[ch]' -not -path '*/build*' | sort)
bad=0
for f in $files; do
  if ! "$cf" --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (clang-format -i $f)"
    bad=$((bad + 1))
  fi
done
[ $bad -eq 0 ] || { echo "FAIL: $bad files not formatted"; exit 1; }
echo "ok: $(echo "$files" | wc -l) files formatted"
