import Core
import Schema

/// What signing and the hash chain need to know of a release document (docs/release-format.md): its
/// header, as the one decoder (`ReleaseDocument.decode`) reads it from canonical bytes.
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

    /// Sequence numbers: from 1 to the largest exact JSON integer, the limit of every integer field of a
    /// release (the audit reads the document with the same bound).
    public static let sequenceRange: ClosedRange<Int64> = 1...JSONNumber.maxExactInteger

    /// `sha256:<hex>`, the spelling used in `previous` and in trusted comments.
    public static func digestText(_ d: [UInt8]) -> String { "sha256:" + Hex.encode(d) }

    public var digestText: String { Self.digestText(digest) }

    /// Checks that `bytes` are a canonical release and reads its header (the body is not needed).
    public static func read(_ bytes: [UInt8]) throws(ReleaseDocumentError) -> ReleaseHeader {
        try ReleaseDocument.decode(bytes).header.get()
    }
}
