#!/usr/bin/env python3
"""The sync folder end to end: a real kiosk run through the script driver,
whose `wait` moves the virtual clock so the kiosk's look at the folder
(1 s after start, then every 30 s, every 5 s while a file settles) fires.
A jobs batch dropped into SYNC/inbox shows in the jobs list; a signed-only
kiosk refuses an unsigned file and says so once; a file still being written
is taken only when it stopped changing; a link or FIFO is ignored with a
message; the same file is imported once; staff status shows the last look.

Run by ctest as: test_sync.py BUILD_DIR SOURCE_DIR
"""
import base64
import hashlib
import json
import os
import shutil
import subprocess

from kiosktest import (ENV, KIOSK, SOURCE, admin, check, finish, kiosk, listing, new_store)

SAMPLE = os.path.join(SOURCE, "tests", "data", "jobs-sample.json")
ENTER = "drag 20 20 20 20 3100\n"


def sync_store(**settings):
    d, data = new_store(**settings)
    sync = os.path.join(d, "sync")
    os.makedirs(os.path.join(sync, "inbox"))
    r = admin(data, "config", "set", "sync_dir", sync)
    assert r.returncode == 0, r.stderr
    return d, data, os.path.join(sync, "inbox")


def lines(stderr, text):
    return [l for l in stderr.splitlines() if l.startswith("skranke: sync: ") and text in l]


# 1. A jobs batch dropped into the folder: not taken at the first look (it
#    may still be being written), taken at the next, shown in the jobs list,
#    and never imported again however long the kiosk runs.
d, data, inbox = sync_store()
shutil.copy(SAMPLE, os.path.join(inbox, "jobs.json"))
r = kiosk(data, "wait 2000\ntap home.jobs\nexpect-no-text Pædagogmedhjælper\ntap nav.home\n"
          "wait 6000\ntap home.jobs\nexpect jobs.item.1\nexpect-text 11 job\n"
          "expect-text Pædagogmedhjælper\ntap nav.home\nwait 300000\n")
check(r.returncode == 0, "a dropped batch shows in the jobs list: %s" % r.stderr)
check(len(listing(data, "jobs") or []) == 12, "the store holds the 12 jobs")
got = lines(r.stderr, "imported: jobs.json – 12 jobs, 0 skipped (batch jobs-sample-01)")
check(len(got) == 1, "one log line, one import in 5 minutes of looks: %s" % r.stderr)
check(not lines(r.stderr, "refused"), "nothing refused: %s" % r.stderr)

# 1b. Another file with an older batch: the importer's rules decide (refused,
#     said once). After a restart (the kiosk keeps what it did beside the
#     store) neither file is tried again.
with open(SAMPLE, encoding="utf-8") as f:
    older = f.read().replace("2026-11-24T05:30:00Z", "2026-11-24T04:00:00Z", 1)
with open(os.path.join(inbox, "older.json"), "w", encoding="utf-8") as f:
    f.write(older.replace('"batch_id": "', '"batch_id": "older-', 1))
r = kiosk(data, "wait 120000\n")
check(r.returncode == 0, "older batch: %s" % r.stderr)
check(len(lines(r.stderr, "refused: older.json:")) == 1 and
      len(lines(r.stderr, "older than the job openings already loaded")) == 1,
      "an older batch is refused once, with the importer's reason: %s" % r.stderr)
check("older-" not in admin(data, "status", "--json").stdout, "the older batch was not taken")
check(not lines(r.stderr, "jobs.json"), "after a restart the batch taken before is left alone: %s"
      % r.stderr)
r = kiosk(data, "wait 120000\n")
check(not lines(r.stderr, "older.json") and not lines(r.stderr, "imported"),
      "and so is the refused one: %s" % r.stderr)
shutil.rmtree(d)

# 1c. A new batch while a citizen reads the jobs: it waits until they leave,
#     so a job tapped in the open list shows its own details, not another
#     job from the new batch; then the new batch shows.
d, data, inbox = sync_store()
admin(data, "import", SAMPLE)
with open(SAMPLE, encoding="utf-8") as f:
    batch = json.load(f)
batch["batch_id"], batch["generated_at"] = "jobs-sample-02", "2026-11-24T07:30:00Z"
for job in batch["jobs"]:
    job["title"] += " (ny)"
with open(os.path.join(inbox, "newer.json"), "w", encoding="utf-8") as f:
    json.dump(batch, f, ensure_ascii=False)
r = kiosk(data, "tap home.jobs\nwait 20000\ntap jobs.item.1\nexpect jobs.detail\n"
          "expect-no-text (ny)\ntap nav.home\nwait 12000\ntap home.jobs\nexpect-text (ny)\n")
