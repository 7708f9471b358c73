import Core
import Intake
import Anon
import ArgumentParser
import Schema
import Transparency
import Verify

/// `release prove RELEASE --rows F… --key union.key --origin PREFIX --out DIR`: one inclusion-proof file per
/// member, for every day of theirs in the release's input tree, against a checkpoint the union signs.
struct ReleaseProve: ParsableCommand, FormattedCommand, QuietOrVerbose {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Write every member's proof that their days are among the release's inputs (C2SP tlog-proof bundles).",
        discussion: """
        Reads the rows again as `release build` did (the same intake, so the same leaves in the same order) and \
        refuses them unless their root and count are the release's inputs.merkle_root and payload_count. The \
        union's key signs a checkpoint of that tree with origin PREFIX/inputs/WEEK (the key's note name). DIR \
        gets one file PANELIST.tlog-proofs per member and the checkpoint; it is created private (0700) because \
        its file names list the week's members: deliver each file to its member only. DIR appears whole or not \
        at all; an existing DIR is replaced only with --force. Formats: docs/transparency-format.md.
        """
    )

    @Argument(help: "The release document (canonical JSON).")
    var release: String

    @Option(name: .long, parsing: .upToNextOption, help: "The payload JSON-lines files the release was built from.")
    var rows: [String]

    @Option(help: ArgumentHelp("The union's secret key (minisign format, mode 0600).", valueName: "NAME.key"))
    var key: String

    @Option(help: ArgumentHelp("Read the key's passphrase from the first line of FILE (mode 0600).", valueName: "FILE"))
    var passphraseFile: String?

    @Option(help: ArgumentHelp("The union's name for its trees, a schema-less URL without spaces or +, e.g. example.org/union; the checkpoint's origin is PREFIX/inputs/WEEK.", valueName: "PREFIX"))
    var origin: String

    @Option(help: ArgumentHelp("Directory to write the proofs to.", valueName: "DIR"))
    var out: String

    @OptionGroup var today: TodayOptions

    @Flag(help: "Replace an existing output directory.")
    var force = false

    @OptionGroup var formatting: FormatOptions<TextOrJSON>

    @OptionGroup var reading: ReadingOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if rows.isEmpty { throw ValidationError("--rows needs at least one file") }
        if !SignedNote.isValidName(origin[...]) || origin.hasSuffix("/") { throw ValidationError("--origin must be a name without spaces or + (e.g. example.org/union), got \(quoteForMessage(origin))") }
        if rows.contains(out) || release == out { throw ValidationError("the output must not be one of the inputs") }
    }

    func run() throws {
        let started = monotonicSeconds()
        let doc: ReleaseDocument
        doc = try loadRelease(release).document
        let secret = try loadSecretKey(key, passphraseFile: passphraseFile)
        let day = today.day
        let inputs: WeekInputs
        switch readWeek(rows, threads: reading.count, week: doc.week, lateThrough: nil, validator: PayloadValidator.embedded(today: day),
                        quarantine: { _ in }, progress: progressAllowed(quiet: common.quiet), keepLeaves: true) {   // counted, not kept
        case .success(let i): inputs = i
        case .failure(let e): throw CommandFailure(status: e.isFileError ? 2 : 1, message: e.description)
        }
        guard let leaves = inputs.leaves else { throw CommandFailure.couldNotCheck("the intake kept no leaves") }
        let read = monotonicSeconds()
        let tree = MerkleTree(leafHashes: leaves.hashes)
        let root = "sha256:" + Hex.encode(tree.root)
        guard root == doc.merkleRoot, tree.size == doc.payloadCount else {
            throw CommandFailure.checkFailed("\(displayName(release)): the rows give \(tree.size) payloads with root \(root), not the release's \(doc.payloadCount) with \(doc.merkleRoot): not the rows this release was built from")
        }
        let name = MemberProofs.inputsOrigin(prefix: origin, week: doc.week)
        let signer: NoteSigner
        do { signer = try NoteSigner(name: name, key: secret.key) } catch { throw CommandFailure.couldNotCheck("--origin: \(error)") }
        let checkpoint = SignedCheckpoint.sign(Checkpoint(origin: name, size: tree.size, root: tree.root), with: signer)
        var dir = try StagedDirectory(out, replace: force)
        defer { dir.abandon() }
        var members = 0
        let progress = Progress("writing proofs", enabled: progressAllowed(quiet: common.quiet))
        try MemberProofs.forEachMember(leaves: leaves, week: doc.week, tree: tree, checkpoint: checkpoint) { panelist, bytes in
            try dir.write(panelist + ".tlog-proofs", bytes)
            members += 1
            if members & 0x3FF == 0 { progress.update(members, total: leaves.panelists.count, unit: "members") }
        }
        progress.finish()
        try dir.write("checkpoint", checkpoint.bytes)
        let written = monotonicSeconds()
        try dir.commit()
        if common.verbose {
            printError("timings: read the rows in \(seconds(read - started)), proved and wrote in \(seconds(written - read)), flushed to disk in \(seconds(monotonicSeconds() - written))")
        }
        printSummary(format, quiet: common.quiet,
                     json: [("release", .string(displayName(release))), ("week", .string(doc.week.description)), ("origin", .string(name)),
                            ("leaves", number(tree.size)), ("members", number(members)), ("out", .string(out))],
                     text: ["\(out): \(members) member proof files for \(doc.week) (\(tree.size) leaves, root \(root))",
                            "  checkpoint: \(out)/checkpoint (origin \(name)); the folder lists members: deliver each file to its member only"])
    }
}

extension IntakeError {
    var isFileError: Bool { if case .file = self { return true }; return false }
}
