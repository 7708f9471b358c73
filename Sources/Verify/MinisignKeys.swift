import Core
import CSodium
import Schema

/// A minisign key id: 8 random bytes chosen when the key is made, stored in the key files and in every
/// signature so that a verifier can say which key signed and which key it was given.
public struct KeyID: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(_ bytes: [UInt8]) {
        guard bytes.count == 8 else { return nil }
        self.bytes = bytes
    }

    public static func random() -> KeyID { KeyID(Sodium.randomBytes(8))! }  // 8 bytes by construction

    /// minisign's display: the bytes read as a little-endian u64, upper-case hex. We always pad to 16
    /// digits (minisign 0.12 does; 0.11 drops leading zeros, which names the same id).
    public var description: String {
        String(String(LittleEndian.u64(bytes[...]), radix: 16, uppercase: true).leftPaddedTo16())
    }
}

extension String {
    fileprivate func leftPaddedTo16() -> String { count >= 16 ? self : String(repeating: "0", count: 16 - count) + self }
}

/// Why a key file could not be used. All are "could not check" conditions for a verifier.
public enum KeyFileError: Error, Hashable, Sendable, CustomStringConvertible {
    case tooLarge(limit: Int)
    case lines(LineProblem)
    case lineCount(expected: Int, found: Int)
    case missingCommentPrefix
    case notBase64(line: Int)
    case blobLength(expected: Int, found: Int)
    case unsupportedAlgorithm(field: String, found: [UInt8])
    case invalidPublicKey(Ed25519.PublicKey.Problem)
    case kdfLimits(opslimit: UInt64, memlimit: UInt64)
    case kdfFailed
    case passphraseNeeded
    case wrongPassphrase
    case checksumMismatch
    case inconsistentKey
    case notSSHEd25519
    /// A secret key file where a public key is needed, and the other way round.
    case isSecretKey
    case isPublicKey

    public var description: String {
        switch self {
        case .tooLarge(let l): return "key file is larger than \(l) bytes; not a minisign key"
        case .lines(let p): return TextLines.message(p)
        case .lineCount(let e, let f): return "expected \(e) lines (untrusted comment, base64 key), found \(f)"
        case .missingCommentPrefix: return "line 1 does not start with \"untrusted comment: \"; not a minisign key file"
        case .notBase64(let l): return "line \(l) is not canonical base64 (standard alphabet, padded, one line)"
        case .blobLength(let e, let f): return "key is \(f) bytes after base64 decoding, expected \(e)"
        case .unsupportedAlgorithm(let field, let found):
            return "unsupported \(field) \(quoteForMessage(String(decoding: found, as: UTF8.self))) (bytes \(Hex.encode(found)))"
        case .invalidPublicKey(.wrongLength(let n)): return "public key is \(n) bytes, expected 32"
        case .invalidPublicKey(.invalidPoint):
            return "public key is not a valid Ed25519 point (small order, non-canonical or off the curve); signatures under it prove nothing"
        case .kdfLimits(let o, let m):
            let mine = MinisignSecretKey.KDFLimits.minisign
            return "key asks for scrypt opslimit \(o) and memlimit \(m); minisign writes \(mine.opslimit) and \(mine.memlimit), and this tool refuses more than \(MinisignSecretKey.kdfMargin) times that (opslimit \(MinisignSecretKey.maxOpslimit), memlimit \(MinisignSecretKey.maxMemlimit)) so that a hostile key file cannot cost minutes and gigabytes"
        case .kdfFailed: return "scrypt key derivation failed (not enough memory?)"
        case .passphraseNeeded: return "secret key is encrypted; a passphrase is needed"
        case .wrongPassphrase: return "wrong passphrase (the decrypted key's checksum does not match)"
        case .checksumMismatch: return "secret key checksum does not match; the key file is damaged"
        case .inconsistentKey: return "secret key's public half does not match its seed; the key file is damaged"
        case .notSSHEd25519: return "not an ssh-ed25519 public key"
        case .isSecretKey: return "this is a secret key (minisign NAME.key), not a public key: give the public key NAME.pub"
        case .isPublicKey: return "this is a public key (minisign NAME.pub), not a secret key: give the secret key NAME.key"
        }
    }
}

