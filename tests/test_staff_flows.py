#!/usr/bin/env python3
"""Staff mode, the flows staff trip on (issue 13 and issue 14 point 5):

1. The PIN back-off's "Vent N sekunder" counts down on screen by itself,
   and goes when the wait is over.
2. "Gem på USB" with nothing waiting writes nothing on the stick, uses up no
   batch number and says "Intet at gemme"; the next real export is 000001.
3. The status view shows times in local time (Europe/Copenhagen), not UTC.
4. Units and errands: at most 12 units and 8 errands (the buttons the
   kiosk shows on one screen); one more is refused with a clear message by
   skranke-admin and in staff mode, before anything is typed.
5. Long names and deep paths: a batch whose name on the stick is as long as
   a Linux name can be (255 bytes, or 240 bytes of Danish letters) comes in
   or is refused under its whole name, never cut or called "unreadable";
   skranke-admin refuses a path beyond PATH_MAX and an export folder so deep
   that the batch's path would not fit, clearly, writing nothing and using
   up no batch number.

Run by ctest as: test_staff_flows.py BUILD_DIR SOURCE_DIR
"""
import os
import shutil

from kiosktest import (BUILD, ENV, SOURCE, admin, check, finish, kiosk, listing, new_store,
                       preload)

ENTER = "drag 20 20 20 20 3100\n"


def pin(p):
    return "type %s\ntap staff.pin.ok\n" % p


def staff_store():
    d, data = new_store()
    admin(data, "set-pin", stdin="4711\n")
    root = os.path.join(d, "media")
    os.makedirs(os.path.join(root, "STICK", "skranke", "inbox"))
    admin(data, "config", "set", "usb_root", root)
    return d, data, root


SURVEY = ("tap home.survey\ntap survey.start\ntap survey.answer.4\ntap survey.answer.4\n"
          "tap survey.answer.4\ntap survey.answer.4\nwait 9000\n")

# 1. The wait counts down without a tap: 2 s, then 1 s, then gone.
d, data, root = staff_store()
r = kiosk(data, ENTER + pin("1111") + pin("2222") + pin("3333")
          + "expect-text Forkert PIN. Vent 2 sekunder, før du prøver igen.\n"
          "wait 1000\nexpect-text Forkert PIN. Vent 1 sekund, før du prøver igen.\n"
          "wait 1000\nexpect-no-text Vent\n" + pin("4711") + "expect staff.import\n")
check(r.returncode == 0, "the back-off's wait counts down on screen: %s" % r.stderr)
# The same after a restart (the wait not caused by a PIN of this run).
r = kiosk(data, ENTER + pin("1111") + pin("2222") + pin("3333") + "wait 2100\n" + pin("5555")
          + "expect-text Vent 4 sekunder\n")
r = kiosk(data, ENTER + "expect-text Vent 4 sekunder, før du prøver igen.\nwait 1000\n"
          "expect-text Vent 3 sekunder, før du prøver igen.\nwait 2000\n"
          "expect-text Vent 1 sekund, før du prøver igen.\nwait 1000\nexpect-no-text Vent\n")
check(r.returncode == 0, "after a restart the wait counts down too: %s" % r.stderr)
shutil.rmtree(d)

# 2. Nothing waiting: nothing written, no number used, "Intet at gemme".
d, data, root = staff_store()
outbox = os.path.join(root, "STICK", "skranke", "outbox")
r = kiosk(data, ENTER + pin("4711") + "tap staff.export\nexpect-text Intet at gemme\n"
          "expect staff.export\nexpect-gone staff.result\n")
check(r.returncode == 0, "empty export says Intet at gemme: %s" % r.stderr)
check(not os.path.exists(outbox) or os.listdir(outbox) == [],
      "nothing written on the stick: %s" % (os.listdir(outbox) if os.path.exists(outbox) else ""))
status = admin(data, "status", "--json").stdout
check('"last_export": null' in status or '"last_export":null' in status.replace(" ", "")
      or '"seq": 0' not in status and '000001' not in status,
      "no batch logged: %s" % status)
