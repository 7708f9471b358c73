#!/usr/bin/env python3
"""How far `release build`'s complementary suppression is from a minimum-suppression optimum.

    suppression_optimum.py [--members 200 500 1000 2000] [--seed 1] [--bin PATH] [--release-args "..."]

For each size: a realistic week (gen_rows.py, seeded; about ten entries per member), the release built by
the real binary, and a minimum-suppression MILP (scipy.optimize.milp, HiGHS) for the same primaries:
binary s_q per position, primaries fixed, minimise the number of complements (then the members they hide).
Every primary's protection (release-format.md §3) and, for every suppressed position, "not exact" and
"members upper bound ≥ k" are imposed lazily as Benders cuts of the attacker's LP (Fischetti–Salazar):
for a pattern the attacker beats, the optimal dual of its LP gives a linear inequality in s that every
protecting pattern satisfies. The loop ends when the independent attacker (Tests/Attacker, model 1) finds
nothing; the optimal pattern is then written as a release and must pass `release audit --rows`.
Prints primaries, complements and members hidden, builder vs optimum, with the ratios (issue targets:
complements within 1.10x, members within 1.25x).
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
from attacker import MODEL_1, requirements  # noqa: E402
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
    """The week's true values over the release's positions, and the attacker's LP for any pattern."""

    def __init__(self, positions, week, payloads):
        self.positions = positions
        self.n = len(positions)
        self.v = np.array([[float(week.values[p][i]) for i in range(8)] for p in positions])
        self.payloads = payloads
        self.total = positions.index(("total",))
        from lpattack import relations
        self.rels = relations(positions, Knowledge())
        self.index = {p: i for i, p in enumerate(positions)}

    def lp(self, group, s):
        """Variables: every position's value of the measures in `group`; bounds as the pattern s says.
        Returns (A_eq, A_ub, l, u, keys) with keys[(pos index, measure)] = column."""
        keys = {(i, m): c for c, (i, m) in enumerate((i, m) for i in range(self.n) for m in group)}
        eq, ub = [], []
        for r in self.rels:
            if not all(m in group for _, m, _ in r.terms):
                continue
            row = np.zeros(len(keys))
            for p, m, c in r.terms:
                row[keys[(self.index[p], m)]] += c
            (eq if r.eq else ub).append(row)
        l, u = np.zeros(len(keys)), np.zeros(len(keys))
        for (i, m), c in keys.items():
            val = self.v[i, MEASURES.index(m)]
            lb = LISTED_LOWER.get(m, 0)
            big = 2 * self.v[self.total, MEASURES.index(m)] + 10
            if i == self.total and m == "member_days":
                l[c] = u[c] = self.payloads
            elif s[i] > 0.5:
                l[c], u[c] = lb, val + big
            else:
                l[c] = u[c] = val
        return (np.array(eq) if eq else None, np.array(ub) if ub else None, l, u, keys)

    def cut(self, group, s, target, measure, sign, rhs):
        """For the requirement min sign·x(target, measure) ≤ rhs: (w, const) with Σ_q w_q s_q ≥ const for every
        pattern meeting it, from the dual of the LP under pattern s (weak duality)."""
        A_eq, A_ub, l, u, keys = self.lp(group, s)
        c = np.zeros(len(keys))
        c[keys[(target, measure)]] = sign
        res = linprog(c, A_ub=A_ub, b_ub=None if A_ub is None else np.zeros(len(A_ub)), A_eq=A_eq,
                      b_eq=None if A_eq is None else np.zeros(len(A_eq)), bounds=list(zip(l, u)), method="highs")
        if res.status != 0:
            return None
        lam_l, lam_u = res.lower.marginals, res.upper.marginals
        w = np.zeros(self.n)
        const = -rhs
        for (i, m), col in keys.items():
            val = self.v[i, MEASURES.index(m)]
            const += (lam_l[col] + lam_u[col]) * (self.payloads if (i == self.total and m == "member_days") else val)
            if i == self.total and m == "member_days":
                continue
            big = 2 * self.v[self.total, MEASURES.index(m)] + 10
            w[i] += lam_l[col] * (val - LISTED_LOWER.get(m, 0)) - lam_u[col] * big
        return w, const


def pattern_release(doc: dict, positions, s, week) -> dict:
    """The builder's document with suppression pattern s (true values where published)."""
    out = json.loads(json.dumps(doc))
    idx = {p: i for i, p in enumerate(positions)}

    def fill(obj, pos):
        keep = {k: obj[k] for k in ("tool", "model") if k in obj}
        if s[idx[pos]] > 0.5:
            keep["suppressed"] = True
        else:
            keep.update({m: week.values[pos][i] for i, m in enumerate(MEASURES)})
        return keep
    out["cells"] = [fill(c, ("cell", c["tool"], c["model"])) for c in doc["cells"]]
    out["margins"]["tools"] = [fill(t, ("tool", t["tool"])) for t in doc["margins"]["tools"]]
    out["margins"]["models"] = [fill(m, ("model", m["model"])) for m in doc["margins"]["models"]]
    out["margins"]["total"] = fill(doc["margins"]["total"], ("total",))
    return out