check(r.returncode == 0, "the list in use is not changed under the citizen: %s" % r.stderr)
check(len(lines(r.stderr, "imported: newer.json")) == 1, "then the batch came in: %s" % r.stderr)
shutil.rmtree(d)

# 2. Signed only: an unsigned file is refused and said once (in the log and
#    in staff status), not retried at every look.
key = base64.b64encode(b"Ed" + hashlib.sha256(b"k").digest()[:8] +
                       hashlib.sha256(b"kk").digest()).decode()
d, data, inbox = sync_store(trusted_keys=key)
admin(data, "set-pin", stdin="4711\n")
shutil.copy(SAMPLE, os.path.join(inbox, "unsigned.json"))
r = kiosk(data, "wait 180000\n" + ENTER + "type 4711\ntap staff.pin.ok\ntap staff.status\n"
          "expect-text Synkronisering:\nexpect-text 0 hentet, 1 afvist\n"
          "expect-text unsigned.json: not signed\n")
check(r.returncode == 0, "staff status shows the refusal: %s" % r.stderr)
got = lines(r.stderr, "refused: unsigned.json: not signed")
check(len(got) == 1, "refused and reported once in 3 minutes of looks: %s" % r.stderr)
check(not listing(data, "jobs"), "nothing was imported")
shutil.rmtree(d)

# 3. A file still being written (it grows between two looks) is not taken
#    until two looks find it unchanged: no refusal of the half file.
d, data, inbox = sync_store()
with open(SAMPLE, "rb") as f:
    whole = f.read()
