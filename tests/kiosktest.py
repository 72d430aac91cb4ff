"""Shared helpers for the kiosk's end-to-end tests (test_survey.py, test_checkin.py).

Each test drives the real kiosk through its headless script driver and checks
the store with skranke-admin. Reference screenshots are compared with the
imgcmp tool; with SKRANKE_UPDATE_REFS=1 they are written instead (look at
every one before committing).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

BUILD, SOURCE = sys.argv[1], sys.argv[2]
KIOSK = os.path.join(BUILD, "skranke")
ADMIN = os.path.join(BUILD, "skranke-admin")
IMGCMP = os.path.join(BUILD, "imgcmp")
REFS = os.path.join(SOURCE, "tests", "ref_imgs")
UPDATE = os.environ.get("SKRANKE_UPDATE_REFS") == "1"
NOW = "2026-11-24T09:41:00Z"  # 10:41 in Copenhagen
ENV = dict(os.environ, TZ="Europe/Copenhagen", SKRANKE_NOW=NOW, SDL_VIDEODRIVER="dummy")

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what, file=sys.stderr)


def finish():
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


def load_lang(code):
    """key -> text of assets/lang/CODE.txt, the way the kiosk reads it."""
    texts = {}
    with open(os.path.join(SOURCE, "assets", "lang", code + ".txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            texts[key.strip()] = value.strip().replace("\\n", "\n")
    return texts


def admin(data, *args, stdin=None, env=None):
    return subprocess.run([ADMIN, "--data", data, *args], env=env or ENV, input=stdin,
                          capture_output=True, text=True)


def new_store(**settings):
    """A fresh store in a temporary folder; returns (folder, data dir)."""
    d = tempfile.mkdtemp(prefix="skranke-e2e-")
    data = os.path.join(d, "data")
    admin(data, "init", "--site", "jobcenter-slagelse", "--kiosk", "lobby-1")
    for key, value in settings.items():
        r = admin(data, "config", "set", key, value)
        assert r.returncode == 0, r.stderr
    return d, data


def kiosk(data, script, shots=None, window="1280x800", env=None, extra=()):
    path = os.path.join(os.path.dirname(data), "script.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write(script)
    args = [KIOSK, "--data", data, "--window", window, "--script", path, *extra]
    if shots:
        args += ["--shots", shots]
    return subprocess.run(args, env=env or ENV, capture_output=True, text=True, timeout=1500)


def listing(data, what):
    r = admin(data, "list", what, "--json")
    return json.loads(r.stdout) if r.returncode == 0 else None


def start_xvfb(size="1280x800"):
    """A virtual X server on a display it picks itself; returns (process,
    ":N"). Stop it with stop_xvfb, which lets it remove its lock file."""
    r, w = os.pipe()
    # -noreset: without it the server resets when its last client leaves,
    # and a kiosk started again at that moment finds no display ("x11 not
    # available"; test_window_loss starts one right after another ends).
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", size + "x24",
                             "-nolisten", "tcp", "-noreset"], pass_fds=(w,), stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        number = f.readline().strip()
    return proc, ":" + number


def stop_xvfb(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def positions(data, script, window="1280x800"):
    """Centres of the widgets on screen after script, from --dump-ui."""
    path = os.path.join(os.path.dirname(data), "probe.txt")
    with open(path, "w") as f:
        f.write(script)
    r = subprocess.run([KIOSK, "--data", data, "--window", window, "--script", path, "--dump-ui"],
                       env=ENV, capture_output=True, text=True)
    out = {}
    for line in r.stdout.splitlines():
        p = line.split("\t")
        if len(p) >= 5:
            x, y, w, h = map(int, p[1:5])
            out[p[0]] = (x + w // 2, y + h // 2)
    return out


def preload(*libs):
    """LD_PRELOAD for the kiosk with libs (a fault shim, libfaketime): an
    ASan build needs its own runtime first in the list."""
    ldd = subprocess.run(["ldd", KIOSK], capture_output=True, text=True).stdout.split()
    return ":".join([w for w in ldd if "/libasan.so" in w][:1] + list(libs))


def window_id(env, tries=100):
    """The kiosk's X window (xdotool), waiting up to tries/10 s; "" if none."""
    for _ in range(tries):
        w = subprocess.run(["xdotool", "search", "--name", "skranke"], env=env,
                           capture_output=True, text=True)
        if w.stdout.strip():
            return w.stdout.split()[0]
        time.sleep(0.1)
    return ""


def click(wid, env, x, y, hold=0.05):
    """A finger on window wid at (x, y) for hold seconds (xdotool)."""
    subprocess.run(["xdotool", "mousemove", "--window", wid, str(x), str(y)], env=env)
    subprocess.run(["xdotool", "mousedown", "1"], env=env)
    time.sleep(hold)
    subprocess.run(["xdotool", "mouseup", "1"], env=env)


def compare_shots(shots):
    """Compares (or, updating, stores) every PNG in shots with tests/ref_imgs."""
    names = sorted(os.listdir(shots)) if os.path.isdir(shots) else []
    check(names, "screenshots were taken in %s" % shots)
    for name in names:
        ref = os.path.join(REFS, name)
        if UPDATE:
            shutil.copy(os.path.join(shots, name), ref)
            continue
        tolerance = os.environ.get("SKRANKE_IMG_TOLERANCE", "0.02")
        c = subprocess.run([IMGCMP, os.path.join(shots, name), ref, "--tolerance", tolerance],
                           capture_output=True, text=True)
        check(c.returncode == 0, "%s matches its reference: %s" % (name, c.stdout + c.stderr))
