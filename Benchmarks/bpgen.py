"""Deterministic synthetic Backpay payloads (schema v0, docs/payload-format.md), shared by the generators.

Only `random.Random.random()` and `getrandbits()` are used (the Mersenne Twister stream is stable across
CPython versions), and every distribution is built from them here, so a seed gives the same bytes on any
machine. Output is canonical: RFC 8785 key order, no spaces, entries sorted by (tool, model), cost written
as the shortest decimal of its integer cents.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import os
import random

# (tool, model, relative popularity). Popular pairs dominate; a long tail of rare pairs gives the release
# builder cells below k = 5 members. Every name is in the schema's vocabularies.
PAIRS: list[tuple[str, str, float]] = [
    ("claude-code", "claude-sonnet-4-6", 10.0), ("claude-code", "claude-opus-4-8", 8.0),
    ("claude-code", "claude-haiku-4-5", 5.0), ("claude-code", "claude-opus-4-7", 3.0),
    ("claude-code", "claude-sonnet-4-5", 3.0), ("claude-code", "claude-opus-4-6", 1.5),
    ("claude-code", "claude-opus-4-5", 0.8), ("claude-code", "claude-sonnet-4", 0.6),
    ("claude-code", "claude-opus-4-1", 0.2), ("claude-code", "other", 0.1),
    ("claude-code", "claude-3-7-sonnet", 0.05),
    ("codex", "gpt-5.1-codex", 7.0), ("codex", "gpt-5-codex", 4.0), ("codex", "gpt-5.1", 3.0),
    ("codex", "gpt-5", 2.0), ("codex", "gpt-5.1-codex-mini", 2.0), ("codex", "gpt-5-mini", 1.0),
    ("codex", "o3", 0.3), ("codex", "o4-mini", 0.2),
    ("cursor", "claude-sonnet-4-6", 5.0), ("cursor", "gpt-5.1", 3.0), ("cursor", "claude-opus-4-8", 2.0),
    ("cursor", "gemini-3-pro", 1.5), ("cursor", "grok-code-fast-1", 1.5), ("cursor", "gpt-5", 1.0),
    ("cursor", "claude-sonnet-4-5", 1.0), ("cursor", "gemini-2.5-pro", 0.5),
    ("cursor", "claude-haiku-4-5", 0.5), ("cursor", "other", 0.5), ("cursor", "kimi-k2", 0.2),
    ("cursor", "o3", 0.1),
    ("copilot", "gpt-4.1", 4.0), ("copilot", "claude-sonnet-4-6", 3.0), ("copilot", "gpt-5-mini", 2.0),
    ("copilot", "gpt-5.1", 1.0), ("copilot", "gemini-2.5-pro", 0.5), ("copilot", "claude-haiku-4-5", 0.5),
    ("copilot", "grok-code-fast-1", 0.5), ("copilot", "o4-mini", 0.1),
    ("gemini-cli", "gemini-3-pro", 3.0), ("gemini-cli", "gemini-2.5-pro", 2.0),
    ("gemini-cli", "gemini-2.5-flash", 2.0),
    ("aider", "claude-sonnet-4-6", 0.8), ("aider", "deepseek-v3", 0.6), ("aider", "gpt-5", 0.4),
    ("aider", "gemini-2.5-pro", 0.3), ("aider", "qwen3-coder", 0.2), ("aider", "other", 0.2),
    ("aider", "o3", 0.05), ("aider", "glm-4.6", 0.05),
    ("cline", "claude-sonnet-4-6", 0.8), ("cline", "gemini-2.5-pro", 0.3), ("cline", "deepseek-v3", 0.2),
    ("cline", "qwen3-coder", 0.2), ("cline", "grok-code-fast-1", 0.2), ("cline", "kimi-k2", 0.1),
    ("cline", "glm-4.6", 0.1),
    ("roo-code", "claude-sonnet-4-6", 0.4), ("roo-code", "gemini-2.5-pro", 0.15),
    ("roo-code", "deepseek-v3", 0.1), ("roo-code", "glm-4.6", 0.05),
    ("windsurf", "claude-sonnet-4-6", 0.8), ("windsurf", "gpt-5.1", 0.4), ("windsurf", "other", 0.3),
    ("windsurf", "grok-code-fast-1", 0.1),
    ("opencode", "claude-sonnet-4-6", 0.4), ("opencode", "kimi-k2", 0.2), ("opencode", "qwen3-coder", 0.2),
    ("opencode", "glm-4.6", 0.2), ("opencode", "grok-code-fast-1", 0.2), ("opencode", "gpt-5.1", 0.2),
    ("amp", "claude-opus-4-8", 0.5), ("amp", "claude-sonnet-4-6", 0.3), ("amp", "gpt-5.1", 0.1),
    ("kiro", "claude-sonnet-4-6", 0.4), ("kiro", "claude-sonnet-4-5", 0.2),
    ("zed", "claude-sonnet-4-6", 0.3), ("zed", "gpt-5", 0.05), ("zed", "grok-4", 0.002),
    ("continue", "qwen3-coder", 0.1), ("continue", "claude-sonnet-4-6", 0.1), ("continue", "other", 0.05),
    ("continue", "deepseek-v3", 0.05), ("continue", "claude-3-5-haiku", 0.001),
    ("goose", "claude-sonnet-4-6", 0.1), ("goose", "gpt-5", 0.05), ("goose", "other", 0.02),
    ("other", "other", 0.3), ("other", "claude-sonnet-4-6", 0.1), ("other", "grok-4", 0.003),
    ("other", "gpt-4.1", 0.02),
]

_SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas", "payload-v0.schema.json")
with open(_SCHEMA, encoding="utf-8") as _f:
    _ENTRY = json.load(_f)["$defs"]["entry"]["properties"]
TOOLS: list[str] = _ENTRY["tool"]["enum"]
MODELS: list[str] = _ENTRY["model"]["enum"]
POPULAR = len(PAIRS)
# Every other tool × model combination, tried by a few members: the long tail of cells below k = 5.
PAIRS += [(t, m, 0.0) for t in TOOLS for m in MODELS if (t, m) not in {(a, b) for a, b, _ in PAIRS[:POPULAR]}]
STRAY = 0.001  # chance that a habit is a uniformly drawn combination

# US$ per million tokens: input, output, cache read, cache write. Plausible list prices, rounded.
PRICES: dict[str, tuple[float, float, float, float]] = {
    "claude-opus-4-8": (5, 25, 0.5, 6.25), "claude-opus-4-7": (5, 25, 0.5, 6.25),
    "claude-opus-4-6": (5, 25, 0.5, 6.25), "claude-opus-4-5": (5, 25, 0.5, 6.25),
    "claude-opus-4-1": (15, 75, 1.5, 18.75), "claude-sonnet-4-6": (3, 15, 0.3, 3.75),
    "claude-sonnet-4-5": (3, 15, 0.3, 3.75), "claude-sonnet-4": (3, 15, 0.3, 3.75),
    "claude-haiku-4-5": (1, 5, 0.1, 1.25), "claude-3-7-sonnet": (3, 15, 0.3, 3.75),
    "claude-3-5-haiku": (0.8, 4, 0.08, 1), "gpt-5": (1.25, 10, 0.125, 0), "gpt-5-mini": (0.25, 2, 0.025, 0),
    "gpt-5-codex": (1.25, 10, 0.125, 0), "gpt-5.1": (1.25, 10, 0.125, 0), "gpt-5.1-codex": (1.25, 10, 0.125, 0),
    "gpt-5.1-codex-mini": (0.25, 2, 0.025, 0), "gpt-4.1": (2, 8, 0.5, 0), "o3": (2, 8, 0.5, 0),
    "o4-mini": (1.1, 4.4, 0.275, 0), "gemini-3-pro": (2, 12, 0.2, 0), "gemini-2.5-pro": (1.25, 10, 0.125, 0),
    "gemini-2.5-flash": (0.3, 2.5, 0.03, 0), "grok-4": (3, 15, 0.75, 0), "grok-code-fast-1": (0.2, 1.5, 0.02, 0),
    "qwen3-coder": (0.4, 1.6, 0.1, 0), "kimi-k2": (0.6, 2.5, 0.15, 0), "deepseek-v3": (0.28, 0.42, 0.028, 0),
    "glm-4.6": (0.6, 2.2, 0.11, 0), "other": (1, 5, 0.1, 1),
}

MAX_TOKENS = 100_000_000_000
MAX_CENTS = 100_000 * 100
MAX_SESSIONS = 10_000

# Entries per day (capped by the member's habits): about 2.2 on average.
ENTRY_COUNT_WEIGHTS = [(1, 0.22), (2, 0.30), (3, 0.27), (4, 0.21)]


class Sampler:
    """Random variates built on `random()` only, so that they are reproducible across Python versions."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._spare: float | None = None
        self._pair_cum = _cumulative([w for _, _, w in PAIRS[:POPULAR]])

    def uniform(self) -> float:
        return self.rng.random()

    def below(self, n: int) -> int:
        return min(int(self.rng.random() * n), n - 1)

    def normal(self) -> float:
        # Box–Muller, caching the second variate.
        if self._spare is not None:
            z, self._spare = self._spare, None
            return z
        u1 = 1.0 - self.rng.random()
        u2 = self.rng.random()
        r = math.sqrt(-2.0 * math.log(u1))
        self._spare = r * math.sin(2.0 * math.pi * u2)
        return r * math.cos(2.0 * math.pi * u2)

    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(sigma * self.normal())

    def weighted(self, cumulative: list[float]) -> int:
        return bisect.bisect_right(cumulative, self.rng.random() * cumulative[-1])

    def pair(self) -> int:
        if self.rng.random() < STRAY:
            return self.below(len(PAIRS))
        return self.weighted(self._pair_cum)

    def uuid4(self) -> str:
        bits = self.rng.getrandbits(128)
        bits = (bits & ~(0xF000 << 64)) | (0x4000 << 64)        # version 4
        bits = (bits & ~(0xC000 << 48)) | (0x8000 << 48)        # RFC 4122 variant
        h = f"{bits:032x}"
        return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


