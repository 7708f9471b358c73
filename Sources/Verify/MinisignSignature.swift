import Core
import Schema

/// Why a `.minisig` file is not a signature we can check. A signature that parses but does not verify is
/// a `SignatureVerdict`, not one of these.
public enum SignatureFileError: Error, Hashable, Sendable, CustomStringConvertible {
    case tooLarge(limit: Int)
    case lines(LineProblem)
    case lineCount(found: Int)
    case missingUntrustedPrefix
    case untrustedCommentTooLong(Int)
    case notBase64(line: Int)
    case blobLength(line: Int, expected: Int, found: Int)
    case unsupportedAlgorithm([UInt8])
    case missingTrustedPrefix
    case trustedCommentTooLong(Int)
    case trustedCommentNotPrintable
    case untrustedCommentNotPrintable
    /// A signature we just made does not verify: a libsodium or memory fault. Nothing is written.
    case selfCheckFailed

    public var description: String {
        switch self {
        case .tooLarge(let l): return "signature file is larger than \(l) bytes; not a minisign signature"
        case .lines(let p): return TextLines.message(p)
        case .lineCount(let f):
            return "expected 4 lines (untrusted comment, signature, trusted comment, global signature), found \(f)"
        case .missingUntrustedPrefix: return "line 1 does not start with \"untrusted comment: \""
        case .untrustedCommentTooLong(let n): return "untrusted comment is \(n) bytes; at most \(MinisignSignature.maxUntrustedComment)"
        case .notBase64(let l): return "line \(l) is not canonical base64 (standard alphabet, padded, one line)"
        case .blobLength(let l, let e, let f): return "line \(l) decodes to \(f) bytes, expected \(e)"
        case .unsupportedAlgorithm(let a):
            return "unsupported signature algorithm \(quoteForMessage(String(decoding: a, as: UTF8.self))); expected \"ED\" (or legacy \"Ed\")"
        case .missingTrustedPrefix: return "line 3 does not start with \"trusted comment: \""
        case .trustedCommentTooLong(let n): return "trusted comment is \(n) bytes; at most \(MinisignSignature.maxTrustedComment)"
        case .trustedCommentNotPrintable: return "trusted comment is not printable UTF-8 (control characters or invalid UTF-8)"
        case .untrustedCommentNotPrintable: return "untrusted comment is not printable UTF-8 (control characters or invalid UTF-8)"
        case .selfCheckFailed: return "the fresh signature does not verify (a libsodium or memory fault); nothing was written"
        }
    }
}

/// The outcome of checking a well-formed signature against a public key.
public enum SignatureVerdict: Hashable, Sendable {
    case valid
    case wrongKey(signatureKeyID: KeyID, publicKeyID: KeyID)
    /// S ≥ L: not a signature any honest signer makes (a malleated copy of one).
    case nonCanonical(global: Bool)
    /// The signature does not cover these bytes (or S ≥ L, a small-order R: libsodium rejects those).
    case badSignature
    /// The file signature holds but the trusted comment was changed.
    case badGlobalSignature

    public var message: String {
        switch self {
        case .valid: return "valid"
        case .wrongKey(let s, let p): return "signed with key \(s), but the public key is \(p)"
        case .nonCanonical(let g): return "\(g ? "global " : "")signature is not canonical (S ≥ L, a malleated signature); rejected"
        case .badSignature: return "signature does not match the file's bytes"
        case .badGlobalSignature: return "trusted comment was altered (global signature does not match)"
        }
    }
}

/// A minisign signature (exact bytes: docs/signature-format.md).
public struct MinisignSignature: Hashable, Sendable {
    public enum Algorithm: Hashable, Sendable {
        /// `ED`: Ed25519 over BLAKE2b-512 of the file (minisign's default since 0.10; what we write).
        case prehashed
        /// `Ed`: Ed25519 over the file's bytes (minisign `-l`); read for compatibility only.
        case legacy
    }

    public let algorithm: Algorithm
    public let keyID: KeyID
    public let signature: [UInt8]
    /// The untrusted comment's exact bytes: minisign does not require UTF-8 there, and a lossy decoding
    /// would write back a different (and up to three times longer, so possibly unreadable) file.
    public let untrustedCommentBytes: [UInt8]
    /// The trusted comment's exact bytes: the global signature covers these, not a re-encoding.
    public let trustedCommentBytes: [UInt8]
    public let globalSignature: [UInt8]

    public var untrustedComment: String { String(decoding: untrustedCommentBytes, as: UTF8.self) }
    public var trustedComment: String { String(decoding: trustedCommentBytes, as: UTF8.self) }

    init(algorithm: Algorithm, keyID: KeyID, signature: [UInt8], untrustedCommentBytes: [UInt8],
         trustedCommentBytes: [UInt8], globalSignature: [UInt8]) {
        self.algorithm = algorithm; self.keyID = keyID; self.signature = signature
        self.untrustedCommentBytes = untrustedCommentBytes; self.trustedCommentBytes = trustedCommentBytes
        self.globalSignature = globalSignature
    }

    init(algorithm: Algorithm, keyID: KeyID, signature: [UInt8], untrustedComment: String,
         trustedCommentBytes: [UInt8], globalSignature: [UInt8]) {
        self.init(algorithm: algorithm, keyID: keyID, signature: signature, untrustedCommentBytes: Array(untrustedComment.utf8),
                  trustedCommentBytes: trustedCommentBytes, globalSignature: globalSignature)
    }

