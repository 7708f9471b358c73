import Core
import Testing
import Verify
@testable import Transparency

@Suite("signed notes, checkpoints, cosignatures and verifier keys")
struct NoteTests {
    let log = try! NoteSigner(name: "example.org/log", key: TT.key(seed: 1))
    let witness = try! NoteSigner(name: "w.example", type: .cosignatureV1, key: TT.key(seed: 2))

    func checkpoint(size: Int = 3) -> SignedCheckpoint {
        SignedCheckpoint.sign(Checkpoint(origin: "example.org/log", size: size, root: [UInt8](repeating: 9, count: 32)), with: log)
    }

    @Test("a signed checkpoint parses back to itself and verifies with the log's key")
    func roundTrip() throws {
        let cp = checkpoint()
        let parsed = try SignedCheckpoint.parse(cp.bytes[...])
        #expect(parsed.bytes == cp.bytes)
        #expect(parsed.checkpoint == cp.checkpoint)
        #expect(try parsed.note.verify(with: [log.verifier]).verified.count == 1)
    }

    @Test("the key ID is SHA-256(name ‖ LF ‖ type ‖ key)[:4] and the verifier key text reads back")
    func verifierKey() throws {
        let v = log.verifier
        let h = SHA256Check.hash(Array("example.org/log\n".utf8) + [0x01] + v.publicKey.rawRepresentation)
        #expect(v.keyID == UInt32(h[0]) << 24 | UInt32(h[1]) << 16 | UInt32(h[2]) << 8 | UInt32(h[3]))
        #expect(try NoteVerifierKey(parsing: v.description) == v)
        #expect(try NoteVerifierKey(parsing: witness.verifier.description).type == .cosignatureV1)
        var wrongID = v.description
        wrongID = wrongID.replacingFirst("+", with: "+0") 
        #expect(throws: FormatError.self) { try NoteVerifierKey(parsing: String(wrongID)) }
        #expect(throws: FormatError.self) { try NoteVerifierKey(name: "has space", type: .ed25519, publicKey: v.publicKey) }
        #expect(throws: FormatError.self) { try NoteVerifierKey(name: "a+b", type: .ed25519, publicKey: v.publicKey) }
    }

    @Test("signatures from unknown keys are ignored; a known key's bad signature rejects the note; no known signature rejects it")
    func signatureRules() throws {
        let cp = checkpoint()
        let stranger = try NoteSigner(name: "other.example", key: TT.key(seed: 3))
        let sameNameOtherKey = try NoteSigner(name: "example.org/log", key: TT.key(seed: 4))
        let note = cp.adding(stranger.sign(cp.note.text)).adding(sameNameOtherKey.sign(cp.note.text))
        let v = try SignedNote.parse(note.bytes[...]).verify(with: [log.verifier])
        #expect(v.verified.count == 1 && v.unknown.count == 2)
        var bad = cp.note.signatures[0].signature
        bad[5] ^= 1
        let forged = SignedNote(text: cp.note.text, signatures: [NoteSignature(name: log.verifier.name, keyID: log.verifier.keyID, signature: bad)])
        #expect(throws: NoteCheckFailure.self) { try SignedNote.parse(forged.bytes[...]).verify(with: [log.verifier]) }
        #expect(throws: NoteCheckFailure.noKnownSignature(known: ["example.org/log"])) { try SignedNote.parse(note.bytes[...]).verify(with: [log.verifier].map { _ in stranger.verifier }.map { try! NoteVerifierKey(name: "example.org/log", type: .ed25519, publicKey: $0.publicKey) }) }
    }

    @Test("a cosignature verifies over cosignature/v1, its time and the checkpoint; a changed time does not")
    func cosignature() throws {
        let cp = checkpoint()
        let line = witness.sign(cp.note.text, timestamp: 1_781_000_000)
        #expect(line.signature.count == 72)
        let (ok, t) = witness.verifier.verify(line.signature, text: cp.note.text)
        #expect(ok && t == 1_781_000_000)
        var later = line.signature
        later[7] ^= 1
        #expect(!witness.verifier.verify(later, text: cp.note.text).valid)
        // A cosignature is not a log signature: the types do not verify each other's lines.
        let asLog = try NoteVerifierKey(name: "w.example", type: .ed25519, publicKey: witness.verifier.publicKey)
        #expect(!asLog.verify(line.signature, text: cp.note.text).valid)
    }

    @Test("hostile notes: CRLF, no signature block, a missing final newline, 101 signature lines, bad names and base64")
    func hostile() throws {
        let good = checkpoint().bytes
        func rejects(_ b: [UInt8]) -> FormatError? {
            do { _ = try SignedNote.parse(b[...]); return nil } catch { return error }
        }
        #expect(rejects(Array(String(decoding: good, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8))?.line == 1)
        #expect(rejects(Array(good.dropLast())) == .missingFinalNewline(line: 5))
        #expect(rejects(checkpoint().note.text) == .noSignatureBlock)
        let line = checkpoint().note.signatures[0].lineBytes
        #expect(rejects(good + Array(repeating: line, count: 99).flatMap { $0 }) == nil)
        #expect(rejects(good + Array(repeating: line, count: 100).flatMap { $0 }) == .tooManySignatures(line: 105, limit: 100))
        #expect(rejects(good + Array("— a+b AAAAAAA=\n".utf8)) != nil)
        #expect(rejects(good + Array("— name AAAA\n".utf8)) != nil)      // 3 bytes: no room for a key ID and a signature
        #expect(rejects(good + Array("— name AAAAAAB=\n".utf8)) != nil)  // non-canonical padding bits
        #expect(rejects(good + Array("-- name AAAAAAA=\n".utf8)) != nil)
        #expect(rejects(good + [0xFF, 0x0A]) != nil)
    }

    @Test("checkpoint text: origin, size without leading zeros, 32-byte root")
    func checkpointText() throws {
        #expect(throws: FormatError.self) { try Checkpoint(text: Array("o\n03\nCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=\n".utf8)) }
        #expect(throws: FormatError.self) { try Checkpoint(text: Array("o\n3\nCQkJ\n".utf8)) }
        #expect(throws: FormatError.self) { try Checkpoint(text: Array("o\n3\n".utf8)) }
        #expect(try Checkpoint(text: Array("o\n0\nCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=\next\n".utf8)).extensions == ["ext"])
    }
}

/// SHA-256 from Anon, named apart so the test reads as the spec's formula.
import Anon
enum SHA256Check { static func hash(_ b: [UInt8]) -> [UInt8] { SHA256.hash(b) } }

extension String {
    func replacingFirst(_ a: Character, with b: String) -> String {
        guard let i = firstIndex(of: a) else { return self }
        return String(self[..<i]) + b + String(self[index(after: i)...])
    }
}
