#!/usr/bin/env python3
"""make_bad.py — the corpus of refused batch files, and what each refusal must say.

Every small case is committed next to this script (tests/data/bad/NAME.json), so that
the fuzz targets can use the directory as a seed corpus and a person can open a file and
see what is wrong with it. Running this script rewrites them:

    python3 tests/data/bad/make_bad.py            # rewrite the committed files
    python3 tests/data/bad/make_bad.py --check    # exit 1 if a committed file is stale

Big cases (a file over 64 MiB, more than 200 000 jobs) are never committed; the test
writes them into a temporary directory with write_big().

Each case says what `skranke-admin import` must report (FORMATS.md 1, 2, 5): exit status
2 and one line on stderr naming the file, the place, and the field:
  path  the field path the message must name (`jobs[1].title`); for a missing field the
        message may instead name the record (`jobs[1]`) and the field's name (`title`)
  at    a piece of the file; the reported LINE:COL must fall inside it (columns count
        characters from 1, as json.h says). None where the problem has no place in the
        file (a missing top-level field, a file that is too big).
  also  further words the message must contain (for a duplicate: the other record)
All cases start from a valid batch whose generated_at is newer than the samples in
tests/data, so a refusal that is missed changes the store, and the test sees it.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


class Raw(str):
    """A value written into the file verbatim (not JSON-encoded)."""


def enc(v):
    if isinstance(v, Raw):
        return str(v)
    return json.dumps(v, ensure_ascii=False)


def obj(d):
    """One object on one line, keys in the given order."""
    return "{" + ", ".join(f"{json.dumps(k)}: {enc(v)}" for k, v in d.items()) + "}"


def changed(base, changes):
    """A copy of base with changes applied; a change to None removes the key."""
    d = dict(base)
    for k, v in changes.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return d


def job(i, **changes):
    base = [
        {"id": "B-1", "title": "Rengøringsassistent", "employer": "Årslev Rengøring",
         "city": "Sorø", "category": "Rengøring", "hours": "part", "kind": "ordinary",
         "deadline": "2026-12-20", "url": "https://example.org/job/B-1"},
        {"id": "B-2", "title": "Køkkenhjælper", "employer": "Café Ørnen", "city": "Slagelse",
         "category": "Hotel og restauration", "hours": "full", "kind": "flexjob",
         "posted": "2026-11-20", "deadline": "2026-12-31",
         "summary": "Rolig arbejdsplads.\nFleksible mødetider."},
        {"id": "B-3", "title": "Pædagogmedhjælper", "employer": "Børnehuset Åkanden",
         "city": "Skælskør", "category": "Pædagogik"},
    ][i]
    return changed(base, changes)


def jobs_doc(jobs=None, top=None, drop=(), extra_lines=(), raw_jobs=None):
    """A jobs batch: top-level fields one per line, each job on its own line."""
    head = {"format": "skranke.jobs/1", "batch_id": "bad-jobs-01",
            "generated_at": "2026-11-24T06:00:00Z", "source": "Testdata: fejlbehæftede batcher"}
    head.update(top or {})
    jobs = [job(0), job(1), job(2)] if jobs is None else jobs
    lines = [f"  {json.dumps(k)}: {enc(v)}," for k, v in head.items() if k not in drop]
    lines += list(extra_lines)
    if raw_jobs is not None:
        lines.append(f'  "jobs": {raw_jobs}')
    elif "jobs" not in drop:
        lines.append('  "jobs": [')
        lines.append(",\n".join("    " + (j if isinstance(j, str) else obj(j)) for j in jobs))
        lines.append("  ]")
    else:
        lines[-1] = lines[-1].rstrip(",")
    return "{\n" + "\n".join(lines) + "\n}\n"


def appt(i, **changes):
    base = [
        {"code": "A2B3C4", "time": "09:00", "unit": "Sygedagpenge", "place": "Venteområde B",
         "host": "Anne"},
        {"code": "D5E6F7", "time": "11:00", "unit": "Kontanthjælp", "place": "Venteområde A",
         "host": "Søren"},
    ][i]
    return changed(base, changes)


def sess(i, **changes):
    base = [
        {"id": "cv-1124", "title": "CV-værksted", "start": "10:00", "end": "12:00",
         "place": "Lokale 3", "participants": ["Q4TZ7A", "M2K9PD"]},
        {"id": "dansk-2", "title": "Dansk 2, modul 3", "start": "13:00", "end": "15:00",
         "place": "Lokale 7"},
    ][i]
    return changed(base, changes)


def sched_doc(appts=None, sessions=None, top=None, drop=(), raw_appts=None):
    head = {"format": "skranke.schedule/1", "batch_id": "bad-sched-01",
            "generated_at": "2026-11-24T06:00:00Z", "site": "jobcenter-slagelse",
            "date": "2026-11-24"}
    head.update(top or {})
    appts = [appt(0), appt(1)] if appts is None else appts
    sessions = [sess(0), sess(1)] if sessions is None else sessions
    lines = [f"  {json.dumps(k)}: {enc(v)}," for k, v in head.items() if k not in drop]
    if raw_appts is not None:
        lines.append(f'  "appointments": {raw_appts},')
    else:
        lines.append('  "appointments": [')
        lines.append(",\n".join("    " + obj(a) for a in appts))
        lines.append("  ],")
    lines.append('  "sessions": [')
    lines.append(",\n".join("    " + obj(s) for s in sessions))
    lines.append("  ]")
    return "{\n" + "\n".join(lines) + "\n}\n"


class Case:
    def __init__(self, name, data, path=None, at=None, also=(), why=""):
        self.name = name
        self.data = data.encode() if isinstance(data, str) else data
        self.path = path
        self.at = at.encode() if isinstance(at, str) else at
        self.also = tuple(also)
        self.why = why

    @property
    def file(self):
        return self.name + ".json"


def _title(n):
    """n characters of 2-, 3- and 4-byte UTF-8, so bytes and characters differ."""
    return ("Æ€😀ø" * (n // 4 + 1))[:n]


def _summary(n):
    s = ("Arbejdet består af rengøring på skoler.\n" * (n // 40 + 1))[:n]
    assert len(s) == n
    return s


def cases():
    J, S = jobs_doc, sched_doc
    c = []
    add = lambda *a, **k: c.append(Case(*a, **k))

    # ---- syntax ----
    good = J()
    cut = good.index('"city": "Slagelse"')
    add("truncated", good[:cut], at=good[good.index('{"id": "B-2"'):cut],
        why="the file ends in the middle (a stick pulled while copying)")
    add("empty", b"", at=None, why="a file with no bytes")
    add("not_object", '[\n  {"format": "skranke.jobs/1"}\n]\n', at="[",
        why="the top level is a list, not an object")
    add("not_json_csv", "id;title;employer\r\nB-1;Rengøring;Årslev\r\n", at="id;title",
        why="a CSV file saved with a .json name")
    add("trailing_garbage", good + "{}\n", at="{}", why="a second value after the object")
    add("trailing_comma", J(jobs=[job(0), job(1) ]).replace("\n  ]", ",\n  ]"), at="  ]",
        why="a comma after the last job (hand-edited JSON)")
    add("missing_comma", J().replace('B-1"},\n', 'B-1"}\n'), at='{"id": "B-2"',
        why="no comma between two jobs")
    add("single_quotes", J().replace('"batch_id"', "'batch_id'"), at="'batch_id'",
        why="field name in single quotes")
    add("bad_number", J(extra_lines=['  "x_count": 012,']), at='"x_count": 012',
        why="a number with a leading zero in an unknown field")
    add("invalid_utf8", J().replace("Café Ørnen", "Caf\x00 \x01rnen").encode()
        .replace(b"\x00", b"\xe9").replace(b"\x01", b"\xd8"),
        at=b'"employer": "Caf\xe9 \xd8rnen"', why="Latin-1 bytes, not UTF-8")
    add("overlong_utf8", J().replace("Sorø", "Sor\x00").encode().replace(b"\x00", b"\xc0\xaf"),
        at=b'"city": "Sor\xc0\xaf"', why="an overlong UTF-8 encoding of '/'")
    add("utf8_surrogate", J().replace("Sorø", "Sor\x00").encode()
        .replace(b"\x00", b"\xed\xa0\x80"),
        at=b'"city": "Sor\xed\xa0\x80"', why="a UTF-16 surrogate encoded as UTF-8")
    add("lone_surrogate", J(jobs=[job(0), job(1, title=Raw('"K\\ud83d kkenhj\\u00e6lper"')),
                                  job(2)]),
        at='"title": "K\\ud83d kkenhj', why="a high surrogate escape without its low half")
    add("lone_low_surrogate", J(jobs=[job(0), job(1, title=Raw('"\\udc00Køkken"')), job(2)]),
        at='"title": "\\udc00', why="a low surrogate escape on its own")
    add("nul_escape", J(jobs=[job(0), job(1, city=Raw('"Slagelse\\u0000"')), job(2)]),
        at='"city": "Slagelse\\u0000"', why="the NUL character as an escape")
    add("raw_tab_in_string", J(jobs=[job(0), job(1, title=Raw('"Køkken\thjælper"')), job(2)]),
        at='"title": "Køkken\thjælper"', why="an unescaped control character in a text")
    add("unknown_escape", J(jobs=[job(0), job(1, title=Raw('"C:\\x\\køkken"')), job(2)]),
        at='"title": "C:\\x', why="an escape that JSON does not have")
    add("deep_nesting", J(extra_lines=['  "x_meta": ' + "[" * 5000 + "]" * 5000 + ",",]),
        at="[" * 5000, why="an unknown field nested 5000 deep (must not crash)")

    # ---- wrong types ----
    add("title_number", J(jobs=[job(0), job(1, title=Raw("42")), job(2)]),
        path="jobs[1].title", at='"title": 42')
    add("title_null", J(jobs=[job(0), job(1, title=Raw("null")), job(2)]),
        path="jobs[1].title", at='"title": null')
    add("jobs_object", J(raw_jobs='{"B-1": ' + obj(job(0)) + "}"), path="jobs",
        at='"jobs": {')
    add("job_not_object", J(jobs=[job(0), job(1), job(2), '"B-4"']),
        path="jobs[3]", at='"B-4"')
    add("batch_id_number", J(top={"batch_id": Raw("20261124")}), path="batch_id",
        at='"batch_id": 20261124')
    add("appointments_object", S(raw_appts='{"A2B3C4": "09:00"}'), path="appointments",
        at='"appointments": {')
    add("participants_text", S(sessions=[sess(0, participants="Q4TZ7A"), sess(1)]),
        path="sessions[0].participants", at='"participants": "Q4TZ7A"')

    # ---- missing required fields ----
    add("missing_format", J(drop=("format",)), path="format")
    add("missing_batch_id", J(drop=("batch_id",)), path="batch_id")
    add("missing_generated_at", J(drop=("generated_at",)), path="generated_at")
    add("missing_jobs", J(drop=("jobs",)), path="jobs")
    for f in ("id", "title", "employer", "city", "category"):
        add(f"missing_job_{f}", J(jobs=[job(0), job(1, **{f: None}), job(2)]),
            path=f"jobs[1].{f}", at=obj(job(1, **{f: None})))
    add("missing_schedule_site", S(drop=("site",)), path="site")
    add("missing_schedule_date", S(drop=("date",)), path="date")
    for f in ("code", "time"):
        add(f"missing_appointment_{f}", S(appts=[appt(0), appt(1, **{f: None})]),
            path=f"appointments[1].{f}", at=obj(appt(1, **{f: None})))
    for f in ("id", "title", "start"):
        add(f"missing_session_{f}", S(sessions=[sess(0), sess(1, **{f: None})]),
            path=f"sessions[1].{f}", at=obj(sess(1, **{f: None})))
    add("title_blank", J(jobs=[job(0), job(1, title="   "), job(2)]),
        path="jobs[1].title", at='"title": "   "')

    # ---- values ----
    add("unknown_format", J(top={"format": "skranke.jobs/2"}), path="format",
        at='"format": "skranke.jobs/2"')
    add("bad_hours", J(jobs=[job(0), job(1, hours="fulltime"), job(2)]),
        path="jobs[1].hours", at='"hours": "fulltime"')
    add("bad_kind", J(jobs=[job(0), job(1, kind="fleksjob"), job(2)]),
        path="jobs[1].kind", at='"kind": "fleksjob"', why="the Danish spelling is not the code")
    add("deadline_feb30", J(jobs=[job(0), job(1, deadline="2026-02-30"), job(2)]),
        path="jobs[1].deadline", at='"deadline": "2026-02-30"')
    add("posted_dmy", J(jobs=[job(0), job(1, posted="24-11-2026"), job(2)]),
        path="jobs[1].posted", at='"posted": "24-11-2026"')
    add("schedule_date_feb30", S(top={"date": "2026-02-30"}), path="date",
        at='"date": "2026-02-30"')
    add("schedule_date_dmy", S(top={"date": "24-11-2026"}), path="date",
        at='"date": "24-11-2026"')
    add("generated_at_space", J(top={"generated_at": "2026-11-24 06:00:00"}),
        path="generated_at", at='"generated_at": "2026-11-24 06:00:00"')
    add("generated_at_no_zone", J(top={"generated_at": "2026-11-24T06:00:00"}),
        path="generated_at", at='"generated_at": "2026-11-24T06:00:00"')
    add("url_no_scheme", J(jobs=[job(0, url="job.jobnet.dk/CV/FindWork/Details/5512345"),
                                 job(1), job(2)]),
        path="jobs[0].url", at='"url": "job.jobnet.dk')
    add("url_space", J(jobs=[job(0, url="https://example.org/job B-1"), job(1), job(2)]),
        path="jobs[0].url", at='"url": "https://example.org/job B-1"')
    add("title_301_chars", J(jobs=[job(0), job(1, title=_title(301)), job(2)]),
        path="jobs[1].title", at='"title": "Æ€😀',
        why="301 characters (over 800 bytes): the limit counts characters")
    add("summary_8001_chars", J(jobs=[job(0), job(1, summary=_summary(8001)), job(2)]),
        path="jobs[1].summary", at='"summary": "Arbejdet')
    add("id_65_bytes", J(jobs=[job(0), job(1, id="X" * 65), job(2)]),
        path="jobs[1].id", at='"id": "XXX')
    add("id_66_bytes_33_chars", J(jobs=[job(0), job(1, id="ø" * 33), job(2)]),
        path="jobs[1].id", at='"id": "øøø', why="the id limit counts bytes")
    add("appointment_time_bad", S(appts=[appt(0), appt(1, time="9:30")]),
        path="appointments[1].time", at='"time": "9:30"')
    add("appointment_time_24", S(appts=[appt(0), appt(1, time="24:00")]),
        path="appointments[1].time", at='"time": "24:00"')
    add("site_with_space", S(top={"site": "jobcenter slagelse"}), path="site",
        at='"site": "jobcenter slagelse"')
    for ch in "0O1IL":
        code = "K7M2Q" + ch
        add(f"code_with_{ch}", S(appts=[appt(0), appt(1, code=code)]),
            path="appointments[1].code", at=f'"code": "{code}"',
            why=f"'{ch}' is not in the code alphabet")
    add("code_lower_l", S(appts=[appt(0, code="k7m2ql"), appt(1)]),
        path="appointments[0].code", at='"code": "k7m2ql"',
        why="lower-case l is L, which is not in the alphabet")
    add("code_5_chars", S(appts=[appt(0), appt(1, code="K7M2Q")]),
        path="appointments[1].code", at='"code": "K7M2Q"')
    add("participant_bad_code", S(sessions=[sess(0, participants=["Q4TZ7A", "M2K9P0"]),
                                            sess(1)]),
        path="sessions[0].participants[1]", at='"participants": ["Q4TZ7A", "M2K9P0"]')
    add("session_ends_before_start", S(sessions=[sess(0), sess(1, start="15:00", end="13:00")]),
        path="sessions[1]", at='"end": "13:00"')

    # ---- duplicates ----
    add("dup_job_id", J(jobs=[job(0), job(1), job(2, id="B-1")]),
        path="jobs[2].id", at='"id": "B-1", "title": "Pædagog', also=("jobs[0]",))
    add("dup_code_case", S(appts=[appt(0, code="k7m2qx"), appt(1, code="K7M2QX")]),
        path="appointments[1].code", at='"code": "K7M2QX"', also=("appointments[0]",),
        why="codes compare case-insensitively")
    add("dup_session_id", S(sessions=[sess(0), sess(1, id="cv-1124")]),
        path="sessions[1].id", at='"id": "cv-1124", "title": "Dansk', also=("sessions[0]",))
    add("dup_participant", S(sessions=[sess(0, participants=["Q4TZ7A", "M2K9PD", "q4tz7a"]),
                                       sess(1)]),
        path="sessions[0]", at=obj(sess(0, participants=["Q4TZ7A", "M2K9PD", "q4tz7a"])),
        also=("Q4TZ7A",))
    add("dup_field_in_job", J(jobs=[job(0), job(1), obj(job(2))[:-1] + ', "title": "Igen"}']),
        path="jobs[2].title", at='"title": "Igen"')
    add("dup_top_generated_at", J(extra_lines=['  "generated_at": "2026-11-24T07:00:00Z",']),
        path="generated_at", at='"generated_at": "2026-11-24T07:00:00Z"')
    add("dup_top_jobs", J().replace("\n}\n", ',\n  "jobs": []\n}\n'), path="jobs",
        at='"jobs": []', why="a second jobs list would silently win or lose")

    # ---- older than what is loaded (tests/data samples: jobs 05:30, schedule 05:00) ----
    add("older_jobs", J(top={"generated_at": "2026-11-24T04:00:00Z"}), path="generated_at",
        at='"generated_at": "2026-11-24T04:00:00Z"', also=("--accept-older",))
    add("older_schedule", S(top={"generated_at": "2026-11-24T04:00:00Z"}),
        path="generated_at", at='"generated_at": "2026-11-24T04:00:00Z"',
        also=("--accept-older",))

    # ---- the kiosk's clock and site (the tests run at 2026-11-24T09:00:00Z) ----
    add("future_jobs", J(top={"generated_at": "9999-12-31T00:00:00Z"}), path="generated_at",
        at='"generated_at": "9999-12-31T00:00:00Z"', also=("24 hours",),
        why="would lock out every later batch")
    add("future_schedule", S(top={"generated_at": "2026-11-25T09:00:01Z"}),
        path="generated_at", at='"generated_at": "2026-11-25T09:00:01Z"', also=("24 hours",),
        why="one second past the 24 hours a clock may be off")
    add("schedule_other_site", S(top={"site": "sprogcenter-slagelse"}), path="site",
        at='"site": "sprogcenter-slagelse"', also=("jobcenter-slagelse",))
    add("schedule_past_day", S(top={"date": "2026-11-23"}), path="date",
        at='"date": "2026-11-23"', also=("2026-11-24",), why="yesterday's schedule")

    # ---- what must never reach a screen: CPR numbers, surnames, bidi controls ----
    add("host_with_cpr", S(appts=[appt(0), appt(1, host="Anne Kirstine Hansen, CPR 010101-1234")]),
        path="appointments[1].host", at='"host": "Anne Kirstine', also=("CPR",))
    add("host_full_name", S(appts=[appt(0, host="Anne Kirstine Hansen"), appt(1)]),
        path="appointments[0].host", at='"host": "Anne Kirstine Hansen"', also=("first name",))
    add("host_with_digit", S(appts=[appt(0), appt(1, host="Søren2")]),
        path="appointments[1].host", at='"host": "Søren2"', also=("first name",))
    add("cpr_in_unit", S(appts=[appt(0, unit="Sygedagpenge 0101011234"), appt(1)]),
        path="appointments[0].unit", at='"unit": "Sygedagpenge 0101011234"', also=("CPR",))
    add("cpr_in_session_title", S(sessions=[sess(0), sess(1, title="Dansk 2 for 311299-4321")]),
        path="sessions[1].title", at='"title": "Dansk 2 for', also=("CPR",))
    add("cpr_in_job_summary", J(jobs=[job(0), job(1, summary="Spørg efter 010190-1234."),
                                      job(2)]),
        path="jobs[1].summary", at='"summary": "Spørg', also=("CPR",),
        why="a job ad is public; a CPR number has no place in it")
    add("cpr_in_source", J(top={"source": "Udtræk for 0101011234"}), path="source",
        at='"source": "Udtræk for 0101011234"', also=("CPR",))
    add("bidi_in_unit", S(appts=[appt(0, unit="Sygedagpenge\u202e"), appt(1)]),
        path="appointments[0].unit", at='"unit": "Sygedagpenge', also=("bidi",),
        why="U+202E turns the rest of the text around on screen")
    add("bidi_in_job_title", J(jobs=[job(0), job(1, title="Køkken\u2066hjælper"), job(2)]),
        path="jobs[1].title", at='"title": "Køkken', also=("bidi",))
    add("bidi_in_session_place", S(sessions=[sess(0, place="Lokale\u2069 3"), sess(1)]),
        path="sessions[0].place", at='"place": "Lokale', also=("bidi",))
    return c


# ---- big cases, written at test time ----

def write_big(dirpath):
    """Writes the big cases into dirpath; returns their Case objects (data not kept)."""
    out = []
    # Over 64 MiB: a valid beginning, then a hole. Must be refused from its size alone.
    path = os.path.join(dirpath, "too_big.json")
    with open(path, "wb") as f:
        f.write(b'{"format": "skranke.jobs/1", "batch_id": "big", '
                b'"generated_at": "2026-11-24T06:00:00Z", "jobs": [\n')
        f.truncate(64 * 1024 * 1024 + 1)
    out.append(Case("too_big", b"", at=None, also=("MiB",)))
    # 200 001 small but valid jobs.
    path = os.path.join(dirpath, "too_many_jobs.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"format": "skranke.jobs/1", "batch_id": "many", '
                '"generated_at": "2026-11-24T06:00:00Z", "jobs": [\n')
        f.write(",\n".join(f'{{"id":"{i}","title":"t","employer":"e","city":"c","category":"k"}}'
                           for i in range(200001)))
        f.write("\n]}\n")
    out.append(Case("too_many_jobs", b"", path="jobs", at=None, also=("200000",)))
    return out


def main(argv):
    check = "--check" in argv
    stale = []
    names = set()
    for case in cases():
        assert case.name not in names, case.name
        names.add(case.name)
        p = os.path.join(HERE, case.file)
        if check:
            try:
                with open(p, "rb") as f:
                    if f.read() != case.data:
                        stale.append(case.file)
            except FileNotFoundError:
                stale.append(case.file)
        else:
            with open(p, "wb") as f:
                f.write(case.data)
    if check and stale:
        print("stale or missing (run make_bad.py):", " ".join(stale))
        return 1
    if not check:
        print(f"wrote {len(names)} files to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
