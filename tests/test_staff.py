#!/usr/bin/env python3
"""Staff mode end to end: the hidden entry, the PIN with a back-off on the
monotonic clock that survives a restart (and never locks), an 8-digit PIN,
import (an older batch only after a second tap) and export with a fake USB mount
root, every refusal of a file on the stick, a hostile stick, signed-only
imports, and that no keyboard shortcut leaves the kiosk (in a real window
under Xvfb).

Run by ctest as: test_staff.py BUILD_DIR SOURCE_DIR
"""
import os
import shutil
import sys
import subprocess
import time

from kiosktest import (ENV, KIOSK, SOURCE, admin, check, click, finish, kiosk, listing, new_store,
                       positions, start_xvfb, stop_xvfb, window_id)

ENTER = "drag 20 20 20 20 3100\n"


def pin(p):
    return "type %s\ntap staff.pin.ok\n" % p


def stick(d, files=None):
    root = os.path.join(d, "media")
    inbox = os.path.join(root, "STICK", "skranke", "inbox")
    os.makedirs(inbox)
    for name in files or ["jobs-sample.json", "schedule-sample.json"]:
        shutil.copy(os.path.join(SOURCE, "tests", "data", name), inbox)
    return root, inbox


def staff_store():
    d, data = new_store()
    admin(data, "set-pin", stdin="4711\n")
    root, inbox = stick(d)
    admin(data, "config", "set", "usb_root", root)
    return d, data, root, inbox


# 1. The entry: a short press does nothing; 3 s opens the PIN pad; a wrong PIN
#    is refused; the right one opens the menu.
d, data, root, inbox = staff_store()
r = kiosk(data, "drag 20 20 20 20 1000\nexpect-gone staff.pin.ok\n" + ENTER + "expect staff.pin.ok\n"
          + pin("1111") + "expect-text Forkert PIN\nexpect-gone staff.import\n" + pin("4711")
          + "expect staff.import\nexpect staff.export\nexpect staff.status\n"
          "expect-text USB-nøgle\ntap staff.leave\nexpect home.survey\n")
check(r.returncode == 0, "entry and PIN: %s" % r.stderr)

# 2. Import from the stick: what came in, per file; the store has it.
r = kiosk(data, ENTER + pin("4711") + "tap staff.import\nexpect staff.result\n"
          "expect-text Hentet: jobs-sample.json – 12 job\nexpect-text Hentet: schedule-sample.json\n")
check(r.returncode == 0, "import: %s" % r.stderr)
check(len(listing(data, "jobs") or []) == 12, "the jobs came in")

# 2b. A batch older than the one loaded: refused with a warning; only the
#     second tap ("Importér alligevel") takes it, and only that file.
with open(os.path.join(SOURCE, "tests", "data", "jobs-sample.json"), encoding="utf-8") as f:
    older = f.read().replace("2026-11-24T05:30:00Z", "2026-11-24T04:00:00Z", 1)
with open(os.path.join(inbox, "older.json"), "w", encoding="utf-8") as f:
    f.write(older.replace('"batch_id": "', '"batch_id": "older-', 1))
r = kiosk(data, ENTER + pin("4711") + "tap staff.import\nexpect staff.result\n"
          "expect-text Afvist: older.json – ældre end de data, der allerede er hentet\n"
          "expect staff.import.anyway\n")
check(r.returncode == 0, "older batch refused with a warning: %s" % r.stderr)
status = admin(data, "status", "--json").stdout
check('"older-' not in status, "nothing changed before the second tap: %s" % status)
r = kiosk(data, ENTER + pin("4711") + "tap staff.import\ntap staff.import.anyway\n"
          "expect staff.result\nexpect-text older.json – 12 job indlæst (ældre pakke, importeret alligevel)\n"
          "expect-gone staff.import.anyway\n")
check(r.returncode == 0, "older batch taken on the second tap: %s" % r.stderr)
status = admin(data, "status", "--json").stdout
check('"older-' in status, "the older batch is loaded: %s" % status)
os.remove(os.path.join(inbox, "older.json"))

