import Intake
import Core
import ArgumentParser
import Schema

/// `consent check CONSENT [--schema F]`: is a member's consent still valid for the schema in force?
struct ConsentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Check a member's consent record against the schema payloads follow.",
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand, FormattedCommand, QuietOrVerbose {
        static let configuration = CommandConfiguration(
            abstract: "Valid only for the exact schema version and fingerprint consented to.",
            discussion: """
            Exit 0 valid; 1 void (a bump or an edit since): the report lists the widening changes since the \
            consented schema, which is what the member must agree to anew; 2 unreadable record or schema.
            """)

        @Argument(help: "The consent record (JSON: schema_version, schema_fingerprint, consented_on).")
        var consent: String

        @Option(help: "The schema payloads follow now (default: the lock's newest version with --lock, else the newest schema built into the tool).")
        var schema: String?

        @Option(help: "A schemas.lock.json whose released files include the consented schema (default: the built-in ones).")
        var lock: String?

        @OptionGroup var formatting: FormatOptions<EveryFormat>
        @OptionGroup var common: CommonOptions
        @OptionGroup var today: TodayOptions

        func run() throws {
            let day = today.day
            let record: ConsentRecord
            do { record = try ConsentRecord.parse(try Files.read(consent, limit: 4096)) } catch let e as FileError {
                throw CommandFailure.couldNotCheck(e.description)
            } catch {
                throw CommandFailure.couldNotCheck("\(displayName(consent)):\(error)")
            }
            // The schema payloads follow now: --schema, else the lock's newest version, else the newest
            // built-in one. Whichever it is, lint passes it first (a consent to an open schema bounds nothing).
            let refuse = { (report: FindingReport) in emit(report, format, quiet: common.quiet) }
            var released = ReleasedSchemas.documents()
            var newestLocked: String? = nil
            if let lock {
                let dir = directoryPrefix(of: lock)
                do {
                    let (parsed, _) = try SchemaLock.parse(try Files.read(lock, limit: 1 << 20))
                    for e in parsed.entries { released.append(try loadSchema(dir + e.path)) }
                    newestLocked = parsed.entries.last.map { dir + $0.path }
                } catch let e as GateFailure {
                    throw CommandFailure.couldNotCheck("\(lock):\(e)")
                }
            }
            let current: ClosedSchema
            if let path = schema ?? newestLocked {
                current = try loadClosedSchema(path, for: "consent check", refuse: refuse)
            } else {
                let c = ReleasedSchemas.current
                current = try ClosedSchema(try SchemaDocument(name: "<built-in \(c.path)>", bytes: c.bytes))
            }
            common.detail("\(displayName(consent)): checked against \(current.document.name), today \(day)")
            let verdict = record.check(against: current.document, released: released, today: day)
            emit(verdict.report(consent: displayName(consent), record: record, schema: current.document.name), format, quiet: common.quiet)
            if !verdict.isValid { throw Status.checkFailed }
        }
    }
}
