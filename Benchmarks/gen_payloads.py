#!/usr/bin/env python3
"""Write N realistic, valid, canonical Backpay payloads as JSON lines, deterministically from a seed.

    gen_payloads.py --count 100000 --seed 1 -o payloads.jsonl [--invalid invalid.jsonl]

Members have habitual (tool, model) pairs of plausible popularity and a heavy-tailed intensity; token counts
are lognormal, costs follow list prices in whole cents, each payload has 1–4 entries unique by (tool, model),
dates lie in 2025-06-01 … 2026-10-31 and a member never has two payloads for the same day. With --invalid,
also write a mix of invalid payloads (INVALID_KINDS, PER_KIND of each) and a `.kinds` file naming the kind of
each line, so the runner can show which tool rejects what.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import bpgen

WINDOW_START = dt.date(2025, 6, 1)
WINDOW_DAYS = (dt.date(2026, 10, 31) - WINDOW_START).days + 1
PAYLOADS_PER_MEMBER = 5  # mean; a member's days are drawn without replacement


def valid_lines(count: int, seed: int):
    s = bpgen.Sampler(seed)
    produced = 0
    while produced < count:
        member = bpgen.Member(s)
        n = min(1 + int(s.lognormal(PAYLOADS_PER_MEMBER * 0.8, 0.8)), count - produced, WINDOW_DAYS)
        days: set[int] = set()
        while len(days) < n:
            days.add(s.below(WINDOW_DAYS))
        for d in sorted(days):
            date = (WINDOW_START + dt.timedelta(days=d)).isoformat()
            entries = [bpgen.entry_fields(s, member, p) for p in member.day_pairs(s)]
            yield bpgen.payload_line(date, member.uuid, entries)
        produced += n


# Each kind turns one valid canonical payload into an invalid one. Comments name the rule that is broken.
E0 = '{"cache_creation_tokens":1,"cache_read_tokens":2,"cost_usd_est":0.5,"input_tokens":3,"model":"gpt-5",'
E0_TAIL = '"output_tokens":4,"sessions":1,"tool":"codex"}'
ENTRY = E0 + E0_TAIL
UUID = "6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23"


def wrap(entries: str = ENTRY, date: str = '"2026-06-12"', panelist: str = f'"{UUID}"', version: str = "0",
         extra: str = "") -> str:
    return f'{{"date":{date},"entries":[{entries}],"panelist":{panelist},"schema_version":{version}{extra}}}'


def entry_with(field: str, value: str) -> str:
    import re
    return re.sub(rf'"{field}":[^,}}]+', f'"{field}":{value}', ENTRY, count=1)


INVALID_KINDS: dict[str, str] = {
    "extra-top-level-key": wrap(extra=',"zz":1'),
    "extra-entry-key": wrap(entries=ENTRY[:-1] + ',"prompt":"x"}'),
    "missing-top-level-key": '{"date":"2026-06-12","entries":[' + ENTRY + '],"schema_version":0}',
    "missing-entry-key": wrap(entries=ENTRY.replace('"sessions":1,', "")),
    "schema-version-1": wrap(version="1"),
    "schema-version-string": wrap(version='"0"'),
    "uuid-upper-case": wrap(panelist=f'"{UUID.upper()}"'),
    "uuid-no-hyphens": wrap(panelist=f'"{UUID.replace("-", "")}"'),
    "uuid-version-1": wrap(panelist='"6f1c2a7e-3b7d-1c2e-9a41-0d5b8e9f1a23"'),
    "uuid-braced": wrap(panelist='"{' + UUID + '}"'),
    "date-feb-30": wrap(date='"2026-02-30"'),
    "date-feb-29-non-leap": wrap(date='"2025-02-29"'),
    "date-before-2024": wrap(date='"2023-12-31"'),
    "date-far-future": wrap(date='"2099-01-01"'),
    "date-with-time": wrap(date='"2026-06-12T00:00:00Z"'),
    "date-trailing-newline": wrap(date='"2026-06-12\\n"'),
    "tool-unknown": wrap(entries=ENTRY.replace('"codex"', '"vim"')),
    "tool-unicode-hyphen": wrap(entries=ENTRY.replace('"codex"', '"claude\u2010code"')),
    "model-unknown": wrap(entries=ENTRY.replace('"gpt-5"', '"gpt-6"')),
    "tokens-negative": wrap(entries=entry_with("input_tokens", "-1")),
    "tokens-too-large": wrap(entries=entry_with("input_tokens", "100000000001")),
    "tokens-fraction-zero": wrap(entries=entry_with("input_tokens", "1200.0")),
    "tokens-exponent": wrap(entries=entry_with("input_tokens", "1e1")),
    "tokens-string": wrap(entries=entry_with("input_tokens", '"3"')),
    "tokens-null": wrap(entries=entry_with("input_tokens", "null")),
    "cost-three-decimals": wrap(entries=entry_with("cost_usd_est", "0.125")),
    "cost-negative": wrap(entries=entry_with("cost_usd_est", "-0.01")),
    "cost-too-large": wrap(entries=entry_with("cost_usd_est", "100000.01")),
    "sessions-zero": wrap(entries=entry_with("sessions", "0")),
    "sessions-too-large": wrap(entries=entry_with("sessions", "10001")),
    "entries-empty": wrap(entries=""),
    "entries-65": wrap(entries=",".join(
        ENTRY.replace('"gpt-5"', f'"{m}"').replace('"codex"', f'"{t}"')
        for t, m in [(t, m) for t in ("claude-code", "codex", "cursor") for m in bpgen.PRICES][:65])),
    "entries-duplicate-pair": wrap(entries=ENTRY + "," + ENTRY),
    "duplicate-json-key": wrap(extra=',"schema_version":0'),
    "nan-cost": wrap(entries=entry_with("cost_usd_est", "NaN")),
    "byte-order-mark": "\ufeff" + wrap(),
    "trailing-comma": wrap(entries=ENTRY + ","),
    "truncated": wrap()[:-1],
    "not-an-object": "[" + wrap() + "]",
    "entries-not-array": wrap().replace('"entries":[' + ENTRY + "]", '"entries":' + ENTRY),
    "lone-surrogate-escape": wrap(entries=ENTRY.replace('"codex"', '"codex\\ud800"')),
}
PER_KIND = 50


def check_kinds() -> None:
    # The 65-entry kind must really hold 65 distinct pairs, otherwise it tests nothing.
    n = INVALID_KINDS["entries-65"].count('"tool"')
    if n < 65:
        raise SystemExit(f"internal: entries-65 has {n} entries")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--invalid", help="also write the invalid mix here (and KINDS beside it)")
    ap.add_argument("--one", help="also write the first payload alone (single-file latency)")
    args = ap.parse_args()

    first = None
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        for line in valid_lines(args.count, args.seed):
            first = first or line
            f.write(line)
            f.write("\n")
    if args.one:
        with open(args.one, "w", encoding="utf-8", newline="\n") as f:
            f.write(first + "\n")
    if args.invalid:
        check_kinds()
        with open(args.invalid, "w", encoding="utf-8", newline="\n") as f, \
                open(args.invalid + ".kinds", "w", encoding="utf-8") as k:
            for kind, line in INVALID_KINDS.items():
                assert "\n" not in line, kind
                for _ in range(PER_KIND):
                    f.write(line + "\n")
                    k.write(kind + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
