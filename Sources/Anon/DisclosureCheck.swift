/// One suppressed value the audit found exposed.
public struct Exposure: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// lo == hi above the attacker's lower bound: the value is derived exactly.
        case exact
        /// The members upper bound is below k: "fewer than k members" can be proven.
        case membersBelowK(k: Int)
        /// The interval does not cover the protection interval of a primary.
        case underProtected(ProtectionRequirement)
    }

    public let position: Position
    public let measure: Measure
    public let interval: Interval
    public let kind: Kind
    /// `backpay-attacker/2`: the size of the coalition whose own contributions narrow the interval (0: the
    /// release and the zeros alone).
    public var coalition: Int = 0

    private var against: String {
        coalition == 0 ? "" : " against a coalition of \(coalition) \(coalition == 1 ? "member" : "members") who know their own contributions"
    }

    /// A one-line description with the numbers, e.g. `claude-code × o3: input_tokens is exactly 2601249`.
    public var message: String {
        switch kind {
        case .exact:
            return "\(position): \(measure.key) is derived exactly: \(interval.lo)"
        case .membersBelowK(let k):
            return "\(position): members interval \(interval)\(against) proves fewer than \(k) members"
        case .underProtected(let r):
            var need: [String] = []
            if let l = r.lowerAtMost { need.append("lower bound ≤ \(l)") }
            if let u = r.upperAtLeast { need.append("upper bound ≥ \(u)") }
            return "\(position): \(measure.key) interval \(interval)\(against) is too narrow (protection needs \(need.joined(separator: " and ")))"
        }
    }
}

public enum DisclosureCheck {
    /// Exposures of the suppressed values: the checks that need only the release (exact values, members
    /// bounded below k) and, where `requirements` are given (known from the rows), protection intervals.
    /// - Parameter listedAreNonEmpty: false for a format-2 grid read alone: lower bounds are 0, a derived 0
    ///   is not a finding (zeros are assumed known), and "fewer than k members" needs the position to be
    ///   provably non-empty too.
    public static func exposures(table: LinkedTable, intervals: [Int: [Measure: Interval]], k: Int,
                                 requirements: [Int: [Measure: ProtectionRequirement]] = [:], listedAreNonEmpty: Bool = true) -> [Exposure] {
        var out: [Exposure] = []
        for idx in intervals.keys.sorted() {
            let pos = table.positions[idx]
            let present = listedAreNonEmpty || (intervals[idx]![.members]?.lo ?? 0) >= 1
            for (m, iv) in intervals[idx]!.sorted(by: { $0.key < $1.key }) {
                if iv.isExact, iv.lo > (listedAreNonEmpty ? m.attackerLowerBound : 0) {
                    out.append(Exposure(position: pos, measure: m, interval: iv, kind: .exact))
                }
                if m == .members, present, let hi = iv.hi, hi < Int64(k) {
                    out.append(Exposure(position: pos, measure: m, interval: iv, kind: .membersBelowK(k: k)))
                }
                if let r = requirements[idx]?[m] {
                    let lowOK = r.lowerAtMost.map { iv.lo <= $0 } ?? true
                    let highOK = r.upperAtLeast.map { need in iv.hi.map { $0 >= need } ?? true } ?? true
                    if !(lowOK && highOK) {
                        out.append(Exposure(position: pos, measure: m, interval: iv, kind: .underProtected(r)))
                    }
                }
            }
        }
        return out
    }
}
