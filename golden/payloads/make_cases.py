#!/usr/bin/env python3
"""Writes the golden payload cases, their manifest and docs/toolkit-rules.md.

Deterministic: the same script always writes the same bytes. Several cases hold bytes an editor would
mangle (BOM, invalid UTF-8, raw control characters, CRLF, a 64 KiB file), so the files are generated, never
edited by hand. Run it from anywhere:

    python3 golden/payloads/make_cases.py          # (re)write everything
    python3 golden/payloads/make_cases.py --check  # exit 1 if any committed file differs or is stray

Every case is a copy of one valid base payload (the seed example of docs/payload-format.md §6) with exactly one thing
wrong, except `invalid/multi-violations.json`. Expected verdicts assume `--today 2026-06-12` (the date
range rule is relative to today; the tests pin today so that the verdicts never change with the clock).

Manifest fields (golden/payloads/cases.json), one object per case:
  file        path relative to golden/payloads/
  expect      valid | noncanonical | invalid | unreadable   (exit status 0 | 0, 1 with --strict | 1 | 2)
  about       what is special about the case, in words
  violations  [{pointer, rule, at?}]: every violation the toolkit must report (all of them, not only the
              first); pointer is an RFC 6901 JSON Pointer ("" = the whole document); at is LINE:COL where
              the report must point, given when the position is unambiguous; for noncanonical cases the
              list names the freedoms (canonical.*) instead
  jsonschema_rs         the verdict of jsonschema-rs with validate_formats=True on orjson.loads(bytes):
                        valid | invalid | parse-error (orjson refused the bytes) | n/a (unreadable)
  toolkit_only_reason   present exactly when jsonschema-rs accepts what the toolkit rejects (or the
                        reverse): why a mainstream validator cannot decide the case
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DOC = ROOT / "docs" / "toolkit-rules.md"
TODAY = "2026-06-12"

# ---------------------------------------------------------------------------------------------------
# Rule codes. The manifest uses only these; docs/toolkit-rules.md lists them.

RULES = {
    # Strict reading (RFC 8259 + I-JSON RFC 7493), before any schema check.
    "syntax.bom": "a UTF-8 byte-order mark precedes the JSON text",
    "syntax.empty": "the file holds no JSON value",
    "syntax.unexpected-end": "the text ends inside a value (unexpected end of input)",
    "syntax.unexpected-byte": "a byte that the JSON grammar does not allow here (comments, single quotes, trailing commas...)",
    "syntax.invalid-utf8": "invalid UTF-8 (including overlong encodings)",
    "syntax.lone-surrogate": "a \\u escape of a UTF-16 surrogate without its pair",
    "syntax.noncharacter": "a Unicode noncharacter (U+FDD0–U+FDEF, U+xxFFFE, U+xxFFFF) in a string, raw or escaped (I-JSON §2.1)",
    "syntax.control-character": "a raw control character (U+0000-U+001F) inside a string",
    "syntax.invalid-escape": "an escape sequence JSON does not define",
    "syntax.invalid-number": "a number the JSON grammar does not allow (leading zero, leading '+')",
    "syntax.non-finite": "NaN or Infinity, which are not JSON",
    "syntax.number-out-of-range": "a number that overflows binary64 (I-JSON)",
    "syntax.duplicate-key": "the same key twice in one object (I-JSON)",
    "syntax.trailing-content": "something after the JSON value (a second document)",
    "size": "the file is larger than 64 KiB",
    "depth": "nesting deeper than the payload limit (16)",
    # Schema keywords (JSON Schema 2020-12).
    "type": "wrong JSON type",
    "const": "not the one allowed value",
    "enum": "not in the vocabulary",
    "enum.lookalike": "not in the vocabulary, but differs from an entry only by case, look-alike (confusable) or invisible characters, or surrounding spaces",
    "format.uuid": "not a lower-case UUID version 4 written 8-4-4-4-12 (the schema's format and pattern)",
    "format.date": "not a day written YYYY-MM-DD (the schema's format and pattern)",
    "minimum": "below the minimum",
    "maximum": "above the maximum",
    "required": "a required field is missing (pointer: the object that lacks it)",
    "additional-property": "a field the schema does not define (pointer: the field)",
    "min-items": "too few entries",
    "max-items": "too many entries",
    # Toolkit rules (x-backpay-* annotations, or strictness JSON Schema leaves to the number model).
    "integer.lexeme": "an integer field written with a fraction or exponent (1.0, 1e1, 4.5): counts are written as integers",
    "decimals": "more than two decimal places, decided on the exact decimal value",
    "date.calendar": "not a real calendar day (2026-02-30)",
    "date.range": "before 2024-01-01 or after the day after today",
    "unique-by": "a second entry with the same (tool, model)",
    # Canonical-form freedoms of valid payloads (warning; an error with --strict).
    "canonical.whitespace": "insignificant whitespace, or a line ending other than one final \\n",
    "canonical.member-order": "object members not in UTF-16 code-unit order",
    "canonical.entry-order": "entries not sorted by (tool, model)",
    "canonical.escape": "an escape the canonical form would not write",
    "canonical.number-spelling": "a number not written as ECMAScript writes it (23.10, 1E2)",
}

# ---------------------------------------------------------------------------------------------------
# Building payload bytes.


class Raw(str):
    """A number written exactly as given (cost spellings matter)."""


def emit(v, indent=None, level=0, nl="\n", sort=True):
    """JSON text: compact and key-sorted (= RFC 8785 for the ASCII strings and numbers used here), or
    pretty-printed when indent is set."""
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool) or v is None:
        return json.dumps(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    pad = "" if indent is None else nl + " " * (indent * (level + 1))
    end = "" if indent is None else nl + " " * (indent * level)
    colon = ":" if indent is None else ": "
    if isinstance(v, list):
        if not v:
            return "[]"
        return "[" + ",".join(pad + emit(x, indent, level + 1, nl, sort) for x in v) + end + "]"
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: k.encode("utf-16-be")) if sort else list(v)
        return "{" + ",".join(pad + json.dumps(k, ensure_ascii=False) + colon + emit(v[k], indent, level + 1, nl, sort)
                              for k in keys) + end + "}"
    raise TypeError(type(v))


def entry(tool, model, inp=18093021, out=842117, cr=114230998, cc=1082211, cost="23.91", sessions=4):
    return {"cache_creation_tokens": cc, "cache_read_tokens": cr, "cost_usd_est": Raw(cost),
            "input_tokens": inp, "model": model, "output_tokens": out, "sessions": sessions, "tool": tool}


def payload(entries, date=TODAY, panelist="6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23", version=0):
    return {"date": date, "entries": entries, "panelist": panelist, "schema_version": version}


def canonical(p, newline=True):
    p = dict(p)
    p["entries"] = sorted(p["entries"], key=lambda e: (e["tool"].encode("utf-16-be"), e["model"].encode("utf-16-be")))
    return (emit(p) + ("\n" if newline else "")).encode()


SEED_TEXT = (b'{"date":"2026-06-12","entries":[{"cache_creation_tokens":1082211,"cache_read_tokens":114230998,'
             b'"cost_usd_est":23.91,"input_tokens":18093021,"model":"claude-opus-4-8","output_tokens":842117,'
             b'"sessions":4,"tool":"claude-code"}],"panelist":"6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23","schema_version":0}')
SEED = payload([entry("claude-code", "claude-opus-4-8")])
assert canonical(SEED, newline=False) == SEED_TEXT, "the seed must be its own canonical form"
BASE = SEED_TEXT + b"\n"

TOOLS = ["claude-code", "codex", "cursor", "copilot", "gemini-cli", "aider", "cline", "roo-code", "windsurf",
         "opencode", "amp", "kiro", "zed", "continue", "goose", "other"]
MODELS = ["claude-opus-4-8", "claude-opus-4-7", "claude-opus-4-6", "claude-opus-4-5", "claude-opus-4-1",
          "claude-sonnet-4-6", "claude-sonnet-4-5", "claude-sonnet-4", "claude-haiku-4-5", "claude-3-7-sonnet",
          "claude-3-5-haiku", "gpt-5", "gpt-5-mini", "gpt-5-codex", "gpt-5.1", "gpt-5.1-codex",
          "gpt-5.1-codex-mini", "gpt-4.1", "o3", "o4-mini", "gemini-3-pro", "gemini-2.5-pro", "gemini-2.5-flash",
          "grok-4", "grok-code-fast-1", "qwen3-coder", "kimi-k2", "deepseek-v3", "glm-4.6", "other"]


def pairs(n):
    """n distinct (tool, model) pairs that, for n = 64, use every tool four times and every model."""
    out = []
    for i in range(n):
        out.append((TOOLS[i % 16], MODELS[i % 30]))  # distinct: lcm(16, 30) = 240 > n
    assert len(set(out)) == n
    if n == 64:
        assert {t for t, _ in out} == set(TOOLS) and {m for _, m in out} == set(MODELS)
    return out


def many_entries(n):
    return [entry(t, m, inp=i * 1000, out=i * 10, cr=i * 5000, cc=i * 100, cost=f"{i}.{i % 100:02d}".rstrip("0").rstrip("."),
                  sessions=1 + i % 7) for i, (t, m) in enumerate(pairs(n))]


def locate(data, offset):
    """LINE:COL as SourceLocation.locate computes it (columns count Unicode scalars; CRLF is one break)."""
    line, col, i = 1, 1, 0
    while i < offset:
        b = data[i]
        if b == 0x0A:
            line, col = line + 1, 1
        elif b == 0x0D:
            if i + 1 < offset and data[i + 1] == 0x0A:
                i += 1
            line, col = line + 1, 1
        elif b & 0xC0 != 0x80:
            col += 1
        i += 1
    return f"{line}:{col}"


def splice(old, new, base=BASE):
    """Replaces the one occurrence of old; returns the bytes and the offset where new starts."""
    i = base.find(old)
    assert i >= 0 and base.find(old, i + 1) < 0, old
    return base[:i] + new + base[i + len(old):], i


def value(key, new, base=BASE, old=None):
    """Replaces the value of member `key` (which occurs once); returns bytes and the value's offset."""
    k = b'"' + key.encode() + b'":'
    i = base.find(k)
    assert i >= 0 and base.find(k, i + 1) < 0, key
    j = i + len(k)
    if base[j:j + 1] == b'"':
        e = base.index(b'"', j + 1) + 1
    elif base[j:j + 1] == b"[":
        depth, e = 0, j
        while True:
            depth += {b"[": 1, b"]": -1}.get(base[e:e + 1], 0)
            e += 1
            if depth == 0:
                break
    else:
        e = j
        while base[e:e + 1] not in (b",", b"}", b"]"):
            e += 1
    return base[:j] + new + base[e:], j


