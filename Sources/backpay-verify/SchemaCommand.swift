import Intake
import Core
import ArgumentParser
import Foundation
import Schema
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `schema lint|fingerprint|diff|gate`: closedness, material fingerprints, classified diffs and the CI gate.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Lint, fingerprint and diff payload schemas, and gate schema changes in CI.",
        subcommands: [Lint.self, Fingerprint.self, Diff.self, Gate.self]
    )

    struct Lint: ParsableCommand, FormattedCommand, QuietOrVerbose {
        static let configuration = CommandConfiguration(
            abstract: "Prove a schema closed, or say where it is open; print its capacity in bits.",
            discussion: "Rules: docs/schema-rules.md. Exit 0 closed, 1 open, 2 unreadable.")

        @Argument(help: "The schema file (JSON Schema 2020-12).")
        var schema: String

        @OptionGroup var formatting: FormatOptions<EveryFormat>
        @OptionGroup var common: CommonOptions

        func run() throws {
            let doc = try loadSchema(schema)
            let result = SchemaLint.lint(doc)
            emit(result.report(schema: displayName(schema)), format, quiet: common.quiet)
            if !result.isClosed { throw Status.checkFailed }
        }
    }

    struct Fingerprint: ParsableCommand, FormattedCommand, QuietOrVerbose {
        static let configuration = CommandConfiguration(
            abstract: "Print the material fingerprint of a schema (docs/ci-gate.md).",
            discussion: "Annotations, key order and the order of enum/required/type do not change it.")

        @Argument(help: "The schema file.")
        var schema: String

        @OptionGroup var formatting: FormatOptions<TextOrJSON>
        @OptionGroup var common: CommonOptions

        func run() throws {
            let doc = try loadSchema(schema)
            let fingerprint: String
            do { fingerprint = try SchemaFingerprint.fingerprint(doc.value) } catch {
                throw CommandFailure.checkFailed("\(displayName(schema)): \(error)")
            }
            if format == .json {
                printJSON(.object(JSONObject([("fingerprint", .string(fingerprint)), ("schema", .string(displayName(schema))), ("status", number(0))])))
            } else {
                printOut(fingerprint)
            }
        }
    }

    struct Diff: ParsableCommand, FormattedCommand, QuietOrVerbose {
        static let configuration = CommandConfiguration(
            abstract: "List every change between two schemas, classified, with counterexamples for widening ones.",
            discussion: "Exit 0 when nothing material changed, 1 when something did, 2 when a file cannot be read.")

        @Argument(help: "The old schema.") var old: String
        @Argument(help: "The new schema.") var new: String
        @OptionGroup var formatting: FormatOptions<EveryFormat>
        @OptionGroup var common: CommonOptions
        @OptionGroup var today: TodayOptions

        func run() throws {
            let day = today.day
            common.detail("relative date bounds resolved against \(day)")
            let result = SchemaDiff.diff(old: try loadSchema(old), new: try loadSchema(new), today: day)
            emit(result.report(old: displayName(old), new: displayName(new)), format, quiet: common.quiet)
            if result.isMaterial { throw Status.checkFailed }
        }
    }

    struct Gate: ParsableCommand, FormattedCommand, QuietOrVerbose {
        static let configuration = CommandConfiguration(
            abstract: "Apply the schema version rules to a lock file and the schema files next to it.",
            discussion: """
            Fails (exit 1) when a released file was edited, a material change was not bumped, a bump skips \
            a number or changes nothing material, or the newest schema fails lint. Exit 2 when it cannot \
            compare (missing file, unreadable lock): it never passes then. Guide: docs/ci-gate.md.
            """)

        @Option(help: "The lock file.") var lock: String = "schemas.lock.json"
        @OptionGroup var formatting: FormatOptions<EveryFormat>
        @Flag(help: "Record a correctly bumped new version in the lock (written atomically).") var updateLock = false
        @OptionGroup var common: CommonOptions
        @OptionGroup var today: TodayOptions
        @Option(help: "A git revision (origin/main) holding the released files: an edited one is diffed against it.")
        var against: String?

        func run() throws {
            let day = today.day
            common.detail("\(lock): relative date bounds resolved against \(day)\(against.map { ", released files compared with \($0)" } ?? "")")
            let dir = directoryPrefix(of: lock)
            var baseline: ((String) -> [UInt8]?)? = nil
            if let against {
                guard gitRevisionExists(against, in: dir.isEmpty ? "." : dir) else {
                    throw CommandFailure.couldNotCheck("--against \(quoteForMessage(against)): no such git revision here (a shallow clone? fetch it first); the gate cannot compare")
                }
                baseline = { path in gitShow(against, path) }
            }
            var lockBytes: [UInt8]? = nil
            do { lockBytes = try Files.read(lock, limit: 1 << 20) } catch {
                if !(updateLock && !Files.exists(lock)) { throw CommandFailure.couldNotCheck("\(error); the gate cannot compare without its lock") }
            }
            let listing = try Files.listDirectory(dir.isEmpty ? "." : dir)
            let input = SchemaGate.Input(lockName: lock, lockBytes: lockBytes, directory: dir, listing: listing,
                                         read: { (p: String) throws(FileError) -> [UInt8] in try Files.read(p, limit: 16 << 20) },
                                         today: day, updateLock: updateLock, baseline: baseline, baselineName: against ?? "")
            let result: SchemaGate.Result
            do { result = try SchemaGate.run(input) } catch { throw CommandFailure.couldNotCheck(lockPrefixed(error)) }
            var wrote = false
            if let updated = result.updatedLock {
                try Files.writeAtomically(lock, updated.serialized(), overwrite: true)
                wrote = true
            }
            emit(result.report(lock: lock, updated: wrote), format, quiet: common.quiet)
            if !result.passed { throw Status.checkFailed }
        }

        func lockPrefixed(_ e: GateFailure) -> String {
            if case .lockMalformed = e { return "\(lock):\(e)" }
            return "\(e)"
        }
    }
}

