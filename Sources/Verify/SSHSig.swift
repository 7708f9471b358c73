import Core
import Schema

/// Why an SSH signature file (`.sig`) or key blob is not one we can check.
public enum SSHSigError: Error, Hashable, Sendable, CustomStringConvertible {
    case tooLarge(limit: Int)
    case armor
    case notBase64
    case truncated(field: String)
    case magic
    case version(UInt32)
    case keyType(String)
    case namespace(expected: String, found: String)
    case hashAlgorithm(String)
    case trailingBytes
    case invalidPublicKey
    case selfCheckFailed

    public var description: String {
        switch self {
        case .tooLarge(let l): return "SSH signature file is larger than \(l) bytes"
        case .armor: return "not an armored SSH signature (BEGIN/END SSH SIGNATURE lines, LF line endings)"
        case .notBase64: return "SSH signature body is not canonical base64"
        case .truncated(let f): return "SSH signature ends inside its \(f)"
        case .magic: return "SSH signature blob does not start with \"SSHSIG\""
        case .version(let v): return "unsupported SSH signature version \(v); expected 1"
        case .keyType(let t): return "unsupported SSH key type \(quoteForMessage(t)); expected \"ssh-ed25519\""
        case .namespace(let e, let f): return "SSH signature namespace is \(quoteForMessage(f)), expected \(quoteForMessage(e))"
        case .hashAlgorithm(let h): return "unsupported SSH signature hash \(quoteForMessage(h)); expected \"sha512\" or \"sha256\""
        case .trailingBytes: return "SSH signature blob has bytes after the signature"
        case .invalidPublicKey: return "SSH signature's public key is not a valid Ed25519 point"
        case .selfCheckFailed: return "the fresh SSH signature does not verify (a libsodium or memory fault); nothing was written"
        }
    }
}

/// An OpenSSH signature (PROTOCOL.sshsig; docs/signature-format.md §4) made with an Ed25519 key.
public struct SSHSignature: Hashable, Sendable {
    public let publicKey: Ed25519.PublicKey
    public let namespace: String
    public let hashAlgorithm: String
    public let signature: [UInt8]

    /// The namespace our release signatures use: a signature for anything else cannot be replayed here.
    public static let releaseNamespace = "backpay-release"
    static let maxFileBytes = 4096

    /// `string "ssh-ed25519" ‖ string pk`: the key blob of authorized_keys and allowed_signers lines.
    public static func publicKeyBlob(_ key: Ed25519.PublicKey) -> [UInt8] {
        sshString(Array("ssh-ed25519".utf8)) + sshString(key.rawRepresentation)
    }

    /// The Ed25519 key of an OpenSSH public key blob (`string "ssh-ed25519" ‖ string pk`).
    public static func publicKey(fromBlob blob: [UInt8]) throws(SSHSigError) -> Ed25519.PublicKey {
        var r = SSHReader(blob)
        let type = String(decoding: try r.string(field: "key type"), as: UTF8.self)
        guard type == "ssh-ed25519" else { throw .keyType(type) }
        let pk = try r.string(field: "public key")
        guard r.atEnd, let key = try? Ed25519.PublicKey(rawRepresentation: pk) else { throw .invalidPublicKey }
        return key
    }

    /// An `allowed_signers` line for `ssh-keygen -Y verify -f FILE -I PRINCIPAL -n backpay-release`.
    public static func allowedSignersLine(principal: String, key: Ed25519.PublicKey) -> String {
        "\(principal) namespaces=\"\(releaseNamespace)\" ssh-ed25519 \(Base64.encode(publicKeyBlob(key)))"
    }

    /// The bytes the Ed25519 key signs (PROTOCOL.sshsig "signed data").
    static func signedData(namespace: String, hashAlgorithm: String, message: [UInt8]) -> [UInt8] {
        let digest = hashAlgorithm == "sha256" ? SHA256.hash(message) : Sodium.sha512(message)
        return Array("SSHSIG".utf8) + sshString(Array(namespace.utf8)) + sshString([])
            + sshString(Array(hashAlgorithm.utf8)) + sshString(digest)
    }

    public static func sign(_ message: [UInt8], with key: Ed25519.SecretKey, namespace: String = releaseNamespace) throws(SSHSigError) -> SSHSignature {
        let sig = key.signature(for: signedData(namespace: namespace, hashAlgorithm: "sha512", message: message))
        let result = SSHSignature(publicKey: key.publicKey, namespace: namespace, hashAlgorithm: "sha512", signature: sig)
        guard result.verify(message, namespace: namespace, publicKey: key.publicKey) == .valid else { throw .selfCheckFailed }
        return result
    }

