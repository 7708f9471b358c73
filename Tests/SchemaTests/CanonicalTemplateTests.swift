import Core
import Testing
@testable import Schema
import TestSupport

private let today = CalendarDay("2026-06-12")!

/// The canonical-form fast path against the walker: the template may settle a payload only when the
/// walker would find it valid and canonical, and a check must answer the same with or without it.
@Suite("canonical template")
struct CanonicalTemplateTests {
    let withTemplate = PayloadValidator.embedded(today: today)
    var walkerOnly: PayloadValidator {
        var v = withTemplate
        v.usesCanonicalTemplate = false
        return v
    }

    /// A random valid payload in canonical form: 1–6 entries with distinct (tool, model), counters at and
    /// near their bounds, costs with 0–2 decimal places.
    static func canonicalPayload(_ rng: inout SplitMix64, tools: [String], models: [String]) -> Payload {
        func counter() -> Int64 {
            switch rng.next() % 6 {
            case 0: return 0
            case 1: return Int64(rng.next() % 10)
            case 2: return Int64(rng.next() % 100_000_000_001)
            case 3: return 100_000_000_000   // the schema's maximum
            default: return Int64(rng.next() % 100_000)
            }
        }
        var pairs = Set<[Int]>()
        var entries: [PayloadEntry] = []
        for _ in 0..<(1 + Int(rng.next() % 6)) {
            let pair = [Int(rng.next() % UInt64(tools.count)), Int(rng.next() % UInt64(models.count))]
            guard pairs.insert(pair).inserted else { continue }
            entries.append(PayloadEntry(tool: tools[pair[0]], model: models[pair[1]], inputTokens: counter(), outputTokens: counter(),
                                        cacheReadTokens: counter(), cacheCreationTokens: counter(),
                                        costCents: [Int64(rng.next() % 100), Int64(rng.next() % 10_000_001), 10_000_000][Int(rng.next() % 3)],
                                        sessions: rng.next() % 8 == 0 ? 10_000 : 1 + Int64(rng.next() % 50)))
        }
        let hex = Array("0123456789abcdef")
        var id = (0..<32).map { _ in hex[Int(rng.next() % 16)] }
        id[12] = "4"
        id[16] = Array("89ab")[Int(rng.next() % 4)]
        let s = String(id)
        let uuid = [s.prefix(8), s.dropFirst(8).prefix(4), s.dropFirst(12).prefix(4), s.dropFirst(16).prefix(4), s.dropFirst(20)].joined(separator: "-")
        let day = CalendarDay(daysSinceEpoch: CalendarDay("2024-01-01")!.daysSinceEpoch + Int(rng.next() % 890))
        return Payload(schemaVersion: 0, panelist: uuid, date: day, entries: entries)
    }

    /// Edits that each break one thing the template relies on (or nothing, for the control cases).
    static let edits: [(String, String)] = [
        (",", ", "), (":", " : "), ("{", "{\n"), ("\"claude-code\"", "\"\\u0063laude-code\""), ("\"codex\"", "\"cod\\u0065x\""),
        ("\"sessions\":", "\"sessions\":-"), (":0", ":-0"), (":0", ":00"), (":1", ":1.0"), (":1", ":1e0"), (":2", ":2E1"),
        (".5", ".50"), (".", ".0"), ("\"cost_usd_est\":", "\"cost_usd_est\":0."), ("\"date\"", "\"dat\\u0065\""),
        ("\"model\"", "\"mode\""), ("\"tool\":", "\"tool\":\"cursor\",\"tool\":"), ("-4", "-5"), ("a", "A"), ("b", "\u{e9}"),
        ("\"schema_version\":0", "\"schema_version\":1"), ("\"schema_version\":0", "\"schema_version\":0.0"),
        ("}]", "},{}]"), ("[", "[]"), ("2026", "1999"), ("-0", "-1"), ("-1", "-3"), ("\"", "'"), ("}", "}\n"), ("}", "}\n\n"),
        ("}", "} "), ("\"entries\":[", "\"entries\":[ "), ("claude", "cl\u{7f}aude"), ("opus", "op\tus"), ("9", "99999999999999999999"),
        ("\"panelist\"", "\"x\":1,\"panelist\""),
    ]

