#!/usr/bin/env python3
"""Checks golden/regex/cases.json against Python's `re`, an independent engine.

Our dialect is translated into Python syntax where the two differ: `$` becomes `\\Z` (ECMAScript `$`
never matches before a trailing newline, Python's does), `.` becomes a class without the four
ECMAScript line terminators, `[]` and `[^]` become "nothing" and "anything", and re.ASCII makes
`\\d`/`\\D` ASCII-only as in ECMAScript. JSON Schema `pattern` is a search, hence re.search.

Usage: python3 golden/regex/oracle.py   (exit 0 when every expectation agrees, 1 otherwise)
"""
import json, os, re, sys

def translate(p: str) -> str:
    out, i, in_class, class_start = [], 0, False, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            out.append(p[i:i + 2]); i += 2; class_start = False; continue
        if in_class:
            if c == "]" and class_start:
                # `[]` or `[^]`: ECMAScript's empty class and any-character class.
                out[-1] = "(?!)" if out[-1] == "[" else r"[\s\S]"
                in_class = False
            elif c == "]":
                out.append("]"); in_class = False
            elif c == "[":
                out.append(r"\[")
            else:
                out.append(c)
            class_start = False
            i += 1; continue
        if c == "[":
            in_class, class_start = True, True
            if p[i + 1:i + 2] == "^":
                out.append("[^"); i += 2
            else:
                out.append("["); i += 1
            continue
        out.append({"$": r"\Z", ".": "[^\n\r\u2028\u2029]"}.get(c, c))
        i += 1
    return "".join(out)

def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "cases.json"), encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    bad = checked = 0
    for case in cases:
        rx = re.compile(translate(case["pattern"]), re.ASCII)
        for expected, inputs in ((True, case["match"]), (False, case["noMatch"])):
            for s in inputs:
                checked += 1
                got = rx.search(s) is not None
                if got != expected:
                    bad += 1
                    print(f"disagree: pattern {case['pattern']!r} input {s!r}: expected {expected}, re says {got}")
    print(f"{checked - bad} passed, {bad} failed")
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main())
