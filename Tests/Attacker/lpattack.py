"""The attacker's linear programs, written from docs/release-format.md and nothing else.

Every suppressed value is a variable; the attacker's knowledge is a set of homogeneous linear relations
Σ coef · value (≤ or =) 0 over the positions' values, plus bounds. Published values are constants. For an
insider coalition C (members who know their own contributions x_C), the unknowns are the values of the
*rest* of the population, y = v − x_C: the rest is a population too, so it obeys the same relations, its
published values are v − x_C, and at a position where C contributes the rest may be empty (lower bound 0).
The interval of a value is x_C + [min y, max y], each end an LP optimum, made integral (the attacker knows
values are integers) by a MILP when the LP optimum is fractional.

Coalitions are screened exactly before solving: the rest's feasible set, shifted by x_C, is a subset of the
public attacker's feasible set, so if the public optimum x* minus x_C is feasible for C, C's optimum is the
public one. Only coalitions that break that check are solved.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from weekdata import COUNTERS, COUNTS, LISTED_LOWER, MEASURES, TOKENS, Release, Week, name

INF = math.inf
# Relative tolerance of the exact screen: a coalition whose constraints the public optimum misses by less
# than this (relative to the values involved) keeps the public optimum.
SCREEN_TOL = 1e-8


@dataclass
class Knowledge:
    """What the attacker knows besides the published values and the table's relations."""
    listed_present: bool = True          # a listed position has ≥ 1 member (format 1 lists suppressed cells)
    payloads_known: bool = True          # the total's member_days
    zeros: bool = False                  # every value that is zero is known to be zero
    prices: dict | None = None           # model -> {counter: (min, max) US$ per 10^6 tokens}, rounding
    coalition: int = 0                   # insiders: coalitions of up to this many members
    max_days_per_member: int = 7
    # Format 2 grid: positions that read the same whether suppressed or empty.
    grid_cells: set = field(default_factory=set)


@dataclass
class Relation:
    terms: list            # [(pos, measure, coef)]
    eq: bool


def relations(positions: list, knowledge: Knowledge, measures=MEASURES) -> list[Relation]:
    """The table's relations (release-format.md §6) and the model's extra public facts."""
    listed = set(positions)
    tools = sorted({p[1] for p in listed if p[0] == "tool"})
    models = sorted({p[1] for p in listed if p[0] == "model"})
    cells = [p for p in positions if p[0] == "cell"]
    by_tool = {t: [c for c in cells if c[1] == t] for t in tools}
    by_model = {m: [c for c in cells if c[2] == m] for m in models}
    total = ("total",)
    out: list[Relation] = []
    for m in [c for c in COUNTERS if c in measures]:
        for t in tools:
            out.append(Relation([(c, m, 1) for c in by_tool[t]] + [(("tool", t), m, -1)], True))
        for mo in models:
            out.append(Relation([(c, m, 1) for c in by_model[mo]] + [(("model", mo), m, -1)], True))
        out.append(Relation([(("tool", t), m, 1) for t in tools] + [(total, m, -1)], True))
        out.append(Relation([(("model", mo), m, 1) for mo in models] + [(total, m, -1)], True))
    for m in COUNTS:
        for line, margin in [(by_tool[t], ("tool", t)) for t in tools] + [(by_model[mo], ("model", mo)) for mo in models]:
            out.append(Relation([(margin, m, 1)] + [(c, m, -1) for c in line], False))
            for c in line:
                out.append(Relation([(c, m, 1), (margin, m, -1)], False))
            out.append(Relation([(margin, m, 1), (total, m, -1)], False))
        out.append(Relation([(total, m, 1)] + [(("tool", t), m, -1) for t in tools], False))
        out.append(Relation([(total, m, 1)] + [(("model", mo), m, -1) for mo in models], False))
    for p in positions:
        out.append(Relation([(p, "members", 1), (p, "member_days", -1)], False))
        out.append(Relation([(p, "member_days", 1), (p, "members", -knowledge.max_days_per_member)], False))
    if knowledge.prices and "cost_usd_cents" in measures:
        # cost = Σ tokens × price per model, each entry rounded to cents: one entry per member-day and cell.
        per = knowledge.prices["models"]
        below, above = knowledge.prices.get("rounding_cents_per_entry", (0.5, 0.5))
        for c in cells:
            price = per.get(c[2])
            if price is None:
                continue
            hi = [(c, k, -price[k][1] / 1e4) for k in TOKENS] + [(c, "member_days", -above)]
            lo = [(c, k, price[k][0] / 1e4) for k in TOKENS] + [(c, "member_days", -below)]
            out.append(Relation([(c, "cost_usd_cents", 1)] + hi, False))
            out.append(Relation([(c, "cost_usd_cents", -1)] + lo, False))
    return out


