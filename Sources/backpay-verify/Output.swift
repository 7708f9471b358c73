import Core
import Intake
import ArgumentParser
import Anon
import Schema
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Output rules (the contract every subcommand follows; docs/formats.md says it to users):
// 1. Results go to stdout; diagnostics go to stderr, one line each, prefixed with the file and, where
//    there is one, LINE:COL and the JSON Pointer: `day.json:3:14: /entries/0/tool: message`.
// 2. Messages are lower-case, without a final period; untrusted text is quoted and escaped
//    (`quoteForMessage`), never printed raw.
// 3. Exit status: 0 all checks passed, 1 a check failed, 2 could not check, 64 usage. A command throws a
//    `CommandFailure` before it has printed its result, or `ExitCode` after it has printed it; `main`
//    (BackpayVerify.swift) is the one place either becomes the process's status.
// 4. Progress (spinner/counts) only when stderr is a terminal and neither --quiet nor CI is set.
// 5. `--format json` prints exactly one JSON document on stdout for every outcome: the command's report,
//    or for a `CommandFailure` its failure document (`{"error","status"}` unless the command has its own).
// 6. `-q` drops progress and informational lines, never findings, errors or a machine-format report;
//    `-v` adds what was checked and a `timings:` line on stderr (CommonOptions).

/// Exit statuses (README.md, "Exit status everywhere") of a run whose result is already printed.
enum Status {
    static let ok = ExitCode(0)
    static let checkFailed = ExitCode(1)
    static let couldNotCheck = ExitCode(2)
}

/// A run that ended before printing its result: the one-line message (`FILE:LINE:COL: POINTER: message`
/// where there is a position) and the exit status. `main` prints it on stderr and, with `--format json`,
/// the command's failure document on stdout.
struct CommandFailure: Error {
    let status: Int32
    let message: String

    static func couldNotCheck(_ m: String) -> CommandFailure { CommandFailure(status: 2, message: m) }
    static func checkFailed(_ m: String) -> CommandFailure { CommandFailure(status: 1, message: m) }
}

/// The one `--format` type. The schema reports' four formats; a command offers some of them (`FormatChoices`).
typealias OutputFormat = FindingReportFormat

extension OutputFormat: ExpressibleByArgument {
    // Each command offers its own subset, named in its help and checked by `FormatOptions.validate`.
    public static var allValueStrings: [String] { [] }
}

/// The formats a command offers for `--format`.
protocol FormatChoices { static var offered: [OutputFormat] { get } }
/// Text, or one JSON document.
enum TextOrJSON: FormatChoices { static let offered: [OutputFormat] = [.text, .json] }
/// The finding reports of the schema and consent commands: also GitHub workflow commands and Markdown.
enum EveryFormat: FormatChoices { static let offered: [OutputFormat] = OutputFormat.allCases }

/// `--format`, the same option on every command that has one.
struct FormatOptions<Choices: FormatChoices>: ParsableArguments {
    @Option(help: ArgumentHelp("Output format: \(FormatOptions.choiceList).", valueName: "format"))
    var format: OutputFormat = .text

    static var choiceList: String {
        let names = Choices.offered.map(\.rawValue)
        return names.count == 2 ? names.joined(separator: " or ") : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    func validate() throws {
        guard Choices.offered.contains(format) else { throw ValidationError("--format must be \(FormatOptions.choiceList), got \(format.rawValue)") }
    }
}

/// A command with `--format`: `main` reads its format to print the failure document.
protocol FormattedCommand {
    associatedtype Choices: FormatChoices
    var formatting: FormatOptions<Choices> { get }
    /// The one JSON document a `CommandFailure` prints with `--format json`.
    func failureDocument(_ failure: CommandFailure) -> JSONValue
}

extension FormattedCommand {
    var format: OutputFormat { formatting.format }
    func failureDocument(_ failure: CommandFailure) -> JSONValue { errorDocument(failure.message, status: failure.status) }
}

/// The failure document every command prints with `--format json` unless it has a shape of its own:
/// `{"error":"the stderr line","status":N}` (docs/formats.md).
func errorDocument(_ message: String, status: Int32) -> JSONValue {
    .object(JSONObject([("error", .string(message)), ("status", .number(JSONNumber(Int64(status))))]))
}

/// `--today`: the one clock of every command that judges dates.
struct TodayOptions: ParsableArguments {
    @Option(name: .customLong("today"),
            help: "The day to treat as today (UTC), YYYY-MM-DD: payloads dated after it are invalid and relative schema bounds (today+1) resolve against it (default: the system clock).")
    var text: String?

