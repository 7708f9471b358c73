#!/usr/bin/env python3
"""Peer: ACRO 1.0.x (SACRO) crosstab with suppression, threshold 5, on per-member-per-cell rows.

    peer_acro.py rows.csv --week 2026-W24 -o cells.csv [--counters input_tokens,...]

Reads the flat day-row CSV written by gen_rows.py --flat (the same entries as the payload JSONL), keeps the
release week, sums each member's day-rows per (tool, model) first (as ACRO
counts records, so only one row per member per cell makes its threshold a member threshold), then runs
`acro.crosstab(tool, model, values=counter, aggfunc="sum")` with suppress=True and safe_threshold = 5 for
each counter asked (default: input_tokens only, which favours ACRO; ours does six counters and counts).

ACRO checks per cell: record count >= 5, NK (2, 0.9) and p% (p = 0.10) dominance. It does not validate the
input, does no secondary suppression (margins are recomputed from published cells), no audit, and its
dominance checks switch off if any value is negative. Prints one JSON summary line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import time

import pandas as pd

DTYPES = {"member_id": "string", "day": "string", "tool": "category", "model": "category",
          "input_tokens": "int64", "output_tokens": "int64", "cache_read_tokens": "int64",
          "cache_creation_tokens": "int64", "cost_usd_est": "float64", "sessions": "int64"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rows", help="flat day-row CSV (gen_rows.py --flat)")
    ap.add_argument("--week", default="2026-W24")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--counters", default="input_tokens")
    args = ap.parse_args()
    counters = args.counters.split(",")
    year, w = args.week.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(w), 1)
    days = [(monday + dt.timedelta(days=i)).isoformat() for i in range(7)]

    c0, w0 = time.process_time(), time.perf_counter()
    import acro  # imported inside the timed part: it is part of running ACRO (pandas is imported above)
    logging.disable(logging.INFO)  # ACRO logs every step at INFO
    rows = pd.read_csv(args.rows, dtype=DTYPES)
    rows = rows[rows["day"].isin(days)]
    per_member = rows.groupby(["member_id", "tool", "model"], observed=True, as_index=False)[counters].sum()
    c1 = time.process_time()

    session = acro.ACRO(suppress=True)
    session.config["safe_threshold"] = 5  # the session's config dict is the one its checks read
    tables = []
    for counter in counters:
        tables.append(session.crosstab(per_member["tool"], per_member["model"],
                                       values=per_member[counter], aggfunc="sum"))
    c2, w2 = time.process_time(), time.perf_counter()

    # A cell counts as published only if it is published in every counter's table.
    first = tables[0]
    mask = first.notna()
    for t in tables[1:]:
        mask &= t.reindex_like(first).notna()
    cells = int(first.size)
    published = int(mask.sum().sum())
    pd.concat(tables, keys=counters).to_csv(args.output)
    print(json.dumps({"tool": "acro", "counters": len(counters), "day_rows": int(len(rows)), "member_cell_rows": int(len(per_member)),
                      "grid_cells": cells, "cells_published": published,
                      "cells_suppressed_or_empty": cells - published, "prepare_cpu_s": c1 - c0,
                      "acro_cpu_s": c2 - c1, "loop_cpu_s": c2 - c0, "loop_wall_s": w2 - w0}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
