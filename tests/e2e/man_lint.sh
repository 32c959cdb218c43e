#!/bin/sh
# man_lint.sh PAGE... -- each man page formats without a single warning:
# man --warnings (man-db), else groff -man -ww -z. Any output on stderr
# fails. ci/do installs man-db and groff-base.
set -u
bad=0
for page in "$@"; do
  if command -v man >/dev/null 2>&1; then
    msgs=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
    rc=$?
  elif command -v groff >/dev/null 2>&1; then
    msgs=$(groff -man -ww -z "$page" 2>&1)
    rc=$?
  else
    echo "FAIL: neither man nor groff (ci/do installs man-db and groff-base)"
    exit 1
  fi
  if [ $rc -ne 0 ] || [ -n "$msgs" ]; then
    echo "FAIL: $page (exit $rc):"
    printf '%s\n' "$msgs" | sed 's/^/  /'
    bad=$((bad + 1))
  fi
done
[ $bad -eq 0 ] || exit 1
echo "ok: $# man pages without warnings"
