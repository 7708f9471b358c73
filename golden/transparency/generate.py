#!/usr/bin/env python3
"""Writes the golden cases of `release prove`, `proof verify`, `log` and `key show --note-name`
(golden/transparency/cases/*), hostile ones first among them. Layout and runner as golden/verify (README.md
there): input files, `args`, expected `stdout`, `stderr`, `status`, optional `expected.NAME`.

Inputs are made by our tool from golden/verify's rows and published test keys, plus witness test keys
kept in keys/ (unencrypted, published on purpose, never for real use), then edited byte by byte below.
Expected outputs are recorded from the tool and reviewed by hand.

Usage: golden/transparency/generate.py [path/to/backpay-verify]
"""
import base64, json, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../.build/debug/backpay-verify"))
CASES = os.path.join(HERE, "cases")
KEYS = os.path.join(HERE, "keys")
VKEYS = os.path.join(HERE, "../verify/keys")
ROWS = os.path.join(HERE, "../verify/rows")
EPOCH = "1781000000"
TODAY = "2026-07-20"
ORIGIN = "example.org/union"
LOG = "example.org/union/log"
ENV = {k: v for k, v in os.environ.items() if k != "CI"}
ENV.update({"SOURCE_DATE_EPOCH": EPOCH, "NO_COLOR": "1"})


def run(args, cwd):
    return subprocess.run([BIN] + args, cwd=cwd, capture_output=True, env=ENV)


def ok(args, cwd):
    r = run(args, cwd)
    assert r.returncode == 0, (args, r.stderr.decode())
    return r


def witness_keys():
    os.makedirs(KEYS, exist_ok=True)
    for name in ("w1", "w2"):
        if not os.path.exists(os.path.join(KEYS, name + ".pub")):
            ok(["key", "generate", "--out", name, "--unencrypted"], KEYS)


