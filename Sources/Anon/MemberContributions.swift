/// Every member's own sums at every position they contribute to: what an insider of `backpay-attacker/2`
/// knows. Members are numbered densely; their names are not kept (the audit needs who is who, not who is who
/// by name).
public struct MemberContributions: Sendable {
    /// Member m's records are `start[m]..<start[m + 1]`.
    private var start: [Int] = [0]
    private var position: [Position] = []
    /// Six counters a record, in the order of `Measure.counters`.
    private var sums: [Int64] = []

    public init() {}

    public var memberCount: Int { start.count - 1 }
    public var isEmpty: Bool { position.isEmpty }

    /// One member's contribution at one position.
    public struct Record: Sendable {
        public let member: Int
        public let position: Position
        public let counters: [Int64]

        public subscript(_ m: Measure) -> Int64 { m.counterIndex.map { counters[$0] } ?? 0 }
    }

    /// The records of member `m`.
    public func records(of m: Int) -> [Record] {
        (start[m]..<start[m + 1]).map { Record(member: m, position: position[$0], counters: Array(sums[($0 * 6)..<($0 * 6 + 6)])) }
    }

    /// Every record, grouped by position index of `table` (positions the table does not hold are dropped).
    package func byPosition(_ table: LinkedTable) -> [[Record]] {
        var out = Array(repeating: [Record](), count: table.positions.count)
        for m in 0..<memberCount {
            for r in records(of: m) { if let i = table.index[r.position] { out[i].append(r) } }
        }
        return out
    }

    /// Built while the week's sums are folded, one member at a time.
    package struct Builder {
        package let keep: Bool
        private var out = MemberContributions()
        private var accumulatorPositions: [Int32] = []
        private var started = false

        package init(keep: Bool) { self.keep = keep }

        /// Closes the previous member's records (an empty range is dropped in `finish`).
        package mutating func startMember() {
            guard keep else { return }
            if started { out.start.append(out.position.count) }
            started = true
        }

        package mutating func add(position p: Int, sums s: InlineArray<6, Int64>) {
            guard keep else { return }
            accumulatorPositions.append(Int32(p))
            out.position.append(.total)   // named in `finish`
            for i in 0..<6 { out.sums.append(s[i]) }
        }

        /// Names the positions (accumulator index → position) and closes the last member.
        package mutating func finish(positions names: [Position]) -> MemberContributions {
            guard keep else { return MemberContributions() }
            for (i, p) in accumulatorPositions.enumerated() { out.position[i] = names[Int(p)] }
            if started { out.start.append(out.position.count) }
            // Members with no record (every payload taken out) leave no empty range behind.
            var dense = [0]
            for i in 1..<out.start.count where out.start[i] != dense.last! { dense.append(out.start[i]) }
            out.start = dense
            return out
        }
    }
}
