import Core
import Anon
import Schema
import Verify

/// The union's log on disk: its origin and its entries, one statement per line, in the order appended.
/// Leaf i is the i-th entry line with its newline; the checkpoint is derived (and signed) from them.
///
///     backpay-log/v1
///     origin example.org/union/log
///     release 2026-W24 sha256:0123…
///
/// Entries are public statements: `release WEEK sha256:HEX` (the SHA-256 of a signed release file's bytes)
/// now; later kinds (ledger, erasure receipts) are new first words.
public struct LogState: Sendable, Equatable {
    public static let header = "backpay-log/v1"
    public let origin: String
    public private(set) var entries: [String]

    public init(origin: String, entries: [String] = []) { self.origin = origin; self.entries = entries }

    public static func releaseEntry(week: ISOWeek, releaseBytes: [UInt8]) -> String {
        "release \(week) \(SHA256.text(of: releaseBytes))"
    }

    /// Appends a statement; false (nothing changes) when it is already in the log.
    public mutating func append(_ entry: String) -> Bool {
        guard !entries.contains(entry) else { return false }
        entries.append(entry)
        return true
    }

    /// The leaf data of an entry: its line with the newline.
    public static func leaf(_ entry: String) -> [UInt8] { Array((entry + "\n").utf8) }

    public var leaves: [[UInt8]] { entries.map(Self.leaf) }
    public var tree: MerkleTree { MerkleTree(leaves: leaves) }

    public var bytes: [UInt8] { Array(([Self.header, "origin \(origin)"] + entries).map { $0 + "\n" }.joined().utf8) }

    public static func parse(_ bytes: [UInt8]) throws(FormatError) -> LogState {
        let lines = try NoteText.lines(bytes[...]).map(NoteText.string)
        guard lines.first == header else { throw .unexpected(line: 1, expected: header, found: lines.first ?? "") }
        guard lines.count >= 2, lines[1].hasPrefix("origin "), SignedNote.isValidName(lines[1].dropFirst(7)) else {
            throw .unexpected(line: 2, expected: "origin NAME", found: lines.count >= 2 ? lines[1] : "")
        }
        var seen = Set<String>()
        for (i, e) in lines.enumerated().dropFirst(2) {
            let parts = e.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "release", ISOWeek(parts[1]) != nil, parts[2].hasPrefix("sha256:"), parts[2].count == 71 else {
                throw .unexpected(line: i + 1, expected: "release WEEK sha256:HEX", found: e)
            }
            guard seen.insert(e).inserted else { throw .unexpected(line: i + 1, expected: "an entry not already in the log", found: e) }
        }
        return LogState(origin: String(lines[1].dropFirst(7)), entries: Array(lines.dropFirst(2)))
    }
}

/// What a witness remembers: per log origin, the size and root of the last checkpoint it cosigned.
///
///     backpay-witness/v1
///     example.org/union/log 3 BASE64ROOT
public struct WitnessState: Sendable, Equatable {
    public static let header = "backpay-witness/v1"
    public struct Head: Sendable, Equatable { public let size: Int; public let root: TreeHash }
    public private(set) var heads: [String: Head] = [:]

    public init() {}

    public subscript(origin: String) -> Head? {
        get { heads[origin] }
        set { heads[origin] = newValue }
    }

    public var bytes: [UInt8] {
        Array(([Self.header] + heads.keys.sorted().map { "\($0) \(heads[$0]!.size) \(Base64.encode(heads[$0]!.root))" }).map { $0 + "\n" }.joined().utf8)
    }

    public static func parse(_ bytes: [UInt8]) throws(FormatError) -> WitnessState {
        let lines = try NoteText.lines(bytes[...]).map(NoteText.string)
        guard lines.first == header else { throw .unexpected(line: 1, expected: header, found: lines.first ?? "") }
        var s = WitnessState()
        for (i, l) in lines.enumerated().dropFirst() {
            let p = l.split(separator: " ", omittingEmptySubsequences: false)
            guard p.count == 3, SignedNote.isValidName(p[0]), s.heads[String(p[0])] == nil else { throw .unexpected(line: i + 1, expected: "ORIGIN SIZE ROOT, one line per origin", found: l) }
            guard let n = NoteText.decimal(p[1]) else { throw .badNumber(line: i + 1, what: "size", found: String(p[1])) }
            guard let r = Base64.decode(Array(p[2].utf8)), r.count == 32 else { throw .badBase64(line: i + 1, what: "root hash") }
            s.heads[String(p[0])] = Head(size: n, root: r)
        }
        return s
    }
}
