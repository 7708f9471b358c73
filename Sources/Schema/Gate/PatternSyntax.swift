/// What lint, capacity and counterexamples need to know about a `pattern`, in one place.
///
/// The regex engine (`ByteDFA`, Sources/Schema/Regex) decides syntax, anchoring, ASCII-ness, matching
/// and capacity on the minimal DFA. On top of it this type refuses `\d` and `\D`: the engine reads them
/// as ASCII digits, but Python's `re` (python-jsonschema) lets them match any Unicode digit, so a schema
/// that uses them is open to other validators (notes/schema-gate.md §2.2 case 18).
///
/// Sample strings for counterexamples come from a small syntax tree of its own (`PatternNode`), which
/// covers literals, classes, groups, alternation and repetition; for other patterns there are no samples
/// and a counterexample is simply not found.
public indirect enum PatternNode: Hashable, Sendable {
    /// One byte out of a set of ASCII ranges.
    case byteSet([ClosedRange<UInt8>])
    case sequence([PatternNode])
    case choice([PatternNode])
    /// `node{min,max}`; max nil means unbounded (`*`, `+`, `{n,}`).
    case repetition(PatternNode, min: Int, max: Int?)
}

/// Why a pattern is not a closed, anchored ASCII pattern.
public enum PatternProblem: Error, Hashable, Sendable, CustomStringConvertible {
    case notAnchored(String)
    case notASCII(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .notAnchored(let why), .notASCII(let why), .unsupported(let why): return why
        }
    }
}

/// A pattern that compiles, is anchored at both ends and matches ASCII strings only.
public struct ClosedPattern: Sendable {
    public let source: String
    let dfa: ByteDFA
    /// The sampler's tree, when the pattern is within its subset.
    let root: PatternNode?

    public init(_ source: String) throws(PatternProblem) {
        self.source = source
        if let e = ClosedPattern.digitEscape(in: source) {
            throw .notASCII("\\\(e) matches non-ASCII digits in some validators (Python re): write [0-9] instead")
        }
        do { dfa = try ByteDFA(pattern: source) } catch {
            switch error.problem {
            case .nonASCIILiteral, .nonASCIIHexEscape: throw .notASCII("\(error)")
            case .misplacedAnchor: throw .notAnchored("\(error)")
            default: throw .unsupported("\(error)")
            }
        }
        guard dfa.isAnchored else {
            throw .notAnchored("pattern is not anchored with ^ at the start and $ at the end of every top-level alternative: it matches any string that merely contains a match")
        }
        guard dfa.isASCIIOnly else {
            throw .notASCII("pattern can match non-ASCII characters (. or a negated class [^…] match every non-ASCII character): list the allowed ASCII characters")
        }
        root = ClosedPattern.sampleTree(source)
    }

    /// `d` or `D` when the pattern has a `\d` or `\D` escape.
    static func digitEscape(in source: String) -> Character? {
        var escaped = false
        for c in source {
            if escaped { if c == "d" || c == "D" { return c }; escaped = false } else if c == "\\" { escaped = true }
        }
        return nil
    }

    static func sampleTree(_ source: String) -> PatternNode? {
        var bytes = Array(source.utf8)
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "^"), bytes.last == UInt8(ascii: "$") else { return nil }
        bytes = Array(bytes[1..<(bytes.count - 1)])
        var parser = PatternParser(bytes: bytes)
        guard let node = try? parser.parseChoice(), parser.pos == bytes.count, !parser.topLevelAlternation else { return nil }
        return node
    }

    /// Whether `text` matches (ECMA-262 semantics: `$` is the end of input).
    public func matches(_ text: String) -> Bool { dfa.matches(text) }

    /// log2 of the number of strings the pattern matches; nil when unbounded.
    public var capacityBits: Double? { dfa.capacityBits }

    /// Up to `limit` distinct strings the pattern matches, shortest choices first.
    public func samples(limit: Int = 64) -> [String] {
        guard let root else { return [] }
        return PatternMeasure.samples(root, limit: limit).map { String(decoding: $0, as: UTF8.self) }.filter(matches)
    }
}