# ---------------------------------------------------------------------------------------------------
# The cases.

CASES = []   # (path, bytes, manifest entry)


def add(path, data, expect, about, violations=(), js=None, reason=None):
    if js is None:
        js = {"valid": "valid", "noncanonical": "valid", "invalid": "invalid", "unreadable": "n/a"}[expect]
    m = {"file": path, "expect": expect, "about": about, "violations": list(violations), "jsonschema_rs": js}
    if reason:
        m["toolkit_only_reason"] = reason
    CASES.append((path, data, m))


def v(pointer, rule, at=None):
    d = {"pointer": pointer, "rule": rule}
    if at:
        d["at"] = at
    return d


def bad_value(name, key, new, pointer, rule, about, js=None, reason=None, base=BASE, at=True):
    data, off = value(key, new, base)
    add(f"invalid/{name}.json", data, "invalid", about, [v(pointer, rule, locate(data, off) if at else None)], js, reason)


def bad_splice(name, old, new, pointer, rule, about, js=None, reason=None, base=BASE, delta=0, at=True):
    """A reader-level defect: at points at new's offset plus delta (the offending byte)."""
    data, off = splice(old, new, base)
    add(f"invalid/{name}.json", data, "invalid", about, [v(pointer, rule, locate(data, off + delta) if at else None)], js, reason)


