/// The audit behind `SecondarySuppression.prune`, which lifts one suppression at a time: the same verdict
/// as `TableAudit.isSafe` on each new pattern, exact, but most of the work is kept from one lift to the next.
///
/// - The true table fits every pattern the builder tries, so each counter's residual network is built once,
///   around it, and publishing a position only closes that position's arcs.
/// - A check that passed stays passed while the flows that proved it can still run, since closing arcs
///   elsewhere leaves them intact. So each (position, counter) keeps the positions its flows moved, and a
///   lift re-decides only the checks that moved the lifted position; a check that would now fail is among
///   them.
/// - Member counts are not additive: `CountBounds` re-audits them whole on every lift, on one set of
///   relations where lifted positions are pinned to their values, and the true counts answer most probes.
struct LiftAudit {
    private let table: LinkedTable
    private let values: [MeasureValues]
    private let payloadCount: Int64
    private let k: Int
    private let requirements: [Int: [Measure: ProtectionRequirement]]
    /// One per counter, in the order of `Measure.counters`.
    private var residuals: [AdditiveResidual]
    /// Indexed like `table.positions`.
    private(set) var suppressed: [Bool]
    /// By position, then counter: what the proving flows moved; nil when the check fails.
    private var proofs: [[[Int]?]]
    /// The counts' audit of the current pattern when the true counts are one of its solutions
    /// (`CountBounds.fits`); otherwise each pattern gets a new one.
    private var counts: CountBounds?
    private let countVariables: [(position: Int, measure: Measure)]

    /// nil when the true values do not fit the attacker's model (a value below its lower bound, or margins
    /// that are not the sums of their parts); the caller then audits each pattern from scratch.
    init?(table: LinkedTable, values: [MeasureValues], suppressed: [Bool], k: Int,
          requirements: [Int: [Measure: ProtectionRequirement]], payloadCount: Int64) {
        self.table = table; self.values = values; self.suppressed = suppressed
        self.k = k; self.requirements = requirements; self.payloadCount = payloadCount
        let sup = suppressed.indices.filter { suppressed[$0] }
        residuals = []
        for m in Measure.counters {
            guard let r = AdditiveResidual(table, values: values, suppressed: sup, measure: m) else { return nil }
            residuals.append(r)
        }
        let fits = CountBounds.fits(table, values: values, payloadCount: payloadCount)
        counts = fits ? CountBounds(PublishedTable(table: table, values: values.indices.map { suppressed[$0] ? nil : values[$0] }, payloadCount: payloadCount)) : nil
        countVariables = counts?.variables ?? []
        proofs = Array(repeating: Array(repeating: nil, count: Measure.counters.count), count: table.positions.count)
        for x in sup { for i in residuals.indices { proofs[x][i] = prove(x, counter: i) } }
    }

    /// The positions the check of `x` on counter `i` moved, or nil when `x` is exposed on it.
    private mutating func prove(_ x: Int, counter i: Int) -> [Int]? {
        residuals[i].moved = []
        defer { residuals[i].moved = nil }
        return residuals[i].isExposed(x, requirement: requirements[x]?[Measure.counters[i]]) ? nil : residuals[i].moved
    }

    /// Publishes suppressed position `x` when the audit then finds nothing exposed; tells whether it did.
    mutating func lift(_ x: Int) throws(AnonError) -> Bool {
        for i in residuals.indices { residuals[i].setPublished(x, true) }
        suppressed[x] = false
        counts?.pin(x, to: values[x])
        var renewed: [(Int, Int, [Int])] = []
        var safe = true
        // The lifted position's row and column first: a new exposure usually shows there.
        let t = table
        let near = { (y: Int) in t.row[y] == t.row[x] || t.col[y] == t.col[x] }
        search: for y in t.positions.indices.filter(near) + t.positions.indices.filter({ !near($0) }) where suppressed[y] {
            for i in residuals.indices where proofs[y][i].map({ $0.contains(x) }) ?? true {
                guard let p = prove(y, counter: i) else { safe = false; break search }
                renewed.append((y, i, p))
            }
        }
        if safe { safe = try countsAreSafe() }
        guard safe else {
            for i in residuals.indices { residuals[i].setPublished(x, false) }
            counts?.pin(x, to: nil)
            suppressed[x] = true
            return false
        }
        for (y, i, p) in renewed { proofs[y][i] = p }
        return true
    }

    private func countsAreSafe() throws(AnonError) -> Bool {
        guard let counts else {
            let published = PublishedTable(table: table, values: values.indices.map { suppressed[$0] ? nil : values[$0] }, payloadCount: payloadCount)
            return try TableAudit.countsAreSafe(published, k: k, requirements: requirements)
        }
        guard let top = try counts.greatest() else { return false }
        for (v, (y, m)) in countVariables.enumerated() where suppressed[y] {
            if try counts.isExposed(v, top: top, k: k, requirement: requirements[y]?[m], known: values[y][m]) { return false }
        }
        return true
    }
}