class Component:
    """A connected block of variables and the relations that touch them, with the attacker's LPs."""

    def __init__(self, problem: "Problem", var_keys: list, rows: list[Relation]):
        self.p = problem
        self.keys = var_keys
        self.col = {k: j for j, k in enumerate(var_keys)}
        self.rows = rows
        n = len(var_keys)
        nk = len(problem.all_keys)
        self.A = np.zeros((len(rows), n))
        self.R = np.zeros((len(rows), nk))       # every row over every (position, measure) key
        self.eq = np.array([r.eq for r in rows], dtype=bool)
        for i, r in enumerate(rows):
            for pos, m, c in r.terms:
                key = (pos, m)
                self.R[i, problem.key_index[key]] += c
                if key in self.col:
                    self.A[i, self.col[key]] += c
        self.K = self.R.copy()
        for k in var_keys:
            self.K[:, problem.key_index[k]] = 0.0
        self.var_index = np.array([problem.key_index[k] for k in var_keys], dtype=int)
        self.positions = sorted({k[0] for k in var_keys}, key=str)
        # Components coupled by prices hold tokens (up to 10^11) next to cents and counts: the solver gets
        # tokens in millions and cents in dollars, so that its tolerances mean the same on every column.
        self.priced = any(m == "cost_usd_cents" for _, m in var_keys) and any(
            any(m2 == "member_days" for _, m2, _ in r.terms) and any(m2 == "cost_usd_cents" for _, m2, _ in r.terms) for r in rows)
        unit = {m: (1e6 if m in TOKENS else 100.0 if m == "cost_usd_cents" else 1.0) for m in MEASURES}
        self.scale = np.array([unit[m] if self.priced else 1.0 for _, m in var_keys])
        self._scaled = None

    def system(self, xc: np.ndarray | None, present: set):
        """(A_ub, b_ub, A_eq, b_eq, lb, ub) for the rest of the population when coalition C holds xc."""
        known = self.p.known.copy()
        if xc is not None:
            known = known - xc
        const = self.K @ np.nan_to_num(known)
        b = -const
        lb = np.array([0.0 if (k[0] in present) else self.p.lower[k] for k in self.keys])
        ub = np.array([self.p.upper[k] for k in self.keys])
        return b, lb, ub

    def solve(self, j: int, sign: int, b, lb, ub):
        """Optimum of sign·y_j (sign +1 minimises, −1 maximises): (value, solution) or (None, None) if unbounded.

        The value is integral: the LP optimum when it is an integer, else the integer optimum (MILP) when
        the component holds only counts, else the LP optimum rounded inwards (tokens and cents coupled by
        prices: values of 10^11 make a MILP meaningless in floating point, and the rounding is the
        attacker's integrality knowledge applied to that one value)."""
        c = np.zeros(len(self.keys))
        c[j] = sign
        ue, ee = ~self.eq, self.eq
        s = self.scale
        if self._scaled is None:             # y = s·u; sparse, since each relation names a few values
            self._scaled = (sparse.csr_matrix((self.A * s)[ue]) if ue.any() else None,
                            sparse.csr_matrix((self.A * s)[ee]) if ee.any() else None)
        A_ub, A_eq = self._scaled
        lbs, ubs = lb / s, ub / s
        res = None
        for method, opts in self.p.lp_settings(self.priced):
            res = linprog(c * s, A_ub=A_ub, b_ub=b[ue] if ue.any() else None,
                          A_eq=A_eq, b_eq=b[ee] if ee.any() else None,
                          bounds=list(zip(lbs, [None if u == INF else u for u in ubs])), method=method, options=opts)
            if res.status in (0, 3):
                break
        if res.status == 3:
            return None, None
        if res.status != 0:
            raise RuntimeError(f"LP for {name(self.keys[j][0])} {self.keys[j][1]}: {res.message}")
        x = res.x * s
        z = x[j]
        if abs(z - round(z)) <= 1e-6 * max(1.0, abs(z)):
            return float(round(z)), x
        if self.priced:
            return float(math.ceil(z - 1e-6) if sign > 0 else math.floor(z + 1e-6)), x
        # The attacker knows every value is an integer: the integer optimum.
        cons = []
        if ue.any():
            cons.append(LinearConstraint(self.A[ue], -np.inf, b[ue]))
        if ee.any():
            cons.append(LinearConstraint(self.A[ee], b[ee], b[ee]))
        r2 = milp(c, constraints=cons, integrality=np.ones(len(self.keys)), bounds=Bounds(lb, ub),
                  options={"time_limit": 60})
        if r2.status != 0 or r2.x is None:
            raise RuntimeError(f"MILP for {name(self.keys[j][0])} {self.keys[j][1]}: {r2.message}")
        return float(round(r2.x[j])), r2.x


    def interior(self, j, sign, z, b, lb, ub, need_b, need_r):
        """An optimum of sign·v_j (value z) that leaves each bound and ≤ relation as much room as the coalitions
        may take (need_b, need_r), so that fewer coalitions need an LP of their own; None if not found."""
        n = len(self.keys)
        ue = ~self.eq
        mu = int(ue.sum())
        N = 2 * n + mu
        c = np.zeros(N)
        c[n:2 * n] = -np.where(need_b > 0, 1.0 / np.maximum(need_b, 1e-12), 0.0)
        c[2 * n:] = -np.where(need_r > 0, 1.0 / np.maximum(need_r, 1e-12), 0.0)
        rows = [np.hstack([self.A[ue], np.zeros((mu, n)), np.eye(mu)]),        # A v + u ≤ b
                np.hstack([-np.eye(n), np.eye(n), np.zeros((n, mu))])]         # t ≤ v − lb
        rhs = [b[ue], -lb]
        opt = np.zeros((1, N))
        opt[0, j] = sign                                                       # still optimal
        rows.append(opt)
        rhs.append(np.array([sign * z]))
        a_eq = np.hstack([self.A[self.eq], np.zeros((int(self.eq.sum()), n + mu))])
        bounds = list(zip(lb, [None if u == INF else u for u in ub])) + [(0, x) for x in need_b] + [(0, x) for x in need_r]
        res = linprog(c, A_ub=np.vstack(rows), b_ub=np.concatenate(rhs), A_eq=a_eq if len(a_eq) else None,
                      b_eq=b[self.eq] if len(a_eq) else None, bounds=bounds, method="highs")
        return res.x[:n] if res.status == 0 else None