E0 = "/entries/0"

# Valid ----------------------------------------------------------------------------------------------

add("valid/seed.json", BASE, "valid", "the seed example of docs/payload-format.md §6, canonical, with the one allowed final newline")
add("valid/seed-no-newline.json", SEED_TEXT, "valid", "the seed example without a final newline (also canonical)")
add("valid/multi-entry.json", canonical(payload([
    entry("codex", "gpt-5-codex", 5120033, 401877, 30211045, 0, "6.4", 2),
    entry("claude-code", "claude-opus-4-8"),
    entry("claude-code", "claude-sonnet-4-5", 1200, 3400, 0, 560, "0.07", 1),
    entry("cursor", "gpt-5.1", 77, 0, 0, 0, "0", 1)])), "valid", "four entries, canonical order (tool, then model)")
add("valid/boundary-maxima.json", canonical(payload(
    [entry("zed", "glm-4.6", 100000000000, 100000000000, 100000000000, 100000000000, "100000", 10000)],
    date="2026-06-13", panelist="ffffffff-ffff-4fff-bfff-ffffffffffff")), "valid",
    "every bound at its maximum: counters 1e11, cost 100000, sessions 10000, date = today + 1, variant b")
add("valid/boundary-minima.json", canonical(payload(
    [entry("aider", "claude-3-5-haiku", 0, 0, 0, 0, "0", 1)],
    date="2024-01-01", panelist="00000000-0000-4000-8000-000000000000")), "valid",
    "every bound at its minimum: counters 0, cost 0, sessions 1, date 2024-01-01, variant 8")
add("valid/entries-64.json", canonical(payload(many_entries(64))), "valid",
    "64 entries (the maximum), every tool and every model of the vocabulary")
add("valid/cost-one-cent.json", canonical(payload([entry("claude-code", "claude-opus-4-8", cost="0.01")])), "valid",
    "cost 0.01, the smallest non-zero cost")
add("valid/cost-whole-dollars.json", canonical(payload([entry("claude-code", "claude-opus-4-8", cost="24")])), "valid",
    "cost 24 written as an integer: a number field accepts it, and it is the canonical spelling")
add("valid/date-leap-day.json", canonical(payload([entry("claude-code", "claude-opus-4-8")], date="2024-02-29")), "valid",
    "2024-02-29, a real leap day")
add("valid/vocabulary-other.json", canonical(payload([entry("other", "other")])), "valid",
    "tool and model 'other', the vocabulary's escape hatch")

# Non-canonical but valid: warned, rejected by --strict ----------------------------------------------

add("noncanonical/whitespace.json", emit(SEED, indent=2).encode() + b"\n", "noncanonical",
    "pretty-printed, keys in canonical order", [v("", "canonical.whitespace")])
add("noncanonical/trailing-crlf.json", SEED_TEXT + b"\r\n", "noncanonical",
    "canonical bytes followed by CR LF (only one LF is allowed)", [v("", "canonical.whitespace", locate(BASE, len(SEED_TEXT)))])
add("noncanonical/trailing-two-newlines.json", SEED_TEXT + b"\n\n", "noncanonical",
    "canonical bytes followed by two LF", [v("", "canonical.whitespace", locate(BASE, len(SEED_TEXT)))])
add("noncanonical/key-order.json", emit({"schema_version": 0, "panelist": SEED["panelist"], "date": TODAY,
                                          "entries": SEED["entries"]}, sort=False).encode() + b"\n",
    "noncanonical", "compact, top-level members in schema order instead of sorted", [v("/panelist", "canonical.member-order")])
add("noncanonical/entry-order.json", emit(payload([entry("codex", "gpt-5-codex", 5120033, 401877, 30211045, 0, "6.4", 2),
                                                    entry("claude-code", "claude-opus-4-8")])).encode() + b"\n",
    "noncanonical", "two entries, codex before claude-code", [v("/entries/1", "canonical.entry-order")])
