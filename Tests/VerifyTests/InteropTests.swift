import Core
import Foundation
import Testing
@testable import Verify

/// Our files against the stock tools (.ci/run installs minisign, openssh-client and openssl from Debian).
/// Serialized: some cases derive scrypt keys with minisign's limits (about 1 GiB each).
@Suite("interoperability with minisign, ssh-keygen and openssl", .serialized)
struct InteropTests {
    let key = T.key(seed: 42)
    let release = T.builtRelease

    func claims(_ bytes: [UInt8]) throws -> String {
        ReleaseClaims(header: try ReleaseHeader.read(bytes), timestamp: 1_781_000_000).description
    }

    /// A directory holding release.json, its .minisig and union.pub made by us.
    func signedByUs() throws -> URL {
        let dir = try T.tempDir()
        try T.write(release, to: dir.appendingPathComponent("release.json"))
        try T.write(try MinisignSignature.sign(release, with: key, trustedComment: try claims(release)).fileBytes,
                    to: dir.appendingPathComponent("release.json.minisig"))
        try T.write(key.publicKey.fileBytes, to: dir.appendingPathComponent("union.pub"))
        return dir
    }

    @Test("minisign -V accepts our signature, with -p, -P and -H, and shows our trusted comment")
    func minisignAcceptsOurs() throws {
        let dir = try signedByUs()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try T.run("minisign", ["-V", "-p", "union.pub", "-m", "release.json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Trusted comment: \(try claims(release))"))
        #expect(try T.run("minisign", ["-V", "-H", "-P", key.publicKey.base64, "-m", "release.json"], in: dir).status == 0)
        #expect(try T.run("minisign", ["-V", "-Q", "-p", "union.pub", "-m", "release.json"], in: dir).stdout == (try claims(release)) + "\n")
    }

    @Test("tampering with the release, the signature or the trusted comment is rejected by minisign and by us")
    func tamperingRejectedByBoth() throws {
        let dir = try signedByUs()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sigURL = dir.appendingPathComponent("release.json.minisig"), relURL = dir.appendingPathComponent("release.json")
        let goodSig = try T.read(sigURL)
        let lines = goodSig.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        let line2 = lines[0].count + 1, line3 = line2 + lines[1].count + 1, line4 = line3 + lines[2].count + 1
        // One byte in each signed part of the signature file, and several in the release.
        for (i, what) in [(line2 + 20, "signature"), (line3 + 30, "trusted comment"), (line3 + 17 + 16, "trusted comment id"), (line4 + 10, "global signature")] {
            var bad = goodSig
            bad[i] = bad[i] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            try T.write(bad, to: sigURL)
            let r = try T.run("minisign", ["-V", "-p", "union.pub", "-m", "release.json"], in: dir)
            #expect(r.status != 0, "minisign accepted a changed \(what)")
            let ours = ReleaseVerifier.verify(release: ("release.json", ReleaseDocument.decode(release)), signature: ("release.json.minisig", .success(bad)),
                                              sshSignature: nil, publicKey: key.publicKey, chain: nil)
            #expect(ours.exitStatus == 1, "we accepted a changed \(what)")
        }
        try T.write(goodSig, to: sigURL)
        for i in [0, 10, release.count / 2, release.count - 1] {
            var bad = release
            bad[i] ^= 0x01
            try T.write(bad, to: relURL)
            #expect(try T.run("minisign", ["-V", "-p", "union.pub", "-m", "release.json"], in: dir).status != 0)
            let ours = ReleaseVerifier.verify(release: ("release.json", ReleaseDocument.decode(bad)), signature: ("release.json.minisig", .success(goodSig)),
                                              sshSignature: nil, publicKey: key.publicKey, chain: nil)
            #expect(ours.checks.first { $0.name == "signature" }?.status == .failed)
        }
    }

