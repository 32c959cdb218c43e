#!/usr/bin/env python3
"""list_test.py EVERYPC GOSUB WORKLOAD ARCHES -- everypc list (issue 15
item 5, rig/list.h), every column checked against an independent reading:

  - per arch in ARCHES (a comma list), an ELF gosub builds from a copy of
    WORKLOAD by its base name (as the rig builds it, the source beside the
    ELF, where list finds it), listed without --arch (an ELF's own
    arch): its build-id, functions and [entry, end) as `gosub -dump-meta`
    prints them; every instruction of the target's objdump -d once, at
    its absolute PC, with func+offset = PC - entry in decimal and
    objdump's text (symbol offsets in decimal too); the safety and the
    live registers and sp+N slots of the unsafe range and oracle record
    -dump-meta shows for that PC; the source lines: the workload's own
    text of that line, once per run of PCs, the function's line first;
  - WORKLOAD (.go) listed with --func as a comma list and every arch at
    once: the arches in the order given, each the same as its ELF's
    listing; twice, byte-identical;
  - errors, exit 2, one line on stderr, nothing on stdout: an unknown
    function (with did-you-mean), an unknown arch, an ELF asked for another
    arch, an arch without objdump, an arch whose runtime is missing."""
import os, re, shutil, subprocess, sys, tempfile

everypc, gosub, workload, arches = sys.argv[1:5]
everypc, gosub = os.path.abspath(everypc), os.path.abspath(gosub)
workload = os.path.abspath(workload)
arches = arches.split(",")
FUNCS = ["main.push", "main.sum"]
TRIPLE = {"amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu",
          "riscv64": "riscv64-linux-gnu"}
bad = []


def fail(msg):
    bad.append(msg)
    print("FAIL:", msg)


def run(argv, env=None, cwd=None):
    p = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def objdump_of(arch):
    v = os.environ.get("EVERYPC_OBJDUMP_" + arch.upper())
    return v or shutil.which(TRIPLE[arch] + "-objdump") or "objdump"


def dec_offsets(text):
    """objdump's <sym+0x1c> as the rig writes it: <sym+28>."""
    return re.sub(r"<([^<>+]*)\+0x([0-9a-f]+)>",
                  lambda m: "<%s+%d>" % (m.group(1), int(m.group(2), 16)), text)


def disassembly(arch, elf):
    """{pc: text} of every instruction objdump -d decodes."""
    rc, out, err = run([objdump_of(arch), "-d", "--no-show-raw-insn", elf])
    if rc:
        sys.exit("objdump %s: %s" % (elf, err))
    insns = {}
    for line in out.splitlines():
        m = re.match(r"^ *([0-9a-f]+):\t(.*)$", line)
        if m:
            insns[int(m.group(1), 16)] = " ".join(
                dec_offsets(m.group(2).replace("\t", " ")).split())
    return insns


def dump_meta(elf):
    """build-id and {func: (entry, end, line, unsafe, oracle)} as gosub's
    own reader prints them."""
    rc, out, err = run([gosub, "-dump-meta", elf])
    if rc:
        sys.exit("gosub -dump-meta %s: %s" % (elf, err))
    bid, funcs, cur = None, {}, None
    for line in out.splitlines():
        m = re.match(r"^build-id: ([0-9a-f]+)$", line)
        bid = m.group(1) if m else bid
        m = re.match(r"^  (\S+) \[0x([0-9a-f]+), 0x([0-9a-f]+)\) line (\d+)", line)
        if m:
            cur = funcs[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16),
                                       int(m.group(4)), [], [])
            continue
        m = re.match(r"^    unsafe \[0x([0-9a-f]+), 0x([0-9a-f]+)\) \S+ (\S+)$", line)
        if m and cur:
            cur[3].append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
        m = re.match(r"^    oracle \[0x([0-9a-f]+), 0x([0-9a-f]+)\) \S+ regs: (.*) slots: (.*)"
                     r" live regs: .* live slots: .*$", line)
        if m and cur:
            live = [r for r in m.group(3).split() if r != "-"] + \
                   [s.replace("SP+", "sp+") for s in m.group(4).split() if s != "-"]
            cur[4].append((int(m.group(1), 16), int(m.group(2), 16),
                           " ".join(live) or "-"))
    return bid, funcs


def covering(ranges, pc, none):
    for lo, hi, what in ranges:
        if lo <= pc < hi:
            return what
    return none


