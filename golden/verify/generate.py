#!/usr/bin/env python3
"""Writes the golden cases of `key`, `release sign` and `release verify` (golden/verify/cases/*).

Each case is a directory: input files, `args` (one argument per line), optional `modes` (`FILE 0644` lines;
*.key files are 0600 otherwise, since git does not keep modes), and the expected `stdout`, `stderr` and
`status` of running the tool in a copy of the directory with SOURCE_DATE_EPOCH=1781000000. Files named
`expected.NAME` must equal NAME after the run. The runner is Tests/CLITests/VerifyGoldenTests.swift.

Releases are built by our tool (`release build`) from deterministic payload rows (rows/WEEK.jsonl, written
here). Inputs are made with our tool, with minisign (for chains our signer refuses to sign: a compromised or
buggy signer) and with byte edits below. Expected outputs are recorded from the tool and reviewed by hand.

Usage: golden/verify/generate.py [path/to/backpay-verify]   (needs minisign; keys/ is reused if present)
"""
import base64, datetime, hashlib, json, os, random, shutil, subprocess, sys, tempfile, uuid

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../.build/debug/backpay-verify"))
CASES = os.path.join(HERE, "cases")
ROWS = os.path.join(HERE, "rows")
KEYS = os.path.join(HERE, "keys")
EPOCH = "1781000000"
L = 2**252 + 27742317777372353535851937790883648493
ENV = {k: v for k, v in os.environ.items() if k != "CI"}
ENV.update({"SOURCE_DATE_EPOCH": EPOCH, "NO_COLOR": "1"})


def run(args, cwd, stdin=b""):
    return subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, env=ENV)


def keys():
    """Two unencrypted test keys, made once by our tool (test-only: never use them for real releases)."""
    os.makedirs(KEYS, exist_ok=True)
    for name in ("union", "other"):
        if not os.path.exists(os.path.join(KEYS, name + ".pub")):
            r = run([BIN, "key", "generate", "--out", name, "--unencrypted"], KEYS)
            assert r.returncode == 0, r.stderr


TODAY = "2026-07-20"  # after every golden week: no row is in the future
WEEKS = {"2026-W23": (2026, 6, 1), "2026-W24": (2026, 6, 8), "2026-W25": (2026, 6, 15), "2026-W26": (2026, 6, 22)}
PAIRS = [("claude-code", "claude-opus-4-8"), ("claude-code", "claude-sonnet-4-6"), ("codex", "gpt-5-codex"),
         ("cursor", "claude-sonnet-4-6")]


