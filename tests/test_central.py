#!/usr/bin/env python3
"""skranke-central against both engines, with real export batches.

Run by ctest as: test_central.py SKRANKE_CENTRAL [KEEP_DIR]
Generates a data set (three sites, four kiosks, five quarters, units and
languages some of which have fewer than five answers) and writes it as export
batches exactly as FORMATS section 4 describes (CSV with BOM, ';' and CRLF,
JSONL, manifest with SHA-256), one of them signed with the real `minisign`.
Then, on SQLite and on a PostgreSQL 15 server this test starts itself (as an
unprivileged user, on a unix socket in a temporary folder):
- the same batch twice, a copy of a batch and a re-export overlapping an
  earlier one add nothing twice, and ingest says what it added;
- a batch with one flipped byte, an unsigned batch once keys are registered
  and a batch signed with an unknown key are refused (exit 2, the message
  names the folder and file) and change nothing;
- figures.csv equals what this script computes independently from the
  records, small numbers suppressed as report.h describes, and is
  byte-identical between the engines;
- report.pdf, read back with pdftotext, has the Danish headings and the
  numbers; page 1 becomes a PNG (in KEEP_DIR when given, to look at);
- report.html is one self-contained file.
"""
import csv
import hashlib
import io
import json
import os
import pwd
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import date, timedelta

CENTRAL = KEEP = None  # set by main(); tests/bench/bench_central.py imports the rest
PG_BIN = "/usr/lib/postgresql/15/bin"
STATEMENTS = ["empowerment", "ressourcefokus", "progression", "vaerdighed"]
FROM, TO = "2025-07-01", "2026-09-30"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


# ---- the data set ----

rng = random.Random(1717)
SITES = {
    "jobcenter-slagelse": {"kiosks": ["lobby-1", "lobby-2"],
                           "units": {"Ydelse": 40, "Virksomhedsservice": 25, "Unge": 12,
                                     "Sygedagpenge; \"akut\"": 1}},
    "sprogcenter-slagelse": {"kiosks": ["hal-1"], "units": {"Dansk 1": 20, "Dansk 2": 14}},
    "jobcenter-korsoer": {"kiosks": ["lobby-1"], "units": {"": 1}},
}
LANGS = [("da", 70), ("en", 14), ("uk", 12), ("ar", 1.2)]
# An errand that a spreadsheet would take for a formula: the kiosk writes it
# with a leading apostrophe in its CSV, and the receiver must drop it.
ERRANDS = ["Ledighed", "=Sygedagpenge+1", "Andet; \"hurtigt\""]


def pick(weighted):
    names = [n for n, _ in weighted]
    return rng.choices(names, weights=[w for _, w in weighted])[0]


def day_iter():
    d = date.fromisoformat(FROM)
    while d <= date.fromisoformat(TO):
        yield d
        d += timedelta(days=1)


