#!/usr/bin/env python3
"""checkmeta_test.py EVERYPC GOSUB BUILD ARCHES... -- check-meta (issue 12
item 5, rig/checkmeta.h CM-1..3) on every workload and arch, and against
metadata made wrong on purpose.

1. `everypc check-meta W.elf` passes (exit 0, "0 PCs") for every workload
   of BUILD/workloads/<arch>/.
2. In a copy of list.elf, each of main.push's unsafe ranges of each kind
   (prologue, gc-atomic, write-barrier, epilogue) in turn is cut to end
   half-way: every
   PC the cut made safe that the machine code says is unsafe must be named
   ("the KIND window"), with exit 1; at least one per kind.
3. A sweep of that copy (main.push, preempt) fails exactly the named PCs,
   as `metadata`, and no other case.
4. gosub's own mutant (`-mutant short-prologue-range`) ends every
   prologue's unsafe range one instruction early: check-meta names exactly
   the last instruction of each function's prologue range (as the correct
   build has it; the code is the same), with exit 1.
5. gosub's mutant `-mutant wb-frame-taken` puts a write barrier on every
   pointer store into a stack object of the storing frame (CM-4): for every
   workload, check-meta names as many barrier calls "on a store into the
   function's own frame" as the mutant added to the correct build (at
   least one per arch), each a call of runtime.gcWriteBarrier; a sweep of
   stackchain.go main.grown (preempt) under the mutant fails exactly the
   named PCs of main.grown, as `metadata`. The same for checkmeta_frame.go,
   whose correct build must pass: stores through &x written *&x, (&x).f and
   (&a)[i] are into x's own storage, and gosub gives them no barrier.
6. The same over generated programs (BUILD/gosub-gen --seed 1..N, N from
   EVERYPC_CHECKMETA_SEEDS, default 6; every third with --favour stackobj,
   every third with stackobj,conservative): the correct build passes
   check-meta, and the mutant's build has exactly as many barriers named
   as it added, and nothing else.
"""
import json, os, re, shutil, struct, subprocess, sys, tempfile

everypc, gosub, build = sys.argv[1:4]
arches = sys.argv[4:]
fails = 0


def fail(msg):
    global fails
    fails += 1
    print("FAIL: " + msg)


def run(*args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p.returncode, p.stdout, p.stderr


def ranges(elf, func):
    """main.push's unsafe ranges from gosub -dump-meta: (start, end, kind)."""
    rc, out, err = run(gosub, "-dump-meta", elf)
    got, inside = [], False
    for line in out.splitlines():
        m = re.match(r"  (\S+) \[0x([0-9a-f]+), 0x([0-9a-f]+)\)", line)
        if m:
            inside = m.group(1) == func
            continue
        m = re.match(r"\s+unsafe \[0x([0-9a-f]+), 0x([0-9a-f]+)\) \S+ (\S+)", line)
        if inside and m:
            got.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
    return got


def pcs(elf, func):
    rc, out, err = run(everypc, "list", elf, "--func", func)
    return [int(m.group(1), 16) for m in re.finditer(r"^  0x([0-9a-f]+)  ", out, re.M)]


KINDS = {"prologue": 1, "epilogue": 2, "gc-atomic": 3, "write-barrier": 4}  # enum ep_unsafe_kind


def cut(src, dst, start, end, kind, new_end):
    """The struct ep_unsafe record (start, end, kind, pad) with end moved."""
    data = bytearray(open(src, "rb").read())
    key = struct.pack("<QQII", start, end, KINDS[kind], 0)
    at = data.find(key)
    if at < 0 or data.find(key, at + 1) >= 0:
        raise SystemExit("FAIL: the range [%#x, %#x) is not once in %s" % (start, end, src))
    data[at + 8:at + 16] = struct.pack("<Q", new_end)
    open(dst, "wb").write(data)
    shutil.copymode(src, dst)  # QEMU runs only an executable file


def funcs(elf):
    rc, out, err = run(gosub, "-dump-meta", elf)
    return re.findall(r"^  (\S+) \[0x", out, re.M)


def short_prologue(arch, elf):
    """Part 4: the compiler mutant, against the correct build elf."""
    want = set()
    for f in funcs(elf):
        fpcs = pcs(elf, f)
        for start, end, kind in ranges(elf, f):
            if kind == "prologue" and start == fpcs[0]:
                want.add(max(p for p in fpcs if p < end))
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "../../scenarios/workloads/list.go")
    short = os.path.join(tmp, "short-%s.elf" % arch)
    rc, out, err = run(gosub, "-arch", arch, "-mutant", "short-prologue-range", "-o", short, src)
    if rc != 0:
        fail("%s: gosub -mutant short-prologue-range: exit %d: %s" % (arch, rc, err))
        return
    rc, out, err = run(everypc, "check-meta", short)
    named = set(int(m.group(1), 16) for m in
                re.finditer(r"\(0x([0-9a-f]+)\) `.*the prologue window", out))
    if rc != 1 or not want or named != want:
        fail("%s: short-prologue-range: exit %d, named %s, expected %s: %s%s" %
             (arch, rc, sorted(hex(p) for p in named), sorted(hex(p) for p in want), out, err))
    else:
        print("ok: %s: short-prologue-range: the last prologue instruction of each of "
              "the %d functions named" % (arch, len(want)))