    /// minisign 0.11's buffer limits (§1.4): longer comments would be refused by the stock tool.
    public static let maxUntrustedComment = 1003
    public static let maxTrustedComment = 8173
    static let maxFileBytes = 19 + maxUntrustedComment + 1 + 101 + 17 + maxTrustedComment + 1 + 89

    /// Parses a `.minisig` file, strictly: four LF-terminated lines, canonical base64.
    public static func parse(_ bytes: [UInt8]) throws(SignatureFileError) -> MinisignSignature {
        guard bytes.count <= maxFileBytes else { throw .tooLarge(limit: maxFileBytes) }
        let lines: [[UInt8]]
        do { lines = try TextLines.split(bytes) } catch { throw .lines(error) }
        guard lines.count == 4 else { throw .lineCount(found: lines.count) }
        let up = "untrusted comment: ".utf8.count, tp = "trusted comment: ".utf8.count
        guard TextLines.hasPrefix(lines[0], "untrusted comment: ") else { throw .missingUntrustedPrefix }
        guard lines[0].count - up <= maxUntrustedComment else { throw .untrustedCommentTooLong(lines[0].count - up) }
        guard let blob = Base64.decode(lines[1]) else { throw .notBase64(line: 2) }
        guard blob.count == 74 else { throw .blobLength(line: 2, expected: 74, found: blob.count) }
        let algorithm: Algorithm
        switch (blob[0], blob[1]) {
        case (0x45, 0x44): algorithm = .prehashed
        case (0x45, 0x64): algorithm = .legacy
        default: throw .unsupportedAlgorithm(Array(blob[0..<2]))
        }
        guard TextLines.hasPrefix(lines[2], "trusted comment: ") else { throw .missingTrustedPrefix }
        let trusted = Array(lines[2][tp...])
        guard trusted.count <= maxTrustedComment else { throw .trustedCommentTooLong(trusted.count) }
        guard isPrintable(trusted) else { throw .trustedCommentNotPrintable }
        guard let global = Base64.decode(lines[3]) else { throw .notBase64(line: 4) }
        guard global.count == 64 else { throw .blobLength(line: 4, expected: 64, found: global.count) }
        return MinisignSignature(
            algorithm: algorithm, keyID: KeyID(Array(blob[2..<10]))!, signature: Array(blob[10..<74]),
            untrustedCommentBytes: Array(lines[0][up...]),
            trustedCommentBytes: trusted, globalSignature: global)
    }

    /// Printable UTF-8 with TAB allowed: no C0 controls, DEL or C1 controls (what minisign after 0.12
    /// requires, so that a trusted comment cannot rewrite the terminal it is shown on).
    public static func isPrintable(_ bytes: [UInt8]) -> Bool {
        guard let s = String(validating: bytes, as: UTF8.self) else { return false }
        return s.unicodeScalars.allSatisfy { u in
            u == "\t" || !(u.value < 0x20 || (0x7F...0x9F).contains(u.value))
        }
    }

    /// Signs `message` the way `minisign -S` does (`ED`), and checks the result before returning it.
    public static func sign(_ message: [UInt8], with key: MinisignSecretKey, trustedComment: String,
                            untrustedComment: String = "signature from backpay-verify secret key") throws(SignatureFileError) -> MinisignSignature {
        let t = Array(trustedComment.utf8)
        guard t.count <= maxTrustedComment else { throw .trustedCommentTooLong(t.count) }
        guard isPrintable(t) else { throw .trustedCommentNotPrintable }
        guard untrustedComment.utf8.count <= maxUntrustedComment else { throw .untrustedCommentTooLong(untrustedComment.utf8.count) }
        guard isPrintable(Array(untrustedComment.utf8)) else { throw .untrustedCommentNotPrintable }
        let sig = key.key.signature(for: Sodium.blake2b512(message))
        let global = key.key.signature(for: sig + t)
        let result = MinisignSignature(algorithm: .prehashed, keyID: key.keyID, signature: sig,
                                       untrustedComment: untrustedComment, trustedCommentBytes: t, globalSignature: global)
        // As minisign does: never hand out a signature that would not verify.
        guard result.verify(message, publicKey: key.publicKey) == .valid else { throw .selfCheckFailed }
        return result
    }

    /// Checks the signature of `message`, in minisign's order: key id, file signature, global signature.
    public func verify(_ message: [UInt8], publicKey: MinisignPublicKey) -> SignatureVerdict {
        guard keyID == publicKey.keyID else { return .wrongKey(signatureKeyID: keyID, publicKeyID: publicKey.keyID) }
        guard Ed25519.PublicKey.hasCanonicalScalar(signature) else { return .nonCanonical(global: false) }
        guard Ed25519.PublicKey.hasCanonicalScalar(globalSignature) else { return .nonCanonical(global: true) }
        let signed = algorithm == .prehashed ? Sodium.blake2b512(message) : message
        guard publicKey.key.isValidSignature(signature, for: signed) else { return .badSignature }
        guard publicKey.key.isValidSignature(globalSignature, for: signature + trustedCommentBytes) else { return .badGlobalSignature }
        return .valid
    }

    /// The file's bytes: four LF-terminated lines.
    public var fileBytes: [UInt8] {
        let alg: [UInt8] = algorithm == .prehashed ? [0x45, 0x44] : [0x45, 0x64]
        var out = Array("untrusted comment: ".utf8) + untrustedCommentBytes + [0x0A]
        out += Array(Base64.encode(alg + keyID.bytes + signature).utf8) + [0x0A]
        out += Array("trusted comment: ".utf8) + trustedCommentBytes + [0x0A]
        out += Array(Base64.encode(globalSignature).utf8) + [0x0A]
        return out
    }
}
