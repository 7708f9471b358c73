/// Exact feasibility intervals of the distinct counts (members, member-days), which are not additive.
///
/// What the attacker knows (written into every release's policy):
/// - a cell's count is at most each of its margins' and a margin's at most the total's;
/// - a margin's count is at most the sum of its cells', the total's at most the sum of either margin's;
/// - members ≤ member-days ≤ 7 · members at every position, and every listed position has ≥ 1 of each;
/// - the total's member-days equal the release's payload count.
///
/// Every relation has the form `a ≤ b` or `a ≤ Σ c·b` with c > 0. The componentwise maximum of two
/// solutions is again a solution, so the solutions with `x ≤ cap` have a greatest element, reached by
/// lowering upper bounds from +∞ until nothing changes. Hence `hi` of every value is that greatest
/// element; whether some solution has x ≤ c is decided by the same propagation with x capped at c, so
/// `lo` is found by bisection over the integers. All of it exact.
struct CountBounds {
    private enum Term { case constant(Int64), variable(Int) }
    private struct Relation { var lhs: Term; var rhs: [(Term, Int64)] }

    private let published: PublishedTable
    /// Variable index for (position, members) and (position, memberDays) of suppressed positions.
    private var variable: [Int: (Int, Int)] = [:]
    private var lower: [Int64] = []
    /// Where the search for the greatest solution starts: +∞, or the value of a pinned variable.
    private var upper: [Int64] = []
    private var relations: [Relation] = []
    private var asLeft: [[Int]] = []
    private var asRight: [[Int]] = []
    private var owner: [(Int, Measure)] = []

    /// - Parameter lowered: subtracted from every published count and the payload count (members,
    ///   member-days): a coalition's own counts, or more (`backpay-attacker/2`, see `coalitionUpperBounds`).
    ///   Suppressed values then start at 0.
    init(_ published: PublishedTable, lowered: (members: Int64, memberDays: Int64)? = nil) {
        self.published = published
        let t = published.table
        let floor: Int64 = published.listedAreNonEmpty && lowered == nil ? 1 : 0
        for k in published.suppressed {
            let a = owner.count
            owner.append((k, .members)); owner.append((k, .memberDays))
            variable[k] = (a, a + 1)
            lower.append(floor); lower.append(floor)
            upper.append(FlowNetwork.infinity); upper.append(FlowNetwork.infinity)
        }
        asLeft = Array(repeating: [], count: owner.count)
        asRight = Array(repeating: [], count: owner.count)
        func term(_ k: Int, _ m: Measure) -> Term {
            let cut = lowered.map { m == .members ? $0.members : $0.memberDays } ?? 0
            if let v = published.values[k] { return .constant(max(0, v[m] - cut)) }
            if m == .memberDays, case .total = t.positions[k], let pc = published.payloadCount { return .constant(max(0, pc - cut)) }
            let (a, b) = variable[k]!
            return .variable(m == .members ? a : b)
        }
        var rowCells = Array(repeating: [Int](), count: t.tools.count)
        var colCells = Array(repeating: [Int](), count: t.models.count)
        var toolMargins: [Int] = [], modelMargins: [Int] = []
        var total: Int? = nil
        for k in t.positions.indices {
            switch t.positions[k] {
            case .cell: rowCells[t.row[k]].append(k); colCells[t.col[k]].append(k)
            case .tool: toolMargins.append(k)
            case .model: modelMargins.append(k)
            case .total: total = k
            }
        }
        for m in Measure.counts {
            for k in t.positions.indices {
                switch t.positions[k] {
                case .cell:
                    let r = t.at(t.row[k], t.models.count), c = t.at(t.tools.count, t.col[k])
                    if r >= 0 { add(term(k, m), [(term(r, m), 1)]) }
                    if c >= 0 { add(term(k, m), [(term(c, m), 1)]) }
                case .tool:
                    if let tot = total { add(term(k, m), [(term(tot, m), 1)]) }
                    add(term(k, m), rowCells[t.row[k]].map { (term($0, m), 1) })
                case .model:
                    if let tot = total { add(term(k, m), [(term(tot, m), 1)]) }
                    add(term(k, m), colCells[t.col[k]].map { (term($0, m), 1) })
                case .total:
                    add(term(k, m), toolMargins.map { (term($0, m), 1) })
                    add(term(k, m), modelMargins.map { (term($0, m), 1) })
                }
            }
        }
        for k in t.positions.indices {
            add(term(k, .members), [(term(k, .memberDays), 1)])
            add(term(k, .memberDays), [(term(k, .members), 7)])
        }
    }

