/// The attacker's feasibility interval of one suppressed value: every value in lo…hi is consistent with
/// everything published and the assumed bounds, and nothing outside is. `hi == nil` means unbounded.
public struct Interval: Hashable, Sendable, CustomStringConvertible {
    public var lo: Int64
    public var hi: Int64?

    public init(lo: Int64, hi: Int64?) { self.lo = lo; self.hi = hi }

    public var isExact: Bool { hi == lo }
    public var description: String { "[\(lo), \(hi.map(String.init) ?? "∞")]" }
}

/// What is published of the table: a value for every published position, nothing for suppressed ones.
public struct PublishedTable: Sendable {
    public let table: LinkedTable
    /// Indexed like `table.positions`; nil = suppressed.
    public let values: [MeasureValues?]
    /// The release's payload count: the total's member-days, known even when the total is suppressed.
    public let payloadCount: Int64?

    public init(table: LinkedTable, values: [MeasureValues?], payloadCount: Int64?) {
        self.table = table; self.values = values; self.payloadCount = payloadCount
    }

    public var suppressed: [Int] { values.indices.filter { values[$0] == nil } }
}

/// Exact disclosure audit of the weekly linked table (notes §2 and §5).
///
/// Additive counters: integer max-flow on the table's circulation, exact, no tolerance, no solver.
/// Member and member-day counts: their relations are inequalities (cell ≤ margin ≤ total, margin ≤ sum of
/// its cells, members ≤ member-days ≤ 7·members); see `CountBounds`.
public enum TableAudit {
    public enum Finding: Hashable, Sendable {
        /// The published numbers contradict each other for this measure: no table fits them.
        case inconsistent(Measure)
    }

    /// Intervals of every measure of every suppressed position, keyed by position index.
    public static func intervals(_ published: PublishedTable) throws(AnonError) -> (intervals: [Int: [Measure: Interval]], findings: [Finding]) {
        let sup = published.suppressed
        var out: [Int: [Measure: Interval]] = [:]
        for k in sup { out[k] = [:] }
        var findings: [Finding] = []
        for m in Measure.counters {
            guard let iv = additiveIntervals(published, measure: m) else { findings.append(.inconsistent(m)); continue }
            for (k, i) in iv { out[k]![m] = i }
        }
        var counts = CountBounds(published)
        if let iv = try counts.intervals() {
            for (k, byMeasure) in iv { for (m, i) in byMeasure { out[k]![m] = i } }
        } else {
            findings.append(.inconsistent(.members))
        }
        return (out, findings)
    }

    /// Feasibility intervals of one additive counter; nil when no non-negative table fits the published
    /// values.
    static func additiveIntervals(_ published: PublishedTable, measure m: Measure) -> [Int: Interval]? {
        let t = published.table
        let lower = m.attackerLowerBound
        let n = t.nodeCount
        // 1. A feasible table: suppressed values start at their lower bound; route the imbalance.
        // Wide sums: a hostile release may list thousands of values near 2^53. A consistent table never
        // needs more than a few times its total (≤ 2^53) in any imbalance, so anything beyond 2^60 is
        // reported as inconsistent rather than risked in 64-bit flow arithmetic.
        var wide = Array(repeating: Int128(0), count: n)
        let sup = published.suppressed
        for k in t.positions.indices {
            let v = Int128(published.values[k]?[m] ?? lower)
            wide[t.to[k]] += v; wide[t.from[k]] -= v
        }
        let ceiling = Int128(1) << 60
        var need128 = Int128(0)
        for w in wide where w > 0 { need128 += w }
        guard need128 <= ceiling, wide.allSatisfy({ $0 >= -ceiling }) else { return nil }
        let excess = wide.map { Int64($0) }
        var net = FlowNetwork(nodes: n + 2)
        var arc: [Int: Int] = [:]
        for k in sup { arc[k] = net.addArc(t.from[k], t.to[k], FlowNetwork.infinity) }
        var need: Int64 = 0
        for v in 0..<n {
            if excess[v] > 0 { net.addArc(n, v, excess[v]); need += excess[v] } else if excess[v] < 0 { net.addArc(v, n + 1, -excess[v]) }
        }
        var cap = net.capacity
        let routed = net.maxFlow(from: n, to: n + 1, capacities: &cap)
        guard routed == need else { return nil }
        // Any excess left on an all-published node also shows up here: it has no arc to route it.
        var flow: [Int: Int64] = [:]
        for k in sup { flow[k] = lower + cap[arc[k]! ^ 1] }

        // 2. The residual network: a suppressed value can rise without limit and fall to its lower bound.
        var res = FlowNetwork(nodes: n)
        var rarc: [Int: Int] = [:]
        for k in sup { rarc[k] = res.addArc(t.from[k], t.to[k], FlowNetwork.infinity, reverseCap: flow[k]! - lower) }
        var out: [Int: Interval] = [:]
        for k in sup {
            var c = res.capacity
            let e = rarc[k]!
            c[e] = 0; c[e ^ 1] = 0
            let f = flow[k]!
            let u = t.from[k], v = t.to[k]
            // Raising the value by d sends d from its head back to its tail through the rest of the table.
            var hi: Int64? = nil
            if !res.unboundedPath(from: v, to: u, capacities: c) {
                var c2 = c
                hi = f + res.maxFlow(from: v, to: u, capacities: &c2)
            }
            var c3 = c
            let down = res.maxFlow(from: u, to: v, capacities: &c3, limit: f - lower)
            out[k] = Interval(lo: f - down, hi: hi)
        }
        return out
    }
}
