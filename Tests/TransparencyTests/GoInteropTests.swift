import Core
import Foundation
import Testing
import Schema
import Verify
@testable import Transparency

/// Our checkpoints, cosignatures and proofs against Go's golang.org/x/mod/sumdb/note and sumdb/tlog
/// (Debian golang-go and golang-golang-x-mod-dev, installed by scripts/install-deps.sh), and Go's notes
/// against us. Fails, never skips, when go is missing: CI installs it.
@Suite("interoperability with Go's sumdb/note and sumdb/tlog")
struct GoInteropTests {
    static let program = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/go/tlogcheck.go")

    struct GoMissing: Error, CustomStringConvertible {
        var description: String { "go is not installed (scripts/install-deps.sh installs golang-go and golang-golang-x-mod-dev)" }
    }

    /// Runs tlogcheck.go on `dir`: exit status and output.
    func runGo(_ dir: URL) throws -> (status: Int32, output: String) {
        guard let go = ["/usr/bin/go", "/usr/lib/go/bin/go", "/usr/local/go/bin/go"].first(where: FileManager.default.isExecutableFile) else { throw GoMissing() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: go)
        p.arguments = ["run", Self.program.path, dir.path]
        var env = ProcessInfo.processInfo.environment
        env["GO111MODULE"] = "off"
        env["GOPATH"] = "/usr/share/gocode"
        if env["HOME"] == nil { env["HOME"] = NSTemporaryDirectory() }
        env["GOCACHE"] = env["GOCACHE"] ?? FileManager.default.temporaryDirectory.appendingPathComponent("backpay-go-cache").path
        p.environment = env
        let out = dir.appendingPathComponent("go-output.txt")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        let h = try FileHandle(forWritingTo: out)
        p.standardOutput = h
        p.standardError = h
        try p.run()
        p.waitUntilExit()
        try h.close()
        let text = String(decoding: try Data(contentsOf: out), as: UTF8.self)
        try FileManager.default.removeItem(at: out)
        return (p.terminationStatus, text)
    }

    func write(_ bytes: [UInt8], _ dir: URL, _ name: String) throws { try Data(bytes).write(to: dir.appendingPathComponent(name)) }