    private mutating func add(_ lhs: Term, _ rhs: [(Term, Int64)]) {
        let i = relations.count
        relations.append(Relation(lhs: lhs, rhs: rhs))
        if case .variable(let v) = lhs { asLeft[v].append(i) }
        for (t, _) in rhs { if case .variable(let v) = t { asRight[v].append(i) } }
    }

    private func value(_ t: Term, _ ub: [Int64]) -> Int64 {
        switch t { case .constant(let c): return c; case .variable(let v): return ub[v] }
    }

    private func evaluate(_ rhs: [(Term, Int64)], _ ub: [Int64]) -> Int64 {
        var s: Int64 = 0
        for (t, c) in rhs {
            let v = value(t, ub)
            if v >= FlowNetwork.infinity { return FlowNetwork.infinity }
            let (prod, o) = v.multipliedReportingOverflow(by: c)
            if o || prod >= FlowNetwork.infinity { return FlowNetwork.infinity }
            s = min(FlowNetwork.infinity, s + prod)
        }
        return s
    }

    /// Lowers `ub` (which must be ≥ the greatest solution) to the greatest solution; false when there is
    /// none. Only relations touching a lowered variable are re-examined.
    private func settle(_ ub: inout [Int64], queue start: [Int], checkConstants: Bool = true) throws(AnonError) -> Bool {
        var queue = start
        var queued = Array(repeating: false, count: ub.count)
        for v in start { queued[v] = true }
        var lowered = Set<Int>(start)
        var steps = 0
        let budget = 64 * (relations.count + ub.count) + 1024
        while let v = queue.popLast() {
            queued[v] = false
            var best = ub[v]
            for r in asLeft[v] { best = min(best, evaluate(relations[r].rhs, ub)) }
            if best < lower[v] { return false }
            if best < ub[v] {
                ub[v] = best
                lowered.insert(v)
                steps += 1
                if steps > budget {
                    let (k, m) = owner[v]
                    throw .auditDidNotConverge(position: published.table.positions[k].description, measure: m.key)
                }
                for r in asRight[v] { if case .variable(let w) = relations[r].lhs, !queued[w] { queued[w] = true; queue.append(w) } }
            }
        }
        // Relations whose left side is published only constrain from below: re-check those that read a
        // lowered variable (the others were checked once, in `constantsHold`).
        guard checkConstants else { return true }
        for v in lowered {
            for r in asRight[v] {
                if case .constant(let c) = relations[r].lhs, c > evaluate(relations[r].rhs, ub) { return false }
            }
        }
        return true
    }

    /// Relations between published values only: they hold in any consistent release.
    private func constantsHold() -> Bool {
        let none: [Int64] = []
        for r in relations {
            guard case .constant(let c) = r.lhs else { continue }
            if r.rhs.allSatisfy({ if case .constant = $0.0 { return true } else { return false } }), c > evaluate(r.rhs, none) { return false }
        }
        return true
    }

    /// The suppressed values, as (position, measure), in variable order.
    var variables: [(position: Int, measure: Measure)] { owner.map { ($0.0, $0.1) } }

    /// Upper bounds of every variable (the greatest solution); nil when the published counts contradict
    /// each other.
    func greatest() throws(AnonError) -> [Int64]? {
        guard constantsHold() else { return nil }
        var top = upper
        guard try settle(&top, queue: Array(owner.indices)) else { return nil }
        return top
    }

    /// The greatest values the relations whose left side is suppressed allow, without checking the relations
    /// whose left side is published (they only bound from below). With `lowered` constants this is at most
    /// the greatest solution of the true remainder: every upper relation is at least as tight.
    func upperBoundsOnly() throws(AnonError) -> [Int64] {
        var top = upper
        _ = try settle(&top, queue: Array(owner.indices), checkConstants: false)
        return top
    }

