import Testing
import Core
import Intake
import Schema
import TestSupport
@testable import Anon
@testable import Verify

/// The release acceptance cases (docs/auditors.md) as files under golden/release/<case>/:
/// rows.jsonl → the release we build (release.json, safe), and a hand-made release (unsafe.json) whose
/// expected audit is audit-unsafe.txt. Set UPDATE_GOLDEN=1 to rewrite release.json and the audit files.
@Suite("ReleaseGolden") struct ReleaseGoldenTests {
    static let dir: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/golden/release/"
    }()
    static let update = getenvString("UPDATE_GOLDEN") != nil
    static let today = CalendarDay(year: 2026, month: 6, day: 20)!
    static let w24 = ISOWeek(year: 2026, week: 24)!

    /// The payloads of a rows file, in memory (for the in-memory API).
    static func rows(_ path: String) throws -> [SourcedPayload] {
        let validator = PayloadValidator.embedded(today: today)
        var out: [SourcedPayload] = []
        var decoder = PayloadDecoder(schema: validator.root)!
        try JSONLinesReader(path: path).forEachLine { n, line in
            guard case .bytes(let b) = line, let p = validator.decode(b, with: &decoder).1 else { throw IntakeError.file(.cannotRead(path: path, reason: "line \(n) is not a valid payload")) }
            out.append(SourcedPayload(payload: p, source: Source(file: path, line: n)))
            return true
        }
        return out
    }

    /// The week's inputs as `release build` reads them (streaming).
    static func intake(_ path: String, week: ISOWeek = w24, lateThrough: CalendarDay? = nil) throws -> WeekInputs {
        var intake = WeekIntake(validator: PayloadValidator.embedded(today: today), week: week, lateThrough: lateThrough, quarantine: false)
        try intake.read(path: path, displayName: path)
        return try intake.finish()
    }

    static func load(_ path: String) throws -> (document: ReleaseDocument, bytes: [UInt8]) {
        let bytes = try Files.read(path)
        return (try ReleaseDocument.decode(bytes).document.get(), bytes)
    }

    /// Compares with the golden file, or writes it under UPDATE_GOLDEN.
    static func golden(_ path: String, _ bytes: [UInt8]) throws {
        if update { try Files.writeAtomically(path, bytes, overwrite: true); return }
        let want = try Files.read(path)
        #expect(want == bytes, "\(path) differs:\n\(String(decoding: bytes, as: UTF8.self))")
    }

    static func text(_ r: ReleaseAuditReport) -> String { r.findings.map { "\($0.code): \($0.message)\n" }.joined() }

    @Test("our releases pass their audit; the hand-made unsafe ones are flagged", arguments: [
        "row-leak", "column-leak", "safe-rectangle", "bridge", "narrow-rectangle", "acro-margin",
    ])
    func acceptance(_ name: String) throws {
        let d = Self.dir + name + "/"
        let rows = try Self.rows(d + "rows.jsonl")
        let inputs = try Self.intake(d + "rows.jsonl")
        let (doc, _) = try ReleaseBuilder.build(inputs: inputs, policy: try Policy(), previous: nil)
        let bytes = try doc.canonicalBytes()
        try Self.golden(d + "release.json", bytes)
        let (inMemory, _) = try ReleaseBuilder.build(payloads: rows, week: Self.w24, policy: try Policy(), previous: nil)
        #expect(try inMemory.canonicalBytes() == bytes, "\(name): the in-memory build differs from the streaming one")
        let ours = try ReleaseAuditor.audit(document: doc, bytes: bytes, inputs: inputs)
        #expect(ours.findings.isEmpty, "\(name): our release has findings: \(Self.text(ours))")
        #expect(ours.rowsChecked)

        let handmade = Files.exists(d + "unsafe.json") ? "unsafe.json" : "handmade.json"
        let (h, hb) = try Self.load(d + handmade)
        let alone = try ReleaseAuditor.audit(document: h, bytes: hb)
        let withRows = try ReleaseAuditor.audit(document: h, bytes: hb, inputs: inputs)
        let out = "# release alone\n" + Self.text(alone) + "# with rows\n" + Self.text(withRows)
        try Self.golden(d + "audit-\(handmade.dropLast(5)).txt", Array(out.utf8))
        if handmade == "unsafe.json" {
            #expect(!withRows.findings.isEmpty, "\(name): the unsafe release passed the audit")
        } else {
            #expect(alone.findings.isEmpty && withRows.findings.isEmpty)
        }
    }

    @Test("exact leaks are found from the release alone, with the leaked numbers")
    func exactFromReleaseAlone() throws {
        for (name, value) in [("row-leak", "300000"), ("column-leak", "1500000"), ("bridge", "300000"), ("acro-margin", "900600000")] {
            let (h, hb) = try Self.load(Self.dir + name + "/unsafe.json")
            let r = try ReleaseAuditor.audit(document: h, bytes: hb)
            #expect(r.findings.contains { $0.code == "exact" && $0.message.hasSuffix("input_tokens is derived exactly: \(value)") }, "\(name)")
        }
    }

    @Test("the narrow rectangle is not exact, and the rows show it is under-protected")
    func narrow() throws {
        let d = Self.dir + "narrow-rectangle/"
        let (h, hb) = try Self.load(d + "unsafe.json")
        #expect(try ReleaseAuditor.audit(document: h, bytes: hb).findings.isEmpty)
        let r = try ReleaseAuditor.audit(document: h, bytes: hb, inputs: try WeekInputs(payloads: try Self.rows(d + "rows.jsonl"), week: Self.w24))
        #expect(r.findings.contains { $0.code == "under-protected" && $0.message.contains("input_tokens interval [1200000, 3100000]") })
    }

    @Test("a late payload is reported, not published; a re-issued week is flagged with the difference")
    func weekDifferencing() throws {
        let d = Self.dir + "week-differencing/"
        let w23 = ISOWeek(year: 2026, week: 23)!
        let (prevDoc, _) = try ReleaseBuilder.build(payloads: try Self.rows(d + "rows-w23.jsonl"), week: w23, policy: try Policy(), previous: nil)
        let prev = try Self.load(d + "previous.json")
        #expect(try prevDoc.canonicalBytes() == prev.bytes, "previous.json is not the release we build from rows-w23.jsonl")

        let rows = try Self.rows(d + "rows.jsonl")
        let (doc, report) = try ReleaseBuilder.build(payloads: rows, week: Self.w24, policy: try Policy(), previous: prev)
        #expect(report.late.count == 1)
        #expect(doc.sequence == 2 && doc.previous == SHA256.hash(prev.bytes))
        let bytes = try doc.canonicalBytes()
        try Self.golden(d + "release.json", bytes)
        let ours = try ReleaseAuditor.audit(document: doc, bytes: bytes, inputs: try WeekInputs(payloads: rows, week: Self.w24), previous: prev)
        #expect(ours.findings.isEmpty, "\(Self.text(ours))")

        #expect(throws: BuildError.self) {
            try ReleaseBuilder.build(payloads: rows, week: w23, policy: try Policy(), previous: prev)
        }
        let (h, hb) = try Self.load(d + "unsafe.json")
        let alone = try ReleaseAuditor.audit(document: h, bytes: hb)
        let chained = try ReleaseAuditor.audit(document: h, bytes: hb, previous: prev)
        try Self.golden(d + "audit-unsafe.txt", Array(("# release alone\n" + Self.text(alone) + "# with previous\n" + Self.text(chained)).utf8))
        #expect(alone.findings.isEmpty)
        #expect(chained.findings.contains { $0.code == "reissue" })
        #expect(chained.findings.contains { $0.code == "difference" && $0.message.hasPrefix("claude-code × claude-opus-4-8") && $0.message.contains("input_tokens +6750000") })
    }
}
