#!/usr/bin/env python3
"""How far `release build`'s complementary suppression is from a minimum-suppression optimum.

    suppression_optimum.py [--members 200 500 1000 2000] [--seed 1] [--models 1 2] [--bin PATH] [--release-args "..."]

For each size: a realistic week (gen_rows.py, seeded; about ten entries per member), the release built by
the real binary, and a minimum-suppression MILP (scipy.optimize.milp, HiGHS) for the same primaries:
binary s_q per position, primaries fixed, minimise the number of complements (then the members they hide).
Every primary's protection (release-format.md §3) and, for every suppressed position, "not exact" and
"members upper bound ≥ k" are imposed lazily as Benders cuts of the attacker's LP (Fischetti–Salazar):
for a pattern the attacker beats, the optimal dual of its LP gives a linear inequality in s that every
protecting pattern satisfies. The loop ends when the independent attacker (Tests/Attacker) finds
nothing; the optimal pattern is then written as a release and must pass `release audit --rows`.

Model 1 is format 1 (`release build`); model 2 is format 2 (`release build --release-format 2`,
docs/release-format.md §7–8): the same loop with zeros known (a zero value is a constant, never a
complement's help), and for an insider coalition C the cut comes from the LP of the rest of the week
(values minus C's own contributions, lower bound 0 where C contributes). `release audit --rows` says that a
coalition narrows a value but not which one, so the loop finds a member whose LP falls short itself; the
members bound of a coalition is the audit's conservative one (published counts lowered by c, member-days
by 7·c), so the same LP gives its cut. When a cut would not exclude the pattern (an integrality gap), the
pattern and every subset of it are excluded instead (suppressing less never widens an interval).
Prints primaries, complements and members hidden, builder vs optimum, per model side by side with the
ratios (issue targets: complements within 1.10x, members within 1.25x).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "Tests", "Attacker"))
sys.path.insert(0, HERE)

import gen_rows  # noqa: E402
from attacker import MODEL_1, MODEL_2, requirements  # noqa: E402
from lpattack import Knowledge, Problem, attack  # noqa: E402
from weekdata import COUNTERS, LISTED_LOWER, MEASURES, name, read_release, read_rows  # noqa: E402

WEEK = "2026-W24"
TODAY = "2026-07-01"
ENTRIES_PER_MEMBER = 9.6


def lines(positions):
    """The grid's lines: each tool's row (its cells and margin) plus the model-margin row, each model's column
    (its cells and margin) plus the tool-margin column. Every position lies on one row and one column."""
    rows, cols = {}, {}
    for i, p in enumerate(positions):
        if p[0] == "cell":
            r, c = p[1], p[2]
        elif p[0] == "tool":
            r, c = p[1], "#margin"
        elif p[0] == "model":
            r, c = "#margin", p[1]
        else:
            r, c = "#margin", "#margin"
        rows.setdefault(r, []).append(i)
        cols.setdefault(c, []).append(i)
    return list(rows.values()) + list(cols.values())


class Table:
    """The week's true values over the release's positions, and the attacker's LP for any pattern.

    Model 2 (`model2`): a zero value is known (a constant whatever the pattern), and a non-empty position has
    its listed lower bounds; format 2 publishes no cost, so its counters leave cost out."""

    def __init__(self, positions, week, payloads, model2=False, measures=MEASURES):
        self.positions = positions
        self.n = len(positions)
        self.model2 = model2
        self.counters = [m for m in COUNTERS if m in measures]
        self.v = np.array([[float(week.values.get(p, [0] * 8)[i]) for i in range(8)] for p in positions])
        self.payloads = payloads
        self.total = positions.index(("total",))
        from lpattack import relations
        self.rels = relations(positions, Knowledge(), measures)
        self.index = {p: i for i, p in enumerate(positions)}
        self.week = week

    def own(self, members):
        """A coalition's own values, (n × 8), and the positions it contributes to."""
        a = np.zeros((self.n, 8))
        for mid in members:
            for p, v in self.week.contributions[mid].items():
                if p in self.index:
                    a[self.index[p]] += np.array(v, dtype=float)
        return a, a[:, 0] > 0

    def lp(self, group, s, own=None, lowered=None):
        """Variables: every position's value of the measures in `group`, for the rest of the week when a
        coalition holds `own` (n × 8), or with every published count lowered by `lowered` (members,
        member-days: the audit's conservative coalition count check); bounds as the pattern s says.
        Returns (A_eq, A_ub, fixed, val, lb, keys) with keys[(pos index, measure)] = column: a fixed column
        is val whatever s; a free one is val when published and in [lb, val + big] when suppressed."""
        keys = {(i, m): c for c, (i, m) in enumerate((i, m) for i in range(self.n) for m in group)}
        eq, ub = [], []
        for r in self.rels:
            if not all(m in group for _, m, _ in r.terms):
                continue
            row = np.zeros(len(keys))
            for p, m, c in r.terms:
                row[keys[(self.index[p], m)]] += c
            (eq if r.eq else ub).append(row)
        fixed = np.zeros(len(keys), dtype=bool)
        val, lb = np.zeros(len(keys)), np.zeros(len(keys))
        present = own[:, 0] > 0 if own is not None else np.zeros(self.n, dtype=bool)
        for (i, m), c in keys.items():
            j = MEASURES.index(m)
            x = self.v[i, j] - (own[i, j] if own is not None else 0.0)
            if lowered is not None and m in lowered:
                x = max(0.0, x - lowered[m])
            val[c] = x
            lb[c] = 0.0 if (present[i] or lowered is not None) else LISTED_LOWER.get(m, 0)
            if i == self.total and m == "member_days":
                val[c] = max(0.0, self.payloads - (own[i, j] if own is not None else 0.0) - (lowered or {}).get(m, 0))
                fixed[c] = True
            elif self.model2 and self.v[i, j] == 0:
                fixed[c] = True                     # a known zero
        return (np.array(eq) if eq else None, np.array(ub) if ub else None, fixed, val, lb, keys)

    def big(self, m):
        return 2 * self.v[self.total, MEASURES.index(m)] + 10

    def cut(self, group, s, target, measure, sign, rhs, own=None, lowered=None):
        """For the requirement min sign·x(target, measure) ≤ rhs (x of the rest when a coalition holds `own`):
        (w, const) with Σ_q w_q s_q ≥ const for every pattern meeting it, from the dual of the LP under
        pattern s (weak duality: the bounds are linear in s, the dual's feasibility does not depend on it)."""
        A_eq, A_ub, fixed, val, lb, keys = self.lp(group, s, own, lowered)
        big = np.array([self.big(m) for (_, m) in keys])
        sup = np.array([s[i] > 0.5 for (i, _) in keys]) & ~fixed
        lo = np.where(sup, lb, val)
        hi = np.where(sup, val + big, val)
        c = np.zeros(len(keys))
        c[keys[(target, measure)]] = sign
        res = linprog(c, A_ub=A_ub, b_ub=None if A_ub is None else np.zeros(len(A_ub)), A_eq=A_eq,
                      b_eq=None if A_eq is None else np.zeros(len(A_eq)), bounds=list(zip(lo, hi)), method="highs")
        if res.status != 0:
            return None
        lam_l, lam_u = res.lower.marginals, res.upper.marginals
        w = np.zeros(self.n)
        const = float(((lam_l + lam_u) * val).sum()) - rhs
        for (i, m), col in keys.items():
            if not fixed[col]:
                w[i] += lam_l[col] * (val[col] - lb[col]) - lam_u[col] * big[col]
        return w, const