ENTRY_COUNT_CUM = _cumulative([w for _, w in ENTRY_COUNT_WEIGHTS])


class Member:
    """A panelist with habits: a few (tool, model) pairs, mostly of one tool, and a heavy-tailed intensity."""

    __slots__ = ("uuid", "habits", "habit_cum", "intensity")

    def __init__(self, s: Sampler) -> None:
        self.uuid = s.uuid4()
        first = s.pair()
        habits = [first]
        want = 1 + s.weighted(_HABIT_COUNT_CUM)
        tries = 0
        while len(habits) < want and tries < 40:
            tries += 1
            p = s.pair()
            # Tool affinity: a second pair of another tool is accepted only a third of the time.
            if p in habits or (PAIRS[p][0] != PAIRS[first][0] and s.uniform() > 0.33):
                continue
            habits.append(p)
        self.habits = habits
        # The first habit is the everyday pair; later ones are used less often.
        self.habit_cum = _cumulative([1.0 / (i + 1) for i in range(len(habits))])
        # Lognormal intensity with a Pareto-like tail: a few members use 20–100× the median.
        self.intensity = s.lognormal(1.0, 1.0) * (20.0 + 80.0 * s.uniform() if s.uniform() < 0.01 else 1.0)

    def day_pairs(self, s: Sampler) -> list[int]:
        k = min(1 + s.weighted(ENTRY_COUNT_CUM), len(self.habits))
        chosen: list[int] = []
        while len(chosen) < k:
            p = self.habits[s.weighted(self.habit_cum)]
            if p not in chosen:
                chosen.append(p)
        return chosen


