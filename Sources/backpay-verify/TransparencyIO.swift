import Intake
import Core
import ArgumentParser
import Schema
import Transparency
import Verify
#if canImport(Glibc)
import Glibc
#endif

/// A command's result: the JSON document (`status` 0 and `fields`) or the text lines (unless quiet).
func printSummary(_ format: OutputFormat, quiet: Bool, json fields: [(String, JSONValue)], text: @autoclosure () -> [String]) {
    if format == .json {
        var o = JSONObject()
        o.set("status", .number(JSONNumber(Int64(0))))
        for (k, v) in fields { o.set(k, v) }
        printJSON(.object(o))
    } else if !quiet {
        for line in text() { printOut(line) }
    }
}

/// A report of checks (`proof verify`, `log verify`): printed, then its exit status.
func finish(_ report: VerifyReport, _ format: OutputFormat, quiet: Bool) throws {
    if format == .json { printJSON(report.json) } else {
        let lines = report.textLines(quiet: quiet)
        if !lines.isEmpty { printOut(lines.joined(separator: "\n")) }
    }
    if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
}

func number(_ n: Int) -> JSONValue { .number(JSONNumber(Int64(n))) }

func readFile(_ path: String, limit: Int) throws -> [UInt8] {
    do { return try Files.read(path, limit: limit) } catch { throw CommandFailure.couldNotCheck(error.description) }
}

/// A minisign public key file, as the union's (or a witness's) Ed25519 key.
func readPublicKey(_ path: String) throws -> MinisignPublicKey {
    do { return try MinisignPublicKey.parse(try Files.read(path, limit: 1 << 16)) }
    catch let e as FileError { throw CommandFailure.couldNotCheck(e.description) }
    catch { throw CommandFailure.couldNotCheck("\(path): \(error)") }
}

/// `FILE:LINE:COL: message` for a format error in FILE.
func located(_ path: String, _ e: FormatError) -> String { e.at(displayName(path)) }

/// A directory of many files that appears whole or not at all: files are written into a private temporary
/// directory beside the target, flushed to disk once (sync: a fsync per file would take minutes for 10^5
/// members), then renamed into place. A failed run removes the temporary directory.
struct StagedDirectory {
    let target: String
    let staging: String
    private var done = false

    /// Refuses an existing target unless `replace`.
    init(_ target: String, replace: Bool) throws {
        let t = target.hasSuffix("/") && target.count > 1 ? String(target.dropLast()) : target
        if Files.exists(t) && !replace { throw CommandFailure.couldNotCheck(FileError.exists(path: t).description) }
        let parent = t.lastIndex(of: "/").map { String(t[..<$0]) }.flatMap { $0.isEmpty ? "/" : $0 } ?? "."
        let base = t.split(separator: "/").last.map(String.init) ?? t
        var template = Array("\(parent)/.\(base).tmp-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw CommandFailure.couldNotCheck(FileError.cannotWrite(path: t, reason: errnoText()).description)
        }
        self.target = t
        staging = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        chmod(staging, 0o700)   // mkdtemp makes it 0700 already; said here because the names list members
    }

    /// Writes one file of the directory (no fsync; `commit` flushes them all).
    func write(_ name: String, _ bytes: [UInt8]) throws {
        let path = staging + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CommandFailure.couldNotCheck(FileError.cannotWrite(path: path, reason: errnoText()).description) }
        defer { close(fd) }
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { posixWrite(fd, $0.baseAddress! + off, bytes.count - off) }
            if n < 0 { if errno == EINTR { continue }; throw CommandFailure.couldNotCheck(FileError.cannotWrite(path: path, reason: errnoText()).description) }
            off += n
        }
    }

    /// Flushes and moves the directory into place (replacing an old one only when asked at creation).
    mutating func commit() throws {
        sync()
        if Files.exists(target) {
            let old = staging + ".old"
            guard rename(target, old) == 0 else { throw CommandFailure.couldNotCheck(FileError.cannotWrite(path: target, reason: errnoText()).description) }
            guard rename(staging, target) == 0 else {
                let reason = errnoText()
                rename(old, target)
                throw CommandFailure.couldNotCheck(FileError.cannotWrite(path: target, reason: reason).description)
            }
            Self.remove(old)
        } else {
            guard rename(staging, target) == 0 else { throw CommandFailure.couldNotCheck(FileError.cannotWrite(path: target, reason: errnoText()).description) }
        }
        done = true
    }

    /// Removes the staging directory unless committed (call on every exit path).
    func abandon() { if !done { Self.remove(staging) } }

    private static func remove(_ dir: String) {
        guard let d = opendir(dir) else { return }
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { unlink(dir + "/" + name) }
        }
        closedir(d)
        rmdir(dir)
    }
}
