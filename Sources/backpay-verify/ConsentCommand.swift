import ArgumentParser
import Schema

/// `consent check CONSENT [--schema F]`: is a member's consent still valid for the schema in force?
struct ConsentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Check a member's consent record against the schema payloads follow.",
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Valid only for the exact schema version and fingerprint consented to.",
            discussion: """
            Exit 0 valid; 1 void (a bump or an edit since): the report lists the widening changes since the \
            consented schema, which is what the member must agree to anew; 2 unreadable record or schema.
            """)

        @Argument(help: "The consent record (JSON: schema_version, schema_fingerprint, consented_on).")
        var consent: String

        @Option(help: "The schema payloads follow now (default: the newest schema built into the tool).")
        var schema: String?

        @Option(help: "A schemas.lock.json whose released files include the consented schema (default: the built-in ones).")
        var lock: String?

        @Option(help: "Output format: text, json, github, markdown.") var format: FindingReportFormat = .text
        @OptionGroup var common: CommonOptions
        @Option(help: "The day relative date bounds are resolved against, YYYY-MM-DD (default: today, UTC).")
        var today: String?

        func run() throws {
            let day = try parseToday(today)
            let record: ConsentRecord
            do { record = try ConsentRecord.parse(try Files.read(consent, limit: 4096)) } catch let e as FileError {
                printError(e.description); throw Status.couldNotCheck
            } catch {
                printError("\(displayName(consent)):\(error)"); throw Status.couldNotCheck
            }
            let current: SchemaDocument
            if let schema { current = try loadSchema(schema) } else {
                let c = ReleasedSchemas.current
                current = try SchemaDocument(name: "<built-in \(c.path)>", bytes: c.bytes)
            }
            var released = ReleasedSchemas.documents()
            if let lock {
                let dir = directoryPrefix(of: lock)
                do {
                    let (parsed, _) = try SchemaLock.parse(try Files.read(lock, limit: 1 << 20))
                    for e in parsed.entries { released.append(try loadSchema(dir + e.path)) }
                } catch let e as GateFailure {
                    printError("\(lock):\(e)"); throw Status.couldNotCheck
                } catch let e as FileError {
                    printError(e.description); throw Status.couldNotCheck
                }
            }
            let verdict = record.check(against: current, released: released, today: day)
            emit(verdict.report(consent: displayName(consent), record: record, schema: current.name), format, quiet: common.quiet)
            if !verdict.isValid { throw Status.checkFailed }
        }
    }
}
