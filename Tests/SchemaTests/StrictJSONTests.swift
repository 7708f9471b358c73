import Core
import Testing
import TestSupport
@testable import Schema

/// Reads `text` strictly and returns the problem code, or "ok".
private func verdict(_ bytes: [UInt8]) -> String {
    do { _ = try StrictJSON.parse(bytes, limits: JSONLimits(maxBytes: 1 << 20, maxDepth: 64)); return "ok" } catch {
        return error.problem.code
    }
}

@Suite("strict JSON reader")
struct StrictJSONTests {
    @Test("accepts every RFC 8259 construct", arguments: [
        "{}", "[]", "0", "-0", "1.5e-7", "1E+2", "\"\"", "\"\\u00e9\\ud83d\\ude00\"", "true", "false", "null",
        " {\"a\" : [1, 2, {\"b\": null}]}\n", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "[-1.25e10]", "\"\u{10FFFD}\"",
        "\"\u{FDCF}\u{FDF0}\u{FFFD}\u{1FFFD}\"", "\"\\ufdcf\\ufffd\\ud83f\\udffd\"",
    ])
    func acceptsValid(_ text: String) {
        #expect(verdict(Array(text.utf8)) == "ok")
    }

    @Test("rejects each way of not being strict JSON, with its own code", arguments: [
        ("", "syntax.empty"), ("   ", "syntax.empty"), ("\u{FEFF}{}", "syntax.bom"),
        ("{\"a\":1,\"a\":2}", "syntax.duplicate-key"), ("[NaN]", "syntax.non-finite"), ("[Infinity]", "syntax.non-finite"),
        ("[-Infinity]", "syntax.non-finite"), ("01", "syntax.invalid-number"), ("1.", "syntax.invalid-number"),
        (".5", "syntax.invalid-number"), ("+1", "syntax.invalid-number"), ("1e", "syntax.invalid-number"),
        ("[1,]", "syntax.unexpected-byte"), ("{\"a\":1,}", "syntax.unexpected-byte"), ("{'a':1}", "syntax.unexpected-byte"),
        ("\"\\x41\"", "syntax.invalid-escape"), ("\"\\ud800\"", "syntax.lone-surrogate"), ("\"\\udc00x\"", "syntax.lone-surrogate"),
        ("\"a\u{01}\"", "syntax.control-character"), ("[1] [2]", "syntax.trailing-content"), ("{\"a\":1", "syntax.unexpected-end"),
        ("\"abc", "syntax.unexpected-end"), ("[1e400]", "syntax.number-out-of-range"), ("tru", "syntax.unexpected-end"),
        ("nul", "syntax.unexpected-end"), ("[1 2]", "syntax.unexpected-byte"), ("{1:2}", "syntax.unexpected-byte"),
    ])
    func rejectsInvalid(_ text: String, _ code: String) {
        #expect(verdict(Array(text.utf8)) == code)
    }

    @Test("refuses Unicode noncharacters, raw or escaped, as I-JSON (RFC 7493 §2.1) requires", arguments: [
        // U+FDD0, U+FDEF, U+FFFE, U+FFFF, U+1FFFE, U+10FFFF as UTF-8 (Swift literals cannot hold them), in a string and a key.
        [0x22, 0xEF, 0xB7, 0x90, 0x22], [0x22, 0x61, 0xEF, 0xB7, 0xAF, 0x22], [0x22, 0xEF, 0xBF, 0xBE, 0x22], [0x22, 0xEF, 0xBF, 0xBF, 0x22],
        [0x22, 0xF0, 0x9F, 0xBF, 0xBE, 0x22], [0x22, 0xF4, 0x8F, 0xBF, 0xBF, 0x22], [0x7B, 0x22, 0xEF, 0xBF, 0xBF, 0x22, 0x3A, 0x31, 0x7D],
    ] + ["\"\\ufdd0\"", "\"\\uFFFE\"", "\"\\uffff\"", "\"\\ud83f\\udffe\"", "\"\\udbff\\udfff\""].map { Array($0.utf8) } as [[UInt8]])
    func rejectsNoncharacters(_ bytes: [UInt8]) {
        #expect(verdict(bytes) == "syntax.noncharacter")
    }

    @Test("rejects ill-formed UTF-8: overlongs, surrogates, truncated and stray bytes", arguments: [
        [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xE0, 0x80, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xC3, 0x22], [0x22, 0x80, 0x22], [0xFF], [0x22, 0xF8, 0x88, 0x80, 0x80, 0x80, 0x22],
    ] as [[UInt8]])
    func rejectsBadUTF8(_ bytes: [UInt8]) {
        #expect(verdict(bytes) == "syntax.invalid-utf8")
    }

    @Test("refuses nesting beyond the limit instead of recursing without bound")
    func depthLimit() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        #expect(verdict(deep) == "depth")
        #expect(verdict(Array("[[[[]]]]".utf8)) == "ok")
    }

    @Test("refuses input larger than the limit")
    func sizeLimit() throws {
        let big = Array("[" + String(repeating: "1,", count: 40) + "1]").map { $0.asciiValue! }
        #expect(throws: JSONReadError.self) { try StrictJSON.parse(big, limits: JSONLimits(maxBytes: 10, maxDepth: 8)) }
    }

    @Test("reports line, column and JSON Pointer of the problem")
    func locations() throws {
        let text = "{\n  \"entries\": [\n    {\"tool\": \"x\", \"tool\": \"y\"}\n  ]\n}"
        do {
            _ = try StrictJSON.parse(Array(text.utf8))
            Issue.record("duplicate key accepted")
        } catch {
            #expect(error.description == "3:19: /entries/0/tool: duplicate key \"tool\": each key may appear once")
        }
    }

    @Test("keeps numbers as their decimal text, so big integers and 1.0 stay distinguishable")
    func numbersKeepLexeme() throws {
        let v = try StrictJSON.parse(Array("[100000000000000000000, 1.0, 1e1]".utf8))
        #expect(v.arrayValue?.map { $0.numberValue!.lexeme } == ["100000000000000000000", "1.0", "1e1"])
        #expect(v.arrayValue?[1].numberValue?.isIntegerLexeme == false)
        #expect(JSONNumber(lexeme: "1.0") == JSONNumber(lexeme: "1e0"))
    }

    @Test("records where every value starts")
    func locationTable() throws {
        let (_, locs) = try StrictJSON.parseWithLocations(Array("{\n \"a\": [1,\n  2]}".utf8))
        #expect(locs[JSONPointer(["a", "1"])] == SourceLocation(line: 3, column: 3, offset: 14))
        #expect(locs[.root]?.line == 1)
    }

    @Test("never crashes on random bytes (seeded)")
    func randomBytes() {
        var rng = SplitMix64(state: 42)
        let alphabet = Array("{}[]\":,-0123456789.eE+ truefalsnul\\u\u{7F}".utf8) + [0x00, 0x0A, 0xC3, 0xA9, 0xED, 0xA0, 0xF0, 0x9F, 0x98, 0x80]
        for _ in 0..<20_000 {
            let n = Int(rng.next() % 24)
            let bytes = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            if let v = try? StrictJSON.parse(bytes), let c = try? CanonicalJSON.serialize(v) {
                // Whatever parses has a canonical form that parses back to the same value.
                #expect((try? StrictJSON.parse(c)) == v)
            }
        }
    }
}

