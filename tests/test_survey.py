#!/usr/bin/env python3
"""The dignity survey end to end, the way a citizen and the staff PC meet it.

Run by ctest as: test_survey.py BUILD_DIR SOURCE_DIR
Every case drives the real kiosk through its headless script driver and
checks the store with skranke-admin, then exports and reads the CSV as a
Danish staff PC would. With SKRANKE_UPDATE_REFS=1 the reference screenshots
are written instead of compared (look at every one before committing).
"""
import csv
import os
import shutil
import subprocess

from kiosktest import (ENV, KIOSK, admin, check, compare_shots, finish, kiosk, listing,
                       new_store)


def new_survey_store(units=None):
    return new_store(units=units) if units else new_store()


def responses(data):
    return listing(data, "responses")


def complete(answers, lang=None, unit=None):
    """Script lines for one whole survey; answers are 1-5 or 'skip'."""
    lines = []
    if lang:
        lines.append("lang %s" % lang)
    lines += ["tap home.survey", "tap survey.start"]
    if unit:
        lines.append("tap survey.unit.%s" % unit)
    lines += ["tap survey.answer.%s" % a for a in answers]
    lines += ["expect survey.thanks"]
    return "\n".join(lines) + "\n"


# 1. Each language: one survey, stored with that language and its answers.
for lang, answers, want in [("da", [5, 4, 3, 2], [5, 4, 3, 2]),
                            ("en", [1, "skip", 5, 5], [1, None, 5, 5]),
                            ("uk", [2, 2, "skip", 4], [2, 2, None, 4]),
                            ("ar", ["skip", "skip", "skip", "skip"], [None] * 4)]:
    d, data = new_store()
    r = kiosk(data, complete(answers, lang=None if lang == "da" else lang) + "wait 9000\nexpect home.survey\n")
    check(r.returncode == 0, "%s survey script ran: %s" % (lang, r.stderr))
    got = responses(data)
    check(got is not None and len(got) == 1, "%s: exactly one response stored" % lang)
    if got:
        x = got[0]
        check(x["language"] == lang, "%s: language stored as %s" % (lang, x["language"]))
        check([x["empowerment"], x["ressourcefokus"], x["progression"], x["vaerdighed"]] == want,
              "%s: answers %s" % (lang, x))
        check(x["date"] == "2026-11-24" and x["site"] == "jobcenter-slagelse" and x["unit"] == "",
              "%s: date/site/unit %s" % (lang, x))
        check(set(x) == {"response_id", "date", "site", "unit", "language", "empowerment",
                         "ressourcefokus", "progression", "vaerdighed", "exported"},
              "%s: nothing else is stored about the citizen: %s" % (lang, sorted(x)))
    shutil.rmtree(d)

# 2. The language can change on the intro without losing anything; the unit
#    choice is asked when the kiosk has units, and stored.
d, data = new_survey_store(units="Sygedagpenge,Kontanthjælp,Ungeenheden")
r = kiosk(data, "tap home.survey\nlang uk\nexpect-text Почати\ntap survey.start\n"
                "expect survey.unit.3\nexpect-text Соціальна допомога\nexpect-text Лікарняні\n"
                "expect-text Відділ для молоді\nexpect-no-text Kontanthjælp\n"
                "tap survey.unit.2\ntap survey.answer.3\n"
                "tap survey.answer.3\ntap survey.answer.3\ntap survey.answer.3\n"
                "expect survey.thanks\n")
check(r.returncode == 0, "language change on intro: %s" % r.stderr)
got = responses(data)
check(got and got[0]["language"] == "uk" and got[0]["unit"] == "Kontanthjælp",
      "unit and language stored: %s" % got)
shutil.rmtree(d)

# The units in the citizen's language: the staff's own labels (units.LANG), the
# kiosk's translation of a common unit, Danish for one it has no word for; the
# stored unit stays Danish.
d, data = new_survey_store(units="Sygedagpenge,Jobafklaring,Integration")
r = admin(data, "config", "set", "units.ar", "مساعدة المرض,توضيح العمل,الاندماج")
check(r.returncode == 0, "units.ar set: %s" % r.stderr)
r = kiosk(data, "lang ar\ntap home.survey\ntap survey.start\nexpect-text توضيح العمل\n"
                "expect-text مساعدة المرض\nexpect-no-text Jobafklaring\ntap nav.home\n"
                "lang uk\ntap home.survey\ntap survey.start\nexpect-text Лікарняні\n"
                "expect-text Jobafklaring\nexpect-text Інтеграція\ntap survey.unit.2\n"
                "tap survey.answer.3\ntap survey.answer.3\ntap survey.answer.3\n"
                "tap survey.answer.3\nexpect survey.thanks\n")
check(r.returncode == 0, "units in Arabic and Ukrainian: %s" % r.stderr)
got = responses(data)
check(got and [x["unit"] for x in got] == ["Jobafklaring"], "the unit stored in Danish: %s" % got)
shutil.rmtree(d)

