#!/usr/bin/env python3
"""presets_test.py SRC BUILD -- CMakePresets.json and compile_commands.json
(issue 15 item 6):

  1. cmake accepts CMakePresets.json and lists the configure, build and test
     presets default, debug and sanitize;
  2. `default` and `sanitize` build where ci/do builds (build/,
     build-sanitize/), and `sanitize` is what `ci/do test --sanitize` builds
     and runs: the same -D options, timeout scale and sanitizer options, and
     the same test labels -- all read from ci/do itself, so that changing
     one side without the other fails here;
  3. BUILD/compile_commands.json exists and holds the rig's and gosub's
     sources with their flags.
"""
import json
import os
import re
import shlex
import subprocess
import sys

src, build = sys.argv[1], sys.argv[2]
bad = []


def fail(msg):
    bad.append(msg)
    print("FAIL: " + msg)


NAMES = ["default", "debug", "sanitize"]

# 1. cmake's own reading of the file
r = subprocess.run(["cmake", "--list-presets=all"], cwd=src,
                   capture_output=True, text=True)
if r.returncode != 0:
    fail("cmake --list-presets=all exited %d: %s" % (r.returncode, r.stderr.strip()))
for kind in ("configure", "build", "test"):
    m = re.search(r"Available %s presets:\n\n((?:  .*\n)+)" % kind, r.stdout + "\n")
    listed = re.findall(r'"([^"]+)"', m.group(1)) if m else []
    if listed != NAMES:
        fail("%s presets listed: %s, not %s" % (kind, listed, NAMES))

with open(os.path.join(src, "CMakePresets.json")) as f:
    presets = json.load(f)
conf = {p["name"]: p for p in presets["configurePresets"]}
tests = {p["name"]: p for p in presets["testPresets"]}


def resolved(name, key):
    """A configure preset's dict key, merged along its inherits."""
    p = conf[name]
    out = {}
    for parent in ([p["inherits"]] if isinstance(p.get("inherits"), str)
                   else p.get("inherits", [])):
        out.update(resolved(parent, key))
    out.update(p.get(key, {}))
    return out


def binary_dir(name):
    p = conf[name]
    while "binaryDir" not in p:
        p = conf[p["inherits"]]
    return p["binaryDir"].replace("${sourceDir}", "$top")


# 2. against ci/do
with open(os.path.join(src, "ci", "do")) as f:
    cido = f.read()
m = re.search(r'^build=\$\{EVERYPC_BUILD:-(\S+)\}', cido, re.M)
if not m or binary_dir("default") != m.group(1):
    fail("default builds in %s, ci/do in %s" % (binary_dir("default"), m and m.group(1)))
m = re.search(r'build=\$\{EVERYPC_SANITIZE_BUILD:-(\S+)\}', cido)
if not m or binary_dir("sanitize") != m.group(1):
    fail("sanitize builds in %s, ci/do in %s" % (binary_dir("sanitize"), m and m.group(1)))
m = re.search(r'EVERYPC_CMAKE_ARGS="\$\{EVERYPC_CMAKE_ARGS:-\} ([^"]*)"', cido)
want = dict(a[2:].split("=", 1) for a in shlex.split(m.group(1))) if m else None
got = {k: v for k, v in resolved("sanitize", "cacheVariables").items()
       if k not in resolved("default", "cacheVariables")}
if got != want:
    fail("sanitize's own cache variables %s, ci/do --sanitize's %s" % (got, want))
env = resolved("sanitize", "environment")
m = re.search(r'export EVERYPC_TIMEOUT_SCALE=\$\{EVERYPC_TIMEOUT_SCALE:-(\w+)\}', cido)
if not m or env.get("EVERYPC_TIMEOUT_SCALE") != m.group(1):
    fail("sanitize's EVERYPC_TIMEOUT_SCALE %s, ci/do's %s"
         % (env.get("EVERYPC_TIMEOUT_SCALE"), m and m.group(1)))
body = re.search(r'^sanitizer_env\(\) \{\n(.*?)^\}', cido, re.M | re.S)
exports = dict(re.findall(r'export (\w+)=(\S+)', body.group(1))) if body else {}
if not exports:
    fail("no sanitizer_env in ci/do")
for k, v in exports.items():
    if env.get(k, "").replace("${sourceDir}", "$top") != v:
        fail("sanitize's %s is %r, ci/do's %r" % (k, env.get(k), v))
m = re.search(r"ctest --output-on-failure -j \"\$jobs\" -L '([^']+)'", cido)
label = tests["sanitize"].get("filter", {}).get("include", {}).get("label")
if not m or label != m.group(1):
    fail("the sanitize test preset runs label %r, ci/do %r" % (label, m and m.group(1)))
if resolved("default", "cacheVariables").get("CMAKE_EXPORT_COMPILE_COMMANDS") != "ON":
    fail("default does not export compile_commands.json")

# 3. compile_commands.json of this build
try:
    with open(os.path.join(build, "compile_commands.json")) as f:
        cc = json.load(f)
except (OSError, ValueError) as e:
    cc = []
    fail("BUILD/compile_commands.json: %s" % e)
files = {os.path.relpath(os.path.realpath(e["file"]), os.path.realpath(src))
         for e in cc}
for want in ("rig/main.c", "rig/paths.c", "runtime/compiler/main.c"):
    if want not in files:
        fail("compile_commands.json has no entry for %s" % want)
if cc and not all("-std=" in e.get("command", " ".join(e.get("arguments", [])))
                  for e in cc if e["file"].endswith("rig/main.c")):
    fail("compile_commands.json's rig/main.c entry has no -std flag")

if bad:
    sys.exit(1)
print("ok: presets %s as ci/do builds; compile_commands.json: %d entries"
      % (", ".join(NAMES), len(cc)))
