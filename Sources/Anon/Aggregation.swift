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
        // Positions, members and (member, position) pairs are interned to integers, so the pass over the
        // entries does integer hashing only: cells are tool × model, then tool margins, model margins, total.
        // Vocabularies are short (tens of words) and decoded payloads share the words' storage, so a linear
        // scan with String's identity fast path beats hashing each word.
        var toolNames: [String] = [], modelNames: [String] = []
        for p in payloads {
            for e in p.entries {
                _ = Self.intern(e.tool, &toolNames)
                _ = Self.intern(e.model, &modelNames)
            }
        }
        let nt = toolNames.count, nm = modelNames.count
        let positionCount = nt * nm + nt + nm + 1
        var memberIndex: [String: Int] = [:]
        memberIndex.reserveCapacity(payloads.count / 2)
        var seen = Set<Int>()
        seen.reserveCapacity(payloads.count)
        // (member × positionCount + position) -> index of its six summed counters in `sums`.
        var pairIndex: [Int: Int32] = [:]
        pairIndex.reserveCapacity(payloads.count * 3)
        var sums: [Int64] = []
        sums.reserveCapacity(payloads.count * 18)
        var members = [Int64](repeating: 0, count: positionCount)
        var memberDays = [Int64](repeating: 0, count: positionCount)
        var touchedStamp = [Int](repeating: -1, count: positionCount)
        var entries = 0
        for (n, p) in payloads.enumerated() {
            let member: Int
            if let m = memberIndex[p.panelist] { member = m } else { member = memberIndex.count; memberIndex[p.panelist] = member }
            guard seen.insert(member << 24 | (p.date.daysSinceEpoch & 0xFF_FFFF)).inserted else {
                throw .conflict(panelist: p.panelist, date: p.date.description)
            }
            guard !p.entries.isEmpty else { throw .inconsistentPayload(panelist: p.panelist, date: p.date.description, reason: "no entries") }
            for (k, e) in p.entries.enumerated() {
                for f in p.entries[..<k] where f.tool == e.tool && f.model == e.model {
                    throw .inconsistentPayload(panelist: p.panelist, date: p.date.description, reason: "tool \(quoteForMessage(e.tool)) with model \(quoteForMessage(e.model)) appears twice")
                }
                let values: InlineArray<6, Int64> = [e.inputTokens, e.outputTokens, e.cacheReadTokens, e.cacheCreationTokens, e.costCents, e.sessions]
                for i in 0..<6 where values[i] < 0 {
                    let v = values[i]
                    throw .negativeValue(panelist: p.panelist, date: p.date.description, field: Measure.counters[i].key, value: v)
                }
                entries += 1
                let t = Self.intern(e.tool, &toolNames), m = Self.intern(e.model, &modelNames)
                let positions: InlineArray<4, Int> = [t * nm + m, nt * nm + t, nt * nm + nt + m, positionCount - 1]
                for q in 0..<4 {
                    let pos = positions[q]
                    // A member-day counts once per position however many entries of the payload fall in it.
                    if touchedStamp[pos] != n { touchedStamp[pos] = n; memberDays[pos] += 1 }
                    let key = member * positionCount + pos
                    let base: Int
                    if let i = pairIndex[key] { base = Int(i) * 6 } else {
                        base = sums.count
                        pairIndex[key] = Int32(base / 6)
                        sums.append(contentsOf: repeatElement(0, count: 6))
                        members[pos] += 1
                    }
                    for i in 0..<6 {
                        sums[base + i] = try checkedAdd(sums[base + i], values[i], Self.position(pos, toolNames, modelNames).description, Measure.counters[i])
                    }
                }
            }
        }
        var dom = [DominanceInput](repeating: DominanceInput(), count: positionCount * 6)
        for (key, slot) in pairIndex {
            let pos = key % positionCount
            for i in 0..<6 {
                let x = sums[Int(slot) * 6 + i]
                var d = dom[pos * 6 + i]
                d.total = try checkedAdd(d.total, x, Self.position(pos, toolNames, modelNames).description, Measure.counters[i])
                if x > d.largest { d.second = d.largest; d.largest = x } else if x > d.second { d.second = x }
                dom[pos * 6 + i] = d
            }
        }
        var values: [Position: MeasureValues] = [:]
        var dominance: [Position: [DominanceInput]] = [:]
        for pos in 0..<positionCount where members[pos] > 0 {
            let position = Self.position(pos, toolNames, modelNames)
            var v = MeasureValues()
            v[.members] = members[pos]
            v[.memberDays] = memberDays[pos]
            let d = Array(dom[(pos * 6)..<(pos * 6 + 6)])
            for (i, m) in Measure.counters.enumerated() { v[m] = d[i].total }
            values[position] = v
            dominance[position] = d
        }
        let payloadCount = seen.count
        self.values = values
        self.dominance = dominance
        self.tools = Set(values.keys.compactMap { if case .tool(let t) = $0 { return t } else { return nil } }).sorted()
        self.models = Set(values.keys.compactMap { if case .model(let m) = $0 { return m } else { return nil } }).sorted()
        self.payloadCount = payloadCount
        self.entryCount = entries
    }

    @inline(__always)
    static func intern(_ word: String, _ names: inout [String]) -> Int {
        for i in names.indices where names[i] == word { return i }
        names.append(word)
        return names.count - 1
    }

    /// The position of an interned index (cells, then tool margins, model margins, total).
    static func position(_ i: Int, _ tools: [String], _ models: [String]) -> Position {
        let nt = tools.count, nm = models.count
        if i < nt * nm { return .cell(tool: tools[i / nm], model: models[i % nm]) }
        if i < nt * nm + nt { return .tool(tools[i - nt * nm]) }
        if i < nt * nm + nt + nm { return .model(models[i - nt * nm - nt]) }
        return .total
    }
}
