#!/usr/bin/env python3
"""Deterministic example store export: one ISO week (2026-W24), about 40 members, a few hundred payloads.

Run: python3 examples/generate.py > examples/rows/2026-W24.jsonl
Each line is a canonical payload (RFC 8785, entries sorted by tool then model), schema version 0.
Usage is heavy-tailed on purpose: a few heavy agentic users dominate some cells, several (tool, model)
pairs have fewer than 5 members, so the release shows primary and complementary suppression.
"""
import datetime
import json
import random
import uuid

rng = random.Random(20260608)
MONDAY = datetime.date(2026, 6, 8)  # 2026-W24

# (tool, [(model, weight)]), popular pairs first; the tail gives small cells.
TOOLS = [
    ("claude-code", [("claude-opus-4-8", 5), ("claude-sonnet-4-6", 6), ("claude-haiku-4-5", 1)]),
    ("codex", [("gpt-5-codex", 5), ("gpt-5", 3)]),
    ("cursor", [("claude-sonnet-4-6", 4), ("gpt-5", 3), ("gemini-2.5-pro", 1)]),
    ("aider", [("claude-sonnet-4-6", 2), ("deepseek-v3", 1)]),
]
TOOL_WEIGHTS = [8, 5, 5, 1]


def cost_text(cents):
    whole, frac = divmod(cents, 100)
    if frac == 0:
        return str(whole)
    s = "%d.%02d" % (whole, frac)
    return s.rstrip("0")


def member():
    tools = set()
    while len(tools) < rng.choice([1, 1, 1, 2, 2, 3]):
        tools.add(rng.choices(range(len(TOOLS)), TOOL_WEIGHTS)[0])
    pairs = []
    for t in sorted(tools):
        name, models = TOOLS[t]
        k = rng.choice([1, 1, 2])
        chosen = set()
        while len(chosen) < min(k, len(models)):
            chosen.add(rng.choices([m for m, _ in models], [w for _, w in models])[0])
        pairs += [(name, m) for m in sorted(chosen)]
    scale = rng.lognormvariate(0, 0.7) * (12 if rng.random() < 0.05 else 1)
    days = sorted(rng.sample(range(7), rng.randint(4, 7)))
    return {
        "panelist": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "pairs": pairs,
        "scale": scale,
        "days": days,
    }


def entry(tool, model, scale):
    inp = int(rng.lognormvariate(13.5, 0.8) * scale)
    out = int(inp * rng.uniform(0.03, 0.08))
    cread = int(inp * rng.uniform(2, 8)) if tool != "aider" else 0
    ccreate = int(inp * rng.uniform(0.05, 0.2)) if tool != "aider" else 0
    cents = max(1, int((inp * 3 + out * 15 + cread * 0.3 + ccreate * 3.75) / 1_000_000 * 100))
    return {
        "cache_creation_tokens": ccreate,
        "cache_read_tokens": cread,
        "cost_usd_est": "@COST%d@" % cents,
        "input_tokens": inp,
        "model": model,
        "output_tokens": out,
        "sessions": rng.randint(1, 12),
        "tool": tool,
    }


def main():
    members = [member() for _ in range(40)]
    lines = []
    for m in members:
        for d in m["days"]:
            day = MONDAY + datetime.timedelta(days=d)
            used = [p for p in m["pairs"] if rng.random() < 0.8] or m["pairs"][:1]
            entries = sorted((entry(t, mo, m["scale"]) for t, mo in used), key=lambda e: (e["tool"], e["model"]))
            payload = {"date": day.isoformat(), "entries": entries, "panelist": m["panelist"], "schema_version": 0}
            text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            # Cost is written as the shortest decimal of its cents (the canonical number form).
            while "\"@COST" in text:
                i = text.index("\"@COST")
                j = text.index("@\"", i + 1)
                text = text[:i] + cost_text(int(text[i + 6:j])) + text[j + 2:]
            lines.append((day.isoformat(), m["panelist"], text))
    for _, _, text in sorted(lines):
        print(text)


if __name__ == "__main__":
    main()
