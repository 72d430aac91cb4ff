#!/usr/bin/env python3
"""The kiosk as a person meets it, driven through its headless script driver.

Run by ctest as: test_kiosk.py BUILD_DIR SOURCE_DIR [--monkey-default N]
(BUILD_DIR may be an ASan build: every program used comes from it.)

  - the screenshot comparer itself (it must be able to fail);
  - the home screen in every language at three screen sizes, against the
    reference screenshots in tests/ref_imgs (SKRANKE_UPDATE_REFS=1 writes
    them instead: look at every one before committing; scripts/update-ref-imgs);
    and in those screenshots: every language name on one line, no label cut
    off at its button's sides, the clock and site drawn the same in Arabic;
  - the layout from --dump-ui: touch targets of at least 9 mm, everything
    inside the window, right-to-left mirrored;
  - the idle privacy prompt: when it comes, its countdown, more time, and the
    reset to Danish;
  - larger text (home.bigger, the setting text_large): 1.4x, off again, reset
    for the next citizen, and no overlapping targets at any size;
  - the script driver's contract: failures name the line;
  - a monkey: a long seeded run of random taps, drags and waits.

Environment:
  SKRANKE_MONKEY_STEPS  taps and drags of the monkey (default 100 000, or the
                        --monkey-default that ctest passes: 100 000 steps take
                        ~5 min, almost all of it SDL's software renderer
                        drawing the frames a real kiosk would show: every
                        pressed look, drag step and fling. The monkey runs
                        at 800x480, a 7" panel, where a frame costs a third
                        of one at 1280x800)
  SKRANKE_MONKEY_SEED   its seed (default 20261124)
  SKRANKE_UPDATE_REFS=1 write the reference screenshots instead of comparing
  SKRANKE_IMG_TOLERANCE percentage of pixels that may differ from a reference
                        (default 0.02: the same machine gives 0; 1%, imgcmp's
                        own default, would let a clock read 41:10 for 10:41,
                        which changes 0.06% of a 1920x1080 frame)
"""
import json
import math
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

if len(sys.argv) not in (3, 5) or (len(sys.argv) == 5 and sys.argv[3] != "--monkey-default"):
    sys.exit("usage: test_kiosk.py BUILD_DIR SOURCE_DIR [--monkey-default STEPS]")
BUILD, SOURCE = sys.argv[1], sys.argv[2]
KIOSK = os.path.join(BUILD, "skranke")
ADMIN = os.path.join(BUILD, "skranke-admin")
IMGCMP = os.path.join(BUILD, "imgcmp")
REFS = os.path.join(SOURCE, "tests", "ref_imgs")
LANGS = ["da", "en", "uk", "ar", "fa", "pl", "so", "ti"]  # every shipped language
SIZES = [(1920, 1080), (1280, 800), (1080, 1920)]
UPDATE = os.environ.get("SKRANKE_UPDATE_REFS") == "1"
MONKEY_STEPS = int(os.environ.get("SKRANKE_MONKEY_STEPS") or
                   (sys.argv[4] if len(sys.argv) == 5 else "100000"))
IMG_TOLERANCE = os.environ.get("SKRANKE_IMG_TOLERANCE", "0.02")
MONKEY_SEED = int(os.environ.get("SKRANKE_MONKEY_SEED", "20261124"))
ENV = dict(os.environ, TZ="Europe/Copenhagen", SKRANKE_NOW="2026-11-24T09:41:00Z",
           SDL_VIDEODRIVER="dummy")
ENV.pop("SKRANKE_DATA", None)
ENV.pop("SKRANKE_ASSETS", None)
# Kept after a failure, for a person to look at.
KEEP = os.path.join(BUILD, "test_kiosk-failed")

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what, file=sys.stderr)
    return cond