ROW = re.compile(r"^  (0x[0-9a-f]+) +(\S+)\+(\d+) +(safe|unsafe \S+) +(.*?)  +(\S.*)$")
SRC = re.compile(r"^(\S+):(\d+)(?:\t(.*))?$")


def check_func(arch, name, meta, insns, lines, body):
    """body: the lines of one function's listing after its header."""
    entry, end, fline, unsafe, oracle = meta
    want = sorted(pc for pc in insns if entry <= pc < end)
    got, last_src, nsrc = [], None, 0
    for l in body:
        s, r = SRC.match(l), ROW.match(l)
        if l.startswith("  PC "):
            continue
        if s and not r:
            f, n, text = s.group(1), int(s.group(2)), s.group(3)
            if not got and n != fline:
                fail("%s %s: first source line %d, not the function's %d" % (arch, name, n, fline))
            if (f, n) == last_src:
                fail("%s %s: source line %s:%d twice in a run" % (arch, name, f, n))
            if f == os.path.basename(workload) and text != lines[n - 1].rstrip():
                fail("%s %s: %s:%d shows %r, the file has %r" % (arch, name, f, n, text, lines[n - 1]))
            last_src, nsrc = (f, n), nsrc + 1
            continue
        if not r:
            fail("%s %s: unexpected line %r" % (arch, name, l))
            continue
        pc, fn, off, safe, live, text = r.groups()
        pc, off = int(pc, 16), int(off)
        got.append(pc)
        if fn != name or pc != entry + off:
            fail("%s %s: row %s+%d at 0x%x (entry 0x%x)" % (arch, name, fn, off, pc, entry))
        kind = covering(unsafe, pc, None)
        if safe != ("unsafe " + kind if kind else "safe"):
            fail("%s %s+%d: safety %r, the metadata says %r" % (arch, name, off, safe, kind))
        if live != covering(oracle, pc, "?"):
            fail("%s %s+%d: live %r, the oracle map says %r" % (arch, name, off, live, covering(oracle, pc, "?")))
        if " ".join(text.split()) != insns.get(pc):
            fail("%s %s+%d: instruction %r, objdump says %r" % (arch, name, off, text, insns.get(pc)))
    if got != want:
        fail("%s %s: %d PCs listed, objdump has %d in [0x%x, 0x%x)" % (arch, name, len(got), len(want), entry, end))
    if not nsrc:
        fail("%s %s: no source line" % (arch, name))
    return body


def split_listing(out):
    """{arch: (header line, {func: (header, body lines)})} in order."""
    sections, cur, fn = {}, None, None
    for l in out.splitlines():
        m = re.match(r"^\S+ \((\w+)\) build-id [0-9a-f]+$", l)
        if m:
            cur = sections[m.group(1)] = (l, {})
            continue
        m = re.match(r"^(\S+)  entry 0x[0-9a-f]+  end", l)
        if m and cur:
            fn = m.group(1)
            cur[1][fn] = (l, [])
        elif l and fn:
            cur[1][fn][1].append(l)
    return sections


def check_elf(tmp, arch, lines):
    d = os.path.join(tmp, arch)
    os.makedirs(d)
    elf = os.path.join(d, "w.elf")
    # the rig's way (from the workload's directory, by its base name), the
    # source beside the ELF, where list looks for it
    shutil.copy(workload, d)
    rc, _, err = run([gosub, "-arch", arch, "-o", elf, os.path.basename(workload)],
                     cwd=d)
    if rc:
        sys.exit("gosub: " + err)
    bid, meta = dump_meta(elf)
    insns = disassembly(arch, elf)
    rc, out, err = run([everypc, "list", elf, "--func", ",".join(FUNCS)])
    if rc or err:
        fail("list %s: exit %d, %s" % (elf, rc, err))
    secs = split_listing(out)
    if list(secs) != [arch]:
        fail("list %s (no --arch): arches %s, not its own %s" % (elf, list(secs), arch))
        return secs
    head, funcs = secs[arch]
    if head != "%s (%s) build-id %s" % (elf, arch, bid):
        fail("list %s: first line %r, build-id %s" % (elf, head, bid))
    if list(funcs) != sorted(FUNCS, key=lambda f: meta[f][0]):
        fail("%s: functions %s listed, asked %s" % (arch, list(funcs), FUNCS))
    for name, (h, body) in funcs.items():
        entry, end = meta[name][0], meta[name][1]
        if not h.startswith("%s  entry 0x%x  end 0x%x  " % (name, entry, end)):
            fail("%s: header %r, the metadata says [0x%x, 0x%x)" % (arch, h, entry, end))
        check_func(arch, name, meta[name], insns, lines, body)
    rows = [ROW.match(l).groups() for _, b in funcs.values() for l in b if ROW.match(l)]
    live = [t for r in rows for t in r[4].split()]
    for what, ok in (("a live register", any(t[0].isalpha() and not t.startswith("sp+") for t in live)),
                     ("a live stack slot", any(t.startswith("sp+") for t in live)),
                     ("an unsafe PC", any(r[3] != "safe" for r in rows)),
                     ("a safe PC", any(r[3] == "safe" for r in rows))):
        if not ok:
            fail("%s: no row with %s" % (arch, what))
    return secs


