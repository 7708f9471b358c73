import Foundation

/// What one run of a program produced.
struct CLIResult: Sendable, Equatable {
    var status: Int32
    var stdout: [UInt8]
    var stderr: [UInt8]

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    /// Lines of stderr, without their terminators.
    var stderrLines: [String] { stderrText.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
}

/// Runs built executables and other programs for end-to-end tests: arguments and standard input in,
/// standard output, standard error and exit status out.
enum CLIRunner {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The package root (the directory holding Package.swift), found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The directory SwiftPM builds products into: the one holding the running test executable or bundle.
    /// `BACKPAY_PRODUCTS_DIR` overrides it, for runs from unusual build layouts.
    static let productsDirectory: URL = {
        if let dir = ProcessInfo.processInfo.environment["BACKPAY_PRODUCTS_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        #if os(macOS)
        // Tests run inside an .xctest bundle that sits in the products directory.
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        #else
        // The test runner is an executable (`…PackageTests.xctest`) in the products directory.
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: exe).deletingLastPathComponent()
        }
        #endif
        return packageRoot.appendingPathComponent(".build/debug", isDirectory: true)
    }()

    /// A product built by this package, e.g. `backpay-verify`.
    static func product(_ name: String) throws -> URL {
        let url = productsDirectory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw Failure(description: "\(url.path) is not an executable; build the package first (swift build)")
        }
        return url
    }

    /// Runs `executable` to completion.
    ///
    /// Output goes to temporary files rather than pipes, so a program that writes a lot to both streams
    /// cannot block on a full pipe while we wait for it. The environment is inherited, minus `CI` and
    /// plus `NO_COLOR=1`, so that output never depends on the terminal or the CI runner.
    static func run(_ executable: URL, _ arguments: [String], stdin: [UInt8] = [],
                    in directory: URL? = nil, environment: [String: String] = [:]) throws -> CLIResult {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("cli-run-\(UUID().uuidString)", isDirectory: true)
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: scratch) }
        let inURL = scratch.appendingPathComponent("stdin")
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        try Data(stdin).write(to: inURL)
        fm.createFile(atPath: outURL.path, contents: nil)
        fm.createFile(atPath: errURL.path, contents: nil)
        let input = try FileHandle(forReadingFrom: inURL)
        let output = try FileHandle(forWritingTo: outURL)
        let error = try FileHandle(forWritingTo: errURL)
        defer { try? input.close(); try? output.close(); try? error.close() }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["CI"] = nil
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        process.waitUntilExit()
        guard process.terminationReason == .exit else {
            throw Failure(description: "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) was killed by signal \(process.terminationStatus)")
        }
        return CLIResult(status: process.terminationStatus,
                         stdout: [UInt8](try Data(contentsOf: outURL)),
                         stderr: [UInt8](try Data(contentsOf: errURL)))
    }

    /// Runs a program found on PATH (`python3`, `minisign`) through /usr/bin/env.
    static func runTool(_ name: String, _ arguments: [String], in directory: URL? = nil) throws -> CLIResult {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments, in: directory)
    }
}
