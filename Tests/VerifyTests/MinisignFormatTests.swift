import Testing
@testable import Verify

@Suite("minisign key and signature files")
struct MinisignFormatTests {
    let key = T.key(seed: 7)
    let message = T.release("2026-W24", sequence: 1, previous: nil)

    @Test("public key file round-trips and names its key id as minisign does")
    func publicKeyRoundTrip() throws {
        let pub = key.publicKey
        let parsed = try MinisignPublicKey.parse(pub.fileBytes)
        #expect(parsed == pub)
        #expect(pub.base64.hasPrefix("RW"))
        // bytes 07 01 02 … 07 read as a little-endian u64
        #expect(pub.keyID.description == "0706050403020107")
        #expect(KeyID([1, 0, 0, 0, 0, 0, 0, 0])!.description == "0000000000000001")
    }

    @Test("unencrypted secret key file round-trips with a real checksum")
    func unencryptedSecretKey() throws {
        let file = try key.fileBytes(passphrase: nil)
        let parsed = try MinisignSecretKeyFile.parse(file)
        #expect(!parsed.isEncrypted)
        let back = try parsed.decrypt(passphrase: nil)
        #expect(back.publicKey == key.publicKey)
    }

    @Test("encrypted secret key: right passphrase decrypts, wrong one is told apart (cheap scrypt limits)")
    func encryptedSecretKey() throws {
        // The file carries its limits; small ones keep this test fast. Real keys use minisign's (InteropTests).
        let limits = MinisignSecretKey.KDFLimits(opslimit: 32768, memlimit: 16 << 20)
        let pw = SecureBytes(copying: Array("correct horse".utf8))
        let file = try key.fileBytes(passphrase: pw, limits: limits)
        let parsed = try MinisignSecretKeyFile.parse(file)
        #expect(parsed.isEncrypted)
        #expect(try parsed.decrypt(passphrase: pw).publicKey == key.publicKey)
        #expect(throws: KeyFileError.wrongPassphrase) { try parsed.decrypt(passphrase: SecureBytes(copying: Array("wrong".utf8))) }
        #expect(throws: KeyFileError.passphraseNeeded) { try parsed.decrypt(passphrase: nil) }
    }

    @Test("a key file asking for unbounded scrypt work is refused before deriving")
    func hostileKDFLimits() throws {
        var blob = Base64.decode(Array(String(decoding: try key.fileBytes(passphrase: nil), as: UTF8.self).split(separator: "\n")[1].utf8))!
        blob[2] = 0x53; blob[3] = 0x63
        for i in 38..<54 { blob[i] = 0xFF }
        let file = Array("untrusted comment: x\n\(Base64.encode(blob))\n".utf8)
        #expect(throws: KeyFileError.kdfLimits(opslimit: .max, memlimit: .max)) { try MinisignSecretKeyFile.parse(file) }
    }

    /// An encrypted key file whose header asks for `opslimit` and `memlimit` (the secret part is garbage:
    /// only the parser's verdict on the limits is under test, no derivation runs).
    func keyFile(opslimit: UInt64, memlimit: UInt64) throws -> [UInt8] {
        var blob = Base64.decode(Array(String(decoding: try key.fileBytes(passphrase: nil), as: UTF8.self).split(separator: "\n")[1].utf8))!
        blob[2] = 0x53; blob[3] = 0x63
        for (i, b) in LittleEndian.bytes(opslimit).enumerated() { blob[38 + i] = b }
        for (i, b) in LittleEndian.bytes(memlimit).enumerated() { blob[46 + i] = b }
        return Array("untrusted comment: x\n\(Base64.encode(blob))\n".utf8)
    }

    @Test("scrypt limits are capped at twice what minisign writes: at the cap accepted, one above refused before deriving")
    func kdfLimitsCappedAtMinisignsTimesMargin() throws {
        let minisign = MinisignSecretKey.KDFLimits.minisign
        #expect(minisign == MinisignSecretKey.KDFLimits(opslimit: 33_554_432, memlimit: 1_073_741_824))  // libsodium's scrypt "sensitive"
        #expect(MinisignSecretKey.maxOpslimit == 1 << 26 && MinisignSecretKey.maxMemlimit == 1 << 31)
        let atCap = try MinisignSecretKeyFile.parse(try keyFile(opslimit: 1 << 26, memlimit: 1 << 31))
        #expect(atCap.kdf?.limits == MinisignSecretKey.KDFLimits(opslimit: 1 << 26, memlimit: 1 << 31))
        #expect(try MinisignSecretKeyFile.parse(try keyFile(opslimit: minisign.opslimit, memlimit: minisign.memlimit)).isEncrypted)
        // The hostile key of the report (319 s and 2.1 GB before "wrong passphrase") and one step over each cap.
        for (o, m): (UInt64, UInt64) in [(1 << 32, 1 << 31), ((1 << 26) + 1, 1 << 30), (1 << 25, (1 << 31) + 1)] {
            #expect(throws: KeyFileError.kdfLimits(opslimit: o, memlimit: m)) { try MinisignSecretKeyFile.parse(try keyFile(opslimit: o, memlimit: m)) }
        }
        let message = KeyFileError.kdfLimits(opslimit: 1 << 32, memlimit: 1 << 31).description
        #expect(message.contains("minisign writes 33554432 and 1073741824") && message.contains("opslimit 67108864, memlimit 2147483648"))
    }

