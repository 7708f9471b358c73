import Intake
import Core
import Anon
import ArgumentParser
import Schema
import Transparency
import Verify
#if canImport(Glibc)
import Glibc
#endif

/// `log append|prove|verify|witness`: the union's append-only log of signed releases, its checkpoints
/// (C2SP tlog-checkpoint), consistency proofs, and witnesses' cosignatures (C2SP tlog-cosignature/v1).
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "The union's transparency log: append releases, prove consistency, witness and verify checkpoints.",
        discussion: "Formats: docs/transparency-format.md.",
        subcommands: [Append.self, Prove.self, Verify.self, Witness.self]
    )

    /// Reads a file of one of the formats, turning format errors into `FILE:LINE:COL: message`.
    static func parse<T>(_ path: String, limit: Int = 1 << 20, _ body: ([UInt8]) throws(FormatError) -> T) throws -> T {
        let bytes = try readFile(path, limit: limit)
        do { return try body(bytes) } catch { throw CommandFailure.couldNotCheck(located(path, error)) }
    }

    static func write(_ path: String, _ bytes: [UInt8], overwrite: Bool) throws {
        do { try Files.writeAtomically(path, bytes, overwrite: overwrite) } catch { throw CommandFailure.couldNotCheck(error.description) }
    }

    /// The log entry of a release file: what `log append` appends and `log prove|verify --release` prove.
    static func releaseEntry(_ path: String, bytes: [UInt8]) throws -> String {
        let doc: ReleaseDocument
        doc = try loadRelease(path).document
        return LogState.releaseEntry(week: doc.week, releaseBytes: bytes)
    }

    /// SOURCE_DATE_EPOCH when set (reproducible runs), else the clock.
    static func now() throws -> UInt64 {
        guard let env = getenv("SOURCE_DATE_EPOCH") else { return UInt64(time(nil)) }
        let text = String(cString: env)
        guard let t = UInt64(text), String(t) == text else { throw CommandFailure.couldNotCheck("SOURCE_DATE_EPOCH is \(quoteForMessage(text)), not a number of seconds since 1970") }
        return t
    }

    struct Append: ParsableCommand, FormattedCommand, QuietOrVerbose {
        static let configuration = CommandConfiguration(
            abstract: "Append a signed release to the log and sign the new checkpoint (LOG.checkpoint).",
            discussion: """
            LOG is the log's state file (created with --origin on first use). The release's RELEASE.minisig must \
            verify under the key's public half. The state is written first, then LOG.checkpoint: the log never \
            signs a checkpoint of entries it has not kept.
            """
        )

        @Argument(help: "The log's state file.") var log: String
        @Argument(help: "The signed release to append.") var release: String
        @Option(help: ArgumentHelp("The union's secret key (minisign format, mode 0600).", valueName: "NAME.key")) var key: String
        @Option(help: ArgumentHelp("Read the key's passphrase from the first line of FILE.", valueName: "FILE")) var passphraseFile: String?
        @Option(help: ArgumentHelp("The log's origin (and key name), when creating LOG, e.g. example.org/union/log.", valueName: "ORIGIN")) var origin: String?
        @OptionGroup var formatting: FormatOptions<TextOrJSON>
        @OptionGroup var common: CommonOptions

        func validate() throws {
            if let origin, !SignedNote.isValidName(origin[...]) { throw ValidationError("--origin must be a name without spaces or +, got \(quoteForMessage(origin))") }
        }

        func run() throws {
            var state: LogState
            if Files.exists(log) {
                state = try LogCommand.parse(log) { b throws(FormatError) in try LogState.parse(b) }
                if let origin, origin != state.origin { throw CommandFailure.couldNotCheck("\(log): the log's origin is \(state.origin), not \(origin)") }
            } else {
                guard let origin else { throw CommandFailure.couldNotCheck("\(log): no such log; pass --origin ORIGIN to create it") }
                state = LogState(origin: origin)
            }
            let secret = try loadSecretKey(key, passphraseFile: passphraseFile)
            let bytes = try readFile(release, limit: 256 << 20)
            let sigName = release + ".minisig"
            let verified = ReleaseVerifier.verify(release: (release, ReleaseDocument.decode(bytes)), signature: (sigName, Result { () throws(FileError) in try Files.read(sigName, limit: 1 << 20) }),
                                                  sshSignature: nil, publicKey: secret.publicKey, chain: nil, audit: false)
            if let bad = verified.checks.first(where: { $0.name == "signature" && $0.status != .passed }) {
                throw CommandFailure(status: bad.status == .failed ? 1 : 2, message: "\(displayName(release)): not appended: \(bad.summary)")
            }
            let entry = try LogCommand.releaseEntry(release, bytes: bytes)
            guard state.append(entry) else { throw CommandFailure.checkFailed("\(displayName(release)): already in the log (\(entry))") }
            let signer: NoteSigner
            do { signer = try NoteSigner(name: state.origin, key: secret.key) } catch { throw CommandFailure.couldNotCheck("\(error)") }
            let tree = state.tree
            let checkpoint = SignedCheckpoint.sign(Checkpoint(origin: state.origin, size: tree.size, root: tree.root), with: signer)
            try LogCommand.write(log, state.bytes, overwrite: true)
            try LogCommand.write(log + ".checkpoint", checkpoint.bytes, overwrite: true)
            printSummary(format, quiet: common.quiet,
                         json: [("entry", .string(entry)), ("index", number(tree.size - 1)), ("size", number(tree.size)),
                                ("root", .string(Base64.encode(tree.root))), ("checkpoint", .string(log + ".checkpoint"))],
                         text: ["\(log): appended \(entry) as entry \(tree.size - 1); checkpoint \(log).checkpoint at size \(tree.size)"])
        }
    }

    struct Prove: ParsableCommand, FormattedCommand, QuietOrVerbose {
        static let configuration = CommandConfiguration(
            abstract: "Prove the log's checkpoint extends an older size (--since), or that a release is in the log (--release).",
            discussion: """
            With --since N the output is the body of C2SP tlog-witness's add-checkpoint: `old N`, the consistency \
            proof's hashes, an empty line, the checkpoint. With --release the output is a C2SP tlog-proof@v1 \
            bundle: the release's entry's index, its audit path, an empty line, the checkpoint (for a buyer's \
            `log verify --release`). --checkpoint gives a cosigned copy of LOG.checkpoint to include instead.
            """
        )

        @Argument(help: "The log's state file (its checkpoint is LOG.checkpoint).") var log: String
        @Option(help: ArgumentHelp("The size the verifier or witness last trusted (0 for none).", valueName: "N")) var since: Int?
        @Option(help: ArgumentHelp("A release in the log: prove its inclusion.", valueName: "RELEASE.json")) var release: String?
        @Option(help: ArgumentHelp("The checkpoint to include: LOG.checkpoint, or a copy of it with witnesses' cosignatures.", valueName: "FILE")) var checkpoint: String?
        @Option(name: .shortAndLong, help: "Where to write the proof.") var output: String
        @Flag(help: "Replace an existing output file.") var force = false
        @OptionGroup var formatting: FormatOptions<TextOrJSON>
        @OptionGroup var common: CommonOptions

        func validate() throws {
            if (since == nil) == (release == nil) { throw ValidationError("give one of --since N (consistency) and --release RELEASE.json (inclusion)") }
        }

        func run() throws {
            let state = try LogCommand.parse(log) { b throws(FormatError) in try LogState.parse(b) }
            let cpName = checkpoint ?? log + ".checkpoint"
            let cp = try LogCommand.parse(cpName, limit: SignedNote.maxBytes) { b throws(FormatError) in try SignedCheckpoint.parse(b[...]) }
            let tree = state.tree
            guard cp.checkpoint.origin == state.origin, cp.checkpoint.size == tree.size, cp.checkpoint.root == tree.root else {
                throw CommandFailure.checkFailed("\(cpName) is not the checkpoint of \(log)'s \(tree.size) entries: run `log append` again or restore the pair")
            }
            if let release {
                let entry = try LogCommand.releaseEntry(release, bytes: try readFile(release, limit: 256 << 20))
                guard let proof = LogInclusion.proof(of: entry, in: state, checkpoint: cp) else {
                    throw CommandFailure.checkFailed("\(displayName(release)): not in \(log) (\(entry)): `log append` it first")
                }
                try LogCommand.write(output, proof.bytes, overwrite: force)
                return printSummary(format, quiet: common.quiet,
                                    json: [("entry", .string(entry)), ("index", number(proof.index)), ("size", number(tree.size)), ("output", .string(output))],
                                    text: ["\(output): inclusion proof of \(entry) as entry \(proof.index) of \(tree.size) (\(proof.path.count) hashes) with the checkpoint"])
            }
            guard let since else { return }
            guard since >= 0, since <= tree.size else { throw CommandFailure.couldNotCheck("--since \(since): the log has \(tree.size) entries") }
            let bundle = ConsistencyBundle(oldSize: since, proof: tree.consistencyProof(from: since), checkpoint: cp)
            try LogCommand.write(output, bundle.bytes, overwrite: force)
            printSummary(format, quiet: common.quiet,
                         json: [("old", number(since)), ("size", number(tree.size)), ("output", .string(output))],
                         text: ["\(output): consistency proof from size \(since) to \(tree.size) (\(bundle.proof.count) hashes) with the checkpoint"])
        }
    }

    struct Verify: ParsableCommand, FormattedCommand, QuietOrVerbose {
        static let configuration = CommandConfiguration(
            abstract: "Verify the log's checkpoint: its signature, consistency with what you trusted before, and witnesses' cosignatures.",
            discussion: """
            Each FILE is a checkpoint or a `log prove` output; files carrying the same checkpoint pool their \
            cosignatures. With --release and --proof (`log prove --release` output), the release's entry is \
            recomputed from its bytes and must be at the proof's index under the proof's checkpoint, which is \
            verified like the FILEs (FILEs may then be omitted). Two checkpoints of one size with different roots, or an older one not proven a prefix \
            of the newest, are a split view (exit 1), with both named. --state keeps the last checkpoint you \
            accepted: a new one must be consistent with it, and replaces it when every check passes.
            """
        )

        @Argument(help: "Checkpoint files, or `log prove` outputs.") var files: [String] = []
        @Option(help: ArgumentHelp("A release whose inclusion in the log --proof proves.", valueName: "RELEASE.json")) var release: String?
        @Option(help: ArgumentHelp("The release's inclusion proof (`log prove --release` output).", valueName: "FILE")) var proof: String?
        @Option(help: ArgumentHelp("The union's public key (minisign format).", valueName: "FILE")) var pubkey: String
        @Option(help: ArgumentHelp("The log's origin (its key name).", valueName: "ORIGIN")) var origin: String
        @Option(help: ArgumentHelp("A checkpoint trusted before, which the newest must extend.", valueName: "OLD_CHECKPOINT")) var since: String?
        @Option(help: ArgumentHelp("State file: the last checkpoint accepted (created on first use, updated on success).", valueName: "FILE")) var state: String?
        @Option(help: ArgumentHelp("Witness keys, one NAME+HEX8+BASE64 per line (`key show --note-name NAME --cosigner`).", valueName: "FILE")) var witnesses: String?
        @Option(help: "How many listed witnesses must have cosigned.") var quorum: Int = 0
        @OptionGroup var formatting: FormatOptions<TextOrJSON>
        @OptionGroup var common: CommonOptions

        func validate() throws {
            if (release == nil) != (proof == nil) { throw ValidationError("--release and --proof go together") }
            if files.isEmpty && proof == nil { throw ValidationError("give at least one checkpoint file, or --release with --proof") }
            if quorum < 0 { throw ValidationError("--quorum must be at least 0") }
            if quorum > 0 && witnesses == nil { throw ValidationError("--quorum needs --witnesses FILE") }
            if since != nil && state != nil { throw ValidationError("--since and --state exclude each other: the state file holds the checkpoint trusted before") }
        }

        func run() throws {
            let key = try readPublicKey(pubkey)
            let logKey: NoteVerifierKey
            do { logKey = try NoteVerifierKey(name: origin, type: .ed25519, publicKey: key.key) } catch { throw CommandFailure.couldNotCheck("--origin: \(error)") }
            var parsed = try files.map { f in try LogCommand.parse(f, limit: SignedNote.maxBytes * 2) { b throws(FormatError) in try CheckpointFile(name: displayName(f), bytes: b) } }
            var inclusion: (entry: String, proof: TlogProof)? = nil
            if let release, let proof {
                let bundles = try LogCommand.parse(proof, limit: SignedNote.maxBytes * 2) { b throws(FormatError) in try TlogProof.parseAll(b) }
                guard bundles.count == 1 else { throw CommandFailure.couldNotCheck("\(displayName(proof)): \(bundles.count) proofs in one file; `log prove --release` writes one") }
                inclusion = (try LogCommand.releaseEntry(release, bytes: try readFile(release, limit: 256 << 20)), bundles[0])
                parsed.append(CheckpointFile(name: displayName(proof), checkpoint: bundles[0].checkpoint))
            }
            let keys = try witnesses.map { w in try LogCommand.parse(w) { b throws(FormatError) in try LogVerifier.parseWitnesses(b) } } ?? []
            if quorum > keys.count { throw CommandFailure.couldNotCheck("--quorum \(quorum) is more than the \(keys.count) witnesses listed") }
            var trusted: (name: String, checkpoint: Checkpoint)? = nil
            if let old = since ?? state.flatMap({ Files.exists($0) ? $0 : nil }) {
                let cp = try LogCommand.parse(old) { b throws(FormatError) in try SignedCheckpoint.parse(b[...]) }
                do { _ = try cp.note.verify(with: [logKey]) } catch { throw CommandFailure.checkFailed(error.at(displayName(old))) }
                trusted = (displayName(old), cp.checkpoint)
            }
            var (report, accepted) = LogVerifier.verify(files: parsed, logKey: logKey, trusted: trusted, witnesses: keys, quorum: quorum)
            if let inclusion, let release, let proof {
                // Only a checkpoint accepted above makes a root worth proving against.
                report.add(report.exitStatus == 0
                    ? LogInclusion.check(entry: inclusion.entry, entryName: displayName(release), proof: inclusion.proof, proofName: displayName(proof))
                    : Check("inclusion", .notRun, "the proof's checkpoint was not accepted"))
                if report.exitStatus != 0 { accepted = nil }
            }
            if let state, let accepted, report.exitStatus == 0 { try LogCommand.write(state, accepted.bytes, overwrite: true) }
            try finish(report, format, quiet: common.quiet)
        }
    }

    struct Witness: ParsableCommand, FormattedCommand, QuietOrVerbose {
        static let configuration = CommandConfiguration(
            abstract: "Cosign the log's new checkpoint after checking it extends the last one you cosigned.",
            discussion: """
            REQUEST is a `log prove --since N` output, N being the size in your state file; with no state for \
            the log, N must be 0 (C2SP tlog-witness: trusting the first checkpoint is explicit). \
            The log's signature is verified, then consistency with your last cosigned checkpoint for that origin; \
            a split view or rollback is refused (exit 1) and nothing is signed. OUT gets the checkpoint with your \
            tlog-cosignature/v1 line added; your state file is updated.
            """
        )

        @Argument(help: "The log's checkpoint with its consistency proof (`log prove` output).") var request: String
        @Option(help: ArgumentHelp("Your secret key (minisign format, mode 0600; `key generate`).", valueName: "NAME.key")) var key: String
        @Option(help: ArgumentHelp("Read the key's passphrase from the first line of FILE.", valueName: "FILE")) var passphraseFile: String?
        @Option(help: ArgumentHelp("Your witness name (a schema-less URL, e.g. auditor.example/w1).", valueName: "NAME")) var name: String
        @Option(help: ArgumentHelp("The log's public key (minisign format).", valueName: "FILE")) var logPubkey: String
        @Option(help: ArgumentHelp("The log's origin (its key name).", valueName: "ORIGIN")) var origin: String
        @Option(help: ArgumentHelp("Your state file: the last checkpoint cosigned per log (created on first use).", valueName: "FILE")) var state: String
        @Option(name: .shortAndLong, help: "Where to write the cosigned checkpoint.") var output: String
        @Flag(help: "Replace an existing output file.") var force = false
        @OptionGroup var formatting: FormatOptions<TextOrJSON>
        @OptionGroup var common: CommonOptions

        func validate() throws {
            if !SignedNote.isValidName(name[...]) { throw ValidationError("--name must be a name without spaces or +, got \(quoteForMessage(name))") }
        }

        func run() throws {
            let logKey: NoteVerifierKey
            do { logKey = try NoteVerifierKey(name: origin, type: .ed25519, publicKey: try readPublicKey(logPubkey).key) } catch let f as CommandFailure { throw f } catch { throw CommandFailure.couldNotCheck("--origin: \(error)") }
            let bundle = try LogCommand.parse(request, limit: SignedNote.maxBytes * 2) { b throws(FormatError) in try ConsistencyBundle.parse(b) }
            let current = Files.exists(state) ? try LogCommand.parse(state) { b throws(FormatError) in try WitnessState.parse(b) } : WitnessState()
            let secret = try loadSecretKey(key, passphraseFile: passphraseFile)
            let signer: NoteSigner
            do { signer = try NoteSigner(name: name, type: .cosignatureV1, key: secret.key) } catch { throw CommandFailure.couldNotCheck("--name: \(error)") }
            let cosigned: SignedCheckpoint, next: WitnessState
            do {
                (cosigned, next) = try Witnessing.cosign(bundle: bundle, bundleName: displayName(request), logKey: logKey, state: current,
                                                         stateName: displayName(state), signer: signer, timestamp: try LogCommand.now())
            } catch let f as CommandFailure { throw f
            } catch let e as NoteCheckFailure { throw CommandFailure.checkFailed("\(e.at(displayName(request))): not cosigned")
            } catch { throw CommandFailure.checkFailed("\(error): not cosigned") }
            try LogCommand.write(output, cosigned.bytes, overwrite: force)
            try LogCommand.write(state, next.bytes, overwrite: true)
            let cp = cosigned.checkpoint
            printSummary(format, quiet: common.quiet,
                         json: [("origin", .string(cp.origin)), ("size", number(cp.size)), ("witness", .string(signer.verifier.description)), ("output", .string(output))],
                         text: ["\(output): cosigned \(cp.origin) at size \(cp.size) as \(name) (consistent with \(current[cp.origin].map { "size \($0.size)" } ?? "nothing before: first checkpoint seen"))"])
        }
    }
}