# A fixed unit skips the question.
d, data = new_survey_store(units="A,B")
admin(data, "config", "set", "unit", "Integration")
r = kiosk(data, "tap home.survey\ntap survey.start\nexpect-gone survey.unit.1\nexpect survey.answer.1\n"
                "tap survey.answer.1\ntap survey.answer.1\ntap survey.answer.1\ntap survey.answer.1\n")
got = responses(data)
check(r.returncode == 0 and got and got[0]["unit"] == "Integration", "fixed unit: %s %s" % (r.stderr, got))
shutil.rmtree(d)

# 3. Back changes an earlier answer; the stored answer is the last chosen,
#    and the earlier choice is shown as chosen when coming back.
d, data = new_store()
r = kiosk(data, "tap home.survey\ntap survey.start\ntap survey.answer.1\ntap survey.answer.2\n"
                "tap nav.back\ntap nav.back\nexpect-text 1 af 4\ntap survey.answer.5\n"
                "expect-text 2 af 4\ntap survey.answer.4\ntap survey.answer.3\ntap nav.back\n"
                "tap survey.answer.skip\ntap survey.answer.1\nexpect survey.thanks\n")
check(r.returncode == 0, "back and change: %s" % r.stderr)
got = responses(data)
check(got and [got[0][k] for k in ("empowerment", "ressourcefokus", "progression", "vaerdighed")]
      == [5, 4, None, 1], "last chosen answers stored: %s" % got)
shutil.rmtree(d)

# 4. Abandon at every step, by going home and by walking away: no record.
steps = ["tap home.survey",
         "tap home.survey\ntap survey.start",
         "tap home.survey\ntap survey.start\ntap survey.answer.4",
         "tap home.survey\ntap survey.start\ntap survey.answer.4\ntap survey.answer.4",
         "tap home.survey\ntap survey.start\ntap survey.answer.4\ntap survey.answer.4\ntap survey.answer.4"]
for i, prefix in enumerate(steps):
    for how, tail in [("home", "tap nav.home\nexpect home.survey\n"),
                      ("idle", "wait 46000\nexpect idle.more\nwait 16000\nexpect home.survey\n"
                               "expect-gone idle.more\n")]:
        d, data = new_store()
        r = kiosk(data, prefix + "\n" + tail + "tap home.survey\ntap survey.start\n"
                  "expect-text 1 af 4\n")
        check(r.returncode == 0, "abandon at step %d by %s: %s" % (i, how, r.stderr))
        check(responses(data) == [], "abandon at step %d by %s leaves no record" % (i, how))
        # Nothing about the abandoned survey in the store's files either.
        shutil.rmtree(d)

# 5. A double tap answers one statement, not two; a second survey is new.
# Find where survey.answer.5 is, then tap it twice within 120 ms with drags
# (a drag without movement is a tap, and the driver adds no pause after it).
d, data = new_store()
path = os.path.join(d, "probe.txt")
with open(path, "w") as f:
    f.write("tap home.survey\ntap survey.start\n")
r = subprocess.run([KIOSK, "--data", data, "--window", "1280x800", "--script", path, "--dump-ui"],
                   env=ENV, capture_output=True, text=True)
pos = None
for line in r.stdout.splitlines():
    parts = line.split("\t")
    if parts[0] == "survey.answer.5":
        x, y, w, h = map(int, parts[1:5])
        pos = (x + w // 2, y + h // 2)
check(pos is not None, "--dump-ui lists survey.answer.5 after a script: %s" % r.stdout[:300])
if pos:
    x, y = pos
    r = kiosk(data, "tap home.survey\ntap survey.start\n"
                    "drag %d %d %d %d 60\ndrag %d %d %d %d 60\n"
                    "wait 500\nexpect-text 2 af 4\nexpect-no-text 3 af 4\n"
                    "tap survey.answer.1\ntap survey.answer.1\ntap survey.answer.1\n"
                    "expect survey.thanks\nwait 9000\n" % (x, y, x, y, x, y, x, y)
              + complete([2, 2, 2, 2]))
    check(r.returncode == 0, "double tap: %s" % r.stderr)
    got = responses(data)
    check(got is not None and len(got) == 2, "two surveys, two responses: %s" % got)
    if got and len(got) == 2:
        first = [g for g in got if g["empowerment"] == 5]
        check(len(first) == 1 and first[0]["ressourcefokus"] == 1,
              "the double tap answered only the first statement: %s" % got)
        check(got[0]["response_id"] != got[1]["response_id"], "new id for the second survey")
shutil.rmtree(d)

# 6. Reference screenshots of every survey screen in Danish and Arabic.
for lang in ("da", "ar"):
    d, data = new_survey_store(units="Sygedagpenge,Kontanthjælp,Ungeenheden,Integration")
    shots = os.path.join(d, "shots")
    pre = "" if lang == "da" else "lang ar\n"
    r = kiosk(data, pre + "tap home.survey\nshot survey-intro-%s\ntap survey.start\n"
              "shot survey-unit-%s\ntap survey.unit.1\nshot survey-q1-%s\ntap survey.answer.4\n"
              "shot survey-q2-%s\ntap survey.answer.2\ntap survey.answer.5\ntap nav.back\n"
              "shot survey-q3-chosen-%s\ntap survey.answer.5\ntap survey.answer.skip\n"
              "shot survey-thanks-%s\n" % ((lang,) * 6), shots=shots)
    check(r.returncode == 0, "%s screenshot script: %s" % (lang, r.stderr))
    compare_shots(shots)
    shutil.rmtree(d)

# 8. Truthful acknowledgement: the thank-you says "saved" only once the store
#    committed the answer. With the store's disk failing every fsync
#    (tests/shim/faultfs.so preloaded), the last answer brings a plain "not
#    saved yet" instead, never survey.thanks, and the kiosk still goes home.
def faultfs_preload():
    shim = os.path.join(os.path.dirname(KIOSK), "tests", "faultfs.so")
    ldd = subprocess.run(["ldd", KIOSK], capture_output=True, text=True).stdout
    if "libasan" in ldd:
        asan = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True,
                              text=True).stdout.strip()
        return asan + " " + shim
    return shim


