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
from lpattack import Knowledge, Problem, Requirement, ValueResult, attack  # noqa: E402

MODEL_1 = "backpay-attacker/1"
MODEL_2 = "backpay-attacker/2"
ALL_KNOWLEDGE = ("insiders", "prices", "zeros", "presence")


def ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def requirements(week, release, model: str, coalition: int) -> dict:
    """(pos, measure) -> Requirement for every value of every suppressed primary (from the rows)."""
    pol = release.policy
    k, p = int(pol["k"]), int(pol["p"])
    f = int(pol["protection"]["frequency_percent"])
    homogeneity = model == MODEL_2 and bool(pol["protection"].get("homogeneity", False))
    counters = [m for m in COUNTERS if m in release.measures]
    c = coalition if model == MODEL_2 else 1
    out = {}
    for pos, v in release.positions:
        if v is not None or pos not in week.values:
            continue                                # published, or empty (never a primary)
        truth = week.values[pos]
        if truth[0] < k:
            out[(pos, "members")] = Requirement(None, k, frequency=True, f=f, k=k)
            for m in counters:
                x = truth[MEASURES.index(m)]
                lo = max(LISTED_LOWER.get(m, 0), (x * (100 - f)) // 100)
                out[(pos, m)] = Requirement(lo, ceil_div(x * (100 + f), 100), frequency=True, f=f, k=k,
                                            floor=LISTED_LOWER.get(m, 0))
        for m in counters:
            tops = week.top(pos, m, c + 1)
            x1, t = tops[0][0], truth[MEASURES.index(m)]
            if 100 * (t - sum(x for x, _ in tops)) < p * x1:
                r = out.setdefault((pos, m), Requirement(None, None, f=f, k=k))
                if model == MODEL_1:
                    need = ceil_div(100 * (x1 + tops[1][0]) + p * x1, 100)
                    r.hi = max(r.hi or 0, need)
                else:
                    r.p_need = ceil_div(x1 * (100 + p), 100)
                    r.x1 = tops[0][1]
                    r.hi = max(r.hi or 0, r.p_need)
        if homogeneity:
            members, days, sessions = truth[0], truth[1], truth[7]
            if members == days:
                r = out.setdefault((pos, "member_days"), Requirement(None, None, f=f, k=k))
                r.hi = max(r.hi or 0, members + 1)
            if days == sessions:
                r = out.setdefault((pos, "sessions"), Requirement(None, None, f=f, k=k))
                r.hi = max(r.hi or 0, days + 1)
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
    if model == MODEL_2 and release.grid:
        pol = release.policy.get("attacker", {})
        kn.zeros = kn.zeros and bool(pol.get("zeros_known", True))
        if "insiders" in chosen and args.coalition is None:
            kn.coalition = int(pol.get("coalition", 1))
    started = time.monotonic()
    problem = Problem(release, week, kn)
    reqs = requirements(week, release, model, kn.coalition)
    results, stats = attack(problem, reqs if kn.coalition else {})
    stats["seconds"] = round(time.monotonic() - started, 3)
    k = int(release.policy["k"])
    findings, intervals = [], []
    order = {p: i for i, (p, _) in enumerate(release.positions)}
    for pos, m in sorted(problem.known_zero):
        if problem.published[pos] is None:
            results.append(ValueResult(pos, m, 0, 0, 0))
    results.sort(key=lambda r: (order[r.pos], MEASURES.index(r.measure)))

    def add(code, r, message, by=None):
        f = {"code": code, "position": name(r.pos), "measure": r.measure, "message": message}
        if by:
            f["by"] = by
        findings.append(f)

    for r in results:
        known_zero = (r.pos, r.measure) in problem.known_zero
        lb = problem.lower.get((r.pos, r.measure), 0)
        req = reqs.get((r.pos, r.measure))
        exact = not known_zero and r.hi is not None and r.lo == r.hi and r.lo > lb
        protected = True
        if exact:
            add("exact", r, f"{name(r.pos)}: {r.measure} is derived exactly: {r.lo}")
        if r.measure == "members" and r.hi is not None and r.hi < k and r.lo >= 1 and not known_zero:
            add("members-below-k", r, f"{name(r.pos)}: members interval [{r.lo}, {r.hi}] proves fewer than {k} members")
        if req and not meets((req.lo, req.hi), r.lo, r.hi):
            protected = False
            add("under-protected", r, f"{name(r.pos)}: {r.measure} interval {show(r.lo, r.hi)} is too narrow "
                f"(protection needs {need_text((req.lo, req.hi))}; true {r.value})")
        for fl in r.failures[:3] if protected else []:
            protected = False
            what = "derived exactly" if fl["exact"] and not fl["needs"] else f"narrowed to {show(fl['lo'], fl['hi'])} (needs {fl['needs']})"
            add("under-protected" if fl["needs"] else "exact", r,
                f"{name(r.pos)}: {r.measure}: a coalition of {len(fl['by'])} (own share {fl['own']}) has it {what}; true {r.value}",
                fl["by"])
        item = {"position": name(r.pos), "measure": r.measure, "lo": r.lo, "hi": r.hi, "value": r.value,
                "primary": req is not None, "known_zero": known_zero, "empty": r.pos not in week.values,
                "requirement": None if req is None else {"lo_at_most": req.lo, "hi_at_least": req.hi},
                "exact": exact, "protected": protected, "coalitions_checked": r.coalitions_checked,
                "coalition_failures": len(r.failures)}
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
    except RuntimeError as e:            # a solver that gave no optimum: no verdict rather than a wrong one
        print(f"attacker.py: {args.release}: cannot attack: {e}", file=sys.stderr)
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