_HABIT_COUNT_CUM = _cumulative([0.06, 0.16, 0.26, 0.24, 0.16, 0.12])  # 1..6 habitual pairs


def entry_fields(s: Sampler, member: Member, pair: int) -> tuple[str, str, int, int, int, int, int, int]:
    """(tool, model, input, output, cache_read, cache_creation, cost_cents, sessions) for one day."""
    tool, model, _ = PAIRS[pair]
    scale = member.intensity
    inp = _tokens(s.lognormal(900_000 * scale, 1.1))
    out = _tokens(s.lognormal(110_000 * scale, 1.0))
    # About one entry in ten comes from a tool that reports no cache use.
    if s.uniform() < 0.1:
        cread = ccreate = 0
    else:
        cread = _tokens(s.lognormal(11_000_000 * scale, 1.2))
        ccreate = _tokens(s.lognormal(550_000 * scale, 1.1))
    pi, po, pr, pw = PRICES[model]
    cents = round((inp * pi + out * po + cread * pr + ccreate * pw) / 10_000.0)
    cents = min(max(cents, 0), MAX_CENTS)
    sessions = min(1 + int(s.lognormal(1.6, 0.9) * min(scale, 20.0) ** 0.3), MAX_SESSIONS)
    return tool, model, inp, out, cread, ccreate, cents, sessions


def _tokens(x: float) -> int:
    return min(int(x), MAX_TOKENS)


def cents_text(c: int) -> str:
    """Shortest decimal of c/100, as RFC 8785 writes that number (no exponent below 1e21)."""
    whole, frac = divmod(c, 100)
    if frac == 0:
        return str(whole)
    return f"{whole}.{frac:02d}".rstrip("0")


def payload_line(date: str, panelist: str, entries: list[tuple]) -> str:
    """Canonical JSON of one payload: keys in RFC 8785 order, entries sorted by (tool, model)."""
    parts = []
    for tool, model, inp, out, cread, ccreate, cents, sessions in sorted(entries, key=lambda e: (e[0], e[1])):
        parts.append(
            f'{{"cache_creation_tokens":{ccreate},"cache_read_tokens":{cread},'
            f'"cost_usd_est":{cents_text(cents)},"input_tokens":{inp},"model":"{model}",'
            f'"output_tokens":{out},"sessions":{sessions},"tool":"{tool}"}}'
        )
    return f'{{"date":"{date}","entries":[{",".join(parts)}],"panelist":"{panelist}","schema_version":0}}'


def day_text(d: dt.date) -> str:
    return d.isoformat()
