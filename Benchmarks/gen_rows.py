#!/usr/bin/env python3
"""Write a week of member-day payloads (the release builder's input), deterministically from a seed.

    gen_rows.py --entries 1000000 --seed 1 --week 2026-W24 -o rows.jsonl [--flat rows.csv]

The output is payload JSON lines (canonical, like gen_payloads.py), one payload per member per day, stopping
at exactly --entries entries. Members are drawn until the entry count is reached, so their number follows
from the activity model: a member is active on 1–7 days of the week (mean ≈ 4.6) with 1–4 entries a day
(mean ≈ 2.2, capped by their habits), i.e. about 10 entries per member-week; 10^6 entries therefore take
about 10^5 members and 10^7 about 10^6 (the exact counts are printed). Usage is heavy-tailed: lognormal
member intensity with a 1% tail of 20–100× users, and rare (tool, model) pairs that give cells below k = 5.

The bulk falls in --week; SPILL of member-weeks also carry one payload dated in the week before (late data
for an already published week) or after, which a weekly release must leave out.

--flat also writes the same entries as flat day-rows (CSV with a header: member_id, day, tool, model, the
four token counters, cost_usd_est, sessions) for peers that take a table rather than payloads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import bpgen

ACTIVE_DAYS_CUM = bpgen._cumulative([0.12, 0.10, 0.10, 0.12, 0.26, 0.14, 0.16])  # 1..7 days a week
SPILL = 0.05


def week_monday(week: str) -> dt.date:
    year, w = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(w), 1)


def generate(entries_total: int, seed: int, monday: dt.date, out, flat):
    s = bpgen.Sampler(seed)
    written = members = payloads = in_week = 0
    while written < entries_total:
        member = bpgen.Member(s)
        members += 1
        active = 1 + s.weighted(ACTIVE_DAYS_CUM)
        days: set[int] = set()
        while len(days) < active:
            days.add(s.below(7))
        offsets = sorted(days)
        if s.uniform() < SPILL:
            offsets.insert(0, -1 - s.below(7)) if s.uniform() < 0.7 else offsets.append(7 + s.below(7))
        for off in offsets:
            if written >= entries_total:
                break
            date = (monday + dt.timedelta(days=off)).isoformat()
            pairs = member.day_pairs(s)[: entries_total - written]
            entries = [bpgen.entry_fields(s, member, p) for p in pairs]
            out.write(bpgen.payload_line(date, member.uuid, entries))
            out.write("\n")
            if flat is not None:
                for tool, model, inp, o, cr, cc, cents, sess in entries:
                    flat.write(f"{member.uuid},{date},{tool},{model},{inp},{o},{cr},{cc},"
                               f"{bpgen.cents_text(cents)},{sess}\n")
            written += len(entries)
            payloads += 1
            in_week += len(entries) if 0 <= off < 7 else 0
    return {"entries": written, "entries_in_week": in_week, "payloads": payloads, "members": members}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--week", default="2026-W24")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--flat", help="also write flat day-rows CSV here")
    args = ap.parse_args()
    monday = week_monday(args.week)
    with open(args.output, "w", encoding="utf-8", newline="\n") as out:
        flat = open(args.flat, "w", encoding="utf-8", newline="\n") if args.flat else None
        try:
            if flat is not None:
                flat.write("member_id,day,tool,model,input_tokens,output_tokens,cache_read_tokens,"
                           "cache_creation_tokens,cost_usd_est,sessions\n")
            stats = generate(args.entries, args.seed, monday, out, flat)
        finally:
            if flat is not None:
                flat.close()
    print(" ".join(f"{k}={v}" for k, v in stats.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