path = os.path.join(inbox, "growing.json")
with open(path, "wb") as f:
    f.write(whole[:len(whole) // 2])
script = os.path.join(d, "grow.txt")
with open(script, "w") as f:
    f.write("wait 2000\nsleep 1500\nwait 5500\nwait 5500\n"
            "tap home.jobs\nexpect-text 11 job\n")
p = subprocess.Popen([KIOSK, "--data", data, "--window", "1280x800", "--script", script],
                     env=dict(ENV, SKRANKE_SCRIPT_TRACE="1"), stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True)
for line in p.stdout:
    if line.startswith("ok 1 "):  # the first look saw half the file
        with open(path, "ab") as f:
            f.write(whole[len(whole) // 2:])
        break
out, err = p.communicate(timeout=300)
check(p.returncode == 0, "the grown file is imported: %s" % err)
check(not lines(err, "refused"), "the half-written file was never tried: %s" % err)
check(len(lines(err, "imported: growing.json")) == 1, "imported once: %s" % err)
# Names of files being written (.part, .tmp, rsync's hidden ones) are not looked at.
for name in ("a.json.part", "b.json.tmp", ".c.json.Xy12Ab"):
    with open(os.path.join(inbox, name), "w") as f:
        f.write("{")
r = kiosk(data, "wait 60000\n")
check(not lines(r.stderr, "refused") and not lines(r.stderr, "ignored"),
      "files still being written are left alone: %s" % r.stderr)
shutil.rmtree(d)

# 4. A link and a FIFO in the folder: ignored with a message, once; the
#    kiosk does not hang on the FIFO; a good batch beside them comes in.
d, data, inbox = sync_store()
outside = os.path.join(d, "outside.json")
shutil.copy(SAMPLE, outside)
os.symlink(outside, os.path.join(inbox, "link.json"))
os.mkfifo(os.path.join(inbox, "fifo.json"))
shutil.copy(SAMPLE, os.path.join(inbox, "good.json"))
r = kiosk(data, "wait 120000\n")
check(r.returncode == 0, "a link and a FIFO: %s" % r.stderr)
check(len(lines(r.stderr, "ignored: link.json – a link, not a file")) == 1,
      "the link is ignored, said once: %s" % r.stderr)
check(len(lines(r.stderr, "ignored: fifo.json – not a regular file")) == 1,
      "the FIFO is ignored, said once: %s" % r.stderr)
check(len(lines(r.stderr, "imported: good.json")) == 1 and not lines(r.stderr, "imported: link"),
      "only the real file is imported: %s" % r.stderr)
shutil.rmtree(d)

# 5. The setting: off when empty (no looks logged), an absolute path only;
#    a sync folder without an inbox is said once.
d, data = new_store()
r = admin(data, "config", "get", "sync_dir")
check((r.returncode, r.stdout) == (0, "\n"), "sync_dir is empty by default: %r" % (r.stdout,))
r = admin(data, "config", "set", "sync_dir", "relative/sync")
check(r.returncode == 2 and "sync_dir" in r.stderr, "a relative sync_dir is refused: %s" % r.stderr)
shutil.copy(SAMPLE, os.path.join(d, "jobs.json"))
r = kiosk(data, "wait 60000\n")
check(not lines(r.stderr, ""), "no sync folder, no looks: %s" % r.stderr)
admin(data, "config", "set", "sync_dir", d)
r = kiosk(data, "wait 120000\n")
check(len(lines(r.stderr, "/inbox is not a folder")) == 1, "no inbox, said once: %s" % r.stderr)
check(not listing(data, "jobs"), "nothing was imported from beside the inbox")
shutil.rmtree(d)

# 6. The board's side: the timer's script mirrors the server's batches into
#    the inbox (whole files only, no links) and exports into the outbox only
#    when records wait; its units pass systemd-analyze verify.
BOARD = os.path.abspath(os.path.join(SOURCE, "board"))
d, data, inbox = sync_store()
server = os.path.join(d, "server")
os.makedirs(server)
shutil.copy(SAMPLE, os.path.join(server, "jobs.json"))
os.symlink("/etc/passwd", os.path.join(server, "passwd.json"))
env = dict(ENV, SKRANKE_DATA=data, SKRANKE_ADMIN=os.path.abspath(os.path.join(os.path.dirname(KIOSK),
                                                                             "skranke-admin")),
           SKRANKE_SYNC_FROM=server + "/", SKRANKE_SYNC_SSH="ssh")
if shutil.which("rsync"):
    r = subprocess.run([os.path.join(BOARD, "skranke-sync")], env=env, capture_output=True, text=True)
    check(r.returncode == 0, "skranke-sync runs: %s" % r.stderr)
    check(sorted(os.listdir(inbox)) == ["jobs.json"], "the batch is in the inbox, the link is not: %s"
          % os.listdir(inbox))
    outbox = os.path.join(os.path.dirname(inbox), "outbox")
    check(os.listdir(outbox) == [], "nothing waited, nothing exported: %s" % os.listdir(outbox))
    r = kiosk(data, "tap home.survey\ntap survey.start\ntap survey.answer.5\ntap survey.answer.5\n"
              "tap survey.answer.5\ntap survey.answer.5\nwait 9000\n")
    check(len(lines(r.stderr, "imported: jobs.json")) == 1, "the kiosk took the batch: %s" % r.stderr)
    r = subprocess.run([os.path.join(BOARD, "skranke-sync")], env=env, capture_output=True, text=True)
    batches = os.listdir(outbox)
    check(r.returncode == 0 and len(batches) == 1, "one response waited: one batch in the outbox: %s %s"
          % (batches, r.stderr))
    for b in batches:
        check(admin(data, "verify", os.path.join(outbox, b)).returncode == 0, "the export verifies")
else:
    check(False, "rsync is needed (scripts/deps test installs it)")
if shutil.which("systemd-analyze"):
    units = []
    for name in ("skranke-sync.service", "skranke-sync.timer"):
        with open(os.path.join(BOARD, name)) as f:
            text = f.read().replace("/usr/lib/skranke/skranke-sync",
                                    os.path.join(BOARD, "skranke-sync"))
        units.append(os.path.join(d, name))
        with open(units[-1], "w") as f:
            f.write(text)
    r = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True)
    errors = [l for l in (r.stdout + r.stderr).splitlines()
              if l.strip() and "user" not in l.lower() and "group" not in l.lower()
              and "Failed to load" not in l]
    check(r.returncode == 0 or not errors, "systemd-analyze verify: %s" % (r.stdout + r.stderr))
shutil.rmtree(d)

# 8. Jobnet's pages in the folder form one snapshot, as `skranke-admin
#    import` takes them: both pages' jobs, one import, the skipped ones said.
d, data, inbox = sync_store()
for page in ("jobnet-page1.json", "jobnet-page2.json"):
    shutil.copy(os.path.join(SOURCE, "tests", "data", page), os.path.join(inbox, page))
r = kiosk(data, "wait 2000\nwait 6000\nwait 60000\n")
check(r.returncode == 0, "Jobnet pages: %s" % r.stderr)
got = lines(r.stderr, "imported: 2 pages")
check(len(got) == 1, "the two pages are one import: %s" % r.stderr)
check(len(listing(data, "jobs") or []) == 49, "both pages' 49 jobs are in the store: %d"
      % len(listing(data, "jobs") or []))
shutil.rmtree(d)

finish()
