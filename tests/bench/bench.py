#!/usr/bin/env python3
"""bench.py -- the cost model of a case (issue 16), driven by `ci/do bench`.

  bench.py --build DIR [--arch LIST] [--action LIST] [--reps N] [--perf]
           [--smoke] [--keep DIR]

Prints plain-text tables, one row a line:
  1. cost: per arch x action, a sweep of one function with one worker
     (list.go main.push for the preempt actions, inject.go main.walk with
     main.churn(30) for the inject actions): cases/s; rig, QEMU and other
     CPU per case. Timed in a run without --trace-rsp (tracing costs the rig
     a write per packet), with /proc of the process tree sampled every
     20 ms; the total is exact (the finished everypc's own and reaped
     children's CPU, read before it is reaped).
  2. requests: per arch x action, RSP requests per case by packet kind, and
     stops per case by what resumed the guest (s, c, C) and the stop reply
     (T05 ...), from a second run with --trace-rsp.
  3. rt / flush: everypc_rspbench per arch (round trip of each request
     kind; whether QEMU retranslates after a stop, a Z0/z0, a step).
  suite (--suite): the default suite, `everypc sweep --jobs 2` (issue 16's
     goals: cases/s with 2 workers, the rig's CPU as a share of wall time),
     measured as the sweeps of table 1 are; a few minutes.
  4. perf (--perf): the shares of user-space CPU by process, then the top
     symbols of the rig and of QEMU, over one sweep (list.go main.push and
     main.sum, the preempt actions, the first arch), perf record -e
     cpu-clock:u (user space only: perf_event_paranoid 2 allows it).
Every table is headed by the load average (`uptime`) at its start.
--smoke: amd64, preempt, a tenth of the cases, 8 repetitions: checks that
the tables are well formed (CTest bench.smoke), measures nothing.
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ARCHES = ["amd64", "arm64", "riscv64"]
QEMU = {"amd64": "qemu-x86_64", "arm64": "qemu-aarch64",
        "riscv64": "qemu-riscv64"}
PREEMPT = ["preempt", "preempt-gc", "preempt-gc-shrink"]
INJECT = ["inject", "inject-gc", "inject-freeze"]
TICK = os.sysconf("SC_CLK_TCK")


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def qemu_of(arch):
    return os.environ.get("EVERYPC_QEMU_" + arch.upper()) or \
        shutil.which(QEMU[arch]) or QEMU[arch]


def sweep_args(everypc, arch, action, out, shard):
    if action in INJECT:
        w = ["--workload", "scenarios/workloads/inject.go",
             "--func", "main.walk", "--inject", "main.churn(30)"]
    else:
        w = ["--workload", "scenarios/workloads/list.go", "--func", "main.push"]
    a = [everypc, "sweep"] + w + ["--arch", arch, "--action", action,
                                  "--jobs", "1", "--no-progress", "--out", out]
    if shard:
        a += ["--shard", shard]
    return a


# ---- CPU of a process tree ------------------------------------------------

def stat_fields(pid):
    """(comm, utime+stime s, cutime+cstime s) of /proc/PID/stat or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
    except OSError:
        return None
    comm = s[s.index("(") + 1:s.rindex(")")]
    rest = s[s.rindex(")") + 2:].split()
    # rest[0] is field 3 (state): utime is field 14, so rest[11]
    return (comm, (int(rest[11]) + int(rest[12])) / TICK,
            (int(rest[13]) + int(rest[14])) / TICK)


def task_cpu(pid):
    """CPU seconds of all threads of PID (schedstat, ns), or None."""
    tot = 0
    try:
        for t in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/schedstat" % (pid, t)) as f:
                tot += int(f.read().split()[0])
    except OSError:
        return None
    return tot / 1e9


def descendants(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            with open("/proc/%d/task/%d/children" % (p, p)) as f:
                kids = [int(x) for x in f.read().split()]
        except OSError:
            kids = []
        out += kids
        todo += kids
    return out


def run_measured(argv, cwd):
    """Run argv; return (wall s, rc, cpu by role {rig, qemu, other, total})."""
    seen = {}   # pid -> (comm, last CPU seen)
    t0 = time.monotonic()
    p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    while True:
        for q in descendants(p.pid):
            st = stat_fields(q)
            c = task_cpu(q)
            if st and c is not None:
                seen[q] = (st[0], c)
        try:
            r = os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG)
        except ChildProcessError:
            r = None
        if r is not None:
            break
        time.sleep(0.02)
    wall = time.monotonic() - t0
    comm, self_cpu, child_cpu = stat_fields(p.pid)   # a zombie: exact
    err = p.stderr.read().decode(errors="replace")
    rc = p.wait()
    cpu = collections.Counter()
    for q, (c, s) in seen.items():
        role = "qemu" if c.startswith("qemu-") else \
            "rig" if c == "everypc" else "other"
        cpu[role] += s
    cpu["rig"] += self_cpu
    cpu["total"] = self_cpu + child_cpu
    cpu["other"] = max(0.0, cpu["total"] - cpu["rig"] - cpu["qemu"])
    return wall, rc, cpu, err


