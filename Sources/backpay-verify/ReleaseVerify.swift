import Intake
import Core
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
        let decoded = ReleaseDocument.decode(bytes)
        var chainDir: ChainDirectory?
        if let chain {
            do { chainDir = try loadChain(chain, publicKey: key, release: release, sequence: (try? decoded.header.get())?.sequence) }
            catch { try couldNotStart(error.message) }
        }
        let readRows: ((ReleaseDocument) -> RowsRead)? = rows.isEmpty ? nil : { self.readRows($0) }
        let report = ReleaseVerifier.verify(release: (release, decoded), signature: signature, sshSignature: ssh,
                                            publicKey: key, chain: chainDir, rows: readRows)

        if format == .text {
            let lines = report.textLines(quiet: common.quiet)
            if !lines.isEmpty { printOut(lines.joined(separator: "\n")) }
            for f in report.findings { printError("\(displayName(release)): \(f.code): \(f.message)") }
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

    /// The rows of --rows, read for the document's week as `release build --quarantine` reads them.
    func readRows(_ document: ReleaseDocument) -> RowsRead {
                switch readWeek(rows, threads: reading.count, week: document.week, lateThrough: nil, validator: PayloadValidator.embedded(today: today.day), quarantine: { _ in },
                        progress: progressAllowed(quiet: common.quiet), keepContributions: document.formatVersion == 2) {
        case .success(let i): return .read(.success(i))
        case .failure(.aggregate(let e)): return .read(.failure(e))
        case .failure(let e): return .unreadable(e.description)
        }
    }
}