def barrier_calls(elf):
    """The PCs of the calls of runtime.gcWriteBarrier in elf's functions."""
    rc, out, err = run(everypc, "list", elf)
    return [int(m.group(1), 16) for m in
            re.finditer(r"^  0x([0-9a-f]+)  .*<runtime\.gcWriteBarrier>$", out, re.M)]


def frame_taken(arch, wdir):
    """Part 5: the compiler mutant wb-frame-taken, against the correct builds."""
    here = os.path.dirname(os.path.abspath(__file__))
    src_dir = os.path.join(here, "../../scenarios/workloads")
    total = 0
    # the workloads (built in wdir), and checkmeta_frame.go: stores through
    # &x (x a stack object) written as *&x, (&x).f, (&a)[i], which gosub
    # knows are x's own storage, beside one through a pointer variable
    progs = [(os.path.join(src_dir, n), os.path.join(wdir, n[:-3] + ".elf"))
             for n in sorted(os.listdir(src_dir)) if n.endswith(".go")]
    frame_src = os.path.join(here, "checkmeta_frame.go")
    frame_elf = os.path.join(tmp, "frame-%s-correct.elf" % arch)
    rc, out, err = run(gosub, "-arch", arch, "-o", frame_elf, frame_src)
    if rc != 0:
        fail("%s checkmeta_frame.go: gosub: exit %d: %s" % (arch, rc, err))
    else:
        rc, out, err = run(everypc, "check-meta", frame_elf)
        if rc != 0 or " 0 PCs" not in out:
            fail("%s checkmeta_frame.go, correct build: exit %d: %s%s" % (arch, rc, out, err))
        progs.append((frame_src, frame_elf))
        # it runs as go run does (checkmeta_frame.out), and every PC of f passes
        out_dir = os.path.join(tmp, "o-%s-frame-correct" % arch)
        rc, out, err = run(everypc, "sweep", "--workload", frame_src, "--func", "main.f",
                           "--arch", arch, "--action", "preempt-gc", "--no-progress",
                           "--out", out_dir)
        if rc != 0:
            fail("%s: checkmeta_frame.go main.f preempt-gc, correct build: exit %d: %s%s" %
                 (arch, rc, out[-600:], err[-600:]))
        else:
            print("ok: %s: checkmeta_frame.go passes check-meta and its sweep" % arch)
    for src, correct in progs:
        name = os.path.basename(src)
        mut = os.path.join(tmp, "frame-%s-%s.elf" % (arch, name[:-3]))
        rc, out, err = run(gosub, "-arch", arch, "-mutant", "wb-frame-taken", "-o", mut, src)
        if rc != 0:
            fail("%s %s: gosub -mutant wb-frame-taken: exit %d: %s" % (arch, name, rc, err))
            continue
        calls = set(barrier_calls(mut))
        added = len(calls) - len(barrier_calls(correct))
        rc, out, err = run(everypc, "check-meta", mut)
        named = set(int(m.group(1), 16) for m in
                    re.finditer(r"\(0x([0-9a-f]+)\) `.*on a store into the function's own frame",
                                out))
        if len(named) != added or not named <= calls or rc != (1 if added else 0) or \
                "metadata calls it safe" in out:
            fail("%s %s: wb-frame-taken added %d barriers; check-meta (exit %d) named %s: %s%s" %
                 (arch, name, added, rc, sorted(hex(p) for p in named), out[-600:], err))
        total += len(named)
        if name == "stackchain.go":
            grown = set(pcs(mut, "main.grown")) & named
            out_dir = os.path.join(tmp, "o-%s-frame" % arch)
            rc, out, err = run(everypc, "sweep", "--workload", src,
                               "--func", "main.grown", "--arch", arch, "--action", "preempt",
                               "--mutant", "wb-frame-taken", "--no-progress", "--out", out_dir)
            failed = {}
            for line in open(os.path.join(out_dir, "journal.jsonl")):
                r = json.loads(line)
                if r["result"] == "fail":
                    failed[int(r["pc"], 16)] = r["check"]
            if rc != 1 or not grown or set(failed) != grown or set(failed.values()) != {"metadata"}:
                fail("%s: wb-frame-taken: the sweep of main.grown (exit %d) failed %s, "
                     "check-meta named %s" % (arch, rc, {hex(k): v for k, v in failed.items()},
                                              sorted(hex(p) for p in grown)))
            else:
                print("ok: %s: wb-frame-taken: the sweep of main.grown fails exactly its %d "
                      "named barriers as metadata" % (arch, len(grown)))
    if not total:
        fail("%s: wb-frame-taken: no workload has a barrier on its frame" % arch)
    else:
        print("ok: %s: wb-frame-taken: every barrier the mutant added is named (%d)" %
              (arch, total))