# A response, then an export: batch 000001 (no number was used up).
r = kiosk(data, SURVEY + ENTER + pin("4711") + "tap staff.export\nexpect staff.result\n"
          "expect-text Gemt og kontrolleret: skranke-jobcenter-slagelse-lobby-1-000001\n")
check(r.returncode == 0, "the first real export is 000001: %s" % r.stderr)
check(os.path.isdir(outbox) and os.listdir(outbox) == ["skranke-jobcenter-slagelse-lobby-1-000001"],
      "one batch on the stick: %s" % (os.listdir(outbox) if os.path.isdir(outbox) else ""))
# And once more with nothing waiting: still only that batch.
r = kiosk(data, ENTER + pin("4711") + "tap staff.export\nexpect-text Intet at gemme\n")
check(r.returncode == 0, "second export with nothing waiting: %s" % r.stderr)
check(os.listdir(outbox) == ["skranke-jobcenter-slagelse-lobby-1-000001"],
      "still one batch: %s" % os.listdir(outbox))

# A failed export whose records were already decided into batch 000002
# (the stick fails at fsync: tests/shim/faultfs) is due again though nothing
# else waits: retried as 000002, never "Intet at gemme".
SHIM = os.path.join(BUILD, "tests", "faultfs.so")
check(os.path.exists(SHIM), "the fault shim is built: %s" % SHIM)
r = kiosk(data, SURVEY)
failing = dict(ENV, LD_PRELOAD=preload(SHIM),
               FAULTFS_PREFIX=os.path.realpath(outbox), FAULTFS_FSYNC_EIO="1")
r = kiosk(data, ENTER + pin("4711") + "tap staff.export\nexpect staff.result\n"
          "expect-text Prøv igen\n", env=failing)
check(r.returncode == 0, "the export failed on a failing stick: %s" % r.stderr)
check('"waiting":0' in admin(data, "status", "--json").stdout.replace(" ", ""),
      "the response is in the decided batch, so nothing waits: %s"
      % admin(data, "status", "--json").stdout)
r = kiosk(data, ENTER + pin("4711") + "tap staff.export\nexpect staff.result\n"
          "expect-text Gemt og kontrolleret: skranke-jobcenter-slagelse-lobby-1-000002\n"
          "expect-no-text Intet at gemme\n")
check(r.returncode == 0, "the failed batch is retried, not called nothing: %s" % r.stderr)

# 3. Status in local time: 09:41 UTC is 10:41 in Copenhagen in November.
r = kiosk(data, ENTER + pin("4711") + "tap staff.status\n"
          "expect-text Seneste eksport: pakke 000002, 2026-11-24 kl. 10:41\nexpect-no-text 09:41\n"
          "expect-no-text Z (\n")
check(r.returncode == 0, "status shows local time: %s" % r.stderr)
summer = dict(ENV, SKRANKE_NOW="2026-07-01T21:30:00Z")  # 23:30 summer time
r = kiosk(data, SURVEY, env=summer)
r = kiosk(data, ENTER + pin("4711") + "tap staff.export\nexpect staff.result\ntap nav.back\n"
          "tap staff.status\nexpect-text pakke 000003, 2026-07-01 kl. 23:30\n", env=summer)
check(r.returncode == 0, "status in summer time: %s" % r.stderr)
shutil.rmtree(d)

# 4. At most 8 errands and 12 units (the buttons that fit on one screen at
#    1280x800, 800x1280 and 1024x600), said clearly in both places.
d, data, root = staff_store()
eight = ",".join("Ærinde %d" % i for i in range(1, 9))
r = admin(data, "config", "set", "errands", eight + ",Ærinde 9")
check(r.returncode == 2 and "at most 8" in r.stderr and "errands" in r.stderr,
      "9 errands refused, saying the limit: %s %s" % (r.returncode, r.stderr))
