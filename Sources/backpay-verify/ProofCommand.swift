import Intake
import Core
import Anon
import ArgumentParser
import Schema
import Transparency
import Verify

/// `proof verify PROOF --pubkey union.pub [--payload DAY.json…] [--release R]`: a member checks that their
/// days were counted in a release.
struct ProofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof",
        abstract: "Check inclusion proofs: that a member's days are among a release's inputs.",
        subcommands: [Verify.self]
    )

    struct Verify: ParsableCommand, FormattedCommand, QuietOrVerbose {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check a member's proof file: one line per day, exit 0 when every day was counted.",
            discussion: """
            The checkpoint must be signed by the union's key (its note name is the checkpoint's origin, \
            PREFIX/inputs/WEEK). Each day's audit path must lead from its leaf to the signed root; each payload \
            given must be the leaf of its day. With --release, the release's signature (RELEASE.minisig) is \
            verified too and the checkpoint must be its inputs (root and payload count). Findings (exit 1): a day \
            counted twice, a day of another member, a payload with no proof or that is not the leaf, a checkpoint \
            not the union's. Exit 2: a file cannot be read or is not in the format (docs/transparency-format.md).
            """
        )

        @Argument(help: "The member's proof file (PANELIST.tlog-proofs); several to check a whole folder (without --payload).")
        var proofs: [String]

        @Option(help: ArgumentHelp("The union's public key (minisign format).", valueName: "FILE"))
        var pubkey: String

        @Option(parsing: .upToNextOption, help: ArgumentHelp("The member's payloads of the week, as the meter sent them.", valueName: "DAY.json"))
        var payload: [String] = []

        @Option(help: ArgumentHelp("The release (with RELEASE.minisig beside it) whose inputs the proof must be.", valueName: "RELEASE"))
        var release: String?

        @OptionGroup var today: TodayOptions

        @OptionGroup var formatting: FormatOptions<TextOrJSON>

        @OptionGroup var common: CommonOptions

        func validate() throws {
            if proofs.isEmpty { throw ValidationError("give a proof file") }
            if proofs.count > 1 && !payload.isEmpty { throw ValidationError("--payload compares one member's payloads with one proof file; give one proof file") }
        }

        func run() throws {
            let key = try readPublicKey(pubkey)
            let payloads = try payload.map(readPayload)
            var facts: ReleaseFacts? = nil
            var releaseCheck: Check? = nil
            if let release {
                let (f, c) = try checkRelease(release, key: key)
                facts = f; releaseCheck = c
            }
            var reports: [VerifyReport] = []
            for proof in proofs {
                var report: VerifyReport
                do {
                    let bundles = try TlogProof.parseAll(try readFile(proof, limit: 1 << 22))
                    report = MemberProofVerifier.verify(proofName: displayName(proof), bundles: bundles, unionKey: key.key, payloads: payloads, release: facts)
                } catch let e as FormatError {
                    guard proofs.count > 1 else { throw CommandFailure.couldNotCheck(located(proof, e)) }
                    report = VerifyReport(release: displayName(proof))
                    report.add(Check("format", .couldNotCheck, located(proof, e)))
                }
                if let releaseCheck {
                    var withRelease = VerifyReport(release: report.release)
                    withRelease.add(releaseCheck)
                    if releaseCheck.status == .passed { for c in report.checks { withRelease.add(c) } }
                    report = withRelease
                }
                reports.append(report)
            }
            guard reports.count > 1 else { return try finish(reports[0], format, quiet: common.quiet) }
            // Several files: each file's lines, then one summary; JSON holds every report.
            let worst = reports.map(\.exitStatus).contains(1) ? 1 : reports.map(\.exitStatus).max() ?? 0
            let passed = reports.filter { $0.exitStatus == 0 }.count
            if format == .json {
                var o = JSONObject()
                o.set("status", number(Int(worst)))
                o.set("reports", .array(reports.map(\.json)))
                printJSON(.object(o))
            } else {
                for r in reports where !common.quiet || r.exitStatus != 0 {
                    for line in r.textLines(quiet: common.quiet) { printOut("\(r.release): \(line)") }
                }
                if !common.quiet || worst != 0 { printOut("\(passed) of \(reports.count) proof files: every day counted") }
            }
            if worst != 0 { throw ExitCode(worst) }
        }

        /// A payload file, validated; its canonical bytes are what the leaf hashes.
        func readPayload(_ path: String) throws -> MemberPayload {
            let bytes = try readFile(path, limit: 1 << 20)
            let validator = PayloadValidator.embedded(today: today.day)
            guard var decoder = PayloadDecoder(schema: validator.root) else { throw CommandFailure.couldNotCheck("the payload schema does not decode") }
            let (report, decoded) = bytes.withUnsafeBytes { validator.decode($0, with: &decoder) }
            guard let p = decoded else {
                let v = report.violations.first
                throw CommandFailure.couldNotCheck("\(displayName(path)):\(v.map { "\($0.location.line):\($0.location.column): \($0.pointer.display): \($0.message)" } ?? "1:1: not a payload")")
            }
            return MemberPayload(name: displayName(path), panelist: p.panelist, date: p.date, canonicalBytes: p.canonicalBytes)
        }

        /// Verifies the release's minisign signature with the union's key and reads its inputs.
        func checkRelease(_ path: String, key: MinisignPublicKey) throws -> (ReleaseFacts?, Check) {
            let bytes = try readFile(path, limit: 256 << 20)
            let sigName = path + ".minisig"
            let sig = (sigName, Result { () throws(FileError) in try Files.read(sigName, limit: 1 << 20) })
            let verified = ReleaseVerifier.verify(release: (path, ReleaseDocument.decode(bytes)), signature: sig, sshSignature: nil, publicKey: key, chain: nil, audit: false)
            if let bad = verified.checks.first(where: { $0.status == .failed || $0.status == .couldNotCheck }) {
                return (nil, Check("release", bad.status, "\(displayName(path)): \(bad.name): \(bad.summary)"))
            }
            let doc: ReleaseDocument
            do { doc = try loadRelease(path).document } catch let e as CommandFailure { return (nil, Check("release", .couldNotCheck, e.message)) }
            return (ReleaseFacts(name: displayName(path), week: doc.week, payloadCount: doc.payloadCount, merkleRoot: doc.merkleRoot),
                    Check("release", .passed, "\(displayName(path)) is signed by the union's key (\(key.keyID)): \(doc.week), \(doc.payloadCount) payloads"))
        }
    }
}