struct PatternParser {
    let bytes: [UInt8]
    var pos = 0
    var depth = 0
    /// A `|` outside every group: with `^…$` around it, only the outer branches would be anchored.
    var topLevelAlternation = false

    func peek() -> UInt8? { pos < bytes.count ? bytes[pos] : nil }

    mutating func parseChoice() throws(PatternProblem) -> PatternNode {
        var branches = [try parseSequence()]
        while peek() == UInt8(ascii: "|") {
            if depth == 0 { topLevelAlternation = true }
            pos += 1
            branches.append(try parseSequence())
        }
        return branches.count == 1 ? branches[0] : .choice(branches)
    }

    mutating func parseSequence() throws(PatternProblem) -> PatternNode {
        var items: [PatternNode] = []
        while let b = peek(), b != UInt8(ascii: "|"), b != UInt8(ascii: ")") {
            var atom = try parseAtom()
            atom = try parseQuantifier(atom)
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    mutating func parseAtom() throws(PatternProblem) -> PatternNode {
        let b = bytes[pos]
        switch b {
        case UInt8(ascii: "("):
            pos += 1
            if peek() == UInt8(ascii: "?") {
                guard pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: ":") else {
                    throw .unsupported("lookaround and named groups are not supported at offset \(pos + 2)")
                }
                pos += 2
            }
            depth += 1
            let inner = try parseChoice()
            depth -= 1
            guard peek() == UInt8(ascii: ")") else { throw .unsupported("unclosed ( in pattern") }
            pos += 1
            return inner
        case UInt8(ascii: "["):
            return try parseClass()
        case UInt8(ascii: "\\"):
            pos += 1
            guard let e = peek() else { throw .unsupported("pattern ends with a lone backslash") }
            pos += 1
            return .byteSet([try escapedByte(e)...escapedByte(e)])
        case UInt8(ascii: "."):
            throw .notASCII(". matches any character, including non-ASCII ones: list the allowed characters in a class")
        case UInt8(ascii: "^"), UInt8(ascii: "$"):
            throw .notAnchored("anchor \(Character(Unicode.Scalar(b))) inside the pattern: anchor only the whole expression")
        case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"):
            throw .unsupported("quantifier \(Character(Unicode.Scalar(b))) without anything to repeat at offset \(pos + 2)")
        default:
            pos += 1
            return .byteSet([b...b])
        }
    }

    /// Escapes that stand for one literal ASCII byte; class escapes (`\d`, `\w`, `\s`) and the like are
    /// refused because some validators let them match non-ASCII characters.
    func escapedByte(_ e: UInt8) throws(PatternProblem) -> UInt8 {
        switch e {
        case UInt8(ascii: "d"), UInt8(ascii: "D"), UInt8(ascii: "w"), UInt8(ascii: "W"), UInt8(ascii: "s"), UInt8(ascii: "S"):
            throw .notASCII("\\\(Character(Unicode.Scalar(e))) matches non-ASCII characters in some validators (Python re): write [0-9], [A-Za-z0-9_] or the exact characters")
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "r"): return 0x0D
        default:
            // Punctuation escapes are literal; letters and digits name classes, backreferences or
            // Unicode escapes, which the subset does not include.
            if (e >= 0x21 && e <= 0x2F) || (e >= 0x3A && e <= 0x40) || (e >= 0x5B && e <= 0x60) || (e >= 0x7B && e <= 0x7E) { return e }
            throw .unsupported("escape \\\(Character(Unicode.Scalar(e))) is not supported")
        }
    }

    mutating func parseClass() throws(PatternProblem) -> PatternNode {
        pos += 1
        if peek() == UInt8(ascii: "^") {
            throw .notASCII("a negated class [^…] matches every non-ASCII character: list the allowed characters instead")
        }
        var ranges: [ClosedRange<UInt8>] = []
        var first = true
        while true {
            guard let b = peek() else { throw .unsupported("unclosed [ in pattern") }
            if b == UInt8(ascii: "]") && !first { pos += 1; break }
            first = false
            let lo = try classByte()
            if peek() == UInt8(ascii: "-"), pos + 1 < bytes.count, bytes[pos + 1] != UInt8(ascii: "]") {
                pos += 1
                let hi = try classByte()
                guard lo <= hi else { throw .unsupported("class range out of order") }
                ranges.append(lo...hi)
            } else {
                ranges.append(lo...lo)
            }
        }
        return .byteSet(ranges)
    }

