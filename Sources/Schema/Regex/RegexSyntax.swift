import Core
// The pattern dialect: an ASCII subset of ECMAScript regular expressions (ECMA-262 §22.2) with the
// strictness of the `u` flag, so that a pattern means the same thing to us, to browsers and to the
// 2020-12 validators, and anything that could mean something else is an error rather than a guess.
//
//   literals        printable ASCII; raw control or non-ASCII characters are errors
//   escapes         \d \D, \n \r \t \f \v, \0 (not before a digit), \xHH (HH <= 7F), and a backslash
//                   before any of ^ $ \ . * + ? ( ) [ ] { } | / -
//   classes         [...] [^...] with ranges; a negated class also accepts every non-ASCII character
//   .               any character except \n, \r, U+2028 and U+2029
//   groups          ( ) and (?: ), both only group (nothing is captured)
//   alternation     |
//   quantifiers     ? * + {n} {n,} {n,m}, bounds <= 1000, lazy forms accepted (same language)
//   anchors         ^ only first and $ only last in a top-level alternative; $ is the very end of the
//                   input, never before a trailing newline
//
// Rejected with a `RegexError`: backreferences, lookaround, named groups, inline flags, \w \W \s \S
// \b \B, \u and \p escapes, \c, identity escapes of other characters, lone { } ], a quantifier on a
// quantifier. Characters are Unicode scalars (the `u` flag's code points, not UTF-16 code units).

/// A set of characters: an ASCII bitmap plus what it says about all non-ASCII characters.
struct ScalarSet: Hashable, Sendable {
    enum NonASCII: Hashable, Sendable { case none, all, allButLineSeparators }

    var low: UInt64 = 0   // 0x00-0x3F
    var high: UInt64 = 0  // 0x40-0x7F
    var nonASCII: NonASCII = .none

    static let digits: ScalarSet = { var s = ScalarSet(); s.insert(0x30...0x39); return s }()
    static let nonDigits: ScalarSet = digits.negated
    static let dot: ScalarSet = {
        var s = ScalarSet(); s.insert(0x00...0x7F); s.remove(0x0A); s.remove(0x0D)
        s.nonASCII = .allButLineSeparators
        return s
    }()

    static func single(_ u: UInt8) -> ScalarSet { var s = ScalarSet(); s.insert(u...u); return s }

    func contains(_ u: UInt8) -> Bool { u < 64 ? low >> u & 1 == 1 : u < 128 ? high >> (u - 64) & 1 == 1 : false }

    func contains(scalar u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 { return contains(UInt8(u.value)) }
        switch nonASCII {
        case .none: return false
        case .all: return true
        case .allButLineSeparators: return u.value != 0x2028 && u.value != 0x2029
        }
    }

    mutating func insert(_ r: ClosedRange<UInt8>) {
        for u in r where u < 128 { if u < 64 { low |= 1 << u } else { high |= 1 << (u - 64) } }
    }

    mutating func remove(_ u: UInt8) { if u < 64 { low &= ~(1 << u) } else if u < 128 { high &= ~(1 << (u - 64)) } }

    mutating func formUnion(_ o: ScalarSet) {
        low |= o.low; high |= o.high
        if o.nonASCII == .all || nonASCII == .all { nonASCII = .all }
        else if o.nonASCII == .allButLineSeparators { nonASCII = .allButLineSeparators }
    }

    /// Complement within ASCII, and all or no non-ASCII characters. Only class contents are negated,
    /// and those never hold `.`'s partial non-ASCII set.
    var negated: ScalarSet {
        var s = ScalarSet()
        s.low = ~low; s.high = ~high
        s.nonASCII = nonASCII == .none ? .all : .none
        return s
    }

    /// The ASCII members as maximal byte ranges.
    var asciiRanges: [ClosedRange<UInt8>] {
        var out: [ClosedRange<UInt8>] = []
        var u: UInt8 = 0
        while u < 128 {
            if contains(u) {
                let start = u
                while u < 127 && contains(u + 1) { u += 1 }
                out.append(start...u)
            }
            u += 1
        }
        return out
    }
}

