import Intake
import Core
import Anon
import Schema

/// How the rows given to `release verify --rows` were read, for the week and format the document names.
public enum RowsRead: Sendable {
    /// Read: the week's inputs, or why they cannot be summed (an `inputs` finding of the audit).
    case read(Result<WeekInputs, AnonError>)
    /// The rows could not be read at all (a missing file): the audit could not check.
    case unreadable(String)
}

/// `release verify`: every check over a release decoded once (the CLI reads the files and renders the report).
public enum ReleaseVerifier {
    /// A file as the CLI found it: its name and either its bytes or why it could not be read.
    public typealias Input = (name: String, bytes: Result<[UInt8], FileError>)

    /// Signature, trusted comment, SSH signature, canonical bytes, hash chain, and the disclosure audit under
    /// the model the document's format names (from the release alone, or re-derived from `rows`).
    /// - Parameters:
    ///   - audit: false for callers that need only the signatures (appending to a log, a member's proof).
    ///   - rows: reads the rows for the decoded document (its week, and its format's needs).
    public static func verify(release: (name: String, decoded: DecodedRelease), signature: Input, sshSignature: Input?,
                              publicKey: MinisignPublicKey, chain: ChainDirectory?, audit: Bool = true,
                              rows: ((ReleaseDocument) -> RowsRead)? = nil) -> VerifyReport {
        var report = VerifyReport(release: release.name)
        let header = release.decoded.header
        let releaseBytes = release.decoded.bytes

        // 1. The minisign signature, then the claims of its (signed) trusted comment.
        switch signature.bytes {
        case .failure(let e):
            report.add(Check("signature", .couldNotCheck, e.description))
            report.add(Check("trusted comment", .notRun, "no signature to read it from"))
        case .success(let bytes):
            do {
                let sig = try MinisignSignature.parse(bytes)
                let verdict = sig.verify(releaseBytes, publicKey: publicKey)
                if verdict == .valid {
                    let legacy = sig.algorithm == .legacy ? " (legacy Ed, not prehashed)" : ""
                    report.add(Check("signature", .passed, "\(signature.name): signed by key \(sig.keyID)\(legacy)"))
                    report.add(claimsCheck(sig.trustedComment, release: releaseBytes, header: try? header.get()))
                } else {
                    report.add(Check("signature", .failed, "\(signature.name): \(verdict.message)"))
                    report.add(Check("trusted comment", .notRun, "the signature did not verify"))
                }
            } catch {
                report.add(Check("signature", .failed, "\(signature.name): \(error)"))
                report.add(Check("trusted comment", .notRun, "the signature file could not be read"))
            }
        }

        // 2. The optional SSH signature next to the release.
        if let ssh = sshSignature {
            switch ssh.bytes {
            case .failure(let e): report.add(Check("ssh signature", .couldNotCheck, e.description))
            case .success(let bytes):
                do {
                    let sig = try SSHSignature.parse(bytes)
                    if sig.namespace != SSHSignature.releaseNamespace {
                        report.add(Check("ssh signature", .failed, "\(ssh.name): \(SSHSigError.namespace(expected: SSHSignature.releaseNamespace, found: sig.namespace))"))
                    } else if sig.publicKey != publicKey.key {
                        report.add(Check("ssh signature", .failed, "\(ssh.name): made with a different key than \(publicKey.keyID)"))
                    } else if sig.verify(releaseBytes, namespace: SSHSignature.releaseNamespace, publicKey: publicKey.key) == .valid {
                        report.add(Check("ssh signature", .passed, "\(ssh.name): namespace \(SSHSignature.releaseNamespace), \(sig.hashAlgorithm)"))
                    } else {
                        report.add(Check("ssh signature", .failed, "\(ssh.name): signature does not match the file's bytes"))
                    }
                } catch {
                    report.add(Check("ssh signature", .failed, "\(ssh.name): \(error)"))
                }
            }
        }

        // 3. Canonical bytes and a well-formed header.
        switch header {
        case .success(let h):
            report.add(Check("canonical", .passed, "\(release.name): release \(h.id), sequence \(h.sequence), \(h.digestText)"))
        case .failure(let e):
            report.add(Check("canonical", .failed, e.message(file: release.name)))
        }

        // 4. The hash chain back to the first release.
        if let chain {
            if case .success(let h) = header {
                let findings = ReleaseChain.findings(target: ChainEntry(name: release.name, header: h), earlier: chain.entries)
                let details = chain.problems + findings.map(\.description)
                if details.isEmpty {
                    let n = Set(chain.entries.map(\.header.digest) + [h.digest]).count
                    let top = max(h.sequence, chain.entries.map(\.header.sequence).max() ?? 0)
                    let links = h.sequence == 1 ? "this release is sequence 1" : "links followed from this release (sequence \(h.sequence)) back to 1 by sha256"
                    report.add(Check("chain", .passed, "\(chain.path): \(n) release\(n == 1 ? "" : "s") with sequence\(top == 1 ? " 1" : "s 1 to \(top)"), no gap, fork or replaced week; \(links)"))
                } else {
                    report.add(Check("chain", .failed, "\(chain.path): \(details.count) finding\(details.count == 1 ? "" : "s")", details: details))
                }
            } else {
                report.add(Check("chain", .notRun, "the release's header could not be read"))
            }
        } else if case .success(let h) = header {
            // Without the earlier releases nothing says this one extends the history buyers already hold.
            let what = h.sequence == 1 ? "a first release (sequence 1); --chain DIR would also look for forks and a replaced week"
                                       : "sequence \(h.sequence) names a previous release; pass --chain DIR with the earlier releases to check the hash chain"
            report.add(Check("chain", .notChecked, "no --chain DIR given: \(what)"))
        }

        // 5. The disclosure audit, under the attacker model of the document's format.
        if audit { report.add(auditCheck(release.name, release.decoded, rows: rows)) }
        return report
    }