# 3. Export to the stick: a verified batch in skranke/outbox; nothing waits.
r = kiosk(data, "tap home.survey\ntap survey.start\ntap survey.answer.5\ntap survey.answer.5\n"
          "tap survey.answer.5\ntap survey.answer.5\nwait 9000\n" + ENTER + pin("4711")
          + "tap staff.export\nexpect staff.result\nexpect-text Gemt og kontrolleret\n"
          "expect-text 1 svar\ntap nav.back\ntap staff.status\n"
          "expect-text Venter på eksport: 0 svar, 0 check-ins\nexpect-text Seneste eksport: pakke 000001\n")
check(r.returncode == 0, "export: %s" % r.stderr)
outbox = os.path.join(root, "STICK", "skranke", "outbox")
batches = os.listdir(outbox) if os.path.isdir(outbox) else []
check(batches == ["skranke-jobcenter-slagelse-lobby-1-000001"], "one batch on the stick: %s" % batches)
if batches:
    v = admin(data, "verify", os.path.join(outbox, batches[0]))
    check(v.returncode == 0, "the batch verifies: %s" % v.stderr)

# 4. Re-export of an earlier batch, to a new stick.
shutil.rmtree(os.path.join(root, "STICK"))
stick(d)
r = kiosk(data, ENTER + pin("4711") + "tap staff.reexport\ntap staff.reexport.1\n"
          "expect-text Gemt og kontrolleret\n")
check(r.returncode == 0, "re-export: %s" % r.stderr)
check(os.path.isdir(os.path.join(outbox, "skranke-jobcenter-slagelse-lobby-1-000001")),
      "the earlier batch is on the new stick: %s" % (os.listdir(outbox) if os.path.isdir(outbox) else r.stdout))

# 5. Export that fails (the outbox is not a folder, as on a broken stick):
#    nothing marked exported, and the screen says to try again.
r = kiosk(data, "tap home.survey\ntap survey.start\ntap survey.answer.1\ntap survey.answer.1\n"
          "tap survey.answer.1\ntap survey.answer.1\nwait 9000\n")
shutil.rmtree(outbox)
with open(outbox, "w") as f:
    f.write("not a folder")
r = kiosk(data, ENTER + pin("4711") + "tap staff.export\nexpect staff.result\n"
          "expect-text not a folder\nexpect-text Prøv igen\n")
check(r.returncode == 0, "failed export: %s" % r.stderr)
status = admin(data, "status", "--json").stdout
check('"waiting":1' in status.replace(" ", ""), "the response still waits for export: %s" % status)
shutil.rmtree(d)

# 6. Wrong PINs: a back-off that doubles from the third wrong PIN (2 s, 4 s,
#    …, at most 15 minutes), never a lockout. During the wait a PIN is not
#    even checked: the screen says only how long to wait, never "Forkert PIN".
d, data, root, inbox = staff_store()
# (A tap takes 460 ms of the script's clock, so typing a PIN takes about 2 s.)
r = kiosk(data, ENTER + pin("1111") + "expect-text Forkert PIN.\n" + pin("2222")
          + pin("3333") + "expect-text Forkert PIN. Vent 2 sekunder, før du prøver igen.\n"
          "wait 2000\n" + pin("5555") + "expect-text Forkert PIN. Vent 4 sekunder\n"
          + pin("4711") + "expect-text Vent 2 sekunder, før du prøver igen.\n"
          "expect-no-text Forkert\nexpect-gone staff.import\nwait 300\ntap staff.pin.ok\n"
          "expect-text Vent 1 sekund, før du prøver igen.\nexpect-no-text Forkert\nwait 1000\n"
          + pin("4711")
          + "expect staff.import\n")
check(r.returncode == 0, "back-off: an attempt during the wait is not even checked: %s" % r.stderr)
# Each try after the wait of the one before (staff mode closes by itself
# after 2 minutes, so each try starts with the long press again).
script = "".join(ENTER + pin("0000") + "wait 901000\n" for _ in range(13))
r = kiosk(data, script + ENTER + pin("0000") + "expect-text Forkert PIN. Vent 900 sekunder\n"
          "wait 901000\n" + ENTER + pin("4711") + "expect staff.import\n")