/// The kind of a minisign key file, told by the length of its base64 line (42 bytes public, 158 secret),
/// so that a key of the wrong kind is named as such before anything else is said about it.
public enum MinisignKeyKind: Sendable {
    case publicKey, secretKey

    /// nil when the bytes are neither kind.
    public static func of(_ bytes: [UInt8]) -> MinisignKeyKind? {
        guard bytes.count <= MinisignSecretKey.maxFileBytes, var lines = try? TextLines.split(bytes) else { return nil }
        defer { for i in lines.indices { Secret.wipe(&lines[i]) } }
        guard lines.count == 2, var blob = Base64.decode(lines[1]) else { return nil }
        defer { Secret.wipe(&blob) }
        switch blob.count {
        case MinisignPublicKey.blobBytes: return .publicKey
        case MinisignSecretKey.blobBytes: return .secretKey
        default: return nil
        }
    }
}

/// A minisign public key file (docs/signature-format.md §1): `"Ed" ‖ keyid(8) ‖ pk(32)`, base64 on line 2.
public struct MinisignPublicKey: Hashable, Sendable {
    public let keyID: KeyID
    public let key: Ed25519.PublicKey

    public init(keyID: KeyID, key: Ed25519.PublicKey) { self.keyID = keyID; self.key = key }

    static let blobBytes = 42
    static let maxFileBytes = 4096

    /// Parses a `.pub` file. Line 1 (the untrusted comment) is not interpreted, as in minisign.
    public static func parse(_ bytes: [UInt8]) throws(KeyFileError) -> MinisignPublicKey {
        guard bytes.count <= maxFileBytes else { throw .tooLarge(limit: maxFileBytes) }
        let lines: [[UInt8]]
        do { lines = try TextLines.split(bytes) } catch { throw .lines(error) }
        guard lines.count == 2 else { throw .lineCount(expected: 2, found: lines.count) }
        guard TextLines.hasPrefix(lines[0], "untrusted comment: ") else { throw .missingCommentPrefix }
        return try parseBase64(lines[1], line: 2)
    }

    /// Parses the base64 of line 2 alone (what `minisign -P` takes).
    public static func parseBase64(_ text: [UInt8], line: Int = 1) throws(KeyFileError) -> MinisignPublicKey {
        guard var blob = Base64.decode(text) else { throw .notBase64(line: line) }
        defer { Secret.wipe(&blob) }  // it may be a secret key given by mistake
        guard blob.count != MinisignSecretKey.blobBytes else { throw .isSecretKey }
        guard blob.count == blobBytes else { throw .blobLength(expected: blobBytes, found: blob.count) }
        guard blob[0..<2] == [0x45, 0x64] else { throw .unsupportedAlgorithm(field: "signature algorithm", found: Array(blob[0..<2])) }
        let key: Ed25519.PublicKey
        do { key = try Ed25519.PublicKey(rawRepresentation: Array(blob[10..<42])) } catch { throw .invalidPublicKey(error) }
        return MinisignPublicKey(keyID: KeyID(Array(blob[2..<10]))!, key: key)
    }

    /// The base64 line (what `minisign -P` takes).
    public var base64: String { Base64.encode([0x45, 0x64] + keyID.bytes + key.rawRepresentation) }

    /// The file's bytes, in minisign's layout.
    public var fileBytes: [UInt8] {
        Array("untrusted comment: minisign public key \(keyID)\n\(base64)\n".utf8)
    }
}

/// A decrypted minisign secret key: its id and the Ed25519 key (docs/signature-format.md §1).
public struct MinisignSecretKey: Sendable {
    public let keyID: KeyID
    public let key: Ed25519.SecretKey

    public init(keyID: KeyID, key: Ed25519.SecretKey) { self.keyID = keyID; self.key = key }

    public var publicKey: MinisignPublicKey { MinisignPublicKey(keyID: keyID, key: key.publicKey) }

    /// scrypt limits: minisign's (N = 2^20, r = 8, p = 1; about 1 GiB and a few seconds).
    public struct KDFLimits: Hashable, Sendable {
        public let opslimit: UInt64
        public let memlimit: UInt64
        public init(opslimit: UInt64, memlimit: UInt64) { self.opslimit = opslimit; self.memlimit = memlimit }
        public static let minisign = KDFLimits(opslimit: 33_554_432, memlimit: 1_073_741_824)
    }

