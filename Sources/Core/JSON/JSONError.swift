/// Where something is in a source text: 1-based line and column (columns count Unicode scalars), and
/// the 0-based byte offset.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let offset: Int

    public init(line: Int, column: Int, offset: Int) { self.line = line; self.column = column; self.offset = offset }

    /// Computes line and column of `offset` by rescanning the bytes before it. Only error paths call
    /// this, so hot loops carry nothing but a byte index.
    public static func locate(offset: Int, in bytes: UnsafeRawBufferPointer) -> SourceLocation {
        let end = min(max(offset, 0), bytes.count)
        var line = 1, column = 1, i = 0
        while i < end {
            let b = bytes[i]
            if b == 0x0A { line += 1; column = 1 }
            else if b == 0x0D {
                // CR LF counts once; a lone CR ends a line too.
                if i + 1 < end, bytes[i + 1] == 0x0A { i += 1 }
                line += 1; column = 1
            } else if b & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(line: line, column: column, offset: end)
    }

    public static func locate(offset: Int, in bytes: [UInt8]) -> SourceLocation {
        bytes.withUnsafeBytes { locate(offset: offset, in: $0) }
    }

    public var description: String { "\(line):\(column)" }
}

/// Why a byte sequence is not strict JSON. Each case says what a person should change.
public enum JSONSyntaxProblem: Hashable, Sendable {
    case empty
    case byteOrderMark
    case tooLarge(limit: Int)
    case tooDeep(limit: Int)
    case unexpectedEnd(expected: String)
    case unexpectedByte(UInt8, expected: String)
    case invalidUTF8
    case controlCharacterInString(UInt8)
    case invalidEscape(String)
    case loneSurrogate(UInt32)
    /// A Unicode noncharacter (U+FDD0–U+FDEF, U+xxFFFE, U+xxFFFF), written raw or escaped.
    case noncharacter(UInt32)
    case invalidNumber(String)
    case nonFiniteLiteral(String)
    case numberOutOfRange
    case integerNotExact(String)
    case duplicateKey(String)
    case trailingContent

    public var message: String {
        switch self {
        case .empty: return "empty input: a JSON text is required"
        case .byteOrderMark: return "byte-order mark (U+FEFF) before the JSON text: save the file as UTF-8 without BOM"
        case .tooLarge(let limit): return "input is larger than the \(formatBytes(limit)) limit"
        case .tooDeep(let limit): return "nesting deeper than \(limit) levels"
        case .unexpectedEnd(let expected): return "unexpected end of input, expected \(expected) (truncated file?)"
        case .unexpectedByte(let b, let expected): return "unexpected \(describeByte(b)), expected \(expected)"
        case .invalidUTF8: return "invalid UTF-8 byte sequence"
        case .controlCharacterInString(let b): return "raw control character U+\(hex4(UInt32(b))) in a string: it must be escaped"
        case .invalidEscape(let e): return "invalid escape \(e) in a string"
        case .loneSurrogate(let u): return "lone surrogate \\u\(hex4(u)) in a string (not valid Unicode)"
        case .noncharacter(let u): return "Unicode noncharacter U+\(hex4(u)) in a string: I-JSON (RFC 7493 §2.1) excludes it"
        case .invalidNumber(let why): return "invalid number: \(why)"
        case .nonFiniteLiteral(let lit): return "\(lit) is not JSON: numbers must be finite"
        case .numberOutOfRange: return "number is too large to be represented (overflows to infinity)"
        case .integerNotExact(let lexeme):
            return "integer \(lexeme) is beyond ±(2^53-1) and binary64 cannot hold it exactly: I-JSON readers would change its value"
        case .duplicateKey(let k): return "duplicate key \(quoteForMessage(k)): each key may appear once"
        case .trailingContent: return "unexpected content after the JSON value"
        }
    }
}

/// A strict-JSON reading failure: the problem, where it is, and the JSON Pointer of the value being read.
public struct JSONReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public let problem: JSONSyntaxProblem
    public let location: SourceLocation
    public let pointer: JSONPointer

    public init(problem: JSONSyntaxProblem, location: SourceLocation, pointer: JSONPointer) {
        self.problem = problem; self.location = location; self.pointer = pointer
    }

    /// `LINE:COL: POINTER: message`; the file name is put in front by whoever knows it.
    public var description: String { "\(location): \(pointer.display): \(problem.message)" }
}

package func hex4(_ v: UInt32) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - s.count)) + s
}

package func formatBytes(_ n: Int) -> String {
    if n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
    if n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
    return "\(n) bytes"
}

package func describeByte(_ b: UInt8) -> String {
    if b == 0x27 { return "\"'\" (single quote)" }
    if b == 0x2F { return "'/' (comments are not JSON)" }
    if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
    return "byte 0x" + String(b, radix: 16, uppercase: true).leftPadded(2)
}

extension String {
    package func leftPadded(_ n: Int, with c: Character = "0") -> String { count >= n ? self : String(repeating: c, count: n - count) + self }
}

/// Quotes untrusted text for a one-line message: printable ASCII stays, everything else is escaped as
/// `\u{XXXX}` so that no byte from the input can move the cursor or fake another line. Long text is cut.
public func quoteForMessage(_ s: String, limit: Int = 60) -> String {
    var out = "\""
    var n = 0
    for u in s.unicodeScalars {
        if n >= limit { out += "…"; break }
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case " "..."~": out.unicodeScalars.append(u)
        default: out += "\\u{\(hex4(u.value))}"
        }
        n += 1
    }
    return out + "\""
}