def expect_error(what, argv, want, env=None):
    rc, out, err = run(argv, env=env)
    first = err.splitlines()[0] if err else ""
    if rc != 2 or out or not re.search(want, first) or len(err.splitlines()) > 2:
        fail("%s: exit %d, stdout %d bytes, stderr %r; want exit 2, nothing, %r"
             % (what, rc, len(out), err, want))


def check_errors(tmp, elfs):
    a0 = arches[0]
    base = [everypc, "list", workload, "--arch", a0]
    expect_error("unknown function", base + ["--func", "main.pus"],
                 r"^everypc: --func main\.pus: no such function in .* \(%s\); "
                 r"did you mean 'main\.push'\?$" % a0)
    expect_error("one unknown in a comma list", base + ["--func", "main.push,main.nosuch"],
                 r"--func main\.nosuch: no such function")
    expect_error("unknown arch", [everypc, "list", workload, "--arch", "arm46"],
                 r"--arch: unknown value 'arm46'; did you mean 'arm64'\?")
    other = [a for a in TRIPLE if a != a0][0]
    expect_error("ELF for another arch", [everypc, "list", elfs[a0], "--arch", other],
                 r"^everypc: %s: .* is built for %s, not %s$" % (other, a0, other))
    env = dict(os.environ)
    env["EVERYPC_OBJDUMP_" + arches[-1].upper()] = os.path.join(tmp, "no-objdump")
    expect_error("arch without objdump",
                 [everypc, "list", workload, "--arch", ",".join(arches)],
                 r"^everypc: %s: .*no-objdump" % arches[-1], env)
    env = dict(os.environ)
    env["EVERYPC_RUNTIME_DIR"] = os.path.join(tmp, "no-runtime")
    expect_error("arch without runtime", base,
                 r"^everypc: %s: building .* for %s failed" % (a0, a0), env)


def main():
    with open(workload) as f:
        lines = f.read().split("\n")
    tmp = tempfile.mkdtemp()
    os.environ["TMPDIR"] = tmp
    try:
        elfs, bodies = {}, {}
        for arch in arches:
            secs = check_elf(tmp, arch, lines)
            elfs[arch] = os.path.join(tmp, arch, "w.elf")
            bodies[arch] = secs.get(arch, (None, {}))[1]
        argv = [everypc, "list", workload, "--func", ",".join(reversed(FUNCS)),
                "--arch", ",".join(reversed(arches))]
        rc, out, err = run(argv)
        if rc or err:
            fail("%s: exit %d, %s" % (" ".join(argv), rc, err))
        secs = split_listing(out)
        if list(secs) != list(reversed(arches)):
            fail("--arch %s: sections %s" % (",".join(reversed(arches)), list(secs)))
        for arch, (_, funcs) in secs.items():
            if funcs != bodies[arch]:
                fail("%s: the .go's listing differs from its ELF's" % arch)
        if run(argv)[1] != out:
            fail("two listings of the same request differ")
        check_errors(tmp, elfs)
        left = [n for n in os.listdir(tmp) if n.startswith("everypc-")]
        if left:
            fail("scratch left in TMPDIR: %s" % left)
    finally:
        shutil.rmtree(tmp)
    if bad:
        sys.exit(1)
    print("ok: list on %s: PCs, offsets, source, disassembly, safety and live "
          "pointers as objdump and the metadata say; comma lists; %s"
          % (",".join(arches), "6 errors refused"))


main()
