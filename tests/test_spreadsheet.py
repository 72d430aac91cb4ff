#!/usr/bin/env python3
"""An export as a member of staff opens it on a Danish PC (issue 13: the
spreadsheet changed cells).

Run by ctest as: test_spreadsheet.py BUILD_DIR SOURCE_DIR

Check-ins and answers whose texts a spreadsheet would take for something
else: booking code 234E56 (a number in scientific notation), session id 1e5
(100000), a date, units named =1+1 and =HYPERLINK(...). They go through the
real kiosk (script driver) and skranke-admin export; then LibreOffice,
headless, with Danish settings, converts responses.xlsx and checkins.xlsx
back to CSV, and every cell must read exactly as the store holds it: codes,
ids, units and dates as text, answers as numbers. In the machine CSV, a
cell that starts like a formula carries a leading apostrophe (OWASP's
advice), so no spreadsheet evaluates it, and dropping one apostrophe gives
the stored text back.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import tempfile

from kiosktest import ENV, admin, check, finish, kiosk, listing, new_store

UNITS = ["=1+1", '=HYPERLINK("http://example.invalid/x";"klik")', "Kontanthjælp"]
SCHEDULE = {
    "format": "skranke.schedule/1",
    "batch_id": "sheet-test-01",
    "generated_at": "2026-11-24T05:00:00Z",
    "site": "jobcenter-slagelse",
    "date": "2026-11-24",
    "appointments": [
        {"code": "234E56", "time": "09:30", "unit": "Sygedagpenge", "place": "Venteområde B"},
        {"code": "2E5678", "time": "09:45", "unit": "+45 Integration", "place": "Venteområde A"},
    ],
    "sessions": [
        {"id": "1e5", "title": "CV-værksted", "start": "09:00", "end": "12:00",
         "place": "Lokale 3", "participants": []},
    ],
}


def soffice_csv(path, outdir):
    """path converted by LibreOffice (headless, Danish) to CSV rows."""
    env = dict(os.environ, HOME=outdir, LANG="da_DK.UTF-8", LC_ALL="C.UTF-8")
    r = subprocess.run(["soffice", "--headless", "--norestore",
                        "-env:UserInstallation=file://" + os.path.join(outdir, "profile"),
                        "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1,,1030",
                        "--outdir", outdir, path], env=env, capture_output=True, text=True,
                       timeout=300)
    out = os.path.join(outdir, os.path.splitext(os.path.basename(path))[0] + ".csv")
    check(r.returncode == 0 and os.path.exists(out),
          "LibreOffice converts %s: %s" % (os.path.basename(path), r.stderr))
    if not os.path.exists(out):
        return []
    with open(out, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


d, data = new_store(units=",".join(UNITS))
sched = os.path.join(d, "schedule.json")
with open(sched, "w", encoding="utf-8") as f:
    json.dump(SCHEDULE, f, ensure_ascii=False)
r = admin(data, "import", sched)
check(r.returncode == 0, "the schedule imports: %s" % r.stderr)

script = ("tap home.checkin\ntap checkin.appointment\ntype 234E56\ntap checkin.ok\n"
          "expect checkin.result\ntap checkin.done\n"
          "tap home.checkin\ntap checkin.session\ntap checkin.session.1e5\n"
          "tap checkin.confirm.yes\nexpect checkin.result\ntap checkin.done\n")
for i, unit in enumerate(UNITS):
    script += ("tap home.survey\ntap survey.start\ntap survey.unit.%d\n"
               "tap survey.answer.%d\ntap survey.answer.skip\ntap survey.answer.4\n"
               "tap survey.answer.5\nexpect survey.thanks\nwait 9000\n" % (i + 1, i + 1))
r = kiosk(data, script, env=dict(ENV, SKRANKE_NOW="2026-11-24T08:41:00Z"))
check(r.returncode == 0, "check-ins and answers through the kiosk: %s" % r.stderr)

stored_r = {x["response_id"]: x for x in listing(data, "responses") or []}
stored_c = {x["checkin_id"]: x for x in listing(data, "checkins") or []}
check(len(stored_r) == 3 and len(stored_c) == 2,
      "three answers and two check-ins stored: %d, %d" % (len(stored_r), len(stored_c)))

stick = os.path.join(d, "stick")
os.mkdir(stick)
e = admin(data, "export", stick)
check(e.returncode == 0, "export: %s" % e.stderr)
batch = e.stdout.strip()
out = os.path.join(d, "converted")
os.mkdir(out)

# The spreadsheets, opened by LibreOffice: every cell as stored.
rows = soffice_csv(os.path.join(batch, "responses.xlsx"), out)
check(rows and rows[0] == ["response_id", "date", "site", "unit", "language", "empowerment",
                           "ressourcefokus", "progression", "vaerdighed"],
      "responses.xlsx header: %s" % (rows[:1],))
for row in rows[1:]:
    x = stored_r.get(row[0])
    check(x is not None, "response %s is in the store" % row[0])
    if not x:
        continue
    want = [x["response_id"], x["date"], x["site"], x["unit"], x["language"]] + \
        ["" if x[k] is None else str(x[k]) for k in ("empowerment", "ressourcefokus",
                                                     "progression", "vaerdighed")]
    check(row == want, "responses.xlsx row reads as stored: %s vs %s" % (row, want))
check(sorted(r[3] for r in rows[1:]) == sorted(UNITS),
      "units =1+1 and =HYPERLINK(...) are text, not formulas: %s" % [r[3] for r in rows[1:]])
check(all(r[1] == "2026-11-24" for r in rows[1:]), "dates stay 2026-11-24")

rows = soffice_csv(os.path.join(batch, "checkins.xlsx"), out)
check(rows and rows[0] == ["checkin_id", "date", "time", "site", "kind", "code", "unit",
                           "session_id", "ticket", "result"], "checkins.xlsx header")
codes = set()
for row in rows[1:]:
    x = stored_c.get(row[0])
    check(x is not None, "check-in %s is in the store" % row[0])
    if not x:
        continue
    want = [x["checkin_id"], x["date"], x["time"], x["site"], x["kind"], x["code"], x["unit"],
            x["session_id"], x["ticket"], x["result"]]
    check(row == want, "checkins.xlsx row reads as stored: %s vs %s" % (row, want))
    codes.add(row[5])
    codes.add(row[7])
check("234E56" in codes and "1e5" in codes, "234E56 and 1e5 stay text: %s" % codes)

# The machine CSV: formula-like cells neutralised, reversibly.
with open(os.path.join(batch, "responses.csv"), encoding="utf-8-sig", newline="") as f:
    units = [row[3] for row in csv.reader(f, delimiter=";")][1:]
check(sorted(units) == sorted(["'" + u if u[0] in "=+-@" else u for u in UNITS]),
      "responses.csv: formula-like units start with an apostrophe: %s" % units)
check(sorted(u[1:] if u.startswith("'") else u for u in units) == sorted(UNITS),
      "dropping the apostrophe gives the stored unit back")
with open(os.path.join(batch, "responses.jsonl"), encoding="utf-8") as f:
    check(sorted(json.loads(l)["unit"] for l in f) == sorted(UNITS),
          "responses.jsonl keeps the units exactly")

shutil.rmtree(d)
finish()
