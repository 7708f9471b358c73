"""The week as the attacker's tests see it: rows summed per member and position, and the release read back.

Written independently of the Swift sources, from docs/release-format.md: a position is a cell (tool, model),
a tool margin, a model margin or the grand total; each carries members (distinct panelists), member_days
(distinct panelist-dates) and six exact sums. Rows are the store export (payload JSON lines); a payload
outside the release's ISO week is left out, and two payloads for one (panelist, date) are both set aside,
as `release build --quarantine` does. Only what the attack needs is validated here: every published number
of the release is re-derived from the rows (`check_release`), so rows that are not the release's inputs are
refused rather than attacked.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

MEASURES = ["members", "member_days", "input_tokens", "output_tokens", "cache_read_tokens",
            "cache_creation_tokens", "cost_usd_cents", "sessions"]
COUNTS = MEASURES[:2]
COUNTERS = MEASURES[2:]
TOKENS = COUNTERS[:4]
# What every listed (non-empty) position holds at least: one member, one member-day, one session.
LISTED_LOWER = {"members": 1, "member_days": 1, "sessions": 1}
ENTRY_FIELDS = {"input_tokens": "input_tokens", "output_tokens": "output_tokens",
                "cache_read_tokens": "cache_read_tokens", "cache_creation_tokens": "cache_creation_tokens",
                "sessions": "sessions"}


class InputError(Exception):
    """Input the attacker cannot work from: one line naming the file and place."""


def cell(tool, model):
    return ("cell", tool, model)


def name(pos) -> str:
    """The position's name as `release audit` prints it."""
    kind = pos[0]
    if kind == "cell":
        return f"{pos[1]} × {pos[2]}"
    if kind == "tool":
        return f"tool {pos[1]}"
    if kind == "model":
        return f"model {pos[1]}"
    return "total"


def sort_key(pos):
    order = {"cell": 0, "tool": 1, "model": 2, "total": 3}[pos[0]]
    return (order,) + tuple(pos[1:]) + ("",) * (3 - len(pos))


def iso_week_days(week: str) -> set[str]:
    try:
        year, w = week.split("-W")
        monday = dt.date.fromisocalendar(int(year), int(w), 1)
    except (ValueError, TypeError) as e:
        raise InputError(f"not an ISO week: {week!r} ({e})")
    return {(monday + dt.timedelta(days=i)).isoformat() for i in range(7)}


@dataclass
class Week:
    """Per-member contributions of one week: member -> position -> [8 measures]."""
    week: str
    contributions: dict[str, dict[tuple, list[int]]] = field(default_factory=dict)
    values: dict[tuple, list[int]] = field(default_factory=dict)
    payloads: int = 0
    set_aside: int = 0

    @property
    def tools(self):
        return sorted({p[1] for p in self.values if p[0] == "tool"})

    @property
    def models(self):
        return sorted({p[1] for p in self.values if p[0] == "model"})

    def top(self, pos, measure: str, n: int) -> list[tuple[int, str]]:
        """The n largest per-member contributions to `pos` on a measure, with their panelists."""
        i = MEASURES.index(measure)
        xs = sorted(((per[pos][i], mid) for mid, per in self.contributions.items() if pos in per), reverse=True)
        return (xs + [(0, None)] * n)[:n]

    def top_two(self, pos, measure: str) -> tuple[int, int]:
        """The two largest per-member contributions to `pos` on a counter (the p% rule's x1, x2)."""
        i = MEASURES.index(measure)
        a = b = 0
        for per in self.contributions.values():
            v = per.get(pos)
            if v is None:
                continue
            x = v[i]
            if x > a:
                a, b = x, a
            elif x > b:
                b = x
        return a, b


def _cents(value, where: str) -> int:
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise InputError(f"{where}: cost_usd_est is not a number")
    c = d * 100
    if c != c.to_integral_value():
        raise InputError(f"{where}: cost_usd_est has more than two decimals")
    return int(c)


def read_rows(paths: list[str], week: str) -> Week:
    days = iso_week_days(week)
    payloads: dict[tuple[str, str], list] = {}
    conflicted: set[tuple[str, str]] = set()
    for path in paths:
        try:
            f = open(path, "rb")
        except OSError as e:
            raise InputError(f"{path}: {e.strerror}")
        with f:
            for n, raw in enumerate(f, 1):
                if not raw.strip():
                    continue
                where = f"{path}:{n}"
                try:
                    p = json.loads(raw, parse_float=Decimal)
                    date, panelist, entries = p["date"], p["panelist"], p["entries"]
                except (ValueError, KeyError, TypeError) as e:
                    raise InputError(f"{where}: not a payload ({type(e).__name__}: {e})")
                if date not in days:
                    continue
                key = (panelist, date)
                if key in payloads:
                    conflicted.add(key)
                    continue
                parsed = []
                for j, e in enumerate(entries):
                    try:
                        row = [int(e[f]) for f in ("input_tokens", "output_tokens", "cache_read_tokens",
                                                   "cache_creation_tokens")]
                        row.append(_cents(e["cost_usd_est"], f"{where}: /entries/{j}"))
                        row.append(int(e["sessions"]))
                        parsed.append((e["tool"], e["model"], row))
                    except (KeyError, TypeError, ValueError) as x:
                        raise InputError(f"{where}: /entries/{j}: {type(x).__name__}: {x}")
                payloads[key] = parsed
    w = Week(week=week)
    for key in conflicted:
        del payloads[key]
        w.set_aside += 1
    for (panelist, _date), entries in payloads.items():
        per = w.contributions.setdefault(panelist, {})
        touched = set()
        for tool, model, row in entries:
            for pos in (cell(tool, model), ("tool", tool), ("model", model), ("total",)):
                v = per.setdefault(pos, [1, 0, 0, 0, 0, 0, 0, 0])
                if pos not in touched:
                    v[1] += 1           # one member-day per (panelist, date) and position
                    touched.add(pos)
                for i, x in enumerate(row):
                    v[2 + i] += x
        w.payloads += 1
    for per in w.contributions.values():
        for pos, v in per.items():
            acc = w.values.setdefault(pos, [0] * 8)
            for i in range(8):
                acc[i] += v[i]
    return w