d, data = new_survey_store()
log = os.path.join(d, "faults.log")
env = dict(ENV, LD_PRELOAD=faultfs_preload(), FAULTFS_PREFIX=data, FAULTFS_FSYNC_EIO="1",
           FAULTFS_LOG=log)
shots = os.path.join(d, "shots")
r = kiosk(data, complete([5, 4, 3, 2]).replace("expect survey.thanks\n", "") +
          "expect survey.failed\nexpect-gone survey.thanks\nexpect-text Dit svar er ikke gemt endnu\n"
          "expect-no-text Dit svar er gemt – uden dit navn.\nshot survey-failed-da\n"
          "wait 9000\nexpect home.survey\n", env=env, shots=shots)
check(r.returncode == 0, "failing store: the survey says the answer is not saved: %s" % r.stderr)
check(os.path.exists(log) and "EIO" in open(log).read(), "the fault shim made the store fail")
compare_shots(shots)
shutil.rmtree(d)
d, data = new_survey_store()
r = kiosk(data, complete([5, 4, 3, 2]) + "expect-gone survey.failed\nexpect-gone survey.saving\n"
          "expect-text Dit svar er gemt – uden dit navn.\n")
check(r.returncode == 0, "working store: the thank-you says the answer is saved: %s" % r.stderr)
got = responses(data)
check(got is not None and len(got) == 1, "and it is in the store: %s" % got)
shutil.rmtree(d)

# 7. 1 000 surveys in a row, then export: 1 000 rows, unique ids, readable by
#    a CSV reader that knows nothing of skranke, Danish letters intact.
n = int(os.environ.get("SKRANKE_SURVEY_COUNT", "1000"))
d, data = new_survey_store(units="Kontanthjælp,Sygedagpenge")
script = []
for i in range(n):
    answers = [(i + k) % 6 or "skip" for k in range(4)]
    script.append(complete(answers, unit=str(1 + i % 2)).replace("expect survey.thanks\n", ""))
    script.append("wait 9000\n")
r = kiosk(data, "".join(script) + "expect home.survey\n")
check(r.returncode == 0, "%d surveys: %s" % (n, r.stderr))
out = os.path.join(d, "stick")
os.mkdir(out)
e = admin(data, "export", out)
check(e.returncode == 0, "export after %d surveys: %s" % (n, e.stderr))
batch = e.stdout.strip()
if e.returncode == 0:
    with open(os.path.join(batch, "responses.csv"), newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f, delimiter=";"))
    check(rows[0] == ["response_id", "date", "site", "unit", "language", "empowerment",
                      "ressourcefokus", "progression", "vaerdighed"], "header row: %s" % rows[0])
    body = rows[1:]
    check(len(body) == n, "exactly %d rows, got %d" % (n, len(body)))
    check(len({row[0] for row in body}) == n, "ids unique")
    check(sum(1 for row in body if row[3] == "Kontanthjælp") == (n + 1) // 2,
          "the unit Kontanthjælp intact in every row that has it")
    check(all(row[1] == "2026-11-24" for row in body), "date only, no time of day")
    ids = [row[0] for row in body]
    check(ids == sorted(ids), "rows in id order, which reveals nothing about time")
    with open(os.path.join(batch, "responses.jsonl"), encoding="utf-8") as f:
        check(sum(1 for _ in f) == n, "jsonl holds the same %d records" % n)
shutil.rmtree(d)


# The thank-you says how long it stays (issue 16), counting down to home.
d, data = new_store()
r = kiosk(data, complete([5, 4, 3, 2]) + "expect time.left\n"
          "expect-text Skærmen går tilbage til start om 8 sekunder.\nwait 3000\n"
          "expect-text Skærmen går tilbage til start om 5 sekunder.\nwait 4000\n"
          "expect-text Skærmen går tilbage til start om 1 sekund.\nwait 1000\n"
          "expect home.survey\n")
check(r.returncode == 0, "the thank-you counts down to home: %s" % r.stderr)
shutil.rmtree(d)

finish()