def make_records():
    """Records per kiosk, in date order: {(site, kiosk): [("r"|"c", rec)]}."""
    out = defaultdict(list)
    n = 0
    for d in day_iter():
        if d.weekday() >= 5:
            continue
        for site, spec in SITES.items():
            per_day = 0.9 if site == "jobcenter-korsoer" else 3.5
            count = int(per_day) + (rng.random() < per_day - int(per_day))
            if site == "jobcenter-korsoer" and rng.random() < 0.93:
                count = 0
            for _ in range(count):
                n += 1
                kiosk = rng.choice(spec["kiosks"])
                unit = pick(list(spec["units"].items()))
                answers = {}
                for s in STATEMENTS:
                    answers[s] = None if rng.random() < 0.08 else rng.choices(
                        [1, 2, 3, 4, 5], weights=[1, 2, 4, 8, 7])[0]
                rec = {"response_id": "r-%06d" % n, "date": d.isoformat(), "site": site,
                       "unit": unit, "language": pick(LANGS), **answers}
                out[(site, kiosk)].append(("r", rec))
            # Sessions on Tuesdays, walk-ins every day.
            if d.weekday() == 1 and site != "jobcenter-korsoer":
                sid = "cv-%s-%s" % (site.split("-")[0], d.strftime("%m%d"))
                for _ in range(rng.choice([2, 6, 9])):
                    n += 1
                    kiosk = rng.choice(spec["kiosks"])
                    out[(site, kiosk)].append(("c", {
                        "checkin_id": "c-%06d" % n, "date": d.isoformat(), "time": "09:5%d" % rng.randint(0, 9),
                        "site": site, "kind": "session", "code": "", "unit": "Værksted",
                        "session_id": sid, "ticket": "", "result": "ok"}))
            for _ in range(rng.randint(0, 3)):
                n += 1
                kiosk = rng.choice(spec["kiosks"])
                hour = rng.choice([8, 9, 9, 10, 10, 11, 12, 13, 14])
                errand = rng.choice(ERRANDS)
                out[(site, kiosk)].append(("c", {
                    "checkin_id": "c-%06d" % n, "date": d.isoformat(), "time": "%02d:%02d" % (hour, rng.randint(0, 59)),
                    "site": site, "kind": "walkin", "code": "", "unit": errand,
                    "session_id": "", "ticket": "A%03d" % rng.randint(1, 99), "result": "ok"}))
            if rng.random() < 0.3:
                n += 1
                kiosk = rng.choice(spec["kiosks"])
                out[(site, kiosk)].append(("c", {
                    "checkin_id": "c-%06d" % n, "date": d.isoformat(), "time": "10:15",
                    "site": site, "kind": "appointment", "code": "K7Q2", "unit": "Ydelse",
                    "session_id": "", "ticket": "", "result": "late" if rng.random() < 0.2 else "ok"}))
    return out


# ---- export batches, as FORMATS section 4 ----

R_HEAD = "response_id;date;site;unit;language;empowerment;ressourcefokus;progression;vaerdighed"
C_HEAD = "checkin_id;date;time;site;kind;code;unit;session_id;ticket;result"


def csv_cell(s):
    s = "" if s is None else str(s)
    guard = s[:1] in ("=", "+", "-", "@", "\t", "\r", "'")
    if guard or any(ch in s for ch in ";\"\r\n"):
        return '"' + ("'" if guard else "") + s.replace('"', '""') + '"'
    return s


def csv_text(head, rows):
    lines = [head] + [";".join(csv_cell(v) for v in r) for r in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def write_batch(root, site, kiosk, seq, records, dirname=None):
    name = dirname or "skranke-%s-%s-%06d" % (site, kiosk, seq)
    path = os.path.join(root, name)
    os.makedirs(path)
    responses = [r for k, r in records if k == "r"]
    checkins = [c for k, c in records if k == "c"]
    files = {
        "responses.csv": csv_text(R_HEAD, [[r["response_id"], r["date"], r["site"], r["unit"],
                                            r["language"]] + [r[s] for s in STATEMENTS]
                                           for r in responses]),
        "responses.jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n"
                                   for r in responses).encode("utf-8"),
        "checkins.csv": csv_text(C_HEAD, [[c[k] for k in C_HEAD.split(";")] for c in checkins]),
    }
    listed = []
    for fname, data in files.items():
        with open(os.path.join(path, fname), "wb") as f:
            f.write(data)
        listed.append({"name": fname, "bytes": len(data),
                       "sha256": hashlib.sha256(data).hexdigest()})
    manifest = {"format": "skranke.export/1", "site": site, "kiosk": kiosk, "seq": seq,
                "created_at": "2026-10-01T08:00:00Z",
                "counts": {"responses": len(responses), "checkins": len(checkins)},
                "files": listed}
    with open(os.path.join(path, "manifest.json"), "w") as f:
        f.write(json.dumps(manifest, separators=(",", ":")) + "\n")
    return path


