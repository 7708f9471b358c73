import Intake
import Core
import ArgumentParser
import Anon
import Schema
import Verify

/// `release build --rows F… --week 2026-W24 [--previous R] -o release.json`.
struct ReleaseBuild: ParsableCommand, FormattedCommand, QuietOrVerbose {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a weekly release whose every published cell covers at least k members and whose suppressed cells cannot be derived.",
        discussion: """
        Every row goes through the payload validator. A bad row stops the build with its location, unless \
        --quarantine is given: then it is written to that file with its error and counted. Two payloads for \
        the same panelist and date are a conflict, handled the same way. Payloads for a week an earlier \
        release covers (--previous) are reported as late and never published. Rows are summed as they are read, \
        and rejected rows are written to the quarantine file as they are found, so memory follows members, not \
        rows; standard input (-) is copied to an unnamed temporary file as it is read, since a conflict is \
        resolved by reading the rows a second time.

        -o - writes the release to standard output, byte for byte as the file would hold it (the summary then \
        goes to standard error). The release and the quarantine file are written together or not at all, never \
        over an input (by name or link, even with --force), and never over an existing file without --force.
        """
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Payload JSON-lines files (the store export); - for standard input.")
    var rows: [String]

    @Option(help: "The ISO week to release, e.g. 2026-W24.")
    var week: String

    @Option(help: "The previous release of the chain (its hash becomes `previous`).")
    var previous: String?

    @Option(name: .shortAndLong, help: "Where to write the release; - for standard output.")
    var output: String

    @Option(help: "Write rejected rows to this file (one JSON object per row, with its error) instead of stopping; not - (standard output may carry the release).")
    var quarantine: String?

    @Option(help: "Minimum members per published cell (at least 5).")
    var k = 5

    @Option(help: "The p% dominance rule's p.")
    var p = 10

    @Option(help: "Protection interval of cells below k, in percent of each counter.")
    var protection = 30

    @Option(name: .customLong("release-format"), help: "1 (backpay-release/1, audited under backpay-attacker/1) or 2 (backpay-release/2: fixed grid, no cost, insiders and known zeros; docs/release-format.md §7-9).")
    var releaseFormat = 1

    @Option(help: "Format 2: the largest coalition of members whose own contributions the audit covers (1 or 2).")
    var coalition = 1

    @Flag(help: "Format 2: also suppress homogeneous positions (members = member-days, or member-days = sessions).")
    var homogeneity = false

    @Option(help: ArgumentHelp("The directory of releases already published: the build refuses a week it already holds, or one before its latest.", valueName: "DIR"))
    var chain: String?

    @OptionGroup var today: TodayOptions

    @Flag(help: "Replace existing output files.")
    var force = false

    @OptionGroup var reading: ReadingOptions

