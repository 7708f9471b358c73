import Core
import Testing
import TestSupport
@testable import Schema

private let uuidV4 = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
private let uuidV1to8 = "^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
private let datePattern = "^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"

/// Every string of up to `maxCharacters` characters over one character from each class the random
/// patterns of `PatternGenerator` tell apart (letters, `-`, digits, line feed, `.`, other ASCII, other
/// scalars of 2, 3 and 4 UTF-8 bytes): brute force to hold the DFA walk to.
private let probes: [String] = {
    let alphabet = ["a", "b", "c", "-", "0", "\n", ".", "~", "é", "\u{2028}", "😀"]
    var out = [""], layer = [""]
    for _ in 0..<3 {
        layer = layer.flatMap { s in alphabet.map { s + $0 } }
        out += layer
    }
    return out
}()

/// Random patterns that compile, with the backtracking reference for each.
private func randomPatterns(seed: UInt64, count: Int) throws -> [(String, ByteDFA, ReferenceMatcher)] {
    var gen = PatternGenerator(rng: SplitMix64(state: seed))
    var out: [(String, ByteDFA, ReferenceMatcher)] = []
    while out.count < count {
        let p = gen.pattern()
        guard let dfa = try? ByteDFA(pattern: p) else { continue }
        out.append((p, dfa, try ReferenceMatcher(p)))
    }
    return out
}

@Suite("Regex samples and differences")
struct RegexSampleTests {
    @Test("samples of random patterns: each matches (DFA and reference), distinct, shortest first, nothing shorter is missed")
    func samplesLaws() throws {
        var nonEmpty = 0
        for (p, dfa, reference) in try randomPatterns(seed: 0x5A3B_1E5, count: 200) {
            let samples = dfa.samples(limit: 40)
            #expect(samples.count <= 40)
            #expect(Set(samples).count == samples.count, "\(quoteForMessage(p)): repeated sample")
            for s in samples {
                #expect(dfa.matches(s) && reference.matches(s), "\(quoteForMessage(p)) sample \(quoteForMessage(s))")
            }
            let lengths = samples.map(\.utf8.count)
            #expect(lengths == lengths.sorted(), "\(quoteForMessage(p)): not shortest first: \(samples)")
            #expect(dfa.samples(limit: 40) == samples, "\(quoteForMessage(p)): not deterministic")
            // No probe shorter than the first sample matches; none matches at all when there is no sample.
            let shortest = samples.first?.utf8.count ?? Int.max
            for s in probes where s.utf8.count < shortest {
                #expect(!reference.matches(s), "\(quoteForMessage(p)) matches \(quoteForMessage(s)), shorter than every sample \(samples.prefix(3))")
            }
            if !samples.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > 150)
    }

    @Test("difference of random pattern pairs: only strings the first matches and the second does not, shortest first, empty exactly on inclusion")
    func differenceLaws() throws {
        let patterns = try randomPatterns(seed: 0xD1FF_2026, count: 60)
        var empty = 0, nonEmpty = 0
        for (i, (p, a, ra)) in patterns.enumerated() {
            #expect(a.difference(a, limit: 5) == [], "\(quoteForMessage(p)) minus itself")
            for (q, b, rb) in [patterns[(i + 1) % patterns.count], patterns[(i * 7 + 3) % patterns.count]] {
                let d = try #require(a.difference(b, limit: 12))
                let label = "\(quoteForMessage(p)) minus \(quoteForMessage(q))"
                for s in d {
                    #expect(ra.matches(s) && !rb.matches(s), "\(label): \(quoteForMessage(s))")
                }
                let lengths = d.map(\.utf8.count)
                #expect(lengths == lengths.sorted(), "\(label): not shortest first: \(d)")
                let shortest = d.first?.utf8.count ?? Int.max
                for s in probes where s.utf8.count < shortest {
                    #expect(!(ra.matches(s) && !rb.matches(s)), "\(label): missed \(quoteForMessage(s)); found \(d.prefix(3))")
                }
                #expect(a.isSubset(of: b) == d.isEmpty)
                if d.isEmpty { empty += 1 } else { nonEmpty += 1 }
            }
        }
        // Both outcomes occur, so neither half of the law is tested vacuously.
        #expect(empty > 5 && nonEmpty > 30)
    }