    @Test("note.Open verifies our checkpoints and cosignatures, tlog.CheckRecord our inclusion proofs, tlog.CheckTree our consistency proofs; tampered copies are rejected")
    func goChecksOurs() throws {
        let dir = try TT.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let origin = "example.org/backpay/log"
        let log = try NoteSigner(name: origin, key: TT.key(seed: 7))
        let witness = try NoteSigner(name: "witness.example/w1", type: .cosignatureV1, key: TT.key(seed: 9))
        let leaves = (0..<13).map { Array("release 2026-W\($0 + 10) sha256:\(String(repeating: "ab", count: 32))\n".utf8) }
        let tree = MerkleTree(leaves: leaves)
        func signed(_ n: Int) -> SignedCheckpoint { SignedCheckpoint.sign(Checkpoint(origin: origin, size: n, root: tree.root(size: n)), with: log) }
        try write(Array((log.verifier.description + "\n").utf8), dir, "log.vkey")
        try write(Array((witness.verifier.description + "\n").utf8), dir, "witness.vkey")
        try write(signed(13).bytes, dir, "size13.checkpoint")
        try write(signed(1).bytes, dir, "size1.checkpoint")
        var tampered = signed(13).bytes
        tampered[origin.utf8.count + 5] ^= 1   // a byte of the root's base64
        try write(tampered, dir, "bad-tampered.checkpoint")
        let stranger = try NoteSigner(name: origin, key: TT.key(seed: 8))
        try write(SignedCheckpoint.sign(Checkpoint(origin: origin, size: 13, root: tree.root), with: stranger).bytes, dir, "bad-otherkey.checkpoint")

        let cosigned = signed(13).adding(witness.sign(signed(13).note.text, timestamp: 1_781_000_000))
        try write(cosigned.bytes, dir, "w1.cosigned")
        // Change the timestamp inside the cosignature: base64 of key ID ‖ time ‖ signature, time at bytes 4..<12.
        let lastLine = cosigned.note.signatures.last!
        var raw = [UInt8(lastLine.keyID >> 24), UInt8(lastLine.keyID >> 16 & 0xFF), UInt8(lastLine.keyID >> 8 & 0xFF), UInt8(lastLine.keyID & 0xFF)] + lastLine.signature
        raw[11] ^= 1
        let forgedTime = signed(13).bytes + Array("— witness.example/w1 \(Base64.encode(raw))\n".utf8)
        try write(forgedTime, dir, "bad-time.cosigned")

        for (n, i) in [(13, 0), (13, 5), (13, 12), (1, 0), (8, 7)] {
            let proof = TlogProof(extra: Array("2026-06-08".utf8), index: i, path: tree.inclusionProof(index: i, treeSize: n), checkpoint: signed(n))
            try write(proof.bytes, dir, "p\(n)-\(i).tlog-proof")
            try write(leaves[i], dir, "p\(n)-\(i).leaf")
        }
        // `log prove --release`'s bundle for one release of the union's log (the leaves above are its entries).
        let state = LogState(origin: origin, entries: leaves.map { String(decoding: $0.dropLast(), as: UTF8.self) })
        #expect(state.leaves == leaves)
        try write(try #require(LogInclusion.proof(of: state.entries[9], in: state, checkpoint: signed(13))).bytes, dir, "log-release.tlog-proof")
        try write(LogState.leaf(state.entries[9]), dir, "log-release.leaf")
        try write(try #require(LogInclusion.proof(of: state.entries[3], in: state, checkpoint: signed(13))).bytes, dir, "bad-log-release.tlog-proof")
        try write(LogState.leaf(state.entries[4]), dir, "bad-log-release.leaf")
        // A member's file: bundles back to back, each naming its leaf hash in its extra line.
        func memberFile(_ indices: [Int], lie: Bool = false) -> [UInt8] {
            indices.flatMap { i in
                var leaf = RFC6962.leafHash(leaves[i])
                if lie && i == indices.last { leaf[0] ^= 1 }
                return TlogProof(extra: MemberProofs.extra(panelist: "0b7e4f4c-2f0e-4d7a-9a51-3c1c2d0e9f10", date: CalendarDay("2026-06-0\(i % 7 + 1)")!, leafHash: leaf),
                                 index: i, path: tree.inclusionProof(index: i), checkpoint: signed(13)).bytes
            }
        }
        try write(memberFile([0, 5, 12]), dir, "m.tlog-proofs")
        try write(memberFile([1, 6], lie: true), dir, "bad-m.tlog-proofs")
        let p = TlogProof(extra: nil, index: 5, path: tree.inclusionProof(index: 5), checkpoint: signed(13))
        try write(p.bytes, dir, "bad-leaf.tlog-proof")
        try write(leaves[6], dir, "bad-leaf.leaf")
        try write(TlogProof(extra: nil, index: 6, path: tree.inclusionProof(index: 5), checkpoint: signed(13)).bytes, dir, "bad-index.tlog-proof")
        try write(leaves[5], dir, "bad-index.leaf")

        for old in [1, 4, 5, 8, 12] {
            try write(ConsistencyBundle(oldSize: old, proof: tree.consistencyProof(from: old), checkpoint: signed(13)).bytes, dir, "c\(old).consistency")
            try write(signed(old).bytes, dir, "c\(old).old")
        }
        var badProof = tree.consistencyProof(from: 5)
        badProof[0][0] ^= 1
        try write(ConsistencyBundle(oldSize: 5, proof: badProof, checkpoint: signed(13)).bytes, dir, "bad-cons.consistency")
        try write(signed(5).bytes, dir, "bad-cons.old")

        let r = try runGo(dir)
        #expect(r.status == 0, "\(r.output)")
        let oks = r.output.split(separator: "\n").filter { $0.hasPrefix("ok ") }
        #expect(oks.count == 23, "\(r.output)")
        #expect(!r.output.contains("FAIL"), "\(r.output)")

        // Go's note.Sign, read and verified by us; a changed byte is rejected.
        let vkey = try NoteVerifierKey(parsing: String(decoding: try Data(contentsOf: dir.appendingPathComponent("go.vkey")), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        let goNote = [UInt8](try Data(contentsOf: dir.appendingPathComponent("go.note")))
        let note = try SignedNote.parse(goNote[...])
        let v = try note.verify(with: [vkey])
        #expect(v.verified.count == 1)
        #expect(try Checkpoint(text: note.text).size == 3)
        var changed = goNote
        changed[changed.firstIndex(of: UInt8(ascii: "3"))!] = UInt8(ascii: "4")
        #expect(throws: NoteCheckFailure.self) { try SignedNote.parse(changed[...]).verify(with: [vkey]) }
    }
}
