#!/usr/bin/env python3
"""Standing fault suite: the wall clock jumps back and forward (issue 13 §9).

Each round sets the wall clock (SKRANKE_NOW, the kiosk's and skranke-admin's
own clock source; time(2) otherwise) to a jump from the true time — a day or
a year back, a day or a year forward, or none — then:
  - a citizen answers the survey on the kiosk (acknowledged = the thanks
    screen showed), and checks in at the walk-in;
  - at another jump, staff export (skranke-admin export), and at a third
    jump re-export that batch (--seq N): every file byte for byte the same;
  - at the round's jump, a jobs batch made at the true time is imported:
    refused (exit 2, with the kiosk's clock named) exactly when it is more
    than 24 h after the kiosk's clock, taken otherwise; a later batch is
    never locked out by what a jumped clock took.
Check-in windows follow the wall clock as it is: with the clock a day or a
year off the kiosk has no appointments that day and says so (the citizen
goes to the desk), never checking anyone in for another day; back on the
right day the same code checks in.
At the end every acknowledged response and check-in is in some verified
batch (none lost, none twice), and the PIN back-off is measured on the
monotonic clock: a wall clock a year forward or back does not shorten or
lengthen it (test_staff.py checks the same for 4 days back).

What the kiosk does with a jump is decided so: durations (timeouts, the
PIN back-off) are on the monotonic clock and never move; the wall clock
(the time and day shown, the check-in window, a response's date) is the
system's, read when needed, because the usual jump is the right one — NTP
setting a kiosk's clock after a boot without a real-time clock — and a
kiosk running for weeks must not keep the wrong day until it restarts. The
last part of this suite moves the clock under a running kiosk (libfaketime,
monotonic clock left alone). Exports and imports read the clock when they
run; a batch's created_at is decided once and kept, so a re-export under
another clock is the same batch.

Prints "clock jumps: tried N / lost N / doubled N / wrong reexports N /
wrong imports N". SKRANKE_CLOCK_JUMPS sets the rounds (8 here, 100 in
scripts/bench).

Run as: test_clock_jumps.py BUILD_DIR SOURCE_DIR
"""
import calendar
import json
import os
import random
import shutil
import subprocess
import time

from kiosktest import (ENV, KIOSK, SOURCE, admin, check, click, finish, kiosk, listing, new_store,
                       positions, preload, start_xvfb, stop_xvfb, window_id)

ROUNDS = int(os.environ.get("SKRANKE_CLOCK_JUMPS", "8"))
TRUE = calendar.timegm((2026, 11, 24, 9, 41, 0))
DAY, YEAR = 86400, 365 * 86400
JUMPS = [-YEAR, -DAY, 0, DAY, YEAR]


def at(t):
    return dict(ENV, SKRANKE_NOW=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)))


def tree(path):
    out = {}
    for name in sorted(os.listdir(path)):
        with open(os.path.join(path, name), "rb") as f:
            out[name] = f.read()
    return out


rng = random.Random(1324)
d, data = new_store(checkin_kinds="walkin")
admin(data, "set-pin", stdin="4711\n")
out = os.path.join(d, "out")
os.mkdir(out)
tried = lost = doubled = wrong_reexport = wrong_import = 0
acked_responses = acked_checkins = 0
jobs_at = TRUE - 3600
for rnd in range(ROUNDS):
    jump = JUMPS[rnd % len(JUMPS)]  # every kind of jump in every run
    env = at(TRUE + jump + rnd * 60)
    tried += 1
    r = kiosk(data, "tap home.survey\ntap survey.start\ntap survey.answer.3\ntap survey.answer.3\n"
              "tap survey.answer.3\ntap survey.answer.3\nexpect survey.thanks\nwait 9000\n"
              "tap home.checkin\ntap checkin.errand.1\nexpect checkin.ticket\n", env=env)
    if r.returncode == 0:
        acked_responses += 1
        acked_checkins += 1
    else:
        check(False, "round %d (jump %+d s): the kiosk: %s" % (rnd, jump, r.stderr))
    # Export at another jump, re-export at a third: the same batch.
    e = admin(data, "export", out, env=at(TRUE + rng.choice(JUMPS) + rnd * 60))
    if e.returncode != 0:
        check(False, "round %d: export: %s" % (rnd, e.stderr))
        continue
    first = e.stdout.strip()
    seq = int(first[-6:])
    again = os.path.join(d, "again")
    shutil.rmtree(again, ignore_errors=True)
    os.mkdir(again)
    e2 = admin(data, "export", again, "--seq", str(seq), env=at(TRUE + rng.choice(JUMPS)))
    if e2.returncode != 0 or tree(first) != tree(e2.stdout.strip()):
        wrong_reexport += 1
        check(False, "round %d: the re-export of %06d differs: %s" % (rnd, seq, e2.stderr))
    # A jobs batch made at the true time (a little later each round).
    jobs_at += 60
    path = os.path.join(d, "jobs.json")
    subprocess.run(["python3", os.path.join(SOURCE, "scripts", "gen-jobs"), "20", "--seed",
                    str(rnd), "--out", path, "--generated-at",
                    time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(jobs_at))], check=True)
    i = admin(data, "import", path, env=env)
    future = jobs_at > TRUE + jump + rnd * 60 + DAY
    if future:
        ok = i.returncode == 2 and "24 hours after this kiosk's clock" in i.stderr
    else:
        ok = i.returncode == 0
    if not ok:
        wrong_import += 1
        check(False, "round %d (jump %+d s): import %s: %d %s"
              % (rnd, jump, "refused" if future else "taken", i.returncode, i.stderr))

