import Core
import Intake
import ArgumentParser
import Schema

/// The command-line tool. It parses arguments, calls the library modules and formats their results;
/// it holds no verification logic of its own. Output rules are in Output.swift.
@main
struct BackpayVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backpay-verify",
        abstract: "Check the Backpay data union's promises: payloads, schemas, consent and signed releases.",
        discussion: """
        Exit status: 0 every check passed; 1 a check failed (the input was read and is wrong); \
        2 the tool could not check (missing or unreadable file, malformed key); 64 usage error.

        On every command that has them: -q prints only what is wrong (no progress, no informational lines; findings and errors \
        always); -v adds what was checked and a timings line on stderr; --format json prints exactly one JSON \
        document on stdout for every outcome, an error included (docs/formats.md).
        """,
        version: "0.1.0",
        subcommands: [
            JSONCommand.self,
            PayloadCommand.self,
            KeyCommand.self,
            ReleaseCommand.self,
            SchemaCommand.self,
            ConsentCommand.self,
            ProofCommand.self,
            LogCommand.self,
        ]
    )

    /// The one place a run's outcome becomes the exit status: 0 passed, 1 a check failed, 2 could not
    /// check, 64 usage (README.md, "Exit status everywhere"). A `CommandFailure` (or a `FileError` a command
    /// let through) is printed here: its line on stderr and, with `--format json`, its JSON document on stdout,
    /// so that every outcome prints exactly one document. Usage errors print one too when json was asked for.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: ParsableCommand
        do { command = try parseAsRoot(arguments) } catch { exitForUsage(error, arguments: arguments) }
        let started = monotonicSeconds()
        let status = outcome(of: &command, arguments: arguments)
        if let common = (command as? QuietOrVerbose)?.common, common.verbose {
            printError("timings: \(seconds(monotonicSeconds() - started)) in all")
        }
        exit(withError: status == 0 ? nil : ExitCode(status))
    }

    /// Runs the command and returns its exit status, printing a failure it threw before its result.
    static func outcome(of command: inout ParsableCommand, arguments: [String]) -> Int32 {
        let failure: CommandFailure
        do { try command.run(); return 0 }
        catch let e as ExitCode { return e.rawValue }   // the result (and its document) is printed already
        catch let e as CommandFailure { failure = e }
        catch let e as FileError { failure = .couldNotCheck(e.description) }
        catch {
            // The parser's own errors (help, a ValidationError): the parser knows their status; any other
            // error is one no command names, which still means "could not check", never "a check failed".
            if exitCode(for: error) != .failure { exitForUsage(error, arguments: arguments) }
            failure = .couldNotCheck("\(error)")
        }
        printError(failure.message)
        if let formatted = command as? any FormattedCommand, formatted.format == .json {
            printJSON(formatted.failureDocument(failure))
        }
        return failure.status
    }

    /// A usage error (exit 64; help and --version exit 0): the argument parser's message on stderr, and
    /// with `--format json` also the error document on stdout.
    static func exitForUsage(_ error: Error, arguments: [String]) -> Never {
        if exitCode(for: error) == .validationFailure, asksForJSON(arguments) {
            printJSON(errorDocument(message(for: error), status: ExitCode.validationFailure.rawValue))
        }
        exit(withError: error)
    }

    /// True when the arguments (before any `--`) ask for `--format json`, read without the parser, which
    /// has just refused them.
    static func asksForJSON(_ arguments: [String]) -> Bool {
        let options = arguments.prefix { $0 != "--" }
        return options.contains("--format=json") || zip(options, options.dropFirst()).contains { $0 == "--format" && $1 == "json" }
    }
}
