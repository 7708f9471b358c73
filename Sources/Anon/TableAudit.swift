/// The attacker's feasibility interval of one suppressed value: every value in lo…hi is consistent with
/// everything published and the assumed bounds, and nothing outside is. `hi == nil` means unbounded.
public struct Interval: Hashable, Sendable, CustomStringConvertible {
    public var lo: Int64
    public var hi: Int64?

    public init(lo: Int64, hi: Int64?) { self.lo = lo; self.hi = hi }

    public var isExact: Bool { hi == lo }
    public var description: String { "[\(lo), \(hi.map(String.init) ?? "∞")]" }
}

/// What is published of the table: a value for every published position, nothing for suppressed ones.
public struct PublishedTable: Sendable {
    public let table: LinkedTable
    /// Indexed like `table.positions`; nil = suppressed.
    public let values: [MeasureValues?]
    /// The release's payload count: the total's member-days, known even when the total is suppressed.
    public let payloadCount: Int64?
    /// The additive counters the release publishes (format 2 leaves cost out).
    public let counters: [Measure]
    /// Whether every position is known to be non-empty (format 1 lists only those: lower bounds of one
    /// member, member-day and session); false for a format-2 grid read alone, where every bound is 0.
    public let listedAreNonEmpty: Bool

    public init(table: LinkedTable, values: [MeasureValues?], payloadCount: Int64?, counters: [Measure] = Measure.counters,
                listedAreNonEmpty: Bool = true) {
        self.table = table; self.values = values; self.payloadCount = payloadCount
        self.counters = counters; self.listedAreNonEmpty = listedAreNonEmpty
    }

    /// The attacker's lower bound of a suppressed value.
    public func lowerBound(_ m: Measure) -> Int64 { listedAreNonEmpty ? m.attackerLowerBound : 0 }

    public var suppressed: [Int] { values.indices.filter { values[$0] == nil } }
}

/// Exact disclosure audit of the weekly linked table (docs/release-format.md §6, docs/auditors.md "How the audit computes intervals").
///
/// Additive counters: integer max-flow on the table's circulation, exact, no tolerance, no solver.
/// Member and member-day counts: their relations are inequalities (cell ≤ margin ≤ total, margin ≤ sum of
/// its cells, members ≤ member-days ≤ 7·members); see `CountBounds`.
public enum TableAudit {
    public enum Finding: Hashable, Sendable {
        /// The published numbers contradict each other for this measure: no table fits them.
        case inconsistent(Measure)
    }

    /// Intervals of every measure of every suppressed position, keyed by position index.
    public static func intervals(_ published: PublishedTable) throws(AnonError) -> (intervals: [Int: [Measure: Interval]], findings: [Finding]) {
        let sup = published.suppressed
        var out: [Int: [Measure: Interval]] = [:]
        for k in sup { out[k] = [:] }
        var findings: [Finding] = []
        for m in published.counters {
            guard let iv = additiveIntervals(published, measure: m) else { findings.append(.inconsistent(m)); continue }
            for (k, i) in iv { out[k]![m] = i }
        }
        if let iv = try CountBounds(published).intervals() {
            for (k, byMeasure) in iv { for (m, i) in byMeasure { out[k]![m] = i } }
        } else {
            findings.append(.inconsistent(.members))
        }
        return (out, findings)
    }

    /// What `DisclosureCheck.exposures` finds in `intervals(published)`, and the same findings, without
    /// computing every whole interval: each value is first decided with flows (or probes) that stop at
    /// the room the checks ask for, and only the values found exposed get their whole interval.
    static func exposures(_ published: PublishedTable, k: Int,
                          requirements: [Int: [Measure: ProtectionRequirement]]) throws(AnonError) -> (exposures: [Exposure], findings: [Finding]) {
        var exposed: [Int: [Measure: Interval]] = [:]
        var findings: [Finding] = []
        for m in Measure.counters {
            guard var res = AdditiveResidual(published, measure: m) else { findings.append(.inconsistent(m)); continue }
            for x in res.suppressed where res.isExposed(x, requirement: requirements[x]?[m]) {
                exposed[x, default: [:]][m] = res.interval(of: x)
            }
        }
        let counts = CountBounds(published)
        if let top = try counts.greatest() {
            for (v, (x, m)) in counts.variables.enumerated() where try counts.isExposed(v, top: top, k: k, requirement: requirements[x]?[m]) {
                exposed[x, default: [:]][m] = try counts.interval(v, top: top)
            }
        } else {
            findings.append(.inconsistent(.members))
        }
        return (DisclosureCheck.exposures(table: published.table, intervals: exposed, k: k, requirements: requirements), findings)
    }

    /// Whether `exposures` would find nothing at all (no exposure, no finding), stopping at the first
    /// failure. The values of `first` are decided before the others: after publishing one position, an
    /// exposure usually shows in its own row or column.
    static func isSafe(_ published: PublishedTable, k: Int, requirements: [Int: [Measure: ProtectionRequirement]],
                       first: [Int] = []) throws(AnonError) -> Bool {
        var residuals: [AdditiveResidual] = []
        for m in Measure.counters {
            guard let res = AdditiveResidual(published, measure: m) else { return false }
            residuals.append(res)
        }
        var order = first.filter { published.values[$0] == nil }
        let early = Set(order)
        order += published.suppressed.filter { !early.contains($0) }
        for x in order {
            for i in residuals.indices where residuals[i].isExposed(x, requirement: requirements[x]?[Measure.counters[i]]) { return false }
        }
        return try countsAreSafe(published, k: k, requirements: requirements)
    }

    /// `isSafe` for the two member counts alone.
    static func countsAreSafe(_ published: PublishedTable, k: Int, requirements: [Int: [Measure: ProtectionRequirement]]) throws(AnonError) -> Bool {
        let counts = CountBounds(published)
        guard let top = try counts.greatest() else { return false }
        for (v, (x, m)) in counts.variables.enumerated() where try counts.isExposed(v, top: top, k: k, requirement: requirements[x]?[m]) {
            return false
        }
        return true
    }

    /// Feasibility intervals of one additive counter; nil when no non-negative table fits the published
    /// values.
    static func additiveIntervals(_ published: PublishedTable, measure m: Measure) -> [Int: Interval]? {
        guard var res = AdditiveResidual(published, measure: m) else { return nil }
        var out: [Int: Interval] = [:]
        for k in res.suppressed { out[k] = res.interval(of: k) }
        return out
    }
}
