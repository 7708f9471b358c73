import Core
/// The reports each command prints, built from the library's results (the CLI only chooses the format).
extension SchemaLint.Result {
    public func report(schema: String) -> FindingReport {
        FindingReport(kind: "lint", title: "schema lint", passed: isClosed,
               facts: [("schema", .string(schema)),
                       ("capacity_bits", capacityBits.map { .number(JSONNumber(lexeme: SchemaCapacity.format($0))) } ?? .null),
                       ("capacity", .string(capacityBits == nil ? "unbounded" : "at most \(SchemaCapacity.format(capacityBits)) bits per payload"))],
               findings: findings)
    }
}

extension SchemaDiff.Result {
    /// A diff "passes" when nothing material changed (like diff(1), exit 1 means "they differ").
    public func report(old: String, new: String) -> FindingReport {
        func v(_ x: Int?) -> JSONValue { x.map { .number(JSONNumber(Int64($0))) } ?? .null }
        func s(_ x: String?) -> JSONValue { x.map { .string($0) } ?? .null }
        let c = (findings.filter { $0.direction == .widening }.count, findings.filter { $0.direction == .narrowing }.count,
                 findings.filter { $0.direction == .cosmetic }.count)
        return FindingReport(kind: "diff", title: "schema diff", passed: !isMaterial,
                      facts: [("old", .string(old)), ("new", .string(new)),
                              ("old_version", v(oldVersion)), ("new_version", v(newVersion)),
                              ("old_fingerprint", s(oldFingerprint)), ("new_fingerprint", s(newFingerprint)),
                              ("material", .bool(isMaterial)),
                              ("changes", .string("\(c.0) widening, \(c.1) narrowing, \(c.2) cosmetic"))],
                      findings: findings)
    }
}

extension SchemaGate.Result {
    public func report(lock: String, updated: Bool) -> FindingReport {
        let rows: [JSONValue] = versions.map { r in
            .object(JSONObject([("version", r.version.map { .number(JSONNumber(Int64($0))) } ?? .null),
                                ("path", .string(r.path)), ("fingerprint", .string(r.fingerprint)), ("status", .string(r.status))]))
        }
        let summary = versions.map { "\($0.version.map { "v\($0)" } ?? "v?") \($0.path) \($0.status)" }.joined(separator: ", ")
        return FindingReport(kind: "gate", title: "schema gate", passed: passed,
                      facts: [("lock", .string(lock)), ("versions", .array(rows)),
                              ("schemas", .string(summary.isEmpty ? "none" : summary)),
                              ("lock_updated", .bool(updated))] + newlyLockedFacts,
                      findings: findings)
    }
}

extension SchemaGate.Result {
    /// `newly_locked` (text and markdown) and `newly_locked_versions` (JSON), only when a baseline was given.
    var newlyLockedFacts: [(key: String, value: JSONValue)] {
        guard let (versions, since) = newlyLocked else { return [] }
        let list = versions.map { "v\($0)" }.joined(separator: ", ")
        let text = versions.isEmpty ? "none since \(since)"
            : "\(list) since \(since)" + (versions.contains { $0 > 0 } ? "; each one's changes against the version before it are listed" : "")
        return [("newly_locked", .string(text)),
                ("newly_locked_versions", .array(versions.map { .number(JSONNumber(Int64($0))) }))]
    }
}

extension ConsentVerdict {
    public func report(consent: String, record: ConsentRecord, schema: String) -> FindingReport {
        var facts: [(key: String, value: JSONValue)] = [
            ("consent", .string(consent)), ("schema", .string(schema)),
            ("consented_version", .number(JSONNumber(Int64(record.schemaVersion)))),
            ("consented_fingerprint", .string(record.schemaFingerprint)),
            ("consented_on", .string(record.consentedOn.description)),
        ]
        switch self {
        case .valid:
            facts.append(("verdict", .string("valid: consent covers schema version \(record.schemaVersion) exactly")))
            return FindingReport(kind: "consent", title: "consent check", passed: true, facts: facts, findings: [])
        case .void(let v):
            facts.append(("current_version", v.currentVersion.map { .number(JSONNumber(Int64($0))) } ?? .null))
            facts.append(("current_fingerprint", .string(v.currentFingerprint)))
            let why = v.reasons.joined(separator: "; ") + "; ask the member again"
            facts.append(("verdict", .string("void: " + why)))
            // One value (the widening findings) gives the count, the wording and the listed findings, in
            // every format; the void verdict itself is an error finding, so no format says "failed (0 errors)".
            let changes: String
            switch v.widening?.count {
            case nil: changes = "unknown: the consented schema is not among the released schemas at hand"
            case 0?: changes = "none: the current schema accepts no payload the consented one rejected"
            case let n?: changes = "\(n) widening change\(n == 1 ? "" : "s") (listed above)"
            }
            facts.append(("changes_since_consent", .string(changes)))
            facts.append(("widening_changes", v.widening.map { .number(JSONNumber(Int64($0.count))) } ?? .null))
            let pointer = JSONPointer([v.currentVersion == record.schemaVersion ? "schema_fingerprint" : "schema_version"])
            let void = Finding(rule: .consentVoid, pointer: pointer, message: why, file: consent, location: record.locations[pointer])
            return FindingReport(kind: "consent", title: "consent check", passed: false, facts: facts,
                                 findings: [void] + (v.widening ?? []), jsonOnly: ["widening_changes"])
        }
    }
}