/// Prints a report on stdout; colour only for text on a terminal without NO_COLOR. With --quiet, text
/// shows only errors (and nothing at all when the check passed); machine formats are never trimmed.
func emit(_ report: FindingReport, _ format: OutputFormat, quiet: Bool = false) {
    var report = report
    if quiet && format == .text {
        if report.passed { return }
        report.textErrorsOnly = true
    }
    printOut(report.render(format, colour: format == .text && colourAllowed(fd: 1)), terminator: "")
}

/// Reads and strictly parses a schema; unreadable or malformed files are "could not check" (exit 2).
func loadSchema(_ path: String) throws -> SchemaDocument {
    do {
        return try SchemaDocument(name: displayName(path), bytes: try Files.read(path, limit: 16 << 20))
    } catch let e as FileError {
        throw CommandFailure.couldNotCheck(e.description)
    } catch let e as JSONReadError {
        throw CommandFailure.couldNotCheck("\(displayName(path)):\(e)")
    }
}

/// Reads a schema a user supplies for payload validation or a consent check: the one way such a schema
/// enters the tool. Lint runs first; a schema it rejects is refused (exit 1) with lint's findings, which
/// `refuse` prints in the command's own format, so no one is told "valid" under an open schema.
func loadClosedSchema(_ path: String, for use: String, refuse: (FindingReport) -> Void) throws -> ClosedSchema {
    do { return try ClosedSchema(try loadSchema(path)) } catch let e as SchemaNotClosed {
        refuse(e.report(refusing: use)); throw Status.checkFailed
    }
}

func directoryPrefix(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return String(path[...slash])
}

/// Runs git and returns its stdout, or nil when it fails (git missing, unknown revision or path).
func git(_ arguments: [String], in directory: String) -> [UInt8]? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["git", "-C", directory] + arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return p.terminationStatus == 0 ? Array(data) : nil
}

func gitRevisionExists(_ rev: String, in directory: String) -> Bool {
    !rev.hasPrefix("-") && git(["rev-parse", "--verify", "--quiet", rev + "^{commit}"], in: directory) != nil
}

/// The bytes of `path` (relative to the current directory) at revision `rev`.
func gitShow(_ rev: String, _ path: String) -> [UInt8]? {
    let dir = directoryPrefix(of: path)
    let name = String(path.dropFirst(dir.count))
    return git(["show", "\(rev):./\(name)"], in: dir.isEmpty ? "." : dir)
}
