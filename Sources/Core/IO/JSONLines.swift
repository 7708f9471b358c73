#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a JSON-lines file (or standard input) line by line in constant memory: a fixed read buffer,
/// lines handed out as borrowed byte ranges. A line longer than `maxLineBytes` is reported, not buffered.
public struct JSONLinesReader {
    public enum Line {
        /// The line's bytes without its `\n` (a `\r` before it is kept: CRLF is not canonical).
        case bytes(UnsafeRawBufferPointer)
        /// The line exceeded the limit; its content was skipped.
        case tooLong(Int)
    }

    public let path: String
    public let maxLineBytes: Int
    /// Lines already in memory (tests, library use).
    public let memory: [UInt8]?
    /// Lines kept in a scratch file (standard input, copied as it was first read, to be read again).
    public let scratch: ScratchFile?

    public init(path: String, maxLineBytes: Int = 64 << 10) {
        self.path = path
        self.maxLineBytes = maxLineBytes
        self.memory = nil
        self.scratch = nil
    }

    /// Reads lines from a scratch file, from its start; `path` only names them.
    public init(scratch: ScratchFile, path: String, maxLineBytes: Int = 64 << 10) {
        self.path = path
        self.maxLineBytes = maxLineBytes
        self.memory = nil
        self.scratch = scratch
    }

    /// Opens the input (the caller closes it when `ownsDescriptor`).
    public func open() throws(FileError) -> (fd: Int32, ownsDescriptor: Bool) {
        if let scratch {
            guard lseek(scratch.fd, 0, SEEK_SET) == 0 else { throw .cannotRead(path: path, reason: errnoText()) }
            return (scratch.fd, false)
        }
        return (try Files.openInput(path), path != "-")
    }

    /// Reads lines from bytes already in memory; `path` only names them.
    public init(bytes: [UInt8], path: String, maxLineBytes: Int = 64 << 10) {
        self.path = path
        self.maxLineBytes = maxLineBytes
        self.memory = bytes
        self.scratch = nil
    }

    /// Calls `body` with each line number (1-based) and line. `body` returns false to stop early.
    public func forEachLine(_ body: (Int, Line) throws -> Bool) throws {
        if let memory {
            try memory.withUnsafeBytes { all in
                var start = 0, lineNo = 0
                while start < all.count {
                    let end = memchr(all.baseAddress! + start, 0x0A, all.count - start).map { all.baseAddress!.distance(to: UnsafeRawPointer($0)) } ?? all.count
                    lineNo += 1
                    let line: Line = end - start > maxLineBytes ? .tooLong(end - start) : .bytes(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                    if try !body(lineNo, line) { return }
                    start = end + 1
                }
            }
            return
        }
        let (fd, owned) = try open()
        defer { if owned { close(fd) } }
        let capacity = max(1 << 20, maxLineBytes * 2 + 2)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0, start = 0, lineNo = 0
        var skippingLong = 0   // bytes of an over-long line consumed so far (0 when not skipping)
        var eof = false
        while true {
            // Hand out every complete line in the buffer.
            var scan = start
            while true {
                let remaining = filled - scan
                guard remaining > 0, let nl = memchr(buffer.baseAddress! + scan, 0x0A, remaining) else { break }
                let end = buffer.baseAddress!.distance(to: UnsafeMutableRawPointer(nl))
                lineNo += 1
                if skippingLong > 0 {
                    let total = skippingLong + (end - start)
                    skippingLong = 0
                    if try !body(lineNo, .tooLong(total)) { return }
                } else if end - start > maxLineBytes {
                    if try !body(lineNo, .tooLong(end - start)) { return }
                } else {
                    if try !body(lineNo, .bytes(UnsafeRawBufferPointer(rebasing: buffer[start..<end]))) { return }
                }
                start = end + 1
                scan = start
            }
            if eof {
                // The last line, without a final newline: too long whether or not part of it was
                // already skipped.
                if filled > start || skippingLong > 0 {
                    lineNo += 1
                    if skippingLong > 0 || filled - start > maxLineBytes {
                        _ = try body(lineNo, .tooLong(skippingLong + filled - start))
                    } else {
                        _ = try body(lineNo, .bytes(UnsafeRawBufferPointer(rebasing: buffer[start..<filled])))
                    }
                }
                return
            }
            // Keep the partial line: move it to the front, or drop it when it is already too long.
            if filled - start > maxLineBytes {
                skippingLong += filled - start
                filled = 0
            } else if start > 0 {
                if filled > start { memmove(buffer.baseAddress!, buffer.baseAddress! + start, filled - start) }
                filled -= start
            }
            start = 0
            let n = read(fd, buffer.baseAddress! + filled, capacity - filled)
            if n < 0 { if errno == EINTR { continue }; throw FileError.cannotRead(path: path, reason: errnoText()) }
            if n == 0 { eof = true } else { filled += n }
        }
    }
}
