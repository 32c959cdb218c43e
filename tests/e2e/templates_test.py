#!/usr/bin/env python3
"""templates_test.py EVERYPC SRCDIR ARCH -- the CI templates of ci/ are valid
YAML of the expected shape, and the everypc commands they run, run here
exactly as written (on a small suite instead of the default one, the
CI system's variables set as it sets them), give after the merge the
journal, report and JUnit of the same sweep unsharded."""
import os, subprocess, sys, tempfile, json, filecmp

import yaml  # Debian: python3-yaml (ci/do installs it)

everypc, src, arch = sys.argv[1:4]
everypc = os.path.abspath(everypc)

def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def load(rel):
    with open(os.path.join(src, rel)) as f:
        return yaml.safe_load(f)


def run(cmd, cwd, env):
    """One command line of a template, as a CI runner's shell runs it."""
    cmd = cmd.replace("build/everypc", everypc)
    r = subprocess.run(["bash", "-e", "-c", cmd], cwd=cwd, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return r.returncode, r.stdout


def lines_with(steps, word):
    out = []
    for s in steps:
        body = s.get("run", "") if isinstance(s, dict) else s
        if word in body:
            out.append(body)
    return out


gh = load("ci/github/everypc.yml")
gl = load("ci/gitlab/everypc.yml")

# the shape users rely on
sweep = gh["jobs"]["sweep"]
hosts = sweep["strategy"]["matrix"]["host"]
if hosts != ["ubuntu-24.04", "ubuntu-24.04-arm"]:
    fail("github: the host matrix is %r" % hosts)
shards = sweep["strategy"]["matrix"]["shard"]
if shards != list(range(1, int(gh["env"]["SHARDS"]) + 1)):
    fail("github: matrix.shard %r does not match SHARDS" % shards)
if gh["jobs"]["merge"]["needs"] != "sweep":
    fail("github: merge does not need the sweep")
if gl["everypc-sweep"]["parallel"] != len(shards):
    fail("gitlab: parallel is not %d" % len(shards))
if gl["everypc-merge"]["artifacts"]["reports"]["junit"] != "merged/junit.xml":
    fail("gitlab: no JUnit report")

tmp = tempfile.mkdtemp()
suite = os.path.join(tmp, "small.json")
with open(suite, "w") as f:
    json.dump({"name": "small", "arches": [arch], "sweeps": [
        {"workload": os.path.join(src, "scenarios/workloads/list.go"),
         "funcs": ["main.push"], "actions": ["preempt", "preempt-gc"]}]}, f)
env = dict(os.environ, EVERYPC_SUITE=suite, SOURCE_DATE_EPOCH="1700000000")
for k in ("CI_NODE_INDEX", "CI_NODE_TOTAL", "TEST_SHARD_INDEX", "TEST_TOTAL_SHARDS",
          "GTEST_SHARD_INDEX", "GTEST_TOTAL_SHARDS", "BUILDKITE_PARALLEL_JOB",
          "BUILDKITE_PARALLEL_JOB_COUNT"):
    env.pop(k, None)

# the same sweep, unsharded, with the same relative --out names
ref = os.path.join(tmp, "ref")
os.makedirs(ref)
rc, out = run('build/everypc sweep "$EVERYPC_SUITE" --out merged --junit merged/junit.xml --no-progress',
              ref, env)
if rc != 0:
    fail("unsharded sweep exited %d:\n%s" % (rc, out))


def same(where):
    for f in ("journal.jsonl", "report.html", "junit.xml", "plan.tsv"):
        if not filecmp.cmp(os.path.join(ref, "merged", f),
                           os.path.join(where, "merged", f), shallow=False):
            fail("%s: merged %s differs from the unsharded sweep's" % (where, f))


# GitHub Actions: each matrix.shard runs the sweep step, the merge job the
# merge step (the artifacts land in out/shard-N as the download step puts
# them)
wd = os.path.join(tmp, "github")
os.makedirs(wd)
genv = dict(env, SHARDS=str(len(shards)), GITHUB_STEP_SUMMARY=os.path.join(tmp, "summary.md"))
(step,) = lines_with(sweep["steps"], "everypc sweep")
for i in shards:
    rc, out = run(step.replace("${{ matrix.shard }}", str(i)), wd, genv)
    if rc != 0:
        fail("github sweep step, shard %d, exited %d:\n%s" % (i, rc, out))
(step,) = lines_with(gh["jobs"]["merge"]["steps"], "everypc merge")
rc, out = run(step, wd, genv)
if rc != 0:
    fail("github merge step exited %d:\n%s" % (rc, out))
same(wd)
if "```" not in open(genv["GITHUB_STEP_SUMMARY"]).read():
    fail("github: the merge step wrote no digest block to the job summary")

# GitLab CI: `parallel: N` sets CI_NODE_INDEX (1..N) and CI_NODE_TOTAL
wd = os.path.join(tmp, "gitlab")
os.makedirs(wd)
for i in range(1, gl["everypc-sweep"]["parallel"] + 1):
    lenv = dict(env, CI_NODE_INDEX=str(i), CI_NODE_TOTAL=str(gl["everypc-sweep"]["parallel"]))
    for line in gl["everypc-sweep"]["script"]:
        rc, out = run(line, wd, lenv)
        if rc != 0:
            fail("gitlab sweep job %d exited %d:\n%s" % (i, rc, out))
for line in gl["everypc-merge"]["script"]:
    rc, out = run(line, wd, env)
    if rc != 0:
        fail("gitlab merge job exited %d:\n%s" % (rc, out))
same(wd)
subprocess.run(["rm", "-rf", tmp])
print("ok: both templates parse; their commands give the unsharded results (%d shards)" % len(shards))
