#!/usr/bin/env python3
"""Runs the release test vectors (docs/test-vectors.md) against a command-line implementation.

Usage: golden/vectors/run.py --tool CMD [VECTOR_DIR ...]
  CMD is the implementation's command (split on spaces), called as
      CMD release verify RELEASE --pubkey KEY [--chain DIR] [--rows F ...] [--today DAY] --format json
      CMD release audit RELEASE [--rows F ...] [--previous FILE] [--today DAY] --format json
  in a scratch copy of each vector's directory. Without VECTOR_DIR, every directory under cases/ runs.

Each run's exit status and its one JSON document are mapped to a class (ok, signature, canonical, chain,
disclosure, unreadable) and a set of finding codes, which must equal the vector's `expect` and `findings`.
Prints one line per vector; exits 0 when all match, 1 otherwise. Standard library only.
"""
import json, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CLASSES = ("ok", "signature", "canonical", "chain", "disclosure", "unreadable")
# release verify: the check that failed, in this order of precedence, names the class.
VERIFY_CHECKS = (("signature", "signature"), ("trusted comment", "signature"), ("ssh signature", "signature"),
                 ("canonical", "canonical"), ("chain", "chain"), ("audit", "disclosure"))
CHAIN_KINDS = ("gap", "fork", "loop", "reordered", "replaced-week")
# release audit: the findings that name a class before `disclosure`.
AUDIT_CODES = (("canonical", "canonical"), ("chain", "chain"), ("reissue", "chain"), ("difference", "chain"))


def argv(vector):
    """The arguments after CMD for a vector."""
    today = ["--today", vector["today"]] if vector.get("today") else []
    rows = ["--rows"] + vector["rows"] if vector.get("rows") else []
    if vector["command"] == "verify":
        chain = ["--chain", vector["chain"]] if vector.get("chain") else []
        return ["release", "verify", vector["release"], "--pubkey", vector["pubkey"]] + chain + rows + today + ["--format", "json"]
    if vector["command"] == "audit":
        previous = ["--previous", vector["previous"]] if vector.get("previous") else []
        return ["release", "audit", vector["release"]] + rows + previous + today + ["--format", "json"]
    raise ValueError("unknown command %r" % vector["command"])


def chain_code(detail):
    """A chain finding's kind from its detail line: `gap`, `fork`, `loop`, `reordered`, `replaced-week`, or
    `chain-file` for a release of the chain folder that could not join it (unreadable, unsigned, bad signature)."""
    kind = detail.split(":", 1)[0].replace(" ", "-")
    return kind if kind in CHAIN_KINDS else "chain-file"


def classify(command, status, document):
    """(class, sorted finding codes) of one run, or raises ValueError when the run fits no class."""
    if status == 2:
        return "unreadable", []
    if status not in (0, 1):
        raise ValueError("exit status %d is none of 0, 1, 2" % status)
    if command == "verify":
        failed = {c["check"]: c for c in document["checks"] if c["status"] == "failed"}
        codes = sorted({chain_code(d) for d in failed.get("chain", {}).get("details", [])}
                       | {d.split(":", 1)[0] for d in failed.get("audit", {}).get("details", [])})
        if status == 0:
            if failed:
                raise ValueError("exit 0 with failed checks")
            return "ok", []
        for check, cls in VERIFY_CHECKS:
            if check in failed:
                return cls, codes
        raise ValueError("exit 1 without a failed check")
    codes = sorted({f["code"] for f in document["findings"]})
    if status == 0:
        if codes:
            raise ValueError("exit 0 with findings")
        return "ok", []
    for code, cls in AUDIT_CODES:
        if code in codes:
            return cls, codes
    if not codes:
        raise ValueError("exit 1 without a finding")
    return "disclosure", codes


def run(tool, vector_dir):
    """(passed, message) for one vector directory."""
    with open(os.path.join(vector_dir, "vector.json")) as f:
        vector = json.load(f)
    assert vector["expect"] in CLASSES, vector["expect"]
    work = tempfile.mkdtemp(prefix="backpay-vector-")
    try:
        shutil.copytree(vector_dir, work, dirs_exist_ok=True)
        r = subprocess.run(tool + argv(vector), cwd=work, capture_output=True, stdin=subprocess.DEVNULL)
    finally:
        shutil.rmtree(work)
    try:
        document = json.loads(r.stdout)
        got, codes = classify(vector["command"], r.returncode, document)
    except ValueError as e:
        return False, "exit %d: %s; stderr: %s" % (r.returncode, e, r.stderr.decode("utf-8", "replace").strip())
    want = (vector["expect"], sorted(vector.get("findings", [])))
    if (got, codes) != want:
        return False, "expected %s %s, got %s %s" % (want[0], want[1], got, codes)
    return True, got + (" " + ",".join(codes) if codes else "")


def main(args):
    if len(args) < 2 or args[0] != "--tool":
        sys.exit(__doc__)
    tool = args[1].split(" ")
    if os.sep in tool[0]:  # a path: the runs happen in scratch directories
        tool[0] = os.path.abspath(tool[0])
    dirs = args[2:] or sorted(os.path.join(HERE, "cases", d) for d in os.listdir(os.path.join(HERE, "cases")))
    failures = 0
    for d in dirs:
        passed, message = run(tool, d)
        failures += not passed
        print("%s %s: %s" % ("ok  " if passed else "FAIL", os.path.basename(d.rstrip("/")), message))
    print("%d vectors, %d failed" % (len(dirs), failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
