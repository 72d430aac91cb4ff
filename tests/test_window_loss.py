#!/usr/bin/env python3
"""The kiosk never lives on without a window (issue 12): when its window is
destroyed by another program, or the display goes away, it exits with a
non-zero status, so that the service starts it again. Closing the window
politely (a window manager's close request) does not end it.

Run by ctest as: test_window_loss.py BUILD_DIR SOURCE_DIR
"""
import os
import subprocess
import time

from kiosktest import ENV, KIOSK, check, finish, new_store, start_xvfb, stop_xvfb

d, data = new_store()


def start(display):
    env = dict(ENV, DISPLAY=display, SDL_VIDEODRIVER="x11")
    p = subprocess.Popen([KIOSK, "--data", data, "--window", "640x400"], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # Ready when the window can be found by its name (up to 20 s: ctest runs
    # this beside the heaviest tests).
    end = time.monotonic() + 20
    while time.monotonic() < end and p.poll() is None:
        r = subprocess.run(["xdotool", "search", "--name", "^skranke$"], env=env,
                           capture_output=True, text=True)
        if r.stdout.strip():
            return p, env, r.stdout.split()[0]
        time.sleep(0.05)
    # Say why: the kiosk's exit status and what it said.
    if p.poll() is not None:
        print("the kiosk exited with %s: %s" % (p.returncode, p.stderr.read()[-2000:]))
    else:
        print("the kiosk runs but no window named skranke was found in 20 s")
    return p, env, None


def exit_status(p, seconds):
    try:
        return p.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return None


# 1. Another program destroys the window.
xvfb, display = start_xvfb("1280x800")
p, env, win = start(display)
check(win is not None, "the kiosk's window appeared")
if win:
    subprocess.run(["xdotool", "windowclose", win], env=env)  # destroys the window
    rc = exit_status(p, 10)
    check(rc is not None and rc != 0,
          "a destroyed window ends the kiosk with a non-zero status (got %s)" % rc)
if p.poll() is None:
    p.kill()
    p.wait()

# 2. The display goes away.
p, env, win = start(display)
check(win is not None, "the kiosk's window appeared again")
stop_xvfb(xvfb)
rc = exit_status(p, 10)
check(rc is not None and rc != 0,
      "a display that goes away ends the kiosk with a non-zero status (got %s)" % rc)
if p.poll() is None:
    p.kill()
    p.wait()
finish()
