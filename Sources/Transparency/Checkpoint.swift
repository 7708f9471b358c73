import Verify

/// A C2SP tlog-checkpoint body: origin, tree size, root hash (base64), optional extension lines.
public struct Checkpoint: Hashable, Sendable {
    public let origin: String
    public let size: Int
    public let root: TreeHash
    public let extensions: [String]

    public init(origin: String, size: Int, root: TreeHash, extensions: [String] = []) {
        self.origin = origin; self.size = size; self.root = root; self.extensions = extensions
    }

    /// The note text: `origin\nsize\nbase64(root)\n` and any extension lines.
    public var text: [UInt8] {
        Array(([origin, String(size), Base64.encode(root)] + extensions).map { $0 + "\n" }.joined().utf8)
    }

    /// Reads a note's text as a checkpoint; `firstLine` is the line of the text in its file.
    public init(text: [UInt8], firstLine: Int = 1) throws(FormatError) {
        let lines = try NoteText.lines(text[...], firstLine: firstLine)
        guard lines.count >= 3 else { throw .unexpected(line: firstLine + lines.count, expected: "the checkpoint's origin, size and root hash lines", found: "") }
        let origin = NoteText.string(lines[0])
        guard !origin.isEmpty else { throw .unexpected(line: firstLine, expected: "the log's origin", found: "") }
        guard let size = NoteText.decimal(NoteText.string(lines[1])[...]) else {
            throw .badNumber(line: firstLine + 1, what: "tree size", found: NoteText.string(lines[1]))
        }
        guard let root = Base64.decode(Array(lines[2])), root.count == RFC6962.hashBytes else { throw .badBase64(line: firstLine + 2, what: "root hash") }
        for (i, l) in lines.enumerated().dropFirst(3) where l.isEmpty {
            throw .unexpected(line: firstLine + i, expected: "an extension line", found: "")
        }
        self.init(origin: origin, size: size, root: root, extensions: lines.dropFirst(3).map(NoteText.string))
    }
}

/// A checkpoint as a signed note, with where it was read from.
public struct SignedCheckpoint: Sendable {
    public let note: SignedNote
    public let checkpoint: Checkpoint

    public init(note: SignedNote, checkpoint: Checkpoint) { self.note = note; self.checkpoint = checkpoint }

    public static func parse(_ bytes: ArraySlice<UInt8>, firstLine: Int = 1) throws(FormatError) -> SignedCheckpoint {
        let note = try SignedNote.parse(bytes, firstLine: firstLine)
        return SignedCheckpoint(note: note, checkpoint: try Checkpoint(text: note.text, firstLine: firstLine))
    }

    /// Signs `checkpoint` with the log's key; the key's name must be the origin (tlog-checkpoint).
    public static func sign(_ checkpoint: Checkpoint, with signer: NoteSigner) -> SignedCheckpoint {
        precondition(signer.verifier.name == checkpoint.origin, "the log's key name is its origin")
        let text = checkpoint.text
        return SignedCheckpoint(note: SignedNote(text: text, signatures: [signer.sign(text)]), checkpoint: checkpoint)
    }

    public var bytes: [UInt8] { note.bytes }

    /// The same checkpoint with one more signature line (a cosignature).
    public func adding(_ signature: NoteSignature) -> SignedCheckpoint {
        SignedCheckpoint(note: SignedNote(text: note.text, signatures: note.signatures + [signature]), checkpoint: checkpoint)
    }
}

/// C2SP tlog-cosignature/v1 (Ed25519, type 0x04): a witness signs `cosignature/v1\ntime T\n` followed
/// by the checkpoint text, and its signature line carries key ID ‖ T (8 bytes, big-endian) ‖ signature.
public enum Cosignature {
    public static func message(text: [UInt8], timestamp: UInt64) -> [UInt8] {
        Array("cosignature/v1\ntime \(timestamp)\n".utf8) + text
    }
}
