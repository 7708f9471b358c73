import Core
import Testing
import TestSupport
@testable import Schema

private func canon(_ text: String) throws -> String {
    try CanonicalJSON.string(try StrictJSON.parse(Array(text.utf8)))
}

@Suite("RFC 8785 canonical writer")
struct CanonicalJSONTests {
    @Test("writes numbers the way ECMAScript does (RFC 8785 appendix B vectors and edge cases)", arguments: [
        ("0", "0"), ("-0", "0"), ("-0.0", "0"), ("1.0", "1"), ("1e0", "1"), ("1E2", "100"), ("1e21", "1e+21"), ("1e20", "100000000000000000000"),
        ("1e-7", "1e-7"), ("0.000001", "0.000001"), ("123.456", "123.456"), ("4.50", "4.5"), ("2e-3", "0.002"),
        ("1.7976931348623157e308", "1.7976931348623157e+308"), ("5e-324", "5e-324"), ("-1.5e-9", "-1.5e-9"),
        ("333333333.33333329", "333333333.3333333"), ("0.1", "0.1"), ("9007199254740991", "9007199254740991"),
        ("1E400", ""), ("123456789012345678901", ""), ("295147905179352830000.0", "295147905179352830000"),
        ("4.35", "4.35"), ("0.07", "0.07"), ("19.99", "19.99"), ("1e23", "1e+23"), ("-5e-7", "-5e-7"),
    ])
    func numbers(_ lexeme: String, _ expected: String) {
        #expect(CanonicalJSON.canonicalNumber(JSONNumber(lexeme: lexeme)) ?? "" == expected)
    }

    @Test("sorts keys by UTF-16 code units: a surrogate pair before U+FB01")
    func keyOrder() throws {
        let out = try canon("{\"\u{FB01}\":3,\"\u{1F600}\":2,\"a\":1,\"B\":0}")
        #expect(out == "{\"B\":0,\"a\":1,\"\u{1F600}\":2,\"\u{FB01}\":3}")
    }

    @Test("escapes only quote, backslash and controls; writes everything else raw")
    func strings() throws {
        #expect(try canon("\"\\u0041\\/\\u00e9\\u2028\\u007f\\u001F\\n\\u0008\"") == "\"A/é\u{2028}\u{7F}\\u001f\\n\\b\"")
    }

    @Test("is idempotent and preserves values (property, seeded)")
    func idempotent() throws {
        var rng = SplitMix64(state: 7)
        for _ in 0..<2_000 {
            let v = randomValue(&rng, depth: 0)
            let c1 = try CanonicalJSON.serialize(v)
            let parsed = try StrictJSON.parse(c1)
            #expect(parsed == v)
            #expect(try CanonicalJSON.serialize(parsed) == c1)
        }
    }

    @Test("refuses integers beyond 2^53 - 1, which binary64 would change")
    func refusesBigIntegers() {
        #expect(throws: CanonicalJSON.Failure.self) { try CanonicalJSON.serialize(.number(JSONNumber(lexeme: "9007199254740993"))) }
    }

    func randomValue(_ rng: inout SplitMix64, depth: Int) -> JSONValue {
        switch rng.next() % (depth > 3 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2:
            let forms = ["0", "-1", "42", "3.25", "1e-7", "12345.678", "1e21", "-0.5", "9007199254740991"]
            return .number(JSONNumber(lexeme: forms[Int(rng.next() % UInt64(forms.count))]))
        case 3:
            let pieces = ["a", "é", "\u{1F600}", "\"", "\\", "\n", "\u{01}", "\u{FB01}", "z", " "]
            return .string((0..<Int(rng.next() % 5)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined())
        case 4: return .array((0..<Int(rng.next() % 4)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var o = JSONObject()
            for i in 0..<Int(rng.next() % 4) {
                o.set(["k", "K", "\u{1F600}", "\u{FB01}", "é"][Int(rng.next() % 5)] + String(i), randomValue(&rng, depth: depth + 1))
            }
            return .object(o)
        }
    }
}