data, off = splice(b'"claude-code"', b'"\\u0063laude-code"')
add("noncanonical/escaped-character.json", data, "noncanonical", "tool written \"\\u0063laude-code\" (an escaped 'c')",
    [v(E0 + "/tool", "canonical.escape")])
add("noncanonical/number-trailing-zero.json", value("cost_usd_est", b"23.10")[0], "noncanonical",
    "cost written 23.10 (canonical: 23.1)", [v(E0 + "/cost_usd_est", "canonical.number-spelling")])
add("noncanonical/number-exponent.json", value("cost_usd_est", b"1E2")[0], "noncanonical",
    "cost written 1E2 (canonical: 100); allowed for a number field, unlike an integer field", [v(E0 + "/cost_usd_est", "canonical.number-spelling")])
pad = 65536 - len(BASE)
add("noncanonical/whitespace-64k-limit.json", SEED_TEXT + b" " * pad + b"\n", "noncanonical",
    "exactly 65536 bytes (the size limit) thanks to trailing spaces", [v("", "canonical.whitespace")])

# Invalid: strict reading ----------------------------------------------------------------------------

add("invalid/bom.json", b"\xef\xbb\xbf" + BASE, "invalid", "UTF-8 byte-order mark before a valid payload",
    [v("", "syntax.bom", "1:1")], "parse-error")
add("invalid/empty-file.json", b"", "invalid", "zero bytes", [v("", "syntax.empty", "1:1")], "parse-error")
cut = BASE.index(b"claude-opus") + 6
add("invalid/truncated.json", BASE[:cut], "invalid", "the file ends inside the model string (an interrupted write)",
    [v(E0 + "/model", "syntax.unexpected-end", locate(BASE, cut))], "parse-error")
ent = BASE.index(b"[")
nested = b"[" * 100 + b"]" * 100
data = BASE[:ent] + b"[" + nested + b"]" + BASE[BASE.index(b"]") + 1:]
add("invalid/deep-nesting.json", data, "invalid", "entries holds 100 nested arrays; the limit is 16 levels",
    [v("/entries" + "/0" * 15, "depth", locate(data, ent + 15))], "invalid")
add("invalid/not-object.json", b"[" + SEED_TEXT + b"]\n", "invalid", "the payload wrapped in an array",
    [v("", "type", "1:1")])
bad_splice("invalid-utf8", b'"claude-code"', b'"claude\xffcode"', E0 + "/tool", "syntax.invalid-utf8",
           "byte 0xFF inside the tool string", "parse-error", delta=7)
bad_splice("utf8-overlong", b'"claude-code"', b'"claude\xc0\xadcode"', E0 + "/tool", "syntax.invalid-utf8",
           "the hyphen encoded as the overlong sequence C0 AD (a lenient decoder reads claude-code)", "parse-error", delta=7)
bad_splice("lone-surrogate", b'"claude-code"', b'"claude-code\\ud800"', E0 + "/tool", "syntax.lone-surrogate",
           "\\ud800 escape without a low surrogate", "parse-error", delta=12)
bad_splice("noncharacter", b'"claude-code"', b'"claude-code\xef\xbf\xbe"', E0 + "/tool", "syntax.noncharacter",
           "the noncharacter U+FFFE after the tool name: I-JSON excludes it (orjson reads it, the vocabulary refuses it)", delta=12)
bad_splice("trailing-comma", b'"tool":"claude-code"}', b'"tool":"claude-code",}', E0, "syntax.unexpected-byte",
           "a comma before the closing brace of the entry", "parse-error", delta=21)
bad_splice("single-quotes", b'"tool":"claude-code"', b"\"tool\":'claude-code'", E0 + "/tool", "syntax.unexpected-byte",
           "the tool value in single quotes", "parse-error", delta=7)
bad_splice("comment", b'"date":"2026-06-12",', b'"date":"2026-06-12"/* UTC */,', "", "syntax.unexpected-byte",
           "a /* */ comment after the date", "parse-error", delta=19)
bad_splice("string-escape-control", b'"claude-code"', b'"claude-code\t"', E0 + "/tool", "syntax.control-character",
           "a raw TAB byte inside the tool string (must be written \\t)", "parse-error", delta=12)
bad_splice("string-invalid-escape", b'"claude-code"', b'"claude\\-code"', E0 + "/tool", "syntax.invalid-escape",
           "\\- is not a JSON escape", "parse-error", delta=7)
bad_value("cost-nan", "cost_usd_est", b"NaN", E0 + "/cost_usd_est", "syntax.non-finite", "cost is the NaN literal", "parse-error")
bad_value("cost-infinity", "cost_usd_est", b"Infinity", E0 + "/cost_usd_est", "syntax.non-finite", "cost is the Infinity literal", "parse-error")
bad_value("cost-overflow", "cost_usd_est", b"1e400", E0 + "/cost_usd_est", "maximum",
          "cost 1e400 (overflows binary64; the exact reader sees a number above the maximum)", "parse-error")
bad_value("tokens-leading-zero", "input_tokens", b"018093021", E0 + "/input_tokens", "syntax.invalid-number",
          "input_tokens with a leading zero", "parse-error")
bad_value("tokens-plus-sign", "input_tokens", b"+18093021", E0 + "/input_tokens", "syntax.invalid-number",
          "input_tokens with a leading '+'", "parse-error")
