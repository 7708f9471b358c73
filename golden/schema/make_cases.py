#!/usr/bin/env python3
"""Writes the input files of the schema golden cases (lint schemas, diff pairs, gate trees).

Expected outputs are written by regen.sh from the built tool and reviewed by hand; this script only
makes inputs, so that each case is one small, named edit of a known-good schema.
"""
import copy, json, os, shutil, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DIALECT = "https://json-schema.org/draft/2020-12/schema"
TODAY = "2026-06-12"


def dump(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write("\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def base():
    return {
        "$schema": DIALECT,
        "type": "object",
        "additionalProperties": False,
        "required": ["schema_version", "tool"],
        "properties": {
            "schema_version": {"type": "integer", "const": 0},
            "tool": {"type": "string", "enum": ["codex", "cursor"]},
        },
    }


def with_prop(name, schema, required=True):
    s = base()
    s["properties"][name] = schema
    if required:
        s["required"].append(name)
    return s


def lint_cases():
    c = {}
    c["00-closed"] = (base(), None)
    c["01-nested-object-open"] = (with_prop("meta", {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer", "minimum": 0, "maximum": 9}}}), None)
    s = base(); del s["additionalProperties"]; s["additionalproperties"] = False
    c["02-misspelt-keyword"] = (s, None)
    s = base(); s["patternProperties"] = {".*": {"type": "string", "enum": ["x"]}}
    c["03-pattern-properties"] = (s, None)
    s = base(); s["additionalProperties"] = {"type": "string", "enum": ["x"]}
    c["04-additional-properties-schema"] = (s, None)
    c["05-max-length-only"] = (with_prop("note", {"type": "string", "maxLength": 20}), None)
    c["06-format-uuid-alone"] = (with_prop("panelist", {"type": "string", "format": "uuid"}), None)
    c["07-format-date-alone"] = (with_prop("date", {"type": "string", "format": "date"}), None)
    s = with_prop("entry", {"$ref": "#/$defs/entry"})
    s["$defs"] = {"entry": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer", "minimum": 0, "maximum": 9}}}}
    c["08-ref-to-open-object"] = (s, None)
    s = base(); s["properties"]["tool"] = {"anyOf": [{"type": "string", "enum": ["codex", "cursor"]}, {"type": "string"}]}
    c["09-anyof-permissive-branch"] = (s, None)
    c["10-bounds-without-type"] = (with_prop("count", {"minimum": 0, "maximum": 10}), None)
    c["11-array-without-items"] = (with_prop("entries", {"type": "array", "maxItems": 4}), None)
    c["12-prefix-items"] = (with_prop("pair", {"type": "array", "prefixItems": [{"type": "string", "enum": ["a"]}], "maxItems": 2}), None)
    c["13-boolean-subschema"] = (with_prop("extra", True, required=False), None)
    s = base(); props = s.pop("properties"); s["allOf"] = [{"properties": props}]
    c["14-allof-properties"] = (s, None)
    s = base(); del s["additionalProperties"]; s["unevaluatedProperties"] = False
    c["15-unevaluated-properties"] = (s, None)
    c["16-integer-written-with-fraction"] = (with_prop("count", {"type": "integer", "minimum": 0, "maximum": 10}),
                                             '{"schema_version":0,"tool":"codex","count":1.0}\n')
    c["17-dollar-before-final-newline"] = (with_prop("day", {"type": "string", "pattern": "^2025-01-0[1-9]$"}),
                                           '{"schema_version":0,"tool":"codex","day":"2025-01-01\\n"}\n')
    c["18-backslash-d"] = (with_prop("day", {"type": "string", "pattern": "^2025-01-\\d{2}$"}),
                           '{"schema_version":0,"tool":"codex","day":"2025-01-\u0660\u0661"}\n')
    c["19-unanchored-pattern"] = (with_prop("day", {"type": "string", "pattern": "[0-9]{4}-[0-9]{2}"}), None)
    item = {"type": "object", "additionalProperties": False, "required": ["tool", "n"],
            "properties": {"tool": {"type": "string", "enum": ["codex", "cursor"]}, "n": {"type": "integer", "minimum": 0, "maximum": 9}}}
    c["20-unique-items-on-objects"] = (with_prop("entries", {"type": "array", "maxItems": 4, "uniqueItems": True, "items": item}), None)
    # Further lint rules, one case each.
    c["rule-not-a-schema"] = ([1, 2], None)
    s = base(); s["$schema"] = "http://json-schema.org/draft-07/schema#"
    c["rule-dialect"] = (s, None)
    c["rule-keyword-invalid"] = (with_prop("n", {"type": "integer", "minimum": "0", "maximum": 9}), None)
    c["rule-keyword-not-applicable"] = (with_prop("n", {"type": "integer", "minimum": 0, "maximum": 9, "pattern": "^[0-9]$"}), None)
    s = base(); s["required"].append("ghost")
    c["rule-required-undeclared"] = (s, None)
    c["rule-type-unsupported"] = (with_prop("n", {"type": ["integer", "string"], "minimum": 0, "maximum": 9}), None)
    c["rule-pattern-unsupported"] = (with_prop("day", {"type": "string", "pattern": "^(?=2)[0-9]{4}$"}), None)
    c["rule-pattern-unbounded"] = (with_prop("word", {"type": "string", "pattern": "^[a-z]+$"}), None)
    c["rule-number-unbounded"] = (with_prop("n", {"type": "integer", "minimum": 0}), None)
    c["rule-number-decimals-unbounded"] = (with_prop("cost", {"type": "number", "minimum": 0, "maximum": 10}), None)
    c["rule-bound-beyond-safe-integer"] = (with_prop("n", {"type": "integer", "minimum": 0, "maximum": 100000000000000000000}), None)
    c["rule-array-unbounded"] = (with_prop("tags", {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}), None)
    c["rule-enum-invalid"] = (with_prop("mode", {"type": "string", "enum": ["a", "a", 3]}), None)
    c["rule-ref-not-local"] = (with_prop("mode", {"$ref": "https://example.com/mode.json"}), None)
    c["rule-ref-unresolved"] = (with_prop("mode", {"$ref": "#/$defs/mode"}), None)
    s = with_prop("mode", {"$ref": "#/$defs/mode", "enum": ["a"]}); s["$defs"] = {"mode": {"type": "string", "enum": ["a", "b"]}}
    c["rule-ref-with-siblings"] = (s, None)
    item2 = copy.deepcopy(item)
    c["rule-extension-invalid"] = (with_prop("entries", {"type": "array", "maxItems": 4, "items": item2, "x-backpay-unique-by": ["tool", "model"]}), None)
    s = base(); del s["properties"]["schema_version"]; s["required"].remove("schema_version")
    c["rule-version-const-missing"] = (s, None)
    with open(os.path.join(ROOT, "schemas", "payload-v0.schema.json")) as f:
        c["project-payload-v0"] = (json.load(f), None)
    out = os.path.join(HERE, "lint")
    for name, (schema, instance) in c.items():
        d = os.path.join(out, name)
        dump(os.path.join(d, "schema.json"), schema)
        if instance is not None:
            write(os.path.join(d, "instance.json"), instance)
        write(os.path.join(d, "command"), "schema lint schema.json\n")


def project():
    with open(os.path.join(ROOT, "schemas", "payload-v0.schema.json")) as f:
        return json.load(f)


def entry(s):
    return s["$defs"]["entry"]["properties"]


def diff_cases():
    c = {}
    p = project()
    # The schema edits a gate must judge, in order.
    s = project(); s = dict(reversed(list(s.items()))); c["keys-reordered"] = (p, s)
    s = project(); entry(s)["sessions"]["description"] = "Distinct sessions that day."; c["description-added"] = (p, s)
    s = project(); entry(s)["model"]["enum"].append("gpt-6"); c["enum-value-added"] = (p, s)
    s = project(); entry(s)["model"]["enum"].remove("o3"); c["enum-value-removed"] = (p, s)
    s = project(); entry(s)["model"]["enum"].reverse(); c["enum-reordered"] = (p, s)
    s = project(); entry(s)["reasoning_tokens"] = {"type": "integer", "minimum": 0, "maximum": 100000000000}; c["optional-property-added"] = (p, s)
    s = project(); entry(s)["reasoning_tokens"] = {"type": "integer", "minimum": 0, "maximum": 100000000000}
    s["$defs"]["entry"]["required"].append("reasoning_tokens"); c["required-property-added"] = (p, s)
    s = project(); del entry(s)["sessions"]; s["$defs"]["entry"]["required"].remove("sessions"); c["required-property-removed"] = (p, s)
    s = project(); entry(s)["sessions"]["maximum"] = 20000; c["maximum-raised"] = (p, s)
    s = project(); entry(s)["sessions"]["maximum"] = 5000; c["maximum-lowered"] = (p, s)
    s = project(); s["properties"]["entries"]["maxItems"] = 65; c["max-items-raised"] = (p, s)
    s = project(); del s["$defs"]["entry"]["additionalProperties"]; c["additional-properties-dropped"] = (p, s)
    s = project(); entry(s)["sessions"]["type"] = "number"; entry(s)["sessions"]["x-backpay-max-decimals"] = 1; c["integer-to-number"] = (p, s)
    s = project(); del s["properties"]["panelist"]["format"]; c["format-removed-pattern-kept"] = (p, s)
    s = project(); s["properties"]["schema_version"]["const"] = 1; c["version-const-bumped"] = (p, s)
    # One case for each further diff rule.
    s = project(); s["$defs"]["entry"]["required"].remove("sessions"); c["made-optional"] = (p, s)
    s = project(); o = project(); o["$defs"]["entry"]["required"].remove("sessions"); c["made-required"] = (o, s)
    o = project(); entry(o)["tool"] = {"type": "string", "const": "claude-code"}
    s = project(); entry(s)["tool"] = {"type": "string", "const": "codex"}; c["const-changed"] = (o, s)
    o = project(); del o["$defs"]["entry"]["additionalProperties"]; c["object-closed"] = (o, p)
    s = project(); entry(s)["cost_usd_est"]["type"] = "integer"; del entry(s)["cost_usd_est"]["x-backpay-max-decimals"]; c["number-to-integer"] = (p, s)
    s = project(); entry(s)["sessions"] = {"type": "string", "enum": ["1", "2", "3"]}; c["type-changed"] = (p, s)
    s = project(); s["properties"]["panelist"]["pattern"] = "^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"; c["pattern-widened-format-kept"] = (p, s)
    s = project(); s["properties"]["panelist"]["pattern"] = "^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
    del s["properties"]["panelist"]["format"]; c["pattern-widened"] = (p, s)
    s = project(); s["properties"]["date"]["pattern"] = "^202[5-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"; c["pattern-narrowed"] = (p, s)
    s = project(); s["properties"]["date"]["pattern"] = "^20[0-9][0-9]-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$"; c["pattern-respelled"] = (p, s)
    # Upper case allowed only in the first digit: found exactly on the DFAs, not by sampling the pattern.
    o = project(); del o["properties"]["panelist"]["format"]
    s = project(); del s["properties"]["panelist"]["format"]
    s["properties"]["panelist"]["pattern"] = "^[0-9a-fA-F][0-9a-f]{7}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"; c["pattern-widened-first-character"] = (o, s)
    # The new pattern matches only strings the old one did, but the calendar rule already refused the rest.
    o = project(); o["properties"]["date"]["pattern"] = "^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"; del o["properties"]["date"]["format"]
    s = project(); del s["properties"]["date"]["format"]; c["pattern-narrowed-calendar-decides"] = (o, s)
    # The calendar-date rule reads full dates only: dropping the date format accepts nothing new.
    s = project(); del s["properties"]["date"]["format"]; c["format-removed-calendar-kept"] = (p, s)
    s = project(); entry(s)["cost_usd_est"]["x-backpay-max-decimals"] = 4; c["decimals-raised"] = (p, s)
    s = project(); s["properties"]["date"]["x-backpay-calendar-date"] = {"minimum": "2020-01-01", "maximum": "today+2"}; c["date-range-widened"] = (p, s)
    s = project(); s["properties"]["entries"]["x-backpay-unique-by"] = ["tool", "model", "sessions"]; c["uniqueness-widened"] = (p, s)
    s = project(); del entry(s)["tool"]["enum"]; c["constraint-removed"] = (p, s)
    o = project(); del o["properties"]["panelist"]["pattern"]; c["constraint-added"] = (o, p)
    s = project(); entry(s)["sessions"]["minimum"] = 0; c["minimum-lowered"] = (p, s)
    s = project(); s["maxItems"] = 3; s["$defs"]["unused"] = {"type": "string", "enum": ["a"]}; c["keyword-changed"] = (p, s)
    out = os.path.join(HERE, "diff")
    for name, (old, new) in c.items():
        d = os.path.join(out, name)
        dump(os.path.join(d, "old.json"), old)
        dump(os.path.join(d, "new.json"), new)
        write(os.path.join(d, "command"), f"schema diff old.json new.json --today {TODAY}\n")


def lock_line(entries):
    body = ",\n".join(f'    {{"version": {v}, "path": "{p}", "fingerprint": "{fp}"}}' for v, p, fp in entries)
    return "{\n  \"versions\": [\n" + body + "\n  ]\n}\n"


def gate_cases(fingerprint):
    """fingerprint(path) -> sha256:… computed by the built tool (the lock must hold real fingerprints)."""
    out = os.path.join(HERE, "gate")
    shutil.rmtree(out, ignore_errors=True)
    p = project()
    v1 = project(); v1["properties"]["schema_version"]["const"] = 1; entry(v1)["model"]["enum"].append("gpt-6")

    def case(name, files, lock_entries, extra=""):
        d = os.path.join(out, name)
        for fname, value in files.items():
            if isinstance(value, str):
                write(os.path.join(d, "schemas", fname), value)
            else:
                dump(os.path.join(d, "schemas", fname), value)
        if lock_entries is not None:
            ent = []
            for v, fname, fp in lock_entries:
                ent.append((v, fname, fp or fingerprint(os.path.join(d, "schemas", fname))))
            write(os.path.join(d, "schemas", "schemas.lock.json"), lock_line(ent))
        write(os.path.join(d, "command"), f"schema gate --lock schemas/schemas.lock.json --today {TODAY}{extra}\n")

    case("ok-locked", {"payload-v0.schema.json": p}, [(0, "payload-v0.schema.json", None)])
    case("ok-two-versions-locked", {"payload-v0.schema.json": p, "payload-v1.schema.json": v1},
         [(0, "payload-v0.schema.json", None), (1, "payload-v1.schema.json", None)])
    case("proposed-not-locked", {"payload-v0.schema.json": p, "payload-v1.schema.json": v1}, [(0, "payload-v0.schema.json", None)])
    fp0 = fingerprint_of(p, fingerprint, out)
    e = project(); entry(e)["model"]["enum"].append("gpt-6")
    case("released-schema-edited", {"payload-v0.schema.json": e}, [(0, "payload-v0.schema.json", fp0)])
    e = project(); entry(e)["sessions"]["description"] = "Distinct sessions."
    case("released-schema-cosmetic-edit", {"payload-v0.schema.json": e}, [(0, "payload-v0.schema.json", fp0)])
    e = project(); e["properties"]["schema_version"]["const"] = 3
    case("locked-version-mismatch", {"payload-v0.schema.json": e}, [(0, "payload-v0.schema.json", None)])
    case("lock-not-consecutive", {"payload-v0.schema.json": p, "payload-v1.schema.json": v1},
         [(0, "payload-v0.schema.json", None), (2, "payload-v1.schema.json", None)])
    n = project(); entry(n)["model"]["enum"].append("gpt-6")
    case("material-change-without-bump", {"payload-v0.schema.json": p, "payload-v1.schema.json": n}, [(0, "payload-v0.schema.json", None)])
    n = project(); entry(n)["model"]["enum"].append("gpt-6"); n["properties"]["schema_version"]["const"] = 2
    case("version-skipped", {"payload-v0.schema.json": p, "payload-v1.schema.json": n}, [(0, "payload-v0.schema.json", None)])
    n = project(); n["properties"]["schema_version"]["const"] = 1; n["description"] = "Reworded."
    case("bump-without-material-change", {"payload-v0.schema.json": p, "payload-v1.schema.json": n}, [(0, "payload-v0.schema.json", None)])
    case("locked-bump-without-material-change", {"payload-v0.schema.json": p, "payload-v1.schema.json": n},
         [(0, "payload-v0.schema.json", None), (1, "payload-v1.schema.json", None)])
    n = project(); n["title"] = "Copy"
    case("unlocked-duplicate", {"payload-v0.schema.json": p, "payload-copy.schema.json": n}, [(0, "payload-v0.schema.json", None)])
    case("unlocked-ambiguous", {"payload-v0.schema.json": p, "payload-v1.schema.json": v1, "payload-v1b.schema.json": v1},
         [(0, "payload-v0.schema.json", None)])
    n = project(); n["properties"]["schema_version"]["const"] = 1; entry(n)["note"] = {"type": "string", "maxLength": 40}
    case("new-schema-fails-lint", {"payload-v0.schema.json": p, "payload-v1.schema.json": n}, [(0, "payload-v0.schema.json", None)])
    case("missing-locked-file", {"payload-v1.schema.json": v1}, [(0, "payload-v0.schema.json", fp0)])
    case("malformed-lock", {"payload-v0.schema.json": p}, None)
    write(os.path.join(out, "malformed-lock", "schemas", "schemas.lock.json"), '{"versions": [{"version": 0, "path": "payload-v0.schema.json"}]}\n')
    case("malformed-schema", {"payload-v0.schema.json": p, "payload-v1.schema.json": '{"$schema": 1, "$schema": 2}\n'}, [(0, "payload-v0.schema.json", None)])
    case("missing-lock", {"payload-v0.schema.json": p}, None)


def fingerprint_of(schema, fingerprint, out):
    tmp = os.path.join(out, ".tmp-fp.json")
    dump(tmp, schema)
    try:
        return fingerprint(tmp)
    finally:
        os.remove(tmp)


def consent_cases(fingerprint):
    out = os.path.join(HERE, "consent")
    shutil.rmtree(out, ignore_errors=True)
    p = project()
    fp0 = fingerprint_of(p, fingerprint, out)
    v1 = project(); v1["properties"]["schema_version"]["const"] = 1; entry(v1)["model"]["enum"].append("gpt-6")
    entry(v1)["sessions"]["maximum"] = 20000

    def record(version, fp):
        return {"schema_version": version, "schema_fingerprint": fp, "consented_on": "2026-06-01"}

    def case(name, consent, files, command):
        d = os.path.join(out, name)
        if isinstance(consent, str):
            write(os.path.join(d, "consent.json"), consent)
        else:
            dump(os.path.join(d, "consent.json"), consent)
        for fname, value in files.items():
            dump(os.path.join(d, fname), value)
        write(os.path.join(d, "command"), f"consent check consent.json {command}--today {TODAY}\n")

    case("valid-built-in", record(0, fp0), {}, "")
    case("valid-schema-file", record(0, fp0), {"payload-v0.schema.json": p}, "--schema payload-v0.schema.json ")
    lock = lock_line([(0, "payload-v0.schema.json", fp0)])
    case("void-after-bump", record(0, fp0), {"payload-v0.schema.json": p, "payload-v1.schema.json": v1},
         "--schema payload-v1.schema.json --lock schemas.lock.json ")
    write(os.path.join(out, "void-after-bump", "schemas.lock.json"), lock)
    e = project(); entry(e)["model"]["enum"].append("gpt-6")
    case("void-edited-without-bump", record(0, fp0), {"edited.schema.json": e}, "--schema edited.schema.json ")
    case("void-consented-schema-unknown", record(0, "sha256:" + "0" * 64), {}, "")
    case("malformed-record", '{"schema_version": 0, "schema_fingerprint": "md5:00", "consented_on": "2026-06-01"}\n', {}, "")
    case("record-with-extra-member", dict(record(0, fp0), note="hello"), {}, "")
    # --quiet: only the error finding, but the verdict line counts what every format counts.
    case("void-after-bump-quiet", record(0, fp0), {"payload-v0.schema.json": p, "payload-v1.schema.json": v1},
         "--schema payload-v1.schema.json --lock schemas.lock.json --quiet ")
    write(os.path.join(out, "void-after-bump-quiet", "schemas.lock.json"), lock)
    # With --lock and no --schema, the schema in force is the lock's newest version, not the built-in one.
    case("void-lock-newest-version", record(0, fp0), {"payload-v0.schema.json": p, "payload-v1.schema.json": v1},
         "--lock schemas.lock.json ")
    write(os.path.join(out, "void-lock-newest-version", "schemas.lock.json"),
          lock_line([(0, "payload-v0.schema.json", fp0), (1, "payload-v1.schema.json", fingerprint_of(v1, fingerprint, out))]))
    nv = project(); nv["properties"]["schema_version"]["const"] = 1; entry(nv)["model"]["enum"].remove("o3")
    case("void-narrowing-only", record(0, fp0), {"payload-v1.schema.json": nv}, "--schema payload-v1.schema.json ")
    # A schema lint rejects is refused, whether named by --schema or reached as the lock's newest version.
    open_schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                   "properties": {"note": {"type": "string"}}}
    case("refused-open-schema", record(0, fp0), {"open.schema.json": open_schema}, "--schema open.schema.json ")
    ov = project(); ov["properties"]["schema_version"]["const"] = 1; entry(ov)["note"] = {"type": "string", "maxLength": 40}
    case("refused-open-lock-version", record(0, fp0), {"payload-v0.schema.json": p, "payload-v1.schema.json": ov},
         "--lock schemas.lock.json ")
    write(os.path.join(out, "refused-open-lock-version", "schemas.lock.json"),
          lock_line([(0, "payload-v0.schema.json", fp0), (1, "payload-v1.schema.json", fingerprint_of(ov, fingerprint, out))]))


if __name__ == "__main__":
    import subprocess
    tool = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "backpay-verify")
    fp = lambda path: subprocess.run([tool, "schema", "fingerprint", path], check=True, capture_output=True, text=True).stdout.strip()
    for sub in ("lint", "diff"):
        shutil.rmtree(os.path.join(HERE, sub), ignore_errors=True)
    lint_cases()
    diff_cases()
    gate_cases(fp)
    consent_cases(fp)
