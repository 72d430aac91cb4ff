#!/usr/bin/env python3
"""Job openings end to end: list, search on the keyboard with Danish
folding, filters, detail with a QR code that a phone can read (decoded with
zbarimg), the states with nothing to show, the age banner, and reference
screenshots in Danish and Arabic.

Run by ctest as: test_jobs.py BUILD_DIR SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import tempfile

from kiosktest import ENV, SOURCE, admin, check, compare_shots, finish, kiosk, new_store

SAMPLE = os.path.join(SOURCE, "tests", "data", "jobs-sample.json")


def with_jobs(batch=None):
    d, data = new_store()
    path = SAMPLE
    if batch is not None:
        path = os.path.join(d, "jobs.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(batch, f, ensure_ascii=False)
    r = admin(data, "import", path)
    assert r.returncode == 0, r.stderr
    return d, data


def job(i, title, **kw):
    j = {"id": str(i), "title": title, "employer": kw.pop("employer", "Firma %d" % i),
         "city": kw.pop("city", "Slagelse"), "category": kw.pop("category", "Andet"),
         "deadline": kw.pop("deadline", "2026-12-31")}
    j.update(kw)
    return j


def batch(jobs, generated="2026-11-24T05:30:00Z"):
    return {"format": "skranke.jobs/1", "batch_id": "b-" + generated, "generated_at": generated,
            "jobs": jobs}


# 1. The list: open jobs only, nearest deadline first; expired ones hidden.
d, data = with_jobs()
r = kiosk(data, "tap home.jobs\nexpect jobs.item.1\nexpect-text 11 job\n"
          "expect-text Pædagogmedhjælper\nexpect-text Opdateret 24.11.2026 06:30\n"
          "expect-gone jobs.stale\n")
check(r.returncode == 0, "list: %s" % r.stderr)

# 2. Search on the on-screen keyboard: results on every keystroke, folding.
r = kiosk(data, "tap home.jobs\ntap jobs.search\ntype chauffor\nexpect-text 1 job\n"
          "expect-text Chauffør til distributionskørsel\ntap jobs.key.del\ntap jobs.key.del\n"
          "tap jobs.key.del\ntap jobs.key.del\ntap jobs.key.del\nexpect-text cha\n"
          "tap jobs.clear\nexpect-text 11 job\n")
check(r.returncode == 0, "search: %s" % r.stderr)

# 3. Filters with counts, and one tap to clear them.
r = kiosk(data, "tap home.jobs\ntap jobs.filter.hours\nexpect jobs.filter.hours.2\n"
          "expect-text Deltid  (\ntap jobs.filter.hours.2\nexpect-text Tid: Deltid\n"
          "expect jobs.clear\ntap jobs.clear\nexpect-text Tid: Alle\nexpect-text 11 job\n")
check(r.returncode == 0, "filters: %s" % r.stderr)

# 4. Detail: everything in the ad, and a QR code that decodes to its URL.
d2 = tempfile.mkdtemp()
r = kiosk(data, "tap home.jobs\ntap jobs.search\ntype chauffor\ntap jobs.search.close\n"
          "tap jobs.item.1\nexpect jobs.detail\nexpect jobs.detail.qr\n"
          "expect-text Kørsel i Region Sjælland\nexpect-text Vestsjællands Transport ApS\n"
          "shot qr\ntap nav.back\nexpect jobs.item.1\n", shots=d2, window="1920x1080")
check(r.returncode == 0, "detail: %s" % r.stderr)
z = subprocess.run(["zbarimg", "-q", "--raw", os.path.join(d2, "qr.png")], capture_output=True,
                   text=True)
check(z.stdout.strip() == "https://example.org/job/S-1003",
      "the QR code decodes to the ad's URL: %r %s" % (z.stdout, z.stderr))
shutil.rmtree(d2)
shutil.rmtree(d)

# 5. No URL: no QR, and a line saying to ask at the desk. Ads in any
#    language and length, right-to-left included, shown as they are.
long_summary = "Lang tekst. " * 500
d, data = with_jobs(batch([
    job(1, "Rengøringsassistent", summary="Ingen link her."),
    job(2, "مساعد مطبخ", employer="مطعم الشرق", summary="نبحث عن مساعد مطبخ.\nدوام جزئي.",
        url="https://example.org/ar", deadline="2026-12-01"),
    job(3, "Opvasker med en meget lang titel " * 6, summary=long_summary,
        url="https://example.org/3", deadline="2026-12-02"),
]))
r = kiosk(data, "tap home.jobs\ntap jobs.item.3\nexpect jobs.detail.noqr\nexpect-gone jobs.detail.qr\n"
          "expect-text Spørg i skranken\ntap nav.back\ntap jobs.item.1\nexpect-text مطعم الشرق\n"
          "expect jobs.detail.qr\ntap nav.back\ntap jobs.item.2\nexpect-text Lang tekst\n"
          "drag 400 700 400 300 300\nwait 2000\nexpect jobs.detail\n")
check(r.returncode == 0, "detail without URL, Arabic ad, long summary: %s" % r.stderr)
shutil.rmtree(d)

# 6. Nothing to show: no batch ever, and no results.
d, data = new_store()
r = kiosk(data, "tap home.jobs\nexpect jobs.none\nexpect-text Der er ingen ledige job\n")
check(r.returncode == 0, "no batch ever: %s" % r.stderr)
shutil.rmtree(d)
d, data = with_jobs()
r = kiosk(data, "tap home.jobs\ntap jobs.search\ntype qqqqzz\nexpect jobs.empty\n"
          "tap jobs.clear\nexpect-gone jobs.empty\nexpect jobs.item.1\n")
check(r.returncode == 0, "no results and clearing: %s" % r.stderr)

# 7. Old data: a banner warns when the batch is older than jobs_stale_days.
r = kiosk(data, "tap home.jobs\nexpect jobs.stale\nexpect-text over 7 dage\n",
          env=dict(ENV, SKRANKE_NOW="2026-12-02T09:00:00Z"))
check(r.returncode == 0, "stale banner: %s" % r.stderr)
admin(data, "config", "set", "jobs_stale_days", "30")
r = kiosk(data, "tap home.jobs\nexpect-gone jobs.stale\n",
          env=dict(ENV, SKRANKE_NOW="2026-12-02T09:00:00Z"))
check(r.returncode == 0, "stale days are configurable: %s" % r.stderr)
# Deadlines pass while the kiosk runs on: a later day shows fewer jobs.
r = kiosk(data, "tap home.jobs\nexpect-text 6 job\n", env=dict(ENV, SKRANKE_NOW="2026-12-16T09:00:00Z"))
check(r.returncode == 0, "expired jobs drop out on a later day: %s" % r.stderr)

# 8. Scrolling a long list by finger, with a fling that keeps going.
d3, data3 = with_jobs(batch([job(i, "Job nummer %d" % i, deadline="2026-12-%02d" % (1 + i % 28))
                             for i in range(1, 400)]))
r = kiosk(data3, "tap home.jobs\nexpect jobs.item.1\ndrag 600 700 600 250 150\nwait 3000\n"
          "expect-gone jobs.item.1\n")
check(r.returncode == 0, "drag and fling: %s" % r.stderr)
shutil.rmtree(d3)

# 9. The screen's words follow the language; the ads stay as they are.
r = kiosk(data, "lang ar\ntap home.jobs\nexpect-text الوظائف المتاحة\nexpect-text Pædagogmedhjælper\n")
check(r.returncode == 0, "Arabic screen, Danish ads: %s" % r.stderr)

# 10. Reference screenshots: list, search, filter chooser, detail, empty.
for lang in ("da", "ar"):
    shots = os.path.join(d, "shots-" + lang)
    pre = "" if lang == "da" else "lang ar\n"
    s = (pre + "tap home.jobs\nshot jobs-list-L\ntap jobs.filter.category\nshot jobs-chooser-L\n"
         "tap jobs.filter.category.all\ntap jobs.search\ntype sosu\nshot jobs-search-L\n"
         "tap jobs.clear\ntap jobs.search.close\ntap jobs.item.2\nshot jobs-detail-L\ntap nav.back\n"
         "tap jobs.search\ntype qqqq\nshot jobs-empty-L\n").replace("-L\n", "-%s\n" % lang)
    r = kiosk(data, s, shots=shots)
    check(r.returncode == 0, "%s screenshots: %s" % (lang, r.stderr))
    compare_shots(shots)
shutil.rmtree(d)

finish()