check(r.returncode == 0, "14 wrong PINs: the wait stops at 15 minutes, no lockout: %s" % r.stderr)
# A restart (or a power cut) waits the whole current back-off again, and a
# wall clock set 4 days back changes nothing about it.
r = kiosk(data, ENTER + pin("1111") + pin("2222") + pin("3333") + "wait 2100\n" + pin("5555")
          + "wait 4100\n" + pin("6666") + "expect-text Forkert PIN. Vent 8 sekunder\n")
check(r.returncode == 0, "five wrong PINs: %s" % r.stderr)
back = dict(ENV, SKRANKE_NOW="2026-11-20T09:41:00Z")
r = kiosk(data, ENTER + "expect-text Vent 8 sekunder\n" + pin("4711")
          + "expect-text Vent 6 sekunder\nexpect-no-text Forkert\nexpect-gone staff.import\n"
          "wait 8000\n" + pin("4711") + "expect staff.import\n", env=back)
check(r.returncode == 0, "restart and clock 4 days back: the same 8 s, then in: %s" % r.stderr)
# set-pin still works, and an 8-digit PIN (the longest) opens staff mode;
# a 9th digit is not taken.
admin(data, "set-pin", stdin="12345678\n")
r = kiosk(data, ENTER + "type 123456789\ntap staff.pin.ok\nexpect staff.import\n")
check(r.returncode == 0 and "Sanitizer" not in r.stderr, "8-digit PIN: %s" % r.stderr)
admin(data, "set-pin", stdin="4711\n")

# 6b. Settings on screen: units and errands added and removed, languages and
#     check-in kinds switched, the idle time changed; the kiosk follows them.
admin(data, "config", "set", "units", "Sygedagpenge,Kontanthjælp")
r = kiosk(data, ENTER + pin("4711") + "tap staff.settings\ntap staff.set.units.1\n"
          "tap staff.set.errands.add\ntype ungeenheden\ntap staff.edit.ok\n"
          "expect-text Ungeenheden\ntap staff.set.lang.ar\ntap staff.set.kind.session\n"
          "tap staff.set.idle.plus\nexpect-text 60\ntap staff.leave\n"
          "expect-gone home.lang.ar\nexpect home.lang.uk\ntap home.checkin\n"
          "expect-gone checkin.session\ntap checkin.walkin\nexpect checkin.errand.4\n"
          "expect-text Ungeenheden\n")
check(r.returncode == 0, "settings on screen: %s" % r.stderr)
got = {k: admin(data, "config", "get", k).stdout.strip()
       for k in ("units", "errands", "languages", "checkin_kinds", "idle_timeout_s")}
check(got == {"units": "Kontanthjælp", "errands": "Ledighed,Sygedagpenge,Andet,Ungeenheden",
              "languages": "da,en,uk", "checkin_kinds": "appointment,walkin",
              "idle_timeout_s": "60"}, "settings stored: %s" % got)

# 7. Staff mode leaves by itself after 2 minutes without a touch.
r = kiosk(data, ENTER + pin("4711") + "wait 119000\nexpect staff.import\nwait 2000\n"
          "expect home.survey\nexpect-gone staff.import\n")
check(r.returncode == 0, "staff idle exit: %s" % r.stderr)
shutil.rmtree(d)

# 7b. Two pages of a Jobnet search on the stick are one batch: the good
#     postings come in, the bad ones are counted and the first is named.
d, data, root, inbox = staff_store()
for name in os.listdir(inbox):
    os.unlink(os.path.join(inbox, name))
for name in ("jobnet-page1.json", "jobnet-page2.json"):
    shutil.copy(os.path.join(SOURCE, "tests", "data", name), inbox)
r = kiosk(data, ENTER + pin("4711") + "tap staff.import\nexpect staff.result\n"
          "expect-text Hentet: jobnet-page1.json – 49 job indlæst, 3 sprunget over: "
          "jobnet-page2.json:39:10: JobPositionPostings[0]\n")
check(r.returncode == 0, "Jobnet pages from the stick: %s" % r.stderr)
check(len(listing(data, "jobs") or []) == 49, "the postings came in as one batch")
# Counts from a thousand up have their thousands apart ("1 200", no-break space).
for name in os.listdir(inbox):
    os.unlink(os.path.join(inbox, name))