    func outcome(_ v: PayloadValidator, _ bytes: [UInt8]) -> (String, Payload?) {
        var decoder = PayloadDecoder(schema: v.root)!
        let (report, payload) = bytes.withUnsafeBytes { v.decode($0, with: &decoder) }
        let text = report.violations.map(\.description) + report.freedoms.map(\.description)
        return (text.joined(separator: "\n"), payload)
    }

    func templateAccepts(_ bytes: [UInt8]) -> Bool {
        let flat = withTemplate.flat
        var sink = DiscardingSink()
        return bytes.withUnsafeBytes { b in
            withUnsafeMutablePointer(to: &sink) { CanonicalTemplate.run(flat.template!, flat.view, bytes: b, todayDays: today.daysSinceEpoch, sink: $0) }
        }
    }

    @Test("the version 0 schema has a template")
    func v0HasTemplate() {
        #expect(withTemplate.flat.template != nil)
    }

    @Test("canonical payloads are settled by the template, with the walker's decoding")
    func canonicalAccepted() throws {
        var decoder = try #require(PayloadDecoder(schema: withTemplate.root))
        var rng = SplitMix64(seed: 0x7E3A_91)
        for i in 0..<400 {
            let p = Self.canonicalPayload(&rng, tools: decoder.tools, models: decoder.models)
            let bytes = p.canonicalBytes
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(templateAccepts(bytes), "payload \(i) not taken by the template: \(text)")
            let (report, decoded) = bytes.withUnsafeBytes { withTemplate.decode($0, with: &decoder) }
            #expect(report.isValid && report.isCanonical, "payload \(i): \(report.violations.first?.description ?? "") in \(text)")
            #expect(decoded == p, "payload \(i)")
        }
    }

    @Test("with or without the template, a check reports and decodes the same (edited and mutated payloads)")
    func sameAnswerAsWalker() throws {
        let decoder = try #require(PayloadDecoder(schema: withTemplate.root))
        let walker = walkerOnly
        var rng = SplitMix64(seed: 0xC0FFEE)
        var templateTook = 0, edited = 0
        for i in 0..<300 {
            let base = String(decoding: Self.canonicalPayload(&rng, tools: decoder.tools, models: decoder.models).canonicalBytes, as: UTF8.self)
            var cases: [[UInt8]] = []
            for (from, to) in Self.edits where base.contains(from) {
                // One occurrence, chosen at random, is edited.
                let ranges = base.ranges(of: from)
                let r = ranges[Int(rng.next() % UInt64(ranges.count))]
                cases.append(Array(base.replacingCharacters(in: r, with: to).utf8))
            }
            var bytes = Array(base.utf8)
            for _ in 0..<3 {   // byte-level mutations: replace, insert or delete one byte
                var m = bytes
                let at = Int(rng.next() % UInt64(m.count))
                let interesting: [UInt8] = [0x20, 0x22, 0x2C, 0x2D, 0x2E, 0x30, 0x31, 0x39, 0x3A, 0x5B, 0x5D, 0x5C, 0x7B, 0x7D, 0x41, 0x61, 0x65, 0x0A, 0x00, 0xC3, 0xFF]
                let b = interesting[Int(rng.next() % UInt64(interesting.count))]
                switch rng.next() % 3 {
                case 0: m[at] = b
                case 1: m.insert(b, at: at)
                default: m.remove(at: at)
                }
                cases.append(m)
                bytes = m
            }
            for c in cases {
                let fast = outcome(withTemplate, c), slow = outcome(walker, c)
                #expect(fast.0 == slow.0, "case of payload \(i): \(String(decoding: c, as: UTF8.self))")
                #expect(fast.1 == slow.1, "case of payload \(i): \(String(decoding: c, as: UTF8.self))")
                if templateAccepts(c) {
                    templateTook += 1
                    #expect(slow.0.isEmpty && slow.1 != nil, "template took what the walker refuses: \(String(decoding: c, as: UTF8.self))")
                } else {
                    edited += 1
                }
            }
        }
        // Both sides of the fast path were exercised.
        #expect(templateTook > 100 && edited > 1000)
    }