# Every acknowledged record in exactly one verified batch.
ids = {"responses": [], "checkins": []}
for name in sorted(os.listdir(out)):
    batch = os.path.join(out, name)
    v = admin(data, "verify", batch)
    check(v.returncode == 0, "%s verifies: %s" % (name, v.stderr))
    with open(os.path.join(batch, "manifest.json"), encoding="utf-8") as f:
        m = json.load(f)
    with open(os.path.join(batch, "responses.jsonl"), encoding="utf-8") as f:
        ids["responses"] += [json.loads(line)["response_id"] for line in f if line.strip()]
    with open(os.path.join(batch, "checkins.csv"), encoding="utf-8-sig") as f:
        ids["checkins"] += [line.split(";")[0] for line in f.read().splitlines()[1:] if line]
    check(m["counts"]["responses"] + m["counts"]["checkins"] > 0, "%s is not empty" % name)
for kind, acked in (("responses", acked_responses), ("checkins", acked_checkins)):
    got = ids[kind]
    lost += max(0, acked - len(set(got)))
    doubled += len(got) - len(set(got))
    check(len(set(got)) == acked and len(got) == acked,
          "%s: %d acknowledged, %d exported (%d distinct)" % (kind, acked, len(got), len(set(got))))

# The PIN back-off under a jump: five wrong PINs wait 8 s on the monotonic
# clock, whatever the wall clock does between and during the runs.
ENTER = "drag 20 20 20 20 3100\n"


def pin(p):
    return "type %s\ntap staff.pin.ok\n" % p


r = kiosk(data, ENTER + pin("1111") + pin("2222") + pin("3333") + "wait 2100\n" + pin("5555")
          + "wait 4100\n" + pin("6666") + "expect-text Forkert PIN. Vent 8 sekunder\n",
          env=at(TRUE))
