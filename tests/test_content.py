#!/usr/bin/env python3
"""Content in the citizen's language: session titles and places from a
`skranke.schedule/2` batch, the appointment's place on the confirmation, and
the walk-in errands (the kiosk's own translations, or the staff's
`errands.LANG`), each falling back to Danish where no translation was given;
what is stored and exported stays Danish.

Run by ctest as: test_content.py BUILD_DIR SOURCE_DIR
"""
import os
import shutil

from kiosktest import ENV, SOURCE, admin, check, finish, kiosk, listing, new_store

SAMPLE2 = os.path.join(SOURCE, "tests", "data", "schedule-sample-2.json")


def at(hhmm_utc):
    return dict(ENV, SKRANKE_NOW="2026-11-24T%s:00Z" % hhmm_utc)


def with_schedule(**settings):
    d, data = new_store(**settings)
    r = admin(data, "import", SAMPLE2)
    assert r.returncode == 0, r.stderr
    return d, data


def sessions(lang):
    return "lang %s\ntap home.checkin\ntap checkin.session\nexpect checkin.session.cv-1124\n" % lang


# 1. The list of today's sessions: the title and place in the citizen's
#    language, Danish where the batch gave none (cv-1124 has no English title
#    and no Arabic place). 10:41 in Copenhagen.
d, data = with_schedule()
r = kiosk(data, sessions("uk") + "expect-text Майстерня з резюме\nexpect-text Кімната 3\n"
          "expect-no-text CV-værksted\nexpect-no-text Lokale 3\ntap nav.home\n"
          + sessions("ar") + "expect-text ورشة السيرة الذاتية\nexpect-text Lokale 3\n"
          "expect-no-text CV-værksted\ntap nav.home\n"
          + sessions("en") + "expect-text CV-værksted\nexpect-text Room 3\ntap nav.home\n"
          + sessions("da") + "expect-text CV-værksted\nexpect-text Lokale 3\n"
          "expect-no-text Кімната 3\n", env=at("09:41"))
check(r.returncode == 0, "session list per language: %s" % r.stderr)

# 2. The confirmation says the session and its place in Ukrainian; the
#    check-in is stored with the session's id, as before.
r = kiosk(data, sessions("uk") + "tap checkin.session.cv-1124\ntype Q4TZ7A\ntap checkin.ok\n"
          "expect checkin.result\nexpect-text Майстерня з резюме\nexpect-text Кімната 3\n"
          "expect-no-text CV-værksted\n", env=at("09:41"))
check(r.returncode == 0, "session confirmation in Ukrainian: %s" % r.stderr)

# 3. An appointment: the place on the confirmation in Arabic (09:41 local).
r = kiosk(data, "lang ar\ntap home.checkin\ntap checkin.appointment\ntype K7M2QX\n"
          "tap checkin.ok\nexpect checkin.result\nexpect-text منطقة الانتظار B\n"
          "expect-no-text Venteområde B\n", env=at("08:41"))
check(r.returncode == 0, "appointment place in Arabic: %s" % r.stderr)
got = listing(data, "checkins") or []
check(sorted((c["kind"], c["session_id"], c["unit"]) for c in got)
      == [("appointment", "", "Sygedagpenge"), ("session", "cv-1124", "")],
      "stored as before, the unit in Danish: %s" % got)
shutil.rmtree(d)

# 4. Walk-in errands: the default errands come translated; the ticket names
#    the errand in Ukrainian; the record and the export keep the Danish.
d, data = new_store()
walkin = "tap home.checkin\ntap checkin.walkin\nexpect checkin.errand.3\n"
r = kiosk(data, "lang uk\n" + walkin + "expect-text Безробіття\nexpect-text Лікарняні\n"
          "expect-text Інше\nexpect-no-text Ledighed\nexpect-no-text Sygedagpenge\n"
          "tap checkin.errand.2\nexpect checkin.ticket\nexpect-text Лікарняні\n"
          "expect-no-text Sygedagpenge\ntap nav.home\n"
          "lang ar\n" + walkin + "expect-text البطالة\nexpect-text إعانة المرض\n"
          "expect-text أخرى\nexpect-no-text Andet\ntap nav.home\n"
          "lang da\n" + walkin + "expect-text Ledighed\nexpect-text Sygedagpenge\n")
check(r.returncode == 0, "errands in Ukrainian and Arabic: %s" % r.stderr)
got = listing(data, "checkins") or []
check([c["unit"] for c in got] == ["Sygedagpenge"], "the errand stored in Danish: %s" % got)
out = os.path.join(d, "out")
os.makedirs(out)
r = admin(data, "export", out)
check(r.returncode == 0, "export: %s" % r.stderr)
batch = [os.path.join(out, x) for x in os.listdir(out)]
csv = open(os.path.join(batch[0], "checkins.csv"), encoding="utf-8-sig").read() if batch else ""
check(";Sygedagpenge;" in csv and "Лікарняні" not in csv, "the export keeps the Danish: %r" % csv)

# 5. The staff's own labels win; an errand added later without a label shows
#    in Danish, and the others keep theirs.
r = admin(data, "config", "set", "errands.uk", "Без роботи,Хворію,Інше питання")
check(r.returncode == 0, "errands.uk set: %s" % r.stderr)
r = admin(data, "config", "set", "errands", "Ledighed,Sygedagpenge,Jobafklaring,Andet")
check(r.returncode == 0, "errands changed: %s" % r.stderr)
r = kiosk(data, "lang uk\n" + walkin + "expect-text Без роботи\nexpect-text Хворію\n"
          "expect-text Jobafklaring\nexpect-text Інше питання\nexpect-no-text Безробіття\n")
check(r.returncode == 0, "the staff's labels: %s" % r.stderr)
shutil.rmtree(d)

finish()
