#!/bin/sh
# badinput_test.sh EVERYPC ARCH WORKLOAD -- bad input end to end (issue 11,
# CLI-1, SUITE-1): each is refused with exit status 2 and one line on
# stderr, "everypc: ..." naming the option, or the file, line and field;
# nothing on stdout. A usage error (issue 15) adds one line, where the help
# is: "Try 'everypc sweep --help'." (usage WANT CMD... checks it is there).
# WORKLOAD is list.go (it has main.push). With valgrind
# installed, replay's error paths are also checked to leak nothing.
set -u
everypc=$1 arch=$2 workload=$3
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
TMPDIR=$tmp/t && mkdir "$TMPDIR" && export TMPDIR
cd "$tmp" || exit 2 # a sweep wrongly accepted writes its everypc-out here
nbad=0 n=0
# expect WANT CMD...: exit 2, one line of stderr containing WANT (and, for
# a usage error, the line saying where the help is)
try_re="^Try 'everypc \([a-z]* \)\{0,1\}--help'\.\$"
expect() {
  want=$1
  shift
  n=$((n + 1))
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  lines=$(wc -l <"$tmp/err")
  first=$(head -n 1 "$tmp/err")
  if [ "$lines" -eq 2 ] && sed -n 2p "$tmp/err" | grep -q "$try_re"; then
    lines=1 tried=1
  else
    tried=0
  fi
  if [ $rc -ne 2 ] || [ "$lines" -ne 1 ] || ! printf '%s\n' "$first" | grep -qF -- "$want" ||
     ! printf '%s\n' "$first" | grep -q '^everypc: ' || [ -s "$tmp/out" ]; then
    echo "FAIL: $* -> exit $rc, $lines lines of stderr, expected 2 and one line with: $want"
    sed 's/^/  stderr: /' "$tmp/err" | head -5
    sed 's/^/  stdout: /' "$tmp/out" | head -3
    nbad=$((nbad + 1))
  fi
}
# usage WANT CMD...: as expect, and the help is pointed to
usage() {
  expect "$@"
  [ "$tried" -eq 1 ] || { echo "FAIL: $* -> no \"Try 'everypc ... --help'.\" line"; nbad=$((nbad + 1)); }
}
sw() { "$everypc" sweep --workload "$workload" --arch "$arch" --no-progress --out "$tmp/o" "$@"; }

expect "no command given" "$everypc"
# issue 15: getopt_long's errors, one line each, then "Try ..."
usage "unknown option '--bogus'" sw --func main.push --bogus
usage "unknown option '--jbos'; did you mean '--jobs'?" sw --func main.push --jbos 2
usage "unknown command 'swep'; did you mean 'sweep'?" "$everypc" swep
usage "--arch: unknown value 'amd46'; did you mean 'amd64'?" "$everypc" sweep --arch amd46
usage "--action: unknown value 'preemt'; did you mean 'preempt'?" sw --func main.push --action preemt
usage "option '--jobs' needs a value" sw --func main.push -j
usage "--jobs '0': expected an integer in 1..256" sw --func main.push --jobs=0
usage "option '--jobs' does not apply to 'replay'" "$everypc" replay x.json -j 2
usage "unexpected argument 'b'" "$everypc" list a -- b
usage "option '--resume' takes no value" sw --func main.push --resume=yes
usage "--func '': empty value" sw --func ""
expect "--func ',,': empty item in the list" sw --func ",,"
expect "--func: 'main.push' given twice" sw --func main.push,main.push
expect "--hits: '1' given twice" sw --func main.push --hits 1,1
expect "--hits '0': expected an integer in 1..1000000" sw --func main.push --hits 0
expect "--hits '-1': expected an integer" sw --func main.push --hits -1
expect "--arch: '$arch' given twice" "$everypc" sweep --workload "$workload" \
  --func main.push --arch "$arch,$arch"
expect "option '--arch' given twice" "$everypc" sweep --workload "$workload" \
  --func main.push --arch "$arch" --arch "$arch"
expect "--action: 'preempt' given twice" sw --func main.push --action preempt,preempt
expect "--mutant 'a/b': expected a mutant name" sw --func main.push --mutant a/b
expect "--mutant '../x': expected a mutant name" "$everypc" chance "$workload" \
  --inject 'main.push(1)' --mutant ../x
expect "did you mean 'no-register-scan'?" sw --func main.push --mutant no-register-scna
expect "no function main.nosuch" sw --func main.nosuch
expect "--func main.nosuch: no such function in $workload ($arch)" \
  "$everypc" list "$workload" --arch "$arch" --func main.nosuch
expect "--func main.nosuch: no such function" \
  "$everypc" list "$workload" --arch "$arch" --func main.push,main.nosuch