bad_splice("duplicate-key-top", b'"date":"2026-06-12",', b'"date":"2026-06-12","date":"2024-01-01",', "/date",
           "syntax.duplicate-key", "date given twice with different values (a reader keeps one, another the other)",
           "valid", "orjson (like most parsers) keeps the last value and the schema sees one date: the second "
           "member is invisible to any validator that works on parsed values", delta=20)
bad_splice("duplicate-key-entry", b'"tool":"claude-code"}', b'"tool":"claude-code","tool":"cursor"}', E0 + "/tool",
           "syntax.duplicate-key", "tool given twice in the entry", "valid",
           "the parser keeps one of the two values; the validator never sees the other", delta=21)
add("invalid/two-documents.json", BASE + BASE, "invalid", "two payloads in one file (JSON Lines in a .json file)",
    [v("", "syntax.trailing-content", "2:1")], "parse-error")
add("invalid/oversize-65k.json", SEED_TEXT + b" " * (pad + 1) + b"\n", "invalid",
    "a valid payload padded with spaces to 65537 bytes, one over the 64 KiB limit",
    [v("", "size")], "valid",
    "JSON Schema has no notion of document size; a size cap is a property of the reader")

# Invalid: schema_version, panelist, date ------------------------------------------------------------

bad_value("schema-version-1", "schema_version", b"1", "/schema_version", "const", "schema_version 1 (only 0 exists)")
bad_value("schema-version-0.0", "schema_version", b"0.0", "/schema_version", "integer.lexeme",
          "schema_version written 0.0", "valid",
          "JSON Schema defines an integer as any number with a zero fraction, so 0.0 equals the const 0")
bad_value("schema-version-string", "schema_version", b'"0"', "/schema_version", "type", "schema_version as the string \"0\"")
bad_value("panelist-uppercase", "panelist", b'"6F1C2A7E-3B7D-4C2E-9A41-0D5B8E9F1A23"', "/panelist", "format.uuid",
          "the UUID in upper case (two spellings of one id would let a member be counted twice)")
bad_value("panelist-v1", "panelist", b'"6f1c2a7e-3b7d-1c2e-9a41-0d5b8e9f1a23"', "/panelist", "format.uuid",
          "a version-1 UUID (time and MAC based: identifies a machine)")
bad_value("panelist-no-hyphens", "panelist", b'"6f1c2a7e3b7d4c2e9a410d5b8e9f1a23"', "/panelist", "format.uuid",
          "the UUID without hyphens")
bad_value("panelist-braces", "panelist", b'"{6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23}"', "/panelist", "format.uuid",
          "the UUID in braces (Microsoft registry style)")
bad_value("panelist-variant", "panelist", b'"6f1c2a7e-3b7d-4c2e-ca41-0d5b8e9f1a23"', "/panelist", "format.uuid",
          "variant nibble c (not the RFC 9562 variant 8-b)")
bad_value("panelist-nil", "panelist", b'"00000000-0000-0000-0000-000000000000"', "/panelist", "format.uuid",
          "the nil UUID")
bad_value("date-2026-02-30", "date", b'"2026-02-30"', "/date", "date.calendar", "30 February (matches the pattern)")
bad_value("date-2025-02-29", "date", b'"2025-02-29"', "/date", "date.calendar", "29 February of a common year")
bad_value("date-before-2024", "date", b'"2023-12-31"', "/date", "date.range", "the day before the first allowed date",
          "valid", "JSON Schema has no date bounds; the range is the toolkit's x-backpay-calendar-date rule")
bad_value("date-future", "date", b'"2026-06-14"', "/date", "date.range",
          "two days after --today 2026-06-12 (only today + 1 is allowed)", "valid",
          "the upper bound moves with today (and --today), which no static schema can express")
bad_value("date-trailing-newline", "date", b'"2026-06-12\\n"', "/date", "format.date",
          "the string \"2026-06-12\\n\" (a regex $ that matches before a final newline would accept it)")
bad_value("date-with-time", "date", b'"2026-06-12T00:00:00Z"', "/date", "format.date", "a timestamp instead of a day")
bad_value("date-no-padding", "date", b'"2026-6-12"', "/date", "format.date", "month without its leading zero")
bad_value("date-fullwidth-digits", "date", "\"２０２６-06-12\"".encode(), "/date", "format.date",
          "the year in full-width digits U+FF12...")
bad_value("date-number", "date", b"20260612", "/date", "type", "the date as the number 20260612")

# Invalid: entries -----------------------------------------------------------------------------------

data, off = value("entries", b"[]")
add("invalid/entries-empty.json", data, "invalid", "no entries", [v("/entries", "min-items", locate(data, off))])
data, off = value("entries", emit(many_entries(65)).encode())
add("invalid/entries-65.json", data, "invalid", "65 entries, one over the maximum", [v("/entries", "max-items", locate(data, off))])
dup = emit([entry("claude-code", "claude-opus-4-8"), entry("claude-code", "claude-opus-4-8", 1, 2, 3, 4, "0.05", 1)]).encode()
data, off = value("entries", dup)
add("invalid/entries-duplicate-pair.json", data, "invalid",
    "two entries for (claude-code, claude-opus-4-8) with different counters",
    [v("/entries/1", "unique-by", locate(data, data.index(b"},{") + 2))], "valid",
    "uniqueness of a key inside array items is not expressible; uniqueItems only rejects identical entries")
entry_text = emit(SEED["entries"][0]).encode()
data, off = value("entries", entry_text)
add("invalid/entries-not-array.json", data, "invalid", "entries is one entry object instead of an array",
    [v("/entries", "type", locate(data, off))])
