import Verify

/// A new checkpoint with the consistency proof from an older size: the body of C2SP tlog-witness's
/// add-checkpoint request, kept as a file. `old N`, up to 63 base64 hashes one per line, an empty line,
/// then the checkpoint verbatim.
public struct ConsistencyBundle: Sendable {
    public let oldSize: Int
    public let proof: [TreeHash]
    public let checkpoint: SignedCheckpoint

    public init(oldSize: Int, proof: [TreeHash], checkpoint: SignedCheckpoint) {
        self.oldSize = oldSize; self.proof = proof; self.checkpoint = checkpoint
    }

    public var bytes: [UInt8] {
        Array((["old \(oldSize)"] + proof.map { Base64.encode($0) } + [""]).map { $0 + "\n" }.joined().utf8) + checkpoint.bytes
    }

    /// Whether a file starts like a bundle (rather than a bare checkpoint).
    public static func looksLikeBundle(_ bytes: [UInt8]) -> Bool { bytes.starts(with: Array("old ".utf8)) }

    public static func parse(_ bytes: [UInt8]) throws(FormatError) -> ConsistencyBundle {
        guard bytes.count <= SignedNote.maxBytes * 2 else { throw .tooLarge(limit: SignedNote.maxBytes * 2) }
        let lines = try NoteText.lines(bytes[...])
        let first = lines.first.map(NoteText.string) ?? ""
        guard first.hasPrefix("old ") else { throw .unexpected(line: 1, expected: "old N", found: first) }
        guard let old = NoteText.decimal(first.dropFirst(4)) else { throw .badNumber(line: 1, what: "old size", found: String(first.dropFirst(4))) }
        var proof: [TreeHash] = []
        var i = 1, offset = lines[0].count + 1
        while i < lines.count, !lines[i].isEmpty {
            guard proof.count < 63 else { throw .unexpected(line: i + 1, expected: "at most 63 proof hashes, then an empty line", found: NoteText.string(lines[i])) }
            guard let h = Base64.decode(Array(lines[i])), h.count == RFC6962.hashBytes else { throw .badBase64(line: i + 1, what: "consistency proof hash") }
            proof.append(h)
            offset += lines[i].count + 1
            i += 1
        }
        guard i + 1 < lines.count else { throw .unexpected(line: i + 1, expected: "an empty line, then the checkpoint", found: "end of file") }
        offset += 1
        return ConsistencyBundle(oldSize: old, proof: proof, checkpoint: try SignedCheckpoint.parse(bytes[offset...], firstLine: i + 2))
    }
}