# a missing workload names it and the reason
expect "--workload $tmp/nosuch.go: No such file or directory" \
  "$everypc" sweep --workload "$tmp/nosuch.go" --func main.a --arch "$arch"
expect "workload $tmp/nosuch.go: No such file or directory" \
  "$everypc" list "$tmp/nosuch.go" --arch "$arch"
expect "workload $tmp/nosuch.go: No such file or directory" \
  "$everypc" chance "$tmp/nosuch.go" --arch "$arch" --inject 'main.f(1)'
printf '{"sweeps": [{"workload": "nosuch.go", "funcs": ["main.f"], "actions": ["preempt"]}]}\n' >"$tmp/suite.json"
expect "suite.json:1:26: field sweeps[0].workload: $tmp/nosuch.go: No such file or directory" \
  "$everypc" sweep "$tmp/suite.json" --arch "$arch" --out "$tmp/o"

# scenarios: func, pc and offset checked against the build; mutant and
# workload named by field
l=$("$everypc" list "$workload" --arch "$arch" --func main.push) || { echo "FAIL: list"; exit 1; }
bid=$(echo "$l" | head -n 1 | sed 's/.* build-id //')
entry=$(echo "$l" | grep '^main.push  entry' | sed 's/.*entry \(0x[0-9a-f]*\).*/\1/')
end=$(echo "$l" | grep '^main.push  entry' | sed 's/.*end \(0x[0-9a-f]*\).*/\1/')
off=$(echo "$l" | grep '^  0x' | sed -n 3p | sed 's/^ *0x[0-9a-f]*  *main\.push+\([0-9]*\) .*/\1/') # the third PC
pc=$(printf '0x%x' $((entry + off)))
scen() { # workload mutant func pc offset
  printf '{"everypc_scenario":1,"arch":"%s","workload":"%s","mutant":%s,"build_id":"%s","func":"%s","pc":"%s","offset":%s,"line":15,"hit":1,"action":"preempt","inject":null,"expected":{"verdict":"rejected"},"observed":{"verdict":"rejected","result":"pass","check":null,"detail":null}}\n' \
    "$arch" "$1" "$2" "$bid" "$3" "$4" "$5" >"$tmp/s.json"
}
scen "$workload" null main.push "$pc" $((off + 4))
expect "s.json:1:" "$everypc" replay "$tmp/s.json"
expect "field offset: $((off + 4)) disagrees with pc $pc (function entry $entry + $off)" \
  "$everypc" replay "$tmp/s.json"
scen "$workload" null main.push "$end" $((end - entry))
expect "field pc: $end lies outside main.push" "$everypc" replay "$tmp/s.json"
scen "$workload" null main.nosuch "$pc" "$off"
expect "field func: no function main.nosuch" "$everypc" replay "$tmp/s.json"
scen "$workload" '"a/b"' main.push "$pc" "$off"
expect "field mutant: \"a/b\": expected a mutant name" "$everypc" replay "$tmp/s.json"
scen "$tmp/nosuch.go" null main.push "$pc" "$off"
expect "field workload: $tmp/nosuch.go: No such file or directory" "$everypc" replay "$tmp/s.json"
# replay's error paths free what they took (valgrind, when installed):
# the offset error above, a build-id that differs, a missing function.
# Not for an ASan build (ci/do test --sanitize): valgrind cannot run it, and
# LeakSanitizer checks the same exits in the runs above.
if command -v valgrind >/dev/null 2>&1 && ! grep -qa __asan_init "$everypc"; then
  for case in offset build-id func; do
    case $case in
    offset) scen "$workload" null main.push "$pc" $((off + 4)) ;;
    build-id) scen "$workload" null main.push "$pc" "$off"; sed -i 's/"build_id":"[0-9a-f]*"/"build_id":"00"/' "$tmp/s.json" ;;
    func) scen "$workload" null main.nosuch "$pc" "$off" ;;
    esac
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
      "$everypc" replay "$tmp/s.json" >"$tmp/out" 2>&1
    rc=$?
    n=$((n + 1))
    [ $rc -eq 2 ] || { cat "$tmp/out"; echo "FAIL: replay's $case error path under valgrind: exit $rc"; nbad=$((nbad + 1)); }
  done
fi
# the same scenario with everything right replays (the checks are not
# refusing good input)
scen "$workload" null main.push "$entry" 0
"$everypc" replay "$tmp/s.json" >"$tmp/out" 2>&1 || { cat "$tmp/out"; echo "FAIL: a good scenario"; nbad=$((nbad + 1)); }

[ $nbad -eq 0 ] || { echo "FAIL: $nbad of $n bad inputs not refused as they should be"; exit 1; }
[ -z "$(ls -A "$TMPDIR")" ] || { echo "FAIL: left in TMPDIR: $(ls -A "$TMPDIR")"; exit 1; }
echo "ok: $n bad inputs refused with exit 2 and one line naming the option or field"