subprocess.run([sys.executable, os.path.join(SOURCE, "scripts", "gen-jobs"), "1200", "--jobnet",
                "--out", os.path.join(inbox, "jobnet.json")], check=True)
r = kiosk(data, ENTER + pin("4711") + "tap staff.import\nexpect staff.result\n"
          "expect-text Hentet: jobnet.json – 1\u00a0200 job indlæst\n")
check(r.returncode == 0, "a thousand and more: %s" % r.stderr)
shutil.rmtree(d)

# 8. A hostile stick: links out, a fifo, odd names, a huge sparse file,
#    10 000 files. Each bad file is refused with its reason; good ones still
#    come in; it stays quick.
d, data, root, inbox = staff_store()
os.symlink("/etc/passwd", os.path.join(inbox, "passwd.json"))
os.mkfifo(os.path.join(inbox, "fifo.json"))
os.mkdir(os.path.join(inbox, "folder.json"))
with open(os.path.join(inbox, "huge.json"), "wb") as f:
    f.truncate(4 << 30)
with open(os.path.join(inbox.encode(), b"bad\xff\xfename.json"), "w") as f:
    f.write("{}")
with open(os.path.join(inbox, "ctrl\x01name.json"), "w") as f:
    f.write("{}")
for i in range(10000):
    open(os.path.join(inbox, "noise-%05d.txt" % i), "w").close()
start = time.time()
r = kiosk(data, ENTER + pin("4711") + "tap staff.import\nexpect staff.result\n"
          "expect-text Hentet: jobs-sample.json\nexpect-text passwd.json – a link, not a file\n"
          "expect-text fifo.json – not a regular file\nexpect-text folder.json – not a regular file\n"
          "expect-text huge.json – too large\nexpect-text unreadable name\n")
took = time.time() - start
check(r.returncode == 0, "hostile stick: %s" % r.stderr)
check(took < 60, "the hostile stick took %.1f s" % took)
check(len(listing(data, "jobs") or []) == 12, "the good batch still came in")
shutil.rmtree(d)

# 9. With trusted keys set, an unsigned batch on the stick is refused.
d, data, root, inbox = staff_store()
work = os.path.join(d, "keys")
os.mkdir(work)
subprocess.run(["minisign", "-G", "-W", "-p", "s.pub", "-s", "s.key"], cwd=work, capture_output=True)
with open(os.path.join(work, "s.pub")) as f:
    admin(data, "config", "set", "trusted_keys", f.read().splitlines()[1])
subprocess.run(["minisign", "-S", "-s", os.path.join(work, "s.key"), "-m",
                os.path.join(inbox, "schedule-sample.json")], capture_output=True)
r = kiosk(data, ENTER + pin("4711") + "tap staff.import\nexpect staff.result\n"
          "expect-text not signed\nexpect-text Hentet: schedule-sample.json\n")
check(r.returncode == 0, "signed-only import: %s" % r.stderr)
check(listing(data, "jobs") == [], "the unsigned jobs batch changed nothing")
shutil.rmtree(d)

# 10. In a real window under Xvfb: keyboard shortcuts and the window
#     manager's close do not end the kiosk.
if shutil.which("Xvfb") and shutil.which("xdotool"):
    d, data = new_store()
    xvfb, disp = start_xvfb()
    env = dict(ENV, DISPLAY=disp, SDL_VIDEODRIVER="x11", SDL_RENDER_DRIVER="software")
    env.pop("SKRANKE_NOW", None)
    proc = subprocess.Popen([KIOSK, "--data", data, "--window", "1280x800"], env=env,
                            stderr=subprocess.PIPE, text=True)
    ready = False
    for _ in range(100):
        if proc.poll() is not None:
            break
        w = subprocess.run(["xdotool", "search", "--name", "skranke"], env=env,
                           capture_output=True, text=True)
        if w.stdout.strip():
            ready = True
            break
        time.sleep(0.1)
    check(ready, "the kiosk opened a window under Xvfb")
    if ready:
        wid = w.stdout.split()[0]
        for keys in ["alt+F4", "Escape", "ctrl+alt+BackSpace", "alt+Tab", "ctrl+q", "ctrl+w"]:
            subprocess.run(["xdotool", "key", "--window", wid, keys], env=env)
        time.sleep(1.0)
        check(proc.poll() is None, "the kiosk is still running after the shortcuts")
    proc.kill()
    proc.wait()
    stop_xvfb(xvfb)
    shutil.rmtree(d)
