#!/usr/bin/env python3
"""test_admin.py — skranke-admin as staff and scripts use it (FORMATS.md 1, 2, 4, 5).

    python3 tests/test_admin.py PATH/TO/skranke-admin PATH/TO/tests/data

Runs the built program in fresh temporary data directories and checks what a user would
notice: what is printed, the exit status, the files an export leaves on the stick, and
that a refused batch leaves the store exactly as it was. The corpus of refused batches
and what each refusal must say live in tests/data/bad/ (see make_bad.py there).

Python standard library only. The last line of output is "N passed, N failed"; the exit
status is non-zero when anything failed.
"""
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

if len(sys.argv) < 3:
    sys.exit("usage: test_admin.py PATH/TO/skranke-admin PATH/TO/tests/data [unittest args]")
ADMIN = os.path.abspath(sys.argv[1])
DATA = os.path.abspath(sys.argv[2])
del sys.argv[1:3]
BAD = os.path.join(DATA, "bad")
sys.path.insert(0, BAD)
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
import make_bad  # noqa: E402  (tests/data/bad/make_bad.py)

JOBS_SAMPLE = os.path.join(DATA, "jobs-sample.json")
SCHED_SAMPLE = os.path.join(DATA, "schedule-sample.json")
SITE, KIOSK = "jobcenter-slagelse", "kiosk-7"
NOW = "2026-11-24T09:00:00Z"
BOM = b"\xef\xbb\xbf"
RESPONSES_HEADER = ("response_id;date;site;unit;language;empowerment;ressourcefokus;"
                    "progression;vaerdighed")
CHECKINS_HEADER = "checkin_id;date;time;site;kind;code;unit;session_id;ticket;result"
EXPORT_FILES = ("responses.csv", "responses.jsonl", "checkins.csv", "responses.xlsx",
                "checkins.xlsx")

ENV = {k: v for k, v in os.environ.items() if not k.startswith("SKRANKE_")}
ENV.update(TZ="Europe/Copenhagen", SKRANKE_NOW=NOW, LC_ALL="C.UTF-8")

TMP = tempfile.mkdtemp(prefix="skranke-test-admin-")


def tmpdir(name):
    return tempfile.mkdtemp(prefix=name + "-", dir=TMP)


class Run:
    def __init__(self, p, args):
        self.args = args
        self.rc = p.returncode
        self.raw = p.stdout
        self.out = p.stdout.decode("utf-8", "replace")
        self.err = p.stderr.decode("utf-8", "replace")

    def __str__(self):
        return (f"skranke-admin {' '.join(self.args)} -> exit {self.rc}\n"
                f"stdout: {self.out[:2000]!r}\nstderr: {self.err[:2000]!r}")


def admin(data, *args, stdin=b"", env=None, timeout=120):
    argv = [ADMIN] + (["--data", data] if data else []) + list(args)
    p = subprocess.run(argv, input=stdin, capture_output=True, env=env or ENV,
                       timeout=timeout)
    return Run(p, list(args))


def new_store(site=SITE, kiosk=KIOSK, samples=True):
    d = os.path.join(tmpdir("store"), "data")
    r = admin(d, "init", "--site", site, "--kiosk", kiosk)
    assert r.rc == 0, str(r)
    if samples:
        r = admin(d, "import", JOBS_SAMPLE, SCHED_SAMPLE)
        assert r.rc == 0, str(r)
    return d


_TEMPLATE = None


def store_copy():
    """A fresh copy of a store that holds both samples (made once, copied per test)."""
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = new_store()
    d = os.path.join(tmpdir("copy"), "data")
    shutil.copytree(_TEMPLATE, d)
    return d


def snapshot(data):
    """What a user can see of the store: jobs, schedule and status."""
    parts = []
    for args in (("list", "jobs", "--json"), ("list", "schedule", "--json"),
                 ("status", "--json")):
        r = admin(data, *args)
        if r.rc != 0 or r.err:
            raise AssertionError("--json: exit 0, nothing on stderr\n" + str(r))
        parts.append(r.raw)
    status = json.loads(parts[2])
    # The map may grow while a big batch is read and then refused; its content may not.
    status.get("storage", {}).pop("map_bytes", None)
    return parts[0], parts[1], json.dumps(status, sort_keys=True)


def write(path, data):
    with open(path, "wb" if isinstance(data, bytes) else "w",
              **({} if isinstance(data, bytes) else {"encoding": "utf-8"})) as f:
        f.write(data)
    return path


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def list_json(data, what):
    r = admin(data, "list", what, "--json")
    assert r.rc == 0, str(r)
    return json.loads(r.raw.decode("utf-8"))  # strict: the output must be valid UTF-8


def chars(b):
    """Characters in UTF-8 bytes as json.h counts them (every non-continuation byte)."""
    return sum(1 for x in b if x & 0xC0 != 0x80)


def locate(data, anchor):
    """(line, first col, last col + 1) of anchor's first occurrence in data."""
    i = data.find(anchor)
    assert i >= 0 and b"\n" not in anchor, anchor
    line = data.count(b"\n", 0, i) + 1
    start = data.rfind(b"\n", 0, i) + 1
    col = chars(data[start:i]) + 1
    return line, col, col + chars(anchor)


def names_path(text, path):
    """True when text names the field path, or the record and the field's name."""
    if path in text:
        return True
    m = re.fullmatch(r"(.+)\.([A-Za-z_]+)", path)
    if not m:
        return False
    parent, leaf = m.groups()
    i = text.find(parent)
    return i >= 0 and re.search(r"\b" + re.escape(leaf) + r"\b", text[i + len(parent):])


def check_refusal(data, path, case, before):
    """The checks every refused import must pass; returns a list of problems."""
    r = admin(data, "import", path)
    problems = []
    if r.rc != 2:
        problems.append(f"exit status {r.rc}, want 2")
    lines = [ln for ln in r.err.splitlines() if ln.strip()]
    if len(lines) != 1:
        problems.append(f"want one line on stderr, got {len(lines)}")
    if r.out.strip():
        problems.append("a refused import printed on stdout")
    if "Sanitizer" in r.err or "runtime error" in r.err:
        problems.append("sanitizer report")
    i = r.err.find(path)
    if i < 0:
        problems.append("the message does not name the file")
        rest = r.err
    else:
        rest = r.err[i + len(path):]
    if case.at is not None:
        m = re.match(r":(\d+):(\d+):", rest)
        if not m:
            problems.append("the message has no LINE:COL after the file name")
        else:
            got = int(m.group(1)), int(m.group(2))
            line, c0, c1 = locate(case.data, case.at)
            if got[0] != line or not c0 <= got[1] <= c1:
                problems.append(f"location {got[0]}:{got[1]}, want line {line}, "
                                f"column {c0}..{c1} ({case.at[:40]!r})")
    if case.path and not names_path(rest, case.path):
        problems.append(f"the message does not name the field {case.path}")
    for word in case.also:
        if word not in rest:
            problems.append(f"the message does not mention {word!r}")
    after = snapshot(data)
    for what, a, b in zip(("list jobs", "list schedule", "status"), before, after):
        if a != b:
            problems.append(f"the store changed ({what} differs)")
    return problems, r


