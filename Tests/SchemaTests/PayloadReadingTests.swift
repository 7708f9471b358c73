import Core
import Testing
@testable import Schema
import TestSupport

private let today = CalendarDay("2026-06-12")!
private let seed = """
{"date":"2026-06-12","entries":[{"cache_creation_tokens":1082211,"cache_read_tokens":114230998,"cost_usd_est":23.91,"input_tokens":18093021,"model":"claude-opus-4-8","output_tokens":842117,"sessions":4,"tool":"claude-code"}],"panelist":"6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23","schema_version":0}
"""

/// `PayloadReading`: one validation pass yields the verdict, the canonical bytes and the consent refusal.
@Suite("payload reading")
struct PayloadReadingTests {
    let validator = PayloadValidator.embedded(today: today)

    /// The canonical form by its definition (docs/payload-format.md), from an independent reading: the
    /// strict JSON tree, unique-by arrays sorted by their keys, written by RFC 8785.
    func canonicalByDefinition(_ v: PayloadValidator, _ bytes: [UInt8]) -> [UInt8]? {
        guard let tree = try? StrictJSON.parse(bytes, limits: v.limits) else { return nil }
        return try? CanonicalJSON.serialize(v.sortUniqueArrays(tree, v.root))
    }

    func read(_ v: PayloadValidator, _ bytes: [UInt8], canonical: Bool = true, consent: ConsentRecord? = nil) -> PayloadOutcome {
        var reading = PayloadReading(v, canonical: canonical, consent: consent)
        return bytes.withUnsafeBytes { reading.read($0) }
    }

    @Test("the canonical bytes of one pass are the canonical form by definition (edited and mutated payloads)")
    func canonicalBytesByDefinition() throws {
        let decoder = try #require(PayloadDecoder(schema: validator.root))
        var rng = SplitMix64(seed: 0xCA11)
        var reading = PayloadReading(validator, canonical: true, consent: nil)
        var rebuilt = 0
        for i in 0..<200 {
            let payload = CanonicalTemplateTests.canonicalPayload(&rng, tools: decoder.tools, models: decoder.models)
            let base = String(decoding: payload.canonicalBytes, as: UTF8.self)
            for (from, to) in CanonicalTemplateTests.edits where base.contains(from) {
                let bytes = Array(base.replacingOccurrences(from, to).utf8)
                let outcome = bytes.withUnsafeBytes { reading.read($0) }
                let report = validator.check(bytes)
                #expect(outcome.report.violations == report.violations && outcome.report.freedoms == report.freedoms)
                if report.isValid {
                    #expect(outcome.canonicalBytes == canonicalByDefinition(validator, bytes), "payload \(i): \(String(decoding: bytes, as: UTF8.self))")
                    if !report.isCanonical { rebuilt += 1 }
                } else {
                    #expect(outcome.canonicalBytes == nil)
                }
            }
        }
        #expect(rebuilt > 500)
    }

    @Test("a canonical payload is its own canonical form: the values the walker hands over rebuild it exactly")
    func canonicalIsFixedPoint() throws {
        let decoder = try #require(PayloadDecoder(schema: validator.root))
        var rng = SplitMix64(seed: 0xF1);
        for _ in 0..<300 {
            let bytes = CanonicalTemplateTests.canonicalPayload(&rng, tools: decoder.tools, models: decoder.models).canonicalBytes
            #expect(validator.rebuiltCanonicalBytes(bytes) == bytes)
            #expect(read(validator, bytes + [0x0A]).canonicalBytes == bytes)
        }
    }

    @Test("Payload.canonicalBytes, written from the model, is what the validator rebuilds from the bytes")
    func modelWriterAgrees() throws {
        var decoder = try #require(PayloadDecoder(schema: validator.root))
        let spaced = Array(seed.replacingOccurrences(",", ", ").replacingOccurrences("23.91", "23.910").utf8)
        let (report, payload) = spaced.withUnsafeBytes { validator.decode($0, with: &decoder) }
        #expect(report.isValid && !report.isCanonical)
        #expect(try #require(payload).canonicalBytes == Array(seed.utf8))
        #expect(validator.canonicalBytes(spaced) == Array(seed.utf8))
    }

    @Test("under a consent to another version a valid payload is refused at its schema_version, in the same pass")
    func consentRefusal() throws {
        let consent = ConsentRecord(schemaVersion: 1, schemaFingerprint: "sha256:" + String(repeating: "0", count: 64), consentedOn: today)
        // Canonical (the fast path reads it) and spread over lines (the walker does): the refusal points at the value.
        let spread = seed.replacingOccurrences(",\"schema_version\":", ",\n  \"schema_version\": ")
        for (text, line, column) in [(seed, 1, seed.utf8.count - 1), (spread, 2, 21)] {
            let outcome = read(validator, Array(text.utf8), consent: consent)
            let v = try #require(outcome.report.violations.first)
            #expect(outcome.report.violations.count == 1 && v.rule == .consent && v.pointer == JSONPointer(["schema_version"]))
            #expect(v.location.line == line && v.location.column == column, "\(v.location)")
            #expect(v.message.contains("consent was given for version 1"))
            #expect(outcome.canonicalBytes == nil)
        }
        // The version consented to passes; an invalid payload is not refused on top of its violations.
        let same = ConsentRecord(schemaVersion: 0, schemaFingerprint: consent.schemaFingerprint, consentedOn: today)
        #expect(read(validator, Array(seed.utf8), consent: same).report.isValid)
        let invalid = read(validator, Array(seed.replacingOccurrences("\"sessions\":4", "\"sessions\":-4").utf8), consent: consent)
        #expect(!invalid.report.violations.contains { $0.rule == .consent })
    }

    @Test("any compiled schema: optional members, nested and unique-by arrays, booleans and null are rebuilt", arguments: [
        #"{ "b" : [ {"k":"y","v":[2,1.50]}, {"k":"x","v":[]} ], "a" : true, "n" : null, "s" : "\u00e9\/" }"#,
        #"{"a":false,"b":[{"v":[1e2],"k":"x"}]}"#,
        #"{"b":[]}"#,
    ])
    func generalSchema(_ text: String) throws {
        let schema = #"""
        {"type":"object","additionalProperties":false,"required":["b"],"properties":{
          "a":{"type":"boolean"},"n":{"type":"null"},"s":{"type":"string","maxLength":8},
          "b":{"type":"array","maxItems":4,"x-backpay-unique-by":["k"],"items":{"type":"object","additionalProperties":false,
            "required":["k","v"],"properties":{"k":{"type":"string","enum":["x","y"]},
              "v":{"type":"array","maxItems":3,"items":{"type":"number","minimum":0,"maximum":1000}}}}}}}
        """#
        let v = try PayloadValidator(schema: try StrictJSON.parse(Array(schema.utf8)), today: today)
        let bytes = Array(text.utf8)
        let outcome = read(v, bytes)
        #expect(outcome.report.isValid, "\(outcome.report.violations)")
        let c = try #require(outcome.canonicalBytes)
        #expect(c == canonicalByDefinition(v, bytes))
        #expect(v.check(c).isCanonical)
    }

    @Test("asked for nothing more, reading is checking")
    func plainCheck() {
        let text = seed.replacingOccurrences(",", ", ")
        let outcome = read(validator, Array(text.utf8), canonical: false)
        #expect(outcome.canonicalBytes == nil && outcome.report.isValid && !outcome.report.isCanonical)
    }
}