else:
    check(False, "Xvfb and xdotool are needed for the lockdown test (scripts/deps installs them)")


# 11. In real time, in a real window: a stick mounted while the staff menu is
#     open shows within 2 s, and an import that takes more than a second
#     shows a progress bar (after the first second, not before).
if shutil.which("Xvfb") and shutil.which("xdotool") and shutil.which("import"):
    d, data = new_store()
    admin(data, "set-pin", stdin="4711\n")
    root = os.path.join(d, "media")
    os.mkdir(root)
    admin(data, "config", "set", "usb_root", root)
    pads = positions(data, ENTER)
    menu = positions(data, ENTER + pin("4711"))
    xvfb, disp = start_xvfb()
    env = dict(ENV, DISPLAY=disp, SDL_VIDEODRIVER="x11", SDL_RENDER_DRIVER="software")
    env.pop("SKRANKE_NOW", None)
    proc = subprocess.Popen([KIOSK, "--data", data, "--window", "1280x800", "--renderer", "software"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wid = window_id(env)
    check(wid != "", "a real window")

    def click_at(x, y, hold=0.05):
        click(wid, env, x, y, hold)
        time.sleep(0.4)

    def primary_pixels():
        shot = os.path.join(d, "live.png")
        subprocess.run(["import", "-window", "root", shot], env=env, capture_output=True)
        r = subprocess.run(["convert", shot, "-fill", "black", "+opaque", "#0B4F8A", "-fill", "white",
                            "-opaque", "#0B4F8A", "-format", "%[fx:mean*w*h]", "info:"],
                           capture_output=True, text=True)
        return float(r.stdout or 0)

    if wid:
        time.sleep(1.0)
        click_at(20, 20, hold=3.4)  # the long press
        for digit in "4711":
            click_at(*pads["staff.pin.key." + digit])
        click_at(*pads["staff.pin.ok"])
        time.sleep(1.5)  # Argon2id, then the menu
        os.makedirs(os.path.join(root, "STICK", "skranke", "inbox"))
        t0 = time.time()
        fd = proc.stderr.fileno()
        os.set_blocking(fd, False)
        found, log = None, ""
        while time.time() - t0 < 5 and found is None:
            try:
                log += os.read(fd, 65536).decode(errors="replace")
            except BlockingIOError:
                pass
            if "USB stick found" in log:
                found = time.time() - t0
            time.sleep(0.05)
        check(found is not None and found <= 2.0,
              "the stick shows within 2 s of mounting (%s s): %s" % (found, log[-300:]))
        # A slow import: four big batches of 100 000 jobs each.
        inbox = os.path.join(root, "STICK", "skranke", "inbox")
        for n, seed in (("a", 1), ("b", 2), ("c", 3), ("d", 4)):
            subprocess.run(["python3", os.path.join(SOURCE, "scripts", "gen-jobs"), "100000", "--seed",
                            str(seed), "--out", os.path.join(inbox, "jobs-%s.json" % n)], check=True)
        x, y = menu["staff.import"]
        subprocess.run(["xdotool", "mousemove", "--window", wid, str(x), str(y), "click", "1"], env=env)
        started = time.time()
        early = primary_pixels()
        early_at = time.time() - started
        time.sleep(max(0.0, 1.6 - (time.time() - started)))
        late = primary_pixels()
        check(late > 500, "a progress bar shows while the import works past a second (%d px)" % late)
        if early_at < 0.7:  # (a loaded machine may take the first picture too late to tell)
            check(early == 0, "no progress bar in the first second (%d px at %.1f s)" % (early, early_at))
    proc.kill()
    proc.wait()
    stop_xvfb(xvfb)
    shutil.rmtree(d)

finish()
