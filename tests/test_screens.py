#!/usr/bin/env python3
"""Every citizen screen in every language, at 1280x800, as the citizen sees it,
in the normal text size and in larger text (home.bigger, 1.4x).

For each language file under assets/lang the kiosk walks every citizen flow
through the script driver (the real loop; `shot` saves what was presented)
and, at each screen, checks what a reader of that language would notice:

  - the screen matches its reference image, tests/ref_imgs/screens-LANG-NAME.png
    (screens-large-LANG-NAME.png in larger text)
    (looked at one by one before they were committed; SKRANKE_UPDATE_REFS=1
    writes them);
  - no Danish words on a screen in another language: no widget shows a
    piece of a Danish text whose key the language translates differently,
    and the walk-in errands (translated for every language the kiosk ships)
    are not in Danish;
  - no text had to be cut to fit on any screen (the driver's expect-whole;
    list rows of job data aside, which are cut on purpose);
  - in larger text, the text is larger: the heading of each screen is at
    least 1.3 times as tall as in the normal size.

Usage: test_screens.py BUILD_DIR SOURCE_DIR
"""
import os
import re
import shutil
import sys
import tempfile

import kiosktest
from kiosktest import SOURCE, admin, check, compare_shots, finish, kiosk, load_lang, new_store

DATA = os.path.join(SOURCE, "tests", "data")
LANG_DIR = os.path.join(SOURCE, "assets", "lang")
# 09:41 in Copenhagen: the sample schedule's K7M2QX may check in now.
ENV = dict(kiosktest.ENV, SKRANKE_NOW="2026-11-24T08:41:00Z")
UNITS = "Sygedagpenge,Kontanthjælp,Ungeenheden,Integration"
DEFAULT_ERRANDS = ("Ledighed", "Sygedagpenge", "Andet")



LANGS = sorted(f[:-4] for f in os.listdir(LANG_DIR) if f.endswith(".txt"))
LANGS.remove("da")
LANGS.insert(0, "da")
TEXT = {code: load_lang(code) for code in LANGS}

SURVEY_GAP = "wait 400"  # the survey takes no answer within 350 ms of a statement


def flows():
    """name -> script lines; `@NAME` marks a screen to check (shot and dump)."""
    return {
        "home": ["@home"],
        "survey": ["tap home.survey", "@survey-intro", "tap survey.start", "@survey-unit",
                   "tap survey.unit.1", "@survey-q1", SURVEY_GAP, "tap survey.answer.4",
                   SURVEY_GAP, "tap survey.answer.5", SURVEY_GAP, "tap survey.answer.2",
                   "@survey-q4", SURVEY_GAP, "tap survey.answer.1", "@survey-thanks"],
        "code": ["tap home.checkin", "@checkin-menu", "tap checkin.appointment",
                 "@checkin-code", "tap checkin.key.K", "tap checkin.key.7", "@checkin-code-typed",
                 "tap checkin.key.M", "tap checkin.key.2", "tap checkin.key.Q", "tap checkin.key.X",
                 "tap checkin.ok", "@checkin-result"],
        "wrong": ["tap home.checkin", "tap checkin.appointment"] +
                 ["tap checkin.key.%s" % c for c in "KKKKKK"] + ["tap checkin.ok", "@checkin-wrong"],
        "session": ["tap home.checkin", "tap checkin.session", "@checkin-sessions"],
        "walkin": ["tap home.checkin", "tap checkin.walkin", "@checkin-errands",
                   "tap checkin.errand.1", "@checkin-ticket"],
        "jobs": ["tap home.jobs", "@jobs-list", "tap jobs.search", "@jobs-keyboard",
                 "type chauf", "@jobs-results", "tap jobs.item.1", "@jobs-detail"],
        "nothing": ["tap home.jobs", "tap jobs.search", "type qqqq", "@jobs-empty"],
        "chooser": ["tap home.jobs", "tap jobs.filter.category", "@jobs-chooser"],
        "idle": ["tap home.jobs", "wait 46000", "@idle-prompt"],
    }


