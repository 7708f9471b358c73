import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Schema
import Verify

/// `release sign release.json --key NAME.key`: minisign (and SSH) signatures of a canonical release.
struct ReleaseSign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a canonical release: writes RELEASE.minisig (and RELEASE.sig with --ssh).",
        discussion: """
        Refuses a document that is not a canonical release, and one whose sequence and previous do not extend \
        the last release in --chain DIR. The trusted comment records the release id, sequence and SHA-256; its \
        timestamp is SOURCE_DATE_EPOCH when set (reproducible signing), else the current time.
        """
    )

    @Argument(help: "The release document (canonical JSON).")
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

    func run() throws {
        let outputs = [release + ".minisig"] + (ssh ? [release + ".sig"] : [])
        if !force, let existing = outputs.first(where: Files.exists) {
            printError("\(existing): already exists; refusing to overwrite it (use --force to replace it)")
            throw Status.couldNotCheck
        }
        let bytes: [UInt8]
        do { bytes = try Files.read(release) } catch { printError(error.description); throw Status.couldNotCheck }
        let secret = try loadKey()
        var chainDir: ChainDirectory?
        if let chain {
            do { chainDir = try ChainDirectory.load(chain, publicKey: secret.publicKey) }
            catch { printError(error.description); throw Status.couldNotCheck }
        }
        let time = try timestamp()
        let output: ReleaseSigner.Output
        do {
            output = try ReleaseSigner.sign(release: (release, bytes), key: secret, chain: chainDir,
                                            timestamp: time, ssh: ssh)
        } catch { printError(error.description); throw Status.checkFailed }
        do {
            try Files.writeAtomically(release + ".minisig", output.minisig.fileBytes, overwrite: force)
            if let sig = output.sshsig { try Files.writeAtomically(release + ".sig", sig.fileBytes, overwrite: force) }
        } catch { printError(error.description); throw Status.couldNotCheck }
        printOut("\(release).minisig: signed \(output.header.id) sequence \(output.header.sequence) with key \(secret.keyID)")
        if ssh { printOut("\(release).sig: signed for namespace \(SSHSignature.releaseNamespace)") }
    }

    private func loadKey() throws -> MinisignSecretKey { try loadSecretKey(key, passphraseFile: passphraseFile) }

    private func timestamp() throws -> Int64 {
        guard let env = getenv("SOURCE_DATE_EPOCH") else { return Int64(time(nil)) }
        let text = String(cString: env)
        guard let t = Int64(text), t >= 0, String(t) == text else {
            printError("SOURCE_DATE_EPOCH is \(quoteForMessage(text)), not a number of seconds since 1970")
            throw Status.couldNotCheck
        }
        return t
    }
}

/// Reads and decrypts a minisign secret key file (mode 0600; passphrase from FILE or the terminal). Any
/// problem is printed and means the tool could not check (exit 2).
func loadSecretKey(_ key: String, passphraseFile: String?) throws -> MinisignSecretKey {
    do {
        var raw = try Files.readSecret(key)
        defer { Sodium.wipe(&raw) }
        let file = try MinisignSecretKeyFile.parse(raw)
        var passphrase: SecureBytes?
        if file.isEncrypted {
            if let passphraseFile { passphrase = try Passphrase.fromFile(passphraseFile) }
            else { passphrase = try Passphrase.fromTerminal(prompt: "Passphrase for \(key): ", confirm: false) }
        }
        return try file.decrypt(passphrase: passphrase)
    } catch let e as FileError { printError(e.description); throw Status.couldNotCheck
    } catch let e as KeyFileError { printError("\(key): \(e)"); throw Status.couldNotCheck
    } catch let e as PassphraseError { printError(e.description); throw Status.couldNotCheck }
}
