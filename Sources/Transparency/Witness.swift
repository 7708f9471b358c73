import Verify

/// Why two views of a log cannot both be true, or why a checkpoint was not accepted.
public enum ConsistencyFinding: Error, Hashable, Sendable, CustomStringConvertible {
    /// Two checkpoints of one size with different roots: the log showed two histories.
    case splitView(first: String, second: String, size: Int)
    /// The proof does not show the older tree is a prefix of the newer: also two histories.
    case inconsistent(old: String, oldSize: Int, new: String, newSize: Int, why: String)
    /// The newer checkpoint is smaller than one already trusted (a rollback).
    case rollback(trusted: String, trustedSize: Int, new: String, newSize: Int)
    /// The proof starts from another size than the one trusted (tlog-witness's 409).
    case wrongOldSize(trusted: Int, proofFrom: Int)
    /// The checkpoint is for another log.
    case otherOrigin(expected: String, found: String)
    /// A witness with no state for the log got a proof from a size other than 0 (C2SP tlog-witness: the
    /// witness's size for an unknown log is 0), so trusting the log on first use is never implicit.
    case firstSightNotFromZero(state: String, origin: String, proofFrom: Int)

    public var description: String {
        switch self {
        case .splitView(let a, let b, let n): return "split view: \(a) and \(b) are both of size \(n) with different roots"
        case .inconsistent(let a, let m, let b, let n, let why): return "split view: \(a) (size \(m)) and \(b) (size \(n)) are not consistent: \(why)"
        case .rollback(let a, let m, let b, let n): return "rollback: \(b) has size \(n), smaller than size \(m) of \(a), already trusted"
        case .wrongOldSize(let t, let p): return "the proof starts at size \(p), but the last trusted checkpoint has size \(t): ask the log for `log prove --since \(t)`"
        case .otherOrigin(let e, let f): return "checkpoint is for origin \(f), not \(e)"
        case .firstSightNotFromZero(let s, let o, let p):
            return "\(s) has no checkpoint of \(o), so the request must start at `old 0` (trust on first use, made explicit), not `old \(p)`: ask the log for `log prove --since 0` to start witnessing it"
        }
    }
}

public enum Witnessing {
    /// Checks that `new` extends the trusted head (`trusted`, named `trustedName`) by `proof` from
    /// `proofFrom`: equal sizes need equal roots, a smaller size is a rollback, a proof from another size
    /// cannot be used.
    public static func checkConsistency(trusted: WitnessState.Head?, trustedName: String, new: Checkpoint, newName: String,
                                        proofFrom: Int?, proof: [TreeHash]) throws(ConsistencyFinding) {
        guard let trusted else { return }   // first sight of this log: trusted on first use (cosign requires old 0)
        if new.size == trusted.size {
            guard new.root == trusted.root else { throw .splitView(first: trustedName, second: newName, size: new.size) }
            return
        }
        guard new.size > trusted.size else { throw .rollback(trusted: trustedName, trustedSize: trusted.size, new: newName, newSize: new.size) }
        guard let from = proofFrom, from == trusted.size else { throw .wrongOldSize(trusted: trusted.size, proofFrom: proofFrom ?? 0) }
        do {
            try ProofCheck.verifyConsistency(oldSize: trusted.size, oldRoot: trusted.root, newSize: new.size, newRoot: new.root, proof: proof)
        } catch {
            throw .inconsistent(old: trustedName, oldSize: trusted.size, new: newName, newSize: new.size, why: error.description)
        }
    }

    /// A witness cosigns `bundle`'s checkpoint: the log's signature verified with `logKey`, consistent with
    /// the witness's last cosigned head for the origin. Returns the checkpoint with the cosignature added
    /// (its other signatures kept) and the witness's new state.
    public static func cosign(bundle: ConsistencyBundle, bundleName: String, logKey: NoteVerifierKey, state: WitnessState,
                              stateName: String, signer: NoteSigner, timestamp: UInt64) throws -> (SignedCheckpoint, WitnessState) {
        let cp = bundle.checkpoint.checkpoint
        guard cp.origin == logKey.name else { throw ConsistencyFinding.otherOrigin(expected: logKey.name, found: cp.origin) }
        _ = try bundle.checkpoint.note.verify(with: [logKey])
        let trusted = state[cp.origin]
        if trusted == nil, bundle.oldSize != 0 { throw ConsistencyFinding.firstSightNotFromZero(state: stateName, origin: cp.origin, proofFrom: bundle.oldSize) }
        try checkConsistency(trusted: trusted, trustedName: "\(stateName) (last cosigned)", new: cp, newName: bundleName,
                             proofFrom: trusted == nil ? nil : bundle.oldSize, proof: bundle.proof)
        var next = state
        next[cp.origin] = WitnessState.Head(size: cp.size, root: cp.root)
        return (bundle.checkpoint.adding(signer.sign(bundle.checkpoint.note.text, timestamp: timestamp)), next)
    }
}
