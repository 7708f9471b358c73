import Intake
import Core
import ArgumentParser
import Schema
import Transparency
import Verify

/// `key generate|show`: the union's signing key, in minisign's file formats.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Make and show release signing keys (minisign formats; SSH allowed_signers line).",
        subcommands: [Generate.self, Show.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new key pair NAME.pub and NAME.key (encrypted with a passphrase unless --unencrypted).",
            discussion: """
            The secret key is encrypted with scrypt as minisign does (about 1 GiB of memory and a few seconds), \
            with a passphrase asked on the terminal or read from --passphrase-file. NAME.key is created with mode \
            0600; existing files are never overwritten. The two files are written together or not at all: the \
            secret key's temporary file is unnamed (it vanishes if the command is killed), holds only the \
            encrypted key (unless --unencrypted) and has mode 0600 from its creation.
            """
        )

        @Option(help: ArgumentHelp("Write NAME.pub and NAME.key (a path, not -).", valueName: "NAME"))
        var out: String

        @Option(help: ArgumentHelp("Read the passphrase from the first line of FILE (mode 0600).", valueName: "FILE"))
        var passphraseFile: String?

        @Flag(help: "Store the secret key unencrypted (for automated signing; anyone who can read it can sign).")
        var unencrypted = false

        func validate() throws {
            if unencrypted && passphraseFile != nil {
                throw ValidationError("--unencrypted and --passphrase-file exclude each other: an unencrypted key has no passphrase")
            }
            if out == "-" { throw ValidationError("--out must name the key files, not - (two files are written: NAME.pub and NAME.key)") }
            do { try Files.refuseOverlap(outputs: [out + ".key", out + ".pub"], inputs: passphraseFile.map { [$0] } ?? []) }
            catch { throw ValidationError(error.description) }
        }

        func run() throws {
            let pubPath = out + ".pub", keyPath = out + ".key"
            for p in [keyPath, pubPath] where Files.exists(p) {
                throw CommandFailure.couldNotCheck("\(p): already exists; key files are never overwritten (choose another --out NAME)")
            }
            let passphrase: SecureBytes?
            do {
                if unencrypted {
                    passphrase = nil
                    printError("warning: \(keyPath) will not be encrypted; anyone who can read it can sign releases")
                } else if let passphraseFile {
                    passphrase = try Passphrase.fromFile(passphraseFile)
                } else {
                    passphrase = try Passphrase.fromTerminal(prompt: "Passphrase for \(keyPath): ", confirm: true)
                }
            } catch { throw CommandFailure.couldNotCheck(error.description) }
            let key = MinisignSecretKey(keyID: .random(), key: .generate())
            do {
                var secret = try key.fileBytes(passphrase: passphrase)
                defer { Secret.wipe(&secret) }
                try Files.write([(keyPath, secret, 0o600), (pubPath, key.publicKey.fileBytes, 0o644)], overwrite: false,
                                inputs: passphraseFile.map { [$0] } ?? [])
            } catch let e as KeyFileError { throw CommandFailure.couldNotCheck("\(keyPath): \(e)") }
            printOut("key id: \(key.keyID)")
            printOut("public key: \(pubPath)")
            printOut("secret key: \(keyPath)\(passphrase == nil ? " (unencrypted)" : "")")
        }
    }

    struct Show: ParsableCommand, FormattedCommand, QuietOrVerbose {
        static let configuration = CommandConfiguration(
            abstract: "Print a public key's id, its minisign -P text and an SSH allowed_signers line."
        )

        @Argument(help: "A minisign public key file (NAME.pub).")
        var publicKey: String

        @Option(help: "Principal for the allowed_signers line.")
        var principal = "backpay-union"

        @Flag(help: "Print only the allowed_signers line (for `> allowed_signers`).")
        var allowedSigners = false

        @Option(help: ArgumentHelp("Print only the signed-note verifier key NAME+HEX8+BASE64 for this name (a log's origin, or a witness's name).", valueName: "NAME"))
        var noteName: String?

        @Flag(help: "With --note-name: the key of a witness (tlog-cosignature/v1, type 0x04) rather than of a log (type 0x01).")
        var cosigner = false

        @OptionGroup var formatting: FormatOptions<TextOrJSON>
        @OptionGroup var common: CommonOptions

        func validate() throws {
            if let noteName, !SignedNote.isValidName(noteName[...]) { throw ValidationError("--note-name must be a name without spaces or +, got \(quoteForMessage(noteName))") }
            if cosigner && noteName == nil { throw ValidationError("--cosigner needs --note-name NAME") }
            if principal.isEmpty || principal.contains(where: { $0 == " " || $0 == "\t" || $0 == "\"" || $0.asciiValue.map { $0 < 0x20 } ?? false }) {
                throw ValidationError("--principal must be a non-empty word without spaces or quotes")
            }
        }

        func run() throws {
            let key = try readPublicKey(publicKey)
            if let noteName, let v = try? NoteVerifierKey(name: noteName, type: cosigner ? .cosignatureV1 : .ed25519, publicKey: key.key) {
                // Alone in text, for `>> witnesses` and Go's note.NewVerifier.
                return format == .json ? printSummary(format, quiet: false, json: [("note_verifier_key", .string(v.description))], text: [])
                                       : printOut(v.description)
            }
            let line = SSHSignature.allowedSignersLine(principal: principal, key: key.key)
            if format == .json {
                printSummary(format, quiet: false, json: [("key_id", .string("\(key.keyID)")), ("minisign", .string(key.base64)), ("allowed_signers", .string(line))], text: [])
            } else if allowedSigners {
                printOut(line)
            } else {
                printOut("key id: \(key.keyID)")
                printOut("minisign: \(key.base64)")
                printOut("allowed_signers: \(line)")
            }
        }
    }
}
