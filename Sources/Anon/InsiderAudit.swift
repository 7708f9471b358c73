/// The exact audit of `backpay-attacker/2` (docs/release-format.md §8) for one suppression pattern of the
/// week's true table: what the builder asks before publishing, and what `release audit --rows` checks.
/// A run of lifts (`SecondarySuppression.prune`) asks `InsiderLiftAudit`, which gives the same verdicts.
///
/// - Zeros are known: a suppressed value that is 0 is fixed (its arcs close), so it neither moves nor lets
///   anything else move; empty positions are not in the table at all.
/// - Insiders: a coalition of at most c members raises each suppressed value's lower bound by its own
///   contribution. Each interval end is still one maximum flow, with those capacities lowered.
/// - Coalitions are screened before they are enumerated: lowering capacities by δ in total lowers a maximum
///   flow by at most δ, so when the flow without a coalition exceeds the need by more than the c largest
///   member shares, every coalition passes.
/// - Enumeration reads only members that can fall short: a member's key (its shares where a flow is tight)
///   can pass the slack only with one share above slack / (the number of such positions), so each tight
///   position's members are read largest first down to that share, never all of a week's members.
/// - Counts: the coalition's own counts are over-approximated (every published count lowered by c, and
///   member-days by 7·c); the members upper bound that gives is at most the exact one.
package struct InsiderAudit {
    let table: LinkedTable
    let values: [MeasureValues]
    let counters: [Measure]
    let policy: Policy
    let payloadCount: Int64
    let status: [Int: PrimaryStatus]
    /// One member's positive sum at one position, on one counter.
    private struct Held { var member: Int32; var sum: Int64 }
    /// Every member's records: member m's are `contributions.recordRange(of: m)`, each at table position
    /// `tablePosition[contributions.slot(r)]` (-1 for a position the table does not hold), with six
    /// counter sums.
    private let contributions: MemberContributions
    private let tablePosition: [Int32]
    /// The records at each table position, in member order: position j's are
    /// `atPosition[atPositionStart[j]..<atPositionStart[j + 1]]`. An index, not the sums: only the
    /// suppressed positions are ever read, and on a large week most records are at published ones.
    private let atPosition: [(record: Int32, member: Int32)]
    private let atPositionStart: [Int]
    /// By position, then counter: each member with a positive sum there, largest first (the first member
    /// on ties). Built on first use, from `atPosition`: only suppressed positions are asked for.
    private final class LargestFirst { var byPosition: [[[Held]]?]; init(_ n: Int) { byPosition = Array(repeating: nil, count: n) } }
    private let largestFirst: LargestFirst
    /// By position and counter: the sum of the c largest members' sums there.
    private let topShares: [[Int64]]
    /// Whether the true counts are a solution of every pattern's count relations (they always are for a
    /// table summed from rows); then they answer most of the counts' probes.
    private let countsFit: Bool
    /// Coalitions tried one by one for one (primary, counter) beyond the screen before the value is treated
    /// as exposed (conservative: the builder then suppresses more). Never reached on the weeks measured.
    static let enumerationBudget = 20_000

    package init(table: LinkedTable, values: [MeasureValues], counters: [Measure], policy: Policy, payloadCount: Int64,
         status: [Int: PrimaryStatus], contributions: MemberContributions) {
        self.table = table; self.values = values; self.counters = counters; self.policy = policy
        self.payloadCount = payloadCount; self.status = status
        self.contributions = contributions
        let bySlot = contributions.positionNames.map { table.index[$0].map(Int32.init) ?? -1 }
        tablePosition = bySlot
        let audited = counters.compactMap(\.counterIndex)
        // Two passes, counting then filling, so that each position's records are one slice of `atPosition`,
        // in member order as the records come; the second also keeps the c ≤ 2 largest sums of each
        // (position, counter).
        let p = table.positions.count
        var start = Array(repeating: 0, count: p + 1)
        for r in 0..<contributions.recordCount {
            let j = bySlot[contributions.slot(r)]
            if j >= 0 { start[Int(j) + 1] += 1 }
        }
        for k in 0..<p { start[k + 1] += start[k] }
        var fill = start
        var atPosition = Array(repeating: (record: Int32(0), member: Int32(0)), count: start[p])
        var first = Array(repeating: Int64(0), count: p * 6), second = first
        for member in 0..<contributions.memberCount {
            for r in contributions.recordRange(of: member) {
                let j = Int(bySlot[contributions.slot(r)])
                guard j >= 0 else { continue }
                atPosition[fill[j]] = (Int32(r), Int32(member)); fill[j] += 1
                for i in audited {
                    let v = contributions.sum(r, i)
                    if v > first[j * 6 + i] { second[j * 6 + i] = first[j * 6 + i]; first[j * 6 + i] = v }
                    else if v > second[j * 6 + i] { second[j * 6 + i] = v }
                }
            }
        }
        self.atPosition = atPosition; atPositionStart = start
        largestFirst = LargestFirst(p)
        let c = policy.coalition
        topShares = (0..<p).map { j in (0..<6).map { i in c >= 2 ? first[j * 6 + i] + second[j * 6 + i] : first[j * 6 + i] } }
        countsFit = CountBounds.fits(table, values: values, payloadCount: payloadCount)
    }

    /// The table position of record `r` (-1 for one the table does not hold).
    @inline(__always) private func position(ofRecord r: Int) -> Int { Int(tablePosition[contributions.slot(r)]) }

    /// The members with a positive sum at position `j` on counter `i`, largest first (the first member on
    /// ties).
    private func largestFirst(_ j: Int, _ i: Int) -> [Held] {
        if let sorted = largestFirst.byPosition[j] { return sorted[i] }
        var lists = Array(repeating: [Held](), count: 6)
        let audited = counters.compactMap(\.counterIndex)
        for (r, member) in atPosition[atPositionStart[j]..<atPositionStart[j + 1]] {
            for i in audited {
                let v = contributions.sum(Int(r), i)
                if v > 0 { lists[i].append(Held(member: member, sum: v)) }
            }
        }
        let sorted = lists.map { $0.sorted { ($0.sum, $1.member) > ($1.sum, $0.member) } }
        largestFirst.byPosition[j] = sorted
        return sorted[i]
    }

    var memberCount: Int { contributions.memberCount }

    /// What a suppressed primary's value must leave open against no coalition (zeros known).
    package func requirement(_ t: Int, _ m: Measure, dominance x1: Int64) -> ProtectionRequirement? {
        guard let s = status[t], s.isPrimary else { return nil }
        let v = Int128(values[t][m])
        var r = ProtectionRequirement()
        if s.frequency {
            if m == .members { r.upperAtLeast = Int64(policy.k) }
            else if m.isAdditive {
                let f = Int128(policy.protectionPercent)
                r.lowerAtMost = Int64(clamping: max(Int128(m.attackerLowerBound), floorDiv(v * (100 - f), 100)))
                r.upperAtLeast = Int64(clamping: ceilDiv(v * (100 + f), 100))
            }
        }
        if s.dominance.contains(m) {
            r.upperAtLeast = max(r.upperAtLeast ?? 0, Int64(clamping: ceilDiv(Int128(x1) * Int128(100 + policy.p), 100)))
        }
        if s.homogeneity.contains(m) { r.upperAtLeast = max(r.upperAtLeast ?? 0, values[t][m] + 1) }
        return r.lowerAtMost == nil && r.upperAtLeast == nil ? nil : r
    }

    /// By position and counter: the sum of the c largest members' contributions there, the part of that value
    /// a coalition may know (what the suppression heuristic discounts from a corner's room).
    func insiderShares() -> [[Int64]] { topShares }

    /// The largest contributor's member number and sum at `t` on counter `m` (the first on ties).
    private func largest(_ t: Int, _ m: Measure) -> (member: Int, sum: Int64) {
        guard let h = largestFirst(t, m.counterIndex!).first else { return (-1, 0) }
        return (Int(h.member), h.sum)
    }

    /// Every exposure of the pattern (or only the first, when `firstOnly`).
    package func exposures(suppressed: [Bool], firstOnly: Bool = false) throws(AnonError) -> [Exposure] {
        let sup = suppressed.indices.filter { suppressed[$0] }
        var out: [Exposure] = []
        var scratch = Scratch(memberCount: memberCount)
        for m in counters {
            var audit = try counterAudit(m, sup: sup)
            for x in sup where values[x][m] != 0 {
                if let e = exposure(of: x, &audit, suppressed: suppressed, sup: sup, scratch: &scratch).exposure {
                    out.append(e)
                    if firstOnly { return out }
                }
            }
        }
        out += try countExposures(suppressed: suppressed, firstOnly: firstOnly)
        return firstOnly ? Array(out.prefix(1)) : out
    }

    /// One counter's part of the audit of one pattern: the residual network around the true table, zeros
    /// closed, and what the c widest members can hold of all suppressed values together (no coalition takes
    /// more from a flow, so a flow that clears its need by this much clears it for every coalition).
    struct CounterAudit {
        let measure: Measure
        var residual: AdditiveResidual
        var widest: Int64
    }

    /// - Parameter arcs: the positions given arcs, closed unless suppressed (`sup` when nil). Every position
    ///   lets `InsiderLiftAudit` suppress more later by opening arcs; closed arcs carry no flow, so the
    ///   verdicts are those of a network built on `sup` alone.
    func counterAudit(_ m: Measure, sup: [Int], arcs: [Int]? = nil) throws(AnonError) -> CounterAudit {
        guard var res = AdditiveResidual(table, values: values, suppressed: arcs ?? sup, measure: m) else {
            throw .cannotProtect(position: "table", measure: m.key)
        }
        if let arcs {
            let open = Set(sup)
            for x in arcs where !open.contains(x) { res.setPublished(x, true) }
        }
        for x in sup where values[x][m] == 0 { res.setPublished(x, true) }
        let ci = m.counterIndex!
        let widest = sup.reduce(Int64(0)) { values[$1][m] != 0 ? $0 + topShares[$1][ci] : $0 }
        return CounterAudit(measure: m, residual: res, widest: widest)
    }

    /// The part of the c widest members' shares that suppressed position `x` adds to `CounterAudit.widest`.
    func widestShare(_ x: Int, _ m: Measure) -> Int64 { values[x][m] != 0 ? topShares[x][m.counterIndex!] : 0 }

    /// The check of suppressed value `x` (non-zero on the counter): its exposure, or nil.
    /// `flowsAlone` tells whether a pass rests on flows alone: then, with `residual.moved` set, the positions
    /// those flows moved are all it rests on. It does when the coalitions' screen decides, and when every
    /// coalition was decided by the screen's flows or a flow of its own (c = 1). With c = 2 a pass also rests
    /// on the enumeration staying within `enumerationBudget`, which another pattern may not.
    func exposure(of x: Int, _ audit: inout CounterAudit, suppressed: [Bool], sup: [Int],
                  scratch: inout Scratch) -> (exposure: Exposure?, flowsAlone: Bool) {
        let m = audit.measure, ci = m.counterIndex!
        // Only a primary's requirement reads its largest contributor (a complement may have thousands of members).
        let x1 = status[x]?.isPrimary == true ? largest(x, m) : (member: -1, sum: Int64(0))
        let req = requirement(x, m, dominance: x1.sum)
        guard let s = status[x], s.frequency || s.dominance.contains(m) else {
            if audit.residual.isExposed(x, requirement: req) { return (outsideExposure(x, m, req, &audit.residual), false) }
            return (nil, true)
        }
        // A member's own sums at the suppressed, non-zero values of this counter.
        let held = { (member: Int) -> [(position: Int, by: Int64)] in
            self.contributions.recordRange(of: member).compactMap { r in
                let j = self.position(ofRecord: r), v = self.contributions.sum(r, ci)
                return j >= 0 && suppressed[j] && self.values[j][m] != 0 && v > 0 ? (j, v) : nil
            }
        }
        var screened = false
        let e = coalitionExposure(x, m, &audit.residual, sup: sup, largest: x1, requirement: req, held: held,
                                  widest: audit.widest, scratch: &scratch, screened: &screened)
        return (e, e == nil && (screened || policy.coalition == 1))
    }

    /// The exposure of suppressed value `x` to the outside attacker (no coalition), with its interval.
    private func outsideExposure(_ x: Int, _ m: Measure, _ req: ProtectionRequirement?, _ res: inout AdditiveResidual) -> Exposure {
        let iv = res.interval(of: x)
        // Exposed without a requirement (or with one met) means derived exactly.
        let kind: Exposure.Kind = (iv.isExact && iv.lo > m.attackerLowerBound) || req == nil ? .exact : .underProtected(req!)
        return Exposure(position: table.positions[x], measure: m, interval: iv, kind: kind)
    }

    /// Per member and per position, reused by every value of a pattern: which members and sources the
    /// current search has seen (`mark == stamp`).
    struct Scratch {
        var mark: [UInt32]
        var source: [UInt32] = []
        var stamp: UInt32 = 0
        init(memberCount: Int) { mark = Array(repeating: 0, count: memberCount) }
    }

    /// Every member whose key, the sum of its own values at `sources` on counter `ci`, is above `tau` ≥ 0 (a
    /// superset: members with one value above tau / sources.count), with their keys.
    private func keys(above tau: Int64, sources: [Int], counter ci: Int, scratch: inout Scratch) -> [(member: Int, key: Int64)] {
        guard !sources.isEmpty else { return [] }
        if scratch.source.count < table.positions.count { scratch.source = Array(repeating: 0, count: table.positions.count) }
        if scratch.stamp == UInt32.max {
            for i in scratch.mark.indices { scratch.mark[i] = 0 }
            for i in scratch.source.indices { scratch.source[i] = 0 }
            scratch.stamp = 0
        }
        scratch.stamp += 1
        let stamp = scratch.stamp
        for j in sources { scratch.source[j] = stamp }
        let term = max(0, tau) / Int64(sources.count)
        var out: [(member: Int, key: Int64)] = []
        for j in sources {
            for h in largestFirst(j, ci) {
                if h.sum <= term { break }
                let member = Int(h.member)
                guard scratch.mark[member] != stamp else { continue }
                scratch.mark[member] = stamp
                var key: Int64 = 0
                for r in contributions.recordRange(of: member) {
                    let j = position(ofRecord: r)
                    if j >= 0, scratch.source[j] == stamp { key += contributions.sum(r, ci) }
                }
                if key > 0 { out.append((member, key)) }
            }
        }
        return out
    }

    /// One member's shares of the other suppressed values and of `t` itself, on counter `m`.
    private struct Share { var member: Int; var atTarget: Int64 = 0; var elsewhere: Int64 = 0 }

    /// The check of primary `t` on `m` against the outside attacker (`requirement`), then against every
    /// coalition of at most c members: the first exposure found, or nil. Both rest on the same two flows
    /// first: the screen's limits reach past the outside check's, so its verdict is read off them
    /// (`AdditiveResidual.isExposed(_:requirement:up:upLimit:down:downLimit:)`) instead of being run again.
    private func coalitionExposure(_ t: Int, _ m: Measure, _ res: inout AdditiveResidual, sup: [Int],
                                   largest x1: (member: Int, sum: Int64), requirement req: ProtectionRequirement?,
                                   held: (Int) -> [(position: Int, by: Int64)], widest: Int64, scratch: inout Scratch,
                                   screened: inout Bool) -> Exposure? {
        let s = status[t]!
        let xt = values[t][m], ell = m.attackerLowerBound
        let f = Int128(policy.protectionPercent), p = Int128(policy.p)
        // Needs as room above and below x_t, for a coalition holding `a` of t and the largest or not.
        func needs(a: Int64, holdsLargest: Bool) -> (up: Int64, down: Int64) {
            let rest = Int128(xt - a)
            var up = Int128(0), down = Int128(0)
            if s.frequency, rest > 0 {
                up = ceilDiv(rest * (100 + f), 100) - rest
                down = Int128(xt) - max(Int128(ell), Int128(a) + floorDiv(rest * (100 - f), 100))
            }
            if s.dominance.contains(m), !holdsLargest {
                up = max(up, ceilDiv(Int128(x1.sum) * (100 + p), 100) - rest)
            }
            return (Int64(clamping: up), Int64(clamping: max(0, down)))
        }
        // The screen: the worst need over all coalitions plus the widest shares, against the flows of none.
        let dominated = s.dominance.contains(m)
        let c = policy.coalition
        let base = needs(a: 0, holdsLargest: false)
        let baseUp = dominated ? max(base.up, Int64(clamping: ceilDiv(Int128(x1.sum) * (100 + p), 100) - Int128(xt))) : base.up
        res.raised = []
        // The fall is screened on the flow alone: the value's own room above its bound, x_t − max(ℓ, a), always
        // covers the need (release-format.md §8.2), whatever the coalition holds of it.
        let heldPositions = sup.filter { values[$0][m] != 0 && $0 != t }.map { ($0, 0) }
        // Each direction on its own, so that its residual network is kept: a coalition that lowers capacities
        // by δ_j loses at most Σ max(0, δ_j − residual_j) of that flow (cancel one unit of path per unit of
        // overflow), which decides most coalitions without a flow of their own.
        let upLimit = min(FlowNetwork.infinity - 1, baseUp + widest), downLimit = min(FlowNetwork.infinity - 1, base.down + widest)
        let upFlow = res.room(of: t, upTo: upLimit, downTo: 0).up
        var upResidual = Array(repeating: Int64(0), count: table.positions.count), downResidual = upResidual
        if upFlow != nil { for (j, _) in heldPositions { upResidual[j] = res.reverseResidual(j) } }
        let downFlow = res.room(of: t, upTo: 0, downTo: downLimit, downCappedByValue: false).down
        for (j, _) in heldPositions { downResidual[j] = res.reverseResidual(j) }
        let free = (up: upFlow, down: downFlow)
        if res.isExposed(t, requirement: req, up: free.up, upLimit: upLimit, down: free.down, downLimit: downLimit)
            ?? res.isExposed(t, requirement: req) {
            return outsideExposure(t, m, req, &res)
        }
        let upOK = free.up.map { $0 >= baseUp + widest } ?? true
        if upOK, free.down >= base.down + widest { screened = true; return nil }
        // Tight positions: where the c widest members hold more than a flow's residual. Elsewhere no coalition
        // takes anything from that flow, so a member's shares at tight positions (and at t, which raises a
        // p% need) bound what it can do (its key), and only members of tight positions or of t are candidates.
        let ci = m.counterIndex!
        var upTight: [Int] = [], downTight: [Int] = []
        for (j, _) in heldPositions {
            if free.up != nil, topShares[j][ci] > upResidual[j] { upTight.append(j) }
            if topShares[j][ci] > downResidual[j] { downTight.append(j) }
        }
        // A member's own sum at t, from its records (a member has one record per position).
        let atTarget = { (member: Int) -> Int64 in
            var a: Int64 = 0
            for r in self.contributions.recordRange(of: member) where self.position(ofRecord: r) == t { a += self.contributions.sum(r, ci) }
            return a
        }
        func share(_ member: Int) -> Share { Share(member: member, atTarget: atTarget(member), elsewhere: 0) }
        // One by one: every coalition of at most c members that holds a share somewhere. A member with no
        // share changes nothing, so the coalitions below are all that can differ from "none" (done above).
        var tried = 0
        var worstFound: Exposure? = nil
        func check(_ members: [Share]) -> Bool {
            var raise = held(members[0].member)
            if members.count > 1 {
                for (j, by) in held(members[1].member) {
                    if let i = raise.firstIndex(where: { $0.position == j }) { raise[i].by += by } else { raise.append((j, by)) }
                }
            }
            let a = members.reduce(Int64(0)) { $0 + $1.atTarget }
            let need = needs(a: a, holdsLargest: members.contains { $0.member == x1.member })
            // The bound first: what the coalition's raised lower bounds can take from the flows found above.
            var lossUp: Int64 = 0, lossDown: Int64 = 0
            for (j, amount) in raise where j != t {
                let by = max(0, max(ell, amount) - ell)
                lossUp += max(0, by - upResidual[j]); lossDown += max(0, by - downResidual[j])
            }
            if free.up.map({ $0 - lossUp >= need.up }) ?? true, free.down - lossDown >= need.down { return false }
            tried += 1
            res.raised = raise.map { (position: $0.position, by: max(0, max(ell, $0.by) - ell)) }
            let (up, down) = res.room(of: t, upTo: max(1, need.up), downTo: max(1, need.down))
            let short = (up.map { $0 < need.up } ?? false) || down < need.down
            if short {
                let iv = res.interval(of: t)
                let req = ProtectionRequirement(lowerAtMost: need.down > 0 ? xt - need.down : nil, upperAtLeast: need.up > 0 ? xt + need.up : nil)
                worstFound = Exposure(position: table.positions[t], measure: m, interval: iv, kind: .underProtected(req), coalition: members.count)
            }
            res.raised = []
            return short
        }
        // Only coalitions whose bounded shares exceed the slack the flows left can fall short.
        let slackUp = free.up.map { $0 - baseUp } ?? Int64.max
        let slackDown = free.down - base.down
        var seen = Set<[Int]>()
        for (up, slack) in [(true, slackUp), (false, slackDown)] {
            // Only members whose key can reach past the slack (alone, or with the widest other) are ranked.
            // The keys are sums over `sources`, so a key above τ has a term above τ / sources.count: members
            // are read from each source's largest down only that far (`own` is sorted), never all of them.
            let tight = up ? upTight : downTight
            let sources = up && dominated ? tight + [t] : tight
            var keyed = keys(above: slack, sources: sources, counter: ci, scratch: &scratch)
            var widestKey = keyed.reduce(Int64(0)) { max($0, $1.key) }
            if c >= 2 {
                // The floor is slack − the widest key over every member: lower τ until the widest key is known
                // (above τ, or τ = 0) and every key above the floor is above τ too.
                var tau = slack
                while !((widestKey > tau || tau == 0) && (slack - widestKey >= tau || tau == 0)) {
                    tau = widestKey > tau ? max(0, slack - widestKey) : tau / 2
                    keyed = keys(above: tau, sources: sources, counter: ci, scratch: &scratch)
                    widestKey = keyed.reduce(Int64(0)) { max($0, $1.key) }
                }
            }
            let floor = c >= 2 ? slack - widestKey : slack
            let order = keyed.filter { $0.key > floor }.sorted { ($0.key, $0.member) > ($1.key, $1.member) }
            for (i, a) in order.enumerated() {
                if a.key <= (c >= 2 ? slack / 2 : slack) { break }
                if a.key > slack, seen.insert([a.member]).inserted, check([share(a.member)]) { return worstFound }
                guard c >= 2 else { continue }
                for b in order[(i + 1)...] {
                    if a.key + b.key <= slack { break }
                    if seen.insert([a.member, b.member].sorted()).inserted, check([share(a.member), share(b.member)]) { return worstFound }
                    if tried > InsiderAudit.enumerationBudget {
                        return Exposure(position: table.positions[t], measure: m, interval: res.interval(of: t),
                                        kind: .underProtected(ProtectionRequirement(lowerAtMost: nil, upperAtLeast: xt + baseUp)), coalition: c)
                    }
                }
            }
        }
        return nil
    }

    /// The outside attacker's intervals (zeros known, no coalition) of every suppressed value, by position.
    package func intervals(suppressed: [Bool]) throws(AnonError) -> [Int: [(Measure, Interval)]] {
        let sup = suppressed.indices.filter { suppressed[$0] }
        var out: [Int: [(Measure, Interval)]] = [:]
        let published = PublishedTable(table: table, values: values.indices.map { suppressed[$0] ? nil : values[$0] },
                                       payloadCount: payloadCount, counters: counters)
        guard let counts = try CountBounds(published).intervals() else { throw .cannotProtect(position: "table", measure: Measure.members.key) }
        for x in sup { out[x] = Measure.counts.compactMap { m in counts[x]?[m].map { (m, $0) } } }
        for m in counters {
            guard var res = AdditiveResidual(table, values: values, suppressed: sup, measure: m) else { throw .cannotProtect(position: "table", measure: m.key) }
            for x in sup where values[x][m] == 0 { res.setPublished(x, true) }
            for x in sup { out[x]!.append((m, values[x][m] == 0 ? Interval(lo: 0, hi: 0) : res.interval(of: x))) }
        }
        return out
    }

    /// Member counts: the release and the zeros (every listed position non-empty), then the coalitions'
    /// members upper bound of each frequency primary.
    func countExposures(suppressed: [Bool], firstOnly: Bool) throws(AnonError) -> [Exposure] {
        let published = PublishedTable(table: table, values: values.indices.map { suppressed[$0] ? nil : values[$0] },
                                       payloadCount: payloadCount, counters: counters)
        var reqs: [Int: [Measure: ProtectionRequirement]] = [:]
        for x in published.suppressed {
            for m in Measure.counts { if let r = requirement(x, m, dominance: 0) { reqs[x, default: [:]][m] = r } }
        }
        var out: [Exposure] = []
        let counts = CountBounds(published)
        guard let top = try counts.greatest() else { throw .cannotProtect(position: "table", measure: Measure.members.key) }
        for (v, (x, m)) in counts.variables.enumerated() where try counts.isExposed(v, top: top, k: policy.k, requirement: reqs[x]?[m], known: countsFit ? values[x][m] : nil) {
            let iv = try counts.interval(v, top: top)
            let kind: Exposure.Kind
            if m == .members, let hi = iv.hi, hi < Int64(policy.k) { kind = .membersBelowK(k: policy.k) }
            else if let r = reqs[x]?[m] { kind = .underProtected(r) } else { kind = .exact }
            out.append(Exposure(position: table.positions[x], measure: m, interval: iv, kind: kind))
            if firstOnly { return out }
        }
        let c = Int64(policy.coalition)
        let coalition = CountBounds(published, lowered: (c, 7 * c))
        let upper = try coalition.upperBoundsOnly()
        for (v, (x, m)) in coalition.variables.enumerated() where m == .members && status[x]?.frequency == true {
            if upper[v] < Int64(policy.k) {
                out.append(Exposure(position: table.positions[x], measure: m, interval: Interval(lo: 0, hi: upper[v]),
                                    kind: .membersBelowK(k: policy.k), coalition: policy.coalition))
                if firstOnly { return out }
            }
        }
        return out
    }
}
