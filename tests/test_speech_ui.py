#!/usr/bin/env python3
"""Read aloud, as a citizen hears it: "Læs højt" (nav.speak) through the
script driver, the sound through SDL's disk audio driver into a file that
sox measures.

  - da, uk and ar: the home screen's words are spoken, in that language, and
    the file holds speech of a plausible length; each new screen after the
    button is read too (the survey intro);
  - a touch stops the voice within 100 ms;
  - a booking code being typed is never spoken, nor a PIN (staff mode is
    never read, even with speech_auto on); a ticket number is spelled out;
  - Somali and Tigrinya have no voice: the button says so in the language,
    and nothing is heard;
  - after the privacy reset nothing of the last citizen's speech is left
    in the log, and the next citizen's screens are not read unasked;
  - the idle prompt is heard: a short tone (about 0.3 s near 660 Hz) when it
    appears, none before; with speech on (da, uk, ar) its question and the
    seconds left are said after the tone.

Usage: test_speech_ui.py BUILD_DIR SOURCE_DIR
"""
import os
import re
import shutil
import subprocess

import kiosktest
from kiosktest import SOURCE, admin, check, finish, kiosk, load_lang, new_store

DATA = os.path.join(SOURCE, "tests", "data")
LANGS = "da,en,uk,ar,fa,pl,so,ti"



def speech_seconds(path):
    """Seconds from the first to the last sound in a raw 22.05 kHz mono file."""
    if not os.path.exists(path) or os.path.getsize(path) < 4:
        return 0.0
    r = subprocess.run(["sox", "-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1",
                        path, "-n", "silence", "1", "0.02", "0.5%", "reverse", "silence", "1",
                        "0.02", "0.5%", "reverse", "stat"], capture_output=True, text=True)
    m = re.search(r"Length \(seconds\):\s*([0-9.]+)", r.stderr)
    return float(m.group(1)) if m else 0.0


def tone_hz(path):
    """sox's rough frequency of the sound in a raw file (0 when none)."""
    r = subprocess.run(["sox", "-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1",
                        path, "-n", "stat"], capture_output=True, text=True)
    m = re.search(r"Rough\s+frequency:\s*([0-9]+)", r.stderr)
    return int(m.group(1)) if m else 0


def run(data, tmp, name, lines, **env):
    audio = os.path.join(tmp, name + ".raw")
    e = dict(kiosktest.ENV, SKRANKE_NOW="2026-11-24T08:41:00Z", SDL_AUDIODRIVER="disk",
             SDL_DISKAUDIOFILE=audio, **env)
    copy = os.path.join(tmp, "data-" + name)
    shutil.copytree(data, copy)
    r = kiosk(copy, "\n".join(lines) + "\n", env=e)
    shutil.rmtree(copy)
    return r, audio


