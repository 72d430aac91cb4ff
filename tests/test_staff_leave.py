#!/usr/bin/env python3
"""Leaving staff mode ("Afslut") in the middle of a long import, in real
time in a real window (Xvfb, software renderer), as staff would:

- the import goes on by itself and ends with the last batch loaded (it is
  not cut off halfway, and nothing waits for it);
- the home screen is presented within 2 s of the tap (SKRANKE_FRAME_LOG
  names the screen of every frame presented), and a citizen who taps
  "Spørgeskema" right after gets the survey within 2 s while the import
  still runs: the UI thread never waits for the import;
- the systemd watchdog is fed all the while: the kiosk runs with
  NOTIFY_SOCKET and WATCHDOG_USEC=2 s (a ping each second), and no gap
  between pings from the tap on "Hent fra USB" until the import ended is
  longer than the 2 s systemd would allow.

Run by ctest as: test_staff_leave.py BUILD_DIR SOURCE_DIR
"""
import json
import os
import shutil
import socket
import subprocess
import threading
import time

from kiosktest import (ENV, KIOSK, SOURCE, admin, check, click, finish, new_store, positions,
                       start_xvfb, stop_xvfb, window_id)

ENTER = "drag 20 20 20 20 3100\n"
WATCHDOG_S = 2.0
BATCHES = 6  # long enough that leaving comes well before the end (each takes ~1.3 s)


def jobs_batch():
    """The store's current jobs batch id, read by skranke-admin."""
    r = admin(data, "status", "--json")
    try:
        return json.loads(r.stdout)["jobs"].get("batch_id", "")
    except (ValueError, KeyError, AttributeError):
        return ""


if not (shutil.which("Xvfb") and shutil.which("xdotool")):
    check(False, "Xvfb and xdotool are needed (scripts/deps installs them)")
    finish()

d, data = new_store()
admin(data, "set-pin", stdin="4711\n")
root = os.path.join(d, "media")
inbox = os.path.join(root, "STICK", "skranke", "inbox")
os.makedirs(inbox)
admin(data, "config", "set", "usb_root", root)
# BATCHES big batches of 100 000 jobs each (one generated, the others the
# same jobs under their own batch id, each a minute newer).
first = os.path.join(d, "gen.json")
subprocess.run(["python3", os.path.join(SOURCE, "scripts", "gen-jobs"), "100000", "--seed", "7",
                "--out", first, "--generated-at", "2026-11-24T05:00:00Z"], check=True)
with open(first, "rb") as f:
    body = f.read()
for i in range(BATCHES):
    b = body.replace(b'"batch_id": "jobs-gen-100000-7"', b'"batch_id": "big-%d"' % i, 1)
    b = b.replace(b'"generated_at": "2026-11-24T05:00:00Z"',
                  b'"generated_at": "2026-11-24T05:%02d:00Z"' % i, 1)
    with open(os.path.join(inbox, "jobs-%d.json" % i), "wb") as f:
        f.write(b)
os.remove(first)
homes = positions(data, "")
pads = positions(data, ENTER)
menu = positions(data, ENTER + "type 4711\ntap staff.pin.ok\n")
check("staff.import" in menu and "staff.leave" in menu, "the staff menu's buttons: %s" % sorted(menu))

sock_path = os.path.join(d, "notify.sock")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sock_path)
sock.settimeout(0.5)
frames = os.path.join(d, "frames.txt")
xvfb, disp = start_xvfb()
env = dict(ENV, DISPLAY=disp, SDL_VIDEODRIVER="x11", SDL_RENDER_DRIVER="software",
           NOTIFY_SOCKET=sock_path, WATCHDOG_USEC=str(int(WATCHDOG_S * 1e6)),
           SKRANKE_FRAME_LOG=frames)
env.pop("SKRANKE_NOW", None)
proc = subprocess.Popen([KIOSK, "--data", data, "--window", "1280x800", "--renderer", "software"],
                        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
pings = []
listening = True


def listen():
    """Notes the moment each WATCHDOG=1 arrives (a thread of its own, so
    that nothing the test waits for delays the stamp)."""
    while listening:
        try:
            msg = sock.recv(256)
        except socket.timeout:
            continue
        except OSError:
            return
        if b"WATCHDOG=1" in msg:
            pings.append(time.monotonic())


listener = threading.Thread(target=listen, daemon=True)
listener.start()


def screen():
    try:
        with open(frames) as f:
            line = f.read()
    except OSError:
        return ""
    for part in line.split():
        if part.startswith("screen="):
            return part[7:]
    return ""


def until(cond, limit):
    """Seconds until cond() held (polling, draining pings), or None."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if cond():
            return time.monotonic() - t0
        time.sleep(0.02)
    return None


wid = window_id(env)
check(wid != "", "a real window")


def click_at(x, y, hold=0.05):
    click(wid, env, x, y, hold)


if wid:
    until(lambda: screen() == "home", 10)
    click_at(20, 20, hold=3.4)  # the long press
    for digit in "4711":
        time.sleep(0.3)
        click_at(*pads["staff.pin.key." + digit])
    time.sleep(0.3)
    click_at(*pads["staff.pin.ok"])
    until(lambda: False, 2.0)  # Argon2id, then the menu
    click_at(*menu["staff.import"])
    t_import = time.monotonic()
    until(lambda: False, 1.0)  # the import is under way
    click_at(*menu["staff.leave"])
    t_leave = time.monotonic()
    home = until(lambda: screen() == "home", 10)
    check(home is not None and home <= 2.0, "home within 2 s of Afslut (%s s)" % home)
    click_at(*homes["home.survey"])
    survey = until(lambda: screen() == "survey", 10)
    check(survey is not None and survey <= 2.0, "the survey within 2 s of the tap (%s s)" % survey)
    # (skranke-admin waits while the import writes, so this returns when the
    # import is over.)
    done = until(lambda: jobs_batch() == "big-%d" % (BATCHES - 1), 300)
    t_end = time.monotonic()
    check(done is not None, "the import ended by itself with the last batch loaded")
    check(t_end - t_leave > 2.0, "the import was still running well after staff left (%.1f s; "
          "else this proves nothing)" % (t_end - t_leave))
    until(lambda: False, WATCHDOG_S)
    check(proc.poll() is None, "the kiosk still runs")
    span = [t_import] + [p for p in pings if t_import <= p <= t_end] + [t_end]
    gaps = [b - a for a, b in zip(span, span[1:])]
    worst = max(gaps) if gaps else 0
    check(len(pings) > 0 and worst <= WATCHDOG_S,
          "the watchdog fed during the import: %d pings, longest gap %.2f s (limit %.1f s)"
          % (len(pings), worst, WATCHDOG_S))
    print("staff leave: home after %s s, survey after %s s, longest watchdog gap %.2f s, "
          "import %.1f s" % (home, survey, worst, t_end - t_import))
proc.kill()
proc.wait()
stop_xvfb(xvfb)
listening = False
listener.join()
sock.close()
shutil.rmtree(d)
finish()
