#!/usr/bin/env python3
"""Staff mode, the flows staff trip on (issue 13 and issue 14 point 5):

1. The PIN back-off's "Vent N sekunder" counts down on screen by itself,
   and goes when the wait is over.
2. "Gem på USB" with nothing waiting writes nothing on the stick, uses up no
   batch number and says "Intet at gemme"; the next real export is 000001.
3. The status view shows times in local time (Europe/Copenhagen), not UTC.
4. Units and errands: at most 12 (the buttons the kiosk shows); the 13th is
   refused with a clear message by skranke-admin and in staff mode, before
   anything is typed; all 12 show on the walk-in screen.

Run by ctest as: test_staff_flows.py BUILD_DIR SOURCE_DIR
"""
import os
import shutil

from kiosktest import ENV, admin, check, finish, kiosk, new_store

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

# 3. Status in local time: 09:41 UTC is 10:41 in Copenhagen in November.
r = kiosk(data, ENTER + pin("4711") + "tap staff.status\n"
          "expect-text Seneste eksport: pakke 000001, 2026-11-24 kl. 10:41\nexpect-no-text 09:41\n"
          "expect-no-text Z (\n")
check(r.returncode == 0, "status shows local time: %s" % r.stderr)
summer = dict(ENV, SKRANKE_NOW="2026-07-01T21:30:00Z")  # 23:30 summer time
r = kiosk(data, SURVEY, env=summer)
r = kiosk(data, ENTER + pin("4711") + "tap staff.export\nexpect staff.result\ntap nav.back\n"
          "tap staff.status\nexpect-text pakke 000002, 2026-07-01 kl. 23:30\n", env=summer)
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

finish()