class Problem:
    @staticmethod
    def lp_settings(priced: bool):
        """Solver settings to try in turn: tight tolerances first where the data are integers (exact network
        optima), HiGHS defaults where prices make coefficients fractional, then fallbacks."""
        tight = {"primal_feasibility_tolerance": 1e-9, "dual_feasibility_tolerance": 1e-9}
        first = [("highs", {})] if priced else [("highs", tight)]
        return first + [("highs", {}), ("highs-ipm", {}), ("highs-ds", {"presolve": False})]

    def __init__(self, release: Release, week: Week, knowledge: Knowledge):
        self.release, self.week, self.knowledge = release, week, knowledge
        self.positions = [p for p, _ in release.positions]
        self.published = dict(release.positions)
        self.measures = [m for m in MEASURES if m in release.measures]
        self.all_keys = [(p, m) for p in self.positions for m in self.measures]
        self.key_index = {k: i for i, k in enumerate(self.all_keys)}
        self.truth = np.array([float(week.values.get(p, [0] * 8)[MEASURES.index(m)]) for p, m in self.all_keys])
        self.known = np.full(len(self.all_keys), np.nan)
        self.var_keys = []
        self.known_zero = set()
        for i, (p, m) in enumerate(self.all_keys):
            v = self.published[p]
            if v is not None:
                self.known[i] = v[MEASURES.index(m)]
            elif p == ("total",) and m == "member_days" and knowledge.payloads_known and release.payloads is not None:
                self.known[i] = release.payloads
            elif knowledge.zeros and self.truth[i] == 0:
                self.known[i] = 0.0            # zeros are known (release-format.md §8.1 item 2)
                self.known_zero.add((p, m))
            else:
                self.var_keys.append((p, m))
        self.lower, self.upper = {}, {}
        for k in self.var_keys:
            p, m = k
            # A position is known to be non-empty when it is listed (format 1) or when zeros are known.
            present = (knowledge.listed_present and not release.grid) or (knowledge.zeros and p in week.values)
            self.lower[k] = float(LISTED_LOWER.get(m, 0)) if present else 0.0
            self.upper[k] = INF
        rels = relations(self.positions, knowledge, self.measures)
        # Connected components of the variables (relations with no variable are facts, not constraints).
        parent = {k: k for k in self.var_keys}

        def find(a):
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a
        var_set = set(self.var_keys)
        touching = []
        for r in rels:
            vs = [(p, m) for p, m, _ in r.terms if (p, m) in var_set]
            if not vs:
                continue
            touching.append((r, vs))
            for v in vs[1:]:
                a, b = find(vs[0]), find(v)
                if a != b:
                    parent[a] = b
        groups: dict = {}
        for k in self.var_keys:
            groups.setdefault(find(k), []).append(k)
        rows_of: dict = {}
        for r, vs in touching:
            rows_of.setdefault(find(vs[0]), []).append(r)
        self.components = [Component(self, ks, rows_of.get(root, [])) for root, ks in groups.items()]
        self.member_ids = sorted(week.contributions)
        X = np.zeros((len(self.member_ids), len(self.all_keys)))
        for a, mid in enumerate(self.member_ids):
            for p, v in week.contributions[mid].items():
                if p in self.published:
                    for i, m in enumerate(MEASURES):
                        if (p, m) in self.key_index:
                            X[a, self.key_index[(p, m)]] = v[i]
        self.X = X