    /// Whether some solution has variable `v` ≤ `c`.
    private func feasible(_ v: Int, atMost c: Int64, top: [Int64]) throws(AnonError) -> Bool {
        var ub = top
        ub[v] = c
        let dependents = [v] + asRight[v].compactMap { if case .variable(let w) = relations[$0].lhs { return w } else { return nil } }
        return try settle(&ub, queue: dependents)
    }

    /// The interval of variable `v`, given the greatest solution `top`.
    func interval(_ v: Int, top: [Int64]) throws(AnonError) -> Interval {
        let hi = top[v]
        // Smallest c with a solution where this value is ≤ c: gallop up from the lower bound (usually
        // the answer), then bisect.
        var lo = lower[v], up = min(hi, FlowNetwork.infinity - 1)
        var step: Int64 = 1
        while lo < up {
            let probe = min(up, lo + step - 1)
            if try feasible(v, atMost: probe, top: top) { up = probe; break }
            lo = probe + 1
            step = step < (1 << 40) ? step * 4 : step
        }
        while lo < up {
            let mid = lo + (up - lo) / 2
            if try feasible(v, atMost: mid, top: top) { up = mid } else { lo = mid + 1 }
        }
        return Interval(lo: lo, hi: hi >= FlowNetwork.infinity ? nil : hi)
    }

    /// Whether variable `v` is exposed (`DisclosureCheck`), decided with at most two probes instead of the
    /// bisection of `interval`: `lo` is the smallest c with `feasible(atMost: c)`, so "lo == hi" is
    /// "not feasible at hi − 1" and "lo ≤ L" is "feasible at L". `known`, a value `v` takes in some
    /// solution (the builder's true table, when `fits` says it is one), answers most probes for free.
    func isExposed(_ v: Int, top: [Int64], k: Int, requirement r: ProtectionRequirement?, known: Int64? = nil) throws(AnonError) -> Bool {
        let hi = top[v], bounded = hi < FlowNetwork.infinity
        if bounded, owner[v].1 == .members, hi < Int64(k) { return true }
        if bounded, let u = r?.upperAtLeast, hi < u { return true }
        func feasible(atMost c: Int64) throws(AnonError) -> Bool {
            if let known, known <= c { return true }
            return try self.feasible(v, atMost: c, top: top)
        }
        if let l = r?.lowerAtMost, l < min(hi, FlowNetwork.infinity - 1) {
            if l < lower[v] { return true }
            if try !feasible(atMost: l) { return true }
        }
        if bounded, hi > lower[v], try !feasible(atMost: hi - 1) { return true }
        return false
    }

    /// Pins the counts of suppressed position `k` to `values`, as if published, or frees them (nil), so
    /// that a run of lifts reuses one set of relations. Pinned variables keep their relations, whose
    /// published left sides are re-checked only when a value they read is lowered; that is enough when a
    /// solution with these values exists (`fits`): the greatest solution lies above it and satisfies them.
    mutating func pin(_ k: Int, to values: MeasureValues?) {
        let (a, b) = variable[k]!
        lower[a] = values?[.members] ?? 1; upper[a] = values?[.members] ?? FlowNetwork.infinity
        lower[b] = values?[.memberDays] ?? 1; upper[b] = values?[.memberDays] ?? FlowNetwork.infinity
    }

    /// Whether `values`, every position published, satisfy every relation and bound above, the total's
    /// member-days being `payloadCount`: then they are a solution of every release of this table.
    static func fits(_ table: LinkedTable, values: [MeasureValues], payloadCount: Int64) -> Bool {
        guard let total = table.index[.total], values[total][.memberDays] == payloadCount,
              values.allSatisfy({ $0[.members] >= 1 && $0[.memberDays] >= 1 }) else { return false }
        return CountBounds(PublishedTable(table: table, values: values, payloadCount: payloadCount)).constantsHold()
    }

    /// Intervals of members and member-days of every suppressed position; nil when the published counts
    /// contradict each other.
    func intervals() throws(AnonError) -> [Int: [Measure: Interval]]? {
        guard let top = try greatest() else { return nil }
        var out: [Int: [Measure: Interval]] = [:]
        for v in owner.indices {
            out[owner[v].0, default: [:]][owner[v].1] = try interval(v, top: top)
        }
        return out
    }
}
