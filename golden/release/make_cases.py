#!/usr/bin/env python3
"""Writes the disclosure acceptance cases (docs/auditors.md) as files: input rows and hand-made releases.

Run from the repository root after `swift build`: python3 golden/release/make_cases.py
For each case directory it writes rows.jsonl (canonical payloads) and the hand-made release (unsafe.json;
for safe-rectangle, handmade.json, a control that must pass). The week-differencing case also builds
previous.json with the tool ($BACKPAY, default ./.build/debug/backpay-verify), since its re-issue links to
those bytes. The releases we build (release.json) and the expected audit outputs are written by the
Swift golden test (Tests/AnonTests/ReleaseGoldenTests.swift) when UPDATE_GOLDEN=1, and checked otherwise.

Tables use member counts of the notes' examples. Every member sits in exactly one cell and spends its
cell's tokens evenly, so margins are true sums and no cell is dominated unless a whale is asked for.
The hand-made releases are built here independently of the Swift code (aggregation, JCS, Merkle root),
which also cross-checks those parts.
"""
import hashlib
import json
import os
import subprocess
import uuid

TOOLS = ["claude-code", "codex", "cursor", "aider"]
MODELS = ["claude-opus-4-8", "claude-sonnet-4-6", "gpt-5", "gpt-5-codex"]
W24 = ["2026-06-%02d" % d for d in range(8, 15)]
W23 = ["2026-06-%02d" % d for d in range(1, 8)]
MEASURES = ["members", "member_days", "input_tokens", "output_tokens", "cache_read_tokens",
            "cache_creation_tokens", "cost_usd_cents", "sessions"]
COUNTERS = MEASURES[2:]


class Panel:
    """Deterministic v4 UUIDs."""
    def __init__(self, seed):
        self.n = 0
        self.seed = seed

    def next(self):
        self.n += 1
        h = hashlib.sha256(("%s/%d" % (self.seed, self.n)).encode()).digest()
        return str(uuid.UUID(bytes=h[:16], version=4))


def cost_text(cents):
    whole, frac = divmod(cents, 100)
    return str(whole) if frac == 0 else ("%d.%02d" % (whole, frac)).rstrip("0")


def payload_line(panelist, date, entries):
    """Canonical payload bytes (RFC 8785; entries sorted by tool, model)."""
    parts = []
    for e in sorted(entries, key=lambda e: (e["tool"], e["model"])):
        parts.append('{"cache_creation_tokens":%d,"cache_read_tokens":%d,"cost_usd_est":%s,"input_tokens":%d,'
                     '"model":"%s","output_tokens":%d,"sessions":%d,"tool":"%s"}' % (
                         e["cache_creation_tokens"], e["cache_read_tokens"], cost_text(e["cost_usd_cents"]),
                         e["input_tokens"], e["model"], e["output_tokens"], e["sessions"], e["tool"]))
    return '{"date":"%s","entries":[%s],"panelist":"%s","schema_version":0}' % (date, ",".join(parts), panelist)


