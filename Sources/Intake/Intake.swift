import Anon
import Core
import Schema

/// Where a payload came from: `file:line`.
public struct Source: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public init(file: String, line: Int) { self.file = file; self.line = line }
    public var description: String { "\(file):\(line)" }
    public static func < (a: Source, b: Source) -> Bool { (a.file, a.line) < (b.file, b.line) }
}

/// Payloads of one kind that a build leaves out (late, or outside the week): how many there are, and where
/// the first of them are, to name in messages. Keeping every source would make memory follow rows rather
/// than members, and an export can be nothing but such rows.
public struct SourceSample: Sendable, Equatable {
    /// How many sources are kept to be named; the rest are only counted.
    public static let kept = 1_000
    public private(set) var count = 0
    /// The first `kept` sources, in reading order.
    public private(set) var first: [Source] = []

    public init() {}

    public var isEmpty: Bool { count == 0 }
    /// How many are counted but not named.
    public var unnamed: Int { count - first.count }

    package mutating func append(_ s: Source) {
        count += 1
        if first.count < Self.kept { first.append(s) }
    }

    /// Without `drop` (sources found to conflict), of which `dropCount` were counted here.
    package func removing(_ drop: Set<Source>, count dropCount: Int) -> SourceSample {
        guard dropCount > 0 else { return self }
        var out = self
        out.count -= dropCount
        out.first.removeAll { drop.contains($0) }
        return out
    }
}

/// A validated payload, its origin, and its Merkle leaf hash (SHA-256 of 0x00 ‖ canonical bytes, computed
/// once, from the line itself when the line is already canonical).
public struct SourcedPayload: Sendable {
    public let payload: Payload
    public let source: Source
    public let leaf: MerkleLeaf

    public init(payload: Payload, source: Source, leaf: MerkleLeaf? = nil) {
        self.payload = payload
        self.source = source
        self.leaf = leaf ?? MerkleLeaf(canonicalBytes: payload.canonicalBytes)
    }
}

/// A Merkle leaf hash, held inline.
public struct MerkleLeaf: Sendable, Hashable {
    public var bytes: InlineArray<32, UInt8>

    public init(canonicalBytes: [UInt8]) {
        self = canonicalBytes.withUnsafeBytes { MerkleLeaf(hashing: $0) }
    }

    public init(hashing bytes: UnsafeRawBufferPointer) {
        var out = InlineArray<32, UInt8>(repeating: 0)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { h in
            Merkle.leafHash(bytes, into: h.baseAddress!)
            for i in 0..<32 { out[i] = h[i] }
        }
        self.bytes = out
    }

    public static func == (a: MerkleLeaf, b: MerkleLeaf) -> Bool { (0..<32).allSatisfy { a.bytes[$0] == b.bytes[$0] } }
    public func hash(into h: inout Hasher) { for i in 0..<32 { h.combine(bytes[i]) } }

    package func copy(to out: UnsafeMutablePointer<UInt8>) { for i in 0..<32 { out[i] = bytes[i] } }
}

/// A line that was not used: why, and its bytes (for the quarantine file).
public struct RejectedLine: Sendable {
    public let source: Source
    /// `LINE:COL: POINTER: message` relative to the file, or a conflict note.
    public let error: String
    public let bytes: [UInt8]
}

/// Why reading payloads stopped.
public enum IntakeError: Error, Sendable, CustomStringConvertible {
    /// The file could not be read (exit 2).
    case file(FileError)
    /// A line is not a valid payload, and no quarantine was asked for (exit 1).
    case invalid(RejectedLine)
    /// Two payloads for the same (panelist, date), and no quarantine was asked for (exit 1).
    case conflict(RejectedLine)
    /// The rows are valid payloads but cannot be summed (a sum beyond the exact range) (exit 1).
    case aggregate(AnonError)

    public var description: String {
        switch self {
        case .file(let e): return e.description
        case .invalid(let r): return "\(r.source.file):\(r.error)"
        case .conflict(let r): return "\(r.source): \(r.error)"
        case .aggregate(let e): return e.description
        }
    }
}

extension RejectedLine {
    /// The quarantine file: one JSON object per rejected line, `{"source","error","line"}` (the line as text,
    /// or `line_hex` when it is not UTF-8).
    public static func quarantineFile(_ rejected: [RejectedLine]) -> [UInt8] {
        var out: [UInt8] = []
        for r in rejected { out += r.quarantineLine }
        return out
    }

    /// This row's line of the quarantine file, with its newline.
    public var quarantineLine: [UInt8] {
        var o = JSONObject()
        o.set("source", .string(source.description))
        o.set("error", .string(error))
        if let text = String(validating: bytes, as: UTF8.self) { o.set("line", .string(text)) } else { o.set("line_hex", .string(Hex.encode(bytes))) }
        guard var b = try? CanonicalJSON.serialize(.object(o)) else { return [] }
        b.append(0x0A)
        return b
    }
}
