import Core
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TestSupport
@testable import Schema

private let goldenDirectory: String = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/SchemaTests/RegexTests.swift
    return parts.joined(separator: "/") + "/golden/regex"
}()

private func loadGolden(_ name: String) throws -> JSONValue {
    try StrictJSON.parse(Files.read(goldenDirectory + "/" + name))
}

private let uuidPattern = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
private let datePattern = "^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"

@Suite("Regex")
struct RegexTests {
    @Test("golden cases (checked against Python re by oracle.py) match as expected")
    func goldenCases() throws {
        let cases = try #require(try loadGolden("cases.json")["cases"]?.arrayValue)
        #expect(cases.count > 40)
        for c in cases {
            let pattern = try #require(c["pattern"]?.stringValue)
            let dfa = try ByteDFA(pattern: pattern)
            let reference = try ReferenceMatcher(pattern)
            for (key, expected) in [("match", true), ("noMatch", false)] {
                for input in try #require(c[key]?.arrayValue) {
                    let s = try #require(input.stringValue)
                    #expect(dfa.matches(s) == expected, "pattern \(quoteForMessage(pattern)) input \(quoteForMessage(s))")
                    #expect(reference.matches(s) == expected, "reference: pattern \(quoteForMessage(pattern)) input \(quoteForMessage(s))")
                }
            }
        }
    }

    @Test("unsupported or malformed patterns fail with the golden offset and message")
    func goldenErrors() throws {
        let cases = try #require(try loadGolden("errors.json")["errors"]?.arrayValue)
        for c in cases {
            let pattern = try #require(c["pattern"]?.stringValue)
            let offset = try #require(c["offset"]?.numberValue?.lexeme).flatMap { Int($0) }
            let message = try #require(c["message"]?.stringValue)
            do {
                let dfa = try ByteDFA(pattern: pattern)
                Issue.record("pattern \(quoteForMessage(pattern)) compiled to \(dfa.stateCount) states, expected an error")
            } catch {
                #expect(error.offset == offset && error.problem.message == message,
                        "pattern \(quoteForMessage(pattern)): got \(error.offset) \(quoteForMessage(error.problem.message, limit: 200))")
            }
        }
    }

    @Test("the DFA agrees with the backtracking reference on random patterns and strings")
    func randomAgreement() throws {
        var gen = PatternGenerator(rng: SplitMix64(state: 0x5EED_2026))
        var compared = 0, tooLarge = 0
        for _ in 0..<300 {
            let pattern = gen.pattern()
            let dfa: ByteDFA
            do { dfa = try ByteDFA(pattern: pattern) } catch {
                // Random nesting of `.` and unbounded loops can legitimately exceed the state cap.
                switch error.problem {
                case .tooManyStates, .tooComplex: tooLarge += 1; continue
                default: Issue.record("\(quoteForMessage(pattern)): \(error)"); continue
                }
            }
            let reference = try ReferenceMatcher(pattern)
            for _ in 0..<40 {
                let s = gen.input(maxLength: 7)
                let got = dfa.matches(s), want = reference.matches(s)
                #expect(got == want, "pattern \(quoteForMessage(pattern)) input \(quoteForMessage(s)): dfa \(got), reference \(want)")
                compared += 1
            }
        }
        #expect(tooLarge <= 6)
        #expect(compared >= 294 * 40)
    }

    @Test("the payload patterns accept random valid values and reject each single-character change")
    func payloadPatternsMutations() throws {
        let uuid = try ByteDFA(pattern: uuidPattern), date = try ByteDFA(pattern: datePattern)
        let refUUID = try ReferenceMatcher(uuidPattern), refDate = try ReferenceMatcher(datePattern)
        var rng = SplitMix64(state: 7)
        let hex = Array("0123456789abcdef"), other = Array("0123456789abcdefgABF-\n é")
        for _ in 0..<200 {
            var id = (0..<32).map { _ in hex.randomElement(using: &rng) ?? "0" }
            id[12] = "4"; id[16] = Array("89ab").randomElement(using: &rng) ?? "8"
            var chars = id
            for p in [20, 16, 12, 8] { chars.insert("-", at: p) }
            #expect(uuid.matches(String(chars)))
            let i = Int.random(in: 0..<chars.count, using: &rng)
            chars[i] = other.randomElement(using: &rng) ?? "g"
            let mutated = String(chars)
            #expect(uuid.matches(mutated) == refUUID.matches(mutated), "\(quoteForMessage(mutated))")
            let d = String(format2: Int.random(in: 2000...2099, using: &rng), Int.random(in: 0...14, using: &rng), Int.random(in: 0...33, using: &rng))
            #expect(date.matches(d) == refDate.matches(d), "\(d)")
        }
    }

    @Test("matching works on raw bytes and never accepts ill-formed UTF-8 as a character")
    func rawBytes() throws {
        let dot = try ByteDFA(pattern: "^.$")
        #expect(dot.matches([0xC3, 0xA9]))                 // é
        #expect(!dot.matches([0xC3]))                       // truncated
        #expect(!dot.matches([0xA9]))                       // lone continuation
        #expect(!dot.matches([0xC0, 0x80]))                 // overlong NUL
        #expect(!dot.matches([0xED, 0xA0, 0x80]))           // surrogate
        #expect(!dot.matches([0xFF]))
        #expect(dot.matches([0xF0, 0x9F, 0x98, 0x80]))      // 😀 counts once
        #expect(!dot.matches([0xE2, 0x80, 0xA8]))           // U+2028 is a line terminator
        let negated = try ByteDFA(pattern: "^[^a]$")
        #expect(negated.matches([0xE2, 0x80, 0xA8]))
        #expect(!negated.matches([]))
        [UInt8]().withUnsafeBytes { #expect(try! ByteDFA(pattern: "^$").matches($0)) }
    }

    @Test("introspection: anchoring, ASCII-only, newlines")
    func introspection() throws {
        let uuid = try ByteDFA(pattern: uuidPattern), date = try ByteDFA(pattern: datePattern)
        #expect(uuid.isAnchored && date.isAnchored)
        #expect(uuid.isASCIIOnly && date.isASCIIOnly)
        #expect(!uuid.acceptsNewline && !date.acceptsNewline)
        #expect(!uuid.acceptsNothing)

        let unanchored = try ByteDFA(pattern: "[0-9a-f]{8}")
        #expect(!unanchored.isAnchored && !unanchored.isASCIIOnly && unanchored.acceptsNewline)
        #expect(try !ByteDFA(pattern: "^[0-9]+").isAnchored)
        #expect(try !ByteDFA(pattern: "^a$|^b").isAnchored)
        #expect(try ByteDFA(pattern: "^a$|^b$").isAnchored)
        #expect(try !ByteDFA(pattern: "^[^a]$").isASCIIOnly)
        #expect(try !ByteDFA(pattern: "^.$").isASCIIOnly)
        #expect(try !ByteDFA(pattern: "^.*$").acceptsNewline)
        #expect(try ByteDFA(pattern: "^[^a]$").acceptsNewline)
        #expect(try ByteDFA(pattern: "^a\\r?$").acceptsNewline)
        #expect(try ByteDFA(pattern: "^[ab]*$").isASCIIOnly)
        #expect(try ByteDFA(pattern: "^[]$").acceptsNothing)
        #expect(try ByteDFA(pattern: "^[]$").isASCIIOnly)
        #expect(try !ByteDFA(pattern: "^$").acceptsNothing)
    }

    @Test("capacity: log2 of the number of matched strings, nil when unbounded")
    func capacity() throws {
        #expect(try ByteDFA(pattern: uuidPattern).capacityBits == 122)  // 30 free hex digits, 4 variants
        let date = try #require(try ByteDFA(pattern: datePattern).capacityBits)
        #expect(abs(date - log2(100.0 * 12 * 31)) < 1e-9)
        #expect(try ByteDFA(pattern: "^$").capacityBits == 0)
        #expect(try ByteDFA(pattern: "^(a|b|ab)$").capacityBits == log2(3))
        #expect(try ByteDFA(pattern: "^a?b?$").capacityBits == 2)
        #expect(try ByteDFA(pattern: "^[]$").capacityBits == -.infinity)
        #expect(try ByteDFA(pattern: "^[0-9]+$").capacityBits == nil)
        #expect(try ByteDFA(pattern: "abc").capacityBits == nil)
        // Every scalar but `a`: 0x110000 code points less 2,048 surrogates, less one.
        let negated = try #require(try ByteDFA(pattern: "^[^a]$").capacityBits)
        #expect(abs(negated - log2(1_112_064 - 1)) < 1e-9)
        // A finite language too large for Double still has a finite capacity.
        #expect(try ByteDFA(pattern: "^[0-9a-f]{1000}$").capacityBits == 4000)
    }

    @Test("equivalent patterns minimise to the same number of states")
    func minimality() throws {
        #expect(try ByteDFA(pattern: "^(a|b)*$").stateCount == ByteDFA(pattern: "^[ab]*$").stateCount)
        #expect(try ByteDFA(pattern: "^(?:aa|a)(?:a)*$").stateCount == ByteDFA(pattern: "^a+$").stateCount)
        // dead state, start, accepting state
        #expect(try ByteDFA(pattern: "^a+$").stateCount == 3)
        // start, then the accept-everything sink once an `a` is seen
        #expect(try ByteDFA(pattern: "a").stateCount == 2)
        #expect(try ByteDFA(pattern: uuidPattern).stateCount == 38)
    }
}

extension String {
    fileprivate init(format2 y: Int, _ m: Int, _ d: Int) {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        self = "\(y)-\(two(m))-\(two(d))"
    }
}
