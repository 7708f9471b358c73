import Verify

/// That a statement is in the union's log: the C2SP tlog-proof@v1 bundle `log prove --release` writes
/// (index, audit path, the log's checkpoint) and its check against the statement recomputed by the verifier.
public enum LogInclusion {
    /// The proof that `entry` is in `state`'s log under `checkpoint` (the checkpoint of all its entries);
    /// nil when the entry is not in the log.
    public static func proof(of entry: String, in state: LogState, checkpoint: SignedCheckpoint) -> TlogProof? {
        guard let index = state.entries.firstIndex(of: entry) else { return nil }
        return TlogProof(extra: nil, index: index, path: state.tree.inclusionProof(index: index), checkpoint: checkpoint)
    }

    /// Whether `proof`'s audit path leads from `entry`'s leaf at its index to its checkpoint's root. The
    /// checkpoint's signatures are checked by the caller (LogVerifier), not here.
    public static func check(entry: String, entryName: String, proof: TlogProof, proofName: String) -> Check {
        let cp = proof.checkpoint.checkpoint
        do {
            try ProofCheck.verifyInclusion(leafHash: RFC6962.leafHash(LogState.leaf(entry)), index: proof.index, size: cp.size, proof: proof.path, root: cp.root)
            return Check("inclusion", .passed, "\(entryName) is entry \(proof.index) of \(cp.origin) at size \(cp.size) (\(entry))")
        } catch {
            return Check("inclusion", .failed, "\(proofName):\(proof.line):1: \(entryName) (\(entry)) is not entry \(proof.index) of \(cp.origin) at size \(cp.size): \(error)")
        }
    }
}
