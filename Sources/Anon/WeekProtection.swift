import Core

/// A week's table after primary and secondary suppression: the pure math of `release build`, before any
/// document is assembled (Verify's `ReleaseBuilder` writes the release from it).
public struct ProtectedWeek: Sendable {
    /// Every non-empty position, in `LinkedTable` order.
    public let positions: [Position]
    public let values: [MeasureValues]
    /// Per position: withheld (primary or secondary).
    public let suppressed: [Bool]
    public let primaries: Int
    public let frequencyPrimaries: Int
    public let dominancePrimaries: Int
    public let homogeneityPrimaries: Int
    public let rounds: Int
}

public enum WeekProtection {
    /// Finds the primaries (frequency, p%, homogeneity) and suppresses complements until the audit of
    /// `model` (1: `backpay-attacker/1`; 2: `backpay-attacker/2`, which needs the members' own sums) passes.
    /// - Parameter counters: the additive counters the release publishes.
    public static func protect(_ table: WeekTable, policy: Policy, model: Int, counters: [Measure],
                               progress: ((Int, Int) -> Void)? = nil) throws(AnonError) -> ProtectedWeek {
        let week = IndexedWeek(table, policy: policy, counters: counters)
        let insiders = model == 2 ? week.insiders : nil
        var primaries: [Int] = []
        var frequency = 0, dominance = 0, homogeneity = 0
        var requirements: [Int: [Measure: ProtectionRequirement]] = [:]
        for (i, p) in week.linked.positions.enumerated() {
            let s = week.status[i]!
            guard s.isPrimary else { continue }
            primaries.append(i)
            if s.frequency { frequency += 1 }
            if !s.dominance.isEmpty { dominance += 1 }
            if !s.homogeneity.isEmpty { homogeneity += 1 }
            requirements[i] = insiders.map { week.requirements(i, $0) }
                ?? PrimaryRules.requirements(value: week.values[i], dominance: table.dominance[p]!, status: s, policy: policy)
        }
        let result = try SecondarySuppression.protect(table: week.linked, values: week.values, primaries: primaries,
                                                      requirements: requirements, k: policy.k,
                                                      payloadCount: Int64(table.payloadCount), insiders: insiders, progress: progress)
        return ProtectedWeek(positions: week.linked.positions, values: week.values, suppressed: result.suppressed, primaries: primaries.count,
                             frequencyPrimaries: frequency, dominancePrimaries: dominance, homogeneityPrimaries: homogeneity,
                             rounds: result.rounds)
    }
}

/// A week's non-empty positions in `LinkedTable` order, their primary status, and the insiders' audit of
/// `backpay-attacker/2`: what the builder and the rows' audit both start from.
struct IndexedWeek {
    let table: WeekTable
    let policy: Policy
    let counters: [Measure]
    let linked: LinkedTable
    let values: [MeasureValues]
    let status: [Int: PrimaryStatus]

    init(_ table: WeekTable, policy: Policy, counters: [Measure]) {
        self.table = table; self.policy = policy; self.counters = counters
        linked = LinkedTable(positions: Array(table.values.keys))
        values = linked.positions.map { table.values[$0]! }
        let byPosition = PrimaryRules.evaluate(table, policy: policy, counters: counters)
        var byIndex: [Int: PrimaryStatus] = [:]
        for (i, p) in linked.positions.enumerated() { byIndex[i] = byPosition[p]! }
        status = byIndex
    }

    /// The audit against every member's own contributions (needs the rows read with them).
    var insiders: InsiderAudit {
        InsiderAudit(table: linked, values: values, counters: counters, policy: policy, payloadCount: Int64(table.payloadCount),
                     status: status, contributions: table.contributions)
    }

    /// What primary `i` must leave open under `backpay-attacker/2`, per measure the release publishes.
    func requirements(_ i: Int, _ insiders: InsiderAudit) -> [Measure: ProtectionRequirement] {
        let dominance = table.dominance[linked.positions[i]]!
        var r: [Measure: ProtectionRequirement] = [:]
        for m in Measure.counts + counters {
            // The largest member's sum matters only on a counter failing the p% rule.
            if let q = insiders.requirement(i, m, dominance: m.counterIndex.map { dominance[$0].largest } ?? 0) { r[m] = q }
        }
        return r
    }
}

/// What a week's rows tell about a suppression pattern under `backpay-attacker/2`, on the table of non-empty
/// positions: the primaries, their requirements against insiders, the outside attacker's intervals (zeros
/// known) and every exposure.
public struct Model2RowsAudit: Sendable {
    /// Position → index in the table of non-empty positions.
    public let index: [Position: Int]
    public let status: [Int: PrimaryStatus]
    public let requirements: [Int: [Measure: ProtectionRequirement]]
    /// Zeros known, no coalition: the outside attacker's intervals of every suppressed value.
    public let intervals: [Int: [(Measure, Interval)]]
    public let exposures: [Exposure]

    /// - Parameter suppressed: whether the release withholds a non-empty position (an unlisted one is withheld).
    public init(table: WeekTable, policy: Policy, counters: [Measure], suppressed isSuppressed: (Position) -> Bool) throws(AnonError) {
        let week = IndexedWeek(table, policy: policy, counters: counters)
        let suppressed = week.linked.positions.map(isSuppressed)
        let audit = week.insiders
        var requirements: [Int: [Measure: ProtectionRequirement]] = [:]
        for i in week.linked.positions.indices where suppressed[i] && week.status[i]!.isPrimary {
            let r = week.requirements(i, audit)
            if !r.isEmpty { requirements[i] = r }
        }
        index = week.linked.index
        status = week.status
        self.requirements = requirements
        intervals = try audit.intervals(suppressed: suppressed)
        exposures = try audit.exposures(suppressed: suppressed)
    }
}
