import Intake
import Core
import Anon
import Schema

/// One thing wrong with a release.
public struct AuditFinding: Hashable, Sendable, CustomStringConvertible {
    /// A stable code: `k`, `exact`, `members-below-k`, `under-protected`, `dominance`, `inconsistent`,
    /// `mismatch`, `inputs`, `week`, `canonical`, `chain`, `reissue`, `difference`.
    public let code: String
    public let message: String
    public var description: String { "\(code): \(message)" }
}

/// One line of the disclosure report: what happened to one position and why it is safe (or not).
public struct PositionReport: Sendable {
    public let position: Position
    public let published: Bool
    /// The primary rule that fired (`frequency`, `p-percent`, `homogeneity`), known only from the rows; never
    /// in a release.
    public var rule: String? = nil
    /// Per suppressed measure: the tightest interval the audit's model gives (the release alone, or with the
    /// rows under `backpay-attacker/2` the zeros too), and what it had to cover (rows only).
    public var intervals: [(measure: Measure, interval: Interval, requirement: ProtectionRequirement?)] = []
    /// Format 2, from the release alone: the published numbers prove the position non-empty.
    public var presentProvable: Bool? = nil
    /// With the rows, for a primary: its requirements hold against every coalition of at most c members.
    public var insidersPass: Bool? = nil
}

/// The result of `release audit`.
public struct ReleaseAuditReport: Sendable {
    /// The attacker model the release was audited under (`backpay-attacker/1` or `/2`).
    public var model = ReleaseDocument.attackerModel
    public var positions: [PositionReport] = []
    public var findings: [AuditFinding] = []
    /// Every suppressed value's feasibility interval, in release order.
    public var intervals: [(Position, Measure, Interval)] = []
    public var suppressedPositions = 0
    public var publishedPositions = 0
    public var rowsChecked = false
}

/// Audits a release from the release alone, and optionally against the rows it was built from and the
/// release before it (docs/auditors.md).
public enum ReleaseAuditor {
    /// Audits from the release alone, or against the week's inputs as `WeekIntake` read them.
    public static func audit(document doc: ReleaseDocument, bytes: [UInt8], inputs: WeekInputs? = nil,
                             previous: (document: ReleaseDocument, bytes: [UInt8])? = nil) throws(AnonError) -> ReleaseAuditReport {
        try audit(document: doc, bytes: bytes, inputs: inputs.map { .success($0) }, previous: previous)
    }

