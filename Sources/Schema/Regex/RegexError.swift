import Core
/// Why a `pattern` value cannot be compiled. Each case says what to write instead.
public enum RegexProblem: Hashable, Sendable {
    case unsupported(String, hint: String)
    case nonASCIILiteral(UInt32)
    case controlLiteral(UInt32)
    case unknownEscape(Character)
    case trailingBackslash
    case nothingToRepeat
    case repeatedQuantifier
    case malformedQuantifier
    case quantifierOutOfOrder(min: Int, max: Int)
    case quantifierTooLarge(limit: Int)
    case loneBracket(Character)
    case unclosedGroup(openedAt: Int)
    case unmatchedParenthesis
    case unclosedClass(openedAt: Int)
    case rangeOutOfOrder(from: UInt32, to: UInt32)
    case classEscapeInRange
    case misplacedAnchor(Character)
    case nonASCIIHexEscape(UInt32)
    case tooDeep(limit: Int)
    case tooComplex
    case tooManyStates(limit: Int)

    public var message: String {
        switch self {
        case .unsupported(let what, let hint): return "\(what) is not supported: \(hint)"
        case .nonASCIILiteral(let u): return "non-ASCII character U+\(hex4(u)) in the pattern: patterns are ASCII only"
        case .controlLiteral(let u): return "raw control character U+\(hex4(u)) in the pattern: write it as an escape such as \\n or \\x\(hex2(u))"
        case .unknownEscape(let c): return "unknown escape \\\(c): only metacharacters, \\d, \\D, \\n, \\r, \\t, \\f, \\v, \\0 and \\xHH may follow a backslash"
        case .trailingBackslash: return "the pattern ends with a lone backslash"
        case .nothingToRepeat: return "quantifier with nothing to repeat: escape the character (\\*, \\+, \\?, \\{) for a literal"
        case .repeatedQuantifier: return "a quantifier cannot follow another quantifier: group the inner repetition with (?: )"
        case .malformedQuantifier: return "'{' does not start a valid quantifier {n}, {n,} or {n,m}: write \\{ for a literal brace"
        case .quantifierOutOfOrder(let lo, let hi): return "quantifier {\(lo),\(hi)} has its bounds in the wrong order"
        case .quantifierTooLarge(let limit): return "quantifier bound larger than \(limit): bound long strings with maxLength instead"
        case .loneBracket(let c): return "lone '\(c)': write \\\(c) for a literal"
        case .unclosedGroup(let at): return "group opened at character \(at + 1) is never closed with ')'"
        case .unmatchedParenthesis: return "')' without a matching '(': write \\) for a literal"
        case .unclosedClass(let at): return "character class opened at character \(at + 1) is never closed with ']'"
        case .rangeOutOfOrder(let a, let b): return "range \(describeScalar(a))-\(describeScalar(b)) is out of order"
        case .classEscapeInRange: return "a class escape such as \\d cannot be the end of a range: write \\- for a literal hyphen"
        case .misplacedAnchor(let c): return "anchor '\(c)' is only supported at the \(c == "^" ? "start" : "end") of the pattern or of a top-level alternative"
        case .nonASCIIHexEscape(let u): return "escape \\x\(hex2(u)) is not ASCII: patterns are ASCII only"
        case .tooDeep(let limit): return "groups nested more than \(limit) deep"
        case .tooComplex: return "the pattern is too complex to compile: lower the repetition counts or simplify the alternatives"
        case .tooManyStates(let limit): return "the pattern needs more than \(limit) DFA states: simplify it"
        }
    }
}

/// A pattern that cannot be compiled: the problem and where it is.
public struct RegexError: Error, Hashable, Sendable, CustomStringConvertible {
    public let problem: RegexProblem
    /// 0-based offset of the offending character, counted in Unicode scalars of the pattern.
    public let offset: Int

    public init(_ problem: RegexProblem, at offset: Int) { self.problem = problem; self.offset = offset }

    /// `character N: message`, N 1-based; the caller puts the file, pointer and pattern in front.
    public var description: String { "character \(offset + 1): \(problem.message)" }
}

func hex2(_ v: UInt32) -> String { String(v, radix: 16, uppercase: true).leftPadded(2) }

func describeScalar(_ u: UInt32) -> String {
    if u >= 0x21 && u < 0x7F, let s = Unicode.Scalar(u) { return "'\(Character(s))'" }
    return "U+\(hex4(u))"
}
