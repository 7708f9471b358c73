import Anon
import ArgumentParser
import Schema
import Verify

/// `release verify release.json --pubkey union.pub [--chain DIR]`: signature, claims, canonical bytes,
/// hash chain and the disclosure audit (re-derived from rows with --rows), one summary line per check.
struct ReleaseVerify: ParsableCommand, FormattedCommand, QuietOrVerbose {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a signed release: signature, trusted comment, canonical bytes, hash chain and disclosure audit.",
        discussion: """
        Reads RELEASE.minisig (and RELEASE.sig when present). Exit status: 0 every check passed, 1 a check \
        failed, 2 a check could not be made (missing file, malformed key), 64 usage error.
        """
    )

    @Argument(help: "The release document.")
    var release: String

    @Option(help: ArgumentHelp("The union's public key (minisign format).", valueName: "FILE"))
    var pubkey: String

    @Option(help: ArgumentHelp("Directory of earlier releases (*.json with .minisig) to check the hash chain against.", valueName: "DIR"))
    var chain: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Payload JSON-lines files to re-derive every published number from.", valueName: "F"))
    var rows: [String] = []

    @OptionGroup var today: TodayOptions

    @OptionGroup var formatting: FormatOptions<TextOrJSON>

    @OptionGroup var reading: ReadingOptions

    @OptionGroup var common: CommonOptions

    func run() throws {
        let key: MinisignPublicKey
        do { key = try MinisignPublicKey.parse(try Files.read(pubkey, limit: 1 << 16)) }
        catch let e as FileError { try couldNotStart(e.description) }
        catch let e as KeyFileError { try couldNotStart("\(pubkey): \(e)") }
        let bytes: [UInt8]
        do { bytes = try Files.read(release) } catch { try couldNotStart(error.description) }
        let sigName = release + ".minisig", sshName = release + ".sig"
        let signature = (sigName, Result { () throws(FileError) in try Files.read(sigName, limit: 1 << 20) })
        let ssh = Files.exists(sshName) ? (sshName, Result { () throws(FileError) in try Files.read(sshName, limit: 1 << 20) }) : nil
        var chainDir: ChainDirectory?
        if let chain {
            do { chainDir = try loadChain(chain, publicKey: key, release: release, sequence: (try? ReleaseHeader.read(bytes))?.sequence) }
            catch { try couldNotStart(error.message) }
        }
        var report = ReleaseVerifier.verify(release: (release, bytes), signature: signature, sshSignature: ssh,
                                            publicKey: key, chain: chainDir)
        let (audit, findings) = auditCheck(bytes)
        report.addAudit(audit)

        if format == .text {
            let lines = report.textLines(quiet: common.quiet)
            if !lines.isEmpty { printOut(lines.joined(separator: "\n")) }
            for f in findings { printError("\(displayName(release)): \(f.code): \(f.message)") }
        } else {
            printJSON(report.json)
        }
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }

    /// A check that could not start (key, release or chain folder unreadable): exit 2.
    func couldNotStart(_ message: String) throws -> Never { throw CommandFailure.couldNotCheck(message) }

    /// The verify report's shape for a run that could not start: one check, `inputs`, that could not check.
    func failureDocument(_ failure: CommandFailure) -> JSONValue {
        var report = VerifyReport(release: displayName(release))
        report.add(Check("inputs", .couldNotCheck, failure.message))
        return report.json
    }

    /// The disclosure audit of the release (Anon): from the release alone, and re-derived from the rows
    /// when given. A release that cannot be decoded or rows that cannot be read mean "could not check".
    func auditCheck(_ bytes: [UInt8]) -> (Check, [AuditFinding]) {
        let document: ReleaseDocument
        do { document = try ReleaseDocument(json: try StrictJSON.parse(bytes)) } catch {
            return (Check("audit", .couldNotCheck, "\(displayName(release)) is not a release document (docs/release-format.md): \(error)"), [])
        }
        var inputs: Result<WeekInputs, AnonError>? = nil
        if !rows.isEmpty {
            switch readWeek(rows, threads: reading.count, week: document.week, lateThrough: nil, validator: PayloadValidator.embedded(today: today.day), quarantine: { _ in },
                            progress: progressAllowed(quiet: common.quiet), keepContributions: document.formatVersion == 2) {
            case .success(let i): inputs = .success(i)
            case .failure(.aggregate(let e)): inputs = .failure(e)
            case .failure(let e): return (Check("audit", .couldNotCheck, e.description), [])
            }
        }
        let report: ReleaseAuditReport
        do { report = try ReleaseAuditor.audit(document: document, bytes: bytes, inputs: inputs, previous: nil) } catch {
            return (Check("audit", .couldNotCheck, "\(error)"), [])
        }
        let scope = (report.rowsChecked ? "re-derived from the rows" : "from the release alone") + " under \(report.model)"
        if report.findings.isEmpty {
            return (Check("audit", .passed, "no disclosure findings \(scope): \(report.publishedPositions) published, \(report.suppressedPositions) suppressed"), [])
        }
        let n = report.findings.count
        // Text lists the findings on stderr; a JSON report must hold them itself, as the check's details.
        let (listed, details) = format == .json ? ("listed in details", report.findings.map(\.description)) : ("listed on stderr", [])
        return (Check("audit", .failed, "\(n) disclosure \(n == 1 ? "finding" : "findings") \(scope) (\(listed)); first: \(report.findings[0])",
                      details: details), report.findings)
    }
}
