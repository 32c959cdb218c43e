#!/usr/bin/env python3
"""report_browser_test.py EVERYPC ARCH WORKLOAD FUNCS MUTANT ARTIFACTS

The HTML report as a browser shows it (issue 15, item 3): a correct and a
failing sweep's report.html rendered by headless Chromium (Debian's
`chromium`), each screenshot kept in ARTIFACTS (correct.png, failing.png).
Fails when
  - a screenshot is missing, not a PNG of the window's size, or blank: the
    correct report must show the accepted colour of its strips and no
    failure colour, the failing one the failure colour;
  - the page logs anything to the console (the report has no script: any
    console line is an error, e.g. a resource that does not load);
  - the console check itself is blind: a copy of the failing report with a
    planted console.error must be caught.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

W, H = 1280, 1400
ACCEPTED = (0xCD, 0xEC, 0xCD)  # .acc
FAILED = (0xDD, 0x22, 0x22)  # .strip .fail (#d22)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    fail("no chromium on PATH (ci/do installs Debian's chromium)")


def render(html, png, profile):
    """Screenshot html into png; returns the console lines logged."""
    cmd = [chromium(), "--headless", "--disable-gpu", "--no-sandbox",
           "--hide-scrollbars", "--user-data-dir=" + profile,
           "--enable-logging=stderr", "--v=0",
           "--window-size=%d,%d" % (W, H), "--screenshot=" + png,
           "file://" + os.path.abspath(html)]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=120, check=False)
    log = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0:
        print(log)
        fail("chromium exited %d on %s" % (p.returncode, html))
    return [l for l in log.splitlines() if re.search(r":CONSOLE[:(]", l)]


def unfilter(raw, width, bpp, height):
    """PNG scanlines (filter byte + data) to the rows' bytes."""
    stride = width * bpp
    out, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pred) & 255
        out.append(bytes(line))
        prev = line
    return out


def colours(png):
    """The PNG's size and the count of each RGB colour in it."""
    data = open(png, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(png + " is not a PNG")
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    width, height, depth, ctype = hdr[0], hdr[1], hdr[2], hdr[3]
    if depth != 8 or ctype not in (2, 6):
        fail("%s: unexpected PNG format (depth %d, colour type %d)"
             % (png, depth, ctype))
    bpp = 3 if ctype == 2 else 4
    count = {}
    for row in unfilter(zlib.decompress(idat), width, bpp, height):
        for x in range(0, len(row), bpp * 2):  # every other pixel is plenty
            rgb = tuple(row[x:x + 3])
            count[rgb] = count.get(rgb, 0) + 1
    return width, height, count


def sweep(everypc, out, args):
    cmd = [everypc, "sweep", "--no-progress", "--jobs", "2", "--out", out]
    p = subprocess.run(cmd + args, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, check=False)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def check_png(png, want, absent):
    if not os.path.exists(png) or os.path.getsize(png) == 0:
        fail("no screenshot " + png)
    width, height, count = colours(png)
    if (width, height) != (W, H):
        fail("%s is %dx%d, not the window's %dx%d" % (png, width, height, W, H))
    if len(count) < 8:
        fail("%s is blank (%d colours)" % (png, len(count)))
    for rgb in want:
        if count.get(rgb, 0) < 20:
            fail("%s lacks colour #%02x%02x%02x" % ((png,) + rgb))
    for rgb in absent:
        if count.get(rgb, 0):
            fail("%s shows colour #%02x%02x%02x" % ((png,) + rgb))
    print("ok: %s, %d colours, %d bytes" % (png, len(count),
                                            os.path.getsize(png)))


def main():
    everypc, arch, workload, funcs, mutant, art = sys.argv[1:7]
    os.makedirs(art, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="everypc-browser-")
    try:
        base = ["--arch", arch, "--workload", workload, "--func", funcs]
        rc, log = sweep(everypc, tmp + "/ok", base)
        if rc != 0:
            print(log)
            fail("the correct sweep exited %d" % rc)
        rc, log = sweep(everypc, tmp + "/bad", base + ["--mutant", mutant])
        if rc != 1:
            print(log)
            fail("the mutant's sweep exited %d, expected 1" % rc)
        planted = tmp + "/planted.html"
        html = open(tmp + "/bad/report.html", encoding="utf-8").read()
        with open(planted, "w", encoding="utf-8") as f:
            f.write(html.replace("</body>", "<script>console.error("
                                 "'planted')</script></body>"))
        for name, html, want, absent in (
                ("correct", tmp + "/ok/report.html", [ACCEPTED], [FAILED]),
                ("failing", tmp + "/bad/report.html", [ACCEPTED, FAILED], [])):
            png = os.path.join(art, name + ".png")
            if os.path.exists(png):
                os.unlink(png)
            console = render(html, png, tmp + "/profile")
            if console:
                fail("%s report: console messages:\n%s"
                     % (name, "\n".join(console)))
            check_png(png, want, absent)
        if not render(planted, tmp + "/planted.png", tmp + "/profile"):
            fail("a planted console.error went unnoticed: the check is blind")
        print("ok: a planted console error is caught")
        print("screenshots: %s/correct.png %s/failing.png" % (art, art))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
