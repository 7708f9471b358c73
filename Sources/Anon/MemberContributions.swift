/// Every member's own sums at every position they contribute to: what an insider of `backpay-attacker/2`
/// knows. Members are numbered densely; their names are not kept (the audit needs who is who, not who is who
/// by name).
public struct MemberContributions: Sendable {
    /// Member m's records are `start[m]..<start[m + 1]`.
    private var start: [Int] = [0]
    /// Per record, the position as an index into `names`: a record holds no strings, so a week of a million
    /// records costs no reference counting to build or to read.
    private var slot: [Int32] = []
    private var names: [Position] = []
    /// Six counters a record, in the order of `Measure.counters`.
    private var sums: [InlineArray<6, Int64>] = []

    public init() {}

    public var memberCount: Int { start.count - 1 }
    public var isEmpty: Bool { slot.isEmpty }

    /// One member's contribution at one position.
    public struct Record: Sendable {
        public let member: Int
        public let position: Position
        public let counters: [Int64]

        public subscript(_ m: Measure) -> Int64 { m.counterIndex.map { counters[$0] } ?? 0 }
    }

    /// The records of member `m`.
    public func records(of m: Int) -> [Record] {
        recordRange(of: m).map { r in Record(member: m, position: names[Int(slot[r])], counters: (0..<6).map { sums[r][$0] }) }
    }

    // The records without a `Record` each, for the audit that reads all of them.

    /// The positions records name, by slot.
    var positionNames: [Position] { names }
    var recordCount: Int { slot.count }
    /// Member m's records, as indices for `slot(_:)` and `sum(_:_:)`.
    func recordRange(of m: Int) -> Range<Int> { start[m]..<start[m + 1] }
    func slot(_ record: Int) -> Int { Int(slot[record]) }
    /// Record `record`'s sum on counter `i` (the order of `Measure.counters`).
    func sum(_ record: Int, _ i: Int) -> Int64 { sums[record][i] }

    /// Built while the week's sums are folded, one member at a time.
    package struct Builder {
        package let keep: Bool
        private var out = MemberContributions()
        private var started = false

        package init(keep: Bool) { self.keep = keep }

        /// Room for about `records` records, so that a large week's arrays are not copied as they grow.
        package mutating func reserve(records: Int) {
            guard keep else { return }
            out.slot.reserveCapacity(records)
            out.sums.reserveCapacity(records)
        }

        /// Closes the previous member's records (an empty range is dropped in `finish`).
        package mutating func startMember() {
            guard keep else { return }
            if started { out.start.append(out.slot.count) }
            started = true
        }

        /// `p` is the accumulator's position index, named in `finish`.
        package mutating func add(position p: Int, sums s: InlineArray<6, Int64>) {
            guard keep else { return }
            out.slot.append(Int32(p))
            out.sums.append(s)
        }

        /// Names the positions (accumulator index → position) and closes the last member.
        package mutating func finish(positions names: [Position]) -> MemberContributions {
            guard keep else { return MemberContributions() }
            out.names = names
            if started { out.start.append(out.slot.count) }
            // Members with no record (every payload taken out) leave no empty range behind.
            var dense = [0]
            for i in 1..<out.start.count where out.start[i] != dense.last! { dense.append(out.start[i]) }
            out.start = dense
            return out
        }
    }
}