def pattern_release(doc: dict, positions, s, week, measures=MEASURES) -> dict:
    """The builder's document with suppression pattern s (true values where published)."""
    out = json.loads(json.dumps(doc))
    idx = {p: i for i, p in enumerate(positions)}

    def fill(obj, pos):
        keep = {k: obj[k] for k in ("tool", "model") if k in obj}
        if s[idx[pos]] > 0.5:
            keep["suppressed"] = True
        else:
            keep.update({m: week.values[pos][i] for i, m in enumerate(MEASURES) if m in measures})
        return keep
    out["cells"] = [fill(c, ("cell", c["tool"], c["model"])) for c in doc["cells"]]
    out["margins"]["tools"] = [fill(t, ("tool", t["tool"])) for t in doc["margins"]["tools"]]
    out["margins"]["models"] = [fill(m, ("model", m["model"])) for m in doc["margins"]["models"]]
    out["margins"]["total"] = fill(doc["margins"]["total"], ("total",))
    return out


def canonical(doc) -> bytes:
    # RFC 8785 for this document: ASCII keys sorted, integers and strings only, no whitespace.
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class Violation:
    """One thing the pattern fails: kind `exact`, `members`, `lo` or `hi` (needs `need`), for position
    `pos`'s `measure`; `coalition` is the size of the insider coalition the audit says narrows it (0: none)."""

    def __init__(self, kind, pos, measure, need=None, coalition=0, members=None):
        self.kind, self.pos, self.measure, self.need = kind, pos, measure, need
        self.coalition, self.members = coalition, members


