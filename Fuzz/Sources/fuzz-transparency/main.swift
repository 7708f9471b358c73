// Every parser of the Transparency module against the same bytes. Beyond "never crashes", these laws trap:
//   signed note: an accepted note re-serialises to exactly its bytes (canonical base64, one spelling), and
//     a checkpoint read from its text writes the same text back;
//   tlog-proof bundles: the bundles re-serialise to the file's bytes, and every path fits the index and size
//     (a path of the wrong length must be refused by the verifier, never run);
//   consistency bundle: re-serialises to its bytes;
//   log and witness state, verifier keys, witness lists: what is written reads back to the same value,
//     and a verifier key's text is its own canonical spelling;
//   proofs: verifying a parsed path never traps, whatever index, size and hashes it holds.
import Transparency

func law(_ holds: Bool, _ what: String) {
    if !holds { fatalError("law violated: \(what)") }
}

func note(_ bytes: [UInt8]) {
    guard let n = try? SignedNote.parse(bytes[...]) else { return }
    law(n.bytes == bytes, "a note does not re-serialise to its bytes")
    law(n.signatures.count <= SignedNote.maxSignatures, "more signatures than the limit")
    if let c = try? Checkpoint(text: n.text) { law(c.text == n.text, "a checkpoint does not write its text back") }
}

func proofs(_ bytes: [UInt8]) {
    guard let ps = try? TlogProof.parseAll(bytes) else { return }
    law(ps.flatMap(\.bytes) == bytes, "tlog-proof bundles do not re-serialise to the file")
    for p in ps {
        let cp = p.checkpoint.checkpoint
        let leaf = [UInt8](repeating: 7, count: 32)
        if (try? ProofCheck.verifyInclusion(leafHash: leaf, index: p.index, size: cp.size, proof: p.path, root: cp.root)) != nil {
            law(p.index < cp.size && p.path.count == ProofCheck.inclusionProofLength(index: p.index, size: cp.size), "a path of the wrong shape verified")
        }
    }
}

func consistency(_ bytes: [UInt8]) {
    guard let b = try? ConsistencyBundle.parse(bytes) else { return }
    law(b.bytes == bytes, "a consistency bundle does not re-serialise to its bytes")
    let cp = b.checkpoint.checkpoint
    if b.oldSize <= cp.size {
        _ = try? ProofCheck.verifyConsistency(oldSize: b.oldSize, oldRoot: cp.root, newSize: cp.size, newRoot: cp.root, proof: b.proof)
    }
}

func states(_ bytes: [UInt8]) {
    if let s = try? LogState.parse(bytes) { law((try? LogState.parse(s.bytes)) == s, "a log state does not read back") }
    if let w = try? WitnessState.parse(bytes) { law((try? WitnessState.parse(w.bytes)) == w, "a witness state does not read back") }
    if let text = String(validating: bytes, as: UTF8.self), let k = try? NoteVerifierKey(parsing: text) {
        law(k.description == text, "a verifier key is not in its canonical spelling")
    }
    if let ws = try? LogVerifier.parseWitnesses(bytes) {
        law(ws.allSatisfy { $0.type == .cosignatureV1 } && Set(ws.map(\.name)).count == ws.count, "a witness list holds a log key or a name twice")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTransparency(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    note(bytes)
    proofs(bytes)
    consistency(bytes)
    states(bytes)
    return 0
}