def canonical(doc) -> bytes:
    # RFC 8785 for this document: ASCII keys sorted, integers and strings only, no whitespace.
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


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
        stub = type("R", (), {"pos": names[pos_name], "measure": measure})()
        if f["code"] == "exact":
            out.append(("exact", stub))
        elif f["code"] == "members-below-k":
            out.append(("members", stub))
        elif f["code"] == "under-protected":
            if "lower bound ≤ " in msg:
                lo_need = int(msg.split("lower bound ≤ ")[1].split(" ")[0].rstrip(")"))
                lo = int(rest.split("[")[1].split(",")[0])
                if lo > lo_need:
                    out.append(("lo", stub, lo_need))
            if "upper bound ≥ " in msg:
                hi_need = int(msg.split("upper bound ≥ ")[1].split(" ")[0].rstrip(")"))
                hi_txt = rest.split("[")[1].split("]")[0].split(",")[1].strip()
                if hi_txt != "∞" and int(hi_txt) < hi_need:
                    out.append(("hi", stub, hi_need))
        else:
            raise RuntimeError(f"release audit: {f['code']}: {msg}")
    return out


def violations(path, rows, model=MODEL_1):
    rel = read_release(path)
    week = read_rows([rows], rel.id)
    prob = Problem(rel, week, Knowledge())
    results, _ = attack(prob)
    reqs = requirements(week, rel, model, 1)
    k = int(rel.policy["k"])
    out = []
    for r in results:
        lb = prob.lower.get((r.pos, r.measure), 0)
        req = reqs.get((r.pos, r.measure))
        if r.hi is not None and r.lo == r.hi and r.lo > lb:
            out.append(("exact", r))
        if r.measure == "members" and r.hi is not None and r.hi < k:
            out.append(("members", r))
        if req is not None:
            if req.lo is not None and r.lo > req.lo:
                out.append(("lo", r, req.lo))
            if req.hi is not None and r.hi is not None and r.hi < req.hi:
                out.append(("hi", r, req.hi))
    return out


def optimum(doc, positions, primaries, week, table, rows, workdir, k, time_limit=120, binary=None):
    n = len(positions)
    free = [i for i in range(n) if i not in primaries]
    members = table.v[:, 0]
    weight = np.ones(n) + members / (members[free].sum() + 1.0)
    weight[list(primaries)] = 0.0
    lb = np.zeros(n)
    lb[list(primaries)] = 1
    cuts_A, cuts_lo = [], []
    # Lines: a suppressed position alone on its line is exact (when it has a counter above its lower bound).
    for line in lines(positions):
        for q in line:
            if any(table.v[q, MEASURES.index(m)] > LISTED_LOWER.get(m, 0) for m in COUNTERS):
                row = np.zeros(n)
                row[[x for x in line if x != q]] = 1
                row[q] -= 1
                cuts_A.append(row)
                cuts_lo.append(0.0)
    rounds = 0
    started = time.monotonic()
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
            f.write(canonical(pattern_release(doc, positions, s, week)))
        found = audit_violations(binary, path, rows, table) if binary else violations(path, rows)
        if not found and binary:
            found = violations(path, rows)   # the independent attacker must agree before we stop
        if not found:
            return s, rounds, res.status == 0, path
        added = 0
        for v in found:
            kind, r = v[0], v[1]
            t = table.index[r.pos]
            group = ["members", "member_days"] if r.measure in ("members", "member_days") else [r.measure]
            if kind == "lo":
                cs = [table.cut(group, s, t, r.measure, 1, v[2])]
                need = None
            elif kind == "hi":
                cs = [table.cut(group, s, t, r.measure, -1, -v[2])]
                need = None
            elif kind == "members":
                c1 = table.cut(group, s, t, "members", -1, -k)
                cs = [c1]
            else:  # exact: room up + room down ≥ 1 whenever the position is suppressed
                val = table.v[t, MEASURES.index(r.measure)]
                up = table.cut(group, s, t, r.measure, -1, -(val + 1))
                down = table.cut(group, s, t, r.measure, 1, val - 1)
                if up is None or down is None:
                    continue
                # −D_hi − D_lo ≥ 1: (w_up + w_down)·s ≥ const_up + const_down − (val + 1) + (val − 1) + 1
                w = up[0] + down[0]
                const = up[1] + down[1] - 1.0
                w = w.copy()
                w[t] -= max(const, 0.0) if t not in primaries else 0.0
                cuts_A.append(w)
                cuts_lo.append(const if t in primaries else 0.0)
                added += 1
                continue
            for c in cs:
                if c is None:
                    continue
                w, const = c
                if t not in primaries and kind == "members":
                    # Only when t is suppressed: Σ w s ≥ const · s_t.
                    w = w.copy()
                    w[t] -= const
                    const = 0.0
                cuts_A.append(w)
                cuts_lo.append(const)
                added += 1
        if added == 0:
            raise RuntimeError("the attacker found exposures no cut excludes")