def entry(tool, model, tokens, sessions):
    return {"tool": tool, "model": model, "input_tokens": tokens, "output_tokens": tokens // 20,
            "cache_read_tokens": tokens * 2, "cache_creation_tokens": tokens // 10,
            "cost_usd_cents": max(1, tokens // 10000), "sessions": sessions}


def rows_for(table, panel, days, whales=None):
    """table[i][j] = (members, input tokens) or None. whales[(i, j)] = tokens of one extra member."""
    rows = []
    whales = whales or {}
    for i, row in enumerate(table):
        for j, cell in enumerate(row):
            if cell is None:
                continue
            members, tokens = cell
            for k in range(members):
                share = tokens // members + (tokens % members if k == 0 else 0)
                rows.append((days[k % len(days)], panel.next(), [entry(TOOLS[i], MODELS[j], share, 1 + k % 3)]))
            if (i, j) in whales:
                rows.append((days[0], panel.next(), [entry(TOOLS[i], MODELS[j], whales[(i, j)], 9)]))
    return rows


def write_rows(path, rows):
    lines = sorted(payload_line(p, d, e) for d, p, e in rows)
    with open(path, "w") as f:
        for l in lines:
            f.write(l + "\n")
    return lines


# ---- aggregation, Merkle root and release document, independent of the Swift code -------------------

def aggregate(lines):
    pos = {}
    for l in lines:
        p = json.loads(l)
        tools, models = set(), set()
        for e in p["entries"]:
            vals = dict(e)
            vals["cost_usd_cents"] = round(float(e["cost_usd_est"]) * 100)
            for key in [("cell", e["tool"], e["model"]), ("tool", e["tool"]), ("model", e["model"]), ("total",)]:
                a = pos.setdefault(key, {"members": set(), "days": set(), **{c: 0 for c in COUNTERS}})
                a["members"].add(p["panelist"])
                a["days"].add((p["panelist"], p["date"]))
                for c in COUNTERS:
                    a[c] += vals[c]
    out = {}
    for key, a in pos.items():
        out[key] = {"members": len(a["members"]), "member_days": len(a["days"]), **{c: a[c] for c in COUNTERS}}
    return out


def merkle_root(leaves):
    def h(b):
        return hashlib.sha256(b).digest()

    def tree(hs):
        if len(hs) == 1:
            return hs[0]
        k = 1
        while k << 1 < len(hs):
            k <<= 1
        return h(b"\x01" + tree(hs[:k]) + tree(hs[k:]))
    return "sha256:" + tree([h(b"\x00" + l.encode()) for l in leaves]).hex()


POLICY = {"k": 5, "p": 10,
          "protection": {"frequency_percent": 30, "members_upper_bound_at_least": 5,
                         "dominance": "p-percent-upper-protection-level"},
          "attacker": {"model": "backpay-attacker/1",
                       "lower_bounds": {m: (1 if m in ("members", "member_days", "sessions") else 0) for m in MEASURES},
                       "upper_bounds": None, "max_member_days_per_member": 7}}


def release(lines, week, monday, sunday, suppressed, sequence=1, previous=None):
    """A release of these rows with exactly the given positions suppressed (no protection logic)."""
    lines = sorted(lines, key=lambda l: (json.loads(l)["date"], json.loads(l)["panelist"]))
    agg = aggregate(lines)

    def entry_of(key, names):
        d = dict(names)
        if key in suppressed:
            d["suppressed"] = True
        else:
            d.update(agg[key])
        return d
    cells = [entry_of(k, {"tool": k[1], "model": k[2]}) for k in sorted(k for k in agg if k[0] == "cell")]
    tools = [entry_of(k, {"tool": k[1]}) for k in sorted(k for k in agg if k[0] == "tool")]
    models = [entry_of(k, {"model": k[1]}) for k in sorted(k for k in agg if k[0] == "model")]
    doc = {"format": "backpay-release/1", "id": week, "sequence": sequence, "previous": previous,
           "period": {"start": monday, "end": sunday}, "schema_versions": [0], "policy": POLICY,
           "inputs": {"payloads": len(lines), "merkle_root": merkle_root(lines)},
           "cells": cells, "margins": {"tools": tools, "models": models, "total": entry_of(("total",), {})}}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def cell(i, j):
    return ("cell", TOOLS[i - 1], MODELS[j - 1])


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main():
    base = os.path.dirname(os.path.abspath(__file__))

    def case(name):
        d = os.path.join(base, name)
        os.makedirs(d, exist_ok=True)
        return d

    # Notes §2.1–2.3: the 3×3 member counts; input tokens 100,000 per member.
    t3 = [[(20, 2_000_000), (3, 300_000), (15, 1_500_000)],
          [(12, 1_200_000), (25, 2_500_000), (18, 1_800_000)],
          [(30, 3_000_000), (10, 1_000_000), (22, 2_200_000)]]
    lines = write_rows(os.path.join(case("row-leak"), "rows.jsonl"), rows_for(t3, Panel("t3"), W24))
    week = ("2026-W24", "2026-06-08", "2026-06-14")
    write(os.path.join(base, "row-leak", "unsafe.json"), release(lines, *week, {cell(1, 2)}))
    write_rows(os.path.join(case("column-leak"), "rows.jsonl"), rows_for(t3, Panel("t3"), W24))
    write(os.path.join(base, "column-leak", "unsafe.json"), release(lines, *week, {cell(1, 2), cell(1, 3)}))
    write_rows(os.path.join(case("safe-rectangle"), "rows.jsonl"), rows_for(t3, Panel("t3"), W24))
    # The control: the rectangle itself must pass the audit.
    write(os.path.join(base, "safe-rectangle", "handmade.json"),
          release(lines, *week, {cell(1, 2), cell(1, 3), cell(2, 2), cell(2, 3)}))

    # Notes §2.4: two rectangles joined by a 3-member primary at (2,3).
    t4 = [[(10, 1_000_000), (11, 1_100_000), (12, 1_200_000), (13, 1_300_000)],
          [(14, 1_400_000), (15, 1_500_000), (3, 300_000), (16, 1_600_000)],
          [(17, 1_700_000), (18, 1_800_000), (19, 1_900_000), (20, 2_000_000)],
          [(21, 2_100_000), (22, 2_200_000), (23, 2_300_000), (24, 2_400_000)]]
    lines = write_rows(os.path.join(case("bridge"), "rows.jsonl"), rows_for(t4, Panel("t4"), W24))
    a = {cell(1, 1), cell(1, 2), cell(2, 1), cell(2, 2)}
    b = {cell(3, 3), cell(3, 4), cell(4, 3), cell(4, 4)}
    write(os.path.join(base, "bridge", "unsafe.json"), release(lines, *week, a | b | {cell(2, 3)}))

    # Notes §2.5: a rectangle of small cells around a 3-member primary: never exact, but the primary's
    # counters cannot move ±30 %: only the rows show it (the release alone cannot tell a primary).
    tn = [[(20, 2_000_000), (3, 3_000_000), (6, 120_000), None],
          [(12, 1_200_000), (5, 100_000), (18, 1_800_000), None],
          [(30, 3_000_000), (10, 1_000_000), (22, 2_200_000), None]]
    lines = write_rows(os.path.join(case("narrow-rectangle"), "rows.jsonl"), rows_for(tn, Panel("tn"), W24))
    write(os.path.join(base, "narrow-rectangle", "unsafe.json"),
          release(lines, *week, {cell(1, 2), cell(1, 3), cell(2, 2), cell(2, 3)}))

    # Notes §1 (ACRO): a 13-member cell with a whale. ACRO suppresses the cell but the true tool margin is
    # published (as a tool-only table would be): margin minus the published cells gives the whale's cell.
    ta = [[(20, 2_000_000), (12, 600_000), (15, 1_500_000)],
          [(12, 1_200_000), (25, 2_500_000), (18, 1_800_000)],
          [(30, 3_000_000), (10, 1_000_000), (22, 2_200_000)]]
    lines = write_rows(os.path.join(case("acro-margin"), "rows.jsonl"),
                       rows_for(ta, Panel("ta"), W24, whales={(0, 1): 900_000_000}))
    write(os.path.join(base, "acro-margin", "unsafe.json"), release(lines, *week, {cell(1, 2)}))

    # Notes §4: week 23 is released; a member's week-23 payload arrives late, in the week-24 export.
    # Re-issuing week 23 with it would publish that member's usage as the difference of two releases.
    d = case("week-differencing")
    panel = Panel("wd")
    w23 = rows_for(t3, panel, W23)
    late = [(W23[2], panel.next(), [entry(TOOLS[0], MODELS[0], 6_750_000, 4)])]
    w24 = rows_for(t3, panel, W24)
    w23_lines = write_rows(os.path.join(d, "rows-w23.jsonl"), w23)
    write_rows(os.path.join(d, "rows.jsonl"), w24 + late)
    # The week-23 release we build, then a re-issue of week 23 with the late payload folded in and the
    # same cells suppressed: both pass every single-release check, yet their difference is one member.
    prev_path = os.path.join(d, "previous.json")
    tool = os.environ.get("BACKPAY", "./.build/debug/backpay-verify")
    subprocess.run([tool, "release", "build", "--rows", os.path.join(d, "rows-w23.jsonl"), "--week", "2026-W23",
                    "-o", prev_path, "--force", "--today", "2026-06-20", "--quiet"], check=True)
    prev_bytes = open(prev_path, "rb").read()
    prev = json.loads(prev_bytes)
    hidden = set()
    for c in prev["cells"]:
        if c.get("suppressed"):
            hidden.add(("cell", c["tool"], c["model"]))
    for c in prev["margins"]["tools"]:
        if c.get("suppressed"):
            hidden.add(("tool", c["tool"]))
    for c in prev["margins"]["models"]:
        if c.get("suppressed"):
            hidden.add(("model", c["model"]))
    if prev["margins"]["total"].get("suppressed"):
        hidden.add(("total",))
    late_line = payload_line(late[0][1], late[0][0], late[0][2])
    write(os.path.join(d, "unsafe.json"),
          release(w23_lines + [late_line], "2026-W23", "2026-06-01", "2026-06-07", hidden, sequence=2,
                  previous="sha256:" + hashlib.sha256(prev_bytes).hexdigest()))


if __name__ == "__main__":
    main()