def case(name, files, args):
    """Writes case `name`: `files` maps a name in the case to bytes, then records the run."""
    d = os.path.join(CASES, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for f, b in files.items():
        path = os.path.join(d, f)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(b)
        if f.endswith(".key"):
            os.chmod(path, 0o600)
    with open(os.path.join(d, "args"), "w") as fh:
        fh.write("\n".join(args) + "\n")
    work = tempfile.mkdtemp()
    shutil.rmtree(work)
    shutil.copytree(d, work)
    r = run(args, work)
    shutil.rmtree(work)
    for f, b in (("stdout", r.stdout), ("stderr", r.stderr), ("status", f"{r.returncode}\n".encode())):
        with open(os.path.join(d, f), "wb") as fh:
            fh.write(b)
    return r


def read(path):
    with open(path, "rb") as fh:
        return fh.read()


def bundles(proof):
    """Splits a member's proof file into its tlog-proof bundles (bytes each)."""
    head = b"c2sp.org/tlog-proof@v1\n"
    return [head + p for p in proof.split(head) if p]


def main():
    witness_keys()
    shutil.rmtree(CASES, ignore_errors=True)
    os.makedirs(CASES)
    t = tempfile.mkdtemp()
    key = read(os.path.join(VKEYS, "union.key"))
    pub = read(os.path.join(VKEYS, "union.pub"))
    other_pub = read(os.path.join(VKEYS, "other.pub"))
    for w in ("w1", "w2"):
        shutil.copy(os.path.join(KEYS, w + ".key"), t)
        os.chmod(os.path.join(t, w + ".key"), 0o600)
    with open(os.path.join(t, "union.key"), "wb") as fh:
        fh.write(key)
    os.chmod(os.path.join(t, "union.key"), 0o600)
    releases = {}
    for week in ("2026-W24", "2026-W25"):
        shutil.copy(os.path.join(ROWS, week + ".jsonl"), t)
        prev = []   # each week its own first release: no chain needed to sign it
        ok(["release", "build", "--rows", week + ".jsonl", "--week", week, "--today", TODAY, "-o", week + ".json", "-q"] + prev, t)
        ok(["release", "sign", week + ".json", "--key", "union.key"], t)
        ok(["release", "prove", week + ".json", "--rows", week + ".jsonl", "--key", "union.key", "--origin", ORIGIN, "--out", "proofs-" + week, "--today", TODAY], t)
        releases[week] = (read(os.path.join(t, week + ".json")), read(os.path.join(t, week + ".json.minisig")))
    proofs = sorted(f for f in os.listdir(os.path.join(t, "proofs-2026-W24")) if f.endswith(".tlog-proofs"))
    a, b = proofs[0], proofs[1]
    member = a[: -len(".tlog-proofs")]
    proof_a = read(os.path.join(t, "proofs-2026-W24", a))
    proof_b = read(os.path.join(t, "proofs-2026-W24", b))
    payloads = {}
    for line in read(os.path.join(ROWS, "2026-W24.jsonl")).splitlines():
        d = json.loads(line)
        if d["panelist"] == member:
            payloads["day-" + d["date"] + ".json"] = line + b"\n"
    days = sorted(payloads)
    rel24 = {"2026-W24.json": releases["2026-W24"][0], "2026-W24.json.minisig": releases["2026-W24"][1]}
    rel25 = {"2026-W25.json": releases["2026-W25"][0], "2026-W25.json.minisig": releases["2026-W25"][1]}

    def verify(name, proof, extra_files=None, extra_args=None, pubkey=pub, with_payloads=True, release=True):
        files = {"member.tlog-proofs": proof, "union.pub": pubkey}
        args = ["proof", "verify", "member.tlog-proofs", "--pubkey", "union.pub", "--today", TODAY]
        if with_payloads:
            files.update(payloads)
            args += ["--payload"] + days
        if release:
            files.update(rel24)
            args += ["--release", "2026-W24.json"]
        files.update(extra_files or {})
        return case(name, files, args + (extra_args or []))

    # release prove
    rows24 = read(os.path.join(ROWS, "2026-W24.jsonl"))
    prove = ["release", "prove", "2026-W24.json", "--rows", "rows.jsonl", "--key", "union.key", "--origin", ORIGIN, "--out", "proofs", "--today", TODAY]
    case("prove-writes-every-member", dict(rel24, **{"rows.jsonl": rows24, "union.key": key}), prove + ["--format", "json"])
    case("prove-refuses-other-rows", dict(rel24, **{"rows.jsonl": b"\n".join(rows24.splitlines()[1:]) + b"\n", "union.key": key}), prove)
    case("prove-never-overwrites", dict(rel24, **{"rows.jsonl": rows24, "union.key": key, "proofs/keep": b"x\n"}), prove)
    case("prove-bad-origin", dict(rel24, **{"rows.jsonl": rows24, "union.key": key}), prove[:-5] + ["example.org/my union", "--out", "proofs", "--today", TODAY])

    # proof verify: good, then every hostile input
    verify("proof-verify-counted", proof_a)
    verify("proof-verify-counted-json", proof_a, extra_args=["--format", "json"])
    verify("proof-verify-without-payloads", proof_a, with_payloads=False, release=False)
    bs = bundles(proof_a)
    verify("proof-truncated", proof_a[: len(proof_a) // 2 + 7])
    verify("proof-truncated-signature-block", proof_a[: proof_a.rindex(b"\n\n") + 1])
    lines = bs[0].split(b"\n")
    verify("proof-path-hash-missing", b"\n".join(lines[:4] + lines[5:]) + b"".join(bs[1:]))
    verify("proof-path-reordered", b"\n".join(lines[:3] + [lines[4], lines[3]] + lines[5:]) + b"".join(bs[1:]))
    verify("proof-bundles-reordered", b"".join(reversed(bs)))
    verify("proof-other-release", proof_a, extra_files=rel25, extra_args=["--release", "2026-W25.json"], release=False)
    # Another tree of the same week (one payload fewer), signed by the union: a path of one tree, the root of the other.
    with open(os.path.join(t, "alt.jsonl"), "wb") as fh:
        fh.write(b"\n".join(rows24_lines()[:-1]) + b"\n")
    ok(["release", "build", "--rows", "alt.jsonl", "--week", "2026-W24", "--today", TODAY, "-o", "alt.json", "-q"], t)
    ok(["release", "prove", "alt.json", "--rows", "alt.jsonl", "--key", "union.key", "--origin", ORIGIN, "--out", "proofs-alt", "--today", TODAY], t)
    spliced = bs[0][: bs[0].index(b"\n\n") + 2] + read(os.path.join(t, "proofs-alt", "checkpoint"))
    verify("proof-leaf-of-another-tree", spliced, release=False, with_payloads=False)
    verify("proof-same-day-given-twice", proof_a + bs[0])
    verify("proof-day-counted-twice", proof_a + bs[0].replace(b"\nindex 0\n", b"\nindex 5\n"))
    verify("proof-another-members-day", proof_a + bundles(proof_b)[0])
    verify("proof-day-missing", b"".join(bs[1:]))
    changed = dict(payloads)
    changed[days[0]] = payloads[days[0]].replace(b'"sessions":', b'"sessions":1', 1)
    verify("proof-payload-not-the-leaf", proof_a, extra_files=changed)
    note = bs[0][bs[0].index(b"\n\n") + 2:]
    sig = note[note.rindex(b"\n\n") + 2:]
    unknown = b"".join(b"\xe2\x80\x94 " + n + b" " + base64.b64encode(bytes([i]) * 68) + b"\n" for i, n in enumerate([b"example.org/union/inputs/2026-W24", b"witness.example/w9", b"other.example"]))
    verify("proof-unknown-signers-ignored", b"".join(p + unknown for p in bs))
    bad = bytearray(sig)
    bad[-10] = ord("A") if bad[-10] != ord("A") else ord("B")
    verify("proof-known-key-bad-signature", b"".join(p.replace(sig, bytes(bad)) for p in bs))
    verify("proof-crlf", proof_a.replace(b"\n", b"\r\n"))
    verify("proof-not-the-unions-key", proof_a, pubkey=other_pub, release=False)
    verify("proof-origin-changed", proof_a.replace(b"inputs/2026-W24\n", b"inputs/2026-W99\n"), release=False, with_payloads=False)
    verify("proof-bad-index", proof_a.replace(b"index ", b"index 0", 1), release=False, with_payloads=False)

    # the log
    ok(["log", "append", "union.log", "2026-W24.json", "--key", "union.key", "--origin", LOG], t)
    cp1 = read(os.path.join(t, "union.log.checkpoint"))
    state1 = read(os.path.join(t, "union.log"))
    ok(["log", "append", "union.log", "2026-W25.json", "--key", "union.key"], t)
    cp2 = read(os.path.join(t, "union.log.checkpoint"))
    ok(["log", "prove", "union.log", "--since", "1", "-o", "req1"], t)
    ok(["log", "prove", "union.log", "--since", "0", "-o", "req0"], t)
    req1, req0 = read(os.path.join(t, "req1")), read(os.path.join(t, "req0"))
    wvk = b""
    for w in ("w1", "w2"):
        shutil.copy(os.path.join(KEYS, w + ".pub"), t)
        wvk += ok(["key", "show", w + ".pub", "--note-name", w + ".example", "--cosigner"], t).stdout
        ok(["log", "witness", "req0", "--key", w + ".key", "--name", w + ".example", "--log-pubkey", "union.pub" if os.path.exists(os.path.join(t, "union.pub")) else os.path.join(VKEYS, "union.pub"),
            "--origin", LOG, "--state", w + ".state", "-o", w + ".cosigned"], t)
    c1, c2 = read(os.path.join(t, "w1.cosigned")), read(os.path.join(t, "w2.cosigned"))
    w1key = read(os.path.join(KEYS, "w1.key"))
    base = {"union.pub": pub, "witnesses": wvk}
    lv = ["log", "verify", "--pubkey", "union.pub", "--origin", LOG]
    case("key-show-note-verifier-key", {"union.pub": pub}, ["key", "show", "union.pub", "--note-name", LOG])
    case("log-append-then-checkpoint", dict(rel24, **{"union.key": key}), ["log", "append", "union.log", "2026-W24.json", "--key", "union.key", "--origin", LOG])
    case("log-append-refuses-duplicate", dict(rel24, **{"union.key": key, "union.log": state1, "union.log.checkpoint": cp1}), ["log", "append", "union.log", "2026-W24.json", "--key", "union.key"])
    case("log-witness-cosigns-consistent", {"req1": req1, "union.pub": pub, "w1.key": w1key, "w1.state": b"backpay-witness/v1\n" + LOG.encode() + b" 1 " + cp1.split(b"\n")[2] + b"\n"},
         ["log", "witness", "req1", "--key", "w1.key", "--name", "w1.example", "--log-pubkey", "union.pub", "--origin", LOG, "--state", "w1.state", "-o", "out.cosigned"])
    fork = cp1.split(b"\n")
    case("log-witness-refuses-split-view", {"req1": req1, "union.pub": pub, "w1.key": w1key, "w1.state": b"backpay-witness/v1\n" + LOG.encode() + b" 2 " + base64.b64encode(b"\x01" * 32) + b"\n"},
         ["log", "witness", "req1", "--key", "w1.key", "--name", "w1.example", "--log-pubkey", "union.pub", "--origin", LOG, "--state", "w1.state", "-o", "out.cosigned"])
    case("log-witness-refuses-wrong-old-size", {"req1": req0, "union.pub": pub, "w1.key": w1key, "w1.state": b"backpay-witness/v1\n" + LOG.encode() + b" 1 " + fork[2] + b"\n"},
         ["log", "witness", "req1", "--key", "w1.key", "--name", "w1.example", "--log-pubkey", "union.pub", "--origin", LOG, "--state", "w1.state", "-o", "out.cosigned"])
    case("log-verify-quorum", dict(base, **{"w1.cosigned": c1, "w2.cosigned": c2}), lv + ["w1.cosigned", "w2.cosigned", "--witnesses", "witnesses", "--quorum", "2"])
    case("log-verify-quorum-not-met", dict(base, **{"w1.cosigned": c1}), lv + ["w1.cosigned", "--witnesses", "witnesses", "--quorum", "2"])
    case("log-verify-consistent-with-state", dict(base, **{"req1": req1, "buyer.state": cp1}), lv + ["req1", "--state", "buyer.state", "--format", "json"])
    split = cp2.split(b"\n")
    other_root = base64.b64encode(b"\x02" * 32)
    # A second checkpoint of size 2 the log signed over other entries: made by appending another release to a copy.
    fork_cp = read_fork(t, key)
    case("log-verify-split-view", dict(base, **{"a.checkpoint": cp2, "b.checkpoint": fork_cp}), lv + ["a.checkpoint", "b.checkpoint"])
    case("log-verify-rollback", dict(base, **{"old.checkpoint": cp2, "new.checkpoint": cp1}), lv + ["new.checkpoint", "--since", "old.checkpoint"])
    bad_req = bytearray(req1)
    i = req1.index(b"\n") + 3
    bad_req[i] = ord("A") if bad_req[i] != ord("A") else ord("B")
    case("log-verify-inconsistent-proof", dict(base, **{"req1": bytes(bad_req), "old.checkpoint": cp1}), lv + ["req1", "--since", "old.checkpoint"])
    case("log-verify-no-proof-for-older", dict(base, **{"new.checkpoint": cp2, "old.checkpoint": cp1}), lv + ["new.checkpoint", "--since", "old.checkpoint"])
    case("log-verify-origin-mismatch", dict(base, **{"c.checkpoint": cp2}), ["log", "verify", "--pubkey", "union.pub", "--origin", "example.org/other/log", "c.checkpoint"])
    many = c1 + b"".join(b"\xe2\x80\x94 w%d.example " % i + base64.b64encode(bytes([i % 256]) * 76) + b"\n" for i in range(10000))
    case("log-verify-10000-cosignatures", dict(base, **{"c.cosigned": many}), lv + ["c.cosigned", "--witnesses", "witnesses", "--quorum", "1"])
    hundred = c1 + b"".join(b"\xe2\x80\x94 w%d.example " % i + base64.b64encode(bytes([i]) * 76) + b"\n" for i in range(100))
    case("log-verify-101-signature-lines", dict(base, **{"c.cosigned": hundred}), lv + ["c.cosigned", "--witnesses", "witnesses", "--quorum", "1"])
    w1line = c1[c1.rindex(b"\n", 0, len(c1) - 1) + 1:]
    bad_cosig = bytearray(w1line)
    bad_cosig[-12] = ord("A") if bad_cosig[-12] != ord("A") else ord("B")
    case("log-verify-bad-cosignature", dict(base, **{"c.cosigned": c1.replace(w1line, bytes(bad_cosig)), "w2.cosigned": c2}), lv + ["c.cosigned", "w2.cosigned", "--witnesses", "witnesses", "--quorum", "1"])
    case("log-verify-unknown-cosigners-ignored", dict(base, **{"c.cosigned": c1 + unknown}), lv + ["c.cosigned", "--witnesses", "witnesses", "--quorum", "1"])
    case("log-verify-crlf", dict(base, **{"c.checkpoint": cp1.replace(b"\n", b"\r\n")}), lv + ["c.checkpoint"])

    # A buyer's proof that a release is in the log: `log prove --release`, checked by `log verify --release`.
    state2 = read(os.path.join(t, "union.log"))
    r = case("log-prove-release", dict(rel24, **{"union.log": state2, "union.log.checkpoint": cp2, "w1.cosigned": c1}),
             ["log", "prove", "union.log", "--release", "2026-W24.json", "--checkpoint", "w1.cosigned", "-o", "2026-W24.log-proof"])
    assert r.returncode == 0, r.stderr
    ok(["log", "prove", "union.log", "--release", "2026-W24.json", "--checkpoint", "w1.cosigned", "-o", "r24.log-proof"], t)
    ok(["log", "prove", "union.log", "--release", "2026-W24.json", "-o", "r24-plain.log-proof"], t)
    ok(["log", "prove", "union.log", "--release", "2026-W25.json", "-o", "r25.log-proof"], t)
    r24, r25 = read(os.path.join(t, "r24.log-proof")), read(os.path.join(t, "r25.log-proof"))
    r24_plain = read(os.path.join(t, "r24-plain.log-proof"))
    with open(os.path.join(CASES, "log-prove-release", "expected.2026-W24.log-proof"), "wb") as fh:
        fh.write(r24)
    lr = lv + ["--release", "2026-W24.json", "--proof", "r.log-proof"]
    case("log-verify-release-included", dict(base, **{"2026-W24.json": rel24["2026-W24.json"], "r.log-proof": r24}), lr + ["--witnesses", "witnesses", "--quorum", "1"])
    tampered = rel24["2026-W24.json"]
    at = tampered.index(b'"merkle_root":"sha256:') + len(b'"merkle_root":"sha256:')
    tampered = tampered[:at] + (b"f" if tampered[at:at + 1] != b"f" else b"e") + tampered[at + 1:]
    case("log-verify-release-tampered", dict(base, **{"2026-W24.json": tampered, "r.log-proof": r24}), lr)
    case("log-verify-release-proof-of-another", dict(base, **{"2026-W24.json": rel24["2026-W24.json"], "r.log-proof": r25}), lr)
    case("log-verify-release-other-checkpoint", dict(base, **{"2026-W24.json": rel24["2026-W24.json"], "r.log-proof": r24[: r24.index(cp2)] + fork_cp}),
         lv + ["--release", "2026-W24.json", "--proof", "r.log-proof"])
    case("log-verify-release-quorum-not-met", dict(base, **{"2026-W24.json": rel24["2026-W24.json"], "r.log-proof": r24_plain}),
         lv + ["--release", "2026-W24.json", "--proof", "r.log-proof", "--witnesses", "witnesses", "--quorum", "1"])
    case("log-prove-release-not-in-log", dict(rel25, **{"union.log": state1, "union.log.checkpoint": cp1}),
         ["log", "prove", "union.log", "--release", "2026-W25.json", "-o", "r.log-proof"])
    case("log-witness-refuses-first-sight-not-from-zero", {"req1": req1, "union.pub": pub, "w1.key": w1key},
         ["log", "witness", "req1", "--key", "w1.key", "--name", "w1.example", "--log-pubkey", "union.pub", "--origin", LOG, "--state", "w1.state", "-o", "out.cosigned"])
    shutil.rmtree(t)


def rows24_lines():
    return read(os.path.join(ROWS, "2026-W24.jsonl")).splitlines()


def read_fork(t, key):
    """The log's key signing another history of the same size: the same first release, then a different second."""
    f = os.path.join(t, "fork")
    os.makedirs(f)
    for n in ("2026-W24.json", "2026-W24.json.minisig", "union.key"):
        shutil.copy(os.path.join(t, n), f)
    os.chmod(os.path.join(f, "union.key"), 0o600)
    rel = read(os.path.join(t, "2026-W25.json"))
    root = rel.index(b'"merkle_root":"sha256:') + len(b'"merkle_root":"sha256:')
    rel = rel[:root] + (b"f" if rel[root:root + 1] != b"f" else b"e") + rel[root + 1:]
    with open(os.path.join(f, "2026-W25.json"), "wb") as fh:
        fh.write(rel)
    ok(["release", "sign", "2026-W25.json", "--key", "union.key"], f)
    ok(["log", "append", "union.log", "2026-W24.json", "--key", "union.key", "--origin", LOG], f)
    ok(["log", "append", "union.log", "2026-W25.json", "--key", "union.key"], f)
    return read(os.path.join(f, "union.log.checkpoint"))


if __name__ == "__main__":
    main()
