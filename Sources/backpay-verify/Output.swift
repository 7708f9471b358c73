import Intake
import ArgumentParser
import Anon
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Output rules (the contract every subcommand follows):
// 1. Results go to stdout; diagnostics go to stderr, one line each, prefixed with the file and, where
//    there is one, LINE:COL and the JSON Pointer: `day.json:3:14: /entries/0/tool: message`.
// 2. Messages are lower-case, without a final period; untrusted text is quoted and escaped
//    (`quoteForMessage`), never printed raw.
// 3. Exit status: 0 all checks passed, 1 a check failed, 2 could not check, 64 usage (argument parser).
// 4. Progress (spinner/counts) only when stderr is a terminal and neither --quiet nor CI is set.
// 5. `--format json` prints one JSON document on stdout (shapes, and the exit-2 cases, in docs/formats.md).

/// Exit statuses (README.md, "Exit status everywhere").
enum Status {
    static let ok = ExitCode(0)
    static let checkFailed = ExitCode(1)
    static let couldNotCheck = ExitCode(2)
}

/// Options every checking subcommand shares.
struct CommonOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print what passed (release build: also its timings; release audit: every interval).")
    var verbose = false
}

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
