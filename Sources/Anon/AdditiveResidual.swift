/// One additive counter's residual network around a feasible table: a suppressed value can rise without
/// limit and fall to its lower bound, and how far it can move is a maximum flow between its endpoints.
struct AdditiveResidual {
    let table: LinkedTable
    let suppressed: [Int]
    let lower: Int64
    /// Indexed like `table.positions`: the value in the feasible table, and the forward arc (-1 when
    /// published).
    private var flow: [Int64]
    private var arc: [Int]
    private var net: FlowNetwork
    private var work: [Int64]
    /// When set, every flow appends the suppressed positions it moved: while their arcs stay open, the
    /// same flow proves the same room (see `LiftAudit`).
    var moved: [Int]? = nil
    /// Raised lower bounds (position, how much above `lower`): a coalition's own contributions under
    /// `backpay-attacker/2`. Every flow sees them; the caller sets and clears them.
    var raised: [(position: Int, by: Int64)] = []

    /// nil when no non-negative table fits the published values.
    init?(_ published: PublishedTable, measure m: Measure) {
        let t = published.table
        table = t
        lower = published.lowerBound(m)
        let n = t.nodeCount
        // 1. A feasible table: suppressed values start at their lower bound; route the imbalance.
        // Wide sums: a hostile release may list thousands of values near 2^53. A consistent table never
        // needs more than a few times its total (≤ 2^53) in any imbalance, so anything beyond 2^60 is
        // reported as inconsistent rather than risked in 64-bit flow arithmetic.
        var wide = Array(repeating: Int128(0), count: n)
        let sup = published.suppressed
        suppressed = sup
        for k in t.positions.indices {
            let v = Int128(published.values[k]?[m] ?? lower)
            wide[t.to[k]] += v; wide[t.from[k]] -= v
        }
        let ceiling = Int128(1) << 60
        var need128 = Int128(0)
        for w in wide where w > 0 { need128 += w }
        guard need128 <= ceiling, wide.allSatisfy({ $0 >= -ceiling }) else { return nil }
        var feasible = FlowNetwork(nodes: n + 2)
        var firstArc = Array(repeating: -1, count: t.positions.count)
        for k in sup { firstArc[k] = feasible.addArc(t.from[k], t.to[k], FlowNetwork.infinity) }
        var need: Int64 = 0
        for v in 0..<n {
            let x = Int64(wide[v])
            if x > 0 { feasible.addArc(n, v, x); need += x } else if x < 0 { feasible.addArc(v, n + 1, -x) }
        }
        var cap = feasible.capacity
        let routed = feasible.maxFlow(from: n, to: n + 1, capacities: &cap)
        // Any excess left on an all-published node also shows up here: it has no arc to route it.
        guard routed == need else { return nil }
        flow = Array(repeating: 0, count: t.positions.count)
        for k in sup { flow[k] = lower + cap[firstArc[k] ^ 1] }

        (net, arc, work) = AdditiveResidual.residual(t, suppressed: sup, flow: flow, lower: lower)
    }

    /// Around a table known to fit (the builder's true values): nil unless every suppressed value is at
    /// least its lower bound and every margin is the sum of its parts, so that it is a feasible table of
    /// the release and the intervals are the same as around any other.
    init?(_ table: LinkedTable, values: [MeasureValues], suppressed: [Int], measure m: Measure) {
        self.table = table
        lower = m.attackerLowerBound
        self.suppressed = suppressed
        var balance = Array(repeating: Int128(0), count: table.nodeCount)
        for k in table.positions.indices {
            balance[table.to[k]] += Int128(values[k][m]); balance[table.from[k]] -= Int128(values[k][m])
        }
        // The same 2^60 ceiling as above: every node's imbalance is at most the sum of the suppressed
        // values' room, whatever part of them is published later.
        let low = lower
        let room = suppressed.reduce(Int128(0)) { $0 + Int128(values[$1][m]) - Int128(low) }
        guard balance.allSatisfy({ $0 == 0 }), suppressed.allSatisfy({ values[$0][m] >= low }), room <= Int128(1) << 60 else { return nil }
        flow = values.map { $0[m] }
        (net, arc, work) = AdditiveResidual.residual(table, suppressed: suppressed, flow: flow, lower: lower)
    }

    /// 2. The residual network: a suppressed value can rise without limit and fall to its lower bound.
    private static func residual(_ t: LinkedTable, suppressed: [Int], flow: [Int64], lower: Int64) -> (FlowNetwork, [Int], [Int64]) {
        var net = FlowNetwork(nodes: t.nodeCount)
        var arc = Array(repeating: -1, count: t.positions.count)
        for k in suppressed { arc[k] = net.addArc(t.from[k], t.to[k], FlowNetwork.infinity, reverseCap: flow[k] - lower) }
        return (net, arc, net.capacity)
    }

    /// Publishes suppressed position `k` at its value in the feasible table (its arcs close), or undoes
    /// that.
    mutating func setPublished(_ k: Int, _ published: Bool) {
        net.capacity[arc[k]] = published ? 0 : FlowNetwork.infinity
        net.capacity[arc[k] ^ 1] = published ? 0 : flow[k] - lower
    }

