import Testing
@testable import Transparency

@Suite("witnesses, the log's state and log verification")
struct WitnessTests {
    let origin = "example.org/log"
    let log = try! NoteSigner(name: "example.org/log", key: TT.key(seed: 1))
    let w1 = try! NoteSigner(name: "w1.example", type: .cosignatureV1, key: TT.key(seed: 2))
    let w2 = try! NoteSigner(name: "w2.example", type: .cosignatureV1, key: TT.key(seed: 3))

    func state(_ n: Int, fork: Bool = false) -> LogState {
        var s = LogState(origin: origin)
        for i in 0..<n { _ = s.append("release 2026-W\(10 + i) sha256:\(String(repeating: fork && i == n - 1 ? "cd" : "ab", count: 32))") }
        return s
    }

    func signed(_ s: LogState) -> SignedCheckpoint { SignedCheckpoint.sign(Checkpoint(origin: origin, size: s.entries.count, root: s.tree.root), with: log) }

    func bundle(_ s: LogState, since: Int) -> ConsistencyBundle { ConsistencyBundle(oldSize: since, proof: s.tree.consistencyProof(from: since), checkpoint: signed(s)) }

    @Test("a witness cosigns a consistent checkpoint and remembers it; it refuses a split view, a rollback and a proof from another size")
    func witnessRules() throws {
        let (cp3, next3) = try Witnessing.cosign(bundle: bundle(state(3), since: 0), bundleName: "b3", logKey: log.verifier, state: WitnessState(), stateName: "s", signer: w1, timestamp: 1)
        #expect(next3[origin] == WitnessState.Head(size: 3, root: state(3).tree.root))
        #expect(cp3.note.signatures.count == 2)
        let (_, next5) = try Witnessing.cosign(bundle: bundle(state(5), since: 3), bundleName: "b5", logKey: log.verifier, state: next3, stateName: "s", signer: w1, timestamp: 2)
        #expect(next5[origin]?.size == 5)
        #expect(throws: ConsistencyFinding.self) { try Witnessing.cosign(bundle: bundle(state(5, fork: true), since: 5), bundleName: "f", logKey: self.log.verifier, state: next5, stateName: "s", signer: self.w1, timestamp: 3) }
        #expect(throws: ConsistencyFinding.self) { try Witnessing.cosign(bundle: bundle(state(3), since: 0), bundleName: "old", logKey: self.log.verifier, state: next5, stateName: "s", signer: self.w1, timestamp: 3) }
        #expect(throws: ConsistencyFinding.wrongOldSize(trusted: 5, proofFrom: 4)) { try Witnessing.cosign(bundle: bundle(state(7), since: 4), bundleName: "b7", logKey: self.log.verifier, state: next5, stateName: "s", signer: self.w1, timestamp: 3) }
        // A fork that diverged before the witness's size cannot be proven consistent.
        var forked = state(4, fork: true)
        for i in 4..<7 { _ = forked.append("release 2026-W\(10 + i) sha256:\(String(repeating: "ab", count: 32))") }
        #expect(throws: ConsistencyFinding.self) { try Witnessing.cosign(bundle: bundle(forked, since: 5), bundleName: "fork", logKey: self.log.verifier, state: next5, stateName: "s", signer: self.w1, timestamp: 3) }
        // The log's signature is checked first: another key under the log's name is refused.
        let impostor = try NoteSigner(name: origin, key: TT.key(seed: 9))
        let fake = ConsistencyBundle(oldSize: 5, proof: [], checkpoint: SignedCheckpoint.sign(Checkpoint(origin: origin, size: 5, root: state(5).tree.root), with: impostor))
        #expect(throws: NoteCheckFailure.self) { try Witnessing.cosign(bundle: fake, bundleName: "x", logKey: self.log.verifier, state: next5, stateName: "s", signer: self.w1, timestamp: 3) }
    }