# ---- packets --------------------------------------------------------------

def packet_kind(data):
    if data[:1] in ("q", "Q", "v"):
        return re.split(r"[:;,]", data, 1)[0]
    if data[:2] in ("Z0", "z0", "Z1", "z1"):
        return data[:2]
    return data[:1]


def count_trace(path):
    """Requests by kind and stops by (resume kind, reply) in a trace."""
    req, stops = collections.Counter(), collections.Counter()
    resume = "?"
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("rsp> "):
                k = packet_kind(line[5:].rstrip("\n"))
                req[k] += 1
                if k in ("s", "c", "C", "?", "vCont"):
                    resume = k
            elif line.startswith("rsp< ") and line[5:6] in "TSWX" and \
                    line[5:6]:
                stops["%s>%s" % (resume, line[5:8])] += 1
    return req, stops


def journal_cases(out):
    try:
        with open(os.path.join(out, "journal.jsonl")) as f:
            return sum(1 for line in f if line.strip())
    except OSError:
        return 0


# ---- tables ---------------------------------------------------------------

def cost_tables(a, tmp, src):
    everypc = os.path.join(a.build, "everypc")
    cost, reqs = [], []
    for arch in a.arch:
        for action in a.action:
            out = os.path.join(tmp, "%s-%s" % (arch, action))
            wall, rc, cpu, err = run_measured(
                sweep_args(everypc, arch, action, out, a.shard), src)
            n = journal_cases(out)
            if rc not in (0, 1) or n == 0:
                sys.exit("bench: sweep %s %s failed (exit %d): %s" %
                         (arch, action, rc, err.strip()[-400:]))
            trace = os.path.join(tmp, "trace-%s-%s" % (arch, action))
            out2 = out + "-traced"
            argv = sweep_args(everypc, arch, action, out2, a.shard)
            subprocess.run(argv + ["--trace-rsp", trace], cwd=src,
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            req, stops = count_trace(trace)
            n2 = journal_cases(out2) or 1
            cost.append((arch, action, n, wall, cpu, load()))
            reqs.append((arch, action, n2, req, stops))
    print("cost %-8s %-17s %5s %7s %8s %8s %8s %8s %6s  %s" %
          ("arch", "action", "cases", "wall_s", "cases/s", "rig_ms",
           "qemu_ms", "other_ms", "rig%", "load"))
    for arch, action, n, wall, cpu, ld in cost:
        print("cost %-8s %-17s %5d %7.2f %8.1f %8.2f %8.2f %8.2f %5.1f%%  %s" %
              (arch, action, n, wall, n / wall, 1e3 * cpu["rig"] / n,
               1e3 * cpu["qemu"] / n, 1e3 * cpu["other"] / n,
               100 * cpu["rig"] / wall, ld))
    print()
    for arch, action, n, req, stops in reqs:
        tot = sum(req.values())
        kinds = "  ".join("%s %.2f" % (k, v / n) for k, v in req.most_common())
        print("requests %-8s %-17s %5d cases %7.2f/case: %s" %
              (arch, action, n, tot / n, kinds))
        st = "  ".join("%s %.2f" % (k, v / n) for k, v in stops.most_common())
        print("stops    %-8s %-17s %5d cases %7.2f/case: %s" %
              (arch, action, n, sum(stops.values()) / n, st))
    print()


def rspbench_tables(a):
    exe = os.path.join(a.build, "tests", "bench", "everypc_rspbench")
    for arch in a.arch:
        guest = os.path.join(a.build, "tests", "bench", "benchguest_" + arch)
        print("load %s" % load())
        r = subprocess.run([exe, arch, qemu_of(arch), guest, "--reps",
                            str(a.reps)], stdout=subprocess.PIPE, text=True)
        if r.returncode != 0:
            sys.exit("bench: everypc_rspbench %s failed" % arch)
        sys.stdout.write(r.stdout)
        print()
        sys.stdout.flush()


def pingpong_table(a):
    """everypc_pingpong: one exchange shaped as an RSP request and QEMU's
    two-write answer, the two processes on any CPU, then on one (POOL-2)."""
    exe = os.path.join(a.build, "tests", "bench", "everypc_pingpong")
    print("load %s" % load())
    r = subprocess.run([exe, "2000" if a.smoke else "20000"],
                       stdout=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit("bench: everypc_pingpong failed")
    sys.stdout.write(r.stdout)
    print()
    sys.stdout.flush()


def perf_report(data, comm, sort, limit, rows):
    argv = ["perf", "report", "-i", data, "--stdio", "--no-children",
            "--sort", sort, "-g", "none", "--percentage", "relative",
            "--percent-limit", str(limit)]
    if comm:
        argv += ["--comm", comm]
    rep = subprocess.run(argv, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    lines = [ln for ln in rep.stdout.splitlines()
             if ln.strip() and not ln.startswith("#")]
    for ln in lines[:rows]:
        print("perf %-12s %s" % (comm or "all", " ".join(ln.split())))
    print()


def perf_table(a, tmp, src):
    """The shares of CPU by process name, then the top symbols of the rig
    (everypc) and of QEMU, over one sweep of list.go main.push and main.sum
    with the preempt actions on the first arch, one worker."""
    if not shutil.which("perf"):
        print("perf: not installed (ci/do packages names it)")
        return
    data = os.path.join(tmp, "perf.data")
    arch = a.arch[0]
    acts = [x for x in a.action if x in PREEMPT] or ["preempt"]
    argv = sweep_args(os.path.join(a.build, "everypc"), arch, ",".join(acts),
                      os.path.join(tmp, "perf-out"), a.shard)
    argv[argv.index("main.push")] = "main.push,main.sum"
    print("perf: %s; load %s" % (" ".join(argv[1:]), load()))
    r = subprocess.run(["perf", "record", "-q", "-e", "cpu-clock:u", "-F",
                        "1000", "-o", data, "--"] + argv,
                       cwd=src, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode not in (0, 1):
        print("perf: record failed: %s" % r.stderr.strip()[-300:])
        return
    perf_report(data, None, "comm", 0.5, 10)
    perf_report(data, "everypc", "dso,sym", 0.5, 20)
    perf_report(data, QEMU[arch], "dso,sym", 0.5, 15)


def suite_table(a, tmp, src):
    out = os.path.join(tmp, "suite")
    everypc = os.path.join(a.build, "everypc")
    print("suite: the default suite, everypc sweep --jobs 2; load %s" % load())
    wall, rc, cpu, err = run_measured(
        [everypc, "sweep", "--jobs", "2", "--no-progress", "--out", out], src)
    n = journal_cases(out)
    if rc not in (0, 1) or n == 0:
        sys.exit("bench: the default suite failed (exit %d): %s" %
                 (rc, err.strip()[-400:]))
    print("suite cases %d wall %.1f s cases/s %.1f" % (n, wall, n / wall))
    for role in ("rig", "qemu", "other"):
        print("suite %-5s CPU %.1f s = %.1f %% of wall, %.2f ms/case" %
              (role, cpu[role], 100 * cpu[role] / wall, 1000 * cpu[role] / n))
    print()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--arch", default=",".join(ARCHES))
    ap.add_argument("--action", default=",".join(PREEMPT + INJECT))
    ap.add_argument("--reps", type=int, default=400)
    ap.add_argument("--perf", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--suite", action="store_true")
    ap.add_argument("--keep")
    a = ap.parse_args()
    a.build = os.path.abspath(a.build)
    a.arch = a.arch.split(",")
    a.action = a.action.split(",")
    a.shard = None
    if a.smoke:
        a.arch, a.action, a.reps, a.shard = ["amd64"], ["preempt"], 8, "1/10"
    src = os.path.join(a.build, "share", "everypc")
    tmp = a.keep or tempfile.mkdtemp(prefix="everypc-bench.")
    os.makedirs(tmp, exist_ok=True)
    q = subprocess.run([qemu_of(a.arch[0]), "--version"],
                       stdout=subprocess.PIPE, text=True).stdout.split("\n")[0]
    print("bench: %s; %d cores; %s; load %s" %
          (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           os.cpu_count(), q, load()))
    print()
    try:
        if a.suite:
            suite_table(a, tmp, src)
        cost_tables(a, tmp, src)
        rspbench_tables(a)
        pingpong_table(a)
        if a.perf:
            perf_table(a, tmp, src)
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
