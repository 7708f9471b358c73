import Anon
import Core
import Schema

extension WeekTable {
    /// Aggregates payloads of one week.
    /// - Throws: `AnonError` for a negative counter, a repeated (tool, model) in a payload, an empty
    ///   payload, two payloads for one (panelist, date), or a sum beyond 2^53 − 1.
    public init(week: ISOWeek, payloads: [Payload]) throws(AnonError) {
        // Vocabularies are short (tens of words): a linear scan with String's identity fast path.
        var tools: [String] = [], models: [String] = []
        for p in payloads { for e in p.entries { _ = Self.intern(e.tool, &tools); _ = Self.intern(e.model, &models) } }
        var acc = WeekAccumulator(tools: tools, models: models)
        acc.keepContributions = true
        var memberIndex: [String: Int] = [:]
        var seen = Set<Int>()
        var entries: [PayloadDecoder.Entry] = []
        for p in payloads {
            let member: Int
            if let m = memberIndex[p.panelist] { member = m } else { member = memberIndex.count; memberIndex[p.panelist] = member }
            guard seen.insert(member << 24 | (p.date.daysSinceEpoch & 0xFF_FFFF)).inserted else {
                throw .conflict(panelist: p.panelist, date: p.date.description)
            }
            entries.removeAll(keepingCapacity: true)
            for e in p.entries {
                entries.append(PayloadDecoder.Entry(tool: Int32(Self.intern(e.tool, &tools)), model: Int32(Self.intern(e.model, &models)),
                                                    counters: [e.inputTokens, e.outputTokens, e.cacheReadTokens, e.cacheCreationTokens, e.costCents, e.sessions]))
            }
            try acc.add(member: member, entries: entries, sign: 1, payload: (p.panelist, p.date))
        }
        self = try acc.table(week: week)
    }

    @inline(__always)
    package static func intern(_ word: String, _ names: inout [String]) -> Int {
        for i in names.indices where names[i] == word { return i }
        names.append(word)
        return names.count - 1
    }
}

