// Every pure parser of the Verify module against the same bytes. Beyond "never crashes", these laws trap:
//   minisign public key: line 2 is exactly the key's canonical base64, the key id is bytes 2..<10 of it,
//     and the key's own file and base64 line parse back to the same key;
//   minisign secret key file: "encrypted" means the KDF bytes say "Sc"; an unencrypted key that decrypts
//     names the key id stored in its bytes and survives being written and read again;
//   minisign signature: the file re-serialises to the same bytes (plus the final LF it may lack), and the
//     key id, signatures and trusted comment are the ones in its lines;
//   SSH signature: the key and signature are those in the blob, the blob re-encodes to itself when its
//     namespace is UTF-8 and its reserved field empty, and the written file parses back to the same value;
//   release header: the digest is the SHA-256 of the bytes, the bytes are the canonical JSON (plus at most
//     one LF), and the trusted comment made from the header reads back to claims that match it;
//   trusted comment claims and base64: a parsed text is the canonical spelling of what was parsed.
// Encrypted secret keys are never decrypted: scrypt at the limits we accept takes seconds per input.
import Core
import Verify

/// LF-split as the parsers do (no CR/NUL checks: only called on bytes a parser accepted).
func lines(_ bytes: [UInt8]) -> [[UInt8]] {
    var out = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    if out.last?.isEmpty == true { out.removeLast() }
    return out
}

func law(_ holds: Bool, _ what: String) {
    if !holds { fatalError("law violated: \(what)") }
}

func u32(_ b: [UInt8], _ at: Int) -> Int? {
    guard at >= 0, at + 4 <= b.count else { return nil }
    return Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3])
}

/// Any valid key (the Ed25519 base point) under a fixed id: verifying against it must stop at the key id.
let otherKey = MinisignPublicKey(
    keyID: KeyID([1, 2, 3, 4, 5, 6, 7, 8])!,
    key: try! Ed25519.PublicKey(rawRepresentation: [0x58] + [UInt8](repeating: 0x66, count: 31)))
let lf: [UInt8] = [0x0A]

func publicKey(_ bytes: [UInt8]) {
    if let k = try? MinisignPublicKey.parseBase64(bytes) {
        law(Array(k.base64.utf8) == bytes, "public key base64 is not canonical")
    }
    guard let k = try? MinisignPublicKey.parse(bytes) else { return }
    let line2 = lines(bytes)[1]
    law(Array(k.base64.utf8) == line2, "public key line 2 is not the key's base64")
    law(Array(Base64.decode(line2)![2..<10]) == k.keyID.bytes, "public key id is not bytes 2..<10 of line 2")
    law((try? MinisignPublicKey.parse(k.fileBytes)) == k, "public key file does not parse back")
    law((try? MinisignPublicKey.parseBase64(line2)) == k, "public key line 2 alone parses differently")
    law(k.keyID.description.utf8.count == 16, "key id is not 16 hex digits")
}

func secretKey(_ bytes: [UInt8]) {
    guard let f = try? MinisignSecretKeyFile.parse(bytes) else { return }
    let raw = Base64.decode(lines(bytes)[1])!
    law(f.isEncrypted == (raw[2..<4] == [0x53, 0x63]), "encrypted flag disagrees with the KDF bytes")
    if let kdf = f.kdf { law(kdf.salt == Array(raw[6..<38]), "KDF salt is not bytes 6..<38"); return }
    guard let k = try? f.decrypt(passphrase: nil) else { return }
    law(k.keyID.bytes == Array(raw[54..<62]), "secret key id is not the one in its bytes")
    guard let again = try? k.fileBytes(passphrase: nil) else { fatalError("law violated: decrypted key cannot be written") }
    guard let k2 = try? MinisignSecretKeyFile.parse(again).decrypt(passphrase: nil) else {
        fatalError("law violated: written secret key does not read back")
    }
    law(k2.keyID == k.keyID && k2.publicKey == k.publicKey, "written secret key reads back as another key")
}