    @Test("we accept minisign -S signatures from an unencrypted (-W) minisign key; claims are checked")
    func weAcceptMinisignUnencrypted() throws {
        let dir = try T.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try T.write(release, to: dir.appendingPathComponent("release.json"))
        #expect(try T.run("minisign", ["-G", "-W", "-p", "m.pub", "-s", "m.key"], in: dir).status == 0)
        let pub = try MinisignPublicKey.parse(try T.read(dir.appendingPathComponent("m.pub")))
        // minisign 0.11 -W keys have an all-zero checksum; we read them anyway and derive the same key.
        let sk = try MinisignSecretKeyFile.parse(try T.read(dir.appendingPathComponent("m.key"))).decrypt(passphrase: nil)
        #expect(sk.publicKey == pub)

        #expect(try T.run("minisign", ["-S", "-s", "m.key", "-m", "release.json", "-t", try claims(release)], in: dir).status == 0)
        let sig = try T.read(dir.appendingPathComponent("release.json.minisig"))
        let report = ReleaseVerifier.verify(release: ("release.json", ReleaseDocument.decode(release)), signature: ("release.json.minisig", .success(sig)),
                                            sshSignature: nil, publicKey: pub, chain: nil)
        #expect(report.exitStatus == 0, "\(report.textLines())")

        // minisign's default trusted comment is a valid signature but makes no claims about the release.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("release.json.minisig"))
        #expect(try T.run("minisign", ["-S", "-s", "m.key", "-m", "release.json"], in: dir).status == 0)
        let plain = try T.read(dir.appendingPathComponent("release.json.minisig"))
        let r2 = ReleaseVerifier.verify(release: ("release.json", ReleaseDocument.decode(release)), signature: ("release.json.minisig", .success(plain)),
                                        sshSignature: nil, publicKey: pub, chain: nil)
        #expect(r2.checks.first { $0.name == "signature" }?.status == .passed)
        #expect(r2.checks.first { $0.name == "trusted comment" }?.status == .failed)

        // Legacy (-l, not prehashed) signatures verify too.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("release.json.minisig"))
        #expect(try T.run("minisign", ["-S", "-l", "-s", "m.key", "-m", "release.json"], in: dir).status == 0)
        let legacy = try MinisignSignature.parse(try T.read(dir.appendingPathComponent("release.json.minisig")))
        #expect(legacy.algorithm == .legacy)
        #expect(legacy.verify(release, publicKey: pub) == .valid)
    }

