#!/usr/bin/env python3
"""Writes the rows of the attacks outside backpay-attacker/1 (docs/release-format.md §8), one folder each.

Run from the repository root: python3 golden/release/attacks/make_attacks.py
Each folder gets rows.jsonl (canonical payloads of ISO week 2026-W24). The releases built from them (format 1
and format 2) and the format-2 disclosure report are written by Tests/AnonTests/AttackGoldenTests.swift under
UPDATE_GOLDEN=1 and checked otherwise. The structural-zeros attack uses examples/rows/2026-W24.jsonl.

Cells are given as (tool, model, members, tokens of the first member, sessions per day, days); each member of
a cell is distinct, spends a little more than the one before, and the meter's cost is tokens × a list price.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from make_cases import Panel, W24, payload_line  # noqa: E402

# Per-model list price in cents per million input tokens (the meter's price table in these rows).
PRICE = {"claude-opus-4-8": 1500, "gpt-5": 125, "gemini-2.5-pro": 125, "claude-sonnet-4-6": 300, "o3": 200}


def rows(cells, seed):
    panel = Panel(seed)
    out = []
    for tool, model, members, tokens, sessions, days in cells:
        for k in range(members):
            t = tokens + 7_919 * k
            who = panel.next()
            for d in range(days):
                e = {"tool": tool, "model": model, "input_tokens": t, "output_tokens": t // 20,
                     "cache_read_tokens": t * 2, "cache_creation_tokens": t // 10,
                     "cost_usd_cents": max(1, t * PRICE[model] // 1_000_000), "sessions": sessions}
                out.append(payload_line(who, W24[(k + d) % 7], [e]))
    return sorted(out)


# One line per cell: tool, model, members, tokens of the first member, sessions per day, days.
CASES = {
    # A lone member of windsurf × gemini-2.5-pro next to a two-member claude-code × gemini-2.5-pro: under
    # model 1 the builder pairs them; the lone member knows his own numbers.
    "insider": """
        claude-code claude-opus-4-8 30 100000 2 3 | claude-code gpt-5 12 80000 1 2 | claude-code gemini-2.5-pro 2 90000 1 2
        cursor claude-opus-4-8 25 100000 2 3 | cursor gpt-5 9 70000 1 2 | cursor gemini-2.5-pro 40 60000 1 2
        windsurf claude-opus-4-8 8 50000 1 2 | windsurf gpt-5 7 50000 1 2 | windsurf gemini-2.5-pro 1 300000 1 3""",
    # A one-member cell whose cost is tokens × the model's public price.
    "prices": """
        claude-code claude-opus-4-8 20 100000 2 3 | claude-code o3 9 90000 1 2
        cursor claude-opus-4-8 15 120000 2 3 | cursor o3 1 957000 3 4
        aider claude-opus-4-8 11 60000 1 2 | aider o3 8 70000 1 2""",
    # The only kiro user, on claude-sonnet-4-6: format 1 lists that pair and no other kiro pair.
    "presence": """
        claude-code claude-sonnet-4-6 20 100000 2 3 | claude-code gpt-5 14 80000 1 2
        cursor claude-sonnet-4-6 16 90000 2 3 | cursor gpt-5 10 70000 1 2
        kiro claude-sonnet-4-6 1 50000 1 2""",
    # A cell of five members, each on one day with one session: members = member_days = sessions = 5.
    "homogeneity": """
        claude-code claude-opus-4-8 20 100000 2 3 | claude-code gpt-5 14 80000 1 2
        cursor claude-opus-4-8 16 90000 2 3 | cursor gpt-5 5 70000 1 1
        aider claude-opus-4-8 12 60000 2 2 | aider gpt-5 9 50000 1 2""",
}


def cells(text):
    out = []
    for part in text.replace("\n", "|").split("|"):
        if part.strip():
            tool, model, *numbers = part.split()
            out.append((tool, model, *map(int, numbers)))
    return out


def main():
    base = os.path.dirname(os.path.abspath(__file__))
    for name, text in CASES.items():
        d = os.path.join(base, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "rows.jsonl"), "w") as f:
            for line in rows(cells(text), name):
                f.write(line + "\n")


if __name__ == "__main__":
    main()