def week_rows(members: int, seed: int, path: str) -> int:
    with open(path, "w") as out:
        stats = gen_rows.generate(int(members * ENTRIES_PER_MEMBER), seed, gen_rows.week_monday(WEEK), out, None)
    return stats["members"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--members", type=int, nargs="+", default=[200, 500, 1000, 2000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default=None, help="backpay-verify to use (default: .build/release, else .build/debug)")
    ap.add_argument("--release-args", default="", help="extra arguments for release build")
    ap.add_argument("--time-limit", type=float, default=180.0, help="seconds per MILP optimum")
    args = ap.parse_args()
    binary = args.bin or next((p for p in (os.path.join(ROOT, ".build/release/backpay-verify"),
                                           os.path.join(ROOT, ".build/debug/backpay-verify")) if os.path.exists(p)), None)
    if binary is None:
        print("suppression_optimum.py: build backpay-verify first (swift build)", file=sys.stderr)
        return 2
    rows_out = []
    work = tempfile.mkdtemp(prefix="suppression-optimum-")
    try:
        for size in args.members:
            rows = os.path.join(work, f"rows-{size}.jsonl")
            count = week_rows(size, args.seed, rows)
            release = os.path.join(work, f"release-{size}.json")
            subprocess.run([binary, "release", "build", "--rows", rows, "--week", WEEK, "--today", TODAY, "-o", release,
                            "--quiet", *args.release_args.split()], check=True)
            rel = read_release(release)
            week = read_rows([rows], rel.id)
            positions = [p for p, _ in rel.positions]
            reqs = requirements(week, rel, MODEL_1, 1)
            primaries = {positions.index(p) for p, _ in reqs}
            builder = [i for i, (p, v) in enumerate(rel.positions) if v is None]
            table = Table(positions, week, rel.payloads)
            with open(release) as f:
                doc = json.load(f)
            t0 = time.monotonic()
            s, rounds, proven, best = optimum(doc, positions, primaries, week, table, rows, work, int(rel.policy["k"]),
                                              args.time_limit, binary)
            secs = time.monotonic() - t0
            audit = subprocess.run([binary, "release", "audit", best, "--rows", rows, "--today", TODAY, "--quiet"],
                                   capture_output=True, text=True)
            opt = [i for i in range(len(positions)) if s[i] > 0.5]
            bc = [i for i in builder if i not in primaries]
            oc = [i for i in opt if i not in primaries]
            hidden = lambda xs: int(sum(table.v[i, 0] for i in xs))  # noqa: E731
            rows_out.append({
                "members": count, "primaries": len(primaries), "builder_complements": len(bc),
                "optimum_complements": len(oc), "builder_hidden": hidden(bc), "optimum_hidden": hidden(oc),
                "builder_hidden_all": hidden(builder), "optimum_hidden_all": hidden(opt),
                "proven": proven, "rounds": rounds, "seconds": round(secs, 1),
                "audit_ok": audit.returncode == 0, "audit": (audit.stdout + audit.stderr).strip()[:300],
                "builder_names": [name(positions[i]) for i in bc], "optimum_names": [name(positions[i]) for i in oc],
            })
            print(f"{count} members: done in {secs:.1f} s ({rounds} MILP rounds)", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratio = lambda a, b: (a / b) if b else (1.0 if a == 0 else float("inf"))  # noqa: E731
    print("| members | primaries | builder's complements | optimum's | ratio | members hidden in complements: builder / optimum | ratio | optimum passes `release audit --rows` |")
    print("|---:|---:|---:|---:|---:|---|---:|---|")
    fail = False
    for r in rows_out:
        rc = ratio(r["builder_complements"], r["optimum_complements"])
        rh = ratio(r["builder_hidden"], r["optimum_hidden"])
        print(f"| {r['members']:,} | {r['primaries']} | {r['builder_complements']} | {r['optimum_complements']}"
              f"{'' if r['proven'] else ' (time limit)'} | {rc:.2f} | {r['builder_hidden']} / {r['optimum_hidden']} | {rh:.2f} | "
              f"{'yes' if r['audit_ok'] else 'NO: ' + r['audit']} |")
        fail |= not r["audit_ok"]
    for r in rows_out:
        print(f"{r['members']} members: builder {r['builder_names']}; optimum {r['optimum_names']}", file=sys.stderr)
    print("targets: complements within 1.10x, members hidden within 1.25x")
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