    @Test("signature round-trips and verifies; every check has its own verdict")
    func signatureVerdicts() throws {
        let sig = try MinisignSignature.sign(message, with: key, trustedComment: "backpay-release x")
        let parsed = try MinisignSignature.parse(sig.fileBytes)
        #expect(parsed == sig)
        #expect(parsed.verify(message, publicKey: key.publicKey) == .valid)
        #expect(parsed.verify(message + [0x0A], publicKey: key.publicKey) == .badSignature)
        let other = T.key(seed: 8)
        #expect(parsed.verify(message, publicKey: other.publicKey) == .wrongKey(signatureKeyID: key.keyID, publicKeyID: other.keyID))
        let altered = MinisignSignature(algorithm: .prehashed, keyID: sig.keyID, signature: sig.signature,
                                        untrustedComment: sig.untrustedComment, trustedCommentBytes: Array("backpay-release y".utf8),
                                        globalSignature: sig.globalSignature)
        #expect(altered.verify(message, publicKey: key.publicKey) == .badGlobalSignature)
    }

    @Test("changing any byte of the signature file is rejected (parse error or failed verdict)")
    func everyByteOfSignatureFile() throws {
        let file = try MinisignSignature.sign(message, with: key, trustedComment: "backpay-release x").fileBytes
        // Line 1 (the untrusted comment) is not signed, as in minisign; every byte after it is.
        let firstSigned = file.firstIndex(of: 0x0A)! + 1
        for i in firstSigned..<file.count {
            var bad = file
            bad[i] ^= 0x01
            if let parsed = try? MinisignSignature.parse(bad) {
                #expect(parsed.verify(message, publicKey: key.publicKey) != .valid, "byte \(i) flipped still verifies")
            }
        }
    }

    @Test("changing any byte of the release is rejected")
    func everyByteOfRelease() throws {
        let sig = try MinisignSignature.sign(message, with: key, trustedComment: "c")
        for i in message.indices {
            var bad = message
            bad[i] ^= 0x20
            #expect(sig.verify(bad, publicKey: key.publicKey) == .badSignature)
        }
    }

    @Test("hostile signature files get precise messages", arguments: [
        ("untrusted comment: a\r\nRUQ=\n", "line 1 ends with CR LF or holds a carriage return; these files use LF line endings"),
        ("untrusted comment: a\n", "expected 4 lines (untrusted comment, signature, trusted comment, global signature), found 1"),
        ("comment: a\nx\ntrusted comment: b\ny\n", "line 1 does not start with \"untrusted comment: \""),
        ("untrusted comment: a\nRUQ=\ntrusted comment: b\nAAAA\n", "line 2 decodes to 2 bytes, expected 74"),
        ("untrusted comment: a\nRU Q=\ntrusted comment: b\nAAAA\n", "line 2 is not canonical base64 (standard alphabet, padded, one line)"),
    ])
    func hostileSignatureFiles(_ text: String, _ message: String) {
        do { _ = try MinisignSignature.parse(Array(text.utf8)); Issue.record("accepted") } catch { #expect(error.description == message) }
    }

    @Test("oversized signature files are refused before parsing")
    func oversized() {
        let big = Array("untrusted comment: ".utf8) + [UInt8](repeating: 0x61, count: 20_000)
        #expect(throws: SignatureFileError.tooLarge(limit: MinisignSignature.maxFileBytes)) { try MinisignSignature.parse(big) }
    }

    @Test("trusted comments must be printable: control characters and invalid UTF-8 are refused")
    func printableTrustedComment() {
        #expect(MinisignSignature.isPrintable(Array("timestamp:1\tfile:x".utf8)))
        #expect(!MinisignSignature.isPrintable(Array("a\u{1B}[2Jb".utf8)))
        #expect(!MinisignSignature.isPrintable(Array("a\u{85}".utf8)))
        #expect(!MinisignSignature.isPrintable([0x61, 0xC0, 0x80]))
        #expect(throws: SignatureFileError.trustedCommentNotPrintable) {
            try MinisignSignature.sign([], with: key, trustedComment: "a\u{7F}")
        }
    }

    @Test("SSH signature round-trips; namespace and key are bound")
    func sshSignature() throws {
        let sig = try SSHSignature.sign(message, with: key.key)
        let parsed = try SSHSignature.parse(sig.fileBytes)
        #expect(parsed == sig)
        #expect(parsed.verify(message, namespace: "backpay-release", publicKey: key.key.publicKey) == .valid)
        #expect(parsed.verify(message, namespace: "file", publicKey: key.key.publicKey) == .badSignature)
        #expect(parsed.verify(message, namespace: "backpay-release", publicKey: T.key(seed: 9).key.publicKey) == .badSignature)
        #expect(parsed.verify(message + [1], namespace: "backpay-release", publicKey: key.key.publicKey) == .badSignature)
        let crlf = Array(String(decoding: sig.fileBytes, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        #expect(throws: SSHSigError.armor) { try SSHSignature.parse(crlf) }
    }
}
