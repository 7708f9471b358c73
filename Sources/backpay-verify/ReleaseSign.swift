import Intake
import Core
import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Schema
import Verify

/// `release sign release.json --key NAME.key`: minisign (and SSH) signatures of a canonical release.
struct ReleaseSign: ParsableCommand, FormattedCommand, QuietOrVerbose {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a canonical release: writes RELEASE.minisig (and RELEASE.sig with --ssh).",
        discussion: """
        Refuses a document that is not a canonical release, one that the disclosure audit from the release \
        alone rejects (the findings of `release audit RELEASE` are printed; exit 1), and one whose sequence and \
        previous do not extend the last release in --chain DIR. The trusted comment records the release id, sequence and SHA-256; its \
        timestamp is SOURCE_DATE_EPOCH when set (reproducible signing), else the current time.

        The signature files are written next to the release (so it must be a file, not -), together or not \
        at all, never over an input (the release, the key, the passphrase file, a release of the chain), and \
        never over an existing file without --force.
        """
    )

    @Argument(help: "The release document (canonical JSON); a file, not -.")
    var release: String

    @Option(help: ArgumentHelp("The secret key (minisign format, mode 0600).", valueName: "NAME.key"))
    var key: String

    @Option(help: ArgumentHelp("Read the key's passphrase from the first line of FILE (mode 0600).", valueName: "FILE"))
    var passphraseFile: String?

    @Option(help: ArgumentHelp("Directory of earlier releases (*.json with .minisig) that this one must extend.", valueName: "DIR"))
    var chain: String?

    @Flag(help: "Also write an OpenSSH signature RELEASE.sig (namespace backpay-release).")
    var ssh = false

    @Flag(help: "Replace existing signature files.")
    var force = false

    @OptionGroup var formatting: FormatOptions<TextOrJSON>
    @OptionGroup var common: CommonOptions

    var outputs: [String] { [release + ".minisig"] + (ssh ? [release + ".sig"] : []) }
    var inputs: [String] { [release, key] + (passphraseFile.map { [$0] } ?? []) }

    func validate() throws {
        if release == "-" { throw ValidationError("the release must be a file, not - (its signatures are written next to it)") }
        do { try Files.refuseOverlap(outputs: outputs, inputs: inputs) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        if !force, let existing = outputs.first(where: Files.exists) {
            throw CommandFailure.couldNotCheck("\(existing): already exists; refusing to overwrite it (use --force to replace it)")
        }
        let bytes = try Files.read(release)
        let vetted: ReleaseSigner.Vetted
        do { vetted = try ReleaseSigner.vet((release, bytes)) } catch { throw refusal(error) }
        let secret = try loadKey()
        var chainDir: ChainDirectory?
        if let chain { chainDir = try loadChain(chain, publicKey: secret.publicKey, release: release, sequence: vetted.header.sequence) }
        let time = try timestamp()
        let output: ReleaseSigner.Output
        do {
            output = try ReleaseSigner.sign(release: vetted, key: secret, chain: chainDir, timestamp: time, ssh: ssh)
        } catch { throw refusal(error) }
        // The chain's files are inputs too: a signature must not replace one of them.
        let chainFiles = chainDir.map { d in d.entries.flatMap { e in [d.file(e.name), d.file(e.name) + ".minisig"] } } ?? []
        var files = [(path: release + ".minisig", bytes: output.minisig.fileBytes, mode: UInt32(0o644))]
        if let sig = output.sshsig { files.append((release + ".sig", sig.fileBytes, 0o644)) }
        try Files.write(files, overwrite: force, inputs: inputs + chainFiles)
        printSummary(format, quiet: common.quiet,
                     json: [("release", .string(release)), ("id", .string("\(output.header.id)")), ("sequence", number(output.header.sequence)),
                            ("key_id", .string("\(secret.keyID)")), ("signatures", .array(outputs.map { .string($0) }))],
                     text: ["\(release).minisig: signed \(output.header.id) sequence \(output.header.sequence) with key \(secret.keyID)"]
                           + (ssh ? ["\(release).sig: signed for namespace \(SSHSignature.releaseNamespace)"] : []))
    }

    /// Why signing was refused (exit 1); an audit's findings are listed first on stderr, one line each.
    private func refusal(_ error: SignRefusal) -> CommandFailure {
        if case .auditFindings(let file, let findings) = error {
            for f in findings { printError("\(file): \(f.code): \(f.message)") }
        }
        return .checkFailed(error.description)
    }

    private func loadKey() throws -> MinisignSecretKey { try loadSecretKey(key, passphraseFile: passphraseFile) }

    private func timestamp() throws -> Int64 {
        guard let env = getenv("SOURCE_DATE_EPOCH") else { return Int64(time(nil)) }
        let text = String(cString: env)
        guard let t = Int64(text), t >= 0, String(t) == text else {
            throw CommandFailure.couldNotCheck("SOURCE_DATE_EPOCH is \(quoteForMessage(text)), not a number of seconds since 1970")
        }
        return t
    }
}

/// Reads and decrypts a minisign secret key file (mode 0600; passphrase from FILE or the terminal). Any
/// problem means the tool could not check (exit 2).
func loadSecretKey(_ key: String, passphraseFile: String?) throws -> MinisignSecretKey {
    do {
        var raw: [UInt8]
        do { raw = try Files.readSecret(key) } catch {
            if case .insecurePermissions = error {
                // A public key is meant to be readable: name the mix-up rather than the file's mode.
                var peek = (try? Files.read(key, limit: MinisignSecretKey.maxFileBytes)) ?? []
                defer { Secret.wipe(&peek) }
                if MinisignKeyKind.of(peek) == .publicKey { throw KeyFileError.isPublicKey }
            }
            throw error
        }
        defer { Secret.wipe(&raw) }
        let file = try MinisignSecretKeyFile.parse(raw)
        var passphrase: SecureBytes?
        if file.isEncrypted {
            if let passphraseFile { passphrase = try Passphrase.fromFile(passphraseFile) }
            else { passphrase = try Passphrase.fromTerminal(prompt: "Passphrase for \(key): ", confirm: false) }
        }
        return try file.decrypt(passphrase: passphrase)
    } catch let e as FileError { throw CommandFailure.couldNotCheck(e.description)
    } catch let e as KeyFileError { throw CommandFailure.couldNotCheck("\(key): \(e)")
    } catch let e as PassphraseError { throw CommandFailure.couldNotCheck(e.description) }
}
