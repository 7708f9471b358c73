import Core
import Schema

/// What our trusted comment says about the signed release. The global signature covers it, so a verifier
/// can rely on it: `backpay-release 2026-W24 sequence:3 sha256:<hex> timestamp:<unix>`.
public struct ReleaseClaims: Hashable, Sendable, CustomStringConvertible {
    public let id: String
    public let sequence: Int
    public let sha256: [UInt8]
    public let timestamp: Int64

    public init(id: String, sequence: Int, sha256: [UInt8], timestamp: Int64) {
        self.id = id; self.sequence = sequence; self.sha256 = sha256; self.timestamp = timestamp
    }

    public init(header: ReleaseHeader, timestamp: Int64) {
        self.init(id: header.id.description, sequence: header.sequence, sha256: header.digest, timestamp: timestamp)
    }

    public var description: String {
        "backpay-release \(id) sequence:\(sequence) \(ReleaseHeader.digestText(sha256)) timestamp:\(timestamp)"
    }

    /// Reads a trusted comment written by `release sign`; nil if it is anything else (e.g. minisign's
    /// default `timestamp:…\tfile:…`), which then makes no claim about the release.
    public static func parse(_ text: String) -> ReleaseClaims? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "backpay-release",
              parts[2].hasPrefix("sequence:"), let seq = Int(parts[2].dropFirst(9)), ReleaseHeader.sequenceRange.contains(Int64(seq)),
              String(seq) == parts[2].dropFirst(9),
              parts[3].hasPrefix("sha256:"), let digest = Hex.decode(parts[3].dropFirst(7), count: 32),
              parts[4].hasPrefix("timestamp:"), let ts = Int64(parts[4].dropFirst(10)), ts >= 0,
              String(ts) == parts[4].dropFirst(10)
        else { return nil }
        return ReleaseClaims(id: String(parts[1]), sequence: seq, sha256: digest, timestamp: ts)
    }

    /// Claims that disagree with the document, one message each.
    public func mismatches(with header: ReleaseHeader) -> [String] {
        var out: [String] = []
        if id != header.id.description { out.append("trusted comment names release \(quoteForMessage(id)), the document is \(header.id)") }
        if sequence != header.sequence { out.append("trusted comment says sequence \(sequence), the document has \(header.sequence)") }
        return out + mismatches(digest: header.digest)
    }

    /// The digest claim alone, for a file whose header cannot be read.
    public func mismatches(digest: [UInt8]) -> [String] {
        guard !Sodium.constantTimeEqual(sha256, digest) else { return [] }
        return ["trusted comment says \(ReleaseHeader.digestText(sha256)), the file's bytes hash to \(ReleaseHeader.digestText(digest))"]
    }
}
