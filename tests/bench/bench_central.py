#!/usr/bin/env python3
"""Ingest and report at scale for skranke-central, on SQLite and PostgreSQL.

Usage: bench_central.py SKRANKE_CENTRAL RESPONSES KIOSKS WORKDIR
Writes KIOSKS export batches (ten sites, five units each, four languages,
one year; a tenth as many check-ins as responses) with the test's own batch
writer, then for each engine: init, ingest of every batch in one command
and a report over the year, each under /usr/bin/time. Prints one
tab-separated line per measure: name, value, unit.
"""
import os
import random
import subprocess
import sys
from datetime import date, timedelta

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import test_central as tc  # noqa: E402

central, total, kiosks, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(7)
root = os.path.join(work, "batches")
os.makedirs(root, exist_ok=True)
dirs = []
n = 0
start = date(2026, 1, 1)
for k in range(kiosks):
    site = "site-%02d" % (k % 10)
    kiosk = "kiosk-%02d" % k
    per = total // kiosks + (k < total % kiosks)
    recs = []
    for i in range(per):
        n += 1
        d = (start + timedelta(days=rng.randrange(365))).isoformat()
        rec = {"response_id": "r%08d" % n, "date": d, "site": site,
               "unit": "Enhed %d" % rng.randrange(5),
               "language": rng.choice(["da", "da", "da", "en", "uk", "ar"])}
        for s in tc.STATEMENTS:
            rec[s] = None if rng.random() < 0.08 else rng.randint(1, 5)
        recs.append(("r", rec))
        if i % 10 == 0:
            kind = rng.choice(["walkin", "session"])
            recs.append(("c", {"checkin_id": "c%08d" % n, "date": d,
                               "time": "%02d:%02d" % (rng.randint(8, 15), rng.randrange(60)),
                               "site": site, "kind": kind, "code": "",
                               "unit": "Ledighed" if kind == "walkin" else "",
                               "session_id": "hold-%d" % rng.randrange(20) if kind == "session" else "",
                               "ticket": "", "result": "ok"}))
    dirs.append(tc.write_batch(root, site, kiosk, 1, recs))


def timed(name, *args):
    out = os.path.join(work, "time.txt")
    r = subprocess.run(["/usr/bin/time", "-o", out, "-f", "%e %M", central] + list(args),
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("bench_central: %s failed: %s" % (name, r.stderr))
    with open(out) as f:
        sec, kb = f.read().split()[-2:]
    return float(sec), int(kb) / 1024


def bench(engine, url):
    subprocess.run([central, "--db", url, "init"], check=True, capture_output=True)
    sec, mb = timed("ingest", "--db", url, "ingest", *dirs)
    print("%s: ingest %d responses (%d kiosks)\t%.0f\trecords/s" % (engine, n, kiosks, n / sec))
    print("%s: ingest, wall time\t%.1f\ts" % (engine, sec))
    print("%s: ingest, peak RSS\t%.0f\tMB" % (engine, mb))
    sec, mb = timed("report", "--db", url, "report", "--from", "2026-01-01", "--to",
                    "2026-12-31", "--out", os.path.join(work, "report-" + engine))
    print("%s: report over %d responses\t%.2f\ts" % (engine, n, sec))
    print("%s: report, peak RSS\t%.0f\tMB" % (engine, mb))
    sys.stdout.flush()


bench("sqlite", "sqlite:" + os.path.join(work, "central.db"))
pg = tc.Postgres(work)
try:
    pg.start()
    bench("postgresql", pg.url)
finally:
    pg.stop()
