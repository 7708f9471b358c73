import Intake
import Core
import Anon
import Schema

/// Why a release was not built.
public enum BuildError: Error, Sendable, CustomStringConvertible {
    case anon(AnonError)
    /// The week is not after the previous release's week (releases are append-only).
    case notAfterPrevious(week: ISOWeek, previous: ISOWeek)
    case noPayloads(ISOWeek)
    /// The previous release already has the last sequence number a release may carry (2^53 − 1).
    case lastSequence(Int)
    /// The whole week has fewer than k members: even the grand total may not be published.
    case tooFewMembers(ISOWeek, members: Int64, k: Int)

    public var description: String {
        switch self {
        case .anon(let e): return e.description
        case .notAfterPrevious(let w, let p):
            return "week \(w) is not after \(p), the previous release: a published week is never re-issued"
        case .noPayloads(let w): return "no payload falls in \(w); nothing to release"
        case .lastSequence(let s): return "the previous release has sequence \(s), the last a release may carry (2^53-1); no release can follow it"
        case .tooFewMembers(let w, let n, let k): return "\(w) has \(n) members, fewer than k = \(k): no release is possible"
        }
    }
}

/// What the build did, for the operator (never part of the release: no reasons are published).
public struct BuildReport: Sendable {
    public var payloadsUsed = 0
    public var entriesUsed = 0
    /// Payloads for a week an earlier release already covers: reported, never published.
    public var late = SourceSample()
    /// Payloads for other weeks (not yet released, or no previous release given).
    public var otherWeek = SourceSample()
    public var positions = 0
    /// Positions failing a primary rule (a position can fail both kinds).
    public var primaries = 0
    public var frequencyPrimaries = 0
    public var dominancePrimaries = 0
    public var homogeneityPrimaries = 0
    public var secondaries = 0
    public var rounds = 0
}

/// The week's inputs → a protected weekly release (docs/release-format.md). Pure: the caller reads and writes files.
public enum ReleaseBuilder {
    /// Builds from payloads in memory (tests, library use); `WeekIntake` is the streaming way in.
    public static func build(payloads: [SourcedPayload], week: ISOWeek, policy: Policy,
                             previous: (document: ReleaseDocument, bytes: [UInt8])?, formatVersion: Int = 1,
                             progress: ((Int, Int) -> Void)? = nil) throws(BuildError) -> (ReleaseDocument, BuildReport) {
        if let prev = previous, !(prev.document.week < week) {
            throw .notAfterPrevious(week: week, previous: prev.document.week)
        }
        if let prev = previous, Int64(prev.document.sequence) >= maxExactValue { throw .lastSequence(prev.document.sequence) }
        let inputs: WeekInputs
        do { inputs = try WeekInputs(payloads: payloads, week: week, lateThrough: previous?.document.week.sunday) } catch { throw .anon(error) }
        return try build(inputs: inputs, policy: policy, previous: previous, formatVersion: formatVersion, progress: progress)
    }

    /// - Parameter formatVersion: 1 (`backpay-attacker/1`) or 2 (`backpay-attacker/2`, which needs the
    ///   inputs read with `keepContributions`).
    public static func build(inputs: WeekInputs, policy: Policy,
                             previous: (document: ReleaseDocument, bytes: [UInt8])?, formatVersion: Int = 1,
                             progress: ((Int, Int) -> Void)? = nil) throws(BuildError) -> (ReleaseDocument, BuildReport) {
        let week = inputs.week
        var report = BuildReport()
        if let prev = previous, !(prev.document.week < week) {
            throw .notAfterPrevious(week: week, previous: prev.document.week)
        }
        report.late = inputs.late
        report.otherWeek = inputs.otherWeek
        let table = inputs.table
        guard table.payloadCount > 0 else { throw .noPayloads(week) }
        let everyone = table.values[.total]![.members]
        guard everyone >= Int64(policy.k) else { throw .tooFewMembers(week, members: everyone, k: policy.k) }
        if formatVersion == 2, table.contributions.isEmpty {
            throw .anon(.policyRefused("a format-2 build needs every member's own sums (read the rows with keepContributions)"))
        }
        do {
            let counters = formatVersion == 2 ? Measure.counters.filter { $0 != .costCents } : Measure.counters
            let protected = try WeekProtection.protect(table, policy: policy, model: formatVersion, counters: counters, progress: progress)
            report.positions = protected.positions.count
            report.primaries = protected.primaries
            report.frequencyPrimaries = protected.frequencyPrimaries
            report.dominancePrimaries = protected.dominancePrimaries
            report.homogeneityPrimaries = protected.homogeneityPrimaries
            report.secondaries = protected.suppressed.filter { $0 }.count - protected.primaries
            report.rounds = protected.rounds
            report.payloadsUsed = table.payloadCount
            report.entriesUsed = table.entryCount
            let doc = ReleaseDocument(
                week: week,
                sequence: (previous?.document.sequence ?? 0) + 1,
                previous: previous.map { SHA256.hash($0.bytes) },
                schemaVersions: inputs.schemaVersions,
                policy: policy,
                payloadCount: table.payloadCount,
                merkleRoot: "sha256:" + Hex.encode(inputs.merkleRoot),
                positions: protected.positions.enumerated().map { ($1, protected.suppressed[$0] ? nil : protected.values[$0]) })
            return (formatVersion == 2 ? doc.asFormat2(grid: table.vocabulary) : doc, report)
        } catch {
            throw .anon(error)
        }
    }
}
