import Schema

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
        let linked = LinkedTable(positions: Array(table.values.keys))
        let values = linked.positions.map { table.values[$0]! }
        let v2 = model == 2
        let status = v2 ? PrimaryRules.evaluate(table, policy: policy, counters: counters) : PrimaryRules.evaluate(table, policy: policy)
        var byIndex: [Int: PrimaryStatus] = [:]
        for (i, p) in linked.positions.enumerated() { byIndex[i] = status[p]! }
        let insiders = v2 ? InsiderAudit(table: linked, values: values, counters: counters, policy: policy, payloadCount: Int64(table.payloadCount),
                                         status: byIndex, contributions: table.contributions) : nil
        var primaries: [Int] = []
        var frequency = 0, dominance = 0, homogeneity = 0
        var requirements: [Int: [Measure: ProtectionRequirement]] = [:]
        for (i, p) in linked.positions.enumerated() {
            let s = status[p]!
            guard s.isPrimary else { continue }
            primaries.append(i)
            if s.frequency { frequency += 1 }
            if !s.dominance.isEmpty { dominance += 1 }
            if !s.homogeneity.isEmpty { homogeneity += 1 }
            if let insiders {
                var r: [Measure: ProtectionRequirement] = [:]
                for m in Measure.counts + counters {
                    if let q = insiders.requirement(i, m, dominance: table.dominance[p]![m.counterIndex ?? 0].largest) { r[m] = q }
                }
                requirements[i] = r
            } else {
                requirements[i] = PrimaryRules.requirements(value: values[i], dominance: table.dominance[p]!, status: s, policy: policy)
            }
        }
        let result = try SecondarySuppression.protect(table: linked, values: values, primaries: primaries,
                                                      requirements: requirements, k: policy.k,
                                                      payloadCount: Int64(table.payloadCount), insiders: insiders, progress: progress)
        return ProtectedWeek(positions: linked.positions, values: values, suppressed: result.suppressed, primaries: primaries.count,
                             frequencyPrimaries: frequency, dominancePrimaries: dominance, homogeneityPrimaries: homogeneity,
                             rounds: result.rounds)
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
        let linked = LinkedTable(positions: Array(table.values.keys))
        let values = linked.positions.map { table.values[$0]! }
        let status = PrimaryRules.evaluate(table, policy: policy, counters: counters)
        var byIndex: [Int: PrimaryStatus] = [:]
        for (i, p) in linked.positions.enumerated() { byIndex[i] = status[p]! }
        let suppressed = linked.positions.map(isSuppressed)
        let audit = InsiderAudit(table: linked, values: values, counters: counters, policy: policy,
                                 payloadCount: Int64(table.payloadCount), status: byIndex, contributions: table.contributions)
        var requirements: [Int: [Measure: ProtectionRequirement]] = [:]
        for (i, p) in linked.positions.enumerated() where suppressed[i] && byIndex[i]!.isPrimary {
            for m in Measure.counts + counters {
                if let r = audit.requirement(i, m, dominance: m.counterIndex.map { table.dominance[p]![$0].largest } ?? 0) { requirements[i, default: [:]][m] = r }
            }
        }
        index = linked.index
        self.status = byIndex
        self.requirements = requirements
        intervals = try audit.intervals(suppressed: suppressed)
        exposures = try audit.exposures(suppressed: suppressed)
    }
}