    @OptionGroup var formatting: FormatOptions<TextOrJSON>

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if rows.isEmpty { throw ValidationError("--rows needs at least one file") }
        if ISOWeek(week) == nil { throw ValidationError("--week must be an ISO week like 2026-W24, got \(quoteForMessage(week))") }
        if releaseFormat != 1 && releaseFormat != 2 { throw ValidationError("--release-format must be 1 or 2, got \(releaseFormat)") }
        if releaseFormat == 1 && (coalition != 1 || homogeneity) { throw ValidationError("--coalition and --homogeneity need --release-format 2") }
        do { _ = try Policy(k: k, p: p, protectionPercent: protection, coalition: coalition, homogeneity: homogeneity) } catch { throw ValidationError(error.description) }
        if rows.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
        if output == "-" && format == .json { throw ValidationError("-o - writes the release to standard output; it cannot be combined with --format json") }
        if quarantine == "-" { throw ValidationError("--quarantine must name a file, not - (standard output may carry the release)") }
        do { try Files.refuseOverlap(outputs: outputFiles, inputs: inputFiles) } catch { throw ValidationError(error.description) }
    }

    /// The files this command reads, which no output may be.
    var inputFiles: [String] { rows + (previous.map { [$0] } ?? []) }
    /// The files it writes (standard output aside).
    var outputFiles: [String] { (output == "-" ? [] : [output]) + (quarantine.map { [$0] } ?? []) }

    func run() throws {
        let week = ISOWeek(self.week)!
        if !force, let existing = outputFiles.first(where: Files.exists) { throw FileError.exists(path: existing) }
        let quarantined = try quarantine.map { path throws(FileError) in try PendingOutput(path: path) }
        defer { quarantined?.discard() }
        let policy = try Policy(k: k, p: p, protectionPercent: protection, coalition: coalition, homogeneity: homogeneity)
        let day = today.day
        let allowed = progressAllowed(quiet: common.quiet)
        var prev: (document: ReleaseDocument, bytes: [UInt8])? = nil
        if let previous {
            prev = try loadRelease(previous)
        }
        if let chain, let held = try ChainDirectory.buildConflict(chain, week: week) {
            throw CommandFailure.checkFailed("release not built: \(held)")
        }
        let inputs: WeekInputs
        let started = monotonicSeconds()
        switch readWeek(rows, threads: reading.count, week: week, lateThrough: prev?.document.week.sunday, validator: PayloadValidator.embedded(today: day),
                        quarantine: quarantined.map { q in { q.append($0.quarantineLine) } }, progress: allowed,
                        keepContributions: releaseFormat == 2) {
        case .success(let i): inputs = i
        case .failure(let e):
            if case .file = e { throw CommandFailure.couldNotCheck(e.description) }
            printError(e.description)
            if case .aggregate = e { throw CommandFailure.checkFailed("release not built") }
            throw CommandFailure.checkFailed("release not built: fix the row, or pass --quarantine FILE to set such rows aside")
        }
        let read = monotonicSeconds()
        let progress = Progress("protecting \(week)", enabled: allowed)
        let built: (ReleaseDocument, BuildReport)
        do {
            built = try ReleaseBuilder.build(inputs: inputs, policy: policy, previous: prev, formatVersion: releaseFormat) { round, exposed in
                progress.update(round, unit: "audit rounds, \(exposed) values exposed")
            }
        } catch {
            progress.finish()
            throw CommandFailure.checkFailed("release not built: \(error)")
        }
        progress.finish()
        let protected = monotonicSeconds()
        let (doc, report) = built
        do {
            let release = try doc.canonicalBytes()
            var outputs = quarantined.map { [$0] } ?? []
            if output != "-" {
                let file = try PendingOutput(path: output)
                file.append(release)
                outputs.append(file)
            }
            try Files.commit(outputs, overwrite: force, inputs: inputFiles)
            // Exactly the bytes of the file (no newline added), so `-o - > FILE` gives the same canonical release.
            if output == "-" { writeOut(release) }
        } catch let e as FileError {
            throw e
        } catch {
            throw CommandFailure.checkFailed("release not built: \(error)")
        }
        if common.verbose {
            let end = monotonicSeconds()
            printError("timings: read and summed the rows in \(seconds(read - started)) (\(reading.count) \(reading.count == 1 ? "thread" : "threads")), "
                       + "protected the table in \(seconds(protected - read)), wrote in \(seconds(end - protected))")
        }
        for s in report.late.first { printError("\(s): late payload for a week already released (up to \(prev!.document.week)): reported, not published") }
        if report.late.unnamed > 0 { printError("… and \(report.late.unnamed) more late payloads (only the first \(SourceSample.kept) are named)") }
        if common.verbose {
            for s in report.otherWeek.first { printError("\(s): payload outside \(week): not included") }
            if report.otherWeek.unnamed > 0 { printError("… and \(report.otherWeek.unnamed) more payloads outside \(week)") }
        }
        let suppressed = report.primaries + report.secondaries
        if format == .json {
            printSummary(format, quiet: common.quiet, json: [
                ("release", .string(displayName(output))), ("week", .string(week.description)), ("sequence", number(doc.sequence)),
                ("payloads", number(report.payloadsUsed)), ("entries", number(report.entriesUsed)), ("positions", number(report.positions)),
                ("published", number(report.positions - suppressed)), ("suppressed_primary", number(report.primaries)),
                ("suppressed_complementary", number(report.secondaries)), ("audit_rounds", number(report.rounds)),
                ("quarantined", number(inputs.rejectedCount)), ("late", number(report.late.count)), ("outside_week", number(report.otherWeek.count)),
            ], text: [])
        } else if !common.quiet {
            // With the release on standard output, the summary goes to standard error.
            let toStderr = output == "-"
            func say(_ s: String) { if toStderr { printError(s) } else { printOut(s) } }
            say("\(output == "-" ? "<stdout>" : displayName(output)): \(week) sequence \(doc.sequence): \(report.payloadsUsed) payloads, \(report.entriesUsed) entries")
            say("  \(report.positions) cells and margins: \(report.positions - suppressed) published, \(suppressed) suppressed (\(report.primaries) by the primary rules, \(report.secondaries) complementary; \(report.rounds) audit \(report.rounds == 1 ? "round" : "rounds"))")
            say("  rows left out: \(inputs.rejectedCount) quarantined, \(report.late.count) late, \(report.otherWeek.count) outside the week")
        }
    }
}

/// Reads every rows file through the payload validator for one week, aggregating while reading, then sets
/// conflicting payloads aside. Rejected rows go to `quarantine` as they are found (counted, not kept); without
/// it the first one stops the reading.
func readWeek(_ files: [String], threads: Int, week: ISOWeek, lateThrough: CalendarDay?, validator: PayloadValidator,
              quarantine: ((RejectedLine) -> Void)?, progress allowed: Bool, keepLeaves: Bool = false,
              keepContributions: Bool = false) -> Result<WeekInputs, IntakeError> {
    var intake = WeekIntake(validator: validator, week: week, lateThrough: lateThrough, quarantine: quarantine != nil, threads: threads)
    intake.quarantineSink = quarantine
    intake.keepsLeaves = keepLeaves
    intake.keepContributions = keepContributions
    var shown: Progress? = nil   // the file being read, drawn from its first count
    return Result { () throws(IntakeError) in
        try intake.readAll(files.map { ($0, displayName($0)) },
                           progress: { name, n in
                               if shown == nil { shown = Progress("reading \(name)", enabled: allowed) }
                               shown?.update(n, unit: "payloads")
                           },
                           fileDone: { _ in shown?.finish(); shown = nil })
    }
}