    @Test("a witness with no state for a log refuses a request that does not start at old 0: trust on first use is explicit")
    func firstSightMustBeOldZero() throws {
        let request = bundle(state(5), since: 3)
        #expect(throws: ConsistencyFinding.firstSightNotFromZero(state: "w.state", origin: origin, proofFrom: 3)) {
            try Witnessing.cosign(bundle: request, bundleName: "b5", logKey: self.log.verifier, state: WitnessState(), stateName: "w.state", signer: self.w1, timestamp: 1)
        }
        // The same log from old 0 is cosigned; another log's state does not count as state for this one.
        var other = WitnessState()
        other["other.example/log"] = .init(size: 3, root: state(3).tree.root)
        #expect(throws: ConsistencyFinding.self) {
            try Witnessing.cosign(bundle: request, bundleName: "b5", logKey: self.log.verifier, state: other, stateName: "w.state", signer: self.w1, timestamp: 1)
        }
        let (_, next) = try Witnessing.cosign(bundle: bundle(state(5), since: 0), bundleName: "b5", logKey: log.verifier, state: other, stateName: "w.state", signer: w1, timestamp: 1)
        #expect(next[origin]?.size == 5)
    }

    @Test("a release's entry is proven in the log: the proof checks; another entry, a tampered path or another checkpoint's root does not")
    func releaseInclusion() throws {
        let s = state(6)
        let cp = signed(s)
        for (i, entry) in s.entries.enumerated() {
            let proof = try #require(LogInclusion.proof(of: entry, in: s, checkpoint: cp))
            #expect(proof.index == i)
            let reread = try TlogProof.parseAll(proof.bytes)
            #expect(reread.count == 1)
            #expect(LogInclusion.check(entry: entry, entryName: "r", proof: reread[0], proofName: "p").status == .passed)
            // Another release's entry at this index: the path leads elsewhere.
            #expect(LogInclusion.check(entry: s.entries[(i + 1) % 6], entryName: "r", proof: reread[0], proofName: "p").status == .failed)
        }
        #expect(LogInclusion.proof(of: "release 2026-W40 sha256:\(String(repeating: "ef", count: 32))", in: s, checkpoint: cp) == nil)
        let proof = try #require(LogInclusion.proof(of: s.entries[2], in: s, checkpoint: cp))
        var path = proof.path
        path[0][0] ^= 1
        #expect(LogInclusion.check(entry: s.entries[2], entryName: "r", proof: TlogProof(extra: nil, index: 2, path: path, checkpoint: cp), proofName: "p").status == .failed)
        // The right path under the checkpoint of a smaller tree (or a fork of the same size) is refused.
        let small = TlogProof(extra: nil, index: 2, path: proof.path, checkpoint: signed(state(5)))
        #expect(LogInclusion.check(entry: s.entries[2], entryName: "r", proof: small, proofName: "p").status == .failed)
        let fork = TlogProof(extra: nil, index: 2, path: proof.path, checkpoint: signed(state(6, fork: true)))
        let forked = LogInclusion.check(entry: s.entries[2], entryName: "r", proof: fork, proofName: "p")
        #expect(forked.status == .failed)
        #expect(forked.summary.contains("another root"))
    }

    @Test("log verify: quorum counted over files with the same checkpoint, split views named, trusted checkpoints extended")
    func verifyRules() throws {
        let s5 = state(5)
        let cp = signed(s5)
        let a = cp.adding(w1.sign(cp.note.text, timestamp: 1)), b = cp.adding(w2.sign(cp.note.text, timestamp: 1))
        func file(_ name: String, _ c: SignedCheckpoint) throws -> CheckpointFile { try CheckpointFile(name: name, bytes: c.bytes) }
        let both = LogVerifier.verify(files: [try file("a", a), try file("b", b)], logKey: log.verifier, trusted: nil, witnesses: [w1.verifier, w2.verifier], quorum: 2)
        #expect(both.report.exitStatus == 0 && both.accepted != nil)
        let one = LogVerifier.verify(files: [try file("a", a)], logKey: log.verifier, trusted: nil, witnesses: [w1.verifier, w2.verifier], quorum: 2)
        #expect(one.report.exitStatus == 1)
        let split = LogVerifier.verify(files: [try file("a", a), try file("fork", signed(state(5, fork: true)))], logKey: log.verifier, trusted: nil, witnesses: [], quorum: 0)
        #expect(split.report.exitStatus == 1)
        #expect(split.report.checks.last?.summary.contains("a and fork") == true)
        let since = LogVerifier.verify(files: [try CheckpointFile(name: "p", bytes: bundle(s5, since: 2).bytes)], logKey: log.verifier,
                                       trusted: ("old", Checkpoint(origin: origin, size: 2, root: state(2).tree.root)), witnesses: [], quorum: 0)
        #expect(since.report.exitStatus == 0)
    }

    @Test("a witness list's lines are trimmed in linear time (fuzz-transparency: a long space-padded line took seconds)")
    func longPaddedWitnessLine() throws {
        let key = w1.verifier.description
        let padded = String(repeating: " ", count: 60_000) + key + String(repeating: " ", count: 60_000) + "\n"
        #expect(try LogVerifier.parseWitnesses(Array(padded.utf8)) == [w1.verifier])
        #expect(throws: FormatError.self) { try LogVerifier.parseWitnesses(Array((String(repeating: " ", count: 60_000) + "x\n").utf8)) }
    }

    @Test("log and witness state files read back to themselves; duplicate entries are refused")
    func stateFiles() throws {
        let s = state(4)
        #expect(try LogState.parse(s.bytes) == s)
        var dup = s
        let appended = dup.append(s.entries[0])
        #expect(!appended && dup == s)
        #expect(throws: FormatError.self) { try LogState.parse(s.bytes + Array((s.entries[0] + "\n").utf8)) }
        var w = WitnessState()
        w["b.example/log"] = .init(size: 2, root: [UInt8](repeating: 1, count: 32))
        w["a.example/log"] = .init(size: 7, root: [UInt8](repeating: 2, count: 32))
        #expect(try WitnessState.parse(w.bytes) == w)
    }
}
