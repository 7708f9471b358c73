import Core
import Anon
import Schema
import Verify

/// One signature line of a signed note: `— NAME BASE64(key ID ‖ signature)` (C2SP signed-note).
public struct NoteSignature: Hashable, Sendable {
    public let name: String
    public let keyID: UInt32
    /// The bytes after the key ID: an Ed25519 signature, or a cosignature's timestamp ‖ signature.
    public let signature: [UInt8]
    /// 1-based line in the file it was read from.
    public let line: Int

    public init(name: String, keyID: UInt32, signature: [UInt8], line: Int = 0) {
        self.name = name; self.keyID = keyID; self.signature = signature; self.line = line
    }

    /// The line's bytes, with its final newline.
    public var lineBytes: [UInt8] {
        let id: [UInt8] = [UInt8(keyID >> 24), UInt8(truncatingIfNeeded: keyID >> 16), UInt8(truncatingIfNeeded: keyID >> 8), UInt8(truncatingIfNeeded: keyID)]
        return Array("— \(name) \(Base64.encode(id + signature))\n".utf8)
    }
}

/// A signed note (C2SP signed-note): a UTF-8 text ending in a newline, an empty line, then one or more
/// signature lines. The text is what is signed; it means nothing until a trusted key's signature verifies.
public struct SignedNote: Hashable, Sendable {
    /// The text, with its final newline.
    public let text: [UInt8]
    public let signatures: [NoteSignature]

    /// Signature lines we read at most: the spec asks for at least 16; Go's note package stops at 100,
    /// and so do we (a hostile file of 10^4 cosignatures is refused, not verified line by line).
    public static let maxSignatures = 100
    /// A checkpoint with 100 signatures is under 16 KiB; anything above this is not one of ours.
    public static let maxBytes = 1 << 16

    public init(text: [UInt8], signatures: [NoteSignature]) { self.text = text; self.signatures = signatures }

    /// The note's bytes: text, empty line, signature lines.
    public var bytes: [UInt8] { text + [0x0A] + signatures.flatMap(\.lineBytes) }

    /// Key names: non-empty, no Unicode spaces, no `+` (signed-note §Format).
    public static func isValidName(_ name: Substring) -> Bool {
        !name.isEmpty && !name.contains("+") && !name.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    /// Parses a note. `firstLine` numbers lines for messages when the note sits inside a larger file.
    public static func parse(_ bytes: ArraySlice<UInt8>, firstLine: Int = 1) throws(FormatError) -> SignedNote {
        guard bytes.count <= maxBytes else { throw .tooLarge(limit: maxBytes) }
        let lines = try NoteText.lines(bytes, firstLine: firstLine)
        // The text ends at the last empty line (the text may hold empty lines of its own).
        guard let blank = lines.lastIndex(where: { $0.isEmpty }), blank > 0, blank < lines.count - 1 else { throw .noSignatureBlock }
        var text: [UInt8] = []
        for l in lines[..<blank] { text += l; text.append(0x0A) }
        var sigs: [NoteSignature] = []
        let dash = Array("— ".utf8)
        for i in (blank + 1)..<lines.count {
            let lineNo = firstLine + i
            let l = lines[i]
            guard sigs.count < maxSignatures else { throw .tooManySignatures(line: lineNo, limit: maxSignatures) }
            guard l.starts(with: dash) else { throw .badSignatureLine(line: lineNo, why: "does not start with an em dash and a space") }
            let rest = NoteText.string(l.dropFirst(dash.count))
            guard let space = rest.firstIndex(of: " ") else { throw .badSignatureLine(line: lineNo, why: "no space between key name and signature") }
            let name = rest[..<space], b64 = rest[rest.index(after: space)...]
            guard isValidName(name) else { throw .badSignatureLine(line: lineNo, why: "key name \(quoteForMessage(String(name))) is empty or holds a space or +") }
            guard let raw = Base64.decode(Array(b64.utf8)), raw.count >= 5 else {
                throw .badSignatureLine(line: lineNo, why: "signature is not canonical base64 of a key ID and a signature")
            }
            let id = raw[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            sigs.append(NoteSignature(name: String(name), keyID: id, signature: Array(raw[4...]), line: lineNo))
        }
        return SignedNote(text: text, signatures: sigs)
    }

    /// Lines of the text (for messages: where the signature block starts).
    public var textLineCount: Int { text.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 } }
}

/// A key that verifies note signatures: Ed25519 note signatures (type 0x01) or Ed25519 cosignatures
/// (type 0x04, C2SP tlog-cosignature), named, with the key ID the signed-note spec derives:
/// SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4].
public struct NoteVerifierKey: Hashable, Sendable, CustomStringConvertible {
    public enum KeyType: UInt8, Sendable {
        case ed25519 = 0x01
        case cosignatureV1 = 0x04
    }

    public let name: String
    public let type: KeyType
    public let publicKey: Ed25519.PublicKey
    public let keyID: UInt32

    public init(name: String, type: KeyType, publicKey: Ed25519.PublicKey) throws(FormatError) {
        guard SignedNote.isValidName(name[...]) else { throw .badVerifierKey("name \(quoteForMessage(name)) is empty or holds a space or +") }
        self.name = name; self.type = type; self.publicKey = publicKey
        keyID = Self.keyID(name: name, type: type.rawValue, key: publicKey.rawRepresentation)
    }