    mutating func classByte() throws(PatternProblem) -> UInt8 {
        let b = bytes[pos]
        pos += 1
        if b == UInt8(ascii: "\\") {
            guard let e = peek() else { throw .unsupported("pattern ends with a lone backslash") }
            pos += 1
            return try escapedByte(e)
        }
        return b
    }

    mutating func parseQuantifier(_ atom: PatternNode) throws(PatternProblem) -> PatternNode {
        guard let q = peek() else { return atom }
        var node: PatternNode
        switch q {
        case UInt8(ascii: "?"): pos += 1; node = .repetition(atom, min: 0, max: 1)
        case UInt8(ascii: "*"): pos += 1; node = .repetition(atom, min: 0, max: nil)
        case UInt8(ascii: "+"): pos += 1; node = .repetition(atom, min: 1, max: nil)
        case UInt8(ascii: "{"):
            pos += 1
            let lo = try number()
            var hi: Int? = lo
            if peek() == UInt8(ascii: ",") {
                pos += 1
                hi = peek() == UInt8(ascii: "}") ? nil : try number()
            }
            guard peek() == UInt8(ascii: "}") else { throw .unsupported("malformed {n,m} quantifier") }
            pos += 1
            if let h = hi, h < lo { throw .unsupported("quantifier {\(lo),\(h)} has max below min") }
            node = .repetition(atom, min: lo, max: hi)
        default: return atom
        }
        if let n = peek(), n == UInt8(ascii: "?") || n == UInt8(ascii: "*") || n == UInt8(ascii: "+") || n == UInt8(ascii: "{") {
            throw .unsupported("lazy or stacked quantifiers are not supported")
        }
        return node
    }

    mutating func number() throws(PatternProblem) -> Int {
        var v = 0, digits = 0
        while let b = peek(), b >= 0x30, b <= 0x39 {
            v = v * 10 + Int(b - 0x30); digits += 1; pos += 1
            if v > 10_000 { throw .unsupported("repetition count above 10000") }
        }
        guard digits > 0 else { throw .unsupported("malformed {n,m} quantifier") }
        return v
    }
}

enum PatternMeasure {
    /// Strings matched by `node`, at most `limit`, in a deterministic order.
    static func samples(_ node: PatternNode, limit: Int) -> [[UInt8]] {
        switch node {
        case .byteSet(let ranges):
            var out: [[UInt8]] = []
            var seen = Set<UInt8>()
            for r in ranges { for b in r where seen.insert(b).inserted { out.append([b]); if out.count >= limit { return out } } }
            return out
        case .sequence(let items):
            var acc: [[UInt8]] = [[]]
            for i in items {
                let part = samples(i, limit: limit)
                var next: [[UInt8]] = []
                // Vary the later parts first so that the first sample stays the "smallest" one.
                outer: for a in acc { for p in part { next.append(a + p); if next.count >= limit { break outer } } }
                acc = next
                if acc.isEmpty { return [] }
            }
            return acc
        case .choice(let branches):
            var out: [[UInt8]] = []
            let per = branches.map { samples($0, limit: limit) }
            var i = 0
            // Interleave branches so that every branch is represented early.
            while out.count < limit {
                var any = false
                for p in per where i < p.count { out.append(p[i]); any = true; if out.count >= limit { break } }
                if !any { break }
                i += 1
            }
            return out
        case .repetition(let inner, let lo, let hi):
            var out: [[UInt8]] = []
            let upper = min(hi ?? lo + 2, lo + 2)
            for k in lo...max(lo, upper) {
                let seq = samples(.sequence(Array(repeating: inner, count: k)), limit: limit)
                out.append(contentsOf: seq)
                if out.count >= limit { break }
            }
            return Array(out.prefix(limit))
        }
    }
}