/// The parsed form of a pattern. `offset` fields point into the pattern for error messages.
indirect enum RegexNode: Hashable, Sendable {
    case empty
    case set(ScalarSet)
    case concat([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, min: Int, max: Int?, offset: Int)
}

/// One top-level alternative and whether it is pinned to the start and to the end of the input.
struct RegexBranch: Hashable, Sendable {
    var anchoredStart: Bool
    var anchoredEnd: Bool
    var body: RegexNode
}

/// Recursive-descent parser over the pattern's Unicode scalars.
struct RegexParser {
    static let maxBound = 1000
    /// Group nesting limit: keeps every recursive pass over the pattern (parser, NFA builder) far from
    /// the end of the stack, whatever the input.
    static let maxDepth = 100

    private let s: [Unicode.Scalar]
    private var i = 0
    private var depth = 0

    init(_ pattern: String) { s = Array(pattern.unicodeScalars) }

    static func parse(_ pattern: String) throws(RegexError) -> [RegexBranch] {
        var p = RegexParser(pattern)
        return try p.pattern()
    }

    private func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }
    private func fail(_ p: RegexProblem, at o: Int? = nil) -> RegexError { RegexError(p, at: o ?? i) }

    private mutating func pattern() throws(RegexError) -> [RegexBranch] {
        var branches: [RegexBranch] = []
        while true {
            let start = peek() == "^"
            if start { i += 1 }
            let body = try sequence(topLevel: true)
            var end = false
            if peek() == "$" { end = true; i += 1 }
            branches.append(RegexBranch(anchoredStart: start, anchoredEnd: end, body: body))
            guard let c = peek() else { return branches }
            switch c {
            case "|": i += 1
            case ")": throw fail(.unmatchedParenthesis)
            default: throw fail(.misplacedAnchor("$"), at: i - 1)  // unreachable: `$` is taken only before `|` or the end
            }
        }
    }

    private mutating func alternation() throws(RegexError) -> RegexNode {
        var alts = [try sequence(topLevel: false)]
        while peek() == "|" { i += 1; alts.append(try sequence(topLevel: false)) }
        return alts.count == 1 ? alts[0] : .alternation(alts)
    }

    private mutating func sequence(topLevel: Bool) throws(RegexError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek() {
            if c == "|" || c == ")" { break }
            if c == "$" {
                // Only a `$` that ends a top-level alternative is an anchor we support.
                if topLevel && (peek(1) == nil || peek(1) == "|") { break }
                throw fail(.misplacedAnchor("$"))
            }
            let atomStart = i
            let a = try atom()
            items.append(try quantified(a, at: atomStart))
        }
        return items.isEmpty ? .empty : items.count == 1 ? items[0] : .concat(items)
    }

    private mutating func atom() throws(RegexError) -> RegexNode {
        let start = i
        let c = s[i]
        i += 1
        switch c {
        case "(":
            if peek() == "?" {
                switch peek(1) {
                case ":": i += 2
                case "=", "!": throw fail(.unsupported("lookahead", hint: "patterns describe the value itself"), at: start)
                case "<" where peek(2) == "=" || peek(2) == "!":
                    throw fail(.unsupported("lookbehind", hint: "patterns describe the value itself"), at: start)
                case "<": throw fail(.unsupported("a named group", hint: "use (?: ) or ( )"), at: start)
                default:
                    let what = peek(1).map { "(?\(Character($0))" } ?? "(?"
                    throw fail(.unsupported(quoteForMessage(what), hint: "only ( ) and (?: ) groups are supported, without flags"), at: start)
                }
            }
            depth += 1
            if depth > Self.maxDepth { throw fail(.tooDeep(limit: Self.maxDepth), at: start) }
            let inner = try alternation()
            guard peek() == ")" else { throw fail(.unclosedGroup(openedAt: start), at: start) }
            i += 1
            depth -= 1
            return inner
        case "[": return .set(try characterClass(openedAt: start))
        case ".": return .set(.dot)
        case "\\":
            switch try escape() {
            case .char(let u): return .set(.single(u))
            case .set(let x): return .set(x)
            }
        case "*", "+", "?": throw fail(.nothingToRepeat, at: start)
        case "{":
            i = start
            if (try? quantifierBraces()) != nil { throw fail(.nothingToRepeat, at: start) }
            throw fail(.loneBracket("{"), at: start)
        case "}", "]": throw fail(.loneBracket(Character(c)), at: start)
        case "^": throw fail(.misplacedAnchor("^"), at: start)
        default: return .set(.single(try literal(c, at: start)))
        }
    }

    private func literal(_ c: Unicode.Scalar, at o: Int) throws(RegexError) -> UInt8 {
        if c.value >= 0x80 { throw fail(.nonASCIILiteral(c.value), at: o) }
        if c.value < 0x20 || c.value == 0x7F { throw fail(.controlLiteral(c.value), at: o) }
        return UInt8(c.value)
    }

    private mutating func quantified(_ a: RegexNode, at atomStart: Int) throws(RegexError) -> RegexNode {
        guard let c = peek() else { return a }
        let qStart = i
        var lo = 0, hi: Int? = nil
        switch c {
        case "*": i += 1
        case "+": i += 1; lo = 1
        case "?": i += 1; hi = 1
        case "{": (lo, hi) = try quantifierBraces()
        default: return a
        }
        if peek() == "?" { i += 1 }  // lazy: same set of matched strings
        if let n = peek(), n == "*" || n == "+" || n == "?" || (n == "{" && (try? lookaheadBraces()) != nil) {
            throw fail(.repeatedQuantifier)
        }
        if lo == 1 && hi == 1 { return a }
        return .repetition(a, min: lo, max: hi, offset: qStart)
    }

    private func lookaheadBraces() throws(RegexError) -> (Int, Int?) {
        var copy = self
        return try copy.quantifierBraces()
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` at the cursor.
    private mutating func quantifierBraces() throws(RegexError) -> (Int, Int?) {
        let start = i
        i += 1
        guard let lo = number() else { throw fail(.malformedQuantifier, at: start) }
        var hi: Int? = lo
        if peek() == "," {
            i += 1
            hi = peek() == "}" ? nil : number()
            if hi == nil && peek() != "}" { throw fail(.malformedQuantifier, at: start) }
        }
        guard peek() == "}" else { throw fail(.malformedQuantifier, at: start) }
        i += 1
        if lo > Self.maxBound || (hi ?? 0) > Self.maxBound { throw fail(.quantifierTooLarge(limit: Self.maxBound), at: start) }
        if let h = hi, h < lo { throw fail(.quantifierOutOfOrder(min: lo, max: h), at: start) }
        return (lo, hi)
    }

    /// Decimal digits, saturated so that a huge bound reports "too large" instead of overflowing.
    private mutating func number() -> Int? {
        var n = 0, any = false
        while let c = peek(), c >= "0" && c <= "9" {
            n = min(n * 10 + Int(c.value - 0x30), 1 << 40)
            any = true
            i += 1
        }
        return any ? n : nil
    }

    /// After a backslash: a class escape or a single character.
    private mutating func escape() throws(RegexError) -> ClassAtom {
        let start = i - 1
        guard let c = peek() else { throw fail(.trailingBackslash, at: start) }
        i += 1
        switch c {
        case "d": return .set(.digits)
        case "D": return .set(.nonDigits)
        case "n": return .char(0x0A)
        case "r": return .char(0x0D)
        case "t": return .char(0x09)
        case "f": return .char(0x0C)
        case "v": return .char(0x0B)
        case "0":
            if let n = peek(), n >= "0" && n <= "9" {
                throw fail(.unsupported("an octal escape", hint: "write \\xHH"), at: start)
            }
            return .char(0x00)
        case "x":
            guard let h1 = peek().flatMap(hexValue), let h2 = peek(1).flatMap(hexValue) else {
                throw fail(.unsupported("\\x without two hex digits", hint: "write \\xHH"), at: start)
            }
            i += 2
            let v = h1 << 4 | h2
            if v >= 0x80 { throw fail(.nonASCIIHexEscape(v), at: start) }
            return .char(UInt8(v))
        case "1"..."9": throw fail(.unsupported("a backreference", hint: "patterns cannot refer to groups"), at: start)
        case "k": throw fail(.unsupported("a named backreference", hint: "patterns cannot refer to groups"), at: start)
        case "w", "W": throw fail(.unsupported("\\\(c)", hint: "write the class explicitly, e.g. [A-Za-z0-9_]"), at: start)
        case "s", "S": throw fail(.unsupported("\\\(c)", hint: "write the characters explicitly, e.g. [ \\t]"), at: start)
        case "b", "B": throw fail(.unsupported("\\\(c)", hint: "anchor the pattern with ^ and $ instead"), at: start)
        case "u": throw fail(.unsupported("\\u", hint: "patterns are ASCII only"), at: start)
        case "p", "P": throw fail(.unsupported("\\\(c)", hint: "patterns are ASCII only"), at: start)
        case "c": throw fail(.unsupported("\\c", hint: "write \\xHH"), at: start)
        case "^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/", "-":
            return .char(UInt8(c.value))
        default:
            if c.value >= 0x80 { throw fail(.nonASCIILiteral(c.value), at: i - 1) }
            throw fail(.unknownEscape(Character(c)), at: start)
        }
    }

    private func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 0x30
        case "a"..."f": return c.value - 0x61 + 10
        case "A"..."F": return c.value - 0x41 + 10
        default: return nil
        }
    }

    /// After `[`: members up to the closing `]`.
    private mutating func characterClass(openedAt start: Int) throws(RegexError) -> ScalarSet {
        var negate = false
        if peek() == "^" { negate = true; i += 1 }
        var set = ScalarSet()
        while true {
            guard let c = peek() else { throw fail(.unclosedClass(openedAt: start), at: start) }
            if c == "]" { i += 1; break }
            let loStart = i
            let lo = try classAtom()
            if peek() == "-", let after = peek(1), after != "]" {
                i += 1
                let hiStart = i
                let hi = try classAtom()
                guard case .char(let a) = lo else { throw fail(.classEscapeInRange, at: loStart) }
                guard case .char(let b) = hi else { throw fail(.classEscapeInRange, at: hiStart) }
                if a > b { throw fail(.rangeOutOfOrder(from: UInt32(a), to: UInt32(b)), at: loStart) }
                set.insert(a...b)
            } else {
                switch lo {
                case .char(let a): set.insert(a...a)
                case .set(let x): set.formUnion(x)
                }
            }
        }
        return negate ? set.negated : set
    }

    private enum ClassAtom { case char(UInt8), set(ScalarSet) }

    private mutating func classAtom() throws(RegexError) -> ClassAtom {
        let start = i
        let c = s[i]
        i += 1
        if c == "\\" {
            if peek() == "b" { throw fail(.unsupported("\\b in a class", hint: "write \\x08 for a backspace"), at: start) }
            return try escape()
        }
        return .char(try literal(c, at: start))
    }
}
