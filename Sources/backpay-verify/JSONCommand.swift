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

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check that each file is strict JSON.")

        @Argument(help: "Files to read; - for standard input.")
        var files: [String]

        @OptionGroup var common: CommonOptions

        func run() throws {
            var worst: Int32 = 0
            for file in files {
                do {
                    let bytes = try Files.read(file)
                    _ = try StrictJSON.parse(bytes)
                    if !common.quiet { printOut("\(displayName(file)): ok") }
                } catch let e as FileError {
                    printError(e.description); worst = max(worst, 2)
                } catch let e as JSONReadError {
                    printError("\(displayName(file)):\(e)"); worst = max(worst, 1)
                }
            }
            if worst != 0 { throw ExitCode(worst) }
        }
    }

    struct Canonical: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the RFC 8785 canonical bytes of each file.")

        @Argument(help: "Files to read; - for standard input.")
        var files: [String]

        @Flag(help: "End each document with a newline.")
        var newline = false

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