def audit_violations(binary, path, rows, table):
    """The exposures `release audit --rows` reports for a candidate pattern, as violations (fast: the audit's
    exact flows); the independent attacker confirms the final pattern."""
    res = subprocess.run([binary, "release", "audit", path, "--rows", rows, "--today", TODAY, "--format", "json"],
                         capture_output=True, text=True)
    doc = json.loads(res.stdout)
    names = {name(p): p for p in table.positions}
    out = []
    for f in doc["findings"]:
        msg = f["message"]
        pos_name, rest = msg.split(": ", 1)
        measure = rest.split(" ", 1)[0].rstrip(":")
        coalition = 0
        if " against a coalition of " in rest:
            coalition = int(rest.split(" against a coalition of ")[1].split(" ")[0])
        pos = names[pos_name]
        if f["code"] == "exact":
            out.append(Violation("exact", pos, measure))
        elif f["code"] == "members-below-k":
            out.append(Violation("members", pos, measure, coalition=coalition))
        elif f["code"] == "under-protected":
            lo = int(rest.split("[")[1].split(",")[0])
            hi_txt = rest.split("[")[1].split("]")[0].split(",")[1].strip()
            if "lower bound ≤ " in msg:
                lo_need = int(msg.split("lower bound ≤ ")[1].split(" ")[0].rstrip(")"))
                if lo > lo_need:
                    out.append(Violation("lo", pos, measure, lo_need, coalition))
            if "upper bound ≥ " in msg:
                hi_need = int(msg.split("upper bound ≥ ")[1].split(" ")[0].rstrip(")"))
                if hi_txt != "∞" and int(hi_txt) < hi_need:
                    out.append(Violation("hi", pos, measure, hi_need, coalition))
            if coalition and not any(v.pos == pos and v.measure == measure for v in out):
                out.append(Violation("lo", pos, measure, None, coalition))   # needs of the coalition's own
        else:
            raise RuntimeError(f"release audit: {f['code']}: {msg}")
    return out


def attacker_violations(path, rows, model, coalition):
    """The independent attacker's findings for the pattern in `path` (model 1, or model 2 with insiders
    and known zeros, as the release declares), as violations; coalition ones name their members."""
    rel = read_release(path)
    week = read_rows([rows], rel.id)
    kn = Knowledge()
    if model == MODEL_2:
        kn.zeros, kn.coalition = True, coalition
    prob = Problem(rel, week, kn)
    reqs = requirements(week, rel, model, coalition)
    results, _ = attack(prob, reqs if kn.coalition else {})
    k = int(rel.policy["k"])
    out = []
    for r in results:
        lb = prob.lower.get((r.pos, r.measure), 0)
        req = reqs.get((r.pos, r.measure))
        if r.hi is not None and r.lo == r.hi and r.lo > lb:
            out.append(Violation("exact", r.pos, r.measure))
        if r.measure == "members" and r.hi is not None and r.hi < k:
            out.append(Violation("members", r.pos, r.measure))
        if req is not None:
            if req.lo is not None and r.lo > req.lo:
                out.append(Violation("lo", r.pos, r.measure, req.lo))
            if req.hi is not None and r.hi is not None and r.hi < req.hi:
                out.append(Violation("hi", r.pos, r.measure, req.hi))
        for fl in r.failures:
            out.append(Violation("coalition", r.pos, r.measure, None, len(fl["by"]), fl["by"]))
    return out


