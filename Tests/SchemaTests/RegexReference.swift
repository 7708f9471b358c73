import TestSupport
@testable import Schema

/// A deliberately naive backtracking matcher over the parsed pattern and the string's Unicode scalars:
/// the definition the DFA must agree with. Exponential in the worst case, so tests keep inputs short.
struct ReferenceMatcher {
    let branches: [RegexBranch]

    init(_ pattern: String) throws { branches = try RegexParser.parse(pattern) }

    func matches(_ string: String) -> Bool {
        let s = Array(string.unicodeScalars)
        for b in branches {
            for start in b.anchoredStart ? [0] : Array(0...s.count) {
                if match(b.body, s, start, { end in !b.anchoredEnd || end == s.count }) { return true }
            }
        }
        return false
    }

    private func match(_ n: RegexNode, _ s: [Unicode.Scalar], _ i: Int, _ k: (Int) -> Bool) -> Bool {
        switch n {
        case .empty: return k(i)
        case .set(let set): return i < s.count && set.contains(scalar: s[i]) && k(i + 1)
        case .concat(let xs): return sequence(xs[...], s, i, k)
        case .alternation(let xs): return xs.contains { match($0, s, i, k) }
        case .repetition(let x, let lo, let hi, _): return repeatMatch(x, lo, hi, 0, s, i, k)
        }
    }

    private func sequence(_ xs: ArraySlice<RegexNode>, _ s: [Unicode.Scalar], _ i: Int, _ k: (Int) -> Bool) -> Bool {
        guard let first = xs.first else { return k(i) }
        return match(first, s, i) { j in sequence(xs.dropFirst(), s, j, k) }
    }

    private func repeatMatch(_ x: RegexNode, _ lo: Int, _ hi: Int?, _ n: Int, _ s: [Unicode.Scalar], _ i: Int, _ k: (Int) -> Bool) -> Bool {
        if n < lo { return match(x, s, i) { j in repeatMatch(x, lo, hi, n + 1, s, j, k) } }
        // Beyond the minimum an iteration must consume something (ECMAScript's empty-check), else loop forever.
        if hi.map({ n < $0 }) ?? true, match(x, s, i, { j in j != i && repeatMatch(x, lo, hi, n + 1, s, j, k) }) { return true }
        return k(i)
    }
}

/// Random patterns of the supported dialect over a small alphabet.
struct PatternGenerator {
    var rng: SplitMix64

    mutating func pattern() -> String {
        var alts: [String] = []
        for _ in 0..<Int.random(in: 1...2, using: &rng) {
            let anchorStart = Bool.random(using: &rng) ? "^" : ""
            let anchorEnd = Bool.random(using: &rng) ? "$" : ""
            alts.append(anchorStart + sequence(depth: 0) + anchorEnd)
        }
        return alts.joined(separator: "|")
    }

    private mutating func sequence(depth: Int) -> String {
        (0..<Int.random(in: 0...3, using: &rng)).map { _ in quantified(depth: depth) }.joined()
    }

    private mutating func quantified(depth: Int) -> String {
        let a = atom(depth: depth)
        let q = ["", "", "", "?", "*", "+", "{2}", "{0,2}", "{1,}", "{2,3}", "*?"].randomElement(using: &rng) ?? ""
        return a + q
    }

    private mutating func atom(depth: Int) -> String {
        let choice = Int.random(in: 0..<(depth < 2 ? 12 : 9), using: &rng)
        switch choice {
        case 0, 1, 2: return ["a", "b", "c", "-"].randomElement(using: &rng) ?? "a"
        case 3: return ["[ab]", "[a-c]", "[^a]", "[^ab\\n]", "[\\d-]"].randomElement(using: &rng) ?? "[ab]"
        case 4: return "."
        case 5: return "\\d"
        case 6: return ["\\n", "\\-", "\\."].randomElement(using: &rng) ?? "\\n"
        case 7: return "[^]"
        case 8: return "\\D"
        default:
            let alts = (0..<Int.random(in: 1...3, using: &rng)).map { _ in sequence(depth: depth + 1) }
            return (Bool.random(using: &rng) ? "(" : "(?:") + alts.joined(separator: "|") + ")"
        }
    }

    mutating func input(maxLength: Int) -> String {
        let alphabet: [String] = ["a", "b", "c", "-", "1", "\n", "é", "😀", "\u{2028}", "."]
        return (0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? "a" }.joined()
    }
}