    /// The most a key file may ask scrypt for: what minisign itself writes (`minisign -G` stores libsodium's
    /// scrypt "sensitive" limits, `KDFLimits.minisign`) times `kdfMargin`. A hostile key file must not cost
    /// minutes and gigabytes before the passphrase is even checked; at the cap the derivation takes at most
    /// twice minisign's memory (2 GiB) and twice its time.
    public static let kdfMargin: UInt64 = 2
    public static let maxOpslimit: UInt64 = KDFLimits.minisign.opslimit * kdfMargin
    public static let maxMemlimit: UInt64 = KDFLimits.minisign.memlimit * kdfMargin

    static let blobBytes = 158
    public static let maxFileBytes = 4096
    static let encryptedRange = 54..<158  // key id ‖ sk ‖ checksum

    /// The file's bytes; the secret is encrypted with `passphrase` unless it is nil (`-W` style).
    public func fileBytes(passphrase: SecureBytes?, limits: KDFLimits = .minisign) throws(KeyFileError) -> [UInt8] {
        var blob: [UInt8] = []
        blob.reserveCapacity(Self.blobBytes)  // one buffer, wiped below: growth would leave unwiped copies
        blob += [0x45, 0x64]
        blob += passphrase == nil ? [0, 0] : Array("Sc".utf8)
        blob += Array("B2".utf8)
        let salt = passphrase == nil ? [UInt8](repeating: 0, count: 32) : Sodium.randomBytes(32)
        blob += salt
        blob += LittleEndian.bytes(passphrase == nil ? 0 : limits.opslimit)
        blob += LittleEndian.bytes(passphrase == nil ? 0 : limits.memlimit)
        blob += keyID.bytes
        key.withLibsodiumSecretKey { blob += $0 }
        blob += Self.checksum(keyID: keyID, key: key)
        defer { Secret.wipe(&blob) }
        if let passphrase {
            let stream = try Self.keystream(passphrase: passphrase, salt: salt, limits: limits)
            stream.withUnsafeBytes { s in for (i, j) in Self.encryptedRange.enumerated() { blob[j] ^= s[i] } }
        }
        var encoded = Base64.encodeBytes(blob)
        defer { Secret.wipe(&encoded) }
        var out: [UInt8] = []
        out.reserveCapacity(encoded.count + 64)
        out += Array("untrusted comment: minisign encrypted secret key\n".utf8)
        out += encoded
        out.append(0x0A)
        return out
    }

    /// BLAKE2b-256("Ed" ‖ key id ‖ sk64): lets a wrong passphrase be told from a damaged file.
    static func checksum(keyID: KeyID, key: Ed25519.SecretKey) -> [UInt8] {
        let alg: [UInt8] = [0x45, 0x64]
        return alg.withUnsafeBytes { a in keyID.bytes.withUnsafeBytes { k in key.withLibsodiumSecretKey { s in Sodium.blake2b256([a, k, s]) } } }
    }

    static func keystream(passphrase: SecureBytes, salt: [UInt8], limits: KDFLimits) throws(KeyFileError) -> SecureBytes {
        guard limits.opslimit <= maxOpslimit, limits.memlimit <= maxMemlimit else {
            throw .kdfLimits(opslimit: limits.opslimit, memlimit: limits.memlimit)
        }
        sodiumReady()
        var rc: Int32 = -1
        let stream = SecureBytes(count: encryptedRange.count) { out in
            passphrase.withUnsafeBytes { pw in
                withPointer(salt) { s, _ in
                    let pwp = pw.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) }
                    var empty: CChar = 0
                    rc = withUnsafePointer(to: &empty) { e in
                        crypto_pwhash_scryptsalsa208sha256(
                            out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(out.count),
                            pwp ?? e, UInt64(pw.count), s, limits.opslimit, Int(limits.memlimit))
                    }
                }
            }
        }
        guard rc == 0 else { throw .kdfFailed }
        return stream
    }
}

/// A secret key file as read, before any passphrase: enough to tell whether one is needed.
public struct MinisignSecretKeyFile: Sendable {
    /// nil for an unencrypted (`-W`) key.
    public let kdf: (salt: [UInt8], limits: MinisignSecretKey.KDFLimits)?
    let blob: SecureBytes