@dataclass
class Release:
    path: str
    format: str
    id: str
    policy: dict
    payloads: int | None
    # Positions in document order: (pos, values or None when suppressed).
    positions: list[tuple[tuple, list[int] | None]]
    # Format 2: every pair of the vocabularies is listed; empty and suppressed positions read the same.
    grid: bool = False
    # The measures the format publishes (format 2 drops cost_usd_cents).
    measures: list = field(default_factory=lambda: list(MEASURES))

    @property
    def model(self) -> str:
        return self.policy.get("attacker", {}).get("model", "")


def _values(obj, where: str, measures=MEASURES):
    """The position's values in MEASURES order (unpublished measures as None), or None when suppressed."""
    if obj.get("suppressed") is True:
        return None
    try:
        return [int(obj[m]) if m in measures else None for m in MEASURES]
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(f"{where}: a published position without {e}")


def read_release(path: str) -> Release:
    try:
        with open(path, "rb") as f:
            doc = json.load(f)
    except OSError as e:
        raise InputError(f"{path}: {e.strerror}")
    except ValueError as e:
        raise InputError(f"{path}: not JSON: {e}")
    fmt = doc.get("format")
    if fmt == "backpay-release/1":
        return _read_format1(path, doc)
    if fmt == "backpay-release/2":
        return _read_format2(path, doc)
    raise InputError(f"{path}: /format: unknown release format {fmt!r}")


def _read_format1(path, doc, fmt2=False) -> Release:
    measures = [m for m in MEASURES if m != "cost_usd_cents"] if fmt2 else list(MEASURES)
    positions = []
    try:
        for i, c in enumerate(doc["cells"]):
            positions.append((cell(c["tool"], c["model"]), _values(c, f"{path}: /cells/{i}", measures)))
        for i, t in enumerate(doc["margins"]["tools"]):
            positions.append((("tool", t["tool"]), _values(t, f"{path}: /margins/tools/{i}", measures)))
        for i, m in enumerate(doc["margins"]["models"]):
            positions.append((("model", m["model"]), _values(m, f"{path}: /margins/models/{i}", measures)))
        positions.append((("total",), _values(doc["margins"]["total"], f"{path}: /margins/total", measures)))
        return Release(path=path, format=doc["format"], id=doc["id"], policy=doc["policy"],
                       payloads=int(doc["inputs"]["payloads"]), positions=positions, grid=fmt2, measures=measures)
    except (KeyError, TypeError) as e:
        raise InputError(f"{path}: not a {doc.get('format')} document (missing {e})")


def _read_format2(path, doc) -> Release:
    """release-format.md §7: format 1 without cost, every pair of `grid` listed, empty ones as suppressed."""
    rel = _read_format1(path, doc, fmt2=True)
    try:
        tools, models = doc["grid"]["tools"], doc["grid"]["models"]
    except (KeyError, TypeError):
        raise InputError(f"{path}: /grid: missing")
    want = {cell(t, m) for t in tools for m in models} | {("tool", t) for t in tools} | {("model", m) for m in models} | {("total",)}
    have = [p for p, _ in rel.positions]
    if set(have) != want or len(have) != len(want):
        raise InputError(f"{path}: /cells: the positions are not exactly the grid's {len(want)}")
    return rel


def check_release(week: Week, rel: Release) -> None:
    """Every published number must be what the rows give; every listed position must have rows."""
    for pos, v in rel.positions:
        truth = week.values.get(pos)
        if truth is None:
            if rel.grid and v is None:
                continue
            raise InputError(f"{rel.path}: {name(pos)} is listed but the rows have no entry for it")
        if v is not None and any(a is not None and a != b for a, b in zip(v, truth)):
            diff = [f"{m} {a} vs {b}" for m, a, b in zip(MEASURES, v, truth) if a is not None and a != b]
            raise InputError(f"{rel.path}: {name(pos)} does not match the rows ({', '.join(diff)}): "
                             "these rows are not the release's inputs")
    listed = {p for p, _ in rel.positions}
    for pos in week.values:
        if pos not in listed:
            raise InputError(f"{rel.path}: {name(pos)} has rows but is not in the release")
