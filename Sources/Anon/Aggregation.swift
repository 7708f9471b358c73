import Schema

/// What the p% rule needs of one counter at one position: the total and the two largest per-member
/// contributions (each member's days summed first, notes §7.1).
public struct DominanceInput: Hashable, Sendable {
    public var total: Int64 = 0
    public var largest: Int64 = 0
    public var second: Int64 = 0
}

/// The weekly tool × model table with both margins and the grand total, built from validated payloads.
///
/// Every position carries distinct members, member-days and exact sums; sums are checked against the
/// 2^53 range of exact JSON integers. Positions with no entry do not exist (they are known zeros).
public struct WeekTable: Sendable {
    public let week: ISOWeek
    public let tools: [String]
    public let models: [String]
    public let values: [Position: MeasureValues]
    /// Indexed like `Measure.counters`.
    public let dominance: [Position: [DominanceInput]]
    public let payloadCount: Int
    public let entryCount: Int

    /// All positions in release order.
    public var positions: [Position] { values.keys.sorted() }

    /// Aggregates payloads of one week.
    /// - Throws: `AnonError` for a negative counter, a repeated (tool, model) in a payload, an empty
    ///   payload, two payloads for one (panelist, date), or a sum beyond 2^53 − 1.
    public init(week: ISOWeek, payloads: [Payload]) throws(AnonError) {
        self.week = week
        var seen = Set<String>()
        // Per position: panelist -> summed counters, and the set of member-days.
        var perMember: [Position: [String: [Int64]]] = [:]
        var memberDays: [Position: Int64] = [:]
        var entries = 0
        for p in payloads {
            let day = p.date.description
            guard seen.insert(p.panelist + "/" + day).inserted else { throw .conflict(panelist: p.panelist, date: day) }
            guard !p.entries.isEmpty else { throw .inconsistentPayload(panelist: p.panelist, date: day, reason: "no entries") }
            var touched = Set<Position>()
            var pairs = Set<String>()
            for e in p.entries {
                guard pairs.insert(e.tool + "\u{0}" + e.model).inserted else {
                    throw .inconsistentPayload(panelist: p.panelist, date: day, reason: "tool \(quoteForMessage(e.tool)) with model \(quoteForMessage(e.model)) appears twice")
                }
                let counters = [e.inputTokens, e.outputTokens, e.cacheReadTokens, e.cacheCreationTokens, e.costCents, e.sessions]
                for (i, v) in counters.enumerated() where v < 0 {
                    throw .negativeValue(panelist: p.panelist, date: day, field: Measure.counters[i].key, value: v)
                }
                entries += 1
                for pos in [Position.cell(tool: e.tool, model: e.model), .tool(e.tool), .model(e.model), .total] {
                    touched.insert(pos)
                    var sums = perMember[pos, default: [:]][p.panelist] ?? Array(repeating: 0, count: 6)
                    for i in 0..<6 { sums[i] = try checkedAdd(sums[i], counters[i], pos.description, Measure.counters[i]) }
                    perMember[pos, default: [:]][p.panelist] = sums
                }
            }
            // A member-day counts once per position however many entries of the payload fall in it.
            for pos in touched { memberDays[pos, default: 0] += 1 }
        }
        var values: [Position: MeasureValues] = [:]
        var dominance: [Position: [DominanceInput]] = [:]
        for (pos, members) in perMember {
            var v = MeasureValues()
            v[.members] = Int64(members.count)
            v[.memberDays] = memberDays[pos, default: 0]
            var dom = Array(repeating: DominanceInput(), count: 6)
            for sums in members.values {
                for i in 0..<6 {
                    let x = sums[i]
                    dom[i].total = try checkedAdd(dom[i].total, x, pos.description, Measure.counters[i])
                    if x > dom[i].largest { dom[i].second = dom[i].largest; dom[i].largest = x } else if x > dom[i].second { dom[i].second = x }
                }
            }
            for (i, m) in Measure.counters.enumerated() { v[m] = dom[i].total }
            values[pos] = v
            dominance[pos] = dom
        }
        self.values = values
        self.dominance = dominance
        self.tools = Set(values.keys.compactMap { if case .tool(let t) = $0 { return t } else { return nil } }).sorted()
        self.models = Set(values.keys.compactMap { if case .model(let m) = $0 { return m } else { return nil } }).sorted()
        self.payloadCount = seen.count
        self.entryCount = entries
    }
}