r = admin(data, "config", "set", "units", ",".join("Enhed %d" % i for i in range(13)))
check(r.returncode == 2 and "at most 12" in r.stderr, "13 units refused: %s" % r.stderr)
r = admin(data, "config", "set", "units", ",".join("Enhed %d" % i for i in range(12)))
check(r.returncode == 0, "12 units taken: %s" % r.stderr)
r = admin(data, "config", "set", "errands", eight)
check(r.returncode == 0, "8 errands taken: %s" % r.stderr)
for window in ("1280x800", "800x1280", "1024x600"):
    r = kiosk(data, ENTER + pin("4711") + "tap staff.settings\nexpect staff.set.errands.8\n"
              "tap staff.set.errands.add\nexpect-text Der kan højst være 8 på listen\n"
              "expect-gone staff.edit.ok\ntap staff.leave\ntap home.checkin\ntap checkin.walkin\n"
              "expect checkin.errand.8\nexpect-text Ærinde 8\ntap nav.home\ntap home.survey\n"
              "tap survey.start\nexpect survey.unit.12\n", window=window)
    check(r.returncode == 0, "%s: the 9th errand refused on screen, all 8 errands and 12 units "
          "shown: %s" % (window, r.stderr))
check(admin(data, "config", "get", "errands").stdout.strip() == eight, "the errands unchanged")
shutil.rmtree(d)

# 5. Long names on the stick, deep paths for skranke-admin.
d, data, root = staff_store()
inbox = os.path.join(root, "STICK", "skranke", "inbox")
long_ok = "j" * 250 + ".json"  # 255 bytes: NAME_MAX
shutil.copy(os.path.join(SOURCE, "tests", "data", "jobs-sample.json"), os.path.join(inbox, long_ok))
long_bad = "æ" * 117 + ".json"  # 239 bytes, 122 characters
with open(os.path.join(inbox, long_bad), "w", encoding="utf-8") as f:
    f.write('{"format": "skranke.jobs/1",\n  "jobs": [}')
r = kiosk(data, ENTER + pin("4711") + "tap staff.import\nexpect staff.result\n"
          "expect-text Hentet: %s – 12 job\nexpect-text Afvist: %s:2:\n"
          "expect-no-text unreadable name\nexpect-no-text …\n" % (long_ok, long_bad))
check(r.returncode == 0, "names of 255 bytes: taken or refused under their whole name: %s" % r.stderr)
check(len(listing(data, "jobs") or []) == 12, "the batch with the longest name came in")


def deep(base, total):
    """A folder under base whose path is about `total` bytes long, made one
    level at a time (a path beyond PATH_MAX cannot be made in one call)."""
    fd = os.open(base, os.O_RDONLY)
    path = base
    i = 0
    while len(path) + 202 < total:
        name = "%02d" % i + "d" * 198
        os.mkdir(name, dir_fd=fd)
        nfd = os.open(name, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = nfd
        path += "/" + name
        i += 1
    name = "e" * (total - len(path) - 1)  # exactly `total` bytes
    os.mkdir(name, dir_fd=fd)
    os.close(fd)
    return path + "/" + name


# An export folder so deep that the batch's own path would pass 4095 bytes.
before = admin(data, "status", "--json").stdout
r = kiosk(data, SURVEY)
near = deep(d, 4070)  # + "/skranke-…-000001" passes 4095
r = admin(data, "export", near)
check(r.returncode != 0 and "too long" in r.stderr, "export to a too-deep folder refused: %d %s"
      % (r.returncode, r.stderr[-300:]))
check(os.listdir(near) == [], "nothing written in the too-deep folder: %s" % os.listdir(near))
out = os.path.join(d, "out")
os.mkdir(out)
r = admin(data, "export", out)
check(r.returncode == 0 and r.stdout.strip().endswith("-000001"),
      "the refused export used up no number: %s %s" % (r.stdout, r.stderr))
# A batch given by a path beyond PATH_MAX: refused, saying why; nothing changed.
far = deep(os.path.join(d, "out"), 4300)
r = admin(data, "import", os.path.join(far, "jobs.json"))
check(r.returncode != 0 and "too long" in r.stderr.lower(),
      "import by a path beyond PATH_MAX refused: %d %s" % (r.returncode, r.stderr[-300:]))
check(len(listing(data, "jobs") or []) == 12, "the jobs unchanged")
shutil.rmtree(d)

finish()
