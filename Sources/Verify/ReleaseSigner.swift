import Core
import Anon
import Schema

/// Why `release sign` refuses to sign.
public enum SignRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case notARelease(file: String, ReleaseDocumentError)
    /// The header reads but the body is not a release document the audit can read.
    case notADocument(file: String, ReleaseDocumentError)
    case auditFailed(file: String, AnonError)
    /// The release-alone audit (what `release audit RELEASE` runs) found something: the findings, in order.
    case auditFindings(file: String, [AuditFinding])
    case chainNeeded(sequence: Int)
    case chainProblems([String])
    case notFirst(last: String, lastSequence: Int)
    case doesNotExtend(expectedSequence: Int, expectedPrevious: [UInt8], lastName: String, sequence: Int, previous: [UInt8]?)
    case trustedComment(SignatureFileError)
    case ssh(SSHSigError)

    public var description: String {
        switch self {
        case .notARelease(let f, let e): return "refusing to sign: \(e.message(file: f))"
        case .notADocument(let f, let e):
            return "refusing to sign: \(f) is not a release document (docs/release-format.md): \(e)"
        case .auditFailed(let f, let e): return "refusing to sign: \(f): the audit could not run: \(e)"
        case .auditFindings(let f, let list):
            return "refusing to sign: \(f): the audit from the release alone has \(list.count) \(list.count == 1 ? "finding" : "findings") (listed above; `release audit \(f)` gives the same); a release its own audit rejects is never signed"
        case .chainNeeded(let s):
            return "refusing to sign: the release has sequence \(s); pass --chain DIR with the earlier releases so that its previous can be checked"
        case .chainProblems(let p): return "refusing to sign: the chain has problems: " + p.joined(separator: "; ")
        case .notFirst(let l, let s): return "refusing to sign: this is a first release (sequence 1), but the chain already holds \(l) (sequence \(s))"
        case .doesNotExtend(let es, let ep, let ln, let s, let p):
            return "refusing to sign: the next release after \(ln) must have sequence \(es) and previous \(ReleaseHeader.digestText(ep)); this one has sequence \(s) and previous \(p.map(ReleaseHeader.digestText) ?? "null")"
        case .trustedComment(let e): return "refusing to sign: \(e)"
        case .ssh(let e): return "refusing to sign: \(e)"
        }
    }
}

/// `release sign`: checks that the document may be signed and makes its signatures.
public enum ReleaseSigner {
    public struct Output: Sendable {
        public let header: ReleaseHeader
        public let minisig: MinisignSignature
        public let sshsig: SSHSignature?
    }

    /// A release that may be signed as far as its own content goes: canonical, and passing the disclosure
    /// audit from the release alone. Only `vet` makes one, so nothing unaudited reaches `sign`.
    public struct Vetted: Sendable {
        public let name: String
        public let bytes: [UInt8]
        public let header: ReleaseHeader
    }

    /// Checks the release itself (before any key or passphrase is asked for).
    public static func vet(_ release: (name: String, bytes: [UInt8])) throws(SignRefusal) -> Vetted {
        let decoded = ReleaseDocument.decode(release.bytes)
        let header: ReleaseHeader
        do { header = try decoded.header.get() } catch { throw .notARelease(file: release.name, error) }
        try audit(release.name, decoded)
        return Vetted(name: release.name, bytes: release.bytes, header: header)
    }

    /// Signs a vetted release that extends the last release in `chain` (nil: no chain given).
    /// - Parameter timestamp: seconds since 1970 for the trusted comment (SOURCE_DATE_EPOCH for reproducible signing).
    public static func sign(release: Vetted, key: MinisignSecretKey, chain: ChainDirectory?,
                            timestamp: Int64, ssh: Bool) throws(SignRefusal) -> Output {
        let header = release.header
        if let chain {
            if !chain.problems.isEmpty { throw .chainProblems(chain.problems) }
            let others = chain.entries.filter { $0.header.digest != header.digest }
            if let last = ReleaseChain.last(others) {
                if header.sequence == 1 { throw .notFirst(last: last.name, lastSequence: last.header.sequence) }
                guard header.sequence == last.header.sequence + 1, header.previous == last.header.digest else {
                    throw .doesNotExtend(expectedSequence: last.header.sequence + 1, expectedPrevious: last.header.digest,
                                         lastName: last.name, sequence: header.sequence, previous: header.previous)
                }
            } else if header.sequence != 1 {
                throw .chainNeeded(sequence: header.sequence)
            }
            let findings = ReleaseChain.findings(target: ChainEntry(name: release.name, header: header), earlier: others)
            if !findings.isEmpty { throw .chainProblems(findings.map(\.description)) }
        } else if header.sequence != 1 {
            throw .chainNeeded(sequence: header.sequence)
        }
        let claims = ReleaseClaims(header: header, timestamp: timestamp)
        let minisig: MinisignSignature
        do { minisig = try MinisignSignature.sign(release.bytes, with: key, trustedComment: claims.description) } catch { throw .trustedComment(error) }
        var sshsig: SSHSignature?
        if ssh {
            do { sshsig = try SSHSignature.sign(release.bytes, with: key.key) } catch { throw .ssh(error) }
        }
        return Output(header: header, minisig: minisig, sshsig: sshsig)
    }

    /// The disclosure audit from the release alone: a signature vouches for the release, so one that its
    /// own audit rejects (a published cell below k, an exactly derivable suppressed value) is refused.
    static func audit(_ name: String, _ decoded: DecodedRelease) throws(SignRefusal) {
        let document: ReleaseDocument
        do { document = try decoded.document.get() } catch { throw .notADocument(file: name, error) }
        let report: ReleaseAuditReport
        do { report = try ReleaseAuditor.audit(document: document, bytes: decoded.bytes) } catch { throw .auditFailed(file: name, error) }
        if !report.findings.isEmpty { throw .auditFindings(file: name, report.findings) }
    }
}