def generated(arches):
    """Part 6: CM-4 on generated programs, correct and mutant builds."""
    n = int(os.environ.get("EVERYPC_CHECKMETA_SEEDS", "6"))
    named_all = 0
    for seed in range(1, n + 1):
        fav = ["", "stackobj", "stackobj,conservative"][seed % 3]
        src = os.path.join(tmp, "gen%d.go" % seed)
        rc, out, err = run(os.path.join(build, "gosub-gen"), "--seed", str(seed),
                           *(["--favour", fav] if fav else []), "-o", src)
        if rc != 0:
            fail("gosub-gen --seed %d: exit %d: %s" % (seed, rc, err))
            continue
        for arch in arches:
            elfs = {}
            for kind, extra in (("correct", []), ("mutant", ["-mutant", "wb-frame-taken"])):
                elfs[kind] = os.path.join(tmp, "gen%d-%s-%s.elf" % (seed, arch, kind))
                rc, out, err = run(gosub, "-arch", arch, *extra, "-o", elfs[kind], src)
                if rc != 0:
                    fail("seed %d %s %s: gosub: exit %d: %s" % (seed, arch, kind, rc, err))
            if not all(os.path.exists(e) for e in elfs.values()):
                continue
            rc, out, err = run(everypc, "check-meta", elfs["correct"])
            if rc != 0 or " 0 PCs" not in out:
                fail("seed %d %s: the correct build: exit %d: %s%s" % (seed, arch, rc, out[-600:], err))
            added = len(barrier_calls(elfs["mutant"])) - len(barrier_calls(elfs["correct"]))
            rc, out, err = run(everypc, "check-meta", elfs["mutant"])
            named = len(re.findall(r"on a store into the function's own frame", out))
            if named != added or "metadata calls it safe" in out:
                fail("seed %d %s: wb-frame-taken added %d barriers, check-meta named %d: %s" %
                     (seed, arch, added, named, out[-600:]))
            named_all += named
    print("ok: %d generated programs x %d arches: correct builds pass, every barrier "
          "wb-frame-taken added named (%d)" % (n, len(arches), named_all))


tmp = tempfile.mkdtemp()
try:
    for arch in arches:
        wdir = os.path.join(build, "workloads", arch)
        for name in sorted(os.listdir(wdir)):
            if not name.endswith(".elf") or "." in name[:-4]:
                continue  # mutants' builds are the same code
            rc, out, err = run(everypc, "check-meta", os.path.join(wdir, name))
            if rc != 0 or " 0 PCs" not in out:
                fail("%s %s: exit %d: %s%s" % (arch, name, rc, out[-300:], err))
        print("ok: %s: every workload passes check-meta" % arch)

        elf = os.path.join(wdir, "list.elf")
        short_prologue(arch, elf)
        frame_taken(arch, wdir)
        all_pcs = pcs(elf, "main.push")
        for kind in ("prologue", "gc-atomic", "write-barrier", "epilogue"):
            rs = [r for r in ranges(elf, "main.push") if r[2] == kind]
            if not rs:
                fail("%s: main.push has no %s range" % (arch, kind))
                continue
            start, end, _ = rs[0]
            inside = [p for p in all_pcs if start <= p < end]
            if len(inside) < 2:
                fail("%s: the %s range holds %d instructions" % (arch, kind, len(inside)))
                continue
            new_end = inside[len(inside) // 2]
            bad = os.path.join(tmp, "list.elf")
            cut(elf, bad, start, end, kind, new_end)
            rc, out, err = run(everypc, "check-meta", bad, "--func", "main.push")
            named = set(int(m.group(1), 16) for m in
                        re.finditer(r"\(0x([0-9a-f]+)\) `.*the %s window" % kind, out))
            if rc != 1 or not named:
                fail("%s: %s cut at %#x: exit %d, named %s: %s%s" %
                     (arch, kind, new_end, rc, sorted(named), out, err))
                continue
            if any(p < new_end or p >= end for p in named):
                fail("%s: %s: a PC named outside what the cut made safe: %s" % (arch, kind, out))
            print("ok: %s: %s cut at %#x: %d PCs named" % (arch, kind, new_end, len(named)))
            # the sweep: those cases, and only those, fail as metadata
            shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "../../scenarios/workloads/list.out"),
                        os.path.join(tmp, "list.out"))
            out_dir = os.path.join(tmp, "o-%s-%s" % (arch, kind))
            rc, out, err = run(everypc, "sweep", "--workload", bad, "--func", "main.push",
                               "--arch", arch, "--action", "preempt", "--no-progress",
                               "--out", out_dir)
            failed = {}
            for line in open(os.path.join(out_dir, "journal.jsonl")):
                r = json.loads(line)
                if r["result"] == "fail":
                    failed[int(r["pc"], 16)] = r["check"]
            if rc != 1 or set(failed) != named or set(failed.values()) != {"metadata"}:
                fail("%s: %s: the sweep (exit %d) failed %s, check-meta named %s" %
                     (arch, kind, rc, {hex(k): v for k, v in failed.items()},
                      sorted(hex(p) for p in named)))
            else:
                print("ok: %s: %s: the sweep fails exactly those %d cases as metadata" %
                      (arch, kind, len(named)))
    generated(arches)
finally:
    shutil.rmtree(tmp)
sys.exit(1 if fails else 0)
