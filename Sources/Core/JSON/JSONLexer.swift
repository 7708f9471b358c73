/// Byte-level primitives of the strict reader, over a buffer borrowed for the duration of one read.
///
/// Both the tree builder (`StrictJSON`) and the compiled payload validator drive this lexer, so the
/// grammar lives in exactly one place. Every primitive checks bounds against `end` before it reads;
/// nothing here allocates on the ASCII fast path. Errors carry only a byte offset: line and column are
/// computed from it on the error path (`SourceLocation.locate`).
package struct JSONLexer {
    package let bytes: UnsafeRawBufferPointer
    package var pos: Int
    package let end: Int

    @inlinable
    package init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.pos = start
        self.end = end ?? bytes.count
    }

    /// A lexer failure before the pointer is known (the driver adds it).
    package struct Failure: Error {
        package let problem: JSONSyntaxProblem
        package let offset: Int
        @inlinable package init(problem: JSONSyntaxProblem, offset: Int) { self.problem = problem; self.offset = offset }
    }

    @inlinable @inline(__always) package var atEnd: Bool { pos >= end }

    @inlinable @inline(__always) package func peek() -> UInt8? { pos < end ? bytes[pos] : nil }

    /// Skips JSON whitespace; returns how many bytes were skipped (the canonical form has none).
    @inlinable @inline(__always) @discardableResult
    package mutating func skipWhitespace() -> Int {
        let start = pos
        while pos < end {
            let b = bytes[pos]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { pos += 1 } else { break }
        }
        return pos - start
    }

    @inlinable @inline(__always)
    package mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        guard pos < end else { throw Failure(problem: .unexpectedEnd(expected: what), offset: pos) }
        guard bytes[pos] == byte else { throw Failure(problem: .unexpectedByte(bytes[pos], expected: what), offset: pos) }
        pos += 1
    }

    /// The string token just scanned: its content range (between the quotes) and what the scan saw.
    package struct StringToken {
        package let start: Int          // offset of the opening quote
        package let contentStart: Int
        package let contentEnd: Int     // offset of the closing quote
        package let hasEscapes: Bool
        /// An escape the canonical form would not write (`\/`, `\u0041`, upper-case hex, `\u000a`).
        package let hasNonCanonicalEscape: Bool
        package let isASCII: Bool

        @inlinable
        package init(start: Int, contentStart: Int, contentEnd: Int, hasEscapes: Bool, hasNonCanonicalEscape: Bool, isASCII: Bool) {
            self.start = start; self.contentStart = contentStart; self.contentEnd = contentEnd
            self.hasEscapes = hasEscapes; self.hasNonCanonicalEscape = hasNonCanonicalEscape; self.isASCII = isASCII
        }
    }

    /// Scans a string starting at the opening quote, validating UTF-8, escapes and surrogate pairs.
    @inlinable @inline(__always)
    package mutating func scanString() throws(Failure) -> StringToken {
        let start = pos
        pos += 1 // opening quote, checked by the caller
        let contentStart = pos
        var hasEscapes = false, nonCanonical = false, ascii = true
        let base = bytes.baseAddress!
        while true {
            // Fast path: eight plain ASCII bytes at a time (no quote, backslash, control or non-ASCII byte).
            while pos + 8 <= end {
                let x = base.loadUnaligned(fromByteOffset: pos, as: UInt64.self)
                if swarNeedsAttention(x) { break }
                pos += 8
            }
            guard pos < end else { throw Failure(problem: .unexpectedEnd(expected: "'\"' to close the string"), offset: pos) }
            let b = bytes[pos]
            if b == 0x22 { break }
            if b < 0x20 { throw Failure(problem: .controlCharacterInString(b), offset: pos) }
            if b == 0x5C {
                hasEscapes = true
                if try scanEscape() { nonCanonical = true }
                continue
            }
            if b < 0x80 { pos += 1; continue }
            ascii = false
            try scanMultibyte()
        }
        let contentEnd = pos
        pos += 1
        return StringToken(start: start, contentStart: contentStart, contentEnd: contentEnd,
                           hasEscapes: hasEscapes, hasNonCanonicalEscape: nonCanonical, isASCII: ascii)
    }

    /// Validates one escape at `pos` (a backslash) and moves past it. Returns true when the canonical
    /// form (RFC 8785 §3.2.2.2) would write the character differently.
    @usableFromInline mutating func scanEscape() throws(Failure) -> Bool {
        let at = pos
        guard pos + 1 < end else { throw Failure(problem: .unexpectedEnd(expected: "an escape sequence"), offset: pos) }
        let c = bytes[pos + 1]
        switch c {
        case 0x22, 0x5C, 0x62, 0x66, 0x6E, 0x72, 0x74: // " \ b f n r t
            pos += 2
            return false
        case 0x2F: // \/ is legal JSON but never canonical
            pos += 2
            return true
        case 0x75: // u
            let (u, lowerHex) = try readHex4(at: pos + 2)
            pos += 6
            if u >= 0xD800 && u <= 0xDBFF {
                // A high surrogate must be followed by an escaped low surrogate.
                guard pos + 1 < end, bytes[pos] == 0x5C, bytes[pos + 1] == 0x75 else {
                    throw Failure(problem: .loneSurrogate(u), offset: at)
                }
                let (low, _) = try readHex4(at: pos + 2)
                guard low >= 0xDC00 && low <= 0xDFFF else { throw Failure(problem: .loneSurrogate(u), offset: at) }
                let scalar = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                if scalar & 0xFFFE == 0xFFFE { throw Failure(problem: .noncharacter(scalar), offset: at) }
                pos += 6
                return true // a non-BMP character is written raw in canonical form
            }
            if u >= 0xDC00 && u <= 0xDFFF { throw Failure(problem: .loneSurrogate(u), offset: at) }
            if (u >= 0xFDD0 && u <= 0xFDEF) || u >= 0xFFFE { throw Failure(problem: .noncharacter(u), offset: at) }
            // Canonical form escapes exactly the controls without a short form, in lower-case hex.
            let shortForm: Bool = u == 0x08 || u == 0x09 || u == 0x0A || u == 0x0C || u == 0x0D
            return !(u < 0x20 && !shortForm && lowerHex)
        default:
            let shown = c >= 0x21 && c < 0x7F ? "\\\(Character(Unicode.Scalar(c)))" : "\\ followed by \(describeByte(c))"
            throw Failure(problem: .invalidEscape(shown), offset: at)
        }
    }

    @usableFromInline func readHex4(at i: Int) throws(Failure) -> (UInt32, Bool) {
        guard i + 4 <= end else { throw Failure(problem: .unexpectedEnd(expected: "four hex digits after \\u"), offset: i - 2) }
        var v: UInt32 = 0
        var lower = true
        for k in 0..<4 {
            let h = bytes[i + k]
            let d: UInt32
            switch h {
            case 0x30...0x39: d = UInt32(h - 0x30)
            case 0x61...0x66: d = UInt32(h - 0x61 + 10)
            case 0x41...0x46: d = UInt32(h - 0x41 + 10); lower = false
            default: throw Failure(problem: .invalidEscape("\\u with non-hex digit \(describeByte(h))"), offset: i - 2)
            }
            v = v << 4 | d
        }
        return (v, lower)
    }

    /// Validates one multi-byte UTF-8 sequence at `pos` (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF)
    /// that is not a Unicode noncharacter (I-JSON §2.1).
    @inline(__always)
    @usableFromInline mutating func scanMultibyte() throws(Failure) {
        let b0 = bytes[pos]
        let need: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: throw Failure(problem: .invalidUTF8, offset: pos)
        }
        guard pos + need < end else { throw Failure(problem: .invalidUTF8, offset: pos) }
        let b1 = bytes[pos + 1]
        guard b1 >= lo && b1 <= hi else { throw Failure(problem: .invalidUTF8, offset: pos) }
        if need >= 2 { guard bytes[pos + 2] & 0xC0 == 0x80 else { throw Failure(problem: .invalidUTF8, offset: pos) } }
        if need == 3 { guard bytes[pos + 3] & 0xC0 == 0x80 else { throw Failure(problem: .invalidUTF8, offset: pos) } }
        // Noncharacters: U+FDD0–U+FDEF (EF B7 90–AF) and the last two code points of every plane
        // (EF BF BE–BF; F0–F4 x(F) BF BE–BF).
        if b0 == 0xEF, (b1 == 0xB7 && bytes[pos + 2] >= 0x90 && bytes[pos + 2] <= 0xAF) || (b1 == 0xBF && bytes[pos + 2] >= 0xBE) {
            throw Failure(problem: .noncharacter(0xF000 | UInt32(b1 & 0x3F) << 6 | UInt32(bytes[pos + 2] & 0x3F)), offset: pos)
        }
        if need == 3, b1 & 0x0F == 0x0F, bytes[pos + 2] == 0xBF, bytes[pos + 3] >= 0xBE {
            let scalar = UInt32(b0 & 0x07) << 18 | UInt32(b1 & 0x3F) << 12 | 0xFC0 | UInt32(bytes[pos + 3] & 0x3F)
            throw Failure(problem: .noncharacter(scalar), offset: pos)
        }
        pos += need + 1
    }

    /// Decodes a scanned string's content (escapes resolved). The scan already validated everything.
    package func decode(_ t: StringToken) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[t.contentStart..<t.contentEnd])
        if !t.hasEscapes { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = t.contentStart
        while i < t.contentEnd {
            let b = bytes[i]
            guard b == 0x5C else { out.append(b); i += 1; continue }
            let c = bytes[i + 1]
            switch c {
            case 0x62: out.append(0x08); i += 2
            case 0x66: out.append(0x0C); i += 2
            case 0x6E: out.append(0x0A); i += 2
            case 0x72: out.append(0x0D); i += 2
            case 0x74: out.append(0x09); i += 2
            case 0x75:
                var u = hexValue(at: i + 2)
                i += 6
                if u >= 0xD800 && u <= 0xDBFF {
                    let low = hexValue(at: i + 2)
                    u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                appendUTF8(u, to: &out)
            default: out.append(c); i += 2
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @usableFromInline func hexValue(at i: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 {
            let h = bytes[i + k]
            v = v << 4 | UInt32(h <= 0x39 ? h - 0x30 : (h | 0x20) - 0x61 + 10)
        }
        return v
    }

    /// True when a scanned string's content equals `literal` byte for byte (no escapes involved).
    @inlinable @inline(__always)
    package func contentEquals(_ t: StringToken, _ literal: UnsafeRawBufferPointer) -> Bool {
        let n = t.contentEnd - t.contentStart
        guard !t.hasEscapes, n == literal.count else { return false }
        return memcmpBytes(bytes.baseAddress! + t.contentStart, literal.baseAddress!, n)
    }

    /// The number token just scanned.
    package struct NumberToken {
        package let start: Int
        package let end: Int
        package let hasFraction: Bool
        package let hasExponent: Bool
        package let negative: Bool
        /// The digits before any '.' or exponent, read while scanning (wraps past 19 digits; callers that
        /// use it check the length first), so a plain integer is not read twice.
        package let integerPart: UInt64
        @inlinable package var isIntegerLexeme: Bool { !hasFraction && !hasExponent }

        @inlinable
        package init(start: Int, end: Int, hasFraction: Bool, hasExponent: Bool, negative: Bool, integerPart: UInt64) {
            self.start = start; self.end = end; self.hasFraction = hasFraction; self.hasExponent = hasExponent
            self.negative = negative; self.integerPart = integerPart
        }
    }

    /// Scans a number (RFC 8259 §6 grammar) starting at `pos`, which holds '-' or a digit.
    @inlinable @inline(__always)
    package mutating func scanNumber() throws(Failure) -> NumberToken {
        let start = pos
        var negative = false
        if bytes[pos] == 0x2D {
            negative = true
            pos += 1
            guard pos < end else { throw Failure(problem: .unexpectedEnd(expected: "a digit after '-'"), offset: pos) }
            if bytes[pos] == 0x49 { throw Failure(problem: .nonFiniteLiteral("-Infinity"), offset: start) }
        }
        guard pos < end, isDigit(bytes[pos]) else {
            throw Failure(problem: .invalidNumber("a digit must follow '-'"), offset: pos)
        }
        var integerPart: UInt64 = 0
        if bytes[pos] == 0x30 {
            pos += 1
            if pos < end, isDigit(bytes[pos]) { throw Failure(problem: .invalidNumber("leading zero"), offset: start) }
        } else {
            while pos < end, case let d = bytes[pos] &- 0x30, d < 10 { integerPart = integerPart &* 10 &+ UInt64(d); pos += 1 }
        }
        var hasFraction = false, hasExponent = false
        if pos < end, bytes[pos] == 0x2E {
            hasFraction = true
            pos += 1
            guard pos < end, isDigit(bytes[pos]) else { throw Failure(problem: .invalidNumber("a digit must follow '.'"), offset: pos) }
            while pos < end, isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < end, bytes[pos] | 0x20 == 0x65 {
            hasExponent = true
            pos += 1
            if pos < end, bytes[pos] == 0x2B || bytes[pos] == 0x2D { pos += 1 }
            guard pos < end, isDigit(bytes[pos]) else { throw Failure(problem: .invalidNumber("a digit must follow the exponent"), offset: pos) }
            while pos < end, isDigit(bytes[pos]) { pos += 1 }
        }
        return NumberToken(start: start, end: pos, hasFraction: hasFraction, hasExponent: hasExponent, negative: negative, integerPart: integerPart)
    }

    /// Matches one of the literals `true`, `false`, `null` at `pos`.
    @inlinable @inline(__always)
    package mutating func scanLiteral(_ literal: StaticString) throws(Failure) {
        let n = literal.utf8CodeUnitCount
        let p = literal.utf8Start
        for k in 0..<n {
            guard pos + k < end else { throw Failure(problem: .unexpectedEnd(expected: "'\(literal)'"), offset: pos + k) }
            guard bytes[pos + k] == p[k] else { throw Failure(problem: .unexpectedByte(bytes[pos + k], expected: "'\(literal)'"), offset: pos + k) }
        }
        pos += n
    }

    /// The error for a byte that cannot start a value, naming the non-JSON spellings people use.
    package func badValueStart(expected: String) -> Failure {
        guard pos < end else { return Failure(problem: .unexpectedEnd(expected: expected), offset: pos) }
        let b = bytes[pos]
        if b == 0x4E, startsWith("NaN") { return Failure(problem: .nonFiniteLiteral("NaN"), offset: pos) }
        if b == 0x49, startsWith("Infinity") { return Failure(problem: .nonFiniteLiteral("Infinity"), offset: pos) }
        if b == 0x2B { return Failure(problem: .invalidNumber("a leading '+' is not allowed"), offset: pos) }
        if b == 0x2E { return Failure(problem: .invalidNumber("a digit must come before '.'"), offset: pos) }
        if b == 0x27 { return Failure(problem: .unexpectedByte(b, expected: "\(expected) (strings use double quotes)"), offset: pos) }
        if b >= 0x80 {
            // Outside strings only ASCII is JSON; still refuse invalid UTF-8 as such.
            var probe = self
            do { try probe.scanMultibyte() } catch { return error }
        }
        return Failure(problem: .unexpectedByte(b, expected: expected), offset: pos)
    }

    @usableFromInline func startsWith(_ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard pos + n <= end else { return false }
        for k in 0..<n where bytes[pos + k] != s.utf8Start[k] { return false }
        return true
    }
}

@inlinable @inline(__always) package func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

/// True when one of the eight bytes in `x` is a quote, a backslash, a control character or non-ASCII:
/// the classic "has a zero byte" bit trick applied to x, x ^ '"' and x ^ '\\', plus the high bits.
@inlinable @inline(__always) package func swarNeedsAttention(_ x: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
    let control = (x &- ones &* 0x20) & ~x & highs          // a byte below 0x20
    let quote = hasZero(x ^ (ones &* 0x22))
    let backslash = hasZero(x ^ (ones &* 0x5C))
    return (x & highs) | control | quote | backslash != 0
}

@inlinable @inline(__always) package func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    if n >= 8 {
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        // The tail as one more word, overlapping what was compared (keys and words are 9 to 25 bytes).
        return i == n || a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }
    if n >= 4 {
        return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
            && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
    }
    var i = 0
    while i < n { if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }; i += 1 }
    return true
}

package func appendUTF8(_ u: UInt32, to out: inout [UInt8]) {
    switch u {
    case 0..<0x80: out.append(UInt8(u))
    case 0x80..<0x800:
        out.append(UInt8(0xC0 | (u >> 6))); out.append(UInt8(0x80 | (u & 0x3F)))
    case 0x800..<0x10000:
        out.append(UInt8(0xE0 | (u >> 12))); out.append(UInt8(0x80 | ((u >> 6) & 0x3F))); out.append(UInt8(0x80 | (u & 0x3F)))
    default:
        out.append(UInt8(0xF0 | (u >> 18))); out.append(UInt8(0x80 | ((u >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((u >> 6) & 0x3F))); out.append(UInt8(0x80 | (u & 0x3F)))
    }
}
