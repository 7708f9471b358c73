import Verify

/// A C2SP tlog-proof@v1 bundle: the first line `c2sp.org/tlog-proof@v1`, optionally `extra BASE64`,
/// `index N`, the inclusion proof's hashes one per line in base64 (leaf's sibling first), an empty line,
/// then the checkpoint verbatim (with its signatures and any cosignatures).
public struct TlogProof: Sendable {
    public static let header = "c2sp.org/tlog-proof@v1"

    public let extra: [UInt8]?
    public let index: Int
    public let path: [TreeHash]
    public let checkpoint: SignedCheckpoint
    /// 1-based line of the `index` line in its file (for messages).
    public let line: Int

    public init(extra: [UInt8]?, index: Int, path: [TreeHash], checkpoint: SignedCheckpoint, line: Int = 0) {
        self.extra = extra; self.index = index; self.path = path; self.checkpoint = checkpoint; self.line = line
    }

    public var bytes: [UInt8] {
        var s = Self.header + "\n"
        if let extra { s += "extra \(Base64.encode(extra))\n" }
        s += "index \(index)\n"
        for h in path { s += Base64.encode(h) + "\n" }
        s += "\n"
        return Array(s.utf8) + checkpoint.bytes
    }

    /// A proof ends where the next one's header line starts, or at the end of the input; at most this many.
    public static let maxBundles = 64
    /// A tree of 2^63 leaves has 63 hashes in a path.
    static let maxPathLength = 63

    /// Parses one bundle or several back to back (a member's proof of several days).
    public static func parseAll(_ bytes: [UInt8]) throws(FormatError) -> [TlogProof] {
        guard bytes.count <= SignedNote.maxBytes * maxBundles else { throw .tooLarge(limit: SignedNote.maxBytes * maxBundles) }
        let lines = try NoteText.lines(bytes[...])
        let head = Array(header.utf8)
        guard let first = lines.first, first.elementsEqual(head) else {
            throw .unexpected(line: 1, expected: header, found: lines.first.map(NoteText.string) ?? "")
        }
        // Bundle starts: every header line (a signature line starts with an em dash, so cannot be one).
        let starts = lines.indices.filter { lines[$0].elementsEqual(head) }
        guard starts.count <= maxBundles else { throw .tooManySignatures(line: starts[maxBundles] + 1, limit: maxBundles) }
        var offsets: [Int] = [0]   // byte offset of each line
        for l in lines { offsets.append(offsets.last! + l.count + 1) }
        var out: [TlogProof] = []
        for (n, s) in starts.enumerated() {
            let end = n + 1 < starts.count ? starts[n + 1] : lines.count
            out.append(try parse(lines: lines, range: s..<end, offsets: offsets, bytes: bytes))
        }
        return out
    }

    private static func parse(lines: [ArraySlice<UInt8>], range: Range<Int>, offsets: [Int], bytes: [UInt8]) throws(FormatError) -> TlogProof {
        var i = range.lowerBound + 1
        func text(_ k: Int) -> String { k < range.upperBound ? NoteText.string(lines[k]) : "" }
        var extra: [UInt8]? = nil
        if text(i).hasPrefix("extra ") {
            guard let e = Base64.decode(Array(text(i).dropFirst(6).utf8)) else { throw .badBase64(line: i + 1, what: "extra data") }
            extra = e
            i += 1
        }
        let indexLine = text(i)
        guard indexLine.hasPrefix("index ") else { throw .unexpected(line: i + 1, expected: "index N", found: indexLine) }
        guard let index = NoteText.decimal(indexLine.dropFirst(6)) else { throw .badNumber(line: i + 1, what: "index", found: String(indexLine.dropFirst(6))) }
        let indexLineNo = i + 1
        i += 1
        var path: [TreeHash] = []
        while i < range.upperBound, !lines[i].isEmpty {
            guard path.count < maxPathLength else { throw .unexpected(line: i + 1, expected: "at most \(maxPathLength) proof hashes, then an empty line", found: text(i)) }
            guard let h = Base64.decode(Array(lines[i])), h.count == RFC6962.hashBytes else { throw .badBase64(line: i + 1, what: "proof hash") }
            path.append(h)
            i += 1
        }
        guard i < range.upperBound else { throw .unexpected(line: i + 1, expected: "an empty line, then the checkpoint", found: "end of file") }
        i += 1
        guard i < range.upperBound else { throw .unexpected(line: i + 1, expected: "the checkpoint", found: "end of file") }
        let note = bytes[offsets[i]..<offsets[range.upperBound]]
        let checkpoint = try SignedCheckpoint.parse(note, firstLine: i + 1)
        return TlogProof(extra: extra, index: index, path: path, checkpoint: checkpoint, line: indexLineNo)
    }
}
