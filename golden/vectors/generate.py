#!/usr/bin/env python3
"""Writes the release test vectors (golden/vectors/cases/*, format in docs/test-vectors.md) from the golden
cases the project already reviewed, so that vectors and text goldens cannot drift apart:

- every `release verify` case of golden/verify/cases (text form only; the JSON twins check wording): its
  input files, and the class its reviewed `status` and `stdout` give (0: ok, 2: unreadable, 1: the first
  failed check in the order signature, trusted comment, ssh signature, canonical, chain, audit);
- every release of golden/release/<case>/ audited alone and with its rows: the class and codes its reviewed
  audit-*.txt gives (our own release.json files: ok).

The finding codes of verify vectors are recorded by running the tool (--format json) and checked to agree
with the class above; run.py then replays every vector. Usage: golden/vectors/generate.py [backpay-verify]
"""
import json, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "../.."))
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/backpay-verify"))
CASES = os.path.join(HERE, "cases")
sys.path.insert(0, HERE)
import run as runner  # noqa: E402

RELEASE_TODAY = "2026-06-20"  # golden/release rows are dated in 2026-W24 and earlier
FAILED = (("signature", "signature"), ("trusted comment", "signature"), ("ssh signature", "signature"),
          ("canonical", "canonical"), ("chain", "chain"), ("audit", "disclosure"))


def verify_class(case):
    status = int(open(os.path.join(case, "status")).read())
    if status != 1:
        return {0: "ok", 2: "unreadable"}[status]
    lines = open(os.path.join(case, "stdout")).read().splitlines()
    for check, cls in FAILED:
        if any(l.startswith(check + ": failed:") for l in lines):
            return cls
    raise SystemExit("%s: exit 1 without a failed check in its golden stdout" % case)


def verify_vector(case):
    args = open(os.path.join(case, "args")).read().splitlines()
    assert args[:2] == ["release", "verify"], args
    vector = {"command": "verify", "release": args[2]}
    i = 3
    while i < len(args):
        flag = args[i]
        if flag == "--rows":
            vector["rows"] = []
            i += 1
            while i < len(args) and not args[i].startswith("--"):
                vector["rows"].append(args[i]); i += 1
            continue
        key = {"--pubkey": "pubkey", "--chain": "chain", "--today": "today", "--format": None}[flag]
        if key:
            vector[key] = args[i + 1]
        i += 2
    return vector


def write(name, source_files, vector, expect):
    """Copies the inputs, records the finding codes our tool reports, and checks the class."""
    out = os.path.join(CASES, name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for src, dst in source_files:
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(out, dst))
    work = tempfile.mkdtemp()
    try:
        shutil.copytree(out, work, dirs_exist_ok=True)
        r = subprocess.run([BIN] + runner.argv(vector), cwd=work, capture_output=True, stdin=subprocess.DEVNULL)
    finally:
        shutil.rmtree(work)
    got, codes = runner.classify(vector["command"], r.returncode, json.loads(r.stdout))
    assert got == expect[0], "%s: the reviewed golden says %s, the tool's JSON %s" % (name, expect[0], got)
    if expect[1] is not None:
        assert codes == expect[1], "%s: the reviewed golden's codes %s, the tool's %s" % (name, expect[1], codes)
    vector.update({"expect": got, "findings": codes})
    with open(os.path.join(out, "vector.json"), "w") as f:
        f.write(json.dumps(vector, indent=1, sort_keys=True) + "\n")
    print("%-50s %s %s" % (name, got, ",".join(codes)))


def main():
    shutil.rmtree(CASES, ignore_errors=True)
    os.makedirs(CASES)
    verify_cases = os.path.join(ROOT, "golden/verify/cases")
    for name in sorted(os.listdir(verify_cases)):
        case = os.path.join(verify_cases, name)
        if not name.startswith("verify-") or name.endswith("-json"):
            continue
        vector = verify_vector(case)
        inputs = [(os.path.join(case, f), f) for f in sorted(os.listdir(case))
                  if f not in ("args", "stdout", "stderr", "status", "modes") and not f.startswith("expected.")]
        write(name, inputs, vector, (verify_class(case), None))

    release = os.path.join(ROOT, "golden/release")
    for name in sorted(os.listdir(release)):
        d = os.path.join(release, name)
        if not os.path.isfile(os.path.join(d, "rows.jsonl")) or not os.path.isfile(os.path.join(d, "release.json")):
            continue
        rows = [(os.path.join(d, "rows.jsonl"), "rows.jsonl")]
        ours = {"command": "audit", "release": "release.json", "today": RELEASE_TODAY}
        write("audit-%s-built" % name, [(os.path.join(d, "release.json"), "release.json")], dict(ours), ("ok", []))
        write("audit-%s-built-rows" % name, [(os.path.join(d, "release.json"), "release.json")] + rows,
              dict(ours, rows=["rows.jsonl"]), ("ok", []))
        for other in ("unsafe", "handmade"):
            if not os.path.isfile(os.path.join(d, other + ".json")):
                continue
            sections = {}
            for line in open(os.path.join(d, "audit-%s.txt" % other)).read().splitlines():
                if line.startswith("# "):
                    label = line[2:]
                    sections[label] = []
                elif line:
                    sections[label].append(line.split(":", 1)[0])
            for label, codes in sections.items():
                extra, files = {}, [(os.path.join(d, other + ".json"), "release.json")]
                if label == "with rows":
                    extra, files = {"rows": ["rows.jsonl"]}, files + rows
                elif label == "with previous":
                    extra, files = {"previous": "previous.json"}, files + [(os.path.join(d, "previous.json"), "previous.json")]
                else:
                    assert label == "release alone", label
                codes = sorted(set(codes))
                expect = "ok" if not codes else next((c for code, c in runner.AUDIT_CODES if code in codes), "disclosure")
                write("audit-%s-%s-%s" % (name, other, label.split(" ")[-1]), files, dict(ours, **extra), (expect, codes))

if __name__ == "__main__":
    main()