check(r.returncode == 0, "five wrong PINs: %s" % r.stderr)
for jump in (YEAR, -YEAR):
    r = kiosk(data, ENTER + "expect-text Vent 8 sekunder\nwait 4000\n" + pin("4711")
              + "expect-text Vent 2 sekunder\nexpect-no-text Forkert\nexpect-gone staff.import\n"
              "wait 2000\n" + pin("4711") + "expect staff.import\n"
              "tap staff.leave\n" + ENTER + pin("1111") + pin("2222") + pin("3333") + "wait 2100\n"
              + pin("5555") + "wait 4100\n" + pin("6666") + "expect-text Vent 8 sekunder\n",
              env=at(TRUE + jump))
    check(r.returncode == 0, "clock %+d days: the back-off is 8 s, then in: %s"
          % (jump // DAY, r.stderr))
shutil.rmtree(d)

# Check-in windows follow the wall clock as it is: a kiosk whose clock is a
# day or a year off has no appointments "today" and says so (the citizen
# goes to the desk); it never checks anyone in for another day. Back on the
# right day, the same code checks in. (09:41 in Copenhagen is inside the
# 09:30 appointment's window.)
d, data = new_store()
admin(data, "import", os.path.join(SOURCE, "tests", "data", "schedule-sample.json"))
CODE = "tap home.checkin\ntap checkin.appointment\ntype K7M2QX\ntap checkin.ok\n"
for jump in (-DAY, YEAR, -YEAR, DAY):
    tried += 1
    r = kiosk(data, "tap home.checkin\ntap checkin.appointment\nexpect checkin.message\n"
              "expect-text ingen aftaler\nexpect-gone checkin.key.K\n", env=at(TRUE - 3600 + jump))
    check(r.returncode == 0, "clock %+d days: no appointments that day: %s"
          % (jump // DAY, r.stderr))
check(listing(data, "checkins") == [], "nothing checked in under a wrong clock")
r = kiosk(data, CODE + "expect checkin.result\nexpect-text Anne henter dig\n", env=at(TRUE - 3600))
check(r.returncode == 0, "the right day: checked in: %s" % r.stderr)
got = listing(data, "checkins") or []
lost += 0 if got else 1
check(len(got) == 1 and got[0].get("code") == "K7M2QX", "one check-in: %s" % got)
shutil.rmtree(d)

# While the kiosk runs (real time, a real window under Xvfb): the system
# clock is moved under it with libfaketime (its monotonic clock left alone,
# as settimeofday or NTP would), and a citizen answers the survey after each
# move: each answer is stored (none lost) and dated by the clock as it is
# then, so a clock set right after boot is followed without a restart.
FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"
if not (os.path.exists(FAKETIME) and shutil.which("Xvfb") and shutil.which("xdotool")):
    check(False, "libfaketime (Debian faketime), Xvfb and xdotool are needed (scripts/deps test)")
else:
    d, data = new_store()
    answer = "tap home.survey\ntap survey.start\n"
    spots = [positions(data, "")["home.survey"], positions(data, "tap home.survey\n")["survey.start"]]
    spots += [positions(data, answer)["survey.answer.3"]] * 4
    spec = os.path.join(d, "faketime")
    frames = os.path.join(d, "frames.txt")
    with open(spec, "w") as f:
        f.write("-1d\n")
    xvfb, disp = start_xvfb()
    env = dict(ENV, DISPLAY=disp, SDL_VIDEODRIVER="x11", SDL_RENDER_DRIVER="software",
               LD_PRELOAD=preload(FAKETIME), FAKETIME_TIMESTAMP_FILE=spec, FAKETIME_NO_CACHE="1",
               FAKETIME_DONT_FAKE_MONOTONIC="1", SKRANKE_FRAME_LOG=frames)
    env.pop("SKRANKE_NOW", None)
    proc = subprocess.Popen([KIOSK, "--data", data, "--window", "1280x800", "--renderer",
                             "software"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    xenv = dict(env)
    del xenv["LD_PRELOAD"]
    wid = window_id(xenv)
    check(wid != "", "a real window under libfaketime")

    def shown():
        try:
            with open(frames) as f:
                return f.read()
        except OSError:
            return ""

    os.environ["TZ"] = "Europe/Copenhagen"
    time.tzset()
    want = []
    for offset, label in (("-1d", -DAY), ("+0", 0), ("+365d", YEAR), ("-1d", -DAY)):
        with open(spec, "w") as f:
            f.write(offset + "\n")
        want.append(time.strftime("%Y-%m-%d", time.localtime(time.time() + label)))
        for _ in range(100):  # home, ready for the next citizen
            if "screen=home" in shown():
                break
            time.sleep(0.1)
        for x, y in spots:
            click(wid, xenv, x, y)
            time.sleep(0.6)
        time.sleep(8.5)  # the thank-you, then home
    dates = sorted(r["date"] for r in (listing(data, "responses") or []))
    lost += max(0, len(want) - len(dates))
    check(dates == sorted(want), "each answer dated by the clock as it was: %s, want %s"
          % (dates, sorted(want)))
    check(proc.poll() is None, "the kiosk still runs")
    tried += len(want)
    proc.kill()
    proc.wait()
    stop_xvfb(xvfb)
    shutil.rmtree(d)

print("clock jumps: tried %d / lost %d / doubled %d / wrong reexports %d / wrong imports %d"
      % (tried, lost, doubled, wrong_reexport, wrong_import))
finish()