    /// Appends to `moved` the suppressed positions, other than `k`, whose value the last flow moved (its
    /// net flow runs through their arcs only).
    private mutating func recordMoved(except k: Int) {
        guard moved != nil else { return }
        let base = net.capacity
        for x in suppressed where x != k && (work[arc[x]] != base[arc[x]] || work[arc[x] ^ 1] != base[arc[x] ^ 1]) {
            moved!.append(x)
        }
    }

    /// How far the value of `k` can rise and fall from the feasible table's value, each counted only up to
    /// its limit: `min(room, limit)`. A rise of `nil` is unbounded; it is only told apart from a large one
    /// when the limit is `infinity`.
    /// With `downCappedByValue` false, the fall is the flow alone, not capped by the value's own room above
    /// its lower bound (what `InsiderAudit`'s screen needs: a coalition cannot change that cap's verdict).
    mutating func room(of k: Int, upTo upLimit: Int64, downTo downLimit: Int64, downCappedByValue: Bool = true) -> (up: Int64?, down: Int64) {
        let e = arc[k], u = table.from[k], v = table.to[k]
        // The other values' room only: the value's own arc is closed.
        reset(closing: e)
        var up: Int64? = 0
        if upLimit > 0 {
            if upLimit >= FlowNetwork.infinity, net.unboundedPath(from: v, to: u, capacities: work) {
                up = nil
                // The path is not kept: count every position as moved.
                if moved != nil { moved! += suppressed.filter { $0 != k } }
            } else {
                // Raising the value by d sends d from its head back to its tail through the rest of the table.
                up = net.maxFlow(from: v, to: u, capacities: &work, limit: upLimit)
                recordMoved(except: k)
            }
        }
        var down: Int64 = 0
        let own = raised.reduce(Int64(0)) { $1.position == k ? max($0, $1.by) : $0 }
        let downMost = downCappedByValue ? min(downLimit, flow[k] - lower - own) : downLimit
        if downMost > 0 {
            reset(closing: e)
            down = net.maxFlow(from: u, to: v, capacities: &work, limit: downMost)
            recordMoved(except: k)
        }
        return (up, down)
    }

    /// After a flow of `room` in one direction only: how much further each suppressed value's reverse arc
    /// could carry (how far the value could still fall), in that flow's residual network.
    func reverseResidual(_ x: Int) -> Int64 { arc[x] >= 0 ? work[arc[x] ^ 1] : 0 }

    /// The whole feasibility interval of `k`.
    mutating func interval(of k: Int) -> Interval {
        let (up, down) = room(of: k, upTo: FlowNetwork.infinity, downTo: FlowNetwork.infinity)
        return Interval(lo: flow[k] - down, hi: up.map { flow[k] + $0 })
    }

    /// Whether the value of `k` is exposed (`DisclosureCheck`): derived exactly above its lower bound, or
    /// its interval short of the protection interval. Each flow stops at the room that decides it: one
    /// unit tells "exact" apart, the requirement's distance tells "too narrow" apart.
    mutating func isExposed(_ k: Int, requirement r: ProtectionRequirement?) -> Bool {
        let f = flow[k]
        let upNeed = r?.upperAtLeast.map { $0 - f }, downNeed = r?.lowerAtMost.map { f - $0 }
        let (up, down) = room(of: k, upTo: max(1, upNeed ?? 0), downTo: max(1, downNeed ?? 0))
        return AdditiveResidual.exposed(value: f, lower: lower, upNeed: upNeed, downNeed: downNeed, up: up, down: down)
    }

    /// `isExposed`'s verdict from two flows already run, without a flow of its own: `up` and `down` are the
    /// rooms `room(of: k, upTo: upLimit, downTo: downLimit, downCappedByValue: false)` found with no raised
    /// bounds. A flow run to a limit finds min(room, limit), so when both limits reach what `isExposed`
    /// asks for, its own flows would have found exactly these rooms cut down to its limits (and the fall
    /// to the value's own room). nil when a limit falls short of that.
    func isExposed(_ k: Int, requirement r: ProtectionRequirement?, up: Int64?, upLimit: Int64, down: Int64, downLimit: Int64) -> Bool? {
        let f = flow[k]
        let upNeed = r?.upperAtLeast.map { $0 - f }, downNeed = r?.lowerAtMost.map { f - $0 }
        let upAsk = max(1, upNeed ?? 0), downAsk = max(1, downNeed ?? 0)
        guard upLimit >= upAsk, upLimit < FlowNetwork.infinity, downLimit >= downAsk else { return nil }
        let up = up.map { min($0, upAsk) }, down = max(0, min(down, downAsk, f - lower))
        return AdditiveResidual.exposed(value: f, lower: lower, upNeed: upNeed, downNeed: downNeed, up: up, down: down)
    }

    private static func exposed(value f: Int64, lower: Int64, upNeed: Int64?, downNeed: Int64?, up: Int64?, down: Int64) -> Bool {
        if up == 0, down == 0, f > lower { return true }
        if let need = upNeed, let up, up < need { return true }
        if let need = downNeed, down < need { return true }
        return false
    }

    private mutating func reset(closing e: Int) {
        let base = net.capacity
        for i in base.indices { work[i] = base[i] }
        for (x, by) in raised where arc[x] >= 0 { work[arc[x] ^ 1] = max(0, work[arc[x] ^ 1] - by) }
        work[e] = 0; work[e ^ 1] = 0
    }

    /// The value of `k` in the feasible table the network is built around.
    func value(_ k: Int) -> Int64 { flow[k] }
}
