import Core
import Schema

/// Why a transparency file (signed note, checkpoint, cosignature, proof, log or witness state) was refused.
/// Each case carries the 1-based line (and column where it helps) within the file it was read from.
public enum FormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Bytes that are not UTF-8, or an ASCII control character other than newline.
    case notText(line: Int, column: Int, what: String)
    /// The file does not end with a newline.
    case missingFinalNewline(line: Int)
    /// No empty line separates a note's text from its signatures.
    case noSignatureBlock
    /// A line of the signature block is not `— NAME BASE64`.
    case badSignatureLine(line: Int, why: String)
    /// More signature lines than we read (Go's note package stops at 100 too).
    case tooManySignatures(line: Int, limit: Int)
    /// A line that is not what the format has at that place.
    case unexpected(line: Int, expected: String, found: String)
    /// A number with leading zeros, a sign, or out of range.
    case badNumber(line: Int, what: String, found: String)
    /// Base64 that is not the canonical padded standard encoding, or of the wrong length.
    case badBase64(line: Int, what: String)
    /// Too large to be what it claims.
    case tooLarge(limit: Int)
    /// A verifier key string that is not `NAME+HEX8+BASE64`.
    case badVerifierKey(String)

    public var line: Int? {
        switch self {
        case .notText(let l, _, _), .missingFinalNewline(let l), .badSignatureLine(let l, _), .tooManySignatures(let l, _),
             .unexpected(let l, _, _), .badNumber(let l, _, _), .badBase64(let l, _): return l
        case .noSignatureBlock, .tooLarge, .badVerifierKey: return nil
        }
    }

    public var column: Int {
        if case .notText(_, let c, _) = self { return c }
        return 1
    }

    /// The message without its position (the caller prefixes `FILE:LINE:COL: `).
    public var message: String {
        switch self {
        case .notText(_, _, let what): return what
        case .missingFinalNewline: return "the file does not end with a newline (truncated?)"
        case .noSignatureBlock: return "no empty line before signature lines: not a signed note (truncated?)"
        case .badSignatureLine(_, let why): return "signature line: \(why)"
        case .tooManySignatures(_, let limit): return "more than \(limit) signature lines; refusing to read further"
        case .unexpected(_, let e, let f): return "expected \(e), found \(quoteForMessage(f))"
        case .badNumber(_, let what, let f): return "\(what) \(quoteForMessage(f)) is not a decimal without leading zeros"
        case .badBase64(_, let what): return "\(what) is not canonical standard base64 of the right length"
        case .tooLarge(let limit): return "larger than \(limit) bytes"
        case .badVerifierKey(let why): return "verifier key: \(why)"
        }
    }

    /// `LINE:COL: message`, or the message alone.
    public var description: String { line.map { "\($0):\(column): \(message)" } ?? message }

    /// `FILE:LINE:COL: message`, or `FILE: message` when there is no line.
    public func at(_ file: String) -> String { line == nil ? "\(file): \(message)" : "\(file):\(description)" }

    /// The same error `offset` lines further down (for a note read from inside a larger file).
    func shifted(by offset: Int) -> FormatError {
        switch self {
        case .notText(let l, let c, let w): return .notText(line: l + offset, column: c, what: w)
        case .missingFinalNewline(let l): return .missingFinalNewline(line: l + offset)
        case .badSignatureLine(let l, let w): return .badSignatureLine(line: l + offset, why: w)
        case .tooManySignatures(let l, let n): return .tooManySignatures(line: l + offset, limit: n)
        case .unexpected(let l, let e, let f): return .unexpected(line: l + offset, expected: e, found: f)
        case .badNumber(let l, let w, let f): return .badNumber(line: l + offset, what: w, found: f)
        case .badBase64(let l, let w): return .badBase64(line: l + offset, what: w)
        case .noSignatureBlock, .tooLarge, .badVerifierKey: return self
        }
    }
}

/// Lines of a text that must be UTF-8 without control characters but newline (signed-note §Format), and
/// must end with a newline. Errors name line and column; a CR gets its own message (CRLF files).
enum NoteText {
    static func lines(_ bytes: ArraySlice<UInt8>, firstLine: Int = 1) throws(FormatError) -> [ArraySlice<UInt8>] {
        try check(bytes, firstLine: firstLine)
        guard bytes.last == 0x0A else {
            throw .missingFinalNewline(line: firstLine + bytes.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 })
        }
        var out = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        out.removeLast()   // after the final newline
        return out
    }

    static func check(_ bytes: ArraySlice<UInt8>, firstLine: Int) throws(FormatError) {
        var line = firstLine, column = 1
        for b in bytes {
            if b == 0x0A { line += 1; column = 1; continue }
            if b == 0x0D { throw .notText(line: line, column: column, what: "carriage return (CRLF line endings?): these files use LF line endings only") }
            if b < 0x20 { throw .notText(line: line, column: column, what: "control character 0x\(String(b, radix: 16)) is not allowed") }
            column += 1
        }
        if String(validating: bytes, as: UTF8.self) == nil {
            // Find the line of the first invalid byte for the message.
            var l = firstLine, start = bytes.startIndex
            for i in bytes.indices where bytes[i] == 0x0A {
                if String(validating: bytes[start..<i], as: UTF8.self) == nil { break }
                l += 1; start = i + 1
            }
            throw .notText(line: l, column: 1, what: "line is not valid UTF-8")
        }
    }

    /// A decimal without sign or leading zeros ("0" alone is fine), within Int64.
    static func decimal(_ s: Substring) -> Int? {
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && $0.isNumber }), s == "0" || !s.hasPrefix("0"), let v = Int(s) else { return nil }
        return v
    }

    static func string(_ s: ArraySlice<UInt8>) -> String { String(decoding: s, as: UTF8.self) }
}
