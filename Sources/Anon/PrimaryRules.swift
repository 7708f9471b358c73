/// Why a position must not be published (never written into a release: suppressed cells carry no reason).
public struct PrimaryStatus: Hashable, Sendable {
    /// Fewer than k members.
    public var frequency: Bool
    /// Counters on which the p% rule fails.
    public var dominance: [Measure]
    /// Format 2 with the homogeneity rule: the count measures that equal the next one (`memberDays` when
    /// members = member-days, `sessions` when member-days = sessions), each needing room above its value.
    public var homogeneity: [Measure] = []

    /// Public for callers outside the package that suppress a table of their own (Benchmarks/Measure).
    public init(frequency: Bool, dominance: [Measure], homogeneity: [Measure] = []) {
        self.frequency = frequency; self.dominance = dominance; self.homogeneity = homogeneity
    }

    public var isPrimary: Bool { frequency || !dominance.isEmpty || !homogeneity.isEmpty }

    /// The first rule that fired, for the disclosure report (never written into a release).
    public var rule: String? {
        if frequency { return "frequency" }
        if !dominance.isEmpty { return "p-percent" }
        if !homogeneity.isEmpty { return "homogeneity" }
        return nil
    }
}

/// What the attacker's feasibility interval of one suppressed value must cover: `lo <= lowerAtMost` and
/// `hi >= upperAtLeast` (nil: no requirement on that side).
public struct ProtectionRequirement: Hashable, Sendable {
    public var lowerAtMost: Int64?
    public var upperAtLeast: Int64?
}

public enum PrimaryRules {
    /// The p% rule on one counter, in integers only: unsafe when 100·(T − x1 − x2) < p·x1. Cells with one
    /// or two contributors and a positive value always fail; an all-zero counter never does.
    /// With a coalition of `coalition` members (format 2), the top `coalition + 1` contributions are taken
    /// out: unsafe when 100·(T − x1 − … − x(c+1)) < p·x1.
    public static func failsDominance(_ d: DominanceInput, p: Int, coalition: Int = 1) -> Bool {
        let rest = Int128(d.total) - Int128(d.largest) - Int128(d.second) - (coalition >= 2 ? Int128(d.third) : 0)
        return 100 * rest < Int128(p) * Int128(d.largest)
    }

    /// Primary status of every position of the table, margins and total included, on the counters the
    /// release publishes.
    public static func evaluate(_ table: WeekTable, policy: Policy, counters: [Measure] = Measure.counters) -> [Position: PrimaryStatus] {
        var out: [Position: PrimaryStatus] = [:]
        for (pos, v) in table.values {
            let dom = table.dominance[pos] ?? []
            var failing: [Measure] = []
            for (i, m) in Measure.counters.enumerated() where i < dom.count && counters.contains(m) && failsDominance(dom[i], p: policy.p, coalition: policy.coalition) {
                failing.append(m)
            }
            var homogeneous: [Measure] = []
            if policy.homogeneity {
                if v[.members] == v[.memberDays] { homogeneous.append(.memberDays) }
                if v[.memberDays] == v[.sessions] { homogeneous.append(.sessions) }
            }
            out[pos] = PrimaryStatus(frequency: v[.members] < Int64(policy.k), dominance: failing, homogeneity: homogeneous)
        }
        return out
    }

    /// The protection interval of each measure of a primary (docs/release-format.md §3, `protection`):
    /// - frequency: every counter ±`protectionPercent` % (the lower end never below the attacker's lower
    ///   bound), and an upper bound of at least k on members;
    /// - p%: on each failing counter, the upper protection level UPL = p/100·x1 − (T − x1 − x2), i.e. the
    ///   interval must reach x1 + x2 + p/100·x1 (rounded up).
    public static func requirements(value: MeasureValues, dominance: [DominanceInput], status: PrimaryStatus, policy: Policy) -> [Measure: ProtectionRequirement] {
        var out: [Measure: ProtectionRequirement] = [:]
        if status.frequency {
            out[.members] = ProtectionRequirement(lowerAtMost: nil, upperAtLeast: Int64(policy.k))
            let q = Int128(policy.protectionPercent)
            for m in Measure.counters {
                let v = Int128(value[m])
                let low = max(Int128(m.attackerLowerBound), floorDiv(v * (100 - q), 100))
                let high = ceilDiv(v * (100 + q), 100)
                out[m] = ProtectionRequirement(lowerAtMost: Int64(clamping: low), upperAtLeast: Int64(clamping: high))
            }
        }
        for m in status.dominance {
            guard let i = m.counterIndex, i < dominance.count else { continue }
            let d = dominance[i]
            let need = ceilDiv(100 * (Int128(d.largest) + Int128(d.second)) + Int128(policy.p) * Int128(d.largest), 100)
            var r = out[m] ?? ProtectionRequirement()
            r.upperAtLeast = max(r.upperAtLeast ?? 0, Int64(clamping: need))
            out[m] = r
        }
        return out
    }
}

@inline(__always) func floorDiv(_ a: Int128, _ b: Int128) -> Int128 { a >= 0 ? a / b : -((-a + b - 1) / b) }
@inline(__always) func ceilDiv(_ a: Int128, _ b: Int128) -> Int128 { a >= 0 ? (a + b - 1) / b : -((-a) / b) }