# ---------------------------------------------------------------------------------------

class T1RoundTrip(unittest.TestCase):
    """init, import the samples, list, export, re-export, verify."""

    @classmethod
    def setUpClass(cls):
        cls.data = os.path.join(tmpdir("roundtrip"), "data")
        cls.init = admin(cls.data, "init", "--site", SITE, "--kiosk", KIOSK)
        cls.imp = admin(cls.data, "import", JOBS_SAMPLE, SCHED_SAMPLE)
        cls.out1 = tmpdir("outbox")
        cls.exp1 = admin(cls.data, "export", cls.out1)
        cls.exp2 = admin(cls.data, "export", cls.out1)
        cls.name1 = f"skranke-{SITE}-{KIOSK}-000001"
        cls.name2 = f"skranke-{SITE}-{KIOSK}-000002"
        cls.dir1 = os.path.join(cls.out1, cls.name1)
        cls.dir2 = os.path.join(cls.out1, cls.name2)

    def test_init_and_import_report(self):
        self.assertEqual(self.init.rc, 0, str(self.init))
        self.assertIn(SITE, self.init.out)
        self.assertIn(KIOSK, self.init.out)
        self.assertEqual(self.imp.rc, 0, str(self.imp))
        lines = self.imp.out.splitlines()
        self.assertEqual(len(lines), 2, str(self.imp))
        self.assertIn("jobs-sample.json", lines[0])
        self.assertRegex(lines[0], r"\b12\b")
        self.assertIn("schedule-sample.json", lines[1])
        self.assertRegex(lines[1], r"\b4\b")
        self.assertRegex(lines[1], r"\b2\b")
        self.assertEqual(self.imp.err.strip(), "", "the site matches; no note expected")

    def test_list_jobs_intact(self):
        sample = load_json(JOBS_SAMPLE)["jobs"]
        jobs = list_json(self.data, "jobs")
        self.assertEqual([j["id"] for j in jobs], [j["id"] for j in sample])
        for want, got in zip(sample, jobs):
            for k in ("id", "title", "employer", "city", "postcode", "category", "posted",
                      "deadline", "summary", "url", "language", "hours", "kind"):
                with self.subTest(job=want["id"], field=k):
                    if k in want:
                        self.assertEqual(got.get(k), want[k])
                    else:
                        self.assertIn(got.get(k), ("", None, "unknown"))
        titles = " ".join(j["title"] for j in jobs)
        for word in ("sundhedshjælper", "Tømrerlærling", "Køkkenmedhjælper", "Pædagogmedhjælper"):
            self.assertIn(word, titles)
        self.assertIn("Børnehuset Åkanden", [j["employer"] for j in jobs])

    def test_list_schedule_intact(self):
        sample = load_json(SCHED_SAMPLE)
        days = list_json(self.data, "schedule")
        self.assertEqual(len(days), 1)
        day = days[0]
        self.assertEqual((day["site"], day["date"]), (sample["site"], sample["date"]))
        self.assertEqual(len(day["appointments"]), 4)
        self.assertEqual(len(day["sessions"]), 2)
        got = {a["code"]: a for a in day["appointments"]}
        for a in sample["appointments"]:
            self.assertIn(a["code"].upper(), got)
            for k, v in a.items():
                if k != "code":
                    self.assertEqual(got[a["code"].upper()][k], v)
        for code in got:
            self.assertEqual(code, code.upper())
        gs = {s["id"]: s for s in day["sessions"]}
        for s in sample["sessions"]:
            g = gs[s["id"]]
            self.assertEqual(g["title"], s["title"])
            self.assertEqual((g["start"], g["end"], g["place"]), (s["start"], s["end"], s["place"]))
            self.assertEqual(sorted(g["participants"]), sorted(p.upper() for p in s["participants"]))

    def test_status_json(self):
        r = admin(self.data, "status", "--json")
        self.assertEqual(r.rc, 0, str(r))
        st = json.loads(r.out)
        self.assertEqual((st["site"], st["kiosk"]), (SITE, KIOSK))
        self.assertEqual(st["jobs"]["count"], 12)
        self.assertEqual(st["last_export"]["seq"], 2)
        r = admin(self.data, "status")
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn(SITE, r.out)

    def test_export_prints_batch_dir(self):
        self.assertEqual(self.exp1.rc, 0, str(self.exp1))
        self.assertEqual(os.path.realpath(self.exp1.out.strip()), os.path.realpath(self.dir1))
        self.assertEqual(self.exp1.out.count("\n"), 1, "stdout is the path and nothing else")
        self.assertTrue(os.path.isdir(self.dir1))

    def test_export_files(self):
        names = set(os.listdir(self.dir1)) - {"manifest.json.minisig"}
        self.assertEqual(names, set(EXPORT_FILES) | {"manifest.json"})
        left = [n for n in os.listdir(self.out1) if n not in (self.name1, self.name2)]
        self.assertEqual(left, [], "nothing but the batch directories on the stick")

    def test_manifest(self):
        m = load_json(os.path.join(self.dir1, "manifest.json"))
        self.assertEqual(set(m), {"format", "site", "kiosk", "seq", "created_at", "counts",
                                  "files"})
        self.assertEqual(m["format"], "skranke.export/1")
        self.assertEqual((m["site"], m["kiosk"]), (SITE, KIOSK))
        self.assertIs(type(m["seq"]), int)
        self.assertEqual(m["seq"], 1)
        self.assertEqual(m["created_at"], NOW)
        self.assertEqual(set(m["counts"]), {"responses", "checkins"})
        self.assertEqual(m["counts"], {"responses": 0, "checkins": 0})
        self.assertEqual(sorted(f["name"] for f in m["files"]), sorted(EXPORT_FILES))
        for f in m["files"]:
            with self.subTest(file=f.get("name")):
                self.assertEqual(set(f), {"name", "bytes", "sha256"})
                with open(os.path.join(self.dir1, f["name"]), "rb") as fh:
                    body = fh.read()
                self.assertIs(type(f["bytes"]), int)
                self.assertEqual(f["bytes"], len(body))
                self.assertEqual(f["sha256"], hashlib.sha256(body).hexdigest())
        with open(os.path.join(self.dir1, "responses.jsonl"), "rb") as fh:
            body = fh.read()
        lines = body.split(b"\n")
        self.assertEqual(lines[-1], b"", "every record line ends with a newline")
        self.assertEqual(len(lines) - 1, m["counts"]["responses"])
        for ln in lines[:-1]:
            json.loads(ln)

    def check_csv(self, name, header):
        with open(os.path.join(self.dir1, name), "rb") as fh:
            body = fh.read()
        self.assertTrue(body.startswith(BOM), f"{name} starts with a UTF-8 BOM")
        self.assertTrue(body[3:].startswith(header.encode() + b"\r\n"), body[:120])
        self.assertEqual(body.count(b"\n"), body.count(b"\r\n"), "CRLF line ends only")
        self.assertEqual(body.count(b"\r"), body.count(b"\r\n"))
        self.assertTrue(body.endswith(b"\r\n"))
        body.decode("utf-8")
        with open(os.path.join(self.dir1, name), encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh, delimiter=";"))
        self.assertEqual(rows[0], header.split(";"))
        for row in rows[1:]:
            self.assertEqual(len(row), len(rows[0]))
        return rows

    def test_responses_csv(self):
        rows = self.check_csv("responses.csv", RESPONSES_HEADER)
        self.assertEqual(rows[0], ["response_id", "date", "site", "unit", "language",
                                   "empowerment", "ressourcefokus", "progression", "vaerdighed"])

    def test_checkins_csv(self):
        rows = self.check_csv("checkins.csv", CHECKINS_HEADER)
        self.assertEqual(rows[0], ["checkin_id", "date", "time", "site", "kind", "code", "unit",
                                   "session_id", "ticket", "result"])

    def test_verify(self):
        for d in (self.dir1, self.dir2):
            r = admin(None, "verify", d)
            self.assertEqual(r.rc, 0, str(r))

    def test_second_export_is_seq_2(self):
        self.assertEqual(self.exp2.rc, 0, str(self.exp2))
        self.assertEqual(os.path.realpath(self.exp2.out.strip()), os.path.realpath(self.dir2))
        self.assertEqual(load_json(os.path.join(self.dir2, "manifest.json"))["seq"], 2)

    def test_reexport_is_identical(self):
        out2 = tmpdir("outbox2")
        r = admin(self.data, "export", out2, "--seq", "1")
        self.assertEqual(r.rc, 0, str(r))
        again = os.path.join(out2, self.name1)
        self.assertEqual(os.path.realpath(r.out.strip()), os.path.realpath(again))
        for name in EXPORT_FILES + ("manifest.json",):
            with self.subTest(file=name):
                with open(os.path.join(self.dir1, name), "rb") as a, \
                        open(os.path.join(again, name), "rb") as b:
                    self.assertEqual(a.read(), b.read())
        self.assertEqual(admin(None, "verify", again).rc, 0)
        st = json.loads(admin(self.data, "status", "--json").out)
        self.assertEqual(st["last_export"]["seq"], 2, "a re-export is not a new batch")

    def test_reexport_never_exported(self):
        out3 = tmpdir("outbox3")
        r = admin(self.data, "export", out3, "--seq", "99")
        self.assertEqual(r.rc, 2, str(r))
        self.assertIn("99", r.err)
        self.assertEqual(r.out, "")
        self.assertEqual(os.listdir(out3), [], "nothing written for a refused re-export")

    def test_reexport_onto_existing_dir(self):
        before = tree(self.out1)
        r = admin(self.data, "export", self.out1, "--seq", "1")
        self.assertNotEqual(r.rc, 0, str(r))
        self.assertIn(self.name1, r.err)
        self.assertEqual(tree(self.out1), before, "the existing batch is untouched")

    def test_verify_tampered(self):
        for name in EXPORT_FILES + ("manifest.json",):
            with self.subTest(file=name):
                d = os.path.join(tmpdir("tamper"), self.name1)
                shutil.copytree(self.dir1, d)
                p = os.path.join(d, name)
                with open(p, "rb") as fh:
                    body = bytearray(fh.read())
                if not body:  # an empty file: damage it by adding a byte
                    body = bytearray(b"x")
                else:
                    body[len(body) // 2] ^= 0x01
                write(p, bytes(body))
                r = admin(None, "verify", d)
                self.assertEqual(r.rc, 2, str(r))
                if name != "manifest.json":
                    self.assertIn(name, r.err)
                else:
                    self.assertIn("manifest", r.err)

    def test_verify_refuses_names_outside_the_batch(self):
        """A manifest may not send verify to files outside its directory."""
        base = tmpdir("escape")
        d = os.path.join(base, self.name1)
        shutil.copytree(self.dir1, d)
        body = b"outside\r\n"
        write(os.path.join(base, "outside.csv"), body)
        m = load_json(os.path.join(d, "manifest.json"))
        m["files"].append({"name": "../outside.csv", "bytes": len(body),
                           "sha256": hashlib.sha256(body).hexdigest()})
        write(os.path.join(d, "manifest.json"), json.dumps(m))
        r = admin(None, "verify", d)
        self.assertEqual(r.rc, 2, str(r))

    def test_verify_missing_file(self):
        d = os.path.join(tmpdir("missing"), self.name1)
        shutil.copytree(self.dir1, d)
        os.unlink(os.path.join(d, "checkins.csv"))
        r = admin(None, "verify", d)
        self.assertEqual(r.rc, 2, str(r))
        self.assertIn("checkins.csv", r.err)


def tree(root):
    """Every path under root with its bytes (None for directories)."""
    out = {}
    for dirpath, dirs, files in os.walk(root):
        for d in dirs:
            out[os.path.relpath(os.path.join(dirpath, d), root)] = None
        for f in files:
            with open(os.path.join(dirpath, f), "rb") as fh:
                out[os.path.relpath(os.path.join(dirpath, f), root)] = fh.read()
    return out


class T1ExportCollision(unittest.TestCase):
    def test_next_batch_dir_already_there(self):
        data = store_copy()
        out = tmpdir("collide")
        squatter = os.path.join(out, f"skranke-{SITE}-{KIOSK}-000001")
        os.mkdir(squatter)
        write(os.path.join(squatter, "note.txt"), "from another kiosk\n")
        before = tree(out)
        r = admin(data, "export", out)
        self.assertNotEqual(r.rc, 0, str(r))
        self.assertEqual(tree(out), before, "an existing directory is never touched")

    def test_export_to_missing_folder(self):
        data = store_copy()
        missing = os.path.join(tmpdir("nofolder"), "no", "such")
        r = admin(data, "export", missing)
        self.assertNotEqual(r.rc, 0, str(r))
        self.assertIn(missing, r.err)
        self.assertFalse(os.path.exists(missing))


# ---------------------------------------------------------------------------------------

class T2Refusals(unittest.TestCase):
    """Every refused batch: exit 2, one line naming file, place and field, store unchanged."""

    @classmethod
    def setUpClass(cls):
        cls.before = snapshot(store_copy())

    def test_corpus_is_current(self):
        stale = []
        for case in make_bad.cases():
            p = os.path.join(BAD, case.file)
            if not os.path.exists(p):
                stale.append(case.file)
                continue
            with open(p, "rb") as fh:
                if fh.read() != case.data:
                    stale.append(case.file)
        self.assertEqual(stale, [], "run tests/data/bad/make_bad.py")

    def test_base_batches_are_valid(self):
        """The bad files differ from these only in their defect."""
        d = tmpdir("base")
        data = store_copy()
        for name, text in (("jobs.json", make_bad.jobs_doc()),
                           ("sched.json", make_bad.sched_doc())):
            r = admin(data, "import", write(os.path.join(d, name), text))
            self.assertEqual(r.rc, 0, str(r))

    def test_corpus(self):
        for case in make_bad.cases():
            with self.subTest(case=case.name):
                data = store_copy()
                path = os.path.join(BAD, case.file)
                problems, r = check_refusal(data, path, case, self.before)
                self.assertFalse(problems, f"{case.file}: " + "; ".join(problems) + f"\n{r}")

    def test_big(self):
        d = tmpdir("big")
        for case in make_bad.write_big(d):
            with self.subTest(case=case.name):
                data = store_copy()
                path = os.path.join(d, case.file)
                t0 = time.monotonic()
                problems, r = check_refusal(data, path, case, self.before)
                took = time.monotonic() - t0
                self.assertFalse(problems, f"{case.file}: " + "; ".join(problems) + f"\n{r}")
                if case.name == "too_big":
                    self.assertNotRegex(r.err, r"\.json:\d+:\d+:",
                                        "refused from its size, before parsing")
                    self.assertLess(took, 15, "a too-big file is refused at once")
                    with self.subTest(case="too_big message"):
                        self.assertNotRegex(
                            r.err, r"file is 64 MiB.*at most 64 MiB",
                            "a file of 64 MiB + 1 byte is reported as '64 MiB' while the limit "
                            "is '64 MiB': the user cannot see what is wrong")
                if case.name == "too_many_jobs":
                    self.assertRegex(r.err, re.escape(path) + r":200002:\d+:",
                                     "names the line of the 200 001st job")
                os.unlink(path)

    def test_big_at_the_limits(self):
        """Exactly 64 MiB and exactly 200 000 jobs are within the limits (FORMATS.md 1)."""
        d = tmpdir("limits-big")
        head = (b'{"format": "skranke.jobs/1", "batch_id": "exact-64", '
                b'"generated_at": "2026-11-24T06:00:00Z", '
                b'"jobs": [{"id": "1", "title": "t", "employer": "e", "city": "c", '
                b'"category": "k"}]')
        path = os.path.join(d, "exactly_64_mib.json")
        with open(path, "wb") as f:
            f.write(head)
            f.write(b" " * (64 * 1024 * 1024 - len(head) - 2))
            f.write(b"}\n")
        self.assertEqual(os.path.getsize(path), 64 * 1024 * 1024)
        r = admin(store_copy(), "import", path)
        self.assertEqual(r.rc, 0, str(r))
        os.unlink(path)
        path = os.path.join(d, "exactly_200000_jobs.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"format": "skranke.jobs/1", "batch_id": "many", '
                    '"generated_at": "2026-11-24T06:00:00Z", "jobs": [\n')
            f.write(",\n".join(f'{{"id":"{i}","title":"t","employer":"e","city":"c",'
                               f'"category":"k"}}' for i in range(200000)))
            f.write("\n]}\n")
        data = store_copy()
        r = admin(data, "import", path)
        self.assertEqual(r.rc, 0, str(r))
        self.assertEqual(json.loads(admin(data, "status", "--json").out)["jobs"]["count"], 200000)
        os.unlink(path)

    def test_title_limit_counts_characters(self):
        d = tmpdir("title300")
        data = store_copy()
        title = make_bad._title(300)
        self.assertGreater(len(title.encode()), 800)
        doc = make_bad.jobs_doc([make_bad.job(0), make_bad.job(1, title=title),
                                 make_bad.job(2)])
        r = admin(data, "import", write(os.path.join(d, "t300.json"), doc))
        self.assertEqual(r.rc, 0, str(r))
        self.assertEqual(list_json(data, "jobs")[1]["title"], title)

    def test_summary_and_id_at_limit(self):
        d = tmpdir("limits")
        data = store_copy()
        summary, jid = make_bad._summary(8000), "ø" * 32
        doc = make_bad.jobs_doc([make_bad.job(0), make_bad.job(1, summary=summary, id=jid),
                                 make_bad.job(2)])
        r = admin(data, "import", write(os.path.join(d, "limits.json"), doc))
        self.assertEqual(r.rc, 0, str(r))
        got = list_json(data, "jobs")[1]
        self.assertEqual((got["id"], got["summary"]), (jid, summary))


class T2Messy(unittest.TestCase):
    """README "Messy is not invalid": bad jobs are skipped and reported, the rest come in."""

    def test_jobnet_pages_one_snapshot_with_report(self):
        data = store_copy()
        pages = [os.path.join(DATA, "jobnet-page%d.json" % i) for i in (1, 2)]
        r = admin(data, "import", *pages)
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn("jobnet-page1.json: 49 job indlæst, 3 sprunget over", r.out)
        skipped = r.err.splitlines()
        self.assertEqual(len(skipped), 3, r.err)
        self.assertTrue(skipped[0].startswith(pages[1] + ":39:10: JobPositionPostings[0]: "
                                              'the ID "5380500" came before'), skipped[0])
        self.assertRegex(skipped[1], re.escape(pages[1]) +
                         r":\d+:\d+: JobPositionPostings\[14\]\.Title: must not be empty")
        self.assertRegex(skipped[2], r"JobPositionPostings\[21\]\.Url: must start with https://")
        jobs = list_json(data, "jobs")
        self.assertEqual(len(jobs), 49)
        self.assertEqual(len({j["id"] for j in jobs}), 49)
        st = json.loads(admin(data, "status", "--json").out)["jobs"]
        self.assertEqual((st["count"], st["skipped"]), (49, 3))
        self.assertIn("3 skipped at import", admin(data, "status").out)

    def test_a_page_alone_is_its_own_snapshot(self):
        data = store_copy()
        r = admin(data, "import", os.path.join(DATA, "jobnet-page1.json"))
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn("26 job indlæst, 0 sprunget over", r.out)
        self.assertEqual(r.err, "")

    def test_messy_titles_cleaned_one_bad_job_skipped(self):
        d = tmpdir("messy")
        data = store_copy()
        jobs = [make_bad.job(i % 3, id="M-%d" % i) for i in range(12)]
        jobs[4]["title"] = "Lager-\n medarbejder\t\tnat\u0007"
        jobs[7]["url"] = "ftp://example.org/x"
        path = write(os.path.join(d, "messy.json"), make_bad.jobs_doc(jobs))
        r = admin(data, "import", path)
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn("11 job indlæst, 1 sprunget over", r.out)
        self.assertRegex(r.err, re.escape(path) + r":\d+:\d+: jobs\[7\]\.url: must start")
        got = {j["id"]: j for j in list_json(data, "jobs")}
        self.assertEqual(got["M-4"]["title"], "Lager- medarbejder nat")
        self.assertNotIn("M-7", got)

    def test_over_ten_percent_refuses_the_batch(self):
        d = tmpdir("tenpct")
        data = store_copy()
        before = snapshot(data)
        jobs = [make_bad.job(i % 3, id="T-%d" % i) for i in range(10)]
        jobs[2]["title"] = ""
        jobs[5]["id"] = "T-1"
        path = write(os.path.join(d, "tenpct.json"), make_bad.jobs_doc(jobs))
        r = admin(data, "import", path)
        self.assertEqual(r.rc, 2, str(r))
        self.assertIn("2 of the 10 jobs were skipped, more than 10 %", r.err)
        self.assertEqual(snapshot(data), before, "nothing changed")


class T2Accepts(unittest.TestCase):
    def test_unknown_fields_are_ignored(self):
        d = tmpdir("fwd")
        data = store_copy()
        jobs = json.loads(make_bad.jobs_doc())
        jobs["x_schema_note"] = {"version": 2, "tags": ["a", {"b": None}], "ok": True}
        jobs["jobs"][0]["salary"] = {"min": 31000.5, "currency": "DKK"}
        jobs["jobs"][1]["remote"] = False
        jobs["jobs"][2]["tags"] = ["børn", "pædagogik"]
        sched = json.loads(make_bad.sched_doc())
        sched["x_room_map"] = [[1, 2], [3]]
        sched["appointments"][0]["language"] = "uk"
        sched["sessions"][0]["capacity"] = 12
        for name, doc in (("jobs.json", jobs), ("sched.json", sched)):
            r = admin(data, "import", write(os.path.join(d, name),
                                            json.dumps(doc, ensure_ascii=False)))
            self.assertEqual(r.rc, 0, str(r))
        self.assertEqual([j["id"] for j in list_json(data, "jobs")], ["B-1", "B-2", "B-3"])
        day = list_json(data, "schedule")[0]
        self.assertEqual(sorted(a["code"] for a in day["appointments"]), ["A2B3C4", "D5E6F7"])

    def test_fields_of_the_other_format_are_unknown_fields(self):
        """`site`, `date` and `sessions` mean nothing in a jobs batch, `jobs` and `source`
        nothing in a schedule batch (FORMATS.md 1 and 2): like any unknown field they are
        ignored, whatever their value."""
        d = tmpdir("otherfmt")
        variants = [
            ("jobs", "site", {"name": "Slagelse", "region": "Sjælland"}),
            ("jobs", "date", None),
            ("jobs", "sessions", "none today"),
            ("sched", "jobs", {"count": 0}),
            ("sched", "source", {"system": "Booking", "version": 3}),
        ]
        for kind, key, value in variants:
            with self.subTest(batch=kind, field=key):
                doc = json.loads(make_bad.jobs_doc() if kind == "jobs" else make_bad.sched_doc())
                doc[key] = value
                data = store_copy()
                r = admin(data, "import", write(os.path.join(d, f"{kind}-{key}.json"),
                                                json.dumps(doc, ensure_ascii=False)))
                self.assertEqual(r.rc, 0, str(r))

    def test_bom_is_accepted(self):
        d = tmpdir("bom")
        data = store_copy()
        r = admin(data, "import", write(os.path.join(d, "bom.json"),
                                        BOM + make_bad.jobs_doc().encode()))
        self.assertEqual(r.rc, 0, str(r))

    def test_same_generated_at_again(self):
        data = store_copy()
        before = snapshot(data)
        r = admin(data, "import", JOBS_SAMPLE, SCHED_SAMPLE)
        self.assertEqual(r.rc, 0, str(r))
        a, b = snapshot(data), before
        self.assertEqual(a[:2], b[:2])

    def test_newer_batch_replaces_all_jobs(self):
        d = tmpdir("newer")
        data = store_copy()
        r = admin(data, "import", write(os.path.join(d, "j.json"), make_bad.jobs_doc()))
        self.assertEqual(r.rc, 0, str(r))
        jobs = list_json(data, "jobs")
        self.assertEqual([j["id"] for j in jobs], ["B-1", "B-2", "B-3"])
        st = json.loads(admin(data, "status", "--json").out)
        self.assertEqual(st["jobs"]["count"], 3)
        self.assertEqual(st["jobs"]["batch_id"], "bad-jobs-01")

    def test_newer_schedule_replaces_the_day(self):
        d = tmpdir("newsched")
        data = store_copy()
        r = admin(data, "import", write(os.path.join(d, "s.json"), make_bad.sched_doc()))
        self.assertEqual(r.rc, 0, str(r))
        days = list_json(data, "schedule")
        self.assertEqual(len(days), 1)
        self.assertEqual(sorted(a["code"] for a in days[0]["appointments"]),
                         ["A2B3C4", "D5E6F7"])
        self.assertEqual(sorted(s["id"] for s in days[0]["sessions"]), ["cv-1124", "dansk-2"])

    def test_older_schedule_for_another_day_is_fine(self):
        d = tmpdir("otherday")
        data = store_copy()
        doc = make_bad.sched_doc(top={"date": "2026-11-25",
                                      "generated_at": "2026-11-20T05:00:00Z"})
        r = admin(data, "import", write(os.path.join(d, "s.json"), doc))
        self.assertEqual(r.rc, 0, str(r))
        self.assertEqual(sorted(x["date"] for x in list_json(data, "schedule")),
                         ["2026-11-24", "2026-11-25"])

    def test_accept_older_takes_an_older_batch_with_a_warning(self):
        d = tmpdir("acceptolder")
        data = store_copy()
        older = make_bad.jobs_doc(top={"generated_at": "2026-11-24T04:00:00Z",
                                       "batch_id": "jobs-older"})
        path = write(os.path.join(d, "older.json"), older)
        r = admin(data, "import", path)
        self.assertEqual(r.rc, 2, str(r))
        self.assertIn("--accept-older", r.err)
        r = admin(data, "import", "--accept-older", path)
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn("older", r.err)  # said out loud, not done quietly
        self.assertEqual(json.loads(admin(data, "status", "--json").out)["jobs"]["batch_id"],
                         "jobs-older")

    def test_a_way_back_from_a_batch_dated_in_the_future(self):
        """A batch from 9999 that got in (a kiosk whose clock was off) no longer
        locks out every later one: --accept-older replaces it."""
        d = tmpdir("future")
        data = store_copy()
        future = write(os.path.join(d, "f.json"),
                       make_bad.jobs_doc(top={"generated_at": "9999-12-31T00:00:00Z"}))
        r = admin(data, "import", future, env=dict(ENV, SKRANKE_NOW="9999-12-30T12:00:00Z"))
        self.assertEqual(r.rc, 0, str(r))
        r = admin(data, "import", JOBS_SAMPLE)
        self.assertEqual(r.rc, 2, str(r))
        r = admin(data, "import", "--accept-older", JOBS_SAMPLE)
        self.assertEqual(r.rc, 0, str(r))
        self.assertEqual(len(list_json(data, "jobs")), 12)

    def test_first_names_are_accepted(self):
        d = tmpdir("names")
        data = store_copy()
        hosts = ["Anne", "Søren", "Anne-Marie", "Anne Kirstine", "Олена", "فاطمة", "D'Angelo"]
        appts = [make_bad.appt(0, code=c, host=h)
                 for c, h in zip(("A2B3C4", "D5E6F7", "G8H9J2", "K3M4N5", "P6Q7R8", "S9T2U3",
                                  "V4W5X6"), hosts)]
        r = admin(data, "import", write(os.path.join(d, "s.json"), make_bad.sched_doc(appts)))
        self.assertEqual(r.rc, 0, str(r))
        got = sorted(a["host"] for a in list_json(data, "schedule")[0]["appointments"])
        self.assertEqual(got, sorted(hosts))

    def test_long_numbers_in_job_ads_that_cannot_be_cpr(self):
        """Job ads are public and may carry phone and reference numbers: only
        a lone 10-digit number starting with a day and month is refused
        there (a schedule refuses any 6+4 digits)."""
        d = tmpdir("numbers")
        data = store_copy()
        summary = "Ring 4512345678 eller 70 12 34 56. Ref. 1764547200, sag 2026-000123456789."
        r = admin(data, "import", write(os.path.join(d, "j.json"),
                                        make_bad.jobs_doc([make_bad.job(0, summary=summary)])))
        self.assertEqual(r.rc, 0, str(r))
        r = admin(data, "import", write(os.path.join(d, "s.json"), make_bad.sched_doc(
            [make_bad.appt(0, place="Ring 4512345678")])))
        self.assertEqual(r.rc, 2, str(r))
        self.assertIn("CPR", r.err)

    def test_codes_listed_upper_case(self):
        d = tmpdir("lower")
        data = store_copy()
        doc = make_bad.sched_doc(
            appts=[make_bad.appt(0, code="a2b3c4"), make_bad.appt(1, code="d5E6f7")],
            sessions=[make_bad.sess(0, participants=["q4tz7a", "m2K9pd"]), make_bad.sess(1)])
        r = admin(data, "import", write(os.path.join(d, "s.json"), doc))
        self.assertEqual(r.rc, 0, str(r))
        day = list_json(data, "schedule")[0]
        self.assertEqual(sorted(a["code"] for a in day["appointments"]), ["A2B3C4", "D5E6F7"])
        cv = [s for s in day["sessions"] if s["id"] == "cv-1124"][0]
        self.assertEqual(sorted(cv["participants"]), ["M2K9PD", "Q4TZ7A"])

    def test_schedule_texts_kept_whole(self):
        """Place, unit, host and session title of 60-100 characters in a script of 3 bytes a
        character (Tigrinya, written in Ge'ez) or with emoji: kept exactly, or refused with
        exit 2 — never cut into invalid UTF-8."""
        d = tmpdir("longtext")
        data = store_copy()
        place = ("ክፍሊ ምጽባይ ቁ. 3 → " * 8)[:100]
        unit = ("ምትእስሳርን ስራሕን " * 8)[:100]
        host = ("ሰ😀" * 30)[:60]
        title = ("ትምህርቲ ዴንማርኽ ቋንቋ 📚 " * 6)[:100]
        for text in (place, unit, host, title):
            self.assertGreater(len(text.encode()), 200)  # Ge'ez script: 3 bytes a character
        doc = make_bad.sched_doc(
            appts=[make_bad.appt(0, place=place, unit=unit, host=host), make_bad.appt(1)],
            sessions=[make_bad.sess(0, title=title), make_bad.sess(1)])
        r = admin(data, "import", write(os.path.join(d, "s.json"), doc))
        self.assertIn(r.rc, (0, 2), str(r))
        raw = admin(data, "list", "schedule", "--json").raw
        try:
            days = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as e:
            self.fail(f"list schedule --json is not valid UTF-8 after importing long texts: {e}")
        if r.rc == 0:
            day = days[0]
            a = [x for x in day["appointments"] if x["code"] == "A2B3C4"][0]
            s = [x for x in day["sessions"] if x["id"] == "cv-1124"][0]
            self.assertEqual((a["place"], a["unit"], a["host"], s["title"]),
                             (place, unit, host, title), "accepted, so kept whole")


class T3SeveralFiles(unittest.TestCase):
    def test_good_ones_land_bad_one_refused(self):
        d = tmpdir("several")
        data = store_copy()
        good_jobs = write(os.path.join(d, "jobs-new.json"), make_bad.jobs_doc())
        bad = os.path.join(BAD, "dup_code_case.json")
        good_sched = write(os.path.join(d, "sched-25.json"),
                           make_bad.sched_doc(top={"date": "2026-11-25"}))
        r = admin(data, "import", good_jobs, bad, good_sched)
        self.assertEqual(r.rc, 2, str(r))
        err = [ln for ln in r.err.splitlines() if ln.strip()]
        self.assertEqual(len(err), 1, str(r))
        self.assertIn(bad, err[0])
        self.assertIn("jobs-new.json", r.out)
        self.assertIn("sched-25.json", r.out)
        self.assertNotIn("dup_code_case", r.out)
        self.assertEqual([j["id"] for j in list_json(data, "jobs")], ["B-1", "B-2", "B-3"])
        days = {x["date"]: x for x in list_json(data, "schedule")}
        self.assertEqual(sorted(days), ["2026-11-24", "2026-11-25"])
        self.assertEqual(sorted(a["code"] for a in days["2026-11-24"]["appointments"]),
                         ["H3RT9P", "K7M2QX", "W8N4CE", "Y6JD2M"], "the refused day is as it was")

    def test_missing_file(self):
        data = store_copy()
        before = snapshot(data)
        missing = os.path.join(tmpdir("nofile"), "nope.json")
        r = admin(data, "import", missing)
        self.assertEqual(r.rc, 2, str(r))
        self.assertIn(missing, r.err)
        self.assertEqual(snapshot(data), before)


# ---------------------------------------------------------------------------------------

DEFAULTS = {
    "site": "demo-site", "kiosk": "kiosk-1", "units": "", "unit": "",
    "errands": "Ledighed,Sygedagpenge,Andet", "checkin_kinds": "appointment,session,walkin",
    "languages": "da,en,uk,ar", "idle_timeout_s": "45", "idle_prompt_s": "15",
    "checkin_early_min": "60", "checkin_late_min": "30", "trusted_keys": "", "kiosk_key": "",
    "usb_root": "/media",
}


def minisign_pubkey(seed):
    import base64
    raw = b"Ed" + hashlib.sha256(seed).digest()[:8] + hashlib.sha256(seed + b"k").digest()
    return base64.b64encode(raw).decode()


class T4Config(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data = os.path.join(tmpdir("config"), "data")
        r = admin(cls.data, "init")
        assert r.rc == 0, str(r)

    def get(self, key):
        r = admin(self.data, "config", "get", key)
        self.assertEqual(r.rc, 0, str(r))
        self.assertTrue(r.out.endswith("\n"), str(r))
        return r.out[:-1]

    def test_defaults(self):
        for key, value in DEFAULTS.items():
            with self.subTest(key=key):
                self.assertEqual(self.get(key), value)

    def test_set_then_get(self):
        data = os.path.join(tmpdir("config2"), "data")
        self.assertEqual(admin(data, "init").rc, 0)
        key1, key2 = minisign_pubkey(b"one"), minisign_pubkey(b"two")
        values = {
            "site": "sprogcenter-slagelse", "kiosk": "lobby-2",
            "units": "Sygedagpenge,Ledighed,Førtidspension", "unit": "Sygedagpenge",
            "errands": "Ledighed,Sygedagpenge,Førtidspension,Andet",
            "checkin_kinds": "appointment,walkin", "languages": "da,uk", "idle_timeout_s": "90",
            "idle_prompt_s": "20", "checkin_early_min": "45", "checkin_late_min": "10",
            "trusted_keys": f"{key1},{key2}", "usb_root": "/mnt/usb",
        }
        for key, value in values.items():
            with self.subTest(key=key):
                r = admin(data, "config", "set", key, value)
                self.assertEqual(r.rc, 0, str(r))
                r = admin(data, "config", "get", key)
                self.assertEqual((r.rc, r.out), (0, value + "\n"))
        st = json.loads(admin(data, "status", "--json").out)
        self.assertEqual((st["site"], st["kiosk"]), ("sprogcenter-slagelse", "lobby-2"))

    def test_bad_values_refused(self):
        data = os.path.join(tmpdir("config3"), "data")
        self.assertEqual(admin(data, "init").rc, 0)
        bad = [("idle_timeout_s", "abc"), ("idle_timeout_s", ""), ("idle_prompt_s", "-5"),
               ("languages", ""), ("checkin_kinds", "appointment,teleport"),
               ("trusted_keys", "this is not a key"), ("site", "jobcenter slagelse"),
               ("usb_root", "media"), ("checkin_late_min", "30 min")]
        for key, value in bad:
            with self.subTest(key=key, value=value):
                r = admin(data, "config", "set", key, value)
                self.assertEqual(r.rc, 2, str(r))
                self.assertIn(key, r.err)
                reason = r.err.split(key, 1)[1].strip(" :\n")
                self.assertGreater(len(reason), 5, "a reason follows the key")
                self.assertEqual(r.out, "")
                self.assertEqual(admin(data, "config", "get", key).out, DEFAULTS[key] + "\n",
                                 "a refused value changes nothing")

    def test_unknown_key(self):
        for args in (("get", "idle_timeout"), ("set", "idle_timeout", "45"), ("get", "")):
            with self.subTest(args=args):
                r = admin(self.data, "config", *args)
                self.assertEqual(r.rc, 2, str(r))
                self.assertIn("idle_timeout" if args[1] else "'", r.err)


SCHED2_SAMPLE = os.path.join(DATA, "schedule-sample-2.json")

# The kiosk's own translations of the default errands (FORMATS.md 5: `errands`), in every
# language a citizen may choose.
ERRAND_LABELS = {
    "en": "Unemployment,Sickness benefit,Other",
    "uk": "Безробіття,Лікарняні,Інше",
    "ar": "البطالة,إعانة المرض,أخرى",
    "fa": "بیکاری,کمک مالی بیماری,موارد دیگر",
    "pl": "Bezrobocie,Zasiłek chorobowy,Inne",
    "so": "Shaqo la'aan,Lacagta jirrada,Wax kale",
    "ti": "ስራሕ ኣልቦነት,ናይ ሕማም ደገፍ,ካልእ",
}


class T4Labels(unittest.TestCase):
    """Per-language labels of errands and units: `config get|set errands.LANG`."""

    def fresh(self, name):
        data = os.path.join(tmpdir(name), "data")
        self.assertEqual(admin(data, "init").rc, 0)
        return data

    def get(self, data, key):
        r = admin(data, "config", "get", key)
        self.assertEqual(r.rc, 0, str(r))
        return r.out[:-1]

    def test_default_errands_come_translated(self):
        data = self.fresh("labels")
        for lang, labels in ERRAND_LABELS.items():
            with self.subTest(lang=lang):
                self.assertEqual(self.get(data, "errands." + lang), labels)
        self.assertEqual(self.get(data, "units.uk"), "", "no units, no labels")

    def test_set_get_and_clear(self):
        data = self.fresh("labels2")
        r = admin(data, "config", "set", "errands.uk", "Без роботи, Хвороба ,Інше питання")
        self.assertEqual(r.rc, 0, str(r))
        self.assertEqual(self.get(data, "errands.uk"), "Без роботи, Хвороба ,Інше питання")
        self.assertEqual(self.get(data, "errands"), "Ledighed,Sygedagpenge,Andet",
                         "the Danish list is what is stored and exported")
        r = admin(data, "config", "set", "errands.uk", "")
        self.assertEqual(r.rc, 0, str(r))
        self.assertEqual(self.get(data, "errands.uk"), ERRAND_LABELS["uk"],
                         "cleared: the kiosk's own translations again")
        r = admin(data, "config", "set", "units", "Sygedagpenge,Jobafklaring")
        self.assertEqual(r.rc, 0, str(r))
        self.assertEqual(self.get(data, "units.ar"), "إعانة المرض,Jobafklaring",
                         "a unit without a translation shows in Danish")

    def test_labels_follow_the_list(self):
        """Staff adding or removing an errand (staff screen, or config set errands) keep the
        labels of the others in their places."""
        data = self.fresh("labels3")
        self.assertEqual(admin(data, "config", "set", "errands.ar", "عاطل,مريض,شيء آخر").rc, 0)
        r = admin(data, "config", "set", "errands", "Sygedagpenge,Jobafklaring,Andet")
        self.assertEqual(r.rc, 0, str(r))
        self.assertEqual(self.get(data, "errands.ar"), "مريض,Jobafklaring,شيء آخر")
        self.assertEqual(self.get(data, "errands.uk"), "Лікарняні,Jobafklaring,Інше")

    def test_refused_labels_change_nothing(self):
        data = self.fresh("labels4")
        admin(data, "config", "set", "units", "Sygedagpenge,Ungeenheden")
        bad = [
            ("errands.uk", "Безробіття,Лікарняні", "3 items"),           # too few
            ("errands.uk", "А,Б,В,Г", "4 labels"),                         # too many
            ("errands.uk", "А,,В", "2 labels"),                            # an empty item
            ("units.ar", "مرض", "2 items"),
            ("errands.ar", "البطالة,إعانة \u202eالمرض,أخرى", "bidi"),
            ("errands.ar", "البطالة,2411901234,أخرى", "CPR"),
            ("errands.uk", "Безробіття,Лікарняні\n,Інше", "control"),
            ("errands.uk", "Безробіття,Лікарняні,Інше,Інше", "twice"),
            ("errands.uk", "Безробіття,Лікарняні," + "ї" * 101, "100 characters"),
        ]
        for key, value, reason in bad:
            with self.subTest(key=key, value=value):
                before = self.get(data, key)
                r = admin(data, "config", "set", key, value)
                self.assertEqual(r.rc, 2, str(r))
                self.assertIn(key + ":", r.err)
                self.assertIn(reason, r.err)
                self.assertEqual(len(r.err.strip().splitlines()), 1, "one line")
                self.assertEqual(self.get(data, key), before, "a refused value changes nothing")
        for key in ("errands.de", "errands.da", "unit.uk"):
            with self.subTest(key=key):
                r = admin(data, "config", "set", key, "X")
                self.assertEqual(r.rc, 2, str(r))
                self.assertIn("unknown setting", r.err)


class T4Schedule2(unittest.TestCase):
    """`skranke.schedule/2`: texts per language, listed in Danish with the languages
    given; a refused one changes nothing."""

    def test_import_and_list(self):
        data = store_copy()
        r = admin(data, "import", SCHED2_SAMPLE)
        self.assertEqual(r.rc, 0, str(r))
        text = admin(data, "list", "schedule").out
        self.assertIn("CV-værksted (cv-1124), Lokale 3, 2 participants  [also en, uk, ar, fa, pl]",
                      text)
        self.assertIn("Venteområde A, host Mads\n", text, "no translations, nothing added")
        day = list_json(data, "schedule")[0]
        cv = [s for s in day["sessions"] if s["id"] == "cv-1124"][0]
        self.assertEqual(cv["title"], "CV-værksted")
        self.assertEqual(cv["translations"]["title"]["uk"], "Майстерня з резюме")
        self.assertEqual(cv["translations"]["place"], {"en": "Room 3", "uk": "Кімната 3"})
        k7 = [a for a in day["appointments"] if a["code"] == "K7M2QX"][0]
        self.assertEqual(k7["translations"]["unit"]["ar"], "إعانة المرض")
        mads = [a for a in day["appointments"] if a["code"] == "H3RT9P"][0]
        self.assertNotIn("translations", mads)

    def test_schedule_1_lists_as_before(self):
        data = store_copy()
        for day in list_json(data, "schedule"):
            for rec in day["appointments"] + day["sessions"]:
                self.assertNotIn("translations", rec)
        self.assertNotIn("[also", admin(data, "list", "schedule").out)

    def test_refused_changes_nothing(self):
        d = tmpdir("sched2bad")
        with open(SCHED2_SAMPLE, encoding="utf-8") as f:
            good = f.read().replace("05:10:00Z", "05:20:00Z")
        cases = [
            ('"ar": "ورشة', '"se": "x", "ar": "ورشة', "sessions[0].title", '"se" is not a language'),
            ('"uk": "Кімната 3"', '"uk": "Кімната \u2066 3"', "sessions[0].place.uk", "bidi"),
            ('"uk": "Кімната 3"', '"uk": "Кімната 241190-1234"', "sessions[0].place.uk", "CPR"),
            ('{"da": "Venteområde B", ', '{', "appointments[0].place", '"da") is missing'),
            ('"Kontanthjælp"', '["Kontanthjælp"]', "appointments[1].unit", "found a list"),
        ]
        for old, new, field, reason in cases:
            with self.subTest(field=field, reason=reason):
                self.assertIn(old, good)
                data = store_copy()
                before = snapshot(data)
                path = write(os.path.join(d, "s2.json"), good.replace(old, new, 1))
                r = admin(data, "import", path)
                self.assertEqual(r.rc, 2, str(r))
                self.assertRegex(r.err, re.escape(path) + r":\d+:\d+: " + re.escape(field) + ": ")
                self.assertIn(reason, r.err)
                self.assertEqual(snapshot(data), before)


class T4Init(unittest.TestCase):
    def test_refused_init_changes_nothing(self):
        """Exit 2 promises that nothing changed (FORMATS.md 5): a bad --kiosk must not leave
        a new --site behind."""
        data = os.path.join(tmpdir("init"), "data")
        self.assertEqual(admin(data, "init", "--site", SITE, "--kiosk", KIOSK).rc, 0)
        r = admin(data, "init", "--site", "sprogcenter", "--kiosk", "lobby 2")
        self.assertEqual(r.rc, 2, str(r))
        self.assertIn("--kiosk", r.err)
        self.assertEqual(admin(data, "config", "get", "site").out, SITE + "\n",
                         "init was refused, yet the site was changed")
        self.assertEqual(admin(data, "config", "get", "kiosk").out, KIOSK + "\n")

    def test_init_again_changes_ids(self):
        data = os.path.join(tmpdir("init2"), "data")
        self.assertEqual(admin(data, "init").rc, 0)
        r = admin(data, "init", "--site", "sprogcenter", "--kiosk", "lobby-2")
        self.assertEqual(r.rc, 0, str(r))
        st = json.loads(admin(data, "status", "--json").out)
        self.assertEqual((st["site"], st["kiosk"]), ("sprogcenter", "lobby-2"))


class T5Pin(unittest.TestCase):
    def test_pin_from_stdin(self):
        data = os.path.join(tmpdir("pin"), "data")
        self.assertEqual(admin(data, "init").rc, 0)
        for pin, want in ((b"1234\n", 0), (b"12a4\n", 2), (b"", 2), (b"\n", 2), (b"123\n", 2),
                          (b"73915\n", 0)):
            with self.subTest(pin=pin):
                r = admin(data, "set-pin", stdin=pin)
                self.assertEqual(r.rc, want, str(r))
                if pin.strip():
                    self.assertNotIn(pin.strip().decode(), r.out + r.err)

    def test_pin_not_stored_in_clear(self):
        data = os.path.join(tmpdir("pin2"), "data")
        self.assertEqual(admin(data, "init").rc, 0)
        r = admin(data, "set-pin", stdin=b"73915\n")
        self.assertEqual(r.rc, 0, str(r))
        for dirpath, _, files in os.walk(data):
            for f in files:
                with open(os.path.join(dirpath, f), "rb") as fh:
                    body = fh.read()
                with self.subTest(file=f):
                    self.assertNotIn(b"73915", body)
                    self.assertNotIn("73915".encode("utf-16-le"), body)


class T6Purge(unittest.TestCase):
    def test_nothing_to_purge(self):
        data = store_copy()
        before = snapshot(data)
        r = admin(data, "purge")
        self.assertEqual(r.rc, 0, str(r))
        self.assertRegex(r.out, r"\b0\b")
        later = dict(ENV, SKRANKE_NOW="2027-06-01T09:00:00Z")
        out = tmpdir("purgeout")
        self.assertEqual(admin(data, "export", out).rc, 0)
        r = admin(data, "purge", env=later)
        self.assertEqual(r.rc, 0, str(r))
        a = snapshot(data)
        self.assertEqual(a[:2], before[:2], "purge never touches jobs or the schedule")


class T7DataDir(unittest.TestCase):
    def test_data_from_environment_then_dot_data(self):
        data = store_copy()
        r = admin(None, "status", "--json", env=dict(ENV, SKRANKE_DATA=data))
        self.assertEqual(r.rc, 0, str(r))
        self.assertEqual(json.loads(r.out)["kiosk"], KIOSK)
        cwd = tmpdir("cwd")
        shutil.copytree(data, os.path.join(cwd, "data"))
        p = subprocess.run([ADMIN, "status", "--json"], cwd=cwd, env=ENV, capture_output=True,
                           timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["kiosk"], KIOSK)


class T7Usage(unittest.TestCase):
    def test_usage_errors_are_refusals(self):
        data = store_copy()
        for args in (("frobnicate",), ("list", "everything"), ("export",),
                     ("export", "/tmp", "--seq", "zero"), ("import",), ("init", "--site"),
                     ("status", "--yaml")):
            with self.subTest(args=args):
                r = admin(data, *args)
                self.assertEqual(r.rc, 2, str(r))
                self.assertNotEqual(r.err.strip(), "")


# ---------------------------------------------------------------------------------------

class Counting(unittest.TextTestResult):
    passed = failed = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        Counting.passed += 1

    def addFailure(self, test, err):
        super().addFailure(test, err)
        Counting.failed += 1

    def addError(self, test, err):
        super().addError(test, err)
        Counting.failed += 1

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is None:
            Counting.passed += 1
        else:
            Counting.failed += 1


def main():
    if not os.access(ADMIN, os.X_OK):
        print(f"{ADMIN}: not an executable\n0 passed, 1 failed")
        return 1
    class Runner(unittest.TextTestRunner):
        resultclass = Counting

    try:
        prog = unittest.main(module=__name__, exit=False, testRunner=Runner)
        ok = prog.result.wasSuccessful()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    sys.stderr.flush()
    sys.stdout.flush()
    print(f"{Counting.passed} passed, {Counting.failed} failed", flush=True)
    return 0 if ok and Counting.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
