#!/usr/bin/env python3
"""Acknowledged means stored: the kiosk killed (SIGKILL) at random moments
while citizens answer the survey and check in (issue 13, standing fault
suite). Whatever the screen had confirmed by the moment of the kill — the
survey's thank-you (survey.thanks, shown only once the store committed the
answer), a check-in's confirmation (checkin.result) or ticket — is in the
store after the kill; and nothing is stored twice.

Run by ctest as: test_kiosk_kill.py BUILD_DIR SOURCE_DIR
  SKRANKE_KILLS   how many kills (default 30; scripts/bench runs 200)
The last line printed is "kiosk kills: tried N / lost N / doubled N".
"""
import os
import random
import shutil
import signal
import subprocess
import time

from kiosktest import ENV, KIOSK, SOURCE, admin, check, finish, listing, new_store

KILLS = int(os.environ.get("SKRANKE_KILLS", "30"))
rng = random.Random(int(os.environ.get("SKRANKE_KILL_SEED", "20261203")))


def script(n):
    """n rounds of: one survey (thank-you expected), one walk-in ticket."""
    lines = []
    for i in range(n):
        lines += ["tap home.survey", "tap survey.start"]
        lines += ["tap survey.answer.%d" % (1 + (i + k) % 5) for k in range(4)]
        lines += ["expect survey.thanks", "wait 9000",
                  "tap home.checkin", "tap checkin.walkin", "tap checkin.errand.%d" % (1 + i % 3),
                  "expect checkin.ticket", "tap checkin.ticket.ok"]
    return "\n".join(lines) + "\n"


tried = lost = doubled = 0
d, data = new_store()
r = admin(data, "import", os.path.join(SOURCE, "tests", "data", "schedule-sample.json"))
check(r.returncode == 0, "schedule imported: %s" % r.stderr)
path = os.path.join(d, "script.txt")
with open(path, "w") as f:
    f.write(script(400))
env = dict(ENV, SKRANKE_SCRIPT_TRACE="1", SKRANKE_NOW="2026-11-24T08:41:00Z")
thanked = tickets = 0
for k in range(KILLS):
    p = subprocess.Popen([KIOSK, "--data", data, "--window", "640x400", "--script", path],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(rng.uniform(0.3, 2.5))
    p.send_signal(signal.SIGKILL)
    out, _ = p.communicate()
    tried += 1
    # What the screen had confirmed before the kill, in this run.
    thanked += sum(1 for l in out.splitlines() if l.endswith(" expect survey.thanks"))
    tickets += sum(1 for l in out.splitlines() if l.endswith(" expect checkin.ticket"))
    responses = listing(data, "responses") or []
    checkins = listing(data, "checkins") or []
    if len(responses) < thanked or len(checkins) < tickets:
        lost += 1
        print("kill %d: %d thank-yous shown, %d responses stored; %d tickets shown, %d stored"
              % (k, thanked, len(responses), tickets, len(checkins)))
    ids = [x["response_id"] for x in responses] + [x["checkin_id"] for x in checkins]
    if len(ids) != len(set(ids)):
        doubled += 1
    # Whatever was stored beyond what was shown was not yet confirmed:
    # count from the store, so the next run starts from what it holds.
    thanked, tickets = len(responses), len(checkins)

check(tried == KILLS, "the kiosk was killed %d times" % tried)
check(thanked > 0 and tickets > 0, "answers and tickets were confirmed between kills (%d, %d)"
      % (thanked, tickets))
check(lost == 0, "no confirmed answer or ticket lost (%d kills lost some)" % lost)
check(doubled == 0, "nothing stored twice")
print("kiosk kills: tried %d / lost %d / doubled %d" % (tried, lost, doubled))
shutil.rmtree(d)
finish()