data, off = value("entries", b'["claude-code"]')
add("invalid/entry-not-object.json", data, "invalid", "an entry that is a string",
    [v("/entries/0", "type", locate(data, off + 1))])

# Invalid: tool and model vocabularies ---------------------------------------------------------------

T, M = E0 + "/tool", E0 + "/model"
bad_value("tool-lookalike-hyphen", "tool", "\"claude\u2010code\"".encode(), T, "enum.lookalike", "U+2010 HYPHEN instead of '-'")
bad_value("tool-cyrillic-o", "tool", "\"claude-c\u043ede\"".encode(), T, "enum.lookalike", "Cyrillic о (U+043E) instead of Latin o")
bad_value("tool-uppercase", "tool", b'"Claude-Code"', T, "enum.lookalike", "the tool name capitalised")
bad_value("tool-trailing-space", "tool", b'"claude-code "', T, "enum.lookalike", "a space after the tool name")
bad_value("tool-zero-width", "tool", "\"claude-\u200bcode\"".encode(), T, "enum.lookalike",
          "a zero-width space (U+200B) inside the tool name: invisible, and a side channel")
bad_value("model-trailing-space", "model", b'"gpt-5-mini "', M, "enum.lookalike",
          "gpt-5-mini with a space after it: a look-alike of that word, not a snapshot of gpt-5")
bad_value("tool-unknown", "tool", b'"vscode"', T, "enum", "a tool outside the vocabulary")
bad_value("model-uppercase", "model", b'"Claude-Opus-4-8"', M, "enum.lookalike", "the model name capitalised")
bad_value("model-lookalike-dot", "model", "\"gpt-5\u20241\"".encode(), M, "enum.lookalike",
          "gpt-5.1 with U+2024 ONE DOT LEADER instead of '.'")
bad_value("model-unknown", "model", b'"claude-opus-5"', M, "enum", "a model outside the vocabulary")
bad_value("model-snapshot-suffix", "model", b'"claude-opus-4-8-20261101"', M, "enum",
          "a dated model id copied from a log (the vocabulary names families only)")
bad_value("model-provider-prefix", "model", b'"anthropic/claude-opus-4-8"', M, "enum",
          "a provider-prefixed model id as some logs write it")

# Invalid: counters, cost, sessions ------------------------------------------------------------------

IT, OT, CR, CC, CO, SE = (E0 + "/" + k for k in ("input_tokens", "output_tokens", "cache_read_tokens",
                                                  "cache_creation_tokens", "cost_usd_est", "sessions"))
INT_REASON = "JSON Schema defines an integer as any number with a zero fraction, so {} passes type: integer"
bad_value("tokens-negative", "output_tokens", b"-1", OT, "minimum", "output_tokens -1")
bad_value("tokens-float", "input_tokens", b"18093021.0", IT, "integer.lexeme", "input_tokens written 18093021.0",
          "valid", INT_REASON.format("18093021.0"))
bad_value("tokens-exponent", "cache_creation_tokens", b"1e1", CC, "integer.lexeme", "cache_creation_tokens written 1e1",
          "valid", INT_REASON.format("1e1"))
bad_value("tokens-fraction", "input_tokens", b"18093021.5", IT, "integer.lexeme", "input_tokens with a fraction")
bad_value("tokens-rounds-to-integer", "input_tokens", b"18093021.0000000001", IT, "integer.lexeme",
          "input_tokens 18093021.0000000001: not an integer, but the nearest binary64 is 18093021.0", "valid",
          "the parser rounds the number to binary64, where it becomes a whole number; only exact decimal reading sees the fraction")
bad_value("tokens-over-max", "cache_read_tokens", b"100000000001", CR, "maximum", "cache_read_tokens one over 1e11")
bad_value("tokens-huge-2e53", "input_tokens", b"9007199254740993", IT, "maximum",
          "2^53 + 1, the first integer binary64 cannot hold")
bad_value("tokens-30-digits", "input_tokens", b"123456789012345678901234567890", IT, "maximum", "a 30-digit integer")
bad_value("tokens-string", "input_tokens", b'"18093021"', IT, "type", "input_tokens as a string")
bad_value("cost-three-decimals", "cost_usd_est", b"23.915", CO, "decimals", "cost with three decimals", "valid",
          "multipleOf 0.01 is unreliable in binary floating point and the schema does not use it; the decimal "
          "limit is the toolkit's x-backpay-max-decimals rule, decided on the exact decimal text")
bad_value("cost-underflow", "cost_usd_est", b"1e-400", CO, "decimals",
          "cost 1e-400: not zero, but binary64 rounds it to 0", "valid",
          "the parser rounds 1e-400 to 0.0, which meets every bound; only exact decimal reading sees 400 decimal places")
bad_value("cost-string", "cost_usd_est", b'"23.91"', CO, "type", "cost as a string")
bad_value("cost-negative", "cost_usd_est", b"-0.01", CO, "minimum", "cost -0.01")
bad_value("cost-over-max", "cost_usd_est", b"100000.01", CO, "maximum", "cost one cent over 100000")
bad_value("sessions-zero", "sessions", b"0", SE, "minimum", "sessions 0 (an entry needs at least one session)")
bad_value("sessions-over-max", "sessions", b"10001", SE, "maximum", "sessions one over 10000")
bad_value("sessions-float", "sessions", b"4.0", SE, "integer.lexeme", "sessions written 4.0", "valid", INT_REASON.format("4.0"))
bad_value("bool-as-number", "sessions", b"true", SE, "type", "sessions is true")
bad_value("null-field", "cost_usd_est", b"null", CO, "type", "cost is null")