/// The week's sums, built one payload at a time: the release builder feeds it while it reads, so no
/// payload is held once it has been counted.
///
/// For each member it keeps one record per cell the member used (a linked list per member: a member uses
/// a handful of cells, so walking the list beats hashing). Margins are not stored per member: they are
/// sums of the member's cells, folded at the end, which is also where distinct members and the p% rule's
/// per-member contributions come from. Member-days are counted as payloads arrive, since a day with two
/// models of one tool counts once for that tool. A payload can be taken out again (`sign` −1) when it
/// turns out to conflict with another.
package struct WeekAccumulator {
    /// One member's sums in one cell.
    package struct MemberCell: BitwiseCopyable {
        package var next: Int32
        package var cell: Int32
        /// Member-days in this cell; back at 0 when every payload that added to it was taken out.
        package var days: Int32
        package var sums: InlineArray<6, Int64>
    }

    package let tools: [String]
    package let models: [String]
    package let positionCount: Int
    private var heads: [Int32] = []
    private let cells = PagedArray<MemberCell>()
    private var memberDays: [Int64]
    private var toolStamp: [Int], modelStamp: [Int]
    private var serial = 0
    /// The first cell and counter whose per-member sum left 64 bits (reported by `table`).
    private var overflowAt: (cell: Int, counter: Int)? = nil
    private(set) var payloadCount = 0
    private(set) var entryCount = 0
    /// Whether `table` also returns every member's own sums (memory: one record per member and position).
    package var keepContributions = false

    /// Cells are `tool × models.count + model`, then tool margins, model margins and the total.
    package init(tools: [String], models: [String]) {
        self.tools = tools
        self.models = models
        positionCount = tools.count * models.count + tools.count + models.count + 1
        memberDays = [Int64](repeating: 0, count: positionCount)
        toolStamp = [Int](repeating: -1, count: tools.count)
        modelStamp = [Int](repeating: -1, count: models.count)
    }

    /// Adds (`sign` 1) or takes out (−1) one payload of `member`; `payload` names it in errors.
    package mutating func add(member: Int, entries: [PayloadDecoder.Entry], sign: Int64, payload: @autoclosure () -> (String, CalendarDay)) throws(AnonError) {
        try entries.withUnsafeBufferPointer { e throws(AnonError) in try add(member: member, entries: e, sign: sign, payload: payload()) }
    }

    package mutating func add(member: Int, entries: UnsafeBufferPointer<PayloadDecoder.Entry>, sign: Int64,
                      payload: @autoclosure () -> (String, CalendarDay)) throws(AnonError) {
        guard !entries.isEmpty else {
            let (p, d) = payload()
            throw .inconsistentPayload(panelist: p, date: d.description, reason: "no entries")
        }
        // Checked in full before anything is counted, so a refused payload leaves no trace.
        for (k, e) in entries.enumerated() {
            for j in 0..<k where entries[j].tool == e.tool && entries[j].model == e.model {
                let (p, d) = payload()
                throw .inconsistentPayload(panelist: p, date: d.description,
                                           reason: "tool \(quoteForMessage(tools[Int(e.tool)])) with model \(quoteForMessage(models[Int(e.model)])) appears twice")
            }
            for i in 0..<6 where e.counters[i] < 0 {
                let (p, d) = payload()
                throw .negativeValue(panelist: p, date: d.description, field: Measure.counters[i].key, value: e.counters[i])
            }
        }
        while heads.count <= member { heads.append(-1) }
        let nt = tools.count, nm = models.count
        serial += 1
        for e in entries {
            let t = Int(e.tool), m = Int(e.model)
            let cell = t * nm + m
            memberDays[cell] += sign
            if toolStamp[t] != serial { toolStamp[t] = serial; memberDays[nt * nm + t] += sign }
            if modelStamp[m] != serial { modelStamp[m] = serial; memberDays[nt * nm + nt + m] += sign }
            var c = Int(heads[member])
            while c >= 0 && cells[c].cell != cell { c = Int(cells[c].next) }
            if c < 0 {
                c = cells.count
                cells.append(MemberCell(next: heads[member], cell: Int32(cell), days: 0, sums: InlineArray(repeating: 0)))
                heads[member] = Int32(c)
            }
            let r = cells.pointer(c)
            r.pointee.days += Int32(sign)
            for i in 0..<6 {
                let (s, o) = r.pointee.sums[i].addingReportingOverflow(sign &* e.counters[i])
                r.pointee.sums[i] = s
                if o, overflowAt == nil { overflowAt = (cell, i) }
            }
        }
        memberDays[positionCount - 1] += sign
        payloadCount += Int(sign)
        entryCount += Int(sign) * entries.count
    }

    /// The position of an index (cells, then tool margins, model margins, total).
    package func position(_ i: Int) -> Position {
        let nt = tools.count, nm = models.count
        if i < nt * nm { return .cell(tool: tools[i / nm], model: models[i % nm]) }
        if i < nt * nm + nt { return .tool(tools[i - nt * nm]) }
        if i < nt * nm + nt + nm { return .model(models[i - nt * nm - nt]) }
        return .total
    }

    /// Folds every member's cells into the table: distinct members, sums and the p% inputs of every cell,
    /// margin and the total.
    package func table(week: ISOWeek) throws(AnonError) -> WeekTable {
        if let (cell, i) = overflowAt { throw .overflow(position: position(cell).description, measure: Measure.counters[i].key) }
        let nt = tools.count, nm = models.count
        var members = [Int64](repeating: 0, count: positionCount)
        var dom = [DominanceInput](repeating: DominanceInput(), count: positionCount * 6)
        // One member's margin sums, and which margins it touched.
        var margin = [Int64](repeating: 0, count: (nt + nm + 1) * 6)
        var touched: [Int] = []
        var own = MemberContributions.Builder(keep: keepContributions)
        // A record per cell a member used, and one per margin it touched: at most three per cell (a member
        // of one cell has four records). Reserving for that many touches no page it does not use, and
        // the arrays are never copied as they grow (growing them was a twentieth of a format-2 build).
        if keepContributions { own.reserve(records: 4 * cells.count) }
        // Read once: Measure lives in Anon, and a global read across modules is not hoisted out of the loops.
        let counters = Measure.counters
        for head in heads {
            // Guarded here: the builder lives in Anon, and a call across the module per record costs even when it keeps nothing.
            if keepContributions { own.startMember() }
            var c = Int(head)
            while c >= 0 {
                let r = cells[c]
                c = Int(r.next)
                guard r.days > 0 else { continue }
                let cell = Int(r.cell)
                members[cell] += 1
                // The cell's tool margin, model margin and the total, as offsets past the cells.
                let slots: InlineArray<3, Int> = [cell / nm, nt + cell % nm, nt + nm]
                for q in 0..<3 {
                    let slot = slots[q], pos = nt * nm + slot
                    if !touched.contains(pos) { touched.append(pos) }
                    for i in 0..<6 { margin[slot * 6 + i] = try checkedAdd(margin[slot * 6 + i], r.sums[i], position(pos).description, counters[i]) }
                }
                for i in 0..<6 { try dom[cell * 6 + i].add(r.sums[i], position(cell).description, counters[i]) }
                if keepContributions { own.add(position: cell, sums: r.sums) }
            }
            for pos in touched {
                let slot = pos - nt * nm
                members[pos] += 1
                var sums = InlineArray<6, Int64>(repeating: 0)
                for i in 0..<6 {
                    try dom[pos * 6 + i].add(margin[slot * 6 + i], position(pos).description, counters[i])
                    sums[i] = margin[slot * 6 + i]
                    margin[slot * 6 + i] = 0
                }
                if keepContributions { own.add(position: pos, sums: sums) }
            }
            touched.removeAll(keepingCapacity: true)
        }
        var values: [Position: MeasureValues] = [:]
        var dominance: [Position: [DominanceInput]] = [:]
        for pos in 0..<positionCount where members[pos] > 0 {
            let position = position(pos)
            var v = MeasureValues()
            v[.members] = members[pos]
            v[.memberDays] = memberDays[pos]
            let d = Array(dom[(pos * 6)..<(pos * 6 + 6)])
            for (i, m) in Measure.counters.enumerated() { v[m] = d[i].total }
            values[position] = v
            dominance[position] = d
        }
        return WeekTable(week: week, values: values, dominance: dominance, payloadCount: payloadCount, entryCount: entryCount,
                         contributions: own.finish(positions: (0..<positionCount).map(position)), vocabulary: (tools, models))
    }
}
