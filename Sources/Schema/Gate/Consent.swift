import Core
/// A member's consent as the meter keeps it (docs/ci-gate.md):
/// `{"schema_version":0,"schema_fingerprint":"sha256:…","consented_on":"2026-06-12"}`.
///
/// It is valid for exactly that version and fingerprint. Any other schema voids it; the check then lists
/// what the new schema collects that the consented one did not (the diff's widening findings), which is
/// what the meter must show the member before asking again.
public struct ConsentRecord: Sendable, Hashable {
    public let schemaVersion: Int
    public let schemaFingerprint: String
    public let consentedOn: CalendarDay
    /// Where each member starts in the record's file, so findings about it carry line:column (empty when
    /// the record was not read from bytes). Not part of the record's identity.
    public let locations: [JSONPointer: SourceLocation]

    public init(schemaVersion: Int, schemaFingerprint: String, consentedOn: CalendarDay, locations: [JSONPointer: SourceLocation] = [:]) {
        self.schemaVersion = schemaVersion; self.schemaFingerprint = schemaFingerprint; self.consentedOn = consentedOn
        self.locations = locations
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.schemaVersion == b.schemaVersion && a.schemaFingerprint == b.schemaFingerprint && a.consentedOn == b.consentedOn
    }

    public func hash(into h: inout Hasher) { h.combine(schemaVersion); h.combine(schemaFingerprint); h.combine(consentedOn) }

    /// Reads a consent record strictly: exactly the three members, with their types and formats.
    public static func parse(_ bytes: [UInt8]) throws(ConsentError) -> ConsentRecord {
        let (value, locations): (JSONValue, [JSONPointer: SourceLocation])
        do { (value, locations) = try StrictJSON.parseWithLocations(bytes, limits: JSONLimits(maxBytes: 4096, maxDepth: 4)) }
        catch { throw .malformed("\(error)") }
        func fail(_ p: JSONPointer, _ why: String) -> ConsentError {
            .malformed("\(nearestLocation(p, locations).map { "\($0): " } ?? "")\(p.display): \(why)")
        }
        guard case .object(let o) = value else { throw fail(.root, "a consent record is an object") }
        for key in o.keys where !["schema_version", "schema_fingerprint", "consented_on"].contains(key) {
            throw fail(JSONPointer([key]), "unknown member \(quoteForMessage(key))")
        }
        guard let v = o["schema_version"]?.numberValue?.int64Value, v >= 0, v < 1 << 31 else {
            throw fail(JSONPointer(["schema_version"]), "schema_version must be a non-negative integer")
        }
        guard let fp = o["schema_fingerprint"]?.stringValue, isFingerprint(fp) else {
            throw fail(JSONPointer(["schema_fingerprint"]), "schema_fingerprint must be sha256: followed by 64 lower-case hex digits")
        }
        guard let d = o["consented_on"]?.stringValue.flatMap({ CalendarDay($0) }) else {
            throw fail(JSONPointer(["consented_on"]), "consented_on must be a calendar date YYYY-MM-DD")
        }
        return ConsentRecord(schemaVersion: Int(v), schemaFingerprint: fp, consentedOn: d, locations: locations)
    }

    /// Decides whether this consent covers `schema`.
    /// - Parameters:
    ///   - schema: the schema payloads would now follow.
    ///   - released: schemas that may include the one consented to (the lock's files, or the ones built
    ///     into the tool); the one whose fingerprint matches is diffed against `schema`.
    ///   - today: the day relative date bounds are resolved against in counterexamples.
    public func check(against schema: SchemaDocument, released: [SchemaDocument] = [], today: CalendarDay) -> ConsentVerdict {
        let fp = (try? SchemaFingerprint.fingerprint(schema.value)) ?? "unfingerprintable"
        let version = schema.schemaVersion
        if version == schemaVersion && fp == schemaFingerprint { return .valid }
        var reasons: [String] = []
        if version != schemaVersion {
            reasons.append("schema_version is \(version.map(String.init) ?? "missing"), consent was given for \(schemaVersion)")
        }
        if fp != schemaFingerprint {
            reasons.append("fingerprint is \(fp), consent was given for \(schemaFingerprint)")
        }
        let consented = released.first { (try? SchemaFingerprint.fingerprint($0.value)) == schemaFingerprint }
        let changes = consented.map { SchemaDiff.diff(old: $0, new: schema, today: today).widening }
        return .void(ConsentVoid(consentedVersion: schemaVersion, consentedFingerprint: schemaFingerprint,
                                 currentVersion: version, currentFingerprint: fp, reasons: reasons,
                                 consentedSchema: consented?.name, widening: changes))
    }

    /// Where a payload's refusal points: its version member.
    public static let payloadVersionPointer = JSONPointer(["schema_version"])

    /// Nil when a valid payload of `payloadVersion` may be sent under this consent; otherwise the
    /// violation that refuses it, at `location` (where the payload's `schema_version` is written).
    /// `PayloadReading` adds it to the payload's report; the CLI renders it like any other.
    public func refusal(payloadVersion: Int, at location: SourceLocation) -> Violation? {
        guard payloadVersion != schemaVersion else { return nil }
        return Violation(rule: .consent, pointer: Self.payloadVersionPointer, location: location,
                         message: "payload follows schema_version \(payloadVersion) but consent was given for version \(schemaVersion) on \(consentedOn); ask the member again")
    }
}

public enum ConsentVerdict: Sendable {
    case valid
    case void(ConsentVoid)

    public var isValid: Bool { if case .valid = self { return true } else { return false } }
}

/// Why a consent no longer holds, and what the member would be agreeing to anew.
public struct ConsentVoid: Sendable {
    public let consentedVersion: Int
    public let consentedFingerprint: String
    public let currentVersion: Int?
    public let currentFingerprint: String
    public let reasons: [String]
    /// The file of the consented schema, when it was among the released schemas given.
    public let consentedSchema: String?
    /// The widening findings from the consented schema to the current one; nil when the consented
    /// schema was not at hand, so the changes cannot be listed.
    public let widening: [Finding]?
}

/// A consent record that cannot be read (exit 2: nothing can be checked).
public enum ConsentError: Error, Hashable, Sendable, CustomStringConvertible {
    case malformed(String)
    public var description: String { if case .malformed(let s) = self { return s } else { return "" } }
}