    @Test("inclusion on hand-picked pairs: difference is empty exactly when the first language is inside the second", arguments: [
        // (a, b, a ⊆ b, b ⊆ a)
        ("^[a-z]{2}$", "^[a-z]+$", true, false),
        ("^(a|b)$", "^[ab]$", true, true),
        ("^a*$", "^(a|aa)*$", true, true),
        ("^(ab)*a$", "^a(ba)*$", true, true),
        ("^(?:aa|a)(?:a)*$", "^a+$", true, true),
        ("^a$|^b$", "^[ab]$", true, true),
        ("^[0-9a-fA-F]$", "^[0-9a-f]$", false, true),
        (uuidV4, uuidV1to8, true, false),
        (datePattern, "^20[0-9][0-9]-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$", true, true),
        ("^202[5-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", datePattern, true, false),
        ("^$", "^a?$", true, false),
        ("^[]$", "^a$", true, false),
        ("^.*a.*$", "a", true, false),
        ("^[ -~]$", "^.$", true, false),
        ("^a{3}$", "^a{2,4}$", true, false),
    ])
    func inclusion(_ a: String, _ b: String, _ aInB: Bool, _ bInA: Bool) throws {
        let da = try ByteDFA(pattern: a), db = try ByteDFA(pattern: b)
        let ab = try #require(da.difference(db, limit: 8)), ba = try #require(db.difference(da, limit: 8))
        #expect(ab.isEmpty == aInB, "\(a) minus \(b): \(ab)")
        #expect(ba.isEmpty == bInA, "\(b) minus \(a): \(ba)")
        for s in ab { #expect(da.matches(s) && !db.matches(s), "\(quoteForMessage(s))") }
        for s in ba { #expect(db.matches(s) && !da.matches(s), "\(quoteForMessage(s))") }
    }

    @Test("the difference names the shortest strings, in the samples' order")
    func differenceExamples() throws {
        func diff(_ a: String, _ b: String, _ limit: Int = 4) throws -> [String] {
            try #require(try ByteDFA(pattern: a).difference(ByteDFA(pattern: b), limit: limit))
        }
        #expect(try diff("^[a-z]+$", "^[a-z]{2}$") == ["a", "z", "aaa", "aaz"])
        #expect(try diff(uuidV1to8, uuidV4, 1) == ["00000000-0000-1000-8000-000000000000"])
        #expect(try diff(datePattern, "^202[5-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", 1) == ["2000-01-01"])
        // A line feed is what an unanchored `a` admits and `^.*a.*$` does not; `a` before it sorts first.
        #expect(try diff("a", "^.*a.*$", 2) == ["a\n", "\na"])
        // Control characters are one byte, so they come before any non-ASCII character.
        #expect(try diff("^.$", "^[ -~]$", 1) == ["\u{0}"])
        let wide = try diff("^.$", "^[\\x00-\\x7f]$", 100)
        #expect(!wide.isEmpty && wide.allSatisfy { $0.unicodeScalars.count == 1 && !$0.unicodeScalars.first!.isASCII })
        #expect(wide.map(\.utf8.count) == wide.map(\.utf8.count).sorted())
    }

    @Test("each byte class is represented by its preferred byte and its largest printable one")
    func representatives() throws {
        #expect(try ByteDFA(pattern: "^[a-z]+$").samples(limit: 6) == ["a", "z", "aa", "az", "za", "zz"])
        #expect(try ByteDFA(pattern: "^[A-Za-z0-9_]$").samples() == ["0", "z"])
        #expect(try ByteDFA(pattern: "^[A-Z]$").samples() == ["A", "Z"])
        #expect(try ByteDFA(pattern: "^[-_.]$").samples() == ["-", "_"])
        #expect(try ByteDFA(pattern: "^x?$").samples() == ["", "x"])
        #expect(try ByteDFA(pattern: "^[]$").samples().isEmpty)
        #expect(try ByteDFA(pattern: uuidV4).samples(limit: 1) == ["00000000-0000-4000-8000-000000000000"])
        #expect(try ByteDFA(pattern: datePattern).samples(limit: 1) == ["2000-01-01"])
    }

    @Test("a finite language is sampled completely and no further")
    func finite() throws {
        let dfa = try ByteDFA(pattern: "^(a|bc|d{3})$")
        #expect(dfa.samples(limit: 100) == ["a", "bc", "ddd"])
        #expect(try ByteDFA(pattern: "^(?:aaaaa)*$").samples(limit: 3) == ["", "aaaaa", "aaaaaaaaaa"])
        #expect(try ByteDFA(pattern: "^a{300}$").samples(limit: 5) == [String(repeating: "a", count: 300)])
    }

    @Test("a walk larger than its budget says so instead of answering")
    func budget() throws {
        let a = try ByteDFA(pattern: "^[0-9a-f]{40}$"), b = try ByteDFA(pattern: "^[0-9a-e]{40}$")
        #expect(a.difference(b, limit: 1, maxStates: 10) == nil)
        #expect(a.difference(b, limit: 1) == [String(repeating: "0", count: 39) + "f"])
    }
}
