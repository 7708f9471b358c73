#!/usr/bin/env python3
"""An independent attacker of weekly releases: the tightest interval of every suppressed value, by LP.

    attacker.py --release R.json --rows WEEK.jsonl [--model auto|1|2] [--knowledge insiders,prices,zeros,presence]
                [--coalition N] [--prices FILE|bpgen] [--homogeneity] [-o OUT.json]

Reads the release and the rows it was built from (the store export), re-derives every published number
from the rows (refusing rows that are not the release's inputs), and attacks every suppressed value:

- model 1 (`backpay-attacker/1`, docs/release-format.md §6): the published values, the table's sum relations,
  the count inequalities, the payload count, the lower bounds of listed positions, integrality;
- model 2 adds, as selected by --knowledge (all by default): insiders (every coalition of up to N members
  knows its own contributions), the public price table (cost = Σ tokens × price within bounds, per entry
  rounding), known zeros (a zero value is known), presence (a listed suppressed cell says "someone used
  this pair").

Each interval is the LP optimum made integral (MILP when fractional), solved with scipy's HiGHS. The
requirements are those of the release's policy, from the rows: a position with fewer than k members needs
lo ≤ ⌊v·(100−f)/100⌋ (or the lower bound) and hi ≥ ⌈v·(100+f)/100⌉ on every counter and hi ≥ k on members;
a position failing the p% rule on a counter needs hi ≥ ⌈x1 + x2 + p·x1/100⌉ there. Findings: `exact` (lo = hi
above the lower bound), `members-below-k`, `under-protected`, and with model 2 the same found by an
insider coalition (`by` names it), `presence` and (with --homogeneity) `homogeneity`.

Output: one JSON document on stdout (or -o). Exit 0: no finding; 1: findings; 2: could not attack
(unreadable input, rows that do not re-derive the release); 64: usage. Needs PyPI scipy and numpy.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from weekdata import (COUNTERS, LISTED_LOWER, MEASURES, InputError, check_release, name, read_release,  # noqa: E402
                      read_rows)
from lpattack import Knowledge, Problem, attack  # noqa: E402

MODEL_1 = "backpay-attacker/1"
MODEL_2 = "backpay-attacker/2"
ALL_KNOWLEDGE = ("insiders", "prices", "zeros", "presence")


def ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def requirements(week, release) -> dict:
    """(pos, measure) -> (lo_at_most or None, hi_at_least or None) for every suppressed primary."""
    pol = release.policy
    k, p = int(pol["k"]), int(pol["p"])
    f = int(pol["protection"]["frequency_percent"])
    out = {}
    for pos, v in release.positions:
        if v is not None or pos not in week.values:
            continue
        truth = week.values[pos]
        if truth[0] < k:
            out[(pos, "members")] = (None, k)
            for m in COUNTERS:
                x = truth[MEASURES.index(m)]
                out[(pos, m)] = (max(LISTED_LOWER.get(m, 0), (x * (100 - f)) // 100), ceil_div(x * (100 + f), 100))
        for m in COUNTERS:
            x1, x2 = week.top_two(pos, m)
            t = truth[MEASURES.index(m)]
            if 100 * (t - x1 - x2) < p * x1:
                need = ceil_div(100 * (x1 + x2) + p * x1, 100)
                lo, hi = out.get((pos, m), (None, None))
                out[(pos, m)] = (lo, max(hi or 0, need))
    return out


def bpgen_prices() -> dict:
    sys.path.insert(0, os.path.join(HERE, "..", "..", "Benchmarks"))
    import bpgen  # the benchmark generator's list prices, US$ per 10^6 tokens
    return {"models": {m: {k: (p[i], p[i]) for i, k in enumerate(COUNTERS[:4])} for m, p in bpgen.PRICES.items()},
            "rounding_cents_per_entry": (0.5, 0.5)}


def load_prices(spec: str | None) -> dict | None:
    if spec is None:
        return None
    if spec == "bpgen":
        return bpgen_prices()
    try:
        with open(spec) as f:
            d = json.load(f)
        models = {m: {k: tuple(v[k]) for k in COUNTERS[:4]} for m, v in d["models"].items()}
        return {"models": models, "rounding_cents_per_entry": tuple(d.get("rounding_cents_per_entry", (0.5, 0.5)))}
    except OSError as e:
        raise InputError(f"{spec}: {e.strerror}")
    except (ValueError, KeyError, TypeError) as e:
        raise InputError(f"{spec}: not a price table ({type(e).__name__}: {e})")


def run(args) -> dict:
    release = read_release(args.release)
    week = read_rows(args.rows, release.id)
    check_release(week, release)
    declared = release.model
    model = {"auto": declared, "1": MODEL_1, "2": MODEL_2}[args.model]
    if model not in (MODEL_1, MODEL_2):
        raise InputError(f"{args.release}: /policy/attacker/model: unknown attacker model {declared!r}")
    kn = Knowledge()
    chosen = set()
    if model == MODEL_2:
        chosen = set(ALL_KNOWLEDGE if args.knowledge is None else args.knowledge.split(","))
        unknown = chosen - set(ALL_KNOWLEDGE)
        if unknown:
            raise UsageError(f"--knowledge: unknown {sorted(unknown)}; choose from {','.join(ALL_KNOWLEDGE)}")
        kn.zeros = "zeros" in chosen
        kn.coalition = (args.coalition if args.coalition is not None else 1) if "insiders" in chosen else 0
        if "prices" in chosen:
            kn.prices = load_prices(args.prices)
            if kn.prices is None:
                chosen.discard("prices")
    started = time.monotonic()
    problem = Problem(release, week, kn)
    reqs = requirements(week, release)
    # Insiders are checked where the model asks: every primary's protection (both ends it constrains).
    targets = {key: {d for d, need in ((1, req[0]), (-1, req[1])) if need is not None} for key, req in reqs.items()}
    results, stats = attack(problem, targets)
    stats["seconds"] = round(time.monotonic() - started, 3)
    k = int(release.policy["k"])
    findings, intervals = [], []
    order = {p: i for i, (p, _) in enumerate(release.positions)}
    results.sort(key=lambda r: (order[r.pos], MEASURES.index(r.measure)))

    def add(code, r, message, by=None):
        f = {"code": code, "position": name(r.pos), "measure": r.measure, "message": message}
        if by:
            f["by"] = by
        findings.append(f)

    for r in results:
        lb = problem.lower.get((r.pos, r.measure), 0)
        req = reqs.get((r.pos, r.measure))
        exact = r.hi is not None and r.lo == r.hi and r.lo > lb
        checks = [("release", r.lo, r.hi, None)]
        if r.insider_lo is not None:
            checks.append(("insider", r.insider_lo, r.insider_hi, None))
        protected = True
        if exact:
            add("exact", r, f"{name(r.pos)}: {r.measure} is derived exactly: {r.lo}")
        if r.measure == "members" and r.hi is not None and r.hi < k:
            add("members-below-k", r, f"{name(r.pos)}: members interval [{r.lo}, {r.hi}] proves fewer than {k} members")
        if req and not meets(req, r.lo, r.hi):
            protected = False
            add("under-protected", r, f"{name(r.pos)}: {r.measure} interval {show(r.lo, r.hi)} is too narrow "
                f"(protection needs {need_text(req)}; true {r.value})")
        if r.insider_exact_by:
            if not exact:
                add("exact", r, f"{name(r.pos)}: {r.measure} is derived exactly by insiders: {r.value}", r.insider_exact_by)
        if r.insider_lo is not None and r.measure == "members" and r.insider_hi is not None and r.insider_hi < k \
                and not (r.hi is not None and r.hi < k):
            add("members-below-k", r, f"{name(r.pos)}: insiders bound members by {r.insider_hi} < {k}", r.insider_hi_by)
        if req and r.insider_lo is not None and protected:
            lo_ok = req[0] is None or r.insider_lo <= req[0]
            hi_ok = req[1] is None or r.insider_hi is None or r.insider_hi >= req[1]
            if not (lo_ok and hi_ok):
                protected = False
                by = r.insider_lo_by if not lo_ok else r.insider_hi_by
                add("under-protected", r, f"{name(r.pos)}: {r.measure}: insiders narrow it to "
                    f"{show(r.insider_lo if not lo_ok else r.lo, r.insider_hi if not hi_ok else r.hi)} "
                    f"(protection needs {need_text(req)}; true {r.value})", by)
        item = {"position": name(r.pos), "measure": r.measure, "lo": r.lo, "hi": r.hi, "value": r.value,
                "primary": req is not None,
                "requirement": None if req is None else {"lo_at_most": req[0], "hi_at_least": req[1]},
                "exact": exact or bool(r.insider_exact_by), "protected": protected}
        if r.insider_lo is not None:
            item["insiders"] = {"lo": r.insider_lo, "lo_by": r.insider_lo_by, "hi": r.insider_hi,
                                "hi_by": r.insider_hi_by, "exact_by": r.insider_exact_by}
        intervals.append(item)
    if "presence" in chosen and not release.grid:
        for pos, v in release.positions:
            if v is None and pos[0] == "cell":
                findings.append({"code": "presence", "position": name(pos), "measure": "members",
                                 "message": f"{name(pos)}: listed although suppressed: at least one member used it"})
    if args.homogeneity:
        for pos, v in release.positions:
            if v is not None and v[0] == v[1] == v[7]:
                findings.append({"code": "homogeneity", "position": name(pos), "measure": "sessions",
                                 "message": f"{name(pos)}: members = member_days = sessions = {v[0]}: "
                                            "every member used it on one day, in one session"})
    return {
        "attacker": "Tests/Attacker/attacker.py",
        "release": args.release,
        "id": release.id,
        "format": release.format,
        "declared_model": declared,
        "model": model,
        "knowledge": sorted(chosen) + (["coalition-%d" % kn.coalition] if kn.coalition else []),
        "ok": not findings,
        "findings": findings,
        "counts": {c: sum(1 for f in findings if f["code"] == c) for c in sorted({f["code"] for f in findings})},
        "intervals": intervals,
        "stats": stats,
    }


def meets(req, lo, hi) -> bool:
    return (req[0] is None or lo <= req[0]) and (req[1] is None or hi is None or hi >= req[1])


def show(lo, hi) -> str:
    return f"[{lo}, {'∞' if hi is None else hi}]"


def need_text(req) -> str:
    parts = []
    if req[0] is not None:
        parts.append(f"lower bound ≤ {req[0]}")
    if req[1] is not None:
        parts.append(f"upper bound ≥ {req[1]}")
    return " and ".join(parts)


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):
        print(f"attacker.py: {message}", file=sys.stderr)
        sys.exit(64)


def main(argv=None) -> int:
    ap = Parser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--release", required=True)
    ap.add_argument("--rows", nargs="+", required=True)
    ap.add_argument("--model", choices=["auto", "1", "2"], default="auto",
                    help="the attacker model: the one the release declares (auto), or 1 or 2")
    ap.add_argument("--knowledge", help="model 2's knowledge to use, a subset of " + ",".join(ALL_KNOWLEDGE))
    ap.add_argument("--coalition", type=int, help="largest insider coalition (model 2; default 1)")
    ap.add_argument("--prices", help="price table for format-1 releases: a JSON file or 'bpgen' (the generator's)")
    ap.add_argument("--homogeneity", action="store_true", help="also report homogeneous published cells")
    ap.add_argument("-o", "--output", help="write the JSON here instead of stdout (refuses to overwrite)")
    args = ap.parse_args(argv)
    if args.coalition is not None and not 0 <= args.coalition <= 2:
        ap.error("--coalition must be 0, 1 or 2")
    try:
        doc = run(args)
    except UsageError as e:
        print(f"attacker.py: {e}", file=sys.stderr)
        return 64
    except InputError as e:
        print(f"attacker.py: {e}", file=sys.stderr)
        return 2
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    if args.output:
        # Written beside the target, then linked into place: never over an existing file, never half-written.
        tmp = "%s.tmp-%d" % (args.output, os.getpid())
        try:
            with open(tmp, "x") as f:
                f.write(text + "\n")
            os.link(tmp, args.output)
        except OSError as e:
            print(f"attacker.py: {args.output}: {e.strerror}", file=sys.stderr)
            return 2
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    else:
        sys.stdout.write(text + "\n")
    return 0 if doc["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