    func validate() throws {
        if let text, CalendarDay(text) == nil { throw ValidationError("--today must be a date YYYY-MM-DD, got \(quoteForMessage(text))") }
    }

    /// The day, from `--today` or the system clock (UTC).
    var day: CalendarDay { text.flatMap { CalendarDay($0) } ?? CalendarDay.utcToday() }
}

/// `-q` and `-v`, the same on every command (docs/formats.md, "Quiet and verbose").
struct CommonOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "No progress and no informational lines (what passed, summaries, notes): only findings, errors and the result itself; json, github and markdown reports are never trimmed.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print what was checked in detail, and a timings line on stderr.")
    var verbose = false

    /// A detail of what was checked, on stderr with `-v` only.
    func detail(_ line: @autoclosure () -> String) { if verbose && !quiet { printError(line()) } }
}

/// A command with `-q`/`-v`: `main` prints its timings line with `-v`.
protocol QuietOrVerbose { var common: CommonOptions { get } }

/// How many threads read rows (`release build`, `audit --rows`, `verify --rows`).
struct ReadingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Threads that validate and hash rows: the default is one more than the processors this process may use (1 on a single processor). The result does not depend on it.",
                               valueName: "n"))
    var threads: Int?

    func validate() throws {
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
    }

    /// One worker more than processors: the thread that counts rows in order waits on the workers part of
    /// the time, and the extra worker keeps every core busy then (measured: 10^7 entries on two cores,
    /// 3.0 s with three workers, 3.3 s with two; Benchmarks/README.md). One processor reads in one thread.
    var count: Int {
        if let threads { return threads }
        let p = availableProcessors()
        return p > 1 ? p + 1 : 1
    }
}

/// Writes all of `bytes` to a file descriptor (unbuffered: callers batch their lines).
func writeAll(fd: Int32, _ bytes: UnsafeRawBufferPointer) {
    var off = 0
    while off < bytes.count {
        let n = write(fd, bytes.baseAddress! + off, bytes.count - off)
        if n < 0 { if errno == EINTR { continue }; return }
        off += n
    }
}

/// Writes one diagnostic line to stderr.
func printError(_ line: String) {
    var s = line
    if !s.hasSuffix("\n") { s += "\n" }
    let u = Array(s.utf8)
    u.withUnsafeBytes { writeAll(fd: 2, $0) }
}

func printOut(_ s: String, terminator: String = "\n") {
    let u = Array((s + terminator).utf8)
    u.withUnsafeBytes { writeAll(fd: 1, $0) }
}

/// Writes one JSON document on stdout: RFC 8785 bytes and a newline.
func printJSON(_ v: JSONValue) {
    if let b = try? CanonicalJSON.serialize(v) { writeOut(b + [0x0A]) }
}

/// Writes raw bytes to stdout.
func writeOut(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { writeAll(fd: 1, $0) }
}

func writeErr(_ s: String) {
    let u = Array(s.utf8)
    u.withUnsafeBytes { writeAll(fd: 2, $0) }
}

/// True when stderr is an interactive terminal and progress output is welcome.
func progressAllowed(quiet: Bool) -> Bool {
    if quiet { return false }
    if let ci = getenv("CI"), String(cString: ci) != "" { return false }
    return isatty(2) == 1
}

/// True when colour may be used on `fd` (a terminal, and NO_COLOR unset: no-color.org).
func colourAllowed(fd: Int32) -> Bool {
    if let nc = getenv("NO_COLOR"), String(cString: nc) != "" { return false }
    return isatty(fd) == 1
}

/// A progress line on stderr with counts, redrawn at most ten times a second; silent when not allowed.
final class Progress {
    private let enabled: Bool
    private let label: String
    private var last: Double = 0
    private let spinner = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
    private var tick = 0

    init(_ label: String, enabled: Bool) { self.label = label; self.enabled = enabled }

    func update(_ count: Int, total: Int? = nil, unit: String = "") {
        guard enabled else { return }
        let now = monotonicSeconds()
        guard now - last >= 0.1 else { return }
        last = now
        tick += 1
        let t = total.map { " of \($0)" } ?? ""
        writeErr("\r\u{1B}[2K\(spinner[tick % spinner.count]) \(label): \(count)\(t) \(unit)")
    }

    func finish() {
        guard enabled, last > 0 else { return }
        writeErr("\r\u{1B}[2K")
    }
}

/// `0.123 s`: a duration in milliseconds' precision, for --verbose timings.
func seconds(_ t: Double) -> String {
    let ms = Int((t * 1000).rounded())
    let frac = String(ms % 1000)
    return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac) s"
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