MODES = ("", "large-")  # the normal text size, and larger text


def script_for(code, lines, mode=""):
    out = [] if code == "da" else ["lang " + code]
    if mode:
        out += ["expect home.bigger", "tap home.bigger"]
    for line in lines:
        if line.startswith("@"):
            name = "screens-%s%s-%s" % (mode, code, line[1:])
            out += ["shot " + name, "dump " + name, "expect-whole"]
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def widgets(path):
    """(id, kind, text, flags) of each widget in a dump."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 7:
                out.append((parts[0], parts[5], parts[6], parts[7:]))
    return out


def danish_pieces(code):
    """Pieces (>= 6 characters) of Danish texts the language says otherwise."""
    da, own = TEXT["da"], TEXT[code]
    pieces = set()
    for key, value in da.items():
        if key.startswith(("staff.", "@")) or own.get(key, value) == value:
            continue
        for piece in re.split(r"\{[a-z]\}|\n", value):
            piece = piece.strip(" .,:;!?…–-")
            if len(piece) >= 6 and not any(piece in v for v in own.values()):
                pieces.add(piece)
    return pieces


def check_screen(code, name, ui):
    where = "%s, %s" % (code, name)
    ws = widgets(ui)
    check(ws, "%s: the screen has widgets" % where)
    if code == "da":
        return
    pieces = danish_pieces(code)
    for wid, kind, text, flags in ws:
        for piece in pieces:
            if piece in text:
                check(False, "%s: Danish on screen in %s: %r" % (where, wid, piece))
        if wid.startswith("checkin.errand."):
            check(text.split("\n")[0] not in DEFAULT_ERRANDS,
                  "%s: errand %s is in Danish: %r" % (where, wid, text))


def heading_height(path):
    """The height of the home button (home's "larger text" button): a label
    every citizen screen shows, in a box that grows with its text."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split("\t")
            if len(parts) >= 7 and parts[0] in ("nav.home", "home.bigger"):
                return int(parts[4])
    return None


def main():
    tmp, data = new_store(units=UNITS, languages=",".join(LANGS))
    try:
        r = admin(data, "import", os.path.join(DATA, "schedule-sample.json"),
                  os.path.join(DATA, "jobs-sample.json"), env=ENV)
        check(r.returncode == 0, "the sample data imports: %s" % r.stderr)
        shots = os.path.join(tmp, "shots")
        os.makedirs(shots)
        for mode in MODES:
            for code in LANGS:
                for flow, lines in flows().items():
                    # Each flow on a fresh copy of the store: a check-in or
                    # an answer of one flow must not change the next one's.
                    copy = os.path.join(tmp, "data-%s%s-%s" % (mode, code, flow))
                    shutil.copytree(data, copy)
                    r = kiosk(copy, script_for(code, lines, mode), shots=shots, env=ENV)
                    check(r.returncode == 0, "%s%s, %s: the flow runs: %s" % (
                        mode, code, flow, r.stderr.strip()))
                    shutil.rmtree(copy)
        heights = {}
        for f in sorted(os.listdir(shots)):
            if f.endswith(".ui"):
                rest = f[len("screens-"):-3]
                mode = "large-" if rest.startswith("large-") else ""
                lang, name = rest[len(mode):].split("-", 1)
                path = os.path.join(shots, f)
                check_screen(lang, name, path)
                heights[(mode, lang, name)] = heading_height(path)
                os.unlink(path)
        for (mode, lang, name), h in sorted(heights.items()):
            normal = heights.get(("", lang, name))
            if mode and h and normal:
                check(h >= 1.3 * normal, "large-%s, %s: the text is larger (heading %d px "
                      "high, %d px in the normal size)" % (lang, name, h, normal))
        compare_shots(shots)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish()


if __name__ == "__main__":
    main()
