#!/usr/bin/env python3
"""What goes onto a board: the units pass `systemd-analyze verify`, the
Debian package holds what the guide promises with its dependencies, the
watchdog is pinged from the main loop and the kiosk stops in order on
SIGTERM, and the USB mount helper mounts nosuid,nodev,noexec and unmounts
(against a loop-mounted image, where the machine allows loop devices).

Run by ctest as: test_board.py BUILD_DIR SOURCE_DIR
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from kiosktest import BUILD, ENV, KIOSK, SOURCE, admin, check, finish, new_store

BOARD = os.path.join(SOURCE, "board")
work = tempfile.mkdtemp(prefix="skranke-board-")

# 1. The unit files, with their programs where this checkout has them.
if shutil.which("systemd-analyze"):
    units = []
    for name in ("skranke.service", "skranke-usb@.service"):
        with open(os.path.join(BOARD, name)) as f:
            text = f.read()
        text = text.replace("/usr/bin/skranke", os.path.abspath(KIOSK)).replace(
            "/usr/lib/skranke/skranke-mount", os.path.abspath(os.path.join(BOARD, "skranke-mount")))
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(text)
        units.append(path)
    inst = os.path.join(work, "skranke-usb@sda1.service")
    os.symlink(units[1], inst)
    r = subprocess.run(["systemd-analyze", "verify", units[0], inst], capture_output=True, text=True)
    # Unknown users/groups of a machine without the package are not unit errors.
    errors = [l for l in (r.stdout + r.stderr).splitlines()
              if l.strip() and "user" not in l.lower() and "group" not in l.lower()
              and "Failed to load" not in l and "dev-sda1.device" not in l]
    check(r.returncode == 0 or not errors, "systemd-analyze verify: %s" % (r.stdout + r.stderr))
    with open(os.path.join(BOARD, "skranke.service")) as f:
        unit = f.read()
    for line in ("Type=notify", "Restart=always", "WatchdogSec=", "User=skranke",
                 "SDL_VIDEODRIVER=kmsdrm", "StateDirectory=skranke", "NoNewPrivileges=yes"):
        check(line in unit, "the service has %s" % line)
else:
    check(False, "systemd-analyze is needed (package systemd; scripts/deps installs it)")

# 2. The package: contents, dependencies, maintainer scripts.
r = subprocess.run(["cpack", "-G", "DEB", "-B", work], cwd=BUILD, capture_output=True, text=True)
debs = [f for f in os.listdir(work) if f.endswith(".deb")]
check(r.returncode == 0 and debs, "cpack made a package: %s" % r.stderr[-500:])
if debs:
    deb = os.path.join(work, debs[0])
    contents = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True).stdout
    for path in ("./usr/bin/skranke", "./usr/bin/skranke-admin", "./usr/share/skranke/lang/da.txt",
                 "./usr/share/skranke/lang/ar.txt", "./usr/share/skranke/fonts/NotoSansArabic-Regular.ttf",
                 "/systemd/system/skranke.service", "/systemd/system/skranke-usb@.service",
                 "/udev/rules.d/99-skranke-usb.rules", "./usr/lib/skranke/skranke-mount",
                 "./usr/lib/skranke/console-hardening.sh", "./usr/share/doc/skranke/README.md"):
        check(path in contents, "the package holds %s" % path)
    depends = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], capture_output=True, text=True).stdout
    for dep in ("libsdl2-2.0-0", "libsdl2-ttf-2.0-0", "liblmdb0", "libsodium23", "libqrencode4",
                "fonts-noto-core"):
        check(dep in depends, "the package depends on %s" % dep)
    ctl = os.path.join(work, "control")
    subprocess.run(["dpkg-deb", "-e", deb, ctl])
    for script in ("postinst", "prerm"):
        p = os.path.join(ctl, script)
        check(os.access(p, os.X_OK), "%s is executable" % script)
        check(subprocess.run(["sh", "-n", p]).returncode == 0, "%s parses" % script)
    exe = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], capture_output=True).stdout
    check(len(exe) > 100000, "the package has a payload")

# 3. The watchdog is pinged from the main loop; SIGTERM stops the kiosk in
#    order (after storing), while Ctrl+C does nothing.
d, data = new_store()
sock_path = os.path.join(work, "notify.sock")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sock_path)
sock.settimeout(0.2)
env = dict(ENV, NOTIFY_SOCKET=sock_path, WATCHDOG_USEC="600000", SDL_VIDEODRIVER="dummy")
env.pop("SKRANKE_NOW", None)
proc = subprocess.Popen([KIOSK, "--data", data, "--window", "640x400"], env=env,
                        stderr=subprocess.PIPE, text=True)
messages = []
end = time.time() + 3.0
while time.time() < end:
    try:
        messages.append(sock.recv(256).decode())
    except socket.timeout:
        pass
check("READY=1" in messages, "the kiosk said READY=1: %s" % messages[:5])
pings = messages.count("WATCHDOG=1")
check(pings >= 4, "WATCHDOG=1 every 0.3 s from the loop (%d in 3 s)" % pings)
proc.send_signal(signal.SIGINT)
time.sleep(0.5)
check(proc.poll() is None, "Ctrl+C (SIGINT) does not end the kiosk")
proc.send_signal(signal.SIGSTOP)  # a hung loop …
time.sleep(0.2)
try:  # what was sent before it stopped
    while True:
        sock.recv(256)
except socket.timeout:
    pass
messages.clear()
end = time.time() + 1.5
while time.time() < end:
    try:
        messages.append(sock.recv(256).decode())
    except socket.timeout:
        pass
check("WATCHDOG=1" not in messages, "… stops pinging, so systemd would restart it")
proc.send_signal(signal.SIGCONT)
proc.send_signal(signal.SIGTERM)
try:
    proc.wait(timeout=10)
    check(proc.returncode == 0, "SIGTERM ends the kiosk in order (exit 0, got %s)" % proc.returncode)
except subprocess.TimeoutExpired:
    check(False, "SIGTERM ends the kiosk within 10 s")
    proc.kill()
sock.close()
shutil.rmtree(d)

# 4. The USB mount helper, against a loop-mounted image.
helper = os.path.join(BOARD, "skranke-mount")
r = subprocess.run([helper, "mount", "../sda1"], capture_output=True, text=True)
check(r.returncode == 2 and "bad device name" in r.stderr, "a bad device name is refused: %s" % r.stderr)
can_loop = os.geteuid() == 0 and os.path.exists("/dev/loop-control") and shutil.which("losetup")
fs = None
if can_loop:
    with open("/proc/filesystems") as f:
        have = f.read()
    fs = "vfat" if "vfat" in have and shutil.which("mkfs.vfat") else ("ext4" if "ext4" in have else None)
if fs:
    img = os.path.join(work, "stick.img")
    with open(img, "wb") as f:
        f.truncate(16 << 20)
    loop = subprocess.run(["losetup", "-f", "--show", img], capture_output=True, text=True).stdout.strip()
    name = os.path.basename(loop)
    mkfs = ["mkfs.vfat", "-n", "STICK", loop] if fs == "vfat" else ["mkfs.ext4", "-q", "-F", loop]
    subprocess.run(mkfs, capture_output=True)
    media = os.path.join(work, "media")
    henv = dict(os.environ, SKRANKE_MEDIA=media, SKRANKE_USER="root")
    r = subprocess.run([helper, "mount", name], env=henv, capture_output=True, text=True)
    check(r.returncode == 0, "mount %s (%s): %s" % (name, fs, r.stderr))
    target = os.path.join(media, name)
    opts = subprocess.run(["findmnt", "-no", "OPTIONS", target], capture_output=True, text=True).stdout
    for o in ("nosuid", "nodev", "noexec"):
        check(o in opts.split(","), "mounted with %s: %s" % (o, opts.strip()))
    if fs == "vfat":
        check("flush" in opts, "FAT is mounted with flush: %s" % opts.strip())
    # The kiosk finds a skranke folder on it.
    os.makedirs(os.path.join(target, "skranke", "inbox"), exist_ok=True)
    r = subprocess.run([helper, "unmount", name], env=henv, capture_output=True, text=True)
    check(r.returncode == 0 and not os.path.exists(target), "unmount: %s" % r.stderr)
    subprocess.run(["losetup", "-d", loop])
else:
    print("note: no loop devices here (not root, or no /dev/loop-control); the mount "
          "helper was checked for its argument handling only")

# 5. Console hardening, into a scratch root: no gettys, SysRq off, the
#    keymap service that removes VT switching.
root = os.path.join(work, "root")
os.makedirs(os.path.join(root, "etc", "systemd", "system"))
r = subprocess.run([os.path.join(BOARD, "console-hardening.sh")], env=dict(os.environ, SKRANKE_ROOT=root),
                   capture_output=True, text=True)
check(r.returncode == 0, "console-hardening.sh: %s" % r.stderr)
for n in range(1, 7):
    link = os.path.join(root, "etc/systemd/system/getty@tty%d.service" % n)
    check(os.path.islink(link) and os.readlink(link) == "/dev/null", "getty@tty%d masked" % n)
with open(os.path.join(root, "etc/sysctl.d/90-skranke.conf")) as f:
    check("kernel.sysrq = 0" in f.read(), "SysRq off")
with open(os.path.join(root, "etc/systemd/system/skranke-novt.service")) as f:
    check("Console_" in f.read(), "the keymap loses its console switching keys")
r = subprocess.run([os.path.join(BOARD, "console-hardening.sh")], env=dict(os.environ, SKRANKE_ROOT=root),
                   capture_output=True, text=True)
check(r.returncode == 0, "console-hardening.sh runs again (idempotent): %s" % r.stderr)

shutil.rmtree(work)
finish()