# Invalid: closed objects ----------------------------------------------------------------------------

data, off = splice(b'"panelist"', b'"hostname":"alice-laptop","panelist"')
add("invalid/extra-field-top.json", data, "invalid", "a hostname field at the top level (identifies a machine)",
    [v("/hostname", "additional-property", locate(data, off))])
data, off = splice(b'"output_tokens"', b'"prompt":"fix the login bug","output_tokens"')
add("invalid/extra-field-entry.json", data, "invalid", "a prompt field inside the entry (free text)",
    [v(E0 + "/prompt", "additional-property", locate(data, off))])
data, off = splice(b'"panelist"', "\"p\u0430nelist\":\"6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23\",\"panelist\"".encode())
add("invalid/extra-field-lookalike-key.json", data, "invalid",
    "an extra key spelt with Cyrillic а (U+0430), next to the real panelist",
    [v("/p\u0430nelist", "additional-property", locate(data, off))])
data, off = splice(b'"panelist"', b'"host\\u001b[2J\\nname":"alice-laptop","panelist"')
add("invalid/extra-field-control-key.json", data, "invalid",
    "an extra key holding an escaped ESC and newline: reports must not replay them to a terminal",
    [v("/host\u001b[2J\nname", "additional-property", locate(data, off))])
data, off = splice(b'"date":"2026-06-12",', b"")
add("invalid/missing-field-top.json", data, "invalid", "no date", [v("", "required", "1:1")])
data, off = splice(b'"sessions":4,', b"")
add("invalid/missing-field-entry.json", data, "invalid", "no sessions in the entry",
    [v(E0, "required", locate(data, data.index(b"[{") + 1))])

# Invalid: several things at once (the tool must report all of them) ----------------------------------

multi = {"date": "2026-02-30", "entries": [
    {"cache_creation_tokens": 1082211, "cache_read_tokens": 114230998, "cost_usd_est": Raw("23.91"), "input_tokens": 18093021,
     "model": "claude-opus-4-8", "output_tokens": 842117, "sessions": 4, "tool": "claude\u2010code"},
    {"cache_creation_tokens": 0, "cache_read_tokens": 0, "cost_usd_est": Raw("1.5"), "input_tokens": 1200,
     "model": "gpt-5-codex", "output_tokens": -5, "tool": "codex"}],
    "hostname": "alice-laptop", "panelist": "6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23", "schema_version": 0}
data = emit(multi, indent=2).encode() + b"\n"
add("invalid/multi-violations.json", data, "invalid",
    "pretty-printed; five independent violations at three levels",
    [v("/date", "date.calendar", locate(data, data.index(b'"2026-02-30"'))),
     v("/entries/0/tool", "enum.lookalike", locate(data, data.index("\"claude\u2010code\"".encode()))),
     v("/entries/1/output_tokens", "minimum", locate(data, data.index(b'"output_tokens": -5') + 17)),
     v("/entries/1", "required", locate(data, data.index(b"{", data.index(b"},")))),
     v("/hostname", "additional-property", locate(data, data.index(b'"hostname"')))])

# Unreadable: the tool cannot check (exit 2) ---------------------------------------------------------

add("unreadable/missing.json", None, "unreadable", "a file that does not exist (never created)")
add("unreadable/directory.json", "dir", "unreadable", "a directory named like a payload")

# ---------------------------------------------------------------------------------------------------
# Output.


def used_rules():
    """The rule codes the cases use, in RULES order (the table documents what the tests pin)."""
    used = {x["rule"] for _, _, m in CASES for x in m["violations"]}
    return {k: d for k, d in RULES.items() if k in used}


def manifest():
    cases = sorted((m for _, _, m in CASES), key=lambda m: m["file"])
    doc = {"today": TODAY, "schema": "schemas/payload-v0.schema.json",
           "jsonschema_rs_setup": "orjson.loads(bytes) then jsonschema_rs.validator_for(schema, validate_formats=True)"
                                  ".is_valid(value); parse-error when orjson refuses the bytes",
           "rules": used_rules(), "cases": cases}
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()


def check_consistency():
    seen = set()
    for path, data, m in CASES:
        assert path not in seen, path
        seen.add(path)
        for x in m["violations"]:
            assert x["rule"] in RULES, (path, x)
        accepts = m["expect"] in ("valid", "noncanonical")
        if m["expect"] == "unreadable":
            assert "toolkit_only_reason" not in m
            continue
        disagree = accepts != (m["jsonschema_rs"] == "valid")
        assert disagree == ("toolkit_only_reason" in m), path
        assert (m["expect"] == "valid") == (not m["violations"]), path
        if isinstance(data, bytes) and m["expect"] != "invalid":
            assert len(data) <= 65536
        if m["expect"] == "valid":
            stripped = data[:-1] if data.endswith(b"\n") else data
            assert canonical(json.loads(stripped, parse_float=Raw), newline=False) == stripped, path


def cell(text):
    return text.replace("|", "\\|")