    @Test("schemas the template cannot follow exactly get none, and are still validated", arguments: [
        #"{"type":"object","additionalProperties":false,"required":["a"],"properties":{"a":{"type":"integer","minimum":0,"maximum":9},"b":{"type":"integer","minimum":0,"maximum":9}}}"#,
        #"{"type":"object","additionalProperties":false,"required":["a"],"properties":{"a":{"type":"boolean"}}}"#,
    ])
    func noTemplate(_ schema: String) throws {
        let v = try PayloadValidator(schema: try StrictJSON.parse(Array(schema.utf8)), today: today)
        #expect(v.flat.template == nil)
        #expect(v.check(Array(#"{"a":1}"#.utf8)).isValid != schema.contains("boolean"))
    }

    @Test("a pattern the uuid format already implies is not run again on the hot path")
    func impliedPatternSkipped() {
        let flat = withTemplate.flat
        let uuid = flat.strings.first { $0.format == 1 }
        let date = flat.strings.first { $0.format == 2 }
        #expect(uuid?.dfa == -1)
        #expect((date?.dfa ?? -1) >= 0)   // the date pattern says more than the format (20xx only)
    }
}

@Suite("UUID words")
struct UUIDWordsTests {
    @Test("eight digits at a time: the words are the UUID's hex value, and any byte that is not a digit is refused")
    func wordsMatchTheText() {
        var rng = SplitMix64(seed: 9562)
        let hex = Array("0123456789abcdef".utf8), upper = Array("0123456789ABCDEF".utf8)
        for round in 0..<300 {
            let mixed = round % 2 == 1
            var text = (0..<36).map { i -> UInt8 in
                let d = Int(rng.next() % 16)
                return mixed && rng.next() % 2 == 0 ? upper[d] : hex[d]
            }
            for i in [8, 13, 18, 23] { text[i] = 0x2D }
            let digits = String(decoding: text.filter { $0 != 0x2D }, as: UTF8.self)
            let want = (UInt64(digits.prefix(16), radix: 16)!, UInt64(digits.suffix(16), radix: 16)!)
            let got = text.withUnsafeBytes { UUIDCheck.words($0, upperCase: true) }
            #expect(got?.0 == want.0 && got?.1 == want.1, "\(digits)")
            let lowerOnly = text.withUnsafeBytes { UUIDCheck.words($0, upperCase: false) }
            #expect((lowerOnly != nil) == !text.contains { $0 >= 0x41 && $0 <= 0x46 })
            // One byte outside the hex digits, anywhere, is refused.
            let at = [0, 7, 9, 12, 14, 17, 19, 22, 24, 27, 28, 35][round % 12]
            for b in [0x00, 0x2F, 0x3A, 0x40, 0x47, 0x60, 0x67, 0x7F, 0x80, 0xB0, 0xE1, 0xFF] as [UInt8] {
                var bad = text
                bad[at] = b
                #expect(bad.withUnsafeBytes { UUIDCheck.words($0, upperCase: true) } == nil, "byte \(b) at \(at)")
            }
        }
        #expect(Array("6f1c2a7e-3b7d-4c2e-9a41-0d5b8e9f1a23".utf8).withUnsafeBytes { UUIDCheck.words($0, upperCase: false) }.map { [$0.0, $0.1] }
                == [0x6f1c_2a7e_3b7d_4c2e, 0x9a41_0d5b_8e9f_1a23])
    }
}