    @Test("encrypted keys both ways with minisign's scrypt limits: minisign's key signs for us, ours for minisign")
    func encryptedKeysBothWays() throws {
        let dir = try T.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try T.write(release, to: dir.appendingPathComponent("release.json"))
        let pw = "interop passphrase"
        // minisign reads the passphrase from standard input when it is not a terminal.
        #expect(try T.run("minisign", ["-G", "-p", "m.pub", "-s", "m.key"], stdin: Array("\(pw)\n\(pw)\n".utf8), in: dir).status == 0)
        #expect(try T.run("minisign", ["-S", "-s", "m.key", "-m", "release.json", "-t", try claims(release)],
                          stdin: Array("\(pw)\n".utf8), in: dir).status == 0)
        let pub = try MinisignPublicKey.parse(try T.read(dir.appendingPathComponent("m.pub")))
        let sig = try MinisignSignature.parse(try T.read(dir.appendingPathComponent("release.json.minisig")))
        #expect(sig.verify(release, publicKey: pub) == .valid)
        let file = try MinisignSecretKeyFile.parse(try T.read(dir.appendingPathComponent("m.key")))
        #expect(file.kdf?.limits == .minisign)
        #expect(try file.decrypt(passphrase: SecureBytes(copying: Array(pw.utf8))).publicKey == pub)

        // Our encrypted key file, with minisign's limits, is usable by minisign -S.
        try T.write(try key.fileBytes(passphrase: SecureBytes(copying: Array(pw.utf8))), to: dir.appendingPathComponent("ours.key"), mode: 0o600)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("release.json.minisig"))
        let r = try T.run("minisign", ["-S", "-s", "ours.key", "-m", "release.json", "-t", try claims(release)], stdin: Array("\(pw)\n".utf8), in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let theirs = try MinisignSignature.parse(try T.read(dir.appendingPathComponent("release.json.minisig")))
        #expect(theirs.verify(release, publicKey: key.publicKey) == .valid)
        // Deterministic Ed25519: minisign's signature bytes are ours, byte for byte.
        let mine = try MinisignSignature.sign(release, with: key, trustedComment: try claims(release))
        #expect(theirs.signature == mine.signature && theirs.globalSignature == mine.globalSignature)
    }

    @Test("ssh-keygen -Y verify accepts our SSHSIG and refuses it for another namespace or changed bytes")
    func sshKeygenAcceptsOurs() throws {
        let dir = try T.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try T.write(release, to: dir.appendingPathComponent("release.json"))
        try T.write(try SSHSignature.sign(release, with: key.key).fileBytes, to: dir.appendingPathComponent("release.json.sig"))
        try T.write(Array((SSHSignature.allowedSignersLine(principal: "backpay-union", key: key.key.publicKey) + "\n").utf8),
                    to: dir.appendingPathComponent("allowed_signers"))
        let verify = ["-Y", "verify", "-f", "allowed_signers", "-I", "backpay-union", "-n", "backpay-release", "-s", "release.json.sig"]
        let ok = try T.run("ssh-keygen", verify, stdin: release, in: dir)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("Good \"backpay-release\" signature for backpay-union"))
        var bad = release; bad[5] ^= 1
        #expect(try T.run("ssh-keygen", verify, stdin: bad, in: dir).status != 0)
        var otherNS = verify; otherNS[6] = "file"
        #expect(try T.run("ssh-keygen", otherNS, stdin: release, in: dir).status != 0)
    }

    @Test("we verify ssh-keygen -Y sign signatures against the pinned key")
    func weAcceptSshKeygen() throws {
        let dir = try T.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try T.write(release, to: dir.appendingPathComponent("release.json"))
        #expect(try T.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "t", "-f", "id"], in: dir).status == 0)
        #expect(try T.run("ssh-keygen", ["-Y", "sign", "-f", "id", "-n", "backpay-release", "release.json"], in: dir).status == 0)
        let line = String(decoding: try T.read(dir.appendingPathComponent("id.pub")), as: UTF8.self).split(separator: " ")
        let pinned = try SSHSignature.publicKey(fromBlob: Base64.decode(Array(line[1].utf8))!)
        let sig = try SSHSignature.parse(try T.read(dir.appendingPathComponent("release.json.sig")))
        #expect(sig.verify(release, namespace: "backpay-release", publicKey: pinned) == .valid)
        #expect(sig.verify(release + [0], namespace: "backpay-release", publicKey: pinned) == .badSignature)
    }

    @Test("openssl checks our ED signature independently: Ed25519 over BLAKE2b-512, and over sig ‖ trusted comment")
    func opensslIndependentCheck() throws {
        let dir = try T.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sig = try MinisignSignature.sign(release, with: key, trustedComment: try claims(release))
        let spki = T.bytes("302a300506032b6570032100") + key.publicKey.key.rawRepresentation
        let pem = "-----BEGIN PUBLIC KEY-----\n\(Base64.encode(spki))\n-----END PUBLIC KEY-----\n"
        try T.write(Array(pem.utf8), to: dir.appendingPathComponent("k.pem"))
        try T.write(Sodium.blake2b512(release), to: dir.appendingPathComponent("digest"))
        try T.write(sig.signature, to: dir.appendingPathComponent("sig"))
        try T.write(sig.signature + sig.trustedCommentBytes, to: dir.appendingPathComponent("global-msg"))
        try T.write(sig.globalSignature, to: dir.appendingPathComponent("global"))
        let v1 = try T.run("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", "k.pem", "-rawin", "-in", "digest", "-sigfile", "sig"], in: dir)
        #expect(v1.status == 0, "\(v1.stdout)\(v1.stderr)")
        let v2 = try T.run("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", "k.pem", "-rawin", "-in", "global-msg", "-sigfile", "global"], in: dir)
        #expect(v2.status == 0, "\(v2.stdout)\(v2.stderr)")
        let d = try T.run("openssl", ["dgst", "-blake2b512", "-r", "-"], stdin: release, in: dir)
        #expect(d.stdout.hasPrefix(Hex.encode(Sodium.blake2b512(release))))
    }
}