    /// Audits against the week's inputs, or against rows that could not be summed (a finding).
    public static func audit(document doc: ReleaseDocument, bytes: [UInt8], inputs rows: Result<WeekInputs, AnonError>?,
                             previous: (document: ReleaseDocument, bytes: [UInt8])?) throws(AnonError) -> ReleaseAuditReport {
        var report = ReleaseAuditReport()
        func add(_ code: String, _ message: String) { report.findings.append(AuditFinding(code: code, message: message)) }

        // The file must be the RFC 8785 bytes of its content, optionally with one final newline (as Verify
        // reads releases), so that its hash is stable.
        if let canon = try? doc.canonicalBytes(), canon != bytes, canon + [0x0A] != bytes {
            add("canonical", "the file is not the RFC 8785 form of its content; releases are written canonically so that their hash is stable")
        }
        report.model = doc.attackerModelName
        let published = doc.published
        let t = published.table
        let k = Int64(doc.policy.k)
        for (i, v) in published.values.enumerated() {
            guard let v else { report.suppressedPositions += 1; continue }
            report.publishedPositions += 1
            if v[.members] < k { add("k", "\(t.positions[i]) is published with \(v[.members]) members, fewer than k = \(k)") }
        }
        let (iv, findings) = try TableAudit.intervals(published)
        for f in findings {
            if case .inconsistent(let m) = f { add("inconsistent", "published \(m.key) values contradict each other: no non-negative table fits them") }
        }
        for idx in iv.keys.sorted() {
            for (m, i) in iv[idx]!.sorted(by: { $0.key < $1.key }) { report.intervals.append((t.positions[idx], m, i)) }
        }
        var requirements: [Int: [Measure: ProtectionRequirement]] = [:]
        var model2: Model2RowsAudit? = nil
        if let rows {
            report.rowsChecked = true
            if doc.formatVersion == 2 { model2 = try checkRows2(doc, published, rows, &report) }
            else { requirements = checkRows(doc, published, rows, &report) }
        }
        var exposures = DisclosureCheck.exposures(table: t, intervals: iv, k: doc.policy.k, requirements: requirements,
                                                  listedAreNonEmpty: doc.formatVersion == 1)
        if let model2 { exposures += model2.exposures }
        var said = Set<String>()
        for e in exposures where said.insert(e.message).inserted {
            switch e.kind {
            case .exact: add("exact", e.message)
            case .membersBelowK: add("members-below-k", e.message)
            case .underProtected: add("under-protected", e.message)
            }
        }
        report.positions = t.positions.indices.map { i in
            var line = PositionReport(position: t.positions[i], published: published.values[i] != nil)
            guard published.values[i] == nil else { return line }
            line.intervals = (iv[i] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value, requirements[i]?[$0.key]) }
            if doc.formatVersion == 2 { line.presentProvable = (iv[i]?[.members]?.lo ?? 0) >= 1 }
            if let model2, let j = model2.index[t.positions[i]] {
                line.rule = model2.status[j]?.rule
                line.intervals = model2.intervals[j].map { list in list.map { (m, iv) in (m, iv, model2.requirements[j]?[m]) } } ?? line.intervals
                if model2.status[j]?.isPrimary == true { line.insidersPass = !model2.exposures.contains { $0.position == t.positions[i] } }
            } else if model2 != nil {
                // No rows for it: an empty position, whose every value is a known zero (§8.1 item 2).
                line.intervals = doc.measures.sorted().map { ($0, Interval(lo: 0, hi: 0), nil) }
            }
            return line
        }
        if let prev = previous { checkChain(doc, prev.document, prev.bytes, &report) }
        return report
    }

    /// Re-derives a format-2 release from the rows and audits its pattern under `backpay-attacker/2`.
    static func checkRows2(_ doc: ReleaseDocument, _ published: PublishedTable, _ rows: Result<WeekInputs, AnonError>,
                           _ report: inout ReleaseAuditReport) throws(AnonError) -> Model2RowsAudit? {
        func add(_ code: String, _ message: String) { report.findings.append(AuditFinding(code: code, message: message)) }
        guard let inputs = checkInputs(doc, rows, &report) else { return nil }
        let table = inputs.table
        guard !table.contributions.isEmpty else {
            add("inputs", "the rows were read without every member's own sums, which a backpay-attacker/2 audit needs"); return nil
        }
        let t = published.table
        let listed = Set(t.positions)
        for p in Set(table.values.keys).subtracting(listed).sorted() { add("mismatch", "\(p) has rows but is not in the release's grid") }
        let audit = try Model2RowsAudit(table: table, policy: doc.policy, counters: doc.counters) { p in
            t.index[p].map { published.values[$0] == nil } ?? true
        }
        let status = { (p: Position) in audit.status[audit.index[p]!]! }
        for (i, p) in t.positions.enumerated() {
            guard let v = published.values[i] else { continue }
            guard let truth = table.values[p] else { add("mismatch", "\(p) is published but has no rows"); continue }
            for m in doc.measures where v[m] != truth[m] { add("mismatch", "\(p): \(m.key) is published as \(v[m]) but the rows give \(truth[m])") }
            for m in status(p).dominance { add("dominance", "\(p): \(m.key) is published although the p% rule (p = \(doc.policy.p), coalition \(doc.policy.coalition)) fails on it") }
            if !status(p).homogeneity.isEmpty { add("homogeneity", "\(p) is published although it is homogeneous (\(status(p).homogeneity.map(\.key).joined(separator: ", ")))") }
        }
        return audit
    }

    /// The rows' week, Merkle root and payload count against the release's; nil when the rows cannot be used.
    static func checkInputs(_ doc: ReleaseDocument, _ rows: Result<WeekInputs, AnonError>, _ report: inout ReleaseAuditReport) -> WeekInputs? {
        func add(_ code: String, _ message: String) { report.findings.append(AuditFinding(code: code, message: message)) }
        let inputs: WeekInputs
        switch rows {
        case .success(let i): inputs = i
        case .failure(let error): add("inputs", "the rows cannot be aggregated: \(error)"); return nil
        }
        guard inputs.week == doc.week else {
            add("inputs", "the rows were read for \(inputs.week), the release is for \(doc.week)")
            return nil
        }
        // Rows of the wrong week make every number disagree; the one line that says why comes first.
        let outside = inputs.otherWeek.count + inputs.late.count
        if outside > 0, outside >= inputs.payloadCount {
            let all = outside + inputs.payloadCount
            let share = inputs.payloadCount == 0 ? "all \(all)" : "\(outside) of the \(all)"
            report.findings.insert(AuditFinding(code: "week", message: "\(share) payloads in the rows are dated outside \(doc.week), the release's week: rows of another week? (the findings after this one follow from it)"), at: 0)
        }
        let root = "sha256:" + Hex.encode(inputs.merkleRoot)
        if root != doc.merkleRoot || inputs.payloadCount != doc.payloadCount {
            add("inputs", "the rows' \(inputs.payloadCount) payloads for \(doc.week) have Merkle root \(root); the release states \(doc.payloadCount) payloads and \(doc.merkleRoot)")
        }
        return inputs
    }

    /// Re-derives every published number from the rows and re-checks the primary rules.
    static func checkRows(_ doc: ReleaseDocument, _ published: PublishedTable, _ rows: Result<WeekInputs, AnonError>, _ report: inout ReleaseAuditReport) -> [Int: [Measure: ProtectionRequirement]] {
        func add(_ code: String, _ message: String) { report.findings.append(AuditFinding(code: code, message: message)) }
        guard let inputs = checkInputs(doc, rows, &report) else { return [:] }
        let table = inputs.table
        let t = published.table
        let derived = Set(table.values.keys), listed = Set(t.positions)
        for p in derived.subtracting(listed).sorted() { add("mismatch", "\(p) has rows but is not in the release") }
        for p in listed.subtracting(derived).sorted() { add("mismatch", "\(p) is in the release but has no rows") }
        let status = PrimaryRules.evaluate(table, policy: doc.policy)
        var requirements: [Int: [Measure: ProtectionRequirement]] = [:]
        for (i, p) in t.positions.enumerated() {
            guard let truth = table.values[p], let s = status[p] else { continue }
            if let v = published.values[i] {
                for m in Measure.allCases where v[m] != truth[m] {
                    add("mismatch", "\(p): \(m.key) is published as \(v[m]) but the rows give \(truth[m])")
                }
                for m in s.dominance { add("dominance", "\(p): \(m.key) is published although the p% rule (p = \(doc.policy.p)) fails on it") }
            } else if s.isPrimary {
                requirements[i] = PrimaryRules.requirements(value: truth, dominance: table.dominance[p]!, status: s, policy: doc.policy)
            }
        }
        return requirements
    }

    /// Append-only chain: the previous link, the sequence, and no re-issued week. A re-issue is also
    /// differenced against the earlier release, cell by cell, to show what it gives away.
    static func checkChain(_ doc: ReleaseDocument, _ prev: ReleaseDocument, _ prevBytes: [UInt8], _ report: inout ReleaseAuditReport) {
        func add(_ code: String, _ message: String) { report.findings.append(AuditFinding(code: code, message: message)) }
        let digest = SHA256.hash(prevBytes)
        if doc.previous != digest {
            add("chain", "previous is \(doc.previous.map(ReleaseHeader.digestText) ?? "null") but the given previous release hashes to \(ReleaseHeader.digestText(digest))")
        }
        if doc.sequence != prev.sequence + 1 { add("chain", "sequence \(doc.sequence) does not follow \(prev.sequence)") }
        if !(prev.week < doc.week) {
            add("reissue", "\(doc.week) is not after \(prev.week), already published: releases are append-only")
        }
        guard prev.week == doc.week else { return }
        let old = Dictionary(prev.positions.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        for (p, v) in doc.positions {
            guard let v, let o = old[p] ?? nil, v != o else { continue }
            let parts = Measure.allCases.compactMap { m -> String? in v[m] == o[m] ? nil : "\(m.key) \(v[m] - o[m] >= 0 ? "+" : "")\(v[m] - o[m])" }
            let dm = v[.members] - o[.members]
            let who = dm == 1 ? " (exactly one member's values)" : ""
            add("difference", "\(p) differs from the earlier \(prev.week) release by \(parts.joined(separator: ", "))\(who)")
        }
    }
}
