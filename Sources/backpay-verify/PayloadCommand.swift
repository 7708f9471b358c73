import Intake
import Core
import ArgumentParser
import Schema

/// `payload FILE…|-`: validate payloads a meter is about to send (or a store export with --jsonl).
struct PayloadCommand: ParsableCommand, FormattedCommand, QuietOrVerbose {
    static let configuration = CommandConfiguration(
        commandName: "payload",
        abstract: "Validate payload files against the closed schema (strict JSON, fixed vocabulary, canonical form).",
        discussion: """
        Every violation is reported as FILE:LINE:COL: POINTER: message. A valid payload that is not in \
        canonical form carries freedom that could hide bits: it is warned about, and rejected with --strict.
        """
    )

    @Argument(help: "Payload files; - for standard input.")
    var files: [String]

    @Flag(help: "Each file holds one payload per line (JSON lines), read as a stream.")
    var jsonl = false

    @Option(help: "Validate against this JSON Schema instead of the embedded version 0.")
    var schema: String?

    @Flag(help: "Reject payloads that are valid but not in canonical form.")
    var strict = false

    @Flag(help: "Print the canonical bytes of each valid payload on stdout, with a final newline where the file has one (--jsonl: one line each).")
    var canonical = false

    @OptionGroup var formatting: FormatOptions<TextOrJSON>

    @OptionGroup var today: TodayOptions

    @Option(help: "A consent record: payloads of another schema version are refused.")
    var consent: String?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if canonical && format == .json { throw ValidationError("--canonical prints payload bytes; it cannot be combined with --format json") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        let day = today.day
        let validator: PayloadValidator
        if let schema {
            // Lint's findings are diagnostics here (stderr) in text; in JSON they are the one document.
            let closed = try loadClosedSchema(schema, for: "payload") { report in
                if format == .json { printOut(report.render(.json), terminator: "") } else { printError(report.render(.text)) }
            }
            validator = try compileValidator(closed, today: day)
        } else {
            validator = PayloadValidator.embedded(today: day)
        }
        common.detail("checking against \(schema.map(displayName) ?? "the embedded schema v0"), today \(day)")
        var run = PayloadRun(validator: validator, strict: strict, canonical: canonical, format: format,
                             quiet: common.quiet, verbose: common.verbose, consent: nil)
        if let consent { run.consent = try loadConsent(consent) }
        for file in files {
            if jsonl { run.checkLines(file) } else { run.checkFile(file) }
        }
        run.finish()
        if run.exitStatus != 0 { throw ExitCode(run.exitStatus) }
    }
}

/// The validator for a schema lint has passed; a schema the validator cannot compile is "could not check".
func compileValidator(_ closed: ClosedSchema, today: CalendarDay) throws -> PayloadValidator {
    do { return try PayloadValidator(closed: closed, today: today) } catch {
        let loc = nearestLocation(error.pointer, closed.document.locations).map { "\($0):" } ?? ""
        throw CommandFailure.couldNotCheck("\(closed.document.name):\(loc) \(error)")
    }
}

/// The location of `pointer`, or of its nearest ancestor that has one.
func nearestLocation(_ pointer: JSONPointer, _ locations: [JSONPointer: SourceLocation]) -> SourceLocation? {
    var p = pointer
    while true {
        if let l = locations[p] { return l }
        if p.tokens.isEmpty { return nil }
        p = p.parent
    }
}

/// The consent record `--consent` names (strict: docs/ci-gate.md).
func loadConsent(_ path: String) throws -> ConsentRecord {
    let bytes: [UInt8]
    do { bytes = try Files.read(path, limit: 1 << 20) } catch { throw CommandFailure.couldNotCheck(error.description) }
    do { return try ConsentRecord.parse(bytes) } catch { throw CommandFailure.couldNotCheck("\(path): \(error)") }
}