@dataclass
class Requirement:
    """What a suppressed primary's value must keep (release-format.md §3 and, for coalitions, §8.2)."""
    lo: int | None                 # for C = ∅
    hi: int | None                 # for C = ∅
    frequency: bool = False        # fewer than k members: ±f % of the remainder R = x − a_C, members hi ≥ k
    f: int = 30
    k: int = 5
    floor: int = 0                 # ℓ: the value's known lower bound
    p_need: int | None = None      # p% primary: hi_C − a_C ≥ p_need for C without the largest contributor
    x1: str | None = None          # the largest contributor's panelist id

    def directions(self) -> set:
        d = set()
        if self.lo is not None:
            d.add(1)
        if self.hi is not None or self.p_need is not None:
            d.add(-1)
        return d

    def check(self, measure: str, value: int, a: int, lo: float, hi: float | None, members: list) -> str | None:
        """None when coalition `members` (own share a of the value) gets no narrower than allowed; else what it needed."""
        if self.frequency:
            if measure == "members":
                if hi is not None and hi < self.k:
                    return f"upper bound ≥ {self.k}"
            else:
                rest = value - a
                if rest > 0:
                    need_lo = max(self.floor, a + (rest * (100 - self.f)) // 100)
                    need_hi = a - ((-rest * (100 + self.f)) // 100)
                    if lo > need_lo or (hi is not None and hi < need_hi):
                        return f"lower bound ≤ {need_lo} and upper bound ≥ {need_hi}"
        if self.p_need is not None and self.x1 not in members and hi is not None and hi - a < self.p_need:
            return f"upper bound ≥ {a + self.p_need}"
        return None


@dataclass
class ValueResult:
    pos: tuple
    measure: str
    value: int
    lo: int
    hi: int | None
    # Coalitions (one per failure) that narrow the value more than its requirement allows.
    failures: list = field(default_factory=list)
    coalitions_checked: int = 0


def dominance(D: np.ndarray) -> np.ndarray:
    """dom[a, b]: coalition member a's knowledge implies b's (D[a] ≥ D[b] everywhere, ties broken by index)."""
    n = len(D)
    dom = np.zeros((n, n), dtype=bool)
    for a in range(n):
        ge = np.all(D[a] >= D, axis=1)
        eq = np.all(D[a] == D, axis=1)
        dom[a] = ge & (~eq | (np.arange(n) > a))
    return dom


def undominated(dom: np.ndarray, among: np.ndarray, most: int = 0) -> np.ndarray:
    """Members of `among` with at most `most` dominators in `among`."""
    if not len(among):
        return among
    return among[dom[np.ix_(among, among)].sum(axis=0) <= most]


def attack(problem: Problem, targets: dict | None = None, progress=None) -> tuple[list[ValueResult], dict]:
    """Every suppressed value's interval for the public attacker and, for every value in `targets`
    ((pos, measure) -> Requirement), every coalition of up to the knowledge's size checked against it.

    Coalitions are pruned exactly. For coalition C the attacker's feasible set, in the table's values x, is
    {A x ≤ b + F(C) (relations), x ≥ max(lb, a_C)}, where a_C is C's contribution to each variable and
    F(C) = R·a_C its contribution to each relation (≤ 0: a coalition is a population too). It is a subset of
    the public attacker's, so when the public optimum stays feasible for C it is C's optimum: C needs no LP.
    And C's set is contained in C''s when a_C ≥ a_C' and F(C) ≤ F(C') everywhere: where the requirement is the
    same for both (coalitions outside the position; coalitions inside a p% primary, whose requirement is on
    the remainder), only undominated coalitions are checked, and a pair can only be undominated if each of
    its members has at most one dominator. Inside a frequency primary (fewer than k members) every coalition
    is checked, each against its own requirement."""
    kn = problem.knowledge
    targets = targets or {}
    results = []
    stats = {"lps": 0, "coalitions_checked": 0, "coalition_lps": 0}
    X = problem.X
    for comp in problem.components:
        b0, lb0, ub0 = comp.system(None, set())
        ue = ~comp.eq
        tol_scale = np.maximum(1.0, np.abs(problem.truth[comp.var_index]))
        row_tol = SCREEN_TOL * (np.abs(comp.A) @ tol_scale + 1.0)
        wanted = kn.coalition > 0 and any(k in targets for k in comp.keys)
        if wanted:
            rel_keys = np.flatnonzero(np.any(comp.R != 0, axis=0))
            cand = np.flatnonzero(np.any(X[:, rel_keys] != 0, axis=1))
            Xv = X[cand][:, comp.var_index]                 # contributions to the variables
            F = (X[cand] @ comp.R.T)[:, ue]                  # contributions to the ≤ relations
            D = np.hstack([Xv, -F])
            dom = dominance(D)
            member_col = np.array([problem.key_index[(k[0], "members")] for k in comp.keys])
            ids = [problem.member_ids[c] for c in cand]
        for j, key in enumerate(comp.keys):
            pos, m = key
            v = int(problem.truth[problem.key_index[key]])
            lo, xlo = comp.solve(j, 1, b0, lb0, ub0)
            hi, xhi = comp.solve(j, -1, b0, lb0, ub0)
            stats["lps"] += 2
            r = ValueResult(pos, m, v, int(lo), None if hi is None else int(hi))
            req = targets.get(key)
            if wanted and req is not None and len(cand):
                inside_mask = X[cand, problem.key_index[(pos, "members")]] > 0
                outside = np.flatnonzero(~inside_mask)
                inside = np.flatnonzero(inside_mask)
                singles = undominated(dom, outside)
                coals = [(a,) for a in singles]
                if kn.coalition >= 2:
                    pool = undominated(dom, outside, 1)
                    coals += _undominated_pairs(D, [(pool[i], pool[q]) for i in range(len(pool)) for q in range(i + 1, len(pool))])
                if req.frequency:
                    inner = [(a,) for a in inside]
                    if kn.coalition >= 2:
                        inner += [(inside[i], inside[q]) for i in range(len(inside)) for q in range(i + 1, len(inside))]
                        inner += [(a, b) for a in inside for b in singles]
                    coals += inner
                elif req.p_need is not None:
                    eligible = np.array([a for a in inside if ids[a] != req.x1], dtype=int)
                    isingles = undominated(dom, eligible)
                    coals += [(a,) for a in isingles]
                    if kn.coalition >= 2:
                        ipool = undominated(dom, eligible, 1)
                        coals += _undominated_pairs(D, [(ipool[i], ipool[q]) for i in range(len(ipool)) for q in range(i + 1, len(ipool))])
                        coals += [(a, b) for a in isingles for b in singles]
                values = {c: {} for c in coals}
                for direction, base, xstar in ((1, lo, xlo), (-1, hi, xhi)):
                    if direction not in req.directions():
                        continue
                    if xstar is None:
                        for c in coals:
                            values[c][direction] = None      # unbounded for everyone: same recession cone
                        continue
                    xc_all = np.array([Xv[list(c)].sum(axis=0) for c in coals]) if coals else np.zeros((0, len(comp.keys)))
                    fc_all = np.array([F[list(c)].sum(axis=0) for c in coals]) if coals else np.zeros((0, int(ue.sum())))

                    def violated(xs):
                        slack = b0 - comp.A @ xs
                        return (np.any(xs < np.maximum(lb0, xc_all) - SCREEN_TOL * tol_scale, axis=1)
                                | np.any(fc_all + slack[ue] < -row_tol[ue], axis=1))
                    bad = violated(xstar) if coals else np.zeros(0, dtype=bool)
                    if bad.sum() > 3:
                        need_b = np.maximum(0.0, np.maximum(lb0, xc_all).max(axis=0) - lb0)
                        need_r = np.maximum(0.0, (-fc_all).max(axis=0)) if fc_all.size else np.zeros(0)
                        xi = comp.interior(j, direction, base, b0, lb0, ub0, need_b, need_r)
                        stats["lps"] += 1
                        if xi is not None:
                            bad = violated(xi)
                    for c, bd in zip(coals, bad):
                        if not bd:
                            values[c][direction] = base
                            continue
                        idx = list(c)
                        xc = X[cand[idx]].sum(axis=0)
                        present = {comp.keys[q][0] for q in np.flatnonzero(xc[member_col] > 0)}
                        b, lb, ub = comp.system(xc, present)
                        z, _ = comp.solve(j, direction, b, lb, ub)
                        stats["coalition_lps"] += 1
                        values[c][direction] = None if z is None else z + xc[problem.key_index[key]]
                stats["coalitions_checked"] += len(coals)
                r.coalitions_checked = len(coals)
                for c, d in values.items():
                    members = [ids[a] for a in c]
                    a_t = int(X[cand[list(c)], problem.key_index[key]].sum())
                    clo = d.get(1, r.lo)
                    chi = d.get(-1, r.hi)
                    clo = None if clo is None else int(round(clo))
                    chi = None if chi is None else int(round(chi))
                    need = req.check(m, v, a_t, clo, chi, members)
                    exact = chi is not None and clo == chi and 1 in d and -1 in d and v - a_t > 0
                    if need or exact:
                        r.failures.append({"by": members, "own": a_t, "lo": clo, "hi": chi, "needs": need, "exact": exact})
            results.append(r)
            if progress:
                progress(len(results))
    return results, stats


def _undominated_pairs(D, pairs):
    if len(pairs) < 2:
        return pairs
    PD = np.array([D[a] + D[c] for a, c in pairs])
    keep = ~dominance(PD).any(axis=0)
    return [p for p, k in zip(pairs, keep) if k]