def run(*args, **kw):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)


# ---- what the report must say, computed here ----

def tenths(part, whole):
    return (2000 * part + whole) // (2 * whole)


def fmt_t(t):
    return "%d.%d" % (t // 10, t % 10)


def quarter(d):
    return "%sQ%d" % (d[:4], (int(d[5:7]) - 1) // 3 + 1)


def expected_figures(responses, checkins, site_filter=None):
    groups = defaultdict(lambda: [Counter() for _ in STATEMENTS])
    for r in responses:
        if not (FROM <= r["date"] <= TO) or (site_filter and r["site"] != site_filter):
            continue
        q = quarter(r["date"])
        keys = [("dignity", q, "*", "*"), ("dignity", q, r["site"], r["unit"]),
                ("language", q, "*", "*"), ("language", q, "*", r["language"])]
        if not site_filter:
            keys.append(("dignity", q, r["site"], "*"))
        for key in keys:
            for i, s in enumerate(STATEMENTS):
                groups[key][i][r[s] or 0] += 1
    n = {k: sum(v[0].values()) for k, v in groups.items()}
    hidden = {k: n[k] < 5 for k in groups}

    def parent(k):
        sec, q, site, name = k
        if name == "*":
            return None if site == "*" else (sec, q, "*", "*")
        return (sec, q, site, "*") if (sec, q, site, "*") in groups else (sec, q, "*", "*")

    def order(k):  # "*" first, then by UTF-8 bytes as C's strcmp
        return tuple((0, b"") if x == "*" else (1, x.encode()) for x in k[1:])

    for p in sorted(groups, key=lambda k: (k[0], order(k))):
        if hidden[p]:
            continue
        kids = sorted((k for k in groups if k != p and parent(k) == p), key=order)
        if sum(hidden[k] for k in kids) == 1:
            shown = [k for k in kids if not hidden[k]]
            if shown:
                hidden[min(shown, key=lambda k: n[k])] = True  # min keeps the first of ties
    out = {}
    for k, stats in groups.items():
        for i, s in enumerate(STATEMENTS):
            c = stats[i]
            vals = dict.fromkeys(["n", "agree_pct", "mean", "pct_1", "pct_2", "pct_3", "pct_4",
                                  "pct_5", "pct_dk"], "x")
            if not hidden[k]:
                hide = {b: 0 < c[b] < 5 for b in range(6)}
                if sum(hide.values()) == 1:
                    cand = [b for b in [1, 2, 3, 4, 5, 0] if not hide[b]]
                    hide[min(cand, key=lambda b: c[b])] = True
                kk = sum(c[b] for b in range(1, 6))
                agree = c[4] + c[5]
                vals["n"] = str(n[k])
                if not (kk < 5 or 0 < agree < 5 or hide[4] != hide[5] or hide[0]):
                    vals["agree_pct"] = fmt_t(tenths(agree, kk))
                if not (kk < 5 or any(hide[b] for b in range(1, 6))):
                    h = (200 * sum(b * c[b] for b in range(1, 6)) + kk) // (2 * kk)
                    vals["mean"] = "%d.%02d" % (h // 100, h % 100)
                for b in range(6):
                    if not hide[b]:
                        vals["pct_dk" if b == 0 else "pct_%d" % b] = fmt_t(tenths(c[b], n[k]))
            for m, v in vals.items():
                out[(k[0], k[1], k[2], k[3], s, m)] = v
    sessions, walkins = Counter(), Counter()
    for c in checkins:
        if not (FROM <= c["date"] <= TO) or (site_filter and c["site"] != site_filter):
            continue
        if c["kind"] == "session":
            sessions[(c["date"], c["site"], c["session_id"])] += 1
        elif c["kind"] == "walkin":
            wd = date.fromisoformat(c["date"]).isoweekday()
            walkins[(c["unit"], "%d-%s" % (wd, c["time"][:2]))] += 1
    for (d, site, sid), v in sessions.items():
        out[("attendance", d, site, sid, "", "checkins")] = "x" if v < 5 else str(v)
    for (errand, item), v in walkins.items():
        out[("walkins", FROM + "/" + TO, site_filter or "*", errand, item, "walkins")] = \
            "x" if v < 5 else str(v)
    return out


def read_figures(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    check(rows[0] == ["section", "period", "site", "group", "item", "measure", "value"],
          "figures.csv has its header")
    # A formula-like name is written with one leading apostrophe.
    check(any(r[3] == "'=Sygedagpenge+1" for r in rows[1:]),
          "figures.csv: the errand =Sygedagpenge+1 is written '=Sygedagpenge+1")
    unguard = lambda c: c[1:] if c.startswith("'") else c
    return {tuple(unguard(c) for c in r[:6]): r[6] for r in rows[1:]}


# ---- PostgreSQL, started here ----

class Postgres:
    def __init__(self, root):
        self.dir = tempfile.mkdtemp(prefix="skranke-pg-")
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres"
            try:
                pwd.getpwnam(self.user)
            except KeyError:
                self.user = "skranke-pgtest"
                run("useradd", "--system", "--no-create-home", self.user)
            pw = pwd.getpwnam(self.user)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.data = os.path.join(self.dir, "data")
        self.sock = self.dir
        self.url = "postgresql://central@/central?host=" + self.sock
        self.started = False

    def cmd(self, *args):
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        r = run(*(prefix + list(args)))
        if r.returncode != 0:
            raise RuntimeError("%s: %s %s" % (args[0], r.stdout, r.stderr))
        return r

    def start(self):
        self.cmd(PG_BIN + "/initdb", "-D", self.data, "-A", "trust", "-U", "central",
                 "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self.cmd(PG_BIN + "/pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "log"), "-w",
                 "-o", "-k %s -c listen_addresses='' -c fsync=off" % self.sock, "start")
        self.started = True
        self.cmd(PG_BIN + "/createdb", "-h", self.sock, "-U", "central", "central")

    def count(self, table):
        r = self.cmd("psql", "-h", self.sock, "-U", "central", "-d", "central", "-tAc",
                     "SELECT count(*) FROM " + table)
        return int(r.stdout.strip())

    def stop(self):
        if self.started:
            self.cmd(PG_BIN + "/pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)


# ---- the scenario, once per engine ----

def scenario(engine, url, count, batches, work, all_responses, all_checkins):
    out = os.path.join(work, "out-" + engine)

    def central(*args):
        return run(CENTRAL, "--db", url, *args)

    r = central("ingest", batches["first"][0])
    check(r.returncode == 1 and "run init first" in r.stderr,
          "%s: ingest before init fails and says to run init: %s" % (engine, r.stderr.strip()))
    r = central("init")
    check(r.returncode == 0, "%s: init: %s" % (engine, r.stderr.strip()))
    check(central("init").returncode == 0, "%s: init again is harmless" % engine)

    r = central("ingest", *batches["first"])
    check(r.returncode == 0, "%s: the first batches load: %s" % (engine, r.stderr.strip()))
    added = r.stdout
    lines = r.stdout.strip().splitlines()
    check(len(lines) == len(batches["first"]) and all("already known" in l for l in lines),
          "%s: ingest says per batch what it added: %s" % (engine, lines[0] if lines else ""))
    n_resp, n_chk = count("responses"), count("checkins")

    r = central("ingest", batches["first"][1], batches["copy"])
    check(r.returncode == 0 and r.stdout.count(": 0 responses, 0 check-ins added") == 2,
          "%s: the same batch again and a copy of one add nothing: %s" % (engine, r.stdout.strip()))
    check("ingested before" in r.stdout, "%s: a batch seen before is named so" % engine)

    r = central("ingest", batches["overlap"])
    want = batches["overlap_new"]
    check(r.returncode == 0 and ": %d responses, %d check-ins added (%d already known)" % want
          in r.stdout, "%s: an overlapping re-export adds only the new records: %s"
          % (engine, r.stdout.strip()))

    before = (count("responses"), count("checkins"), count("batches"))
    r = central("ingest", batches["good_late"], batches["tampered"])
    check(r.returncode == 2, "%s: a tampered batch is refused with exit 2" % engine)
    check(batches["tampered"] in r.stderr and "responses.jsonl" in r.stderr and
          "SHA-256" in r.stderr, "%s: the refusal names the folder, the file and why: %s"
          % (engine, r.stderr.strip()))
    check((count("responses"), count("checkins"), count("batches")) == before,
          "%s: nothing was added, not even the good batch given with it" % engine)
    r = central("ingest", batches["good_late"])
    check(r.returncode == 0, "%s: the good batch alone loads: %s" % (engine, r.stderr.strip()))
    before = (count("responses"), count("checkins"), count("batches"))

    r = central("keys", "add", batches["pub"])
    check(r.returncode == 0 and "added" in r.stdout, "%s: keys add: %s" % (engine, r.stdout.strip()))
    r = central("keys", "add", batches["pub"])
    check(r.returncode == 0 and "already" in r.stdout, "%s: the same key twice is harmless" % engine)
    r = central("keys", "add", batches["tampered"] + "/manifest.json")
    check(r.returncode == 2, "%s: a file that is no public key is refused" % engine)
    r = central("ingest", batches["good_late"])
    check(r.returncode == 2 and "manifest.json.minisig: missing" in r.stderr,
          "%s: with keys registered an unsigned batch is refused: %s" % (engine, r.stderr.strip()))
    r = central("ingest", batches["wrong_key"])
    check(r.returncode == 2 and "signature" in r.stderr,
          "%s: a batch signed with an unregistered key is refused: %s" % (engine, r.stderr.strip()))
    check((count("responses"), count("checkins"), count("batches")) == before,
          "%s: refused batches changed nothing" % engine)
    r = central("ingest", batches["signed"])
    check(r.returncode == 0, "%s: the batch signed with minisign loads: %s" % (engine, r.stderr.strip()))

    check(count("responses") == len(all_responses) and count("checkins") == len(all_checkins),
          "%s: the database holds every distinct record once (%d responses, %d check-ins)"
          % (engine, len(all_responses), len(all_checkins)))

    r = central("report", "--from", FROM, "--to", TO, "--out", out)
    check(r.returncode == 0, "%s: report: %s" % (engine, r.stderr.strip()))
    r2 = central("report", "--from", FROM, "--to", TO, "--site", "jobcenter-slagelse",
                 "--out", out + "-site")
    check(r2.returncode == 0, "%s: report --site: %s" % (engine, r2.stderr.strip()))
    r3 = central("report", "--from", TO, "--to", FROM, "--out", out + "-bad")
    check(r3.returncode == 2, "%s: a period that ends before it starts is refused" % engine)
    return out, added, n_resp, n_chk


def main():
    global CENTRAL, KEEP
    CENTRAL = os.path.abspath(sys.argv[1])
    KEEP = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None
    work = tempfile.mkdtemp(prefix="skranke-central-")
    pg = None
    try:
        records = make_records()
        root = os.path.join(work, "stick")
        os.makedirs(root)
        b = {"first": []}
        held_back = {}
        for (site, kiosk), recs in sorted(records.items()):
            k = len(recs)
            parts = [recs[: k // 3], recs[k // 3: 2 * k // 3], recs[2 * k // 3:]]
            if (site, kiosk) == ("jobcenter-slagelse", "lobby-1"):
                # seq 3 is held back: it comes later as an overlapping re-export
                b["first"] += [write_batch(root, site, kiosk, 1, parts[0]),
                               write_batch(root, site, kiosk, 2, parts[1])]
                half = len(parts[2]) // 2
                b["first"].append(write_batch(root, site, kiosk, 3, parts[2][:half]))
                b["overlap"] = write_batch(root, site, kiosk, 4, parts[2][half - 25:])
                new = parts[2][half:]
                old = parts[2][half - 25: half]
                b["overlap_new"] = (sum(k == "r" for k, _ in new), sum(k == "c" for k, _ in new),
                                    len(old))
            elif (site, kiosk) == ("jobcenter-korsoer", "lobby-1"):
                b["first"].append(write_batch(root, site, kiosk, 1, parts[0] + parts[1]))
                held_back["good_late"] = (site, kiosk, 2, parts[2][: len(parts[2]) // 2])
                held_back["signed"] = (site, kiosk, 3, parts[2][len(parts[2]) // 2:])
            else:
                b["first"] += [write_batch(root, site, kiosk, s + 1, p) for s, p in enumerate(parts)]
        b["copy"] = os.path.join(work, "copy-of-a-batch")
        shutil.copytree(b["first"][0], b["copy"])
        site, kiosk, seq, recs = held_back["good_late"]
        b["good_late"] = write_batch(root, site, kiosk, seq, recs)
        tampered = write_batch(os.path.join(work, "tampered"), "jobcenter-korsoer", "lobby-1", 9,
                               recs[:3] + [("r", dict(next(r for k, r in recs if k == "r"),
                                                     response_id="r-new-1"))])
        b["tampered"] = tampered
        with open(os.path.join(tampered, "responses.jsonl"), "r+b") as f:
            data = bytearray(f.read())
            data[len(data) // 2] ^= 0x01
            f.seek(0)
            f.write(data)
        # The late batch of Korsør is signed with the kiosk's key; another
        # copy is signed with a key nobody registered.
        site, kiosk, seq, recs = held_back["signed"]
        b["signed"] = write_batch(root, site, kiosk, seq, recs)
        for name in ("kiosk", "stranger"):
            r = run("minisign", "-G", "-W", "-p", os.path.join(work, name + ".pub"),
                    "-s", os.path.join(work, name + ".key"))
            assert r.returncode == 0, r.stderr
        b["pub"] = os.path.join(work, "kiosk.pub")
        r = run("minisign", "-S", "-s", os.path.join(work, "kiosk.key"),
                "-m", os.path.join(b["signed"], "manifest.json"))
        assert r.returncode == 0, r.stderr
        b["wrong_key"] = write_batch(os.path.join(work, "wrong"), site, kiosk, seq, recs)
        r = run("minisign", "-S", "-s", os.path.join(work, "stranger.key"),
                "-m", os.path.join(b["wrong_key"], "manifest.json"))
        assert r.returncode == 0, r.stderr

        all_responses = {r["response_id"]: r for recs in records.values() for k, r in recs if k == "r"}
        all_checkins = {c["checkin_id"]: c for recs in records.values() for k, c in recs if k == "c"}
        responses, checkins = list(all_responses.values()), list(all_checkins.values())

        db_path = os.path.join(work, "central.db")
        import sqlite3

        def sq_count(table):
            with sqlite3.connect(db_path) as db:
                try:
                    return db.execute("SELECT count(*) FROM " + table).fetchone()[0]
                except sqlite3.OperationalError:
                    return 0

        out_sq, added_sq, *_ = scenario("sqlite", "sqlite:" + db_path, sq_count, b, work,
                                        responses, checkins)
        pg = Postgres(work)
        pg.start()
        out_pg, added_pg, *_ = scenario("postgresql", pg.url, pg.count, b, work, responses,
                                        checkins)

        check(added_sq == added_pg, "both engines report the same additions")
        for name in ("figures.csv",):
            for suffix in ("", "-site"):
                with open(os.path.join(out_sq + suffix, name), "rb") as f1, \
                        open(os.path.join(out_pg + suffix, name), "rb") as f2:
                    same = f1.read() == f2.read()
                check(same, "figures.csv%s is byte-identical from SQLite and PostgreSQL" % suffix)

        got = read_figures(os.path.join(out_sq, "figures.csv"))
        want = expected_figures(responses, checkins)
        diff = [(k, got.get(k), want.get(k)) for k in sorted(set(got) | set(want))
                if got.get(k) != want.get(k)]
        check(not diff, "figures.csv matches the numbers computed here (%d figures)%s"
              % (len(want), "" if not diff else "; first differences: %s" % diff[:5]))
        got_site = read_figures(os.path.join(out_sq + "-site", "figures.csv"))
        want_site = expected_figures(responses, checkins, "jobcenter-slagelse")
        check(got_site == want_site, "report --site shows that site only, with its own suppression")

        hidden_groups = [k for k, v in want.items() if k[5] == "n" and v == "x"]
        shown_small = [k for k, v in got.items() if k[5] == "n" and v != "x" and int(v) < 5]
        check(hidden_groups and not shown_small,
              "small groups are suppressed (%d) and no shown n is under 5" % len(hidden_groups))
        compl = [k for k in hidden_groups
                 if sum(1 for r in responses if quarter(r["date"]) == k[1] and
                        (k[2] == "*" or r["site"] == k[2]) and
                        (k[3] == "*" or r[{"dignity": "unit", "language": "language"}[k[0]]] == k[3])) >= 5]
        check(compl, "some groups of 5 or more are suppressed as complements: %s" % compl[:2])

        pdf = os.path.join(out_sq, "report.pdf")
        r = run("pdftotext", "-layout", pdf, "-")
        text = r.stdout
        for heading in ("Værdighed i samtalen", "Udviklingen de seneste fire kvartaler",
                        "Resultater pr. kvartal, sted og enhed", "Resultater efter svarsprog",
                        "Fremmøde pr. holdforløb", "Henvendelser uden tid", "Ressourcefokus",
                        "Værdighed", "Enig/helt enig", "Ved ikke", "3. kvartal 2026", "ukrainsk"):
            check(heading in text, "the PDF says \"%s\"" % heading)
        total = want[("dignity", "2026Q3", "*", "*", "vaerdighed", "n")]
        agree = want[("dignity", "2026Q3", "*", "*", "vaerdighed", "agree_pct")].replace(".", ",")
        check(total in text and agree + " %" in text,
              "the PDF shows the last quarter's n (%s) and agree share (%s %%)" % (total, agree))
        png = os.path.join(KEEP or work, "central-report-page1")
        if KEEP:
            os.makedirs(KEEP, exist_ok=True)
        r = run("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, png)
        check(r.returncode == 0 and os.path.getsize(png + ".png") > 20000,
              "page 1 of the PDF renders to %s.png" % png)
        r = run("pdfinfo", pdf)
        check("Pages:" in r.stdout, "pdfinfo reads the PDF: %s" %
              [l for l in r.stdout.splitlines() if l.startswith("Pages")])

        with open(os.path.join(out_sq, "report.html"), encoding="utf-8") as f:
            html = f.read()
        check(html.count("data:image/png;base64,") == 4 + 3 and 'src="http' not in html
              and "<link" not in html and "<script" not in html,
              "report.html is self-contained, with its 7 charts inline")
        check("Sygedagpenge; &quot;akut&quot;" in html and "Andet; &quot;hurtigt&quot;" in html,
              "names with ';' and quotes came through the JSON and the CSV reader")
        if KEEP:
            for f in ("report.pdf", "report.html", "figures.csv"):
                shutil.copy(os.path.join(out_sq, f), os.path.join(KEEP, f))
    finally:
        if pg:
            pg.stop()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)
    print("all checks passed")


if __name__ == "__main__":
    main()
