#!/usr/bin/env python3
"""Differential test: a mainstream validator against the golden payload manifest.

Runs jsonschema-rs (format assertion on) over every golden payload, fed by orjson (the strict common
parser: it refuses NaN, Infinity, a BOM, lone surrogates and invalid UTF-8), and compares each verdict
with the `jsonschema_rs` field of golden/payloads/cases.json. Where jsonschema-rs accepts what the toolkit
rejects, the manifest must say why (`toolkit_only_reason`); those cases are docs/toolkit-rules.md.

    pip install jsonschema-rs orjson
    python3 Tests/Differential/jsonschema_rs_diff.py [--schema FILE] [--verbose]

Exit status: 0 when every case agrees with the manifest, 1 on any disagreement, 2 when it cannot run.
"""
import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
GOLDEN = ROOT / "golden" / "payloads"


def verdict(validator, orjson, data):
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return "parse-error", []
    errors = [f"{'/' + '/'.join(str(p) for p in e.instance_path) if e.instance_path else '(root)'}: {e.message}"
              for e in validator.iter_errors(value)]
    return ("invalid" if errors else "valid"), errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schema", default=str(ROOT / "schemas" / "payload-v0.schema.json"))
    ap.add_argument("--manifest", default=str(GOLDEN / "cases.json"))
    ap.add_argument("--verbose", action="store_true", help="print jsonschema-rs's messages for every case")
    args = ap.parse_args()
    try:
        import jsonschema_rs
        import orjson
    except ImportError as e:
        print(f"jsonschema_rs_diff: {e}: run `pip install jsonschema-rs orjson`", file=sys.stderr)
        return 2
    try:
        schema = json.loads(pathlib.Path(args.schema).read_bytes())
        manifest = json.loads(pathlib.Path(args.manifest).read_bytes())
    except (OSError, ValueError) as e:
        print(f"jsonschema_rs_diff: {e}", file=sys.stderr)
        return 2
    validator = jsonschema_rs.validator_for(schema, validate_formats=True)

    passed, failed, skipped = 0, 0, 0
    listed = set()
    for case in manifest["cases"]:
        name = case["file"]
        listed.add(name)
        problems = []
        if case["expect"] == "unreadable":
            skipped += 1
            continue
        got, messages = verdict(validator, orjson, (GOLDEN / name).read_bytes())
        if got != case["jsonschema_rs"]:
            problems.append(f"jsonschema-rs says {got}, the manifest expects {case['jsonschema_rs']}")
        toolkit_accepts = case["expect"] in ("valid", "noncanonical")
        disagree = toolkit_accepts != (got == "valid")
        if disagree and not case.get("toolkit_only_reason"):
            problems.append("jsonschema-rs and the toolkit disagree, but the manifest gives no toolkit_only_reason")
        if not disagree and case.get("toolkit_only_reason"):
            problems.append("the manifest gives a toolkit_only_reason, but jsonschema-rs agrees with the toolkit")
        if problems:
            failed += 1
            for p in problems:
                print(f"FAIL {name}: {p}")
            for m in messages:
                print(f"     {m}")
        else:
            passed += 1
            if args.verbose:
                print(f"ok   {name}: {got}" + "".join(f"\n     {m}" for m in messages))
    for sub in ("valid", "noncanonical", "invalid"):
        for f in sorted((GOLDEN / sub).glob("*.json")):
            rel = f.relative_to(GOLDEN).as_posix()
            if rel not in listed:
                failed += 1
                print(f"FAIL {rel}: not in the manifest")
    print(f"{passed} passed, {failed} failed ({skipped} unreadable cases not applicable)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
