import Core
import Schema

/// What signing and the hash chain need to know of a release document (docs/release-format.md), read with the
/// strict JSON reader; the cells and the audit are the Anon module's business.
public struct ReleaseHeader: Hashable, Sendable {
    public let id: ISOWeek
    public let sequence: Int
    /// SHA-256 of the previous release file's bytes; nil for the first release.
    public let previous: [UInt8]?
    /// SHA-256 of this file's bytes: what the next release's `previous` names.
    public let digest: [UInt8]

    public init(id: ISOWeek, sequence: Int, previous: [UInt8]?, digest: [UInt8]) {
        self.id = id; self.sequence = sequence; self.previous = previous; self.digest = digest
    }

    public static let format = "backpay-release/1"
    /// Format 2 (docs/release-format.md §7) has the same header.
    public static let format2 = "backpay-release/2"

    /// Sequence numbers: from 1 to the largest exact JSON integer, the limit of every integer field of a
    /// release (the audit reads the document with the same bound).
    public static let sequenceRange: ClosedRange<Int64> = 1...JSONNumber.maxExactInteger

    /// `sha256:<hex>`, the spelling used in `previous` and in trusted comments.
    public static func digestText(_ d: [UInt8]) -> String { "sha256:" + Hex.encode(d) }

    public var digestText: String { Self.digestText(digest) }
}

/// Why bytes are not a canonical release document.
public enum ReleaseDocumentError: Error, Hashable, Sendable, CustomStringConvertible {
    case json(JSONReadError)
    case notCanonical(at: SourceLocation)
    case notObject(found: String)
    case missing(JSONPointer)
    case wrongType(JSONPointer, expected: String, found: String)
    case format(found: String)
    case id(found: String)
    case sequence(found: String)
    case previous(found: String)
    case firstWithPrevious
    case laterWithoutPrevious(sequence: Int)

    /// The message prefixed with the file's name: `release.json:1:5: …` or `release.json: /id: …`.
    public func message(file: String) -> String {
        switch self {
        case .json, .notCanonical: return "\(file):\(self)"
        default: return "\(file): \(self)"
        }
    }

    public var description: String {
        switch self {
        case .json(let e): return e.description
        case .notCanonical(let at):
            return "\(at): release is not in canonical form (RFC 8785 bytes, optionally one final newline); first difference here"
        case .notObject(let f): return "(root): a release is a JSON object, found \(f)"
        case .missing(let p): return "\(p.display): required field is missing"
        case .wrongType(let p, let e, let f): return "\(p.display): expected \(e), found \(f)"
        case .format(let f): return "/format: expected \"\(ReleaseHeader.format)\" or \"\(ReleaseHeader.format2)\", found \(quoteForMessage(f))"
        case .id(let f): return "/id: \(quoteForMessage(f)) is not an ISO week like \"2026-W24\""
        case .sequence(let f): return "/sequence: \(f) is not a sequence number (an integer from 1 to 2^53-1)"
        case .previous(let f): return "/previous: \(quoteForMessage(f)) is not \"sha256:\" followed by 64 lower-case hex digits"
        case .firstWithPrevious: return "/previous: the first release (sequence 1) must have previous null"
        case .laterWithoutPrevious(let s): return "/previous: release \(s) must name the previous release (found null)"
        }
    }
}

extension ReleaseHeader {
    /// Checks that `bytes` are a canonical release and reads its header.
    ///
    /// Canonical means: the strict reader accepts the bytes, and they equal the RFC 8785 serialization of
    /// what it read, optionally followed by exactly one `\n` (so that the file can be shown with `cat`).
    /// The hash chain covers the file's bytes as they are, newline included.
    public static func read(_ bytes: [UInt8]) throws(ReleaseDocumentError) -> ReleaseHeader {
        let value: JSONValue
        do { value = try StrictJSON.parse(bytes) } catch { throw .json(error) }
        let canonical: [UInt8]
        do { canonical = try CanonicalJSON.serialize(value) } catch {
            throw .notCanonical(at: SourceLocation.locate(offset: 0, in: bytes))
        }
        if bytes != canonical && bytes != canonical + [0x0A] {
            // Compare with the newline form when the file is longer, so that an extra line is pointed at.
            let expected = bytes.count > canonical.count ? canonical + [0x0A] : canonical
            let n = min(bytes.count, expected.count)
            let diff = (0..<n).first { bytes[$0] != expected[$0] } ?? n
            throw .notCanonical(at: SourceLocation.locate(offset: diff, in: bytes))
        }
        guard let object = value.objectValue else { throw .notObject(found: value.typeName) }
        func field(_ name: String) throws(ReleaseDocumentError) -> JSONValue {
            guard let v = object[name] else { throw .missing(JSONPointer([name])) }
            return v
        }
        let formatValue = try field("format")
        guard let format = formatValue.stringValue else { throw .wrongType(JSONPointer(["format"]), expected: "string", found: formatValue.typeName) }
        guard format == ReleaseHeader.format || format == ReleaseHeader.format2 else { throw .format(found: format) }

        let idValue = try field("id")
        guard let idText = idValue.stringValue else { throw .wrongType(JSONPointer(["id"]), expected: "string", found: idValue.typeName) }
        guard let id = ISOWeek(idText), id.description == idText else { throw .id(found: idText) }

        let seqValue = try field("sequence")
        guard let n = seqValue.numberValue else { throw .wrongType(JSONPointer(["sequence"]), expected: "integer", found: seqValue.typeName) }
        guard let seq = n.int64Value, ReleaseHeader.sequenceRange.contains(seq) else { throw .sequence(found: n.lexeme) }

        let prevValue = try field("previous")
        let previous: [UInt8]?
        switch prevValue {
        case .null: previous = nil
        case .string(let s):
            guard s.hasPrefix("sha256:"), let d = Hex.decode(s.dropFirst(7), count: 32) else { throw .previous(found: s) }
            previous = d
        default: throw .wrongType(JSONPointer(["previous"]), expected: "string or null", found: prevValue.typeName)
        }
        if seq == 1 && previous != nil { throw .firstWithPrevious }
        if seq > 1 && previous == nil { throw .laterWithoutPrevious(sequence: Int(seq)) }
        return ReleaseHeader(id: id, sequence: Int(seq), previous: previous, digest: SHA256.hash(bytes))
    }
}