    /// The audit of the decoded document: a document that cannot be decoded, or rows that cannot be read,
    /// mean "could not check"; findings fail the check.
    static func auditCheck(_ name: String, _ decoded: DecodedRelease, rows: ((ReleaseDocument) -> RowsRead)?) -> Check {
        let document: ReleaseDocument
        switch decoded.document {
        case .success(let d): document = d
        case .failure(let e): return Check("audit", .couldNotCheck, "\(name) is not a release document (docs/release-format.md): \(e)")
        }
        var inputs: Result<WeekInputs, AnonError>? = nil
        if let rows {
            switch rows(document) {
            case .read(let r): inputs = r
            case .unreadable(let message): return Check("audit", .couldNotCheck, message)
            }
        }
        let report: ReleaseAuditReport
        do { report = try ReleaseAuditor.audit(document: document, bytes: decoded.bytes, inputs: inputs, previous: nil) } catch {
            return Check("audit", .couldNotCheck, "\(error)")
        }
        let scope = (report.rowsChecked ? "re-derived from the rows" : "from the release alone") + " under \(report.model)"
        if report.findings.isEmpty {
            return Check("audit", .passed, "no disclosure findings \(scope): \(report.publishedPositions) published, \(report.suppressedPositions) suppressed")
        }
        let n = report.findings.count
        return Check("audit", .failed, "\(n) disclosure \(n == 1 ? "finding" : "findings") \(scope)", findings: report.findings)
    }

    static func claimsCheck(_ comment: String, release: [UInt8], header: ReleaseHeader?) -> Check {
        guard let claims = ReleaseClaims.parse(comment) else {
            return Check("trusted comment", .failed, "makes no backpay-release claims: \(quoteForMessage(comment))")
        }
        // Without a readable header only the digest claim can be compared.
        let wrong = header.map { claims.mismatches(with: $0) } ?? claims.mismatches(digest: SHA256.hash(release))
        if !wrong.isEmpty { return Check("trusted comment", .failed, wrong.joined(separator: "; ")) }
        return Check("trusted comment", .passed, claims.description)
    }
}
