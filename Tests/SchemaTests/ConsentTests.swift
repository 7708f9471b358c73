import Core
import Foundation
import Testing
@testable import Schema

@Suite("consent")
struct ConsentTests {
    static let today = CalendarDay(year: 2026, month: 6, day: 12)!

    func v0() throws -> SchemaDocument { try SchemaDocument(name: "v0", bytes: ReleasedSchemas.payloadV0) }

    func edited(_ body: (inout JSONValue) -> Void) throws -> SchemaDocument {
        var v = try v0().value
        body(&v)
        return SchemaDocument(name: "new", value: v)
    }

    func record(_ version: Int = 0, _ fp: String? = nil) throws -> ConsentRecord {
        ConsentRecord(schemaVersion: version, schemaFingerprint: try fp ?? SchemaFingerprint.fingerprint(try v0().value),
                      consentedOn: CalendarDay(year: 2026, month: 6, day: 1)!)
    }

    static let modelEnum = JSONPointer(["$defs", "entry", "properties", "model", "enum"])

    @Test("a record parses strictly: exactly three members with their types")
    func parse() throws {
        let fp = try SchemaFingerprint.fingerprint(try v0().value)
        let ok = try ConsentRecord.parse(Array(#"{"schema_version":0,"schema_fingerprint":"\#(fp)","consented_on":"2026-06-12"}"#.utf8))
        #expect(ok.schemaVersion == 0 && ok.schemaFingerprint == fp && ok.consentedOn.description == "2026-06-12")
        for bad in [#"{"schema_version":0,"schema_fingerprint":"\#(fp)"}"#,
                    #"{"schema_version":"0","schema_fingerprint":"\#(fp)","consented_on":"2026-06-12"}"#,
                    #"{"schema_version":0,"schema_fingerprint":"\#(fp.uppercased())","consented_on":"2026-06-12"}"#,
                    #"{"schema_version":0,"schema_fingerprint":"\#(fp)","consented_on":"2026-02-30"}"#,
                    #"{"schema_version":0,"schema_fingerprint":"\#(fp)","consented_on":"2026-06-12","x":1}"#,
                    #"{"schema_version":0,"schema_version":0,"schema_fingerprint":"\#(fp)","consented_on":"2026-06-12"}"#] {
            #expect(throws: ConsentError.self) { try ConsentRecord.parse(Array(bad.utf8)) }
        }
    }

    @Test("consent is valid for exactly the consented version and fingerprint, whatever the annotations say")
    func validBeforeBump() throws {
        #expect(try record().check(against: v0(), today: Self.today).isValid)
        let reworded = try edited { v in v = v.replacing(at: JSONPointer(["description"]), with: .string("Reworded.")) ?? v }
        #expect(try record().check(against: reworded, today: Self.today).isValid)
    }

    @Test("a bump voids consent and lists what the member is asked to agree to anew")
    func voidAfterBump() throws {
        let v1 = try edited { v in
            var e = v.value(at: Self.modelEnum)!.arrayValue!
            e.append(.string("gpt-6"))
            v = v.replacing(at: Self.modelEnum, with: .array(e))!
            v = v.replacing(at: SchemaDocument.versionPointer, with: .number(JSONNumber(1)))!
        }
        guard case .void(let why) = try record().check(against: v1, released: [try v0()], today: Self.today) else {
            Issue.record("consent should be void after a bump"); return
        }
        #expect(why.currentVersion == 1 && why.consentedVersion == 0)
        #expect(why.widening?.map(\.rule) == [.enumValueAdded])
        #expect(why.widening?.first?.counterexample?.value(at: JSONPointer(["entries", "0", "model"])) == .string("gpt-6"))
        // The meter refuses payloads of the new version under the old consent.
        let at = SourceLocation(line: 1, column: 20, offset: 19)
        let refusal = try #require(try record().refusal(payloadVersion: 1, at: at))
        #expect(refusal.rule == .consent && refusal.pointer == JSONPointer(["schema_version"]) && refusal.location == at)
        #expect(try record().refusal(payloadVersion: 0, at: at) == nil)
    }

    @Test("an edit without a bump voids consent too (the fingerprint is part of it)")
    func voidAfterSilentEdit() throws {
        let silent = try edited { v in v = v.replacing(at: JSONPointer(["$defs", "entry", "properties", "sessions", "maximum"]), with: .number(JSONNumber(20000)))! }
        guard case .void(let why) = try record().check(against: silent, released: [try v0()], today: Self.today) else {
            Issue.record("consent should be void"); return
        }
        #expect(why.currentVersion == 0)
        #expect(why.widening?.map(\.rule) == [.boundWidened])
    }

    @Test("when the consented schema is not at hand the check is still void, and says the changes are unknown")
    func unknownConsentedSchema() throws {
        let r = try record(0, "sha256:" + String(repeating: "0", count: 64))
        guard case .void(let why) = r.check(against: try v0(), released: [try v0()], today: Self.today) else {
            Issue.record("consent should be void"); return
        }
        #expect(why.widening == nil)
    }

    @Test("a void consent renders one value in every format: the error finding, the widening count and the verdict agree")
    func voidReportAgreesAcrossFormats() throws {
        let dir = GateTestSupport.golden.appendingPathComponent("consent/void-after-bump")
        let record = try ConsentRecord.parse(try GateTestSupport.bytes(dir.appendingPathComponent("consent.json")))
        let v1 = try GateTestSupport.document(dir.appendingPathComponent("payload-v1.schema.json"))
        let v0 = try GateTestSupport.document(dir.appendingPathComponent("payload-v0.schema.json"))
        let report = record.check(against: v1, released: [v0], today: CalendarDay(year: 2026, month: 6, day: 12)!)
            .report(consent: "consent.json", record: record, schema: "payload-v1.schema.json")
        let json = try StrictJSON.parse(Array(report.render(.json).utf8))
        #expect(json["counts"]?["error"] == .number(JSONNumber(1)) && json["counts"]?["warning"] == .number(JSONNumber(2)))
        #expect(json["widening_changes"] == .number(JSONNumber(2)))
        #expect(report.render(.text).hasSuffix("changes since consent: 2 widening changes (listed above)\nconsent check: failed (1 error, 2 warnings, 0 notes)\n"))
        var quiet = report
        quiet.textErrorsOnly = true
        let quietText = quiet.render(.text)
        #expect(quietText.hasSuffix("consent check: failed (1 error, 2 warnings, 0 notes)\n"), "--quiet counts what JSON counts")
        #expect(quietText.hasPrefix("consent.json:2:21: /schema_version: error CONSENT_VOID"))
        // With nothing widening, no format claims a list "above".
        let bumpedOnly = SchemaDocument(name: "v1", value: v0.value.replacing(at: SchemaDocument.versionPointer, with: .number(JSONNumber(1)))!)
        let same = record.check(against: bumpedOnly, released: [v0], today: CalendarDay(year: 2026, month: 6, day: 12)!)
            .report(consent: "consent.json", record: record, schema: "v1")
        #expect(same.render(.text).contains("changes since consent: none: the current schema accepts no payload the consented one rejected\n"))
    }

    @Test("consent check exits 0 while valid and 1 after a bump, through the built tool")
    func cli() throws {
        let dir = GateTestSupport.golden.appendingPathComponent("consent")
        let valid = try GateTestSupport.run(["consent", "check", "consent.json"], in: dir.appendingPathComponent("valid-built-in"))
        #expect(valid.status == 0)
        let void = try GateTestSupport.run(["consent", "check", "consent.json", "--schema", "payload-v1.schema.json", "--lock", "schemas.lock.json", "--format", "json"],
                                           in: dir.appendingPathComponent("void-after-bump"))
        #expect(void.status == 1)
        let v = try StrictJSON.parse(Array(void.stdout.utf8))
        #expect(v["findings"]?.arrayValue?.compactMap { $0["rule"]?.stringValue }.sorted() == ["BOUND_WIDENED", "CONSENT_VOID", "ENUM_VALUE_ADDED"])
    }
}