    /// Checks the signature against a pinned key (never the key inside the file: docs/signature-format.md §4).
    public func verify(_ message: [UInt8], namespace expected: String, publicKey pinned: Ed25519.PublicKey) -> SignatureVerdict {
        guard publicKey == pinned else { return .badSignature }
        guard namespace == expected else { return .badSignature }
        let data = Self.signedData(namespace: namespace, hashAlgorithm: hashAlgorithm, message: message)
        return pinned.isValidSignature(signature, for: data) ? .valid : .badSignature
    }

    public var blob: [UInt8] {
        Array("SSHSIG".utf8) + [0, 0, 0, 1] + Self.sshString(Self.publicKeyBlob(publicKey))
            + Self.sshString(Array(namespace.utf8)) + Self.sshString([]) + Self.sshString(Array(hashAlgorithm.utf8))
            + Self.sshString(Self.sshString(Array("ssh-ed25519".utf8)) + Self.sshString(signature))
    }

    /// The armored file, wrapped at 70 columns as ssh-keygen writes it.
    public var fileBytes: [UInt8] {
        let b64 = Array(Base64.encode(blob).utf8)
        var out = Array("-----BEGIN SSH SIGNATURE-----\n".utf8)
        var i = 0
        while i < b64.count { out += b64[i..<min(i + 70, b64.count)]; out.append(0x0A); i += 70 }
        return out + Array("-----END SSH SIGNATURE-----\n".utf8)
    }

    /// Parses an armored SSH signature made with an Ed25519 key.
    public static func parse(_ bytes: [UInt8]) throws(SSHSigError) -> SSHSignature {
        guard bytes.count <= maxFileBytes else { throw .tooLarge(limit: maxFileBytes) }
        let lines: [[UInt8]]
        do { lines = try TextLines.split(bytes) } catch { throw .armor }
        guard lines.count >= 3, lines.first == Array("-----BEGIN SSH SIGNATURE-----".utf8),
              lines.last == Array("-----END SSH SIGNATURE-----".utf8) else { throw .armor }
        guard let raw = Base64.decode(Array(lines[1..<(lines.count - 1)].joined())) else { throw .notBase64 }
        var r = SSHReader(raw)
        guard try r.bytes(6, field: "magic") == Array("SSHSIG".utf8) else { throw .magic }
        let version = try r.u32(field: "version")
        guard version == 1 else { throw .version(version) }
        var keyBlob = SSHReader(try r.string(field: "public key"))
        let keyType = String(decoding: try keyBlob.string(field: "key type"), as: UTF8.self)
        guard keyType == "ssh-ed25519" else { throw .keyType(keyType) }
        let pkBytes = try keyBlob.string(field: "public key")
        guard keyBlob.atEnd, let pk = try? Ed25519.PublicKey(rawRepresentation: pkBytes) else { throw .invalidPublicKey }
        let namespace = String(decoding: try r.string(field: "namespace"), as: UTF8.self)
        _ = try r.string(field: "reserved field")
        let hash = String(decoding: try r.string(field: "hash algorithm"), as: UTF8.self)
        guard hash == "sha512" || hash == "sha256" else { throw .hashAlgorithm(hash) }
        var sigBlob = SSHReader(try r.string(field: "signature"))
        guard r.atEnd else { throw .trailingBytes }
        let sigType = String(decoding: try sigBlob.string(field: "signature type"), as: UTF8.self)
        guard sigType == "ssh-ed25519" else { throw .keyType(sigType) }
        let sig = try sigBlob.string(field: "signature")
        guard sigBlob.atEnd, sig.count == Ed25519.signatureBytes else { throw .truncated(field: "signature") }
        return SSHSignature(publicKey: pk, namespace: namespace, hashAlgorithm: hash, signature: sig)
    }

    static func sshString(_ b: [UInt8]) -> [UInt8] {
        let n = UInt32(b.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + b
    }
}

/// A bounds-checked reader of SSH wire encoding (u32be lengths).
struct SSHReader {
    let data: [UInt8]
    var offset = 0
    init(_ data: [UInt8]) { self.data = data }

    var atEnd: Bool { offset == data.count }

    mutating func bytes(_ n: Int, field: String) throws(SSHSigError) -> [UInt8] {
        guard n >= 0, data.count - offset >= n else { throw .truncated(field: field) }
        defer { offset += n }
        return Array(data[offset..<offset + n])
    }

    mutating func u32(field: String) throws(SSHSigError) -> UInt32 {
        let b = try bytes(4, field: field)
        return UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
    }

    mutating func string(field: String) throws(SSHSigError) -> [UInt8] {
        let n = try u32(field: field)
        return try bytes(Int(n), field: field)
    }
}