def coalition_needs(table, reqs, t, m, a, k):
    """What primary t's measure m must keep against a coalition holding a of it (release-format.md §8.2), as
    (room the rest must keep below: rhs of min r ≤ ·, or None; above: max r ≥ ·, or None)."""
    req = reqs.get((table.positions[t], m))
    if req is None:
        return None, None
    v = int(table.v[t, MEASURES.index(m)])
    lo = hi = None
    if req.frequency:
        if m == "members":
            hi = k - a
        elif v - a > 0:
            rest = v - a
            lo = max(req.floor, a + (rest * (100 - req.f)) // 100) - a
            hi = -((-rest * (100 + req.f)) // 100)
    if req.p_need is not None:
        hi = max(hi or 0, req.p_need)
    return lo, hi


def coalition_cuts(table, s, v, reqs, k, c):
    """Cuts for a violation by an insider coalition: the coalition itself when the attacker named it, else
    the members (one, or two when c is 2) whose own LP falls short, tried by their share of what is suppressed."""
    t = table.index[v.pos]
    m = v.measure
    group = ["members", "member_days"] if m in ("members", "member_days") else [m]
    if v.kind == "members":
        # The audit's conservative count check: every published count lowered by c, member-days by 7·c.
        return [x for x in [table.cut(group, s, t, "members", -1, -k, lowered={"members": c, "member_days": 7 * c})] if x]
    j = MEASURES.index(m)
    if v.members:
        candidates = [tuple(v.members)]
    else:
        sup = np.array([x > 0.5 for x in s])
        share = {}
        for mid, per in table.week.contributions.items():
            held = sum(val[j] for p, val in per.items() if p in table.index and sup[table.index[p]])
            if held > 0:
                share[mid] = held
        ranked = sorted(share, key=lambda x: -share[x])
        candidates = [(x,) for x in ranked]
        if c >= 2:
            top = ranked[:12]
            candidates += [(a, b) for i, a in enumerate(top) for b in top[i + 1:]]
    for tried, members in enumerate(candidates):
        if tried >= 80:
            break
        own, _ = table.own(members)
        a = int(own[t, j])
        lo, hi = coalition_needs(table, reqs, t, m, a, k)
        x1 = reqs[(v.pos, m)].x1 if (v.pos, m) in reqs else None
        if x1 is not None and x1 in members and not reqs[(v.pos, m)].frequency:
            continue                                   # the largest contributor is not protected from itself
        found = []
        for sign, rhs in ((1, lo), (-1, None if hi is None else -hi)):
            if rhs is None:
                continue
            cut = table.cut(group, s, t, m, sign, rhs, own=own)
            if cut is not None and cut[0] @ s < cut[1] - 1e-6:
                found.append(cut)
        if found:
            return found
    return []


def exact_cut(table, s, t, m, group):
    """Room up + room down ≥ 1 whenever t is suppressed (t not exact)."""
    val = table.v[t, MEASURES.index(m)]
    up = table.cut(group, s, t, m, -1, -(val + 1))
    down = table.cut(group, s, t, m, 1, val - 1)
    if up is None or down is None:
        return None
    return up[0] + down[0], up[1] + down[1] - 1.0


def optimum(doc, positions, primaries, fixed, week, table, rows, workdir, k, model, reqs, coalition,
            time_limit=120, binary=None):
    """The minimum-suppression pattern for the primaries (and the `fixed` empty grid positions of format 2,
    always written as suppressed and counted as nothing)."""
    n = len(positions)
    forced = set(primaries) | set(fixed)
    free = [i for i in range(n) if i not in forced]
    members = table.v[:, 0]
    weight = np.ones(n) + members / (members[free].sum() + 1.0)
    weight[list(forced)] = 0.0
    lb = np.zeros(n)
    lb[list(forced)] = 1
    cuts_A, cuts_lo = [], []
    seen = set()
    # Lines: a suppressed position alone on its line is exact (when it has a counter above its lower bound);
    # under model 2 a position whose counter is zero is known and does not hide anything on that counter.
    for line in lines(positions):
        for q in line:
            for m in table.counters:
                j = MEASURES.index(m)
                if table.v[q, j] <= LISTED_LOWER.get(m, 0):
                    continue
                row = np.zeros(n)
                row[[x for x in line if x != q and (not table.model2 or table.v[x, j] > 0)]] = 1
                row[q] -= 1
                if tuple(row) not in seen:
                    seen.add(tuple(row))
                    cuts_A.append(row)
                    cuts_lo.append(0.0)
    rounds = 0
    started = time.monotonic()
    measures = table.counters + ["members", "member_days"]
    while True:
        rounds += 1
        res = milp(weight, constraints=[LinearConstraint(np.array(cuts_A), np.array(cuts_lo), np.inf)],
                   integrality=np.ones(n), bounds=Bounds(lb, np.ones(n)),
                   options={"time_limit": max(5.0, time_limit - (time.monotonic() - started))})
        if res.x is None:
            raise RuntimeError(f"MILP: {res.message}")
        s = np.round(res.x)
        path = os.path.join(workdir, f"opt-{rounds}.json")
        with open(path, "wb") as f:
            f.write(canonical(pattern_release(doc, positions, s, week, measures)))
        found = audit_violations(binary, path, rows, table)
        if not found:
            # The independent attacker must agree before we stop.
            found = attacker_violations(path, rows, model, coalition)
        if not found:
            return s, rounds, res.status == 0, path
        added = 0
        for v in found:
            t = table.index[v.pos]
            group = ["members", "member_days"] if v.measure in ("members", "member_days") else [v.measure]
            cs = []
            if v.coalition:
                cs = coalition_cuts(table, s, v, reqs, k, coalition)
            elif v.kind == "lo":
                cs = [table.cut(group, s, t, v.measure, 1, v.need)]
            elif v.kind == "hi":
                cs = [table.cut(group, s, t, v.measure, -1, -v.need)]
            elif v.kind == "members":
                w, const = table.cut(group, s, t, "members", -1, -k) or (None, None)
                if w is not None and t not in primaries:
                    w = w.copy()               # only when t is suppressed: Σ w s ≥ const · s_t
                    w[t] -= const
                    const = 0.0
                cs = [(w, const)] if w is not None else []
            else:
                c = exact_cut(table, s, t, v.measure, group)
                if c is not None and t not in primaries:
                    w, const = c[0].copy(), c[1]
                    w[t] -= max(const, 0.0)
                    c = (w, 0.0)
                cs = [c]
            for c in cs:
                if c is None or not c[0] @ s < c[1] - 1e-6:
                    continue                   # does not exclude this pattern
                cuts_A.append(c[0])
                cuts_lo.append(c[1])
                added += 1
        if added == 0:
            # No LP cut excludes s (an integrality gap, or a coalition the LPs did not find): exclude s and
            # every pattern inside it, which are no safer (suppressing less never widens an interval).
            row = np.zeros(n)
            row[[i for i in range(n) if s[i] < 0.5]] = 1
            cuts_A.append(row)
            cuts_lo.append(1.0)


def week_rows(members: int, seed: int, path: str) -> int:
    with open(path, "w") as out:
        stats = gen_rows.generate(int(members * ENTRIES_PER_MEMBER), seed, gen_rows.week_monday(WEEK), out, None)
    return stats["members"]


def measure(binary, rows, count, size, model, args, work):
    """Builder and optimum for one week under one model."""
    release = os.path.join(work, f"release-{size}-m{model}.json")
    extra = ["--release-format", "2"] if model == 2 else []
    subprocess.run([binary, "release", "build", "--rows", rows, "--week", WEEK, "--today", TODAY, "-o", release,
                    "--quiet", *extra, *args.release_args.split()], check=True)
    rel = read_release(release)
    week = read_rows([rows], rel.id)
    positions = [p for p, _ in rel.positions]
    name_of_model = MODEL_2 if model == 2 else MODEL_1
    coalition = int(rel.policy.get("attacker", {}).get("coalition", 1)) if model == 2 else 1
    reqs = requirements(week, rel, name_of_model, coalition)
    primaries = {positions.index(p) for p, _ in reqs}
    empty = {i for i, p in enumerate(positions) if p not in week.values}
    builder = [i for i, (p, v) in enumerate(rel.positions) if v is None and i not in empty]
    table = Table(positions, week, rel.payloads, model2=(model == 2), measures=rel.measures)
    with open(release) as f:
        doc = json.load(f)
    t0 = time.monotonic()
    mwork = os.path.join(work, f"m{model}-{size}")
    os.makedirs(mwork)
    s, rounds, proven, best = optimum(doc, positions, primaries, empty, week, table, rows, mwork,
                                      int(rel.policy["k"]), name_of_model, reqs, coalition, args.time_limit, binary)
    secs = time.monotonic() - t0
    audit = subprocess.run([binary, "release", "audit", best, "--rows", rows, "--today", TODAY, "--quiet"],
                           capture_output=True, text=True)
    opt = [i for i in range(len(positions)) if s[i] > 0.5 and i not in empty]
    bc = [i for i in builder if i not in primaries]
    oc = [i for i in opt if i not in primaries]
    hidden = lambda xs: int(sum(table.v[i, 0] for i in xs))  # noqa: E731
    print(f"model {model}, {count} members: done in {secs:.1f} s ({rounds} MILP rounds)", file=sys.stderr)
    print(f"model {model}, {count} members: builder {[name(positions[i]) for i in bc]}; "
          f"optimum {[name(positions[i]) for i in oc]}", file=sys.stderr)
    return {
        "members": count, "model": model, "primaries": len(primaries), "builder_complements": len(bc),
        "optimum_complements": len(oc), "builder_hidden": hidden(bc), "optimum_hidden": hidden(oc),
        "proven": proven, "rounds": rounds, "seconds": round(secs, 1),
        "audit_ok": audit.returncode == 0, "audit": (audit.stdout + audit.stderr).strip()[:300],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--members", type=int, nargs="+", default=[200, 500, 1000, 2000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--models", type=int, nargs="+", choices=[1, 2], default=[1, 2],
                    help="attacker models to measure: 1 (format 1) and/or 2 (format 2)")
    ap.add_argument("--bin", default=None, help="backpay-verify to use (default: .build/release, else .build/debug)")
    ap.add_argument("--release-args", default="", help="extra arguments for release build")
    ap.add_argument("--time-limit", type=float, default=180.0, help="seconds per MILP optimum")
    ap.add_argument("--json", help="also write the measurements here as JSON")
    args = ap.parse_args()
    binary = args.bin or next((p for p in (os.path.join(ROOT, ".build/release/backpay-verify"),
                                           os.path.join(ROOT, ".build/debug/backpay-verify")) if os.path.exists(p)), None)
    if binary is None:
        print("suppression_optimum.py: build backpay-verify first (swift build)", file=sys.stderr)
        return 2
    results = {}
    work = tempfile.mkdtemp(prefix="suppression-optimum-")
    try:
        for size in args.members:
            rows = os.path.join(work, f"rows-{size}.jsonl")
            count = week_rows(size, args.seed, rows)
            for model in args.models:
                results[(size, model)] = measure(binary, rows, count, size, model, args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump([results[key] for key in sorted(results)], f, indent=1)
    ratio = lambda a, b: (a / b) if b else (1.0 if a == 0 else float("inf"))  # noqa: E731
    cols = "".join(f" model {m}: primaries | complements builder / optimum | ratio | members hidden builder / optimum | ratio |"
                   for m in args.models)
    print("| members |" + cols + " optimum passes `release audit --rows` |")
    print("|---:|" + "---:|---|---:|---|---:|" * len(args.models) + "---|")
    fail = False
    for size in args.members:
        cells = []
        audits = []
        count = None
        for model in args.models:
            r = results[(size, model)]
            count = r["members"]
            rc = ratio(r["builder_complements"], r["optimum_complements"])
            rh = ratio(r["builder_hidden"], r["optimum_hidden"])
            cells.append(f" {r['primaries']} | {r['builder_complements']} / {r['optimum_complements']}"
                         f"{'' if r['proven'] else ' (time limit)'} | {rc:.2f} | {r['builder_hidden']} / {r['optimum_hidden']} | {rh:.2f} |")
            audits.append(f"model {model} " + ("yes" if r["audit_ok"] else "NO: " + r["audit"]))
            fail |= not r["audit_ok"]
        print(f"| {count:,} |" + "".join(cells) + " " + "; ".join(audits) + " |")
    print("targets: complements within 1.10x, members hidden within 1.25x")
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