def canonical(doc):
    """RFC 8785 bytes of a document with ASCII strings and integers only (json.dumps sorts keys like JCS)."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def cost(cents):
    """Dollars as the shortest decimal (a float of whole dollars would print as "2.0", not canonical)."""
    return cents // 100 if cents % 100 == 0 else cents / 100


def rows(week):
    """Payload rows of one ISO week: 48 members, 3 to 5 days each, even usage (every cell publishable)."""
    rng = random.Random(week)
    monday = datetime.date(*WEEKS[week])
    out = []
    for i in range(48):
        panelist = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        pairs = sorted(rng.sample(PAIRS, rng.choice([1, 1, 2])))
        for d in sorted(rng.sample(range(7), rng.randint(3, 5))):
            entries = []
            for tool, model in pairs:
                inp = rng.randint(200_000, 400_000)
                entries.append({"cache_creation_tokens": inp // 10, "cache_read_tokens": inp * 3,
                                "cost_usd_est": cost(rng.randint(100, 300)), "input_tokens": inp, "model": model,
                                "output_tokens": inp // 20, "sessions": rng.randint(1, 6), "tool": tool})
            payload = {"date": (monday + datetime.timedelta(days=d)).isoformat(), "entries": entries,
                       "panelist": panelist, "schema_version": 0}
            out.append((payload["date"], panelist, canonical(payload)))
    return b"".join(line + b"\n" for _, _, line in sorted(out))


def build(week, previous=None, release_format=1):
    """A release built by our tool from rows/WEEK.jsonl (previous: the bytes of the previous release)."""
    work = tempfile.mkdtemp()
    try:
        args = [BIN, "release", "build", "--rows", os.path.join(ROWS, week + ".jsonl"), "--week", week,
                "--today", TODAY, "-o", "release.json", "--quiet"]
        if release_format != 1:
            args += ["--release-format", str(release_format)]
        if previous is not None:
            open(os.path.join(work, "previous.json"), "wb").write(previous)
            args += ["--previous", "previous.json"]
        r = run(args, work)
        assert r.returncode == 0, r.stderr
        data = open(os.path.join(work, "release.json"), "rb").read()
    finally:
        shutil.rmtree(work)
    assert recanonical(data) == data, "python's canonical form differs from ours"
    return data


def recanonical(data):
    """Our tool's canonical form of DATA, checked against Python's (edits below rely on them agreeing)."""
    work = tempfile.mkdtemp()
    try:
        open(os.path.join(work, "in.json"), "wb").write(data)
        r = run([BIN, "json", "canonical", "in.json"], work)
        assert r.returncode == 0, r.stderr
        ours = r.stdout.rstrip(b"\n")
    finally:
        shutil.rmtree(work)
    assert ours == canonical(json.loads(data)), "python's canonical form differs from ours"
    return ours


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def edited(data, **fields):
    """A real release with header fields changed, re-canonicalized: what a compromised or buggy signer
    could sign (our builder and signer refuse these chains). Checked against our canonical form."""
    doc = json.loads(data)
    doc.update(fields)
    return recanonical(canonical(doc))


def header_only(week, seq, previous=None):
    """The header of a release and nothing else: not a release document."""
    return canonical({"format": "backpay-release/1", "id": week,
                      "previous": None if previous is None else sha(previous), "sequence": seq})


def claims(data, week=None, seq=None):
    doc = json.loads(data.decode("utf-8", "replace")) if data.strip().startswith(b"{") else {}
    return "backpay-release %s sequence:%d sha256:%s timestamp:%s" % (
        week or doc.get("id"), seq or doc.get("sequence"), hashlib.sha256(data).hexdigest(), EPOCH)


def minisign_sign(path, key="union", comment=None, extra=()):
    """Signs with minisign itself (no chain checks), trusted comment = our claims unless given."""
    if os.path.exists(path + ".minisig"):
        os.remove(path + ".minisig")
    data = open(path, "rb").read()
    t = comment if comment is not None else claims(data)
    args = ["minisign", "-S", "-s", os.path.join(KEYS, key + ".key"), "-m", path] + list(extra)
    if t != "":
        args += ["-t", t]
    r = run(args, os.path.dirname(path) or ".")
    assert r.returncode == 0, r.stderr


class Case:
    def __init__(self, name, args, modes=None):
        self.dir = os.path.join(CASES, name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.args, self.modes = args, modes or {}

    def path(self, name):
        p = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def write(self, name, data):
        with open(self.path(name), "wb") as f:
            f.write(data)
        return self.path(name)

    def key(self, name="union", as_name=None, pub=True, sec=False):
        for ext, want in ((".pub", pub), (".key", sec)):
            if want:
                shutil.copy(os.path.join(KEYS, name + ext), self.path((as_name or name) + ext))

    def sign(self, name, **kw):
        minisign_sign(self.path(name), **kw)

    def finish(self, expected_files=()):
        with open(os.path.join(self.dir, "args"), "w") as f:
            f.write("".join(a + "\n" for a in self.args))
        if self.modes:
            with open(os.path.join(self.dir, "modes"), "w") as f:
                f.write("".join("%s %o\n" % kv for kv in sorted(self.modes.items())))
        work = tempfile.mkdtemp()
        try:
            shutil.copytree(self.dir, work, dirs_exist_ok=True)
            for root, _, files in os.walk(work):
                for fn in files:
                    if fn.endswith(".key"):
                        os.chmod(os.path.join(root, fn), 0o600)
            for fn, mode in self.modes.items():
                os.chmod(os.path.join(work, fn), mode)
            r = run([BIN] + self.args, work)
            for name in expected_files:
                shutil.copy(os.path.join(work, name), os.path.join(self.dir, "expected." + name))
        finally:
            shutil.rmtree(work)
        for name, data in (("stdout", r.stdout), ("stderr", r.stderr), ("status", b"%d\n" % r.returncode)):
            with open(os.path.join(self.dir, name), "wb") as f:
                f.write(data)
        print("%-40s %d" % (os.path.basename(self.dir), r.returncode))


def edit_line(path, line_no, fn):
    lines = open(path, "rb").read().split(b"\n")
    lines[line_no - 1] = fn(lines[line_no - 1])
    open(path, "wb").write(b"\n".join(lines))


def s_plus_l(line):
    blob = bytearray(base64.b64decode(line, validate=True))
    s = int.from_bytes(blob[42:74], "little") + L
    blob[42:74] = s.to_bytes(32, "little")
    return base64.b64encode(bytes(blob))


def main():
    keys()
    shutil.rmtree(CASES, ignore_errors=True)
    os.makedirs(ROWS, exist_ok=True)
    for week in WEEKS:
        open(os.path.join(ROWS, week + ".jsonl"), "wb").write(rows(week))
    r1 = build("2026-W24")
    r2 = build("2026-W25", r1)

    # --- key ---
    c = Case("key-show", ["key", "show", "union.pub"]); c.key(); c.finish()
    c = Case("key-show-allowed-signers", ["key", "show", "union.pub", "--allowed-signers"]); c.key(); c.finish()
    c = Case("key-generate-never-overwrites", ["key", "generate", "--out", "union", "--unencrypted"]); c.key(); c.finish()
    c = Case("key-generate-usage-conflict", ["key", "generate", "--out", "k", "--unencrypted", "--passphrase-file", "pw"]); c.finish()
    c = Case("key-show-small-order", ["key", "show", "union.pub"])
    c.key()
    edit_line(c.path("union.pub"), 2, lambda l: base64.b64encode(base64.b64decode(l)[:10] + b"\x01" + b"\x00" * 31))
    c.finish()

    # --- sign ---
    c = Case("sign-first", ["release", "sign", "release.json", "--key", "union.key", "--ssh"])
    c.write("release.json", r1); c.key(pub=False, sec=True)
    c.finish(expected_files=["release.json.minisig", "release.json.sig"])
    c = Case("sign-extends-chain", ["release", "sign", "release.json", "--key", "union.key", "--chain", "chain"])
    c.write("release.json", r2); c.write("chain/2026-W24.json", r1); c.sign("chain/2026-W24.json"); c.key(pub=False, sec=True)
    c.finish(expected_files=["release.json.minisig"])
    c = Case("sign-refuses-non-canonical", ["release", "sign", "release.json", "--key", "union.key"])
    c.write("release.json", json.dumps(json.loads(r1), sort_keys=True, indent=1).encode() + b"\n")
    c.key(pub=False, sec=True); c.finish()
    c = Case("sign-refuses-wrong-previous", ["release", "sign", "release.json", "--key", "union.key", "--chain", "chain"])
    c.write("release.json", edited(r2, previous=sha(b"some other bytes")))
    c.write("chain/2026-W24.json", r1); c.sign("chain/2026-W24.json"); c.key(pub=False, sec=True); c.finish()
    c = Case("sign-needs-chain", ["release", "sign", "release.json", "--key", "union.key"])
    c.write("release.json", r2); c.key(pub=False, sec=True); c.finish()
    c = Case("sign-key-bad-permissions", ["release", "sign", "release.json", "--key", "union.key"], modes={"union.key": 0o644})
    c.write("release.json", r1); c.key(pub=False, sec=True); c.finish()
    c = Case("sign-never-overwrites", ["release", "sign", "release.json", "--key", "union.key"])
    c.write("release.json", r1); c.write("release.json.minisig", b"earlier\n"); c.key(pub=False, sec=True); c.finish()
    # A release its own audit rejects is never signed: a suppressed cell derivable exactly, and a published
    # cell of one member (its rows changed after the build).
    c = Case("sign-refuses-audit-findings", ["release", "sign", "release.json", "--key", "union.key"])
    c.write("release.json", open(os.path.join(HERE, "../release/row-leak/unsafe.json"), "rb").read())
    c.key(pub=False, sec=True); c.finish()
    c = Case("sign-refuses-cell-below-k", ["release", "sign", "release.json", "--key", "union.key"])
    doc = json.loads(r1); doc["cells"][0]["members"] = 1
    c.write("release.json", recanonical(canonical(doc))); c.key(pub=False, sec=True); c.finish()
    # A key of the other kind is named as such, whatever its mode.
    c = Case("sign-key-is-public", ["release", "sign", "release.json", "--key", "union.pub"])
    c.write("release.json", r1); c.key(); c.finish()
    c = Case("key-show-secret-key", ["key", "show", "union.key"]); c.key(pub=False, sec=True); c.finish()
    # A hostile key file: scrypt limits far above minisign's are refused before any derivation.
    c = Case("sign-hostile-kdf-limits", ["release", "sign", "release.json", "--key", "union.key", "--passphrase-file", "pw"],
             modes={"pw": 0o600})
    c.write("release.json", r1); c.write("pw", b"anything\n"); c.key(pub=False, sec=True)
    def hostile(line):
        blob = bytearray(base64.b64decode(line))
        blob[2:4] = b"Sc"
        blob[38:46] = (1 << 32).to_bytes(8, "little"); blob[46:54] = (1 << 31).to_bytes(8, "little")
        return base64.b64encode(bytes(blob))
    edit_line(c.path("union.key"), 2, hostile); c.finish()

    # --- verify: good ---
    def signed(name, args, data=r1, pubkey="union.pub", **kw):
        c = Case(name, ["release", "verify", "release.json", "--pubkey", pubkey] + args)
        c.write("release.json", data); c.sign("release.json", **kw); c.key(pub=True, sec=pubkey.endswith(".key"))
        return c
    signed("verify-first", []).finish()
    signed("verify-pubkey-is-secret-key", [], pubkey="union.key").finish()
    # Without --chain the report says the chain was not checked; with a missing folder, a first release
    # is told what to do.
    signed("verify-without-chain", [], data=r2).finish()
    signed("verify-without-chain-json", ["--format", "json"], data=r2).finish()
    signed("verify-chain-missing-folder-first", ["--chain", "earlier-releases"]).finish()
    signed("verify-chain-missing-folder-first-json", ["--chain", "earlier-releases", "--format", "json"]).finish()
    c = signed("verify-chain", ["--chain", "chain"], data=r2)
    c.write("chain/2026-W24.json", r1); c.sign("chain/2026-W24.json"); c.finish()
    c = signed("verify-json", ["--chain", "chain", "--format", "json"], data=r2)
    c.write("chain/2026-W24.json", r1); c.sign("chain/2026-W24.json"); c.finish()
    c = signed("verify-ssh-signature", [])
    shutil.copy(os.path.join(CASES, "sign-first", "expected.release.json.sig"), c.path("release.json.sig")); c.finish()
    signed("verify-legacy-signature", [], extra=["-l"]).finish()

    # --- verify: hostile signature files ---
    c = signed("verify-truncated-signature", [])
    data = open(c.path("release.json.minisig"), "rb").read(); c.write("release.json.minisig", data[:len(data) // 3]); c.finish()
    c = signed("verify-oversized-signature", [])
    c.write("release.json.minisig", open(c.path("release.json.minisig"), "rb").read() + b"x" * 20000); c.finish()
    c = signed("verify-wrong-key-id", [], key="other"); c.finish()
    c = signed("verify-non-canonical-s", [])
    edit_line(c.path("release.json.minisig"), 2, s_plus_l); c.finish()
    c = Case("verify-small-order-key", ["release", "verify", "release.json", "--pubkey", "union.pub"])
    c.write("release.json", r1); c.key()
    edit_line(c.path("union.pub"), 2, lambda l: base64.b64encode(base64.b64decode(l)[:10] + b"\x01" + b"\x00" * 31))
    ident = base64.b64decode(open(c.path("union.pub"), "rb").read().split(b"\n")[1])[2:10]
    forged = b"\x01" + b"\x00" * 63  # R = identity, S = 0: valid for every message under the identity key
    c.write("release.json.minisig", b"untrusted comment: forged\n" + base64.b64encode(b"ED" + ident + forged) + b"\n"
            + b"trusted comment: " + claims(r1).encode() + b"\n" + base64.b64encode(forged) + b"\n")
    c.finish()
    c = signed("verify-crlf-signature", [])
    c.write("release.json.minisig", open(c.path("release.json.minisig"), "rb").read().replace(b"\n", b"\r\n")); c.finish()
    c = signed("verify-crlf-pubkey", [])
    c.write("union.pub", open(c.path("union.pub"), "rb").read().replace(b"\n", b"\r\n")); c.finish()
    c = signed("verify-crlf-release", [], data=r1 + b"\r\n"); c.finish()
    c = signed("verify-tampered-release", [])
    c.write("release.json", r1.replace(b'"id":"2026-W24"', b'"id":"2026-W23"')); c.finish()
    c = signed("verify-tampered-trusted-comment", [])
    edit_line(c.path("release.json.minisig"), 3, lambda l: l.replace(b"sequence:1", b"sequence:2")); c.finish()
    signed("verify-claims-mismatch", [], comment=claims(r1, week="2026-W25", seq=2)).finish()
    signed("verify-minisign-default-comment", [], comment="").finish()
    c = Case("verify-missing-signature", ["release", "verify", "release.json", "--pubkey", "union.pub"])
    c.write("release.json", r1); c.key(); c.finish()
    c = signed("verify-not-a-release", [], data=header_only("2026-W24", 1)); c.finish()

    # --- verify: the audit re-derived from rows ---
    today = ["--today", TODAY]
    c = signed("verify-rows", ["--rows", "2026-W24.jsonl"] + today)
    shutil.copy(os.path.join(ROWS, "2026-W24.jsonl"), c.path("2026-W24.jsonl")); c.finish()
    c = signed("verify-rows-mismatch", ["--rows", "2026-W24.jsonl"] + today)
    lines = open(os.path.join(ROWS, "2026-W24.jsonl"), "rb").read().split(b"\n")
    changed = json.loads(lines[0])
    changed["entries"][0]["sessions"] += 1  # one payload differs from the ones the release was built from
    lines[0] = canonical(changed)
    c.write("2026-W24.jsonl", b"\n".join(lines)); c.finish()
    c = signed("verify-rows-mismatch-json", ["--rows", "2026-W24.jsonl", "--format", "json"] + today)
    c.write("2026-W24.jsonl", b"\n".join(lines)); c.finish()
    c = signed("verify-rows-wrong-week", ["--rows", "2026-W25.jsonl"] + today)
    shutil.copy(os.path.join(ROWS, "2026-W25.jsonl"), c.path("2026-W25.jsonl")); c.finish()

    # --- format 2 (backpay-release/2, audited under backpay-attacker/2): signed by us (minisign and SSHSIG),
    # verified with and without the rows; a tampered copy; the fixed grid enforced (presence) ---
    f1 = build("2026-W24", release_format=2)
    c = Case("sign-format2", ["release", "sign", "release.json", "--key", "union.key", "--ssh"])
    c.write("release.json", f1); c.key(pub=False, sec=True)
    c.finish(expected_files=["release.json.minisig", "release.json.sig"])
    def format2(name, args, data=f1):
        c = Case(name, ["release", "verify", "release.json", "--pubkey", "union.pub"] + args)
        c.write("release.json", data); c.key()
        for ext in (".minisig", ".sig"):
            shutil.copy(os.path.join(CASES, "sign-format2", "expected.release.json" + ext), c.path("release.json" + ext))
        return c
    format2("verify-format2", []).finish()
    c = format2("verify-format2-rows", ["--rows", "2026-W24.jsonl"] + today)
    shutil.copy(os.path.join(ROWS, "2026-W24.jsonl"), c.path("2026-W24.jsonl")); c.finish()
    c = format2("verify-format2-rows-json", ["--rows", "2026-W24.jsonl", "--format", "json"] + today)
    shutil.copy(os.path.join(ROWS, "2026-W24.jsonl"), c.path("2026-W24.jsonl")); c.finish()
    format2("verify-format2-tampered", [], data=f1.replace(b'"sessions":', b'"sessions":1', 1)).finish()
    # Presence: a format-2 release lists every position of its grid, and nothing else (signed by a buggy signer).
    doc = json.loads(f1); gone = doc["cells"].pop(0)
    signed("verify-format2-missing-position", [], data=recanonical(canonical(doc))).finish()
    doc = json.loads(f1); doc["cells"].append({"model": "not-in-the-grid", "suppressed": True, "tool": gone["tool"]})
    signed("verify-format2-position-outside-grid", [], data=recanonical(canonical(doc))).finish()

    # --- the other MUSTs of docs/release-format.md §2–§4, each refused by the one decoder (exit 2) ---
    signed("verify-schema-versions-not-ascending", [], data=edited(r1, schema_versions=[0, 0])).finish()
    doc = json.loads(r1); doc["inputs"]["merkle_root"] = doc["inputs"]["merkle_root"].upper().replace("SHA256:", "sha256:")
    signed("verify-merkle-root-upper-case", [], data=recanonical(canonical(doc))).finish()
    doc = json.loads(r1); doc["policy"]["protection"]["frequency_percent"] = 100
    signed("verify-frequency-percent-out-of-range", [], data=recanonical(canonical(doc))).finish()
    doc = json.loads(r1); doc["inputs"]["payloads"] += 1
    signed("verify-payloads-not-total-member-days", [], data=recanonical(canonical(doc))).finish()

    # --- verify: the hash chain ---
    def chain_case(name, target, earlier):
        c = signed(name, ["--chain", "chain"], data=target)
        for fn, data in earlier:
            c.write("chain/" + fn, data)
            if not fn.startswith("unsigned"):
                c.sign("chain/" + fn)
        c.finish()
    # Chains our signer refuses are made by editing the header of a built release (id and period stay in
    # agreement; only previous and sequence change), so each case shows its chain finding and nothing else.
    r3 = build("2026-W26", r2)
    r3_after_r1 = edited(r3, previous=sha(r1))
    chain_case("verify-chain-loop", edited(r2, previous=sha(r3_after_r1)), [("a.json", r1), ("c.json", r3_after_r1)])
    chain_case("verify-chain-gap", r3_after_r1, [("a.json", r1)])
    chain_case("verify-chain-fork", build("2026-W26", r1), [("a.json", r1), ("b.json", r2)])
    chain_case("verify-chain-reordered", edited(build("2026-W23"), sequence=2, previous=sha(r1)), [("a.json", r1)])
    chain_case("verify-chain-replaced-week", edited(r1, sequence=2, previous=sha(r1)), [("a.json", r1)])
    chain_case("verify-chain-unsigned-release", r2, [("unsigned.json", r1)])
    # The chain check counts what it covered: a first release against a folder holding the next one.
    chain_case("verify-chain-later-release", r1, [("2026-W25.json", r2)])
    # Week 24 re-issued (other bytes, same sequence 1) and week 25 built on the re-issue: the folder holds
    # the original, so week 25's previous is a replacement, not a gap.
    r1_reissued = build("2026-W24") + b"\n"
    chain_case("verify-chain-replaced-previous", build("2026-W25", r1_reissued), [("2026-W24.json", r1)])
    # A release claiming the largest sequence: one gap range, at once (cost follows files, not numbers).
    top = 2**53 - 1
    chain_case("verify-chain-gap-to-largest-sequence", r1, [("far.json", edited(r2, sequence=top))])
    # Sequence 2^31 (refused by verify before issue 11) is within the one limit, 2^53-1, as in release audit.
    signed("verify-sequence-2-31", [], data=edited(r2, sequence=2**31)).finish()


if __name__ == "__main__":
    main()