func minisignSignature(_ bytes: [UInt8]) {
    guard let s = try? MinisignSignature.parse(bytes) else { return }
    let l = lines(bytes)
    let blob = Base64.decode(l[1])!
    law(s.fileBytes == bytes || s.fileBytes == bytes + lf, "signature does not re-serialise to its own bytes")
    law(s.keyID.bytes == Array(blob[2..<10]), "signature key id is not bytes 2..<10 of line 2")
    law(s.signature == Array(blob[10..<74]), "signature is not bytes 10..<74 of line 2")
    law((s.algorithm == .prehashed) == (blob[0..<2] == [0x45, 0x44]), "algorithm is not the one in line 2")
    law(s.trustedCommentBytes == Array(l[2].dropFirst(17)), "trusted comment is not line 3's bytes")
    law(s.globalSignature == Base64.decode(l[3])!, "global signature is not line 4")
    law((try? MinisignSignature.parse(s.fileBytes)) == s, "signature file does not parse back")
    if s.keyID != otherKey.keyID {
        law(s.verify(bytes, publicKey: otherKey) == .wrongKey(signatureKeyID: s.keyID, publicKeyID: otherKey.keyID),
            "a signature under another key id is not reported as such")
    }
}

func sshSignature(_ bytes: [UInt8]) {
    guard let s = try? SSHSignature.parse(bytes) else { return }
    let l = lines(bytes)
    let raw = Base64.decode(Array(l[1..<(l.count - 1)].joined()))!
    let keyBlob = SSHSignature.publicKeyBlob(s.publicKey)
    law(Array(raw[0..<6]) == Array("SSHSIG".utf8), "SSH blob does not start with SSHSIG")
    law(u32(raw, 10) == keyBlob.count && Array(raw[14..<(14 + keyBlob.count)]) == keyBlob, "SSH public key is not the blob's")
    law(Array(raw.suffix(64)) == s.signature, "SSH signature is not the blob's last 64 bytes")
    let nsAt = 14 + keyBlob.count
    if let n = u32(raw, nsAt), let reserved = u32(raw, nsAt + 4 + n),
       String(validating: raw[(nsAt + 4)..<(nsAt + 4 + n)], as: UTF8.self) != nil, reserved == 0 {
        law(s.blob == raw, "SSH blob does not re-encode to itself")
    }
    law((try? SSHSignature.parse(s.fileBytes)) == s, "SSH signature file does not parse back")
    law((try? SSHSignature.publicKey(fromBlob: keyBlob)) == s.publicKey, "SSH key blob does not parse back")
}

func releaseHeader(_ bytes: [UInt8]) {
    guard let h = try? ReleaseHeader.read(bytes) else { return }
    law(h.digest == SHA256.hash(bytes), "release digest is not the SHA-256 of its bytes")
    let body = bytes.last == 0x0A ? Array(bytes.dropLast()) : bytes
    guard let value = try? StrictJSON.parse(body), let canonical = try? CanonicalJSON.serialize(value) else {
        fatalError("law violated: release without its final LF is not canonical JSON")
    }
    law(canonical == body, "release bytes are not canonical JSON")
    guard let other = try? ReleaseHeader.read(body == bytes ? body + lf : body) else {
        fatalError("law violated: release read with and without its final LF differ in acceptance")
    }
    law(other.id == h.id && other.sequence == h.sequence && other.previous == h.previous, "the final LF changes the header")
    let claims = ReleaseClaims(header: h, timestamp: 1_700_000_000)
    law(ReleaseClaims.parse(claims.description) == claims, "claims made from a header do not read back")
    law(claims.mismatches(with: h).isEmpty, "claims made from a header do not match it")
}

func claimsAndBase64(_ bytes: [UInt8]) {
    if let text = String(validating: bytes, as: UTF8.self), let c = ReleaseClaims.parse(text) {
        law(c.description == text, "trusted comment claims are not in canonical spelling")
    }
    if let d = Base64.decode(bytes) { law(Base64.encode(d) == String(decoding: bytes, as: UTF8.self), "base64 is not canonical") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSignature(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    publicKey(bytes)
    secretKey(bytes)
    minisignSignature(bytes)
    sshSignature(bytes)
    releaseHeader(bytes)
    claimsAndBase64(bytes)
    return 0
}
