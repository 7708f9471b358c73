import Core
import ArgumentParser
import Schema

/// `payload FILE…|-`: validate payloads a meter is about to send (or a store export with --jsonl).
struct PayloadCommand: ParsableCommand {
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

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @Option(help: "The day to treat as today (UTC), YYYY-MM-DD; the default is the system clock.")
    var today: String?

    @Option(help: "A consent record: payloads of another schema version are refused.")
    var consent: String?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let today, CalendarDay(today) == nil { throw ValidationError("--today must be a date YYYY-MM-DD, got \(quoteForMessage(today))") }
        if canonical && format == .json { throw ValidationError("--canonical prints payload bytes; it cannot be combined with --format json") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        let day = today.flatMap { CalendarDay($0) } ?? CalendarDay.utcToday()
        let validator: PayloadValidator
        if let schema {
            // Lint's findings are diagnostics here (stderr) in text; in JSON they are the one document.
            let closed = try loadClosedSchema(schema, for: "payload") { report in
                if format == .json { printOut(report.render(.json), terminator: "") } else { printError(report.render(.text)) }
            }
            do { validator = try compileValidator(closed, today: day) } catch let e as ToolFailure {
                printError(e.message); throw Status.couldNotCheck
            }
        } else {
            validator = PayloadValidator.embedded(today: day)
        }
        var run = PayloadRun(validator: validator, strict: strict, canonical: canonical, format: format,
                             quiet: common.quiet, verbose: common.verbose, consent: nil)
        if let consent {
            do { run.consent = try loadConsent(consent) } catch let e as ToolFailure { printError(e.message); throw Status.couldNotCheck }
        }
        for file in files {
            if jsonl { run.checkLines(file) } else { run.checkFile(file) }
        }
        run.finish()
        if run.exitStatus != 0 { throw ExitCode(run.exitStatus) }
    }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// A failure that means the tool could not check (exit 2), with its one-line message.
struct ToolFailure: Error { let message: String }

/// The validator for a schema lint has passed; a schema the validator cannot compile is "could not check".
func compileValidator(_ closed: ClosedSchema, today: CalendarDay) throws -> PayloadValidator {
    do { return try PayloadValidator(closed: closed, today: today) } catch {
        let loc = nearestLocation(error.pointer, closed.document.locations).map { "\($0):" } ?? ""
        throw ToolFailure(message: "\(closed.document.name):\(loc) \(error)")
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
    do { bytes = try Files.read(path, limit: 1 << 20) } catch { throw ToolFailure(message: error.description) }
    do { return try ConsentRecord.parse(bytes) } catch { throw ToolFailure(message: "\(path): \(error)") }
}
