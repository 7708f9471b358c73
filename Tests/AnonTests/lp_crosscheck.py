#!/usr/bin/env python3
"""LP cross-check of the audit (Tests/AnonTests/AuditCrossCheckTests.swift).

Reads {"lps": [{"n": N, "eq": [[coeffs], rhs]..., "ub": [[coeffs], rhs]..., "lb": [..]}]} from argv[1] and
prints, for each LP and each variable, [min, max] (max null when unbounded) as solved by scipy's linprog
(HiGHS). Needs PyPI scipy.
"""
import json
import sys

from scipy.optimize import linprog


def solve(lp):
    n = lp["n"]
    a_eq = [row for row, _ in lp["eq"]] or None
    b_eq = [rhs for _, rhs in lp["eq"]] or None
    a_ub = [row for row, _ in lp["ub"]] or None
    b_ub = [rhs for _, rhs in lp["ub"]] or None
    bounds = [(l, None) for l in lp["lb"]]
    out = []
    for i in range(n):
        c = [0.0] * n
        c[i] = 1.0
        lo = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        c[i] = -1.0
        hi = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if lo.status != 0:
            raise SystemExit("lp %d var %d: min status %d (%s)" % (len(out), i, lo.status, lo.message))
        if hi.status == 3:
            out.append([lo.fun, None])
        elif hi.status == 0:
            out.append([lo.fun, -hi.fun])
        else:
            raise SystemExit("max status %d (%s)" % (hi.status, hi.message))
    return out


def main():
    data = json.load(open(sys.argv[1]))
    json.dump([solve(lp) for lp in data["lps"]], sys.stdout)


if __name__ == "__main__":
    main()
