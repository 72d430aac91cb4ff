#!/usr/bin/env python3
"""Job openings end to end: list, search on the keyboard with Danish
folding, filters, detail with a QR code that a phone can read (decoded with
zbarimg), the states with nothing to show, the age banner, keyboards in the
screen's script (Cyrillic, Arabic) with Danish a tap away and keys no
smaller than the Danish ones, words found in summaries, the filter pop-up
closing without a choice, and reference screenshots in Danish and Arabic.

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

# 4b. A Jobnet search (two pages) imported as it is shows like any job:
#     title, employer, city, deadline, the presentation as plain text, and a
#     QR code of the ad's share link.
d, data = new_store()
r = admin(data, "import", *[os.path.join(SOURCE, "tests", "data", "jobnet-page%d.json" % i)
                            for i in (1, 2)])
check(r.returncode == 0, "Jobnet import: %s" % r.stderr)
d2 = tempfile.mkdtemp()
r = kiosk(data, "tap home.jobs\ntap jobs.search\ntype solsikken\nexpect-text 1 job\n"
          "tap jobs.search.close\ntap jobs.item.1\nexpect jobs.detail\nexpect jobs.detail.qr\n"
          "expect-text Social- og sundhedsassistent til plejecenter\n"
          "expect-text Slagelse Kommune, Ældreplejen\nexpect-text Slagelse\n"
          "expect-text Frist 15.12.2026\nexpect-text fagligt stærkt team på Plejecenter\n"
          "expect-text • Fast arbejdstid – 32 timer\nexpect-no-text <strong>\n"
          "expect-no-text &aring;\nshot jobnet\n", shots=d2, window="1920x1080")
check(r.returncode == 0, "Jobnet ad in the kiosk: %s" % r.stderr)
z = subprocess.run(["zbarimg", "-q", "--raw", os.path.join(d2, "jobnet.png")],
                   capture_output=True, text=True)
check(z.stdout.strip() == "https://job.jobnet.dk/CV/FindWork/Details/5374939?share=1",
      "the QR code decodes to the share link: %r %s" % (z.stdout, z.stderr))
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

# 10. Keyboards per script: the screen's own letters, Danish a tap away.
d4, data4 = with_jobs(batch([
    job(1, "Пакувальник м’ясних виробів", employer="Ґалицький смак", deadline="2026-12-10"),
    job(2, "مساعد في مدرسة", employer="أحمد للتنظيف", deadline="2026-12-11"),
    job(3, "Social- og sundhedshjælper", summary="Vi søger en SOSU-hjælper til nattevagt.",
        deadline="2026-12-12"),
    job(4, "Rengøringsassistent", deadline="2026-12-13"),
    job(5, "کارگر ساختمانی", deadline="2026-12-14"),
]))
# Ukrainian: ґ typed as г finds Ґалицький; "sosu" (Latin, found in a
# summary) switches to the Danish keys; Cyrillic again switches back.
r = kiosk(data4, "lang uk\ntap home.jobs\ntap jobs.search\nexpect jobs.key.й\nexpect jobs.key.ґ\n"
          "expect-gone jobs.key.q\ntype галицький\nexpect jobs.item.1\nexpect-gone jobs.item.2\n"
          "expect-text Пакувальник м’ясних виробів\ntap jobs.clear\ntype sosu\nexpect jobs.key.q\n"
          "expect-gone jobs.key.й\nexpect-text Social- og sundhedshjælper\nexpect-gone jobs.item.2\n"
          "tap jobs.clear\ntype м’ясних\nexpect jobs.key.й\nexpect-text Пакувальник м’ясних виробів\n"
          "expect-gone jobs.item.2\n")
check(r.returncode == 0, "Ukrainian keyboard: %s" % r.stderr)
# Arabic: plain alef finds أحمد, haa finds taa marbuta.
r = kiosk(data4, "lang ar\ntap home.jobs\ntap jobs.search\nexpect jobs.key.ض\nexpect-gone jobs.key.q\n"
          "type احمد\nexpect-text مساعد في مدرسة\nexpect-gone jobs.item.2\ntap jobs.clear\n"
          "type مدرسه\nexpect jobs.item.1\nexpect-gone jobs.item.2\ntap jobs.clear\n"
          "type Rengoring\nexpect-text Rengøringsassistent\nexpect-gone jobs.item.2\n")
check(r.returncode == 0, "Arabic keyboard: %s" % r.stderr)
# Persian (once fa.txt is in assets/lang): ی and ک typed find the Arabic
# ي and ك, and the other way round.
if os.path.exists(os.path.join(SOURCE, "assets", "lang", "fa.txt")):
    admin(data4, "config", "set", "languages", "da,en,uk,ar,fa")
    r = kiosk(data4, "lang fa\ntap home.jobs\ntap jobs.search\nexpect jobs.key.پ\n"
              "expect-gone jobs.key.ي\ntype کارگر\nexpect-text کارگر ساختمانی\n"
              "expect-gone jobs.item.2\ntap jobs.clear\ntype مساعد فی\n"
              "expect-text مساعد في مدرسة\nexpect-gone jobs.item.2\n")
    check(r.returncode == 0, "Persian keyboard: %s" % r.stderr)
# The Danish screen has Danish keys only: Cyrillic cannot be typed there.
r = kiosk(data4, "tap home.jobs\ntap jobs.search\nexpect-gone jobs.key.switch\ntype ж\n")
check(r.returncode == 1 and "no key for 'ж'" in r.stderr,
      "no Cyrillic keys on the Danish screen: %s" % r.stderr)


def key_sizes(lang, window):
    pre = "" if lang == "da" else "lang %s\n" % lang
    r = kiosk(data4, pre + "tap home.jobs\ntap jobs.search\n", window=window, extra=("--dump-ui",))
    check(r.returncode == 0, "keyboard %s %s: %s" % (lang, window, r.stderr))
    keys = [line.split("\t") for line in r.stdout.splitlines() if ".key." in line]
    return [(int(k[3]), int(k[4])) for k in keys if k[5] == "key"]


# Keys as big as the Danish ones on a 10-inch and a 7-inch screen.
for window in ("1280x800", "800x480"):
    da = key_sizes("da", window)
    check(len(da) == 42, "the Danish keyboard has its 42 keys at %s: %d" % (window, len(da)))
    least = (min(w for w, _ in da), min(h for _, h in da))
    for lang in ("uk", "ar"):
        sizes = key_sizes(lang, window)
        check(len(sizes) > 35 and min(w for w, _ in sizes) >= least[0]
              and min(h for _, h in sizes) >= least[1],
              "%s keys at %s no smaller than Danish %s: %s" % (lang, window, least,
                                                              sorted(sizes)[:3]))

# The filter pop-up closes without a choice: a tap outside or its close
# button; a tap on the panel itself keeps it open.
r = kiosk(data4, "tap home.jobs\ntap jobs.filter.hours\nexpect jobs.chooser.close\ntap 5 790\n"
          "expect-gone jobs.choices\nexpect-text Tid: Alle\nexpect jobs.item.4\n"
          "tap jobs.filter.category\ntap 640 58\nexpect jobs.choices\ntap jobs.chooser.close\n"
          "expect-gone jobs.choices\nexpect-text Område: Alle\nexpect jobs.item.4\n")
check(r.returncode == 0, "filter pop-up closes without a choice: %s" % r.stderr)
r = kiosk(data4, "lang ar\ntap home.jobs\ntap jobs.filter.kind\nexpect-text إغلاق\n"
          "tap jobs.chooser.close\nexpect-gone jobs.choices\n")
check(r.returncode == 0, "the pop-up's close button in Arabic: %s" % r.stderr)
shutil.rmtree(d4)

# 11. Reference screenshots: list, search, filter chooser, detail, empty.
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
