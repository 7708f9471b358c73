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

/// A pattern that compiles, is anchored at both ends and matches ASCII strings only: what lint, capacity
/// and counterexamples need to know about a `pattern`, in one place.
///
/// The regex engine (`ByteDFA`, Sources/Schema/Regex) decides syntax, anchoring, ASCII-ness, matching,
/// capacity and sample strings on the minimal DFA. On top of it this type refuses `\d` and `\D`: the
/// engine reads them as ASCII digits, but Python's `re` (python-jsonschema) lets them match any Unicode
/// digit, so a schema that uses them is open to other validators (docs/schema-rules.md, Lint).
public struct ClosedPattern: Sendable {
    public let source: String
    let dfa: ByteDFA

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
    }

    /// `d` or `D` when the pattern has a `\d` or `\D` escape.
    static func digitEscape(in source: String) -> Character? {
        var escaped = false
        for c in source {
            if escaped { if c == "d" || c == "D" { return c }; escaped = false } else if c == "\\" { escaped = true }
        }
        return nil
    }

    /// Whether `text` matches (ECMA-262 semantics: `$` is the end of input).
    public func matches(_ text: String) -> Bool { dfa.matches(text) }

    /// log2 of the number of strings the pattern matches; nil when unbounded.
    public var capacityBits: Double? { dfa.capacityBits }

    /// Up to `limit` distinct strings the pattern matches, shortest first (`ByteDFA.samples(limit:)`).
    public func samples(limit: Int = 64) -> [String] { dfa.samples(limit: limit) }
}
