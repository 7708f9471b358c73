import Intake
import Core
import ArgumentParser
import Schema

/// `json check|canonical FILE…|-`: strict reading of any JSON document, and its RFC 8785 bytes.
struct JSONCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json",
        abstract: "Read JSON strictly (RFC 8259, I-JSON) and print its canonical form (RFC 8785).",
        subcommands: [Check.self, Canonical.self]
    )

    struct Check: ParsableCommand, FormattedCommand, QuietOrVerbose {
        static let configuration = CommandConfiguration(abstract: "Check that each file is strict JSON.")

        @Argument(help: "Files to read; - for standard input.")
        var files: [String]

        @OptionGroup var formatting: FormatOptions<TextOrJSON>
        @OptionGroup var common: CommonOptions

        func run() throws {
            var worst: Int32 = 0
            var results: [JSONValue] = []
            for file in files {
                var problem: String? = nil
                do {
                    let bytes = try Files.read(file)
                    _ = try StrictJSON.parse(bytes)
                    if !common.quiet && format == .text { printOut("\(displayName(file)): ok") }
                } catch let e as FileError {
                    problem = e.description; worst = max(worst, 2)
                } catch let e as JSONReadError {
                    problem = "\(displayName(file)):\(e)"; worst = max(worst, 1)
                }
                // In JSON the problems are in the one document, as every report's findings are.
                if format == .json {
                    var o = JSONObject([("file", .string(displayName(file))), ("ok", .bool(problem == nil))])
                    if let problem { o.set("error", .string(problem)) }
                    results.append(.object(o))
                } else if let problem {
                    printError(problem)
                }
            }
            if format == .json { printJSON(.object(JSONObject([("files", .array(results)), ("status", number(Int(worst)))]))) }
            if worst != 0 { throw ExitCode(worst) }
        }
    }

    struct Canonical: ParsableCommand, QuietOrVerbose {
        static let configuration = CommandConfiguration(abstract: "Print the RFC 8785 canonical bytes of each file.")

        @Argument(help: "Files to read; - for standard input.")
        var files: [String]

        @Flag(help: "End each document with a newline.")
        var newline = false

        @OptionGroup var common: CommonOptions

        func run() throws {
            var worst: Int32 = 0
            for file in files {
                do {
                    let bytes = try Files.read(file)
                    var out = try CanonicalJSON.serialize(try StrictJSON.parse(bytes))
                    if newline { out.append(0x0A) }
                    writeOut(out)
                } catch let e as FileError {
                    printError(e.description); worst = max(worst, 2)
                } catch let e as JSONReadError {
                    printError("\(displayName(file)):\(e)"); worst = max(worst, 1)
                } catch let e as CanonicalJSON.Failure {
                    printError("\(displayName(file)): \(e)"); worst = max(worst, 1)
                }
            }
            if worst != 0 { throw ExitCode(worst) }
        }
    }
}

/// How a file is named in messages: standard input is `<stdin>`.
func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }
