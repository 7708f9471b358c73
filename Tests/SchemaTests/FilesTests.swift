import Core
import Foundation
import Schema
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The file layer: the one door for inputs, outputs never over inputs, paired outputs all-or-nothing,
/// and the line reader's over-long lines.
@Suite("files: inputs, outputs, line reader")
struct FilesTests {
    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func listing(_ dir: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }

    /// The first of the usual character devices that is one on this machine (a container may lack or have replaced some).
    static func characterDevice() -> String? {
        ["/dev/zero", "/dev/null", "/dev/urandom"].first { path in
            var st = stat()
            return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFCHR
        }
    }

    static func contents(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { [UInt8]($0) } }

    @Test("a FIFO, a device and a directory are refused by every reader, at once, without a writer on the FIFO")
    func specialFilesRefused() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        // /dev/zero rather than /dev/null: on one CI machine a root process had replaced /dev/null with a regular file.
        // The device case runs only with a device that really is one, so the test says what it checked.
        var cases = [(fifo, "is a FIFO (named pipe), not a regular file"), (dir, "is a directory")]
        if let device = Self.characterDevice() { cases.append((device, "is a character device, not a regular file")) }
        for (path, reason) in cases {
            #expect(throws: FileError.cannotRead(path: path, reason: reason)) { try Files.read(path) }
            #expect(throws: FileError.cannotRead(path: path, reason: reason)) { try Files.readSecret(path) }
            #expect(throws: FileError.cannotRead(path: path, reason: reason)) { try JSONLinesReader(path: path).forEachLine { _, _ in true } }
        }
        #expect(throws: FileError.self) { try Files.listDirectory(fifo) }
        #expect(try Files.listDirectory(dir) == ["fifo"])
    }

    @Test("an output that is an input by name, symbolic link or hard link, or twice an output, is refused")
    func overlapRefused() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in"
        try Files.writeAtomically(input, [1, 2, 3])
        #expect(symlink("in", dir + "/sym") == 0 && link(input, dir + "/hard") == 0)
        for output in [input, dir + "/sym", dir + "/hard", dir + "/./in"] {
            #expect(throws: FileError.outputIsInput(path: output, input: input)) {
                try Files.writeAtomically(output, [9], overwrite: true, inputs: [input])
            }
        }
        #expect(Self.contents(input) == [1, 2, 3])
        #expect(throws: FileError.outputTwice(path: dir + "/./new", other: dir + "/new")) {
            try Files.write([(dir + "/new", [1], 0o644), (dir + "/./new", [2], 0o644)], overwrite: true, inputs: [])
        }
        #expect(!Files.exists(dir + "/new"))
    }

    @Test("a pair whose second file cannot be put in place leaves neither (an overwritten file gets its content back) and no temporary file")
    func pairAllOrNothing() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The second target is a non-empty directory: rename(2) onto it fails once the first is in place.
        try FileManager.default.createDirectory(atPath: dir + "/b/x", withIntermediateDirectories: true)
        let before = try Self.listing(dir)
        #expect(throws: FileError.self) { try Files.write([(dir + "/a", [1], 0o644), (dir + "/b", [2], 0o644)], overwrite: true, inputs: []) }
        #expect(try Self.listing(dir) == before)
        try Files.writeAtomically(dir + "/a", [7, 7])
        #expect(throws: FileError.self) { try Files.write([(dir + "/a", [1], 0o600), (dir + "/b", [2], 0o644)], overwrite: true, inputs: []) }
        #expect(Self.contents(dir + "/a") == [7, 7])
        #expect(try Self.listing(dir) == ["a", "b"])
        // Without overwriting, an existing second file stops the pair before anything lands.
        #expect(throws: FileError.exists(path: dir + "/b")) { try Files.write([(dir + "/c", [1], 0o600), (dir + "/b", [2], 0o644)], overwrite: false, inputs: []) }
        #expect(try Self.listing(dir) == ["a", "b"])
        try FileManager.default.removeItem(atPath: dir + "/b")
        try Files.write([(dir + "/a", [1], 0o600), (dir + "/b", [2], 0o644)], overwrite: true, inputs: [])
        #expect(Self.contents(dir + "/a") == [1] && Self.contents(dir + "/b") == [2])
        #expect(try Self.listing(dir) == ["a", "b"])
        var st = stat()
        #expect(stat(dir + "/a", &st) == 0 && st.st_mode & 0o777 == 0o600)
    }

    @Test("an output being written has no name in its directory until it is complete, so a killed process leaves nothing")
    func pendingOutputIsUnnamed() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let secret = try PendingOutput(path: dir + "/union.key", mode: 0o600)
        secret.append(Array(repeating: 0x41, count: 200_000))
        #expect(try Self.listing(dir) == [])
        try Files.commit([secret], overwrite: false, inputs: [])
        #expect(try Self.listing(dir) == ["union.key"])
        #expect(Self.contents(dir + "/union.key")?.count == 200_000)
        let dropped = try PendingOutput(path: dir + "/other")
        dropped.append([1, 2, 3])
        dropped.discard()
        #expect(try Self.listing(dir) == ["union.key"])
    }

    @Test("an over-long last line is reported whether or not it ends with a newline, in a file, in memory and from a scratch file")
    func overLongLastLine() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for size in [1001, 70_000, 3 << 20] {
            for newline in [false, true] {
                let bytes = Array("a\nb\nc\n".utf8) + [UInt8](repeating: 0x7A, count: size) + (newline ? [0x0A] : [])
                let path = dir + "/rows"
                try Files.writeAtomically(path, bytes, overwrite: true)
                let scratch = try ScratchFile()
                try bytes.withUnsafeBytes { try scratch.write($0) }
                for reader in [JSONLinesReader(path: path, maxLineBytes: 1000), JSONLinesReader(bytes: bytes, path: path, maxLineBytes: 1000),
                               JSONLinesReader(scratch: scratch, path: path, maxLineBytes: 1000)] {
                    var seen: [String] = []
                    try reader.forEachLine { n, line in
                        switch line {
                        case .bytes(let b): seen.append("\(n):\(String(decoding: b, as: UTF8.self))")
                        case .tooLong(let size): seen.append("\(n):long \(size)")
                        }
                        return true
                    }
                    #expect(seen == ["1:a", "2:b", "3:c", "4:long \(size)"], "\(size) bytes, newline \(newline)")
                }
            }
        }
    }
}