def doc_text():
    rows = [m for _, _, m in sorted(CASES, key=lambda c: c[0]) if "toolkit_only_reason" in m]
    n_payloads = sum(1 for _, _, m in CASES if m["expect"] != "unreadable")
    lines = [
        "# Rules only the toolkit can decide",
        "",
        "<!-- Generated by golden/payloads/make_cases.py from the case list; edit the script, not this file. -->",
        "",
        "The payload schema (`schemas/payload-v0.schema.json`) is an ordinary JSON Schema 2020-12 document, so any",
        "validator can read it. A mainstream validator is still not enough to keep the toolkit's promises to members (members.md).",
        "We ran one of the best, [jsonschema-rs](https://pypi.org/project/jsonschema-rs/) with format assertion",
        "on (`validate_formats=True`), fed by [orjson](https://pypi.org/project/orjson/) (which refuses NaN,",
        "Infinity, a byte-order mark, lone surrogates and invalid UTF-8: the strictest common setup), over all",
        f"{n_payloads} golden payloads in `golden/payloads/`. It agrees with `backpay-verify payload` on every case",
        f"except the {len(rows)} below, where it accepts a payload the toolkit rejects. These cases are the reason the",
        "toolkit exists.",
        "",
        "| case | rule | why a JSON Schema validator cannot decide it |",
        "|---|---|---|",
    ]
    for m in rows:
        rules = ", ".join(sorted({f"`{x['rule']}`" for x in m["violations"]}))
        lines.append(f"| `{m['file']}`: {cell(m['about'])} | {rules} | {cell(m['toolkit_only_reason'])} |")
    lines += [
        "",
        "Not in the table because the two agree in the default mode: non-canonical spellings of valid payloads",
        "(`golden/payloads/noncanonical/`). Both accept them; the toolkit also warns, and `payload --strict` rejects",
        "them, because whitespace, key order, entry order, escapes and number spellings are freedom that could",
        "carry hidden bits (promise P4). No schema keyword can talk about the bytes of a document.",
        "",
        "## Agreement that depends on the setup",
        "",
        "jsonschema-rs agrees with the toolkit on the other cases only because of how it was set up:",
        "",
        "- `parse-error` cases (BOM, NaN, Infinity, 1e400, lone surrogates, invalid or overlong UTF-8, comments,",
        "  trailing commas...) are refused by orjson, not by the schema. Python's `json.loads` accepts NaN,",
        "  Infinity and (on bytes) a BOM, and then only the schema's bounds stand between them and the data.",
        "- `date.calendar` cases (2026-02-30, 2025-02-29) match the date pattern and are refused only because",
        "  format assertion is on; in 2020-12 `format` is an annotation unless a validator is told otherwise.",
        "- `date-trailing-newline` is refused because the Rust regex `$` matches only at the very end; Python's",
        "  `re.search` lets `$` match before a final newline, and python-jsonschema accepts \"2026-06-12\\n\".",
        "",
        "## How this is checked",
        "",
        "- `golden/payloads/cases.json` records, for every case, the toolkit's expected verdict and violations",
        "  and the verdict jsonschema-rs is expected to give (`valid`, `invalid`, or `parse-error` when orjson",
        "  refuses the bytes); a case carries `toolkit_only_reason` exactly when the two verdicts differ.",
        "- `Tests/Differential/jsonschema_rs_diff.py` runs jsonschema-rs on every golden payload and fails on",
        "  any difference from the manifest (`pip install jsonschema-rs orjson`); the Swift test suite runs it.",
        "- `Tests/CLITests/PayloadGoldenTests.swift` runs `backpay-verify payload --today 2026-06-12` on every",
        "  case and compares its output with `golden/payloads/expected/`.",
        "- All verdicts assume `--today 2026-06-12`: the date rule allows 2024-01-01 up to the day after today.",
        "",
        "## Rule codes",
        "",
        "| rule | meaning |",
        "|---|---|",
    ]
    for k, d in used_rules().items():
        lines.append(f"| `{k}` | {cell(d)} |")
    return ("\n".join(lines) + "\n").encode()


def outputs():
    """Every generated path (absolute) with its bytes; None = must not exist; 'dir' = a directory."""
    out = {}
    for path, data, _ in CASES:
        p = HERE / path
        if data == "dir":
            out[p / ".keep"] = b""
        else:
            out[p] = data
    out[HERE / "cases.json"] = manifest()
    out[DOC] = doc_text()
    return out


def main():
    check_consistency()
    check = "--check" in sys.argv[1:]
    problems = []
    outs = outputs()
    for p, data in outs.items():
        if data is None:
            if p.exists():
                problems.append(f"{p}: must not exist")
            continue
        if check:
            if not p.is_file() or p.read_bytes() != data:
                problems.append(f"{p.relative_to(ROOT)}: differs from what make_cases.py generates")
        else:
            p.parent.mkdir(parents=True, exist_ok=True)
            if not p.is_file() or p.read_bytes() != data:
                p.write_bytes(data)
    for d in ("valid", "noncanonical", "invalid", "unreadable"):
        for f in sorted((HERE / d).rglob("*")):
            if f.is_file() and f not in outs:
                problems.append(f"{f.relative_to(ROOT)}: stray file not in the case list")
    for msg in problems:
        print(msg, file=sys.stderr)
    kinds = {}
    for _, _, m in CASES:
        kinds[m["expect"]] = kinds.get(m["expect"], 0) + 1
    print(", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + (" (checked)" if check else " (written)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
