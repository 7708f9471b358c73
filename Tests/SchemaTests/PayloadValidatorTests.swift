import Core
import Testing
@testable import Schema
#if canImport(Glibc)
import Glibc
#endif

private let today = CalendarDay("2026-06-12")!
private let seed = """
{"date":"2026-06-12","entries":[{"cache_creation_tokens":1082211,"cache_read_tokens":114230998,"cost_usd_est":23.91,"input_tokens":18093021,"model":"claude-opus-4-8","output_tokens":842117,"sessions":4,"tool":"claude-code"}],"panelist":"6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23","schema_version":0}
"""

private func repoFile(_ path: String) throws -> [UInt8] {
    let root = String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")
    return try Files.read("/" + root + "/" + path)
}

@Suite("payload validator")
struct PayloadValidatorTests {
    let validator = PayloadValidator.embedded(today: today)

    @Test("the embedded schema is byte for byte schemas/payload-v0.schema.json")
    func embeddedMatchesFile() throws {
        #expect(Array(EmbeddedSchema.payloadV0.utf8) == (try repoFile("schemas/payload-v0.schema.json")))
    }

    @Test("the seed example of docs/payload-format.md is valid and canonical")
    func seedValid() {
        let r = validator.check(Array(seed.utf8))
        #expect(r.isValid && r.isCanonical)
    }

