import ArgumentParser
import Schema
import Verify

/// `release verify release.json --pubkey union.pub [--chain DIR]`: signature, claims, canonical bytes,
/// hash chain and (once integrated) the disclosure audit, one summary line per check.
struct ReleaseVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a signed release: signature, trusted comment, canonical bytes and the hash chain.",
        discussion: """
        Reads RELEASE.minisig (and RELEASE.sig when present). Exit status: 0 every check passed, 1 a check \
        failed, 2 a check could not be made (missing file, malformed key), 64 usage error.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "The release document.")
    var release: String

    @Option(help: ArgumentHelp("The union's public key (minisign format).", valueName: "FILE"))
    var pubkey: String

    @Option(help: ArgumentHelp("Directory of earlier releases (*.json with .minisig) to check the hash chain against.", valueName: "DIR"))
    var chain: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Day-rows to re-derive the cells from (not available yet).", valueName: "F"))
    var rows: [String] = []

    @Option(help: "Output format.")
    var format: Format = .text

    @OptionGroup var common: CommonOptions

    func validate() throws {
        // HOOK(release-audit): --rows re-derives the cells through Anon's `release audit`; until that is
        // integrated here, refuse it rather than pretend to have checked.
        if !rows.isEmpty {
            throw ValidationError("--rows is not available in this build: re-deriving cells needs the release audit, which is not integrated yet")
        }
    }

    func run() throws {
        let key: MinisignPublicKey
        do { key = try MinisignPublicKey.parse(try Files.read(pubkey, limit: 1 << 16)) }
        catch let e as FileError { printError(e.description); throw Status.couldNotCheck }
        catch let e as KeyFileError { printError("\(pubkey): \(e)"); throw Status.couldNotCheck }
        let bytes: [UInt8]
        do { bytes = try Files.read(release) } catch { printError(error.description); throw Status.couldNotCheck }
        let sigName = release + ".minisig", sshName = release + ".sig"
        let signature = (sigName, Result { () throws(FileError) in try Files.read(sigName, limit: 1 << 20) })
        let ssh = Files.exists(sshName) ? (sshName, Result { () throws(FileError) in try Files.read(sshName, limit: 1 << 20) }) : nil
        var chainDir: ChainDirectory?
        if let chain {
            do { chainDir = try ChainDirectory.load(chain, publicKey: key) }
            catch { printError(error.description); throw Status.couldNotCheck }
        }
        var report = ReleaseVerifier.verify(release: (release, bytes), signature: signature, sshSignature: ssh,
                                            publicKey: key, chain: chainDir)
        // HOOK(release-audit): run Anon's release audit on `bytes` (and the --rows) and pass its verdict to
        // report.addAudit(Check("audit", …)). Until then the report states plainly that no audit ran.
        report.addAudit(Check("audit", .notRun, "the release audit is not integrated in this build"))

        switch format {
        case .text:
            let lines = report.textLines(quiet: common.quiet)
            if !lines.isEmpty { printOut(lines.joined(separator: "\n")) }
        case .json:
            do { writeOut(try CanonicalJSON.serialize(report.json) + [0x0A]) }
            catch { printError("could not write the JSON report: \(error)"); throw Status.couldNotCheck }
        }
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}