def load_lang(code):
    """key -> text of assets/lang/CODE.txt, the way the kiosk reads it."""
    texts = {}
    with open(os.path.join(SOURCE, "assets", "lang", code + ".txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            texts[key.strip()] = value.strip().replace("\\n", "\n")
    return texts


TEXT = {code: load_lang(code) for code in LANGS}


def T(code, key):
    return TEXT[code].get(key) or TEXT["da"][key]


TMP = tempfile.mkdtemp(prefix="skranke-kiosk-")


def new_data(**config):
    """A fresh store; it offers every language unless config says otherwise."""
    config.setdefault("languages", ",".join(LANGS))
    data = tempfile.mkdtemp(prefix="data-", dir=TMP)
    os.rmdir(data)
    r = subprocess.run([ADMIN, "--data", data, "init", "--site", "jobcenter-slagelse"], env=ENV,
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("skranke-admin init failed: " + r.stderr)
    for key, value in config.items():
        r = subprocess.run([ADMIN, "--data", data, "config", "set", key, str(value)], env=ENV,
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("skranke-admin config set %s failed: %s" % (key, r.stderr))
    return data


DATA = new_data()


def sanitizer_clean(r):
    return "AddressSanitizer" not in r.stderr and "runtime error:" not in r.stderr and \
        "LeakSanitizer" not in r.stderr


def kiosk(lines, size=(1920, 1080), data=None, shots=None, dump=False, timeout=600):
    """Runs a script (a list of lines, or None for --dump-ui alone)."""
    args = [KIOSK, "--data", data or DATA, "--window", "%dx%d" % size]
    script = None
    if lines is not None:
        fd, script = tempfile.mkstemp(suffix=".txt", dir=TMP)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        args += ["--script", script]
    if shots:
        args += ["--shots", shots]
    if dump:
        args.append("--dump-ui")
    r = subprocess.run(args, env=ENV, capture_output=True, text=True, timeout=timeout)
    r.script = script
    check(sanitizer_clean(r), "no sanitizer report from %s:\n%s" % (script, r.stderr[-3000:]))
    return r


def passes(lines, what, **kw):
    r = kiosk(lines, **kw)
    check(r.returncode == 0, "%s: exit %d: %s" % (what, r.returncode, r.stderr.strip()))
    return r


# ---- the screenshot comparer ----

def write_png(path, w, h, pixel):
    """A truecolour PNG from pixel(x, y) -> (r, g, b), with the stdlib only."""
    raw = b"".join(b"\0" + b"".join(bytes(pixel(x, y)) for x in range(w)) for y in range(h))

    def chunk(kind, body):
        c = struct.pack(">I", len(body)) + kind + body
        return c + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw)))
        f.write(chunk(b"IEND", b""))


def test_imgcmp():
    d = tempfile.mkdtemp(prefix="imgcmp-", dir=TMP)
    p = lambda name: os.path.join(d, name + ".png")
    white = lambda x, y: (255, 255, 255)
    write_png(p("white"), 10, 10, white)
    write_png(p("white2"), 10, 10, white)
    write_png(p("faint"), 10, 10, lambda x, y: (235, 255, 255))         # 20 off: the same
    write_png(p("one"), 10, 10, lambda x, y: (255, 0, 0) if (x, y) == (3, 3) else (255,) * 3)
    write_png(p("two"), 10, 10, lambda x, y: (255, 0, 0) if y == 3 and x < 2 else (255,) * 3)
    write_png(p("wide"), 11, 10, white)

    def cmp(a, b, *extra):
        return subprocess.run([IMGCMP, p(a), p(b), *extra], env=ENV, capture_output=True,
                              text=True)

    check(cmp("white", "white2").returncode == 0, "imgcmp: equal images are the same")
    check(cmp("white", "faint").returncode == 0, "imgcmp: a difference of 20 is the same")
    r = cmp("white", "one")
    check(r.returncode == 0 and "1 of 100" in r.stdout, "imgcmp: 1%% differs, within 1%%: %s"
          % r.stdout)
    r = cmp("white", "two")
    check(r.returncode == 1 and "2 of 100" in r.stdout, "imgcmp: 2%% differs: %s" % r.stdout)
    check(cmp("white", "two", "--tolerance", "2.5").returncode == 0, "imgcmp: --tolerance 2.5")
    check(cmp("white", "one", "--tolerance", "0").returncode == 1, "imgcmp: --tolerance 0")
    r = cmp("white", "wide")
    check(r.returncode == 1 and "size" in r.stdout, "imgcmp: sizes differ: %s" % r.stdout)
    r = cmp("white", "two", "--diff", os.path.join(d, "diff.png"))
    check(r.returncode == 1 and os.path.getsize(os.path.join(d, "diff.png")) > 0,
          "imgcmp --diff writes the difference")
    check(cmp("white", "missing").returncode != 0, "imgcmp: a missing file is not the same")
    r = subprocess.run([IMGCMP, p("white")], env=ENV, capture_output=True, text=True)
    check(r.returncode == 2 and "usage" in r.stderr, "imgcmp: usage")


# ---- reference screenshots ----

DUMPS = {}


def dump(code, size):
    """--dump-ui of the home screen in language code (after `lang code`)."""
    if (code, size) not in DUMPS:
        r = kiosk(None if code == "da" else ["lang " + code], size=size, dump=True)
        check(r.returncode == 0, "--dump-ui %s %dx%d: %s" % (code, size[0], size[1], r.stderr))
        DUMPS[code, size] = parse_dump(r.stdout)
    return DUMPS[code, size]


def ink(png, x, y, w, h):
    """The text inside a rectangle of a screenshot (imgcmp --ink): None, or
    dict(x, y, w, h, lines, hash)."""
    r = subprocess.run([IMGCMP, "--ink", png, str(x), str(y), str(w), str(h)], env=ENV,
                       capture_output=True, text=True)
    f = r.stdout.split()
    if r.returncode != 0 or len(f) < 2 or f[0] != "ink":
        check(False, "imgcmp --ink %s: %s%s" % (png, r.stdout, r.stderr))
        return None
    if f[1] == "none":
        return None
    return dict(x=int(f[1]), y=int(f[2]), w=int(f[3]), h=int(f[4]), lines=int(f[6]), hash=f[8])


def check_text_in_buttons(png, code, size, widgets):
    """What a person would see wrong on the home screen: a language name
    broken over two lines, a label cut off at its button's edge."""
    w, h = size
    u = min(w, h) / 100.0
    px = lambda units: int(math.floor(units * u + 0.5))  # ui_px (lroundf)
    pad, radius = px(1.5), px(1.6)
    where = "%s %dx%d" % (code, w, h)
    for wd in widgets.values():
        if wd["kind"] != "button":
            continue
        border = 0
        if wd["id"].startswith("home.lang."):
            selected = wd["id"] == "home.lang." + code
            border = max(2, px(0.6) if selected else px(0.25))
            # Inside the border and clear of the rounded corners: one line.
            t = ink(png, wd["x"] + border + radius, wd["y"] + border + 1,
                    wd["w"] - 2 * (border + radius), wd["h"] - 2 * (border + 1))
            if check(t is not None, "%s: %s shows its name" % (where, wd["id"])):
                check(t["lines"] == 1, "%s: %s (%r) is one line, not %d" %
                      (where, wd["id"], wd["text"], t["lines"]))
        # The label's box (ui_button: inside the border, pad to each side).
        x0, x1 = wd["x"] + border + pad, wd["x"] + wd["w"] - border - pad
        y0, y1 = wd["y"] + border + pad // 2, wd["y"] + wd["h"] - border - pad // 2
        t = ink(png, x0, y0, x1 - x0, y1 - y0)
        if t is not None:
            check(t["x"] > x0 and t["x"] + t["w"] < x1,
                  "%s: the text of %s is not cut off at its sides (ink %d..%d, box %d..%d)" %
                  (where, wd["id"], t["x"], t["x"] + t["w"], x0, x1))


def test_reference_images():
    for w, h in SIZES:
        shots = tempfile.mkdtemp(prefix="shots-", dir=TMP)
        lines = []
        for code in LANGS:
            if code != "da":
                lines.append("lang " + code)
            lines += ["expect-text " + T(code, "home.welcome"),
                      "shot home-%s-%dx%d" % (code, w, h)]
        passes(lines, "home screenshots at %dx%d" % (w, h), size=(w, h), shots=shots)
        for code in LANGS:
            name = "home-%s-%dx%d.png" % (code, w, h)
            shot, ref = os.path.join(shots, name), os.path.join(REFS, name)
            if not check(os.path.exists(shot), "screenshot %s was written" % name):
                continue
            check_text_in_buttons(shot, code, (w, h), dump(code, (w, h)))
            if UPDATE:
                os.makedirs(REFS, exist_ok=True)
                shutil.copy(shot, ref)
                print("wrote", ref)
                continue
            if not check(os.path.exists(ref), "reference %s exists (scripts/update-ref-imgs)"
                         % ref):
                continue
            os.makedirs(KEEP, exist_ok=True)
            diff = os.path.join(KEEP, "diff-" + name)
            r = subprocess.run([IMGCMP, shot, ref, "--tolerance", IMG_TOLERANCE, "--diff", diff],
                               env=ENV,
                               capture_output=True, text=True)
            if check(r.returncode == 0, "%s matches its reference: %s%s (kept: %s, %s)" %
                     (name, r.stdout, r.stderr, os.path.join(KEEP, name), diff)):
                os.remove(diff)
            else:
                shutil.copy(shot, os.path.join(KEEP, name))
        # The clock and the site's name are the same text in Arabic as in
        # Danish (only placed at the other side): 10:41 reads 10:41.
        for wid in ("home.site", "home.clock"):
            seen = {}
            for code in ("da", "ar"):
                r = dump(code, (w, h)).get(wid)
                if r:
                    seen[code] = ink(os.path.join(shots, "home-%s-%dx%d.png" % (code, w, h)),
                                     r["x"], r["y"], r["w"], r["h"])
            if check(seen.get("da") and seen.get("ar"), "%dx%d: %s shows" % (w, h, wid)):
                a, b = seen["da"], seen["ar"]
                check((a["w"], a["h"], a["hash"]) == (b["w"], b["h"], b["hash"]),
                      "%dx%d: %s looks the same in Arabic as in Danish (%r; da %dx%d, ar %dx%d)"
                      % (w, h, wid, dump("ar", (w, h))[wid]["text"], a["w"], a["h"], b["w"],
                         b["h"]))


# ---- layout ----

def parse_dump(text):
    widgets = {}
    for line in text.splitlines():
        f = line.split("\t")
        if len(f) < 7:
            check(False, "a --dump-ui line has 7 fields: %r" % line)
            continue
        widgets[f[0]] = dict(id=f[0], x=int(f[1]), y=int(f[2]), w=int(f[3]), h=int(f[4]),
                             kind=f[5], text="\t".join(f[6:]))
    return widgets


def overlap(a, b):
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and \
        a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


RTL = ("ar", "fa")


def lang_order(widgets, code):
    """The offered languages as a reader meets them: rows top to bottom,
    each from its start (the right in right-to-left)."""
    langs = [c for c in LANGS if "home.lang." + c in widgets]
    side = -1 if code in RTL else 1
    return sorted(langs, key=lambda c: (widgets["home.lang." + c]["y"],
                                        side * widgets["home.lang." + c]["x"]))


def test_language_rows():
    """One to eight languages on offer, on a large and a 7" landscape
    screen: every name on one line inside its button, nothing overlapping,
    four or fewer in one row (as before), eight in two, never more."""
    for n in range(1, len(LANGS) + 1):
        data = new_data(languages=",".join(LANGS[:n]))
        for size in ((1280, 800), (800, 480)):
            where = "%d languages at %dx%d" % (n, size[0], size[1])
            shots = tempfile.mkdtemp(prefix="shots-", dir=TMP)
            r = kiosk(["shot home"], size=size, data=data, shots=shots, dump=True)
            if not check(r.returncode == 0, "%s: %s" % (where, r.stderr)):
                continue
            widgets = parse_dump(r.stdout)
            check(lang_order(widgets, "da") == LANGS[:n], "%s: the buttons are %s" %
                  (where, lang_order(widgets, "da")))
            rows = {widgets["home.lang." + c]["y"] for c in LANGS[:n]
                    if "home.lang." + c in widgets}
            check(len(rows) == 1 if n <= 4 else len(rows) == 2 if n == 8 else len(rows) <= 2,
                  "%s: %d rows" % (where, len(rows)))
            for wd in widgets.values():
                check(wd["x"] >= 0 and wd["y"] >= 0 and wd["x"] + wd["w"] <= size[0] and
                      wd["y"] + wd["h"] <= size[1], "%s: %s lies inside the window" %
                      (where, wd["id"]))
            touch = [wd for wd in widgets.values() if wd["kind"] == "button"]
            for i, a in enumerate(touch):
                for b in touch[i + 1:]:
                    check(not overlap(a, b), "%s: %s and %s overlap" % (where, a["id"], b["id"]))
            check_text_in_buttons(os.path.join(shots, "home.png"), "da", size, widgets)


def test_nav_labels():
    """The way home, back and begin on the survey's first question and
    intro, in every language on a 7" panel: one line each, inside its
    button (Ukrainian labels overflowed theirs)."""
    size = (800, 480)
    u = min(size) / 100.0
    px = lambda units: int(math.floor(units * u + 0.5))  # ui_px (lroundf)
    for code in LANGS:
        for step, ids in ((["tap home.survey"], ("nav.home", "survey.start")),
                          (["tap home.survey", "tap survey.start"], ("nav.home", "nav.back"))):
            shots = tempfile.mkdtemp(prefix="shots-", dir=TMP)
            r = kiosk(["lang " + code] + step + ["shot s"], size=size, shots=shots, dump=True)
            if not check(r.returncode == 0, "%s %s: %s" % (code, step, r.stderr)):
                continue
            widgets = parse_dump(r.stdout)
            for wid in ids:
                wd = widgets.get(wid)
                if not check(wd is not None, "%s: %s is on screen" % (code, wid)):
                    continue
                pad = px(1.5) + 2
                t = ink(os.path.join(shots, "s.png"), wd["x"] + pad, wd["y"] + 2,
                        wd["w"] - 2 * pad, wd["h"] - 4)
                if check(t is not None, "%s: %s shows %r" % (code, wid, wd["text"])):
                    check(t["lines"] == 1 and t["x"] > wd["x"] + pad and
                          t["x"] + t["w"] < wd["x"] + wd["w"] - pad,
                          "%s: %s (%r) is one line inside its button (%d lines, ink %d..%d, "
                          "button %d..%d)" % (code, wid, wd["text"], t["lines"], t["x"],
                                              t["x"] + t["w"], wd["x"], wd["x"] + wd["w"]))


def test_layout():
    inches = 16  # the default of screen_inches
    small = new_data(screen_inches=10)
    for w, h in SIZES:
        dumps = {code: dump(code, (w, h)) for code in LANGS}
        for screen_inches, data in ((inches, DATA), (10, small)):
            r = kiosk(None, size=(w, h), dump=True, data=data)
            px_per_mm = math.hypot(w, h) / (screen_inches * 25.4)
            for wd in parse_dump(r.stdout).values():
                if wd["kind"] in ("button", "key", "item"):
                    mm = min(wd["w"], wd["h"]) / px_per_mm
                    check(mm >= 9.0, "%dx%d on %d\": %s is %.1f mm (%dx%d px), under 9 mm" %
                          (w, h, screen_inches, wd["id"], mm, wd["w"], wd["h"]))
        for code, widgets in dumps.items():
            where = "%s %dx%d" % (code, w, h)
            for wanted in ("home.checkin", "home.survey", "home.jobs", "home.site",
                           "home.clock", "home.staff") + tuple("home.lang." + c for c in LANGS):
                check(wanted in widgets, "%s: %s is listed by --dump-ui" % (where, wanted))
            # --dump-ui shows the state after --script: the texts are Arabic.
            check(widgets.get("home.checkin", {}).get("text", "").startswith(
                T(code, "home.checkin")), "%s: home.checkin says %r" % (where,
                                                                        T(code, "home.checkin")))
            for wd in widgets.values():
                check(wd["x"] >= 0 and wd["y"] >= 0 and wd["x"] + wd["w"] <= w and
                      wd["y"] + wd["h"] <= h and wd["w"] > 0 and wd["h"] > 0,
                      "%s: %s (%d,%d %dx%d) lies inside the window" %
                      (where, wd["id"], wd["x"], wd["y"], wd["w"], wd["h"]))
            touch = [wd for wd in widgets.values() if wd["kind"] in ("button", "key", "item")]
            for i, a in enumerate(touch):
                for b in touch[i + 1:]:
                    check(not overlap(a, b), "%s: %s and %s overlap" % (where, a["id"], b["id"]))
            check(lang_order(widgets, code) == LANGS,
                  "%s: the languages read in their order, row by row, %s: %s" %
                  (where, "right to left" if code in RTL else "left to right",
                   lang_order(widgets, code)))
        # Right to left mirrors every rectangle of the layout.
        da, ar = dumps["da"], dumps["ar"]
        for wid, a in da.items():
            if a["kind"] == "area" or wid not in ar:
                continue
            b = ar[wid]
            check(b["x"] == w - a["x"] - a["w"] and b["y"] == a["y"] and b["w"] == a["w"] and
                  b["h"] == a["h"], "ar %dx%d: %s is mirrored (da %d,%d %dx%d; ar %d,%d %dx%d)"
                  % (w, h, wid, a["x"], a["y"], a["w"], a["h"], b["x"], b["y"], b["w"], b["h"]))
        if w > h:
            xs = [ar[i]["x"] for i in ("home.checkin", "home.survey", "home.jobs") if i in ar]
            check(xs == sorted(xs, reverse=True),
                  "ar %dx%d: the first choice (check-in) is at the right" % (w, h))


# ---- the idle privacy prompt ----

def test_idle():
    ar_title, ar_welcome = T("ar", "idle.title"), T("ar", "home.welcome")
    passes(["lang ar",
            "expect-text " + ar_welcome,
            "wait 44000",
            "expect-gone idle.more",
            "expect-no-text " + ar_title,
            "wait 2000",
            "expect idle.more",
            "expect idle.restart",
            "expect-text " + ar_title,
            "tap idle.more",
            "expect-gone idle.more",
            "expect-no-text " + ar_title,
            "expect-text " + ar_welcome,
            "wait 61000",
            "expect-text Velkommen",
            "expect-no-text " + ar_welcome,
            "expect-gone idle.more",
            "expect home.survey",
            # At rest again: nothing more comes.
            "wait 600000",
            "expect-gone idle.more",
            "expect-text Velkommen"], "idle prompt in Arabic")

    passes(["wait 600000", "expect-gone idle.more", "expect-text Velkommen",
            "wait 600000", "expect-gone idle.more"], "no prompt at rest")

    # The countdown, in English: 15 s right after it appears, 5 s ten seconds later.
    # English counts one second, and more seconds (CLDR: one is 1).
    body = lambda n: T("en", "idle.body." + ("one" if n == 1 else "other")).replace("{n}", str(n))
    passes(["lang en",
            "wait 45000",
            "expect idle.more",
            "expect-text " + T("en", "idle.title"),
            "expect-text " + body(15),
            "wait 1000",
            "expect-text " + body(14),
            "expect-no-text " + body(15),
            "wait 9000",
            "expect-text " + body(5),
            "expect-no-text " + body(6),
            "wait 4000",
            "expect-text " + body(1),
            "expect-text The screen starts over in 1 second.",
            "wait 1000",
            "expect-gone idle.more",
            "expect-text Velkommen"], "the countdown")

    # "No, I'm done" goes home in Danish at once.
    passes(["lang uk", "wait 46000", "expect idle.restart", "tap idle.restart",
            "expect-gone idle.more", "expect-text Velkommen",
            "expect-no-text " + T("uk", "home.welcome")], "start over")

    # The prompt is modal: a tap on what is behind it is "more time", and
    # reaches nothing behind (the language stays).
    passes(["lang en", "wait 46000", "expect idle.more", "tap home.lang.ar",
            "expect-gone idle.more", "expect-text " + T("en", "home.welcome"),
            "expect-no-text " + T("ar", "home.welcome")],
           "the prompt is modal")

    # The idle time is a setting.
    short = new_data(idle_timeout_s=10, idle_prompt_s=5)
    passes(["lang en", "wait 9000", "expect-gone idle.more", "wait 1500", "expect idle.more",
            "expect-text " + body(5), "wait 5000", "expect-gone idle.more",
            "expect-text Velkommen"], "idle_timeout_s 10, idle_prompt_s 5", data=short)


# ---- larger text ----

def test_larger_text():
    """home.bigger makes the text 1.4 times larger on every citizen screen
    (the home button's height follows its label), and turns it off again;
    the privacy reset (home, or walking away) brings back the setting's
    size, text_large. In larger text, at every size and in a right-to-left
    language too, no two touch targets overlap and all lie in the window
    (800x480 need not be whole, but must work)."""
    def widgets_after(lines, size=(1280, 800), data=None, what=""):
        r = kiosk(lines, size=size, data=data, dump=True)
        check(r.returncode == 0, "larger text, %s: exit %d: %s" % (what, r.returncode,
                                                                   r.stderr.strip()))
        return parse_dump(r.stdout) if r.returncode == 0 else {}

    def height(widgets, wid):
        return widgets.get(wid, {}).get("h", 0)

    normal = height(widgets_after([], what="normal home"), "home.bigger")
    check(normal > 0, "home shows home.bigger")
    big = height(widgets_after(["tap home.bigger"], what="larger home"), "home.bigger")
    check(big >= normal * 1.35, "larger text: home.bigger grows with its label (%d px, %d px "
          "normally)" % (big, normal))
    nav = height(widgets_after(["tap home.checkin"], what="normal check-in"), "nav.home")
    nav_big = height(widgets_after(["tap home.bigger", "tap home.checkin"],
                                   what="larger check-in"), "nav.home")
    check(nav_big >= nav * 1.35, "larger text on the next screen (nav.home %d px, %d px "
          "normally)" % (nav_big, nav))
    off = widgets_after(["tap home.bigger", "tap home.bigger"], what="off again")
    check(height(off, "home.bigger") == normal, "a second tap turns larger text off")
    # The next citizen starts with the normal size: home, or walking away.
    home = widgets_after(["tap home.bigger", "tap home.checkin", "tap nav.home"],
                         what="home button")
    check(height(home, "home.bigger") == normal, "nav.home ends larger text")
    idle = widgets_after(["tap home.bigger", "tap home.jobs", "wait 61000", "expect home.survey"],
                         what="walking away")
    check(height(idle, "home.bigger") == normal, "the idle reset ends larger text")
    rest = widgets_after(["tap home.bigger", "wait 61000"],
                         what="left on home")
    check(height(rest, "home.bigger") == normal,
          "larger text left on at home ends at the idle reset too")
    # The setting: larger text from the start, for every citizen.
    large = new_data(text_large=1)
    check(height(widgets_after([], data=large, what="text_large 1"), "home.bigger") == big,
          "text_large 1: home starts in larger text")
    check(height(widgets_after(["tap home.bigger"], data=large, what="text_large 1, off"),
                 "home.bigger") == normal, "text_large 1: home.bigger turns it off")
    check(height(widgets_after(["tap home.bigger", "tap home.jobs", "tap nav.home"], data=large,
                               what="text_large 1, reset"), "home.bigger") == big,
          "text_large 1: the next citizen gets larger text again")

    flows = [[], ["tap home.checkin"], ["tap home.checkin", "tap checkin.appointment"],
             ["tap home.checkin", "tap checkin.walkin"], ["tap home.survey"],
             ["tap home.survey", "tap survey.start"], ["tap home.jobs"],
             ["tap home.jobs", "tap jobs.search"], ["tap home.jobs", "tap jobs.item.1"]]
    demo = demo_data()
    for size in SIZES + [(800, 480)]:
        for code in ("da", "ar", "uk"):
            for flow in flows:
                where = "larger text, %s %dx%d, %s" % (code, size[0], size[1],
                                                       " / ".join(flow) or "home")
                lines = ([] if code == "da" else ["lang " + code]) + ["tap home.bigger"] + flow
                ws = widgets_after(lines, size=size, data=demo, what=where)
                for wd in ws.values():
                    check(wd["x"] >= 0 and wd["y"] >= 0 and wd["x"] + wd["w"] <= size[0] and
                          wd["y"] + wd["h"] <= size[1] or wd["kind"] == "item",
                          "%s: %s lies inside the window" % (where, wd["id"]))
                touch = [wd for wd in ws.values() if wd["kind"] in ("button", "key", "item")]
                for i, a in enumerate(touch):
                    for b in touch[i + 1:]:
                        check(not overlap(a, b), "%s: %s and %s overlap" % (where, a["id"],
                                                                           b["id"]))


# ---- the script driver's contract ----

def test_prompt_outside():
    """"More time" from anywhere: a tap on the idle prompt's dimmed backdrop
    (even where the screen's own Home button lies under it) keeps the
    session like the button does; a tap on the panel off its buttons does
    nothing."""
    for where in (("60", "60"), ("1900", "1060")):
        passes(["tap home.survey", "wait 46000", "expect idle.more",
                "tap %s %s" % where, "expect-gone idle.more", "expect survey.start",
                "wait 30000", "expect-gone idle.more", "expect survey.start"],
               "a tap at %s,%s outside the prompt's panel is more time" % where)
    passes(["tap home.survey", "wait 46000", "expect idle.more", "tap 960 290",
            "expect idle.more", "wait 16000", "expect-gone idle.more", "expect home.survey"],
           "a tap on the prompt's panel off its buttons changes nothing")


def read_png(path):
    """(width, height, rows of RGB bytes) of an 8-bit RGB PNG, as the
    script driver's `shot` writes them, with the stdlib only."""
    with open(path, "rb") as f:
        data = f.read()
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, rows, prev, stride = zlib.decompress(idat), [], bytearray(w * 3), w * 3
    for y in range(h):
        at = y * (stride + 1)
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0
            b, c = prev[i], prev[i - 3] if i >= 3 else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p_ = a + b - c
                pa, pb, pc = abs(p_ - a), abs(p_ - b), abs(p_ - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, rows


def white(img, x0, y0, x1, y1):
    """Pixels of the buttons' text colour (UI_ON_PRIMARY, white) in a box."""
    _, _, rows = img
    return sum(1 for y in range(y0, y1) for x in range(x0, x1)
               if rows[y][3 * x:3 * x + 3] == b"\xff\xff\xff")


def test_pictos():
    """Pictures beside the words: in Danish and Arabic, at 1280x800 and
    800x480, each home tile has its pictogram above the words (white ink in
    the tile's upper band, where no word is), and each check-in choice
    beside them at the start side; the door of check-in points inwards in
    reading order (mirrored in Arabic). Drawn once: redrawing home (the
    clock's minute) paints no new shape."""
    data = demo_data()
    for size in ((1280, 800), (800, 480)):
        for code in ("da", "ar"):
            where = "%s %dx%d" % (code, size[0], size[1])
            shots = os.path.join(TMP, "picto-%s-%d" % (code, size[0]))
            lang = [] if code == "da" else ["lang " + code]
            r = kiosk(lang + ["shot home", "dump home", "tap home.checkin", "shot checkin",
                              "dump checkin"], size=size, data=data, shots=shots)
            if not check(r.returncode == 0, "%s: the pictogram walk runs: %s" % (where, r.stderr)):
                continue
            for screen, ids in (("home", ("home.checkin", "home.survey", "home.jobs")),
                                ("checkin", ("checkin.appointment", "checkin.session",
                                             "checkin.walkin"))):
                img = read_png(os.path.join(shots, screen + ".png"))
                with open(os.path.join(shots, screen + ".ui"), encoding="utf-8") as f:
                    widgets = parse_dump(f.read())
                for wid in ids:
                    if not check(wid in widgets, "%s: %s is on screen" % (where, wid)):
                        continue
                    b = widgets[wid]
                    if screen == "home":  # the band above the words, the middle half
                        box = (b["x"] + b["w"] // 4, b["y"] + b["h"] * 15 // 100,
                               b["x"] + b["w"] * 3 // 4, b["y"] + b["h"] * 42 // 100)
                    elif code == "ar":  # a square at the start side (the right)
                        box = (b["x"] + b["w"] - b["h"], b["y"], b["x"] + b["w"], b["y"] + b["h"])
                    else:
                        box = (b["x"], b["y"], b["x"] + b["h"], b["y"] + b["h"])
                    n = white(img, *box)
                    side = box[3] - box[1]
                    check(n > side * side // 40, "%s: %s shows its pictogram (%d white pixels "
                          "in %r)" % (where, wid, n, box))
                    if wid == "home.checkin":
                        mid = (box[0] + box[2]) // 2
                        left, right = white(img, box[0], box[1], mid, box[3]), \
                            white(img, mid, box[1], box[2], box[3])
                        inward = right > left * 1.3 if code == "da" else left > right * 1.3
                        check(inward, "%s: the check-in door is at the end of the reading "
                              "(white left %d, right %d)" % (where, left, right))
    stats = os.path.join(TMP, "stats-picto.json")
    ENV["SKRANKE_STATS"] = stats
    try:
        r = kiosk(["wait 61000", "expect-text Velkommen"], size=(800, 480), data=data)
    finally:
        ENV.pop("SKRANKE_STATS")
    if check(r.returncode == 0, "home redrawn by the clock: %s" % r.stderr):
        with open(stats, encoding="utf-8") as f:
            d = json.load(f)
        check(d["frames"] >= 2 and d["frame_shape_paints"] == 0,
              "home drawn again paints no new shape (pictograms cached): %r" % d)


def fails_at(lines, lineno, what, reason=None):
    r = kiosk(lines)
    ok = check(r.returncode == 1, "%s: exit 1 (got %d: %s)" % (what, r.returncode, r.stderr))
    if ok:
        want = "%s:%d:" % (r.script, lineno)
        check(want in r.stderr, "%s: the message names line %d: %r" % (what, lineno, r.stderr))
        if reason:
            check(reason in r.stderr, "%s: the message says %r: %r" % (what, reason, r.stderr))


def test_script_contract():
    fails_at(["expect home.survey", "frobnicate 3", "expect home.survey"], 2, "unknown command",
             "frobnicate")
    fails_at(["# a comment", "", "tap nosuch.id"], 3, "tap of an unknown id", "nosuch.id")
    fails_at(["expect-text Velkommen", "expect-text Dette står ikke på skærmen"], 2,
             "expect-text of absent text")
    fails_at(["wait"], 1, "wait without a number")
    fails_at(["wait 10", "wait soon"], 2, "wait with a word")
    fails_at(["expect nosuch.id"], 1, "expect of an absent id")
    fails_at(["expect-gone home.survey"], 1, "expect-gone of a visible id")
    fails_at(["expect-no-text Velkommen"], 1, "expect-no-text of visible text")
    fails_at(["lang xx"], 1, "lang of a language not offered")
    fails_at(["drag 1 2 3"], 1, "drag with too few numbers")
    passes(["# only a comment", "", "   ", "\t# an indented comment", "expect home.survey",
            "", "expect-text Velkommen"], "comments and blank lines")
    passes(["expect home.survey", "quit", "expect nosuch.id", "frobnicate"],
           "quit stops before the failing lines")
    passes(["tap 1 1", "tap 5000 5000", "tap -5 -5", "drag 0 0 1919 1079 500", "wait 0",
            "expect home.survey"], "taps outside anything, and off the window")
    r = subprocess.run([KIOSK, "--data", DATA, "--script", os.path.join(TMP, "no-such-script")],
                       env=ENV, capture_output=True, text=True)
    check(r.returncode != 0, "a missing script file fails: %s" % r.stderr)


# ---- the monkey ----

def monkey_script(steps, seed, size, home_ids, centres, reset_ms):
    """Seeded random input. Taps of an id are used only where the screen is
    known: right after a wait long enough for the privacy reset (Danish
    home), where only the language buttons keep it known."""
    rnd = random.Random(seed)
    w, h = size
    lines = ["expect home.survey"]
    known = True  # home screen, no prompt can be up
    lang_ids = [i for i in home_ids if i.startswith("home.lang.")]
    done = 0
    while done < steps:
        if known and rnd.random() < 0.3:
            # Ids that are certainly on screen.
            k = rnd.random()
            if k < 0.7:
                lines.append("tap " + rnd.choice(lang_ids))
            elif k < 0.8:
                code = rnd.choice([c for c in LANGS if c != "da"])
                lines += ["lang " + code, "wait %d" % rnd.randrange(45000, 59000),
                          "expect idle.more",
                          "tap " + rnd.choice(["idle.more", "idle.restart"])]
                done += 1
            else:
                lines.append("tap " + rnd.choice(home_ids))
                known = False  # it may have gone to another screen
            done += 1
            continue
        k = rnd.random()
        if k < 0.45:
            lines.append("tap %d %d" % (rnd.randrange(w), rnd.randrange(h)))
            done += 1
        elif k < 0.70:
            x, y = rnd.choice(centres)
            lines.append("tap %d %d" % (x, y))
            done += 1
        elif k < 0.82:
            ms = rnd.choice([20, 80, 200, 600, 1500])
            lines.append("drag %d %d %d %d %d" % (rnd.randrange(w), rnd.randrange(h),
                                                   rnd.randrange(w), rnd.randrange(h), ms))
            done += 1
        elif k < 0.97:
            lines.append("wait %d" % rnd.choice([0, 16, 100, 500, 2000, 7000]))
        elif k < 0.99:
            lines.append("wait %d" % rnd.randrange(44000, 62000))
        else:
            lines += ["wait %d" % reset_ms, "expect home.survey", "expect-gone idle.more"]
            known = True
            continue
        known = False
    lines += ["wait %d" % reset_ms, "expect-gone idle.more", "expect home.survey",
              "expect-text Velkommen"]
    return lines


def demo_data():
    """A store with the demo job openings and today's demo schedule (dated
    like SKRANKE_NOW), so that the monkey reaches lists, details, check-in."""
    data = new_data(idle_timeout_s=45, idle_prompt_s=15)
    demo = os.path.join(SOURCE, "assets", "demo")
    r = subprocess.run([ADMIN, "--data", data, "import", os.path.join(demo, "jobs-demo.json"),
                        os.path.join(demo, "schedule-template.json")], env=ENV,
                       capture_output=True, text=True)
    check(r.returncode == 0, "the demo data imports: %s" % r.stderr)
    return data


def monkey(steps, seed, data, what):
    size = (800, 480)  # a 7" panel: frames cost a third of 1280x800
    centres, home_ids = set(), []
    for code in LANGS:
        r = kiosk(None if code == "da" else ["lang " + code], size=size, data=data, dump=True)
        for wd in parse_dump(r.stdout).values():
            if wd["kind"] in ("button", "key", "item"):
                centres.add((wd["x"] + wd["w"] // 2, wd["y"] + wd["h"] // 2))
                if wd["id"] not in home_ids:
                    home_ids.append(wd["id"])
    check(len(home_ids) >= 7, "the monkey found the home screen's buttons: %s" % home_ids)
    reset_ms = (45 + 15 + 1) * 1000
    lines = monkey_script(steps, seed, size, home_ids, sorted(centres), reset_ms)
    start = time.monotonic()
    r = kiosk(lines, size=size, data=data, timeout=3600)
    took = time.monotonic() - start
    print("monkey on %s: %d taps and drags (%d lines, seed %d) at %dx%d in %.1f s" %
          (what, steps, len(lines), seed, size[0], size[1], took))
    if not check(r.returncode == 0, "monkey on %s (seed %d): exit %d: %s" %
                 (what, seed, r.returncode, r.stderr.strip()[-2000:])):
        os.makedirs(KEEP, exist_ok=True)
        kept = os.path.join(KEEP, "monkey-%s.txt" % what.replace(" ", "-"))
        shutil.copy(r.script, kept)
        print("monkey script kept as", kept, file=sys.stderr)


def test_warm():
    """Standing on home, the kiosk gets the screens a citizen opens next
    ready: after a second of nobody touching it, opening the survey's first
    question, the code pad, the session list, the errands and the job
    search (and switching language) loads no font and paints no shape in
    the frame the citizen waits for. A tap at once after start shows the
    counters do count. Read from the stats file (SKRANKE_STATS)."""
    data = demo_data()
    walk = ["tap home.survey", "tap survey.start", "tap nav.home",
            "tap home.checkin", "tap checkin.appointment", "tap nav.home",
            "tap home.checkin", "tap checkin.session", "tap nav.home",
            "tap home.checkin", "tap checkin.walkin", "tap nav.home",
            "tap home.jobs", "tap jobs.search", "tap nav.home",
            "tap home.lang.ar", "tap home.lang.uk"]
    for idle, cold in ((["wait 1000"], False), ([], True)):
        stats = os.path.join(TMP, "stats.json")
        old = ENV.get("SKRANKE_STATS")
        ENV["SKRANKE_STATS"] = stats
        try:
            r = kiosk(idle + walk, data=data)
        finally:
            if old is None:
                ENV.pop("SKRANKE_STATS")
            else:
                ENV["SKRANKE_STATS"] = old
        if not check(r.returncode == 0, "the walk runs: %s" % r.stderr):
            continue
        with open(stats, encoding="utf-8") as f:
            d = json.load(f)
        loads = d["frame_font_opens"] + d["frame_shape_paints"]
        if cold:
            check(loads > 0, "tapping at once after start, frames load fonts or paint shapes "
                  "(the counters count): %r" % d)
        else:
            check(loads == 0, "after a second on home, no frame of the walk loads a font or "
                  "paints a shape: %r" % d)


def test_monkey():
    if MONKEY_STEPS <= 0:
        return
    # A fifth on an empty store (no jobs, no schedule: the empty cases), the
    # rest with the demo data.
    empty = MONKEY_STEPS // 5
    if empty:
        monkey(empty, MONKEY_SEED, new_data(idle_timeout_s=45, idle_prompt_s=15), "an empty store")
    monkey(MONKEY_STEPS - empty, MONKEY_SEED + 1, demo_data(), "the demo data")


def main():
    for prog in (KIOSK, ADMIN, IMGCMP):
        if not os.access(prog, os.X_OK):
            sys.exit("%s is not built" % prog)
    shutil.rmtree(KEEP, ignore_errors=True)
    tests = [test_imgcmp, test_reference_images, test_layout, test_language_rows,
             test_nav_labels, test_idle, test_prompt_outside, test_pictos, test_larger_text,
             test_script_contract, test_warm, test_monkey]
    try:
        for t in tests:
            start = time.monotonic()
            before = failed
            t()
            print("%s: %.1f s%s" % (t.__name__, time.monotonic() - start,
                                    "" if failed == before else ", %d failed" % (failed - before)))
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