    @Test("decodes the payload in the same pass, cost in exact cents")
    func decodes() throws {
        var decoder = try #require(PayloadDecoder(schema: validator.root))
        let (report, payload) = Array(seed.utf8).withUnsafeBytes { validator.decode($0, with: &decoder) }
        #expect(report.isValid)
        let p = try #require(payload)
        #expect(p.panelist == "6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23" && p.date == today)
        #expect(p.entries == [PayloadEntry(tool: "claude-code", model: "claude-opus-4-8", inputTokens: 18093021, outputTokens: 842117,
                                           cacheReadTokens: 114230998, cacheCreationTokens: 1082211, costCents: 2391, sessions: 4)])
        // The model's canonical bytes are the payload's canonical bytes.
        #expect(p.canonicalBytes == Array(seed.utf8))
    }

    @Test("strings written with escapes decode to the same payload (and are not canonical)")
    func escapedStringsDecode() throws {
        var decoder = try #require(PayloadDecoder(schema: validator.root))
        let escaped = seed.replacingOccurrences("\"6f1c", "\"\\u0036f1c").replacingOccurrences("2026-06-12", "2026-06-1\\u0032")
            .replacingOccurrences("\"claude-code\"", "\"claude\\u002dcode\"")
        let (report, payload) = Array(escaped.utf8).withUnsafeBytes { validator.decode($0, with: &decoder) }
        let (_, plain) = Array(seed.utf8).withUnsafeBytes { validator.decode($0, with: &decoder) }
        #expect(report.isValid && !report.isCanonical)
        #expect(payload != nil && payload == plain)
        #expect(Array(escaped.utf8).withUnsafeBytes { b in _ = validator.check(b, decoder: &decoder); return decoder.canonicalBytes(orLine: b) } == Array(seed.utf8))
    }

    @Test("cost is decided on its decimal text: 19.99, 0.07 and 4.35 pass, 0.005 does not", arguments: [
        ("19.99", 1999), ("0.07", 7), ("4.35", 435), ("100000", 10_000_000), ("0", 0), ("0.1", 10),
    ])
    func exactCents(_ text: String, _ cents: Int64) throws {
        let bytes = Array(seed.replacingOccurrences("23.91", text).utf8)
        var decoder = try #require(PayloadDecoder(schema: validator.root))
        let (report, payload) = bytes.withUnsafeBytes { validator.decode($0, with: &decoder) }
        #expect(report.isValid)
        #expect(payload?.entries.first?.costCents == cents)
        #expect(!validator.check(Array(seed.replacingOccurrences("23.91", "0.005").utf8)).isValid)
    }

    @Test("canonical bytes sort entries by (tool, model) and drop freedom", arguments: [
        "{ \"schema_version\":0,\"panelist\":\"6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23\",\"date\":\"2026-06-12\",\"entries\":[{\"tool\":\"codex\",\"model\":\"o3\",\"input_tokens\":1,\"output_tokens\":2,\"cache_read_tokens\":3,\"cache_creation_tokens\":4,\"cost_usd_est\":1.50,\"sessions\":1},{\"tool\":\"aider\",\"model\":\"o3\",\"input_tokens\":1,\"output_tokens\":2,\"cache_read_tokens\":3,\"cache_creation_tokens\":4,\"cost_usd_est\":1e0,\"sessions\":1}]}",
    ])
    func canonicalForm(_ text: String) throws {
        let r = validator.check(Array(text.utf8))
        #expect(r.isValid && !r.isCanonical)
        #expect(Set(r.freedoms.map(\.kind)) == [.whitespace, .memberOrder, .numberSpelling, .itemOrder])
        let c = try #require(validator.canonicalBytes(Array(text.utf8)))
        let again = validator.check(c)
        #expect(again.isValid && again.isCanonical)
        #expect(validator.canonicalBytes(c) == c)
        #expect(String(decoding: c, as: UTF8.self).contains("\"tool\":\"aider\"}") && String(decoding: c, as: UTF8.self).hasSuffix("\"schema_version\":0}"))
    }

    @Test("a vocabulary word with surrounding spaces is a look-alike, even when it extends another word (docs/payload-format.md §3.3)", arguments: [
        ("\"claude-opus-4-8\"", "\"gpt-5-mini \""), ("\"claude-opus-4-8\"", "\" gpt-5.1-codex\""), ("\"claude-code\"", "\"claude-code \""),
    ])
    func surroundingSpaces(_ from: String, _ to: String) throws {
        let r = validator.check(Array(seed.replacingOccurrences(from, to).utf8))
        let v = try #require(r.violations.first)
        #expect(r.violations.count == 1 && v.code == "enum.lookalike" && v.message.hasSuffix("(remove the surrounding whitespace)"), "\(v)")
    }

    @Test("a control character in a word is named as one, not as non-ASCII; a non-ASCII one is", arguments: [
        ("\"claude\\tcode\"", "U+0009 is a control character"), ("\"claude\\u007fcode\"", nil),
        ("\"claude-cod\u{E9}\"", "U+00E9 is not ASCII"),
    ] as [(String, String?)])
    func controlCharacterWording(_ tool: String, _ named: String?) throws {
        let r = validator.check(Array(seed.replacingOccurrences("\"claude-code\"", tool).utf8))
        let v = try #require(r.violations.first)
        if let named {
            #expect(v.code == "enum.lookalike" && v.message.contains(named) && !v.message.contains("U+0009 is not ASCII"), "\(v)")
        } else {
            #expect(v.code == "enum" && !v.message.contains("not ASCII"), "\(v)")   // DEL is ASCII, not a look-alike
        }
    }

    @Test("a noncharacter in a payload is a syntax error, like any string I-JSON rules out")
    func noncharacterRefused() throws {
        let text = seed.replacingOccurrences("\"claude-code\"", "\"claude-code*\"")
        let bytes = Array(text.utf8).flatMap { $0 == 0x2A ? [0xEF, 0xBF, 0xBE] : [$0] }   // U+FFFE
        let r = validator.check(bytes)
        #expect(r.violations.map(\.code) == ["syntax.noncharacter"])
    }

    @Test("a schema with an unknown or refused keyword is an error, not ignored", arguments: [
        ("{\"type\":\"object\",\"additionalproperties\":false}", "/additionalproperties"),
        ("{\"type\":\"object\",\"patternProperties\":{}}", "/patternProperties"),
        ("{\"anyOf\":[{\"type\":\"string\"}]}", "/anyOf"),
        ("{\"type\":\"object\",\"properties\":{\"a\":true}}", "/properties/a"),
        ("{\"$ref\":\"https://example.org/s.json\"}", "/$ref"),
        ("{\"type\":\"string\",\"format\":\"email\"}", "/format"),
        ("{\"type\":\"string\",\"minimum\":1}", "/minimum"),
    ])
    func strictSchemas(_ schema: String, _ pointer: String) throws {
        let doc = try StrictJSON.parse(Array(schema.utf8))
        do {
            _ = try PayloadValidator(schema: doc, today: today)
            Issue.record("schema accepted")
        } catch {
            #expect(error.pointer.description == pointer)
        }
    }

    @Test("JSON lines are streamed with their line numbers; over-long lines are reported, not buffered")
    func jsonLines() throws {
        let path = "/tmp/backpay-jsonl-\(getpid()).jsonl"
        defer { unlink(path) }
        let long = String(repeating: "x", count: 100_000)
        try Files.writeAtomically(path, Array("a\n\n\(long)\nb".utf8), overwrite: true)
        var seen: [String] = []
        try JSONLinesReader(path: path, maxLineBytes: 1000).forEachLine { n, line in
            switch line {
            case .bytes(let b): seen.append("\(n):\(String(decoding: b, as: UTF8.self))")
            case .tooLong(let size): seen.append("\(n):long \(size)")
            }
            return true
        }
        #expect(seen == ["1:a", "2:", "3:long 100000", "4:b"])
    }

    @Test("calendar days and ISO weeks: leap years, week 53, Monday-to-Sunday")
    func calendar() {
        #expect(CalendarDay("2024-02-29") != nil && CalendarDay("2025-02-29") == nil && CalendarDay("2026-02-30") == nil)
        #expect(ISOWeek(containing: CalendarDay("2026-06-12")!).description == "2026-W24")
        #expect(ISOWeek("2026-W24")!.monday == CalendarDay("2026-06-08")! && ISOWeek("2026-W24")!.sunday == CalendarDay("2026-06-14")!)
        #expect(ISOWeek(containing: CalendarDay("2021-01-03")!).description == "2020-W53")
        #expect(ISOWeek(containing: CalendarDay("2024-12-30")!).description == "2025-W01")
        #expect(ISOWeek("2025-W53") == nil && ISOWeek("2026-W53") != nil && ISOWeek("2020-W53") != nil)
        for d in stride(from: -1000, to: 30000, by: 37) { #expect(CalendarDay(daysSinceEpoch: d).daysSinceEpoch == d) }
    }
}
