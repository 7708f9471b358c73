#!/usr/bin/env python3
"""Peer: DuckDB's bare k >= 5 cell query, on the same week of data as ours.

    peer_duckdb.py rows.jsonl --week 2026-W24 -o cells.csv [--flat rows.csv] [--threads 1]

Default input is the payload JSON lines our `release build` reads: read_json with an explicit column schema
(no type sniffing), entries UNNESTed to day-rows. With --flat it reads the flat day-row CSV of the same
entries instead (the notes' own shape). The query is the notes' one, restricted to the release week (our
release covers one ISO week, so both answer the same question): cells tool × model with distinct members,
member-days and the sums of the six counters, HAVING count(DISTINCT member) >= 5.

What it does not do: no validation at all (a wrong key, an unknown tool or a negative count is read or
dropped silently; DECIMAL casts round), no dominance rule, no secondary suppression, no margins, no audit.
Prints one JSON summary line: cells published, all cells, rows read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time

import duckdb

COUNTERS = ["input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens", "cost_usd_est",
            "sessions"]
ENTRY_TYPE = ("STRUCT(tool VARCHAR, model VARCHAR, input_tokens BIGINT, output_tokens BIGINT, "
              "cache_read_tokens BIGINT, cache_creation_tokens BIGINT, cost_usd_est DECIMAL(18,2), "
              "sessions BIGINT)[]")

PAYLOAD_ROWS = f"""
SELECT panelist AS member_id, date AS day, unnest(entries, recursive := true)
FROM read_json(?, format = 'newline_delimited', columns = {{'schema_version': 'INTEGER',
  'panelist': 'VARCHAR', 'date': 'DATE', 'entries': '{ENTRY_TYPE}'}})
"""
FLAT_ROWS = """
SELECT * FROM read_csv(?, header = true, columns = {'member_id': 'VARCHAR', 'day': 'DATE', 'tool': 'VARCHAR',
  'model': 'VARCHAR', 'input_tokens': 'BIGINT', 'output_tokens': 'BIGINT', 'cache_read_tokens': 'BIGINT',
  'cache_creation_tokens': 'BIGINT', 'cost_usd_est': 'DECIMAL(18,2)', 'sessions': 'BIGINT'})
"""


def query(rows_sql: str) -> str:
    sums = ", ".join(f"sum({c}) AS {c}" for c in COUNTERS)
    return f"""
    SELECT tool, model, date_trunc('week', day) AS week, count(DISTINCT member_id) AS members,
           count(*) AS member_days, {sums}
    FROM ({rows_sql}) WHERE day BETWEEN ? AND ?
    GROUP BY ALL HAVING count(DISTINCT member_id) >= 5 ORDER BY ALL
    """


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rows", help="payload JSONL (default) or flat CSV (with --flat)")
    ap.add_argument("--flat", action="store_true", help="rows is the flat day-row CSV")
    ap.add_argument("--week", default="2026-W24")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    year, w = args.week.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(w), 1)
    sunday = monday + dt.timedelta(days=6)

    c0, w0 = time.process_time(), time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    rows_sql = FLAT_ROWS if args.flat else PAYLOAD_ROWS
    con.execute(f"COPY ({query(rows_sql)}) TO '{args.output}' (HEADER, DELIMITER ',')",
                [args.rows, monday, sunday])
    published = con.execute("SELECT count(*) FROM read_csv(?)", [args.output]).fetchone()[0]
    c1, w1 = time.process_time(), time.perf_counter()
    print(json.dumps({"tool": "duckdb" + ("-flat" if args.flat else ""), "cells_published": published,
                      "loop_cpu_s": c1 - c0, "loop_wall_s": w1 - w0}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