    static func keyID(name: String, type: UInt8, key: [UInt8]) -> UInt32 {
        let h = SHA256.hash(Array(name.utf8) + [0x0A, type] + key)
        return h[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    /// `NAME+HEX8+BASE64(type ‖ public key)`, the verifier key text Go's note package reads.
    public var description: String {
        let hex = String(keyID, radix: 16)
        return "\(name)+\(String(repeating: "0", count: 8 - hex.count))\(hex)+\(Base64.encode([type.rawValue] + publicKey.rawRepresentation))"
    }

    /// Parses `NAME+HEX8+BASE64`; the key ID must be the one the name and key derive.
    public init(parsing text: String) throws(FormatError) {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)   // base64 may hold +
        guard parts.count == 3 else { throw .badVerifierKey("\(quoteForMessage(text)) is not NAME+HEX8+BASE64") }
        guard parts[1].count == 8, parts[1].allSatisfy(\.isHexDigit), parts[1] == parts[1].lowercased(), let id = UInt32(parts[1], radix: 16) else {
            throw .badVerifierKey("key ID \(quoteForMessage(String(parts[1]))) is not 8 lower-case hex digits")
        }
        guard let raw = Base64.decode(Array(parts[2].utf8)), raw.count == 33 else { throw .badVerifierKey("key is not base64 of a type byte and 32 bytes") }
        guard let type = KeyType(rawValue: raw[0]) else { throw .badVerifierKey("key type 0x\(String(raw[0], radix: 16)) is not 0x01 (Ed25519) or 0x04 (Ed25519 cosignature)") }
        let pk: Ed25519.PublicKey
        do { pk = try Ed25519.PublicKey(rawRepresentation: Array(raw[1...])) } catch { throw .badVerifierKey("not a valid Ed25519 public key") }
        try self.init(name: String(parts[0]), type: type, publicKey: pk)
        guard keyID == id else { throw .badVerifierKey("key ID \(parts[1]) is not the one name and key derive (\(String(keyID, radix: 16)))") }
    }

    /// Whether `signature` (the bytes after the key ID) signs `text` under this key. For a cosignature,
    /// also its timestamp.
    public func verify(_ signature: [UInt8], text: [UInt8]) -> (valid: Bool, timestamp: UInt64?) {
        switch type {
        case .ed25519:
            return (publicKey.isValidSignature(signature, for: text), nil)
        case .cosignatureV1:
            guard signature.count == 8 + Ed25519.signatureBytes else { return (false, nil) }
            let t = signature[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard t <= UInt64(Int64.max) else { return (false, t) }
            return (publicKey.isValidSignature(Array(signature[8...]), for: Cosignature.message(text: text, timestamp: t)), t)
        }
    }
}

/// Signs notes with an Ed25519 key under a name (type 0x01), or cosigns checkpoints (type 0x04).
public struct NoteSigner: Sendable {
    public let verifier: NoteVerifierKey
    let key: Ed25519.SecretKey

    public init(name: String, type: NoteVerifierKey.KeyType = .ed25519, key: Ed25519.SecretKey) throws(FormatError) {
        verifier = try NoteVerifierKey(name: name, type: type, publicKey: key.publicKey)
        self.key = key
    }

    /// The signature line for `text` (type 0x01) or, for a cosigner, of `text` at `timestamp`.
    public func sign(_ text: [UInt8], timestamp: UInt64 = 0) -> NoteSignature {
        switch verifier.type {
        case .ed25519:
            return NoteSignature(name: verifier.name, keyID: verifier.keyID, signature: key.signature(for: text))
        case .cosignatureV1:
            let ts = (0..<8).map { UInt8(truncatingIfNeeded: timestamp >> (56 - 8 * UInt64($0))) }
            return NoteSignature(name: verifier.name, keyID: verifier.keyID, signature: ts + key.signature(for: Cosignature.message(text: text, timestamp: timestamp)))
        }
    }
}

/// What checking a note against known keys found (signed-note §Signatures): signatures from unknown keys
/// are ignored; a known key's bad signature rejects the note; at least one known key must have signed.
public struct NoteVerification: Sendable {
    /// Keys whose signature verified, with the cosignature time where there is one.
    public var verified: [(key: NoteVerifierKey, timestamp: UInt64?)] = []
    /// Signature lines from keys we do not know (ignored).
    public var unknown: [NoteSignature] = []
}

public enum NoteCheckFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// A known key's signature does not verify: the whole note is rejected.
    case badSignature(line: Int, key: String)
    /// No known key signed the note.
    case noKnownSignature(known: [String])

    public var description: String {
        switch self {
        case .badSignature(let l, let k): return "\(l):1: signature of known key \(k) does not verify: the note is rejected"
        case .noKnownSignature(let known): return "no signature from a known key (\(known.joined(separator: ", ")))"
        }
    }

    /// `FILE:LINE:COL: message`, or `FILE: message` when there is no line.
    public func at(_ file: String) -> String {
        if case .badSignature = self { return "\(file):\(description)" }
        return "\(file): \(description)"
    }
}

extension SignedNote {
    /// Checks the signatures against `keys`. Repeated signatures of one key are checked once each.
    public func verify(with keys: [NoteVerifierKey], requireOne: Bool = true) throws(NoteCheckFailure) -> NoteVerification {
        var result = NoteVerification()
        var seen = Set<String>()
        for s in signatures {
            guard let key = keys.first(where: { $0.name == s.name && $0.keyID == s.keyID }) else { result.unknown.append(s); continue }
            let (ok, t) = key.verify(s.signature, text: text)
            guard ok else { throw .badSignature(line: s.line, key: key.description) }
            if seen.insert(key.description).inserted { result.verified.append((key, t)) }
        }
        if requireOne && result.verified.isEmpty { throw .noKnownSignature(known: keys.map(\.name)) }
        return result
    }
}
