import Core

/// What the p% rule needs of one counter at one position: the total and the three largest per-member
/// contributions (each member's days summed first). The third is what a coalition of two adds
/// (`backpay-attacker/2`).
public struct DominanceInput: Hashable, Sendable {
    public var total: Int64 = 0
    public var largest: Int64 = 0
    public var second: Int64 = 0
    public var third: Int64 = 0

    package init(total: Int64 = 0, largest: Int64 = 0, second: Int64 = 0, third: Int64 = 0) {
        self.total = total; self.largest = largest; self.second = second; self.third = third
    }

    /// Adds one member's contribution.
    @inlinable package mutating func add(_ x: Int64, _ position: @autoclosure () -> String, _ m: Measure) throws(AnonError) {
        total = try checkedAdd(total, x, position(), m)
        if x > largest { third = second; second = largest; largest = x }
        else if x > second { third = second; second = x }
        else if x > third { third = x }
    }
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
    /// Every member's own sums (`backpay-attacker/2`'s insiders); empty unless asked for.
    public let contributions: MemberContributions
    /// The words the table was read with: the payload schema's vocabularies when read by `WeekIntake`,
    /// else the words seen. A format-2 release lists every pair of them.
    public let vocabulary: (tools: [String], models: [String])

    /// All positions in release order.
    public var positions: [Position] { values.keys.sorted() }

    package init(week: ISOWeek, values: [Position: MeasureValues], dominance: [Position: [DominanceInput]], payloadCount: Int, entryCount: Int,
         contributions: MemberContributions = MemberContributions(), vocabulary: (tools: [String], models: [String])? = nil) {
        self.week = week
        self.values = values
        self.dominance = dominance
        self.tools = Set(values.keys.compactMap { if case .tool(let t) = $0 { return t } else { return nil } }).sorted()
        self.models = Set(values.keys.compactMap { if case .model(let m) = $0 { return m } else { return nil } }).sorted()
        self.payloadCount = payloadCount
        self.entryCount = entryCount
        self.contributions = contributions
        self.vocabulary = vocabulary.map { (Set($0.tools).sorted(), Set($0.models).sorted()) } ?? (tools, models)
    }
}
