#!/usr/bin/env python3
"""Signed batches, checked against the real minisign tool in both directions.

Run by ctest as: test_signatures.py BUILD_DIR SOURCE_DIR
- staff sign with `minisign -S` (prehashed and legacy), the kiosk imports;
- unsigned, tampered (a bit of the file, of the signature, of the trusted
  comment), wrongly keyed and replayed older batches are refused before
  parsing, with the reason, and change nothing;
- the kiosk signs its exports with its own key; `minisign -V` accepts them and
  `skranke-admin verify --pubkey` agrees, and both notice tampering.
"""
import json
import os
import shutil
import subprocess
import tempfile

from kiosktest import SOURCE, admin, check, finish, listing, new_store

SAMPLE = os.path.join(SOURCE, "tests", "data", "jobs-sample.json")
work = tempfile.mkdtemp(prefix="skranke-sig-")


def run(*args, stdin=None):
    return subprocess.run(args, capture_output=True, text=True, input=stdin, cwd=work)


def keypair(name):
    r = run("minisign", "-G", "-W", "-p", name + ".pub", "-s", name + ".key")
    assert r.returncode == 0, r.stderr
    with open(os.path.join(work, name + ".pub")) as f:
        return f.read().splitlines()[1]


def batch(name, generated="2026-11-24T05:30:00Z", broken=False):
    with open(SAMPLE, encoding="utf-8") as f:
        data = json.load(f)
    data["generated_at"] = generated
    data["batch_id"] = name
    path = os.path.join(work, name + ".json")
    with open(path, "w", encoding="utf-8") as f:
        if broken:
            f.write("{ this is not json")
        else:
            json.dump(data, f, ensure_ascii=False)
    return path


def sign(path, key="staff", legacy=False):
    args = ["minisign", "-S", "-s", key + ".key", "-m", path]
    if legacy:
        args.append("-l")
    r = run(*args)
    assert r.returncode == 0, r.stderr
    return path + ".minisig"


def flip(path, line, col):
    with open(path, "r+b") as f:
        lines = f.read().split(b"\n")
        b = bytearray(lines[line])
        b[col] ^= 0x01
        lines[line] = bytes(b)
        f.seek(0)
        f.write(b"\n".join(lines))
        f.truncate()


def refused(data, path, words):
    before = (listing(data, "jobs"), admin(data, "status", "--json").stdout)
    r = admin(data, "import", path)
    after = (listing(data, "jobs"), admin(data, "status", "--json").stdout)
    check(r.returncode == 2, "%s refused with exit 2 (got %d: %s)" % (os.path.basename(path),
                                                                      r.returncode, r.stderr))
    check(words in r.stderr, "%s: the reason says %r: %s" % (os.path.basename(path), words, r.stderr))
    check(os.path.basename(path) in r.stderr, "the message names the file: %s" % r.stderr)
    check(before == after, "%s changed nothing" % os.path.basename(path))


staff = keypair("staff")
keypair("stranger")
d, data = new_store()
r = admin(data, "config", "set", "trusted_keys", staff)
check(r.returncode == 0, "trusted key accepted: %s" % r.stderr)

# Signed by staff: accepted, in both signature forms.
p = batch("signed-1", "2026-11-24T05:30:00Z")
sign(p)
r = admin(data, "import", p)
check(r.returncode == 0, "a batch signed with minisign -S imports: %s" % r.stderr)
p = batch("signed-legacy", "2026-11-24T05:40:00Z")
sign(p, legacy=True)
r = admin(data, "import", p)
check(r.returncode == 0, "a legacy (-l) signature imports: %s" % r.stderr)

# Unsigned, even if broken: refused for the signature, before parsing.
refused(data, batch("unsigned", "2026-11-24T06:00:00Z"), "not signed")
refused(data, batch("broken-unsigned", broken=True), "not signed")

# One bit flipped in the file, in the signature, in the trusted comment.
p = batch("flip-file", "2026-11-24T06:00:00Z")
sign(p)
with open(p, "r+b") as f:
    data_bytes = bytearray(f.read())
    i = data_bytes.index("Korsør".encode())
    data_bytes[i] ^= 0x01
    f.seek(0)
    f.write(data_bytes)
refused(data, p, "does not match")
p = batch("flip-sig", "2026-11-24T06:00:00Z")
s = sign(p)
flip(s, 1, 40)
refused(data, p, "signature")
p = batch("flip-comment", "2026-11-24T06:00:00Z")
s = sign(p)
flip(s, 2, 20)
refused(data, p, "trusted comment")

# A stranger's key, and a replayed older batch with a good signature.
p = batch("stranger", "2026-11-24T06:00:00Z")
sign(p, key="stranger")
refused(data, p, "not a trusted key")
p = batch("replay", "2026-11-20T05:30:00Z")
sign(p)
refused(data, p, "older")

# The kiosk signs its exports; minisign -V and skranke-admin verify agree.
r = admin(data, "keygen", "--out", os.path.join(work, "kiosk"))
check(r.returncode == 0 and "public key:" in r.stdout, "keygen: %s %s" % (r.stdout, r.stderr))
r = admin(data, "keygen", "--out", os.path.join(work, "kiosk"))
check(r.returncode != 0, "keygen refuses to overwrite a key")
admin(data, "config", "set", "kiosk_key", os.path.join(work, "kiosk.key"))
out = os.path.join(work, "stick")
os.mkdir(out)
r = admin(data, "export", out)
check(r.returncode == 0, "signed export: %s" % r.stderr)
bdir = r.stdout.strip()
manifest = os.path.join(bdir, "manifest.json")
check(os.path.exists(manifest + ".minisig"), "the export carries manifest.json.minisig")
v = run("minisign", "-V", "-p", "kiosk.pub", "-m", manifest)
check(v.returncode == 0, "minisign -V accepts the kiosk's signature: %s %s" % (v.stdout, v.stderr))
v = admin(data, "verify", bdir, "--pubkey", os.path.join(work, "kiosk.pub"))
check(v.returncode == 0, "skranke-admin verify --pubkey: %s" % v.stderr)
v = admin(data, "verify", bdir, "--pubkey", os.path.join(work, "staff.pub"))
check(v.returncode == 2, "verify with the wrong public key is refused: %s" % v.stderr)
tampered = os.path.join(work, "tampered")
shutil.copytree(bdir, tampered)
with open(os.path.join(tampered, "manifest.json"), "r+b") as f:
    m = bytearray(f.read())
    m[m.index(b'"seq":') + 6] ^= 0x02
    f.seek(0)
    f.write(m)
v = run("minisign", "-V", "-p", "kiosk.pub", "-m", os.path.join(tampered, "manifest.json"))
check(v.returncode != 0, "minisign -V refuses a changed manifest")
v = admin(data, "verify", tampered, "--pubkey", os.path.join(work, "kiosk.pub"))
check(v.returncode == 2, "verify --pubkey refuses a changed manifest: %s" % v.stderr)

shutil.rmtree(d)
shutil.rmtree(work)
finish()
