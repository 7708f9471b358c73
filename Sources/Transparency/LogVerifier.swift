import Anon
import Verify

/// A checkpoint as given to `log verify`: bare, or with a consistency proof (a `log prove` bundle).
public struct CheckpointFile: Sendable {
    public let name: String
    public let checkpoint: SignedCheckpoint
    public let bundle: ConsistencyBundle?

    /// A checkpoint carried by another file (a `log prove --release` inclusion proof).
    public init(name: String, checkpoint: SignedCheckpoint) {
        self.name = name; self.checkpoint = checkpoint; self.bundle = nil
    }

    public init(name: String, bytes: [UInt8]) throws(FormatError) {
        self.name = name
        if ConsistencyBundle.looksLikeBundle(bytes) {
            let b = try ConsistencyBundle.parse(bytes)
            bundle = b; checkpoint = b.checkpoint
        } else {
            bundle = nil; checkpoint = try SignedCheckpoint.parse(bytes[...])
        }
    }
}

/// Accepts a log's newest checkpoint only when: every file's log signature verifies under the log's key;
/// no two files show one size with two roots; every older checkpoint given (and the verifier's trusted one)
/// is proven a prefix of it; and at least `quorum` of the listed witnesses cosigned it.
public enum LogVerifier {
    public static func verify(files: [CheckpointFile], logKey: NoteVerifierKey, trusted: (name: String, checkpoint: Checkpoint)?,
                              witnesses: [NoteVerifierKey], quorum: Int) -> (report: VerifyReport, accepted: SignedCheckpoint?) {
        var report = VerifyReport(release: files.map(\.name).joined(separator: ", "))
        for f in files {
            let cp = f.checkpoint.checkpoint
            guard cp.origin == logKey.name else {
                report.add(Check("log signature", .failed, "\(f.name): \(ConsistencyFinding.otherOrigin(expected: logKey.name, found: cp.origin))"))
                return (report, nil)
            }
            do { _ = try f.checkpoint.note.verify(with: [logKey]) } catch {
                report.add(Check("log signature", .failed, error.at(f.name)))
                return (report, nil)
            }
        }
        guard let newest = files.max(by: { $0.checkpoint.checkpoint.size < $1.checkpoint.checkpoint.size }) else {
            report.add(Check("log signature", .couldNotCheck, "no checkpoint given"))
            return (report, nil)
        }
        let top = newest.checkpoint.checkpoint
        report.add(Check("log signature", .passed, "\(files.count == 1 ? newest.name : "\(files.count) files") signed by \(logKey.name) (\(String(logKey.keyID, radix: 16))); newest: size \(top.size) in \(newest.name)"))

        // Every pair of views must fit one history.
        var findings: [String] = []
        var unproven: [String] = []
        for (i, a) in files.enumerated() {
            for b in files[(i + 1)...] where a.checkpoint.checkpoint.size == b.checkpoint.checkpoint.size && a.checkpoint.checkpoint.root != b.checkpoint.checkpoint.root {
                findings.append(ConsistencyFinding.splitView(first: a.name, second: b.name, size: a.checkpoint.checkpoint.size).description)
            }
        }
        var olders: [(String, Checkpoint)] = files.filter { $0.checkpoint.checkpoint.size < top.size }.map { ($0.name, $0.checkpoint.checkpoint) }
        if let trusted { olders.insert((trusted.name + " (trusted)", trusted.checkpoint), at: 0) }
        if findings.isEmpty {
            for (name, old) in olders {
                do {
                    try Witnessing.checkConsistency(trusted: WitnessState.Head(size: old.size, root: old.root), trustedName: name, new: top, newName: newest.name,
                                                    proofFrom: newest.bundle?.oldSize, proof: newest.bundle?.proof ?? [])
                } catch .wrongOldSize {
                    unproven.append("no consistency proof from size \(old.size) (\(name)) to \(top.size) (\(newest.name)): give `log prove --since \(old.size)` output")
                } catch {
                    findings.append(error.description)
                }
            }
        }
        if !findings.isEmpty {
            report.add(Check("consistency", .failed, findings[0], details: Array(findings.dropFirst())))
            return (report, nil)
        }
        if !unproven.isEmpty {
            report.add(Check("consistency", .couldNotCheck, unproven[0], details: Array(unproven.dropFirst())))
            return (report, nil)
        }
        report.add(Check("consistency", olders.isEmpty ? .notRun : .passed,
                         olders.isEmpty ? "no earlier checkpoint to compare with (no --since or state yet)" : "extends \(olders.map(\.0).joined(separator: ", ")) (append-only)"))

        // Cosignatures, pooled over the files that carry this very checkpoint.
        guard quorum > 0 || !witnesses.isEmpty else { return (report, newest.checkpoint) }
        let sigs = files.filter { $0.checkpoint.note.text == newest.checkpoint.note.text }.flatMap(\.checkpoint.note.signatures)
        var cosigned: [String] = []
        for w in witnesses {
            let mine = sigs.filter { $0.name == w.name && $0.keyID == w.keyID }
            var ok = false
            for s in mine {
                guard w.verify(s.signature, text: newest.checkpoint.note.text).valid else {
                    report.add(Check("witnesses", .failed, "\(newest.name):\(s.line):1: cosignature of \(w.name) does not verify: the checkpoint is rejected"))
                    return (report, nil)
                }
                ok = true
            }
            if ok { cosigned.append(w.name) }
        }
        if cosigned.count < quorum {
            report.add(Check("witnesses", .failed, "\(cosigned.count) of the \(witnesses.count) listed witnesses cosigned size \(top.size); the quorum is \(quorum)\(cosigned.isEmpty ? "" : " (\(cosigned.joined(separator: ", ")))")"))
            return (report, nil)
        }
        report.add(Check("witnesses", .passed, "\(cosigned.count) of \(witnesses.count) witnesses cosigned (quorum \(quorum)): \(cosigned.joined(separator: ", "))"))
        return (report, newest.checkpoint)
    }

    /// Witness keys: one `NAME+HEX8+BASE64` (type 0x04) per line; empty lines and `#` comments skipped.
    public static func parseWitnesses(_ bytes: [UInt8]) throws(FormatError) -> [NoteVerifierKey] {
        var keys: [NoteVerifierKey] = []
        for (i, line) in try NoteText.lines(bytes[...]).enumerated() {
            let t = NoteText.string(line).trimmingSpaces
            if t.isEmpty || t.hasPrefix("#") { continue }
            let expected = "a witness key NAME+HEX8+BASE64 (type 0x04) listed once"
            guard let k = try? NoteVerifierKey(parsing: t), k.type == .cosignatureV1, !keys.contains(where: { $0.name == k.name }) else {
                throw .unexpected(line: i + 1, expected: expected, found: t)
            }
            keys.append(k)
        }
        return keys
    }
}

extension String {
    /// Without leading and trailing spaces, in one pass from each end (dropLast() counts the string each
    /// time: a long line of spaces took seconds, found by fuzz-transparency).
    fileprivate var trimmingSpaces: String {
        guard let first = firstIndex(where: { $0 != " " }), let last = lastIndex(where: { $0 != " " }) else { return "" }
        return String(self[first...last])
    }
}
