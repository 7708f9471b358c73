import ArgumentParser
import Anon
import Schema
import Verify

/// `release build --rows F… --week 2026-W24 [--previous R] -o release.json`.
struct ReleaseBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a weekly release whose every published cell covers at least k members and whose suppressed cells cannot be derived.",
        discussion: """
        Every row goes through the payload validator. A bad row stops the build with its location, unless \
        --quarantine is given: then it is written to that file with its error and counted. Two payloads for \
        the same panelist and date are a conflict, handled the same way. Payloads for a week an earlier \
        release covers (--previous) are reported as late and never published. Rows are summed as they are read, \
        so memory follows members, not rows; standard input (-) is held in memory, since a conflict is resolved \
        by reading the rows a second time.
        """
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Payload JSON-lines files (the store export); - for standard input.")
    var rows: [String]

    @Option(help: "The ISO week to release, e.g. 2026-W24.")
    var week: String

    @Option(help: "The previous release of the chain (its hash becomes `previous`).")
    var previous: String?

    @Option(name: .shortAndLong, help: "Where to write the release.")
    var output: String

    @Option(help: "Write rejected rows here (one JSON object per row, with its error) instead of stopping.")
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

    @Option(help: "The day to treat as today (UTC), YYYY-MM-DD; the default is the system clock.")
    var today: String?

    @Flag(help: "Replace existing output files.")
    var force = false

    @OptionGroup var reading: ReadingOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if rows.isEmpty { throw ValidationError("--rows needs at least one file") }
        if ISOWeek(week) == nil { throw ValidationError("--week must be an ISO week like 2026-W24, got \(quoteForMessage(week))") }
        if let today, CalendarDay(today) == nil { throw ValidationError("--today must be a date YYYY-MM-DD, got \(quoteForMessage(today))") }
        if releaseFormat != 1 && releaseFormat != 2 { throw ValidationError("--release-format must be 1 or 2, got \(releaseFormat)") }
        if releaseFormat == 1 && (coalition != 1 || homogeneity) { throw ValidationError("--coalition and --homogeneity need --release-format 2") }
        do { _ = try Policy(k: k, p: p, protectionPercent: protection, coalition: coalition, homogeneity: homogeneity) } catch { throw ValidationError(error.description) }
        if rows.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
        if rows.contains(output) || previous == output || quarantine == output { throw ValidationError("the output must not be one of the inputs") }
    }

    func run() throws {
        let week = ISOWeek(self.week)!
        let policy = try Policy(k: k, p: p, protectionPercent: protection, coalition: coalition, homogeneity: homogeneity)
        let day = today.flatMap { CalendarDay($0) } ?? CalendarDay.utcToday()
        let allowed = progressAllowed(quiet: common.quiet)
        var prev: (document: ReleaseDocument, bytes: [UInt8])? = nil
        if let previous {
            do { prev = try loadRelease(previous) } catch let e as ToolFailure { printError(e.message); throw Status.couldNotCheck }
        }
        if let chain {
            do {
                if let held = try ChainDirectory.buildConflict(chain, week: week) {
                    printError("release not built: \(held)"); throw Status.checkFailed
                }
            } catch let e as FileError { printError(e.description); throw Status.couldNotCheck }
        }
        let inputs: WeekInputs
        let started = monotonicSeconds()
        switch readWeek(rows, threads: reading.count, week: week, lateThrough: prev?.document.week.sunday, validator: PayloadValidator.embedded(today: day),
                        quarantine: quarantine != nil, progress: allowed, keepContributions: releaseFormat == 2) {
        case .success(let i): inputs = i
        case .failure(let e):
            printError(e.description)
            if case .file = e { throw Status.couldNotCheck }
            if case .aggregate = e { printError("release not built"); throw Status.checkFailed }
            printError("release not built: fix the row, or pass --quarantine FILE to set such rows aside")
            throw Status.checkFailed
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
            printError("release not built: \(error)")
            throw Status.checkFailed
        }
        progress.finish()
        let protected = monotonicSeconds()
        let (doc, report) = built
        do {
            if let quarantine { try Files.writeAtomically(quarantine, inputs.quarantineLines(), overwrite: force) }
            try Files.writeAtomically(output, try doc.canonicalBytes(), overwrite: force)
        } catch let e as FileError {
            printError(e.description); throw Status.couldNotCheck
        } catch {
            printError("release not built: \(error)"); throw Status.checkFailed
        }
        if common.verbose {
            let end = monotonicSeconds()
            printError("timings: read and summed the rows in \(seconds(read - started)) (\(reading.count) \(reading.count == 1 ? "thread" : "threads")), "
                       + "protected the table in \(seconds(protected - read)), wrote in \(seconds(end - protected))")
        }
        for s in report.late { printError("\(s): late payload for a week already released (up to \(prev!.document.week)): reported, not published") }
        for s in report.otherWeek where common.verbose { printError("\(s): payload outside \(week): not included") }
        if !common.quiet {
            let suppressed = report.primaries + report.secondaries
            printOut("\(displayName(output)): \(week) sequence \(doc.sequence): \(report.payloadsUsed) payloads, \(report.entriesUsed) entries")
            printOut("  \(report.positions) cells and margins: \(report.positions - suppressed) published, \(suppressed) suppressed (\(report.primaries) by the primary rules, \(report.secondaries) complementary; \(report.rounds) audit \(report.rounds == 1 ? "round" : "rounds"))")
            printOut("  rows left out: \(inputs.rejected.count) quarantined, \(report.late.count) late, \(report.otherWeek.count) outside the week")
        }
    }
}

/// Reads every rows file through the payload validator for one week, aggregating while reading, then sets
/// conflicting payloads aside.
func readWeek(_ files: [String], threads: Int, week: ISOWeek, lateThrough: CalendarDay?, validator: PayloadValidator, quarantine: Bool,
              progress allowed: Bool, keepContributions: Bool = false) -> Result<WeekInputs, IntakeError> {
    var intake = WeekIntake(validator: validator, week: week, lateThrough: lateThrough, quarantine: quarantine, threads: threads)
    intake.keepContributions = keepContributions
    for file in files {
        let progress = Progress("reading \(displayName(file))", enabled: allowed)
        let r = Result { () throws(IntakeError) in
            try intake.read(path: file, displayName: displayName(file)) { progress.update($0, unit: "payloads") }
        }
        progress.finish()
        if case .failure(let e) = r { return .failure(e) }
    }
    return Result { () throws(IntakeError) in try intake.finish() }
}
