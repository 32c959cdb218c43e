#!/usr/bin/env python3
"""report_check.py OUT LOG WORKLOAD

Checks a sweep's failure digest (in LOG, its standard output) and its
OUT/report.html against OUT/journal.jsonl, computed here independently:
  digest  the failing cases grouped by arch, workload, mutant, function and
          oracle in order of first case; the count line; per group (the
          first 20) its name, count, first case (func+offset, pc, action,
          hit), its source line's text read from WORKLOAD, its detail and
          the replay command of its scenario; then "and N more groups (M
          cases)" when there are more than 20
  report  per function a strip of PCs x (action, hit) cells, each a link to
          its PC's row; every source line's text of WORKLOAD the journal
          names; every failure's detail visible in a table cell (not only
          a tooltip); the groups' count; valid HTML (xmllint --html) with
          no script
Prints what differs and exits 1, or 0.
"""
import html
import json
import os
import re
import subprocess
import sys

CAP = 20


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def esc(s):
    """s as the report escapes it (RPT-2)."""
    return html.escape(s).replace("&#x27;", "&#39;")


def groups_of(records):
    order, groups = [], {}
    for r in records:
        if r["result"] != "fail":
            continue
        key = (r["arch"], r["workload"], r["mutant"], r["func"], r["check"])
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(r)
    return [(k, groups[k]) for k in order]


def scenario(r):
    return "scenarios/%s-%s%s-%s+%d-%s-h%d.json" % (
        r["arch"], r["workload"], "-" + r["mutant"] if r["mutant"] else "",
        r["func"], r["offset"], r["action"], r["hit"])


def expect_digest(gs, out, source):
    nfail = sum(len(v) for _, v in gs)
    if not gs:
        return []
    s = lambda n: "" if n == 1 else "s"
    lines = ["%d failing case%s in %d group%s (arch, workload, function, "
             "oracle):" % (nfail, s(nfail), len(gs), s(len(gs)))]
    for (arch, wl, mutant, func, check), cases in gs[:CAP]:
        r = cases[0]
        lines.append("  %s %s%s %s: %s, %d case%s" % (
            arch, wl, " mutant " + mutant if mutant else "", func, check,
            len(cases), s(len(cases))))
        lines.append("      at     %s+%d (pc %s) %s hit %d" % (
            func, r["offset"], r["pc"], r["action"], r["hit"]))
        if r["line"] > 0:
            text = source[r["line"] - 1].strip() if (
                r["file"] == os.path.basename(WORKLOAD)) else ""
            lines.append("      line   %s:%d%s" % (
                r["file"], r["line"], "  " + text if text else ""))
        if r["detail"]:
            lines.append("      detail " + r["detail"])
        lines.append("      replay everypc replay %s/%s" % (out, scenario(r)))
    if len(gs) > CAP:
        rest = sum(len(v) for _, v in gs[CAP:])
        lines.append("  ... and %d more group%s (%d case%s): all in "
                     "%s/report.html" % (len(gs) - CAP, s(len(gs) - CAP),
                                         rest, s(rest), out))
    return lines


def check_digest(gs, out, log, source):
    want = expect_digest(gs, out, source)
    got = open(log, encoding="utf-8").read().splitlines()
    if not want:
        if any("failing case" in l for l in got):
            fail("a digest without failures")
        return
    try:
        at = got.index(want[0])
    except ValueError:
        fail("no digest line %r in %s" % (want[0], log))
    for i, line in enumerate(want):
        if at + i >= len(got) or got[at + i] != line:
            fail("digest line %d: want %r, got %r" % (
                i + 1, line, got[at + i] if at + i < len(got) else None))
    print("ok: digest of %d groups" % len(gs))


def check_report(records, gs, out, source):
    page = open(out + "/report.html", encoding="utf-8").read()
    if "<script" in page.lower():
        fail("report.html has a script")
    p = subprocess.run(["xmllint", "--html", "--noout", out + "/report.html"],
                       stderr=subprocess.PIPE, check=False)
    errs = [l for l in p.stderr.decode().splitlines() if "error" in l and
            not re.search(r"Tag (section|details|summary) invalid", l)]
    if errs:  # xmllint's HTML 4 parser knows no HTML 5 element names
        fail("report.html is not valid HTML:\n" + "\n".join(errs))
    strips = re.findall(r'<div class="strip"[^>]*>\n(.*?)</div>', page, re.S)
    funcs = []
    for r in records:
        k = (r["arch"], r["mutant"], r["func"])
        if not funcs or funcs[-1][0] != k:
            funcs.append((k, set(), set()))
        funcs[-1][1].add(r["pc"])
        funcs[-1][2].add((r["action"], r["hit"]))
    if len(strips) != len(funcs):
        fail("%d strips for %d functions" % (len(strips), len(funcs)))
    for (k, pcs, cols), strip in zip(funcs, strips):
        cells = len(re.findall(r'<(a|span) class="', strip))
        links = len(re.findall(r'href="#pc\d+"', strip))
        if cells != len(pcs) * len(cols):
            fail("%s: %d strip cells, not %d PCs x %d columns" % (
                k, cells, len(pcs), len(cols)))
        if links < len(pcs):
            fail("%s: strip cells do not link the PCs' rows" % (k,))
    wl = os.path.basename(WORKLOAD)
    for line in sorted({r["line"] for r in records if r["file"] == wl}):
        text = source[line - 1].strip()
        if text and '<td class="src">%s</td>' % esc(text) not in page:
            fail("report.html lacks the text of %s:%d: %r" % (wl, line, text))
    for r in records:
        if r["result"] == "fail" and r["detail"] and \
                not re.search(r'<td class="detail">(?:[^<]|<br>)*%s' %
                              re.escape(esc(r["detail"])), page):
            fail("detail of a failure not visible in a cell: " + r["detail"])
    if gs and "<p>%d group%s by arch" % (len(gs), "" if len(gs) == 1
                                         else "s") not in page:
        fail("report.html does not group the failures as the digest")
    print("ok: report, %d strips" % len(strips))


def main():
    global WORKLOAD
    out, log, WORKLOAD = sys.argv[1:4]
    records = [json.loads(l) for l in open(out + "/journal.jsonl")]
    source = open(WORKLOAD, encoding="utf-8").read().split("\n")
    gs = groups_of(records)
    check_digest(gs, out, log, source)
    check_report(records, gs, out, source)


WORKLOAD = None
if __name__ == "__main__":
    main()