def main():
    tmp, data = new_store(languages=LANGS)
    r = admin(data, "import", os.path.join(DATA, "schedule-sample.json"),
              env=dict(kiosktest.ENV, SKRANKE_NOW="2026-11-24T08:41:00Z"))
    check(r.returncode == 0, "the sample schedule imports: %s" % r.stderr)
    try:
        for code in ("da", "uk", "ar"):
            t = load_lang(code)
            start = [] if code == "da" else ["lang " + code]
            r, audio = run(data, tmp, "home-" + code, start + [
                "tap nav.speak",
                "expect-spoken " + t["home.welcome"],
                "expect-spoken " + t["home.checkin"],
                "expect-spoken " + t["home.jobs"],
                "wait-spoken 30000",
                "tap home.survey",  # a new screen after the button: read too
                "expect-spoken " + t["survey.start"],
                "expect-not-spoken " + t["home.welcome"]])
            check(r.returncode == 0, "%s: home and the survey intro are read: %s" % (code, r.stderr))
            secs = speech_seconds(audio)
            check(2.0 < secs < 40.0, "%s: %.1f s of speech in the audio file" % (code, secs))

            # A touch stops the voice within 100 ms.
            r, _ = run(data, tmp, "hush-" + code, start + [
                "tap nav.speak", "sleep 800", "tap 400 140", "expect-silent 100"])  # on the welcome words: no button
            check(r.returncode == 0, "%s: a touch stops the voice: %s" % (code, r.stderr))

            # The code being typed is never spoken.
            r, _ = run(data, tmp, "code-" + code, start + [
                "tap home.checkin", "tap checkin.appointment", "tap checkin.key.K",
                "tap checkin.key.7", "tap checkin.key.M", "tap checkin.key.2", "tap nav.speak",
                "expect-spoken " + t["checkin.code.title"],
                "expect-not-spoken K7M2", "expect-not-spoken K 7", "expect-not-spoken K7"])
            check(r.returncode == 0, "%s: a typed code is not spoken: %s" % (code, r.stderr))

        # A ticket number is spelled out sign by sign.
        r, _ = run(data, tmp, "ticket", [
            "tap home.checkin", "tap checkin.walkin", "tap checkin.errand.1", "tap nav.speak",
            "expect-spoken A 0 0 1"])
        check(r.returncode == 0, "the ticket number is spelled out: %s" % r.stderr)

        # Staff mode is never read, even with every screen read aloud: the
        # PIN stays silent.
        admin(data, "config", "set", "speech_auto", "1")
        r, _ = run(data, tmp, "pin", [
            "drag 40 40 40 40 3000", "expect staff.pin.key.1", "tap staff.pin.key.1",
            "tap staff.pin.key.9", "tap staff.pin.key.7", "tap staff.pin.key.3",
            "expect-not-spoken 1973", "expect-not-spoken 1 9 7 3"])
        check(r.returncode == 0, "the PIN is not spoken: %s" % r.stderr)
        # ... while a citizen screen is, without a tap on the button.
        t = load_lang("da")
        r, _ = run(data, tmp, "auto", ["tap home.survey", "expect-spoken " + t["survey.start"]])
        check(r.returncode == 0, "speech_auto reads each new screen: %s" % r.stderr)
        admin(data, "config", "set", "speech_auto", "0")

        # No voice: a note in the language, and silence.
        for code in ("so", "ti"):
            t = load_lang(code)
            r, audio = run(data, tmp, "none-" + code, [
                "lang " + code, "tap nav.speak", "expect speak.none",
                "expect-text " + t["speak.none"], "wait-spoken 2000", "sleep 300"])
            check(r.returncode == 0, "%s: the button says there is no voice: %s" % (code, r.stderr))
            secs = speech_seconds(audio)
            check(secs < 0.05, "%s: nothing is heard (%.2f s)" % (code, secs))

        # The idle prompt, heard: a tone as it appears (45 s without a touch
        # on the survey), nothing before it.
        before = ["sleep 1500", "tap home.survey", "wait 44000", "expect-gone idle.more",
                  "sleep 800"]
        r, audio = run(data, tmp, "no-tone", before)
        check(r.returncode == 0, "before the idle prompt: %s" % r.stderr)
        secs = speech_seconds(audio)
        check(secs < 0.05, "no tone before the idle prompt (%.2f s heard)" % secs)
        r, audio = run(data, tmp, "tone", before + ["wait 1500", "expect idle.more", "sleep 800"])
        check(r.returncode == 0, "the idle prompt appears: %s" % r.stderr)
        secs = speech_seconds(audio)
        check(0.15 <= secs <= 0.5, "the idle prompt plays a short tone (%.2f s heard)" % secs)
        hz = tone_hz(audio)
        check(600 <= hz <= 720, "the tone is a gentle mid note (%d Hz)" % hz)
        # With speech on, the prompt says its question and the time left
        # after the tone; the screen behind it is not read again.
        plural = {"da": "other", "uk": "many", "ar": "many"}
        for code in ("da", "uk", "ar"):
            t = load_lang(code)
            body = t["idle.body." + plural[code]].replace("{n}", "15")
            start = ["sleep 1500"] + ([] if code == "da" else ["lang " + code])
            r, audio = run(data, tmp, "prompt-" + code, start + [
                "tap home.survey", "tap nav.speak", "wait-spoken 30000", "wait 45000",
                "expect idle.more", "expect-spoken " + t["idle.title"], "expect-spoken " + body,
                "expect-not-spoken " + t["survey.start"], "wait-spoken 30000"])
            check(r.returncode == 0, "%s: the idle prompt is said aloud: %s" % (code, r.stderr))
            secs = speech_seconds(audio)
            check(secs > 2.0, "%s: the prompt's tone and words are heard (%.2f s)" % (code, secs))

        # The privacy reset: the log is wiped, and the next citizen's screens
        # are not read unasked.
        t = load_lang("da")
        r, _ = run(data, tmp, "privacy", [
            "tap home.jobs", "tap nav.speak", "wait 46000", "wait 16000",
            "expect home.checkin", "expect-not-spoken " + t["nav.home"],
            "tap home.survey", "expect-not-spoken " + t["survey.start"]])
        check(r.returncode == 0, "speech forgets the last citizen: %s" % r.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish()


if __name__ == "__main__":
    main()