    public var isEncrypted: Bool { kdf != nil }

    /// Parses a `.key` file; the caller should wipe `bytes` afterwards.
    public static func parse(_ bytes: [UInt8]) throws(KeyFileError) -> MinisignSecretKeyFile {
        guard bytes.count <= MinisignSecretKey.maxFileBytes else { throw .tooLarge(limit: MinisignSecretKey.maxFileBytes) }
        var lines: [[UInt8]]
        do { lines = try TextLines.split(bytes) } catch { throw .lines(error) }
        defer { for i in lines.indices { Secret.wipe(&lines[i]) } }
        guard lines.count == 2 else { throw .lineCount(expected: 2, found: lines.count) }
        guard TextLines.hasPrefix(lines[0], "untrusted comment: ") else { throw .missingCommentPrefix }
        guard var raw = Base64.decode(lines[1]) else { throw .notBase64(line: 2) }
        defer { Secret.wipe(&raw) }
        guard raw.count != MinisignPublicKey.blobBytes else { throw .isPublicKey }
        guard raw.count == MinisignSecretKey.blobBytes else { throw .blobLength(expected: MinisignSecretKey.blobBytes, found: raw.count) }
        guard raw[0..<2] == [0x45, 0x64] else { throw .unsupportedAlgorithm(field: "signature algorithm", found: Array(raw[0..<2])) }
        guard raw[4..<6] == [0x42, 0x32] else { throw .unsupportedAlgorithm(field: "checksum algorithm", found: Array(raw[4..<6])) }
        let kdf: (salt: [UInt8], limits: MinisignSecretKey.KDFLimits)?
        switch (raw[2], raw[3]) {
        case (0, 0): kdf = nil
        case (0x53, 0x63):
            let limits = MinisignSecretKey.KDFLimits(opslimit: LittleEndian.u64(raw[38..<46]), memlimit: LittleEndian.u64(raw[46..<54]))
            guard limits.opslimit <= MinisignSecretKey.maxOpslimit, limits.memlimit <= MinisignSecretKey.maxMemlimit else {
                throw .kdfLimits(opslimit: limits.opslimit, memlimit: limits.memlimit)
            }
            kdf = (Array(raw[6..<38]), limits)
        default: throw .unsupportedAlgorithm(field: "key derivation algorithm", found: Array(raw[2..<4]))
        }
        return MinisignSecretKeyFile(kdf: kdf, blob: SecureBytes(copying: raw))
    }

    /// Decrypts (if needed) and checks the key: checksum, and that the public half matches the seed.
    public func decrypt(passphrase: SecureBytes?) throws(KeyFileError) -> MinisignSecretKey {
        let plain: SecureBytes
        if let kdf {
            guard let passphrase else { throw .passphraseNeeded }
            let stream = try MinisignSecretKey.keystream(passphrase: passphrase, salt: kdf.salt, limits: kdf.limits)
            plain = SecureBytes(count: MinisignSecretKey.encryptedRange.count) { out in
                blob.withUnsafeBytes { b in stream.withUnsafeBytes { s in
                    for i in 0..<out.count { out[i] = b[MinisignSecretKey.encryptedRange.lowerBound + i] ^ s[i] }
                } }
            }
        } else {
            plain = blob.slice(MinisignSecretKey.encryptedRange)
        }
        let keyID = KeyID(plain.withUnsafeBytes { Array($0[0..<8]) })!
        let storedChecksum = plain.withUnsafeBytes { Array($0[72..<104]) }
        let key: Ed25519.SecretKey
        do { key = try Ed25519.SecretKey(libsodiumSecretKey: plain.slice(8..<72)) } catch {
            // Garbage after decryption almost always means the passphrase was wrong.
            throw kdf == nil ? .inconsistentKey : .wrongPassphrase
        }
        let expected = MinisignSecretKey.checksum(keyID: keyID, key: key)
        // minisign 0.11 writes an all-zero checksum in unencrypted keys and never checks it.
        let zeroAllowed = kdf == nil && storedChecksum.allSatisfy { $0 == 0 }
        if !zeroAllowed && !Sodium.constantTimeEqual(storedChecksum, expected) {
            throw kdf == nil ? .checksumMismatch : .wrongPassphrase
        }
        return MinisignSecretKey(keyID: keyID, key: key)
    }
}
